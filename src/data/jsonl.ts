/**
 * JSON Lines reader: one JSON object per line, blank lines skipped. Columns
 * are the union of the keys in order of first appearance; a key missing
 * from a line is null there.
 *
 * `JSON.parse` builds one object per line, which is dropped at once: its
 * values go straight into per-column typed arrays. Types follow the JSON
 * values: all numbers → number, all booleans → boolean, all strings →
 * string, or timestamp when every string is an ISO-8601 date/date-time;
 * a column mixing kinds becomes a string column (numbers and booleans
 * written as JSON text), and objects or arrays are kept as their JSON text.
 */
import { closeSync, readSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { UserError } from '../errors.js';
import { DictionaryBuilder } from './dictionary.js';
import { assertColumnsExist, checkedChunkRows, CHUNK_BYTES, countLineBreaks, displayPath, openDataFile, trimArray } from './files.js';
import { parseTimestampString } from './infer.js';
import { type Column, type ColumnType, nullColumn, nullCount, type Table } from './table.js';

/** Options of `readJsonLines`. */
export interface JsonLinesOptions {
  /** Keep only these columns (in this order); all columns when omitted. */
  readonly columns?: readonly string[];
}

const LF = 10;

/**
 * Reads a JSON Lines file (`.jsonl` / `.ndjson`) into a columnar table. The
 * file is read in chunks into one reused buffer. A line that is not valid
 * JSON, not an object or not UTF-8 is a `UserError` naming the file and
 * line. A file without any object gives a table with no rows and no columns.
 */
export function readJsonLines(path: string, options: JsonLinesOptions = {}): Table {
  const file = displayPath(path);
  const fd = openDataFile(path);
  try {
    const capacity = countLineBreaks(fd) + 1;
    const keep = options.columns === undefined ? null : new Set(options.columns);
    const builders = new Map<string, JsonColumn>();
    let rows = 0;
    const lines = new LineReader(fd, file);
    while (lines.next()) {
      if (lines.text.trim() === '') continue;
      addRecord(builders, keep, capacity, rows, parseRecord(lines.text, file, lines.line));
      rows++;
    }

    const names = [...builders.keys()];
    if (options.columns !== undefined && rows > 0) assertColumnsExist(path, options.columns, names);
    const order = options.columns?.filter((name) => builders.has(name)) ?? names;
    const columns = order.map((name) => builders.get(name)!.finish(rows));
    return { rowCount: rows, columns, sources: [{ file, start: 0, rows }] };
  } finally {
    closeSync(fd);
  }
}

/**
 * A table of records already parsed (a request body), typed as `readJsonLines` types the
 * lines of a file; `source` names them in the table's sources (for messages).
 */
export function tableOfRecords(records: ReadonlyArray<Record<string, unknown>>, source: string): Table {
  const builders = new Map<string, JsonColumn>();
  records.forEach((record, row) => addRecord(builders, null, records.length, row, record));
  const columns = [...builders.values()].map((b) => b.finish(records.length));
  return { rowCount: records.length, columns, sources: [{ file: source, start: 0, rows: records.length }] };
}

function parseRecord(text: string, file: string, line: number): Record<string, unknown> {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file} line ${line}: invalid JSON (${(error as Error).message})`, { cause: error });
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    const found = Array.isArray(record) ? 'an array' : JSON.stringify(record);
    throw new UserError(`${file} line ${line}: expected a JSON object, found ${found}`);
  }
  return record as Record<string, unknown>;
}

/** Puts the values of one record into row `row` of the column builders, adding columns for new keys. */
function addRecord(
  builders: Map<string, JsonColumn>,
  keep: ReadonlySet<string> | null,
  capacity: number,
  row: number,
  record: Record<string, unknown>,
): void {
  for (const key in record) {
    if (keep !== null && !keep.has(key)) continue;
    let column = builders.get(key);
    if (column === undefined) {
      column = new JsonColumn(key, capacity);
      builders.set(key, column);
    }
    column.set(row, record[key]);
  }
}

/** Options of `readJsonLinesChunks`. */
export interface JsonLinesChunkOptions extends JsonLinesOptions {
  /** Rows (objects) per chunk; the last chunk may hold fewer. */
  readonly chunkRows: number;
  /** Bytes read from the file at a time. */
  readonly blockBytes?: number;
}

/**
 * Reads a JSON Lines file as a sequence of tables of at most `chunkRows`
 * rows each, holding one chunk and one block of bytes at a time. Each chunk
 * has every column seen so far in the file, in order of first appearance (a
 * key absent from a whole chunk is a null column of the type it had before);
 * types follow the values of the chunk, as in `readJsonLines`. `sources`
 * give the file and, as `offset`, the rows of the file before the chunk.
 * Errors are those of `readJsonLines`; a requested column that no line of a
 * file with rows holds is a `UserError` once the file is read. A file
 * without any object gives one empty chunk.
 */
export function* readJsonLinesChunks(path: string, options: JsonLinesChunkOptions): Generator<Table, void, undefined> {
  const file = displayPath(path);
  const chunkRows = checkedChunkRows(options.chunkRows);
  const fd = openDataFile(path);
  try {
    const keep = options.columns === undefined ? null : new Set(options.columns);
    const typeSoFar = new Map<string, ColumnType>(); // insertion order = order of first appearance
    const lines = new LineReader(fd, file, options.blockBytes);
    let before = 0;
    let more = true;
    while (more) {
      const builders = new Map<string, JsonColumn>();
      // Columns seen in earlier chunks come first, in their order.
      for (const name of typeSoFar.keys()) builders.set(name, new JsonColumn(name, chunkRows));
      let rows = 0;
      while (rows < chunkRows && (more = lines.next())) {
        if (lines.text.trim() === '') continue;
        addRecord(builders, keep, chunkRows, rows, parseRecord(lines.text, file, lines.line));
        rows++;
      }
      if (rows === 0 && before > 0) break;
      const order = options.columns?.filter((name) => builders.has(name)) ?? [...builders.keys()];
      const columns = order.map((name) => {
        const column = builders.get(name)!.finish(rows);
        const known = typeSoFar.get(name);
        if (rows > 0 && nullCount(column) === rows) {
          // No value in this chunk: keep the type seen before.
          return known === undefined || known === column.type ? column : nullColumn(name, known, rows);
        }
        if (rows > 0) typeSoFar.set(name, column.type);
        return column;
      });
      yield { rowCount: rows, columns, sources: [{ file, start: 0, rows, offset: before }] };
      before += rows;
    }
    if (options.columns !== undefined && before > 0) assertColumnsExist(path, options.columns, [...typeSoFar.keys()]);
  } finally {
    closeSync(fd);
  }
}

/**
 * Walks a file line by line (LF; a CR before it stays in the text, which
 * JSON ignores as white space) through one reused buffer of `blockBytes`,
 * grown only when one line fills it. UTF-8 is checked only for lines whose
 * decoding produced a replacement character, so clean files pay nothing for
 * the check.
 */
class LineReader {
  /** Text of the current line. */
  text = '';
  /** 1-based number of the current line. */
  line = 0;
  private buffer: Buffer;
  private length = 0;
  private start = 0;
  private position = 0;
  private eof = false;

  constructor(private readonly fd: number, private readonly file: string, blockBytes = CHUNK_BYTES) {
    this.buffer = Buffer.allocUnsafe(Math.max(1, blockBytes));
    this.fill();
    if (this.length >= 3 && this.buffer[0] === 0xef && this.buffer[1] === 0xbb && this.buffer[2] === 0xbf) this.start = 3;
  }

  /** Moves to the next line; false at the end of the file. */
  next(): boolean {
    for (;;) {
      const { buffer, start, length } = this;
      let end = buffer.indexOf(LF, start);
      if (end < 0 || end >= length) {
        if (!this.eof) {
          this.fill();
          continue;
        }
        if (start >= length) return false;
        end = length; // last line without a line break
      }
      this.line++;
      const text = buffer.toString('utf8', start, end);
      if (text.includes('\uFFFD') && !isUtf8(buffer.subarray(start, end))) {
        throw new UserError(`${this.file} line ${this.line}: not valid UTF-8 text (save the file as UTF-8)`);
      }
      this.text = text;
      this.start = end + 1;
      return true;
    }
  }

  /** Keeps the unfinished line, moved to the front, and reads more after it. */
  private fill(): void {
    const rest = Math.max(0, this.length - this.start);
    if (this.start === 0 && this.length === this.buffer.length) {
      const bigger = Buffer.allocUnsafe(this.buffer.length * 2);
      this.buffer.copy(bigger, 0, 0, this.length);
      this.buffer = bigger;
    } else if (rest > 0) {
      this.buffer.copy(this.buffer, 0, this.start, this.length);
    }
    this.length = rest;
    this.start = 0;
    const n = readSync(this.fd, this.buffer, this.length, this.buffer.length - this.length, this.position);
    this.position += n;
    this.length += n;
    this.eof = n === 0;
  }
}

/** What a column holds so far; it only ever widens, to `string` when kinds mix. */
type Kind = 'none' | 'number' | 'boolean' | 'string';

/**
 * One column being read. Values land in the typed array of the column's
 * current kind; a value of another kind turns the column into text, and the
 * values so far are re-encoded once.
 */
class JsonColumn {
  private kind: Kind = 'none';
  private numbers: Float64Array | null = null;
  private booleans: Uint8Array | null = null;
  private codes: Int32Array | null = null;
  private readonly dictionary = new DictionaryBuilder();
  private lastText: string | null = null;
  private lastCode = -1;
  /** 1 = has a value; rows never set stay 0 and are null. */
  private readonly present: Uint8Array;

  constructor(readonly name: string, private readonly capacity: number) {
    this.present = new Uint8Array(capacity);
  }

  set(row: number, value: unknown): void {
    if (value === null || value === undefined) return;
    this.present[row] = 1;
    switch (typeof value) {
      case 'number':
        if (this.kind === 'none') {
          this.kind = 'number';
          this.numbers = new Float64Array(this.capacity);
        }
        if (this.kind === 'number') this.numbers![row] = value;
        else this.setText(row, JSON.stringify(value));
        return;
      case 'boolean':
        if (this.kind === 'none') {
          this.kind = 'boolean';
          this.booleans = new Uint8Array(this.capacity);
        }
        if (this.kind === 'boolean') this.booleans![row] = value ? 1 : 0;
        else this.setText(row, String(value));
        return;
      case 'string':
        this.setText(row, value);
        return;
      default:
        this.setText(row, JSON.stringify(value));
    }
  }

  private setText(row: number, text: string): void {
    if (this.kind !== 'string') this.becomeText();
    // Sorted or repetitive data repeats the previous value often: skip the hash lookup then.
    if (text !== this.lastText) {
      this.lastText = text;
      this.lastCode = this.dictionary.codeOf(text);
    }
    this.codes![row] = this.lastCode;
  }

  /** Re-encodes the values read so far as text (numbers as JSON would write them). */
  private becomeText(): void {
    const codes = new Int32Array(this.capacity);
    for (let i = 0; i < this.capacity; i++) {
      if (this.present[i] !== 1) continue;
      if (this.kind === 'number') codes[i] = this.dictionary.codeOf(JSON.stringify(this.numbers![i]));
      else if (this.kind === 'boolean') codes[i] = this.dictionary.codeOf(this.booleans![i] === 1 ? 'true' : 'false');
    }
    this.kind = 'string';
    this.codes = codes;
    this.numbers = null;
    this.booleans = null;
  }

  finish(rows: number): Column {
    const { name } = this;
    let nulls: Uint8Array | null = null;
    for (let i = 0; i < rows; i++) {
      if (this.present[i] === 0) {
        nulls ??= new Uint8Array(rows);
        nulls[i] = 1;
      }
    }
    switch (this.kind) {
      case 'number': {
        const values = trimArray(this.numbers!, rows);
        if (nulls !== null) for (let i = 0; i < rows; i++) if (nulls[i] === 1) values[i] = NaN;
        return { type: 'number', name, values, nulls };
      }
      case 'boolean':
        return { type: 'boolean', name, values: trimArray(this.booleans!, rows), nulls };
      case 'none':
        return { type: 'string', name, codes: new Int32Array(rows).fill(-1), dictionary: [], nulls };
      case 'string':
        return this.finishText(rows, nulls);
    }
  }

  /** A text column, or a timestamp column when every distinct string is an ISO-8601 time. */
  private finishText(rows: number, nulls: Uint8Array | null): Column {
    const { name } = this;
    const codes = trimArray(this.codes!, rows);
    if (nulls !== null) for (let i = 0; i < rows; i++) if (nulls[i] === 1) codes[i] = -1;
    const strings = this.dictionary.strings;
    const times = new Float64Array(strings.length);
    let allTimes = strings.length > 0;
    for (let k = 0; k < strings.length && allTimes; k++) {
      times[k] = parseTimestampString(strings[k]!);
      allTimes = !Number.isNaN(times[k]!);
    }
    if (!allTimes) return { type: 'string', name, codes, dictionary: strings, nulls };
    const values = new Float64Array(rows);
    for (let i = 0; i < rows; i++) values[i] = codes[i]! < 0 ? NaN : times[codes[i]!]!;
    return { type: 'timestamp', name, values, nulls };
  }
}
