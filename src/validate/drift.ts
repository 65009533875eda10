/**
 * Data drift between reference statistics (the training data of the
 * production model) and current statistics (the newest batch), with
 * Evidently's defaults, on mergeable statistics rather than raw rows:
 *
 * - reference of ≤ 1000 values: numeric columns with > 5 distinct values get
 *   the two-sample KS test; categorical ones (and numeric with ≤ 5 values) get
 *   chi-squared, or the two-proportion Z test when there are ≤ 2 values;
 *   drift at p < 0.05 (after correction for many columns);
 * - larger reference: numeric → Wasserstein distance / std(reference) ≥ 0.1,
 *   categorical (and numeric with ≤ 5 values) → Jensen–Shannon distance ≥ 0.1;
 * - `method: 'psi'`: PSI ≥ 0.1 everywhere;
 * - dataset drift when at least half of the tested columns drift.
 *
 * Beyond Evidently: p-values are corrected for testing many columns (Benjamini–
 * Hochberg by default), null-rate changes are reported on their own, and label
 * and prediction drift are reported apart from the features.
 *
 * Where statistics hold exact data (a sample of ≤ 1000 values, value counts
 * of ≤ 20 distinct numbers, categorical frequencies) the tests are exact;
 * otherwise numeric distributions come from the quantile sketches (1% relative
 * accuracy), which both sides bucket on the same grid.
 */
import type { ColumnType } from '../data/table.js';
import { UserError } from '../errors.js';
import {
  type Atoms,
  atomsFromCounts,
  atomsFromSample,
  atomsQuantile,
  benjaminiHochberg,
  binCounts,
  bonferroni,
  chiSquareTest,
  jensenShannonDistance,
  ksPValue,
  ksStatistic,
  populationStabilityIndex,
  twoProportionZTest,
  wassersteinDistance,
} from './hypothesis.js';
import { QuantileSketch } from './sketch.js';
import { type ColumnStatistics, type DatasetStatistics, nullFraction, SAMPLE_LIMIT, valueCount } from './statistics.js';

export type DriftTest = 'ks' | 'chisquare' | 'z' | 'wasserstein' | 'jensenshannon' | 'psi';
export type DriftCorrection = 'bonferroni' | 'benjamini-hochberg' | 'none';

export interface DriftOptions {
  /** Columns to test (default: every column of either side). The label and prediction columns are picked out of it. */
  columns?: string[];
  /** 'auto' (Evidently's choice per column, the default) or 'psi' for every column. */
  method?: 'auto' | 'psi';
  /** Per column: force a test and/or a threshold (significance level for p-value tests, else a distance). */
  perColumn?: Record<string, { test?: DriftTest; threshold?: number }>;
  /** Correction of p-values for testing many columns; default 'benjamini-hochberg'. */
  correction?: DriftCorrection;
  /** Dataset drift when at least this share of the tested columns drift; default 0.5. */
  datasetDriftShare?: number;
  /** A column's null rate "changed" when it moves by more than this (absolute); default 0.05. */
  nullRateChange?: number;
  /** Tested like the others but reported as `label`, not counted toward dataset drift. */
  labelColumn?: string;
  /** Tested like the others but reported as `prediction`, not counted toward dataset drift. */
  predictionColumn?: string;
}

/** The drift result of one column. */
export interface ColumnDrift {
  column: string;
  type: ColumnType;
  test: DriftTest;
  /** KS D, chi-squared, z, normalised Wasserstein, Jensen–Shannon distance or PSI; null when infinite (chi-squared with a category the reference never had). */
  statistic: number | null;
  /** Raw p-value (p-value tests only). */
  pValue: number | null;
  /** p-value after the multiple-testing correction (what `drifted` compares with the threshold); p-value tests only. */
  adjustedPValue: number | null;
  threshold: number;
  drifted: boolean;
  /** Values the test used: non-null (and for numbers finite) values of each side. */
  referenceRows: number;
  currentRows: number;
  /** Null shares of the column's rows; `changed` when they differ by more than `nullRateChange`. Not distribution drift. */
  nullRate: { reference: number; current: number; changed: boolean };
}

