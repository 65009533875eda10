/**
 * `ct replay --calibrate`: each step's evaluation gated again under variants of the gates,
 * what each variant would have served, the best, and how stable that choice is.
 */
import type { EvaluationRecord } from '../../src/artifacts.js';
import type { GateConfig } from '../../src/config/types.js';
import { calibrate, type CalibrationStep, gateVariants } from '../../src/replay/calibrate.js';
import { calibrationLine, calibrationMarkdown, calibrationYaml } from '../../src/report/calibration.js';
import type { ReplayResult } from '../../src/artifacts.js';

/** An evaluation record with what gating reads: AUC of both models, the delta's interval, one slice. */
function evaluation(delta: number, ci: [number, number], slice: { delta: number; ci: [number, number] }): EvaluationRecord {
  const base = 0.7;
  return {
    rubberStamp: false,
    rows: 40_000,
    candidate: { metrics: { auc: base + delta } },
    baseline: { version: 'v', metrics: { auc: base } },
    deltas: { auc: { value: delta, ci } },
    bootstrap: { samples: 1000, seed: 1, confidence: 0.95 },
    slices: [
      {
        name: 'origin',
        key: 'origin=ORD',
        value: 'ORD',
        rows: 2000,
        skipped: null,
        candidate: { auc: 0.7 + slice.delta },
        baseline: { auc: 0.7 },
        deltas: { auc: { value: slice.delta, ci: slice.ci } },
      },
    ],
    timing: { latency: { candidate: {}, baseline: {} } },
  } as unknown as EvaluationRecord;
}

const configured: GateConfig[] = [
  { metric: 'auc', lowerBound: 0.55 },
  { metric: 'auc', significance: { test: 'nonInferiority', margin: 0.005 } },
  { metric: 'auc', slice: 'origin', change: { direction: 'higherIsBetter', absolute: -0.05 } },
];

// Step 1: a small loss within noise that won the next week; step 2: a clear loss that lost;
// step 3: better overall, one slice's point estimate below -0.05 (noise), won the next week.
const steps: CalibrationStep[] = [
  { date: '2001-01-29', evaluation: null, candidate: null, kept: null, served: 0.68 },
  { date: '2001-02-05', evaluation: evaluation(-0.002, [-0.006, 0.001], { delta: 0.01, ci: [-0.03, 0.05] }), candidate: 0.71, kept: 0.69, served: 0.69 },
  { date: '2001-02-12', evaluation: evaluation(-0.02, [-0.025, -0.015], { delta: -0.02, ci: [-0.06, 0.02] }), candidate: 0.67, kept: 0.7, served: 0.7 },
  { date: '2001-02-19', evaluation: evaluation(0.01, [0.006, 0.014], { delta: -0.06, ci: [-0.11, -0.01] }), candidate: 0.72, kept: 0.7, served: 0.7 },
];

describe('calibration of the gates on a replay', () => {
  const variants = gateVariants(configured, 'auc');

  it('varies the overall and slice tests of the headline metric, keeping the other gates', () => {
    expect(variants[0]).toEqual({ name: 'as configured', gates: configured });
    expect(variants.map((v) => v.name)).toContain('noHarm 0.005; slices noHarm 0.05');
    const noHarm = variants.find((v) => v.name === 'noHarm 0.005; slices noHarm 0.05')!;
    expect(noHarm.gates).toEqual([
      { metric: 'auc', lowerBound: 0.55 },
      { metric: 'auc', significance: { test: 'noHarm', margin: 0.005 } },
      { metric: 'auc', slice: 'origin', significance: { test: 'noHarm', margin: 0.05 } },
    ]);
    expect(new Set(variants.map((v) => v.name)).size).toBe(variants.length);
    // A combination equal to the configured gates is not tried twice.
    const shipped: GateConfig[] = [configured[0]!, ...noHarm.gates.slice(1)];
    const names = gateVariants(shipped, 'auc').map((v) => v.name);
    expect(names).toContain('as configured');
    expect(names).not.toContain('noHarm 0.005; slices noHarm 0.05');
    expect(names).not.toContain('overall as configured; slices as configured');
  });

  it('credits each variant with what it would have served, and picks the best', () => {
    const c = calibrate(steps, variants, { metric: 'auc', higherIsBetter: true, resamples: 200, seed: 7 });
    expect(c.judgedSteps).toBe(3);
    const as = c.variants.find((v) => v.name === 'as configured')!;
    // Configured: blocks all three (interval below -0.005 at step 1; clear loss; slice point -0.06).
    expect(as).toMatchObject({ promoted: 0, blocked: 3 });
    expect(as.mean).toBeCloseTo((0.68 + 0.69 + 0.7 + 0.7) / 4, 12);
    const best = c.variants.find((v) => v.name === c.best)!;
    // The best promotes steps 1 and 3 and blocks step 2.
    expect(best.mean).toBeCloseTo((0.68 + 0.71 + 0.7 + 0.72) / 4, 12);
    expect(best).toMatchObject({ promoted: 2, blocked: 1 });
    expect(c.stability.resamples).toBe(200);
    expect(c.stability.bestShare).toBeGreaterThan(0.5);
    expect(c.stability.bestShare).toBeLessThanOrEqual(1);
  });

  it('keeps the configured gates when nothing does better', () => {
    const flat = steps.map((s) => ({ ...s, candidate: s.kept }));
    expect(calibrate(flat, variants, { metric: 'auc', higherIsBetter: true, resamples: 10 }).best).toBe('as configured');
  });

  it('writes a report, a config section and a line', () => {
    const c = calibrate(steps, variants, { metric: 'auc', higherIsBetter: true, resamples: 50, seconds: 0.4 });
    const replay = { model: 'flight-delay', from: '2001-01-29', to: '2001-02-19', steps: steps.map((s) => ({ date: s.date })) } as unknown as ReplayResult;
    const md = calibrationMarkdown(c, replay);
    expect(md).toContain("# Calibration of flight-delay's gates: 2001-01-29..2001-02-19");
    expect(md).toContain(`Best: **${c.best}**`);
    expect(md).toContain('| 1 |');
    const yaml = calibrationYaml(c);
    expect(yaml).toMatch(/^# ct replay --calibrate/);
    expect(yaml).toContain('gates:\n  - metric: auc\n    lowerBound: 0.55\n');
    expect(calibrationLine(c, 'out/replay/calibration.md')).toMatch(/^calibration: ".*" would have served \+0\.\d{4} auc over the configured gates/);
  });
});
