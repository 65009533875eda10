/**
 * Pairs of one domain arriving the wrong way round on some rows (orientation.ts): days of
 * scheduled flights (schedule-days.ts), and the share of rows whose direction no earlier
 * day had at their hour. The whole path on real days runs in the incidents benchmark
 * (origin_destination_swapped).
 */
import { createOrientations, oppositeMetrics, oppositeRows, orientationMetrics, orientationPool, reversedRows } from '../../src/validate/orientation.js';
import { compareWithHistory } from '../../src/validate/history.js';
import { findingMessage } from '../../src/validate/history-words.js';
import { type PartitionProfile, profileOf } from '../../src/validate/profile.js';
import { computeStatistics } from '../../src/validate/statistics.js';
import { numberColumn, stringColumn, tableOf } from '../helpers.js';
import { dateOf, options } from './history-days.js';
import { flights } from './schedule-days.js';

/** Rows as a table: date, origin, destination, delay. */
function flightsTable(rows: ReturnType<typeof flights>) {
  return tableOf([
    numberColumn(
      'date',
      rows.map((r) => r.time),
      'timestamp',
    ),
    stringColumn(
      'origin',
      rows.map((r) => r.origin),
    ),
    stringColumn(
      'destination',
      rows.map((r) => r.destination),
    ),
    numberColumn(
      'delay',
      rows.map((r) => r.delay),
    ),
  ]);
}

function profileOfRows(i: number, rows: ReturnType<typeof flights>, timeColumn?: string): PartitionProfile {
  const orientations = createOrientations(timeColumn);
  // Two chunks, as a partition is read.
  const half = Math.floor(rows.length / 2);
  orientations.add(flightsTable(rows.slice(0, half)));
  orientations.add(flightsTable(rows.slice(half)));
  return profileOf(dateOf(i), computeStatistics(flightsTable(rows)), { duplicates: 0, orientations: orientations.result() });
}

/** Day `i` with `origin` and `destination` exchanged on every `every`-th row (from row `offset`). */
function swappedDay(i: number, every: number, offset = 0): { profile: PartitionProfile; swapped: number } {
  const rows = flights(i);
  let swapped = 0;
  rows.forEach((r, k) => {
    if (k % every !== offset) return;
    [r.origin, r.destination] = [r.destination, r.origin];
    swapped++;
  });
  return { profile: profileOfRows(i, rows), swapped };
}

const history = Array.from({ length: 21 }, (_, i) => profileOfRows(i, flights(i)));
const share = (profile: PartitionProfile): number | undefined =>
  orientationMetrics(profile.orientations, orientationPool(history), false)['destination+origin.reversedShare'] ??
  orientationMetrics(profile.orientations, orientationPool(history), false)['origin+destination.reversedShare'];

describe('pairs of one domain', () => {
  test('two columns whose values coincide are a pair, kept per partition with the hour of each row', () => {
    const pairs = Object.keys(history[0]!.orientations ?? {});
    expect(pairs).toEqual(['origin+destination']);
    expect(history[0]!.orientations!['origin+destination']!.rows).toBe(flights(0).length);
    expect(history[0]!.orientations!['origin+destination']!.columns).toEqual(['origin', 'destination']);
  });

  test('columns of different domains are no pair', () => {
    const rows = flights(0).map((r) => ({ ...r, destination: `city ${r.destination}` }));
    expect(profileOfRows(0, rows).orientations).toEqual({});
  });

  test('a small last chunk, whose few values the two columns do not share, does not decide it', () => {
    const orientations = createOrientations();
    const pair = (origins: string[], destinations: string[]) => tableOf([stringColumn('origin', origins), stringColumn('destination', destinations)]);
    const rows = flights(0);
    orientations.add(
      pair(
        rows.map((r) => r.origin),
        rows.map((r) => r.destination),
      ),
    );
    orientations.add(pair(['A0', 'A0'], ['A1', 'A1']));
    expect(orientations.result()['origin+destination']?.rows).toBe(rows.length + 2);
  });

  test('a profile survives its cache: the combinations are plain text', () => {
    const copy = JSON.parse(JSON.stringify(history[5])) as PartitionProfile;
    expect(share(copy)).toBe(share(history[5]!));
  });
});

