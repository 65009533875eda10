/**
 * A history of per-partition statistics and the rules that test the newest partitions
 * against it — Deequ's metrics repository with anomaly detection, made
 * seasonality-aware. Each daily partition is summarised once into a flat set of metrics
 * (`profile.ts`: row count, null rates, numeric moments and quantiles, category shares,
 * label rate, the model's derived inputs); a partition is then compared here with the days
 * before it through robust statistics (same-weekday medians, MAD of the deseasonalised
 * history), so a day unlike any day before it is found even when every value in it is
 * plausible. What a finding says is `history-words.ts`.
 *
 * Everything here is pure: reading partitions and the cache lives in the pipeline.
 */
import { metricDirection } from '../evaluate/metrics.js';
import { dependencyMetrics, dependencyPool, MIN_EARLIER_DAYS } from './dependencies.js';
import { oppositeMetrics, orientationMetrics, orientationPool } from './orientation.js';
import { effectMetrics, effectPool } from './group-effects.js';
import { labelGroupMetrics, labelGroupPool } from './label-groups.js';
import { frozenGroupMetrics, frozenGroupPool } from './frozen-groups.js';
import { keyMatchMetrics, ROW_SAMPLE_SIZE, rowMatchMetrics } from './row-matches.js';
import { columnNames, columnOf, statisticOf } from './metric-names.js';
import { cutRanges } from './ranges.js';
import { levelShiftMetric, levelShifts } from './level-shift.js';
import { CLASS_SHIFT, classShifts } from './class-shifts.js';
import { LABEL_COLUMN } from '../features/derived.js';
import { correlationNoise } from './label-correlation.js';
import { changedHours, type ClockColumns } from './clock-change.js';
import { foldedShare } from './twelve-hour.js';
import { median } from './median.js';
import { evenAcross, type GroupsKept, groupsKept } from './even-loss.js';
import { regularizedGammaP } from './hypothesis.js';
import { monthFactor, type MonthFactor } from './month-days.js';
import { type Measured, SCALE_STATISTICS, type ScaleChange, scaleChange } from './scale-change.js';
import { isoWeekday, MS_PER_DAY } from '../time.js';
import { HELD_SIGNAL, type PartitionProfile, sketchSimilarity } from './profile.js';

/**
 * A relation is broken when its signal falls below this (no relation to speak of), on a
 * day after every day of its history held it ({@link HELD_SIGNAL}) ...
 */
export const BROKEN_SIGNAL = 3;
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
 * least `SKILLED` (or `SKILLED_NOISES`) above it on every earlier day, is judged by that alone: its labels no
 * longer mean what they meant (inverted, detached), however widely its score moved before.
 */
export const CHANCE: Readonly<Record<string, number>> = { 'model.auc': 0.5, 'model.r2': 0 };
export const SKILLED = 0.1;
/**
 * Or at least this many of the newest day's standard errors above it on every earlier day: a
 * weak model (a shop's returns, AUC 0.57 to 0.64 every day) never clears `SKILLED`, yet each
 * of its days stood four or more standard errors above chance, so a day at chance after them
 * is as telling (labels shuffled among the rows: 0.50).
 */
const SKILLED_NOISES = 4;
/**
 * Above chance but within what chance reaches on the day's labels (`modelChance`: two
 * standard errors above it; few positives make a shuffled day's AUC wander to 0.58), a score
 * is judged by that only when it also fell this many spreads below the earlier days: a weak
 * model's bad day is not a detached label. Three: a shop's returns model (AUC 0.57 to 0.67,
 * days spread 0.022) scored 20 shufflings of one day's labels 0.47 to 0.53, 3.1 to 5.8
 * spreads below, and half of them above 0.5; no real day of it or of flights came within
 * chance's reach at all.
 */
const CHANCE_REACH_SPREADS = 3;
/**
 * Above chance's reach but with at most {@link SKILL_KEPT} of the least skill left, a score
 * is judged by that when it fell this many spreads below the earlier days.
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

/** Days before a partition its rows are compared with for a copy: four weeks, so last week's or last month's same weekday re-sent is found too. */
export const COPY_DAYS = 28;

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
  /** A row count short alike in every group (`evenlyShort`): the column shown, with what its groups that lost and kept the most hold. */
  kept?: GroupsKept;
  /** A column's spread and quartiles moved together by one factor (`scaleChange`): other units? */
  scale?: ScaleChange;
}

