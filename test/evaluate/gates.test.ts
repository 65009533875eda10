import type { GateConfig } from '../../src/config/types.js';
import { apart, applyGates, type GateScope } from '../../src/evaluate/gates.js';
import type { Metrics } from '../../src/evaluate/metrics.js';

/** The whole evaluation set with these metrics (and bootstrap intervals of the deltas). */
function scope(candidate: Metrics, baseline: Metrics | null, intervals: Record<string, [number, number]> = {}, slice: string | null = null): GateScope {
  return {
    slice,
    rows: 1000,
    skipped: null,
    candidate,
    baseline,
    intervals: Object.fromEntries(Object.entries(intervals).map(([k, ci]) => [k, { ci, draws: 1000 }])),
  };
}
const gate = (g: GateConfig): GateConfig[] => [g];

describe('applyGates (TFX Evaluator semantics)', () => {
  const notWorse: GateConfig = { metric: 'auc', change: { direction: 'higherIsBetter', absolute: -1e-10 } };

  it('value thresholds are inclusive and unset bounds are open', () => {
    expect(applyGates(gate({ metric: 'auc', lowerBound: 0.6 }), scope({ auc: 0.6 }, null)).ok).toBe(true);
    expect(applyGates(gate({ metric: 'auc', lowerBound: 0.6 }), scope({ auc: 0.5999 }, null)).ok).toBe(false);
    expect(applyGates(gate({ metric: 'logLoss', upperBound: 0.5 }), scope({ logLoss: 0.5 }, null)).ok).toBe(true);
    expect(applyGates(gate({ metric: 'logLoss', lowerBound: 0.1, upperBound: 0.5 }), scope({ logLoss: 0.05 }, null)).ok).toBe(false);
  });

  it('a failed value threshold says what a reviewer needs to know', () => {
    const r = applyGates(gate({ metric: 'auc', lowerBound: 0.65 }), scope({ auc: 0.641 }, null));
    expect(r.failures[0]!.message).toBe('auc 0.6410 is below the lower bound 0.65');
    expect(applyGates(gate({ metric: 'latencyP95Ms', upperBound: 50 }), scope({ latencyP95Ms: 61.5 }, null)).failures[0]!.message).toBe(
      'latencyP95Ms 61.5000 is above the upper bound 50',
    );
  });

  it('a passed check of a measured metric records no value, so a rerun writes the same check; a failed one shows it', () => {
    const measured = { measured: ['latencyP95Ms'] };
    const gates: GateConfig[] = [
      { metric: 'latencyP95Ms', upperBound: 50 },
      { metric: 'latencyP95Ms', change: { direction: 'lowerIsBetter', absolute: 5 } },
    ];
    const passed = applyGates(gates, scope({ latencyP95Ms: 41.5 }, { latencyP95Ms: 40 }), [], measured);
    expect(passed.checks.map(({ value, baselineValue, delta, message, passed: ok }) => ({ value, baselineValue, delta, message, ok }))).toEqual([
      { value: null, baselineValue: null, delta: null, message: 'latencyP95Ms is within bounds', ok: true },
      { value: null, baselineValue: null, delta: null, message: 'latencyP95Ms: the change from production is within the threshold', ok: true },
    ]);
    const failed = applyGates(gates, scope({ latencyP95Ms: 61.5 }, { latencyP95Ms: 40 }), [], measured);
    expect(failed.failures.map((f) => [f.value, f.message])).toEqual([
      [61.5, 'latencyP95Ms 61.5000 is above the upper bound 50'],
      [61.5, 'latencyP95Ms changed by +21.5000 (61.5000 vs production 40); the gate needs a delta <= 5'],
    ]);
  });

  it('with no production model, change and significance thresholds are skipped and the result is a rubber stamp', () => {
    const r = applyGates(
      [notWorse, { metric: 'auc', significance: { test: 'improvement', margin: 0 } }, { metric: 'auc', lowerBound: 0.55 }],
      scope({ auc: 0.6 }, null),
    );
    expect(r).toMatchObject({ ok: true, rubberStamp: true });
    expect(r.checks.map((c) => [c.skipped, c.passed])).toEqual([
      [true, true],
      [true, true],
      [false, true],
    ]);
  });

  it('value thresholds still apply to a rubber stamp', () => {
    const r = applyGates([notWorse, { metric: 'auc', lowerBound: 0.65 }], scope({ auc: 0.6 }, null));
    expect(r).toMatchObject({ ok: false, rubberStamp: true });
    expect(r.failures).toHaveLength(1);
  });

  it('higherIsBetter passes when delta >= absolute', () => {
    expect(applyGates([notWorse], scope({ auc: 0.7 }, { auc: 0.7 })).ok).toBe(true);
    const worse = applyGates([notWorse], scope({ auc: 0.69 }, { auc: 0.7 }));
    expect(worse.ok).toBe(false);
    expect(worse.failures[0]).toMatchObject({ metric: 'auc', slice: null, value: 0.69, baselineValue: 0.7 });
    expect(worse.failures[0]!.delta).toBeCloseTo(-0.01, 12);
    expect(worse.failures[0]!.message).toBe('auc changed by -0.0100 (0.6900 vs production 0.7000); the gate needs a delta >= -1e-10');
    const margin: GateConfig = { metric: 'auc', change: { direction: 'higherIsBetter', absolute: 0.01 } };
    expect(applyGates([margin], scope({ auc: 0.705 }, { auc: 0.7 })).ok).toBe(false);
    expect(applyGates([margin], scope({ auc: 0.72 }, { auc: 0.7 })).ok).toBe(true);
  });

  it('lowerIsBetter passes when delta <= absolute', () => {
    const g = gate({ metric: 'logLoss', change: { direction: 'lowerIsBetter', absolute: 0 } });
    expect(applyGates(g, scope({ logLoss: 0.4 }, { logLoss: 0.45 })).ok).toBe(true);
    expect(applyGates(g, scope({ logLoss: 0.46 }, { logLoss: 0.45 })).ok).toBe(false);
  });

  it('relative change is delta / |baseline|, and a baseline near 0 fails with a message', () => {
    const g = gate({ metric: 'r2', change: { direction: 'higherIsBetter', relative: 0.1 } });
    expect(applyGates(g, scope({ r2: 0.55 }, { r2: 0.5 })).ok).toBe(true);
    expect(applyGates(g, scope({ r2: 0.54 }, { r2: 0.5 })).ok).toBe(false);
    const zero = applyGates(g, scope({ r2: 0.5 }, { r2: 0 }));
    expect(zero.ok).toBe(false);
    expect(zero.failures[0]!.message).toContain('too close to 0');
  });

  it('fails closed when no gates are configured', () => {
    const r = applyGates([], scope({ auc: 0.9 }, null));
    expect(r.ok).toBe(false);
    expect(r.failures[0]!.message).toContain('no gates are configured');
  });

  it('a missing or NaN metric fails with its reason', () => {
    expect(applyGates(gate({ metric: 'f1', lowerBound: 0 }), scope({ auc: 0.9 }, null)).failures[0]!.message).toContain(
      'f1: the metric is not computed for the candidate',
    );
    expect(applyGates(gate({ metric: 'auc', lowerBound: 0 }), scope({ auc: Number.NaN }, null)).failures[0]!.message).toContain('is NaN');
    expect(applyGates([notWorse], scope({ auc: 0.9 }, { auc: Number.NaN })).failures[0]!.message).toContain('of the production model is NaN');
  });
});

