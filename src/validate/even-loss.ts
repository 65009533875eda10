/**
 * Rows lost alike in every group: a partition short of rows because part of it never arrived
 * (a part file or shard missing, a sample taken upstream) lacks the same share of every
 * airport's, store's or hour's rows. A real fall in volume does not: a storm cancels the
 * flights of a few airports, a closed store loses its own rows, a holiday thins business
 * routes and leaves leisure ones full. So a row count that falls further than every earlier
 * day of its weekday is measured per group too: how much of its usual rows even the groups
 * that kept the most still hold.
 *
 * On flights' 181 days, the groups that kept the most (the weighted 90th percentile of the
 * airports' rows over their usual) held at least 0.957 of them (Memorial Day Sunday, a
 * fall of 13%; every other day 0.99 or more), where an eighth of a day's rows dropped at
 * random leaves them 0.90 to 0.92.
 */
import { median } from './median.js';
import type { PartitionProfile } from './profile.js';

/**
 * Rows a group must usually hold to be measured: chance alone moves a group of 200 by 7%,
 * and the groups that kept the most are those chance moved up (an airport's hours of about
 * 60 flights each put them at 1.12 on a day of flights short by a sixteenth).
 */
const MIN_GROUP_ROWS = 200;
/** Groups of that size a column needs: with fewer, the groups that kept the most are one or two. */
const MIN_GROUPS = 5;
/** Where among the groups, weighted by their usual rows, "the groups that kept the most" begin. */
const KEPT_QUANTILE = 0.9;

/** How much of their usual rows the groups of one column that kept the most still hold. */
export interface GroupsKept {
  column: string;
  /** The groups measured (each usually holding `MIN_GROUP_ROWS` or more). */
  groups: number;
  /** The weighted 90th percentile of the groups' rows over their usual rows (1: as usual). */
  kept: number;
}

type Profile = Pick<PartitionProfile, 'rows' | 'categories'>;

/**
 * Of each categorical column but `leaveOut` (the label: rows dropped by their label are
 * another incident, judged by its mix), how much of its usual rows — the median over
 * `usual`, earlier days of the same weekday — each group holds in `newest`; the column whose
 * groups that kept the most hold the most, as it is the one that shows a real fall's
 * unevenness best. Null when no column has `MIN_GROUPS` groups of `MIN_GROUP_ROWS`.
 */
export function groupsKept(newest: Profile, usual: readonly Profile[], leaveOut: ReadonlySet<string>): GroupsKept | null {
  let best: GroupsKept | null = null;
  for (const [column, own] of Object.entries(newest.categories)) {
    if (leaveOut.has(column) || own.ranges === true) continue;
    const earlier = usual.map((p) => p.categories[column]);
    if (earlier.some((e) => e === undefined || e.ranges === true)) continue;
    const ratios: Array<{ ratio: number; weight: number }> = [];
    for (const value of Object.keys(earlier[0]!.shares)) {
      const counts = usual.map((p, i) => (earlier[i]!.shares[value] ?? (earlier[i]!.complete ? 0 : Number.NaN)) * p.rows);
      if (counts.some(Number.isNaN)) continue;
      const expected = median(counts);
      if (expected < MIN_GROUP_ROWS) continue;
      const share = own.shares[value] ?? (own.complete ? 0 : null);
      if (share === null) continue;
      ratios.push({ ratio: (share * newest.rows) / expected, weight: expected });
    }
    if (ratios.length < MIN_GROUPS) continue;
    const kept = weightedQuantile(ratios, KEPT_QUANTILE);
    if (best === null || kept > best.kept) best = { column, groups: ratios.length, kept };
  }
  return best;
}

/** The value below which `q` of the weight lies. */
function weightedQuantile(items: ReadonlyArray<{ ratio: number; weight: number }>, q: number): number {
  const sorted = [...items].sort((a, b) => a.ratio - b.ratio);
  const total = sorted.reduce((sum, x) => sum + x.weight, 0);
  let below = 0;
  for (const x of sorted) {
    below += x.weight;
    if (below >= q * total) return x.ratio;
  }
  return sorted.at(-1)!.ratio;
}
