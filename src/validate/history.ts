/**
 * A history of per-partition statistics and the rules that test the newest partitions
 * against it — Deequ's metrics repository with anomaly detection, made
 * seasonality-aware. Each daily partition is summarised once into a flat set of metrics
 * (row count, null rates, numeric moments and quantiles, category shares, label rate,
 * the model's derived inputs); a partition is then compared with the days before it
 * through robust statistics (same-weekday medians, MAD of the deseasonalised history),
 * so a day unlike any day before it is found even when every value in it is plausible.
 *
 * Everything here is pure: reading partitions and the cache lives in the pipeline.
 */
import { booleansAsText, type NumberColumn, type Table } from '../data/table.js';
import { DERIVED_PREFIX, LABEL_COLUMN } from '../features/derived.js';
import { metricDirection } from '../evaluate/metrics.js';
import { type DependencyProfile, dependencyMetrics, dependencyPool, MIN_EARLIER_DAYS } from './dependencies.js';
import { type OrientationProfile, orientationMetrics, orientationPool } from './orientation.js';
import { EFFECT_ETA2, EFFECT_GROUPS, effectMetrics, effectPool, type GroupEffects } from './group-effects.js';
import { type LabelGroupsProfile, labelGroupMetrics, labelGroupPool } from './label-groups.js';
import { frozenGroupMetrics, frozenGroupPool, type FrozenGroupsProfile } from './frozen-groups.js';
import { keyMatchMetrics, ROW_MATCH_DAYS, ROW_SAMPLE_SIZE, rowMatchMetrics, type RowSample } from './row-matches.js';
import { columnNames, columnOf, joinColumns } from './metric-names.js';
import { QuantileSketch } from './sketch.js';
import { cutRanges, rangeShares } from './ranges.js';
import { levelShiftMetric, levelShifts } from './level-shift.js';
import { correlationNoise } from './label-correlation.js';
import { changedHours, type ClockColumns } from './clock-change.js';
import { median } from './median.js';
import { regularizedGammaP } from './hypothesis.js';
import { monthFactor, type MonthFactor } from './month-days.js';
import { type ColumnStatistics, type DatasetStatistics, nullFraction, quantile, trimmedMoments, valueCount } from './statistics.js';
import { isoWeekday, MS_PER_HOUR, MS_PER_DAY, wallClock } from '../time.js';

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

/** A relation is broken when its signal falls below this (no relation to speak of) ... */
export const BROKEN_SIGNAL = 3;
/** ... on a day after every day of its history held it at least this strongly ... */
export const HELD_SIGNAL = 10;
/**
 * ... and this many of its own day-to-day spreads below them, on a log scale. A relation
 * held by chance differences that wander (a machine kind's mean pressure, set by a few
 * machines' drifting levels: signal 10 to 104 on 25 days) falls below 3 on a real day; one
 * held by what the columns mean (a route's distance, a machine kind's speed) does not.
 */
const SIGNAL_SPREADS = 8;

/**
 * The top end of the number a threshold label is read off cut short: its top edge
 * ({@link topEdge}) at most this share of the thinnest an earlier day's was (real flights
 * days: 0.8 of it at the least over six months; with the longest 1% of delays cut from a
 * sorted file, 0.18 to 0.35) ...
 */
const EDGE_FALL = 0.5;
/** ... after every earlier day thinned out at least this much (a long tail; a bounded column's ends are dense on every day). */
const EDGE_HELD = 3;

/** How far `value` fell below the signals of earlier days, in their robust spreads of log(signal). */
function signalFall(value: number, earlier: readonly number[]): number {
  const logs = earlier.map((v) => Math.log(Math.max(v, 1)));
  const center = median(logs);
  const spread = Math.max(1.4826 * median(logs.map((l) => Math.abs(l - center))), 0.05);
  return (center - Math.log(Math.max(value, 1))) / spread;
}

/**
 * The production model's score that a model without skill gets (ranking at random for AUC,
 * predicting the mean for R²). A model at or below it on the newest day, after scoring at
 * least `SKILLED` above it on every earlier day, is judged by that alone: its labels no
 * longer mean what they meant (inverted, detached), however widely its score moved before.
 */
const CHANCE: Readonly<Record<string, number>> = { 'model.auc': 0.5, 'model.r2': 0 };
export const SKILLED = 0.1;
/**
 * Above chance but within what chance reaches on the day's labels (`modelChance`: few
 * positives make a shuffled day's AUC wander to 0.58), a score is judged by that only when
 * it also fell this many spreads below the earlier days: a weak model's bad day is not a
 * detached label.
 */
const CHANCE_SPREADS = 5;
/**
 * Also judged that way: a score that kept at most this share of the skill (its height above
 * chance) the least skilled earlier day showed. On a large day chance reaches little, yet a
 * weak model's labels misaligned by a few rows keep some of its skill through what
 * neighbouring rows share (a shop's conversions, AUC 0.64 to 0.69 every day: 0.54 when each
 * label was moved 37 rows on, where chance reaches 0.53).
 */
const SKILL_KEPT = 1 / 3;

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

/** Days before a partition its rows are compared with for a copy: four weeks, so last week's or last month's same weekday re-sent is found too. */
const COPY_DAYS = 28;

/** Highest similarity of a day's rows to any of the (up to) {@link COPY_DAYS} days before it in `earlier`, by one of the sketches. */
function copySimilarity(p: PartitionProfile, earlier: readonly PartitionProfile[], which: 'sketch' | 'timedSketch'): number | null {
  const own = p[which];
  if (own === undefined || own.length === 0) return null;
  let best: number | null = null;
  for (const e of earlier.filter((d) => d.date < p.date).slice(-COPY_DAYS)) {
    const other = e[which];
    if (other === undefined || other.length === 0) continue;
    best = Math.max(best ?? 0, sketchSimilarity(own, other));
  }
  return best;
}

const QUANTILES: ReadonlyArray<[string, number]> = [
  ['q05', 0.05],
  ['q25', 0.25],
  ['q50', 0.5],
  ['q75', 0.75],
  ['q95', 0.95],
];

/**
 * The profile of one partition from its statistics (raw columns plus derived ones).
 * Timestamps contribute their null rate only: time always moves.
 */
