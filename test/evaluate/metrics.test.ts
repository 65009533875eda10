import { binaryAccuracy, binaryLogLoss, computeMetrics, regressionMetrics, rocAuc } from '../../src/evaluate/metrics.js';

describe('metrics', () => {
  it('rocAuc is the Mann-Whitney statistic with ties averaged', () => {
    // Pairs (pos, neg): (0.8,0.1) (0.8,0.4) (0.8,0.35) win; (0.35 pos vs 0.4) loses; vs 0.1 wins; vs 0.35 tie.
    const labels = [0, 0, 1, 1, 0];
    const scores = [0.1, 0.4, 0.35, 0.8, 0.35];
    expect(rocAuc(labels, scores)).toBeCloseTo((3 + 1 + 0.5) / 6, 12);
    expect(rocAuc([0, 1], [0.2, 0.9])).toBe(1);
    expect(rocAuc([1, 0], [0.2, 0.9])).toBe(0);
    expect(rocAuc([1, 1], [0.2, 0.9])).toBeNaN();
  });

  it('rocAuc of constant scores is 0.5', () => {
    expect(rocAuc([0, 1, 0, 1], [0.3, 0.3, 0.3, 0.3])).toBe(0.5);
  });

  it('log loss clips probabilities like Keras', () => {
    expect(binaryLogLoss([1, 0], [0.5, 0.5])).toBeCloseTo(Math.log(2), 12);
    expect(binaryLogLoss([1], [0])).toBeCloseTo(-Math.log(1e-7), 6);
  });

  it('accuracy uses the threshold inclusively', () => {
    expect(binaryAccuracy([1, 0, 1], [0.5, 0.49, 0.2], 0.5)).toBeCloseTo(2 / 3, 12);
  });

  it('regression metrics', () => {
    const m = regressionMetrics([1, 2, 3], [1, 2, 5]);
    expect(m.rmse).toBeCloseTo(Math.sqrt(4 / 3), 12);
    expect(m.mae).toBeCloseTo(2 / 3, 12);
    expect(m.r2).toBeCloseTo(1 - 4 / 2, 12);
  });

  it('computeMetrics reports the binary set', () => {
    const m = computeMetrics('binary', [0, 1, 1, 0], [0.2, 0.7, 0.6, 0.4], { threshold: 0.5 });
    expect(Object.keys(m).sort()).toEqual(['accuracy', 'auc', 'logLoss', 'positiveRate']);
    expect(m.auc).toBe(1);
    expect(m.accuracy).toBe(1);
    expect(m.positiveRate).toBe(0.5);
  });
});
