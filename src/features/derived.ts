/**
 * The model's inputs as the config derives them — hour of day, day of week, log1p,
 * buckets, hashed crosses — computed from the raw columns without a fitted
 * preprocessing, so that their distribution can be tracked per partition from the
 * first run on, before any model exists. A time-zone shift leaves every timestamp
 * plausible but moves the hour of day; this is where it shows.
 */
import type { FeatureConfig } from '../config/types.js';
import { type Column, findColumn, type NumberColumn, type StringColumn, stringColumnOf, type Table } from '../data/table.js';
import { timePart } from './preprocessing.js';
import { hashText } from '../data/hash.js';

/** The derived column holding the label as the model sees it (binary 0/1, regression value): tested for drift and tracked in the history. */
export const LABEL_COLUMN = 'ct:label';
/** The derived column holding the production model's predictions, tested for prediction drift. */
export const PREDICTION_COLUMN = 'ct:prediction';

/** Prefix of derived input columns, so they never clash with the data's own. */
export const DERIVED_PREFIX = 'input:';

/** Per-row category keys of one feature: `dictionary[codes[i]]`, -1 missing. */
type Keys = StringColumn;

/**
 * One column per feature whose values differ from a raw column's: `input:<name>`.
 * Time parts, buckets and crosses are categorical (text keys); log1p is numeric and keeps
 * the non-finite values it produces (NaN for values <= -1), which statistics count.
 * Features on a column the table lacks are left out (the schema check reports it). Time
 * parts read the clock of `timeZone` (`data.timezone`), as the model's encoder does.
 */
export function derivedInputColumns(table: Table, features: readonly FeatureConfig[], timeZone?: string): Column[] {
  const out: Column[] = [];
  const keys = new Map<string, Keys>();
  const n = table.rowCount;
  for (const f of features) {
    if (f.transform === 'cross') {
      const sources = (f.cross ?? []).map((name) => keys.get(name));
      if (sources.some((s) => s === undefined)) continue;
      const crossed = crossKeys(sources as Keys[], f.hashBuckets ?? 1, n);
      keys.set(f.name, crossed);
      out.push(stringColumn(f.name, crossed));
      continue;
    }
    const column = findColumn(table, f.column);
    if (column === undefined) continue;
    const isNullAt = (i: number): boolean => column.nulls !== null && column.nulls[i] === 1;
    if ((f.transform === 'hourOfDay' || f.transform === 'dayOfWeek') && column.type === 'timestamp') {
      const part = timePart(f.transform, timeZone);
      const k = keysOf(n, (i) => (isNullAt(i) || !Number.isFinite(column.values[i]!) ? null : String(part(column.values[i]!))));
      keys.set(f.name, k);
      out.push(stringColumn(f.name, k));
    } else if (f.transform === 'bucketize' && column.type === 'number') {
      const edges = f.boundaries ?? [];
      const k = keysOf(n, (i) => (isNullAt(i) || Number.isNaN(column.values[i]!) ? null : String(edges.filter((e) => e <= column.values[i]!).length)));
      keys.set(f.name, k);
      out.push(stringColumn(f.name, k));
    } else if (f.transform === 'log1p' && column.type === 'number') {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = isNullAt(i) ? Number.NaN : Math.log1p(column.values[i]!);
      out.push({ type: 'number', name: `${DERIVED_PREFIX}${f.name}`, values, nulls: column.nulls } satisfies NumberColumn);
    } else {
      // A raw column used as it is: profiled as itself; only its keys are needed for crosses.
      keys.set(f.name, rawKeys(column));
    }
  }
  return out;
}

function stringColumn(name: string, k: Keys): StringColumn {
  return { ...k, name: `${DERIVED_PREFIX}${name}` };
}

function keysOf(n: number, keyAt: (i: number) => string | null): Keys {
  return stringColumnOf('', n, keyAt);
}

function rawKeys(column: Column): Keys {
  if (column.type === 'string') return column;
  const isNullAt = (i: number): boolean => column.nulls !== null && column.nulls[i] === 1;
  return keysOf(column.values.length, (i) => (isNullAt(i) ? null : String(column.values[i])));
}

/** A hashed cross of key columns: each row's keys mixed and taken modulo `buckets`; missing when all are missing. */
function crossKeys(sources: readonly Keys[], buckets: number, n: number): Keys {
  const hashes = sources.map((s) => Uint32Array.from(s.dictionary, (v) => hashText(v)));
  return keysOf(n, (i) => {
    let h = 0x9e3779b9;
    let any = false;
    for (let s = 0; s < sources.length; s++) {
      const code = sources[s]!.codes[i]!;
      any ||= code >= 0;
      h = Math.imul(h ^ (code < 0 ? 0 : hashes[s]![code]!), 0x85ebca6b);
      h ^= h >>> 13;
    }
    return any ? String((h >>> 0) % buckets) : null;
  });
}
