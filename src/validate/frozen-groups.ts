/**
 * One group's values stuck: a meter whose thermometer reads 4.2 all day, a store whose
 * prices a failed job wrote as one number, an airport whose delays came through as 0. Every
 * value is plausible, the column's range and mix barely move, yet one group of rows — a
 * meter, a store, an airport — holds one value where it always held many.
 *
 * A profile keeps, for each numeric column of the data (not an id read as a category) and
 * each categorical column (raw, or an hour or weekday ct derives; crosses left out), the
 * groups of at least `MIN_GROUP_ROWS` rows that held `VARIED` or more distinct values, and
 * those that held one, with it. Against a pool of earlier days, a group is frozen when it
 * holds one value today and held many on every pooled day that kept it, at least
 * `MIN_POOL_DAYS` of them: a group that is one value by nature (a route's distance) or by
 * chance now and then (a product whose orders are nearly all one item) is never counted. A
 * partition is measured by the share of its rows in frozen groups (`<x>|<g>.frozenShare`),
 * 0 on every normal day.
 *
 * One column of a group sits still by nature now and then (a calm day's wind, a foggy day's
 * humidity); all of its readings at once only when what writes them is stuck — a sensor
 * resending its last reading, a group copied from one row. A group frozen in every numeric
 * column that varied there on every earlier day, two at least, is stuck whole
 * (`<g>.stuckShare`): small groups (a station's 24 hourly rows) count, which a column's
 * frozen share does not tell from chance.
 */
import { codesAsText, isNull, type NumberColumn, type StringColumn, type Table } from '../data/table.js';
import { DERIVED_PREFIX, LABEL_COLUMN } from '../features/derived.js';
import { columnNames, joinColumns } from './metric-names.js';

/** Rows a group needs on a day to be kept: in fewer, one value can be chance. */
const MIN_GROUP_ROWS = 20;
/** Distinct values a group must hold on a day to have varied (a flag or a count of few levels never does). */
export const VARIED = 5;
/** Groups a relation keeps per day at most; beyond, it is not measured (an id with many values). */
const MAX_GROUPS = 10_000;
/** Pooled days a group must have varied on before one value today counts. */
const MIN_POOL_DAYS = 14;

/** One partition's varied and frozen groups, per relation `<x>|<g>`. */
export interface FrozenGroupsProfile {
  /** Groups of at least `MIN_GROUP_ROWS` rows with `VARIED` or more distinct values. */
  varied: Record<string, string[]>;
  /** Groups of at least `MIN_GROUP_ROWS` rows holding one value: its rows and the value. */
  frozen: Record<string, Record<string, [number, number]>>;
}

/** Per group of one relation: rows, and its first distinct values (up to `VARIED`). */
type Groups = Map<string, { rows: number; values: number[] }>;

/**
 * Accumulates, chunk by chunk, the groups of every numeric × categorical pair of a profiled
 * table: numbers that are neither the label ct derives, an input it derives, nor in `codes`
 * (which group rows as categories instead); text columns, and `codes` as text, but those in
 * `skip`.
 */
export function createFrozenGroups({ codes = new Set(), skip = new Set() }: { codes?: ReadonlySet<string>; skip?: ReadonlySet<string> } = {}): {
  add(table: Table): void;
  result(): FrozenGroupsProfile;
} {
  const relations = new Map<string, Groups | null>();
  return {
    add(table: Table): void {
      const numbers = table.columns.filter(
        (c): c is NumberColumn => c.type === 'number' && !codes.has(c.name) && c.name !== LABEL_COLUMN && !c.name.startsWith(DERIVED_PREFIX),
      );
      if (numbers.length === 0) return;
      const groupings = table.columns.flatMap((c) =>
        skip.has(c.name) ? [] : c.type === 'string' ? [c] : c.type === 'number' && codes.has(c.name) ? [codesAsText(c)] : [],
      );
      for (const x of numbers) {
        for (const g of groupings) {
          const key = joinColumns('|', x.name, g.name);
          if (relations.get(key) === null) continue;
          const groups = addGroups(relations.get(key) ?? (new Map() as Groups), x, g);
          relations.set(key, groups.size > MAX_GROUPS ? null : groups);
        }
      }
    },
    result(): FrozenGroupsProfile {
      const out: FrozenGroupsProfile = { varied: {}, frozen: {} };
      for (const [key, groups] of relations) {
        if (groups === null) continue;
        const varied: string[] = [];
        const frozen: Record<string, [number, number]> = {};
        for (const [group, { rows, values }] of groups) {
          if (rows < MIN_GROUP_ROWS) continue;
          if (values.length >= VARIED) varied.push(group);
          else if (values.length === 1) frozen[group] = [rows, values[0]!];
        }
        out.varied[key] = varied;
        if (Object.keys(frozen).length > 0) out.frozen[key] = frozen;
      }
      return out;
    },
  };
}

