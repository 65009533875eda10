/**
 * A mergeable quantile sketch with relative accuracy: DDSketch (Masson, Rim and
 * Lee, VLDB 2019). Values are counted in logarithmically spaced buckets, so
 * every quantile it returns is within `relativeAccuracy` (1% by default) of a
 * value of the data at that rank, whatever the distribution — delays, distances
 * and prices all have long tails where fixed-width histograms fail.
 *
 * Why this sketch: it is deterministic (no randomness, unlike KLL), its state
 * depends only on the multiset of values added (so statistics of partitions
 * merge into exactly the statistics of their union, in any order), and its
 * memory is bounded by `maxBuckets` per sign. Merging is adding bucket counts.
 */
import { UserError } from '../errors.js';
import type { Atoms } from './hypothesis.js';

/** Serialised sketch: dense bucket counts from an offset, zeros trimmed at both ends. */
export interface SketchJSON {
  relativeAccuracy: number;
  maxBuckets: number;
  /** Number of (finite) values added. */
  count: number;
  /** Values equal to 0 (the one bucket that a logarithm cannot index). */
  zeros: number;
  /** Exact smallest and largest value added; null while empty. */
  min: number | null;
  max: number | null;
  /** Buckets of positive values: `counts[i]` counts values whose bucket index is `offset + i`. */
  positive: { offset: number; counts: number[] };
  /** Buckets of negative values, indexed by their magnitude. */
  negative: { offset: number; counts: number[] };
}

/** Options of a new sketch; two sketches merge only when both agree. */
export interface SketchOptions {
  /** Bound on |estimate − true| / |true| for every quantile; default 0.01. */
  relativeAccuracy?: number;
  /**
   * Most buckets kept per sign; default 2048 (covers 17 orders of magnitude at 1%).
   * Beyond it the buckets of the smallest magnitudes are folded into one.
   */
  maxBuckets?: number;
}

const DEFAULT_ACCURACY = 0.01;
const DEFAULT_MAX_BUCKETS = 2048;

/**
 * Bucket counts of one sign. Bucket `k` holds magnitudes in (γ^(k-1), γ^k].
 *
 * The state is canonical: with `top` the highest non-empty bucket ever seen,
 * every value whose bucket is below `top - maxBuckets + 1` (the floor) is
 * counted in the floor bucket. Since the floor only rises and folding twice is
 * folding once at the higher floor, the counts depend only on the values added,
 * never on their order or on how they were split and merged.
 */
class BucketStore {
  counts = new Float64Array(0);
  /** Bucket index of `counts[0]`. */
  offset = 0;
  /**
   * Highest non-empty bucket, and a bucket at or below the lowest non-empty one
   * (bulk adds may reserve from a lower bound); meaningless while `total` is 0.
   */
  low = 0;
  high = 0;
  total = 0;

  constructor(readonly maxBuckets: number) {}

  /** The lowest bucket that is kept as it is. */
  get floor(): number {
    return this.high - this.maxBuckets + 1;
  }

  /**
   * Makes room for values in buckets `lo..hi` (hi being the highest of them),
   * folding low buckets if `hi` raises the floor. Returns the lowest bucket a
   * value may land in after folding, so callers can clamp to it.
   */
  reserve(lo: number, hi: number): number {
    if (this.total === 0) {
      this.high = hi;
      this.low = Math.max(lo, this.floor);
    } else {
      if (hi > this.high) {
        this.high = hi;
        this.fold();
      }
      this.low = Math.min(this.low, Math.max(lo, this.floor));
    }
    this.ensure(this.low, this.high);
    return Math.max(lo, this.floor);
  }

  /** Counts `weight` values in bucket `index` (weight > 0). */
  add(index: number, weight: number): void {
    const lo = this.reserve(index, Math.max(index, this.total === 0 ? index : this.high));
    const k = index < lo ? lo : index;
    this.counts[k - this.offset]! += weight;
    this.total += weight;
  }

