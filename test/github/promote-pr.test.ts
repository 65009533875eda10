/**
 * Promotion by pull request, end to end: the compiled `ct` in a clone of a real bare
 * repository (origin), GitHub's REST API served on loopback by a fake that checks every
 * request against GitHub's OpenAPI description.
 *
 * run -> PR opened -> newer run -> same PR updated -> merge (fast-forward in the bare
 * repository) -> next run compares against the merged model.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { sha256File } from '../../src/files.js';
import { root, runNode, shippedPartitions, smallConfig } from '../pipeline/repo.js';
import { actionsEnvironment, type FakeGitHub, startFakeGitHub } from './fake-github.js';
import { bareRepository, branchSha, cloneOf, commitAndPush, filesContaining, git, showFile } from './git-repos.js';

const TOKEN = 'ghs_promotionTEST0123456789abcdef';
const BRANCH = 'ct/promote/flight-delay';
const bin = path.join(root, 'bin/ct.js');

/** The shipped config made small, with gates that any sound retrain of it passes. */
function config(seed = 42): ReturnType<typeof smallConfig> {
  const c = smallConfig(3);
  c.training.seed = seed;
  (c as Record<string, unknown>).gates = [
    { metric: 'auc', lowerBound: 0.55 },
    { metric: 'auc', significance: { test: 'nonInferiority', margin: 0.05 } },
  ];
  return c;
}

