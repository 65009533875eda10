/**
 * Is a difference between two models on the same rows more than noise?
 * - paired bootstrap: rows are resampled once per draw and both models are scored on
 *   the same draw, so the interval is of the paired delta (B = 1000, seeded);
 * - DeLong's test for two correlated ROC AUCs;
 * - McNemar's test for two classifiers' accuracy on the same rows.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { mulberry32 } from '../train/random.js';
import { workerScript } from '../workers.js';
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
 * row), and both models are scored with those counts. Deterministic for a seed: draw b
 * uses the seeded stream's draws b·rows..(b+1)·rows - 1, so when a second core takes
 * the second half of the draws (large evaluations), the result is the same to the bit.
 */
export function pairedBootstrap(candidate: ScoredRows, baseline: ScoredRows, options: BootstrapOptions): Record<string, DeltaInterval> {
  const n = candidate.rows;
  if (baseline.rows !== n) throw new Error(`paired bootstrap needs the same rows: ${n} vs ${baseline.rows}`);
  const out: Record<string, DeltaInterval> = {};
  if (n === 0 || options.samples <= 0) return out;
  const names = options.metrics ?? Object.keys(weightedMetrics(candidate, null));
  const draws = new Float64Array(new SharedArrayBuffer(8 * names.length * options.samples));
  const work: BootstrapWork = { candidate, baseline, names, samples: options.samples, seed: options.seed, draws };
  if (n * options.samples < PARALLEL_MIN_WORK || !drawOnTwoThreads(work)) bootstrapDraws(work, 0, options.samples);
  const tail = (1 - options.confidence) / 2;
  names.forEach((name, m) => {
    const defined = draws.subarray(m * options.samples, (m + 1) * options.samples).filter((d) => !Number.isNaN(d));
    const sorted = defined.sort();
    out[name] = { ci: [quantileSorted(sorted, tail), quantileSorted(sorted, 1 - tail)], draws: defined.length };
  });
  return out;
}

/** Rows x draws below which a second thread costs more to start (~40 ms) than it saves. */
const PARALLEL_MIN_WORK = 5_000_000;

/** A bootstrap's inputs, and its output: the delta of metric m in draw b at draws[m · samples + b] (NaN: undefined). */
export interface BootstrapWork {
  candidate: ScoredRows;
  baseline: ScoredRows;
  names: readonly string[];
  samples: number;
  seed: number;
  draws: Float64Array;
}

/** Computes draws [from, to) of `work` into `work.draws`. */
export function bootstrapDraws(work: BootstrapWork, from: number, to: number): void {
  const { candidate, baseline, names, samples, draws } = work;
  const n = candidate.rows;
  const random = mulberry32(work.seed, from * n);
  const counts = new Uint32Array(n);
  for (let b = from; b < to; b++) {
    counts.fill(0);
    for (let k = 0; k < n; k++) counts[Math.floor(random() * n)]!++;
    const c = weightedMetrics(candidate, counts, names);
    const p = weightedMetrics(baseline, counts, names);
    names.forEach((name, m) => {
      draws[m * samples + b] = c[name]! - p[name]!;
    });
  }
}

/**
 * Draws the first half here and the second half on a worker thread, waiting for it
 * synchronously (Atomics.wait). False, with nothing drawn, where no worker can run: one
 * CPU, or no compiled worker script. A worker that has not started within 5 s has its
 * half drawn here instead.
 */
export function drawOnTwoThreads(work: BootstrapWork): boolean {
  const script = availableParallelism() < 2 ? undefined : workerScript(import.meta.url, 'bootstrap-worker.js', 'bootstrap-worker');
  if (script === undefined) return false;
  const state = new Int32Array(new SharedArrayBuffer(8));
  const half = Math.floor(work.samples / 2);
  const worker = new Worker(script, { workerData: { work, from: half, to: work.samples, state } });
  worker.unref();
  bootstrapDraws(work, 0, half);
  const deadline = Date.now() + 5_000;
  while (Atomics.load(state, 0) !== WorkerState.Done) {
    if (Atomics.load(state, 0) === WorkerState.Failed || (Atomics.load(state, 0) === WorkerState.Starting && Date.now() > deadline)) {
      void worker.terminate();
      bootstrapDraws(work, half, work.samples);
      return true;
    }
    Atomics.wait(state, 0, Atomics.load(state, 0), 100);
  }
  void worker.terminate();
  return true;
}

/** The bootstrap worker's progress word. */
export const WorkerState = { Starting: 0, Running: 1, Done: 2, Failed: 3 } as const;

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
