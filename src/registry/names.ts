/**
 * What a registry may name. Version ids, model names and file names come from files a
 * pull request can change (production.json, history.jsonl, .pending.json), and each
 * becomes a path segment: only plain names pass, so no `..`, separator or hidden name
 * reaches the file system, and nothing ct reads, verifies or deletes is outside the registry.
 */
import { lstatSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';

/** A plain path segment: letters, digits, `.`, `_`, `-`; not starting with `.` or `-`; at most 128 characters. */
const PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** `name` when it is a plain path segment, else a UserError naming where it came from. */
export function plainName(name: unknown, what: string, source: string): string {
  if (typeof name !== 'string' || !PLAIN_NAME.test(name)) {
    throw new UserError(`${source}: ${what} ${JSON.stringify(name)} is not a plain name (letters, digits, ".", "_", "-"; no path)`);
  }
  return name;
}

/** The file names of a checksum map, each a plain name. */
export function plainFileNames(files: unknown, source: string): Record<string, string> {
  if (typeof files !== 'object' || files === null || Array.isArray(files)) throw new UserError(`${source}: "files" must map file names to checksums`);
  for (const [name, sum] of Object.entries(files)) {
    plainName(name, 'file name', source);
    if (typeof sum !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(sum)) throw new UserError(`${source}: the checksum of ${name} is not sha256:<64 hex digits>`);
  }
  return files as Record<string, string>;
}

/**
 * Refuses a symbolic link at `file` or at any folder between `root` and it: a link could
 * point a verified name at content outside the registry.
 */
export function refuseLinks(root: string, file: string, source: string): void {
  const relative = path.relative(root, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) throw new UserError(`${source}: ${file} is outside the registry ${root}`);
  let at = root;
  for (const part of relative.split(path.sep)) {
    at = path.join(at, part);
    const stat = lstatSync(at, { throwIfNoEntry: false });
    if (stat === undefined) return; // Missing: the caller reports it.
    if (stat.isSymbolicLink()) throw new UserError(`${source}: ${at} is a symbolic link; the registry holds plain files only`);
  }
}