/**
 * Whether `metric` measures a relation of a numeric column to a categorical one (`<x>|<g>.eta2`,
 * `.signal`, `.effectShift`) or of a numeric input to the label (`<x>|<label>.correlation`).
 */
export function isRelation(metric: string): boolean {
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
    metric.endsWith('.oppositeShare') ||
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
    metric.endsWith('.foldedShare') ||
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
export function isModelError(metric: string): boolean {
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
 * z 16) is a join or a shift gone wrong, like a hard constraint broken. In a small partition,
 * one row: 16 rows off their key are no chance (a tenth of a 230-flight day in kilometres, 23).
 * The same for the rows by which a pair's two directions moved opposite ways: real days move
 * a route both ways together, and flights' days sit at 0.04% to 0.2% with a spread of 0.02%
 * to 0.03%, where 1% of the rows exchanged adds 0.6% (robust z 18 or more).
 */
const DEPENDENCY_FLOOR = 0.0002;

/**
 * Smallest spread of a metric, so a history that never moved does not make every small
 * change infinitely surprising: shares of defective rows move by 0.05% of the rows (or
 * three rows: in a small partition a few rows are chance; half a row where no earlier day
 * had one, `chanceRows`; values off their key by 0.02% or one row; a key's match by three of its sampled keys; a group stuck whole by one row), other
 * shares by a tenth of a percent, group effects by 0.1% of how far apart the groups sit, a model's score by 0.005 (its error by 1% of its level), a time of day by a minute, a
 * location (mean, quantile) by 2% of its column's typical standard deviation, a quantile by
 * at least the step it can take by chance (`quantileStep`), anything else by 1% of its level.
 */
function spreadFloor(metric: string, center: number, history: ReadonlyArray<{ metrics: Record<string, number> }>, rows: number): number {
  const chance = (): number => chanceRows(metric, history) / Math.max(1, rows);
  if (metric.endsWith('.mismatchShare') || metric.endsWith('.oppositeShare')) return Math.max(DEPENDENCY_FLOOR, 1 / Math.max(1, rows));
  // A share of the sampled keys near 1 (a plan kept) moves by whole keys: three are chance.
  if (metric.endsWith('.keyMatchShare') || metric.endsWith('.keyStepShare')) return Math.max(0.001, 3 / Math.max(1, Math.min(rows, ROW_SAMPLE_SIZE)));
  // A group stuck in all its readings at once is no chance on any day: each of its rows is a defect.
  if (metric.endsWith('.stuckShare')) return 1 / Math.max(1, rows);
  if (ROW_DEFECT.test(metric)) return Math.max(0.0005, chance());
  if (metric.endsWith('.correlation')) return correlationNoise(center, rows);
  // Extreme outliers are rare on every normal day: three rows are chance, fifty are a defect.
  if (/TailShare$/.test(metric)) return chance();
  if (/(Share|Rate|share|divergence|[sS]imilarity|eta2)$/.test(metric) || statisticOf(metric).startsWith(CLASS_SHIFT)) return 0.001;
  // Groups that sit still move by 0.1% of how far apart they sit.
  if (metric.endsWith('.effectShift')) return 0.001;
  if (/(firstHour|lastHour)$/.test(metric)) return 1 / 60;
  // A resolution steady on every day moves by whole places: one place is far beyond it.
  if (metric.endsWith('.resolution')) return 0.05;
  // An error is in the label's units: 1% of its level, a score in [0, 1] by 0.005.
  if (metric.startsWith('model.')) return isModelError(metric) ? Math.max(1e-9, 0.01 * Math.abs(center)) : 0.005;
  const statistic = statisticOf(metric);
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
    // An hour of day's mix with a share of its afternoon written 12 hours early (a 12-hour clock): the changed hours not counted.
    if (clock?.hours.includes(column) === true) {
      const usual = usualShare(listed, pooled, selfInPool);
      out[`${column}.foldedShare`] = foldedShare(listed.shares, (hour) => usual(String(hour)), profile.rows, hours);
    }
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

/** Each value's mean share over a pool's days, a day in its own pool (`selfInPool`) taken out of it first; the pool must hold another day. */
function usualShare(own: PartitionProfile['categories'][string], pooled: PoolColumn, selfInPool: boolean): (value: string) => number {
  const days = pooled.days - (selfInPool ? 1 : 0);
  return (value) => Math.max(0, (pooled.shares.get(value) ?? 0) - (selfInPool ? (own.shares[value] ?? 0) : 0)) / days;
}

/** Per hour-of-day column of `clock`, the hours a clock change on the profile's day skipped or repeated, as its rows show. */
function clockChangeHours(profile: PartitionProfile, pool: PoolSums, selfInPool: boolean, clock: ClockColumns): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const column of clock.hours) {
    const own = profile.categories[column];
    const pooled = pool.columns.get(column);
    if (own === undefined || pooled === undefined || pooled.days - (selfInPool ? 1 : 0) < 1) continue;
    const hours = changedHours(profile.date, profile.rows, own.shares, usualShare(own, pooled, selfInPool), clock.timeZone);
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
export function mixPool(date: string, history: readonly PartitionProfile[]): readonly PartitionProfile[] {
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
 * A day's value shares of `column` beside the mean shares of the days its mixes are compared
 * with (the same weekday's, when enough): every value either lists, with both shares; null
 * when the day or the pool lacks the column.
 */
export function mixBeside(
  newest: PartitionProfile,
  history: readonly PartitionProfile[],
  column: string,
): { values: string[]; share: (value: string) => number; usual: (value: string) => number } | null {
  const own = newest.categories[column];
  const sums = poolSums(mixPool(newest.date, history)).columns.get(column);
  if (own === undefined || sums === undefined) return null;
  return {
    values: [...new Set([...Object.keys(own.shares), ...sums.shares.keys()])],
    share: (value) => own.shares[value] ?? 0,
    usual: (value) => (sums.shares.get(value) ?? 0) / sums.days,
  };
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
  const mix = mixBeside(newest, history, column);
  if (mix === null) return [];
  return mix.values
    .map((value) => ({ value, share: mix.share(value), usual: mix.usual(value) }))
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
      () => [],
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
    ...oppositeMetrics(newest.orientations, mixPool(newest.date, history)),
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
      ...oppositeMetrics(
        h.orientations,
        mixPool(
          h.date,
          history.filter((other) => other !== h),
        ),
      ),
      ...labelGroupMetrics(h, labelGroups),
      ...frozenGroupMetrics(h, frozen),
      ...rowMatchMetrics(h, history),
      ...keyMatchMetrics(h, history),
      ...effectMetrics(h.effects, effects, true),
    },
  }));
  if (options.labelSource !== undefined) addLevelShifts(newestMetrics, historyMetrics, options.labelSource);
  // A multiclass label is profiled as its own column; a binary or regression label as ct:label, whose rate is its mean.
  if (options.labelColumn !== LABEL_COLUMN) {
    const shifts = classShifts(
      [...history, newest].map((p) => ({ date: p.date, weekday: weekdayOf(p.date), shares: classSharesOf(p, options.labelColumn) })),
      options.labelColumn,
      (metric, date) => acceptedSince(metric, date, options.accepted),
    );
    historyMetrics.forEach((h, i) => Object.assign(h.metrics, shifts[i]));
    Object.assign(newestMetrics, shifts[history.length]);
  }
  // The groups' rows against their weekday's usual, since a person last accepted the row count: measured only for a day short of rows.
  const keptOf = (): GroupsKept[] => {
    const rowsSince = acceptedSince('rows', newest.date, options.accepted);
    const usual = (weekdays.get(weekdayOf(newest.date)) ?? []).filter((h) => h.date >= rowsSince).slice(-USUAL_DAYS);
    const labels = new Set([options.labelColumn, LABEL_COLUMN, ...(options.labelSource === undefined ? [] : [options.labelSource])]);
    return usual.length >= MIN_USUAL_DAYS ? groupsKept(newest, usual, labels) : [];
  };
  const judged = judge(newestMetrics, historyMetrics, newest, options, keptOf);
  // A day of no rows is its row count alone: its shares and mixes are of nothing, and far from every day's.
  const findings = newest.rows === 0 ? judged.filter((f) => f.kind === 'partition_rows') : judged;
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

/** A profile's shares of its label's values, listed in full; null otherwise (a number read in ranges has none). */
function classSharesOf(p: PartitionProfile, label: string): Readonly<Record<string, number>> | null {
  const listed = p.categories[label];
  return listed === undefined || !listed.complete || listed.ranges === true ? null : listed.shares;
}

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
  keptOf: () => readonly GroupsKept[],
): HistoryFinding[] {
  const weekday = weekdayOf(newest.date);
  const findings: HistoryFinding[] = [];
  // Each column's spread and quartiles as measured, for a change of units none of them shows alone.
  const scaled = new Map<string, Map<string, Measured & Pick<HistoryFinding, 'days' | 'sameWeekday'>>>();
  for (const [metric, value] of Object.entries(newestMetrics)) {
    const since = acceptedSince(metric, newest.date, options.accepted);
    const model = metric.startsWith('model.');
    const scored = historyMetrics.filter((h) => h.date >= since && Number.isFinite(h.metrics[metric]));
    // A model's score is judged by its newest days only: its skill moves as its training data ages, and a weak month
    // long ago would lower the least skill that makes a day at chance count as broken labels.
    const points = model ? scored.slice(-modelHistoryDays(options.minDays)) : scored;
    if (points.length < (model ? Math.min(options.minDays, MODEL_HISTORY_DAYS) : options.minDays)) continue;
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
    const noise = model ? (newest.modelNoise ?? 0) : 0;
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
    const skilled = chance !== undefined && (low >= chance + SKILLED || (noise > 0 && low - chance >= SKILLED_NOISES * noise));
    // Far-out values are counted too: dozens where no earlier day had more than a few are no chance, short of 16 spreads.
    const rise = /TailShare$/.test(metric) ? tailRise(value, high, newest.rows * (1 - (newestMetrics[`${columnOf(metric)}.nullRate`] ?? 0))) : null;
    // Short of rows alike in every group: part of the partition never arrived, however much the volume varies.
    const evenDrop = fewestRows === null ? null : evenlyShort(value, center, fewestRows, score, keptOf);
    const bad = metric.endsWith('.signal')
      ? value < BROKEN_SIGNAL && low >= HELD_SIGNAL && signalFall(value, values) >= SIGNAL_SPREADS
      : metric.endsWith('.topEdge')
        ? value <= EDGE_FALL * low && low >= EDGE_HELD
        : (skilled && (value <= chance || (value <= chanceReach! && score <= -CHANCE_REACH_SPREADS) || (value <= chanceLimit! && score <= -CHANCE_SPREADS))) ||
          beyondRange({ value, expected: center, score, low, high, fewestRows }, { direction, threshold, maxRowDrop: options.maxRowDrop, beyondTail }) ||
          rise !== null ||
          evenDrop !== null;
    const statistic = statisticOf(metric);
    if (!bad && (SCALE_STATISTICS as readonly string[]).includes(statistic) && !model) {
      const column = columnOf(metric);
      const measured = scaled.get(column) ?? new Map<string, Measured & Pick<HistoryFinding, 'days' | 'sameWeekday'>>();
      measured.set(statistic, { value, center, score, low, high, days: points.length, sameWeekday: same });
      scaled.set(column, measured);
    }
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
    const column = metric === 'rows' || metric.startsWith('duplicates.') || metric.startsWith('copy.') || model ? null : columnOf(metric);
    const finding = findingOf(metric, column, options, { value, expected: center, low, high, score, days: points.length, sameWeekday: same });
    if (rise !== null) finding.tailRise = rise;
    if (evenDrop !== null) finding.kept = evenDrop;
    if (skilled && value <= chanceLimit!) {
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
  // A column none of whose spread and quartiles is an outlier alone, moved by one factor: its median is the finding.
  for (const [column, measured] of scaled) {
    const change = measured.size === SCALE_STATISTICS.length ? scaleChange(measured) : null;
    if (change === null || findings.some((f) => f.column === column)) continue;
    const { center, ...median } = measured.get('q50')!;
    findings.push({ ...findingOf(`${column}.q50`, column, options, { ...median, expected: center }), scale: change });
  }
  return findings.sort((a, b) => Math.abs(b.score) - Math.abs(a.score));
}

/** A finding of `metric` of its kind: the row count, the label's rate or relation, or any other statistic. */
function findingOf(
  metric: string,
  column: string | null,
  options: HistoryOptions,
  measured: Pick<HistoryFinding, 'value' | 'expected' | 'low' | 'high' | 'score' | 'days' | 'sameWeekday'>,
): HistoryFinding {
  const kind =
    metric === 'rows'
      ? 'partition_rows'
      : metric.startsWith('model.') || metric.endsWith('.correlation') || (isRelation(metric) && columnNames(column!)[0] === options.labelColumn)
        ? 'label_relation'
        : column === options.labelColumn || metric.endsWith('.absentLabelShare') || isLevelShift(metric, options) || isLabelMix(metric, options)
          ? 'label_rate'
          : 'partition_statistic';
  return { kind, column, metric, ...measured };
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

/** Earlier days of the newest one's weekday whose groups' rows are its usual, and how many it needs. */
const USUAL_DAYS = 4;
const MIN_USUAL_DAYS = 3;
/** How far below the fewest rows of its weekday's earlier days a partition short alike in every group must fall: a falling trend's newest day is a little below them. */
const EVEN_DROP_BELOW_FEWEST = 0.05;
/**
 * The robust z-score its fall must reach: real falls reach -12.8 on flights' days, each
 * uneven; a shop's Easter Sunday, 28% short alike in every group where its volume wanders
 * by 15%, -4.9. Where volume is steady, an even fall that far is rows lost, not a holiday.
 */
const EVEN_DROP_SPREADS = 6;

/**
 * Whether a row count (`rows`; `expected`, `fewest`, `score` as judged) is short alike in
 * every group of the columns measured (`keptOf`, see `even-loss.ts`, measured only past
 * the first two tests): more than 5% below the fewest rows of its weekday's earlier days,
 * at a robust z of 6 or more. The column to show a reviewer, or null.
 */
function evenlyShort(rows: number, expected: number, fewest: number, score: number, keptOf: () => readonly GroupsKept[]): GroupsKept | null {
  // A day of no rows has no groups to tell a loss on the way from a real fall by.
  if (rows === 0 || !(rows < (1 - EVEN_DROP_BELOW_FEWEST) * fewest && score <= -EVEN_DROP_SPREADS)) return null;
  return evenAcross(keptOf(), 1 - rows / expected);
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
 * its share of zeros), a multiclass label's distance from its usual mix, its top class's
 * share and each class's shift from its recent level, a class every earlier day had gone
 * (every label 0 on a day of a rare positive class), a range of values gone from the
 * number a threshold label is read off (the longest delays cut from a file sorted by
 * delay). Relabelled or dropped rows move nothing else that the history can see.
 */
function isLabelMix(metric: string, options: Pick<HistoryOptions, 'labelColumn' | 'labelSource'>): boolean {
  const column = columnOf(metric);
  const statistic = statisticOf(metric);
  return (
    (column === options.labelColumn &&
      (['mean', 'zeroShare', 'divergence', 'topShare', 'vanishedShare'].includes(statistic) || statistic.startsWith(CLASS_SHIFT))) ||
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

/** Days before a partition whose production model scores it is judged against: `minDays`, and at least {@link MODEL_HISTORY_DAYS}. */
export function modelHistoryDays(minDays: number): number {
  return Math.max(minDays, MODEL_HISTORY_DAYS);
}

/** The first day whose history counts for `metric`: the newest accepted change of it before `date`. */
function acceptedSince(metric: string, date: string, accepted: HistoryOptions['accepted']): string {
  let since = '';
  for (const a of accepted ?? []) if (a.date <= date && a.date > since && a.metrics.includes(metric)) since = a.date;
  return since;
}
