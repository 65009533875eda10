/**
 * Decoding of Parquet data pages straight into the typed arrays of a column.
 *
 * hyparquet parses the file footer, the page headers (Thrift) and
 * decompresses pages; its value decoding, though, builds a JS array per page
 * (a BigInt per INT64 value, a Date per timestamp, a synthesized definition
 * level per row), which for millions of rows costs seconds. The encodings
 * that real files use for flat columns (PLAIN, dictionary, RLE/bit-packed
 * levels) are decoded here into reused scratch arrays and written directly
 * into the output column. Rarer encodings (DELTA_*, BYTE_STREAM_SPLIT, ALP)
 * go through hyparquet's decoder and are converted value by value.
 */
import type { ColumnMetaData, Compressors, DecodedArray, PageHeader, SchemaElement, SchemaTree } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { DEFAULT_PARSERS } from 'hyparquet/src/convert.js';
import { decompressPage, readDataPage, readDataPageV2 } from 'hyparquet/src/datapage.js';
import { ByteDictionary } from './dictionary.js';
import { MS_PER_DAY } from '../time.js';

/** How the physical values of one Parquet column become values of a ct column. */
export type ValueKind =
  /** Float64 output: `raw * factor / divisor` (exact for integers, decimals and unit changes). */
  | { kind: 'number' | 'timestamp'; factor: number; divisor: number; unsigned: boolean }
  | { kind: 'boolean' }
  /** Dictionary codes; `uuid` formats 16-byte values as UUID text. */
  | { kind: 'string'; uuid: boolean };

/** Where the decoded values of one column go, across all row groups. */
export interface ColumnSink {
  readonly name: string;
  readonly element: SchemaElement;
  readonly schemaPath: SchemaTree[];
  readonly value: ValueKind;
  /** Float64 values, 0/1 booleans or string codes. */
  readonly out: Float64Array | Uint8Array | Int32Array;
  /** Allocated on the first null. */
  nulls: Uint8Array | null;
  /** Global dictionary of a string column (codes are stable across row groups). */
  readonly dictionary: ByteDictionary | null;
  /** Sentinel written into `out` for nulls (NaN, 0 or -1). */
  readonly nullValue: number;
}

/** Thrown for malformed page data; the reader turns it into a `UserError` naming the file and column. */
export class CorruptPageError extends Error {}

/** Reusable scratch space: grown, never shrunk, so pages do not allocate fresh memory each time. */
class Scratch {
  levels = new Uint8Array(1024);
  indices = new Int32Array(1024);
  values = new Float64Array(1024);

  levelsFor(n: number): Uint8Array {
    if (this.levels.length < n) this.levels = new Uint8Array(grownSize(n));
    return this.levels;
  }
  indicesFor(n: number): Int32Array {
    if (this.indices.length < n) this.indices = new Int32Array(grownSize(n));
    return this.indices;
  }
  valuesFor(n: number): Float64Array {
    if (this.values.length < n) this.values = new Float64Array(grownSize(n));
    return this.values;
  }
}

function grownSize(n: number): number {
  return 1 << Math.ceil(Math.log2(Math.max(n, 1024)));
}

const scratch = new Scratch();

/**
 * Decodes one column chunk (all its pages) into `sink.out[rowStart, rowStart + rowCount)`.
 * `bytes` holds the chunk from its first page (dictionary page if any).
 */
export function decodeColumnChunk(
  bytes: Uint8Array,
  meta: ColumnMetaData,
  sink: ColumnSink,
  rowStart: number,
  rowCount: number,
  compressors: Compressors,
): void {
  const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 };
  const maxDefinition = maxDefinitionLevel(sink.schemaPath);
  let dictionary: Float64Array | Int32Array | Uint8Array | null = null;
  let row = rowStart;
  const end = rowStart + rowCount;
  while (row < end) {
    if (reader.offset >= bytes.length) {
      throw new CorruptPageError(`column chunk ends after ${row - rowStart} of ${rowCount} rows`);
    }
    const header = parquetHeader(reader);
    checkPageHeader(header, end - row);
    const compressed = bytes.subarray(reader.offset, reader.offset + header.compressed_page_size);
    reader.offset += header.compressed_page_size;
    if (compressed.length !== header.compressed_page_size) throw new CorruptPageError('page runs past the column chunk');
    if (header.type === 'DICTIONARY_PAGE') {
      const count = header.dictionary_page_header?.num_values ?? 0;
      const page = decompressPage(compressed, header.uncompressed_page_size, meta.codec, compressors);
      dictionary = decodeDictionary(page, count, meta, sink);
    } else if (header.type === 'DATA_PAGE') {
      row += decodeDataPageV1(header, compressed, meta, sink, row, maxDefinition, dictionary, compressors);
    } else if (header.type === 'DATA_PAGE_V2') {
      row += decodeDataPageV2(header, compressed, meta, sink, row, maxDefinition, dictionary, compressors);
    }
    // INDEX_PAGE and unknown page types carry no rows: skipped.
  }
  if (row !== end) throw new CorruptPageError(`pages hold ${row - rowStart} rows, the row group ${rowCount}`);
}

