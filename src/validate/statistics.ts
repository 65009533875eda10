/**
 * Mergeable descriptive statistics of a dataset (TFDV's `DatasetFeatureStatistics`,
 * made mergeable): the reference a model is trained on (`statistics.json`), the
 * evidence behind an inferred schema, and one side of every drift test.
 *
 * Statistics are accumulated chunk by chunk (memory does not grow with the rows)
 * and statistics of two datasets merge into the statistics of their union:
 * exactly for counts, extremes, frequencies, samples and sketches; up to
 * floating-point rounding for the moments, which merge with Chan's parallel
 * formula. So a batch can be summarised per partition and summed later.
 */
import { UserError } from '../errors.js';
import { columnAs } from '../data/infer.js';
import type { Column, ColumnType, Table } from '../data/table.js';
import { createWholeNumberTally, QuantileSketch, type SketchJSON, WHOLE_NUMBER_LIMIT } from './sketch.js';
import { MS_PER_DAY } from '../time.js';

/** Finite values kept verbatim per column (Evidently tests references of ≤ 1000 rows on raw values). */
export const SAMPLE_LIMIT = 1000;
/** Distinct categorical values counted exactly; beyond, the rarest are lumped into `otherCount`. */
export const FREQUENCY_LIMIT = 10_000;
/** Distinct numeric values whose counts are kept exactly (a numeric column with few values is tested as categorical). */
export const VALUE_COUNTS_LIMIT = 20;
/** Lowest and highest values kept per numeric column (`NumericStatistics.extremes`): the rows chance may put anywhere. */
export const EXTREME_COUNT = 3;

/** Numbers and timestamps. Moments and extremes are over finite values; NaN (null in JSON) when there are none. */
export interface NumericStatistics {
  min: number;
  max: number;
  mean: number;
  /** Sample standard deviation (n − 1 in the denominator, as pandas). */
  std: number;
  /** Sum of squared deviations from the mean: what Chan's merge formula needs. */
  m2: number;
  /** NaN or ±Infinity values (not nulls; excluded from everything else). */
  nonFinite: number;
  negatives: number;
  zeros: number;
  /**
   * Finite values that are not whole numbers (what an inferred `integer` constraint rests
   * on). Absent in statistics written before ct counted them: then unknown.
   */
  nonIntegers?: number;
  /**
   * Timestamp columns: finite values exactly at midnight UTC — dates without their time of
   * day, what a DATE cast leaves. Absent for numbers and in statistics written before.
   */
  midnights?: number;
  /**
   * The `EXTREME_COUNT` lowest and highest finite values, each ascending (fewer while there
   * are fewer values): what `trimmedMoments` leaves out. Absent in statistics written before.
   */
  extremes?: { lowest: number[]; highest: number[] };
  /** Quantile sketch of the finite values (its `count` is the number of finite values). */
  sketch: SketchJSON;
  /** The finite values, ascending, while there are at most `SAMPLE_LIMIT` of them; null beyond. */
  sample: number[] | null;
  /** Exact [value, count] pairs, ascending by value, while there are at most `VALUE_COUNTS_LIMIT` distinct finite values; null beyond. */
  valueCounts: Array<[number, number]> | null;
}

/** Strings and booleans (booleans as the values `"true"` and `"false"`). */
export interface CategoricalStatistics {
  /** Distinct non-null values; a lower bound when `distinctIsLowerBound`. */
  distinct: number;
  distinctIsLowerBound: boolean;
  /** Count per value, most frequent first; exact unless `distinctIsLowerBound`, then the `FREQUENCY_LIMIT` most frequent. */
  frequencies: Record<string, number>;
  /** Non-null values not listed in `frequencies` (0 while exact). */
  otherCount: number;
}

export interface ColumnStatistics {
  name: string;
  type: ColumnType;
  /** Rows seen for this column (rows of the chunks that had it). */
  count: number;
  nulls: number;
  numeric?: NumericStatistics;
  categorical?: CategoricalStatistics;
}