  /** Folds every bucket below the floor into the floor bucket. */
  private fold(): void {
    const floor = this.floor;
    if (this.low >= floor) return;
    let moved = 0;
    const end = Math.min(floor, this.offset + this.counts.length);
    for (let k = Math.max(this.low, this.offset); k < end; k++) {
      moved += this.counts[k - this.offset]!;
      this.counts[k - this.offset] = 0;
    }
    this.low = floor;
    this.ensure(floor, this.high);
    this.counts[floor - this.offset]! += moved;
  }

  /**
   * Makes sure buckets `lo..hi` have a slot. Every non-zero count lies in
   * `lo..hi` when this is called, so a new array needs only that range (plus
   * slack on both sides, so a stream of new extremes does not copy every time):
   * the array never spans more than 3 × maxBuckets slots.
   */
  private ensure(lo: number, hi: number): void {
    const end = this.offset + this.counts.length;
    if (this.counts.length > 0 && lo >= this.offset && hi < end) return;
    const slack = Math.min(this.maxBuckets, Math.max(16, (hi - lo + 1) >> 1));
    const start = lo - slack;
    const counts = new Float64Array(hi - lo + 1 + 2 * slack);
    const from = Math.max(this.offset, start);
    const to = Math.min(end, start + counts.length);
    if (to > from) counts.set(this.counts.subarray(from - this.offset, to - this.offset), from - start);
    this.counts = counts;
    this.offset = start;
  }

  /** Count in bucket `k` (0 outside the stored range). */
  at(k: number): number {
    const i = k - this.offset;
    return i >= 0 && i < this.counts.length ? this.counts[i]! : 0;
  }

  /** Buckets from the lowest to the highest non-empty one (`low` may be a lower bound only). */
  toJSON(): { offset: number; counts: number[] } {
    if (this.total === 0) return { offset: 0, counts: [] };
    let first = this.low;
    while (this.at(first) === 0) first++;
    const counts: number[] = [];
    for (let k = first; k <= this.high; k++) counts.push(this.at(k));
    return { offset: first, counts };
  }
}

/**
 * A DDSketch over finite numbers. Non-finite values are ignored: the column
 * statistics count them on their own, and a quantile of ±Infinity means nothing.
 */
export class QuantileSketch {
  readonly relativeAccuracy: number;
  readonly maxBuckets: number;
  /** γ = (1 + α) / (1 − α): ratio of consecutive bucket bounds. */
  private readonly gamma: number;
  /** 1 / ln γ, so that a bucket index is ceil(ln |x| · multiplier). */
  private readonly multiplier: number;
  private readonly positive: BucketStore;
  private readonly negative: BucketStore;
  /** Bucket index of each whole number below its length (entry 0 unused). */
  private readonly smallIndex: Int32Array;
  /** Scratch tally of small whole numbers for `addMany`, allocated on first use. */
  private scratch: Float64Array | null = null;
  private zeroCount = 0;
  private minValue = Infinity;
  private maxValue = -Infinity;

  constructor(options: SketchOptions = {}) {
    const alpha = options.relativeAccuracy ?? DEFAULT_ACCURACY;
    const maxBuckets = options.maxBuckets ?? DEFAULT_MAX_BUCKETS;
    if (!(alpha > 0 && alpha < 1)) throw new RangeError(`relative accuracy must be in (0, 1), got ${alpha}`);
    if (!Number.isInteger(maxBuckets) || maxBuckets < 1) throw new RangeError(`maxBuckets must be a whole number >= 1, got ${maxBuckets}`);
    this.relativeAccuracy = alpha;
    this.maxBuckets = maxBuckets;
    this.gamma = (1 + alpha) / (1 - alpha);
    this.multiplier = 1 / Math.log(this.gamma);
    this.smallIndex = smallIndexTable(this.multiplier);
    this.positive = new BucketStore(maxBuckets);
    this.negative = new BucketStore(maxBuckets);
  }

  /** Number of values added. */
  get count(): number {
    return this.positive.total + this.negative.total + this.zeroCount;
  }

  /** Exact smallest value added (NaN while empty). */
  get min(): number {
    return this.count === 0 ? Number.NaN : this.minValue;
  }

