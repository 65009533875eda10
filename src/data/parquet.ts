/**
 * Parquet reader: flat columns of a Parquet file into a columnar `Table`.
 *
 * hyparquet reads the footer (schema, row groups); each selected column
 * chunk is then read from disk, one at a time into a reused buffer, and its
 * pages are decoded straight into the column's typed array
 * (`parquet-pages.ts`). Nothing is materialised per row.
 *
 * Types: integers and floats (also DECIMAL, unsigned, INT64 beyond 2^53 with
 * the precision of a double) → number; TIMESTAMP, DATE and INT96 → timestamp
 * in epoch milliseconds (timestamps not adjusted to UTC are taken as UTC wall
 * clock, like the CSV reader does); BOOLEAN → boolean; strings (UTF8, ENUM,
 * JSON text, unannotated BYTE_ARRAY) and UUIDs → dictionary-encoded string.
 * Nested columns (struct, list, map) and binary types are not supported.
 */
import { open, type FileHandle } from 'node:fs/promises';
import {
  parquetMetadataAsync,
  parquetSchema,
  snappyUncompress,
  type AsyncBuffer,
  type Compressors,
  type FileMetaData,
  type SchemaTree,
} from 'hyparquet';
import { compressors as standardCompressors } from 'hyparquet-compressors';
import { UserError } from '../errors.js';
import { isRemote, openRemote } from './remote.js';
import { ByteDictionary } from './dictionary.js';
import { assertColumnsExist, assertDataFile, checkedChunkRows, displayPath } from './files.js';
import { type ColumnSink, CorruptPageError, decodeColumnChunk, type ValueKind } from './parquet-pages.js';
import { type Column, sliceRows, type Table } from './table.js';
import { MS_PER_DAY } from '../time.js';

/** Options of `readParquet`. */
export interface ParquetOptions {
  /** Read only these columns (in this order); all supported columns when omitted. */
  readonly columns?: readonly string[];
}

/**
 * Reads a Parquet file (any codec hyparquet-compressors knows: Snappy, ZSTD,
 * GZIP, Brotli, LZ4) into a columnar table. Without `columns`, columns of an
 * unsupported type are left out; asking for one by name is a `UserError`.
 * A missing, non-Parquet or corrupt file is a `UserError` naming the file.
 */
export async function readParquet(path: string, options: ParquetOptions = {}): Promise<Table> {
  const { file, handle, size, metadata, schema } = await openParquetFile(path, options);
  try {
    const rowCount = Number(metadata.num_rows);
    const sinks = makeSinks(schema, options.columns, rowCount, file);
    await readRowGroups(handle, size, metadata, sinks, file);
    return { rowCount, columns: sinks.map(finishColumn), sources: [{ file, start: 0, rows: rowCount }] };
  } finally {
    await handle.close();
  }
}

/** Options of `readParquetChunks`. */
export interface ParquetChunkOptions extends ParquetOptions {
  /** Rows per chunk at most: a row group with more rows is yielded in slices of this many. */
  readonly chunkRows: number;
}

/**
 * Reads a Parquet file one row group at a time: the group's column chunks
 * are read and decoded as by `readParquet`, then yielded as tables of at most
 * `chunkRows` rows (views into the group's arrays), so memory holds one row
 * group, never the file. Row groups are the unit a Parquet file is
 * compressed in, so this is the smallest step that decodes each page once.
 * Each chunk's `sources` give the file and, as `offset`, the rows of the file
 * before it. A file without rows gives one empty chunk with its columns.
 */
export async function* readParquetChunks(path: string, options: ParquetChunkOptions): AsyncGenerator<Table, void, undefined> {
  const chunkRows = checkedChunkRows(options.chunkRows);
  const { file, handle, size, metadata, schema } = await openParquetFile(path, options);
  try {
    const empty = makeSinks(schema, options.columns, 0, file); // also rejects unreadable columns before any row
    const buffer = { bytes: new Uint8Array(1 << 20) };
    let before = 0;
    for (let g = 0; g < metadata.row_groups.length; g++) {
      const groupRows = Number(metadata.row_groups[g]!.num_rows);
      if (groupRows === 0) continue;
      const sinks = makeSinks(schema, options.columns, groupRows, file);
      await decodeRowGroup(handle, size, metadata, g, sinks, 0, buffer, file);
      const group: Table = { rowCount: groupRows, columns: sinks.map(finishColumn), sources: [{ file, start: 0, rows: groupRows, offset: before }] };
      for (let at = 0; at < groupRows; at += chunkRows) yield at === 0 && groupRows <= chunkRows ? group : sliceRows(group, at, Math.min(groupRows, at + chunkRows));
      before += groupRows;
    }
    assertRowCount(metadata, before, file);
    if (before === 0) yield { rowCount: 0, columns: empty.map(finishColumn), sources: [{ file, start: 0, rows: 0, offset: 0 }] };
  } finally {
    await handle.close();
  }
}

