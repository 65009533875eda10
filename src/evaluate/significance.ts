/**
 * Is a difference between two models on the same rows more than noise?
 * - paired bootstrap: rows are resampled once per draw and both models are scored on
 *   the same draw, so the interval is of the paired delta (B = 1000, seeded);
 * - DeLong's test for two correlated ROC AUCs;
 * - McNemar's test for two classifiers' accuracy on the same rows.
 */
import { mulberry32 } from '../train/random.js';
import { chiSquareSurvival, normalSurvival } from '../validate/hypothesis.js';
import { type ScoredRows, weightedMetrics } from './metrics.js';

/** A percentile interval of a delta (candidate - baseline). */
export interface DeltaInterval {
  /** [lower, upper] at the configured confidence. */
  ci: [number, number];
  /** Draws where the delta was defined (a draw can hold a single class, making AUC NaN). */
  draws: number;
}

export interface BootstrapOptions {
  samples: number;
  seed: number;
  /** e.g. 0.95 for a 95% interval. */
  confidence: number;
  /** Metrics to resample; default every metric of the task. */
  metrics?: readonly string[];
}

/**
 * Paired bootstrap of every metric's delta between `candidate` and `baseline`, which
 * must score the same rows. Each draw takes `rows` rows with replacement (as counts per
 * row), and both models are scored with those counts. Deterministic for a seed.
 */
export function pairedBootstrap(candidate: ScoredRows, baseline: ScoredRows, options: BootstrapOptions): Record<string, DeltaInterval> {
  const n = candidate.rows;
  if (baseline.rows !== n) throw new Error(`paired bootstrap needs the same rows: ${n} vs ${baseline.rows}`);
  const out: Record<string, DeltaInterval> = {};
  if (n === 0 || options.samples <= 0) return out;
  const names = options.metrics ?? Object.keys(weightedMetrics(candidate, null));
  const deltas = names.map(() => new Float64Array(options.samples));
  const defined = names.map(() => 0);
  const random = mulberry32(options.seed);
  const counts = new Uint32Array(n);
  for (let b = 0; b < options.samples; b++) {
    counts.fill(0);
    for (let k = 0; k < n; k++) counts[Math.floor(random() * n)]!++;
    const c = weightedMetrics(candidate, counts, options.metrics);
    const p = weightedMetrics(baseline, counts, options.metrics);
    names.forEach((name, m) => {
      const d = c[name]! - p[name]!;
      if (!Number.isNaN(d)) deltas[m]![defined[m]!++] = d;
    });
  }
  const tail = (1 - options.confidence) / 2;
  names.forEach((name, m) => {
    const sorted = deltas[m]!.subarray(0, defined[m]).sort();
    out[name] = { ci: [quantileSorted(sorted, tail), quantileSorted(sorted, 1 - tail)], draws: defined[m]! };
  });
  return out;
}

/** The q-quantile of ascending values with linear interpolation (NumPy's default); NaN when empty. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Result of DeLong's test: AUC difference, its standard error, z and the two-sided p-value. */
export interface DeLongResult {
  aucCandidate: number;
  aucBaseline: number;
  difference: number;
  standardError: number;
  z: number;
  pValue: number;
}

/**
 * DeLong's test (DeLong, DeLong & Clarke-Pearson 1988) for the difference of two ROC
 * AUCs measured on the same rows. Placement values come from one pass over each
 * model's tied-score groups. Null when a class is missing.
 */
export function deLongTest(candidate: ScoredRows, baseline: ScoredRows): DeLongResult | null {
  const a = placements(candidate);
  const b = placements(baseline);
  if (a === null || b === null) return null;
  const m = a.positive.length;
  const n = a.negative.length;
  if (m < 2 || n < 2) return null;
  const varianceOfDifference = (x: Float64Array, y: Float64Array): number => covariance(x, x) + covariance(y, y) - 2 * covariance(x, y);
  const variance = varianceOfDifference(a.positive, b.positive) / m + varianceOfDifference(a.negative, b.negative) / n;
  const difference = a.auc - b.auc;
  const standardError = Math.sqrt(Math.max(0, variance));
  // Identical rankings: no variance and no difference, so no evidence of one.
  const z = standardError > 0 ? difference / standardError : 0;
  return { aucCandidate: a.auc, aucBaseline: b.auc, difference, standardError, z, pValue: standardError > 0 ? 2 * normalSurvival(Math.abs(z)) : 1 };
}

