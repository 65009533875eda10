/**
 * Times written on a 12-hour clock without AM or PM: a share of the afternoon folded back
 * into the small hours is found as that share, on its own and against a day's history; an
 * early closing, a surge in a small hour or a clock change is not a fold.
 */
import { compareWithHistory } from '../../src/validate/history.js';
import { findingMessage } from '../../src/validate/history-words.js';
import type { PartitionProfile } from '../../src/validate/profile.js';
import { foldedShare, quietFoldedHours } from '../../src/validate/twelve-hour.js';
import { dateOf, day, history, options } from './history-days.js';

/** Departures per hour of a real Thursday of flights (2001-03-01): the small hours nearly empty. */
const FLIGHTS = [55, 38, 8, 2, 1, 232, 1139, 1140, 1070, 1034, 937, 1032, 1003, 1086, 918, 1060, 971, 1096, 1034, 1012, 872, 655, 455, 155];

/** Each hour's share of `counts`. */
function sharesOf(counts: readonly number[]): Record<string, number> {
  const total = counts.reduce((a, b) => a + b, 0);
  return Object.fromEntries(counts.map((c, h) => [String(h), c / total]));
}

/** `counts` with `share` of each hour from 13 to 23 (and 0) written 12 hours early, as a 12-hour clock writes them. */
function folded(counts: readonly number[], share: number): number[] {
  const out = [...counts];
  for (const h of [0, ...Array.from({ length: 11 }, (_, i) => i + 13)]) {
    const moved = Math.round(counts[h]! * share);
    out[h]! -= moved;
    out[h === 0 ? 12 : h - 12]! += moved;
  }
  return out;
}

const usualShares = sharesOf(FLIGHTS);
const usual = (hour: number): number => usualShares[String(hour)]!;
const rows = FLIGHTS.reduce((a, b) => a + b, 0);

describe('foldedShare', () => {
  test('the share of the afternoon written 12 hours early', () => {
    expect(foldedShare(sharesOf(FLIGHTS), usual, rows)).toBe(0);
    expect(foldedShare(sharesOf(folded(FLIGHTS, 0.1)), usual, rows)).toBeCloseTo(0.1, 2);
    expect(foldedShare(sharesOf(folded(FLIGHTS, 0.03)), usual, rows)).toBeCloseTo(0.03, 2);
    expect(foldedShare(sharesOf(folded(FLIGHTS, 1)), usual, rows)).toBeGreaterThan(0.5);
  });

  test('an early closing, a surge in one or two small hours, or the small hours emptied is no fold', () => {
    const evening = FLIGHTS.map((c, h) => (h >= 14 ? Math.round(c / 2) : c));
    expect(foldedShare(sharesOf(evening), usual, rows)).toBe(0);
    const nightSale = FLIGHTS.map((c, h) => (h === 2 ? c + 300 : c));
    expect(foldedShare(sharesOf(nightSale), usual, rows)).toBe(0);
    const twoHours = FLIGHTS.map((c, h) => (h === 1 || h === 2 ? c + 300 : c));
    expect(foldedShare(sharesOf(twoHours), usual, rows)).toBe(0);
    const emptied = FLIGHTS.map((c, h) => (h < 5 ? 0 : c));
    expect(foldedShare(sharesOf(emptied), usual, rows)).toBe(0);
    // Rows moved the other way (mornings written 12 hours late) are not a 12-hour clock's fold.
    const later = FLIGHTS.map((c, h) => (h >= 5 && h < 12 ? Math.round(c * 0.9) : h >= 17 ? c + Math.round(FLIGHTS[h - 12]! * 0.1) : c));
    expect(foldedShare(sharesOf(later), usual, rows)).toBe(0);
  });

  test('what fits the fold only a little better is not taken for it', () => {
    // A few more rows than usual in two small hours: the mix fits a fold 1.5 times closer than as it is (share 0.004).
    const noisy = FLIGHTS.map((c, h) => (h === 1 ? c + 25 : h === 3 ? c + 10 : c));
    expect(foldedShare(sharesOf(noisy), usual, rows)).toBe(0);
  });

  test("a clock change's hour is not counted", () => {
    const skipped = FLIGHTS.map((c, h) => (h === 2 ? 0 : c));
    const repeated = FLIGHTS.map((c, h) => (h === 1 ? 2 * c : c));
    expect(foldedShare(sharesOf(repeated), usual, rows, ['1'])).toBe(0);
    expect(foldedShare(sharesOf(skipped), usual, rows, ['2'])).toBe(0);
    expect(foldedShare(sharesOf(folded(FLIGHTS, 0.1)), usual, rows, ['2'])).toBeCloseTo(0.1, 2);
  });

  test('a mix without quiet small hours is not judged: there a fold is an evening outage', () => {
    const flat = Array.from({ length: 24 }, () => 1000);
    const flatShares = sharesOf(flat);
    const evening = flat.map((c, h) => (h >= 13 ? 800 : c));
    expect(foldedShare(sharesOf(evening), (h) => flatShares[String(h)]!, 24_000)).toBe(0);
    expect(foldedShare(sharesOf(folded(flat, 0.2)), (h) => flatShares[String(h)]!, 24_000)).toBe(0);
  });

  test('a mix without an afternoon has nothing to fold', () => {
    const morning = FLIGHTS.map((c, h) => (h < 12 ? c : 0));
    const mornings = sharesOf(morning);
    expect(foldedShare(mornings, (h) => mornings[String(h)]!, rows)).toBe(0);
  });
});

