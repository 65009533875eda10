/**
 * The git side of promotion by pull request, with simple-git: one commit on a branch
 * made from the tip of the base branch, in a temporary worktree (the user's working
 * tree is never touched), pushed to the remote.
 *
 * The token never reaches the remote URL, the git config on disk or the command line:
 * it travels per process as `http.<server>/.extraheader` through GIT_CONFIG_COUNT /
 * GIT_CONFIG_KEY_n / GIT_CONFIG_VALUE_n (git >= 2.31).
 *
 * The push is atomic with a lease on the base branch: it is rejected when the base moved
 * since the commit was made, so the branch always starts at the base's tip and the
 * pointer change merges cleanly. Then the commit is made again on the new tip (the caller
 * re-checks production there) and pushed once more; a second rejection is an error. The
 * branch itself carries a lease too: when another run pushed it meanwhile, this run stops
 * with an error instead of replacing that run's proposal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type SimpleGit, simpleGit } from 'simple-git';
import type { GitIdentity } from '../config/types.js';
import { UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import { findRepositoryRoot } from '../files.js';

/** Environment variables ct sets for git. */
const CT_GIT_ENVIRONMENT = [
  'GIT_CONFIG_COUNT',
  'GIT_CONFIG_KEY_0',
  'GIT_CONFIG_VALUE_0',
  'GIT_CONFIG_KEY_1',
  'GIT_CONFIG_VALUE_1',
  'GIT_AUTHOR_NAME',
  'GIT_AUTHOR_EMAIL',
  'GIT_COMMITTER_NAME',
  'GIT_COMMITTER_EMAIL',
  'GIT_TERMINAL_PROMPT',
];

/**
 * Ambient GIT_* variables kept (e.g. GIT_SSL_CAINFO behind a proxy), except those that
 * would point git at another repository or inject config.
 */
function ambientGitEnvironment(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    const upper = key.toUpperCase();
    if (!upper.startsWith('GIT_') || value === undefined) continue;
    if (
      /^GIT_(DIR|WORK_TREE|INDEX_FILE|OBJECT_DIRECTORY|COMMON_DIR|NAMESPACE|CONFIG.*|AUTHOR_.*|COMMITTER_.*|EXEC_PATH|SSH.*|ASKPASS|PROXY_COMMAND|EXTERNAL_DIFF|EDITOR|SEQUENCE_EDITOR|PAGER|TEMPLATE_DIR)$/.test(
        upper,
      )
    )
      continue;
    out[key] = value;
  }
  return out;
}

export interface BranchCommitOptions {
  /** Any folder inside the workspace repository. */
  repoDir: string;
  remote: string;
  base: string;
  branch: string;
  message: string;
  author: GitIdentity;
  committer: GitIdentity;
  /** Token for an https remote on `serverUrl`; null when the remote needs none (tests, ssh). */
  auth: { serverUrl: string; token: string } | null;
  /**
   * Writes the change into `worktree` (a checkout of the base tip `baseSha`). Called again
   * when the base moved; it may throw (e.g. production changed on the base).
   */
  apply: (worktree: string, baseSha: string) => void | Promise<void>;
  /**
   * Where this run last saw or pushed `branch` ('' for nowhere). Default: wherever the
   * remote has it now. If another run pushes the branch meanwhile, the push is refused
   * with an error rather than replacing that run's commit.
   */
  branchAt?: string;
  logger: Logger;
}

export interface BranchCommit {
  /** The pushed commit. */
  sha: string;
  /** The base tip it was made on. */
  baseSha: string;
  /** True when the base moved once and the commit was made again on its new tip. */
  rebased: boolean;
  /** Repository root of the workspace. */
  root: string;
}

/** A simple-git instance for `dir` with ct's environment (auth header, identities). */
function git(dir: string, env: Record<string, string>): SimpleGit {
  // Editors, pagers and askpass helpers are never needed (nothing here is interactive), and
  // simple-git refuses to pass them on; npm sets EDITOR for scripts, for one.
  const base: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(GIT_.*|EDITOR|VISUAL|PAGER|PREFIX|SSH_ASKPASS)$/i.test(key)) base[key] = value;
  }
  const ambient = ambientGitEnvironment();
  // GIT_CONFIG_COUNT is how the token reaches git without touching disk; ct alone sets it,
  // to the extraheader only, so simple-git's guard against it is lifted here.
  return simpleGit({ baseDir: dir, allowEnvironment: [...CT_GIT_ENVIRONMENT, ...Object.keys(ambient)], unsafe: { allowUnsafeConfigEnvCount: true } }).env({
    ...base,
    ...ambient,
    GIT_TERMINAL_PROMPT: '0',
    ...env,
  });
}

