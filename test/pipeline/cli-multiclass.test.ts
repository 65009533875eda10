/**
 * `ct run` and `ct evaluate` on a multiclass table nobody tuned ct for (vega-datasets'
 * penguins): metrics, intervals and McNemar's test against a production model; and a
 * production model whose class list differs is refused, not compared row by row.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { sha256File } from '../../src/files.js';
import { ct, LOOSE_LATENCY_MS, penguinsConfig, penguinsFolder } from './repo.js';

describe('multiclass evaluation end to end (penguins)', () => {
  const dir = penguinsFolder('ct-penguins-');
  const config = (seed: number) =>
    penguinsConfig(
      {
        evaluation: { bootstrap: { samples: 200 }, minSliceRows: 20, slices: [{ column: 'Island' }], infraCheck: { latencyBudgetMs: LOOSE_LATENCY_MS } },
        gates: [
          { metric: 'accuracy', lowerBound: 0.6 },
          { metric: 'macroF1', significance: { test: 'nonInferiority', margin: 0.2 } },
        ],
      },
      seed,
    );
  writeFileSync(path.join(dir, 'ct.config.yaml'), stringify(config(42)));
  writeFileSync(path.join(dir, 'seed7.yaml'), stringify(config(7)));

  it('first model: accuracy, macro-F1 and log loss; no ROC curve; rubber stamp', () => {
    const r = ct(dir, ['run', '--json']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.status).toBe(0);
    const e = JSON.parse(r.stdout).evaluation;
    expect(Object.keys(e.candidate.metrics).sort()).toEqual(['accuracy', 'logLoss', 'macroF1', 'modelBytes']);
    // Latency is measured on this machine: it lives in the record's timing field.
    expect(Object.keys(e.timing.latency.candidate).sort()).toEqual(['latencyP50Ms', 'latencyP95Ms']);
    expect(e.candidate.metrics.accuracy).toBeGreaterThan(0.6);
    expect(e).toMatchObject({ rubberStamp: true, curves: null, tests: { deLong: null, mcNemar: null }, infra: { ok: true } });
    expect(e.slices.map((s: { key: string }) => s.key).sort()).toEqual(['Island=Biscoe', 'Island=Dream', 'Island=Torgersen']);
  });

  it('against production: paired intervals and McNemar, no DeLong', () => {
    const r = ct(dir, ['run', '--config', 'seed7.yaml', '--out', 'out7', '--json']);
    const e = JSON.parse(r.stdout).evaluation;
    expect(e.rubberStamp).toBe(false);
    expect(e.deltas.accuracy.ci).toHaveLength(2);
    expect(e.deltas.macroF1.ci[0]).toBeLessThanOrEqual(e.deltas.macroF1.ci[1]);
    expect(e.tests.deLong).toBeNull();
    expect(e.tests.mcNemar.pValue).toBeGreaterThan(0);
    expect(e.checks.find((c: { metric: string; threshold: string }) => c.threshold.includes('nonInferiority')).skipped).toBe(false);
  });

  it('a production model with another class order is refused with one line', () => {
    const registry = path.join(dir, 'models/penguins');
    const pointer = JSON.parse(readFileSync(path.join(registry, 'production.json'), 'utf8'));
    const file = path.join(registry, pointer.version, 'preprocessing.json');
    const prep = JSON.parse(readFileSync(file, 'utf8'));
    prep.label.classes = [...prep.label.classes].reverse();
    writeFileSync(file, JSON.stringify(prep));
    pointer.files['preprocessing.json'] = sha256File(file);
    writeFileSync(path.join(registry, 'production.json'), JSON.stringify(pointer));
    const r = ct(dir, ['evaluate', '--config', 'seed7.yaml', '--out', 'out7']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n').pop()).toMatch(
      /^ct: production model \S+ predicts the classes \["Gentoo","Chinstrap","Adelie"\], the candidate \["Adelie","Chinstrap","Gentoo"\]: their outputs cannot be compared row by row$/,
    );
  });
});
