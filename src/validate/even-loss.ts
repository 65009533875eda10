/**
 * Rows lost alike in every group: a partition short of rows because part of it never arrived
 * (a part file or shard missing, a sample taken upstream) lacks the same share of every
 * airport's, store's or hour's rows. A real fall in volume does not: a storm cancels the
 * flights of a few airports, a closed store loses its own rows, a holiday thins business
 * routes and leaves leisure ones full. So a row count that falls further than every earlier
 * day of its weekday is measured per group too: how much of their usual rows the groups
 * that kept the most still hold, and the groups that lost the most.
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
/** Where among the groups, weighted by their usual rows, those that kept the most begin, and where those that lost the most end. */
const KEPT_QUANTILE = 0.9;
const LOST_QUANTILE = 0.1;
/**
 * Share of the missing rows the groups that kept the most must lack too, and share of what
 * an even loss leaves that the groups that lost the most must keep: real falls on flights'
 * days leave the first at most 0.32; a file cut after its first hours leaves the groups that
 * lost the most nothing.
 */
const EVEN_SHARE = 0.5;

/** How much of their usual rows the groups of one column hold, at both ends. */
export interface GroupsKept {
  column: string;
  /** The groups measured (each usually holding `MIN_GROUP_ROWS` or more). */
  groups: number;
  /** The weighted 90th percentile of the groups' rows over their usual rows (1: as usual): what the groups that kept the most hold. */
  kept: number;
  /** The weighted 10th percentile: what the groups that lost the most hold. */
  least: number;
}

type Profile = Pick<PartitionProfile, 'rows' | 'categories'>;

/**
 * Of each categorical column but `leaveOut` (the label: rows dropped by their label are
 * another incident, judged by its mix) with `MIN_GROUPS` groups of `MIN_GROUP_ROWS`, how
 * much of its usual rows — the median over `usual`, earlier days of the same weekday — each
 * group holds in `newest`, at both ends.
 */
export function groupsKept(newest: Profile, usual: readonly Profile[], leaveOut: ReadonlySet<string>): GroupsKept[] {
  const measured: GroupsKept[] = [];
  for (const [column, own] of Object.entries(newest.categories)) {
    if (leaveOut.has(column) || own.ranges === true) continue;
    const earlier = usual.map((p) => p.categories[column]);
    if (earlier.length === 0 || earlier.some((e) => e === undefined || e.ranges === true)) continue;
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
    measured.push({ column, groups: ratios.length, kept: weightedQuantile(ratios, KEPT_QUANTILE), least: weightedQuantile(ratios, LOST_QUANTILE) });
  }
  return measured;
}

/**
 * Whether a partition lacking `missing` of its usual rows lacks them alike in every group of
 * each column measured (`columns`): the groups that kept the most lack half the share
 * missing or more, and those that lost the most keep half what an even loss leaves or more.
 * The column whose groups kept the most, to show a reviewer; null when one column's groups
 * fell unevenly (a storm's airports, a file cut after its first hours) or none was measured.
 */
export function evenAcross(columns: readonly GroupsKept[], missing: number): GroupsKept | null {
  if (columns.length === 0) return null;
  const even = columns.every((c) => 1 - c.kept >= EVEN_SHARE * missing && c.least >= EVEN_SHARE * (1 - missing));
  return even ? columns.reduce((a, b) => (b.kept > a.kept ? b : a)) : null;
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
