import { readTable, readTables } from '../../src/data/read.js';
import { listPartitions } from '../../src/data/partitions.js';
import type { Column, Table } from '../../src/data/table.js';
import {
  columnStatistics,
  computeStatistics,
  createStatistics,
  type DatasetStatistics,
  FREQUENCY_LIMIT,
  mergeStatistics,
  nullFraction,
  parseStatistics,
  quantile,
  trimmedMoments,
  valueCount,
} from '../../src/validate/statistics.js';
import { mulberry32 } from '../../src/train/random.js';
import { createSketch } from '../../src/validate/sketch.js';
import { expectUserError, numberColumn, stringColumn as strings } from '../helpers.js';

function tableOf(columns: Column[]): Table {
  const rows =
    columns.length === 0
      ? 0
      : columns[0]!.type === 'string'
        ? (columns[0] as { codes: Int32Array }).codes.length
        : (columns[0] as { values: ArrayLike<number> }).values.length;
  return { rowCount: rows, columns, sources: [] };
}

function numbers(name: string, values: number[], nullAt: number[] = []): Column {
  const nulls = nullAt.length === 0 ? null : new Uint8Array(values.length);
  for (const i of nullAt) nulls![i] = 1;
  return { type: 'number', name, values: Float64Array.from(values), nulls };
}

/** Rows [start, end) of a table, as a reader's chunk would hold them. */
function slice(table: Table, start: number, end: number): Table {
  const columns = table.columns.map((c): Column => {
    const nulls = c.nulls === null ? null : c.nulls.subarray(start, end);
    if (c.type === 'string') return { ...c, codes: c.codes.subarray(start, end), nulls };
    if (c.type === 'boolean') return { ...c, values: c.values.subarray(start, end), nulls };
    return { ...c, values: c.values.subarray(start, end), nulls };
  });
  return { rowCount: end - start, columns, sources: [] };
}

/** Asserts two statistics are equal: exactly, except mean/std/m2 which merge up to rounding. */
function expectSameStatistics(actual: DatasetStatistics, expected: DatasetStatistics): void {
  const withoutMoments = (s: DatasetStatistics): unknown =>
    JSON.parse(JSON.stringify(s, (key, value: unknown) => (key === 'mean' || key === 'std' || key === 'm2' ? undefined : value)));
  expect(withoutMoments(actual)).toEqual(withoutMoments(expected));
  for (const e of expected.columns) {
    const a = columnStatistics(actual, e.name)!;
    if (e.numeric === undefined) continue;
    for (const key of ['mean', 'std', 'm2'] as const) {
      const x = a.numeric![key];
      const y = e.numeric[key];
      expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-12 * Math.abs(y) + 1e-300);
    }
  }
}

const small = (): Table =>
  tableOf([
    numbers('x', [1, 2, Number.NaN, Infinity, -3, 0, Number.NaN, 4], [6]),
    strings('s', ['a', 'b', 'a', null, 'a', 'c', 'b', null]),
    { type: 'boolean', name: 'flag', values: Uint8Array.of(1, 0, 1, 0, 1, 1, 0, 0), nulls: Uint8Array.of(0, 0, 0, 1, 0, 0, 0, 0) },
    { type: 'timestamp', name: 'at', values: Float64Array.of(0, 86_400_000, 2 * 86_400_000, 3, 4, 5, 6, 7), nulls: null },
  ]);

