/**
 * Expected numbers come from scipy 1.10.1 / numpy 1.24 (Debian's python3-scipy),
 * computed with the calls quoted next to them.
 */
import {
  atomsCdf,
  atomsFromCounts,
  atomsFromSample,
  atomsQuantile,
  benjaminiHochberg,
  binCounts,
  bonferroni,
  chiSquareSurvival,
  chiSquareTest,
  erfc,
  jensenShannonDistance,
  kolmogorovSurvival,
  ksPValue,
  ksStatistic,
  ksTest,
  logGamma,
  normalCdf,
  normalSurvival,
  populationStabilityIndex,
  regularizedGammaP,
  regularizedGammaQ,
  twoProportionZTest,
  wassersteinDistance,
} from '../../src/validate/hypothesis.js';
import { tieFreeSample as gen } from '../helpers.js';

/** Relative closeness (toBeCloseTo is absolute, useless for tiny p-values). */
function expectRelative(actual: number, expected: number, tolerance = 1e-10): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.abs(expected));
}

const A = [
  0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06, 0.64, -0.82, 0.37, 1.77, 1.09, -1.28, 2.36, 1.31, 1.05, -0.32, -0.4, 1.06, -2.47,
];
const B = [2.2, 1.66, 1.38, 0.2, 0.36, 0, 0.96, 1.56, 0.44, 1.5, -0.3, 0.66, 2.31, 3.29, -0.27, -0.37, -0.14, 0.62, 0.41, 1.82];

describe('special functions', () => {
  test('log-gamma, incomplete gamma, erfc and the normal distribution match scipy', () => {
    expectRelative(logGamma(0.5), 0.5723649429247004, 1e-13); // math.lgamma(0.5)
    expectRelative(logGamma(10), 12.801827480081467, 1e-13);
    expectRelative(logGamma(171.5), 709.1431630309282, 1e-13);
    expectRelative(regularizedGammaQ(2.5, 3.1), 0.28724168342556083); // special.gammaincc(2.5, 3.1)
    expectRelative(regularizedGammaQ(0.5, 0.01), 0.887537083981715);
    expectRelative(regularizedGammaQ(50, 40), 0.9296649333406051);
    expectRelative(regularizedGammaP(3, 1), 0.08030139707139418); // special.gammainc(3, 1)
    expectRelative(erfc(0.5), 0.4795001221869535); // special.erfc
    expectRelative(erfc(3), 2.2090496998585445e-5);
    expectRelative(erfc(-1), 1.8427007929497148);
    expectRelative(erfc(10), 2.0884875837625446e-45, 1e-8);
    expectRelative(normalCdf(-1.96), 0.024997895148220435); // stats.norm.cdf(-1.96)
    expectRelative(normalCdf(0.3), 0.6179114221889526);
    expectRelative(normalSurvival(5), 2.866515718791933e-7); // stats.norm.sf(5)
    expectRelative(normalSurvival(8), 6.22096057427174e-16, 1e-9);
  });

  test('chi-squared and Kolmogorov survival functions match scipy', () => {
    expectRelative(chiSquareSurvival(3.84, 1), 0.05004352124870519); // stats.chi2.sf(3.84, 1)
    expectRelative(chiSquareSurvival(100, 50), 3.454931382984871e-5);
    expectRelative(chiSquareSurvival(0.5, 3), 0.9188914116546758);
    expectRelative(chiSquareSurvival(40, 10), 1.694474393006737e-5);
    expectRelative(chiSquareSurvival(1500, 1000), 1.0454640385980825e-22, 1e-8);
    expect(chiSquareSurvival(0, 4)).toBe(1);
    expectRelative(kolmogorovSurvival(0.3), 0.9999906941986655); // stats.kstwobign.sf(0.3)
    expectRelative(kolmogorovSurvival(0.5), 0.9639452436648751);
    expectRelative(kolmogorovSurvival(1), 0.26999967167735456);
    expectRelative(kolmogorovSurvival(1.5), 0.022217962616525127);
    expectRelative(kolmogorovSurvival(2.5), 7.453306344157342e-6, 1e-9);
    expect(kolmogorovSurvival(0)).toBe(1);
  });
});