describe('significance gates on the paired-bootstrap interval', () => {
  const improvement = (margin: number): GateConfig[] => gate({ metric: 'auc', significance: { test: 'improvement', margin } });
  const nonInferior = (margin: number): GateConfig[] => gate({ metric: 'auc', significance: { test: 'nonInferiority', margin } });

  it('improvement needs the whole interval above +margin (strictly)', () => {
    expect(applyGates(improvement(0), scope({ auc: 0.72 }, { auc: 0.7 }, { auc: [0.004, 0.031] })).ok).toBe(true);
    expect(applyGates(improvement(0.005), scope({ auc: 0.72 }, { auc: 0.7 }, { auc: [0.004, 0.031] })).ok).toBe(false);
    const noisy = applyGates(improvement(0), scope({ auc: 0.705 }, { auc: 0.7 }, { auc: [-0.002, 0.012] }));
    expect(noisy.ok).toBe(false);
    expect(noisy.failures[0]).toMatchObject({ ci: [-0.002, 0.012] });
    expect(noisy.failures[0]!.message).toBe(
      'auc delta +0.0050, interval [-0.0020, +0.0120]: its lower bound -0.0020 does not clear +0.0000, so this is not a significant improvement',
    );
  });

  it('a candidate identical to production is never a significant improvement', () => {
    expect(applyGates(improvement(0), scope({ auc: 0.7 }, { auc: 0.7 }, { auc: [0, 0] })).ok).toBe(false);
  });

  it('non-inferiority needs the whole interval above -margin', () => {
    expect(applyGates(nonInferior(0.01), scope({ auc: 0.7 }, { auc: 0.7 }, { auc: [0, 0] })).ok).toBe(true);
    expect(applyGates(nonInferior(0.01), scope({ auc: 0.698 }, { auc: 0.7 }, { auc: [-0.009, 0.004] })).ok).toBe(true);
    expect(applyGates(nonInferior(0.01), scope({ auc: 0.695 }, { auc: 0.7 }, { auc: [-0.012, 0.002] })).ok).toBe(false);
  });

  it('lower-is-better metrics take the upper bound of the interval', () => {
    const logLoss = (test: 'improvement' | 'nonInferiority', margin: number): GateConfig[] => gate({ metric: 'logLoss', significance: { test, margin } });
    expect(applyGates(logLoss('improvement', 0), scope({ logLoss: 0.5 }, { logLoss: 0.52 }, { logLoss: [-0.03, -0.01] })).ok).toBe(true);
    expect(applyGates(logLoss('improvement', 0), scope({ logLoss: 0.5 }, { logLoss: 0.51 }, { logLoss: [-0.03, 0.001] })).ok).toBe(false);
    expect(applyGates(logLoss('nonInferiority', 0.005), scope({ logLoss: 0.51 }, { logLoss: 0.5 }, { logLoss: [0.001, 0.004] })).ok).toBe(true);
    expect(applyGates(logLoss('nonInferiority', 0.005), scope({ logLoss: 0.51 }, { logLoss: 0.5 }, { logLoss: [0.002, 0.006] })).ok).toBe(false);
  });

  it('noHarm fails only when the whole interval is worse than -margin', () => {
    const noHarm = (metric: string, margin: number): GateConfig[] => gate({ metric, significance: { test: 'noHarm', margin } });
    // A small slice: the point estimate lost 0.06, but the interval reaches back past -0.05.
    const noisy = applyGates(noHarm('auc', 0.05), scope({ auc: 0.64 }, { auc: 0.7 }, { auc: [-0.11, -0.01] }));
    expect(noisy.ok).toBe(true);
    expect(noisy.checks[0]!.message).toBe('auc delta -0.0600, interval [-0.1100, -0.0100]: no loss beyond 0.05 that the interval is sure of');
    const sure = applyGates(noHarm('auc', 0.05), scope({ auc: 0.62 }, { auc: 0.7 }, { auc: [-0.1, -0.06] }));
    expect(sure.ok).toBe(false);
    expect(sure.failures[0]!.message).toBe(
      'auc delta -0.0800, interval [-0.1000, -0.0600]: its upper bound -0.0600 is beyond -0.0500, so the candidate is worse by more than 0.05',
    );
    expect(applyGates(noHarm('auc', 0.05), scope({ auc: 0.65 }, { auc: 0.7 }, { auc: [-0.08, -0.05] })).ok).toBe(true);
    // Lower is better: the lower bound decides.
    expect(applyGates(noHarm('logLoss', 0.01), scope({ logLoss: 0.53 }, { logLoss: 0.5 }, { logLoss: [0.005, 0.05] })).ok).toBe(true);
    expect(applyGates(noHarm('logLoss', 0.01), scope({ logLoss: 0.53 }, { logLoss: 0.5 }, { logLoss: [0.02, 0.05] })).ok).toBe(false);
    expect(applyGates(noHarm('auc', 0.05), scope({ auc: 0.72 }, { auc: 0.7 })).failures[0]!.message).toContain('no bootstrap interval');
  });

  it('a missing interval fails with its reason', () => {
    expect(applyGates(improvement(0), scope({ auc: 0.72 }, { auc: 0.7 })).failures[0]!.message).toContain('no bootstrap interval');
  });
});

