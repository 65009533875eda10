/**
 * Days whose clocks changed: a day of local readings without its 2 o'clock (or with two) is
 * an ordinary day, and the same hour gone on any other day is still an incident.
 */
import { changedHours, clockColumns } from '../../src/validate/clock-change.js';
import { compareWithHistory, type HistoryFinding } from '../../src/validate/history.js';
import { findingMessage } from '../../src/validate/history-words.js';
import type { PartitionProfile } from '../../src/validate/profile.js';
import { clockChanges } from '../../src/time.js';
import type { FeatureConfig } from '../../src/config/types.js';
import { dateOf, day, history, options } from './history-days.js';

describe('clockChanges', () => {
  test('the hours a zone skipped or repeated on its change days, and none on other days', () => {
    expect(clockChanges('2026-03-08', 'America/New_York')).toEqual([{ hour: 2, kind: 'skipped' }]);
    expect(clockChanges('2026-11-01', 'America/New_York')).toEqual([{ hour: 1, kind: 'repeated' }]);
    expect(clockChanges('2026-03-29', 'Europe/Berlin')).toEqual([{ hour: 2, kind: 'skipped' }]);
    expect(clockChanges('2026-10-25', 'Europe/London')).toEqual([{ hour: 1, kind: 'repeated' }]);
    // Lord Howe Island moves its clocks by half an hour: 02:00-02:30 never happens.
    expect(clockChanges('2026-10-04', 'Australia/Lord_Howe')).toEqual([{ hour: 2, kind: 'skipped' }]);
    expect(clockChanges('2026-03-09', 'America/New_York')).toEqual([]);
    expect(clockChanges('2026-07-01', 'America/New_York')).toEqual([]);
    expect(clockChanges('2026-03-08', 'UTC')).toEqual([]);
  });

  test('without a zone, any zone whose clocks changed that day counts', () => {
    expect(clockChanges('2026-03-08')).toContainEqual({ hour: 2, kind: 'skipped' });
    expect(clockChanges('2026-03-29')).toEqual(
      expect.arrayContaining([
        { hour: 1, kind: 'skipped' },
        { hour: 2, kind: 'skipped' },
      ]),
    );
    expect(clockChanges('2026-06-10')).toEqual([]);
  });
});

describe('clockColumns', () => {
  const features: FeatureConfig[] = [
    { name: 'origin', column: 'origin' },
    { name: 'hour', column: 'date', transform: 'hourOfDay' },
    { name: 'weekday', column: 'date', transform: 'dayOfWeek' },
    { name: 'origin_hour', transform: 'cross', cross: ['origin', 'hour'], hashBuckets: 64 },
    { name: 'origin_hour_weekday', transform: 'cross', cross: ['origin_hour', 'weekday'], hashBuckets: 64 },
    { name: 'origin_weekday', transform: 'cross', cross: ['origin', 'weekday'], hashBuckets: 64 },
  ] as FeatureConfig[];

  test('the hour-of-day inputs and every cross built on one, directly or through a cross', () => {
    expect(clockColumns(features, 'America/Chicago')).toEqual({
      hours: ['input:hour'],
      crossed: ['input:origin_hour', 'input:origin_hour_weekday'],
      timeZone: 'America/Chicago',
    });
    expect(
      clockColumns(
        features.filter((f) => f.name === 'origin'),
        undefined,
      ),
    ).toBeUndefined();
  });
});

/** Readings of every hour, more by day than by night. */
const USUAL = Array.from({ length: 24 }, (_, h) => 1 + Math.sin((Math.PI * h) / 24));

/** Shares per hour of a day whose hours hold `weights` (an hour left out: 0; repeated: twice its weight). */
function hourShares(weights: readonly number[]): Record<string, number> {
  const total = weights.reduce((a, b) => a + b, 0);
  return Object.fromEntries(weights.map((w, h) => [String(h), w / total]));
}

/** A flights-like day with an hour-of-day input, and a cross of it whose keys hide the hour. */
function hourly(i: number, weights: readonly number[] = USUAL): PartitionProfile {
  const p = day(i);
  const shares = hourShares(weights);
  p.categories['input:hour'] = { shares, complete: true };
  p.categories['input:origin_hour'] = {
    shares: Object.fromEntries(Object.entries(shares).flatMap(([h, s]) => ['a', 'b'].map((o) => [`${o}${(Number(h) * 7) % 24}`, s / 2]))),
    complete: true,
  };
  return p;
}

const withHour = (hour: number, change: 'skipped' | 'repeated'): number[] => USUAL.map((w, h) => (h !== hour ? w : change === 'skipped' ? 0 : 2 * w));
const clock = { hours: ['input:hour'], crossed: ['input:origin_hour'], timeZone: 'America/New_York' };

