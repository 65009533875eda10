/**
 * The few GitHub REST calls promotion needs, through `@actions/github`'s Octokit, with
 * retries where they are safe and one clear line when GitHub says no.
 *
 * Endpoints and the permission each needs (GITHUB_TOKEN in a workflow):
 *   GET   /repos/{owner}/{repo}                          metadata: read (default branch)
 *   GET   /repos/{owner}/{repo}/pulls                    pull-requests: read
 *   POST  /repos/{owner}/{repo}/pulls                    pull-requests: write
 *   PATCH /repos/{owner}/{repo}/pulls/{pull_number}      pull-requests: write
 *   POST  /repos/{owner}/{repo}/issues/{n}/labels        pull-requests: write (issues: write also works)
 *   POST  /repos/{owner}/{repo}/check-runs               checks: write (GitHub App tokens only)
 *   POST  /repos/{owner}/{repo}/statuses/{sha}           statuses: write (fallback for personal tokens)
 */
import { getOctokit } from '@actions/github';
import { UserError } from '../errors.js';
import type { Logger } from '../logger.js';

/** Where the repository is and how to reach it. */
export interface GitHubTarget {
  apiUrl: string;
  serverUrl: string;
  owner: string;
  repo: string;
  token: string;
  /** URL of the workflow run, when running on GitHub Actions. */
  runUrl: string | null;
}

/** URL of the GitHub Actions run this process is part of, or null outside Actions. */
export function workflowRunUrl(env: NodeJS.ProcessEnv): string | null {
  const { GITHUB_REPOSITORY: slug, GITHUB_RUN_ID: run } = env;
  if (slug === undefined || run === undefined) return null;
  return `${(env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/$/, '')}/${slug}/actions/runs/${run}`;
}

/**
 * The repository to promote into, from the Actions environment (GITHUB_REPOSITORY,
 * GITHUB_API_URL, GITHUB_SERVER_URL, GITHUB_TOKEN / GH_TOKEN), or else from the
 * remote's URL (github.com/<owner>/<repo>).
 */