/** Contents of `statistics.json`. */
export interface DatasetStatistics {
  format: 'ct-statistics';
  version: 2;
  /** Rows of all chunks added. */
  rows: number;
  columns: ColumnStatistics[];
}

/** Folds chunks of rows into statistics. */
export interface StatisticsAccumulator {
  /** Rows added so far. */
  readonly rows: number;
  /**
   * Adds a chunk. Columns are matched by name; a column absent from a chunk
   * simply has fewer rows (`count`). A column whose type differs from an
   * earlier chunk's is read as that type (`columnAs`): text that parses, else nulls.
   */
  add(table: Table): void;
  /** The statistics so far (a fresh object; adding more chunks afterwards is fine). */
  result(): DatasetStatistics;
}

// ---------------------------------------------------------------------------
// Accumulators

interface ColumnAccumulator {
  readonly type: ColumnType;
  add(column: Column): void;
  result(name: string): ColumnStatistics;
}

class NumericAccumulator implements ColumnAccumulator {
  count = 0;
  nulls = 0;
  /** Finite values. */
  n = 0;
  min = Infinity;
  max = -Infinity;
  mean = 0;
  m2 = 0;
  nonFinite = 0;
  negatives = 0;
  zeros = 0;
  nonIntegers = 0;
  midnights = 0;
  readonly sketch = new QuantileSketch();
  sample: number[] | null = [];
  /** Distinct finite values and their counts, parallel arrays; null once there are too many. */
  smallValues: number[] | null = [];
  smallCounts: number[] = [];
  /** The lowest and highest finite values so far, ascending (`NumericStatistics.extremes`). */
  readonly lowest: number[] = [];
  readonly highest: number[] = [];
  /** Per-chunk scratch: counts of whole numbers j with |j| ≤ WHOLE_NUMBER_LIMIT at j + WHOLE_NUMBER_LIMIT. */
  private readonly tally = createWholeNumberTally();

  constructor(readonly type: 'number' | 'timestamp') {}

