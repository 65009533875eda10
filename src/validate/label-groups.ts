/**
 * Labels overwritten on one part of a partition: the delay feed of one airport fails and its
 * flights are written as on time, the evening's late flights get the schedule's times, one
 * store's returns are lost. Every value stays plausible and the day's label rate moves by
 * less than real days differ (a storm moves it more), yet one group of rows — an airport, an
 * hour of the day — holds none of a label value it always held in numbers.
 *
 * A profile keeps, for each categorical column (raw, or a model input ct derives), how many
 * rows of each of its values (a group) hold each label value (a class). Against a pool of
 * earlier days, a group lacks a class when it holds none of it while its rows times the
 * class's smallest share in that group on any pooled day give at least `EXPECTED_ROWS`: at
 * the share of its worst day, chance leaves such a group without the class less often than
 * once in 20,000. A partition is measured by the share of its rows in such groups
 * (`<label>|<column>.absentLabelShare`), near 0 on every normal day.
 */
import { codesAsText, isNull, type StringColumn, type Table } from '../data/table.js';
import { joinColumns } from './metric-names.js';

/** Label values told apart at most; a label with more (a regression target) is not profiled this way. */
const MAX_CLASSES = 20;
/** Groups a column keeps per partition at most; beyond, the column is not measured. */
const MAX_GROUPS = 10_000;
/** Labelled rows a group needs on a day to be kept (and its shares to mean anything). */
const MIN_GROUP_ROWS = 20;
/** Rows of a class a group must be due, at its worst day's share, before lacking it counts. */
const EXPECTED_ROWS = 10;
/** Pooled days a group needs before its worst day is a bound to go by. */
const MIN_POOL_DAYS = 14;

/** One partition's label classes per group of each categorical column. */
export interface LabelGroupsProfile {
  /** The label column the classes are of (the derived label, or a multiclass label's own column). */
  label: string;
  /** The label's values, in the order of each group's counts. */
  classes: string[];
  /** Per categorical column, per value with at least `MIN_GROUP_ROWS` labelled rows: rows of each class. */
  groups: Record<string, Record<string, number[]>>;
}

/**
 * Accumulates, chunk by chunk, the label classes of the groups of every categorical column
 * of a profiled table (its raw columns, the model's derived inputs, and the numbers in
 * `codes` it reads as categories) but the label's own and those in `skip`. `label` names the
 * label column (null: no classes to count, as for a regression target); `result` is
 * undefined when the label has fewer than two or more than `MAX_CLASSES` values.
 */
export function createLabelGroups(
  label: string | null,
  { codes = new Set(), skip = new Set() }: { codes?: ReadonlySet<string>; skip?: ReadonlySet<string> } = {},
): { add(table: Table): void; result(): LabelGroupsProfile | undefined } {
  const classes: string[] = [];
  const classIndex = new Map<string, number>();
  const columns = new Map<string, Map<string, number[]> | null>();
  let overflow = label === null;
  const classOf = (key: string): number => {
    let k = classIndex.get(key);
    if (k === undefined) {
      classIndex.set(key, (k = classes.length));
      classes.push(key);
    }
    return k;
  };
  return {
    add(table: Table): void {
      if (overflow) return;
      const labels = table.columns.find((c) => c.name === label);
      if (labels === undefined) return;
      const rowClass = new Int32Array(table.rowCount).fill(-1);
      if (labels.type === 'string') {
        const byCode = labels.dictionary.map(classOf);
        for (let i = 0; i < table.rowCount; i++) if (labels.codes[i]! >= 0) rowClass[i] = byCode[labels.codes[i]!]!;
      } else {
        for (let i = 0; i < table.rowCount; i++) if (!isNull(labels, i)) rowClass[i] = classOf(String(labels.values[i]));
      }
      if (classes.length > MAX_CLASSES) {
        overflow = true;
        columns.clear();
        return;
      }
      for (const column of table.columns) {
        if (column.name === label || skip.has(column.name) || columns.get(column.name) === null) continue;
        // A number the model reads as a category (a store id) groups rows like a text column.
        const g = column.type === 'string' ? column : column.type === 'number' && codes.has(column.name) ? codesAsText(column) : null;
        if (g === null) continue;
        const groups = addGroups(columns.get(g.name) ?? new Map<string, number[]>(), g, rowClass, classes.length);
        columns.set(g.name, groups.size > MAX_GROUPS ? null : groups);
      }
    },
    result(): LabelGroupsProfile | undefined {
      if (overflow || label === null || classes.length < 2) return undefined;
      const out: LabelGroupsProfile['groups'] = {};
      for (const [name, groups] of columns) {
        if (groups === null) continue;
        const kept: Record<string, number[]> = {};
        for (const [text, counts] of groups) {
          const full = Array.from({ length: classes.length }, (_, c) => counts[c] ?? 0);
          if (sum(full) >= MIN_GROUP_ROWS) kept[text] = full;
        }
        out[name] = kept;
      }
      return { label, classes: [...classes], groups: out };
    },
  };
}

