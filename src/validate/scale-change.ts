/**
 * A numeric column in other units: kilometres for miles, pounds for kilograms, cents for
 * dollars. Every value is multiplied by one factor, so its quartiles and its spread move by
 * that factor together. A column's own statistics each ask 16 spreads; a small day's
 * quartiles wander so much that a factor of 1.6 stands at 7 to 13 (230 to 460 flights a
 * day). What a unit change shows that a real day does not is that all four move at once,
 * each beyond every earlier day, by one factor: a heat wave moves a column's level (its
 * quartiles) and leaves its spread, a storm moves its delays' spread far more than their
 * median. Pure: the four statistics' measures in, a finding's scale or null out.
 */

/** One statistic of the newest day against its history, as `judge` measured it. */
export interface Measured {
  value: number;
  /** The history's center (same-weekday median or all days'). */
  center: number;
  /** Robust z-score. */
  score: number;
  low: number;
  high: number;
}

/** The statistics that move together in other units: the spread and the quartiles. */
export const SCALE_STATISTICS = ['std', 'q25', 'q50', 'q75'] as const;

/** Robust z each of the four needs, all the same way: far short of 16, but four at once and beyond every earlier day. */
export const SCALE_SPREADS = 4;

/**
 * Each quartile's factor, as a power of the spread's, within this ratio of it either way:
 * one factor for all (a level shift moves the quartiles and not the spread; a storm's long
 * tail moves the spread far more than the median).
 */
const SCALE_AGREEMENT = 2;

/** A column's statistics moved by one factor: the factor (the median of their ratios) and each statistic's value and expected one. */
export interface ScaleChange {
  factor: number;
  statistics: Array<{ statistic: (typeof SCALE_STATISTICS)[number]; value: number; expected: number }>;
}

/**
 * Whether a column's spread and quartiles (`measured`, by statistic) all moved beyond every
 * earlier day, the same way, at `SCALE_SPREADS` or more each, and by one factor: the
 * change, or null (also when one of them was not measured, or a value is not positive).
 */
export function scaleChange(measured: ReadonlyMap<string, Measured>): ScaleChange | null {
  const all = SCALE_STATISTICS.map((statistic) => ({ statistic, m: measured.get(statistic) }));
  if (all.some(({ m }) => m === undefined || !(m.value > 0 && m.center > 0))) return null;
  const spread = measured.get('std')!;
  const way = Math.sign(spread.score);
  const beyond = (m: Measured): boolean => (way > 0 ? m.value > m.high : m.value < m.low) && way * m.score >= SCALE_SPREADS;
  if (way === 0 || !all.every(({ m }) => beyond(m!))) return null;
  const logFactor = Math.log(spread.value / spread.center);
  const agrees = (m: Measured): boolean => {
    const ratio = Math.log(m.value / m.center) / logFactor;
    return ratio >= 1 / SCALE_AGREEMENT && ratio <= SCALE_AGREEMENT;
  };
  if (!all.every(({ m }) => agrees(m!))) return null;
  // The factor a reviewer reads: the middle of the four ratios (a small day's spread alone wanders).
  const ratios = all.map(({ m }) => m!.value / m!.center).sort((a, b) => a - b);
  return { factor: (ratios[1]! + ratios[2]!) / 2, statistics: all.map(({ statistic, m }) => ({ statistic, value: m!.value, expected: m!.center })) };
}
