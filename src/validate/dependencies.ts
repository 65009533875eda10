/**
 * Functional dependencies between columns, found per partition and tested across days: a
 * route (origin, destination) determines its distance, a product code its unit price, a site
 * its region. A value that is plausible on its own but not the value its key always had — a
 * distance in kilometres on 1% of rows, a column sorted on its own, values rounded, a site
 * filed under another region — breaks the dependency on exactly the rows it touches, where
 * column statistics barely move.
 *
 * A profile keeps, for every dependency that mostly holds within its partition, the most
 * frequent values of each key with their counts (a text value as its 32-bit hash); comparing
 * days is pure (`dependencyMetrics`).
 */
import { hashText } from '../data/hash.js';
import { booleansAsText, codesAsText, type Column, type Table } from '../data/table.js';
import { columnNames, joinColumns } from './metric-names.js';

/** Categorical columns whose singles and pairs are tried as keys (the first ones of the table). */
const KEY_COLUMNS = 6;
/** Distinct key-value pairs tracked per dependency at most; beyond, it is not a dependency worth keeping. */
const MAX_PAIRS = 60_000;
/** Share of a partition's rows that must hold their key's most frequent value for the dependency to be kept. */
const KEPT_CONSISTENCY = 0.5;
/** Values kept per key, the most frequent first. */
const VALUES_PER_KEY = 3;
/** Share of rows whose key repeats within the partition, below which a key is sparse: each of its values is seen once or twice. */
const MIN_REPEATED = 0.5;
/**
 * A sparse key's rows that repeat a key seen before, at the least, for the partition to tell
 * whether the dependency holds: a small day samples each route a few times a week, so mostly
 * across days is its distance seen to be the route's. With fewer, the partition's values are
 * kept unjudged (for the days that judge it to compare them with), when at least
 * `SPARSE_MIN_REPEATED` of its rows repeat a key: an id, whose rows are one each, shows nothing.
 */
const SPARSE_SECOND_ROWS = 10;
const SPARSE_MIN_REPEATED = 0.05;
/**
 * Share of a sparse key's repeating rows that hold their key's most frequent value beyond its
 * first row, for its values to be kept: a route's distance agrees on every repeat, a measure
 * that varies within a key (a route's delays) disagrees at once.
 */
const SPARSE_CONSISTENCY = 0.9;

/** Separates the parts of a composite key. */
const KEY_SEPARATOR = '\u001f';

/**
 * Per dependency, over a pool of days: the days that judged it, those it held on, those too
 * sparse to judge it, each key's summed values, and the place (in date order) of the first
 * day that had each key.
 */
export type DependencyPool = Map<
  string,
  { days: number; held: number; unjudged: number; values: Map<string, Map<number, number>>; first: Map<string, number> }
>;

/**
 * Earlier pooled days a day needs before its keys or values are new when none of them had
 * them (a weekly value is not new on its day); before, new is what no other day had.
 */
export const MIN_EARLIER_DAYS = 7;

/** One dependency in one partition. */
export interface DependencyProfile {
  /**
   * Share of rows holding their key's most frequent value in this partition; for a sparse key
   * (most rows the only one of their key), share of the rows after each key's first.
   */
  consistency: number;
  /** A sparse key repeated on too few rows to tell whether the dependency holds here: its values are kept, not counted as held or not. */
  unjudged?: true;
  /** Per key: its row count, then up to `VALUES_PER_KEY` pairs of value and count, the most frequent first. Absent when consistency is below `KEPT_CONSISTENCY` (`SPARSE_CONSISTENCY` for a sparse key). */
  keys?: Record<string, number[]>;
}

/** Name of the dependency of `target` on `keys`: `distance<-origin+destination`. */
function dependencyName(target: string, keys: readonly string[]): string {
  return joinColumns('<-', target, keys);
}

/** Each row's key text over `keyColumns` (null where a key part is missing). */
function keyTexts(keyColumns: readonly Column[], rows: number): Array<string | null> {
  const keyText = new Array<string | null>(rows);
  for (let i = 0; i < rows; i++) {
    let text = '';
    for (let k = 0; k < keyColumns.length; k++) {
      const c = keyColumns[k]!;
      if (c.type !== 'string') break;
      const code = c.codes[i]!;
      if (code < 0) {
        text = '';
        break;
      }
      text += (k === 0 ? '' : KEY_SEPARATOR) + c.dictionary[code]!;
    }
    keyText[i] = text === '' ? null : text;
  }
  return keyText;
}

/** Each row's value of a dependency's target as a number (a text as its hash), NaN where missing. */
function targetValues(target: Column): Float64Array {
  if (target.type === 'string') {
    const hashes = target.dictionary.map((v) => hashText(v));
    return Float64Array.from(target.codes, (code) => (code < 0 ? NaN : hashes[code]!));
  }
  // Null numbers hold NaN already.
  return target.values as Float64Array;
}

