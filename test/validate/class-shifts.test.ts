/**
 * A multiclass label's classes against their own recent levels (class-shifts.ts): the pure
 * shifts, and the history judging them on a mix that trends, as a shop's channels do.
 */
import { CLASS_SHIFT, classOfShift, classShiftMetric, classShifts, type ClassShareDay } from '../../src/validate/class-shifts.js';
import { compareWithHistory, weekdayOf } from '../../src/validate/history.js';
import { findingMessage } from '../../src/validate/history-words.js';
import type { PartitionProfile } from '../../src/validate/profile.js';
import { mulberry32 } from '../../src/train/random.js';
import { dateOf, options } from './history-days.js';

const noAcceptance = (): string => '';

describe('class shifts', () => {
  const day = (i: number, shares: Record<string, number> | null): ClassShareDay => ({ date: dateOf(i), weekday: weekdayOf(dateOf(i)), shares });

  test("each class's share less the median of the same weekday's latest three weeks, once two of them exist", () => {
    const days = Array.from({ length: 29 }, (_, i) => day(i, { web: 0.6 - i * 0.001, app: 0.3 + i * 0.001, phone: 0.1 }));
    const shifts = classShifts(days, 'channel', noAcceptance);
    // Day 13 has one same weekday before it (day 6); day 14 two (0 and 7), whose median is their mean.
    expect(shifts[13]).toEqual({});
    expect(shifts[14]![classShiftMetric('channel', 'app')]).toBeCloseTo(0.314 - 0.3035, 12);
    // Day 28: days 21, 14 and 7 (the latest three), median day 14.
    expect(shifts[28]![classShiftMetric('channel', 'web')]).toBeCloseTo(-0.014, 12);
    expect(shifts[28]![classShiftMetric('channel', 'phone')]).toBeCloseTo(0, 12);
  });

  test('a label of two classes has its mean, and a rare class is not judged', () => {
    const two = Array.from({ length: 21 }, (_, i) => day(i, { 0: 0.8, 1: 0.2 }));
    expect(classShifts(two, 'ct:label', noAcceptance).every((s) => Object.keys(s).length === 0)).toBe(true);
    const rare = Array.from({ length: 21 }, (_, i) => day(i, { a: 0.5, b: 0.495, c: 0.005 }));
    expect(Object.keys(classShifts(rare, 'y', noAcceptance)[20]!).sort()).toEqual([classShiftMetric('y', 'a'), classShiftMetric('y', 'b')].sort());
  });

  test('a day without its full list of values has no shifts and is no reference', () => {
    const days = Array.from({ length: 22 }, (_, i) => day(i, i === 14 ? null : { a: 0.5, b: 0.3, c: 0.2 }));
    const shifts = classShifts(days, 'y', noAcceptance);
    expect(shifts[14]).toEqual({});
    // Day 21: its same weekdays 14 (unlisted), 7 and 0.
    expect(shifts[21]![classShiftMetric('y', 'a')]).toBeCloseTo(0, 12);
  });

  test('an accepted change is the new level: days before it are no reference', () => {
    const days = Array.from({ length: 36 }, (_, i) => day(i, i >= 21 ? { a: 0.3, b: 0.5, c: 0.2 } : { a: 0.5, b: 0.3, c: 0.2 }));
    const since = (metric: string): string => (metric.startsWith('y.') ? dateOf(21) : '');
    const shifts = classShifts(days, 'y', since);
    // Day 28 has only day 21 on or after the acceptance: too few. Day 35 has 28 and 21: the new level.
    expect(shifts[28]).toEqual({});
    expect(shifts[35]![classShiftMetric('y', 'a')]).toBeCloseTo(0, 12);
    expect(classShifts(days, 'y', noAcceptance)[28]![classShiftMetric('y', 'a')]).toBeCloseTo(-0.2, 12);
  });

  test('a class holding a dot or a percent sign comes back whole from its metric', () => {
    const metric = classShiftMetric('grade', 'A.1 50%');
    expect(metric.lastIndexOf('.')).toBe('grade'.length);
    expect(classOfShift(metric.slice('grade.'.length))).toBe('A.1 50%');
    expect(classOfShift('topShare')).toBeNull();
    expect(CLASS_SHIFT).toBe('classShift:');
  });
});

describe('a multiclass label whose classes trend', () => {
  // A shop's orders by channel over eight weeks: app rises by a point a week, more on weekends; 8,000 orders a day.
  const rows = 8_000;
  const random = mulberry32(7);
  const profile = (i: number, relabel = 0): PartitionProfile => {
    const weekend = [0, 6].includes(new Date(Date.UTC(2001, 0, 1) + i * 86_400_000).getUTCDay());
    const app = 0.3 + i * 0.0015 + (weekend ? 0.08 : 0);
    const counts = { web: 0, app: 0, phone: 0 };
    for (let r = 0; r < rows; r++) {
      const u = random();
      const channel = u < app ? 'app' : u < app + 0.05 ? 'phone' : 'web';
      // A share of the app orders written as web (a mapping upstream lost the app's code on part of the day).
      counts[channel === 'app' && random() < relabel ? 'web' : channel]++;
    }
    const shares = { web: counts.web / rows, app: counts.app / rows, phone: counts.phone / rows };
    return {
      date: dateOf(i),
      rows,
      metrics: { rows, 'channel.topShare': Math.max(...Object.values(shares)) },
      categories: { channel: { shares, complete: true } },
    };
  };
  const days = Array.from({ length: 56 }, (_, i) => profile(i));
  const multiclass = { ...options, labelColumn: 'channel' };

  test('the clean days that follow the trend raise nothing', () => {
    for (const i of [56, 57, 58, 59]) expect(compareWithHistory(profile(i), days, multiclass)).toEqual([]);
  });

  test("a third of a day's app orders written as web moves both classes beyond their recent levels", () => {
    const relabelled = profile(56, 1 / 3);
    const findings = compareWithHistory(relabelled, days, multiclass);
    expect(findings.map((f) => [f.kind, f.metric])).toEqual(
      expect.arrayContaining([
        ['label_rate', classShiftMetric('channel', 'app')],
        ['label_rate', classShiftMetric('channel', 'web')],
      ]),
    );
    const app = findings.find((f) => f.metric === classShiftMetric('channel', 'app'))!;
    expect(findingMessage(app, 'exports/2001-02-26.csv', dateOf(56), 'channel')).toMatch(
      /share of class "app" less its median on the same weekday of the 3 weeks before is -0\.1\d+, expected about 0\.0\d+;.*ct validate --accept 2001-02-26/,
    );
  });
});
