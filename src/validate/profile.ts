/**
 * What a daily partition is summarised into for its history: a flat set of metrics (row
 * count, null rates, numeric moments, quantiles and far-out tails, category shares, the
 * relations between columns) with the sketches and profiles the other checks keep. Each
 * partition is profiled once and cached by its fingerprint; the history's rules
 * (`history.ts`) judge the newest partition's profile against the days before it.
 *
 * Everything here is pure: reading partitions and the cache lives in the pipeline.
 */
import { booleansAsText, type NumberColumn, type Table } from '../data/table.js';
import { DERIVED_PREFIX } from '../features/derived.js';
import type { DependencyProfile } from './dependencies.js';
import type { OrientationProfile } from './orientation.js';
import { EFFECT_ETA2, EFFECT_GROUPS, type GroupEffects } from './group-effects.js';
import type { LabelGroupsProfile } from './label-groups.js';
import type { FrozenGroupsProfile } from './frozen-groups.js';
import type { RowSample } from './row-matches.js';
import { joinColumns } from './metric-names.js';
import { QuantileSketch } from './sketch.js';
import { rangeShares } from './ranges.js';
import { type ColumnStatistics, type DatasetStatistics, nullFraction, quantile, trimmedMoments, valueCount } from './statistics.js';
import { MS_PER_HOUR, wallClock } from '../time.js';

/** Category values whose shares a profile keeps per column (the most frequent first). */
export const PROFILE_CATEGORIES = 500;

/** One daily partition, summarised. */
export interface PartitionProfile {
  /** The partition's day, YYYY-MM-DD. */
  date: string;
  rows: number;
  /** Flat metrics, `<column>.<statistic>` (and `rows`, `duplicates.share`); finite numbers only. */
  metrics: Record<string, number>;
  /**
   * Shares of the most frequent values of each categorical column; `complete` when every value
   * is listed. Also of each number column of at most 20 values (`levels`: a count, a flag, a
   * binary label), for values gone and values new only: its mean and quantiles measure its mix.
   * And of the number a classification label is read off by a threshold (`delay` of
   * `delay > 15`) in ranges of values (`ranges`, `ranges.ts`), for ranges gone only.
   */
  categories: Record<string, { shares: Record<string, number>; complete: boolean; levels?: true; ranges?: true }>;
  /** The smallest distinct row hashes (time columns left out): a bottom-k sketch for similarity to other days. */
  sketch?: number[];
  /** The same with each time kept as its time of day ({@link TIMED_SKETCH_SIZE} hashes): a share of a day stale. */
  timedSketch?: number[];
  /** Functional dependencies between columns, by name (`distance<-origin+destination`). */
  dependencies?: Record<string, DependencyProfile>;
  /** Combinations of same-domain column pairs with the hour, by pair (`origin+destination`). */
  orientations?: Record<string, OrientationProfile>;
  /** The label's classes per group of each categorical column (classification labels only). */
  labelGroups?: LabelGroupsProfile;
  /** The groups of each numeric × categorical pair that held many values, and those that held one. */
  frozenGroups?: FrozenGroupsProfile;
  /** Each column's values at a sample of row numbers, the same on every day (`row-matches.ts`). */
  rowSample?: RowSample;
  /** Each group's mean of the relations that held (`createRelations().effects()`). */
  effects?: GroupEffects;
  /** The most the production model's score (`model.auc`) reaches by chance on the day's labels; not cached. */
  modelChance?: number;
  /** The standard error of the production model's score from the day's labels alone (few positives: a wide one); not cached. */
  modelNoise?: number;
}

/** Groups a relation keeps per categorical column at most (beyond, it is not measured). */
const RELATION_GROUPS = 10_000;

/**
 * How much of each numeric column's variance each categorical column explains (η², the
 * correlation ratio), accumulated chunk by chunk: `<numeric>|<categorical>.eta2`. A relation
 * that holds every day — a route determines its distance, an airport its mix of delays — and
 * breaks on one day shows columns that were shuffled, swapped or misaligned, though every
 * value in them is plausible. Numbers in `codes` (ids the model reads as categories) have
 * no variance worth explaining and are left out.
 */
