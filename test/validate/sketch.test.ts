import { readTable } from '../../src/data/read.js';
import { mulberry32 } from '../../src/train/random.js';
import { createSketch, mergeSketches, QuantileSketch } from '../../src/validate/sketch.js';
import { columnOf, expectUserError } from '../helpers.js';

const ALPHA = 0.01;
const QS = [0, 0.001, 0.01, 0.05, 0.1, 0.25, 0.333, 0.5, 0.667, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

/** Seeded data with both signs, zeros and a long tail. */
function mixed(n: number, seed: number): Float64Array {
  const random = mulberry32(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = random();
    // 10% zeros, 30% negative log-normal, 60% positive log-normal over ~6 orders of magnitude.
    if (u < 0.1) out[i] = 0;
    else out[i] = (u < 0.4 ? -1 : 1) * Math.exp((random() - 0.3) * 14);
  }
  return out;
}

/** Asserts every quantile of the sketch is within the relative accuracy of the exact one at the same rank. */
function expectAccurate(sketch: QuantileSketch, data: Float64Array): void {
  const sorted = Float64Array.from(data).sort();
  for (const q of QS) {
    const exact = sorted[Math.floor(q * (sorted.length - 1))]!;
    const estimate = sketch.quantile(q);
    if (exact === 0) expect(estimate).toBe(0);
    else expect(Math.abs(estimate - exact) / Math.abs(exact)).toBeLessThanOrEqual(ALPHA + 1e-12);
  }
}

let delays: Float64Array;

beforeAll(async () => {
  // Real data: whole minutes of delay, many ties, negatives (early) and zeros.
  const table = await readTable('data/flights/2001-01-15.parquet', { columns: ['delay'] });
  const column = columnOf(table, 'delay');
  if (column.type !== 'number') throw new Error('delay should be numeric');
  delays = column.values;
});

describe('QuantileSketch', () => {
  test('quantiles are within 1% of the exact value at that rank on mixed-sign long-tailed data', () => {
    const data = mixed(100_000, 7);
    expectAccurate(createSketch().addMany(data), data);
  });

  test('quantiles are within 1% on real flight delays (integers with ties, negatives, zeros)', () => {
    expect(delays.length).toBeGreaterThan(10_000);
    expect(delays.some((x) => x < 0) && delays.includes(0)).toBe(true);
    const sketch = createSketch().addMany(delays);
    expectAccurate(sketch, delays);
    expect(sketch.count).toBe(delays.length);
    expect(sketch.min).toBe(Math.min(...delays));
    expect(sketch.max).toBe(Math.max(...delays));
  });

  test('floats beyond the small-integer table and timestamps-like magnitudes are accurate too', () => {
    const random = mulberry32(3);
    const data = Float64Array.from({ length: 20_000 }, (_, i) => (i % 2 === 0 ? 4095.5 + random() * 1e6 : 9.8e11 + Math.floor(random() * 1.6e10)));
    expectAccurate(createSketch().addMany(data), data);
  });

  test('merge(a, b) equals the sketch of the concatenation exactly, in any order', () => {
    const data = mixed(30_000, 11);
    const whole = createSketch().addMany(data).toJSON();
    const a = createSketch().addMany(data.subarray(0, 12_345));
    const b = createSketch().addMany(data.subarray(12_345, 20_000));
    const c = createSketch().addMany(data.subarray(20_000));
    expect(mergeSketches(mergeSketches(a, b), c).toJSON()).toEqual(whole);
    expect(mergeSketches(c, mergeSketches(b, a)).toJSON()).toEqual(whole);
    // Pure: the inputs are unchanged.
    expect(a.count).toBe(12_345);
    // One value at a time gives the same buckets as the bulk path.
    const one = createSketch();
    for (const x of data) one.add(x);
    expect(one.toJSON()).toEqual(whole);
  });

  test('merging real delays split by partition equals the sketch of all of them', async () => {
    const other = columnOf(await readTable('data/flights/2001-01-16.parquet', { columns: ['delay'] }), 'delay');
    if (other.type !== 'number') throw new Error('delay should be numeric');
    const both = new Float64Array(delays.length + other.values.length);
    both.set(delays);
    both.set(other.values, delays.length);
    const merged = mergeSketches(createSketch().addMany(other.values), createSketch().addMany(delays));
    expect(merged.toJSON()).toEqual(createSketch().addMany(both).toJSON());
    expectAccurate(merged, both);
  });

  test('memory is bounded: beyond maxBuckets the smallest magnitudes fold, deterministically', () => {
    const data = mixed(50_000, 5);
    const whole = createSketch({ maxBuckets: 100 }).addMany(data);
    const json = whole.toJSON();
    expect(json.positive.counts.length).toBeLessThanOrEqual(100);
    expect(json.negative.counts.length).toBeLessThanOrEqual(100);
    const reversed = createSketch({ maxBuckets: 100 });
    for (let i = data.length - 1; i >= 0; i--) reversed.add(data[i]!);
    expect(reversed.toJSON()).toEqual(json);
    const parts = [0, 1000, 17_000, 50_000].map((end, i, ends) => createSketch({ maxBuckets: 100 }).addMany(data.subarray(i === 0 ? 0 : ends[i - 1], end)));
    expect(parts.reduce((acc, s) => mergeSketches(acc, s)).toJSON()).toEqual(json);
    // The high quantiles (largest magnitudes) keep their accuracy.
    const sorted = Float64Array.from(data).sort();
    for (const q of [0.95, 0.99, 0.999]) {
      const exact = sorted[Math.floor(q * (sorted.length - 1))]!;
      expect(Math.abs(whole.quantile(q) - exact) / exact).toBeLessThanOrEqual(ALPHA);
    }
    expect(whole.count).toBe(data.length);
  });

  test('cdf(x) counts the bucket of x: between the exact CDF at x and at the bucket bound', () => {
    const data = mixed(20_000, 9);
    const sketch = createSketch().addMany(data);
    const sorted = Float64Array.from(data).sort();
    const exactCdf = (x: number): number => {
      let lo = 0;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid]! <= x) lo = mid + 1;
        else hi = mid;
      }
      return lo / sorted.length;
    };
    const gamma = (1 + ALPHA) / (1 - ALPHA);
    for (const x of [-1000, -3.5, -0.01, 0, 0.02, 1, 7.7, 250, 5e4]) {
      const upper = x > 0 ? x * gamma : x < 0 ? x / gamma : 0;
      expect(sketch.cdf(x)).toBeGreaterThanOrEqual(exactCdf(x) - 1e-12);
      expect(sketch.cdf(x)).toBeLessThanOrEqual(exactCdf(upper) + 1e-12);
    }
    expect(sketch.cdf(sketch.min - 1)).toBe(0);
    expect(sketch.cdf(sketch.max)).toBe(1);
  });

  test('atoms add up to the count, ascending, and skip empty buckets', () => {
    const sketch = createSketch().addMany(Float64Array.of(-5, -5, 0, 1, 1, 1, 100));
    const { values, weights } = sketch.atoms();
    expect(Array.from(weights)).toEqual([2, 1, 3, 1]);
    expect(values[0]).toBeCloseTo(-5, 1);
    expect(values[1]).toBe(0);
    expect(Math.abs(values[2]! - 1)).toBeLessThanOrEqual(ALPHA);
    expect(Math.abs(values[3]! - 100) / 100).toBeLessThanOrEqual(ALPHA);
  });

  test('ignores nulls and non-finite values; empty sketches answer NaN', () => {
    const sketch = createSketch().addMany(Float64Array.of(1, Number.NaN, Infinity, -Infinity, 2, 3), Uint8Array.of(0, 0, 0, 0, 1, 0));
    expect(sketch.count).toBe(2);
    expect(sketch.max).toBe(3);
    sketch.add(Number.NaN).add(-Infinity);
    expect(sketch.count).toBe(2);
    const empty = createSketch();
    expect(empty.count).toBe(0);
    expect(empty.quantile(0.5)).toBeNaN();
    expect(empty.cdf(1)).toBeNaN();
    expect(() => sketch.quantile(1.5)).toThrow(RangeError);
    expect(QuantileSketch.fromJSON(empty.toJSON()).toJSON()).toEqual(empty.toJSON());
  });

  test('toJSON is compact (offset + dense counts) and fromJSON restores it exactly', () => {
    const sketch = createSketch().addMany(delays);
    const json = sketch.toJSON();
    expect(json.count).toBe(delays.length);
    expect(json.positive.counts[0]).toBeGreaterThan(0);
    expect(json.positive.counts.at(-1)).toBeGreaterThan(0);
    expect(JSON.stringify(json).length).toBeLessThan(4000);
    const back = QuantileSketch.fromJSON(JSON.parse(JSON.stringify(json)));
    expect(back.toJSON()).toEqual(json);
    expect(back.quantile(0.9)).toBe(sketch.quantile(0.9));
  });

  test('malformed JSON and mismatched settings are user errors', () => {
    const json = createSketch()
      .addMany(Float64Array.of(1, 2, 3))
      .toJSON();
    expectUserError(() => QuantileSketch.fromJSON({ ...json, count: 4 }), /count 4 does not match/);
    expectUserError(() => QuantileSketch.fromJSON({ ...json, positive: { offset: 0, counts: [-1] } }), /positive count -1/);
    expectUserError(() => createSketch().mergeFrom(createSketch({ relativeAccuracy: 0.02 })), /different settings/);
  });
});
