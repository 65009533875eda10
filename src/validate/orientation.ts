/**
 * Pairs of values that arrive the wrong way round on some of a partition's rows: two
 * columns of one domain (origin and destination, sender and receiver, home and away team)
 * exchanged by a mapping bug on part of the data. Every value stays valid, each column's
 * mix stays what it was (routes run both ways), and a model barely notices a few rows. What
 * gives them away is when: the flight from A to B at seven runs every day, the one from B to
 * A at seven never has.
 *
 * A profile keeps, for each pair of same-domain columns, the combinations (first value,
 * second value, hour of day) its rows hold, as 31-bit hashes of the unordered pair and the
 * hour with the pair's direction in the top bit, so the reverse of a combination is one bit
 * away. A partition is measured by the share of its rows whose combination no pooled day
 * had while its reverse was on half the days a combination usually recurs on, or more
 * (`orientationMetrics`); that share sits near a fixed low level on normal days (new
 * schedules), and rises with every exchanged row.
 *
 * Where a pair runs both ways at the same hours (a shuttle, or days too sparse to tell the
 * hours apart), the counts tell instead: the profile keeps each pair's rows per direction,
 * whatever the hour, and an exchanged row takes one from the pair's usual direction and
 * gives one to its reverse. Real days move the two directions together (a storm cancels a
 * route's flights both ways, a new schedule adds round trips), so the rows by which a
 * pair's two directions moved opposite ways from their usual counts (`oppositeMetrics`)
 * sit at 0.04% to 0.2% of flights' days, and 1% of the rows exchanged put them at 0.6%.
 */
import { hashText } from '../data/hash.js';
import type { StringColumn, Table } from '../data/table.js';
import { timePart } from '../features/preprocessing.js';
import { sameDomain } from './exchange.js';
import { joinColumns } from './metric-names.js';
import { median } from './median.js';

/** Categorical columns whose pairs are candidates (the first ones of the table). */
const PAIR_COLUMNS = 6;
/** Rows of a chunk from which its two columns' values alone tell whether they are of one domain. */
const DECISIVE_ROWS = 10_000;
/** Distinct combinations a pair keeps per partition at most (and values a column keeps); beyond, the pair is not measured. */
const MAX_COMBINATIONS = 200_000;
/**
 * Share of the days a row's combination usually recurs on that its reverse must have been
 * on to count as the usual direction. On full days of flights a flight's combination is
 * on 47 of 56 days (the day-weighted median); where each day is a sample of 2,000 flights it
 * is on 7, and the reverse of every combination is on fewer than half the pooled days.
 */
const USUAL_REVERSE = 0.5;
/** Pooled days a reverse must have been on at the least: one day is a coincidence. */
const MIN_USUAL_DAYS = 2;
/** Days a pool needs before the share means anything. */
const MIN_POOL_DAYS = 7;
/** Context of a row without a time. */
const NO_HOUR = 24;
/** Top bit: which way round a combination's two values are. */
const DIRECTION = 0x80000000;
/** Context of a pair counted whatever the hour (not an hour, nor `NO_HOUR`). */
const ANY_HOUR = 25;

/** The combinations of one pair in one partition: sorted distinct keys and their row counts (base64). */
export interface OrientationProfile {
  /** The pair's two columns, in table order. */
  columns: [string, string];
  /** Rows holding both values. */
  rows: number;
  /** Base64 of a sorted Uint32Array of distinct combination keys. */
  keys: string;
  /** Base64 of a Uint16Array: rows per key, saturated at 65,535. */
  counts: string;
  /** The same for the directed pairs of values whatever the hour: each direction's rows. */
  directions: string;
  directionCounts: string;
}

/** 31-bit key of an unordered pair of value hashes and an hour. */
function combine(low: number, high: number, hour: number): number {
  let h = Math.imul(low ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ high, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ hour, 0x85ebca6b);
  return (h ^ (h >>> 13)) & 0x7fffffff;
}

