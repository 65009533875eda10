import { applyGates } from '../../src/evaluate/gates.js';

describe('applyGates (TFX Evaluator semantics)', () => {
  const notWorse = { metric: 'auc', change: { direction: 'higherIsBetter' as const, absolute: -1e-10 } };

  it('value thresholds are inclusive and unset bounds are open', () => {
    expect(applyGates([{ metric: 'auc', lowerBound: 0.6 }], { auc: 0.6 }, null).ok).toBe(true);
    expect(applyGates([{ metric: 'auc', lowerBound: 0.6 }], { auc: 0.5999 }, null).ok).toBe(false);
    expect(applyGates([{ metric: 'logLoss', upperBound: 0.5 }], { logLoss: 0.5 }, null).ok).toBe(true);
    expect(applyGates([{ metric: 'logLoss', lowerBound: 0.1, upperBound: 0.5 }], { logLoss: 0.05 }, null).ok).toBe(false);
  });

  it('with no production model, change thresholds are skipped and the result is a rubber stamp', () => {
    const r = applyGates([notWorse, { metric: 'auc', lowerBound: 0.55 }], { auc: 0.6 }, null);
    expect(r).toMatchObject({ ok: true, rubberStamp: true });
    expect(r.checks[0]).toMatchObject({ skipped: true, passed: true });
  });

  it('value thresholds still apply to a rubber stamp', () => {
    const r = applyGates([notWorse, { metric: 'auc', lowerBound: 0.65 }], { auc: 0.6 }, null);
    expect(r).toMatchObject({ ok: false, rubberStamp: true });
    expect(r.failures).toHaveLength(1);
  });

  it('higherIsBetter passes when delta >= absolute', () => {
    expect(applyGates([notWorse], { auc: 0.7 }, { auc: 0.7 }).ok).toBe(true);
    const worse = applyGates([notWorse], { auc: 0.69 }, { auc: 0.7 });
    expect(worse.ok).toBe(false);
    expect(worse.failures[0]).toMatchObject({ metric: 'auc', value: 0.69, baselineValue: 0.7 });
    expect(worse.failures[0]!.delta).toBeCloseTo(-0.01, 12);
    expect(worse.failures[0]!.message).toContain('auc changed by -0.0100');
    const margin = { metric: 'auc', change: { direction: 'higherIsBetter' as const, absolute: 0.01 } };
    expect(applyGates([margin], { auc: 0.705 }, { auc: 0.7 }).ok).toBe(false);
    expect(applyGates([margin], { auc: 0.72 }, { auc: 0.7 }).ok).toBe(true);
  });

  it('lowerIsBetter passes when delta <= absolute', () => {
    const gate = { metric: 'logLoss', change: { direction: 'lowerIsBetter' as const, absolute: 0 } };
    expect(applyGates([gate], { logLoss: 0.4 }, { logLoss: 0.45 }).ok).toBe(true);
    expect(applyGates([gate], { logLoss: 0.46 }, { logLoss: 0.45 }).ok).toBe(false);
  });

  it('relative change is delta / |baseline|, and a baseline near 0 fails with a message', () => {
    const gate = { metric: 'r2', change: { direction: 'higherIsBetter' as const, relative: 0.1 } };
    expect(applyGates([gate], { r2: 0.55 }, { r2: 0.5 }).ok).toBe(true);
    expect(applyGates([gate], { r2: 0.54 }, { r2: 0.5 }).ok).toBe(false);
    const zero = applyGates([gate], { r2: 0.5 }, { r2: 0 });
    expect(zero.ok).toBe(false);
    expect(zero.failures[0]!.message).toContain('too close to 0');
  });

  it('fails closed when no gates are configured', () => {
    const r = applyGates([], { auc: 0.9 }, null);
    expect(r.ok).toBe(false);
    expect(r.failures[0]!.message).toContain('no gates are configured');
  });

  it('a missing or NaN metric fails with its reason', () => {
    expect(applyGates([{ metric: 'f1', lowerBound: 0 }], { auc: 0.9 }, null).failures[0]!.message).toContain('"f1" is not computed');
    expect(applyGates([{ metric: 'auc', lowerBound: 0 }], { auc: Number.NaN }, null).failures[0]!.message).toContain('is NaN');
    expect(applyGates([notWorse], { auc: 0.9 }, { auc: Number.NaN }).failures[0]!.message).toContain('of the production model is NaN');
  });
});
