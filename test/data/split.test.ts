import { hashSplit, hashString, timeSplit } from '../../src/data/split.js';
import type { Partition } from '../../src/data/partitions.js';
import { type Column, type Table, takeRows, valueAt } from '../../src/data/table.js';
import { expectUserError } from '../helpers.js';

const partitions: Partition[] = ['2001-01-01', '2001-01-02', '2001-01-03', '2001-01-05', '2001-01-08', '2001-01-09']
  .map((date) => ({ date, file: `data/x/${date}.csv` }));

describe('timeSplit', () => {
  test('evaluation is the newest N calendar days, training everything before', () => {
    const split = timeSplit(partitions, 2);
    expect(split.evaluation.map((p) => p.date)).toEqual(['2001-01-08', '2001-01-09']);
    expect(split.train.map((p) => p.date)).toEqual(['2001-01-01', '2001-01-02', '2001-01-03', '2001-01-05']);
    // Gaps count as days: the newest 4 days (01-06..01-09) hold two partitions.
    expect(timeSplit(partitions, 4).evaluation.map((p) => p.date)).toEqual(['2001-01-08', '2001-01-09']);
    expect(timeSplit(partitions, 5).evaluation.map((p) => p.date)).toEqual(['2001-01-05', '2001-01-08', '2001-01-09']);
  });

  test('no training days left, or a bad day count, is a UserError', () => {
    expectUserError(() => timeSplit(partitions, 9), /the newest 9 days take the whole window \(2001-01-01\.\.2001-01-09\); no days are left to train on/);
    expectUserError(() => timeSplit(partitions, 1.5), /split\.evaluationDays: expected a whole number of days/);
  });
});

/** A table with a string key, a numeric key and a row number, `n` rows. */
function table(n: number, order: (i: number) => number = (i) => i): Table {
  const dictionary = Array.from({ length: 500 }, (_, k) => `customer-${k}`);
  const codes = new Int32Array(n);
  const amount = new Float64Array(n);
  const id = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const i = order(r);
    codes[r] = i % 500;
    amount[r] = Math.floor(i / 500);
    id[r] = i;
  }
  const columns: Column[] = [
    { type: 'string', name: 'customer', codes, dictionary, nulls: null },
    { type: 'number', name: 'week', values: amount, nulls: null },
    { type: 'number', name: 'id', values: id, nulls: null },
  ];
  return { rowCount: n, columns, sources: [{ file: 't.csv', start: 0, rows: n }] };
}

describe('hashSplit', () => {
  test('is deterministic, covers every row once and changes with the seed', () => {
    const t = table(10_000);
    const a = hashSplit(t, { fraction: 0.2, seed: 42 });
    const b = hashSplit(t, { fraction: 0.2, seed: 42 });
    const c = hashSplit(t, { fraction: 0.2, seed: 43 });
    expect(a.evaluation).toEqual(b.evaluation);
    expect(a.train).toEqual(b.train);
    expect(a.train.length + a.evaluation.length).toBe(10_000);
    expect(new Set([...a.train, ...a.evaluation]).size).toBe(10_000);
    expect(a.evaluation).not.toEqual(c.evaluation);
    expect([...a.evaluation].every((v, i, all) => i === 0 || all[i - 1]! < v)).toBe(true);
  });

  test('the evaluation share is within 1% of the fraction on a large table', () => {
    const t = table(200_000);
    for (const fraction of [0.1, 0.2, 0.5]) {
      for (const options of [{ fraction, seed: 7 }, { fraction, seed: 7, key: ['customer', 'week'] }]) {
        const share = hashSplit(t, options).evaluation.length / t.rowCount;
        expect(Math.abs(share - fraction)).toBeLessThan(0.01);
      }
    }
  });

  test('with key columns a row lands on the same side whatever the row order and dictionary order', () => {
    const n = 20_000;
    const forward = table(n);
    // Reversed rows, and a dictionary in another order (codes differ, strings do not).
    const reversed = table(n, (r) => n - 1 - r);
    const customer = reversed.columns[0]!;
    if (customer.type !== 'string') throw new Error('expected string');
    const dictionary = [...customer.dictionary].reverse();
    const codes = customer.codes.map((c) => customer.dictionary.length - 1 - c);
    const shuffled: Table = { ...reversed, columns: [{ ...customer, codes, dictionary }, ...reversed.columns.slice(1)] };

    const options = { fraction: 0.3, seed: 1, key: ['customer', 'week'] };
    const ids = (t: Table, rows: Int32Array): number[] => {
      const picked = takeRows(t, rows);
      return Array.from({ length: picked.rowCount }, (_, i) => valueAt(picked.columns[2]!, i) as number).sort((x, y) => x - y);
    };
    expect(ids(shuffled, hashSplit(shuffled, options).evaluation)).toEqual(ids(forward, hashSplit(forward, options).evaluation));
    // Without a key the row index decides, so order matters.
    const plainOptions = { fraction: 0.3, seed: 1 };
    expect(ids(shuffled, hashSplit(shuffled, plainOptions).evaluation)).not.toEqual(ids(forward, hashSplit(forward, plainOptions).evaluation));
  });

  test('rows sharing a key value stay together', () => {
    const t = table(10_000);
    const split = hashSplit(t, { fraction: 0.25, seed: 3, key: ['customer'] });
    const customer = t.columns[0]!;
    const evaluationCustomers = new Set(Array.from(split.evaluation, (r) => valueAt(customer, r)));
    for (const r of split.train) expect(evaluationCustomers.has(valueAt(customer, r))).toBe(false);
  });

  test('bad fraction or unknown key column are UserErrors', () => {
    const t = table(10);
    expectUserError(() => hashSplit(t, { fraction: 1, seed: 1 }), /split\.evaluationFraction: expected a number between 0 and 1, got 1/);
    expectUserError(() => hashSplit(t, { fraction: 0.2, seed: 1, key: ['nope'] }), 'split.key: no column "nope" in the data');
  });

  test('hashString is murmur3-like: stable and spread', () => {
    expect(hashString('LAS')).toBe(hashString('LAS'));
    expect(hashString('LAS')).not.toBe(hashString('LAX'));
    const buckets = new Uint32Array(16);
    for (let i = 0; i < 16_000; i++) buckets[(hashString(`k${i}`) >>> 0) % 16]!++;
    for (const b of buckets) expect(Math.abs(b - 1000)).toBeLessThan(150);
  });
});