/**
 * Checks the sizes and counts of a page header before anything uses them. A corrupt
 * header can lack a field or hold another thrift type in it, and hyparquet's decoders
 * trust them: an undefined level length makes its reader offset NaN, which reads byte 0
 * forever. A flat column has one value per row, so a page cannot hold more values than
 * the row group has rows left (which also bounds the scratch arrays).
 */
function checkPageHeader(header: PageHeader, rowsLeft: number): void {
  const count = (value: unknown, what: string, max = Number.MAX_SAFE_INTEGER): number => {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max) return value;
    const shown = typeof value === 'number' || value === undefined ? String(value) : typeof value;
    throw new CorruptPageError(`page header has ${what} ${shown}${typeof value === 'number' && value > max ? ` (at most ${max})` : ''}`);
  };
  const encoding = (value: unknown): void => {
    if (typeof value !== 'string') throw new CorruptPageError('page header has no known encoding');
  };
  const compressed = count(header.compressed_page_size, 'compressed size');
  const uncompressed = count(header.uncompressed_page_size, 'uncompressed size');
  if (header.type === 'DICTIONARY_PAGE') {
    const h = header.dictionary_page_header;
    if (h === undefined) throw new CorruptPageError('dictionary page without a header');
    count(h.num_values, 'dictionary size', uncompressed * 8); // no value takes less than a bit
  } else if (header.type === 'DATA_PAGE') {
    const h = header.data_page_header;
    if (h === undefined) throw new CorruptPageError('data page without a header');
    count(h.num_values, 'value count', rowsLeft);
    encoding(h.encoding);
  } else if (header.type === 'DATA_PAGE_V2') {
    const h = header.data_page_header_v2;
    if (h === undefined) throw new CorruptPageError('data page v2 without a header');
    const values = count(h.num_values, 'value count', rowsLeft);
    count(h.num_nulls, 'null count', values);
    const repetition = count(h.repetition_levels_byte_length, 'repetition levels length', compressed);
    count(h.definition_levels_byte_length, 'definition levels length', compressed - repetition);
    encoding(h.encoding);
  }
}

/** Values of a dictionary page, converted once so data pages only copy them. */
function decodeDictionary(
  page: Uint8Array,
  count: number,
  meta: ColumnMetaData,
  sink: ColumnSink,
): Float64Array | Int32Array | Uint8Array {
  const out = sink.value.kind === 'string' ? new Int32Array(count)
    : sink.value.kind === 'boolean' ? new Uint8Array(count) : new Float64Array(count);
  decodePlain(page, 0, count, meta, sink, out, 0);
  return out;
}

function decodeDataPageV1(
  header: PageHeader,
  compressed: Uint8Array,
  meta: ColumnMetaData,
  sink: ColumnSink,
  row: number,
  maxDefinition: number,
  dictionary: Float64Array | Int32Array | Uint8Array | null,
  compressors: Compressors,
): number {
  const daph = header.data_page_header;
  if (daph === undefined) throw new CorruptPageError('data page without a header');
  const n = daph.num_values;
  const page = decompressPage(compressed, header.uncompressed_page_size, meta.codec, compressors);
  if (!isNativeEncoding(daph.encoding, meta)) {
    const { definitionLevels, dataPage } = readDataPage(page, daph, decoderFor(meta, sink, compressors));
    scatterDecoded(dataPage, definitionLevels ?? [], maxDefinition, n, sink, row);
    return n;
  }
  let pos = 0;
  let levels: Uint8Array | null = null;
  let present = n;
  if (maxDefinition > 0) {
    const length = readUint32(page, pos);
    pos += 4;
    levels = scratch.levelsFor(n);
    decodeHybrid(page, pos, pos + length, bitWidth(maxDefinition), levels, n);
    pos += length;
    present = countEqual(levels, n, maxDefinition);
    if (present === n) levels = null;
  }
  decodeValues(daph.encoding, page, pos, present, n, levels, maxDefinition, meta, sink, row, dictionary);
  return n;
}