  add(column: Column): void {
    if (column.type !== 'number' && column.type !== 'timestamp') return;
    const values = column.values;
    const mask = column.nulls;
    const length = values.length;
    // Pass 1: counts, extremes, sum, and a tally of small whole numbers (which
    // feeds the sketch and the value counts without a logarithm per row). The
    // mask-free loop is the common case and is kept free of the null test.
    // Values are summed as offsets from the first one: timestamps (~1e12)
    // would otherwise lose digits in the sum.
    let shift = 0;
    for (let i = 0; i < length; i++) {
      if (isFiniteValue(values, mask, i)) {
        shift = values[i]!;
        break;
      }
    }
    const W = WHOLE_NUMBER_LIMIT;
    const tally = this.tally;
    let n = 0;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    let negatives = 0;
    let zeros = 0;
    let nonFinite = 0;
    let nulls = 0;
    let others = 0;
    let nonIntegers = 0;
    if (mask === null) {
      for (let i = 0; i < length; i++) {
        const x = values[i]!;
        if (x - x !== 0) {
          nonFinite++; // NaN and ±Infinity: x − x is NaN
          continue;
        }
        sum += x - shift;
        if (x < min) min = x;
        if (x > max) max = x;
        // Conditional adds, not branches: signs of real data are unpredictable.
        negatives += x < 0 ? 1 : 0;
        zeros += x === 0 ? 1 : 0;
        n++;
        const j = x | 0;
        if (j === x && j >= -W && j <= W) tally[j + W]!++;
        else {
          others++;
          // Only untallied values can be fractions: the integrality test stays off the common path.
          if (Math.trunc(x) !== x) nonIntegers++;
        }
      }
    } else {
      for (let i = 0; i < length; i++) {
        if (mask[i] === 1) {
          nulls++;
          continue;
        }
        const x = values[i]!;
        if (x - x !== 0) {
          nonFinite++;
          continue;
        }
        sum += x - shift;
        if (x < min) min = x;
        if (x > max) max = x;
        negatives += x < 0 ? 1 : 0;
        zeros += x === 0 ? 1 : 0;
        n++;
        const j = x | 0;
        if (j === x && j >= -W && j <= W) tally[j + W]!++;
        else {
          others++;
          // Only untallied values can be fractions: the integrality test stays off the common path.
          if (Math.trunc(x) !== x) nonIntegers++;
        }
      }
    }
    this.count += length;
    this.nulls += nulls;
    this.nonFinite += nonFinite;
    this.negatives += negatives;
    this.zeros += zeros;
    this.nonIntegers += nonIntegers;
    if (n === 0) return;
    if (this.type === 'timestamp') {
      let midnights = 0;
      for (let i = 0; i < length; i++) if (isFiniteValue(values, mask, i) && values[i]! % MS_PER_DAY === 0) midnights++;
      this.midnights += midnights;
    }
    // Pass 2: squared deviations from the chunk's own mean (two-pass is far more
    // accurate than one-pass sums of squares, and cheaper than Welford's division
    // per value); the correction term absorbs the rounding of the mean.
    const chunkMean = shift + sum / n;
    let squares = 0;
    let residual = 0;
    // Only values beyond the kept extremes are inserted: a comparison per value on the common path.
    let lowCut = extremeCut(this.lowest, 'lowest');
    let highCut = extremeCut(this.highest, 'highest');
    for (let i = 0; i < length; i++) {
      const x = values[i]!;
      if (x - x !== 0 || (mask !== null && mask[i] === 1)) continue;
      const d = x - chunkMean;
      squares += d * d;
      residual += d;
      if (x < lowCut) lowCut = keepExtreme(this.lowest, x, 'lowest');
      if (x > highCut) highCut = keepExtreme(this.highest, x, 'highest');
    }
    const chunkM2 = squares - (residual * residual) / n;
    // Chan et al.: combine (n, mean, M2) of the totals so far with the chunk's.
    const total = this.n + n;
    const delta = chunkMean - this.mean;
    this.mean = this.n === 0 ? chunkMean : this.mean + (delta * n) / total;
    this.m2 += chunkM2 + (delta * delta * this.n * n) / total;
    this.n = total;
    if (min < this.min) this.min = min;
    if (max > this.max) this.max = max;
    // The tallied whole numbers lie within [min, max].
    const lo = Math.max(Math.ceil(min), -W);
    const hi = Math.min(Math.floor(max), W);
    if (this.smallValues !== null) this.countTally(lo, hi);
    this.sketch.addWholeNumberTally(tally, lo, hi); // also clears the tally
    if (others > 0) {
      this.sketch.addOtherValues(values, mask, { min, max });
      if (this.smallValues !== null) this.countOthers(values, mask);
    }
    if (this.sample !== null) {
      if (this.n > SAMPLE_LIMIT) this.sample = null;
      else for (let i = 0; i < length; i++) if (isFiniteValue(values, mask, i)) this.sample.push(values[i]!);
    }
  }

  /** Adds `count` of value `x` to the exact value counts; gives them up (null) at the first value too many. */
  private countValue(x: number, count: number): boolean {
    const seen = this.smallValues!;
    let k = seen.indexOf(x);
    if (k < 0) {
      if (seen.length === VALUE_COUNTS_LIMIT) {
        this.smallValues = null;
        this.smallCounts = [];
        return false;
      }
      k = seen.push(x) - 1;
      this.smallCounts.push(0);
    }
    this.smallCounts[k]! += count;
    return true;
  }

  /** Value counts of the tallied whole numbers in lo..hi. */
  private countTally(lo: number, hi: number): void {
    const W = WHOLE_NUMBER_LIMIT;
    for (let j = lo; j <= hi; j++) {
      const c = this.tally[j + W]!;
      if (c > 0 && !this.countValue(j, c)) return;
    }
  }

  /** Value counts of the values that were not tallied (one at a time: few columns get here and stay). */
  private countOthers(values: Float64Array, mask: Uint8Array | null): void {
    const W = WHOLE_NUMBER_LIMIT;
    for (let i = 0; i < values.length; i++) {
      if (!isFiniteValue(values, mask, i)) continue;
      const x = values[i]!;
      const j = x | 0;
      if (j === x && j >= -W && j <= W) continue; // tallied
      if (!this.countValue(x, 1)) return;
    }
  }

