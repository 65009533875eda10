/**
 * A number column's values in coarse ranges (ranges.ts): the same ranges on every day, so a
 * range every earlier day had and the newest lacks can be named, joined where they meet.
 */
import { cutRanges, joinedRanges, rangeShares } from '../../src/validate/ranges.js';
import { QuantileSketch } from '../../src/validate/sketch.js';

const sharesOf = (values: number[]): Record<string, number> => {
  const sketch = new QuantileSketch();
  for (const v of values) sketch.add(v);
  return rangeShares(sketch.toJSON());
};

/** The range key holding `value` among `shares`' keys. */
const rangeOf = (shares: Record<string, number>, value: number): string | undefined =>
  Object.keys(shares).find((key) => {
    if (key === '0') return value === 0;
    const [low, high] = key.split(/(?<=\d)\.\.(?=-?\d)/).map(Number);
    return value > low! && value <= high!;
  });

describe('rangeShares', () => {
  test('each value falls in a range about a quarter wide, the shares sum to 1, zero and negatives apart', () => {
    const values = [-40, -12, -11, 0, 0, 3, 100, 110, 130, 2_000];
    const shares = sharesOf(values);
    expect(Object.values(shares).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (const v of values) expect(rangeOf(shares, v)).toBeDefined();
    expect(shares['0']).toBeCloseTo(0.2, 12);
    // 100 and 110 are within a quarter of each other: one range; 130 is beyond it.
    expect(rangeOf(shares, 100)).toBe(rangeOf(shares, 110));
    expect(rangeOf(shares, 130)).not.toBe(rangeOf(shares, 100));
    expect(shares[rangeOf(shares, 100)!]).toBeCloseTo(0.2, 12);
    expect(rangeOf(shares, -12)).toBe(rangeOf(shares, -11));
    expect(rangeOf(shares, -12)).toMatch(/^-/);
    for (const key of Object.keys(shares).filter((k) => k !== '0')) {
      const [low, high] = key.split(/(?<=\d)\.\.(?=-?\d)/).map(Number);
      expect(high! / low!).toBeGreaterThan(key.startsWith('-') ? 0.7 : 1.15);
      expect(high! / low!).toBeLessThan(key.startsWith('-') ? 0.9 : 1.35);
    }
  });

  test('the ranges are the same on every day: a value lands in the same range whatever else the day holds', () => {
    expect(rangeOf(sharesOf([150, 7, 9_000]), 150)).toBe(rangeOf(sharesOf([150, -3]), 150));
  });

  test('an empty column has no ranges', () => {
    expect(sharesOf([])).toEqual({});
  });
});

describe('joinedRanges', () => {
  test('ranges that meet are joined into one, with their shares summed; a gap keeps them apart', () => {
    const shares = sharesOf([100, 130, 170, 1_000]);
    const gone = Object.entries(shares).filter(([key]) => key !== rangeOf(shares, 1_000));
    const joined = joinedRanges(gone);
    expect(joined).toHaveLength(1);
    expect(joined[0]!.low).toBeLessThan(100);
    expect(joined[0]!.high).toBeGreaterThanOrEqual(170);
    expect(joined[0]!.share).toBeCloseTo(0.75, 12);
    const apart = joinedRanges(Object.entries(shares).filter(([key]) => key !== rangeOf(shares, 130)));
    expect(apart.map((r) => r.share)).toEqual([0.25, 0.25, 0.25]);
  });

  test('negative ranges meet their neighbours too, and come first', () => {
    const shares = sharesOf([-20, -15, 5]);
    expect(rangeOf(shares, -20)).not.toBe(rangeOf(shares, -15));
    const joined = joinedRanges(Object.entries(shares));
    expect(joined).toHaveLength(2);
    expect(joined[0]!.low).toBeLessThanOrEqual(-20);
    expect(joined[0]!.high).toBeGreaterThanOrEqual(-15);
    expect(joined[0]!.high).toBeLessThan(0);
    expect(joined[0]!.share).toBeCloseTo(2 / 3, 12);
    expect(joined[1]!.low).toBeGreaterThan(0);
  });
});

describe('cutRanges', () => {
  // A usual day: ten ranges, a body and two thin tails.
  const usual: Record<string, number> = {
    '1..2': 0.02,
    '2..3': 0.08,
    '3..4': 0.15,
    '4..5': 0.25,
    '5..6': 0.2,
    '6..7': 0.15,
    '7..8': 0.1,
    '8..9': 0.03,
    '9..10': 0.015,
    '10..11': 0.005,
  };
  const usualOf = (key: string): number => usual[key] ?? 0;
  const goneFrom = (own: Record<string, number>): Array<[string, number]> => Object.entries(usual).filter(([key]) => own[key] === undefined);
  const keys = (ranges: Array<[string, number]>): string[] => ranges.map(([key]) => key);

  test('the end of the range cut off where the values below it are as usual: every range gone counts', () => {
    // Sorted by value and cut above 8: what is left is the usual day up to the cut.
    const own = Object.fromEntries(
      Object.entries(usual)
        .slice(0, 7)
        .map(([key, share]) => [key, share / 0.95]),
    );
    expect(keys(cutRanges(own, goneFrom(own), usualOf))).toEqual(['8..9', '9..10', '10..11']);
    // The cut through a range: the one below it is still full.
    const through = { ...own, '7..8': 0.02 };
    expect(keys(cutRanges(through, goneFrom(through), usualOf))).toEqual(['8..9', '9..10', '10..11']);
  });

  test('a day whose values all moved down thins out towards its top: the ranges it lacks there are not a cut', () => {
    const own = { '1..2': 0.1, '2..3': 0.2, '3..4': 0.3, '4..5': 0.25, '5..6': 0.1, '6..7': 0.04, '7..8': 0.01 };
    expect(cutRanges(own, goneFrom(own), usualOf)).toEqual([]);
  });

  test('the same at the bottom: a day moved up lacks its lowest ranges; cut from below, it counts them', () => {
    const moved = { '4..5': 0.01, '5..6': 0.04, '6..7': 0.2, '7..8': 0.3, '8..9': 0.3, '9..10': 0.1, '10..11': 0.05 };
    expect(cutRanges(moved, goneFrom(moved), usualOf)).toEqual([]);
    const cut = Object.fromEntries(
      Object.entries(usual)
        .slice(2)
        .map(([key, share]) => [key, share / 0.9]),
    );
    expect(keys(cutRanges(cut, goneFrom(cut), usualOf))).toEqual(['1..2', '2..3']);
  });

  test('a gap between ranges the day has always counts', () => {
    const own = { ...usual };
    delete own['5..6'];
    expect(keys(cutRanges(own, goneFrom(own), usualOf))).toEqual(['5..6']);
  });
});