function decodeDataPageV2(
  header: PageHeader,
  compressed: Uint8Array,
  meta: ColumnMetaData,
  sink: ColumnSink,
  row: number,
  maxDefinition: number,
  dictionary: Float64Array | Int32Array | Uint8Array | null,
  compressors: Compressors,
): number {
  const h2 = header.data_page_header_v2;
  if (h2 === undefined) throw new CorruptPageError('data page v2 without a header');
  const n = h2.num_values;
  if (!isNativeEncoding(h2.encoding, meta)) {
    const { definitionLevels, dataPage } = readDataPageV2(compressed, header, decoderFor(meta, sink, compressors));
    scatterDecoded(dataPage, definitionLevels ?? [], maxDefinition, n, sink, row);
    return n;
  }
  // Levels come first and are never compressed in v2 pages.
  const levelsStart = h2.repetition_levels_byte_length;
  const valuesStart = levelsStart + h2.definition_levels_byte_length;
  let levels: Uint8Array | null = null;
  const present = n - h2.num_nulls;
  if (maxDefinition > 0 && present !== n) {
    levels = scratch.levelsFor(n);
    decodeHybrid(compressed, levelsStart, valuesStart, bitWidth(maxDefinition), levels, n);
  }
  const uncompressedSize = header.uncompressed_page_size - valuesStart;
  const body = compressed.subarray(valuesStart);
  const page = h2.is_compressed !== false && uncompressedSize > 0
    ? decompressPage(body, uncompressedSize, meta.codec, compressors)
    : body;
  decodeValues(h2.encoding, page, 0, present, n, levels, maxDefinition, meta, sink, row, dictionary);
  return n;
}

function isNativeEncoding(encoding: string, meta: ColumnMetaData): boolean {
  return encoding === 'PLAIN' || encoding === 'PLAIN_DICTIONARY' || encoding === 'RLE_DICTIONARY' ||
    (encoding === 'RLE' && meta.type === 'BOOLEAN');
}

/**
 * Decodes the `present` values of a page body starting at `pos` and writes
 * the page's `n` rows (nulls where `levels` is below `maxDefinition`).
 */
function decodeValues(
  encoding: string,
  page: Uint8Array,
  pos: number,
  present: number,
  n: number,
  levels: Uint8Array | null,
  maxDefinition: number,
  meta: ColumnMetaData,
  sink: ColumnSink,
  row: number,
  dictionary: Float64Array | Int32Array | Uint8Array | null,
): void {
  const out = sink.out;
  if (encoding === 'PLAIN_DICTIONARY' || encoding === 'RLE_DICTIONARY') {
    if (dictionary === null) throw new CorruptPageError('dictionary-encoded page without a dictionary page');
    const width = page[pos]!;
    const indices = scratch.indicesFor(present);
    decodeHybrid(page, pos + 1, page.length, width, indices, present);
    const size = dictionary.length;
    if (levels === null) {
      for (let i = 0; i < n; i++) {
        const k = indices[i]!;
        if (k >= size) throw new CorruptPageError(`dictionary index ${k} out of range (${size} entries)`);
        out[row + i] = dictionary[k]!;
      }
    } else {
      for (let i = 0, v = 0; i < n; i++) {
        if (levels[i] === maxDefinition) {
          const k = indices[v++]!;
          if (k >= size) throw new CorruptPageError(`dictionary index ${k} out of range (${size} entries)`);
          out[row + i] = dictionary[k]!;
        } else markNull(sink, row + i);
      }
    }
    return;
  }
  if (encoding === 'RLE') {
    // Booleans in RLE: a 4-byte length, then the hybrid run data with width 1.
    const values = scratch.indicesFor(present);
    decodeHybrid(page, pos + 4, pos + 4 + readUint32(page, pos), 1, values, present);
    scatter(values, present, n, levels, maxDefinition, sink, row);
    return;
  }
  // PLAIN: without nulls, decode straight into the output.
  if (levels === null) {
    decodePlain(page, pos, n, meta, sink, out, row);
    return;
  }
  const values = sink.value.kind === 'string' || sink.value.kind === 'boolean' ? scratch.indicesFor(present) : scratch.valuesFor(present);
  decodePlain(page, pos, present, meta, sink, values, 0);
  scatter(values, present, n, levels, maxDefinition, sink, row);
}

