import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsv } from '../../src/data/csv.js';
import { readJsonLines } from '../../src/data/jsonl.js';
import { alignTables, readTable } from '../../src/data/read.js';
import { DEFAULT_CHUNK_ROWS, readChunks, readChunksOf, type ChunkOptions } from '../../src/data/stream.js';
import { concatTables, locateRow, sliceRows, type Table, takeRows, valueAt } from '../../src/data/table.js';
import { expectUserErrorAsync, valuesOf } from '../helpers.js';

const fixtures = 'test/fixtures/data';
const VEGA = 'node_modules/vega-datasets/data/flights-3m.parquet';
const PARTITION = 'data/flights/2001-01-01.parquet';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ct-stream-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(path: string, options: ChunkOptions = {}): Promise<Table[]> {
  const chunks: Table[] = [];
  for await (const chunk of readChunks(path, options)) chunks.push(chunk);
  return chunks;
}

/** A table as plain values (dictionary order and array sharing do not matter), for equality. */
function plain(table: Table): { rowCount: number; columns: Array<{ name: string; type: string; values: unknown[] }> } {
  return {
    rowCount: table.rowCount,
    columns: table.columns.map((c) => ({ name: c.name, type: c.type, values: valuesOf(table, c.name) })),
  };
}

/** The chunks put back together as `readTables` would (columns aligned, then concatenated). */
function joined(chunks: readonly Table[]): Table {
  return concatTables(alignTables(chunks));
}

/** Every chunk row maps to the file row `locateRow` names on the whole-file table. */
function expectTrueRows(chunks: readonly Table[], file: string): void {
  let row = 0;
  for (const chunk of chunks) {
    for (const i of [0, chunk.rowCount - 1]) {
      if (chunk.rowCount === 0) continue;
      expect(locateRow(chunk, i)).toEqual({ file, row: row + i + 1 });
    }
    row += chunk.rowCount;
  }
}

describe('readChunks: Parquet', () => {
  test('a shipped partition in slices equals the whole-file read, rows located in the file', async () => {
    const whole = await readTable(PARTITION);
    const chunks = await collect(PARTITION, { chunkRows: 4000 });
    expect(chunks.map((c) => c.rowCount)).toEqual([4000, 4000, 4000, whole.rowCount - 12_000]);
    expect(plain(joined(chunks))).toEqual(plain(whole));
    expectTrueRows(chunks, PARTITION);
    expect(chunks[2]!.sources).toEqual([{ file: PARTITION, start: 0, rows: 4000, offset: 8000 }]);
  });

  test('the 3M-row file, first row groups: each chunk equals the same rows of the whole-file read', async () => {
    const whole = await readTable(VEGA, { columns: ['date', 'delay', 'origin'] });
    let row = 0;
    const sizes: number[] = [];
    for await (const chunk of readChunks(VEGA, { columns: ['date', 'delay', 'origin'] })) {
      expect(chunk.rowCount).toBeLessThanOrEqual(DEFAULT_CHUNK_ROWS);
      expect(chunk.sources[0]!.offset).toBe(row);
      expect(plain(chunk)).toEqual(plain(sliceRows(whole, row, row + chunk.rowCount)));
      row += chunk.rowCount;
      sizes.push(chunk.rowCount);
      if (row >= 600_000) break; // the first three row groups; break closes the file
    }
    // Row groups of flights-3m are larger than a chunk: slices of 65,536, then the group's rest.
    expect(sizes[0]).toBe(DEFAULT_CHUNK_ROWS);
    expect(sizes.some((n) => n < DEFAULT_CHUNK_ROWS)).toBe(true);
  });

  test('bad requests and files are the UserErrors of the whole-file reader', async () => {
    await expectUserErrorAsync(() => collect(PARTITION, { columns: ['nope'] }), /2001-01-01\.parquet: no column "nope"/);
    await expectUserErrorAsync(() => collect(`${fixtures}/not-parquet.parquet`), /not-parquet\.parquet: not a Parquet file/);
    await expectUserErrorAsync(() => collect(`${fixtures}/missing.parquet`), 'data file not found: test/fixtures/data/missing.parquet');
  });
});