/** Per-process git config carrying the token as an HTTP header for `serverUrl` only. */
export function authEnvironment(auth: BranchCommitOptions['auth']): Record<string, string> {
  if (auth === null) return {};
  const basic = Buffer.from(`x-access-token:${auth.token}`).toString('base64');
  const key = `http.${auth.serverUrl.replace(/\/$/, '')}/.extraheader`;
  // An empty value first clears headers set elsewhere (actions/checkout persists its own
  // in .git/config): two Authorization headers would make the server refuse the push.
  return { GIT_CONFIG_COUNT: '2', GIT_CONFIG_KEY_0: key, GIT_CONFIG_VALUE_0: '', GIT_CONFIG_KEY_1: key, GIT_CONFIG_VALUE_1: `AUTHORIZATION: basic ${basic}` };
}

/**
 * A simple-git instance for the repository holding `dir`, for reading (no credentials):
 * the one way ct runs git outside a push.
 */
export function gitAt(dir: string): SimpleGit {
  return git(dir, {});
}

/** Repository root of the folder `dir`; a clear error outside a repository. */
export async function repositoryRoot(dir: string): Promise<string> {
  const root = findRepositoryRoot(dir);
  if (root === null) throw new UserError(`${dir} is not inside a git repository: promotion by pull request needs one (git init, add a remote)`);
  return root;
}

/** The URL of the remote `name` of the repository at `root`; null when it has none. */
export async function remoteUrl(root: string, name: string): Promise<string | null> {
  const url =
    (
      await gitAt(root)
        .remote(['get-url', name])
        .catch(() => '')
    )?.trim() ?? '';
  return url === '' ? null : url;
}

/** The commit, branch and dirtiness of the repository holding `dir`; null outside a repository. */
export async function gitInfo(dir: string): Promise<{ commit: string; branch: string | null; dirty: boolean } | null> {
  try {
    const g = gitAt(dir);
    if (!(await g.checkIsRepo())) return null;
    const commit = (await g.revparse(['HEAD'])).trim();
    const status = await g.status();
    return { commit, branch: status.current ?? null, dirty: !status.isClean() };
  } catch {
    // No git binary, or a repository without commits: lineage without a commit.
    return null;
  }
}

/** Commits the change made by `options.apply` on top of the base branch and pushes it to `options.branch`. */
export async function commitToBranch(options: BranchCommitOptions): Promise<BranchCommit> {
  const root = await repositoryRoot(options.repoDir);
  const env = authEnvironment(options.auth);
  const repo = git(root, env);
  const remotes = await repo.getRemotes();
  if (!remotes.some((r) => r.name === options.remote)) {
    throw new UserError(
      `git remote "${options.remote}" does not exist in ${root} (promotion.remote; remotes: ${remotes.map((r) => r.name).join(', ') || 'none'})`,
    );
  }
  // Read once: a retry after the base moved must not take over a push another run made meanwhile.
  const lease = options.branchAt ?? (await remoteBranchSha(repo, options.remote, options.branch));
  for (let attempt = 1; ; attempt++) {
    const baseSha = await fetchBase(repo, options);
    const worktree = mkdtempSync(path.join(tmpdir(), 'ct-promote-'));
    try {
      await repo.raw(['worktree', 'add', '--detach', worktree, baseSha]);
      await options.apply(worktree, baseSha);
      const tree = git(worktree, {
        ...env,
        GIT_AUTHOR_NAME: options.author.name,
        GIT_AUTHOR_EMAIL: options.author.email,
        GIT_COMMITTER_NAME: options.committer.name,
        GIT_COMMITTER_EMAIL: options.committer.email,
      });
      await tree.raw(['add', '--all']);
      const staged = (await tree.raw(['diff', '--cached', '--name-only'])).trim();
      if (staged === '') throw new UserError(`nothing to commit: the base branch ${options.base} already holds this change`);
      await tree.raw(['commit', '--quiet', '--no-verify', '-m', options.message]);
      const sha = (await tree.revparse(['HEAD'])).trim();
      const pushed = await push(tree, options, baseSha, lease);
      if (pushed === null) return { sha, baseSha, rebased: attempt > 1, root };
      const branchNow = options.base === options.branch ? lease : await remoteBranchSha(repo, options.remote, options.branch);
      if (branchNow !== lease) {
        throw new UserError(
          `another run pushed ${options.branch} to ${options.remote} while this one was preparing it (now at ${branchNow.slice(0, 7) || 'deleted'}); nothing was pushed, run again to propose this change instead`,
        );
      }
      if (attempt >= 2) throw new UserError(`git push of ${options.branch} to ${options.remote} was rejected twice: ${pushed}`);
      options.logger.warning(`git push rejected (${pushed}); fetching ${options.base} and trying once more`);
    } finally {
      await repo.raw(['worktree', 'remove', '--force', worktree]).catch(() => undefined);
      rmSync(worktree, { recursive: true, force: true });
      await repo.raw(['worktree', 'prune']).catch(() => undefined);
    }
  }
}

