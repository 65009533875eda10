/**
 * GitHubApi against the loopback GitHub (requests checked against the OpenAPI
 * description): retries where they are safe, one clear line where GitHub says no.
 */
import { jest } from '@jest/globals';
import { UserError } from '../../src/errors.js';
import { GitHubApi, gitHubTarget } from '../../src/github/api.js';
import { type FakeGitHub, startFakeGitHub } from './fake-github.js';
import { recordingLogger } from '../helpers.js';

const TOKEN = 'ghs_apiTEST0123456789';

describe('GitHubApi', () => {
  let github: FakeGitHub;
  let logger: ReturnType<typeof recordingLogger>;
  let api: GitHubApi;

  beforeEach(async () => {
    github = await startFakeGitHub({ owner: 'acme', repo: 'flights', token: TOKEN });
    logger = recordingLogger();
    api = new GitHubApi({ apiUrl: github.url, serverUrl: 'https://github.com', owner: 'acme', repo: 'flights', token: TOKEN, runUrl: null }, logger, {
      baseDelayMs: 5,
      attempts: 3,
    });
  });
  afterEach(async () => {
    expect(github.violations).toEqual([]);
    for (const line of logger.lines) expect(line).not.toContain(TOKEN);
    await github.close();
  });

  const open = { title: 'Promote m v1', body: 'report', head: 'ct/promote/m', base: 'main' };

  it('opens, finds and updates a pull request, and labels it', async () => {
    expect(await api.defaultBranch()).toBe('main');
    const { pull, created } = await api.createPull(open);
    expect(created).toBe(true);
    expect(await api.findOpenPull('ct/promote/m', 'main')).toEqual(pull);
    await api.updatePull(pull.number, { title: 'Promote m v2', body: 'new report' });
    await api.addLabels(pull.number, ['ct', 'model-promotion']);
    expect(github.pulls[0]).toMatchObject({ title: 'Promote m v2', body: 'new report', labels: ['ct', 'model-promotion'] });
  });

  it('retries 5xx answers and reset connections on idempotent calls', async () => {
    github.fail({ method: 'GET', path: '/repos/{owner}/{repo}/pulls', status: 502 });
    github.fail({ method: 'GET', path: '/repos/{owner}/{repo}/pulls', reset: true });
    expect(await api.findOpenPull('ct/promote/m', 'main')).toBeNull();
    expect(github.requests.filter((r) => r.method === 'GET').map((r) => r.status)).toEqual([502, 0, 200]);
    expect(logger.lines.filter((l) => l.startsWith('GitHub API: 502'))).toHaveLength(1);
  });

  it('waits out a secondary rate limit (403 with retry-after), then succeeds', async () => {
    github.fail({ method: 'PATCH', status: 403, headers: { 'retry-after': '0' }, body: { message: 'You have exceeded a secondary rate limit' } });
    const { pull } = await api.createPull(open);
    await api.updatePull(pull.number, { title: 't2', body: 'b2' });
    expect(github.pulls[0]!.title).toBe('t2');
  });

  it('honours retry-after on a 429 (primary rate limit), then succeeds', async () => {
    const { pull } = await api.createPull(open);
    github.fail({
      method: 'POST',
      path: '/repos/{owner}/{repo}/issues/{issue_number}/labels',
      status: 429,
      headers: { 'retry-after': '1' },
      body: { message: 'API rate limit exceeded' },
    });
    // Every wait is a timer: count them rather than read the clock.
    const timers = jest.spyOn(globalThis, 'setTimeout');
    let waits: unknown[];
    try {
      await api.addLabels(pull.number, ['ct']);
    } finally {
      waits = timers.mock.calls.map(([, ms]) => ms);
      timers.mockRestore();
    }
    // The server asked for one second; the backoff alone would have waited 5 ms.
    expect(waits.filter((ms) => ms === 1000)).toHaveLength(1);
    expect(waits).not.toContain(5);
    expect(github.requests.slice(-2).map((r) => `${r.method} ${r.status}`)).toEqual(['POST 429', 'POST 200']);
    expect(logger.lines).toContain('GitHub API: 429 (API rate limit exceeded); retrying in 1.0 s');
    expect(github.pulls[0]!.labels).toEqual(['ct']);
  });

  it('gives up after the configured attempts with one line naming the call', async () => {
    github.fail({ method: 'GET', status: 503, times: 3 });
    await expect(api.findOpenPull('b', 'main')).rejects.toThrow(/^GitHub API: GET \/repos\/acme\/flights\/pulls answered 503: Service Unavailable$/);
    expect(github.requests).toHaveLength(3);
  });

  it('a 403 without a rate limit is not retried and says which permission is missing', async () => {
    github.fail({
      method: 'POST',
      path: '/repos/{owner}/{repo}/pulls',
      status: 403,
      body: { message: 'GitHub Actions is not permitted to create or approve pull requests.' },
    });
    const error = await api.createPull(open).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(
      'GitHub API: POST /repos/acme/flights/pulls answered 403: GitHub Actions is not permitted to create or approve pull requests.: the token needs pull-requests: write, and the repository must allow GitHub Actions to create pull requests (Settings > Actions > General)',
    );
    expect(github.requests).toHaveLength(1);
    expect(github.pulls).toHaveLength(0);
  });

  it('creating is not repeated blindly: a 422 "already exists" from a concurrent run returns that pull request', async () => {
    const { pull } = await api.createPull(open);
    // Another run, which did not see it when it looked, asks to create the same pull request.
    const again = await api.createPull(open);
    expect(github.requests.map((r) => `${r.method} ${r.status}`).slice(-2)).toEqual(['POST 422', 'GET 200']);
    expect(again).toEqual({ pull, created: false });
    expect(github.pulls).toHaveLength(1);
  });

  it('a 5xx on create is retried only after checking no pull request was opened', async () => {
    github.fail({ method: 'POST', path: '/repos/{owner}/{repo}/pulls', status: 500 });
    const { created } = await api.createPull(open);
    expect(created).toBe(true);
    expect(github.pulls).toHaveLength(1);
    expect(github.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 500', 'GET 200', 'POST 201']);
  });

  it('reports the verdict as a check run, or as a commit status where the token cannot create check runs', async () => {
    expect(await api.reportVerdict('a'.repeat(40), { name: 'ct/gates', passed: true, title: 'gates passed', summary: 's', detailsUrl: null })).toBe(
      'check-run',
    );
    expect(github.checkRuns).toEqual([expect.objectContaining({ name: 'ct/gates', conclusion: 'success', status: 'completed' })]);
    await github.close();
    github = await startFakeGitHub({ owner: 'acme', repo: 'flights', token: TOKEN, checkRunsForbidden: true });
    api = new GitHubApi({ apiUrl: github.url, serverUrl: 'https://github.com', owner: 'acme', repo: 'flights', token: TOKEN, runUrl: null }, logger, {
      baseDelayMs: 5,
    });
    expect(
      await api.reportVerdict('b'.repeat(40), {
        name: 'ct/gates',
        passed: true,
        title: 'gates passed: auc +0.0060',
        summary: 's',
        detailsUrl: 'https://github.com/acme/flights/actions/runs/1',
      }),
    ).toBe('status');
    expect(github.statuses).toEqual([
      expect.objectContaining({ sha: 'b'.repeat(40), state: 'success', context: 'ct/gates', description: 'gates passed: auc +0.0060' }),
    ]);
  });

  it('a bad token is one clear line', async () => {
    const bad = new GitHubApi({ apiUrl: github.url, serverUrl: 'https://github.com', owner: 'acme', repo: 'flights', token: 'wrong', runUrl: null }, logger, {
      baseDelayMs: 5,
    });
    await expect(bad.defaultBranch()).rejects.toThrow(
      /^GitHub API: GET \/repos\/acme\/flights answered 401: Bad credentials.*: the token is invalid or expired$/,
    );
  });
});

describe('gitHubTarget', () => {
  it('reads the Actions environment', () => {
    expect(
      gitHubTarget(
        {
          GITHUB_TOKEN: 't',
          GITHUB_REPOSITORY: 'acme/flights',
          GITHUB_API_URL: 'https://ghe.example/api/v3',
          GITHUB_SERVER_URL: 'https://ghe.example',
          GITHUB_RUN_ID: '7',
        },
        null,
      ),
    ).toEqual({
      apiUrl: 'https://ghe.example/api/v3',
      serverUrl: 'https://ghe.example',
      owner: 'acme',
      repo: 'flights',
      token: 't',
      runUrl: 'https://ghe.example/acme/flights/actions/runs/7',
    });
  });

  it('falls back to the remote URL and github.com', () => {
    expect(gitHubTarget({ GH_TOKEN: 't' }, 'git@github.com:acme/flights.git')).toMatchObject({
      owner: 'acme',
      repo: 'flights',
      apiUrl: 'https://api.github.com',
      runUrl: null,
    });
    expect(gitHubTarget({ GH_TOKEN: 't' }, 'https://github.com/acme/flights')).toMatchObject({ owner: 'acme', repo: 'flights' });
  });

  it('says what is missing', () => {
    expect(() => gitHubTarget({}, null)).toThrow(/^promotion by pull request needs a token in GITHUB_TOKEN/);
    expect(() => gitHubTarget({ GITHUB_TOKEN: 't' }, '/tmp/origin.git')).toThrow(/set GITHUB_REPOSITORY=<owner>\/<repo>/);
  });
});
