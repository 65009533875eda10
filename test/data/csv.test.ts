import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsv } from '../../src/data/csv.js';
import { valueAt } from '../../src/data/table.js';
import { expectUserError, columnOf as column, valuesOf as values } from '../helpers.js';

const fixtures = 'test/fixtures/data';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ct-csv-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readCsv', () => {
  test('reads quoted fields, escaped quotes, CRLF, nulls and infers each column type', () => {
    const table = readCsv(`${fixtures}/basic.csv`);
    expect(table.rowCount).toBe(5);
    expect(table.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'id:number', 'name:string', 'score:number', 'active:boolean', 'when:timestamp', 'note:string',
    ]);
    expect(values(table, 'id')).toEqual([1, 2, 3, 4, 5]);
    expect(values(table, 'name')).toEqual(['Alice', 'Bob "the builder"', null, 'Zoë', 'Alice']);
    expect(values(table, 'score')).toEqual([3.5, -2, 1000, null, 0.1]);
    expect(values(table, 'active')).toEqual([true, false, true, false, null]);
    expect(values(table, 'when')).toEqual([
      '2001-01-01T00:00:00.000Z',
      '2001-01-01T06:05:00.000Z',
      '2001-01-02T06:05:30.000Z',
      '2001-01-02T06:00:00.250Z', // 07:00+01:00
      null,
    ]);
    expect(values(table, 'note')).toEqual(['plain', 'has, comma', null, 'two\r\nlines', '"quoted"']);
    expect(table.sources).toEqual([{ file: `${fixtures}/basic.csv`, start: 0, rows: 5 }]);
  });

  test('dictionary-encodes strings: repeated values share a code, nulls are -1 and NaN', () => {
    const table = readCsv(`${fixtures}/basic.csv`);
    const name = column(table, 'name');
    if (name.type !== 'string') throw new Error('expected string');
    expect(name.codes[0]).toBe(name.codes[4]);
    expect(name.codes[2]).toBe(-1);
    expect(name.nulls?.[2]).toBe(1);
    expect(new Set(name.dictionary).size).toBe(name.dictionary.length);
    const score = column(table, 'score');
    if (score.type !== 'number') throw new Error('expected number');
    expect(Number.isNaN(score.values[3])).toBe(true);
    expect(score.nulls).toEqual(new Uint8Array([0, 0, 0, 1, 0]));
    expect(column(table, 'id').nulls).toBeNull();
  });

  test('reads only the requested columns, in the requested order', () => {
    const table = readCsv(`${fixtures}/basic.csv`, { columns: ['score', 'id'] });
    expect(table.columns.map((c) => c.name)).toEqual(['score', 'id']);
    expect(values(table, 'id')).toEqual([1, 2, 3, 4, 5]);
    expectUserError(() => readCsv(`${fixtures}/basic.csv`, { columns: ['nope'] }), /basic\.csv: no column "nope" \(columns: id, name/);
  });

  test('a ragged row is a UserError naming the file, row and line', () => {
    expectUserError(() => readCsv(`${fixtures}/ragged.csv`), 'test/fixtures/data/ragged.csv row 2 (line 3): expected 5 fields, found 4');
  });

  test('an unclosed quote, an empty file and a missing file are UserErrors naming the file', () => {
    expectUserError(() => readCsv(`${fixtures}/unclosed-quote.csv`), /unclosed-quote\.csv line 3: quoted field is never closed/);
    expectUserError(() => readCsv(`${fixtures}/empty.csv`), /empty\.csv: empty file, expected a header row/);
    expectUserError(() => readCsv(`${fixtures}/missing.csv`), 'data file not found: test/fixtures/data/missing.csv');
  });

  test('a header without rows gives an empty table with the header columns', () => {
    const table = readCsv(`${fixtures}/header-only.csv`);
    expect(table.rowCount).toBe(0);
    expect(table.columns.map((c) => c.name)).toEqual(['x', 'y']);
  });

  test('invalid UTF-8 is a UserError naming the file, row and column', () => {
    const file = join(dir, 'latin1.csv');
    writeFileSync(file, Buffer.concat([Buffer.from('city,n\nParis,1\n'), Buffer.from([0x4e, 0xee, 0x6d, 0x65, 0x73]), Buffer.from(',2\n')]));
    expectUserError(() => readCsv(file), /latin1\.csv row 2, column "city": not valid UTF-8/);
  });

  test('text after a closing quote is a UserError', () => {
    const file = join(dir, 'junk.csv');
    writeFileSync(file, 'a,b\n"x"y,1\n');
    expectUserError(() => readCsv(file), /junk\.csv line 2: unexpected text after a closing quote/);
  });

  test('handles LF without a final newline, blank lines, a BOM and a trailing empty field', () => {
    const file = join(dir, 'misc.csv');
    writeFileSync(file, '\uFEFFa,b\n\n1,x\n\n2,\n3,z');
    const table = readCsv(file);
    expect(table.columns.map((c) => c.name)).toEqual(['a', 'b']);
    expect(values(table, 'a')).toEqual([1, 2, 3]);
    expect(values(table, 'b')).toEqual(['x', null, 'z']);
  });

  test('a column that turns out to be text late keeps every earlier value as written', () => {
    const lines = ['code,n'];
    for (let i = 0; i < 20_000; i++) lines.push(`${String(i % 50).padStart(3, '0')},${i}`);
    lines.push('X12,20000');
    const file = join(dir, 'late-text.csv');
    writeFileSync(file, lines.join('\n') + '\n');
    const table = readCsv(file);
    const code = column(table, 'code');
    expect(code.type).toBe('string');
    expect(valueAt(code, 0)).toBe('000');
    expect(valueAt(code, 7)).toBe('007');
    expect(valueAt(code, 19_999)).toBe('049');
    expect(valueAt(code, 20_000)).toBe('X12');
    expect(column(table, 'n').type).toBe('number');
    expect(valueAt(column(table, 'n'), 20_000)).toBe(20_000);
  });

  test('rows crossing the 4 MB read chunks, and a field longer than a chunk, are read whole', () => {
    const big = 'y'.repeat(4_500_000);
    const parts = ['id,text\r\n'];
    const expected: string[] = [];
    const add = (text: string, quoted: boolean): void => {
      parts.push(`${expected.length},${quoted ? `"${text.replaceAll('"', '""')}"` : text}\r\n`);
      expected.push(text);
    };
    for (let i = 0; i < 300_000; i++) add(i % 7 === 0 ? `line ${i}\nwith "quote"` : `t${i}`, i % 7 === 0);
    add(big, false);
    for (let i = 0; i < 1000; i++) add(`after ${i}`, true);
    const file = join(dir, 'chunks.csv');
    writeFileSync(file, parts.join(''));
    const table = readCsv(file);
    expect(table.rowCount).toBe(expected.length);
    const text = column(table, 'text');
    if (text.type !== 'string') throw new Error('expected string');
    for (let i = 0; i < expected.length; i++) {
      if (text.dictionary[text.codes[i]!] !== expected[i]) throw new Error(`row ${i + 1}: ${valueAt(text, i)} !== ${expected[i]}`);
    }
    const id = column(table, 'id');
    if (id.type !== 'number') throw new Error('expected number');
    expect(id.values.every((v, i) => v === i)).toBe(true);
  });

  test('a CRLF and an escaped quote split exactly at the chunk boundary', () => {
    const chunk = 1 << 22;
    for (const [tail, text] of [['\r\n', 'x'], ['""', 'x"y']] as const) {
      // Pad the first row so that `tail` starts at the last byte of the first chunk.
      const header = 'a,b\n';
      const prefix = tail === '\r\n' ? '1,' : '1,"';
      const pad = 'p'.repeat(chunk - 1 - header.length - prefix.length);
      const firstRow = tail === '\r\n' ? `${prefix}${pad}\r\n` : `${prefix}${pad}""y"\n`;
      const file = join(dir, 'boundary.csv');
      writeFileSync(file, `${header}${firstRow}2,${text === 'x' ? 'x' : '"x""y"'}\n`);
      expect(Buffer.from(`${header}${firstRow}`).indexOf(tail, chunk - 2)).toBe(chunk - 1);
      const table = readCsv(file);
      expect(table.rowCount).toBe(2);
      const b = column(table, 'b');
      expect(valueAt(b, 0)).toBe(tail === '\r\n' ? pad : `${pad}"y`);
      expect(valueAt(b, 1)).toBe(text);
    }
  });

  test('the error for a ragged row far into the file names its line despite multi-line fields', () => {
    const file = join(dir, 'late-ragged.csv');
    writeFileSync(file, 'a,b\n"x\ny",1\n2,3\n4\n');
    expectUserError(() => readCsv(file), /late-ragged\.csv row 3 \(line 5\): expected 2 fields, found 1/);
  });
});