/** Name of a pair's metrics: `origin+destination`. */
function pairName(a: string, b: string): string {
  return joinColumns('+', a, b);
}

/** Key of a row with a null on either side: not a row of the pair. */
const NO_ROW = -1;
/** Key of a row with the same value on both sides: a row, with no direction. */
const NO_DIRECTION = -2;

/** The hour (on the clock of `timeZone`, else UTC) of each row of `table`'s time column (`timeColumn`, else the first timestamp column); `NO_HOUR` without one. */
export function hoursOf(table: Table, timeColumn: string | undefined, timeZone: string | undefined): Uint8Array {
  const time = table.columns.find((c) => c.type === 'timestamp' && (timeColumn === undefined || c.name === timeColumn));
  const hours = new Uint8Array(table.rowCount).fill(NO_HOUR);
  if (time === undefined || time.type !== 'timestamp') return hours;
  const hourOf = timePart('hourOfDay', timeZone);
  for (let i = 0; i < table.rowCount; i++) {
    const t = time.values[i]!;
    if (Number.isFinite(t) && (time.nulls === null || time.nulls[i] === 0)) hours[i] = hourOf(t);
  }
  return hours;
}

/** Each row's combination key of columns `a` and `b` at its hour, or at `ANY_HOUR` without `hours` (or `NO_ROW`, `NO_DIRECTION`). */
function combinationKeys(a: StringColumn, b: StringColumn, hours: Uint8Array | null): Float64Array {
  const hashA = a.dictionary.map((v) => hashText(v));
  const hashB = b.dictionary.map((v) => hashText(v));
  const keys = new Float64Array(a.codes.length);
  for (let i = 0; i < keys.length; i++) {
    const ca = a.codes[i]!;
    const cb = b.codes[i]!;
    if (ca < 0 || cb < 0) keys[i] = NO_ROW;
    else {
      const ha = hashA[ca]!;
      const hb = hashB[cb]!;
      keys[i] =
        ha === hb ? NO_DIRECTION : (combine(Math.min(ha, hb), Math.max(ha, hb), hours === null ? ANY_HOUR : hours[i]!) | (ha < hb ? 0 : DIRECTION)) >>> 0;
    }
  }
  return keys;
}

/**
 * Accumulates, chunk by chunk, the combinations of every pair of categorical columns whose
 * values mostly coincide, with the hour of `timeColumn` (or of the first timestamp column)
 * as their context. Whether two columns are of one domain is decided on all their values
 * at the end (a small last chunk holds too few to tell); a large chunk whose two columns
 * share few values settles it early, and spares the counting.
 */