  /** Exact largest value added (NaN while empty). */
  get max(): number {
    return this.count === 0 ? Number.NaN : this.maxValue;
  }

  /** Bucket index of a magnitude > 0. */
  private index(magnitude: number): number {
    const j = magnitude | 0;
    return j === magnitude && j < this.smallIndex.length ? this.smallIndex[j]! : Math.ceil(Math.log(magnitude) * this.multiplier);
  }

  /** The representative of bucket `k`: equally far, relatively, from both of its bounds. */
  private bucketValue(k: number): number {
    return (2 * Math.exp(k / this.multiplier)) / (1 + this.gamma);
  }

  /** Adds one value (ignored unless finite). */
  add(value: number): this {
    if (!Number.isFinite(value)) return this;
    if (value > 0) this.positive.add(this.index(value), 1);
    else if (value < 0) this.negative.add(this.index(-value), 1);
    else this.zeroCount++;
    if (value < this.minValue) this.minValue = value;
    if (value > this.maxValue) this.maxValue = value;
    return this;
  }

  /**
   * Adds every finite value of `values` whose `nulls` flag is not 1. This is
   * the hot path (millions of rows per column). Whole numbers of magnitude up
   * to `WHOLE_NUMBER_LIMIT` — counts, delays, distances, codes — are tallied
   * per value and folded into buckets afterwards (no logarithm, no
   * unpredictable sign branch per row); other values take `addOtherValues`.
   */
  addMany(values: Float64Array, nulls: Uint8Array | null = null): this {
    const W = WHOLE_NUMBER_LIMIT;
    const tally = (this.scratch ??= createWholeNumberTally());
    let lo = W + 1;
    let hi = -W - 1;
    let others = 0;
    for (let i = 0; i < values.length; i++) {
      const x = values[i]!;
      if (x - x !== 0 || (nulls !== null && nulls[i] === 1)) continue; // NaN, ±Infinity, null
      const j = x | 0;
      if (j === x && j >= -W && j <= W) {
        tally[j + W]!++;
        if (j < lo) lo = j;
        if (j > hi) hi = j;
      } else others++;
    }
    this.addWholeNumberTally(tally, lo, hi);
    if (others > 0) this.addOtherValues(values, nulls);
    return this;
  }

  /**
   * Adds the whole numbers counted in `tally` (a `createWholeNumberTally()`
   * array: `tally[j + WHOLE_NUMBER_LIMIT]` values equal to j) for j in lo..hi,
   * and clears those entries so the tally can be reused. For callers that
   * tally whole numbers in a pass of their own (the column statistics do).
   */
  addWholeNumberTally(tally: Float64Array, lo: number, hi: number): this {
    const W = WHOLE_NUMBER_LIMIT;
    lo = Math.max(lo, -W);
    hi = Math.min(hi, W);
    // Extremes first: each store is reserved (and folded) once.
    let minPos = 0;
    let maxPos = 0;
    let minNeg = 0; // magnitudes
    let maxNeg = 0;
    let first = Infinity;
    let last = -Infinity;
    for (let j = lo; j <= hi; j++) {
      if (tally[j + W]! === 0) continue;
      if (j < first) first = j;
      last = j;
      if (j > 0) {
        if (minPos === 0) minPos = j;
        maxPos = j;
      } else if (j < 0) {
        if (maxNeg === 0) maxNeg = -j;
        minNeg = -j;
      }
    }
    if (first === Infinity) return this;
    if (first < this.minValue) this.minValue = first;
    if (last > this.maxValue) this.maxValue = last;
    const table = this.smallIndex;
    const pos = this.positive;
    const neg = this.negative;
    const posHi = maxPos > 0 ? table[maxPos]! : 0;
    const posLo = maxPos > 0 ? pos.reserve(table[minPos]!, posHi) : 0;
    const negHi = maxNeg > 0 ? table[maxNeg]! : 0;
    const negLo = maxNeg > 0 ? neg.reserve(table[minNeg]!, negHi) : 0;
    for (let j = first; j <= last; j++) {
      const c = tally[j + W]!;
      if (c === 0) continue;
      tally[j + W] = 0;
      if (j > 0) {
        const k = table[j]!;
        pos.counts[(k < posLo ? posLo : k > posHi ? posHi : k) - pos.offset]! += c;
        pos.total += c;
      } else if (j < 0) {
        const k = table[-j]!;
        neg.counts[(k < negLo ? negLo : k > negHi ? negHi : k) - neg.offset]! += c;
        neg.total += c;
      } else this.zeroCount += c;
    }
    return this;
  }

