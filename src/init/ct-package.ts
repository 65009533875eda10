/**
 * ct's own package as `ct init` sees it: its files (the workflow templates), its version,
 * where its actions and its config schema come from, and how to install it.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { findRepositoryRoot } from '../files.js';
import { gitAt, remoteUrl } from '../github/git.js';
import { CT_PACKAGE, CT_ROOT, type CtRelease, ctRelease, ctVersion, parseActionsSource } from '../package.js';
import type { ActionsSource } from './workflows.js';

/**
 * The schema link of the config's first line, relative to the config: ct's schema in
 * node_modules when ct is installed as a dependency (where verify.yml expects it), ct's own
 * docs/ inside ct's repository, else the node_modules path it will have once installed.
 */
export function schemaUrl(root: string, configDir: string): string {
  const installed = path.join(root, 'node_modules', CT_PACKAGE, 'docs/ct.config.schema.json');
  const own = path.join(root, 'docs/ct.config.schema.json');
  let target = installed;
  if (!existsSync(installed) && existsSync(own)) {
    try {
      if ((JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { name?: string }).name === CT_PACKAGE) target = own;
    } catch {
      // no package.json: not ct's repository
    }
  }
  const r = path.relative(configDir, target).split(path.sep).join('/');
  return r.startsWith('.') ? r : `./${r}`;
}

/** A file of ct's own package (its workflows are the templates of the user's). */
export function readCtFile(file: string): string {
  return readFileSync(path.join(CT_ROOT, file), 'utf8');
}

/**
 * `--actions`: `npm` for the installed ct's actions, or `<owner>/<repo>@<sha>`, checked.
 * Unset: the bundled actions of the release the running ct was packed from (no install in
 * any job), else (a checkout, an unreleased pack) the installed ct's.
 */
export function actionsSource(text: string | undefined, release: CtRelease | null = ctRelease()): ActionsSource {
  if (text === 'npm') return { kind: 'installed' };
  if (text === undefined)
    return release === null ? { kind: 'installed' } : { kind: 'remote', repo: release.repository, sha: release.commit, version: release.version };
  const parsed = parseActionsSource(text);
  if (parsed === null) throw new UserError(`--actions: expected npm or <owner>/<repo>@<full commit sha> (a tag can be moved to other code), got "${text}"`);
  return { kind: 'remote', ...parsed, version: `v${ctVersion()}` };
}

/**
 * Whether the repository's package-lock.json installs tfjs-node (or its GPU build): then
 * a train job running the bundled action installs node_modules first, to train on it.
 */
export function lockfileInstallsNativeTfjs(root: string): boolean {
  try {
    const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages?: Record<string, unknown> };
    return Object.keys(lock.packages ?? {}).some((key) => /(^|\/)node_modules\/@tensorflow\/tfjs-node(-gpu)?$/.test(key));
  } catch {
    return false;
  }
}

/**
 * How to install the running ct: its npm name and version when a release packed it; its
 * clone's `origin` and commit when it runs from a git checkout (credentials stripped from
 * the URL); else a description of that form.
 */
export async function installSpec(ctRoot = CT_ROOT): Promise<string> {
  const release = ctRelease(ctRoot);
  if (release !== null) return `${CT_PACKAGE}@${release.version.replace(/^v/, '')}`;
  try {
    if (findRepositoryRoot(ctRoot) !== realpathSync(ctRoot)) throw new Error("not ct's own checkout");
    const origin = await remoteUrl(ctRoot, 'origin');
    if (origin === null) throw new Error('no origin');
    const url = new URL(origin.replace(/^git@([^:]+):/, 'ssh://git@$1/'));
    const commit = (await gitAt(ctRoot).revparse(['HEAD'])).trim();
    const github = /^(?:www\.)?github\.com$/.test(url.hostname) ? /^\/([\w.-]+\/[\w.-]+?)(?:\.git)?\/?$/.exec(url.pathname) : null;
    if (github !== null) return `github:${github[1]}#${commit}`;
    url.username = '';
    url.password = '';
    return `git+${url.href}#${commit}`;
  } catch {
    return 'github:<owner>/<repo>#<commit>';
  }
}

/** Whether the repository's package.json lists ct (dependencies or devDependencies). */
export function ctIsDependency(root: string): boolean {
  try {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    return pkg.dependencies?.[CT_PACKAGE] !== undefined || pkg.devDependencies?.[CT_PACKAGE] !== undefined;
  } catch {
    return false;
  }
}