export function createOrientations(timeColumn?: string, timeZone?: string): { add(table: Table): void; result(): Record<string, OrientationProfile> } {
  const pairs = new Map<string, { columns: [string, string]; counts: Map<number, number>; directions: Map<number, number>; rows: number; dropped: boolean }>();
  // Each candidate column's values so far; null once there are too many to keep (then no pair of it is kept either).
  const values = new Map<string, Set<string> | null>();
  return {
    add(table: Table): void {
      const categorical = table.columns.filter((c): c is StringColumn => c.type === 'string').slice(0, PAIR_COLUMNS);
      const hours = hoursOf(table, timeColumn, timeZone);
      const own = categorical.map((c) => new Set(c.dictionary));
      categorical.forEach((c, k) => {
        const seen = values.get(c.name);
        if (seen === null) return;
        const all = seen ?? new Set<string>();
        for (const v of own[k]!) all.add(v);
        values.set(c.name, all.size > MAX_COMBINATIONS ? null : all);
      });
      for (let x = 0; x < categorical.length; x++) {
        for (let y = x + 1; y < categorical.length; y++) {
          const a = categorical[x]!;
          const b = categorical[y]!;
          const name = pairName(a.name, b.name);
          let entry = pairs.get(name);
          if (entry === undefined) pairs.set(name, (entry = { columns: [a.name, b.name], counts: new Map(), directions: new Map(), rows: 0, dropped: false }));
          if (entry.dropped) continue;
          if ((table.rowCount >= DECISIVE_ROWS && !sameDomain(own[x]!, own[y]!)) || entry.counts.size > MAX_COMBINATIONS) {
            entry.dropped = true;
            entry.counts.clear();
            entry.directions.clear();
            continue;
          }
          for (const key of combinationKeys(a, b, hours)) {
            if (key === NO_ROW) continue;
            entry.rows++;
            if (key !== NO_DIRECTION) entry.counts.set(key, (entry.counts.get(key) ?? 0) + 1);
          }
          countDirections(combinationKeys(a, b, null), entry.directions);
        }
      }
    },
    result(): Record<string, OrientationProfile> {
      const out: Record<string, OrientationProfile> = {};
      for (const [name, { columns, counts, directions, rows, dropped }] of pairs) {
        if (dropped || counts.size === 0 || counts.size > MAX_COMBINATIONS) continue;
        const valuesA = values.get(columns[0]);
        const valuesB = values.get(columns[1]);
        if (!valuesA || !valuesB || !sameDomain(valuesA, valuesB)) continue;
        const combinations = encode(counts);
        const directed = encode(directions);
        out[name] = { columns, rows, keys: combinations.keys, counts: combinations.counts, directions: directed.keys, directionCounts: directed.counts };
      }
      return out;
    },
  };
}

/** Adds each row's directed pair key (rows of a pair with a direction only) to `rows`. */
function countDirections(keys: Float64Array, rows: Map<number, number>): Map<number, number> {
  for (const key of keys) if (key >= 0) rows.set(key, (rows.get(key) ?? 0) + 1);
  return rows;
}

/** Keys and their rows as base64 text: a sorted Uint32Array, and a Uint16Array saturated at 65,535. */
function encode(rowsPerKey: ReadonlyMap<number, number>): { keys: string; counts: string } {
  const keys = Uint32Array.from(rowsPerKey.keys()).sort();
  const counts = Uint16Array.from(keys, (k) => Math.min(65_535, rowsPerKey.get(k)!));
  return { keys: Buffer.from(keys.buffer).toString('base64'), counts: Buffer.from(counts.buffer).toString('base64') };
}

/** Keys and their rows from `encode`'s text. */
function decodeKeys(keyText: string, countText: string): { keys: Uint32Array; counts: Uint16Array } {
  // Copied out of the decoded bytes: a typed array view needs an aligned offset.
  const keyBytes = Buffer.from(keyText, 'base64');
  const countBytes = Buffer.from(countText, 'base64');
  const keys = new Uint32Array(keyBytes.length >> 2);
  new Uint8Array(keys.buffer).set(keyBytes.subarray(0, keys.length * 4));
  const counts = new Uint16Array(countBytes.length >> 1);
  new Uint8Array(counts.buffer).set(countBytes.subarray(0, counts.length * 2));
  return { keys, counts: counts.length === keys.length ? counts : new Uint16Array(keys.length).fill(1) };
}

/** A profile's combinations decoded (once per profile object). */
const decoded = new WeakMap<OrientationProfile, { keys: Uint32Array; counts: Uint16Array }>();

function decode(profile: OrientationProfile): { keys: Uint32Array; counts: Uint16Array } {
  let out = decoded.get(profile);
  if (out === undefined) decoded.set(profile, (out = decodeKeys(profile.keys, profile.counts)));
  return out;
}

/** A profile's rows per directed pair (once per profile object). */
const decodedDirections = new WeakMap<OrientationProfile, Map<number, number>>();

function directionsOf(profile: OrientationProfile): Map<number, number> {
  let out = decodedDirections.get(profile);
  if (out === undefined) {
    const { keys, counts } = decodeKeys(profile.directions, profile.directionCounts);
    decodedDirections.set(profile, (out = new Map(Array.from(keys, (k, i) => [k, counts[i]!]))));
  }
  return out;
}

