import { readFileSync } from 'node:fs';
import { scoreRows } from '../../src/evaluate/metrics.js';
import { deLongTest, mcNemarTest, pairedBootstrap, quantileSorted } from '../../src/evaluate/significance.js';

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