export function createRelations(codes: ReadonlySet<string> = new Set()): {
  add(table: Table): void;
  result(): Record<string, number>;
  /** Each group's rows and mean, for the near-determined relations of this day (η² ≥ `EFFECT_ETA2`, signal ≥ `HELD_SIGNAL`, at most `EFFECT_GROUPS` groups). */
  effects(): GroupEffects;
} {
  const sums = new Map<string, { groups: Map<string, [number, number, number]>; overflow: boolean }>();
  /** η² and the signal of every relation over the rows added so far. */
  const metricsOf = (): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const [key, { groups, overflow }] of sums) {
      if (overflow) continue;
      let n = 0;
      let s = 0;
      let ss = 0;
      let within = 0;
      for (const [gn, gs, gss] of groups.values()) {
        n += gn;
        s += gs;
        ss += gss;
        within += gss - (gs * gs) / gn;
      }
      const total = ss - (s * s) / n;
      if (n < 100 || total <= 1e-12 * Math.max(1, ss)) continue;
      const eta2 = Math.min(1, Math.max(0, 1 - within / total));
      out[`${key}.eta2`] = eta2;
      const k = groups.size;
      if (k >= 2 && n > k) out[`${key}.signal`] = relationSignal(eta2, k, n);
    }
    return out;
  };
  return {
    add(table: Table): void {
      const numeric = table.columns.filter((c): c is NumberColumn => c.type === 'number' && !codes.has(c.name));
      // A flag groups rows as a category does: a risk score depends on whether the card was present.
      const categorical = table.columns.flatMap((c) => (c.type === 'string' ? [c] : c.type === 'boolean' && numeric.length > 0 ? [booleansAsText(c)] : []));
      for (const x of numeric) {
        for (const g of categorical) {
          const key = joinColumns('|', x.name, g.name);
          let entry = sums.get(key);
          if (entry === undefined) sums.set(key, (entry = { groups: new Map(), overflow: false }));
          if (entry.overflow) continue;
          // Per code first (no string work per row), then by text: chunks have their own dictionaries.
          const n = new Float64Array(g.dictionary.length);
          const s = new Float64Array(g.dictionary.length);
          const ss = new Float64Array(g.dictionary.length);
          for (let i = 0; i < table.rowCount; i++) {
            const code = g.codes[i]!;
            const v = x.values[i]!;
            if (code < 0 || !Number.isFinite(v) || (x.nulls !== null && x.nulls[i] === 1)) continue;
            n[code]!++;
            s[code]! += v;
            ss[code]! += v * v;
          }
          for (let code = 0; code < n.length; code++) {
            if (n[code] === 0) continue;
            const text = g.dictionary[code]!;
            const group = entry.groups.get(text);
            if (group === undefined) entry.groups.set(text, [n[code]!, s[code]!, ss[code]!]);
            else {
              group[0] += n[code]!;
              group[1] += s[code]!;
              group[2] += ss[code]!;
            }
          }
          if (entry.groups.size > RELATION_GROUPS) entry.overflow = true;
        }
      }
    },
    result: metricsOf,
    effects(): GroupEffects {
      const metrics = metricsOf();
      const out: GroupEffects = {};
      for (const [key, { groups, overflow }] of sums) {
        const held = (metrics[`${key}.signal`] ?? 0) >= HELD_SIGNAL && (metrics[`${key}.eta2`] ?? 0) >= EFFECT_ETA2;
        if (overflow || groups.size > EFFECT_GROUPS || !held) continue;
        out[key] = Object.fromEntries([...groups].map(([g, [gn, gs]]) => [g, [gn, Number((gs / gn).toPrecision(7))]]));
      }
      return out;
    },
  };
}

/**
 * How far a relation stands above chance: the F statistic of the one-way analysis of
 * variance, as a z-score against its no-relation distribution (F = 1, variance about
 * 2 / (k - 1) for many rows). Unlike η², which grows with the number of groups by chance
 * alone, 0 means no relation at any group count.
 */
function relationSignal(eta2: number, groups: number, rows: number): number {
  const f = eta2 / (groups - 1) / (Math.max(1e-12, 1 - eta2) / (rows - groups));
  return (f - 1) * Math.sqrt((groups - 1) / 2);
}