/**
 * Accumulates, chunk by chunk, the values each key of each candidate dependency takes: the
 * numeric columns and the first categorical columns as targets, the first categorical
 * columns and their pairs as keys (a target is never part of its own key).
 */
export function createDependencies(codes: ReadonlySet<string> = new Set()): { add(table: Table): void; result(): Record<string, DependencyProfile> } {
  // dependency name -> key text -> value -> count
  const counts = new Map<string, { keys: Map<string, Map<number, number>>; pairs: number; overflow: boolean }>();
  return {
    add(table: Table): void {
      // Numbers the model reads as categories (a product id) are keys, as text.
      const ids = new Set(table.columns.filter((c) => c.type === 'number' && codes.has(c.name)).map((c) => c.name));
      const columns = table.columns.map((c) => (c.type === 'number' && ids.has(c.name) ? codesAsText(c) : c));
      // Flags are keys and targets as text, after the other categories (a device type decides whether the card was present).
      const flags = columns.flatMap((c) => (c.type === 'boolean' ? [booleansAsText(c)] : []));
      const categorical = [...columns.filter((c) => c.type === 'string'), ...flags].slice(0, KEY_COLUMNS);
      const targets = [...columns.filter((c) => c.type === 'number'), ...categorical].map((column) => ({ column, values: targetValues(column) }));
      const keySets: Array<typeof categorical> = categorical.map((c) => [c]);
      // An id is a key on its own: paired (a store and a product), one product on sale changes the value of as many keys as there are stores.
      const pairable = categorical.filter((c) => !ids.has(c.name));
      for (let a = 0; a < pairable.length; a++) for (let b = a + 1; b < pairable.length; b++) keySets.push([pairable[a]!, pairable[b]!]);
      for (const keyColumns of keySets) {
        const keyText = keyTexts(keyColumns, table.rowCount);
        for (const target of targets) {
          if (keyColumns.some((c) => c === target.column)) continue;
          const name = dependencyName(
            target.column.name,
            keyColumns.map((c) => c.name),
          );
          let entry = counts.get(name);
          if (entry === undefined) counts.set(name, (entry = { keys: new Map(), pairs: 0, overflow: false }));
          if (entry.overflow) continue;
          for (let i = 0; i < table.rowCount; i++) {
            const key = keyText[i];
            const v = target.values[i]!;
            if (key === null || key === undefined || !Number.isFinite(v)) continue;
            let values = entry.keys.get(key);
            if (values === undefined) entry.keys.set(key, (values = new Map<number, number>()));
            const seen = values.get(v);
            if (seen === undefined) {
              values.set(v, 1);
              if (++entry.pairs > MAX_PAIRS) {
                entry.overflow = true;
                entry.keys.clear();
                break;
              }
            } else values.set(v, seen + 1);
          }
        }
      }
    },
    result(): Record<string, DependencyProfile> {
      const out: Record<string, DependencyProfile> = {};
      for (const [name, { keys, overflow }] of counts) {
        if (overflow || keys.size === 0) continue;
        let rows = 0;
        let modal = 0;
        let repeated = 0;
        let repeatedModal = 0;
        let repeatedKeys = 0;
        const totals = new Map<string, number>();
        for (const [key, values] of keys) {
          let total = 0;
          let top = 0;
          for (const c of values.values()) {
            total += c;
            top = Math.max(top, c);
          }
          totals.set(key, total);
          rows += total;
          modal += top;
          if (total > 1) {
            repeated += total;
            repeatedModal += top;
            repeatedKeys++;
          }
        }
        if (rows < 100) continue;
        // A key seen once determines its value trivially: a sparse key is judged by its rows after the first.
        const sparse = repeated < MIN_REPEATED * rows;
        const seconds = repeated - repeatedKeys;
        const unjudged = sparse && seconds < SPARSE_SECOND_ROWS;
        if (unjudged && repeated < SPARSE_MIN_REPEATED * rows) continue;
        const consistency = !sparse ? modal / rows : seconds === 0 ? 1 : (repeatedModal - repeatedKeys) / seconds;
        const profile: DependencyProfile = unjudged ? { consistency, unjudged } : { consistency };
        if (unjudged || consistency >= (sparse ? SPARSE_CONSISTENCY : KEPT_CONSISTENCY)) {
          profile.keys = {};
          for (const [key, values] of keys) {
            const ranked = [...values].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, VALUES_PER_KEY);
            profile.keys[key] = [totals.get(key)!, ...ranked.flat()];
          }
        }
        out[name] = profile;
      }
      return out;
    },
  };
}

/** Keys whose values may change for real on one day (a few prices on sale), left out of a day's mismatches when there are `MANY_KEYS`. */
const CHANGED_KEYS = 3;
const MANY_KEYS = 50;

/** Share of days of a pool a dependency must be kept on (held) to be tested. */
const HELD_ON = 0.8;