/** Drift of the label or the prediction, with its positive rate on both sides. */
export interface TargetDrift extends ColumnDrift {
  /**
   * Share of positives: true (booleans), 1 (numbers that are only 0 and 1), or
   * the mean score (numbers within [0, 1], e.g. predicted probabilities); null
   * for other columns.
   */
  positiveRate: { reference: number | null; current: number | null };
}

export interface DriftReport {
  method: 'auto' | 'psi';
  correction: DriftCorrection;
  /** Feature columns tested (label and prediction excluded). */
  columns: ColumnDrift[];
  driftedColumns: number;
  /** driftedColumns / columns.length (0 when nothing was tested). */
  driftedShare: number;
  datasetDrift: boolean;
  datasetDriftShare: number;
  label: TargetDrift | null;
  prediction: TargetDrift | null;
  /** Columns (features, label or prediction) whose null rate changed by more than `nullRateChange`, tested or not. */
  nullRateChanged: string[];
  /** Columns not tested, and why. */
  skipped: Array<{ column: string; reason: string }>;
}

const P_VALUE_TESTS: ReadonlySet<DriftTest> = new Set(['ks', 'chisquare', 'z']);
const NUMERIC_ONLY: ReadonlySet<DriftTest> = new Set(['ks', 'wasserstein']);
/** Evidently's default thresholds: significance level for p-value tests, distance otherwise. */
const DEFAULT_THRESHOLD: Record<DriftTest, number> = { ks: 0.05, chisquare: 0.05, z: 0.05, wasserstein: 0.1, jensenshannon: 0.1, psi: 0.1 };
/** Numeric columns with at most this many distinct values (both sides together) are tested as categorical (Evidently). */
const FEW_VALUES = 5;
/** Floor of the reference std that normalises the Wasserstein distance (Evidently). */
const MIN_NORM = 0.001;

/**
 * Tests every selected column of `current` against `reference`. Columns
 * missing from either side, of different types, without values, or holding
 * timestamps (time always moves) are listed in `skipped` with the reason.
 * A forced test that does not fit the column (KS on strings) is a UserError.
 */
export function detectDrift(reference: DatasetStatistics, current: DatasetStatistics, options: DriftOptions = {}): DriftReport {
  const method = options.method ?? 'auto';
  const correction = options.correction ?? 'benjamini-hochberg';
  const datasetDriftShare = options.datasetDriftShare ?? 0.5;
  const nullRateChange = options.nullRateChange ?? 0.05;
  const refColumns = new Map(reference.columns.map((c) => [c.name, c]));
  const curColumns = new Map(current.columns.map((c) => [c.name, c]));
  const targets = new Set([options.labelColumn, options.predictionColumn].filter((n): n is string => n !== undefined));
  const names = options.columns ?? [...new Set([...refColumns.keys(), ...curColumns.keys()])];
  const features = [...new Set(names)].filter((n) => !targets.has(n));

  const skipped: Array<{ column: string; reason: string }> = [];
  const nullRateChanged: string[] = [];
  const testOne = (name: string): ColumnDrift | null => {
    const ref = refColumns.get(name);
    const cur = curColumns.get(name);
    if (ref !== undefined && cur !== undefined && Math.abs(nullFraction(cur) - nullFraction(ref)) > nullRateChange) nullRateChanged.push(name);
    const reason = skipReason(ref, cur);
    if (reason !== null) {
      skipped.push({ column: name, reason });
      return null;
    }
    return testColumn(name, ref!, cur!, method, options.perColumn?.[name], nullRateChange);
  };

  const columns = features.map(testOne).filter((c): c is ColumnDrift => c !== null);
  // One family of tests: the features' p-values, corrected together.
  const tested = columns.filter((c) => c.pValue !== null);
  const raw = tested.map((c) => c.pValue!);
  const adjusted = correction === 'bonferroni' ? bonferroni(raw) : correction === 'benjamini-hochberg' ? benjaminiHochberg(raw) : raw;
  tested.forEach((c, i) => {
    c.adjustedPValue = adjusted[i]!;
    c.drifted = c.adjustedPValue < c.threshold;
  });

  // Label and prediction are one question each: no correction with the features.
  const target = (name: string | undefined): TargetDrift | null => {
    if (name === undefined) return null;
    const drift = testOne(name);
    if (drift === null) return null;
    return { ...drift, positiveRate: { reference: positiveRate(refColumns.get(name)!), current: positiveRate(curColumns.get(name)!) } };
  };
  const label = target(options.labelColumn);
  const prediction = options.predictionColumn === options.labelColumn ? null : target(options.predictionColumn);

  const driftedColumns = columns.filter((c) => c.drifted).length;
  const driftedShare = columns.length === 0 ? 0 : driftedColumns / columns.length;
  return {
    method,
    correction,
    columns,
    driftedColumns,
    driftedShare,
    datasetDrift: columns.length > 0 && driftedShare >= datasetDriftShare,
    datasetDriftShare,
    label,
    prediction,
    nullRateChanged,
    skipped,
  };
}

