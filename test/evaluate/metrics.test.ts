import { readFileSync } from 'node:fs';
import { calibrationCurve, computeMetrics, rocAuc, rocCurve, scoreRows, weightedMetrics } from '../../src/evaluate/metrics.js';

/** Values computed by scikit-learn / NumPy (test/fixtures/metrics/reference.py), not by ct. */
const reference = JSON.parse(readFileSync(new URL('../fixtures/metrics/reference.json', import.meta.url), 'utf8')) as {
  binary: { labels: number[]; a: number[]; b: number[]; threshold: number; metricsA: Record<string, number> };
  multiclass: { labels: number[]; probs: number[]; classes: number; metrics: Record<string, number> };
  regression: { labels: number[]; preds: number[]; metrics: Record<string, number> };
};
const f32 = (x: readonly number[]): Float32Array => Float32Array.from(x);

describe('metrics', () => {
  it('binary metrics match scikit-learn (AUC, PR AUC, log loss, Brier, accuracy, precision, recall, F1) and NumPy (ECE)', () => {
    const { labels, a, threshold, metricsA } = reference.binary;
    const m = computeMetrics('binary', f32(labels), f32(a), { threshold });
    expect(Object.keys(m).sort()).toEqual(Object.keys(metricsA).sort());
    for (const [name, value] of Object.entries(metricsA)) expect([name, m[name]]).toEqual([name, expect.closeTo(value, 9)]);
  });

  it('multiclass accuracy, macro-F1 and log loss match scikit-learn', () => {
    const { labels, probs, classes, metrics } = reference.multiclass;
    const m = computeMetrics('multiclass', f32(labels), f32(probs), { threshold: 0.5, classes });
    expect(m.accuracy).toBeCloseTo(metrics.accuracy!, 12);
    expect(m.macroF1).toBeCloseTo(metrics.macroF1!, 12);
    expect(m.logLoss).toBeCloseTo(metrics.logLoss!, 6);
  });

  it('regression RMSE, MAE and R² match scikit-learn', () => {
    const { labels, preds, metrics } = reference.regression;
    const m = computeMetrics('regression', f32(labels), f32(preds), { threshold: 0.5 });
    for (const name of ['rmse', 'mae', 'r2']) expect(m[name]).toBeCloseTo(metrics[name]!, 9);
  });

  it('rocAuc is the Mann-Whitney statistic with ties averaged', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
    expect(rocAuc([0, 1, 0, 1], [0.3, 0.3, 0.3, 0.3])).toBe(0.5);
    expect(rocAuc([1, 0], [0.2, 0.9])).toBe(0);
    expect(rocAuc([1, 1], [0.2, 0.9])).toBeNaN();
  });

  it('log loss clips probabilities like Keras, and accuracy uses the threshold inclusively', () => {
    expect(computeMetrics('binary', f32([1, 0]), f32([0, 0.5]), { threshold: 0.5 }).logLoss).toBeCloseTo((-Math.log(1e-7) + Math.log(2)) / 2, 5);
    expect(computeMetrics('binary', f32([1, 0, 1]), f32([0.5, 0.49, 0.2]), { threshold: 0.5 }).accuracy).toBeCloseTo(2 / 3, 12);
  });

  it('precision, recall and F1 are 0 (not NaN) when nothing is predicted positive', () => {
    const m = computeMetrics('binary', f32([1, 0, 1]), f32([0.1, 0.2, 0.3]), { threshold: 0.5 });
    expect(m).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });

  it('weights count rows: weight 2 equals the row repeated, weight 0 drops it', () => {
    const labels = f32([0, 1, 1, 0, 1]);
    const preds = f32([0.2, 0.7, 0.4, 0.6, 0.9]);
    const weighted = weightedMetrics(scoreRows('binary', labels, preds, { threshold: 0.5 }), Uint32Array.from([2, 1, 0, 1, 3]));
    const repeated = computeMetrics('binary', f32([0, 0, 1, 0, 1, 1, 1]), f32([0.2, 0.2, 0.7, 0.6, 0.9, 0.9, 0.9]), { threshold: 0.5 });
    for (const [name, value] of Object.entries(repeated)) expect([name, weighted[name]]).toEqual([name, expect.closeTo(value, 12)]);
  });

  it('the ROC curve runs from (0,0) to (1,1) and a perfect ranking reaches TPR 1 at FPR 0', () => {
    const perfect = rocCurve(scoreRows('binary', f32([0, 0, 1, 1]), f32([0.1, 0.2, 0.8, 0.9]), { threshold: 0.5 }), 4);
    expect(perfect).toEqual([1, 1, 1, 1, 1]);
    const { labels, a } = reference.binary;
    const curve = rocCurve(scoreRows('binary', f32(labels), f32(a), { threshold: 0.5 }), 10);
    expect(curve).toHaveLength(11);
    expect(curve[0]).toBeGreaterThanOrEqual(0);
    expect(curve[10]).toBe(1);
    for (let i = 1; i < curve.length; i++) expect(curve[i]!).toBeGreaterThanOrEqual(curve[i - 1]!);
  });

  it('the calibration curve bins rows by predicted probability', () => {
    const bins = calibrationCurve(scoreRows('binary', f32([0, 1, 1, 0]), f32([0.05, 0.08, 0.95, 1]), { threshold: 0.5, calibrationBins: 10 }));
    expect(bins[0]).toMatchObject({ rows: 2, observed: 0.5 });
    expect(bins[0]!.predicted).toBeCloseTo(0.065, 6);
    expect(bins[9]).toMatchObject({ rows: 2, observed: 0.5 });
    expect(bins[5]!.rows).toBe(0);
  });
});