  result(name: string): ColumnStatistics {
    const empty = this.n === 0;
    let valueCounts: Array<[number, number]> | null = null;
    if (this.smallValues !== null) {
      valueCounts = this.smallValues.map((v, i): [number, number] => [v, this.smallCounts[i]!]);
      valueCounts.sort((a, b) => a[0] - b[0]);
    }
    const numeric: NumericStatistics = {
      min: empty ? Number.NaN : this.min,
      max: empty ? Number.NaN : this.max,
      mean: empty ? Number.NaN : this.mean,
      std: standardDeviation(this.n, this.m2),
      m2: empty ? Number.NaN : this.m2,
      nonFinite: this.nonFinite,
      negatives: this.negatives,
      zeros: this.zeros,
      nonIntegers: this.nonIntegers,
      ...(this.type === 'timestamp' ? { midnights: this.midnights } : {}),
      extremes: { lowest: [...this.lowest], highest: [...this.highest] },
      sketch: this.sketch.toJSON(),
      sample: this.sample === null ? null : Array.from(Float64Array.from(this.sample).sort()),
      valueCounts,
    };
    return { name, type: this.type, count: this.count, nulls: this.nulls, numeric };
  }
}

/** Which end of a column the values of an `extremes` list are kept from. */
type ExtremeEnd = 'lowest' | 'highest';

/**
 * Inserts `x` into the ascending `kept`, then drops the value beyond `EXTREME_COUNT` at the
 * other end (the largest of the lowest, the smallest of the highest); returns `extremeCut`.
 */
function keepExtreme(kept: number[], x: number, end: ExtremeEnd): number {
  let k = kept.length;
  while (k > 0 && kept[k - 1]! > x) k--;
  kept.splice(k, 0, x);
  if (kept.length > EXTREME_COUNT) {
    if (end === 'lowest') kept.pop();
    else kept.shift();
  }
  return extremeCut(kept, end);
}

/** The value a later one must be below (`lowest`) or above (`highest`) to enter the ascending `kept`: any while it is not full. */
function extremeCut(kept: readonly number[], end: ExtremeEnd): number {
  if (kept.length < EXTREME_COUNT) return end === 'lowest' ? Infinity : -Infinity;
  return end === 'lowest' ? kept[EXTREME_COUNT - 1]! : kept[0]!;
}

function isFiniteValue(values: Float64Array, mask: Uint8Array | null, i: number): boolean {
  const x = values[i]!;
  return x - x === 0 && (mask === null || mask[i] !== 1);
}

function standardDeviation(n: number, m2: number): number {
  if (n === 0) return Number.NaN;
  return n === 1 ? 0 : Math.sqrt(Math.max(0, m2) / (n - 1));
}

class CategoricalAccumulator implements ColumnAccumulator {
  count = 0;
  nulls = 0;
  readonly frequencies = new Map<string, number>();
  otherCount = 0;
  /** Largest number of distinct values known at once (a lower bound once pruned). */
  distinctSeen = 0;
  pruned = false;

  constructor(readonly type: 'string' | 'boolean') {}

  add(column: Column): void {
    const mask = column.nulls;
    if (column.type === 'string') {
      // Count per dictionary code in a typed array (the hot loop), then fold the
      // few distinct values into the map once per chunk.
      const codes = column.codes;
      const perCode = new Float64Array(column.dictionary.length);
      let nulls = 0;
      for (let i = 0; i < codes.length; i++) {
        const code = codes[i]!;
        if (code < 0 || (mask !== null && mask[i] === 1)) nulls++;
        else perCode[code]!++;
      }
      this.count += codes.length;
      this.nulls += nulls;
      for (let code = 0; code < perCode.length; code++) {
        const c = perCode[code]!;
        if (c > 0) this.bump(column.dictionary[code]!, c);
      }
    } else if (column.type === 'boolean') {
      const values = column.values;
      let trues = 0;
      let nulls = 0;
      for (let i = 0; i < values.length; i++) {
        if (mask !== null && mask[i] === 1) nulls++;
        else trues += values[i]!;
      }
      const falses = values.length - nulls - trues;
      this.count += values.length;
      this.nulls += nulls;
      if (trues > 0) this.bump('true', trues);
      if (falses > 0) this.bump('false', falses);
    }
    // Bounded memory: prune only well past the limit, so pruning (a sort) is rare.
    if (this.frequencies.size > 2 * FREQUENCY_LIMIT) this.prune();
  }