/** Why a column cannot be tested, or null when it can. */
function skipReason(ref: ColumnStatistics | undefined, cur: ColumnStatistics | undefined): string | null {
  if (ref === undefined && cur === undefined) return 'missing from the reference and the current data';
  if (ref === undefined) return 'missing from the reference statistics';
  if (cur === undefined) return 'missing from the current data';
  if (ref.type !== cur.type) return `type changed: ${ref.type} in the reference, ${cur.type} in the current data`;
  if (ref.type === 'timestamp') return 'timestamp: time always moves forward, so its distribution drifts by construction';
  if (valueCount(ref) === 0) return 'no values in the reference';
  if (valueCount(cur) === 0) return 'no values in the current data';
  return null;
}

/** One column's test; for p-value tests `adjustedPValue`/`drifted` are provisional until the correction. */
function testColumn(
  name: string,
  ref: ColumnStatistics,
  cur: ColumnStatistics,
  method: 'auto' | 'psi',
  override: { test?: DriftTest; threshold?: number } | undefined,
  nullRateChange: number,
): ColumnDrift {
  const numeric = ref.numeric !== undefined && cur.numeric !== undefined;
  const refRows = valueCount(ref);
  const curRows = valueCount(cur);
  const test = override?.test ?? (method === 'psi' ? 'psi' : autoTest(ref, cur, numeric, refRows));
  // Options may come from a config file: name the valid tests rather than fail obscurely.
  if (!Object.prototype.hasOwnProperty.call(DEFAULT_THRESHOLD, test)) {
    throw new UserError(`unknown drift test "${String(test)}" for column "${name}" (use ${Object.keys(DEFAULT_THRESHOLD).join(', ')})`);
  }
  if (NUMERIC_ONLY.has(test) && !numeric) throw new UserError(`drift test "${test}" for column "${name}" needs a numeric column; "${name}" is ${ref.type}`);
  const threshold = override?.threshold ?? DEFAULT_THRESHOLD[test];
  if (!(threshold >= 0)) throw new UserError(`drift threshold for column "${name}" must be a number >= 0, got ${String(threshold)}`);

  let statistic: number;
  let pValue: number | null = null;
  switch (test) {
    case 'ks': {
      statistic = ksStatistic(...numericAtoms(ref, cur));
      pValue = ksPValue(statistic, refRows, curRows);
      break;
    }
    case 'wasserstein': {
      // Normalised by the population std of the reference (np.std), floored as Evidently does.
      const m = ref.numeric!;
      const std = Math.sqrt(Math.max(0, num(m.m2)) / refRows);
      statistic = wassersteinDistance(...numericAtoms(ref, cur)) / Math.max(Number.isFinite(std) ? std : 0, MIN_NORM);
      break;
    }
    case 'chisquare': {
      const h = histograms(ref, cur, 'sturges');
      // Expected counts: the reference's shares scaled to the current total (Evidently's k_norm).
      const scale = curRows / refRows;
      const result = chiSquareTest(
        h.current,
        h.reference.map((c) => c * scale),
      );
      statistic = result.statistic;
      pValue = result.pValue;
      break;
    }
    case 'z': {
      // Evidently: the share of values other than the first (sorted) value, on each side.
      const h = histograms(ref, cur, 'sturges');
      const result = twoProportionZTest(refRows - h.reference[0]!, refRows, curRows - h.current[0]!, curRows);
      statistic = result.statistic;
      pValue = result.pValue;
      break;
    }
    case 'jensenshannon': {
      const h = histograms(ref, cur, 'sturges');
      statistic = jensenShannonDistance(h.reference, h.current, 2);
      break;
    }
    case 'psi': {
      const h = histograms(ref, cur, 'deciles');
      statistic = populationStabilityIndex(h.reference, h.current);
      break;
    }
  }
  const isPValueTest = P_VALUE_TESTS.has(test);
  const nullRate = { reference: nullFraction(ref), current: nullFraction(cur), changed: false };
  nullRate.changed = Math.abs(nullRate.current - nullRate.reference) > nullRateChange;
  return {
    column: name,
    type: ref.type,
    test,
    statistic: Number.isFinite(statistic) ? statistic : null,
    pValue,
    adjustedPValue: pValue,
    threshold,
    drifted: isPValueTest ? pValue! < threshold : statistic >= threshold,
    referenceRows: refRows,
    currentRows: curRows,
    nullRate,
  };
}

