import { readFileSync } from 'node:fs';
import { scoreRows, weightedMetrics } from '../../src/evaluate/metrics.js';
import {
  bootstrapDraws,
  type BootstrapWork,
  deLongTest,
  drawOnTwoThreads,
  mcNemarTest,
  pairedBootstrap,
  quantileSorted,
} from '../../src/evaluate/significance.js';
import { mulberry32 } from '../../src/train/random.js';

/** Values computed by SciPy (DeLong via midranks) and statsmodels (McNemar): test/fixtures/metrics/reference.py. */
interface Case {
  labels: number[];
  a: number[];
  b: number[];
  threshold: number;
  delong?: { aucA: number; aucB: number; z: number; pValue: number };
  mcnemar: { candidateOnlyRight: number; baselineOnlyRight: number; exactPValue: number; chiSquare: number; chiSquarePValue: number };
}
const reference = JSON.parse(readFileSync(new URL('../fixtures/metrics/reference.json', import.meta.url), 'utf8')) as { binary: Case; binarySmall: Case };
const scored = (labels: readonly number[], preds: readonly number[], threshold = 0.5) =>
  scoreRows('binary', Float32Array.from(labels), Float32Array.from(preds), { threshold });

describe('DeLong and McNemar', () => {
  it("DeLong's z and p-value match an independent midrank implementation", () => {
    const { labels, a, b, delong } = reference.binary;
    const r = deLongTest(scored(labels, a), scored(labels, b))!;
    expect(r.aucCandidate).toBeCloseTo(delong!.aucA, 12);
    expect(r.aucBaseline).toBeCloseTo(delong!.aucB, 12);
    expect(r.z).toBeCloseTo(delong!.z, 9);
    expect(r.pValue).toBeCloseTo(delong!.pValue, 12);
  });

  it('DeLong on identical models: no difference, p = 1; on one class: not defined', () => {
    const { labels, a } = reference.binary;
    expect(deLongTest(scored(labels, a), scored(labels, a))).toMatchObject({ difference: 0, z: 0, pValue: 1 });
    expect(deLongTest(scored([1, 1, 1], [0.1, 0.2, 0.3]), scored([1, 1, 1], [0.3, 0.2, 0.1]))).toBeNull();
  });

  it("McNemar's chi-square (with continuity correction) matches statsmodels", () => {
    const { labels, a, b, threshold, mcnemar } = reference.binary;
    const r = mcNemarTest(scored(labels, a, threshold), scored(labels, b, threshold));
    expect(r).toMatchObject({ candidateOnlyRight: mcnemar.candidateOnlyRight, baselineOnlyRight: mcnemar.baselineOnlyRight, method: 'chi-square' });
    expect(r.statistic).toBeCloseTo(mcnemar.chiSquare, 12);
    expect(r.pValue).toBeCloseTo(mcnemar.chiSquarePValue, 12);
  });

  it("McNemar's exact test for few discordant rows matches statsmodels", () => {
    const { labels, a, b, threshold, mcnemar } = reference.binarySmall;
    const r = mcNemarTest(scored(labels, a, threshold), scored(labels, b, threshold));
    expect(r.method).toBe('exact');
    expect(r.candidateOnlyRight + r.baselineOnlyRight).toBeLessThan(25);
    expect(r.pValue).toBeCloseTo(mcnemar.exactPValue, 12);
  });
});

describe('pairedBootstrap', () => {
  const { labels, a, b } = reference.binary;
  const options = { samples: 300, seed: 7, confidence: 0.95 };

  it('is deterministic for a seed and changes with it', () => {
    const first = pairedBootstrap(scored(labels, a), scored(labels, b), options);
    expect(pairedBootstrap(scored(labels, a), scored(labels, b), options)).toEqual(first);
    expect(pairedBootstrap(scored(labels, a), scored(labels, b), { ...options, seed: 8 }).auc!.ci).not.toEqual(first.auc!.ci);
  });

  it('a candidate equal to the baseline gets the interval [0, 0]: never significantly better', () => {
    const r = pairedBootstrap(scored(labels, a), scored(labels, a), options);
    for (const interval of Object.values(r)) expect(interval.ci).toEqual([0, 0]);
  });

  it('a clearly better candidate has an AUC interval above 0 that holds the observed delta', () => {
    const r = pairedBootstrap(scored(labels, a), scored(labels, b), options);
    const observed = reference.binary.delong!.aucA - reference.binary.delong!.aucB;
    expect(r.auc!.ci[0]).toBeGreaterThan(0);
    expect(r.auc!.ci[0]).toBeLessThan(observed);
    expect(r.auc!.ci[1]).toBeGreaterThan(observed);
    expect(r.auc!.draws).toBe(300);
    // Lower is better for log loss: the better model's delta interval is below 0.
    expect(r.logLoss!.ci[1]).toBeLessThan(0);
  });

  it("the interval is about as wide as DeLong's normal interval", () => {
    const r = pairedBootstrap(scored(labels, a), scored(labels, b), { ...options, samples: 1000 });
    const se = deLongTest(scored(labels, a), scored(labels, b))!.standardError;
    const width = r.auc!.ci[1] - r.auc!.ci[0];
    expect(width / (2 * 1.96 * se)).toBeGreaterThan(0.8);
    expect(width / (2 * 1.96 * se)).toBeLessThan(1.25);
  });

  it('quantiles interpolate linearly like NumPy', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0.025)).toBeCloseTo(1.075, 12);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });
});

describe('pairedBootstrap on two threads', () => {
  // 20,000 rows: enough work for a second thread.
  const n = 20_000;
  const random = mulberry32(11);
  const labels = Array.from({ length: n }, () => (random() < 0.3 ? 1 : 0));
  const a = labels.map((y) => Math.min(0.999, Math.max(0.001, 0.35 * y + 0.65 * random())));
  const b = labels.map((y) => Math.min(0.999, Math.max(0.001, 0.3 * y + 0.7 * random())));
  const work = (samples: number): BootstrapWork => ({
    candidate: scored(labels, a),
    baseline: scored(labels, b),
    names: ['auc', 'logLoss', 'accuracy'],
    samples,
    seed: 5,
    draws: new Float64Array(new SharedArrayBuffer(8 * 3 * samples)),
  });

  it('the worker draws the second half exactly as one thread draws the whole stream', () => {
    const two = work(60);
    expect(drawOnTwoThreads(two)).toBe(true);
    const one = work(60);
    bootstrapDraws(one, 0, 60);
    expect(Array.from(two.draws)).toEqual(Array.from(one.draws));
    // And one thread's draws are the seeded stream read in order, draw after draw.
    const stream = mulberry32(5);
    const counts = new Uint32Array(n);
    for (let d = 0; d < 60; d++) {
      counts.fill(0);
      for (let k = 0; k < n; k++) counts[Math.floor(stream() * n)]!++;
      const delta = weightedMetrics(one.candidate, counts).auc! - weightedMetrics(one.baseline, counts).auc!;
      expect(one.draws[d]).toBe(delta);
    }
  });

  it('a large pairedBootstrap gives the same intervals as its draws on one thread', () => {
    const r = pairedBootstrap(scored(labels, a), scored(labels, b), { samples: 300, seed: 5, confidence: 0.9, metrics: ['auc'] });
    const one = { ...work(300), names: ['auc'], draws: new Float64Array(new SharedArrayBuffer(8 * 300)) };
    bootstrapDraws(one, 0, 300);
    const sorted = Float64Array.from(one.draws).sort();
    expect(r.auc!.ci).toEqual([quantileSorted(sorted, 0.05), quantileSorted(sorted, 0.95)]);
  });
});