/** Adds the rows of each class (`rowClass`, -1 for none; `k` classes) per value of `g` to `groups`, by value. */
function addGroups(groups: Map<string, number[]>, g: StringColumn, rowClass: Int32Array, k: number): Map<string, number[]> {
  // Per code first (no string work per row), then by text: chunks have their own dictionaries.
  const counts = new Float64Array(g.dictionary.length * k);
  for (let i = 0; i < rowClass.length; i++) {
    const code = g.codes[i]!;
    if (code >= 0 && rowClass[i]! >= 0) counts[code * k + rowClass[i]!]!++;
  }
  for (let code = 0; code < g.dictionary.length; code++) {
    const text = g.dictionary[code]!;
    let group = groups.get(text);
    for (let c = 0; c < k; c++) {
      const n = counts[code * k + c]!;
      if (n === 0) continue;
      if (group === undefined) groups.set(text, (group = []));
      group[c] = (group[c] ?? 0) + n;
    }
  }
  return groups;
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

/** A class's two smallest shares in a group over the pooled days, and the day of the smallest. */
interface Lowest {
  first: number;
  firstDate: string;
  second: number;
}

/** Per column and group (`<column>\0<group>`): the pooled days that kept it, and each class's lowest shares. */
export type LabelGroupPool = Map<string, { dates: Set<string>; lowest: Map<string, Lowest> }>;

const groupKey = (column: string, group: string): string => `${column}\u0000${group}`;

/** The groups of every pooled day that has them, for {@link absentLabels}. */
export function labelGroupPool(profiles: ReadonlyArray<{ date: string; labelGroups?: LabelGroupsProfile }>): LabelGroupPool {
  const classes = new Set<string>();
  for (const p of profiles) for (const c of p.labelGroups?.classes ?? []) classes.add(c);
  const pool: LabelGroupPool = new Map();
  for (const p of profiles) {
    if (p.labelGroups === undefined) continue;
    const { classes: own, groups } = p.labelGroups;
    for (const [column, values] of Object.entries(groups)) {
      for (const [group, counts] of Object.entries(values)) {
        const key = groupKey(column, group);
        let pooled = pool.get(key);
        if (pooled === undefined) pool.set(key, (pooled = { dates: new Set(), lowest: new Map() }));
        pooled.dates.add(p.date);
        const rows = sum(counts);
        for (const c of classes) {
          const k = own.indexOf(c);
          const share = k < 0 ? 0 : counts[k]! / rows;
          const low = pooled.lowest.get(c);
          if (low === undefined) pooled.lowest.set(c, { first: share, firstDate: p.date, second: Infinity });
          else if (share < low.first) pooled.lowest.set(c, { first: share, firstDate: p.date, second: low.first });
          else if (share < low.second) low.second = share;
        }
      }
    }
  }
  return pool;
}

/** A group that holds none of a class it was due. */
export interface AbsentLabel {
  column: string;
  group: string;
  /** Labelled rows of the group on the day. */
  rows: number;
  /** The class it lacks. */
  label: string;
  /** The class's smallest share in the group on a pooled day. */
  lowest: number;
  /** Pooled days that kept the group. */
  days: number;
}

/**
 * The groups of `own` that hold none of a class they were due against `pool` (see the
 * module's note), largest first. `own` may be one of the pooled days (a history day
 * measured as the newest is): its own shares are then left out of the pool.
 */
export function absentLabels(own: { date: string; labelGroups?: LabelGroupsProfile }, pool: LabelGroupPool): AbsentLabel[] {
  const out: AbsentLabel[] = [];
  if (own.labelGroups === undefined) return out;
  const { classes, groups } = own.labelGroups;
  for (const [column, values] of Object.entries(groups)) {
    for (const [group, counts] of Object.entries(values)) {
      const pooled = pool.get(groupKey(column, group));
      if (pooled === undefined) continue;
      const inPool = pooled.dates.has(own.date);
      const days = pooled.dates.size - (inPool ? 1 : 0);
      if (days < MIN_POOL_DAYS) continue;
      const rows = sum(counts);
      for (const [label, low] of pooled.lowest) {
        const k = classes.indexOf(label);
        if (k >= 0 && counts[k]! > 0) continue;
        const lowest = inPool && low.firstDate === own.date ? low.second : low.first;
        if (rows * lowest >= EXPECTED_ROWS) {
          out.push({ column, group, rows, label, lowest, days });
          break;
        }
      }
    }
  }
  return out.sort((a, b) => b.rows - a.rows);
}

/**
 * For each categorical column of `own`: the share of its `rows` in groups that lack a class
 * (`<label>|<column>.absentLabelShare`; 0 when none does).
 */
export function labelGroupMetrics(own: { date: string; rows: number; labelGroups?: LabelGroupsProfile }, pool: LabelGroupPool): Record<string, number> {
  const out: Record<string, number> = {};
  if (own.labelGroups === undefined || own.rows === 0 || pool.size === 0) return out;
  const absent = new Map<string, number>();
  for (const a of absentLabels(own, pool)) absent.set(a.column, (absent.get(a.column) ?? 0) + a.rows);
  for (const column of Object.keys(own.labelGroups.groups)) {
    out[`${joinColumns('|', own.labelGroups.label, column)}.absentLabelShare`] = (absent.get(column) ?? 0) / own.rows;
  }
  return out;
}
