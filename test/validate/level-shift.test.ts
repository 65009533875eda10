/**
 * The level of the number a threshold label is read off, for its spread: a day whose every
 * value moved by one amount stands out from days whose level moved with their spread.
 */
import { levelShiftMetric, levelShifts } from '../../src/validate/level-shift.js';

/** A day's statistics of `delay`: its mean rises with its spread (storms), plus `shift` on every value. */
function day(std: number, noise: number, shift = 0, iqr = 0.6 * std + noise): Record<string, number> {
  const mean = -8 + 0.5 * std + 0.2 * iqr + noise + shift;
  return { 'delay.mean': mean, 'delay.std': std, 'delay.q25': mean - 0.6 * iqr, 'delay.q75': mean + 0.4 * iqr };
}

const history = Array.from({ length: 30 }, (_, i) => day(20 + ((i * 7) % 29), ((i * 13) % 7) / 7 - 0.5));

describe('levelShifts', () => {
  it('a stormy day fits its spread; the same day with 15 added to every value is 15 above it', () => {
    const storm = levelShifts(day(48, 0.1), history, 'delay')!;
    expect(Math.abs(storm.newest)).toBeLessThan(1);
    const shifted = levelShifts(day(30, 0.1, 15), history, 'delay')!;
    expect(shifted.newest).toBeCloseTo(15, 0);
    // Each history day is measured by a fit without it, as the newest is.
    expect(shifted.history).toHaveLength(30);
    for (const r of shifted.history) expect(Math.abs(r!)).toBeLessThan(1);
  });

  it('needs enough days with the statistics, and a spread that moved', () => {
    expect(levelShifts(day(30, 0), history.slice(0, 12), 'delay')).toBeNull();
    expect(levelShifts(day(30, 0), history, 'distance')).toBeNull();
    // A column whose spread never moved: the fit cannot tell its level from its spread.
    expect(
      levelShifts(
        day(30, 0),
        Array.from({ length: 30 }, (_, i) => day(25, (i % 5) / 5, 0, 15)),
        'delay',
      ),
    ).toBeNull();
    // One whose interquartile range sat still while its standard deviation moved: fit on the standard deviation alone.
    const still = Array.from({ length: 30 }, (_, i) => day(20 + ((i * 7) % 29), ((i * 13) % 7) / 7 - 0.5, 0, 15));
    expect(levelShifts(day(30, 0.1, 15, 15), still, 'delay')!.newest).toBeCloseTo(15, 0);
    // A day without one of the statistics has no residual; the others still do.
    const gap = [...history];
    gap[3] = { 'delay.mean': 1 };
    const r = levelShifts(day(30, 0), gap, 'delay')!;
    expect(r.history[3]).toBeUndefined();
    expect(r.history.filter((v) => v !== undefined)).toHaveLength(29);
  });

  it('names its metric after the column', () => {
    expect(levelShiftMetric('delay')).toBe('delay.levelShift');
  });
});