describe('rows the wrong way round', () => {
  test('an ordinary day has none', () => {
    expect(share(profileOfRows(21, flights(21)))).toBe(0);
  });

  test('each exchanged row whose reverse flies at that hour every day, and itself never, counts', () => {
    const { profile, swapped } = swappedDay(21, 10);
    expect(share(profile)).toBeCloseTo(swapped / flights(21).length, 6);
  });

  test('without a time the pair is still measured, with one context for all rows', () => {
    const rows = flights(3);
    const profile = profileOfRows(3, rows, 'no such column');
    expect(profile.orientations!['origin+destination']!.rows).toBe(rows.length);
  });

  test('a tenth of the rows exchanged is an error finding beyond the history; a fiftieth too, where the history never had one', () => {
    for (const every of [10, 50]) {
      const { profile, swapped } = swappedDay(21, every, 3);
      const finding = compareWithHistory(profile, history, options).find((f) => f.metric === 'origin+destination.reversedShare');
      expect(finding).toBeDefined();
      expect(finding!.kind).toBe('partition_statistic');
      expect(finding!.value).toBeCloseTo(swapped / flights(21).length, 6);
      expect(finding!.high).toBe(0);
      expect(findingMessage(finding!, 'data/flights/2001-01-22.csv', dateOf(21), 'label')).toMatch(
        /direction of "origin" and "destination": share of rows whose pair of values, at its hour, no earlier day had the same way round/,
      );
    }
  });

  test('the rows counted are the rows exchanged, the first ones shown as examples', () => {
    const rows = flights(21);
    rows.forEach((r, k) => k % 10 === 3 && ([r.origin, r.destination] = [r.destination, r.origin]));
    const table = flightsTable(rows);
    expect(reversedRows(table, ['origin', 'destination'], history, { column: undefined, zone: undefined }, 5)).toEqual([3, 13, 23, 33, 43]);
    expect(reversedRows(table, ['origin', 'destination'], history, { column: undefined, zone: undefined }, 1_000).length).toBe(
      Math.ceil((rows.length - 3) / 10),
    );
    expect(reversedRows(table, ['origin', 'delay'], history, { column: undefined, zone: undefined }, 5)).toEqual([]);
  });

  test('history days are measured as the newest is (each left out of its own pool)', () => {
    const pool = orientationPool(history);
    for (const day of history) expect(orientationMetrics(day.orientations, pool, true)['origin+destination.reversedShare']).toBe(0);
  });

  test('days that sample the schedule: a combination recurs on a few days, and a day exchanged whole is still found', () => {
    // Each day an eighth of the flights (each flight every eighth day): a combination is on 2 or 3 of 21 days, its reverse on
    // fewer than half of them, so only half the days a combination usually recurs on can tell the usual direction.
    const sampled = (i: number, exchanged = false): PartitionProfile => {
      const rows = flights(i).filter((_, k) => (k + i) % 8 === 0);
      if (exchanged) for (const r of rows) [r.origin, r.destination] = [r.destination, r.origin];
      return profileOfRows(i, rows);
    };
    const days = Array.from({ length: 21 }, (_, i) => sampled(i));
    const pool = orientationPool(days);
    const measured = (p: PartitionProfile): number => orientationMetrics(p.orientations, pool, false)['origin+destination.reversedShare']!;
    expect(measured(sampled(21))).toBe(0);
    expect(measured(sampled(21, true))).toBeGreaterThan(0.9);
    for (const day of days) expect(orientationMetrics(day.orientations, pool, true)['origin+destination.reversedShare']).toBe(0);
    const finding = compareWithHistory(sampled(21, true), days, options).find((f) => f.metric === 'origin+destination.reversedShare');
    expect(finding?.kind).toBe('partition_statistic');
  });

  test('a pool of fewer than a week says nothing', () => {
    expect(orientationMetrics(history[10]!.orientations, orientationPool(history.slice(0, 5)), false)).toEqual({});
  });
});