/** On how many days of a pool each combination of a pair occurred: an open-addressing table. */
class DayCounts {
  private readonly slots: Uint32Array;
  private readonly days: Int32Array;
  private readonly mask: number;

  constructor(capacity: number) {
    let size = 1024;
    while (size < capacity * 2) size *= 2;
    this.slots = new Uint32Array(size);
    this.days = new Int32Array(size);
    this.mask = size - 1;
  }

  private slot(key: number): number {
    let i = Math.imul(key, 0x9e3779b1) >>> 0;
    for (;;) {
      i &= this.mask;
      if (this.days[i] === 0 || this.slots[i] === key) return i;
      i++;
    }
  }

  add(key: number): void {
    const i = this.slot(key);
    this.slots[i] = key;
    this.days[i]!++;
  }

  get(key: number): number {
    return this.days[this.slot(key)]!;
  }
}

/**
 * Per pair: the days of a pool that had it, on how many of them each combination occurred,
 * and on how many a reverse must have been to be the usual direction (`usualDays`).
 */
export type OrientationPool = Map<string, { days: number; seen: DayCounts; usualDays: number }>;

/** The combinations of each pair over a pool of days, for `orientationMetrics`. */
export function orientationPool(profiles: ReadonlyArray<{ orientations?: Record<string, OrientationProfile> }>): OrientationPool {
  const byPair = new Map<string, Uint32Array[]>();
  for (const p of profiles) {
    for (const [name, profile] of Object.entries(p.orientations ?? {})) {
      const lists = byPair.get(name) ?? [];
      lists.push(decode(profile).keys);
      byPair.set(name, lists);
    }
  }
  const pool: OrientationPool = new Map();
  for (const [name, lists] of byPair) {
    const seen = new DayCounts(lists.reduce((n, keys) => n + keys.length, 0));
    for (const keys of lists) for (const key of keys) seen.add(key);
    pool.set(name, { days: lists.length, seen, usualDays: Math.max(MIN_USUAL_DAYS, USUAL_REVERSE * recurrence(lists, seen)) });
  }
  return pool;
}

/**
 * On how many of the pool's days a combination usually occurs: the median, over every
 * day's combinations, of the days each was on (a daily flight counts on each of its days).
 */
function recurrence(lists: readonly Uint32Array[], seen: DayCounts): number {
  const histogram = new Float64Array(lists.length + 1);
  let total = 0;
  for (const keys of lists) {
    for (const key of keys) histogram[seen.get(key)]!++;
    total += keys.length;
  }
  let below = 0;
  for (let days = 1; days < histogram.length; days++) {
    below += histogram[days]!;
    if (below >= total / 2) return days;
  }
  return lists.length;
}

/**
 * For each pair of the pool: the share of the partition's rows whose combination (values
 * in their order, hour) no pooled day had while its reverse was on at least half the days
 * a combination usually recurs on (`<a>+<b>.reversedShare`). With `leaveOut` the partition is one of the pooled days and is
 * subtracted, so history days are measured as the newest is.
 */
export function orientationMetrics(own: Record<string, OrientationProfile> | undefined, pool: OrientationPool, leaveOut: boolean): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, { days: pooled, seen, usualDays }] of pool) {
    const profile = own?.[name];
    if (profile === undefined || profile.rows === 0) continue;
    const days = pooled - (leaveOut ? 1 : 0);
    if (days < MIN_POOL_DAYS) continue;
    const { keys, counts } = decode(profile);
    const has = (key: number): boolean => {
      let lo = 0;
      let hi = keys.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (keys[mid]! === key) return true;
        if (keys[mid]! < key) lo = mid + 1;
        else hi = mid - 1;
      }
      return false;
    };
    let reversed = 0;
    for (let i = 0; i < keys.length; i++) {
      if (isReversed(keys[i]!, seen, usualDays, leaveOut ? has : null)) reversed += counts[i]!;
    }
    out[`${name}.reversedShare`] = reversed / profile.rows;
  }
  return out;
}

