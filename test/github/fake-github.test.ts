/**
 * The fake GitHub API itself: what it answers, and that it rejects (and lists as
 * violations) exactly the requests GitHub's OpenAPI description rejects.
 */
import { getOctokit } from '@actions/github';
import { _internals, type FakeGitHub, type FakeGitHubOptions, startFakeGitHub } from './fake-github.js';

const owner = 'acme';
const repo = 'models';
const token = 'ghs_fake_token';
const sha = 'a'.repeat(40);

let fake: FakeGitHub | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(options: Partial<FakeGitHubOptions> = {}): Promise<{ gh: FakeGitHub; octokit: ReturnType<typeof getOctokit> }> {
  fake = await startFakeGitHub({ owner, repo, token, headSha: (branch) => (branch === 'ct/promote' ? sha : null), ...options });
  return { gh: fake, octokit: getOctokit(token, { baseUrl: fake.url }) };
}

/** The status and body of a failed Octokit call (it throws a RequestError). */
async function failure(call: Promise<unknown>): Promise<{ status: number; data: Record<string, unknown> }> {
  try {
    await call;
  } catch (error) {
    const e = error as { status?: number; response?: { data?: unknown } };
    if (typeof e.status !== 'number') throw error;
    return { status: e.status, data: (e.response?.data ?? {}) as Record<string, unknown> };
  }
  throw new Error('the call succeeded');
}

