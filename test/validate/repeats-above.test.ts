/**
 * Values filled from the row above (a forward fill of missing values): every value real, the
 * row above's. Days of departures in time order from 40 airports (delay-days.ts).
 */
import { describe, expect, test } from '@jest/globals';
import type { Table } from '../../src/data/table.js';
import { compareWithHistory } from '../../src/validate/history.js';
import { findingMessage } from '../../src/validate/history-words.js';
import { type PartitionProfile, profileOf } from '../../src/validate/profile.js';
import { createRepeatsAbove } from '../../src/validate/repeats-above.js';
import { computeStatistics } from '../../src/validate/statistics.js';
import { mulberry32 } from '../../src/train/random.js';
import { numberColumn, stringColumn, tableOf } from '../helpers.js';
import { delayDay } from './delay-days.js';
import { dateOf, options } from './history-days.js';

type Values = ReadonlyArray<number | string | null>;

/** The table of `columns` (numbers or text, by their first value). */
function table(columns: Record<string, Values>): Table {
  return tableOf(
    Object.entries(columns).map(([name, values]) =>
      values.some((v) => typeof v === 'string') ? stringColumn(name, values as (string | null)[]) : numberColumn(name, values as (number | null)[]),
    ),
  );
}

function measured(columns: Record<string, Values>): Record<string, number> {
  const repeats = createRepeatsAbove(new Set(Object.keys(columns)));
  repeats.add(table(columns));
  return repeats.result();
}

/** `values` with each `every`-th value, from the first, written as the one before it (chained: a run of fills copies one value down). */
function filledFromAbove<T>(values: readonly T[], every: number): T[] {
  const out = values.slice();
  for (let k = 1; k < out.length; k += every) out[k] = out[k - 1]!;
  return out;
}