/** Spreads `present` dense values over `n` rows according to the definition levels. */
function scatter(
  values: Float64Array | Int32Array,
  present: number,
  n: number,
  levels: Uint8Array | null,
  maxDefinition: number,
  sink: ColumnSink,
  row: number,
): void {
  const out = sink.out;
  if (levels === null) {
    for (let i = 0; i < n; i++) out[row + i] = values[i]!;
    return;
  }
  let v = 0;
  for (let i = 0; i < n; i++) {
    if (levels[i] === maxDefinition) out[row + i] = values[v++]!;
    else markNull(sink, row + i);
  }
  if (v !== present) throw new CorruptPageError(`page has ${present} values but its levels define ${v}`);
}

function markNull(sink: ColumnSink, row: number): void {
  (sink.nulls ??= new Uint8Array(sink.out.length))[row] = 1;
  sink.out[row] = sink.nullValue;
}

/**
 * Decodes `count` PLAIN values of the column's physical type from `page` at
 * `pos` into `out[at, at + count)`, converted to the sink's value kind.
 */
function decodePlain(
  page: Uint8Array,
  pos: number,
  count: number,
  meta: ColumnMetaData,
  sink: ColumnSink,
  out: Float64Array | Int32Array | Uint8Array,
  at: number,
): void {
  const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
  const value = sink.value;
  const type = meta.type;
  if (value.kind === 'boolean') {
    for (let i = 0; i < count; i++) out[at + i] = (page[pos + (i >> 3)]! >> (i & 7)) & 1;
    return;
  }
  if (value.kind === 'string') {
    decodePlainStrings(page, view, pos, count, type, sink.element.type_length ?? 0, value.uuid, sink, out, at);
    return;
  }
  const { factor, divisor, unsigned } = value;
  needBytes(page, pos, count * plainWidth(type, sink.element.type_length));
  switch (type) {
    case 'INT32':
      for (let i = 0; i < count; i++) {
        const raw = unsigned ? view.getUint32(pos + 4 * i, true) : view.getInt32(pos + 4 * i, true);
        out[at + i] = (raw * factor) / divisor;
      }
      return;
    case 'INT64':
      for (let i = 0; i < count; i++) {
        const lo = view.getUint32(pos + 8 * i, true);
        const hi = unsigned ? view.getUint32(pos + 8 * i + 4, true) : view.getInt32(pos + 8 * i + 4, true);
        out[at + i] = ((hi * 4294967296 + lo) * factor) / divisor;
      }
      return;
    case 'INT96':
      // 8 bytes of nanoseconds in the day, then a 4-byte Julian day number.
      for (let i = 0; i < count; i++) {
        const p = pos + 12 * i;
        const nanos = view.getUint32(p + 4, true) * 4294967296 + view.getUint32(p, true);
        const julianDay = view.getInt32(p + 8, true);
        out[at + i] = (julianDay - 2440588) * MS_PER_DAY + nanos / 1e6;
      }
      return;
    case 'FLOAT':
      for (let i = 0; i < count; i++) out[at + i] = (view.getFloat32(pos + 4 * i, true) * factor) / divisor;
      return;
    case 'DOUBLE':
      for (let i = 0; i < count; i++) out[at + i] = (view.getFloat64(pos + 8 * i, true) * factor) / divisor;
      return;
    case 'FIXED_LEN_BYTE_ARRAY': {
      const width = sink.element.type_length ?? 0;
      const float16 = sink.element.logical_type?.type === 'FLOAT16';
      for (let i = 0; i < count; i++) {
        const p = pos + width * i;
        out[at + i] = float16 ? readFloat16(view, p) : bigEndianInteger(page, p, width) / divisor;
      }
      return;
    }
    case 'BYTE_ARRAY':
      // Variable-length decimals.
      for (let i = 0; i < count; i++) {
        needBytes(page, pos, 4);
        const length = view.getUint32(pos, true);
        pos += 4;
        needBytes(page, pos, length);
        out[at + i] = bigEndianInteger(page, pos, length) / divisor;
        pos += length;
      }
      return;
    default:
      throw new CorruptPageError(`cannot read ${type} values as numbers`);
  }
}