/** Adds the rows and first distinct values of `x` per value of `g` to `groups`. */
function addGroups(groups: Groups, x: NumberColumn, g: StringColumn): Groups {
  // Per code first (no string work per row), then by text: chunks have their own dictionaries.
  const k = g.dictionary.length;
  const rows = new Float64Array(k);
  const seen = new Float64Array(k * VARIED);
  const distinct = new Uint8Array(k);
  for (let i = 0; i < x.values.length; i++) {
    const code = g.codes[i]!;
    const v = x.values[i]!;
    if (code < 0 || !Number.isFinite(v) || isNull(x, i)) continue;
    rows[code]!++;
    const d = distinct[code]!;
    if (d === VARIED) continue;
    let known = false;
    for (let j = 0; j < d && !known; j++) known = seen[code * VARIED + j] === v;
    if (known) continue;
    seen[code * VARIED + d] = v;
    distinct[code] = d + 1;
  }
  for (let code = 0; code < k; code++) {
    if (rows[code] === 0) continue;
    const text = g.dictionary[code]!;
    let group = groups.get(text);
    if (group === undefined) groups.set(text, (group = { rows: 0, values: [] }));
    group.rows += rows[code]!;
    for (let j = 0; j < distinct[code]! && group.values.length < VARIED; j++) {
      const v = seen[code * VARIED + j]!;
      if (!group.values.includes(v)) group.values.push(v);
    }
  }
  return groups;
}

/** Per relation and group (`<relation>\0<group>`): the pooled days it varied on, and those it was frozen on. */
export type FrozenGroupPool = Map<string, { varied: Set<string>; frozen: Set<string> }>;

const groupKey = (relation: string, group: string): string => `${relation}\u0000${group}`;

/** The varied and frozen groups of every pooled day, for {@link frozenGroups}. */
export function frozenGroupPool(profiles: ReadonlyArray<{ date: string; frozenGroups?: FrozenGroupsProfile }>): FrozenGroupPool {
  const pool: FrozenGroupPool = new Map();
  const entry = (relation: string, group: string): { varied: Set<string>; frozen: Set<string> } => {
    const key = groupKey(relation, group);
    let pooled = pool.get(key);
    if (pooled === undefined) pool.set(key, (pooled = { varied: new Set(), frozen: new Set() }));
    return pooled;
  };
  for (const p of profiles) {
    for (const [relation, groups] of Object.entries(p.frozenGroups?.varied ?? {})) for (const group of groups) entry(relation, group).varied.add(p.date);
    for (const [relation, groups] of Object.entries(p.frozenGroups?.frozen ?? {}))
      for (const group of Object.keys(groups)) entry(relation, group).frozen.add(p.date);
  }
  return pool;
}

/** A group holding one value where it held many on every earlier day. */
export interface FrozenGroup {
  relation: string;
  group: string;
  rows: number;
  value: number;
  /** Pooled days it varied on. */
  days: number;
}

/**
 * The groups of `own` frozen against `pool` (see the module's note), largest first. `own`
 * may be one of the pooled days (a history day measured as the newest is): its own day is
 * then left out of the pool.
 */
export function frozenGroups(own: { date: string; frozenGroups?: FrozenGroupsProfile }, pool: FrozenGroupPool): FrozenGroup[] {
  const out: FrozenGroup[] = [];
  for (const [relation, groups] of Object.entries(own.frozenGroups?.frozen ?? {})) {
    for (const [group, [rows, value]] of Object.entries(groups)) {
      const days = variedDays(pool, relation, group, own.date);
      if (days !== null) out.push({ relation, group, rows, value, days });
    }
  }
  return out.sort((a, b) => b.rows - a.rows);
}

