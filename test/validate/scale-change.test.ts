import { type Measured, scaleChange } from '../../src/validate/scale-change.js';

/** A statistic whose history centred on `center`, spread `spread` and ranged ±3 spreads, now at `value`. */
function measured(value: number, center: number, spread: number): Measured {
  return { value, center, score: (value - center) / spread, low: center - 3 * spread, high: center + 3 * spread };
}

/** A day of a distance column (std 500, quartiles 300, 550, 950; each wandering by 7%), every value times `factor`, plus `shift`. */
function day(factor: number, shift = 0, spreadFactor = factor): Map<string, Measured> {
  return new Map([
    ['std', measured(500 * spreadFactor, 500, 35)],
    ['q25', measured(300 * factor + shift, 300, 21)],
    ['q50', measured(550 * factor + shift, 550, 38)],
    ['q75', measured(950 * factor + shift, 950, 66)],
  ]);
}

describe('a column in other units: its spread and quartiles moved by one factor', () => {
  it('kilometres for miles (×1.609) and miles for kilometres: each statistic about 9 spreads, short of the 16 one asks alone', () => {
    const km = scaleChange(day(1.609));
    expect(km).not.toBeNull();
    expect(km!.factor).toBeCloseTo(1.609, 3);
    expect(km!.statistics.map((s) => s.statistic)).toEqual(['std', 'q25', 'q50', 'q75']);
    expect(km!.statistics[2]).toEqual({ statistic: 'q50', value: 550 * 1.609, expected: 550 });
    expect(scaleChange(day(1 / 1.609))?.factor).toBeCloseTo(1 / 1.609, 3);
  });

  it('a level shift (a heat wave: every value up by one amount) leaves the spread: no change of units', () => {
    expect(scaleChange(day(1, 300, 1))).toBeNull();
    // Beyond every earlier day for its quartiles, and the spread up a little by chance: the quartiles moved by far more.
    expect(scaleChange(day(1, 300, 1.3))).toBeNull();
  });

  it("a storm's long tail moves the spread far more than the quartiles: no one factor", () => {
    // Quartiles up by 40% (each near 6 spreads, beyond every earlier day), the spread four times its usual.
    expect(scaleChange(day(1.4, 0, 4))).toBeNull();
  });

  it('one of the four within its history, or short of 4 spreads, is no finding', () => {
    const m = day(1.609);
    m.set('q25', measured(330, 300, 21));
    expect(scaleChange(m)).toBeNull();
    // A factor of 1.1 on a column that wanders by 7%: about 1.4 spreads.
    expect(scaleChange(day(1.1))).toBeNull();
  });

  it('one missing, or a statistic at or below zero (no factor to speak of), is no finding', () => {
    const m = day(1.609);
    m.delete('std');
    expect(scaleChange(m)).toBeNull();
    const negative = day(1.609);
    negative.set('q25', measured(-20, -12, 1));
    expect(scaleChange(negative)).toBeNull();
  });
});
