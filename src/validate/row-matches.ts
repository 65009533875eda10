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
 *
 * A partition with a key (a customer id in a daily snapshot) is also sampled by key, and
 * each column is measured by the share of keys whose value is the one the key held the day
 * before (`<column>.keyMatchShare`): a customer's region moved, or a column joined on the
 * wrong key, is seen however the rows moved; and the key by the share of rows it repeats on.
 */
import { hashText, mixHash } from '../data/hash.js';
import { ID_NAME } from '../data/names.js';
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
  /** The same for the rows of a sample of the partition's keys, when it has a key column. */
  keyed?: KeySample;
}

/**
 * Rows sampled by a key: a column that names one row each (a customer id in a daily
 * snapshot), so the same customer is found on another day whatever its row number.
 */
export interface KeySample {
  /** The key column. */
  key: string;
  /** The sampled keys' hashes, ascending. */
  ids: number[];
  /** The row number of each sampled key. */
  rows: number[];
  /** Per column but the key, its values' hashes at those rows (-1: null). */
  values: Record<string, number[]>;
  /** Share of the sampled rows whose key is on another row too. */
  repeatShare: number;
  /** Per number column but the key, its values at those rows (null: none). */
  numbers: Record<string, Array<number | null>>;
}

/** Rows a first chunk needs for a column nearly unique in it to count as a key. */
const MIN_KEY_ROWS = 100;
/** Distinct values per row a column under an id's name needs in a first chunk to be the key. */
const KEY_DISTINCT = 0.8;

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);

/** A 16-bit hash of a column's value at row `i` of its table, -1 for null. */
function valueHash(column: Column, i: number): number {
  if (isNull(column, i)) return -1;
  if (column.type === 'string') return column.codes[i]! < 0 ? -1 : hashText(column.dictionary[column.codes[i]!]!) & 0xffff;
  scratch[0] = column.values[i]!;
  return mixHash(mixHash(0x9e3779b9, scratchWords[0]!), scratchWords[1]!) & 0xffff;
}

/** A 32-bit hash of a key column's value at row `i` (not null). */
function keyHash(column: Column, i: number): number {
  if (column.type === 'string') return hashText(column.dictionary[column.codes[i]!]!) >>> 0;
  scratch[0] = column.values[i]!;
  return mixHash(mixHash(0x85ebca6b, scratchWords[0]!), scratchWords[1]!) >>> 0;
}

/**
 * The column of `table` (but those in `skip`) that names one row each, with a value on
 * every row of a first chunk of `MIN_KEY_ROWS` rows or more: one under an id's name
 * (`customer_id`, text or whole numbers) whose values are `KEY_DISTINCT` distinct (a key
 * repeated on some rows is still the key, and its repeats a defect to count), else other
 * text with every value distinct (an email; free text rarely is). Numbers under other names
 * are no key: a column of amounts may hold distinct numbers by chance.
 */
function keyColumnOf(table: Table, skip: ReadonlySet<string>): Column | null {
  if (table.rowCount < MIN_KEY_ROWS) return null;
  const distinctShare = (column: Column): number => {
    const seen = new Set<number>();
    for (let i = 0; i < table.rowCount; i++) {
      if (isNull(column, i)) return 0;
      if (column.type === 'string') seen.add(column.codes[i]!);
      else if (Number.isInteger(column.values[i]!)) seen.add(column.values[i]!);
      else return 0;
    }
    return seen.size / table.rowCount;
  };
  const candidates = table.columns.filter((c) => !skip.has(c.name) && (c.type === 'string' || c.type === 'number'));
  return (
    candidates.find((c) => ID_NAME.test(c.name) && distinctShare(c) >= KEY_DISTINCT) ??
    candidates.find((c) => c.type === 'string' && !ID_NAME.test(c.name) && distinctShare(c) === 1) ??
    null
  );
}

/** The `ROW_SAMPLE_SIZE` rows with the smallest ids of those offered. */
function bottomK(): {
  wants(id: number): boolean;
  keep(id: number, row: number, values: number[], numbers?: Array<number | null>): void;
  result(): Array<{ id: number; row: number; values: number[]; numbers?: Array<number | null> }>;
} {
  let kept: Array<{ id: number; row: number; values: number[]; numbers?: Array<number | null> }> = [];
  let limit = Infinity;
  const trim = (): void => {
    kept.sort((a, b) => a.id - b.id);
    kept = kept.slice(0, ROW_SAMPLE_SIZE);
    if (kept.length === ROW_SAMPLE_SIZE) limit = kept[ROW_SAMPLE_SIZE - 1]!.id;
  };
  return {
    wants: (id) => id < limit,
    keep(id, row, values, numbers): void {
      kept.push({ id, row, values, ...(numbers === undefined ? {} : { numbers }) });
      if (kept.length >= 2 * ROW_SAMPLE_SIZE) trim();
    },
    result() {
      trim();
      return kept;
    },
  };
}