describe('compareWithHistory on a day whose clock changed', () => {
  // 2001-04-01 (day 90) and 2001-10-28 (day 300): New York's clocks went forward and back.
  const spring = 90;
  const fall = 300;
  const days = (end: number): PartitionProfile[] => history(end).map((p, i) => Object.assign(hourly(i), { metrics: p.metrics }));
  /** The findings on the model's inputs of day `i` holding `weights`, its history the ordinary days before it. */
  const inputFindings = (i: number, weights: readonly number[], withClock = true): string[] =>
    compareWithHistory(hourly(i, weights), days(i), { ...options, ...(withClock ? { clock } : {}) })
      .filter((f) => f.column?.startsWith('input:'))
      .map((f) => f.metric);

  test('the dates are the change days', () => {
    expect(dateOf(spring)).toBe('2001-04-01');
    expect(dateOf(fall)).toBe('2001-10-28');
  });

  test('its 2 o’clock gone (clocks forward) or doubled (clocks back) is no incident', () => {
    expect(inputFindings(spring, withHour(2, 'skipped'))).toEqual([]);
    expect(inputFindings(fall, withHour(1, 'repeated'))).toEqual([]);
    // Without the clock's columns known, the same days are outliers: what the adjustment removes.
    expect(inputFindings(spring, withHour(2, 'skipped'), false)).toEqual(expect.arrayContaining(['input:hour.divergence', 'input:hour.vanishedShare']));
    expect(inputFindings(fall, withHour(1, 'repeated'), false)).toContain('input:hour.divergence');
    // A cross with the hour hashes it away: on that day it is not compared.
    const crossKept = compareWithHistory(hourly(spring, withHour(2, 'skipped')), days(spring), { ...options, clock: { ...clock, crossed: [] } });
    expect(crossKept.map((f) => f.metric)).toContain('input:origin_hour.vanishedShare');
  });

  test('the same hour gone on another day, another hour gone, or more hours gone that day, is still an incident', () => {
    expect(inputFindings(spring + 3, withHour(2, 'skipped'))).toEqual(expect.arrayContaining(['input:hour.divergence', 'input:hour.vanishedShare']));
    expect(inputFindings(spring, withHour(14, 'skipped'))).toEqual(expect.arrayContaining(['input:hour.divergence', 'input:hour.vanishedShare']));
    const morningGone = USUAL.map((w, h) => (h >= 2 && h < 8 ? 0 : w));
    expect(inputFindings(spring, morningGone)).toEqual(expect.arrayContaining(['input:hour.divergence', 'input:hour.vanishedShare']));
  });
});

describe('an hour mix moved by one hour, as on the UTC clock after a change', () => {
  const ordinary = 93; // 2001-04-04: no clock changed
  const days = history(ordinary).map((p, i) => Object.assign(hourly(i), { metrics: p.metrics }));
  /** Each hour holding the usual share of the hour `by` before it. */
  const moved = (by: number): number[] => USUAL.map((_, h) => USUAL[(h - by + 24) % 24]!);
  const hourFinding = (weights: readonly number[]): HistoryFinding | undefined =>
    compareWithHistory(hourly(ordinary, weights), days, { ...options, clock }).find((f) => f.metric === 'input:hour.divergence');

  test('is named, with what to set; a mix moved further or changed otherwise is not', () => {
    const earlier = hourFinding(moved(-1));
    expect(earlier?.hoursMoved).toBe(-1);
    expect(findingMessage(earlier!, 'data/x.csv', dateOf(ordinary), 'delay > 15')).toMatch(
      /Every hour holds what the hour after it held on earlier days, as times on the UTC clock do after a daylight-saving change: if these are instants of a place whose clocks changed, set data\.timezone to its zone\. Fix the data/,
    );
    expect(hourFinding(moved(1))?.hoursMoved).toBe(1);
    const five = hourFinding(moved(5));
    expect(five).toBeDefined();
    expect(five!.hoursMoved).toBeUndefined();
    expect(findingMessage(five!, 'data/x.csv', dateOf(ordinary), 'delay > 15')).not.toMatch(/daylight/);
    expect(hourFinding(withHour(14, 'skipped'))?.hoursMoved).toBeUndefined();
  });
});

describe('changedHours', () => {
  const usual = (hour: string): number => hourShares(USUAL)[hour]!;

  test('names the changed hour only where the day shows it and the calendar has it', () => {
    expect(changedHours('2026-03-08', 24_000, hourShares(withHour(2, 'skipped')), usual, 'America/New_York')).toEqual(['2']);
    expect(changedHours('2026-03-08', 24_000, hourShares(USUAL), usual, 'America/New_York')).toEqual([]);
    expect(changedHours('2026-03-15', 24_000, hourShares(withHour(2, 'skipped')), usual, 'America/New_York')).toEqual([]);
    expect(changedHours('2026-11-01', 24_000, hourShares(withHour(1, 'repeated')), usual, 'America/New_York')).toEqual(['1']);
    // An hour of a handful of rows says nothing: empty by chance.
    expect(changedHours('2026-03-08', 200, hourShares(withHour(2, 'skipped')), usual, 'America/New_York')).toEqual([]);
  });
});
