/**
 * `ct init --upgrade`: the repository's workflows pinned to the bundled actions of the
 * running ct's release (or `--actions <owner>/<repo>@<sha>`), each change said.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../files.js';
import { actionsSource } from '../init/ct-package.js';
import { repinWorkflow } from '../init/upgrade.js';
import type { Logger } from '../logger.js';
import { CT_PACKAGE, CT_ROOT } from '../package.js';

export interface UpgradeResult {
  /** The pin the workflows have now: `owner/repo@sha # version`. */
  to: string;
  /** Per workflow file changed (relative to the repository): the pins it had and how many steps each. */
  changed: Array<{ file: string; from: Record<string, number> }>;
}

/** ct's stage actions: the folders of its package's actions/ that hold an action.yml. */
function ctStages(): string[] {
  const dir = path.join(CT_ROOT, 'actions');
  return readdirSync(dir).filter((name) => existsSync(path.join(dir, name, 'action.yml')));
}

/**
 * Rewrites every pin of ct's actions in `.github/workflows/` to the target release.
 *
 * @throws UserError when there is no release to pin to, or no workflow pins ct's actions
 */
export function runUpgrade(options: { cwd?: string; actions?: string }, logger: Logger): UpgradeResult {
  const root = path.resolve(options.cwd ?? process.cwd());
  const source = actionsSource(options.actions);
  if (source.kind !== 'remote')
    throw new UserError(
      options.actions === 'npm'
        ? `--upgrade pins the workflows to a release of ct's bundled actions; workflows that run ct from node_modules follow package-lock.json: npm install --save-dev ${CT_PACKAGE}@latest`
        : `--upgrade: this ct was not installed from a release (its package has no release.json): give the commit to pin, --actions <owner>/<repo>@<sha>`,
    );
  const target = { repo: source.repo, sha: source.sha, version: source.version };
  const to = `${target.repo}@${target.sha} # ${target.version}`;
  const dir = path.join(root, '.github/workflows');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)) : [];
  const stages = ctStages();
  const changed: UpgradeResult['changed'] = [];
  let pinned = 0;
  for (const file of files.sort()) {
    const before = readFileSync(path.join(dir, file), 'utf8');
    const { text, replaced } = repinWorkflow(before, stages, target);
    pinned += replaced.size;
    if (text === before) continue;
    writeFileAtomic(path.join(dir, file), text);
    changed.push({ file: `.github/workflows/${file}`, from: Object.fromEntries(replaced) });
    const steps = [...replaced.values()].reduce((a, b) => a + b, 0);
    logger.info(`.github/workflows/${file}: ${steps} step${steps === 1 ? '' : 's'} from ${[...replaced.keys()].join(', ')} -> ${to}`);
  }
  if (pinned === 0)
    throw new UserError(
      `--upgrade: no workflow in .github/workflows pins ct's actions (<owner>/<repo>/actions/<stage>@<sha>); workflows that run ct from node_modules follow package-lock.json: npm install --save-dev ${CT_PACKAGE}@latest`,
    );
  if (changed.length === 0) logger.info(`the workflows already pin ${to}`);
  return { to, changed };
}