export function profileOf(
  date: string,
  stats: DatasetStatistics,
  extra: {
    duplicates: number;
    /** Rows that repeat an earlier row in every column but the label's (absent: no label column). */
    inputRepeats?: number | null;
    sketch?: number[];
    timedSketch?: number[];
    relations?: Record<string, number>;
    /** Number columns the model reads as categories (ids, codes): no location statistics. */
    codes?: ReadonlySet<string>;
    /** Numeric columns' grain: default fills and rounding (`<column>.spikeShare`, `.roundShare`). */
    numericShape?: Record<string, number>;
    /** Values filled from the row above, in numbers and text (`<column>.repeatAboveShare`). */
    repeatsAbove?: Record<string, number>;
    dependencies?: Record<string, DependencyProfile>;
    orientations?: Record<string, OrientationProfile>;
    labelGroups?: LabelGroupsProfile;
    frozenGroups?: FrozenGroupsProfile;
    rowSample?: RowSample;
    effects?: GroupEffects;
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

export interface HistoryOptions {
  /** Days of history a partition needs before it is tested. */
  minDays: number;
  /** Newest days of history used at most. */
  maxDays: number;
  /** Robust z-score (deviation / (1.4826 MAD)) beyond which an outlier partition is an error. */
  threshold: number;
  /**
   * Share of its expected rows a partition may lack (Deequ's relative rate of change): fewer
   * rows than every earlier day and more than this share missing is an outlier whatever the
   * z-score, since on data whose volume varies widely a half upload stays within its spread.
   */
  maxRowDrop: number;
  /** The label's column as profiled: the derived one (its mean is the label rate), or a multiclass label's own. */
  labelColumn: string;
  /** The number column a classification label is read off by a threshold (`delay` of `delay > 15`): its level for its spread is judged as the label's mix is. */
  labelSource?: string;
  /**
   * Robust z-score beyond which a classification label's mix (its rate, the shares of its
   * classes) outside the range of every earlier day is an error; null to judge it like any
   * statistic by `threshold`.
   */
  labelMixThreshold: number | null;
  /** The hour-of-day inputs and their crosses: on a day whose clock changed, the hour skipped or repeated is left out of their mixes. */
  clock?: ClockColumns;
  /** Metrics a person accepted a change of, with the day it took effect: history before that day is not used for them. */
  accepted?: ReadonlyArray<{ date: string; metrics: readonly string[] }>;
}

/** One statistic of a partition beyond its history. */
export interface HistoryFinding {
  kind: 'partition_rows' | 'partition_statistic' | 'label_rate' | 'label_relation';
  /** The column the metric is of (null for the row count). */
  column: string | null;
  metric: string;
  value: number;
  /** What the history expects: the median of the same weekday (or of all days). */
  expected: number;
  /** The smallest and largest value in the history used. */
  low: number;
  high: number;
  /** Robust z-score. */
  score: number;
  days: number;
  sameWeekday: boolean;
  /** Days of the same weekday `low` and `high` are of, when only they count (a partial upload on a busy weekday). */
  weekdayRange?: number;
  /** The model's score at or below what chance reaches on the day's labels: that most (`modelChance`). */
  chance?: number;
  /** The model's score above chance but at most a third as far above it as on its least skilled earlier day: that day's score. */
  skillLow?: number;
  /** An hour-of-day mix that is its history's moved by one hour (1: later, -1: earlier). */
  hoursMoved?: 1 | -1;
  /** A row count judged by the factor the same day of earlier months held its weekday's rows by (`low`, `high`: that range on this weekday). */
  month?: MonthFactor;
  /** Far-out values beyond chance (`tailRise`): how many the day held, how many the earlier days' highest rate puts in it, and the Poisson chance of as many. */
  tailRise?: { held: number; due: number; chance: number };
}

/**
 * Whether `metric` measures a relation of a numeric column to a categorical one (`<x>|<g>.eta2`,
 * `.signal`, `.effectShift`) or of a numeric input to the label (`<x>|<label>.correlation`).
 */
function isRelation(metric: string): boolean {
  return metric.endsWith('.eta2') || metric.endsWith('.signal') || metric.endsWith('.effectShift') || metric.endsWith('.correlation');
}

/** Which way a metric is bad: 'both', or only a rise ('up') or a fall ('down'). */
function badDirection(metric: string): 'both' | 'up' | 'down' {
  if (
    metric.endsWith('.divergence') ||
    metric.endsWith('.unseenShare') ||
    metric.endsWith('.unseenPairShare') ||
    metric.endsWith('.mismatchShare') ||
    metric.endsWith('.reversedShare') ||
    metric.endsWith('.absentLabelShare') ||
    metric.endsWith('.spikeShare') ||
    metric.endsWith('.frozenShare') ||
    metric.endsWith('.stuckShare') ||
    metric.endsWith('.rowMatchShare') ||
    metric.endsWith('.keyRepeatShare') ||
    metric.endsWith('.roundShare') ||
    metric.endsWith('.repeatAboveShare') ||
    metric.endsWith('.resolution') ||
    metric.endsWith('.vanishedShare') ||
    metric.endsWith('.midnightShare') ||
    metric.endsWith('.effectShift') ||
    metric.startsWith('duplicates.') ||
    metric.startsWith('copy.')
  )
    return 'up';
  // A model's score is bad when it falls (AUC, accuracy), its error when it rises (a regression's RMSE).
  if (metric.startsWith('model.')) return isModelError(metric) ? 'up' : 'down';
  if (metric.endsWith('.topEdge')) return 'down';
  return 'both';
}

/** Whether `metric` is the production model's error on the day (`model.rmse`): lower is better. */
function isModelError(metric: string): boolean {
  return metric.startsWith('model.') && metricDirection(metric.slice('model.'.length)) === 'lowerIsBetter';
}

/**
 * Shares of rows that carry a defect — a duplicate, a null, a value off its key, a value
 * nobody saw, a usual value gone. They sit near a fixed
 * level on normal days, so a move of 1% of the rows is already far beyond their history.
 */
const ROW_DEFECT =
  /(mismatchShare|unseenPairShare|reversedShare|absentLabelShare|frozenShare|spikeShare|roundShare|repeatAboveShare|duplicates\.share|duplicates\.inputShare|nullRate|nonFiniteShare|negativeShare|zeroShare|nonIntegerShare|unseenShare|vanishedShare|midnightShare|keyRepeatShare)$/;

/**
 * Smallest spread of a dependency's mismatched share: a key's value is a fact (a route's
 * distance), and with the few keys that changed for real left out, no real day moves it
 * (0 on each of flights' 167 days 2001-01-15..06-30), so a value off its key on 0.3% of the rows (robust
 * z 16) is a join or a shift gone wrong, like a hard constraint broken.
 */
const DEPENDENCY_FLOOR = 0.0002;

/**
 * Smallest spread of a metric, so a history that never moved does not make every small
 * change infinitely surprising: shares of defective rows move by 0.05% of the rows (or
 * three rows: in a small partition a few rows are chance; half a row where no earlier day
 * had one, `chanceRows`; values off their key by 0.02%; a key's match by three of its sampled keys; a group stuck whole by one row), other
 * shares by a tenth of a percent, group effects by 0.1% of how far apart the groups sit, a model's score by 0.005 (its error by 1% of its level), a time of day by a minute, a
 * location (mean, quantile) by 2% of its column's typical standard deviation, a quantile by
 * at least the step it can take by chance (`quantileStep`), anything else by 1% of its level.
 */
function spreadFloor(metric: string, center: number, history: ReadonlyArray<{ metrics: Record<string, number> }>, rows: number): number {
  const chance = (): number => chanceRows(metric, history) / Math.max(1, rows);
  if (metric.endsWith('.mismatchShare')) return Math.max(DEPENDENCY_FLOOR, 3 / Math.max(1, rows));
  // A share of the sampled keys near 1 (a plan kept) moves by whole keys: three are chance.
  if (metric.endsWith('.keyMatchShare') || metric.endsWith('.keyStepShare')) return Math.max(0.001, 3 / Math.max(1, Math.min(rows, ROW_SAMPLE_SIZE)));
  // A group stuck in all its readings at once is no chance on any day: each of its rows is a defect.
  if (metric.endsWith('.stuckShare')) return 1 / Math.max(1, rows);
  if (ROW_DEFECT.test(metric)) return Math.max(0.0005, chance());
  if (metric.endsWith('.correlation')) return correlationNoise(center, rows);
  // Extreme outliers are rare on every normal day: three rows are chance, fifty are a defect.
  if (/TailShare$/.test(metric)) return chance();
  if (/(Share|Rate|share|divergence|[sS]imilarity|eta2)$/.test(metric)) return 0.001;
  // Groups that sit still move by 0.1% of how far apart they sit.
  if (metric.endsWith('.effectShift')) return 0.001;
  if (/(firstHour|lastHour)$/.test(metric)) return 1 / 60;
  // A resolution steady on every day moves by whole places: one place is far beyond it.
  if (metric.endsWith('.resolution')) return 0.05;
  // An error is in the label's units: 1% of its level, a score in [0, 1] by 0.005.
  if (metric.startsWith('model.')) return isModelError(metric) ? Math.max(1e-9, 0.01 * Math.abs(center)) : 0.005;
  const statistic = metric.slice(metric.lastIndexOf('.') + 1);
  if (statistic === 'mean' || statistic === 'levelShift' || /^q\d\d$/.test(statistic)) {
    const column = columnOf(metric);
    const stds = history.map((h) => h.metrics[`${column}.std`]).filter((x): x is number => Number.isFinite(x));
    if (stds.length > 0) {
      const std = median(stds);
      if (statistic === 'mean') return Math.max(1e-9, 0.02 * std);
      const whole = history.every((h) => h.metrics[`${column}.nonIntegerShare`] === 0);
      return Math.max(
        1e-9,
        0.02 * std,
        quantileStep(
          history.map((h) => h.metrics[metric]),
          std,
          whole,
        ),
      );
    }
  }
  return Math.max(1e-9, 0.01 * Math.abs(center));
}

/** Rows of a defect chance puts in a partition when earlier days had some of it (see `chanceRows`). */
const CHANCE_ROWS = 3;
/** The same when no row of any earlier day had it. */
const UNSEEN_CHANCE_ROWS = 0.5;

/**
 * The spread, in rows, of a share of defective rows that chance gives a partition: three
 * rows where earlier days had some, half a row where not one row of any earlier day had the
 * defect (a share of exactly 0 on each). A defect never seen in thousands of rows comes by
 * chance at a rate that puts well under one row in a day, so eight of them (robust z 16) are
 * not chance however small the day: 20 sessions of exactly 0 minutes among 221 rows, where
 * no session of 56 earlier days lasted under 0.2. Only a defect of a row's own values
 * (`VALUE_DEFECT`) is counted so: a combination of two columns or a value vanished is
 * rarer the more days are pooled, and a small day meets one by chance (a taxi's rare trip
 * the wrong way round at its hour). Nor is a value no earlier day had: new values arrive
 * for real (a product launched, an agent joining), and on a small day the first few rows of
 * one are as likely a newcomer as a defect.
 */
function chanceRows(metric: string, history: ReadonlyArray<{ metrics: Record<string, number> }>): number {
  return VALUE_DEFECT.test(metric) && history.every((h) => h.metrics[metric] === 0) ? UNSEEN_CHANCE_ROWS : CHANCE_ROWS;
}

/** How many times the most far-out values an earlier day held a day must hold before chance is asked. */
const TAIL_RISE = 4;
/** The chance of so many at the earlier days' highest rate below which a rise of far-out values is no chance. */
const TAIL_CHANCE = 1e-9;

/**
 * Whether a partition holds far more values beyond its far-out fences (`lowTailShare`,
 * `highTailShare`) than chance gives at the highest rate any earlier day had: at least
 * `TAIL_RISE` times as many, and as many with a Poisson chance of at most `TAIL_CHANCE`
 * (`value`, `highest`: the day's share and the earlier days' highest; `values`: the day's
 * non-null values). The robust z-score asks for 16 spreads of three rows, about fifty values; delays negated
 * on a tenth of a quiet Saturday's rows put 43 beyond the low fence, where no day of the 56
 * before had more than 3 (Poisson chance 2e-36). Counted against the highest day, not the
 * usual one, a storm's longer delays (822 beyond the high fence where the most was 744)
 * stay chance.
 */
function tailRise(value: number, highest: number, values: number): HistoryFinding['tailRise'] | null {
  const due = Math.max(UNSEEN_CHANCE_ROWS, highest * values);
  const held = Math.round(value * values);
  if (held < TAIL_RISE * due) return null;
  const chance = regularizedGammaP(held, due);
  return chance <= TAIL_CHANCE ? { held, due, chance } : null;
}

/** Shares of rows whose own values are defective: null, not finite, negative, zero, fractional, at midnight, a spike, repeated, far out. */
const VALUE_DEFECT =
  /(nullRate|nonFiniteShare|negativeShare|zeroShare|nonIntegerShare|midnightShare|spikeShare|duplicates\.share|duplicates\.inputShare|TailShare)$/;

/** Share of its column's standard deviation a quantile that never moved is allowed to jump by chance. */
const STUCK_QUANTILE_STEP = 0.25;

/**
 * How far a quantile moves by chance in one step: the typical gap between the distinct
 * values it took over the history (the median gap between neighbours) when it took at most
 * half as many distinct values as there are days, as a quantile of a discrete column does
 * (prices, distances of routes) when a small change of mix carries it to the next value.
 * One that took a single value sits on a value many rows hold (a count of 1, a list price):
 * the next value is unknown, and a day's mix can carry it there, so a quarter of the
 * column's standard deviation. A quantile of whole numbers moves by at least 1.
 */
function quantileStep(values: ReadonlyArray<number | undefined>, std: number, whole: boolean): number {
  const finite = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  const distinct = [...new Set(finite)].sort((a, b) => a - b);
  const unit = whole ? 1 : 0;
  if (distinct.length === 1) return Math.max(unit, STUCK_QUANTILE_STEP * std);
  if (distinct.length < 2 || distinct.length > finite.length / 2) return unit;
  return Math.max(unit, median(distinct.slice(1).map((v, i) => v - distinct[i]!)));
}

/** ISO weekday (1 = Monday) of a YYYY-MM-DD day. */
export function weekdayOf(date: string): number {
  return isoWeekday(Date.parse(`${date}T00:00:00Z`) / MS_PER_DAY);
}

/** Summed value shares of a set of days, per categorical column, for leave-one-out pools. */
interface PoolSums {
  days: number;
  /** Rows of each pooled day. */
  rows: number[];
  columns: Map<string, PoolColumn>;
  /** Each pooled day's place among them (the days in date order). */
  order: Map<string, number>;
}

/** One column's summed shares per value, on how many days each value was listed, and the days the column was profiled. */
interface PoolColumn {
  shares: Map<string, number>;
  listing: Map<string, number>;
  /** The place of the first pooled day that listed each value. */
  first: Map<string, number>;
  days: number;
  complete: boolean;
}

/** `profiles` (in date order) summed per categorical column. */
function poolSums(profiles: readonly PartitionProfile[]): PoolSums {
  const columns: PoolSums['columns'] = new Map();
  for (const [at, p] of profiles.entries()) {
    for (const [column, own] of Object.entries(p.categories)) {
      let sums = columns.get(column);
      if (sums === undefined) columns.set(column, (sums = { shares: new Map(), listing: new Map(), first: new Map(), days: 0, complete: true }));
      sums.days++;
      sums.complete &&= own.complete;
      for (const [v, s] of Object.entries(own.shares)) {
        sums.shares.set(v, (sums.shares.get(v) ?? 0) + s);
        sums.listing.set(v, (sums.listing.get(v) ?? 0) + 1);
        if (!sums.first.has(v)) sums.first.set(v, at);
      }
    }
  }
  return { days: profiles.length, rows: profiles.map((p) => p.rows), columns, order: new Map(profiles.map((p, at) => [p.date, at])) };
}

/**
 * Share of `shares` held by values no day of `all` before the profile's day had: on the
 * newest day (not in the pool), values no pooled day had. An earlier day is measured
 * against the days before it, so a domain that grows (agents joining every week) shows
 * its newcomers on their first days, as the newest will; measured against every other
 * day, a newcomer who stayed would be new on no day at all. A pooled day with fewer than
 * `MIN_EARLIER_DAYS` before it, on which every value is new, is measured against every
 * other day.
 */
function unseenShareOf(date: string, shares: Readonly<Record<string, number>>, all: PoolColumn, order: ReadonlyMap<string, number>): number {
  const at = order.get(date);
  const isNew =
    at === undefined
      ? (v: string): boolean => !all.listing.has(v)
      : at < MIN_EARLIER_DAYS
        ? (v: string): boolean => all.listing.get(v) === 1
        : (v: string): boolean => all.first.get(v) === at;
  let unseen = 0;
  for (const [v, s] of Object.entries(shares)) if (isNew(v)) unseen += s;
  return unseen;
}

/**
 * The metrics that compare a partition with a pool of other days: for each categorical
 * column (a number of few levels: not the distance), the Jensen-Shannon distance of its value shares from the pool's mean shares
 * (`<column>.divergence`), the usual share of the values every pooled day had and this one
 * lacks (`vanishedShare`), and the share of its rows holding values no day of `everyDay`
 * before it had (`<column>.unseenShare`, `unseenShareOf`; only where every day listed all
 * its values: a value first seen on a Friday is not new on Sunday). With `self` in the pools, it is left out
 * (leave-one-out), so history days are measured as the newest is. On a day whose clock
 * changed (`clock`), the hour skipped or repeated is left out of the hour-of-day mixes and
 * the crosses with the hour are not compared (`clock-change.ts`).
 */
function comparativeMetrics(profile: PartitionProfile, pool: PoolSums, everyDay: PoolSums, selfInPool: boolean, clock?: ClockColumns): Record<string, number> {
  const out: Record<string, number> = {};
  const changed = clock === undefined ? new Map<string, string[]>() : clockChangeHours(profile, pool, selfInPool, clock);
  for (const [column, listed] of Object.entries(profile.categories)) {
    // A cross with the hour on a day its clock changed: which keys hold the changed hour is hashed away.
    if (changed.size > 0 && clock!.crossed.includes(column)) continue;
    const pooled = pool.columns.get(column);
    if (pooled === undefined) continue;
    const hours = changed.get(column);
    const { own, sums, leaveOut } =
      hours === undefined ? { own: listed, sums: pooled, leaveOut: selfInPool } : withoutValues(listed, pooled, selfInPool, hours);
    const days = sums.days - (leaveOut ? 1 : 0);
    if (days < 1) continue;
    if (own.levels !== true && own.ranges !== true) out[`${column}.divergence`] = jensenShannon(own.shares, sums.shares, days, leaveOut);
    // Values every pooled day had, missing today (a filtered upload): their usual share.
    const gone = own.ranges === true ? rangesGone(profile, column, pool, selfInPool) : own.complete ? vanishedFrom(own.shares, sums, days) : null;
    if (gone !== null) out[`${column}.vanishedShare`] = gone.reduce((sum, [, share]) => sum + share, 0);
    // A range no earlier day had is an extreme value: the tail and band checks judge those.
    if (own.ranges === true) continue;
    const all = everyDay.columns.get(column)!;
    if (all.complete && own.complete) {
      out[`${column}.unseenShare`] = unseenShareOf(profile.date, own.shares, all, everyDay.order);
    }
  }
  return out;
}

/** Per hour-of-day column of `clock`, the hours a clock change on the profile's day skipped or repeated, as its rows show. */
function clockChangeHours(profile: PartitionProfile, pool: PoolSums, selfInPool: boolean, clock: ClockColumns): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const column of clock.hours) {
    const own = profile.categories[column];
    const pooled = pool.columns.get(column);
    const days = (pooled?.days ?? 0) - (selfInPool ? 1 : 0);
    if (own === undefined || pooled === undefined || days < 1) continue;
    const usual = (hour: string): number => ((pooled.shares.get(hour) ?? 0) - (selfInPool ? (own.shares[hour] ?? 0) : 0)) / days;
    const hours = changedHours(profile.date, profile.rows, own.shares, usual, clock.timeZone);
    if (hours.length > 0) out.set(column, hours);
  }
  return out;
}