/** A relation holds on a day whose signal reaches this: strong enough to be broken on another. */
export const HELD_SIGNAL = 10;

/** Row hashes a profile keeps for its sketch. */
export const SKETCH_SIZE = 256;

/**
 * Row hashes a profile keeps for its sketch with times of day. Two real days share few rows
 * at the same minute (0.2% to 0.7% of flights' rows: a scheduled flight with the same
 * delay), so a tenth of a day served again from an earlier day stands out, but only if
 * enough of the shared rows are sampled to be counted: about 14 of 2,048 against 110. With
 * 1,024 the chance of the count alone spread real days so widely that a partly stale day
 * stood at robust z 14.8 on one of the benchmark's four days.
 */
export const TIMED_SKETCH_SIZE = 2048;

/** The `size` smallest distinct values of a sorted sketch and new hashes, ascending. */
export function mergeSketch(sketch: readonly number[], hashes: ArrayLike<number>, size = SKETCH_SIZE): number[] {
  const all = Float64Array.from([...sketch, ...Array.from(hashes)]).sort();
  const out: number[] = [];
  for (let i = 0; i < all.length && out.length < size; i++) if (i === 0 || all[i] !== all[i - 1]) out.push(all[i]!);
  return out;
}

/**
 * Jaccard similarity of two days' distinct rows, estimated from their bottom-k sketches
 * (ascending and distinct, as `mergeSketch` keeps them): of the k smallest hashes of the
 * union, the share both days hold. One merge of the two sketches: a day is compared with
 * every one of the four weeks before it.
 */
export function sketchSimilarity(a: readonly number[], b: readonly number[]): number {
  const k = Math.max(a.length, b.length);
  let i = 0;
  let j = 0;
  let union = 0;
  let both = 0;
  while (union < k && (i < a.length || j < b.length)) {
    const x = i < a.length ? a[i]! : Infinity;
    const y = j < b.length ? b[j]! : Infinity;
    if (x === y) both++;
    if (x <= y) i++;
    if (y <= x) j++;
    union++;
  }
  return union === 0 ? 0 : both / union;
}

const QUANTILES: ReadonlyArray<[string, number]> = [
  ['q05', 0.05],
  ['q25', 0.25],
  ['q50', 0.5],
  ['q75', 0.75],
  ['q95', 0.95],
];

/** What a profile keeps as it was measured, beside its metrics and value shares. */
export type KeptBeside = Partial<
  Pick<PartitionProfile, 'sketch' | 'timedSketch' | 'dependencies' | 'orientations' | 'labelGroups' | 'frozenGroups' | 'rowSample' | 'effects'>
>;

/**
 * The profile of one partition from its statistics (raw columns plus derived ones).
 * Timestamps contribute their null rate only: time always moves.
 */