/**
 * Whether a combination is the wrong way round against a pool: no pooled day had it, while
 * its reverse was on at least `usualDays` of them. `own` (leave-one-out) says which
 * combinations the measured partition itself, one of the pooled days, holds.
 */
function isReversed(key: number, seen: DayCounts, usualDays: number, own: ((key: number) => boolean) | null): boolean {
  if (seen.get(key) - (own === null ? 0 : 1) > 0) return false;
  const reverse = (key ^ DIRECTION) >>> 0;
  return seen.get(reverse) - (own !== null && own(reverse) ? 1 : 0) >= usualDays;
}

/**
 * The rows of `table` (indices, at most `limit`) whose pair of values in `columns` is the
 * wrong way round against the days of `history`: the rows a `reversedShare` counts, as
 * examples for a reviewer. `time` names the time column and zone the profiles were made with.
 */
export function reversedRows(
  table: Table,
  columns: readonly [string, string],
  history: ReadonlyArray<{ orientations?: Record<string, OrientationProfile> }>,
  time: { column: string | undefined; zone: string | undefined },
  limit: number,
): number[] {
  const a = table.columns.find((c) => c.name === columns[0]);
  const b = table.columns.find((c) => c.name === columns[1]);
  const pooled = orientationPool(history).get(pairName(columns[0], columns[1]));
  if (a?.type !== 'string' || b?.type !== 'string' || pooled === undefined) return [];
  const keys = combinationKeys(a, b, hoursOf(table, time.column, time.zone));
  const rows: number[] = [];
  for (let i = 0; i < keys.length && rows.length < limit; i++) {
    if (keys[i]! >= 0 && isReversed(keys[i]!, pooled.seen, pooled.usualDays, null)) rows.push(i);
  }
  return rows;
}

/** Usual days a pair's counts need: the median of one or two days is their chance. */
const MIN_USUAL_COUNT_DAYS = 3;

/** A number per profile, so a pool of days has a key. */
const poolIds = new WeakMap<OrientationProfile, number>();
let nextPoolId = 0;
/** Usual rows of the pools measured last: the history of each day of a window pools mostly the same days. */
const usualByPool = new Map<string, Map<number, number> | null>();
/** Pools kept: those of two days' histories (56 days and the newest). */
const USUAL_POOLS_KEPT = 128;

/** Each directed pair's median rows over the days of `usual` that hold pair `name` (pairs with a median of 0 left out); null with too few such days. */
function usualDirections(name: string, usual: ReadonlyArray<{ orientations?: Record<string, OrientationProfile> }>): Map<number, number> | null {
  const profiles = usual.flatMap((p) => (p.orientations?.[name] === undefined ? [] : [p.orientations[name]]));
  const key = profiles
    .map((p) => {
      let id = poolIds.get(p);
      if (id === undefined) poolIds.set(p, (id = nextPoolId++));
      return id;
    })
    .join(',');
  if (usualByPool.has(key)) return usualByPool.get(key)!;
  const expected = medianDirections(profiles);
  usualByPool.set(key, expected);
  if (usualByPool.size > USUAL_POOLS_KEPT) usualByPool.delete(usualByPool.keys().next().value!);
  return expected;
}

/** Each directed pair's median rows over `profiles` (pairs with a median of 0 left out); null with too few profiles. */
function medianDirections(profiles: readonly OrientationProfile[]): Map<number, number> | null {
  if (profiles.length < MIN_USUAL_COUNT_DAYS) return null;
  const days = profiles.map(directionsOf);
  const keys = new Set<number>();
  for (const day of days) for (const key of day.keys()) keys.add(key);
  const out = new Map<number, number>();
  for (const key of keys) {
    const rows = median(days.map((day) => day.get(key) ?? 0));
    if (rows > 0) out.set(key, rows);
  }
  return out;
}

