/**
 * `ct monitor --github` end to end: the compiled `ct` in a clone of a real bare
 * repository, GitHub's REST API on loopback (every request checked against GitHub's
 * OpenAPI description). New days arrive one by one; days whose labels were inverted
 * (delay negated) make the production model decay. The decisions go through all three
 * outcomes: nothing to do, retrain (ct.yml dispatched), alert (one issue opened, then
 * updated), and recovery closes the issue. The history grows on its own branch.
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { parquetWriteFile } from 'hyparquet-writer';
import { stringify } from 'yaml';
import { root, runNode, shippedPartitions, smallConfig } from '../pipeline/repo.js';
import { actionsEnvironment, type FakeGitHub, startFakeGitHub } from './fake-github.js';
import { bareRepository, branchSha, cloneOf, commitAndPush, git, showFile } from './git-repos.js';

const TOKEN = 'ghs_monitorTEST0123456789abcdef';
const bin = path.join(root, 'bin/ct.js');
const HISTORY = 'models/flight-delay/monitor.jsonl';
const days = shippedPartitions();
// The --json result and history lines, read loosely: the assertions say what must be there.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** Writes `day` of the shipped data into `dir`, with every delay negated when `invert`: the labels flip. */
async function writeDay(dir: string, day: string, invert: boolean): Promise<void> {
  const source = path.join(root, 'data/flights', day);
  const target = path.join(dir, 'data/flights', day);
  if (!invert) return cpSync(source, target);
  const file = await asyncBufferFromFile(source);
  const metadata = await parquetMetadataAsync(file);
  // Timestamps stay raw microseconds so they are written back unchanged.
  const rows = (await parquetReadObjects({ file, metadata, compressors, parsers: { timestampFromMicroseconds: (micros: bigint) => micros } })) as Array<
    Record<string, unknown>
  >;
  const columns = metadata.schema.slice(1).map((e) => e.name);
  parquetWriteFile({
    filename: target,
    columnData: columns.map((name) => ({ name, data: rows.map((r) => (name === 'delay' ? -(r[name] as bigint) : r[name])) })),
    // hyparquet-writer bundles its own hyparquet: the same schema elements, another copy of their type.
    schema: metadata.schema as Parameters<typeof parquetWriteFile>[0]['schema'],
  });
}

