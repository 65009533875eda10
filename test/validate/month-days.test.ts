/**
 * The days a month's volume recurs on, and the factor earlier months show: pure functions
 * the partition history judges a month's first and last days by.
 */
import { monthFactor, monthPosition } from '../../src/validate/month-days.js';

describe('monthPosition', () => {
  test('the first and last day of a month, leap years included; other days and bad dates are none', () => {
    expect(monthPosition('2026-03-01')).toBe('first');
    expect(monthPosition('2026-03-31')).toBe('last');
    expect(monthPosition('2026-02-28')).toBe('last');
    expect(monthPosition('2028-02-28')).toBeNull();
    expect(monthPosition('2028-02-29')).toBe('last');
    expect(monthPosition('2026-12-31')).toBe('last');
    expect(monthPosition('2026-03-15')).toBeNull();
    expect(monthPosition('not a date')).toBeNull();
  });
});

describe('monthFactor', () => {
  test('the median of what earlier days at the same position held over their weekday', () => {
    const earlier = [
      { date: '2026-01-31', ratio: 3.2 },
      { date: '2026-02-15', ratio: 9 },
      { date: '2026-02-28', ratio: 2.8 },
      { date: '2026-03-01', ratio: 0.5 },
    ];
    expect(monthFactor('2026-03-31', earlier)).toEqual({ position: 'last', factor: 3, low: 2.8, high: 3.2, months: 2 });
    // A quiet first of the month: one earlier example is enough.
    expect(monthFactor('2026-04-01', earlier)).toEqual({ position: 'first', factor: 0.5, low: 0.5, high: 0.5, months: 1 });
    // Days after the judged one do not count; a mid-month day has no factor.
    expect(monthFactor('2026-01-31', earlier)).toBeNull();
    expect(monthFactor('2026-03-15', earlier)).toBeNull();
  });

  test('no rhythm: earlier month-ends like other days, one busy and one not, or busy by factors far apart', () => {
    expect(monthFactor('2026-03-31', [{ date: '2026-02-28', ratio: 1.2 }])).toBeNull();
    expect(
      monthFactor('2026-03-31', [
        { date: '2026-01-31', ratio: 3 },
        { date: '2026-02-28', ratio: 1 },
      ]),
    ).toBeNull();
    expect(
      monthFactor('2026-03-31', [
        { date: '2026-01-31', ratio: 1.6 },
        { date: '2026-02-28', ratio: 4 },
      ]),
    ).toBeNull();
  });
});
