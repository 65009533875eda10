/**
 * A registry as it is in a git commit, read as data: trees and blobs through `git ls-tree`
 * and `git cat-file`, never checked out and never executed. `ct verify --head` reads a
 * promotion pull request's files this way, so the commit it judges cannot change the code
 * that judges it.
 */
import { execFileSync } from 'node:child_process';
import { UserError } from '../errors.js';

/** A file of a tree: its git mode (`100644`, `100755`, `120000` a link, `160000` a submodule) and blob id. */
export interface TreeEntry {
  mode: string;
  type: string;
  oid: string;
}

/** The files under one folder of a commit, by path relative to that folder, and their contents on demand. */
export interface RegistryTree {
  /** The commit. */
  commit: string;
  files: ReadonlyMap<string, TreeEntry>;
  /** The bytes of the file at `relative` (a UserError when the tree has no such file). */
  read(relative: string): Buffer;
}

/** One path a commit range changes: `A`dded, `M`odified, `D`eleted, `T`ype changed. */
export interface ChangedPath {
  status: string;
  path: string;
}

/** Large enough for model weights. */
const MAX_BUFFER = 1 << 30;

function git(repo: string, args: readonly string[], what: string): Buffer {
  try {
    return execFileSync('git', args, {
      cwd: repo,
      maxBuffer: MAX_BUFFER,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim().split('\n')[0] ?? '';
    throw new UserError(`git: ${what}${stderr === '' ? '' : `: ${stderr}`}`, { cause: error });
  }
}

/** The top folder of the git work tree holding `dir`. */
export function repositoryRoot(dir: string): string {
  return git(dir, ['rev-parse', '--show-toplevel'], `${dir} is not in a git work tree`).toString().trim();
}

/** The commit `rev` names in `repo` (a UserError when it names none). */
export function resolveCommit(repo: string, rev: string): string {
  if (rev.startsWith('-')) throw new UserError(`--head: "${rev}" is not a git revision`);
  return git(repo, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], `no commit "${rev}" in ${repo}`)
    .toString()
    .trim();
}

/** The newest commit both `a` and `b` descend from. */
export function mergeBase(repo: string, a: string, b: string): string {
  return git(repo, ['merge-base', a, b], `commits ${a} and ${b} share no history`).toString().trim();
}

/** The paths that differ between two commits (renames as a deletion and an addition). */
export function changedPaths(repo: string, from: string, to: string): ChangedPath[] {
  const fields = git(repo, ['diff', '--name-status', '--no-renames', '-z', from, to, '--'], `cannot compare ${from} with ${to}`).toString().split('\0');
  const out: ChangedPath[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) out.push({ status: fields[i]!, path: fields[i + 1]! });
  return out;
}

/** The files under `folder` (a repository-relative path) in `commit`. */
export function registryTree(repo: string, commit: string, folder: string): RegistryTree {
  const prefix = folder.replace(/\/+$/, '') + '/';
  const listing = git(repo, ['ls-tree', '-r', '-z', '--full-tree', commit, '--', prefix], `cannot list ${prefix} in ${commit}`).toString();
  const files = new Map<string, TreeEntry>();
  for (const line of listing.split('\0')) {
    if (line === '') continue;
    const tab = line.indexOf('\t');
    const [mode, type, oid] = line.slice(0, tab).split(' ') as [string, string, string];
    const path = line.slice(tab + 1);
    if (path.startsWith(prefix)) files.set(path.slice(prefix.length), { mode, type, oid });
  }
  return {
    commit,
    files,
    read(relative: string): Buffer {
      const entry = files.get(relative);
      if (entry === undefined || entry.type !== 'blob') throw new UserError(`${commit.slice(0, 12)}: no file ${prefix}${relative}`);
      return git(repo, ['cat-file', 'blob', entry.oid], `cannot read ${prefix}${relative} in ${commit}`);
    },
  };
}