  private bump(value: string, count: number): void {
    this.frequencies.set(value, (this.frequencies.get(value) ?? 0) + count);
  }

  private prune(): void {
    this.distinctSeen = Math.max(this.distinctSeen, this.frequencies.size);
    const kept = topFrequencies(this.frequencies, FREQUENCY_LIMIT);
    for (const [value, count] of this.frequencies) if (!kept.has(value)) this.otherCount += count;
    this.frequencies.clear();
    for (const [value, count] of kept) this.frequencies.set(value, count);
    this.pruned = true;
  }

  result(name: string): ColumnStatistics {
    const size = this.frequencies.size;
    const lowerBound = this.pruned || size > FREQUENCY_LIMIT;
    const kept = size > FREQUENCY_LIMIT ? topFrequencies(this.frequencies, FREQUENCY_LIMIT) : this.frequencies;
    let other = this.otherCount;
    if (kept !== this.frequencies) for (const [value, count] of this.frequencies) if (!kept.has(value)) other += count;
    const categorical: CategoricalStatistics = {
      distinct: lowerBound ? Math.max(this.distinctSeen, size) : size,
      distinctIsLowerBound: lowerBound,
      frequencies: frequencyRecord(kept),
      otherCount: other,
    };
    return { name, type: this.type, count: this.count, nulls: this.nulls, categorical };
  }
}

/** The `limit` most frequent entries (ties broken by value, so the choice is deterministic). */
function topFrequencies(frequencies: ReadonlyMap<string, number>, limit: number): Map<string, number> {
  const entries = [...frequencies].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return new Map(entries.slice(0, limit));
}

/** Most frequent first; built with `fromEntries` so a value like "__proto__" is an ordinary key. */
function frequencyRecord(frequencies: ReadonlyMap<string, number>): Record<string, number> {
  const entries = [...frequencies].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return Object.fromEntries(entries);
}

function createColumnAccumulator(type: ColumnType): ColumnAccumulator {
  return type === 'number' || type === 'timestamp' ? new NumericAccumulator(type) : new CategoricalAccumulator(type);
}

/** A new accumulator: `add` each chunk of rows, then take the `result`. */
export function createStatistics(): StatisticsAccumulator {
  const columns = new Map<string, ColumnAccumulator>();
  let rows = 0;
  return {
    get rows() {
      return rows;
    },
    add(table: Table): void {
      for (const column of table.columns) {
        let acc = columns.get(column.name);
        if (acc === undefined) {
          acc = createColumnAccumulator(column.type);
          columns.set(column.name, acc);
        }
        // A file typed otherwise (numbers written as text by an export) is summarised as the earlier rows' type;
        // its values that are not of that type are the schema check's to report.
        acc.add(columnAs(column, acc.type));
      }
      rows += table.rowCount;
    },
    result(): DatasetStatistics {
      return { format: 'ct-statistics', version: 2, rows, columns: [...columns].map(([name, acc]) => acc.result(name)) };
    },
  };
}

/** Statistics of every column of `table` (one chunk). */
export function computeStatistics(table: Table): DatasetStatistics {
  const acc = createStatistics();
  acc.add(table);
  return acc.result();
}

// ---------------------------------------------------------------------------
// Merging

/**
 * Statistics of the union of the datasets `a` and `b` summarise. Counts,
 * extremes, frequencies (while exact), samples, value counts and sketches are
 * exact — the same as summarising the union; mean, std and m2 agree up to
 * rounding. Pure: neither input is changed. Works on statistics read back from
 * JSON (where NaN became null).
 */
