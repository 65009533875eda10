/**
 * Times written on a 12-hour clock without AM or PM (`%I` where `%H` was meant): 13:05
 * becomes 01:05 and 00:40 becomes 12:40, every time still valid. On the rows it touched, an
 * hour-of-day mix loses afternoon and evening rows to the hours 12 earlier. Where the small
 * hours are quiet (flights, shops, most human activity), those gain many times what they
 * usually hold, and the whole mix fits the usual one with a share of its afternoon moved
 * back far better than as it is. Measured against the hour mix alone, a tenth of the rows
 * so written stood at robust z 12 on a Monday, short of the 16 a mix must pass; as the share
 * folded back it is an order of magnitude beyond anything a real day shows.
 */

/**
 * How many times closer (weighted squared distance) a day's hour mix must fit the usual one
 * with its afternoon folded back than as it is, for the fold to be what moved it. Real
 * flights days fit at most 1.44 times closer (153 days judged against the eight weeks
 * before them); a tenth folded, 22 times or more. A surge in one or two small hours (a
 * night sale) fits 1.1 to 1.5 times closer, and an early closing (the evening halved) 1.1:
 * neither is a fold.
 */
export const FOLD_FIT = 3;

/**
 * The share of a day's afternoon and evening rows (hours 13 to 23, and 0) written 12 hours
 * early, as a 12-hour clock writes them: the weighted least-squares fit of the day's hour
 * `shares` ("0".."23") to the `usual` share of each hour with that share moved, each hour
 * weighted by the inverse of its usual share (its count's variance; at least half a row of a
 * day of `rows`). 0 when the fold does not fit {@link FOLD_FIT} times closer than the mix as
 * it is, or moves rows the other way, and on a mix without quiet small hours
 * ({@link quietFoldedHours}); hours in `leftOut` (a clock change's) are not counted.
 */
export function foldedShare(shares: Readonly<Record<string, number>>, usual: (hour: number) => number, rows: number, leftOut: readonly string[] = []): number {
  // Without quiet small hours a fold is afternoon rows lost and morning rows gained, as an evening outage is too.
  if (quietFoldedHours(usual).length === 0) return 0;
  const floor = 0.5 / Math.max(1, rows);
  const hours = Array.from({ length: 24 }, (_, h) => h).filter((h) => !leftOut.includes(String(h)));
  // How the share of hour h moves per unit of the afternoon folded back: 13..23 to 1..11, 0 to 12.
  const fold = (h: number): number => (h === 0 || h >= 13 ? -usual(h) : h === 12 ? usual(0) : usual(h + 12));
  const weight = (h: number): number => 1 / Math.max(usual(h), floor);
  const deviation = (h: number): number => (shares[String(h)] ?? 0) - usual(h);
  const sum = (term: (h: number) => number): number => hours.reduce((total, h) => total + term(h) * weight(h), 0);
  const along = sum((h) => deviation(h) * fold(h));
  const norm = sum((h) => fold(h) ** 2);
  if (!(norm > 0) || !(along > 0)) return 0;
  const share = along / norm;
  return sum((h) => (deviation(h) - share * fold(h)) ** 2) * FOLD_FIT <= sum((h) => deviation(h) ** 2) ? share : 0;
}

/**
 * The hours a fold fills where it shows most: 1 to 11 where each usually holds under a
 * quarter of the hour 12 after it (the small hours, before 13 to 23). A fold is judged only
 * where there are some, and they are what a reviewer is shown.
 */
export function quietFoldedHours(usual: (hour: number) => number): number[] {
  return Array.from({ length: 11 }, (_, i) => i + 1).filter((h) => usual(h) < usual(h + 12) / 4);
}