describe('directions that moved opposite ways', () => {
  /** Day `i` of a shuttle: every route flies both ways at each of its hours, so no hour tells a direction. */
  const shuttle = (i: number): ReturnType<typeof flights> =>
    flights(i)
      .filter((r) => r.origin < r.destination)
      .flatMap((r) => [r, { ...r, origin: r.destination, destination: r.origin }]);
  const shuttleDays = Array.from({ length: 21 }, (_, i) => profileOfRows(i, shuttle(i)));
  const opposite = (profile: PartitionProfile, usual: readonly PartitionProfile[] = shuttleDays): number | undefined =>
    oppositeMetrics(profile.orientations, usual)['origin+destination.oppositeShare'];
  /** Shuttle day `i` with every `every`-th row exchanged (from row `offset`). */
  const exchanged = (i: number, every: number, offset = 0) => {
    const rows = shuttle(i);
    rows.forEach((r, k) => k % every === offset && ([r.origin, r.destination] = [r.destination, r.origin]));
    return rows;
  };

  test('an ordinary day, and a storm that cancels routes both ways, move no pair opposite ways', () => {
    expect(opposite(profileOfRows(21, shuttle(21)))).toBe(0);
    const storm = shuttle(21).filter((r) => !['A3', 'A7'].includes(r.origin) && !['A3', 'A7'].includes(r.destination));
    expect(opposite(profileOfRows(21, storm))).toBe(0);
    for (const day of shuttleDays)
      expect(
        opposite(
          day,
          shuttleDays.filter((d) => d !== day),
        ),
      ).toBe(0);
  });

  test('each exchanged row moves its pair one way up and the other down, though every hour flies both ways', () => {
    const rows = exchanged(21, 50, 7);
    const swapped = Math.ceil((rows.length - 7) / 50);
    const profile = profileOfRows(21, rows);
    expect(orientationMetrics(profile.orientations, orientationPool(shuttleDays), false)['origin+destination.reversedShare']).toBe(0);
    // Two rows of one pair exchanged both ways cancel: most of the exchanged rows count.
    expect(opposite(profile)! * rows.length).toBeGreaterThan(0.8 * swapped);
    expect(opposite(profile)! * rows.length).toBeLessThanOrEqual(swapped);
  });

  test('a fiftieth of the rows exchanged is an error finding, its examples the rows of the pairs that gained', () => {
    const rows = exchanged(21, 50, 7);
    const finding = compareWithHistory(profileOfRows(21, rows), shuttleDays, options).find((f) => f.metric === 'origin+destination.oppositeShare');
    expect(finding?.kind).toBe('partition_statistic');
    expect(finding!.high).toBe(0);
    expect(findingMessage(finding!, 'data/flights/2001-01-22.csv', dateOf(21), 'label')).toMatch(
      /direction of "origin" and "destination": share of rows by which a pair of values gained one way round and lost the other/,
    );
    const examples = oppositeRows(flightsTable(rows), ['origin', 'destination'], shuttleDays, 5);
    expect(examples).toHaveLength(5);
    // An exchanged row is like the pair's other rows that way round: the example is the first of them, of a pair exchanged.
    const gainedPairs = new Set(rows.filter((_, k) => k % 50 === 7).map((r) => `${r.origin}>${r.destination}`));
    for (const { row, rows: gained, usual, reverse, usualReverse } of examples) {
      expect(gainedPairs.has(`${rows[row]!.origin}>${rows[row]!.destination}`)).toBe(true);
      expect(gained).toBeGreaterThan(usual);
      expect(reverse).toBeLessThan(usualReverse);
    }
  });

  test('rows exchanged on a sixth of the days before leave the newest day measured against its usual rows', () => {
    // The usual rows are each pair's median: a few earlier days with rows exchanged do not move it.
    const noisy = shuttleDays.map((day, i) => (i % 6 === 0 ? profileOfRows(i, exchanged(i, 50, i % 50)) : day));
    expect(opposite(profileOfRows(21, shuttle(21)), noisy)).toBe(0);
  });

  test('fewer than three usual days say nothing', () => {
    expect(oppositeMetrics(shuttleDays[5]!.orientations, shuttleDays.slice(0, 2))).toEqual({});
  });
});
