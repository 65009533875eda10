import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJsonLines } from '../../src/data/jsonl.js';
import { findColumn, valueAt } from '../../src/data/table.js';
import { expectUserError, valuesOf as values } from '../helpers.js';

const fixtures = 'test/fixtures/data';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ct-jsonl-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readJsonLines', () => {
  test('columns are the union of keys; missing keys and null are null; types are inferred', () => {
    const table = readJsonLines(`${fixtures}/basic.jsonl`);
    expect(table.rowCount).toBe(5); // the blank line is skipped
    expect(table.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'id:number', 'name:string', 'score:number', 'active:boolean', 'when:timestamp', 'tags:string', 'mixed:string',
    ]);
    expect(values(table, 'id')).toEqual([1, 2, 3, 4, 5]);
    expect(values(table, 'name')).toEqual(['Alice', 'Bob', null, 'Zoë', 'Alice']);
    expect(values(table, 'score')).toEqual([3.5, null, -2, 1000, 0.1]);
    expect(values(table, 'active')).toEqual([true, false, true, null, null]);
    expect(values(table, 'when')).toEqual([
      '2001-01-01T00:00:00.000Z',
      '2001-01-01T06:05:00.000Z',
      '2001-01-02T00:00:00.000Z',
      '2001-01-02T06:00:00.250Z',
      null,
    ]);
    // Arrays are kept as JSON text; a column mixing numbers and strings is text.
    expect(values(table, 'tags')).toEqual([null, null, '["x","y"]', null, null]);
    expect(values(table, 'mixed')).toEqual([null, null, null, '1', 'one']);
    expect(table.sources).toEqual([{ file: `${fixtures}/basic.jsonl`, start: 0, rows: 5 }]);
  });

  test('strings that are not all timestamps stay strings', () => {
    const file = join(dir, 'dates.jsonl');
    writeFileSync(file, '{"d":"2001-01-01"}\n{"d":"2001-02-30"}\n');
    const table = readJsonLines(file);
    expect(findColumn(table, 'd')?.type).toBe('string');
  });

  test('a line of bad JSON is a UserError naming the file and line', () => {
    expectUserError(() => readJsonLines(`${fixtures}/bad.jsonl`), /^test\/fixtures\/data\/bad\.jsonl line 3: invalid JSON/);
  });

  test('a line that is not an object is a UserError naming the line', () => {
    expectUserError(() => readJsonLines(`${fixtures}/not-object.jsonl`), /not-object\.jsonl line 2: expected a JSON object, found an array/);
  });

  test('invalid UTF-8 and a missing file are UserErrors', () => {
    const file = join(dir, 'latin1.jsonl');
    writeFileSync(file, Buffer.concat([Buffer.from('{"a":"ok"}\n{"a":"N'), Buffer.from([0xee]), Buffer.from('mes"}\n')]));
    expectUserError(() => readJsonLines(file), /latin1\.jsonl line 2: not valid UTF-8/);
    expectUserError(() => readJsonLines(`${fixtures}/none.jsonl`), 'data file not found: test/fixtures/data/none.jsonl');
  });

  test('keeps only requested columns; an empty file is an empty table', () => {
    const table = readJsonLines(`${fixtures}/basic.jsonl`, { columns: ['score', 'id'] });
    expect(table.columns.map((c) => c.name)).toEqual(['score', 'id']);
    expectUserError(() => readJsonLines(`${fixtures}/basic.jsonl`, { columns: ['nope'] }), /no column "nope"/);
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '\n\n');
    expect(readJsonLines(empty)).toEqual({ rowCount: 0, columns: [], sources: [{ file: empty, start: 0, rows: 0 }] });
  });

  test('reads lines across 4 MB chunks, CRLF line ends and a last line without a newline', () => {
    const lines: string[] = [];
    for (let i = 0; i < 100_000; i++) lines.push(JSON.stringify({ i, s: `v${i % 1000}`, pad: 'x'.repeat(40) }));
    const file = join(dir, 'big.jsonl');
    writeFileSync(file, lines.join('\r\n'));
    const table = readJsonLines(file, { columns: ['i', 's'] });
    expect(table.rowCount).toBe(100_000);
    const i = findColumn(table, 'i');
    if (i?.type !== 'number') throw new Error('expected number');
    expect(i.values.every((v, k) => v === k)).toBe(true);
    expect(valueAt(findColumn(table, 's')!, 99_999)).toBe('v999');
  });
});
