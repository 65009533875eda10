/**
 * Values filled from the row above: missing values written as the last one seen (a forward
 * fill, as pandas' `ffill` does, after a source lost some of them). Every value stays one
 * the column really holds, so no range, mix or constraint moves much.
 *
 * `<column>.repeatAboveShare` is the share of values equal to the one in the row above, less
 * the share equal to the one two rows above. A fill repeats the row above only; the file's
 * order repeats both alike (rows sorted by airport hold one airport's similar delays and
 * destinations together at either distance), so a sort is not a fill. A column whose equal
 * values stand together (rows sorted by it, or by a key that fixes it, as distances by
 * route) is not measured: each value's rows form a run or a few, and each run repeats the
 * row above once more than the row two above, whatever was filled.
 *
 * Measured for numbers and text alike, against the column's history like a share of
 * defective rows.
 */
import { type Column, columnLength, isNull, type Table } from '../data/table.js';

/**
 * How many times longer than a random order makes them runs of equal values must be, on
 * average, for a column's equal values to stand together (a fill from above of two rows in
 * three makes them three times as long; rows sorted by route, distances' five).
 */
const GROUPED_RUN_LENGTH = 3;
/** Distinct values counted per column at most; beyond, values seen once are dropped (they add nothing to chance). */
const MAX_VALUES = 50_000;

/** What one column's rows showed so far, carried across chunks. */
interface Repeats {
  /** The values of the last two rows read (null for a null). */
  above: number | string | null;
  twoAbove: number | string | null;
  /** Rows with a value whose row above had one, and those repeating it; the same two rows above. */
  pairs: number;
  repeats: number;
  skipPairs: number;
  skipRepeats: number;
  /** Rows with a value, and each value's rows: the share of equal neighbours a random order gives. */
  rows: number;
  counts: Map<number | string, number>;
}

/**
 * The value of row `i` of a number or text column, null where it is missing (a null, NaN or
 * an infinity): `valueAt` without its other types, for the loop over every row.
 */
function cell(column: Column, i: number): number | string | null {
  if (isNull(column, i)) return null;
  if (column.type === 'string') return column.dictionary[column.codes[i]!] ?? null;
  const v = column.values[i]!;
  return Number.isFinite(v) ? v : null;
}

/**
 * Accumulates, chunk by chunk in file order, the repeats of the row above and of the row two
 * above in the number and text columns named in `columns` (the model's inputs as they are,
 * and the label); `result` gives `<column>.repeatAboveShare` for each column measured.
 */
export function createRepeatsAbove(columns: ReadonlySet<string>): { add(table: Table): void; result(): Record<string, number> } {
  const state = new Map<string, Repeats>();
  return {
    add(table: Table): void {
      for (const column of table.columns) {
        if ((column.type !== 'number' && column.type !== 'string') || !columns.has(column.name)) continue;
        let s = state.get(column.name);
        if (s === undefined) {
          s = { above: null, twoAbove: null, pairs: 0, repeats: 0, skipPairs: 0, skipRepeats: 0, rows: 0, counts: new Map() };
          state.set(column.name, s);
        }
        const rows = columnLength(column);
        for (let i = 0; i < rows; i++) {
          const v = cell(column, i);
          const { above, twoAbove } = s;
          s.twoAbove = above;
          s.above = v;
          // A pair with a missing value is no pair: a null filled from above is what this finds.
          if (v === null) continue;
          if (above !== null) {
            s.pairs++;
            if (v === above) s.repeats++;
          }
          if (twoAbove !== null) {
            s.skipPairs++;
            if (v === twoAbove) s.skipRepeats++;
          }
          s.rows++;
          s.counts.set(v, (s.counts.get(v) ?? 0) + 1);
          if (s.counts.size > MAX_VALUES) for (const [value, count] of s.counts) if (count === 1) s.counts.delete(value);
        }
      }
    },
    result(): Record<string, number> {
      const out: Record<string, number> = {};
      for (const [name, s] of state) {
        if (s.pairs === 0 || s.skipPairs === 0) continue;
        // A run starts at each value unlike the row above's (or after a null); a random order starts rows × (1 − chance) of them.
        let chance = 0;
        for (const count of s.counts.values()) chance += (count / s.rows) ** 2;
        const grouped = (s.rows - s.repeats) * GROUPED_RUN_LENGTH <= s.rows * (1 - chance);
        if (!grouped) out[`${name}.repeatAboveShare`] = s.repeats / s.pairs - s.skipRepeats / s.skipPairs;
      }
      return out;
    },
  };
}

/** The rows (0-based) of `column` whose value equals the row above's, and the rows with a value whose row above had one. */
export function repeatsOfRowAbove(column: Column): { rows: number[]; pairs: number } {
  const rows: number[] = [];
  let pairs = 0;
  const length = columnLength(column);
  for (let i = 1; i < length; i++) {
    const v = cell(column, i);
    const above = cell(column, i - 1);
    if (v === null || above === null) continue;
    pairs++;
    if (v === above) rows.push(i);
  }
  return { rows, pairs };
}