/** A plain fetch with the right token, for requests Octokit would not send. */
async function send(
  gh: FakeGitHub,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; data: Record<string, unknown> }> {
  const response = await fetch(`${gh.url}${path}`, {
    method,
    headers: { authorization: `token ${token}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, data: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

test('serves the promotion flow through Octokit without violations', async () => {
  const { gh, octokit } = await start();

  const repository = await octokit.rest.repos.get({ owner, repo });
  expect(repository.data).toMatchObject({ name: repo, full_name: 'acme/models', default_branch: 'main', html_url: 'https://github.com/acme/models' });

  const created = await octokit.rest.pulls.create({
    owner,
    repo,
    title: 'Promote model',
    head: 'ct/promote',
    base: 'main',
    body: 'report',
    maintainer_can_modify: false,
  });
  expect(created.status).toBe(201);
  expect(created.data).toMatchObject({
    number: 1,
    html_url: 'https://github.com/acme/models/pull/1',
    url: `${gh.url}/repos/acme/models/pulls/1`,
    state: 'open',
    title: 'Promote model',
    body: 'report',
    merged: false,
    head: { ref: 'ct/promote', sha, label: 'acme:ct/promote' },
    base: { ref: 'main' },
    labels: [],
  });
  await octokit.rest.pulls.create({ owner, repo, title: 'Other', head: 'acme:other', base: 'main' });

  const byHead = await octokit.rest.pulls.list({ owner, repo, head: 'acme:ct/promote', state: 'open', per_page: 100 });
  expect(byHead.data.map((p) => p.number)).toEqual([1]);
  expect((await octokit.rest.pulls.list({ owner, repo, head: 'someone-else:ct/promote', state: 'all' })).data).toEqual([]);
  // Like GitHub, a head without the owner prefix filters nothing.
  expect((await octokit.rest.pulls.list({ owner, repo, head: 'ct/promote' })).data.map((p) => p.number)).toEqual([2, 1]);

  const duplicate = await failure(octokit.rest.pulls.create({ owner, repo, title: 'Again', head: 'ct/promote', base: 'main' }));
  expect(duplicate).toEqual({
    status: 422,
    data: {
      message: 'Validation Failed',
      errors: [{ resource: 'PullRequest', code: 'custom', message: 'A pull request already exists for acme:ct/promote.' }],
      documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
    },
  });

  const updated = await octokit.rest.pulls.update({ owner, repo, pull_number: 1, title: 'Promote model v2', body: 'new report' });
  expect(updated.data).toMatchObject({ number: 1, title: 'Promote model v2', body: 'new report' });

  const labels = await octokit.rest.issues.addLabels({ owner, repo, issue_number: 1, labels: ['ct-promotion', 'model'] });
  expect(labels.data.map((l) => l.name)).toEqual(['ct-promotion', 'model']);
  expect(typeof labels.data[0]!.id).toBe('number');

  const run = await octokit.rest.checks.create({
    owner,
    repo,
    name: 'ct / gates',
    head_sha: sha,
    conclusion: 'success',
    output: { title: 'Gates passed', summary: 'auc 0.91' },
  });
  expect(run.status).toBe(201);
  expect(run.data).toMatchObject({ name: 'ct / gates', head_sha: sha, status: 'completed', conclusion: 'success' });
  expect(run.data.html_url).toMatch(/^https:\/\/github\.com\/acme\/models\/runs\/\d+$/);

  const status = await octokit.rest.repos.createCommitStatus({
    owner,
    repo,
    sha,
    state: 'success',
    context: 'ct/gates',
    description: 'passed',
    target_url: 'https://example.com/run/1',
  });
  expect(status.status).toBe(201);

  expect(gh.pulls).toEqual([
    {
      number: 1,
      head: 'ct/promote',
      base: 'main',
      title: 'Promote model v2',
      body: 'new report',
      state: 'open',
      merged: false,
      labels: ['ct-promotion', 'model'],
    },
    { number: 2, head: 'other', base: 'main', title: 'Other', body: '', state: 'open', merged: false, labels: [] },
  ]);
  expect(gh.checkRuns).toEqual([
    { name: 'ct / gates', head_sha: sha, status: 'completed', conclusion: 'success', output: { title: 'Gates passed', summary: 'auc 0.91' } },
  ]);
  expect(gh.statuses).toEqual([{ sha, state: 'success', context: 'ct/gates', description: 'passed', target_url: 'https://example.com/run/1' }]);
  expect(gh.requests.map((r) => `${r.operationId} ${r.status}`)).toEqual([
    'repos/get 200',
    'pulls/create 201',
    'pulls/create 201',
    'pulls/list 200',
    'pulls/list 200',
    'pulls/list 200',
    'pulls/create 422',
    'pulls/update 200',
    'issues/add-labels 200',
    'checks/create 201',
    'repos/create-commit-status 201',
  ]);
  expect(gh.requests[3]).toMatchObject({
    method: 'GET',
    path: '/repos/acme/models/pulls',
    query: { head: 'acme:ct/promote', state: 'open', per_page: '100' },
    authorization: `token ${token}`,
  });
  expect(gh.requests[1]!.body).toEqual({ title: 'Promote model', head: 'ct/promote', base: 'main', body: 'report', maintainer_can_modify: false });
  expect(gh.violations).toEqual([]);
});

test('merged pull requests are closed, listed with state=closed, and cannot be reopened', async () => {
  const { gh, octokit } = await start();
  await octokit.rest.pulls.create({ owner, repo, title: 'Promote', head: 'ct/promote', base: 'main' });
  gh.mergePull(1);
  expect((await octokit.rest.pulls.list({ owner, repo })).data).toEqual([]);
  const closed = await octokit.rest.pulls.list({ owner, repo, state: 'closed', head: 'acme:ct/promote' });
  expect(closed.data).toMatchObject([{ number: 1, state: 'closed', merged: true }]);
  expect(closed.data[0]!.merged_at).not.toBeNull();
  expect((await failure(octokit.rest.pulls.update({ owner, repo, pull_number: 1, state: 'open' }))).status).toBe(422);
  // A new PR from the same branch is fine once the old one is closed.
  expect((await octokit.rest.pulls.create({ owner, repo, title: 'Promote again', head: 'ct/promote', base: 'main' })).data.number).toBe(2);
  expect(await failure(octokit.rest.pulls.update({ owner, repo, pull_number: 9, title: 'x' }))).toMatchObject({ status: 404, data: { message: 'Not Found' } });
  expect(() => gh.mergePull(9)).toThrow(/no pull request #9/);
  expect(gh.violations).toEqual([]);
});

test('pages the pull request list with Link headers', async () => {
  const { gh, octokit } = await start();
  for (const branch of ['a', 'b', 'c']) await octokit.rest.pulls.create({ owner, repo, title: branch, head: branch, base: 'main' });
  const all = await octokit.paginate(octokit.rest.pulls.list, { owner, repo, per_page: 2 });
  expect(all.map((p) => p.number)).toEqual([3, 2, 1]);
  expect(gh.requests.filter((r) => r.operationId === 'pulls/list').map((r) => r.query.page ?? '1')).toEqual(['1', '2']);
  expect(gh.violations).toEqual([]);
});

test('issues and pull requests share one number sequence; the issue list shows pull requests with a pull_request key', async () => {
  const { gh, octokit } = await start();
  const { validator, loadSpec } = _internals;
  /** What the response schema `name` finds wrong with `data` (required fields, types). */
  const problems = (name: string, data: unknown): string[] => {
    const validate = validator(loadSpec(), `github#/components/schemas/${name}`);
    return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? e.keyword}`);
  };

  const first = await octokit.rest.issues.create({ owner, repo, title: 'Drift', body: '<!-- m -->', labels: ['ct-monitor', { name: 'model:m' }] });
  expect(first.status).toBe(201);
  expect(first.data).toMatchObject({ number: 1, html_url: 'https://github.com/acme/models/issues/1', state: 'open', state_reason: null, comments: 0 });
  expect(first.data.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual(['ct-monitor', 'model:m']);
  expect(problems('issue', first.data)).toEqual([]);
  expect((await octokit.rest.pulls.create({ owner, repo, title: 'Promote', head: 'ct/promote', base: 'main' })).data.number).toBe(2);
  expect((await octokit.rest.issues.create({ owner, repo, title: 'Decay' })).data.number).toBe(3);
  await octokit.rest.issues.addLabels({ owner, repo, issue_number: 2, labels: ['ct-monitor'] });
  await octokit.rest.issues.addLabels({ owner, repo, issue_number: 3, labels: ['ct-monitor'] });

  const listed = await octokit.rest.issues.listForRepo({ owner, repo, labels: 'ct-monitor', per_page: 2 });
  expect(listed.data.map((i) => [i.number, i.pull_request === undefined])).toEqual([
    [3, true],
    [2, false],
  ]);
  expect(listed.data[1]!.pull_request).toMatchObject({ url: `${gh.url}/repos/acme/models/pulls/2`, html_url: 'https://github.com/acme/models/pull/2' });
  for (const item of listed.data) expect(problems('issue', item)).toEqual([]);
  expect(listed.headers.link).toContain('rel="next"');
  expect((await octokit.paginate(octokit.rest.issues.listForRepo, { owner, repo, labels: 'ct-monitor,model:m' })).map((i) => i.number)).toEqual([1]);
  expect((await octokit.rest.issues.get({ owner, repo, issue_number: 2 })).data.pull_request).toBeDefined();

  const updated = await octokit.rest.issues.update({
    owner,
    repo,
    issue_number: 1,
    title: 'Drift again',
    state: 'closed',
    state_reason: 'not_planned',
    labels: ['ct-monitor'],
  });
  expect(updated.data).toMatchObject({ title: 'Drift again', state: 'closed', state_reason: 'not_planned' });
  expect(updated.data.closed_at).not.toBeNull();
  expect((await octokit.rest.issues.listForRepo({ owner, repo, state: 'closed' })).data.map((i) => i.number)).toEqual([1]);
  expect((await octokit.rest.issues.update({ owner, repo, issue_number: 1, state: 'open' })).data).toMatchObject({
    state: 'open',
    state_reason: 'reopened',
    closed_at: null,
  });

  const comment = await octokit.rest.issues.createComment({ owner, repo, issue_number: 3, body: 'AUC 0.7' });
  expect(comment.status).toBe(201);
  expect(problems('issue-comment', comment.data)).toEqual([]);
  expect((await octokit.rest.issues.listComments({ owner, repo, issue_number: 3 })).data.map((c) => c.body)).toEqual(['AUC 0.7']);
  expect((await octokit.rest.issues.listComments({ owner, repo, issue_number: 3, since: '2999-01-01T00:00:00Z' })).data).toEqual([]);
  expect((await octokit.rest.issues.get({ owner, repo, issue_number: 3 })).data.comments).toBe(1);
  expect(await failure(octokit.rest.issues.createComment({ owner, repo, issue_number: 3, body: 'x'.repeat(65_537) }))).toMatchObject({ status: 422 });
  expect(await failure(octokit.rest.issues.get({ owner, repo, issue_number: 9 }))).toMatchObject({ status: 404 });

  gh.closeIssue(3);
  expect(gh.issues.map((i) => [i.number, i.state, i.state_reason])).toEqual([
    [1, 'open', 'reopened'],
    [3, 'closed', 'completed'],
  ]);
  expect((await octokit.rest.pulls.create({ owner, repo, title: 'Next', head: 'other', base: 'main' })).data.number).toBe(4);
  expect(() => gh.closeIssue(2)).toThrow(/no issue #2/);
  expect(gh.violations).toEqual([]);
});

test('workflow dispatches are recorded; with declared workflows, unknown files are 404 and undeclared inputs 422', async () => {
  const open = await start();
  await open.octokit.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: 'anything.yml', ref: 'main' });
  expect(open.gh.dispatches).toEqual([{ workflow: 'anything.yml', ref: 'main', inputs: {} }]);
  await open.gh.close();

  const { gh, octokit } = await start({ workflows: { 'ct.yml': ['model'] } });
  const accepted = await octokit.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: 'ct.yml', ref: 'main', inputs: { model: 'm.yaml' } });
  expect(accepted.status).toBe(204);
  const details = await octokit.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
    owner,
    repo,
    workflow_id: 'ct.yml',
    ref: 'main',
    return_run_details: true,
  });
  expect(details.status).toBe(200);
  expect(_internals.validator(_internals.loadSpec(), 'github#/components/schemas/workflow-dispatch-response')(details.data)).toBe(true);
  expect(await failure(octokit.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: 'nope.yml', ref: 'main' }))).toMatchObject({
    status: 404,
    data: { message: 'Not Found' },
  });
  expect(
    await failure(octokit.rest.actions.createWorkflowDispatch({ owner, repo, workflow_id: 'ct.yml', ref: 'main', inputs: { model: 'm', x: '1' } })),
  ).toMatchObject({
    status: 422,
    data: { message: 'Unexpected inputs provided: ["x"]' },
  });
  expect(gh.dispatches).toEqual([
    { workflow: 'ct.yml', ref: 'main', inputs: { model: 'm.yaml' } },
    { workflow: 'ct.yml', ref: 'main', inputs: {} },
  ]);
  expect(gh.violations).toEqual([]);
});

test('a body without a required field is a violation', async () => {
  const { gh } = await start();
  const response = await send(gh, 'POST', '/repos/acme/models/pulls', { title: 'x', base: 'main' });
  expect(response.status).toBe(422);
  expect(response.data.message).toBe("fake GitHub: request violates the OpenAPI description: body must have required property 'head'");
  expect(gh.violations).toEqual(["POST /repos/acme/models/pulls: body must have required property 'head'"]);
  expect(gh.pulls).toEqual([]);
  expect(gh.requests[0]).toMatchObject({ operationId: 'pulls/create', status: 422 });
});

test('a missing required body and a body that is not JSON are violations', async () => {
  const { gh } = await start();
  expect((await send(gh, 'POST', '/repos/acme/models/check-runs')).status).toBe(422);
  const response = await fetch(`${gh.url}/repos/acme/models/pulls`, { method: 'POST', headers: { authorization: `token ${token}` }, body: '{"title": ' });
  expect(response.status).toBe(400);
  expect(await response.json()).toMatchObject({ message: 'Problems parsing JSON' });
  expect(gh.violations).toEqual([
    'POST /repos/acme/models/check-runs: missing required request body',
    'POST /repos/acme/models/pulls: request body is not valid JSON',
  ]);
});

test('wrongly typed fields and parameters are violations', async () => {
  const { gh, octokit } = await start();
  await octokit.rest.pulls.create({ owner, repo, title: 'Promote', head: 'ct/promote', base: 'main' });
  expect((await send(gh, 'POST', '/repos/acme/models/issues/1/labels', { labels: 'x' })).status).toBe(422);
  expect((await send(gh, 'PATCH', '/repos/acme/models/pulls/1', { state: 'merged' })).status).toBe(422);
  expect((await send(gh, 'POST', '/repos/acme/models/check-runs', { name: 'n', head_sha: sha, output: { title: 't' } })).status).toBe(422);
  expect((await send(gh, 'PATCH', '/repos/acme/models/pulls/one', { title: 'x' })).status).toBe(422);
  expect(gh.violations).toEqual([
    'POST /repos/acme/models/issues/1/labels: body/labels must be array; body must match exactly one schema in oneOf',
    'PATCH /repos/acme/models/pulls/1: body/state must be one of ["open","closed"]',
    "POST /repos/acme/models/check-runs: body/output must have required property 'summary'",
    "PATCH /repos/acme/models/pulls/one: path parameter 'pull_number' must be integer",
  ]);
  expect(gh.pulls[0]).toMatchObject({ state: 'open', labels: [], title: 'Promote' });
  expect(gh.checkRuns).toEqual([]);
});

test('unknown, missing or badly typed query parameters are violations', async () => {
  const { gh, octokit } = await start();
  const unknown = await failure(octokit.request('GET /repos/{owner}/{repo}/pulls', { owner, repo, branch: 'ct/promote' }));
  expect(unknown).toEqual({
    status: 422,
    data: {
      message: "fake GitHub: request violates the OpenAPI description: unknown query parameter 'branch'",
      documentation_url: 'https://docs.github.com/rest',
    },
  });
  expect((await send(gh, 'GET', '/repos/acme/models/pulls?state=merged&per_page=many')).status).toBe(422);
  expect((await send(gh, 'GET', '/repos/acme/models/pulls?state=all&per_page=50&page=2&sort=updated&direction=asc')).status).toBe(200);
  expect(gh.violations).toEqual([
    "GET /repos/acme/models/pulls: unknown query parameter 'branch'",
    'GET /repos/acme/models/pulls: query parameter \'state\' must be one of ["open","closed","all"]',
    "GET /repos/acme/models/pulls: query parameter 'per_page' must be integer",
  ]);
});

test('paths and methods outside the description are violations; known but unimplemented ones answer 501', async () => {
  const { gh, octokit } = await start();
  expect((await send(gh, 'GET', '/repos/acme/models/flying-cars')).status).toBe(404);
  expect((await send(gh, 'DELETE', '/repos/acme/models/pulls')).status).toBe(404);
  expect(await failure(octokit.rest.repos.getBranch({ owner, repo, branch: 'main' }))).toMatchObject({ status: 501 });
  expect(gh.violations).toEqual([
    'unknown to the OpenAPI description: GET /repos/acme/models/flying-cars',
    'unknown to the OpenAPI description: DELETE /repos/{owner}/{repo}/pulls (no such method)',
    'not implemented by the fake: GET /repos/{owner}/{repo}/branches/{branch}',
  ]);
  expect(gh.requests.map((r) => r.operationId)).toEqual([null, null, 'repos/get-branch']);
});

test('a wrong or missing token gets 401 Bad credentials, which is not a violation', async () => {
  const { gh } = await start();
  const wrong = getOctokit('ghs_wrong', { baseUrl: gh.url });
  expect(await failure(wrong.rest.repos.get({ owner, repo }))).toMatchObject({ status: 401, data: { message: 'Bad credentials' } });
  expect((await fetch(`${gh.url}/repos/acme/models`)).status).toBe(401);
  expect((await send(gh, 'GET', '/repos/acme/models', undefined, { authorization: `bearer ${token}` })).status).toBe(200);
  expect((await send(gh, 'GET', '/repos/acme/models', undefined, { authorization: `Basic ${token}` })).status).toBe(401);
  expect(gh.requests.map((r) => [r.authorization, r.status])).toEqual([
    ['token ghs_wrong', 401],
    [undefined, 401],
    [`bearer ${token}`, 200],
    [`Basic ${token}`, 401],
  ]);
  expect(gh.violations).toEqual([]);
});

test('another owner or repository is Not Found', async () => {
  const { gh, octokit } = await start();
  expect(await failure(octokit.rest.repos.get({ owner, repo: 'other' }))).toMatchObject({ status: 404, data: { message: 'Not Found' } });
  expect(await failure(octokit.rest.pulls.list({ owner: 'someone', repo }))).toMatchObject({ status: 404 });
  expect((await octokit.rest.repos.get({ owner: 'ACME', repo: 'Models' })).status).toBe(200);
  expect(gh.violations).toEqual([]);
});

test('fail() answers the next matching requests with the given status, body and headers', async () => {
  const { gh, octokit } = await start();
  gh.fail({ status: 502, times: 1 });
  expect(await failure(octokit.rest.repos.get({ owner, repo }))).toMatchObject({ status: 502, data: { message: 'Bad Gateway' } });
  expect((await octokit.rest.repos.get({ owner, repo })).status).toBe(200);

  gh.fail({ method: 'post', path: '/repos/{owner}/{repo}/pulls', status: 500, body: { message: 'boom' }, headers: { 'retry-after': '1' }, times: 2 });
  expect((await octokit.rest.pulls.list({ owner, repo })).status).toBe(200);
  for (let i = 0; i < 2; i++) {
    const response = await send(gh, 'POST', '/repos/acme/models/pulls', { title: 't', head: 'ct/promote', base: 'main' });
    expect(response).toEqual({ status: 500, data: { message: 'boom' } });
  }
  expect(gh.pulls).toEqual([]);
  expect((await octokit.rest.pulls.create({ owner, repo, title: 't', head: 'ct/promote', base: 'main' })).status).toBe(201);

  gh.fail({ path: /\/labels$/, status: 403, body: { message: 'You have exceeded a secondary rate limit' } });
  expect(await failure(octokit.rest.issues.addLabels({ owner, repo, issue_number: 1, labels: ['x'] }))).toMatchObject({ status: 403 });
  expect((await octokit.rest.issues.addLabels({ owner, repo, issue_number: 1, labels: ['x'] })).status).toBe(200);
  expect(gh.requests.map((r) => r.status)).toEqual([502, 200, 200, 500, 500, 201, 403, 200]);
  expect(gh.violations).toEqual([]);
});

test('fail({ reset: true }) destroys the socket once', async () => {
  const { gh, octokit } = await start();
  gh.fail({ reset: true });
  await expect(fetch(`${gh.url}/repos/acme/models`, { headers: { authorization: `token ${token}` } })).rejects.toThrow();
  expect((await octokit.rest.repos.get({ owner, repo })).status).toBe(200);
  expect(gh.requests.map((r) => r.status)).toEqual([0, 200]);
  expect(gh.violations).toEqual([]);
});

test('checkRunsForbidden answers check-run creation like GitHub answers a personal access token', async () => {
  const { gh, octokit } = await start({ checkRunsForbidden: true });
  const forbidden = await failure(octokit.rest.checks.create({ owner, repo, name: 'ct / gates', head_sha: sha }));
  expect(forbidden).toMatchObject({ status: 403, data: { message: 'Resource not accessible by personal access token' } });
  expect(gh.checkRuns).toEqual([]);
  expect((await octokit.rest.repos.createCommitStatus({ owner, repo, sha, state: 'failure' })).status).toBe(201);
  expect(gh.statuses).toEqual([{ sha, state: 'failure', context: 'default', description: undefined, target_url: undefined }]);
  expect(gh.violations).toEqual([]);
});

test('null is accepted exactly where the description says nullable', async () => {
  const { gh } = await start();
  // `type: string, nullable: true`
  expect((await send(gh, 'POST', `/repos/acme/models/statuses/${sha}`, { state: 'pending', description: null, target_url: null })).status).toBe(201);
  expect(gh.violations).toEqual([]);
  // not nullable
  expect((await send(gh, 'POST', `/repos/acme/models/statuses/${sha}`, { state: 'pending', context: null })).status).toBe(422);
  expect((await send(gh, 'POST', '/repos/acme/models/pulls', { title: null, head: 'x', base: 'main' })).status).toBe(422);
  // `nullable: true` beside `oneOf` and no `type` (Ajv alone refuses to compile it)
  expect((await send(gh, 'PATCH', '/orgs/acme/projectsV2/1/items/2', { fields: [{ id: 1, value: null }] })).status).toBe(501);
  expect((await send(gh, 'PATCH', '/orgs/acme/projectsV2/1/items/2', { fields: [{ id: 1, value: true }] })).status).toBe(422);
  // `nullable: true` beside an `enum` without null
  expect((await send(gh, 'PUT', '/orgs/acme/issue-types/7', { name: 'Bug', is_enabled: true, color: null, description: null })).status).toBe(501);
  expect((await send(gh, 'PUT', '/orgs/acme/issue-types/7', { name: 'Bug', is_enabled: true, color: 'teal' })).status).toBe(422);
  expect(gh.violations).toEqual([
    `POST /repos/acme/models/statuses/${sha}: body/context must be string`,
    'POST /repos/acme/models/pulls: body/title must be string',
    'not implemented by the fake: PATCH /orgs/{org}/projectsV2/{project_number}/items/{item_id}',
    'PATCH /orgs/acme/projectsV2/1/items/2: body/fields/0/value must be string; body/fields/0/value must be number; body/fields/0/value must match exactly one schema in oneOf',
    'not implemented by the fake: PUT /orgs/{org}/issue-types/{issue_type_id}',
    'PUT /orgs/acme/issue-types/7: body/color must be one of ["gray","blue","green","yellow","orange","red","pink","purple"]',
  ]);
});

test("GitHub's own request examples for the implemented operations pass", async () => {
  const { gh } = await start();
  const { doc } = _internals.loadSpec();
  const implemented = [
    'pulls/create',
    'pulls/update',
    'issues/add-labels',
    'checks/create',
    'repos/create-commit-status',
    'issues/create',
    'issues/update',
    'issues/create-comment',
    'actions/create-workflow-dispatch',
  ];
  let sent = 0;
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!implemented.includes(operation.operationId ?? '')) continue;
      const path = template
        .replace('{owner}', owner)
        .replace('{repo}', repo)
        .replace(/\{(pull_number|issue_number)\}/, '1')
        .replace('{sha}', sha)
        .replace('{workflow_id}', 'ct.yml');
      for (const example of Object.values(operation.requestBody?.content?.['application/json']?.examples ?? {})) {
        await send(gh, method.toUpperCase(), path, (example as { value: unknown }).value);
        sent += 1;
      }
    }
  }
  expect(sent).toBeGreaterThanOrEqual(implemented.length);
  expect(gh.violations).toEqual([]);
});

test('every parameter and request body schema in the description compiles', () => {
  const spec = _internals.loadSpec();
  let compiled = 0;
  for (const route of spec.routes) {
    for (const [method, operation] of Object.entries(route.operations)) {
      const check = _internals.operationCheck(spec, route.template, method, operation);
      for (const pointer of [...check.parameters.map((p) => p.pointer), ...(check.bodyPointer === null ? [] : [check.bodyPointer])]) {
        expect(typeof _internals.validator(spec, pointer)).toBe('function');
        compiled += 1;
      }
    }
  }
  expect(compiled).toBeGreaterThan(3000);
});