export function mergeStatistics(a: DatasetStatistics, b: DatasetStatistics): DatasetStatistics {
  const byName = new Map(b.columns.map((c) => [c.name, c]));
  const columns: ColumnStatistics[] = [];
  for (const ca of a.columns) {
    const cb = byName.get(ca.name);
    byName.delete(ca.name);
    columns.push(cb === undefined ? structuredClone(ca) : mergeColumn(ca, cb));
  }
  for (const cb of byName.values()) columns.push(structuredClone(cb));
  return { format: 'ct-statistics', version: 2, rows: a.rows + b.rows, columns };
}

function mergeColumn(a: ColumnStatistics, b: ColumnStatistics): ColumnStatistics {
  if (a.type !== b.type) throw new UserError(`cannot merge statistics: column "${a.name}" is ${a.type} in one and ${b.type} in the other`);
  const out: ColumnStatistics = { name: a.name, type: a.type, count: a.count + b.count, nulls: a.nulls + b.nulls };
  if (a.numeric !== undefined && b.numeric !== undefined) out.numeric = mergeNumeric(a.numeric, b.numeric);
  else if (a.numeric !== undefined || b.numeric !== undefined) out.numeric = structuredClone((a.numeric ?? b.numeric)!);
  if (a.categorical !== undefined && b.categorical !== undefined) out.categorical = mergeCategorical(a.categorical, b.categorical);
  else if (a.categorical !== undefined || b.categorical !== undefined) out.categorical = structuredClone((a.categorical ?? b.categorical)!);
  return out;
}

/** A number from statistics that may have been through JSON (NaN → null). */
function num(x: number | null | undefined): number {
  return typeof x === 'number' ? x : Number.NaN;
}

function mergeNumeric(a: NumericStatistics, b: NumericStatistics): NumericStatistics {
  const na = a.sketch.count;
  const nb = b.sketch.count;
  const n = na + nb;
  let mean: number;
  let m2: number;
  if (na === 0 || nb === 0) {
    mean = na === 0 ? num(b.mean) : num(a.mean);
    m2 = na === 0 ? num(b.m2) : num(a.m2);
  } else {
    const delta = num(b.mean) - num(a.mean);
    mean = num(a.mean) + (delta * nb) / n;
    m2 = num(a.m2) + num(b.m2) + (delta * delta * na * nb) / n;
  }
  const sketch = QuantileSketch.fromJSON(a.sketch).mergeFrom(QuantileSketch.fromJSON(b.sketch)).toJSON();
  // Unknown on either side (an older file) is unknown in the union, unless that side had no finite values.
  const nonIntegersOf = (m: NumericStatistics): number | undefined => m.nonIntegers ?? (m.sketch.count === 0 ? 0 : undefined);
  const ia = nonIntegersOf(a);
  const ib = nonIntegersOf(b);
  return {
    min: n === 0 ? Number.NaN : Math.min(na === 0 ? Infinity : num(a.min), nb === 0 ? Infinity : num(b.min)),
    max: n === 0 ? Number.NaN : Math.max(na === 0 ? -Infinity : num(a.max), nb === 0 ? -Infinity : num(b.max)),
    mean,
    std: standardDeviation(n, m2),
    m2,
    nonFinite: a.nonFinite + b.nonFinite,
    negatives: a.negatives + b.negatives,
    zeros: a.zeros + b.zeros,
    ...(ia === undefined || ib === undefined ? {} : { nonIntegers: ia + ib }),
    ...(a.midnights === undefined || b.midnights === undefined ? {} : { midnights: a.midnights + b.midnights }),
    ...mergeExtremes(a, b),
    sketch,
    sample: a.sample !== null && b.sample !== null && n <= SAMPLE_LIMIT ? mergeSorted(a.sample, b.sample) : null,
    valueCounts: mergeValueCounts(a.valueCounts, b.valueCounts),
  };
}