describe('two-sample Kolmogorov–Smirnov', () => {
  test('statistic and exact p-value match scipy ks_2samp (method auto)', () => {
    // stats.ks_2samp(A, B) -> statistic=0.28, pvalue=0.2933789985549772
    const small = ksTest(A, B);
    expect(small.statistic).toBeCloseTo(0.28, 12);
    expectRelative(small.pValue, 0.2933789985549772);
    // stats.ks_2samp(gen(300,7919,1,0), gen(700,104729,1,0.05)) -> 0.06190476190476191, 0.3822090395281507
    const unequal = ksTest(gen(300, 7919, 1, 0), gen(700, 104729, 1, 0.05));
    expect(unequal.statistic).toBeCloseTo(0.06190476190476191, 12);
    expectRelative(unequal.pValue, 0.3822090395281507, 1e-9);
    // equal sizes: stats.ks_2samp(gen(500,7919,1,0), gen(500,6007,1.1,0)) -> 0.098, 0.01637912818629415
    expectRelative(ksTest(gen(500, 7919, 1, 0), gen(500, 6007, 1.1, 0)).pValue, 0.01637912818629415, 1e-9);
    // a clear shift: -> 0.21047619047619048, 1.28202010269084e-08 (small p-values keep their digits)
    const shifted = ksTest(gen(300, 7919, 1, 0), gen(700, 104729, 1, 0.2));
    expectRelative(shifted.pValue, 1.28202010269084e-8, 1e-8);
    // stats.ks_2samp(gen(40,7919,1,0), gen(60,104729,1,0.3)) -> 0.35833333333333334, 0.003290731650430495
    expectRelative(ksTest(gen(40, 7919, 1, 0), gen(60, 104729, 1, 0.3)).pValue, 0.003290731650430495, 1e-9);
  });

  test('ties are handled as scipy does', () => {
    // stats.ks_2samp([1,1,2,2,2,3,3,4,5,5], [2,2,3,3,3,4,4,5,6,6,6]) -> 0.3181818181818182, 0.5676861837852549
    const r = ksTest([1, 1, 2, 2, 2, 3, 3, 4, 5, 5], [2, 2, 3, 3, 3, 4, 4, 5, 6, 6, 6]);
    expect(r.statistic).toBeCloseTo(0.3181818181818182, 12);
    expectRelative(r.pValue, 0.5676861837852549, 1e-9);
  });

  test('asymptotic p-value for large samples is within 1% of scipy', () => {
    // stats.ks_2samp(gen(800,7919,1,0), gen(20000,104729,1,0.04)) -> 0.0417, 0.1340375385381326 (kstwo)
    const r = ksTest(gen(800, 7919, 1, 0), gen(20000, 104729, 1, 0.04));
    expect(r.statistic).toBeCloseTo(0.0417, 12);
    expectRelative(r.pValue, 0.1340375385381326, 0.01);
    expect(ksPValue(0, 5, 7)).toBe(1);
    expect(ksPValue(0.5, 50_000, 60_000)).toBeLessThan(1e-100);
  });

  test('weighted atoms give the same D as the raw samples', () => {
    const a = [3, 1, 2, 2, 5, 5, 5];
    const b = [2, 2, 4, 6];
    const fromCounts = ksStatistic(
      atomsFromCounts([
        [5, 3],
        [1, 1],
        [2, 2],
        [3, 1],
      ]),
      atomsFromSample(b),
    );
    expect(fromCounts).toBe(ksStatistic(atomsFromSample(a), atomsFromSample(b)));
  });
});

describe('categorical tests', () => {
  test('chi-squared matches scipy chisquare', () => {
    // stats.chisquare([16,18,16,14,12,12], [16,16,16,16,16,8]) -> 3.5, 0.6233876277495822
    const r = chiSquareTest([16, 18, 16, 14, 12, 12], [16, 16, 16, 16, 16, 8]);
    expect(r.statistic).toBeCloseTo(3.5, 12);
    expect(r.df).toBe(5);
    expectRelative(r.pValue, 0.6233876277495822);
    // stats.chisquare([40,30,40], [55,33,22]) -> 19.090909090909093, 7.15256418377282e-05
    expectRelative(chiSquareTest([40, 30, 40], [55, 33, 22]).pValue, 7.15256418377282e-5);
    // A category the reference never had: infinite statistic, p = 0 (scipy gives inf and 0).
    expect(chiSquareTest([5, 5], [10, 0])).toEqual({ statistic: Infinity, pValue: 0, df: 1 });
    expect(chiSquareTest([7, 0], [7, 0]).pValue).toBe(1);
  });

  test('two-proportion Z test matches the pooled formula with scipy norm.sf', () => {
    // z = (p1-p2)/sqrt(P(1-P)(1/n1+1/n2)) -> -1.6477716817422; 2*stats.norm.sf(abs(z)) -> 0.09939953216165574
    const r = twoProportionZTest(30, 100, 45, 110);
    expectRelative(r.statistic, -1.6477716817422, 1e-12);
    expectRelative(r.pValue, 0.09939953216165574, 1e-12);
    expect(twoProportionZTest(0, 10, 0, 20)).toEqual({ statistic: 0, pValue: 1 });
  });
});

