/**
 * Volume that follows the month as well as the week. Invoices issued on a month's last day,
 * renewals billed on its first: a shop's Tuesday holds 400 invoices and its month-end
 * Tuesday 1,265. Judged by its weekday alone such a day is an outlier beyond every earlier
 * one (robust z 65) each time the month ends on a busy weekday, and nothing is wrong with it.
 *
 * A row count on the first or last day of a month is also judged by its weekday's rows
 * times the factor the same day of the earlier months in the history held theirs by, when
 * each of them held `MONTH_FACTOR` times its weekday's rows or more (or that much less),
 * all alike (`MONTH_AGREEMENT`). It is an outlier only when it is one both ways: the rhythm
 * spares a month-end its weekday would refuse, and makes no day an outlier the weekday would
 * not (a month-end doubled is still one: 6 times a Tuesday, where the last month-end held
 * 3). Data without such a rhythm (flights: month-ends as busy as other days) is judged as
 * before.
 */
import { median } from './median.js';

/** Where a day sits in its month, when it is one of the days a month's volume recurs on. */
export type MonthPosition = 'first' | 'last';

/** Earlier months whose same day a factor rests on: one, since a history of 56 days holds one or two. */
const MIN_MONTHS = 1;
/** Times its weekday's rows each earlier such day must hold (or 1 / this many) for the month to count. */
const MONTH_FACTOR = 1.5;
/** Largest ratio between the factors of the earlier months for them to be one rhythm. */
const MONTH_AGREEMENT = 2;

/** The first or last day of its month, else null; `date` is YYYY-MM-DD. */
export function monthPosition(date: string): MonthPosition | null {
  const t = Date.parse(`${date}T00:00:00Z`);
  if (!Number.isFinite(t)) return null;
  if (new Date(t).getUTCDate() === 1) return 'first';
  return new Date(t + 86_400_000).getUTCDate() === 1 ? 'last' : null;
}

/** What the same day of the earlier months held, as multiples of its weekday's rows. */
export interface MonthFactor {
  position: MonthPosition;
  /** Median of the earlier months' factors: the day's expected rows are its weekday's times this. */
  factor: number;
  low: number;
  high: number;
  /** Earlier months it rests on. */
  months: number;
}

/**
 * The factor by which a day at `date`'s month position holds its weekday's rows, from the
 * earlier days at that position (`ratio`: a day's rows over its weekday's median without
 * it); null when the day is at no such position or the earlier ones show no rhythm.
 */
export function monthFactor(date: string, earlier: ReadonlyArray<{ date: string; ratio: number }>): MonthFactor | null {
  const position = monthPosition(date);
  if (position === null) return null;
  const ratios = earlier
    .filter((d) => d.date < date && monthPosition(d.date) === position && Number.isFinite(d.ratio) && d.ratio > 0)
    .map((d) => d.ratio)
    .sort((a, b) => a - b);
  if (ratios.length < MIN_MONTHS) return null;
  const low = ratios[0]!;
  const high = ratios.at(-1)!;
  const rhythm = low >= MONTH_FACTOR || high <= 1 / MONTH_FACTOR;
  if (!rhythm || high / low > MONTH_AGREEMENT) return null;
  return { position, factor: median(ratios), low, high, months: ratios.length };
}
