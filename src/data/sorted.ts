/**
 * Binary searches of numbers sorted ascending: how many lie below a value, or at or below it.
 * One search serves a bucketized input's index and a regression label's rank score.
 */

/** How many of `sorted`'s values are below `x`. */
export function countBelow(sorted: ArrayLike<number>, x: number): number {
  return firstPast(sorted, x, false);
}

/** How many of `sorted`'s values are at most `x` (a bucket index, TF's `Bucketize` convention). */
export function countAtMost(sorted: ArrayLike<number>, x: number): number {
  return firstPast(sorted, x, true);
}

/** The first index whose value is not below `x` (or, with `orEqual`, above it). */
function firstPast(sorted: ArrayLike<number>, x: number, orEqual: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid]!;
    if (v < x || (orEqual && v === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
