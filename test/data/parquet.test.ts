import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { parquetWriteFile } from 'hyparquet-writer';
import { readParquet } from '../../src/data/parquet.js';
import { type Column, valueAt } from '../../src/data/table.js';
import { expectUserErrorAsync as expectUserError, columnOf as column } from '../helpers.js';

const VEGA = 'node_modules/vega-datasets/data/flights-3m.parquet';
const PARTITION = 'data/flights/2001-01-01.parquet';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ct-parquet-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A ct value as a plain number/string/boolean/null, to compare with hyparquet's own reader. */
function plain(c: Column, i: number): unknown {
  if (c.nulls !== null && c.nulls[i] === 1) return null;
  switch (c.type) {
    case 'string':
      return c.dictionary[c.codes[i]!];
    case 'boolean':
      return c.values[i] === 1;
    default:
      return c.values[i];
  }
}

function oracle(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'bigint') return Number(value);
  return value;
}

describe('readParquet', () => {
  test('reads a shipped Snappy partition with its types', async () => {
    const table = await readParquet(PARTITION);
    expect(table.rowCount).toBe(14_828);
    expect(table.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'date:timestamp', 'delay:number', 'distance:number', 'origin:string', 'destination:string',
    ]);
    expect(valueAt(column(table, 'date'), 0)).toBe('2001-01-01T00:01:00.000Z');
    expect(valueAt(column(table, 'delay'), 0)).toBe(33);
    expect(valueAt(column(table, 'distance'), 0)).toBe(2176);
    expect(valueAt(column(table, 'origin'), 0)).toBe('LAS');
    expect(valueAt(column(table, 'destination'), 0)).toBe('PHL');
    expect(table.columns.every((c) => c.nulls === null)).toBe(true);
    expect(table.sources).toEqual([{ file: PARTITION, start: 0, rows: 14_828 }]);
    const date = column(table, 'date');
    if (date.type !== 'timestamp') throw new Error('expected timestamp');
    // Every row of the partition is on its day.
    expect(date.values.every((t) => new Date(t).toISOString().startsWith('2001-01-01'))).toBe(true);
  });

  test('reads the 3M-row ZSTD file from vega-datasets (selected columns) and agrees with the partition', async () => {
    const table = await readParquet(VEGA, { columns: ['delay', 'date', 'origin'] });
    expect(table.rowCount).toBe(3_000_000);
    expect(table.columns.map((c) => c.name)).toEqual(['delay', 'date', 'origin']);
    const delay = column(table, 'delay');
    if (delay.type !== 'number') throw new Error('expected number');
    let sum = 0;
    for (const v of delay.values) sum += v;
    expect(sum).toBe(20_003_603); // DuckDB: SELECT sum(delay) FROM read_parquet(...)
    const origin = column(table, 'origin');
    if (origin.type !== 'string') throw new Error('expected string');
    expect(origin.dictionary.length).toBe(229);
    // The partition holds the same first day (v2 Snappy pages vs v1 ZSTD pages).
    const day = await readParquet(PARTITION);
    for (const name of ['delay', 'date', 'origin']) {
      const a = column(table, name);
      const b = column(day, name);
      for (let i = 0; i < day.rowCount; i++) if (plain(a, i) !== plain(b, i)) throw new Error(`${name} row ${i} differs`);
    }
  });

  test('every supported type and encoding, with nulls, reads as hyparquet reads it', async () => {
    const n = 3000;
    const nullable = <T>(f: (i: number) => T) => Array.from({ length: n }, (_, i) => (i % 11 === 3 ? null : f(i)));
    const columns = [
      { name: 'bool', data: nullable((i) => i % 3 === 0), type: 'BOOLEAN' },
      { name: 'int32', data: nullable((i) => i * 7 - 5000), type: 'INT32' },
      { name: 'int32_delta', data: nullable((i) => i * 13 - 4000), type: 'INT32', encoding: 'DELTA_BINARY_PACKED' },
      { name: 'int64', data: nullable((i) => BigInt(i) * 1_000_000_007n - 5n), type: 'INT64' },
      { name: 'int64_delta', data: nullable((i) => BigInt(i * i)), type: 'INT64', encoding: 'DELTA_BINARY_PACKED' },
      { name: 'float', data: nullable((i) => i / 8), type: 'FLOAT' },
      { name: 'double', data: nullable((i) => Math.sin(i) * 1e6), type: 'DOUBLE' },
      { name: 'double_split', data: nullable((i) => i * 0.25), type: 'DOUBLE', encoding: 'BYTE_STREAM_SPLIT' },
      { name: 'string', data: nullable((i) => `s${i % 40}é`), type: 'STRING' },
      { name: 'string_plain', data: nullable((i) => `unique ${i}`), type: 'STRING', encoding: 'PLAIN' },
      { name: 'string_delta', data: nullable((i) => `prefix-${i}`), type: 'STRING', encoding: 'DELTA_BYTE_ARRAY' },
      { name: 'timestamp', data: nullable((i) => new Date(Date.UTC(2001, 0, 1) + i * 60_000)), type: 'TIMESTAMP' },
      { name: 'float16', data: nullable((i) => (i % 64) / 4), type: 'FLOAT16' },
      { name: 'uuid', data: nullable((i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`), type: 'UUID' },
    ] as const;
    const file = join(dir, 'types.parquet');
    parquetWriteFile({ filename: file, columnData: columns.map((c) => ({ ...c, data: [...c.data] })), rowGroupSize: 1000 });
    const table = await readParquet(file);
    const rows = await parquetReadObjects({ file: await asyncBufferFromFile(file), compressors });
    expect(table.rowCount).toBe(n);
    expect(table.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'bool:boolean', 'int32:number', 'int32_delta:number', 'int64:number', 'int64_delta:number', 'float:number',
      'double:number', 'double_split:number', 'string:string', 'string_plain:string', 'string_delta:string',
      'timestamp:timestamp', 'float16:number', 'uuid:string',
    ]);
    for (const c of table.columns) {
      expect(c.nulls).not.toBeNull();
      for (let i = 0; i < n; i++) {
        const theirs = oracle(rows[i]![c.name]);
        if (plain(c, i) !== theirs) throw new Error(`${c.name} row ${i}: ${String(plain(c, i))} !== ${String(theirs)}`);
      }
    }
  });

  test('a file DuckDB wrote (v1 pages, nulls, dictionary and plain) reads as hyparquet reads it', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create();
    const connection = await instance.connect();
    const file = join(dir, 'duckdb.parquet');
    await connection.run(`COPY (
      SELECT
        CASE WHEN i % 7 = 0 THEN NULL ELSE i % 2 = 0 END AS flag,
        CASE WHEN i % 5 = 0 THEN NULL ELSE i END::INTEGER AS small,
        (i * 1000003)::BIGINT AS big,
        (i * 7)::UINTEGER AS unsigned,
        CASE WHEN i % 3 = 0 THEN NULL ELSE i / 7 END::DOUBLE AS ratio,
        (i / 4)::FLOAT AS single,
        CASE WHEN i % 4 = 0 THEN NULL ELSE 'city ' || (i % 30) END AS city,
        'row ' || i AS label,
        (DATE '2001-01-01' + (i % 90)::INTEGER) AS day,
        TIMESTAMP '2001-01-01 00:00:00' + INTERVAL (i) MINUTE AS at,
        (i / 100)::DECIMAL(10, 2) AS price
      FROM range(0, 5000) t(i)
    ) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
    connection.closeSync();
    instance.closeSync();
    const table = await readParquet(file);
    const rows = await parquetReadObjects({ file: await asyncBufferFromFile(file), compressors });
    expect(table.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'flag:boolean', 'small:number', 'big:number', 'unsigned:number', 'ratio:number', 'single:number',
      'city:string', 'label:string', 'day:timestamp', 'at:timestamp', 'price:number',
    ]);
    expect(table.rowCount).toBe(5000);
    for (const c of table.columns) {
      for (let i = 0; i < table.rowCount; i++) {
        const theirs = oracle(rows[i]![c.name]);
        if (plain(c, i) !== theirs) throw new Error(`${c.name} row ${i}: ${String(plain(c, i))} !== ${String(theirs)}`);
      }
    }
    expect(column(table, 'city').nulls?.[0]).toBe(1);
    expect(valueAt(column(table, 'at'), 61)).toBe('2001-01-01T01:01:00.000Z');
  });

  test('DATE, DECIMAL and microsecond timestamps from an explicit schema', async () => {
    const file = join(dir, 'logical.parquet');
    parquetWriteFile({
      filename: file,
      columnData: [
        { name: 'day', data: [0, 11_323, null] },
        { name: 'price', data: [12.34, -0.5, 100] },
        { name: 'at', data: [978_307_200_123_456n, null, 0n] },
      ],
      schema: [
        { name: 'root', num_children: 3 },
        { name: 'day', type: 'INT32', converted_type: 'DATE', repetition_type: 'OPTIONAL' },
        { name: 'price', type: 'INT64', converted_type: 'DECIMAL', scale: 2, precision: 10, repetition_type: 'REQUIRED' },
        {
          name: 'at', type: 'INT64', repetition_type: 'OPTIONAL',
          logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
        },
      ],
    });
    const table = await readParquet(file);
    expect(table.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['day:timestamp', 'price:number', 'at:timestamp']);
    expect([0, 1, 2].map((i) => valueAt(column(table, 'day'), i))).toEqual(['1970-01-01T00:00:00.000Z', '2001-01-01T00:00:00.000Z', null]);
    expect([0, 1, 2].map((i) => valueAt(column(table, 'price'), i))).toEqual([12.34, -0.5, 100]);
    const at = column(table, 'at');
    if (at.type !== 'timestamp') throw new Error('expected timestamp');
    expect(at.values[0]).toBeCloseTo(978_307_200_123.456, 3);
    expect(at.nulls?.[1]).toBe(1);
  });

  test('a column that does not exist is a UserError listing the columns', async () => {
    await expectUserError(() => readParquet(PARTITION, { columns: ['delay', 'carrier'] }), /2001-01-01\.parquet: no column "carrier" \(columns: date, delay, distance, origin, destination\)/);
  });

  test('a non-Parquet file, a corrupt page and a missing file are UserErrors naming the file', async () => {
    await expectUserError(() => readParquet('test/fixtures/data/not-parquet.parquet'), /^test\/fixtures\/data\/not-parquet\.parquet: not a Parquet file/);
    await expectUserError(() => readParquet('data/flights/1999-01-01.parquet'), 'data file not found: data/flights/1999-01-01.parquet');

    const metadata = await parquetMetadataAsync(await asyncBufferFromFile(PARTITION));
    const chunk = metadata.row_groups[0]!.columns[1]!.meta_data!;
    const start = Number(chunk.dictionary_page_offset || chunk.data_page_offset);
    const bytes = readFileSync(PARTITION);
    bytes.fill(0xff, start, start + 32); // wreck the first page header of "delay"
    const corrupt = join(dir, 'corrupt.parquet');
    writeFileSync(corrupt, bytes);
    await expectUserError(() => readParquet(corrupt), /corrupt\.parquet: column "delay" in row group 1: corrupt Parquet data/);
  });
});