describe('distances', () => {
  test('Wasserstein-1 matches scipy wasserstein_distance, weighted or not', () => {
    expect(wassersteinDistance(atomsFromSample([0, 1, 3]), atomsFromSample([5, 6, 8]))).toBeCloseTo(5, 12); // -> 5.0
    expectRelative(wassersteinDistance(atomsFromSample(A), atomsFromSample(B)), 0.6981, 1e-12); // -> 0.6981
    // stats.wasserstein_distance([0,1,3], [0,2], [1,2,1], [3,1]) -> 0.75
    const weighted = wassersteinDistance(
      atomsFromCounts([
        [0, 1],
        [1, 2],
        [3, 1],
      ]),
      atomsFromCounts([
        [0, 3],
        [2, 1],
      ]),
    );
    expect(weighted).toBeCloseTo(0.75, 12);
    // -> 0.05257114540563502
    expectRelative(wassersteinDistance(atomsFromSample(gen(300, 7919, 1, 0)), atomsFromSample(gen(700, 104729, 1, 0.05))), 0.05257114540563502, 1e-10);
  });

  test('Jensen–Shannon distance matches scipy jensenshannon(base=2)', () => {
    expect(jensenShannonDistance([1, 0, 0], [0, 1, 0])).toBeCloseTo(1, 12); // -> 1.0
    expectRelative(jensenShannonDistance([0.2, 0.3, 0.5], [0.25, 0.25, 0.5]), 0.060411740417215136, 1e-9);
    // Counts are normalised: jensenshannon([500,300,200,0], [400,300,250,50], base=2) -> 0.1761353445768341
    expectRelative(jensenShannonDistance([500, 300, 200, 0], [400, 300, 250, 50]), 0.1761353445768341, 1e-10);
    expect(jensenShannonDistance([1, 2], [1, 2])).toBe(0);
  });

  test('PSI with 0.0001 for empty bins (numpy: sum((r-c)*log(r/c)))', () => {
    // r = [500,300,200,0]/1000, c = [400,300,250,50]/1000, zeros -> 1e-4: 0.34358047680839876
    expectRelative(populationStabilityIndex([500, 300, 200, 0], [400, 300, 250, 50]), 0.34358047680839876, 1e-12);
    expect(populationStabilityIndex([10, 20, 30], [1, 2, 3])).toBeCloseTo(0, 15);
  });
});

describe('multiple testing', () => {
  test('Bonferroni and Benjamini–Hochberg (numpy step-up, as statsmodels fdr_bh)', () => {
    const p = [0.01, 0.04, 0.03, 0.005, 0.5];
    expect(bonferroni(p)).toEqual([0.05, 0.2, 0.15, 0.025, 1]);
    const bh = benjaminiHochberg(p); // -> [0.025, 0.05, 0.05, 0.025, 0.5]
    [0.025, 0.05, 0.05, 0.025, 0.5].forEach((e, i) => expect(bh[i]).toBeCloseTo(e, 12));
    expect(benjaminiHochberg([0.2, Number.NaN])).toEqual([0.2, Number.NaN]);
    expect(benjaminiHochberg([])).toEqual([]);
  });
});

describe('atoms', () => {
  test('cdf, quantile at rank floor(q(n-1)) and bin counts', () => {
    const atoms = atomsFromSample([5, 1, 3, 3, Number.NaN, 9]);
    expect(Array.from(atoms.values)).toEqual([1, 3, 5, 9]);
    expect(Array.from(atoms.weights)).toEqual([1, 2, 1, 1]);
    expect(atomsCdf(atoms, 3)).toBe(0.6);
    expect(atomsQuantile(atoms, 0.5)).toBe(3);
    expect(atomsQuantile(atoms, 1)).toBe(9);
    expect(Array.from(binCounts(atoms, [1, 4]))).toEqual([1, 2, 2]);
  });
});