/**
 * Opens a Parquet file and reads its footer: the handle (closed by the caller), size,
 * metadata and schema, with the requested columns checked. Errors name the file; the
 * handle is closed when the footer cannot be read.
 */
async function openParquetFile(path: string, options: ParquetOptions) {
  const file = displayPath(path);
  const handle = await openParquet(path, file);
  try {
    const size = handle.size;
    const metadata = await readMetadata(handle, size, file);
    const schema = readSchema(metadata, file);
    checkRowCounts(metadata, file);
    assertColumnsExist(path, options.columns, schema.children.map((c) => c.element.name));
    return { file, handle, size, metadata, schema };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Where a Parquet file's bytes come from: a local file, or a URL read by byte ranges. */
interface ByteSource {
  size: number;
  /** Bytes to read from the end at first for the footer: small over the network, where each request costs. */
  footerBytes?: number;
  /** Fills `bytes` from `position`; a file that ends first is a UserError. */
  read(bytes: Uint8Array, position: number): Promise<void>;
  close(): Promise<void>;
}

async function openParquet(path: string, file: string): Promise<ByteSource> {
  assertDataFile(path);
  if (isRemote(path)) {
    const remote = await openRemote(path);
    return { size: remote.size, footerBytes: 64 * 1024, read: (bytes, position) => remote.read(bytes, position), close: async () => {} };
  }
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new UserError(`cannot read data file ${file}: ${(error as Error).message}`, { cause: error });
  }
  let size: number;
  try {
    size = (await handle.stat()).size;
  } catch (error) {
    await handle.close();
    throw new UserError(`cannot read data file ${file}: ${(error as Error).message}`, { cause: error });
  }
  return { size, read: (bytes, position) => readFully(handle, bytes, position, file), close: () => handle.close() };
}

async function readMetadata(handle: ByteSource, size: number, file: string): Promise<FileMetaData> {
  const source: AsyncBuffer = {
    byteLength: size,
    async slice(start: number, end = size): Promise<ArrayBuffer> {
      const bytes = new Uint8Array(end - start);
      await handle.read(bytes, start);
      return bytes.buffer;
    },
  };
  try {
    if (size < 12) throw new Error('too short');
    return await parquetMetadataAsync(source, handle.footerBytes === undefined ? {} : { initialFetchSize: handle.footerBytes });
  } catch (error) {
    throw new UserError(`${file}: not a Parquet file, or its footer is corrupt (${(error as Error).message})`, { cause: error });
  }
}

function readSchema(metadata: FileMetaData, file: string): SchemaTree {
  try {
    return parquetSchema(metadata);
  } catch (error) {
    throw new UserError(`${file}: corrupt Parquet schema (${(error as Error).message})`, { cause: error });
  }
}

/** One output column per selected top-level field whose type ct can hold. */
function makeSinks(schema: SchemaTree, wanted: readonly string[] | undefined, rowCount: number, file: string): ColumnSink[] {
  const sinks: ColumnSink[] = [];
  for (const name of wanted ?? schema.children.map((c) => c.element.name)) {
    const field = schema.children.find((c) => c.element.name === name)!;
    const value = valueKindOf(field);
    if (typeof value === 'string') {
      if (wanted !== undefined) throw new UserError(`${file}: column "${name}" ${value}; ct reads flat number, string, boolean and time columns`);
      continue;
    }
    const out = value.kind === 'string' ? new Int32Array(rowCount)
      : value.kind === 'boolean' ? new Uint8Array(rowCount) : new Float64Array(rowCount);
    sinks.push({
      name,
      element: field.element,
      schemaPath: [schema, field],
      value,
      out,
      nulls: null,
      dictionary: value.kind === 'string' ? new ByteDictionary() : null,
      nullValue: value.kind === 'string' ? -1 : value.kind === 'boolean' ? 0 : NaN,
    });
  }
  return sinks;
}

/** How a field's physical values map to a ct column, or why they cannot. */
function valueKindOf(field: SchemaTree): ValueKind | string {
  if (field.children.length > 0) return 'is nested (struct, list or map)';
  const e = field.element;
  if (e.repetition_type === 'REPEATED') return 'is a repeated field';
  const logical = e.logical_type;
  const converted = e.converted_type;
  const number = (divisor = 1, factor = 1, unsigned = false): ValueKind => ({ kind: 'number', factor, divisor, unsigned });
  const timestamp = (divisor: number, factor = 1): ValueKind => ({ kind: 'timestamp', factor, divisor, unsigned: false });
  const unsigned = (logical?.type === 'INTEGER' && !logical.isSigned) || (converted?.startsWith('UINT_') ?? false);
  const decimalDivisor = 10 ** (logical?.type === 'DECIMAL' ? logical.scale : (e.scale ?? 0));
  const isDecimal = converted === 'DECIMAL' || logical?.type === 'DECIMAL';
  switch (e.type) {
    case 'BOOLEAN':
      return { kind: 'boolean' };
    case 'INT32':
      if (converted === 'DATE' || logical?.type === 'DATE') return timestamp(1, MS_PER_DAY);
      if (isDecimal) return number(decimalDivisor);
      return number(1, 1, unsigned); // TIME_MILLIS stays a number of milliseconds
    case 'INT64': {
      const unit = logical?.type === 'TIMESTAMP' ? logical.unit
        : converted === 'TIMESTAMP_MILLIS' ? 'MILLIS' : converted === 'TIMESTAMP_MICROS' ? 'MICROS' : undefined;
      if (unit !== undefined) return timestamp(unit === 'MILLIS' ? 1 : unit === 'MICROS' ? 1000 : 1_000_000);
      if (isDecimal) return number(decimalDivisor);
      if (converted === 'TIME_MICROS' || (logical?.type === 'TIME' && logical.unit === 'MICROS')) return number(1000);
      if (logical?.type === 'TIME' && logical.unit === 'NANOS') return number(1_000_000);
      return number(1, 1, unsigned);
    }
    case 'INT96':
      return timestamp(1);
    case 'FLOAT':
    case 'DOUBLE':
      return number();
    case 'BYTE_ARRAY':
      if (isDecimal) return number(decimalDivisor);
      if (converted === 'BSON' || logical?.type === 'BSON') return 'is BSON';
      if (logical?.type === 'GEOMETRY' || logical?.type === 'GEOGRAPHY') return 'is a geometry';
      return { kind: 'string', uuid: false };
    case 'FIXED_LEN_BYTE_ARRAY':
      if (isDecimal) return number(decimalDivisor);
      if (logical?.type === 'FLOAT16') return number();
      if (logical?.type === 'UUID' && e.type_length === 16) return { kind: 'string', uuid: true };
      return 'is fixed-length binary';
    default:
      return `has the unknown type ${String(e.type)}`;
  }
}

async function readRowGroups(
  handle: ByteSource,
  size: number,
  metadata: FileMetaData,
  sinks: readonly ColumnSink[],
  file: string,
): Promise<void> {
  // One buffer per read (not per module): concurrent reads must not share it.
  const buffer = { bytes: new Uint8Array(1 << 20) };
  let rowStart = 0;
  for (let g = 0; g < metadata.row_groups.length; g++) {
    await decodeRowGroup(handle, size, metadata, g, sinks, rowStart, buffer, file);
    rowStart += Number(metadata.row_groups[g]!.num_rows);
  }
  assertRowCount(metadata, rowStart, file);
}

/**
 * Reads the column chunks of row group `g` one at a time into `buffer.bytes`
 * (grown when a chunk is larger, and kept for the next) and decodes each into
 * its sink from `rowStart` on.
 */
async function decodeRowGroup(
  handle: ByteSource,
  size: number,
  metadata: FileMetaData,
  g: number,
  sinks: readonly ColumnSink[],
  rowStart: number,
  buffer: { bytes: Uint8Array },
  file: string,
): Promise<void> {
  const group = metadata.row_groups[g]!;
  const groupRows = Number(group.num_rows);
  for (const sink of sinks) {
    const where = `${file}: column "${sink.name}" in row group ${g + 1}`;
    const chunk = group.columns.find((c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === sink.name);
    if (chunk?.meta_data === undefined) throw new UserError(`${where} is missing`);
    if (chunk.file_path !== undefined) throw new UserError(`${where} is stored in another file (${chunk.file_path}), which ct does not read`);
    const meta = chunk.meta_data;
    const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
    const length = Number(meta.total_compressed_size);
    if (start < 0 || length < 0 || start + length > size) throw new UserError(`${where}: column chunk lies outside the file (corrupt?)`);
    if (buffer.bytes.length < length) buffer.bytes = new Uint8Array(length);
    const bytes = buffer.bytes.subarray(0, length);
    await handle.read(bytes, start);
    try {
      decodeColumnChunk(bytes, meta, sink, rowStart, groupRows, pageCompressors);
    } catch (error) {
      if (error instanceof UserError) throw error;
      const reason = error instanceof CorruptPageError ? error.message : `cannot decode (${(error as Error).message})`;
      throw new UserError(`${where}: corrupt Parquet data: ${reason}`, { cause: error });
    }
  }
}

/**
 * The footer's row counts, checked before any column array is sized by them: a corrupt
 * footer can say -16458 rows (one flipped bit of a zigzag varint), which is a RangeError
 * in a typed array's constructor, not an error the user can act on.
 */
function checkRowCounts(metadata: FileMetaData, file: string): void {
  let rows = 0;
  for (let g = 0; g < metadata.row_groups.length; g++) {
    const groupRows = Number(metadata.row_groups[g]!.num_rows);
    if (!(Number.isSafeInteger(groupRows) && groupRows >= 0)) {
      throw new UserError(`${file}: row group ${g + 1} holds ${String(metadata.row_groups[g]!.num_rows)} rows (corrupt?)`);
    }
    rows += groupRows;
  }
  assertRowCount(metadata, rows, file);
}

function assertRowCount(metadata: FileMetaData, rows: number, file: string): void {
  if (rows !== Number(metadata.num_rows)) {
    throw new UserError(`${file}: row groups hold ${rows} rows but the footer says ${metadata.num_rows} (corrupt?)`);
  }
}

async function readFully(handle: FileHandle, bytes: Uint8Array, position: number, file: string): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesRead } = await handle.read(bytes, done, bytes.length - done, position + done);
    if (bytesRead === 0) throw new UserError(`${file}: file ends early (truncated?)`);
    done += bytesRead;
  }
}