describe('readChunks: CSV', () => {
  test('the fixture in chunks of 1 and 2 rows and any block size equals readCsv', async () => {
    const whole = readCsv(`${fixtures}/basic.csv`);
    for (const chunkRows of [1, 2, 1000]) {
      for (const blockBytes of [1, 7, 64, 1 << 22]) {
        const chunks = await collect(`${fixtures}/basic.csv`, { chunkRows, blockBytes });
        expect(plain(joined(chunks))).toEqual(plain(whole));
        expectTrueRows(chunks, `${fixtures}/basic.csv`);
      }
    }
  });

  test('quoted line breaks across block boundaries, a late text value inside a chunk, an all-null chunk', async () => {
    const lines = ['id,when,note,code,maybe'];
    for (let i = 0; i < 200; i++) {
      const note = i % 7 === 0 ? `"line one\nline ""two""\r\nthree ${i}"` : i % 5 === 0 ? '' : `n${i}`;
      // Each chunk of 10 rows starts with numbers in `code` and meets text at its 9th row:
      // the chunk re-reads its own rows from the file to encode them as text.
      const code = i % 10 === 8 ? `X${i}` : String(i % 13);
      // `maybe` is null in rows 20..39: chunk 3 and 4 have no value and keep the number type.
      const maybe = i >= 20 && i < 40 ? '' : String(i / 4);
      lines.push(`${i},2001-01-${String(1 + (i % 28)).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:05,${note},${code},${maybe}`);
    }
    const file = join(dir, 'quoted.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const whole = readCsv(file);
    for (const blockBytes of [3, 16, 100, 4096]) {
      const chunks = await collect(file, { chunkRows: 10, blockBytes });
      expect(chunks).toHaveLength(20);
      expect(chunks[2]!.columns.map((c) => c.type)).toEqual(['number', 'timestamp', 'string', 'string', 'number']);
      expect(plain(joined(chunks))).toEqual(plain(whole));
      expectTrueRows(chunks, file);
    }
    expect(valuesOf(whole, 'note')[7]).toBe('line one\nline "two"\r\nthree 7');
  });

  test('locateRow of a chunk row names the true file row, also after takeRows', async () => {
    const chunks = await collect(`${fixtures}/basic.csv`, { chunkRows: 2 });
    const third = chunks[1]!;
    expect(locateRow(third, 1)).toEqual({ file: `${fixtures}/basic.csv`, row: 4 });
    expect(valueAt(third.columns[0]!, 1)).toBe(4);
    const picked = takeRows(third, [1]);
    expect(locateRow(picked, 0)).toEqual({ file: `${fixtures}/basic.csv`, row: 4 });
  });

  test('a ragged row names the true file row and line, as readCsv does', async () => {
    const lines = ['a,b'];
    for (let i = 1; i <= 10; i++) lines.push(i === 8 ? '8' : `${i},x`);
    const file = join(dir, 'ragged-late.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const message = /ragged-late\.csv row 8 \(line 9\): expected 2 fields, found 1/;
    await expectUserErrorAsync(async () => readCsv(file), message);
    await expectUserErrorAsync(() => collect(file, { chunkRows: 3, blockBytes: 5 }), message);
    await expectUserErrorAsync(() => collect(`${fixtures}/ragged.csv`, { chunkRows: 1 }), 'test/fixtures/data/ragged.csv row 2 (line 3): expected 5 fields, found 4');
  });

  test('invalid UTF-8 names the true file row; a header without rows gives one empty chunk', async () => {
    const file = join(dir, 'latin1.csv');
    writeFileSync(file, Buffer.concat([Buffer.from('city,n\nParis,1\nLyon,2\n'), Buffer.from([0x4e, 0xee, 0x6d, 0x65, 0x73]), Buffer.from(',3\n')]));
    await expectUserErrorAsync(() => collect(file, { chunkRows: 2 }), /latin1\.csv row 3, column "city": not valid UTF-8/);
    const chunks = await collect(`${fixtures}/header-only.csv`);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.rowCount).toBe(0);
    expect(chunks[0]!.columns.map((c) => c.name)).toEqual(['x', 'y']);
    await expectUserErrorAsync(() => collect(`${fixtures}/empty.csv`), /empty\.csv: empty file, expected a header row/);
    await expectUserErrorAsync(() => collect(`${fixtures}/basic.csv`, { chunkRows: 0 }), /chunk size must be a whole number/);
  });
});

describe('readChunks: JSON Lines', () => {
  test('the fixture in chunks equals readJsonLines; columns seen before stay in later chunks', async () => {
    // `mixed` is 1 on one line and "one" on the next: the same type only when both share a chunk.
    const columns = ['id', 'name', 'score', 'active', 'when', 'tags'];
    for (const chunkRows of [1, 2, 1000]) {
      for (const blockBytes of [1, 50, 1 << 22]) {
        const chunks = await collect(`${fixtures}/basic.jsonl`, { chunkRows, blockBytes, columns });
        expect(plain(joined(chunks))).toEqual(plain(readJsonLines(`${fixtures}/basic.jsonl`, { columns })));
      }
    }
    const all = await collect(`${fixtures}/basic.jsonl`, { chunkRows: 1000, blockBytes: 7 });
    expect(plain(joined(all))).toEqual(plain(readJsonLines(`${fixtures}/basic.jsonl`)));
    const single = await collect(`${fixtures}/basic.jsonl`, { chunkRows: 1 });
    expect(single.map((c) => c.columns.find((k) => k.name === 'mixed')?.type)).toEqual([undefined, undefined, undefined, 'number', 'string']);
    const chunks = await collect(`${fixtures}/basic.jsonl`, { chunkRows: 2 });
    // Line 3 is blank: rows 3-4 of the file are lines 4-5.
    expect(chunks.map((c) => c.rowCount)).toEqual([2, 2, 1]);
    expect(chunks[1]!.columns.map((c) => c.name)).toEqual(['id', 'name', 'score', 'active', 'when', 'tags', 'mixed']);
    // `active` has no value in the last chunk: it stays a boolean column of nulls.
    expect(chunks[2]!.columns.find((c) => c.name === 'active')?.type).toBe('boolean');
    expectTrueRows(chunks, `${fixtures}/basic.jsonl`);
  });

  test('errors name the true line; a requested column no line holds is an error', async () => {
    const file = join(dir, 'bad-late.jsonl');
    writeFileSync(file, `${Array.from({ length: 9 }, (_, i) => JSON.stringify({ a: i })).join('\n')}\n{"a": oops}\n`);
    await expectUserErrorAsync(() => collect(file, { chunkRows: 4, blockBytes: 8 }), /bad-late\.jsonl line 10: invalid JSON/);
    await expectUserErrorAsync(() => collect(`${fixtures}/not-object.jsonl`, { chunkRows: 1 }), /not-object\.jsonl line \d+: expected a JSON object/);
    await expectUserErrorAsync(() => collect(`${fixtures}/basic.jsonl`, { columns: ['nope'] }), /basic\.jsonl: no column "nope"/);
  });
});

describe('readChunksOf', () => {
  test('yields the chunks of each file in order, each naming its own file', async () => {
    const chunks: Table[] = [];
    for await (const chunk of readChunksOf([`${fixtures}/basic.csv`, PARTITION], { chunkRows: 3, columns: undefined })) {
      chunks.push(chunk);
      if (chunks.length === 4) break;
    }
    expect(chunks.map((c) => c.sources[0]!.file)).toEqual([`${fixtures}/basic.csv`, `${fixtures}/basic.csv`, PARTITION, PARTITION]);
    expect(chunks.map((c) => c.sources[0]!.offset)).toEqual([0, 3, 0, 3]);
    await expectUserErrorAsync(async () => {
      for await (const chunk of readChunksOf([])) void chunk;
    }, 'no data files to read');
  });

  test('a format given explicitly overrides the extension', async () => {
    const file = join(dir, 'rows.txt');
    writeFileSync(file, 'a,b\n1,2\n');
    const chunks = await collect(file, { format: 'csv' });
    expect(plain(chunks[0]!).columns.map((c) => c.values)).toEqual([[1], [2]]);
    await expectUserErrorAsync(() => collect(file), /cannot tell the format of .*rows\.txt/);
  });
});
