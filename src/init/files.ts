/**
 * The files `ct init` writes into the repository: planned first, checked against what
 * exists, then written. The README and `.gitignore` are updated, not replaced; what they
 * become is pure (`withReadmeSection`, `withIgnored`).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../files.js';
import { README_MARKER } from './render.js';

/** A file ct will write: its absolute path and contents. */
export interface PlannedFile {
  file: string;
  contents: string | Uint8Array;
}

/** Repository-relative path with forward slashes. */
export function rel(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

/** Whether `file` is strictly inside the folder `root`. */
export function inside(root: string, file: string): boolean {
  const r = path.relative(root, file);
  return r !== '' && !r.startsWith('..') && !path.isAbsolute(r);
}

/**
 * The README with a ct section (`marker` first): appended to an existing README, or
 * replacing its earlier section of that marker (up to the next ct section), which
 * `replacing` reports; or a new README titled `name`.
 */
export function withReadmeSection(old: string | undefined, name: string, section: string, marker = README_MARKER): { text: string; replacing: boolean } {
  if (old === undefined) return { text: `# ${name}\n\n${section}`, replacing: false };
  const at = old.indexOf(marker);
  if (at < 0) return { text: `${old.replace(/\s*$/, '')}\n\n${section}`, replacing: false };
  const next = old.indexOf(README_MARKER.slice(0, -4), at + marker.length);
  const after = next < 0 ? '' : `\n${old.slice(next)}`;
  return { text: `${old.slice(0, at).replace(/\s*$/, '')}\n\n${section}${after}`, replacing: true };
}

/**
 * `.gitignore` with `ct run`'s artifacts (out/), the partition-history cache (.ct/) and
 * the installed packages ignored; null when it already ignores all three.
 */
export function withIgnored(ignored: string): string | null {
  const missing = ['out', '.ct', 'node_modules'].filter((dir) => !new RegExp(`^/?${dir.replace('.', '\\.')}/?$`, 'm').test(ignored)).map((dir) => `${dir}/\n`);
  return missing.length === 0 ? null : `${ignored}${ignored === '' || ignored.endsWith('\n') ? '' : '\n'}${missing.join('')}`;
}

/** A `UserError` naming the first planned file that exists, or the README's earlier ct section: nothing is overwritten without --force. */
export function refuseOverwrite(root: string, planned: readonly PlannedFile[], replacingReadme: boolean): void {
  const existing = planned.find((p) => existsSync(p.file));
  if (existing !== undefined) throw new UserError(`${rel(root, existing.file)} exists; pass --force to overwrite it`);
  if (replacingReadme) throw new UserError('README.md already has a ct init section; pass --force to replace it');
}

/** Writes the files in order, each atomically; returns their repository-relative paths. */
export function writePlanned(root: string, planned: readonly PlannedFile[]): string[] {
  return planned.map((p) => {
    writeFileAtomic(p.file, p.contents);
    return rel(root, p.file);
  });
}