describe('gates on slices', () => {
  const overall = scope({ auc: 0.7 }, { auc: 0.69 });
  const ord = scope({ auc: 0.66 }, { auc: 0.68 }, {}, 'origin=ORD');
  const atl = scope({ auc: 0.71 }, { auc: 0.7 }, {}, 'origin=ATL');
  const small: GateScope = { ...scope({}, null, {}, 'origin=BOS'), rows: 12, skipped: 'only 12 rows (minimum 200)' };
  const notWorse = (slice: string): GateConfig[] => gate({ metric: 'auc', slice, change: { direction: 'higherIsBetter', absolute: -1e-10 } });

  it('a slice name applies the gate to each of its slices, and names the one that fails', () => {
    const r = applyGates(notWorse('origin'), overall, [ord, atl, small]);
    expect(r.ok).toBe(false);
    expect(r.checks.map((c) => [c.slice, c.passed, c.skipped])).toEqual([
      ['origin=ORD', false, false],
      ['origin=ATL', true, false],
      ['origin=BOS', true, true],
    ]);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]).toMatchObject({ slice: 'origin=ORD' });
    expect(r.failures[0]!.message).toContain('auc on origin=ORD changed by -0.0200');
  });

  it('one slice key gates that slice only; a slice below the minimum size is skipped with its reason', () => {
    expect(applyGates(notWorse('origin=ATL'), overall, [ord, atl]).ok).toBe(true);
    const r = applyGates(notWorse('origin=BOS'), overall, [ord, atl, small]);
    expect(r.ok).toBe(true);
    expect(r.checks[0]!.message).toContain('not gated, only 12 rows');
  });

  it('a slice that is not in the evaluation data fails', () => {
    const r = applyGates(notWorse('origin=XYZ'), overall, [ord, atl]);
    expect(r.ok).toBe(false);
    expect(r.failures[0]!.message).toBe('slice "origin=XYZ" has no rows in the evaluation data');
  });
});

describe('apart', () => {
  it('shows a bound and the edge it failed with the digits that tell them apart', () => {
    expect(apart(-0.00503, -0.005)).toEqual(['-0.00503', '-0.00500']);
    expect(apart(-0.06, -0.05)).toEqual(['-0.0600', '-0.0500']);
    expect(apart(0.1, 0.1)).toEqual(['+0.10000000', '+0.10000000']);
  });
});