/**
 * A day's shares and a pool's without the values `left` (the hours a clock change skipped or
 * repeated), each scaled to the rest; a day in its own pool is taken out of it first.
 */
function withoutValues(
  own: PartitionProfile['categories'][string],
  pooled: PoolColumn,
  selfInPool: boolean,
  left: readonly string[],
): { own: PartitionProfile['categories'][string]; sums: PoolColumn; leaveOut: boolean } {
  const days = pooled.days - (selfInPool ? 1 : 0);
  const pooledShare = (v: string): number => (pooled.shares.get(v) ?? 0) - (selfInPool ? (own.shares[v] ?? 0) : 0);
  const ownLeft = left.reduce((sum, v) => sum + (own.shares[v] ?? 0), 0);
  const poolLeft = left.reduce((sum, v) => sum + pooledShare(v), 0) / days;
  if (days < 1 || ownLeft >= 1 || poolLeft >= 1) return { own, sums: pooled, leaveOut: selfInPool };
  const shares = new Map<string, number>();
  const listing = new Map<string, number>();
  for (const v of pooled.shares.keys()) if (!left.includes(v)) shares.set(v, pooledShare(v) / (1 - poolLeft));
  for (const [v, n] of pooled.listing) if (!left.includes(v)) listing.set(v, n - (selfInPool && own.shares[v] !== undefined ? 1 : 0));
  const ownShares = Object.fromEntries(Object.entries(own.shares).flatMap(([v, s]) => (left.includes(v) ? [] : [[v, s / (1 - ownLeft)]])));
  return { own: { ...own, shares: ownShares }, sums: { shares, listing, first: pooled.first, days, complete: pooled.complete }, leaveOut: false };
}