/** A group frozen in every numeric column that varied there on every earlier day (two at least). */
export interface StuckGroup {
  /** The grouping column. */
  grouping: string;
  group: string;
  rows: number;
  /** The columns, each with its one value. */
  values: Array<{ column: string; value: number }>;
  /** Fewest pooled days any of them varied on. */
  days: number;
}

/** The groups of `own` stuck whole against `pool` (see the module's note), largest first; `frozen`, its frozen groups if known. */
export function stuckGroups(
  own: { date: string; frozenGroups?: FrozenGroupsProfile },
  pool: FrozenGroupPool,
  frozen: readonly FrozenGroup[] = frozenGroups(own, pool),
): StuckGroup[] {
  const byGroup = new Map<string, StuckGroup>();
  for (const f of frozen) {
    const [column, grouping] = columnNames(f.relation) as [string, string];
    const key = groupKey(grouping, f.group);
    const stuck = byGroup.get(key) ?? { grouping, group: f.group, rows: 0, values: [], days: f.days };
    stuck.rows = Math.max(stuck.rows, f.rows);
    stuck.values.push({ column, value: f.value });
    stuck.days = Math.min(stuck.days, f.days);
    byGroup.set(key, stuck);
  }
  const relations = Object.keys(own.frozenGroups?.varied ?? {}).map((relation) => [relation, columnNames(relation)[1]!] as const);
  return [...byGroup.values()]
    .filter((s) => s.values.length >= 2 && relations.every(([relation, grouping]) => grouping !== s.grouping || !variedHere(relation, s, own, pool)))
    .sort((a, b) => b.rows - a.rows);
}

/** Whether `stuck`'s group varied on every pooled day of `relation` and is not among its frozen columns today. */
function variedHere(relation: string, stuck: StuckGroup, own: { date: string }, pool: FrozenGroupPool): boolean {
  if (stuck.values.some((v) => joinColumns('|', v.column, stuck.grouping) === relation)) return false;
  return variedDays(pool, relation, stuck.group, own.date) !== null;
}

/**
 * The pooled days other than `date` that `group` of `relation` varied on, when it did on at
 * least `MIN_POOL_DAYS` of them and was never one value; otherwise null.
 */
function variedDays(pool: FrozenGroupPool, relation: string, group: string, date: string): number | null {
  const pooled = pool.get(groupKey(relation, group));
  if (pooled === undefined) return null;
  const days = pooled.varied.size - (pooled.varied.has(date) ? 1 : 0);
  const frozenBefore = pooled.frozen.size - (pooled.frozen.has(date) ? 1 : 0);
  return days >= MIN_POOL_DAYS && frozenBefore === 0 ? days : null;
}

/**
 * For each relation of `own`: the share of its `rows` in frozen groups (`<x>|<g>.frozenShare`);
 * for each grouping column, the share in groups stuck whole (`<g>.stuckShare`); 0 when none is.
 */
export function frozenGroupMetrics(own: { date: string; rows: number; frozenGroups?: FrozenGroupsProfile }, pool: FrozenGroupPool): Record<string, number> {
  const out: Record<string, number> = {};
  if (own.frozenGroups === undefined || own.rows === 0 || pool.size === 0) return out;
  const found = frozenGroups(own, pool);
  const frozen = new Map<string, number>();
  for (const f of found) frozen.set(f.relation, (frozen.get(f.relation) ?? 0) + f.rows);
  for (const relation of Object.keys(own.frozenGroups.varied)) out[`${relation}.frozenShare`] = (frozen.get(relation) ?? 0) / own.rows;
  const groupings = new Set(Object.keys(own.frozenGroups.varied).map((relation) => columnNames(relation)[1]!));
  const stuck = new Map<string, number>();
  for (const s of stuckGroups(own, pool, found)) stuck.set(s.grouping, (stuck.get(s.grouping) ?? 0) + s.rows);
  for (const g of groupings) out[`${g}.stuckShare`] = (stuck.get(g) ?? 0) / own.rows;
  return out;
}
