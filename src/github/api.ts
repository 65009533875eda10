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
 *
 * and for monitoring (one issue per model; a retrain is a workflow dispatch):
 *   GET   /repos/{owner}/{repo}/issues                   issues: read
 *   POST  /repos/{owner}/{repo}/issues                   issues: write
 *   PATCH /repos/{owner}/{repo}/issues/{issue_number}    issues: write
 *   GET   /repos/{owner}/{repo}/issues/{n}/comments      issues: read
 *   POST  /repos/{owner}/{repo}/issues/{n}/comments      issues: write
 *   POST  /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches   actions: write
 */
import { getOctokit } from '@actions/github';
import { UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import { fitToLimit } from '../report/pull-request.js';

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

/** Web address of `file` (a path from the repository root, `/`-separated) at commit `ref`. */
export function blobUrl(target: GitHubTarget, ref: string, file: string): string {
  return `${target.serverUrl}/${target.owner}/${target.repo}/blob/${ref}/${file}`;
}

/**
 * The repository to promote into, from the Actions environment (GITHUB_REPOSITORY,
 * GITHUB_API_URL, GITHUB_SERVER_URL, GITHUB_TOKEN / GH_TOKEN), or else from the
 * remote's URL (github.com/<owner>/<repo>).
 */
export function gitHubTarget(env: NodeJS.ProcessEnv, remoteUrl: string | null): GitHubTarget {
  const token = env.GITHUB_TOKEN ?? env.GH_TOKEN;
  if (token === undefined || token === '') {
    throw new UserError(
      'promotion by pull request needs a token in GITHUB_TOKEN (in a workflow: env: GITHUB_TOKEN: ${{ github.token }}, with permissions contents: write and pull-requests: write)',
    );
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

/** An issue as monitoring sees it. */
export interface Issue {
  number: number;
  /** The page a person opens (html_url). */
  url: string;
  title: string;
  body: string;
  state: 'open' | 'closed';
}

/** GitHub refuses issue and comment bodies longer than this (characters). */
const ISSUE_BODY_LIMIT = 65_536;

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
      this.octokit.request('GET /repos/{owner}/{repo}/pulls', {
        ...this.repoParams,
        state: 'open',
        head: `${this.target.owner}:${branch}`,
        base,
        per_page: 10,
      }),
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
    await this.call('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', () =>
      this.octokit.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', { ...this.repoParams, pull_number: number, ...input }),
    );
  }

  /** Adds labels (adding is idempotent). */
  async addLabels(number: number, labels: readonly string[]): Promise<void> {
    if (labels.length === 0) return;
    await this.call('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', () =>
      this.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', { ...this.repoParams, issue_number: number, labels: [...labels] }),
    );
  }

  /**
   * The open issue that carries all `labels` and whose body contains `marker` (an HTML
   * comment such as `<!-- ct-monitor:flight-delay -->`, so the issue is found even after
   * someone renames it); the lowest number if several do, null if none. Pull requests,
   * which GitHub lists among issues, are skipped.
   */
  async findOpenIssue(labels: readonly string[], marker: string): Promise<Issue | null> {
    const items = await this.call('GET /repos/{owner}/{repo}/issues', () =>
      this.octokit.paginate('GET /repos/{owner}/{repo}/issues', {
        ...this.repoParams,
        state: 'open',
        ...(labels.length > 0 ? { labels: labels.join(',') } : {}),
        per_page: 100,
      }),
    );
    const matching = items.filter((i) => i.pull_request === undefined && (i.body ?? '').includes(marker)).sort((a, b) => a.number - b.number);
    return matching.length === 0 ? null : toIssue(matching[0]!);
  }

  /**
   * Opens an issue (labels that do not exist yet are created by GitHub). Creating is not
   * repeated blindly: after a failure that may have created it (5xx, a reset connection)
   * the open issues are searched first, by `labels` and `marker` (default: the body's
   * first HTML comment, else the whole body), and one found is returned instead. A body
   * over GitHub's limit is cut (see `fitToLimit`), keeping the marker.
   */
  async createIssue(input: { title: string; body: string; labels: readonly string[]; marker?: string }): Promise<Issue> {
    const marker = input.marker ?? /<!--[\s\S]*?-->/.exec(input.body)?.[0];
    const body = this.fitBody(input.body, marker);
    for (let attempt = 1; ; attempt++) {
      try {
        const { data } = await this.octokit.request('POST /repos/{owner}/{repo}/issues', {
          ...this.repoParams,
          title: input.title,
          body,
          labels: [...input.labels],
        });
        return toIssue(data);
      } catch (error) {
        const e = error as OctokitError;
        if (!this.retryable(e)) throw this.explain('POST /repos/{owner}/{repo}/issues', e);
        if (ambiguous(e)) {
          const found = await this.findOpenIssue(input.labels, marker ?? body);
          if (found !== null) return found;
        }
        if (attempt >= this.retry.attempts) throw this.explain('POST /repos/{owner}/{repo}/issues', e);
        await this.pause(e, attempt);
      }
    }
  }

  /**
   * Changes what is given of an issue's title, body and state; `stateReason` says why it
   * was closed (`completed`, `not_planned`) or `reopened`. A body over GitHub's limit is
   * cut, keeping its first HTML comment (the marker).
   */
  async updateIssue(
    number: number,
    input: { title?: string; body?: string; state?: 'open' | 'closed'; stateReason?: 'completed' | 'not_planned' | 'reopened' },
  ): Promise<void> {
    const { stateReason, body, ...rest } = input;
    await this.call('PATCH /repos/{owner}/{repo}/issues/{issue_number}', () =>
      this.octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
        ...this.repoParams,
        issue_number: number,
        ...rest,
        ...(body === undefined ? {} : { body: this.fitBody(body, /<!--[\s\S]*?-->/.exec(body)?.[0]) }),
        ...(stateReason === undefined ? {} : { state_reason: stateReason }),
      }),
    );
  }

  /**
   * Comments on an issue. After a failure that may have posted it (5xx, a reset
   * connection) the issue's recent comments are checked for the same text before trying
   * again, so a retry does not post it twice.
   */
  async commentOnIssue(number: number, body: string): Promise<void> {
    const text = this.fitBody(body, undefined);
    // GitHub's clock, not ours, stamps the comment: look back generously.
    const since = new Date(Date.now() - 10 * 60_000).toISOString();
    const route = 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments';
    for (let attempt = 1; ; attempt++) {
      try {
        await this.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...this.repoParams, issue_number: number, body: text });
        return;
      } catch (error) {
        const e = error as OctokitError;
        if (!this.retryable(e)) throw this.explain(route, e);
        if (ambiguous(e)) {
          const recent = await this.call('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', () =>
            this.octokit.paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
              ...this.repoParams,
              issue_number: number,
              since,
              per_page: 100,
            }),
          );
          if (recent.some((c) => c.body === text)) return;
        }
        if (attempt >= this.retry.attempts) throw this.explain(route, e);
        await this.pause(e, attempt);
      }
    }
  }

  /**
   * Starts the workflow `workflow` (its file name, e.g. `ct.yml`) on `ref` with `inputs`
   * (GitHub answers 204). Retried like an idempotent call: a dispatch repeated after an
   * ambiguous 5xx queues at most one more run, which ct.yml's concurrency group
   * serialises. A 404 (no such workflow on `ref`, or a token without actions: write) and
   * a 422 (inputs the workflow does not declare, an unknown ref) are one line each.
   */
  async dispatchWorkflow(workflow: string, ref: string, inputs: Record<string, string>): Promise<void> {
    const route = 'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches';
    try {
      await this.call(route.replace('{workflow_id}', workflow), () => this.octokit.request(route, { ...this.repoParams, workflow_id: workflow, ref, inputs }));
    } catch (error) {
      const e = (error instanceof UserError ? error.cause : undefined) as OctokitError | undefined;
      const where = `GitHub API: dispatching workflow ${workflow} on ${ref} in ${this.target.owner}/${this.target.repo}`;
      if (e?.status === 404) {
        throw new UserError(
          `${where} answered 404 (Not Found): .github/workflows/${workflow} must exist on ${ref} (with on: workflow_dispatch), and the token needs actions: write`,
          { cause: e },
        );
      }
      if (e?.status === 422) {
        const data = e.response?.data;
        const said = isRecord(data) && typeof data.message === 'string' ? data.message : (e.message ?? 'Unprocessable Entity');
        throw new UserError(`${where} answered 422: ${firstLine(said)}`, { cause: e });
      }
      throw error;
    }
  }

  /**
   * Reports the gate verdict on a commit as a check run named `name`; where the token
   * cannot create check runs (only GitHub Apps can: a personal token gets 403), as a
   * commit status with the same context instead.
   */
  async reportVerdict(
    sha: string,
    verdict: { name: string; passed: boolean; title: string; summary: string; detailsUrl: string | null },
  ): Promise<'check-run' | 'status'> {
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
    this.logger.warning(
      `GitHub API: ${e.status ?? 'connection error'}${e.message ? ` (${firstLine(e.message)})` : ''}; retrying in ${(delay / 1000).toFixed(1)} s`,
    );
    await new Promise((resolve) => setTimeout(resolve, delay));
  }

  /** `body` cut to GitHub's limit (linking to the workflow run for the rest), still containing `marker`. */
  private fitBody(body: string, marker: string | undefined): string {
    if (body.length <= ISSUE_BODY_LIMIT) return body;
    const rest = this.target.runUrl ?? `${this.target.serverUrl}/${this.target.owner}/${this.target.repo}/actions`;
    const keep = marker === undefined ? 0 : marker.length + 1;
    const fitted = fitToLimit(body, ISSUE_BODY_LIMIT - keep, rest);
    return marker === undefined || fitted.includes(marker) ? fitted : `${marker}\n${fitted}`;
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
            : /\/actions\//.test(route)
              ? ': the token needs actions: write'
              : /\/issues/.test(route)
                ? ': the token needs issues: write'
                : ': the token lacks the permission for this call'
          : e.status === 404
            ? ': the repository does not exist or the token cannot see it'
            : e.status === 410 && /\/issues/.test(route)
              ? ': issues are turned off in this repository (Settings > General > Features > Issues)'
              : '';
    return new UserError(`GitHub API: ${where} answered ${e.status ?? 'with a connection error'}: ${said}${hint}`, { cause: e });
  }
}

/** A failure after which the request may still have taken effect. */
function ambiguous(e: OctokitError): boolean {
  return e.status === undefined || e.status >= 500;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function toIssue(data: { number: number; html_url: string; title: string; body?: string | null; state: string }): Issue {
  return { number: data.number, url: data.html_url, title: data.title, body: data.body ?? '', state: data.state === 'closed' ? 'closed' : 'open' };
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 300);
}