/** The values every one of `days` pooled days listed and `shares` lacks, each with its mean share over those days. */
function vanishedFrom(shares: Record<string, number>, sums: PoolColumn, days: number): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (const [v, listed] of sums.listing) if ((shares[v] ?? 0) === 0 && listed >= days) out.push([v, sums.shares.get(v)! / days]);
  return out;
}

/** Days of its weekday a day's mixes need to be compared with those alone; with fewer, with every day. */
const MIX_WEEKDAY_DAYS = 3;

/** The days a day's mixes are compared with, as `compareWithHistory` pools them for the newest. */
function mixPool(date: string, history: readonly PartitionProfile[]): readonly PartitionProfile[] {
  const same = history.filter((h) => weekdayOf(h.date) === weekdayOf(date));
  return same.length >= MIX_WEEKDAY_DAYS ? same : history;
}

/** How many times the share of its usual rows a day lacks its ranges gone may add up to, for a cut. */
const GONE_PER_ROW_MISSING = 2;

/**
 * The ranges of a number (`column` of `profile`, listed in ranges) every pooled day had and
 * the day lacks, with their mean share: those a cut explains (`cutRanges`), and only while
 * the day lacks rows for them, give or take the rows pooled days lacked. Rows cut from a
 * sorted file or dropped by a filter are rows missing; a day of its usual rows whose values
 * lack a range moved (a hot night's loads never fell to the level of every earlier night).
 * With `leaveOut` the day is pooled too.
 */
function rangesGone(profile: PartitionProfile, column: string, pool: PoolSums, leaveOut: boolean): Array<[string, number]> {
  const own = profile.categories[column]!;
  const sums = pool.columns.get(column)!;
  const days = sums.days - (leaveOut ? 1 : 0);
  const vanished = vanishedFrom(own.shares, sums, days);
  const cut = cutRanges(own.shares, vanished, (key) => ((sums.shares.get(key) ?? 0) - (leaveOut ? (own.shares[key] ?? 0) : 0)) / days);
  const pooledRows = [...pool.rows];
  if (leaveOut) pooledRows.splice(pooledRows.indexOf(profile.rows), 1);
  const expected = pooledRows.reduce((sum, r) => sum + r, 0) / pooledRows.length;
  // The most rows a pooled day lacked: a cut of fewer is within how rows vary.
  const usualLack = 1 - Math.min(...pooledRows) / expected;
  const missing = Math.max(0, 1 - profile.rows / expected);
  return cut.reduce((sum, [, share]) => sum + share, 0) <= GONE_PER_ROW_MISSING * missing + usualLack ? cut : [];
}

/**
 * The values of `column` every pooled day of `history` had and `newest` lacks, with their
 * mean share: what a `vanishedShare` finding adds up, for its message.
 */
export function vanishedValues(newest: PartitionProfile, history: readonly PartitionProfile[], column: string): Array<[string, number]> {
  const own = newest.categories[column];
  const pool = poolSums(mixPool(newest.date, history));
  const sums = pool.columns.get(column);
  if (own === undefined || sums === undefined) return [];
  return own.ranges === true ? rangesGone(newest, column, pool, false) : vanishedFrom(own.shares, sums, sums.days);
}

/**
 * The values of `column` whose share in `newest` lies farthest from their mean share over
 * `history` (at most `limit`, and those that moved at least half as far as the first): what a
 * `divergence` finding moved, for its message (a station gone, a value that took another's share).
 */
export function mixChanges(
  newest: PartitionProfile,
  history: readonly PartitionProfile[],
  column: string,
  limit: number,
): Array<{ value: string; share: number; usual: number }> {
  const own = newest.categories[column];
  const sums = poolSums(mixPool(newest.date, history)).columns.get(column);
  if (own === undefined || sums === undefined) return [];
  const values = new Set([...Object.keys(own.shares), ...sums.shares.keys()]);
  return [...values]
    .map((value) => ({ value, share: own.shares[value] ?? 0, usual: (sums.shares.get(value) ?? 0) / sums.days }))
    .sort((a, b) => Math.abs(b.share - b.usual) - Math.abs(a.share - a.usual))
    .filter((m, _, [first]) => Math.abs(m.share - m.usual) >= 0.5 * Math.abs(first!.share - first!.usual))
    .slice(0, limit);
}

