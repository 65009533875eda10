import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { formatOf, readTable, readTables } from '../../src/data/read.js';
import { findColumn, locateRow, valueAt } from '../../src/data/table.js';
import { expectUserErrorAsync as expectUserError } from '../helpers.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ct-read-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readTable', () => {
  test('picks the reader by extension, or by the given format', async () => {
    expect(formatOf('a/b/2001-01-01.PARQUET')).toBe('parquet');
    expect(formatOf('x.ndjson')).toBe('jsonl');
    expect(formatOf('x.txt')).toBeUndefined();
    expect((await readTable('test/fixtures/data/basic.csv')).rowCount).toBe(5);
    expect((await readTable('test/fixtures/data/basic.jsonl')).rowCount).toBe(5);
    expect((await readTable('data/flights/2001-01-02.parquet', { columns: ['delay'] })).columns.map((c) => c.name)).toEqual(['delay']);
    const txt = join(dir, 'rows.txt');
    writeFileSync(txt, 'a,b\n1,2\n');
    await expectUserError(() => readTable(txt), /cannot tell the format of .*rows\.txt: use a \.parquet, \.csv, \.jsonl, \.ndjson file/);
    expect((await readTable(txt, { format: 'csv' })).rowCount).toBe(1);
  });

  test('a missing file is "data file not found: <path>"; a folder is not a file', async () => {
    await expectUserError(() => readTable('data/flights/2001-09-09.parquet'), /^data file not found: data\/flights\/2001-09-09\.parquet$/);
    await expectUserError(() => readTable('data/flights'), /^expected a data file, found a folder: data\/flights$/);
  });

  test('names files below the working directory relative to it', async () => {
    const table = await readTable(resolve('test/fixtures/data/basic.csv'));
    expect(table.sources[0]?.file).toBe('test/fixtures/data/basic.csv');
  });
});

describe('readTables', () => {
  test('concatenates files in order; sources and locateRow name each file', async () => {
    const files = ['data/flights/2001-01-01.parquet', 'data/flights/2001-01-02.parquet', 'data/flights/2001-01-03.parquet'];
    const table = await readTables(files);
    expect(table.sources).toEqual([
      { file: files[0], start: 0, rows: 14_828 },
      { file: files[1], start: 14_828, rows: 16_850 },
      { file: files[2], start: 31_678, rows: 16_948 },
    ]);
    expect(table.rowCount).toBe(48_626);
    expect(locateRow(table, 14_828)).toEqual({ file: files[1], row: 1 });
    expect(locateRow(table, 48_625)).toEqual({ file: files[2], row: 16_948 });
    expect(String(valueAt(findColumn(table, 'date')!, 14_828)).slice(0, 10)).toBe('2001-01-02');
    const origin = findColumn(table, 'origin');
    if (origin?.type !== 'string') throw new Error('expected string');
    expect(new Set(origin.dictionary).size).toBe(origin.dictionary.length); // merged, no duplicates
  });

  test('lines up columns a file lacks or holds only as nulls; conflicting types are a UserError', async () => {
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    const c = join(dir, 'c.csv');
    writeFileSync(a, 'x,y\n1,u\n2,v\n');
    writeFileSync(b, 'x,z\n,true\n'); // x all empty: no type evidence
    writeFileSync(c, 'x\nnot a number\n');
    const table = await readTables([a, b]);
    expect(table.columns.map((col) => `${col.name}:${col.type}`)).toEqual(['x:number', 'y:string', 'z:boolean']);
    expect([0, 1, 2].map((i) => valueAt(findColumn(table, 'x')!, i))).toEqual([1, 2, null]);
    expect([0, 1, 2].map((i) => valueAt(findColumn(table, 'y')!, i))).toEqual(['u', 'v', null]);
    expect([0, 1, 2].map((i) => valueAt(findColumn(table, 'z')!, i))).toEqual([null, null, true]);
    await expectUserError(() => readTables([a, c]), /column "x" is number in .*a\.csv but string in .*c\.csv/);
    await expectUserError(() => readTables([]), 'no data files to read');
  });

  test('numbers written as text by one file (an export that typed them as strings) read as the other files\' numbers', async () => {
    const a = join(dir, 'numbers.csv');
    const text = join(dir, 'text.jsonl');
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(a, 'x,y\n1,u\n2,v\n');
    writeFileSync(text, '{"x": "3", "y": "w"}\n{"x": "4", "y": "u"}\n');
    writeFileSync(bad, '{"x": "5"}\n{"x": "late"}\n');
    for (const files of [
      [a, text],
      [text, a],
    ]) {
      const table = await readTables(files);
      const x = findColumn(table, 'x')!;
      expect(x.type).toBe('number');
      expect([0, 1, 2, 3].map((i) => valueAt(x, i)).sort()).toEqual([1, 2, 3, 4]);
    }
    // Text that is not all numbers is still a conflict, named with its first unreadable value, whichever file comes first.
    await expectUserError(() => readTables([a, bad]), /column "x" is number in .*numbers\.csv but string in .*bad\.jsonl \(.*bad\.jsonl row 2: "late" is not a number\)/);
    await expectUserError(() => readTables([bad, text, a]), /"late" is not a number/);
  });
});