/**
 * Per positive row (in row order): the share of negatives scored below it, ties half;
 * per negative row: the share of positives scored above it, ties half.
 */
function placements(s: ScoredRows): { auc: number; positive: Float64Array; negative: Float64Array } | null {
  const { order, groupStarts, labels, rows } = s;
  let positives = 0;
  for (let i = 0; i < rows; i++) positives += labels[i]!;
  const negatives = rows - positives;
  if (positives === 0 || negatives === 0) return null;
  const positiveIndex = new Int32Array(rows);
  const negativeIndex = new Int32Array(rows);
  for (let i = 0, p = 0, q = 0; i < rows; i++) {
    if (labels[i] === 1) positiveIndex[i] = p++;
    else negativeIndex[i] = q++;
  }
  const positive = new Float64Array(positives);
  const negative = new Float64Array(negatives);
  let negBelow = 0;
  let posBelow = 0;
  let sum = 0;
  for (let g = 0; g + 1 < groupStarts.length; g++) {
    let wp = 0;
    let wn = 0;
    for (let k = groupStarts[g]!; k < groupStarts[g + 1]!; k++) {
      if (labels[order[k]!] === 1) wp++;
      else wn++;
    }
    const v10 = (negBelow + wn / 2) / negatives;
    const v01 = (positives - posBelow - wp + wp / 2) / positives;
    for (let k = groupStarts[g]!; k < groupStarts[g + 1]!; k++) {
      const i = order[k]!;
      if (labels[i] === 1) positive[positiveIndex[i]!] = v10;
      else negative[negativeIndex[i]!] = v01;
    }
    sum += wp * v10;
    negBelow += wn;
    posBelow += wp;
  }
  return { auc: sum / positives, positive, negative };
}

/** Sample covariance (n - 1 in the denominator). */
function covariance(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (x[i]! - mx) * (y[i]! - my);
  return s / (n - 1);
}

/** Result of McNemar's test on the rows where exactly one model is right. */
export interface McNemarResult {
  /** Rows only the candidate classifies right. */
  candidateOnlyRight: number;
  /** Rows only the baseline classifies right. */
  baselineOnlyRight: number;
  method: 'exact' | 'chi-square';
  /** Chi-square statistic with continuity correction (null for the exact test). */
  statistic: number | null;
  pValue: number;
}

/** Below this many discordant rows the exact binomial test is used, as common practice advises. */
export const MCNEMAR_EXACT_BELOW = 25;

/**
 * McNemar's test of equal accuracy. Exact (two-sided binomial, p = 1/2) for fewer than
 * 25 discordant rows, else chi-square with continuity correction, as statsmodels computes.
 */
export function mcNemarTest(candidate: ScoredRows, baseline: ScoredRows): McNemarResult {
  let b = 0;
  let c = 0;
  for (let i = 0; i < candidate.rows; i++) {
    const y = candidate.labels[i]!;
    const candidateRight = candidate.predicted[i] === y;
    const baselineRight = baseline.predicted[i] === y;
    if (candidateRight && !baselineRight) b++;
    else if (!candidateRight && baselineRight) c++;
  }
  const n = b + c;
  if (n < MCNEMAR_EXACT_BELOW) {
    return {
      candidateOnlyRight: b,
      baselineOnlyRight: c,
      method: 'exact',
      statistic: null,
      pValue: n === 0 ? 1 : Math.min(1, 2 * binomialCdfHalf(Math.min(b, c), n)),
    };
  }
  const statistic = (Math.abs(b - c) - 1) ** 2 / n;
  return { candidateOnlyRight: b, baselineOnlyRight: c, method: 'chi-square', statistic, pValue: chiSquareSurvival(statistic, 1) };
}

/** P(X <= k) for X ~ Binomial(n, 1/2). */
function binomialCdfHalf(k: number, n: number): number {
  let term = 0.5 ** n;
  let sum = term;
  for (let i = 1; i <= k; i++) {
    term *= (n - i + 1) / i;
    sum += term;
  }
  return sum;
}
