/**
 * A multiclass label's classes relabelled on part of a day: a third of a shop's app orders
 * written as web moves two classes' shares by 15 points each, while the mix's distance from
 * the pooled weeks and its top class's share stay within their history, because the classes
 * trend (app orders rising from 30% to 50% over six months): the weekday median of eight
 * weeks trails a trend by half its span, and each day's distance from it spreads as widely.
 *
 * So each class's share is measured from its own recent level: the share less the median of
 * the same weekday's latest three weeks (`<label>.classShift:<class>`). A trend then adds
 * about two weeks' worth to every day alike, and a day's shift stands out against the
 * history days' own shifts by what sampling moves a share.
 */
import { median } from './median.js';

/** Prefix of the statistic of a class's shift: `channel.classShift:app`. */
export const CLASS_SHIFT = 'classShift:';

/** Same weekdays before a day whose median share is its reference. */
export const REFERENCE_WEEKS = 3;

/** Fewest of them a shift is measured with: two weeks after a class mix accepted as the new level, it is judged again. */
const MIN_REFERENCE_WEEKS = 2;

/** Least median share of a class judged: rarer classes move by few rows, and a label of many classes would be tested hundreds of times. */
const MIN_CLASS_SHARE = 0.01;

/** A day of the series: its weekday and its label's class shares (null where its list of values is incomplete). */
export interface ClassShareDay {
  date: string;
  weekday: number;
  shares: Readonly<Record<string, number>> | null;
}

/** The metric of class `value`'s shift in `label`: the class escaped (`%` and `.` as in a URL), as a dot ends a metric's column. */
export function classShiftMetric(label: string, value: string): string {
  return `${label}.${CLASS_SHIFT}${value.replace(/%/g, '%25').replace(/\./g, '%2E')}`;
}

/** The class a `classShift:` statistic is of, whole again; null for another statistic. */
export function classOfShift(statistic: string): string | null {
  if (!statistic.startsWith(CLASS_SHIFT)) return null;
  return statistic.slice(CLASS_SHIFT.length).replace(/%2E/g, '.').replace(/%25/g, '%');
}

/**
 * Each day's shift of each class (`days` oldest first): its share less the median share of
 * the latest {@link REFERENCE_WEEKS} same weekdays before it that listed their values, at
 * least {@link MIN_REFERENCE_WEEKS} of them, on or after `since(metric, date)` (a change a
 * person accepted is the new level). Empty for a label of fewer than three classes, whose
 * rate is its mean; only classes with a median share of {@link MIN_CLASS_SHARE} or more.
 */
export function classShifts(days: readonly ClassShareDay[], label: string, since: (metric: string, date: string) => string): Array<Record<string, number>> {
  const listed = days.filter((d) => d.shares !== null);
  const all = new Set(listed.flatMap((d) => Object.keys(d.shares!)));
  const out = days.map((): Record<string, number> => ({}));
  if (all.size < 3) return out;
  const classes = [...all].filter((c) => median(listed.map((d) => d.shares![c] ?? 0)) >= MIN_CLASS_SHARE);
  days.forEach((day, i) => {
    if (day.shares === null) return;
    for (const c of classes) {
      const metric = classShiftMetric(label, c);
      const from = since(metric, day.date);
      const references: number[] = [];
      for (let j = i - 1; j >= 0 && references.length < REFERENCE_WEEKS; j--) {
        const earlier = days[j]!;
        if (earlier.date < from) break;
        if (earlier.weekday === day.weekday && earlier.shares !== null) references.push(earlier.shares[c] ?? 0);
      }
      if (references.length >= MIN_REFERENCE_WEEKS) out[i]![metric] = (day.shares[c] ?? 0) - median(references);
    }
  });
  return out;
}