/**
 * Jensen-Shannon distance (base 2, 0..1) of a day's shares `p` from the mean shares of a
 * pool (`sums` over `days` days, less `p` itself when `leaveOut`); the mass neither lists
 * is one "other" value.
 */
function jensenShannon(p: Record<string, number>, sums: ReadonlyMap<string, number>, days: number, leaveOut: boolean): number {
  let pOther = 1;
  let qOther = 1;
  let divergence = 0;
  const term = (a: number, b: number): number => {
    const m = (a + b) / 2;
    return (a > 0 ? a * Math.log2(a / m) : 0) + (b > 0 ? b * Math.log2(b / m) : 0);
  };
  for (const [k, sum] of sums) {
    const a = p[k] ?? 0;
    const b = Math.max(0, (sum - (leaveOut ? a : 0)) / days);
    pOther -= a;
    qOther -= b;
    divergence += term(a, b);
  }
  for (const [k, a] of Object.entries(p)) {
    if (sums.has(k)) continue;
    pOther -= a;
    divergence += term(a, 0);
  }
  divergence += term(Math.max(0, pOther), Math.max(0, qOther));
  return Math.sqrt(Math.max(0, Math.min(1, divergence / 2)));
}

/**
 * Tests `newest` against `all` (partitions before it are its history, oldest first; a
 * caller may merge extra metrics such as a model's score into the profiles). A metric is
 * an outlier when its robust z-score passes `threshold` in its bad direction AND it lies
 * outside the range of every value in the history: an outlier beyond anything the
 * history shows. Returns nothing when the history is shorter than `minDays`.
 */
export function compareWithHistory(
  newest: PartitionProfile,
  all: readonly PartitionProfile[],
  options: HistoryOptions,
  part: HistoryPart = 'all',
): HistoryFinding[] {
  const history = all.filter((h) => h.date < newest.date).slice(-options.maxDays);
  if (history.length < options.minDays) return [];
  if (part === 'model') {
    // The model's scores against the days' own: none of the pooled metrics below are needed.
    const scores = Object.fromEntries(Object.entries(newest.metrics).filter(([metric]) => metric.startsWith('model.')));
    return judge(
      scores,
      history.map((h) => ({ date: h.date, weekday: weekdayOf(h.date), metrics: h.metrics })),
      newest,
      options,
    );
  }
  // Category mixes are compared with the same weekday's days when there are enough, else with all days.
  const weekdays = new Map<number, PartitionProfile[]>();
  for (const h of history) weekdays.set(weekdayOf(h.date), [...(weekdays.get(weekdayOf(h.date)) ?? []), h]);
  const allSums = poolSums(history);
  const weekdaySums = new Map([...weekdays].map(([w, days]) => [w, poolSums(days)]));
  const poolOf = (p: PartitionProfile, inPool: boolean): PoolSums => {
    const w = weekdayOf(p.date);
    const group = weekdays.get(w)?.length ?? 0;
    return group - (inPool ? 1 : 0) >= MIX_WEEKDAY_DAYS ? weekdaySums.get(w)! : allSums;
  };
  const comparative = (p: PartitionProfile, inPool: boolean): Record<string, number> =>
    comparativeMetrics(p, poolOf(p, inPool), allSums, inPool, options.clock);
  // A day whose rows are another day's again (a stale copy, dates moved) is as similar to it as no two days are;
  // with times of day kept, so is a day of which a share is another day's again.
  const similarity = (p: PartitionProfile): Record<string, number> => {
    const all = copySimilarity(p, history, 'sketch');
    const timed = copySimilarity(p, history, 'timedSketch');
    return { ...(all === null ? {} : { 'copy.similarity': all }), ...(timed === null ? {} : { 'copy.timedSimilarity': timed }) };
  };
  // Dependencies are judged against every day of the history: a key's value does not depend on the weekday.
  const dependencies = dependencyPool(history);
  // So are pairs' directions: a combination's days are counted over the whole history.
  const orientations = orientationPool(history);
  // And a group's label classes: an airport's late flights do not depend on the weekday either.
  const labelGroups = labelGroupPool(history);
  // And a group's values stuck: a meter's readings do not depend on the weekday either.
  const frozen = frozenGroupPool(history);
  // And where each group of a relation sits: a machine's speed does not depend on the weekday.
  const effects = effectPool(history);
  const newestMetrics = {
    ...newest.metrics,
    ...comparative(newest, false),
    ...similarity(newest),
    ...dependencyMetrics(newest.dependencies, dependencies, null),
    ...orientationMetrics(newest.orientations, orientations, false),
    ...labelGroupMetrics(newest, labelGroups),
    ...frozenGroupMetrics(newest, frozen),
    ...rowMatchMetrics(newest, history),
    ...keyMatchMetrics(newest, history),
    ...effectMetrics(newest.effects, effects, false),
  };
  if (part === 'data') for (const metric of Object.keys(newestMetrics)) if (metric.startsWith('model.')) delete newestMetrics[metric];
  const historyMetrics = history.map((h, at) => ({
    date: h.date,
    weekday: weekdayOf(h.date),
    metrics: {
      ...h.metrics,
      ...comparative(h, true),
      ...similarity(h),
      ...dependencyMetrics(h.dependencies, dependencies, at),
      ...orientationMetrics(h.orientations, orientations, true),
      ...labelGroupMetrics(h, labelGroups),
      ...frozenGroupMetrics(h, frozen),
      ...rowMatchMetrics(h, history),
      ...keyMatchMetrics(h, history),
      ...effectMetrics(h.effects, effects, true),
    },
  }));
  if (options.labelSource !== undefined) addLevelShifts(newestMetrics, historyMetrics, options.labelSource);
  const findings = judge(newestMetrics, historyMetrics, newest, options);
  for (const f of findings) {
    const own = f.column === null || options.clock?.hours.includes(f.column) !== true ? undefined : newest.categories[f.column];
    const pooled = own === undefined ? undefined : poolOf(newest, false).columns.get(f.column!);
    const moved = pooled === undefined ? null : hoursMoved(own!.shares, pooled);
    if (moved !== null) f.hoursMoved = moved;
  }
  return findings;
}

/**
 * Whether a day's hour-of-day mix is the pool's moved by one hour (1: every hour one later,
 * -1: one earlier), as times read on the UTC clock of a place that keeps daylight saving
 * are after its clocks change: moved, it fits at least `MOVED_FIT` times closer.
 */
function hoursMoved(shares: Readonly<Record<string, number>>, pooled: PoolColumn): 1 | -1 | null {
  const moved = (by: number): Map<string, number> =>
    new Map([...pooled.shares].flatMap(([hour, sum]) => (/^\d+$/.test(hour) ? [[String((Number(hour) + by + 24) % 24), sum]] : [])));
  const distance = jensenShannon(shares, pooled.shares, pooled.days, false);
  for (const by of [1, -1] as const) if (jensenShannon(shares, moved(by), pooled.days, false) * MOVED_FIT < distance) return by;
  return null;
}

/**
 * How far past the farthest earlier day, on its side, a value must lie when that day is
 * itself beyond the threshold: a history holding such days shows a metric with heavy
 * tails (wind's share of zeros on calm days, a rain class gone on a dry one), and a new
 * extreme a little past the last one is what such a metric does; half as far again is not.
 */
const TAIL_MARGIN = 1.5;

/**
 * Whether a deviation from the center (signed) is an outlier for the tail on its side:
 * always, unless an earlier day's deviation on that side (`deviations`) reached `limit`
 * (the threshold's distance); then only when it lies `TAIL_MARGIN` times as far.
 */
function heavyTailTest(deviations: readonly number[], limit: number): (deviation: number) => boolean {
  const farthestUp = Math.max(0, ...deviations);
  const farthestDown = Math.max(0, ...deviations.map((d) => -d));
  return (deviation) => {
    const farthest = deviation >= 0 ? farthestUp : farthestDown;
    return farthest < limit || Math.abs(deviation) >= TAIL_MARGIN * farthest;
  };
}

/** How many times closer a mix moved by an hour must fit than as it is. */
const MOVED_FIT = 3;