/** The extremes of the union; unknown (absent) when either side with values lacks them. */
function mergeExtremes(a: NumericStatistics, b: NumericStatistics): Pick<NumericStatistics, 'extremes'> {
  const ea = a.extremes ?? (a.sketch.count === 0 ? { lowest: [], highest: [] } : undefined);
  const eb = b.extremes ?? (b.sketch.count === 0 ? { lowest: [], highest: [] } : undefined);
  if (ea === undefined || eb === undefined) return {};
  const lowest = mergeSorted(ea.lowest, eb.lowest).slice(0, EXTREME_COUNT);
  const highest = mergeSorted(ea.highest, eb.highest).slice(-EXTREME_COUNT);
  return { extremes: { lowest, highest } };
}

function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! <= b[j]!)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}

function mergeValueCounts(a: Array<[number, number]> | null, b: Array<[number, number]> | null): Array<[number, number]> | null {
  if (a === null || b === null) return null;
  const counts = new Map<number, number>();
  for (const [v, c] of [...a, ...b]) counts.set(v, (counts.get(v) ?? 0) + c);
  if (counts.size > VALUE_COUNTS_LIMIT) return null;
  return [...counts].sort((x, y) => x[0] - y[0]);
}

function mergeCategorical(a: CategoricalStatistics, b: CategoricalStatistics): CategoricalStatistics {
  const counts = new Map<string, number>(Object.entries(a.frequencies));
  for (const [value, count] of Object.entries(b.frequencies)) counts.set(value, (counts.get(value) ?? 0) + count);
  let other = a.otherCount + b.otherCount;
  let kept = counts;
  if (counts.size > FREQUENCY_LIMIT) {
    kept = topFrequencies(counts, FREQUENCY_LIMIT);
    for (const [value, count] of counts) if (!kept.has(value)) other += count;
  }
  const lowerBound = a.distinctIsLowerBound || b.distinctIsLowerBound || kept !== counts;
  return {
    distinct: lowerBound ? Math.max(a.distinct, b.distinct, counts.size) : counts.size,
    distinctIsLowerBound: lowerBound,
    frequencies: frequencyRecord(kept),
    otherCount: other,
  };
}

// ---------------------------------------------------------------------------
// Reading and helpers

/**
 * Checks statistics read from a file (`source` names it in errors) and turns
 * the nulls JSON made of NaN back into NaN. Statistics of the first format
 * (no `version`) cannot be used for drift: a UserError says so. Numeric columns
 * written before `nonIntegers` was counted are read without it (it stays unknown).
 */
export function parseStatistics(raw: unknown, source: string): DatasetStatistics {
  const value = raw as Partial<DatasetStatistics> | null;
  if (typeof value !== 'object' || value === null) throw new UserError(`${source}: not a statistics object`);
  if (value.format !== 'ct-statistics' || value.version !== 2) {
    throw new UserError(`${source}: statistics of an unsupported format (expected format "ct-statistics", version 2; recompute them with this version of ct)`);
  }
  if (typeof value.rows !== 'number' || !Array.isArray(value.columns)) throw new UserError(`${source}: statistics need "rows" and "columns"`);
  const columns = value.columns.map((c: ColumnStatistics, i: number): ColumnStatistics => {
    if (typeof c !== 'object' || c === null || typeof c.name !== 'string' || typeof c.count !== 'number' || typeof c.nulls !== 'number') {
      throw new UserError(`${source}: column ${i + 1} of the statistics is malformed`);
    }
    if (c.numeric === undefined) return c;
    const m = c.numeric;
    if (m.nonIntegers !== undefined && !(typeof m.nonIntegers === 'number' && Number.isInteger(m.nonIntegers) && m.nonIntegers >= 0)) {
      throw new UserError(`${source}: column "${c.name}": "nonIntegers" must be a count (a whole number >= 0)`);
    }
    if (m.midnights !== undefined && !(typeof m.midnights === 'number' && Number.isInteger(m.midnights) && m.midnights >= 0)) {
      throw new UserError(`${source}: column "${c.name}": "midnights" must be a count (a whole number >= 0)`);
    }
    const e = m.extremes;
    if (e !== undefined && !(typeof e === 'object' && e !== null && isExtremeList(e.lowest) && isExtremeList(e.highest))) {
      throw new UserError(`${source}: column "${c.name}": "extremes" must hold "lowest" and "highest", each at most ${EXTREME_COUNT} numbers, ascending`);
    }
    // Validates the sketch (throws a UserError naming what is wrong).
    try {
      QuantileSketch.fromJSON(m.sketch);
    } catch (error) {
      throw new UserError(`${source}: column "${c.name}": ${(error as Error).message}`, { cause: error });
    }
    return { ...c, numeric: { ...m, min: num(m.min), max: num(m.max), mean: num(m.mean), std: num(m.std), m2: num(m.m2) } };
  });
  return { format: 'ct-statistics', version: 2, rows: value.rows, columns };
}

