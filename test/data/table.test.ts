import { concatTables, findColumn, locateRow, nullColumn, nullCount, type Table, takeRows, valueAt } from '../../src/data/table.js';
import { numberColumn as numbers, stringColumn as strings, valuesOf as column } from '../helpers.js';

function table(file: string, origin: (string | null)[], delay: number[]): Table {
  return { rowCount: delay.length, columns: [strings('origin', origin), numbers('delay', delay)], sources: [{ file, start: 0, rows: delay.length }] };
}

describe('table helpers', () => {
  test('concatTables merges dictionaries, keeps nulls and offsets sources', () => {
    const a = table('a.csv', ['LAS', 'ATL'], [1, 2]);
    const b = table('b.csv', ['ATL', null, 'SFO'], [3, 4, 5]);
    const t = concatTables([a, b]);
    expect(t.rowCount).toBe(5);
    expect(column(t, 'origin')).toEqual(['LAS', 'ATL', 'ATL', null, 'SFO']);
    expect(column(t, 'delay')).toEqual([1, 2, 3, 4, 5]);
    const origin = findColumn(t, 'origin');
    if (origin?.type !== 'string') throw new Error('expected string');
    expect(origin.dictionary).toEqual(['LAS', 'ATL', 'SFO']);
    expect(nullCount(origin)).toBe(1);
    expect(t.sources).toEqual([{ file: 'a.csv', start: 0, rows: 2 }, { file: 'b.csv', start: 2, rows: 3 }]);
    expect(() => concatTables([a, { ...b, columns: [numbers('origin', [1, 2, 3]), b.columns[1]!] }])).toThrow(/origin/);
  });

  test('locateRow maps table rows to the file and 1-based row they came from', () => {
    const t = concatTables([table('a.csv', ['x', 'y'], [1, 2]), table('b.csv', ['z'], [3]), table('c.csv', ['w', 'v'], [4, 5])]);
    expect(locateRow(t, 0)).toEqual({ file: 'a.csv', row: 1 });
    expect(locateRow(t, 2)).toEqual({ file: 'b.csv', row: 1 });
    expect(locateRow(t, 4)).toEqual({ file: 'c.csv', row: 2 });
    expect(locateRow(t, 9)).toEqual({ file: '(unknown)', row: 10 });
  });

  test('takeRows picks rows in the given order and keeps file boundaries', () => {
    const t = concatTables([table('a.csv', ['x', null], [1, 2]), table('b.csv', ['z'], [3])]);
    const picked = takeRows(t, Int32Array.from([2, 0, 1]));
    expect(column(picked, 'origin')).toEqual(['z', 'x', null]);
    expect(column(picked, 'delay')).toEqual([3, 1, 2]);
    expect(picked.sources).toEqual([{ file: 'b.csv', start: 0, rows: 1 }, { file: 'a.csv', start: 1, rows: 2 }]);
  });

  test('nullColumn is all null in every type', () => {
    for (const type of ['number', 'timestamp', 'boolean', 'string'] as const) {
      const c = nullColumn('c', type, 3);
      expect(c.type).toBe(type);
      expect(nullCount(c)).toBe(3);
      expect(valueAt(c, 1)).toBeNull();
    }
  });
});