function decodePlainStrings(
  page: Uint8Array,
  view: DataView,
  pos: number,
  count: number,
  type: string,
  width: number,
  uuid: boolean,
  sink: ColumnSink,
  out: Float64Array | Int32Array | Uint8Array,
  at: number,
): void {
  const dictionary = sink.dictionary!;
  const buffer = Buffer.from(page.buffer, page.byteOffset, page.byteLength);
  for (let i = 0; i < count; i++) {
    let length = width;
    if (type === 'BYTE_ARRAY') {
      needBytes(page, pos, 4);
      length = view.getUint32(pos, true);
      pos += 4;
    }
    needBytes(page, pos, length);
    const code = uuid ? dictionary.codeOf(formatUuid(page, pos)) : dictionary.codeOfBytes(buffer, pos, pos + length);
    if (code < 0) throw new CorruptPageError(`column "${sink.name}" holds text that is not valid UTF-8`);
    out[at + i] = code;
    pos += length;
  }
}

/** Converts values decoded by hyparquet (fallback encodings) and writes them with their levels. */
function scatterDecoded(
  data: DecodedArray,
  definitionLevels: number[],
  maxDefinition: number,
  n: number,
  sink: ColumnSink,
  row: number,
): void {
  const present = data.length;
  const values = sink.value.kind === 'number' || sink.value.kind === 'timestamp' ? scratch.valuesFor(present) : scratch.indicesFor(present);
  for (let i = 0; i < present; i++) values[i] = convertDecoded(data[i], sink);
  let levels: Uint8Array | null = null;
  if (definitionLevels.length > 0 && present !== n) {
    levels = scratch.levelsFor(n);
    for (let i = 0; i < n; i++) levels[i] = definitionLevels[i]!;
  }
  scatter(values, present, n, levels, maxDefinition, sink, row);
}

function convertDecoded(raw: unknown, sink: ColumnSink): number {
  const value = sink.value;
  switch (value.kind) {
    case 'boolean':
      return raw ? 1 : 0;
    case 'string': {
      const bytes = raw as Uint8Array;
      const code = value.uuid ? sink.dictionary!.codeOf(formatUuid(bytes, 0))
        : sink.dictionary!.codeOfBytes(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, bytes.length);
      if (code < 0) throw new CorruptPageError(`column "${sink.name}" holds text that is not valid UTF-8`);
      return code;
    }
    default: {
      let number: number;
      if (typeof raw === 'bigint') number = Number(value.unsigned ? BigInt.asUintN(64, raw) : raw);
      else if (raw instanceof Uint8Array) {
        if (sink.element.logical_type?.type === 'FLOAT16') {
          return readFloat16(new DataView(raw.buffer, raw.byteOffset, raw.byteLength), 0);
        }
        number = bigEndianInteger(raw, 0, raw.length);
      }
      else number = Number(raw);
      if (value.unsigned && number < 0 && typeof raw === 'number') number += 4294967296;
      return (number * value.factor) / value.divisor;
    }
  }
}

/** A hyparquet column decoder for the fallback path. */
function decoderFor(meta: ColumnMetaData, sink: ColumnSink, compressors: Compressors) {
  return {
    pathInSchema: meta.path_in_schema,
    type: meta.type,
    element: sink.element,
    schemaPath: sink.schemaPath,
    codec: meta.codec,
    compressors,
    parsers: DEFAULT_PARSERS,
  };
}

/**
 * Decodes Parquet's RLE / bit-packing hybrid from `bytes[pos, end)` into
 * `out[0, count)`: runs of one repeated value, or groups of 8 values packed
 * at `width` bits, least significant bit first.
 */