  /**
   * Adds the finite, non-null values of `values` that are not whole numbers of
   * magnitude ≤ `WHOLE_NUMBER_LIMIT` (those are left to a tally). Each store is
   * reserved once, from the extremes of the values: a caller that knows them
   * (the column statistics compute them anyway) passes `extremes`, the min and
   * max over all finite non-null values of `values` — tallied ones included,
   * which it must add too — and saves a pass. The indexing pass reuses the
   * previous bucket when a value repeats (sorted timestamps repeat most of the time).
   */
  addOtherValues(values: Float64Array, nulls: Uint8Array | null = null, extremes?: { min: number; max: number }): this {
    const W = WHOLE_NUMBER_LIMIT;
    const n = values.length;
    // Magnitude ranges per sign; 0 as a lower magnitude means "unknown": reserve down to the floor.
    let minPos = Infinity;
    let maxPos = 0;
    let minNeg = Infinity;
    let maxNeg = 0;
    if (extremes !== undefined) {
      const { min, max } = extremes;
      if (max > 0) {
        maxPos = max;
        minPos = min > 0 ? min : 0;
      }
      if (min < 0) {
        maxNeg = -min;
        minNeg = max < 0 ? -max : 0;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const x = values[i]!;
        if (x - x !== 0 || (nulls !== null && nulls[i] === 1)) continue;
        const j = x | 0;
        if (j === x && j >= -W && j <= W) continue;
        if (x > 0) {
          if (x < minPos) minPos = x;
          if (x > maxPos) maxPos = x;
        } else {
          if (-x < minNeg) minNeg = -x;
          if (-x > maxNeg) maxNeg = -x;
        }
      }
    }
    if (maxPos === 0 && maxNeg === 0) return this;
    const min = extremes?.min ?? (maxNeg > 0 ? -maxNeg : minPos);
    const max = extremes?.max ?? (maxPos > 0 ? maxPos : -minNeg);
    if (min < this.minValue) this.minValue = min;
    if (max > this.maxValue) this.maxValue = max;
    const pos = this.positive;
    const neg = this.negative;
    // Clamping to the reserved ranges folds low buckets and keeps every write
    // in bounds even if Math.log were not perfectly monotonic.
    const posHi = maxPos > 0 ? this.index(maxPos) : 0;
    const posLo = maxPos > 0 ? pos.reserve(minPos > 0 ? this.index(minPos) : posHi - this.maxBuckets + 1, posHi) : 0;
    const negHi = maxNeg > 0 ? this.index(maxNeg) : 0;
    const negLo = maxNeg > 0 ? neg.reserve(minNeg > 0 ? this.index(minNeg) : negHi - this.maxBuckets + 1, negHi) : 0;
    const posCounts = pos.counts;
    const negCounts = neg.counts;
    const posOffset = pos.offset;
    const negOffset = neg.offset;
    const multiplier = this.multiplier;
    let addedPos = 0;
    let addedNeg = 0;
    let lastX = Number.NaN;
    let lastK = 0;
    for (let i = 0; i < n; i++) {
      const x = values[i]!;
      if (x - x !== 0 || (nulls !== null && nulls[i] === 1)) continue;
      const j = x | 0;
      if (j === x && j >= -W && j <= W) continue;
      let k: number;
      if (x === lastX) k = lastK;
      else {
        k = Math.ceil(Math.log(x > 0 ? x : -x) * multiplier);
        lastX = x;
        lastK = k;
      }
      if (x > 0) {
        posCounts[(k < posLo ? posLo : k > posHi ? posHi : k) - posOffset]!++;
        addedPos++;
      } else {
        negCounts[(k < negLo ? negLo : k > negHi ? negHi : k) - negOffset]!++;
        addedNeg++;
      }
    }
    pos.total += addedPos;
    neg.total += addedNeg;
    return this;
  }