export function gitHubTarget(env: NodeJS.ProcessEnv, remoteUrl: string | null): GitHubTarget {
  const token = env.GITHUB_TOKEN ?? env.GH_TOKEN;
  if (token === undefined || token === '') {
    throw new UserError('promotion by pull request needs a token in GITHUB_TOKEN (in a workflow: env: GITHUB_TOKEN: ${{ github.token }}, with permissions contents: write and pull-requests: write)');
  }
  const serverUrl = (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/$/, '');
  let slug = env.GITHUB_REPOSITORY;
  if (slug === undefined && remoteUrl !== null) {
    const m = /github\.com[:/]([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(remoteUrl);
    if (m !== null) slug = `${m[1]}/${m[2]}`;
  }
  if (slug === undefined || !/^[^/\s]+\/[^/\s]+$/.test(slug)) {
    throw new UserError('cannot tell which GitHub repository to open the pull request in: set GITHUB_REPOSITORY=<owner>/<repo> (Actions sets it)');
  }
  const [owner, repo] = slug.split('/') as [string, string];
  return {
    apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/$/, ''),
    serverUrl,
    owner,
    repo,
    token,
    runUrl: workflowRunUrl(env),
  };
}

export interface PullRequest {
  number: number;
  url: string;
}

export interface RetryOptions {
  /** Attempts in all, for calls that are safe to repeat. */
  attempts: number;
  /** First backoff; doubles each time. */
  baseDelayMs: number;
  /** Longest wait honoured from a `retry-after` header. */
  maxDelayMs: number;
}

const DEFAULT_RETRY: RetryOptions = { attempts: 4, baseDelayMs: 1000, maxDelayMs: 60_000 };

interface OctokitError {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
}

/** A thin client: each method is one endpoint, retried when that is safe. */
export class GitHubApi {
  private readonly octokit: ReturnType<typeof getOctokit>;
  private readonly retry: RetryOptions;

  constructor(
    readonly target: GitHubTarget,
    private readonly logger: Logger,
    retry: Partial<RetryOptions> = {},
  ) {
    this.octokit = getOctokit(target.token, { baseUrl: target.apiUrl, log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} } });
    this.retry = { ...DEFAULT_RETRY, ...retry };
  }

  private get repoParams(): { owner: string; repo: string } {
    return { owner: this.target.owner, repo: this.target.repo };
  }

  /** The repository's default branch. */
  async defaultBranch(): Promise<string> {
    const { data } = await this.call('GET /repos/{owner}/{repo}', () => this.octokit.request('GET /repos/{owner}/{repo}', this.repoParams));
    return data.default_branch;
  }

  /** The open pull request from `branch` into `base`, if there is one. */
  async findOpenPull(branch: string, base: string): Promise<PullRequest | null> {
    const { data } = await this.call('GET /repos/{owner}/{repo}/pulls', () =>
      this.octokit.request('GET /repos/{owner}/{repo}/pulls', { ...this.repoParams, state: 'open', head: `${this.target.owner}:${branch}`, base, per_page: 10 }),
    );
    const pull = data.find((p) => p.head.ref === branch);
    return pull === undefined ? null : { number: pull.number, url: pull.html_url };
  }

  /**
   * Opens a pull request. Creating is not repeated blindly: after a failure the open
   * pull requests are listed first, and one that exists (created by the failed call, or
   * by a concurrent run: GitHub's 422 "already exists") is returned instead.
   */
  async createPull(input: { title: string; body: string; head: string; base: string }): Promise<{ pull: PullRequest; created: boolean }> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { data } = await this.octokit.request('POST /repos/{owner}/{repo}/pulls', { ...this.repoParams, ...input, maintainer_can_modify: true });
        return { pull: { number: data.number, url: data.html_url }, created: true };
      } catch (error) {
        const e = error as OctokitError;
        const exists = e.status === 422 && /already exists/i.test(JSON.stringify(e.response?.data ?? e.message ?? ''));
        if (exists || this.retryable(e)) {
          const found = await this.findOpenPull(input.head, input.base);
          if (found !== null) return { pull: found, created: false };
        }
        if (!this.retryable(e) || attempt >= this.retry.attempts) throw this.explain('POST /repos/{owner}/{repo}/pulls', e);
        await this.pause(e, attempt);
      }
    }
  }

  /** Replaces the title and body of a pull request. */
  async updatePull(number: number, input: { title: string; body: string }): Promise<void> {
    await this.call('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', () => this.octokit.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', { ...this.repoParams, pull_number: number, ...input }));
  }

  /** Adds labels (adding is idempotent). */
  async addLabels(number: number, labels: readonly string[]): Promise<void> {
    if (labels.length === 0) return;
    await this.call('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', () =>
      this.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', { ...this.repoParams, issue_number: number, labels: [...labels] }),
    );
  }

  /**
   * Reports the gate verdict on a commit as a check run named `name`; where the token
   * cannot create check runs (only GitHub Apps can: a personal token gets 403), as a
   * commit status with the same context instead.
   */
  async reportVerdict(sha: string, verdict: { name: string; passed: boolean; title: string; summary: string; detailsUrl: string | null }): Promise<'check-run' | 'status'> {
    try {
      await this.call('POST /repos/{owner}/{repo}/check-runs', () =>
        this.octokit.request('POST /repos/{owner}/{repo}/check-runs', {
          ...this.repoParams,
          name: verdict.name,
          head_sha: sha,
          status: 'completed',
          conclusion: verdict.passed ? 'success' : 'failure',
          ...(verdict.detailsUrl === null ? {} : { details_url: verdict.detailsUrl }),
          output: { title: verdict.title, summary: verdict.summary },
        }),
      );
      return 'check-run';
    } catch (error) {
      if (!(error instanceof UserError) || !/ answered (403|404)/.test(error.message)) throw error;
      this.logger.debug(`check runs are not available to this token (${error.message}); reporting a commit status`);
    }
    await this.call('POST /repos/{owner}/{repo}/statuses/{sha}', () =>
      this.octokit.request('POST /repos/{owner}/{repo}/statuses/{sha}', {
        ...this.repoParams,
        sha,
        state: verdict.passed ? 'success' : 'failure',
        context: verdict.name,
        description: verdict.title.slice(0, 140),
        ...(verdict.detailsUrl === null ? {} : { target_url: verdict.detailsUrl }),
      }),
    );
    return 'status';
  }

  /** Runs an idempotent call, retrying 5xx, connection errors and rate limits. */
  private async call<T>(route: string, run: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (error) {
        const e = error as OctokitError;
        if (!this.retryable(e) || attempt >= this.retry.attempts) throw this.explain(route, e);
        await this.pause(e, attempt);
      }
    }
  }

  private retryable(e: OctokitError): boolean {
    if (e.status === undefined || e.status >= 500) return true;
    if (e.status === 429) return true;
    // Secondary rate limits answer 403 with retry-after or a message saying so.
    return e.status === 403 && (e.response?.headers?.['retry-after'] !== undefined || /rate limit/i.test(e.message ?? ''));
  }

  private async pause(e: OctokitError, attempt: number): Promise<void> {
    const after = Number(e.response?.headers?.['retry-after']);
    const delay = Math.min(this.retry.maxDelayMs, Number.isFinite(after) && after >= 0 ? after * 1000 : this.retry.baseDelayMs * 2 ** (attempt - 1));
    this.logger.warning(`GitHub API: ${e.status ?? 'connection error'}${e.message ? ` (${firstLine(e.message)})` : ''}; retrying in ${(delay / 1000).toFixed(1)} s`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }

  /** One line a person can act on. */
  private explain(route: string, e: OctokitError): UserError {
    const where = route.replace('{owner}/{repo}', `${this.target.owner}/${this.target.repo}`);
    const said = firstLine(e.message ?? 'no message');
    const hint =
      e.status === 401
        ? ': the token is invalid or expired'
        : e.status === 403
          ? /pulls|labels/.test(route)
            ? ': the token needs pull-requests: write, and the repository must allow GitHub Actions to create pull requests (Settings > Actions > General)'
            : ': the token lacks the permission for this call'
          : e.status === 404
            ? ': the repository does not exist or the token cannot see it'
            : '';
    return new UserError(`GitHub API: ${where} answered ${e.status ?? 'with a connection error'}: ${said}${hint}`, { cause: e });
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 300);
}