/**
 * Accumulates, chunk by chunk (in file order), the values of every column but those in
 * `skip` at the sampled row numbers, and at the rows of the sampled keys when the first
 * chunk has a key column.
 */
export function createRowSample(skip: ReadonlySet<string>): { add(table: Table): void; result(): RowSample } {
  let offset = 0;
  let names: string[] | null = null;
  let key: string | null = null;
  let numberNames: string[] | null = null;
  const byRow = bottomK();
  const byKey = bottomK();
  const valuesOf = (columns: ReadonlyArray<Column | undefined>, i: number): number[] => columns.map((c) => (c === undefined ? -1 : valueHash(c, i)));
  return {
    add(table: Table): void {
      if (names === null) {
        names = table.columns.filter((c) => !skip.has(c.name)).map((c) => c.name);
        key = keyColumnOf(table, skip)?.name ?? null;
      }
      const columns = names.map((n) => table.columns.find((c) => c.name === n));
      const keyColumn = key === null ? undefined : table.columns.find((c) => c.name === key);
      numberNames ??= names.filter((n, k) => n !== key && columns[k]?.type === 'number');
      const numberColumns = numberNames.map((n) => table.columns.find((c) => c.name === n));
      const numbersOf = (i: number): Array<number | null> =>
        numberColumns.map((c) => (c === undefined || c.type !== 'number' || isNull(c, i) || !Number.isFinite(c.values[i]!) ? null : c.values[i]!));
      for (let i = 0; i < table.rowCount; i++) {
        const row = offset + i;
        const id = mixHash(0x7f4a7c15, row);
        if (byRow.wants(id)) byRow.keep(id, row, valuesOf(columns, i));
        if (keyColumn === undefined || isNull(keyColumn, i)) continue;
        const keyId = keyHash(keyColumn, i);
        if (byKey.wants(keyId)) byKey.keep(keyId, row, valuesOf(columns, i), numbersOf(i));
      }
      offset += table.rowCount;
    },
    result(): RowSample {
      const columnsOf = (sample: ReadonlyArray<{ values: number[] }>, leave: string | null): Record<string, number[]> =>
        Object.fromEntries((names ?? []).flatMap((n, k) => (n === leave ? [] : [[n, sample.map((s) => s.values[k]!)]])));
      const rows = [...byRow.result()].sort((a, b) => a.row - b.row);
      const out: RowSample = { rows: rows.map((s) => s.row), values: columnsOf(rows, null) };
      if (key === null) return out;
      // A key on more than one row: each row of it counts as repeated; the first is matched to other days.
      const sampled = [...byKey.result()].sort((a, b) => a.id - b.id || a.row - b.row);
      const first = sampled.filter((s, i) => i === 0 || s.id !== sampled[i - 1]!.id);
      const repeated = sampled.filter((s, i) => s.id === sampled[i - 1]?.id || s.id === sampled[i + 1]?.id).length;
      if (sampled.length > 0)
        out.keyed = {
          key,
          ids: first.map((s) => s.id),
          rows: first.map((s) => s.row),
          values: columnsOf(first, key),
          repeatShare: repeated / sampled.length,
          numbers: Object.fromEntries((numberNames ?? []).map((n, k) => [n, first.map((s) => s.numbers?.[k] ?? null)])),
        };
      return out;
    },
  };
}

/** Indices in `own` (`mine`) and in `before` (`theirs`) of the ids (row numbers, keys) both ascending lists hold. */
function sharedRows(own: readonly number[], before: readonly number[]): { mine: number[]; theirs: number[] } {
  const mine: number[] = [];
  const theirs: number[] = [];
  for (let i = 0, j = 0; i < own.length && j < before.length;) {
    if (own[i] === before[j]) {
      mine.push(i++);
      theirs.push(j++);
    } else if (own[i]! < before[j]!) i++;
    else j++;
  }
  return { mine, theirs };
}

/** Of the rows both samples hold with a value of `column` on both days: how many, and the row numbers whose values are equal. */
export function matchedRows(
  own: RowSample,
  before: RowSample,
  column: string,
  shared: { mine: number[]; theirs: number[] } = sharedRows(own.rows, before.rows),
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
    const shared = sharedRows(own.rowSample.rows, e.rowSample!.rows);
    for (const column of Object.keys(own.rowSample.values)) {
      const { compared, matched } = matchedRows(own.rowSample, e.rowSample!, column, shared);
      const metric = `${column}.rowMatchShare`;
      if (compared >= MIN_SHARED_ROWS) out[metric] = Math.max(out[metric] ?? 0, matched.length / compared);
    }
  }
  return out;
}

/** A keyed partition, the partition it is compared with, and the indices of the keys both sampled. */
export interface KeyedPair {
  date: string;
  key: string;
  own: KeySample;
  before: KeySample;
  shared: { mine: number[]; theirs: number[] };
}

/**
 * A keyed partition and the partition its rows are compared with: the latest of the
 * `ROW_MATCH_DAYS` before it keyed by the same column (a customer's plan is compared with
 * the plan it had the day before), with the keys both sampled found once for every column.
 */