describe('computeStatistics', () => {
  test('numbers: counts, nulls apart from NaN/Infinity, extremes, moments, sample and value counts', () => {
    const stats = computeStatistics(small());
    expect(stats).toMatchObject({ format: 'ct-statistics', version: 2, rows: 8 });
    const x = columnStatistics(stats, 'x')!;
    expect(x).toMatchObject({ name: 'x', type: 'number', count: 8, nulls: 1 });
    const m = x.numeric!;
    expect(m).toMatchObject({ min: -3, max: 4, nonFinite: 2, negatives: 1, zeros: 1, sample: [-3, 0, 1, 2, 4] });
    expect(m.mean).toBeCloseTo(0.8, 14);
    expect(m.m2).toBeCloseTo(26.8, 12); // Σ(x − 0.8)² over 1, 2, −3, 0, 4
    expect(m.std).toBeCloseTo(Math.sqrt(26.8 / 4), 14); // n − 1, as pandas
    expect(m.valueCounts).toEqual([
      [-3, 1],
      [0, 1],
      [1, 1],
      [2, 1],
      [4, 1],
    ]);
    expect(m.sketch.count).toBe(5);
    expect(valueCount(x)).toBe(5);
    expect(nullFraction(x)).toBe(1 / 8);
  });

  test('strings and booleans: exact frequencies, most frequent first', () => {
    const stats = computeStatistics(small());
    expect(columnStatistics(stats, 's')).toEqual({
      name: 's',
      type: 'string',
      count: 8,
      nulls: 2,
      categorical: { distinct: 3, distinctIsLowerBound: false, frequencies: { a: 3, b: 2, c: 1 }, otherCount: 0 },
    });
    expect(Object.keys(columnStatistics(stats, 's')!.categorical!.frequencies)).toEqual(['a', 'b', 'c']);
    expect(columnStatistics(stats, 'flag')!.categorical).toEqual({
      distinct: 2,
      distinctIsLowerBound: false,
      frequencies: { true: 4, false: 3 },
      otherCount: 0,
    });
    expect(columnStatistics(stats, 'at')!.numeric).toMatchObject({ min: 0, max: 2 * 86_400_000 });
  });

  test('the column sketch is the sketch of its values, whatever path each value takes', async () => {
    const flights = await readTable('data/flights/2001-01-03.parquet', { columns: ['date', 'delay', 'distance'] });
    const random = mulberry32(17);
    // Whole numbers (tallied), fractions and large values (logarithm), both signs, zeros, NaN.
    const mixed = Float64Array.from({ length: 30_000 }, (_, i) => {
      const u = random();
      if (i % 97 === 0) return Number.NaN;
      if (u < 0.2) return 0;
      if (u < 0.5) return Math.round((random() - 0.5) * 9000);
      return (random() < 0.4 ? -1 : 1) * Math.exp((random() - 0.5) * 30);
    });
    const table: Table = { rowCount: 30_000, columns: [numbers('mixed', Array.from(mixed))], sources: [] };
    for (const [t, name] of [
      [flights, 'date'],
      [flights, 'delay'],
      [flights, 'distance'],
      [table, 'mixed'],
    ] as const) {
      const column = t.columns.find((c) => c.name === name)!;
      if (column.type !== 'number' && column.type !== 'timestamp') throw new Error('numeric column expected');
      const acc = createStatistics();
      for (let start = 0; start < t.rowCount; start += 4096) acc.add(slice(t, start, Math.min(t.rowCount, start + 4096)));
      expect(columnStatistics(acc.result(), name)!.numeric!.sketch).toEqual(createSketch().addMany(column.values, column.nulls).toJSON());
    }
  });

  test('nonIntegers counts finite fractions, whatever their size; nulls, NaN, Infinity and whole numbers are not counted', () => {
    // 1e10 and 2^40 are whole but past the tallied range; 2^31 + 0.5 overflows `x | 0`.
    const values = [0.5, -2.25, 3, 1e10, 1e10 + 0.5, 2 ** 31 + 0.5, 2 ** 40, -0, Number.NaN, Infinity, 0.75, 7];
    const m = columnStatistics(computeStatistics(tableOf([numbers('x', values, [10])])), 'x')!.numeric!;
    expect(m.nonIntegers).toBe(4);
    // Always written, right after the other counts: statistics.json stays deterministic.
    expect(Object.keys(m).indexOf('nonIntegers')).toBe(Object.keys(m).indexOf('zeros') + 1);
    expect(columnStatistics(computeStatistics(small()), 'x')!.numeric!.nonIntegers).toBe(0);
  });

  test('midnights counts timestamps exactly at midnight UTC, chunk by chunk and merged; numbers have none', () => {
    const day = Date.UTC(2001, 2, 1);
    const times = [day, day + 60_000, day + 86_400_000, day - 86_400_000, day + 3_600_000, Number.NaN, day + 1];
    const table = tableOf([numberColumn('t', times, 'timestamp'), numbers('x', [0, 1, 2, 3, 4, 5, 6])]);
    expect(columnStatistics(computeStatistics(table), 't')!.numeric!.midnights).toBe(3);
    expect(columnStatistics(computeStatistics(table), 'x')!.numeric).not.toHaveProperty('midnights');
    const merged = mergeStatistics(computeStatistics(slice(table, 0, 3)), computeStatistics(slice(table, 3, 7)));
    expect(columnStatistics(merged, 't')!.numeric!.midnights).toBe(3);
  });

  test('a column without finite values has NaN moments (null in JSON) and an empty sketch', () => {
    const stats = computeStatistics(tableOf([numbers('y', [Number.NaN, 1, 2], [1, 2])]));
    const m = columnStatistics(stats, 'y')!.numeric!;
    expect(m.min).toBeNaN();
    expect(m.std).toBeNaN();
    expect(m.sketch.count).toBe(0);
    expect(quantile(columnStatistics(stats, 'y')!, 0.5)).toBeNull();
    expect(JSON.parse(JSON.stringify(m)).min).toBeNull();
  });
});