  /**
   * The value at rank ⌊q·(count − 1)⌋ of the sorted data, within the relative
   * accuracy; q = 0 and q = 1 give the exact min and max. NaN when empty.
   */
  quantile(q: number): number {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
    const count = this.count;
    if (count === 0) return Number.NaN;
    if (q === 0) return this.minValue;
    if (q === 1) return this.maxValue;
    const rank = Math.floor(q * (count - 1));
    const atoms = this.atoms();
    let seen = 0;
    for (let i = 0; i < atoms.values.length; i++) {
      seen += atoms.weights[i]!;
      if (seen > rank) return Math.min(this.maxValue, Math.max(this.minValue, atoms.values[i]!));
    }
    return this.maxValue;
  }

  /**
   * Share of values ≤ x at the sketch's resolution: a value counts when its
   * bucket is not above the bucket of x. Exact below the min (0) and from the
   * max on (1). NaN when empty.
   */
  cdf(x: number): number {
    const count = this.count;
    if (count === 0 || Number.isNaN(x)) return Number.NaN;
    if (x < this.minValue) return 0;
    if (x >= this.maxValue) return 1;
    let below = 0;
    if (x < 0) {
      const kx = this.index(-x);
      const neg = this.negative;
      for (let k = neg.high; k >= Math.max(kx, neg.low); k--) below += neg.at(k);
    } else {
      below = this.negative.total + this.zeroCount;
      if (x > 0) {
        const kx = this.index(x);
        const pos = this.positive;
        for (let k = pos.low; k <= Math.min(kx, pos.high); k++) below += pos.at(k);
      }
    }
    return below / count;
  }

  /**
   * The sketch as a discrete distribution: one support point per non-empty
   * bucket (its representative value), ascending, weighted by its count.
   */
  atoms(): Atoms {
    const values: number[] = [];
    const weights: number[] = [];
    const neg = this.negative;
    if (neg.total > 0) {
      for (let k = neg.high; k >= neg.low; k--) {
        const w = neg.at(k);
        if (w > 0) {
          values.push(-this.bucketValue(k));
          weights.push(w);
        }
      }
    }
    if (this.zeroCount > 0) {
      values.push(0);
      weights.push(this.zeroCount);
    }
    const pos = this.positive;
    if (pos.total > 0) {
      for (let k = pos.low; k <= pos.high; k++) {
        const w = pos.at(k);
        if (w > 0) {
          values.push(this.bucketValue(k));
          weights.push(w);
        }
      }
    }
    return { values: Float64Array.from(values), weights: Float64Array.from(weights) };
  }

  /** A copy (merging never mutates its inputs). */
  clone(): QuantileSketch {
    return QuantileSketch.fromJSON(this.toJSON());
  }

  /** Adds the contents of `other` into this sketch. Both must have the same options. */
  mergeFrom(other: QuantileSketch): this {
    if (other.relativeAccuracy !== this.relativeAccuracy || other.maxBuckets !== this.maxBuckets) {
      throw new UserError(
        `cannot merge quantile sketches with different settings (relative accuracy ${this.relativeAccuracy} vs ${other.relativeAccuracy}, ` +
          `${this.maxBuckets} vs ${other.maxBuckets} buckets)`,
      );
    }
    mergeStore(this.positive, other.positive);
    mergeStore(this.negative, other.negative);
    this.zeroCount += other.zeroCount;
    if (other.count > 0) {
      if (other.minValue < this.minValue) this.minValue = other.minValue;
      if (other.maxValue > this.maxValue) this.maxValue = other.maxValue;
    }
    return this;
  }

