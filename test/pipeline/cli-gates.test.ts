/**
 * The promotion gates on real flights (issue: champion vs challenger): a candidate trained
 * on the newest weeks passes against a model trained a month earlier; a deliberately
 * crippled candidate fails with reasons a reviewer can read, and production stays.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ct, shippedPartitions, smallConfig, tempRepo, writeConfig } from './repo.js';

describe('gates on flight data: newer candidate vs a month-old production model', () => {
  const all = shippedPartitions();
  const february = all.slice(-4);
  const january = all.filter((f) => f >= '2001-01-25' && f <= '2001-01-28.parquet');
  const repo = tempRepo([...january, ...february], 4);
  const production = (): { version: string } => JSON.parse(readFileSync(path.join(repo, 'models/flight-delay/production.json'), 'utf8'));

  it('a model trained a month earlier goes to production first (rubber stamp)', () => {
    const config = smallConfig(4);
    config.data.window = { from: '2001-01-25', to: '2001-01-28' };
    writeConfig(repo, 'january.yaml', config);
    const r = ct(repo, ['run', '--config', 'january.yaml', '--out', 'out-january', '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).promotion).toMatchObject({ promoted: true });
    // The slice gate, skipped on each of the 10 origins for the same reason, is one row of the report.
    const report = readFileSync(path.join(repo, 'out-january/evaluation.md'), 'utf8');
    expect(report).toMatch(
      /\| ⏭️ skipped \| auc: upper bound of the delta's interval >= -0\.05 \(noHarm\) \| 10 slices \(origin=\w+, .*\) \| no production model: significance threshold skipped \(rubber stamp\) \|/,
    );
  });

  it('the candidate trained on the newest days passes against it on the same rows, with intervals and slices', () => {
    const january = production().version;
    const r = ct(repo, ['run', '--json']);
    const result = JSON.parse(r.stdout);
    const e = result.evaluation;
    expect(e.failures).toEqual([]);
    expect(r.status).toBe(0);
    expect(e).toMatchObject({ ok: true, rubberStamp: false, baseline: { version: january }, bootstrap: { samples: 1000, seed: 42, confidence: 0.95 } });
    expect(e.data.parts).toEqual(['2001-02-28']);
    const auc = e.deltas.auc;
    expect(auc.ci[0]).toBeLessThanOrEqual(auc.value);
    expect(auc.ci[1]).toBeGreaterThanOrEqual(auc.value);
    expect(auc.ci[0]).toBeGreaterThan(-0.005);
    expect(e.tests.deLong.difference).toBeCloseTo(auc.value, 12);
    expect(e.tests.mcNemar.pValue).toBeGreaterThan(0);
    expect(e.tests.mcNemar.pValue).toBeLessThanOrEqual(1);
    const origins = e.slices.filter((s: { name: string }) => s.name === 'origin');
    expect(origins).toHaveLength(10);
    // The slice gate is applied to each of the 10 busiest origins.
    expect(e.checks.filter((c: { slice: string | null }) => c.slice?.startsWith('origin=')).map((c: { slice: string }) => c.slice)).toEqual(
      origins.map((s: { key: string }) => s.key),
    );
    expect(e.infra).toMatchObject({ ok: true, shape: [256, 1], nonFinite: 0 });
    expect(result.promotion).toMatchObject({ promoted: true, previous: january });
    const report = readFileSync(path.join(repo, 'out/evaluation.md'), 'utf8');
    expect(report).toContain('# Evaluation of flight-delay: gates passed');
    expect(report).toContain("| ✅ pass | auc: upper bound of the delta's interval >= -0.005 (noHarm) | all rows |");
    expect(report).toContain("DeLong's test of the AUC difference");
    expect(report).toContain('```mermaid\nxychart-beta\n  title "ROC curve (lines: candidate, production, chance)"');
    expect(report).toContain('| origin=');
  });

  it('a deliberately crippled candidate (one uninformative feature) fails with readable reasons; production stays', () => {
    const before = production().version;
    const config = smallConfig(4);
    config.features = [{ name: 'day_of_week', column: 'date', transform: 'dayOfWeek', embedding: 4 }];
    writeConfig(repo, 'crippled.yaml', config);
    const r = ct(repo, ['run', '--config', 'crippled.yaml', '--out', 'out-crippled', '--json']);
    expect(r.status).toBe(1);
    const e = JSON.parse(r.stdout).evaluation;
    const messages = e.failures.map((f: { message: string }) => f.message);
    // One evaluation day has one day of week: every row gets the same score.
    expect(messages).toContain('auc 0.5000 is below the lower bound 0.55');
    expect(messages.find((m: string) => m.startsWith('auc delta -'))).toMatch(
      /^auc delta -0\.\d{4}, interval \[-0\.\d{4}, -0\.\d{4}\]: its upper bound -0\.\d{4,8} is beyond -0\.0050\d{0,4}, so the candidate is worse by more than 0\.005$/,
    );
    expect(messages.some((m: string) => /^auc on origin=\w+ delta -0\.\d{4}, interval .*: its upper bound -0\.\d{4,8} is beyond -0\.0500/.test(m))).toBe(true);
    expect(r.stderr).toContain('gate failed: auc 0.5000 is below the lower bound 0.55');
    expect(readFileSync(path.join(repo, 'out-crippled/evaluation.md'), 'utf8')).toContain('## Why it failed\n\n- auc 0.5000 is below the lower bound 0.55');
    expect(production().version).toBe(before);
  });
});