export function keyedPair(own: Sampled, earlier: readonly Sampled[]): KeyedPair | null {
  const keyed = own.rowSample?.keyed;
  if (keyed === undefined) return null;
  const last = weekBefore(own, earlier)
    .filter((d) => d.rowSample!.keyed?.key === keyed.key)
    .at(-1);
  if (last === undefined) return null;
  const before = last.rowSample!.keyed!;
  return { date: last.date, key: keyed.key, own: keyed, before, shared: sharedRows(keyed.ids, before.ids) };
}

/**
 * Per column of a keyed partition, the share of the keys it shares with the partition
 * before whose value is the one the same key held there (`<column>.keyMatchShare`): near 1
 * for what a customer keeps (a region, a plan), the share left unchanged for what moves
 * (a month's spend), 0 for a count that moves every day (tenure). A column rewritten on a
 * tenth of the rows, or joined on the wrong key, falls; a stale column rises. And the share
 * of rows whose key is on another row too (`<key>.keyRepeatShare`): a key is unique on a
 * normal day, and repeats where rows were appended twice or ids were assigned wrong. And for
 * a number that moves on most keys by one step (a tenure, a day older each day), the share
 * of keys that moved by it (`<column>.keyStepShare`): shuffled among rows, it falls.
 */
export function keyMatchMetrics(own: Sampled, earlier: readonly Sampled[]): Record<string, number> {
  const keyed = own.rowSample?.keyed;
  if (keyed === undefined) return {};
  const out: Record<string, number> = { [`${keyed.key}.keyRepeatShare`]: keyed.repeatShare };
  const pair = keyedPair(own, earlier);
  if (pair === null) return out;
  for (const column of Object.keys(keyed.values)) {
    const m = keyMatches(pair, column);
    if (m !== null && m.compared >= MIN_SHARED_ROWS) out[`${column}.keyMatchShare`] = m.same.length / m.compared;
  }
  for (const column of Object.keys(keyed.numbers)) {
    const m = keySteps(pair, column);
    if (m !== null && m.compared >= MIN_SHARED_ROWS) out[`${column}.keyStepShare`] = m.onStep / m.compared;
  }
  return out;
}

/**
 * For a keyed pair's `column`: how many keys both hold a value for, and the row numbers (in
 * the newer partition) whose value is the one the same key held before (`same`) or another
 * (`changed`). Both sides, where `matchedRows` keeps only the matches: a value rewritten is
 * shown by the rows that changed.
 */
export function keyMatches(pair: KeyedPair, column: string): { compared: number; same: number[]; changed: number[] } | null {
  const values = pair.own.values[column];
  const earlierValues = pair.before.values[column];
  if (values === undefined || earlierValues === undefined) return null;
  const { mine, theirs } = pair.shared;
  const same: number[] = [];
  const changed: number[] = [];
  for (let k = 0; k < mine.length; k++) {
    const a = values[mine[k]!]!;
    const b = earlierValues[theirs[k]!]!;
    if (a < 0 || b < 0) continue;
    (a === b ? same : changed).push(pair.own.rows[mine[k]!]!);
  }
  const byRow = (x: number, y: number): number => x - y;
  return { compared: same.length + changed.length, same: same.sort(byRow), changed: changed.sort(byRow) };
}

/**
 * For a keyed pair's number `column` that most keys moved by one step other than 0 (a
 * tenure, one day more): the step, how many keys both hold a number for, how many moved by
 * the step, and the row numbers (in the newer partition) of those that did not. Null when
 * the commonest step is 0: a value kept is `keyMatchShare`'s.
 */
export function keySteps(pair: KeyedPair, column: string): { step: number; compared: number; onStep: number; offStep: number[] } | null {
  const values = pair.own.numbers[column];
  const earlierValues = pair.before.numbers[column];
  if (values === undefined || earlierValues === undefined) return null;
  const { mine, theirs } = pair.shared;
  const steps: Array<{ row: number; step: number }> = [];
  for (let k = 0; k < mine.length; k++) {
    const a = values[mine[k]!];
    const b = earlierValues[theirs[k]!];
    // Rounded to a millionth: a step of 0.1 in floating point is not one value.
    if (typeof a === 'number' && typeof b === 'number') steps.push({ row: pair.own.rows[mine[k]!]!, step: Math.round((a - b) * 1e6) / 1e6 });
  }
  const counts = new Map<number, number>();
  for (const { step } of steps) counts.set(step, (counts.get(step) ?? 0) + 1);
  let step = 0;
  for (const [s, n] of counts) if (n > (counts.get(step) ?? 0)) step = s;
  if (step === 0) return null;
  const offStep = steps.filter((x) => x.step !== step).map((x) => x.row);
  return { step, compared: steps.length, onStep: steps.length - offStep.length, offStep: offStep.sort((x, y) => x - y) };
}