interface Run {
  status: number;
  stdout: string;
  stderr: string;
  // The --json result, read loosely: the assertions say what must be there.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

describe('ct promote --pr: the pull request path', () => {
  let origin: string;
  let workspace: string;
  let github: FakeGitHub;
  let summary: string;
  const outputs: string[] = [];

  /**
   * Runs ct in the workspace as a workflow step would: token and repository in the
   * environment. Asynchronously: the fake GitHub answers from this very process.
   */
  async function ct(args: string[], extraEnv: Record<string, string> = {}, cwd = workspace): Promise<Run> {
    const env = { ...actionsEnvironment(github, TOKEN, summary), ...extraEnv };
    const { status, stdout, stderr } = await runNode(bin, [...args, '--json'], { cwd, env });
    outputs.push(stdout, stderr);
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(stdout) as Record<string, unknown>;
    } catch {
      // Not JSON: a usage error; the test looks at stderr.
    }
    return { status, stdout, stderr, json };
  }

  beforeAll(async () => {
    origin = bareRepository();
    const seed = cloneOf(origin);
    for (const f of shippedPartitions().slice(-3)) cpSync(path.join(root, 'data/flights', f), path.join(seed, 'data/flights', f));
    writeFileSync(path.join(seed, 'ct.config.yaml'), stringify(config()));
    writeFileSync(path.join(seed, '.gitignore'), 'out*/\n');
    commitAndPush(seed, 'flights and config');
    workspace = cloneOf(origin);
    summary = path.join(mkdtempSync(path.join(tmpdir(), 'ct-summary-')), 'summary.md');
    github = await startFakeGitHub({ owner: 'acme', repo: 'flights', token: TOKEN, headSha: (branch) => branchSha(origin, branch) });
  });

  afterAll(async () => {
    await github.close();
  });

  afterEach(() => {
    // Whatever happened, GitHub would have accepted every request ct made.
    expect(github.violations).toEqual([]);
  });

  it('first run: one commit on ct/promote/<model> from main, a pull request with the report, labels and the ct/gates check', async () => {
    const mainBefore = branchSha(origin, 'main');
    const r = await ct(['run', '--pr']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.status).toBe(0);
    const promotion = r.json.promotion;
    expect(promotion).toMatchObject({
      promoted: true,
      branch: BRANCH,
      pullRequest: { number: 1, created: true, url: 'https://github.com/acme/flights/pull/1' },
    });

    // git: main untouched, the branch is main + one commit by the bot, the working tree untouched.
    expect(branchSha(origin, 'main')).toBe(mainBefore);
    const head = branchSha(origin, BRANCH)!;
    expect(head).toBe(promotion.commit);
    expect(git(origin, ['rev-parse', `${head}^`])).toBe(mainBefore);
    expect(git(origin, ['log', '-1', '--format=%an', head])).toBe('github-actions[bot]');
    const version: string = promotion.version;
    const changed = git(origin, ['diff', '--name-only', mainBefore!, head]).split('\n');
    expect(changed).toEqual(
      expect.arrayContaining([
        'models/flight-delay/production.json',
        'models/flight-delay/history.jsonl',
        `models/flight-delay/${version}/weights.bin`,
        `models/flight-delay/${version}/MODEL_CARD.md`,
        `models/flight-delay/${version}/evaluation.md`,
      ]),
    );
    expect(JSON.parse(showFile(origin, head, 'models/flight-delay/production.json'))).toMatchObject({ version, previous: null });
    const history = showFile(origin, head, 'models/flight-delay/history.jsonl')
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(history).toEqual([
      expect.objectContaining({
        action: 'promote',
        version,
        by: { pullRequest: 1, branch: BRANCH, commit: expect.stringMatching(/^[0-9a-f]{40}$/), run: 'https://github.com/acme/flights/actions/runs/4242' },
      }),
    ]);
    expect(existsSync(path.join(workspace, 'models'))).toBe(false);

    // GitHub: one pull request into main with the report, labelled, and the verdict on its head commit.
    expect(github.pulls).toHaveLength(1);
    const pull = github.pulls[0]!;
    expect(pull).toMatchObject({ head: BRANCH, base: 'main', state: 'open', labels: ['ct', 'model-promotion'] });
    expect(pull.title).toBe(`Promote flight-delay ${version}: first model, auc ${r.json.evaluation.candidate.metrics.auc.toFixed(4)}`);
    expect(pull.body).toContain('## Evaluation of flight-delay: gates passed (rubber stamp');
    expect(pull.body).toContain('## Data validation');
    expect(pull.body).toContain('## Lineage');
    expect(pull.body).toContain(`[Model card](https://github.com/acme/flights/blob/${head}/models/flight-delay/${version}/MODEL_CARD.md)`);
    expect(pull.body.length).toBeLessThanOrEqual(65_536);
    expect(github.checkRuns.filter((c) => c.head_sha === head)).toEqual([expect.objectContaining({ name: 'ct/gates', conclusion: 'success' })]);
    expect(readFileSync(summary, 'utf8')).toContain('Pull request [#1](https://github.com/acme/flights/pull/1) opened.');
  });

  it('a newer candidate updates the same pull request in place: branch force-pushed, title and body replaced', async () => {
    const first = branchSha(origin, BRANCH)!;
    const firstTitle = github.pulls[0]!.title;
    writeFileSync(path.join(workspace, 'seed7.yaml'), stringify(config(7)));
    const r = await ct(['run', '--pr', '--config', 'seed7.yaml', '--out', 'out-seed7']);
    expect(r.status).toBe(0);
    expect(r.json.promotion).toMatchObject({ promoted: true, pullRequest: { number: 1, created: false } });
    expect(github.pulls).toHaveLength(1);
    const head = branchSha(origin, BRANCH)!;
    expect(head).not.toBe(first);
    expect(git(origin, ['rev-parse', `${head}^`])).toBe(branchSha(origin, 'main'));
    expect(github.pulls[0]!.title).not.toBe(firstTitle);
    expect(github.pulls[0]!.title).toContain(r.json.promotion.version);
    expect(JSON.parse(showFile(origin, head, 'models/flight-delay/production.json')).version).toBe(r.json.promotion.version);
    expect(github.checkRuns.filter((c) => c.head_sha === head)).toHaveLength(1);
  });

  it('failed gates: no branch update, no pull request change, and the reason in the job summary', async () => {
    const before = branchSha(origin, BRANCH);
    const pullsBefore = JSON.stringify(github.pulls);
    const requestsBefore = github.requests.length;
    const strict = config();
    (strict as Record<string, unknown>).gates = [{ metric: 'auc', lowerBound: 0.99 }];
    writeFileSync(path.join(workspace, 'strict.yaml'), stringify(strict));
    const r = await ct(['run', '--pr', '--config', 'strict.yaml', '--out', 'out-strict']);
    expect(r.status).toBe(1);
    expect(branchSha(origin, BRANCH)).toBe(before);
    expect(JSON.stringify(github.pulls)).toBe(pullsBefore);
    expect(github.requests.length).toBe(requestsBefore);
    expect(readFileSync(summary, 'utf8')).toMatch(
      /## ct: flight-delay not promoted, the gates failed\n\n- auc 0\.\d{4} is below the lower bound 0\.99\n\nNo branch was pushed and no pull request was opened\./,
    );
  });

  it('after the merge (a fast-forward of main), the next run compares against the merged model', async () => {
    const merged = JSON.parse(showFile(origin, BRANCH, 'models/flight-delay/production.json')).version as string;
    git(origin, ['update-ref', 'refs/heads/main', branchSha(origin, BRANCH)!]);
    github.mergePull(1);
    git(workspace, ['pull', '-q', '--ff-only', 'origin', 'main']);
    expect(JSON.parse(readFileSync(path.join(workspace, 'models/flight-delay/production.json'), 'utf8')).version).toBe(merged);

    const r = await ct(['run', '--pr', '--out', 'out-next']);
    expect(r.status).toBe(0);
    expect(r.json.evaluation.baseline.version).toBe(merged);
    expect(r.json.evaluation.rubberStamp).toBe(false);
    // The seed-42 candidate differs from the merged seed-7 model: a second pull request, the first is merged.
    expect(r.json.promotion).toMatchObject({ promoted: true, pullRequest: { number: 2, created: true } });
    expect(JSON.parse(showFile(origin, BRANCH, 'models/flight-delay/production.json'))).toMatchObject({ previous: merged });
    const history = showFile(origin, BRANCH, 'models/flight-delay/history.jsonl').split('\n');
    expect(history).toHaveLength(2);
  });

  it('a candidate evaluated against another production model than main holds now is refused', async () => {
    // out/ was evaluated against no production model (the first run); main now has one.
    const r = await ct(['promote', '--pr']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(
      /^ct: production on main is \S+ but the candidate was evaluated against no production model: run `ct evaluate` again before promoting$/,
    );
  });

  it('rollback --pr proposes an earlier version through the promotion branch, verified against its recorded checksums', async () => {
    // Merge pull request #2 too: main's history then holds two versions.
    git(origin, ['update-ref', 'refs/heads/main', branchSha(origin, BRANCH)!]);
    github.mergePull(2);
    git(workspace, ['pull', '-q', '--ff-only', 'origin', 'main']);
    const history = readFileSync(path.join(workspace, 'models/flight-delay/history.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(history).toHaveLength(2);
    const [older, current] = [history[0].version as string, history[1].version as string];

    const r = await ct(['rollback', older, '--pr']);
    expect(r.status).toBe(0);
    expect(r.json).toMatchObject({ promoted: true, version: older, previous: current, pullRequest: { number: 3, created: true } });
    const pointer = JSON.parse(showFile(origin, BRANCH, 'models/flight-delay/production.json'));
    expect(pointer).toMatchObject({ version: older, previous: current });
    const last = JSON.parse(showFile(origin, BRANCH, 'models/flight-delay/history.jsonl').split('\n').pop()!);
    expect(last).toMatchObject({ action: 'rollback', version: older, previous: current, by: { pullRequest: 3 } });
    expect(github.pulls[2]!.title).toBe(`Roll back flight-delay to ${older}`);
    // Nothing changed locally, and rolling back to what is production is no change at all.
    expect(JSON.parse(readFileSync(path.join(workspace, 'models/flight-delay/production.json'), 'utf8')).version).toBe(current);
    expect((await ct(['rollback', current, '--pr'])).json).toMatchObject({ unchanged: true });
  });

  it('ct verify (verify.yml) passes on the pull request branch and fails when its numbers do not reproduce', async () => {
    const reviewer = cloneOf(origin);
    git(reviewer, ['checkout', '-q', BRANCH]);
    const pointerFile = path.join(reviewer, 'models/flight-delay/production.json');
    const production = JSON.parse(readFileSync(pointerFile, 'utf8'));
    const ok = await ct(['verify'], {}, reviewer);
    expect(ok.status).toBe(0);
    expect(ok.json.checks.every((c: { ok: boolean }) => c.ok)).toBe(true);
    expect(ok.json.checks.map((c: { check: string }) => c.check)).toEqual(
      expect.arrayContaining([`checksums of ${production.version}`, `metrics of ${production.version}`]),
    );

    // A pull request whose evaluation claims a better AUC than the model has: the edit breaks the checksum...
    const file = path.join(reviewer, 'models/flight-delay', production.version, 'evaluation.json');
    const evaluation = JSON.parse(readFileSync(file, 'utf8'));
    const actual = evaluation.candidate.metrics.auc as number;
    evaluation.candidate.metrics.auc = actual + 0.01;
    writeFileSync(file, JSON.stringify(evaluation));
    const edited = await ct(['verify'], {}, reviewer);
    expect(edited.status).toBe(1);
    expect(edited.json.checks.find((c: { ok: boolean }) => !c.ok).message).toMatch(/checksum mismatch for .*evaluation\.json/);

    // ...and with the checksum forged too, re-scoring exposes it.
    production.files['evaluation.json'] = sha256File(file);
    writeFileSync(pointerFile, JSON.stringify(production));
    const forged = await ct(['verify'], {}, reviewer);
    expect(forged.status).toBe(1);
    const failed = forged.json.checks.filter((c: { ok: boolean }) => !c.ok);
    expect(failed).toEqual([
      expect.objectContaining({ check: `metrics of ${production.version}`, message: `auc: recorded ${actual + 0.01}, re-scored ${actual}` }),
    ]);
  });

  it('verify.yml catches a pull request whose weights were edited by hand, even with the checksum forged to match', async () => {
    const reviewer = cloneOf(origin);
    git(reviewer, ['checkout', '-q', BRANCH]);
    const pointerFile = path.join(reviewer, 'models/flight-delay/production.json');
    const production = JSON.parse(readFileSync(pointerFile, 'utf8'));
    const weightsFile = path.join(reviewer, 'models/flight-delay', production.version, 'weights.bin');
    // Nudge the first weights (the first embedding) as a hand edit would: same size, still finite.
    const bytes = readFileSync(weightsFile);
    const weights = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    for (let i = 0; i < Math.min(4096, weights.length); i++) weights[i] = weights[i]! + 0.25;
    writeFileSync(weightsFile, bytes);
    const edited = await ct(['verify'], {}, reviewer);
    expect(edited.status).toBe(1);
    expect(edited.json.checks.filter((c: { ok: boolean }) => !c.ok).map((c: { message: string }) => c.message)).toEqual([
      expect.stringMatching(/checksum mismatch for .*weights\.bin/),
    ]);

    production.files['weights.bin'] = sha256File(weightsFile);
    writeFileSync(pointerFile, JSON.stringify(production));
    const forged = await ct(['verify'], {}, reviewer);
    expect(forged.status).toBe(1);
    expect(forged.json.checks.filter((c: { ok: boolean }) => !c.ok)).toEqual([
      expect.objectContaining({ check: `metrics of ${production.version}`, message: expect.stringMatching(/^auc: recorded [\d.]+, re-scored [\d.]+/) }),
    ]);
  });

  it('the token is in no output and no file of either repository', async () => {
    const encoded = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
    for (const text of outputs) {
      expect(text.includes(TOKEN)).toBe(false);
      expect(text.includes(encoded)).toBe(false);
    }
    for (const dir of [path.join(workspace, '.git'), origin]) {
      expect(filesContaining(dir, TOKEN)).toEqual([]);
      expect(filesContaining(dir, encoded)).toEqual([]);
    }
    expect(git(workspace, ['remote', 'get-url', 'origin'])).toBe(origin);
    // Every API request carried the token in the Authorization header, nowhere else.
    expect(github.requests.every((q) => q.authorization === `token ${TOKEN}` || q.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });
});