/** Each day's level of `column` for its spread (`levelShifts`), added to its metrics. */
function addLevelShifts(newest: Record<string, number>, history: ReadonlyArray<{ metrics: Record<string, number> }>, column: string): void {
  const shifts = levelShifts(
    newest,
    history.map((h) => h.metrics),
    column,
  );
  if (shifts === null) return;
  const metric = levelShiftMetric(column);
  newest[metric] = shifts.newest;
  shifts.history.forEach((v, i) => {
    if (v !== undefined) history[i]!.metrics[metric] = v;
  });
}

/**
 * What {@link compareWithHistory} compares: everything (`all`), the data's own metrics
 * (`data`: what a partition's profile and its history decide, stable while production
 * changes), or the production model's scores only (`model`: cheap, no pooled metrics).
 */
export type HistoryPart = 'all' | 'data' | 'model';

/** The findings of `newestMetrics` against the same metrics of the history days. */
function judge(
  newestMetrics: Record<string, number>,
  historyMetrics: ReadonlyArray<{ date: string; weekday: number; metrics: Record<string, number> }>,
  newest: PartitionProfile,
  options: HistoryOptions,
): HistoryFinding[] {
  const weekday = weekdayOf(newest.date);
  const findings: HistoryFinding[] = [];
  for (const [metric, value] of Object.entries(newestMetrics)) {
    const since = acceptedSince(metric, newest.date, options.accepted);
    const points = historyMetrics.filter((h) => h.date >= since && Number.isFinite(h.metrics[metric]));
    if (points.length < (metric.startsWith('model.') ? Math.min(options.minDays, MODEL_HISTORY_DAYS) : options.minDays)) continue;
    if (metric.endsWith('.eta2') && !relationHeld(metric, points)) continue;
    const values = points.map((p) => p.metrics[metric]!);
    // Seasonality: a value is measured from the median of its own weekday when that weekday has 3 or more other days;
    // a row count from one or more: volume follows the weekday most of all (a shop's Sunday holds half a Monday's rows).
    const sameNeeded = metric === 'rows' ? 1 : 3;
    const byWeekday = new Map<number, number[]>();
    for (const p of points) {
      const group = byWeekday.get(p.weekday);
      if (group === undefined) byWeekday.set(p.weekday, [p.metrics[metric]!]);
      else group.push(p.metrics[metric]!);
    }
    const overall = median(values);
    const centerOf = (w: number, leaveOut?: number): { center: number; same: boolean } => {
      const group = byWeekday.get(w) ?? [];
      if (group.length - (leaveOut === undefined ? 0 : 1) < sameNeeded) return { center: overall, same: false };
      if (leaveOut === undefined) return { center: median(group), same: true };
      const others = [...group];
      others.splice(others.indexOf(leaveOut), 1);
      return { center: median(others), same: true };
    };
    // Each history day's deviation from its weekday's other days: the spread a new day is judged by.
    const deviations = points.map((p) => p.metrics[metric]! - centerOf(p.weekday, p.metrics[metric]).center);
    const residuals = deviations.map(Math.abs);
    const { center, same } = centerOf(weekday);
    // A model's score on the newest day also wanders by its own sampling noise: a day of few positives says little.
    const noise = metric.startsWith('model.') ? (newest.modelNoise ?? 0) : 0;
    const spread = Math.max(1.4826 * median(residuals), spreadFloor(metric, center, historyMetrics, newest.rows), noise);
    const score = (value - center) / spread;
    const low = Math.min(...values);
    const high = Math.max(...values);
    // A partition short of rows is judged against its own weekday's days: half a Wednesday is still more than a Sunday.
    const weekdayRows = metric === 'rows' && same ? byWeekday.get(weekday)! : null;
    const fewestRows = metric !== 'rows' ? null : weekdayRows !== null ? Math.min(...weekdayRows) : low;
    const direction = badDirection(metric);
    const threshold = thresholdOf(metric, options);
    const beyondTail = heavyTailTest(deviations, spread * threshold);
    // A relation is judged by its strength, not its spread: held strongly on every day, gone today.
    const chance = CHANCE[metric];
    // What chance reaches on the day's labels; or, if higher, a third of the least skill an earlier day showed.
    const chanceReach = chance === undefined ? undefined : Math.max(chance, newest.modelChance ?? chance);
    const chanceLimit = chance === undefined ? undefined : Math.max(chanceReach!, chance + SKILL_KEPT * (low - chance));
    // Far-out values are counted too: dozens where no earlier day had more than a few are no chance, short of 16 spreads.
    const rise = /TailShare$/.test(metric) ? tailRise(value, high, newest.rows * (1 - (newestMetrics[`${columnOf(metric)}.nullRate`] ?? 0))) : null;
    const bad = metric.endsWith('.signal')
      ? value < BROKEN_SIGNAL && low >= HELD_SIGNAL && signalFall(value, values) >= SIGNAL_SPREADS
      : metric.endsWith('.topEdge')
        ? value <= EDGE_FALL * low && low >= EDGE_HELD
        : (chance !== undefined && low >= chance + SKILLED && (value <= chance || (value <= chanceLimit! && score <= -CHANCE_SPREADS))) ||
          beyondRange({ value, expected: center, score, low, high, fewestRows }, { direction, threshold, maxRowDrop: options.maxRowDrop, beyondTail }) ||
          rise !== null;
    if (!bad) continue;
    // The first or last day of a month whose earlier ones held a multiple of their weekday's rows is an outlier by that multiple too.
    const month =
      metric === 'rows'
        ? monthFactor(
            newest.date,
            points.map((p, i) => ({ date: p.date, ratio: values[i]! / (values[i]! - deviations[i]!) })),
          )
        : null;
    const byMonth = month === null ? null : monthOutlier(value, center, spread, month, threshold, options.maxRowDrop);
    if (month !== null && byMonth === null) continue;
    const column = metric === 'rows' || metric.startsWith('duplicates.') || metric.startsWith('copy.') || metric.startsWith('model.') ? null : columnOf(metric);
    const kind =
      metric === 'rows'
        ? 'partition_rows'
        : metric.startsWith('model.') || metric.endsWith('.correlation') || (isRelation(metric) && columnNames(column!)[0] === options.labelColumn)
          ? 'label_relation'
          : column === options.labelColumn || metric.endsWith('.absentLabelShare') || isLevelShift(metric, options) || isLabelMix(metric, options)
            ? 'label_rate'
            : 'partition_statistic';
    const finding: HistoryFinding = { kind, column, metric, value, expected: center, low, high, score, days: points.length, sameWeekday: same };
    if (rise !== null) finding.tailRise = rise;
    if (chanceLimit !== undefined && value <= chanceLimit && low >= chance! + SKILLED) {
      if (value <= chanceReach!) finding.chance = chanceReach!;
      else finding.skillLow = low;
    }
    if (byMonth !== null) Object.assign(finding, byMonth, { month });
    else if (weekdayRows !== null && value >= low) {
      finding.low = fewestRows!;
      finding.high = Math.max(...weekdayRows);
      finding.weekdayRange = weekdayRows.length;
    }
    findings.push(finding);
  }
  return findings.sort((a, b) => Math.abs(b.score) - Math.abs(a.score));
}

/**
 * A row count judged by its month's rhythm (`month`: the factor the same day of earlier
 * months held their weekday's rows by; `center`, `spread`: its weekday's): what a finding
 * reports when it is an outlier by that too, else null.
 */
function monthOutlier(
  value: number,
  center: number,
  spread: number,
  month: MonthFactor,
  threshold: number,
  maxRowDrop: number,
): Pick<HistoryFinding, 'expected' | 'low' | 'high' | 'score'> | null {
  const expected = center * month.factor;
  const score = (value - expected) / (spread * month.factor);
  const low = Math.round(center * month.low);
  const high = Math.round(center * month.high);
  // The earlier month-ends are the far deviations of the weekday's spread, not a tail to pass.
  const bad = beyondRange({ value, expected, score, low, high, fewestRows: low }, { direction: 'both', threshold, maxRowDrop, beyondTail: () => true });
  return bad ? { expected, low, high, score } : null;
}

/**
 * Whether a value is an outlier by its spread: past the threshold and beyond the history's
 * range on a side its metric is bad on (`direction`), and past a heavy tail the history
 * showed there (`beyondTail`); or, for a row count (`fewestRows` set), fewer rows than the
 * fewest and more than `maxRowDrop` of the expected ones missing.
 */
