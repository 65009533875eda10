/**
 * An input that holds the outcome: a join that brings in a value computed after the fact (a
 * risk score rewritten once the chargeback came in, a status set when the case closed), a
 * column filled from the label on the rows where it was known. Every value stays in its
 * range; the label rate does not move. What changes is how well the input tells the label:
 * a model trained on that day learns to lean on it, scores well on the same rows, and fails
 * in production, where the input is what it always was.
 *
 * A profile keeps, per numeric input of the model, its correlation with the label the model
 * trains on (`<input>|<label>.correlation`), each side winsorized at the day's 1st and 99th
 * percentiles: one payment of a million that turned out to be fraud would otherwise move it
 * by more than a leak, and ranks would hide the leak's size (a rare label's rank correlation
 * cannot exceed about 0.25). Judged like any statistic against its history, with a spread
 * no smaller than chance gives a day of its rows: an input far closer to the label than on
 * any earlier day is an error.
 *
 * In one pass: values are counted in buckets 2% wide (logarithmic, by sign; zero is its
 * own), jointly for the input and the label; the percentiles and each bucket's value come
 * from the counts. A value moves by at most 1% to its bucket's, far less than a day's chance.
 */
import type { NumberColumn, Table } from '../data/table.js';
import { joinColumns } from './metric-names.js';

/** Rows both values are needed on before a correlation means anything. */
const MIN_ROWS = 100;
/** Width of a bucket: values within 2% of each other count as one. */
const LOG_STEP = Math.log(1.02);
/** Share of rows at each end whose values are limited to the next ones' (winsorized). */
const CLIP = 0.01;
/** Buckets per sign: from 10^-300 to 10^300 at 2% is about 70,000. */
const SIDE = 1 << 17;

/** The bucket of a finite `v`, in the order of the values: negative below zero's 0, positive above. */
function bucketOf(v: number): number {
  if (v === 0) return 0;
  const step = Math.min(SIDE - 2, Math.max(0, Math.floor(Math.log(Math.abs(v)) / LOG_STEP) + SIDE / 2)) + 1;
  return v < 0 ? -step : step;
}

/** One key for a pair of buckets (each within ±SIDE): exact in a double. */
function pairKey(x: number, y: number): number {
  return (x + SIDE) * 2 * SIDE + (y + SIDE);
}

/** The pair of buckets of a `pairKey`. */
function splitKey(key: number): [number, number] {
  return [Math.floor(key / (2 * SIDE)) - SIDE, (key % (2 * SIDE)) - SIDE];
}

/** A value near the middle of bucket `bucket` (its geometric middle; 0 for zero's). */
function valueOf(bucket: number): number {
  if (bucket === 0) return 0;
  const v = Math.exp((Math.abs(bucket) - 1 - SIDE / 2 + 0.5) * LOG_STEP);
  return bucket < 0 ? -v : v;
}

/**
 * Each bucket's value, limited to the values of the buckets that hold the `CLIP` and
 * 1 - `CLIP` quantiles of `counts` (bucket -> rows), unless those are one bucket (a rare
 * class of a 0/1 label: limiting would leave nothing to correlate).
 */
function clippedValues(counts: ReadonlyMap<number, number>, rows: number): Map<number, number> {
  const buckets = [...counts.keys()].sort((a, b) => a - b);
  let low: number | null = null;
  let high: number | null = null;
  let seen = 0;
  for (const bucket of buckets) {
    seen += counts.get(bucket)!;
    if (low === null && seen > CLIP * rows) low = bucket;
    if (high === null && seen >= (1 - CLIP) * rows) high = bucket;
  }
  low ??= buckets[0]!;
  high ??= buckets.at(-1)!;
  const clip = low !== high;
  return new Map(buckets.map((bucket) => [bucket, valueOf(clip ? Math.min(high, Math.max(low, bucket)) : bucket)]));
}

/**
 * Pearson's correlation of the rows of each pair of buckets, each side clipped
 * (`clippedValues`); null for fewer than `MIN_ROWS` rows or without variation on either side.
 */
function clippedCorrelation(pairs: ReadonlyMap<number, number>): number | null {
  const xs = new Map<number, number>();
  const ys = new Map<number, number>();
  let n = 0;
  for (const [key, rows] of pairs) {
    const [x, y] = splitKey(key);
    xs.set(x, (xs.get(x) ?? 0) + rows);
    ys.set(y, (ys.get(y) ?? 0) + rows);
    n += rows;
  }
  if (n < MIN_ROWS || xs.size < 2 || ys.size < 2) return null;
  const vxOf = clippedValues(xs, n);
  const vyOf = clippedValues(ys, n);
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (const [key, rows] of pairs) {
    const [x, y] = splitKey(key);
    const a = vxOf.get(x)!;
    const b = vyOf.get(y)!;
    sx += rows * a;
    sy += rows * b;
    sxx += rows * a * a;
    syy += rows * b * b;
    sxy += rows * a * b;
  }
  const vx = sxx - (sx * sx) / n;
  const vy = syy - (sy * sy) / n;
  if (!(vx > 1e-12 * Math.max(1, sxx)) || !(vy > 1e-12 * Math.max(1, syy))) return null;
  return Math.max(-1, Math.min(1, (sxy - (sx * sy) / n) / Math.sqrt(vx * vy)));
}

/**
 * Accumulates, chunk by chunk, the (winsorized) correlation of each numeric column in `inputs` with
 * the numeric `label` column; `result` gives `<input>|<label>.correlation` for every input
 * with at least `MIN_ROWS` rows where both are finite and both vary.
 */
export function createLabelCorrelations(label: string, inputs: ReadonlySet<string>): { add(table: Table): void; result(): Record<string, number> } {
  const pairs = new Map<string, Map<number, number>>();
  return {
    add(table: Table): void {
      const y = table.columns.find((c): c is NumberColumn => c.name === label && c.type === 'number');
      if (y === undefined) return;
      const labelBuckets = Int32Array.from(y.values, (v) => (Number.isFinite(v) ? bucketOf(v) : SIDE));
      for (const x of table.columns) {
        if (x.type !== 'number' || x.name === label || !inputs.has(x.name)) continue;
        let counts = pairs.get(x.name);
        if (counts === undefined) pairs.set(x.name, (counts = new Map<number, number>()));
        for (let i = 0; i < table.rowCount; i++) {
          // Null numbers hold NaN; a missing label is marked SIDE, no bucket's.
          const v = x.values[i]!;
          if (!Number.isFinite(v) || labelBuckets[i] === SIDE) continue;
          const key = pairKey(bucketOf(v), labelBuckets[i]!);
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
      }
    },
    result(): Record<string, number> {
      const out: Record<string, number> = {};
      for (const [input, counts] of pairs) {
        const r = clippedCorrelation(counts);
        if (r !== null) out[`${joinColumns('|', input, label)}.correlation`] = r;
      }
      return out;
    },
  };
}

/**
 * The spread chance alone gives a correlation of `r` over `rows` rows, (1 - r²) / √rows: a
 * small day's correlation wanders further, and no history of a few steady days makes a
 * chance move of it an incident.
 */
export function correlationNoise(r: number, rows: number): number {
  return (1 - Math.min(1, r * r)) / Math.sqrt(Math.max(1, rows));
}