describe('quietFoldedHours', () => {
  test('the small hours a fold fills: those under a quarter of the hour 12 after them', () => {
    expect(quietFoldedHours(usual)).toEqual([1, 2, 3, 4, 5]);
    expect(quietFoldedHours(() => 1 / 24)).toEqual([]);
  });
});

describe('compareWithHistory on a day partly written on a 12-hour clock', () => {
  const clock = { hours: ['input:hour'], crossed: [] };
  /** Day `i` with flights' hour mix, a little different every day. */
  const hourly = (i: number, counts: readonly number[] = FLIGHTS): PartitionProfile => {
    const p = day(i);
    p.categories['input:hour'] = { shares: sharesOf(counts.map((c, h) => Math.round(c * (1 + 0.05 * Math.sin(i * 3.1 + h))))), complete: true };
    return p;
  };
  const newest = 93;
  const days = history(newest).map((p, i) => Object.assign(hourly(i), { metrics: p.metrics }));
  const foldFinding = (counts: readonly number[]) =>
    compareWithHistory(hourly(newest, counts), days, { ...options, clock }).find((f) => f.metric === 'input:hour.foldedShare');

  test('a tenth of the afternoon folded back is an outlier that says what it is', () => {
    const finding = foldFinding(folded(FLIGHTS, 0.1));
    expect(finding).toBeDefined();
    expect(finding!.value).toBeCloseTo(0.1, 1);
    expect(findingMessage(finding!, 'data/flights/2001-04-04.csv', dateOf(newest), 'delay > 15')).toMatch(
      /model input "hour": share of the afternoon's and evening's rows whose hour reads 12 hours early, the small hours holding them \(times written on a 12-hour clock without AM or PM: 13:05 as 01:05\?\) is 0\.1\d*, expected about 0/,
    );
  });

  test('an ordinary day, an early closing or a night sale is not', () => {
    expect(foldFinding(FLIGHTS)).toBeUndefined();
    expect(foldFinding(FLIGHTS.map((c, h) => (h >= 14 ? Math.round(c / 2) : c)))).toBeUndefined();
    expect(foldFinding(FLIGHTS.map((c, h) => (h === 2 ? c + 300 : c)))).toBeUndefined();
    // Without an hour-of-day input, nothing is folded.
    expect(compareWithHistory(hourly(newest, folded(FLIGHTS, 0.1)), days, options).some((f) => f.metric.endsWith('.foldedShare'))).toBe(false);
  });
});