export function profileOf(
  date: string,
  stats: DatasetStatistics,
  extra: KeptBeside & {
    duplicates: number;
    /** Rows that repeat an earlier row in every column but the label's (absent: no label column). */
    inputRepeats?: number | null;
    relations?: Record<string, number>;
    /** Number columns the model reads as categories (ids, codes): no location statistics. */
    codes?: ReadonlySet<string>;
    /** Numeric columns' grain: default fills and rounding (`<column>.spikeShare`, `.roundShare`). */
    numericShape?: Record<string, number>;
    /** Values filled from the row above, in numbers and text (`<column>.repeatAboveShare`). */
    repeatsAbove?: Record<string, number>;
    /** The clock of the times of day (`data.timezone`); absent: UTC. */
    timeZone?: string;
    /** The number column a classification label is read off by a threshold, listed in ranges of values. */
    ranges?: string;
  },
): PartitionProfile {
  const metrics: Record<string, number> = { rows: stats.rows, ...extra.relations, ...extra.numericShape, ...extra.repeatsAbove };
  const categories: PartitionProfile['categories'] = {};
  if (stats.rows > 0) metrics['duplicates.share'] = extra.duplicates / stats.rows;
  if (stats.rows > 0 && typeof extra.inputRepeats === 'number') metrics['duplicates.inputShare'] = extra.inputRepeats / stats.rows;
  for (const c of stats.columns) {
    const put = (name: string, value: number | null): void => {
      if (value !== null && Number.isFinite(value)) metrics[`${c.name}.${name}`] = value;
    };
    put('nullRate', nullFraction(c));
    if (c.type === 'timestamp') {
      timeMetrics(c, date, wallClock(extra.timeZone), put);
      continue;
    }
    // A number the model reads as a category (a store id) has no meaningful mean or quantiles.
    if (c.numeric !== undefined && extra.codes?.has(c.name) !== true) numericMetrics(c, put);
    const levels = c.type === 'number' ? c.numeric?.valueCounts : null;
    if (Array.isArray(levels)) categories[c.name] = { shares: levelShares(levels), complete: true, levels: true };
    // The label's number in ranges: the end of its range cut off (a sorted file cut short, a filter) is values gone.
    else if (c.name === extra.ranges && c.type === 'number' && c.numeric !== undefined) {
      categories[c.name] = { shares: rangeShares(c.numeric.sketch), complete: true, ranges: true };
      put('topEdge', topEdge(c));
    }
    if (c.categorical !== undefined) {
      const present = c.count - c.nulls;
      put('distinct', c.categorical.distinct);
      // Sorted here: an object lists integer-like keys ("0", "23") in numeric order, not by count.
      const entries = Object.entries(c.categorical.frequencies)
        .sort((a, b) => b[1] - a[1])
        .slice(0, PROFILE_CATEGORIES);
      const shares: Record<string, number> = {};
      for (const [value, count] of entries) shares[value] = present === 0 ? 0 : count / present;
      // A derived key's most frequent value is an artefact of hashing and the weekday: its mix (divergence) is tested instead.
      if (!c.name.startsWith(DERIVED_PREFIX)) put('topShare', entries[0] === undefined || present === 0 ? 0 : entries[0][1] / present);
      categories[c.name] = { shares, complete: !c.categorical.distinctIsLowerBound && c.categorical.distinct <= PROFILE_CATEGORIES };
    }
  }
  return {
    date,
    rows: stats.rows,
    metrics,
    categories,
    ...(extra.sketch === undefined ? {} : { sketch: extra.sketch }),
    ...(extra.timedSketch === undefined ? {} : { timedSketch: extra.timedSketch }),
    ...(extra.dependencies === undefined ? {} : { dependencies: extra.dependencies }),
    ...(extra.orientations === undefined ? {} : { orientations: extra.orientations }),
    ...(extra.labelGroups === undefined ? {} : { labelGroups: extra.labelGroups }),
    ...(extra.frozenGroups === undefined ? {} : { frozenGroups: extra.frozenGroups }),
    ...(extra.rowSample === undefined ? {} : { rowSample: extra.rowSample }),
    ...(extra.effects === undefined ? {} : { effects: extra.effects }),
  };
}

/** Values a partition needs for {@link topEdge}: its top half percent is then 20 rows or more. */
const TOP_EDGE_ROWS = 4000;

/**
 * How thin a number's top end is: the span of its top half percent of values (99.5th
 * percentile to the largest) for the span of the half percent below them (99th to 99.5th).
 * A long tail thins out to its end (flights' delays: 4.4 to 35 on real days, 18 at the
 * median); a file sorted by the column and cut short ends as densely as its body (1.3 to 1.7
 * with the longest 1% gone). Null for fewer than {@link TOP_EDGE_ROWS} values, or no span.
 */
function topEdge(c: ColumnStatistics): number | null {
  const m = c.numeric!;
  if (valueCount(c) < TOP_EDGE_ROWS || m.sketch.max === null) return null;
  const q99 = quantile(c, 0.99)!;
  const q995 = quantile(c, 0.995)!;
  return q995 > q99 ? (m.sketch.max - q995) / (q995 - q99) : null;
}

/** Each level's share of a number column's finite values, keyed as written ("0", "1"). */
function levelShares(counts: ReadonlyArray<[number, number]>): Record<string, number> {
  const total = counts.reduce((sum, [, k]) => sum + k, 0);
  return Object.fromEntries(counts.map(([v, k]) => [String(v), total === 0 ? 0 : k / total]));
}