async function fetchBase(repo: SimpleGit, options: BranchCommitOptions): Promise<string> {
  const tracking = `refs/remotes/${options.remote}/${options.base}`;
  try {
    await repo.raw(['fetch', '--quiet', '--no-tags', options.remote, `+refs/heads/${options.base}:${tracking}`]);
  } catch (error) {
    throw new UserError(`git fetch of ${options.base} from ${options.remote} failed: ${firstLine(error)}`);
  }
  return (await repo.revparse([tracking])).trim();
}

/**
 * A file of a branch on the remote: fetched (with the token of `auth`) and read at the
 * branch's tip. `exists` is false when the branch does not exist; `content` is null when
 * the file does not.
 */
export async function readRemoteFile(options: {
  repoDir: string;
  remote: string;
  branch: string;
  file: string;
  auth: BranchCommitOptions['auth'];
}): Promise<{ exists: boolean; content: string | null }> {
  const root = await repositoryRoot(options.repoDir);
  const repo = git(root, authEnvironment(options.auth));
  if ((await remoteBranchSha(repo, options.remote, options.branch)) === '') return { exists: false, content: null };
  const tracking = `refs/remotes/${options.remote}/${options.branch}`;
  try {
    await repo.raw(['fetch', '--quiet', '--no-tags', options.remote, `+refs/heads/${options.branch}:${tracking}`]);
  } catch (error) {
    throw new UserError(`git fetch of ${options.branch} from ${options.remote} failed: ${firstLine(error)}`);
  }
  const content = await repo.raw(['show', `${tracking}:${options.file.split(path.sep).join('/')}`]).catch(() => null);
  return { exists: true, content };
}

/** Sha of a branch on the remote, '' when it does not exist (the lease then requires that it still does not). */
async function remoteBranchSha(repo: SimpleGit, remote: string, branch: string): Promise<string> {
  const out = await repo.raw(['ls-remote', remote, `refs/heads/${branch}`]);
  return out.trim().split(/\s+/)[0] ?? '';
}

/**
 * Pushes HEAD to the branch atomically with the base left where it was: both refs carry a
 * lease, so the push fails if the base moved or someone else pushed the branch. Returns
 * null on success, else git's reason.
 */
async function push(tree: SimpleGit, options: BranchCommitOptions, baseSha: string, lease: string): Promise<string | null> {
  // A branch that grows on itself (base = branch, e.g. a history branch): one ref, leased at the tip the commit was made on.
  const refs =
    options.base === options.branch
      ? [`--force-with-lease=refs/heads/${options.branch}:${baseSha}`, options.remote, `HEAD:refs/heads/${options.branch}`]
      : [
          `--force-with-lease=refs/heads/${options.base}:${baseSha}`,
          `--force-with-lease=refs/heads/${options.branch}:${lease}`,
          options.remote,
          `${baseSha}:refs/heads/${options.base}`,
          // No '+': a forced refspec would override the lease; the lease alone allows the rewrite.
          `HEAD:refs/heads/${options.branch}`,
        ];
  try {
    await tree.raw(['push', '--porcelain', '--atomic', ...refs]);
    return null;
  } catch (error) {
    const message = firstLine(error);
    if (/rejected|stale info|failed to push|atomic/i.test(String(error))) return message;
    throw new UserError(`git push of ${options.branch} to ${options.remote} failed: ${message}`);
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return lines.find((l) => /rejected|error|fatal|stale/i.test(l)) ?? lines[0] ?? 'unknown error';
}
