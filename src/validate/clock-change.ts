/**
 * Days whose clocks changed. Timestamps on a local wall clock (written without an offset, or
 * read on `data.timezone`'s clock) have no rows in the hour a daylight-saving change skipped
 * and two hours' rows in the hour it repeated: a day of meter readings in New York local
 * time has no 2 o'clock on 2026-03-08. Its hour-of-day mix is then unlike every earlier
 * day's, and nothing is wrong with it. On such a day the changed hour is left out of the
 * mixes of the hour-of-day inputs, when the day's own rows show the change (the hour empty
 * or about doubled), and the crosses built on the hour, whose keys hash the hour away, are
 * not compared at all; everything else is judged as on any day.
 */
import type { FeatureConfig } from '../config/types.js';
import { DERIVED_PREFIX } from '../features/derived.js';
import { clockChanges } from '../time.js';

/** The profiled category columns that hold a local hour of day, and those crossed with one. */
export interface ClockColumns {
  /** Hour-of-day inputs (`input:<name>`), keyed "0".."23". */
  hours: readonly string[];
  /** Crosses with an hour-of-day input, directly or through another cross. */
  crossed: readonly string[];
  /** `data.timezone`: whose clock changes count; without one, any zone's. */
  timeZone?: string;
}

/** Rows an hour must usually hold for its share to show a change: an hour of a few rows is empty by chance. */
const MIN_HOUR_ROWS = 20;
/** An hour skipped holds less than this share of its usual rows; one repeated, more than 1 / this. */
const CHANGED_SHARE = 0.5;
const REPEATED_SHARE = 1.5;

/** The hour-of-day inputs of `features`, and the crosses built on them. */
export function clockColumns(features: readonly FeatureConfig[], timeZone: string | undefined): ClockColumns | undefined {
  const hourly = new Set(features.filter((f) => f.transform === 'hourOfDay').map((f) => f.name));
  if (hourly.size === 0) return undefined;
  const crossed = new Set<string>();
  // Crosses name features listed before them, so one pass in order finds crosses of crosses.
  for (const f of features) if (f.transform === 'cross' && (f.cross ?? []).some((name) => hourly.has(name) || crossed.has(name))) crossed.add(f.name);
  const column = (name: string): string => `${DERIVED_PREFIX}${name}`;
  return { hours: [...hourly].map(column), crossed: [...crossed].map(column), ...(timeZone === undefined ? {} : { timeZone }) };
}

/**
 * The hours of `date` a clock change skipped or repeated that a day's hour-of-day mix
 * shows: `shares` of its `rows` per hour ("0".."23") against the `usual` share of each.
 * An hour skipped holds under half its usual rows; one repeated, over one and a half times.
 */
export function changedHours(
  date: string,
  rows: number,
  shares: Readonly<Record<string, number>>,
  usual: (hour: string) => number,
  timeZone?: string,
): string[] {
  const ratio = (hour: number): number | null => {
    const expected = usual(String(hour));
    return expected * rows < MIN_HOUR_ROWS ? null : (shares[String(hour)] ?? 0) / expected;
  };
  const ratios = Array.from({ length: 24 }, (_, hour) => ratio(hour));
  // Most days have no hour that far off: the zones' calendars are not looked at.
  if (!ratios.some((r) => r !== null && (r < CHANGED_SHARE || r > REPEATED_SHARE))) return [];
  return clockChanges(date, timeZone)
    .filter(({ hour, kind }) => {
      const r = ratios[hour];
      return r !== null && r !== undefined && (kind === 'skipped' ? r < CHANGED_SHARE : r > REPEATED_SHARE);
    })
    .map(({ hour }) => String(hour));
}