/**
 * When the partition's first and last events happened, in hours after its day's midnight:
 * a partial upload, cut at the end or the start, loses the latest or earliest events while
 * its row count stays within a normal day's range. Time itself always moves, so only the
 * time of day is compared. On `clock` (`data.timezone`'s) when the rows lie within the
 * day on it — a shop's opening hour stays put across a daylight-saving change — else on
 * UTC: a partition cut at UTC midnight through the day's activity has its first and last
 * rows at the cut.
 */
function timeMetrics(c: ColumnStatistics, date: string, clock: (t: number) => number, put: (name: string, value: number | null) => void): void {
  const midnight = Date.parse(`${date}T00:00:00Z`);
  if (c.numeric === undefined || !Number.isFinite(midnight) || valueCount(c) === 0) return;
  let first = (clock(c.numeric.min) - midnight) / MS_PER_HOUR;
  let last = (clock(c.numeric.max) - midnight) / MS_PER_HOUR;
  if (!(first >= 0 && last < 24)) {
    first = (c.numeric.min - midnight) / MS_PER_HOUR;
    last = (c.numeric.max - midnight) / MS_PER_HOUR;
  }
  put('firstHour', first);
  put('lastHour', last);
  if (c.numeric.midnights !== undefined) put('midnightShare', c.numeric.midnights / valueCount(c));
}

function numericMetrics(c: ColumnStatistics, put: (name: string, value: number | null) => void): void {
  const m = c.numeric!;
  const finite = valueCount(c);
  const present = c.count - c.nulls;
  put('nonFiniteShare', present === 0 ? 0 : m.nonFinite / present);
  if (finite === 0) return;
  // Moments of a column of many values leave out its few extremes, which a heavy tail puts anywhere; a column of levels keeps them.
  const moments = m.valueCounts === null ? (trimmedMoments(m) ?? m) : m;
  put('mean', moments.mean);
  put('std', moments.std);
  put('negativeShare', m.negatives / finite);
  put('zeroShare', m.zeros / finite);
  const nonIntegers = (m as { nonIntegers?: number }).nonIntegers;
  if (typeof nonIntegers === 'number') put('nonIntegerShare', nonIntegers / finite);
  for (const [name, q] of QUANTILES) put(name, quantile(c, q));
  tailMetrics(c, put);
}

/** Tukey's far-out factor: a value this many interquartile ranges beyond a quartile is an extreme outlier. */
const FAR_OUT = 3;

/**
 * Shares of values beyond the partition's own far-out fences (Q1 − 3·IQR, Q3 + 3·IQR).
 * The fences move with the day, so a stormy day's longer delays stay inside them; what
 * moves these shares is a subset of rows from another distribution: signs flipped on some
 * rows (a skewed column's long tail mirrored to the other side), or some rows in other
 * units. A column whose quartiles coincide has no fences, and a column of a few levels
 * (items in an order, 1 to 8) no tail: its fences jump a whole level with a small change of
 * mix, and the share beyond them from about 0 to a few percent.
 */
function tailMetrics(c: ColumnStatistics, put: (name: string, value: number | null) => void): void {
  if (Array.isArray(c.numeric!.valueCounts)) return;
  const q1 = quantile(c, 0.25);
  const q3 = quantile(c, 0.75);
  if (q1 === null || q3 === null || !(q3 > q1)) return;
  const low = q1 - FAR_OUT * (q3 - q1);
  const high = q3 + FAR_OUT * (q3 - q1);
  const sample = c.numeric!.sample;
  if (sample !== null) {
    put('lowTailShare', sample.filter((x) => x < low).length / sample.length);
    put('highTailShare', sample.filter((x) => x > high).length / sample.length);
    return;
  }
  const sketch = QuantileSketch.fromJSON(c.numeric!.sketch);
  // cdf counts whole sketch buckets (about 1% wide): the fences' own buckets are left out.
  put('lowTailShare', low <= sketch.min ? 0 : sketch.cdf(low - Math.abs(low) * 0.02));
  put('highTailShare', high >= sketch.max ? 0 : 1 - sketch.cdf(high + Math.abs(high) * 0.02));
}