/**
 * Mean and standard deviation of a column's finite values without its `EXTREME_COUNT`
 * lowest and highest ones (a trimmed mean; null when the extremes are unknown or there are
 * too few values to leave them out). A day's moments then stand for its rows, not for the
 * one invoice of 200,000 among 400 that a heavy tail brings now and then, and stay
 * comparable from day to day. The extremes are taken out of the whole's moments (Chan's
 * merge run backwards); where they held nearly all of the spread (a sentinel of 1e15) the
 * difference is rounding, and null says so.
 */
export function trimmedMoments(m: NumericStatistics): { mean: number; std: number } | null {
  const n = m.sketch.count;
  if (m.extremes === undefined || n < 2 * EXTREME_COUNT + 2) return null;
  const left = [...m.extremes.lowest, ...m.extremes.highest];
  const k = left.length;
  const leftMean = left.reduce((sum, x) => sum + x, 0) / k;
  const leftM2 = left.reduce((sum, x) => sum + (x - leftMean) ** 2, 0);
  const rest = n - k;
  const mean = num(m.mean) + (k * (num(m.mean) - leftMean)) / rest;
  const delta = leftMean - mean;
  const m2 = num(m.m2) - leftM2 - (delta * delta * k * rest) / n;
  if (!(m2 > TRIM_PRECISION * num(m.m2))) return null;
  return { mean, std: standardDeviation(rest, m2) };
}

/** Share of a column's spread the values left after trimming must hold for the difference to be more than rounding. */
const TRIM_PRECISION = 1e-9;

/** Whether `xs` is a list `extremes` may hold: at most `EXTREME_COUNT` numbers, ascending. */
function isExtremeList(xs: unknown): boolean {
  return Array.isArray(xs) && xs.length <= EXTREME_COUNT && xs.every((x, i) => typeof x === 'number' && (i === 0 || x >= (xs[i - 1] as number)));
}

/** The statistics of column `name`, or undefined. */
export function columnStatistics(stats: DatasetStatistics, name: string): ColumnStatistics | undefined {
  return stats.columns.find((c) => c.name === name);
}

/** Share of the column's rows that are null (0 for a column without rows). */
export function nullFraction(column: ColumnStatistics): number {
  return column.count === 0 ? 0 : column.nulls / column.count;
}

/** Number of non-null values (for numbers: finite values; NaN and ±Infinity are neither). */
export function valueCount(column: ColumnStatistics): number {
  if (column.numeric !== undefined) return column.numeric.sketch.count;
  return column.count - column.nulls;
}

/**
 * The q-quantile (0 ≤ q ≤ 1) of a numeric or timestamp column: the value at rank
 * ⌊q·(n − 1)⌋ of its sorted finite values — exact while the column keeps its
 * sample, else from the sketch within its relative accuracy (1%; for timestamps
 * that is 1% of the time since 1970, so only coarse). Null for other columns or
 * when there are no finite values.
 */
export function quantile(column: ColumnStatistics, q: number): number | null {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
  const m = column.numeric;
  if (m === undefined || m.sketch.count === 0) return null;
  if (m.sample !== null && m.sample.length > 0) return m.sample[Math.floor(q * (m.sample.length - 1))]!;
  return QuantileSketch.fromJSON(m.sketch).quantile(q);
}
