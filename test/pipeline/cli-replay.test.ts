/**
 * `ct replay` on a small slice of the shipped data: three steps, each running the real
 * pipeline into a temporary registry, the served models scored on the following days.
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readTables } from '../../src/data/read.js';
import { type Table, valueAt } from '../../src/data/table.js';
import { ct, root, shippedPartitions, smallConfig, tempRepo, writeConfig } from './repo.js';

type Json = Record<string, unknown>;
type Value = string | number | boolean | null;

/** A table as CSV (timestamps as ISO minutes), each value through `change`. */
function csvOf(table: Table, change: (column: string, value: Value) => Value): string {
  const lines = [table.columns.map((c) => c.name).join(',')];
  for (let i = 0; i < table.rowCount; i++) {
    lines.push(
      table.columns
        .map((c) => {
          const v = valueAt(c, i);
          const text = c.type === 'timestamp' && v !== null ? new Date(typeof v === 'number' ? v : String(v)).toISOString().slice(0, 16) : v;
          return String(change(c.name, text) ?? '');
        })
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}

describe('ct replay', () => {
  const repo = tempRepo(shippedPartitions().slice(0, 9), 3);
  // A change gate no candidate can pass: after the first model (rubber stamp) the gated
  // policy keeps it, so "gated" must equal "never" while "always" serves every candidate.
  const config = smallConfig(3);
  (config as Record<string, unknown>).gates = [
    { metric: 'auc', lowerBound: 0.5 },
    { metric: 'auc', change: { direction: 'higherIsBetter', absolute: 0.5 } },
  ];
  writeConfig(repo, 'ct.config.yaml', config);

  it('runs the pipeline at each step and scores never / always / gated on the next period', () => {
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('ct-replay-registry-'));
    const r = ct(repo, ['replay', '--from', '2001-01-04', '--to', '2001-01-08', '--every', '2d', '--json']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({
      format: 'ct-replay',
      model: 'flight-delay',
      metric: 'auc',
      from: '2001-01-04',
      to: '2001-01-08',
      everyDays: 2,
      windowDays: 3,
      evaluationDays: 1,
    });
    expect(result.steps.map((s: { date: string }) => s.date)).toEqual(['2001-01-04', '2001-01-06', '2001-01-08']);
    const [first, second, third] = result.steps;
    // Step one trains on the 3 days before it and promotes the first model.
    expect(first).toMatchObject({
      window: { first: '2001-01-01', last: '2001-01-03' },
      next: { first: '2001-01-04', last: '2001-01-05' },
      stoppedAt: null,
      promoted: true,
    });
    expect(first.served.never).toBe(first.served.gated);
    expect(first.scores.never).toBe(first.scores.gated);
    for (const step of [second, third]) {
      expect(step).toMatchObject({ stoppedAt: 'evaluate', promoted: false });
      expect(step.reasons.join(' ')).toMatch(/auc changed by/);
      expect(step.served.gated).toBe(first.served.gated);
      expect(step.served.never).toBe(first.served.gated);
      expect(step.served.always).toBe(`candidate ${step.date}`);
      expect(step.scores.gated).toBe(step.scores.never);
      expect(step.next.rows).toBeGreaterThan(10_000);
      for (const p of ['never', 'always', 'gated']) expect(step.scores[p]).toBeGreaterThan(0.5);
    }
    // The last period runs past the data: it is cut to the days there are.
    expect(third.next).toMatchObject({ first: '2001-01-08', last: '2001-01-09' });
    expect(result.policies.gated.mean).toBeCloseTo(result.policies.never.mean, 12);
    expect(result.policies.always.changes).toBe(2);
    expect(result.policies.gated.changes).toBe(0);

    // Outputs: JSON, CSV, Markdown with the chart; step records; no model folders; the temporary registry removed.
    const out = path.join(repo, 'out/replay');
    const csv = readFileSync(path.join(out, 'replay.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe(
      'step,window_first,window_last,next_first,next_last,next_rows,stopped_at,promoted,delta_auc,delta_ci_low,delta_ci_high,never_auc,always_auc,gated_auc,never_model,always_model,gated_model,seconds,candidate_start,validate_seconds,train_seconds,evaluate_seconds,reasons,retry_date,retry_stopped_at,retry_promoted',
    );
    expect(csv).toHaveLength(4);
    const md = readFileSync(path.join(out, 'replay.md'), 'utf8');
    expect(md).toContain('# Replay of flight-delay: 2001-01-04..2001-01-08, every 2 day(s)');
    expect(md).toMatch(
      /```mermaid\nxychart-beta\n {2}title "Next-period auc: never \(1st line\), always \(2nd\), gated \(3rd\)"\n {2}x-axis "step" \["01-04", "01-06", "01-08"\]\n {2}y-axis "auc" 0\.\d\d --> 0\.\d\d\n( {2}line \[[^\]]+\]\n){3}```/,
    );
    expect(readFileSync(path.join(out, 'registry-history.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
    expect(readdirSync(path.join(out, 'steps'))).toEqual(['2001-01-04', '2001-01-06', '2001-01-08']);
    expect(existsSync(path.join(out, 'steps/2001-01-06/evaluation.json'))).toBe(true);
    expect(existsSync(path.join(out, 'steps/2001-01-06/model'))).toBe(false);
    expect(existsSync(path.join(repo, 'models'))).toBe(false);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('ct-replay-registry-'))).toEqual(before);
  }, 240_000);

  it('refuses what it cannot use with one line and exit code 2', () => {
    const cases: Array<[string[], RegExp]> = [
      [
        ['--from', '2001-01-01', '--to', '2001-01-05'],
        /^ct: --from 2001-01-01: data\/flights starts on 2001-01-01; the first step needs days before it to train on\n$/,
      ],
      [['--from', '2001-01-05', '--to', '2001-01-04'], /^ct: --from 2001-01-05 is after --to 2001-01-04\n$/],
      [
        ['--from', '2001-01-05', '--to', '2001-01-06', '--every', 'weekly'],
        /^ct: --every: expected a period such as 7d, 1w or 1 \(days, 1\.\.366\), got "weekly"\n$/,
      ],
      [['--from', '2001-01-05', '--to', '2001-01-06', '--window-days', '1'], /^ct: --window-days: expected a whole number of days >= 2, got 1\n$/],
      [['--to', '2001-01-06'], /^ct: ct replay: --from <date> is required\n$/],
    ];
    for (const [args, message] of cases) {
      const r = ct(repo, ['replay', ...args]);
      expect([args.join(' '), r.status]).toEqual([args.join(' '), 2]);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe('ct replay: a step stopped by a bad day runs again the next day, the day quarantined', () => {
  const repo = tempRepo(shippedPartitions().slice(0, 8), 3);
  cpSync(path.join(root, 'data/flights/schema.json'), path.join(repo, 'data/flights/schema.json'));
  const replay = (extra: string[]): Json => {
    const r = ct(repo, ['replay', '--from', '2001-01-04', '--to', '2001-01-06', '--every', '2d', '--json', ...extra]);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: expect.not.stringMatching(/internal error/) as unknown });
    return JSON.parse(r.stdout) as Json;
  };

  beforeAll(async () => {
    // 2001-01-05 arrives with every distance negated: the newest day of the step of 01-06.
    const file = path.join(repo, 'data/flights/2001-01-05.parquet');
    const table = await readTables([file]);
    rmSync(file);
    writeFileSync(
      path.join(repo, 'data/flights/2001-01-05.csv'),
      csvOf(table, (name, v) => (name === 'distance' ? -Number(v) : v)),
    );
  });

  it('retried: trained without the bad day, served from the retry on, scores pooled over the period', () => {
    const retried = replay([]);
    const step = (retried.steps as Json[])[1]!;
    expect(step).toMatchObject({ date: '2001-01-06', stoppedAt: 'validate', next: { first: '2001-01-06', last: '2001-01-07' } });
    expect((step.reasons as string[]).join(' ')).toMatch(/column "distance": .* are negative/);
    expect(step.retry).toMatchObject({ date: '2001-01-07' });
    expect((step.retry as Json).stoppedAt).not.toBe('validate');
    expect((step.served as Json).always).toBe('candidate 2001-01-07');
    expect(readFileSync(path.join(repo, 'out/replay/replay.md'), 'utf8')).toMatch(/❌ validate: .*negative.*; retried 2001-01-07, bad day quarantined: /);
    expect(readFileSync(path.join(repo, 'out/replay/replay.csv'), 'utf8')).toMatch(/^2001-01-06,.*,2001-01-07,[a-z]*,(true|false)$/m);
    const validation = JSON.parse(readFileSync(path.join(repo, 'out/replay/steps/2001-01-06/retry/validation.json'), 'utf8')) as Json;
    expect((validation.quarantined as Json[]).map((q) => q.date)).toEqual(['2001-01-05']);
    expect((validation.files as string[]).some((f) => f.includes('2001-01-05'))).toBe(false);

    // Without retries the step's models serve the whole period; "never" serves the same model either way, so its pooled score is the same.
    const waited = replay(['--retry-days', '0']);
    const plain = (waited.steps as Json[])[1]!;
    expect(plain.retry).toBeUndefined();
    expect((plain.served as Json).always).toBe('candidate 2001-01-04');
    expect((plain.scores as Json).never as number).toBeCloseTo((step.scores as Json).never as number, 10);
  }, 300_000);
});

describe('ct replay --update --calibrate', () => {
  const repo = tempRepo(shippedPartitions().slice(0, 10), 4);
  const config = smallConfig(4);
  // Gates any candidate passes: every step promotes, so blocking it is scored too (`kept`).
  config.gates = [
    { metric: 'auc', lowerBound: 0.5 },
    { metric: 'auc', significance: { test: 'noHarm', margin: 0.5 } },
  ];
  writeConfig(repo, 'ct.config.yaml', config);

  it('updates production after the first step, then re-judges every step under variants of the gates', () => {
    const r = ct(repo, ['replay', '--from', '2001-01-05', '--to', '2001-01-07', '--every', '2d', '--update', '--calibrate', '--json']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout) as Json;
    expect(result.update).toBe(true);
    const steps = result.steps as Json[];
    expect(steps.map((s) => [s.start, s.promoted])).toEqual([
      ['full', true],
      ['warm', true],
    ]);
    // The production model each promoting step started from, scored on its next period.
    expect(steps[0]!.kept).toBeUndefined();
    for (const s of steps.slice(1)) expect(s.kept).toBeGreaterThan(0.5);
    for (const s of steps) expect((s.cost as Json).train).toBeGreaterThan(0);
    const policies = result.policies as Record<string, Json>;
    expect(policies.gated!.runnerSeconds).toBeGreaterThan(policies.never!.runnerSeconds as number);

    const out = path.join(repo, 'out/replay');
    const calibration = JSON.parse(readFileSync(path.join(out, 'calibration.json'), 'utf8')) as Json;
    expect(calibration).toMatchObject({ metric: 'auc', judgedSteps: 1, configured: 'as configured' });
    const configured = (calibration.variants as Json[]).find((v) => v.name === 'as configured')!;
    // The configured gates promoted the judged step, as the replay did.
    expect(configured).toMatchObject({ promoted: 1, blocked: 0 });
    expect(configured.mean as number).toBeCloseTo(policies.gated!.mean as number, 10);
    expect(readFileSync(path.join(out, 'calibration.md'), 'utf8')).toContain("# Calibration of flight-delay's gates: 2001-01-05..2001-01-07");
    expect(readFileSync(path.join(out, 'calibration.yaml'), 'utf8')).toMatch(/^# ct replay --calibrate[\s\S]*\ngates:\n/);
    expect(readFileSync(path.join(out, 'replay.md'), 'utf8')).toContain('| warm start |');
  }, 300_000);
});