/** Evidently's default test for a column. */
function autoTest(ref: ColumnStatistics, cur: ColumnStatistics, numeric: boolean, refRows: number): DriftTest {
  const distinct = distinctUnion(ref, cur);
  if (refRows <= SAMPLE_LIMIT) {
    if (numeric && distinct > FEW_VALUES) return 'ks';
    return distinct > 2 ? 'chisquare' : 'z';
  }
  if (numeric && distinct > FEW_VALUES) return 'wasserstein';
  return 'jensenshannon';
}

/** Distinct values of both sides together; Infinity when it is known only to be large. */
function distinctUnion(ref: ColumnStatistics, cur: ColumnStatistics): number {
  if (ref.numeric !== undefined && cur.numeric !== undefined) {
    const a = ref.numeric.valueCounts;
    const b = cur.numeric.valueCounts;
    if (a === null || b === null) return Infinity;
    return new Set([...a.map(([v]) => v), ...b.map(([v]) => v)]).size;
  }
  const a = ref.categorical;
  const b = cur.categorical;
  if (a === undefined || b === undefined) return Infinity;
  if (a.distinctIsLowerBound || b.distinctIsLowerBound) return Infinity;
  return new Set([...Object.keys(a.frequencies), ...Object.keys(b.frequencies)]).size;
}

function num(x: number | null | undefined): number {
  return typeof x === 'number' ? x : Number.NaN;
}

/**
 * The finite values of both sides as atoms: exact (samples, else value counts)
 * when both sides have them, else both sketches. Never one exact side against
 * one sketched side: bucket representatives against exact values would differ
 * by up to a bucket's mass even for identical data (false drift); two sketches
 * share one bucket grid, so identical data stay identical.
 */
function numericAtoms(ref: ColumnStatistics, cur: ColumnStatistics): [Atoms, Atoms] {
  const a = ref.numeric!;
  const b = cur.numeric!;
  if (a.sample !== null && b.sample !== null) return [atomsFromSample(a.sample), atomsFromSample(b.sample)];
  if (a.valueCounts !== null && b.valueCounts !== null) return [atomsFromCounts(a.valueCounts), atomsFromCounts(b.valueCounts)];
  return [QuantileSketch.fromJSON(a.sketch).atoms(), QuantileSketch.fromJSON(b.sketch).atoms()];
}