function finishColumn(sink: ColumnSink): Column {
  const { name, nulls } = sink;
  switch (sink.value.kind) {
    case 'string':
      return { type: 'string', name, codes: sink.out as Int32Array, dictionary: sink.dictionary!.strings, nulls };
    case 'boolean':
      return { type: 'boolean', name, values: sink.out as Uint8Array, nulls };
    default:
      return { type: sink.value.kind, name, values: sink.out as Float64Array, nulls };
  }
}

/**
 * Snappy writes into one reused page buffer: a page is decoded completely
 * before the next one is decompressed, and touching fresh memory for every
 * page costs about as much as the decompression itself. (fzstd cannot do the
 * same: given an output buffer it compares it with `==`, which stringifies
 * the whole buffer, so ZSTD keeps allocating.)
 */
let pageBuffer = new Uint8Array(1 << 20);
function pageOutput(length: number): Uint8Array {
  if (pageBuffer.length < length) pageBuffer = new Uint8Array(1 << Math.ceil(Math.log2(length)));
  return pageBuffer.subarray(0, length);
}
const pageCompressors: Compressors = {
  ...standardCompressors,
  SNAPPY: (input, length) => {
    checkSnappy(input, length);
    const out = pageOutput(length);
    snappyUncompress(input, out);
    return out;
  },
};