describe('ct monitor --github: retrain, alert, recover', () => {
  let origin: string;
  let workspace: string;
  let github: FakeGitHub;
  let summary: string;

  async function monitor(): Promise<{ status: number; stderr: string; json: Json }> {
    const r = await runNode(bin, ['monitor', '--github', '--json'], { cwd: workspace, env: actionsEnvironment(github, TOKEN, summary, '777') });
    let json: Json = {};
    try {
      json = JSON.parse(r.stdout) as Json;
    } catch {
      // Not JSON: the assertions on stderr say why.
    }
    return { status: r.status, stderr: r.stderr, json };
  }

  /** The monitor history on its branch, parsed. */
  function branchHistory(): Array<Json> {
    return showFile(origin, 'ct/monitor', HISTORY)
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Json);
  }

  beforeAll(async () => {
    origin = bareRepository();
    const seed = cloneOf(origin);
    for (const f of days.slice(0, 5)) cpSync(path.join(root, 'data/flights', f), path.join(seed, 'data/flights', f));
    const config = smallConfig(5);
    // Real days move the small model's AUC by a few hundredths; inverted labels by about a quarter.
    (config as Record<string, unknown>).monitoring = {
      newestDays: 1,
      minRows: 500,
      retrainDrop: 0.1,
      alertDrop: 0.5,
      alertAfterRetrains: 2,
      retrainOnDrift: false,
    };
    writeFileSync(path.join(seed, 'ct.config.yaml'), stringify(config));
    writeFileSync(path.join(seed, '.gitignore'), 'out/\n');
    commitAndPush(seed, 'flights and config');
    workspace = cloneOf(origin);
    // The production model: trained and promoted on the first five days, merged to main.
    const run = await runNode(bin, ['run', '--quiet'], { cwd: workspace });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    commitAndPush(workspace, 'promote the first model');
    summary = path.join(mkdtempSync(path.join(tmpdir(), 'ct-summary-')), 'summary.md');
    github = await startFakeGitHub({
      owner: 'acme',
      repo: 'flights',
      token: TOKEN,
      headSha: (branch) => branchSha(origin, branch),
      workflows: { 'ct.yml': ['dry-run', 'force-retrain', 'model'] },
    });
  }, 240_000);

  afterAll(async () => {
    await github?.close();
  });

  afterEach(() => {
    expect(github.violations).toEqual([]);
  });

  it('a healthy new day: nothing to do, no dispatch, no issue; the history branch starts from main', async () => {
    const main = branchSha(origin, 'main');
    await writeDay(workspace, days[5]!, false);
    const r = await monitor();
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.status).toBe(0);
    expect(r.json).toMatchObject({
      outcome: 'none',
      retrain: false,
      window: { first: '2001-01-06', last: '2001-01-06' },
      actions: { dispatched: null, issue: null },
    });
    expect(r.json.rows).toBeGreaterThan(500);
    expect(github.dispatches).toEqual([]);
    expect(github.issues).toEqual([]);
    expect(branchSha(origin, 'main')).toBe(main);
    expect(git(origin, ['rev-parse', 'ct/monitor^'])).toBe(main);
    expect(branchHistory()).toEqual([expect.objectContaining({ outcome: 'none', production: r.json.production })]);
  });

  it('decay: retrain, ct.yml dispatched with force-retrain and the config; twice', async () => {
    for (const [k, day] of [days[6]!, days[7]!].entries()) {
      await writeDay(workspace, day, true);
      const r = await monitor();
      expect(r.status).toBe(0);
      expect(r.json).toMatchObject({ outcome: 'retrain', retrain: true, retrainStreak: k + 1, actions: { dispatched: 'ct.yml@main', issue: null } });
      expect(r.json.drop).toBeGreaterThan(0.1);
      // Negated delays leave almost no late flight: the label's positive rate moved (reported, not acted on here).
      expect(r.json.drift).toMatchObject({ label: true });
    }
    expect(github.dispatches).toEqual([
      { workflow: 'ct.yml', ref: 'main', inputs: { 'force-retrain': 'true', model: 'ct.config.yaml' } },
      { workflow: 'ct.yml', ref: 'main', inputs: { 'force-retrain': 'true', model: 'ct.config.yaml' } },
    ]);
    expect(github.issues).toEqual([]);
    expect(branchHistory().map((h) => h.outcome)).toEqual(['none', 'retrain', 'retrain']);
  });

  it('still decayed after two retrain requests: alert, one issue opened with the evidence; then updated, never a second one', async () => {
    await writeDay(workspace, days[8]!, true);
    const first = await monitor();
    expect(first.status).toBe(1);
    expect(first.stderr).toMatch(/retraining was asked for in 2 run\(s\) in a row/);
    expect(first.json).toMatchObject({ outcome: 'alert', retrain: true, actions: { issue: { number: 1, action: 'opened' } } });
    expect(github.issues).toHaveLength(1);
    const issue = github.issues[0]!;
    expect(issue).toMatchObject({ state: 'open', labels: ['ct', 'model-monitoring'] });
    expect(issue.title).toMatch(/^ct monitor: flight-delay auc 0\.\d{4}, 0\.\d{4} at promotion$/);
    expect(issue.body).toContain('<!-- ct-monitor:flight-delay -->');
    expect(issue.body).toContain('| run | production | new data | rows | auc | vs promotion | decision |');
    expect(issue.body).toContain('https://github.com/acme/flights/actions/runs/777');

    await writeDay(workspace, days[9]!, true);
    const second = await monitor();
    expect(second.status).toBe(1);
    expect(second.json).toMatchObject({ outcome: 'alert', actions: { issue: { number: 1, action: 'updated' } } });
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]!.comments).toEqual([expect.stringMatching(/^Still alert: /)]);
    expect(github.dispatches).toHaveLength(4);
  });

  it('recovery closes the issue as completed; a rerun on the same data decides nothing and commits nothing', async () => {
    await writeDay(workspace, days[10]!, false);
    const r = await monitor();
    expect(r.status).toBe(0);
    expect(r.json).toMatchObject({ outcome: 'none', actions: { issue: { number: 1, action: 'closed' } } });
    expect(github.issues[0]).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(github.issues[0]!.comments.at(-1)).toMatch(/^Recovered: auc 0\.\d{4}/);
    expect(branchHistory().map((h) => h.outcome)).toEqual(['none', 'retrain', 'retrain', 'alert', 'alert', 'none']);

    const tip = branchSha(origin, 'ct/monitor');
    const again = await monitor();
    expect(again.status).toBe(0);
    expect(again.json.reasons[0]).toMatch(/^nothing new since the monitor run of /);
    expect(branchSha(origin, 'ct/monitor')).toBe(tip);
    expect(github.issues).toHaveLength(1);
    expect(github.dispatches).toHaveLength(4);
  });
});