function beyondRange(
  v: { value: number; expected: number; score: number; low: number; high: number; fewestRows: number | null },
  how: { direction: 'both' | 'up' | 'down'; threshold: number; maxRowDrop: number; beyondTail: (deviation: number) => boolean },
): boolean {
  const { value, expected, score } = v;
  return (
    (how.direction !== 'up' && score <= -how.threshold && value < v.low && how.beyondTail(value - expected)) ||
    (v.fewestRows !== null && value < v.fewestRows && isRowDrop(value, expected, how.maxRowDrop)) ||
    (how.direction !== 'down' && score >= how.threshold && value > v.high && how.beyondTail(value - expected))
  );
}

/**
 * Share of the label threshold at which the level of a threshold label's number for its
 * spread (`levelShift`) is an error: a residual with the weather fitted out has light tails
 * (at most robust z 3.2 on flights' 167 real days, 3.7 on a probe of energy loads), where a
 * label's rate moves with every storm (z 4.7).
 */
const LEVEL_SHIFT_SHARE = 0.75;

/** Whether `metric` is the level for its spread of the number the label is read off. */
function isLevelShift(metric: string, options: Pick<HistoryOptions, 'labelSource'>): boolean {
  return options.labelSource !== undefined && metric === levelShiftMetric(options.labelSource);
}

/** The robust z-score an outlier of `metric` must pass. */
function thresholdOf(metric: string, options: HistoryOptions): number {
  if (isLevelShift(metric, options) && options.labelMixThreshold !== null) return options.labelMixThreshold * LEVEL_SHIFT_SHARE;
  return (isLabelMix(metric, options) ? options.labelMixThreshold : null) ?? options.threshold;
}

/**
 * Whether `metric` measures a classification label's mix: a binary label's rate (its mean,
 * its share of zeros), a multiclass label's distance from its usual mix and its top class's
 * share, a class every earlier day had gone (every label 0 on a day of a rare positive
 * class), a range of values gone from the number a threshold label is read off (the
 * longest delays cut from a file sorted by delay). Relabelled or dropped rows move nothing
 * else that the history can see.
 */
function isLabelMix(metric: string, options: Pick<HistoryOptions, 'labelColumn' | 'labelSource'>): boolean {
  const dot = metric.lastIndexOf('.');
  const column = metric.slice(0, dot);
  const statistic = metric.slice(dot + 1);
  return (
    (column === options.labelColumn && ['mean', 'zeroShare', 'divergence', 'topShare', 'vanishedShare'].includes(statistic)) ||
    (column === options.labelSource && (statistic === 'vanishedShare' || statistic === 'topEdge'))
  );
}

/**
 * Whether the relation an `.eta2` metric measures held above chance on the history (the
 * median day's signal at least {@link HELD_SIGNAL}). Without one, η² is chance alone: it
 * grows as a partition shrinks and has a long upper tail, so a small day would pass any
 * robust threshold with nothing wrong in it.
 */
function relationHeld(metric: string, points: ReadonlyArray<{ metrics: Record<string, number> }>): boolean {
  const signal = `${metric.slice(0, -'.eta2'.length)}.signal`;
  const values = points.map((p) => p.metrics[signal]).filter((v): v is number => v !== undefined && Number.isFinite(v));
  return values.length > 0 && median(values) >= HELD_SIGNAL;
}

/** Rows a partition is expected to hold before a relative drop is judged: in fewer, half can be chance. */
const MIN_EXPECTED_ROWS = 100;

/** Whether `rows` lacks more than `maxDrop` of the `expected` rows (and enough were expected for that not to be chance). */
function isRowDrop(rows: number, expected: number, maxDrop: number): boolean {
  return expected >= MIN_EXPECTED_ROWS && rows < (1 - maxDrop) * expected;
}

/** Days a production model's score needs before its drop is judged (it is scored on the newest days only). */
export const MODEL_HISTORY_DAYS = 7;

/** The first day whose history counts for `metric`: the newest accepted change of it before `date`. */
function acceptedSince(metric: string, date: string, accepted: HistoryOptions['accepted']): string {
  let since = '';
  for (const a of accepted ?? []) if (a.date <= date && a.date > since && a.metrics.includes(metric)) since = a.date;
  return since;
}

export const WEEKDAYS = ['', 'Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays', 'Sundays'];

/**
 * What a finding measures without its subject ("share of zeros", not `column "delay": share
 * of zeros`): for the statistics named beside the strongest finding of the same column.
 */