/**
 * Walks a Snappy stream's elements (not their bytes) and checks that each stays
 * inside the input and the `length` bytes of output, before anything is allocated
 * or copied. hyparquet's decoder trusts them: a 4-byte literal length of 2^31 or more
 * turns negative, its position runs back by up to 2^31 and creeps forward one byte
 * a step, so one corrupt page took half a minute to fail; copies past the output
 * were dropped without a word.
 */
function checkSnappy(input: Uint8Array, length: number): void {
  let pos = 0;
  while (pos < input.length && input[pos]! >= 128) pos++; // the preamble: the length as a varint
  pos++;
  let out = 0;
  while (pos < input.length) {
    const tag = input[pos++]!;
    let run: number;
    if ((tag & 3) === 0) {
      run = (tag >>> 2) + 1;
      if (run > 60) {
        const bytes = run - 60;
        if (pos + bytes > input.length) throw new Error('snappy literal length runs past the input');
        run = 1;
        for (let k = 0; k < bytes; k++) run += input[pos + k]! * 2 ** (8 * k);
        pos += bytes;
      }
      if (pos + run > input.length) throw new Error('snappy literal runs past the input');
      pos += run;
    } else {
      const bytes = (tag & 3) === 1 ? 1 : (tag & 3) === 2 ? 2 : 4;
      if (pos + bytes > input.length) throw new Error('snappy copy runs past the input');
      let offset = (tag & 3) === 1 ? (tag >>> 5) << 8 : 0;
      for (let k = 0; k < bytes; k++) offset += input[pos + k]! * 2 ** (8 * k);
      pos += bytes;
      run = (tag & 3) === 1 ? ((tag >>> 2) & 7) + 4 : (tag >>> 2) + 1;
      if (offset === 0 || offset > out) throw new Error('snappy copy from before the start of the output');
    }
    out += run;
    if (out > length) throw new Error(`snappy data holds more than the ${length} bytes of its page`);
  }
  if (out !== length) throw new Error(`snappy data holds ${out} bytes, its page ${length}`);
}