export function decodeHybrid(
  bytes: Uint8Array,
  pos: number,
  end: number,
  width: number,
  out: Uint8Array | Int32Array,
  count: number,
): void {
  if (width > 32) throw new CorruptPageError(`bit width ${width} is larger than 32`);
  const valueBytes = (width + 7) >> 3;
  let i = 0;
  while (i < count) {
    if (pos >= end) throw new CorruptPageError(`run-length data ends after ${i} of ${count} values`);
    let header = 0;
    let shift = 0;
    let b: number;
    do {
      b = bytes[pos++]!;
      header += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80 && shift < 35);
    if (header % 2 === 1) {
      const groups = (header - 1) / 2;
      const take = Math.min(groups * 8, count - i);
      unpackBits(bytes, pos, width, out, i, take);
      pos += groups * width;
      i += take;
    } else {
      const run = Math.min(header / 2, count - i);
      let value = 0;
      for (let k = 0; k < valueBytes; k++) value += bytes[pos + k]! * 2 ** (8 * k);
      pos += valueBytes;
      out.fill(value, i, i + run);
      i += run;
    }
  }
}

/** Unpacks `count` little-endian bit-packed values of `width` bits starting at byte `pos`. */
function unpackBits(bytes: Uint8Array, pos: number, width: number, out: Uint8Array | Int32Array, at: number, count: number): void {
  if (width === 0) {
    out.fill(0, at, at + count);
    return;
  }
  if (width <= 24) {
    // A 32-bit accumulator holds up to width - 1 + 8 <= 31 pending bits.
    const mask = (1 << width) - 1;
    let acc = 0;
    let bits = 0;
    for (let i = 0; i < count; i++) {
      while (bits < width) {
        acc |= (bytes[pos++] ?? 0) << bits;
        bits += 8;
      }
      out[at + i] = acc & mask;
      acc >>>= width;
      bits -= width;
    }
    return;
  }
  // Wider values: accumulate in a double (exact below 2^53).
  const modulus = 2 ** width;
  let acc = 0;
  let scale = 1;
  for (let i = 0; i < count; i++) {
    while (scale < modulus) {
      acc += (bytes[pos++] ?? 0) * scale;
      scale *= 256;
    }
    out[at + i] = acc % modulus;
    acc = Math.floor(acc / modulus);
    scale /= modulus;
  }
}

/** Maximum definition level of a column: the number of optional (or repeated) fields on its path. */
function maxDefinitionLevel(schemaPath: SchemaTree[]): number {
  let level = 0;
  for (let i = 1; i < schemaPath.length; i++) {
    if (schemaPath[i]!.element.repetition_type !== 'REQUIRED') level++;
  }
  return level;
}

function bitWidth(value: number): number {
  return 32 - Math.clz32(value);
}

function countEqual(levels: Uint8Array, n: number, value: number): number {
  let count = 0;
  for (let i = 0; i < n; i++) if (levels[i] === value) count++;
  return count;
}

function readUint32(bytes: Uint8Array, pos: number): number {
  needBytes(bytes, pos, 4);
  return (bytes[pos]! | (bytes[pos + 1]! << 8) | (bytes[pos + 2]! << 16)) + bytes[pos + 3]! * 16777216;
}

function needBytes(bytes: Uint8Array, pos: number, length: number): void {
  if (pos + length > bytes.length) throw new CorruptPageError('page data is shorter than its values');
}

function plainWidth(type: string, typeLength: number | undefined): number {
  switch (type) {
    case 'INT32':
    case 'FLOAT':
      return 4;
    case 'INT64':
    case 'DOUBLE':
      return 8;
    case 'INT96':
      return 12;
    case 'FIXED_LEN_BYTE_ARRAY':
      return typeLength ?? 0;
    default:
      return 0; // variable length: checked value by value
  }
}

/** A big-endian two's-complement integer of `length` bytes (decimals), as a double. */
function bigEndianInteger(bytes: Uint8Array, pos: number, length: number): number {
  if (length === 0) return 0;
  let value = bytes[pos]! & 0x80 ? -1 : 0;
  for (let i = 0; i < length; i++) value = value * 256 + bytes[pos + i]!;
  return value;
}

function readFloat16(view: DataView, pos: number): number {
  const bits = view.getUint16(pos, true);
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function formatUuid(bytes: Uint8Array, pos: number): string {
  let hex = '';
  for (let i = 0; i < 16; i++) hex += (bytes[pos + i] ?? 0).toString(16).padStart(2, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