/**
 * Counts of both sides over the same categories: the categorical values (plus
 * one bucket for values beyond the frequency limit); for numbers, their
 * distinct values when both sides have few, else bins — Sturges' rule over the
 * joint range (Evidently's histogram) or the reference's deciles (PSI).
 * Categories are sorted, so the first is the one Evidently's Z test uses.
 */
function histograms(ref: ColumnStatistics, cur: ColumnStatistics, binning: 'sturges' | 'deciles'): { reference: number[]; current: number[] } {
  if (ref.categorical !== undefined && cur.categorical !== undefined) {
    const a = ref.categorical;
    const b = cur.categorical;
    const keys = [...new Set([...Object.keys(a.frequencies), ...Object.keys(b.frequencies)])].sort();
    const reference = keys.map((k) => own(a.frequencies, k));
    const current = keys.map((k) => own(b.frequencies, k));
    if (a.otherCount > 0 || b.otherCount > 0) {
      // Values beyond the frequency limit: one more category, last.
      reference.push(a.otherCount);
      current.push(b.otherCount);
    }
    return { reference, current };
  }
  const ra = ref.numeric!;
  const ca = cur.numeric!;
  if (ra.valueCounts !== null && ca.valueCounts !== null) {
    const values = [...new Set([...ra.valueCounts.map(([v]) => v), ...ca.valueCounts.map(([v]) => v)])].sort((x, y) => x - y);
    const count = (pairs: Array<[number, number]>, v: number): number => pairs.find(([x]) => x === v)?.[1] ?? 0;
    return { reference: values.map((v) => count(ra.valueCounts!, v)), current: values.map((v) => count(ca.valueCounts!, v)) };
  }
  const [refAtoms, curAtoms] = numericAtoms(ref, cur);
  const edges = binning === 'deciles' ? decileEdges(refAtoms) : sturgesEdges(ref, cur);
  return { reference: Array.from(binCounts(refAtoms, edges)), current: Array.from(binCounts(curAtoms, edges)) };
}

function own(record: Record<string, number>, key: string): number {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key]! : 0;
}

/** Inner edges at the reference's deciles (duplicates dropped, so ties make fewer, wider bins). */
function decileEdges(reference: Atoms): number[] {
  const edges: number[] = [];
  for (let i = 1; i < 10; i++) {
    const e = atomsQuantile(reference, i / 10);
    if (edges.length === 0 || e > edges[edges.length - 1]!) edges.push(e);
  }
  return edges;
}

/** Inner edges of numpy's 'sturges' bins over the joint range: ⌈log₂ n + 1⌉ equal-width bins. */
function sturgesEdges(ref: ColumnStatistics, cur: ColumnStatistics): number[] {
  const lo = Math.min(num(ref.numeric!.min), num(cur.numeric!.min));
  const hi = Math.max(num(ref.numeric!.max), num(cur.numeric!.max));
  const n = valueCount(ref) + valueCount(cur);
  const bins = Math.ceil(Math.log2(n) + 1);
  if (!(hi > lo) || !(bins > 1)) return [];
  const width = (hi - lo) / bins;
  return Array.from({ length: bins - 1 }, (_, i) => lo + width * (i + 1));
}

/** Positive rate of a label or prediction column (see `TargetDrift.positiveRate`). */
function positiveRate(column: ColumnStatistics): number | null {
  const values = valueCount(column);
  if (values === 0) return null;
  if (column.categorical !== undefined) {
    return column.type === 'boolean' ? own(column.categorical.frequencies, 'true') / values : null;
  }
  const m = column.numeric;
  if (m === undefined) return null;
  if (m.valueCounts !== null && m.valueCounts.every(([v]) => v === 0 || v === 1)) {
    return (m.valueCounts.find(([v]) => v === 1)?.[1] ?? 0) / values;
  }
  return num(m.min) >= 0 && num(m.max) <= 1 ? num(m.mean) : null;
}