/** How a pair's two directions moved opposite ways: keyed by the direction that gained, the rows by which both moved. */
interface OppositeMove {
  /** Rows the direction that gained holds, and usually holds. */
  rows: number;
  usual: number;
  /** Rows its reverse holds, and usually holds. */
  reverse: number;
  usualReverse: number;
  /** The smaller of the two moves: rows that may have been exchanged. */
  moved: number;
}

/** The pairs whose two directions moved opposite ways from their usual rows (`usual`) in a day's rows per direction (`own`). */
function oppositeMoves(own: ReadonlyMap<number, number>, usual: ReadonlyMap<number, number>): Map<number, OppositeMove> {
  const out = new Map<number, OppositeMove>();
  const seen = new Set<number>();
  for (const source of [own, usual]) {
    for (const key of source.keys()) {
      const forward = (key & ~DIRECTION) >>> 0;
      if (seen.has(forward)) continue;
      seen.add(forward);
      const backward = (forward | DIRECTION) >>> 0;
      const [rows, usualRows, reverse, usualReverse] = [own.get(forward) ?? 0, usual.get(forward) ?? 0, own.get(backward) ?? 0, usual.get(backward) ?? 0];
      const [up, down] = [rows - usualRows, reverse - usualReverse];
      if (up * down >= 0) continue;
      const moved = Math.min(Math.abs(up), Math.abs(down));
      if (up > 0) out.set(forward, { rows, usual: usualRows, reverse, usualReverse, moved });
      else out.set(backward, { rows: reverse, usual: usualReverse, reverse: rows, usualReverse: usualRows, moved });
    }
  }
  return out;
}

/**
 * For each pair of `own`: the rows by which its two directions moved opposite ways from
 * their usual rows — the median over `usual`, the days its mix is compared with — as a share
 * of its rows (`<a>+<b>.oppositeShare`). A history day is measured against the others.
 */
export function oppositeMetrics(
  own: Record<string, OrientationProfile> | undefined,
  usual: ReadonlyArray<{ orientations?: Record<string, OrientationProfile> }>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, profile] of Object.entries(own ?? {})) {
    const expected = profile.rows === 0 ? null : usualDirections(name, usual);
    if (expected === null) continue;
    let moved = 0;
    for (const move of oppositeMoves(directionsOf(profile), expected).values()) moved += move.moved;
    out[`${name}.oppositeShare`] = moved / profile.rows;
  }
  return out;
}

/** A row of a pair whose directions moved opposite ways, in the direction that gained. */
export interface OppositeRow extends Omit<OppositeMove, 'moved'> {
  /** The row's index in its table. */
  row: number;
}

/**
 * The first row of each pair of `columns` in `table` whose directions moved opposite ways
 * against `usual` (the days its mix is compared with), in the direction that gained, the
 * pairs that moved most first (at most `limit`): examples of an `oppositeShare`.
 */
export function oppositeRows(
  table: Table,
  columns: readonly [string, string],
  usual: ReadonlyArray<{ orientations?: Record<string, OrientationProfile> }>,
  limit: number,
): OppositeRow[] {
  const a = table.columns.find((c) => c.name === columns[0]);
  const b = table.columns.find((c) => c.name === columns[1]);
  const expected = usualDirections(pairName(columns[0], columns[1]), usual);
  if (a?.type !== 'string' || b?.type !== 'string' || expected === null) return [];
  const keys = combinationKeys(a, b, null);
  const moves = oppositeMoves(countDirections(keys, new Map()), expected);
  const first = new Map<number, number>();
  keys.forEach((key, i) => moves.has(key) && !first.has(key) && first.set(key, i));
  return [...first]
    .sort(([k1, i1], [k2, i2]) => moves.get(k2)!.moved - moves.get(k1)!.moved || i1 - i2)
    .slice(0, limit)
    .map(([key, row]) => {
      const { moved: _, ...move } = moves.get(key)!;
      return { row, ...move };
    });
}
