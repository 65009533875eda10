/**
 * Permutation importance on a model whose dependence is known: a feature the prediction
 * ignores has importance 0 exactly, the one it leans on most comes first; the same seeds give
 * the same numbers; for a metric where lower is better a fall is still positive; and a
 * change of what the model relies on is found only when the shuffles' ranges part.
 */
import type { EncodedData } from '../../src/features/preprocessing.js';
import { featureImportance, importanceShifts } from '../../src/evaluate/importance.js';
import { mulberry32 } from '../../src/train/random.js';

const N = 3000;

function data(): { encoded: EncodedData; labels: Float32Array } {
  const random = mulberry32(5);
  const inputs = [new Float32Array(N), new Float32Array(N), new Float32Array(N)];
  const labels = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    for (const column of inputs) column[i] = random() * 2 - 1;
    labels[i] = 3 * inputs[0]![i]! + 0.7 * inputs[1]![i]! + (random() - 0.5) > 0 ? 1 : 0;
  }
  const encoded: EncodedData = { rows: N, inputs, widths: [1, 1, 1], labels, targets: labels, labelScale: { mean: 0, std: 1 }, imputed: [] };
  return { encoded, labels };
}

const rows = Int32Array.from({ length: N }, (_, i) => i);
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
/** Leans on a strongly, on b a little, ignores c. */
const predict = (d: EncodedData): Float32Array => Float32Array.from({ length: d.rows }, (_, i) => sigmoid(3 * d.inputs[0]![i]! + 0.7 * d.inputs[1]![i]!));
const options = { task: 'binary' as const, metric: { name: 'auc', higherIsBetter: true }, metricOptions: { threshold: 0.5 }, repeats: 4, seed: 9 };

describe('featureImportance', () => {
  it('ranks the features by how much the model relies on them; an ignored one is exactly 0', () => {
    const { encoded, labels } = data();
    const result = featureImportance({ features: ['a', 'b', 'c'], encoded, predict }, rows, labels, options);
    expect(result.map((f) => f.feature)).toEqual(['a', 'b', 'c']);
    expect(result[0]!.mean).toBeGreaterThan(0.2);
    expect(result[1]!.mean).toBeGreaterThan(0.01);
    expect(result[1]!.mean).toBeLessThan(result[0]!.mean);
    expect(result[2]).toEqual({ feature: 'c', mean: 0, low: 0, high: 0 });
    for (const f of result) expect(f.low <= f.mean && f.mean <= f.high).toBe(true);
    // Seeded: the same numbers again, and the inputs left as they were.
    expect(featureImportance({ features: ['a', 'b', 'c'], encoded, predict }, rows, labels, options)).toEqual(result);
  });

  it('a metric where lower is better (rmse) still gives a positive fall for a feature the model uses', () => {
    const { encoded, labels } = data();
    const regression = { ...options, task: 'regression' as const, metric: { name: 'rmse', higherIsBetter: false } };
    const result = featureImportance({ features: ['a', 'b', 'c'], encoded, predict }, rows, labels, regression);
    expect(result[0]!.feature).toBe('a');
    expect(result[0]!.mean).toBeGreaterThan(0);
    expect(result.find((f) => f.feature === 'c')!.mean).toBe(0);
  });
});

describe('importanceShifts', () => {
  it('names a feature whose ranges part by at least 0.005, not one whose shuffles overlap', () => {
    const production = [
      { feature: 'a', mean: 0.3, low: 0.28, high: 0.32 },
      { feature: 'b', mean: 0.02, low: 0.01, high: 0.03 },
      { feature: 'c', mean: 0.01, low: 0.0, high: 0.02 },
    ];
    const candidate = [
      { feature: 'a', mean: 0.1, low: 0.09, high: 0.11 },
      { feature: 'b', mean: 0.025, low: 0.015, high: 0.035 },
      { feature: 'c', mean: 0.012, low: 0.011, high: 0.013 },
    ];
    expect(importanceShifts(candidate, production)).toEqual([{ feature: 'a', candidate: 0.1, production: 0.3 }]);
  });
});