describe('createStatistics (chunks)', () => {
  test('chunk by chunk gives the statistics of the whole table', () => {
    const whole = small();
    const acc = createStatistics();
    acc.add(slice(whole, 0, 3));
    acc.add(slice(whole, 3, 4));
    acc.add(slice(whole, 4, 8));
    expect(acc.rows).toBe(8);
    expectSameStatistics(acc.result(), computeStatistics(whole));
  });

  test('a column absent from a chunk counts only the rows it had; rows are the sum of chunks', () => {
    const acc = createStatistics();
    acc.add(tableOf([numbers('a', [1, 2]), strings('b', ['x', 'y'])]));
    acc.add(tableOf([strings('b', ['x', 'x', 'z'])]));
    const stats = acc.result();
    expect(stats.rows).toBe(5);
    expect(columnStatistics(stats, 'a')!.count).toBe(2);
    expect(columnStatistics(stats, 'b')!.categorical!.frequencies).toEqual({ x: 3, y: 1, z: 1 });
    // result() is a snapshot: more chunks can follow.
    acc.add(tableOf([numbers('a', [3])]));
    expect(columnStatistics(acc.result(), 'a')!.numeric!.max).toBe(3);
    expect(columnStatistics(stats, 'a')!.numeric!.max).toBe(2);
  });

  test("a column changing type between chunks is summarised as the earlier chunks' type (text parsed, else null)", () => {
    const acc = createStatistics();
    acc.add(tableOf([numbers('a', [1]), strings('b', ['x'])]));
    // A later file wrote the numbers as text, and the codes as numbers.
    acc.add(tableOf([strings('a', ['2', 'late']), numbers('b', [7, 7])]));
    const stats = acc.result();
    expect(columnStatistics(stats, 'a')).toMatchObject({ type: 'number', count: 3, nulls: 1 });
    expect(columnStatistics(stats, 'a')!.numeric!.max).toBe(2);
    expect(columnStatistics(stats, 'b')!.categorical!.frequencies).toEqual({ '7': 2, x: 1 });
  });

  test('the sample stops at 1000 finite values, value counts at 20 distinct values', () => {
    const acc = createStatistics();
    acc.add(
      tableOf([
        numbers(
          'v',
          Array.from({ length: 600 }, (_, i) => i % 20),
        ),
      ]),
    );
    let m = columnStatistics(acc.result(), 'v')!.numeric!;
    expect(m.sample).toHaveLength(600);
    expect(m.valueCounts).toHaveLength(20);
    expect(m.valueCounts![0]).toEqual([0, 30]);
    acc.add(
      tableOf([
        numbers(
          'v',
          Array.from({ length: 400 }, () => 7),
        ),
      ]),
    );
    m = columnStatistics(acc.result(), 'v')!.numeric!;
    expect(m.sample).toHaveLength(1000);
    expect(m.valueCounts![7]).toEqual([7, 430]);
    acc.add(tableOf([numbers('v', [20])]));
    m = columnStatistics(acc.result(), 'v')!.numeric!;
    expect(m.sample).toBeNull();
    expect(m.valueCounts).toBeNull();
  });

  test('beyond 10,000 distinct strings the most frequent are kept and the rest counted as other', () => {
    const acc = createStatistics();
    // 12,000 distinct values over three chunks; "common" and "__proto__" are frequent.
    for (let chunk = 0; chunk < 3; chunk++) {
      const values: string[] = [];
      for (let i = 0; i < 4000; i++) values.push(`v${chunk * 4000 + i}`);
      for (let i = 0; i < 50; i++) values.push('common', '__proto__');
      acc.add(tableOf([strings('s', values)]));
    }
    const c = columnStatistics(acc.result(), 's')!.categorical!;
    expect(c.distinctIsLowerBound).toBe(true);
    expect(c.distinct).toBeGreaterThanOrEqual(FREQUENCY_LIMIT);
    expect(Object.keys(c.frequencies)).toHaveLength(FREQUENCY_LIMIT);
    expect(c.frequencies.common).toBe(150);
    expect(Object.prototype.hasOwnProperty.call(c.frequencies, '__proto__')).toBe(true);
    expect(c.frequencies['__proto__']).toBe(150);
    const listed = Object.values(c.frequencies).reduce((s, n) => s + n, 0);
    expect(listed + c.otherCount).toBe(12_000 + 300);
  });
});

