/**
 * Real git repositories for promotion tests: a bare repository in a temp folder as
 * `origin`, and clones of it as workspaces.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const identity = ['-c', 'user.name=Test', '-c', 'user.email=test@example.com'];

/** Runs git in `cwd` and returns its trimmed stdout. */
export function git(cwd: string, args: string[]): string {
  return execFileSync('git', [...identity, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** A bare repository whose default branch is main. */
export function bareRepository(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ct-origin-'));
  git(dir, ['init', '-q', '--bare', '-b', 'main']);
  return dir;
}

/** A clone of `origin` in a new temp folder. */
export function cloneOf(origin: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ct-workspace-'));
  git(dir, ['clone', '-q', origin, '.']);
  return dir;
}

/** Commits everything in `workspace` and pushes it to origin's main. */
export function commitAndPush(workspace: string, message: string): string {
  git(workspace, ['add', '-A']);
  git(workspace, ['commit', '-q', '-m', message]);
  git(workspace, ['push', '-q', 'origin', 'HEAD:main']);
  return git(workspace, ['rev-parse', 'HEAD']);
}

/** Sha of a branch in a (bare) repository, or null when it does not exist. */
export function branchSha(repo: string, branch: string): string | null {
  try {
    return git(repo, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]);
  } catch {
    return null;
  }
}

/** A file's content at a revision. */
export function showFile(repo: string, revision: string, file: string): string {
  return git(repo, ['show', `${revision}:${file}`]);
}

/** Every file under `dir` (recursively) whose bytes contain `needle`. */
export function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else if (s.isFile() && readFileSync(p).includes(needle)) found.push(p);
    }
  };
  walk(dir);
  return found;
}
