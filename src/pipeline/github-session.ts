/**
 * What every GitHub-facing command sets up first: the repository root, its remote, the
 * GitHub target and token (registered as a secret), the API client, and where the
 * registry sits inside the repository.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { GitHubApi, gitHubTarget, type GitHubTarget, type RetryOptions } from '../github/api.js';
import { type BranchCommitOptions, remoteUrl as remoteUrlOf, repositoryRoot } from '../github/git.js';
import { registryPath, type StageContext } from './context.js';

export interface GitHubSession {
  /** Root of the git repository holding the config. */
  root: string;
  target: GitHubTarget;
  api: GitHubApi;
  /** Token for git over https; null for remotes that need none (ssh, local paths in tests). */
  auth: BranchCommitOptions['auth'];
  /** The registry folder relative to the repository root. */
  registryInRepo: string;
}

/** Opens a session for the config's repository and `promotion.remote`. */
export async function openGitHubSession(ctx: StageContext, env: NodeJS.ProcessEnv, retry?: Partial<RetryOptions>): Promise<GitHubSession> {
  const { config } = ctx.loaded;
  const root = await repositoryRoot(ctx.loaded.baseDir);
  const remoteUrl = (await remoteUrlOf(root, config.promotion.remote)) ?? '';
  const target = gitHubTarget(env, remoteUrl === '' ? null : remoteUrl);
  ctx.logger.secret?.(target.token);
  const api = new GitHubApi(target, ctx.logger, retry);
  // git reports the root with symlinks resolved (/private/var on macOS): resolve ours too.
  const registryInRepo = path.relative(root, path.resolve(realpathSync(ctx.loaded.baseDir), config.registry.path));
  if (registryInRepo.startsWith('..') || path.isAbsolute(registryInRepo))
    throw new UserError(`registry.path ${registryPath(ctx)} is outside the git repository ${root}`);
  const auth = /^https?:/.test(remoteUrl) ? { serverUrl: target.serverUrl, token: target.token } : null;
  return { root, target, api, auth, registryInRepo };
}