describe('mergeStatistics', () => {
  let first: string[];
  let second: string[];

  beforeAll(() => {
    const parts = listPartitions('data/flights').map((p) => p.file);
    first = parts.slice(0, 7);
    second = parts.slice(7, 14);
  });

  test('merge(stats(A), stats(B)) equals stats(A ∪ B) on two weeks of real flights', async () => {
    // Each half summarised partition by partition, as a streaming validation would.
    const halves = await Promise.all(
      [first, second].map(async (files) => {
        const acc = createStatistics();
        for (const file of files) acc.add(await readTable(file));
        return acc.result();
      }),
    );
    const union = computeStatistics(await readTables([...first, ...second]));
    expect(union.rows).toBeGreaterThan(200_000);
    const merged = mergeStatistics(halves[0]!, halves[1]!);
    expectSameStatistics(merged, union);
    expectSameStatistics(mergeStatistics(halves[1]!, halves[0]!), union);
    // Quantiles come from the merged sketch: identical to the union's.
    const delay = columnStatistics(merged, 'delay')!;
    expect(quantile(delay, 0.9)).toBe(quantile(columnStatistics(union, 'delay')!, 0.9));
    // Statistics read back from JSON merge the same way.
    const fromJson = halves.map((h) => parseStatistics(JSON.parse(JSON.stringify(h)), 'half.json'));
    expectSameStatistics(mergeStatistics(fromJson[0]!, fromJson[1]!), union);
  });

  test('samples and value counts survive a merge only while within their limits', () => {
    const a = computeStatistics(
      tableOf([
        numbers(
          'v',
          Array.from({ length: 600 }, (_, i) => i % 3),
        ),
      ]),
    );
    const b = computeStatistics(
      tableOf([
        numbers(
          'v',
          Array.from({ length: 300 }, (_, i) => 10 + (i % 2)),
        ),
      ]),
    );
    const both = columnStatistics(mergeStatistics(a, b), 'v')!.numeric!;
    expect(both.sample).toHaveLength(900);
    expect(both.sample![0]).toBe(0);
    expect(both.sample![899]).toBe(11);
    expect(both.valueCounts).toEqual([
      [0, 200],
      [1, 200],
      [2, 200],
      [10, 150],
      [11, 150],
    ]);
    const c = computeStatistics(
      tableOf([
        numbers(
          'v',
          Array.from({ length: 200 }, (_, i) => 100 + i),
        ),
      ]),
    );
    const all = columnStatistics(mergeStatistics(mergeStatistics(a, b), c), 'v')!.numeric!;
    expect(all.sample).toBeNull();
    expect(all.valueCounts).toBeNull();
  });

  test('nonIntegers: chunk by chunk and merged it is the count of the whole; unknown on one side, unknown merged', () => {
    const values = Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? i + 0.25 : i));
    const whole = tableOf([numbers('v', values)]);
    const expected = values.filter((x) => !Number.isInteger(x)).length;
    expect(columnStatistics(computeStatistics(whole), 'v')!.numeric!.nonIntegers).toBe(expected);
    const acc = createStatistics();
    for (let start = 0; start < 3000; start += 700) acc.add(slice(whole, start, Math.min(3000, start + 700)));
    expect(columnStatistics(acc.result(), 'v')!.numeric!.nonIntegers).toBe(expected);
    const a = computeStatistics(slice(whole, 0, 1000));
    const b = computeStatistics(slice(whole, 1000, 3000));
    expect(columnStatistics(mergeStatistics(a, b), 'v')!.numeric!.nonIntegers).toBe(expected);
    // An older file without the count: the union's count is unknown (absent, not a guess)...
    const old = JSON.parse(JSON.stringify(b)) as DatasetStatistics;
    delete old.columns[0]!.numeric!.nonIntegers;
    expect(columnStatistics(mergeStatistics(a, old), 'v')!.numeric).not.toHaveProperty('nonIntegers');
    // ...unless that side had no finite values at all.
    const empty = JSON.parse(JSON.stringify(computeStatistics(tableOf([numbers('v', [1, 2], [0, 1])])))) as DatasetStatistics;
    delete empty.columns[0]!.numeric!.nonIntegers;
    expect(columnStatistics(mergeStatistics(a, empty), 'v')!.numeric!.nonIntegers).toBe(columnStatistics(a, 'v')!.numeric!.nonIntegers);
  });

  test('extremes: the three lowest and highest finite values, chunk by chunk and merged; trimmed moments leave them out', () => {
    const random = mulberry32(3);
    const values = Array.from({ length: 2000 }, () => Math.round(random() * 1e6) / 100);
    values[1234] = 5e6; // one far above the rest
    values[77] = -4e6;
    const whole = tableOf([numbers('v', values, [5, 6])]);
    const kept = values.filter((_, i) => i !== 5 && i !== 6).sort((a, b) => a - b);
    const expected = { lowest: kept.slice(0, 3), highest: kept.slice(-3) };
    const acc = createStatistics();
    for (let start = 0; start < 2000; start += 300) acc.add(slice(whole, start, Math.min(2000, start + 300)));
    const chunked = columnStatistics(acc.result(), 'v')!.numeric!;
    expect(chunked.extremes).toEqual(expected);
    const merged = columnStatistics(mergeStatistics(computeStatistics(slice(whole, 0, 999)), computeStatistics(slice(whole, 999, 2000))), 'v')!.numeric!;
    expect(merged.extremes).toEqual(expected);
    // The trimmed moments are those of the values between the extremes, to rounding.
    const middle = kept.slice(3, -3);
    const mean = middle.reduce((a, b) => a + b, 0) / middle.length;
    const std = Math.sqrt(middle.reduce((a, b) => a + (b - mean) ** 2, 0) / (middle.length - 1));
    const trimmed = trimmedMoments(chunked)!;
    expect(trimmed.mean).toBeCloseTo(mean, 6);
    expect(trimmed.std).toBeCloseTo(std, 6);
    expect(chunked.std).toBeGreaterThan(20 * std);
    // Unknown without extremes (an older file), and for a column too short to leave six values out.
    const { extremes: _, ...older } = chunked;
    expect(trimmedMoments(older)).toBeNull();
    expect(trimmedMoments(columnStatistics(computeStatistics(tableOf([numbers('v', [1, 2, 3, 4, 5, 6, 7])])), 'v')!.numeric!)).toBeNull();
    // Extremes a sentinel holds nearly all of the spread of: the difference would be rounding.
    const sentinel = [...middle.slice(0, 100), 1e15, 1e15, 1e15];
    expect(trimmedMoments(columnStatistics(computeStatistics(tableOf([numbers('v', sentinel)])), 'v')!.numeric!)).toBeNull();
    const bad = JSON.parse(JSON.stringify(acc.result())) as { columns: Array<{ numeric: Record<string, unknown> }> };
    bad.columns[0]!.numeric.extremes = { lowest: [3, 1], highest: [] };
    expectUserError(
      () => parseStatistics(bad, 's.json'),
      /^s\.json: column "v": "extremes" must hold "lowest" and "highest", each at most 3 numbers, ascending$/,
    );
  });

  test('columns of only one side are copied; type conflicts are user errors', () => {
    const a = computeStatistics(tableOf([numbers('a', [1, 2])]));
    const b = computeStatistics(tableOf([strings('b', ['x'])]));
    const merged = mergeStatistics(a, b);
    expect(merged.columns.map((c) => c.name)).toEqual(['a', 'b']);
    expect(merged.rows).toBe(3);
    const conflict = computeStatistics(tableOf([strings('a', ['1'])]));
    expectUserError(() => mergeStatistics(a, conflict), /column "a" is number in one and string in the other/);
  });
});

