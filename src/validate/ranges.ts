/**
 * A number column's values in coarse ranges, so a range of values gone from a day can be
 * found like a category gone. A file sorted by a column and cut short (a partial upload of
 * an export ordered by delay), or a filter that drops the largest values upstream, leaves
 * every remaining value plausible and the day's mix of ranges otherwise usual; what is
 * missing is the end of the column's range that every earlier day had. The ranges are the
 * quantile sketch's buckets (`sketch.ts`, 1% relative accuracy) joined `BUCKETS_PER_RANGE`
 * at a time, so each range is about 25% wide relative to its values, on every day alike,
 * and holds enough of a day's rows not to be empty by chance.
 */
import type { SketchJSON } from './sketch.js';

/** Sketch buckets joined into one range: γ^11 ≈ 1.25 at 1% accuracy. */
const BUCKETS_PER_RANGE = 11;

/** A bound written with three significant digits (95.6, 1190, 0.0312). */
function bound(x: number): string {
  return String(Number(x.toPrecision(3)));
}

/**
 * The share of `sketch`'s values in each range, keyed by the range as written
 * ("95.6..119": values above 95.6 up to 119; "-119..-95.6" below zero; "0").
 */
export function rangeShares(sketch: SketchJSON): Record<string, number> {
  const out: Record<string, number> = {};
  if (!(sketch.count > 0)) return out;
  const gamma = (1 + sketch.relativeAccuracy) / (1 - sketch.relativeAccuracy);
  const add = (key: string, count: number): void => {
    if (count > 0) out[key] = (out[key] ?? 0) + count / sketch.count;
  };
  for (const [store, sign] of [
    [sketch.positive, 1],
    [sketch.negative, -1],
  ] as const) {
    store.counts.forEach((count, i) => {
      // Bucket k holds magnitudes in (γ^(k−1), γ^k]; range g the buckets g·B .. g·B + B − 1.
      const g = Math.floor((store.offset + i) / BUCKETS_PER_RANGE);
      const low = gamma ** (g * BUCKETS_PER_RANGE - 1);
      const high = gamma ** ((g + 1) * BUCKETS_PER_RANGE - 1);
      add(sign > 0 ? `${bound(low)}..${bound(high)}` : `${bound(-high)}..${bound(-low)}`, count);
    });
  }
  add('0', sketch.zeros);
  return out;
}

/** Outermost ranges of a day, on each side, whose share shows whether its edge there is sharp. */
const EDGE_RANGES = 2;
/** Share of its usual share an edge range holds at least where the day was cut off there. */
const EDGE_SHARE = 0.5;

/**
 * Of the ranges a day lacks (`gone`, each with its usual share), those that a cut explains:
 * any gap between ranges the day has, and the ranges beyond its lowest or highest value
 * where its edge on that side is sharp — one of its `EDGE_RANGES` outermost ranges there
 * holds at least `EDGE_SHARE` of its usual share (`usual`). Rows cut from a sorted file
 * or dropped by a filter leave the values below the cut as they were, up to the cut; a day
 * whose values all moved (a warm day's power use, a calm day's short delays) thins out
 * towards its end, where its outermost values are the few of a tail.
 */
export function cutRanges(
  own: Readonly<Record<string, number>>,
  gone: ReadonlyArray<readonly [string, number]>,
  usual: (key: string) => number,
): Array<[string, number]> {
  const present = ascending(Object.keys(own).filter((key) => own[key]! > 0));
  if (present.length === 0) return gone.map(([key, share]) => [key, share]);
  const sharp = (edge: typeof present): boolean => edge.some(({ key }) => usual(key) > 0 && own[key]! >= EDGE_SHARE * usual(key));
  const lowest = present[0]!.bounds[0];
  const highest = present.at(-1)!.bounds[1];
  const top = sharp(present.slice(-EDGE_RANGES));
  const bottom = sharp(present.slice(0, EDGE_RANGES));
  return gone.flatMap(([key, share]): Array<[string, number]> => {
    const [low, high] = boundsOf(key);
    const counted = low >= highest ? top : high <= lowest ? bottom : true;
    return counted ? [[key, share]] : [];
  });
}

/** The lower and upper bound of a range key of `rangeShares`. */
function boundsOf(key: string): [number, number] {
  if (key === '0') return [0, 0];
  const at = key.indexOf('..', 1);
  return [Number(key.slice(0, at)), Number(key.slice(at + 2))];
}

/** Range keys with their bounds, lowest range first. */
function ascending(keys: readonly string[]): Array<{ key: string; bounds: [number, number] }> {
  return keys.map((key) => ({ key, bounds: boundsOf(key) })).sort((a, b) => a.bounds[0] - b.bounds[0]);
}

/**
 * Ranges of `rangeShares` with their shares, adjoining ones joined, in ascending order:
 * "values from 95.6 to 350" for a reviewer rather than five ranges that meet.
 */
export function joinedRanges(ranges: ReadonlyArray<readonly [string, number]>): Array<{ low: number; high: number; share: number }> {
  const shares = new Map(ranges);
  const out: Array<{ low: number; high: number; share: number }> = [];
  for (const { key, bounds } of ascending([...shares.keys()])) {
    const share = shares.get(key)!;
    const last = out.at(-1);
    if (last !== undefined && last.high === bounds[0]) {
      last.high = bounds[1];
      last.share += share;
    } else out.push({ low: bounds[0], high: bounds[1], share });
  }
  return out;
}