export function describeStatistic(finding: Pick<HistoryFinding, 'metric' | 'column'>, labelText: string): string {
  // The subject ends at the first ": " outside its quoted column names; the words after it may hold another.
  return describeMetric(finding, labelText).replace(/^(?:[^":]|"(?:[^"\\]|\\.)*"|:(?! ))*: /, '');
}

/** Which way a correlation moved says which defect: a relation gone is rows and labels parted; one far stronger, the outcome leaking in. */
function correlationCause(finding: Partial<Pick<HistoryFinding, 'value' | 'expected'>>): string {
  const weaker = finding.value !== undefined && finding.expected !== undefined && Math.abs(finding.value) < Math.abs(finding.expected);
  return weaker
    ? "a relation that held on every earlier day is gone: labels misaligned with their rows, or the input's values moved to other rows?"
    : 'an input that tells the label far better than on any earlier day holds the outcome: a value filled in from it, or computed after it?';
}

/** A metric's name in words. */
export function describeMetric(
  finding: Pick<HistoryFinding, 'metric' | 'column'> & Partial<Pick<HistoryFinding, 'value' | 'expected'>>,
  labelText: string,
): string {
  const { metric, column } = finding;
  if (metric === 'rows') return 'row count';
  if (metric === 'duplicates.share') return 'share of rows that repeat an earlier row';
  if (metric === 'duplicates.inputShare')
    return `share of rows that repeat an earlier row in every column but the label, ${labelText} (the same example sent twice, with another label?)`;
  if (metric === 'copy.similarity') return `similarity of its rows to those of one of the ${COPY_DAYS} days before it (Jaccard, times left out)`;
  if (metric === 'copy.timedSimilarity')
    return `similarity of its rows, times of day included, to those of one of the ${COPY_DAYS} days before it (Jaccard: a share of the day served again from an earlier one?)`;
  if (metric.startsWith('model.')) return `production model's ${metric.slice('model.'.length)} on the labelled rows`;
  const statistic = metric.slice(metric.lastIndexOf('.') + 1);
  if (isRelation(metric) && column !== null) {
    const [x, g] = columnNames(column) as [string, string];
    const name = (c: string): string => columnTitle(c, labelText, 'the label', '');
    if (statistic === 'signal')
      return `relation of ${name(x)} to ${name(g)}: its strength above chance (F test as a z-score; below ${BROKEN_SIGNAL} is no relation)`;
    if (statistic === 'correlation') return `relation of ${name(x)} to ${name(g)}: correlation (${correlationCause(finding)})`;
    if (statistic === 'effectShift')
      return `relation of ${name(x)} to ${name(g)}: how far its groups' means moved from where each usually sits, as a share of how far they usually sit apart (values of ${name(g)} swapped or misfiled?)`;
    return `relation of ${name(x)} to ${name(g)}: share of its variance that ${name(g)} explains (η²)`;
  }
  const words: Record<string, string> = {
    nullRate: 'share of nulls',
    mean: 'mean',
    levelShift:
      "mean less the mean of earlier days of its spread (standard deviation and interquartile range: every value moved by one amount, so the label's threshold reads another thing?)",
    std: 'standard deviation',
    q05: '5th percentile',
    q25: '25th percentile',
    q50: 'median',
    q75: '75th percentile',
    q95: '95th percentile',
    negativeShare: 'share of negative values',
    zeroShare: 'share of zeros',
    spikeShare: 'share of rows holding one value far more often than the values next to it (a default filled in, or a cap?)',
    roundShare: 'share of values rounder than its usual precision (multiples of ten times its resolution: rounded upstream?)',
    resolution: 'precision: the power of ten nearly every value is a multiple of (rounded upstream?)',
    repeatAboveShare: 'share of values equal to the row above, beyond those equal to the row two above (missing values filled from the row above?)',
    nonFiniteShare: 'share of NaN or infinite values',
    nonIntegerShare: 'share of values with a fraction',
    lowTailShare: 'share of extreme low values (below its first quartile by 3 interquartile ranges)',
    highTailShare: 'share of extreme high values (above its third quartile by 3 interquartile ranges)',
    midnightShare: 'share of times at exactly midnight (a date without its time)',
    stuckShare:
      'share of rows in groups stuck whole: one value in every number that varied there on every earlier day (a sensor resending its last reading, a group copied from one row?)',
    keyRepeatShare: 'share of rows whose key is on another row too (rows appended twice, or keys assigned wrong?)',
    keyStepShare:
      'share of rows whose value moved from the one their key held in the partition before it by the step most moved by (rewritten on some rows, or joined on the wrong key?)',
    keyMatchShare:
      'share of rows whose value is the one their key held in the partition before it (rewritten on some rows, joined on the wrong key, or stale?)',
    rowMatchShare: `share of rows whose value is the one a partition of the ${ROW_MATCH_DAYS} before it held at the same row number (joined from another day by row number?)`,
    distinct: 'number of distinct values',
    topShare: 'share of its most frequent value',
    divergence: 'distance of its value mix from the usual mix (Jensen-Shannon)',
    unseenShare: 'share of values no earlier day had',
    vanishedShare: 'usual share of the values every earlier day had and this day lacks',
    topEdge: 'span of its top 0.5% of values for that of the 0.5% below them',
    firstHour: 'time of its first row (hours after midnight, UTC or data.timezone)',
    lastHour: 'time of its last row (hours after midnight, UTC or data.timezone)',
  };
  if (statistic === 'mismatchShare' && column !== null) {
    const [target, ...keys] = columnNames(column) as [string, ...string[]];
    return `dependency of "${target}" on ${keys
      .map((k) => `"${k}"`)
      .join(' and ')}: share of rows whose ${target} is not the value their ${keys.join(' and ')} had on earlier days`;
  }
  if (statistic === 'unseenPairShare' && column !== null) {
    const [a, b] = columnNames(column) as [string, string];
    return `pairs of "${a}" and "${b}": share of rows whose pair of values no earlier day had (codes mapped wrong?)`;
  }
  if (statistic === 'absentLabelShare' && column !== null) {
    const [label, g] = columnNames(column) as [string, string];
    return `${columnTitle(label, labelText, 'the label', 'label ')} by ${columnTitle(g, labelText, 'the label', 'column ')}: share of rows in groups that hold none of a label value every earlier day had there in numbers (labels overwritten on part of the data?)`;
  }
  if (statistic === 'frozenShare' && column !== null) {
    const [x, g] = columnNames(column) as [string, string];
    return `${columnTitle(x, labelText, 'the label', 'column ')} by ${columnTitle(g, labelText, 'the label', 'column ')}: share of rows in groups whose values are all one value, where each held many on every earlier day (a stuck sensor, a default written for one group?)`;
  }
  if (statistic === 'reversedShare' && column !== null) {
    const [a, b] = columnNames(column) as [string, string];
    return `direction of "${a}" and "${b}": share of rows whose pair of values, at its hour, no earlier day had the same way round while the reverse was usual (the two columns exchanged on those rows?)`;
  }
  const what = column === null ? 'the partition' : columnTitle(column, labelText, 'label', 'column ');
  return `${what}: ${words[statistic] ?? statistic}`;
}

/** How a message names a profiled column: the label, a model input ct derives, or a data column. */
export function columnTitle(column: string, labelText: string, label: string, plain: string): string {
  if (column === LABEL_COLUMN) return `${label} (${labelText})`;
  if (column.startsWith(DERIVED_PREFIX)) return `model input "${column.slice(DERIVED_PREFIX.length)}"`;
  return `${plain}"${column}"`;
}

function fmt(x: number): string {
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  const a = Math.abs(x);
  if (a >= 1000) return x.toLocaleString('en-US', { maximumFractionDigits: 1 });
  return a >= 100 ? x.toFixed(1) : a >= 1 ? x.toFixed(3) : x.toPrecision(3);
}

/** What the same day of earlier months held: "the last day of the month before held 2.7 times its weekday's rows, 1,099". */
function monthText(m: MonthFactor, range: { low: number; high: number }): string {
  return m.months === 1
    ? `the ${m.position} day of the month before held ${m.low.toFixed(1)} times its weekday's rows, ${fmt(range.low)}`
    : `the ${m.position} days of the ${m.months} months before held ${m.low.toFixed(1)} to ${m.high.toFixed(1)} times their weekday's rows, ${fmt(range.low)} to ${fmt(range.high)}`;
}

/**
 * One line a reviewer understands: the value, what the history shows, the other statistics
 * that moved with it (`others`, described), and what to do.
 */
export function findingMessage(finding: HistoryFinding, partition: string, date: string, labelText: string, others: readonly string[] = []): string {
  const weekdays = WEEKDAYS[weekdayOf(date)];
  const days =
    finding.weekdayRange !== undefined
      ? `${finding.weekdayRange} earlier ${finding.weekdayRange === 1 ? weekdays!.slice(0, -1) : weekdays} (of ${finding.days} earlier days)`
      : finding.sameWeekday
        ? `${finding.days} earlier days (same-weekday median: ${weekdays})`
        : `${finding.days} earlier days`;
  return (
    `${partition}: ${describeMetric(finding, labelText)} is ${fmt(finding.value)}, expected about ${fmt(finding.metric === 'rows' ? Math.round(finding.expected) : finding.expected)}; ` +
    (finding.month === undefined
      ? `the ${days} ranged ${fmt(finding.low)} to ${fmt(finding.high)} `
      : `${monthText(finding.month, finding)} on a ${weekdays!.slice(0, -1)} `) +
    (finding.metric.endsWith('.signal')
      ? `(a relation that held on every earlier day is gone). `
      : finding.metric.endsWith('.topEdge')
        ? `(its largest values end as densely as its body, where they thinned out on every earlier day: a file sorted by it and cut short, or its largest values filtered out?). `
        : finding.metric in CHANCE && finding.value <= CHANCE[finding.metric]!
          ? `(no better than chance, ${fmt(CHANCE[finding.metric]!)}, where it was well above on every earlier day: are the labels inverted or misaligned?). `
          : finding.chance !== undefined
            ? `(robust z ${finding.score.toFixed(1)}; within what a model without skill scores on this day's labels, up to ${fmt(finding.chance)}, where it was well above on every earlier day: are the labels shuffled or misaligned?). `
            : finding.tailRise !== undefined
              ? `(robust z ${finding.score.toFixed(1)}; ${finding.tailRise.held} values, where the highest rate of any earlier day puts ${finding.tailRise.due.toFixed(1)} in a day of this size: a chance of ${finding.tailRise.chance.toExponential(0)}). `
              : finding.skillLow !== undefined
                ? `(robust z ${finding.score.toFixed(1)}; under a third as far above chance, ${fmt(CHANCE[finding.metric]!)}, as its least skilled earlier day, ${fmt(finding.skillLow)}: are the labels shuffled or misaligned?). `
                : isModelError(finding.metric) && finding.value > finding.expected
                  ? `(robust z ${finding.score.toFixed(1)}; the production model errs more on this day than on any earlier one: labels misaligned with their rows, or a column in other units?). `
                  : finding.metric === 'rows' && finding.value < finding.expected
                    ? `(robust z ${finding.score.toFixed(1)}; ${Math.round((1 - finding.value / finding.expected) * 100)}% of the expected rows missing: a partial upload?). `
                    : `(robust z ${finding.score.toFixed(1)}). `) +
    (others.length === 0 ? '' : `Also beyond its history: ${others.join(', ')}. `) +
    (finding.hoursMoved === undefined
      ? ''
      : `Every hour holds what the hour ${finding.hoursMoved > 0 ? 'before' : 'after'} it held on earlier days, as times on the UTC clock do after a daylight-saving change: if these are instants of a place whose clocks changed, set data.timezone to its zone. `) +
    `Fix the data, or if this change is real, accept it: ct validate --accept ${date} (with --one-off for a one-time event)`
  );
}