describe('helpers', () => {
  test('quantile is exact while the sample is kept, from the sketch after', () => {
    const exact = computeStatistics(tableOf([numbers('v', [5, 1, 4, 2, 3])]));
    expect(quantile(columnStatistics(exact, 'v')!, 0.5)).toBe(3);
    expect(quantile(columnStatistics(exact, 'v')!, 1)).toBe(5);
    const values = Array.from({ length: 5000 }, (_, i) => i + 1);
    const sketched = columnStatistics(computeStatistics(tableOf([numbers('v', values)])), 'v')!;
    expect(sketched.numeric!.sample).toBeNull();
    expect(Math.abs(quantile(sketched, 0.25)! - 1250) / 1250).toBeLessThanOrEqual(0.01);
    expect(quantile(columnStatistics(computeStatistics(small()), 's')!, 0.5)).toBeNull();
    expect(columnStatistics(exact, 'nope')).toBeUndefined();
  });

  test('parseStatistics turns JSON nulls back into NaN and rejects other formats', () => {
    const stats = computeStatistics(tableOf([numbers('y', [Number.NaN], [0])]));
    const back = parseStatistics(JSON.parse(JSON.stringify(stats)), 'statistics.json');
    expect(columnStatistics(back, 'y')!.numeric!.min).toBeNaN();
    expect(back).toEqual(stats);
    expectUserError(() => parseStatistics({ rows: 1, columns: [] }, 'old/statistics.json'), /^old\/statistics\.json: statistics of an unsupported format/);
    expectUserError(() => parseStatistics({ ...stats, columns: [{ name: 'y' }] }, 's.json'), /column 1 of the statistics is malformed/);
  });

  test('parseStatistics reads files written before nonIntegers was counted, and rejects a bad count', () => {
    const stats = computeStatistics(tableOf([numbers('y', [1.5, 2, 3])]));
    const old = JSON.parse(JSON.stringify(stats)) as DatasetStatistics;
    delete old.columns[0]!.numeric!.nonIntegers;
    const back = parseStatistics(old, 'old/statistics.json');
    expect(columnStatistics(back, 'y')!.numeric).not.toHaveProperty('nonIntegers');
    expect(columnStatistics(back, 'y')!.numeric!.max).toBe(3);
    expect(columnStatistics(parseStatistics(JSON.parse(JSON.stringify(stats)), 's.json'), 'y')!.numeric!.nonIntegers).toBe(1);
    const bad = JSON.parse(JSON.stringify(stats)) as { columns: Array<{ numeric: Record<string, unknown> }> };
    bad.columns[0]!.numeric.nonIntegers = -1;
    expectUserError(() => parseStatistics(bad, 's.json'), /^s\.json: column "y": "nonIntegers" must be a count \(a whole number >= 0\)$/);
  });
});