  /** Compact JSON: the settings, exact extremes, and the non-empty bucket range of each sign. */
  toJSON(): SketchJSON {
    const empty = this.count === 0;
    return {
      relativeAccuracy: this.relativeAccuracy,
      maxBuckets: this.maxBuckets,
      count: this.count,
      zeros: this.zeroCount,
      min: empty ? null : this.minValue,
      max: empty ? null : this.maxValue,
      positive: this.positive.toJSON(),
      negative: this.negative.toJSON(),
    };
  }

  /** Rebuilds a sketch from `toJSON()` output; malformed input is a UserError. */
  static fromJSON(json: SketchJSON): QuantileSketch {
    const bad = (what: string): never => {
      throw new UserError(`invalid quantile sketch: ${what}`);
    };
    if (typeof json !== 'object' || json === null) bad('not an object');
    const sketch = new QuantileSketch({ relativeAccuracy: json.relativeAccuracy, maxBuckets: json.maxBuckets });
    for (const [side, store] of [
      ['positive', sketch.positive],
      ['negative', sketch.negative],
    ] as const) {
      const part = json[side];
      if (typeof part !== 'object' || part === null || !Number.isInteger(part.offset) || !Array.isArray(part.counts)) bad(`${side} buckets`);
      if (part.counts.length > json.maxBuckets) bad(`${side} has ${part.counts.length} buckets, more than ${json.maxBuckets}`);
      // Highest bucket first, so the floor is in place before any lower bucket arrives.
      for (let i = part.counts.length - 1; i >= 0; i--) {
        const c = part.counts[i];
        if (typeof c !== 'number' || !(c >= 0)) bad(`${side} count ${String(c)}`);
        if (c! > 0) store.add(part.offset + i, c!);
      }
    }
    if (!(json.zeros >= 0)) bad(`zeros ${String(json.zeros)}`);
    sketch.zeroCount = json.zeros;
    if (sketch.count !== json.count) bad(`count ${json.count} does not match its buckets (${sketch.count})`);
    if (sketch.count > 0) {
      if (typeof json.min !== 'number' || typeof json.max !== 'number' || !(json.min <= json.max)) bad('min/max');
      sketch.minValue = json.min!;
      sketch.maxValue = json.max!;
    }
    return sketch;
  }
}

/** Whole numbers of at most this magnitude are tallied per value instead of taking a logarithm each. */
export const WHOLE_NUMBER_LIMIT = 4095;
const SMALL_INDEX_SIZE = WHOLE_NUMBER_LIMIT + 1;

/** A zeroed tally for `addWholeNumberTally`: entry j + WHOLE_NUMBER_LIMIT counts the value j. */
export function createWholeNumberTally(): Float64Array {
  return new Float64Array(2 * WHOLE_NUMBER_LIMIT + 1);
}

const smallIndexTables = new Map<number, Int32Array>();

/** Bucket indices of 1..4095, computed exactly as for any other value; shared per accuracy. */
function smallIndexTable(multiplier: number): Int32Array {
  let table = smallIndexTables.get(multiplier);
  if (table === undefined) {
    table = new Int32Array(SMALL_INDEX_SIZE);
    for (let j = 1; j < SMALL_INDEX_SIZE; j++) table[j] = Math.ceil(Math.log(j) * multiplier);
    smallIndexTables.set(multiplier, table);
  }
  return table;
}

function mergeStore(into: BucketStore, from: BucketStore): void {
  if (from.total === 0) return;
  // The highest bucket first: it sets the merged floor before lower buckets arrive.
  for (let k = from.high; k >= from.low; k--) {
    const w = from.at(k);
    if (w > 0) into.add(k, w);
  }
}

/** A new, empty sketch. */
export function createSketch(options: SketchOptions = {}): QuantileSketch {
  return new QuantileSketch(options);
}

/**
 * The sketch of the union of the values of `a` and `b`, as a new sketch.
 * Pure, commutative and associative: it equals (bucket for bucket) the sketch
 * of the concatenated data, in any order.
 */
export function mergeSketches(a: QuantileSketch, b: QuantileSketch): QuantileSketch {
  return a.clone().mergeFrom(b);
}
