/**
 * The GitHub calls monitoring makes (one issue per model, a workflow dispatch to
 * retrain), against the loopback GitHub that checks every request against the OpenAPI
 * description.
 */
import { UserError } from '../../src/errors.js';
import { GitHubApi } from '../../src/github/api.js';
import { type FakeGitHub, type FakeGitHubOptions, startFakeGitHub } from './fake-github.js';
import { recordingLogger } from '../helpers.js';

const TOKEN = 'ghs_monitorTEST0123456789';
const LABELS = ['ct-monitor', 'model:flight-delay'] as const;
const MARKER = '<!-- ct-monitor:flight-delay -->';

describe('GitHubApi for monitoring', () => {
  let github: FakeGitHub;
  let logger: ReturnType<typeof recordingLogger>;
  let api: GitHubApi;

  async function start(options: Partial<FakeGitHubOptions> = {}): Promise<void> {
    github = await startFakeGitHub({ owner: 'acme', repo: 'flights', token: TOKEN, ...options });
    logger = recordingLogger();
    api = new GitHubApi(
      {
        apiUrl: github.url,
        serverUrl: 'https://github.com',
        owner: 'acme',
        repo: 'flights',
        token: TOKEN,
        runUrl: 'https://github.com/acme/flights/actions/runs/7',
      },
      logger,
      { baseDelayMs: 5, attempts: 3 },
    );
  }

  beforeEach(() => start());
  afterEach(async () => {
    expect(github.violations).toEqual([]);
    for (const line of logger.lines) expect(line).not.toContain(TOKEN);
    await github.close();
  });

  const alert = { title: 'flight-delay: AUC fell to 0.71', body: `${MARKER}\nThe served model decays.`, labels: LABELS };

  describe('issues', () => {
    it('creates an issue and finds it again by labels and marker', async () => {
      const issue = await api.createIssue(alert);
      expect(issue).toEqual({ number: 1, url: 'https://github.com/acme/flights/issues/1', title: alert.title, body: alert.body, state: 'open' });
      expect(github.issues).toEqual([expect.objectContaining({ number: 1, labels: ['ct-monitor', 'model:flight-delay'], state: 'open' })]);
      expect(await api.findOpenIssue(LABELS, MARKER)).toEqual(issue);
      // Renamed by someone: still found by the marker.
      github.issues[0]!.title = 'Investigate delay model';
      expect(await api.findOpenIssue(LABELS, MARKER)).toMatchObject({ number: 1, title: 'Investigate delay model' });
      expect(await api.findOpenIssue(LABELS, '<!-- ct-monitor:other-model -->')).toBeNull();
      expect(github.requests.find((r) => r.method === 'GET')!.query).toEqual({ state: 'open', labels: 'ct-monitor,model:flight-delay', per_page: '100' });
    });

    it('is not confused by a pull request, an issue without the marker or with other labels, or a closed issue', async () => {
      // A pull request whose body has the marker and the labels (the issues list includes pull requests).
      github.pulls.push({
        number: 1,
        head: 'ct/promote/m',
        base: 'main',
        title: 'Promote',
        body: `${MARKER}\nreport`,
        state: 'open',
        merged: false,
        labels: [...LABELS],
      });
      github.issues.push(
        { number: 2, title: 'no marker', body: 'flight-delay decays', state: 'open', state_reason: null, labels: [...LABELS], comments: [] },
        { number: 3, title: 'one label only', body: MARKER, state: 'open', state_reason: null, labels: ['ct-monitor'], comments: [] },
        { number: 4, title: 'closed', body: MARKER, state: 'closed', state_reason: 'completed', labels: [...LABELS], comments: [] },
      );
      expect(await api.findOpenIssue(LABELS, MARKER)).toBeNull();
      const listed = github.requests.filter((r) => r.operationId === 'issues/list-for-repo');
      expect(listed.map((r) => r.status)).toEqual([200]);

      const issue = await api.createIssue(alert);
      expect(issue.number).toBe(5);
      github.issues.push({
        number: 6,
        title: 'a duplicate someone made',
        body: `copied: ${MARKER}`,
        state: 'open',
        state_reason: null,
        labels: [...LABELS],
        comments: [],
      });
      expect((await api.findOpenIssue(LABELS, MARKER))!.number).toBe(5);
    });

    it('reads every page of open issues', async () => {
      for (let n = 1; n <= 230; n++) {
        github.issues.push({
          number: n,
          title: `issue ${n}`,
          body: n === 7 ? MARKER : 'other',
          state: 'open',
          state_reason: null,
          labels: [...LABELS],
          comments: [],
        });
      }
      expect((await api.findOpenIssue(LABELS, MARKER))!.number).toBe(7);
      expect(github.requests.map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3']);
    });

    it('updates title and body, comments, and closes with a reason', async () => {
      const { number } = await api.createIssue(alert);
      await api.updateIssue(number, { title: 'flight-delay: AUC fell to 0.69', body: `${MARKER}\nStill decaying.` });
      expect(github.issues[0]).toMatchObject({ title: 'flight-delay: AUC fell to 0.69', body: `${MARKER}\nStill decaying.`, state: 'open' });
      await api.commentOnIssue(number, 'AUC 0.69 on 2026-11-03');
      expect(github.issues[0]!.comments).toEqual(['AUC 0.69 on 2026-11-03']);

      await api.updateIssue(number, { state: 'closed', stateReason: 'completed' });
      expect(github.issues[0]).toMatchObject({ state: 'closed', state_reason: 'completed', title: 'flight-delay: AUC fell to 0.69' });
      expect(github.requests.at(-1)!.body).toEqual({ state: 'closed', state_reason: 'completed' });
      expect(await api.findOpenIssue(LABELS, MARKER)).toBeNull();

      await api.updateIssue(number, { state: 'open', stateReason: 'reopened' });
      expect(github.issues[0]).toMatchObject({ state: 'open', state_reason: 'reopened' });
    });

    it('an issue a person closed is no longer the open one', async () => {
      const { number } = await api.createIssue(alert);
      github.closeIssue(number, 'not_planned');
      expect(await api.findOpenIssue(LABELS, MARKER)).toBeNull();
      expect(github.issues[0]).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
    });

    it('a 502 on creation is retried only after checking no issue was created', async () => {
      github.fail({ method: 'POST', path: '/repos/{owner}/{repo}/issues', status: 502 });
      const issue = await api.createIssue(alert);
      expect(github.issues).toHaveLength(1);
      expect(issue.number).toBe(1);
      expect(github.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 502', 'GET 200', 'POST 201']);
    });

    it('when the failed creation did create the issue, it is returned and not created again', async () => {
      // The issue is created, then the connection drops before the answer arrives.
      github.issues.push({ number: 1, title: alert.title, body: alert.body, state: 'open', state_reason: null, labels: [...LABELS], comments: [] });
      github.fail({ method: 'POST', path: '/repos/{owner}/{repo}/issues', reset: true });
      const issue = await api.createIssue(alert);
      expect(issue).toMatchObject({ number: 1, title: alert.title });
      expect(github.issues).toHaveLength(1);
      expect(github.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 0', 'GET 200']);
    });

    it('a comment is not posted twice when the answer to it was lost', async () => {
      const { number } = await api.createIssue(alert);
      github.issues[0]!.comments.push('AUC 0.70');
      github.fail({ method: 'POST', path: '/repos/{owner}/{repo}/issues/{issue_number}/comments', status: 500 });
      await api.commentOnIssue(number, 'AUC 0.69');
      expect(github.issues[0]!.comments).toEqual(['AUC 0.70', 'AUC 0.69']);
      github.issues[0]!.comments.push('AUC 0.68');
      github.fail({ method: 'POST', path: '/repos/{owner}/{repo}/issues/{issue_number}/comments', reset: true });
      await api.commentOnIssue(number, 'AUC 0.68');
      expect(github.issues[0]!.comments).toEqual(['AUC 0.70', 'AUC 0.69', 'AUC 0.68']);
      expect(github.requests.slice(1).map((r) => `${r.operationId} ${r.status}`)).toEqual([
        'issues/create-comment 500',
        'issues/list-comments 200',
        'issues/create-comment 201',
        'issues/create-comment 0',
        'issues/list-comments 200',
      ]);
      expect(github.requests.find((r) => r.operationId === 'issues/list-comments')!.query).toEqual({
        since: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        per_page: '100',
      });
    });

    it('a body over GitHub limit is cut, keeping the marker and linking to the run', async () => {
      const section = `## slice\n${'x'.repeat(9_999)}\n`;
      const long = `# flight-delay decays\n${section.repeat(10)}${MARKER}\n`;
      const issue = await api.createIssue({ ...alert, body: long });
      expect(issue.body.length).toBeLessThanOrEqual(65_536);
      expect(issue.body.startsWith(`${MARKER}\n# flight-delay decays\n## slice`)).toBe(true);
      expect(issue.body).toContain('(https://github.com/acme/flights/actions/runs/7)');
      expect((await api.findOpenIssue(LABELS, MARKER))!.number).toBe(issue.number);
      await api.updateIssue(issue.number, { body: long });
      expect(github.issues[0]!.body).toBe(issue.body);
    });

    it('a 403 on issues names the permission and is not retried', async () => {
      github.fail({ method: 'POST', path: '/repos/{owner}/{repo}/issues', status: 403, body: { message: 'Resource not accessible by integration' } });
      const error = await api.createIssue(alert).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as Error).message).toBe(
        'GitHub API: POST /repos/acme/flights/issues answered 403: Resource not accessible by integration: the token needs issues: write',
      );
      expect(github.requests).toHaveLength(1);
    });

    it('issues turned off in the repository (410) say so', async () => {
      github.fail({ method: 'GET', path: '/repos/{owner}/{repo}/issues', status: 410, body: { message: 'Issues are disabled for this repo' } });
      await expect(api.findOpenIssue(LABELS, MARKER)).rejects.toThrow(
        'GitHub API: GET /repos/acme/flights/issues answered 410: Issues are disabled for this repo: issues are turned off in this repository (Settings > General > Features > Issues)',
      );
    });
  });

  describe('workflow dispatch', () => {
    beforeEach(async () => {
      await github.close();
      await start({ workflows: { 'ct.yml': ['dry-run', 'force-retrain', 'model'] } });
    });

    it('records workflow, ref and inputs', async () => {
      await api.dispatchWorkflow('ct.yml', 'main', { model: 'models/flight-delay.yaml', 'force-retrain': 'true' });
      expect(github.dispatches).toEqual([{ workflow: 'ct.yml', ref: 'main', inputs: { model: 'models/flight-delay.yaml', 'force-retrain': 'true' } }]);
      expect(github.requests.map((r) => `${r.operationId} ${r.status}`)).toEqual(['actions/create-workflow-dispatch 204']);
    });

    it('an unknown workflow is one line with the hint', async () => {
      const error = await api.dispatchWorkflow('retrain.yml', 'main', {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as Error).message).toBe(
        'GitHub API: dispatching workflow retrain.yml on main in acme/flights answered 404 (Not Found): .github/workflows/retrain.yml must exist on main (with on: workflow_dispatch), and the token needs actions: write',
      );
      expect(github.requests).toHaveLength(1);
      expect(github.dispatches).toEqual([]);
    });

    it('an input the workflow does not declare gives GitHub message', async () => {
      const error = await api.dispatchWorkflow('ct.yml', 'main', { model: 'm.yaml', reason: 'drift' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as Error).message).toBe(
        'GitHub API: dispatching workflow ct.yml on main in acme/flights answered 422: Unexpected inputs provided: ["reason"]',
      );
      expect(github.requests).toHaveLength(1);
    });

    it('waits out a secondary rate limit, then dispatches once', async () => {
      github.fail({
        method: 'POST',
        path: '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches',
        status: 403,
        headers: { 'retry-after': '0' },
        body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
      });
      await api.dispatchWorkflow('ct.yml', 'main', { model: 'ct.config.yaml' });
      expect(github.requests.map((r) => r.status)).toEqual([403, 204]);
      expect(github.dispatches).toHaveLength(1);
      expect(logger.lines.filter((l) => l.startsWith('GitHub API: 403 (You have exceeded a secondary rate limit'))).toHaveLength(1);
    });

    it('a 403 without a rate limit names actions: write', async () => {
      github.fail({ method: 'POST', status: 403, body: { message: 'Resource not accessible by integration' } });
      await expect(api.dispatchWorkflow('ct.yml', 'main', {})).rejects.toThrow(
        /^GitHub API: POST \/repos\/acme\/flights\/actions\/workflows\/ct\.yml\/dispatches answered 403: Resource not accessible by integration: the token needs actions: write$/,
      );
    });
  });
});
