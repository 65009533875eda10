/**
 * ct's own package: its npm name, its version, and the release it was packed from.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** ct's name on npm (`ct` there is an unrelated package); its command stays `ct`. */
export const CT_PACKAGE = 'ct-train';

/** The release a package was packed from: written into it as `release.json` by release.yml. */
export interface CtRelease {
  /** `owner/repo` on GitHub, whose `actions/<stage>` are the bundled actions of this version. */
  repository: string;
  /** The full commit sha the release was built from: what workflows pin. */
  commit: string;
  /** `v1.2.3`. */
  version: string;
}

/** The root of the running ct's package (dist/package.js sits one level below it). */
export const CT_ROOT = path.resolve(import.meta.dirname, '..');

let version: string | undefined;

/**
 * The version of the running ct, from the nearest package.json above this module that
 * names a version: the package's own from dist/, the repository's from the bundled actions
 * (whose chunks sit at different depths; their `{ "type": "module" }` marker names none).
 */
export function ctVersion(): string {
  if (version !== undefined) return version;
  for (let dir = import.meta.dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const named = (JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version;
      if (typeof named === 'string') return (version = named);
    }
    if (path.dirname(dir) === dir) return (version = 'unknown');
  }
}

/** Splits `owner/repo@sha` (a full commit sha: what workflows pin); null when the text has another form. */
export function parseActionsSource(source: string): { repo: string; sha: string } | null {
  const m = /^([\w.-]+\/[\w.-]+)@([0-9a-f]{40})$/.exec(source);
  return m === null ? null : { repo: m[1]!, sha: m[2]! };
}

/** The release the running ct was packed from, or null for a checkout or an unreleased pack. */
export function ctRelease(root = CT_ROOT): CtRelease | null {
  let parsed: Partial<CtRelease>;
  try {
    parsed = JSON.parse(readFileSync(path.join(root, 'release.json'), 'utf8')) as Partial<CtRelease>;
  } catch {
    return null;
  }
  const { repository, commit, version } = parsed;
  if (typeof repository !== 'string' || typeof commit !== 'string' || typeof version !== 'string') return null;
  return parseActionsSource(`${repository}@${commit}`) === null ? null : { repository, commit, version };
}
