/** Lengths of time in milliseconds, the unit of ct's timestamps (UTC epoch milliseconds). */
export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

/** ISO weekday (1 = Monday .. 7 = Sunday) of a day counted from 1970-01-01 (a Thursday). */
export function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}
