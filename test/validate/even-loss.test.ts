/**
 * Rows lost alike in every group (src/validate/even-loss.ts, judged in history.ts): a part
 * file or shard missing takes the same share of every store's rows; a storm, a closed store,
 * a holiday leave some stores whole. Days like a chain of twelve stores: the store mix steady,
 * the volume wandering a few percent.
 */
import { evenAcross, groupsKept } from '../../src/validate/even-loss.js';
import { compareWithHistory, weekdayOf } from '../../src/validate/history.js';
import { findingMessage } from '../../src/validate/history-words.js';
import type { PartitionProfile } from '../../src/validate/profile.js';
import { dateOf, day, options } from './history-days.js';

/** Twelve stores' usual shares: from 18% down to 4%. */
const STORES = Array.from({ length: 12 }, (_, k) => [`store-${k + 1}`, 0.18 - k * 0.0127] as const);
const TOTAL = STORES.reduce((sum, [, s]) => sum + s, 0);

/** Day `i`: about 16,500 rows (wandering by `wander`), each store's share of them as usual, or `rowsOf` its rows. */
function storeDay(i: number, rowsOf: (store: string, usual: number) => number = (_, usual) => usual, wander = 0.01): PartitionProfile {
  const usualRows = Math.round(16_500 * (1 + Math.sin(i * 1.7) * wander));
  const counts = STORES.map(([store, share]) => [store, rowsOf(store, (share / TOTAL) * usualRows)] as const);
  const rows = Math.round(counts.reduce((sum, [, n]) => sum + n, 0));
  const p = day(i, { rows });
  p.categories.store = { shares: Object.fromEntries(counts.map(([store, n]) => [store, n / rows])), complete: true };
  // The label's mix is left out: rows dropped by their label are another incident.
  p.categories['ct:label'] = { shares: { '0': 0.8, '1': 0.2 }, complete: true };
  return p;
}

const HISTORY = Array.from({ length: 56 }, (_, i) => storeDay(i));
const NEWEST = 56;
const SAME_WEEKDAY = HISTORY.filter((p) => weekdayOf(p.date) === weekdayOf(dateOf(NEWEST))).slice(-4);

describe('groupsKept', () => {
  test('an eighth of every store missing: the stores that kept the most hold 7/8 of their usual', () => {
    const kept = groupsKept(
      storeDay(NEWEST, (_, usual) => usual * 0.875),
      SAME_WEEKDAY,
      new Set(['ct:label']),
    );
    expect(kept).toEqual([{ column: 'store', groups: 12, kept: expect.closeTo(0.875, 2), least: expect.closeTo(0.875, 2) }]);
    expect(evenAcross(kept, 0.125)?.column).toBe('store');
  });

  test('three stores shut by a storm: the others hold their usual', () => {
    const storm = storeDay(NEWEST, (store, usual) => (['store-1', 'store-2', 'store-5'].includes(store) ? usual * 0.3 : usual));
    const kept = groupsKept(storm, SAME_WEEKDAY, new Set(['ct:label']));
    expect(kept[0]!.kept).toBeCloseTo(1, 2);
    expect(evenAcross(kept, 1 - storm.rows / SAME_WEEKDAY[0]!.rows)).toBeNull();
  });

  test('a file cut after its first rows: the two smallest stores whole, the others gone, is no even loss though under a tenth of the rows kept all', () => {
    const cut = storeDay(NEWEST, (store, usual) => (['store-11', 'store-12'].includes(store) ? usual : 0));
    const kept = groupsKept(cut, SAME_WEEKDAY, new Set(['ct:label']));
    expect(kept[0]).toMatchObject({ kept: 0, least: 0 });
    expect(evenAcross(kept, 1 - cut.rows / SAME_WEEKDAY[0]!.rows)).toBeNull();
  });

  test('the label is left out, and so are groups too small to tell from chance and columns of few groups', () => {
    // Only the label would show a loss: nothing else is measured.
    const labelOnly = storeDay(NEWEST);
    delete (labelOnly.categories as Record<string, unknown>).store;
    expect(groupsKept(labelOnly, SAME_WEEKDAY, new Set(['ct:label', 'origin']))).toEqual([]);
    // A chain of twelve stores of about 100 rows each (a day of 1,200 rows): no store is measured.
    const small = (p: PartitionProfile): PartitionProfile => ({ ...p, rows: 1_200 });
    expect(groupsKept(small(storeDay(NEWEST)), SAME_WEEKDAY.map(small), new Set(['ct:label', 'origin']))).toEqual([]);
  });
});

describe('the row count short alike in every group', () => {
  test('an eighth of the rows missing from every store is an error a reviewer understands, far short of 16 spreads', () => {
    const newest = storeDay(NEWEST, (_, usual) => usual * 0.875);
    const rows = compareWithHistory(newest, HISTORY, options).find((f) => f.kind === 'partition_rows');
    expect(rows).toMatchObject({ metric: 'rows', kept: { column: 'store', groups: 12 } });
    expect(rows!.score).toBeGreaterThan(-16);
    expect(findingMessage(rows!, 'data/sales/x.csv', newest.date, 'returned')).toContain(
      'alike in every group: the values of column "store" hold 88% to 88% of their usual rows (10th to 90th percentile, by rows)',
    );
  });

  test('the same fall where two stores mostly shut, or shared by every store but small, or a trend a little below last week, is no error', () => {
    const judged = (p: PartitionProfile, h = HISTORY): boolean => compareWithHistory(p, h, options).some((f) => f.kind === 'partition_rows');
    // Two large stores mostly shut lose more rows than an eighth of every store does: a real fall, the others whole.
    const shut = (store: string, usual: number): number => (['store-1', 'store-2'].includes(store) ? usual * 0.44 : usual);
    expect(storeDay(NEWEST, shut).rows).toBeLessThan(storeDay(NEWEST, (_, usual) => usual * 0.88).rows);
    expect(judged(storeDay(NEWEST, shut))).toBe(false);
    // 3% missing from every store: within what volume does.
    expect(judged(storeDay(NEWEST, (_, usual) => usual * 0.97))).toBe(false);
    // Every store falling 4% a week: the newest day is the fewest of its weekday, but not by much.
    const falling = (i: number): PartitionProfile => storeDay(i, (_, usual) => usual * 0.96 ** (i / 7));
    expect(
      judged(
        falling(NEWEST),
        Array.from({ length: 56 }, (_, i) => falling(i)),
      ),
    ).toBe(false);
  });

  test('a holiday 28% short alike in every store: no error where volume wanders (robust z about -5), an error where it is steady', () => {
    const holiday = (_: string, usual: number): number => usual * 0.72;
    const wandering = Array.from({ length: 56 }, (_, i) => storeDay(i, undefined, 0.04));
    const fewest = Math.min(...wandering.filter((p) => weekdayOf(p.date) === weekdayOf(dateOf(NEWEST))).map((p) => p.rows));
    expect(storeDay(NEWEST, holiday, 0.04).rows).toBeLessThan(0.95 * fewest);
    expect(compareWithHistory(storeDay(NEWEST, holiday, 0.04), wandering, options).some((f) => f.kind === 'partition_rows')).toBe(false);
    expect(compareWithHistory(storeDay(NEWEST, holiday), HISTORY, options).some((f) => f.kind === 'partition_rows')).toBe(true);
  });
});