/**
 * For each dependency that held on most days of `pool`: the share of the partition's rows
 * whose value is not the one their key had across the pool (`<name>.mismatchShare`; keys
 * the pool never saw are left out, and among 50 keys or more so are the 3 with the most
 * mismatched rows: a few values changing for real, as prices on sale, are not a defect).
 * The pool's values of a key are summed over its days; for a pooled day the partition itself
 * is one of them and is subtracted, so history days are measured as the newest is. A partition where the dependency no longer mostly holds at all
 * gets its inconsistency (at least one half). For a key of two columns, also the share of
 * rows whose pair of key values the pool never had (`<a>+<b>.unseenPairShare`: a route no
 * day flew, codes decoded with the wrong dictionary), once per pair. A pooled day (`at`, its
 * place in date order; null for the newest) counts as new the keys no day before it had
 * (see `MIN_EARLIER_DAYS`), so pairs of a growing domain (agents joining) are new on their
 * first days in the history as on the newest.
 */
export function dependencyMetrics(own: Record<string, DependencyProfile> | undefined, pool: DependencyPool, at: number | null): Record<string, number> {
  const out: Record<string, number> = {};
  const leaveOut = at !== null;
  // Dependencies in name order, so the key pair's unseen share comes from the same one every day.
  for (const [name, sums] of [...pool].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const dependency = own?.[name];
    // A pooled day is one of the days judged unless it left the dependency unjudged.
    const judged = leaveOut && dependency?.unjudged !== true;
    const days = sums.days - (judged ? 1 : 0);
    const held = sums.held - (judged && dependency?.keys !== undefined ? 1 : 0);
    if (days < 1 || held < HELD_ON * days) continue;
    if (dependency === undefined) continue;
    if (dependency.keys === undefined) {
      out[`${name}.mismatchShare`] = 1 - dependency.consistency;
      continue;
    }
    let rows = 0;
    const mismatches: number[] = [];
    let unseen = 0;
    for (const [key, entry] of Object.entries(dependency.keys)) {
      const pooled = sums.values.get(key);
      // A pooled day's new keys are those no day before it had, as the newest's are: keys that stayed are new once.
      if (pooled === undefined || (at !== null && at >= MIN_EARLIER_DAYS && sums.first.get(key) === at)) {
        unseen += entry[0]!;
        continue;
      }
      const ownCount = (value: number): number => {
        for (let j = 1; j + 1 < entry.length; j += 2) if (entry[j] === value) return entry[j + 1]!;
        return 0;
      };
      let reference: number | null = null;
      let best = 0;
      for (const [value, count] of pooled) {
        const c = count - (leaveOut ? ownCount(value) : 0);
        if (c > best || (c === best && reference !== null && value < reference)) {
          best = c;
          reference = value;
        }
      }
      if (reference === null || best <= 0) {
        // Only this day had the key.
        unseen += entry[0]!;
        continue;
      }
      rows += entry[0]!;
      mismatches.push(entry[0]! - ownCount(reference));
    }
    // Among many keys, the few whose value changed on most rows may have changed for real (a product on sale); a defect spreads.
    mismatches.sort((a, b) => b - a);
    const mismatched = mismatches.slice(mismatches.length >= MANY_KEYS ? CHANGED_KEYS : 0).reduce((a, b) => a + b, 0);
    if (rows >= 100) out[`${name}.mismatchShare`] = mismatched / rows;
    const keys = columnNames(name).slice(1);
    const pair = joinColumns('+', ...keys);
    if (keys.length === 2 && rows + unseen >= 100 && !(`${pair}.unseenPairShare` in out)) out[`${pair}.unseenPairShare`] = unseen / (rows + unseen);
  }
  return out;
}

/** The summed values of each dependency over a pool of days, for `dependencyMetrics`. */
export function dependencyPool(profiles: ReadonlyArray<{ dependencies?: Record<string, DependencyProfile> }>): DependencyPool {
  const pool: DependencyPool = new Map();
  for (const [at, p] of profiles.entries()) {
    for (const [name, dependency] of Object.entries(p.dependencies ?? {})) {
      let sums = pool.get(name);
      if (sums === undefined) pool.set(name, (sums = { days: 0, held: 0, unjudged: 0, values: new Map(), first: new Map() }));
      if (dependency.unjudged === true) sums.unjudged++;
      if (dependency.keys === undefined) continue;
      if (dependency.unjudged !== true) sums.held++;
      for (const [key, entry] of Object.entries(dependency.keys)) {
        let values = sums.values.get(key);
        if (values === undefined) sums.values.set(key, (values = new Map<number, number>()));
        if (!sums.first.has(key)) sums.first.set(key, at);
        for (let j = 1; j + 1 < entry.length; j += 2) values.set(entry[j]!, (values.get(entry[j]!) ?? 0) + entry[j + 1]!);
      }
    }
  }
  // Days count every profile but those too sparse to judge: a day without the dependency (its columns missing) did not hold it.
  for (const sums of pool.values()) sums.days = profiles.length - sums.unjudged;
  return pool;
}