describe('values repeating the row above (repeatAboveShare)', () => {
  test('rows in time order repeat the row above as often as the row two above; 5% filled from above reads about 5%', () => {
    const { delays, origins } = delayDay(1);
    const clean = measured({ delay: delays, origin: origins });
    expect(Math.abs(clean['delay.repeatAboveShare']!)).toBeLessThan(0.01);
    expect(Math.abs(clean['origin.repeatAboveShare']!)).toBeLessThan(0.01);
    const filled = measured({ delay: filledFromAbove(delays, 20), origin: filledFromAbove(origins, 20) });
    expect(filled['delay.repeatAboveShare']! - clean['delay.repeatAboveShare']!).toBeGreaterThan(0.04);
    expect(filled['origin.repeatAboveShare']! - clean['origin.repeatAboveShare']!).toBeGreaterThan(0.04);
  });

  test('rows sorted by airport (similar delays together) repeat both rows alike: a sort is not a fill; the airport itself is not measured', () => {
    const { delays, origins } = delayDay(2);
    const order = origins.map((_, i) => i).sort((a, b) => (origins[a]! < origins[b]! ? -1 : origins[a]! > origins[b]! ? 1 : a - b));
    const sorted = { delay: order.map((i) => delays[i]!), origin: order.map((i) => origins[i]!) };
    const m = measured(sorted);
    expect(Math.abs(m['delay.repeatAboveShare']!)).toBeLessThan(0.01);
    expect(m['origin.repeatAboveShare']).toBeUndefined();
    expect(measured({ delay: filledFromAbove(sorted.delay, 20) })['delay.repeatAboveShare']! - m['delay.repeatAboveShare']!).toBeGreaterThan(0.04);
  });

  test('a column whose equal values stand together (sorted by it, or by a key that fixes it) is not measured; a fill of most rows is', () => {
    const { delays } = delayDay(3);
    expect(measured({ delay: delays.slice().sort((a, b) => a - b) })['delay.repeatAboveShare']).toBeUndefined();
    // 3,000 routes, each with its distance (some shared by several routes), flown at random; the file sorted by route.
    const rand = mulberry32(17);
    const routeDistance = Array.from({ length: 3_000 }, () => 100 + Math.floor(rand() * 1_000) * 3);
    const routes = Array.from({ length: 16_000 }, () => Math.floor(rand() * routeDistance.length));
    expect(Math.abs(measured({ distance: routes.map((r) => routeDistance[r]!) })['distance.repeatAboveShare']!)).toBeLessThan(0.005);
    const byRoute = routes
      .slice()
      .sort((a, b) => a - b)
      .map((r) => routeDistance[r]!);
    expect(measured({ distance: byRoute })['distance.repeatAboveShare']).toBeUndefined();
    // Three rows in five filled from above, in time order: runs two and a half times as long as chance's, still measured
    // (a run of fills repeats the row two above too: 0.6 - 0.6², far beyond any day's).
    const filled = delays.slice();
    for (let k = 1; k < filled.length; k++) if (rand() < 0.6) filled[k] = filled[k - 1]!;
    expect(measured({ delay: filled })['delay.repeatAboveShare']).toBeGreaterThan(0.2);
  });

  test('missing values are no repeats; the same rows filled from the row above are', () => {
    const { delays, origins } = delayDay(4);
    const lost = <T>(values: readonly T[]): Array<T | null> => values.map((v, k) => (k % 20 === 1 ? null : v));
    const withNulls = measured({ delay: lost(delays), origin: lost(origins) });
    const filled = measured({ delay: filledFromAbove(lost(delays), 20), origin: filledFromAbove(lost(origins), 20) });
    for (const column of ['delay', 'origin']) {
      expect(Math.abs(withNulls[`${column}.repeatAboveShare`]!)).toBeLessThan(0.01);
      expect(filled[`${column}.repeatAboveShare`]! - withNulls[`${column}.repeatAboveShare`]!).toBeGreaterThan(0.04);
    }
  });

  test('the rows above are carried from one chunk to the next, for numbers and text', () => {
    const { delays, origins } = delayDay(5);
    const columns = { delay: filledFromAbove(delays, 20), origin: filledFromAbove(origins, 20) };
    const repeats = createRepeatsAbove(new Set(['delay', 'origin']));
    for (let start = 0; start < delays.length; start += 1_001) {
      repeats.add(table({ delay: columns.delay.slice(start, start + 1_001), origin: columns.origin.slice(start, start + 1_001) }));
    }
    const whole = measured(columns);
    expect(repeats.result()['delay.repeatAboveShare']).toBeCloseTo(whole['delay.repeatAboveShare']!, 12);
    expect(repeats.result()['origin.repeatAboveShare']).toBeCloseTo(whole['origin.repeatAboveShare']!, 12);
  });

  test('only the columns named are measured', () => {
    const { delays, origins } = delayDay(6);
    const repeats = createRepeatsAbove(new Set(['origin']));
    repeats.add(table({ delay: delays, origin: origins }));
    expect(Object.keys(repeats.result())).toEqual(['origin.repeatAboveShare']);
  });
});

describe('against the history', () => {
  const profile = (i: number, columns: Record<string, Values>): PartitionProfile =>
    profileOf(dateOf(i), computeStatistics(table(columns)), { duplicates: 0, repeatsAbove: measured(columns) });
  const dayOf = (i: number): { delay: number[]; origin: string[] } => {
    const { delays, origins } = delayDay(100 + i, { date: dateOf(i) });
    return { delay: delays, origin: origins };
  };
  const history = Array.from({ length: 28 }, (_, i) => profile(i, dayOf(i)));

  test('clean days raise nothing', () => {
    for (const i of [28, 29, 30]) {
      expect(compareWithHistory(profile(i, dayOf(i)), history, options).filter((f) => f.metric.endsWith('.repeatAboveShare'))).toEqual([]);
    }
  });

  test('a tenth of the delays or of the airports filled from the row above is an error finding that says what it saw', () => {
    const { delay, origin } = dayOf(28);
    const filled: Array<[string, PartitionProfile]> = [
      ['delay', profile(28, { delay: filledFromAbove(delay, 10), origin })],
      ['origin', profile(28, { delay, origin: filledFromAbove(origin, 10) })],
    ];
    for (const [column, newest] of filled) {
      const finding = compareWithHistory(newest, history, options).find((f) => f.metric === `${column}.repeatAboveShare`);
      expect(finding).toMatchObject({ kind: 'partition_statistic', column });
      expect(findingMessage(finding!, 'data/x/2001-01-29.csv', dateOf(28), 'label')).toMatch(
        new RegExp(
          `column "${column}": share of values equal to the row above, beyond those equal to the row two above \\(missing values filled from the row above\\?\\)`,
        ),
      );
    }
  });
});
