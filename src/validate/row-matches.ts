/**
 * A column joined from another day by row number: a join on the wrong date, a frame
 * assigned by position after its index was reset, a label file of yesterday pasted beside
 * today's rows. Every value is real and the column's mix is a normal day's, but at its row
 * numbers the column holds what another day held there.
 *
 * A profile keeps, at the same sample of row numbers on every day (the `ROW_SAMPLE_SIZE`
 * numbers whose hashes are smallest), a 16-bit hash of each column's value. Against each of
 * the week's partitions before it, a partition is measured per column by the share of the
 * sampled rows both hold whose values are equal, and keeps the highest
 * (`<column>.rowMatchShare`): chance on a normal day (flights' delays: 1.6% to 3.2% over six
 * months), and what was joined from that day on top of it. Times are left out: rows kept in
 * time order put the same times at the same row numbers whenever two days run one schedule.
 */
import { hashText, mixHash } from '../data/hash.js';
import { type Column, isNull, type Table } from '../data/table.js';

/**
 * Row numbers a profile samples. The share is judged by its spread over earlier days, which
 * the sample's own chance adds to: with 2,048 rows a share of 2% is known to 0.3%, so a
 * tenth of the rows joined from the day before (2% → 12%) stands at robust z 20 or more.
 */
export const ROW_SAMPLE_SIZE = 2048;
/** Sampled rows with a value on both days a column needs to be measured. */
const MIN_SHARED_ROWS = 200;

/** One partition's sampled row numbers (ascending) and, per column, its values' hashes there (-1: null). */
export interface RowSample {
  rows: number[];
  values: Record<string, number[]>;
}

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);

/** A 16-bit hash of a column's value at row `i` of its table, -1 for null. */
function valueHash(column: Column, i: number): number {
  if (isNull(column, i)) return -1;
  if (column.type === 'string') return column.codes[i]! < 0 ? -1 : hashText(column.dictionary[column.codes[i]!]!) & 0xffff;
  scratch[0] = column.values[i]!;
  return mixHash(mixHash(0x9e3779b9, scratchWords[0]!), scratchWords[1]!) & 0xffff;
}

/**
 * Accumulates, chunk by chunk (in file order), the values of every column but those in
 * `skip` at the sampled row numbers.
 */
export function createRowSample(skip: ReadonlySet<string>): { add(table: Table): void; result(): RowSample } {
  let offset = 0;
  let names: string[] | null = null;
  // Candidates by the hash of their row number; trimmed to the smallest ROW_SAMPLE_SIZE when twice as many.
  let kept: Array<{ key: number; row: number; values: number[] }> = [];
  let limit = Infinity;
  const trim = (): void => {
    kept.sort((a, b) => a.key - b.key);
    kept = kept.slice(0, ROW_SAMPLE_SIZE);
    if (kept.length === ROW_SAMPLE_SIZE) limit = kept[ROW_SAMPLE_SIZE - 1]!.key;
  };
  return {
    add(table: Table): void {
      names ??= table.columns.filter((c) => !skip.has(c.name)).map((c) => c.name);
      const columns = names.map((n) => table.columns.find((c) => c.name === n));
      for (let i = 0; i < table.rowCount; i++) {
        const row = offset + i;
        const key = mixHash(0x7f4a7c15, row);
        if (key >= limit) continue;
        kept.push({ key, row, values: columns.map((c) => (c === undefined ? -1 : valueHash(c, i))) });
        if (kept.length >= 2 * ROW_SAMPLE_SIZE) trim();
      }
      offset += table.rowCount;
    },
    result(): RowSample {
      trim();
      const sample = [...kept].sort((a, b) => a.row - b.row);
      return {
        rows: sample.map((s) => s.row),
        values: Object.fromEntries((names ?? []).map((n, k) => [n, sample.map((s) => s.values[k]!)])),
      };
    },
  };
}

/** Indices in `own` (`mine`) and in `before` (`theirs`) of the row numbers both samples hold, ascending. */
function sharedRows(own: RowSample, before: RowSample): { mine: number[]; theirs: number[] } {
  const mine: number[] = [];
  const theirs: number[] = [];
  for (let i = 0, j = 0; i < own.rows.length && j < before.rows.length;) {
    if (own.rows[i] === before.rows[j]) {
      mine.push(i++);
      theirs.push(j++);
    } else if (own.rows[i]! < before.rows[j]!) i++;
    else j++;
  }
  return { mine, theirs };
}

/** Of the rows both samples hold with a value of `column` on both days: how many, and the row numbers whose values are equal. */
export function matchedRows(
  own: RowSample,
  before: RowSample,
  column: string,
  shared: { mine: number[]; theirs: number[] } = sharedRows(own, before),
): { compared: number; matched: number[] } {
  const values = own.values[column];
  const earlier = before.values[column];
  if (values === undefined || earlier === undefined) return { compared: 0, matched: [] };
  let compared = 0;
  const matched: number[] = [];
  for (let k = 0; k < shared.mine.length; k++) {
    const a = values[shared.mine[k]!]!;
    const b = earlier[shared.theirs[k]!]!;
    if (a < 0 || b < 0) continue;
    compared++;
    if (a === b) matched.push(own.rows[shared.mine[k]!]!);
  }
  return { compared, matched };
}

/**
 * Partitions before a partition its row numbers are compared with: a join on the wrong date
 * takes the day before, or the same weekday a week before, most often. On flights the best of
 * seven sits at 2.5% for delays where the day before alone gives 2.1%; a tenth joined, 12%.
 */
export const ROW_MATCH_DAYS = 7;

type Sampled = { date: string; rowSample?: RowSample };

/** The partitions with a row sample among the `ROW_MATCH_DAYS` before `own` in `earlier` (ascending by date). */
function weekBefore(own: { date: string }, earlier: readonly Sampled[]): Sampled[] {
  return earlier.filter((d) => d.date < own.date && d.rowSample !== undefined).slice(-ROW_MATCH_DAYS);
}

/** The partition of the `ROW_MATCH_DAYS` before `own` whose `column` its sampled rows match most: its date and the rows (null: none measured). */
export function closestMatch(own: Sampled, earlier: readonly Sampled[], column: string): { date: string; compared: number; matched: number[] } | null {
  if (own.rowSample === undefined) return null;
  let best: { date: string; compared: number; matched: number[] } | null = null;
  for (const e of weekBefore(own, earlier)) {
    const m = matchedRows(own.rowSample, e.rowSample!, column);
    if (m.compared < MIN_SHARED_ROWS) continue;
    if (best === null || m.matched.length / m.compared > best.matched.length / best.compared) best = { date: e.date, ...m };
  }
  return best;
}

/** Per column, the share of its sampled rows that match the closest of the partitions before it (`<column>.rowMatchShare`). */
export function rowMatchMetrics(own: Sampled, earlier: readonly Sampled[]): Record<string, number> {
  const out: Record<string, number> = {};
  if (own.rowSample === undefined) return out;
  for (const e of weekBefore(own, earlier)) {
    // The rows both days sampled are found once, then every column is compared on them.
    const shared = sharedRows(own.rowSample, e.rowSample!);
    for (const column of Object.keys(own.rowSample.values)) {
      const { compared, matched } = matchedRows(own.rowSample, e.rowSample!, column, shared);
      const metric = `${column}.rowMatchShare`;
      if (compared >= MIN_SHARED_ROWS) out[metric] = Math.max(out[metric] ?? 0, matched.length / compared);
    }
  }
  return out;
}
