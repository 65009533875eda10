/**
 * Partition profiles made by hand, like the flights' days: for the partition history's rules
 * (history.test.ts) and for the anomaly kinds they find (checker.test.ts).
 */
import { type HistoryOptions, weekdayOf } from '../../src/validate/history.js';
import { type PartitionProfile, profileOf } from '../../src/validate/profile.js';
import { computeStatistics } from '../../src/validate/statistics.js';
import { numberColumn, stringColumn, tableOf } from '../helpers.js';

/** The history options of the tests: ct's defaults for the label's derived column. */
export const options: HistoryOptions = { minDays: 14, maxDays: 56, threshold: 16, maxRowDrop: 0.4, labelColumn: 'ct:label', labelMixThreshold: 8 };

/** Day `i` after 2001-01-01, as YYYY-MM-DD. */
export function dateOf(i: number): string {
  return new Date(Date.UTC(2001, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
}

/** A day like the flights: fewer rows on Saturdays, a stable mix of three airports, a label rate near 0.2. */
export function day(
  i: number,
  change: Partial<{ rows: number; labelRate: number; mix: [number, number, number]; distanceScale: number; score: number }> = {},
): PartitionProfile {
  const date = dateOf(i);
  const wiggle = Math.sin(i * 1.7) * 0.01;
  const rows = change.rows ?? Math.round((weekdayOf(date) === 6 ? 14_000 : 16_500) * (1 + wiggle));
  const [a, b] = change.mix ?? [0.5 + wiggle, 0.3, 0.2 - wiggle];
  const labelRate = change.labelRate ?? 0.2 + wiggle * 3;
  const n = 400;
  const origins: string[] = [];
  const distance: number[] = [];
  const label: number[] = [];
  for (let k = 0; k < n; k++) {
    const u = (k + 0.5) / n;
    origins.push(u < a ? 'ATL' : u < a + b ? 'ORD' : 'DEN');
    distance.push(Math.round((200 + ((k * 37) % 1800)) * (change.distanceScale ?? 1)));
    label.push(((k * 7919) % n) / n < labelRate ? 1 : 0);
  }
  const stats = computeStatistics(tableOf([stringColumn('origin', origins), numberColumn('distance', distance), numberColumn('ct:label', label)]));
  const profile = profileOf(date, { ...stats, rows }, { duplicates: 0 });
  if (change.score !== undefined) profile.metrics['model.auc'] = change.score;
  return profile;
}

/** Days 0 .. days - 1, each with the production model's score (about 0.68). */
export function history(days: number): PartitionProfile[] {
  return Array.from({ length: days }, (_, i) => {
    const p = day(i);
    p.metrics['model.auc'] = 0.68 + Math.sin(i) * 0.008;
    return p;
  });
}
