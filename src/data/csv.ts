/**
 * CSV reader (RFC 4180): comma-separated, optional double quotes, `""` for a
 * quote inside a quoted field, CRLF or LF line ends, a header row.
 *
 * It reads the file in chunks into one reused buffer and works on the raw
 * bytes, without an object per row or a string per number. Each column keeps
 * the types it may still be (number, boolean, timestamp) and parses every
 * field into a typed array for each of them as it goes; a candidate is
 * dropped at the first field it cannot parse. A column left with no
 * candidate becomes a dictionary-encoded string column from that row on, and
 * one short catch-up scan encodes the rows it had before. Text is checked
 * for valid UTF-8 once per distinct string; fields of the other types are
 * ASCII by construction.
 *
 * Conventions: an empty field (quoted or not) is null; blank lines are
 * skipped; a UTF-8 byte-order mark is ignored; an empty header name becomes
 * `column_<n>`.
 */
import { closeSync, readSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { UserError } from '../errors.js';
import { ByteDictionary } from './dictionary.js';
import { assertColumnsExist, checkedChunkRows, CHUNK_BYTES, displayPath, openDataFile, trimArray } from './files.js';
import {
  isNanToken,
  MAY_ANY,
  MAY_BOOLEAN,
  MAY_NUMBER,
  MAY_TIMESTAMP,
  narrowCandidates,
  parseBooleanBytes,
  parseNumberBytes,
  parseTimestampBytes,
  resolveType,
} from './infer.js';
import { type Column, type ColumnType, nullColumn, nullCount, type Table } from './table.js';

/** Options of `readCsv`. */
export interface CsvOptions {
  /** Read only these columns (in this order); all columns when omitted. */
  readonly columns?: readonly string[];
}

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Field flag: quoted and holding `""`, so its bytes need unescaping. */
const ESCAPED = 1;

/**
 * Reads a CSV file into a columnar table, inferring each column's type.
 * Errors the user can fix (missing file, no header, a row with the wrong
 * number of fields, invalid UTF-8, an unclosed quote) are `UserError`s
 * naming the file and the row (1-based, header excluded) and line.
 */
export function readCsv(path: string, options: CsvOptions = {}): Table {
  const file = displayPath(path);
  const fd = openDataFile(path);
  try {
    const scan = new CsvRowScanner(fd, file);
    if (!scan.next()) throw new UserError(`${file}: empty file, expected a header row`);
    const names = readHeader(scan, file);
    assertColumnsExist(path, options.columns, names);
    const fieldIndex = (options.columns ?? names).map((name) => names.indexOf(name));
    const width = names.length;
    const capacity = rowCapacity(fd); // rows can only be fewer
    const columns = fieldIndex.map((j) => new CsvColumn(names[j]!, j, capacity, file));

    let rows = 0;
    while (scan.next()) {
      if (scan.count !== width) {
        throw new UserError(
          `${file} row ${rows + 1} (line ${scan.rowLine}): expected ${width} fields, found ${scan.count}`,
        );
      }
      for (const column of columns) column.add(rows, scan);
      rows++;
    }
    catchUp(columns, () => {
      const scan = new CsvRowScanner(fd, file);
      scan.next(); // header
      return scan;
    });
    return { rowCount: rows, columns: columns.map((c) => c.finish(rows)), sources: [{ file, start: 0, rows }] };
  } finally {
    closeSync(fd);
  }
}

/**
 * Rows a CSV file can hold at most: one per line end (LF, CRLF or a lone CR, each of
 * which ends a row here) plus a last row without one. (`countLineBreaks` counts lone
 * CRs only in files without any LF: a file of mixed line ends has more rows than that,
 * and rows past the capacity were lost while `rowCount` still counted them.)
 */
function rowCapacity(fd: number): number {
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let breaks = 0;
  let position = 0;
  let crBefore = false; // the previous block ended with a CR
  for (;;) {
    const n = readSync(fd, buffer, 0, buffer.length, position);
    if (n === 0) break;
    position += n;
    const block = n === buffer.length ? buffer : buffer.subarray(0, n);
    if (crBefore && block[0] === LF) breaks--; // a CRLF across blocks is one line end
    for (let at = block.indexOf(LF); at >= 0; at = block.indexOf(LF, at + 1)) breaks++;
    for (let at = block.indexOf(CR); at >= 0; at = block.indexOf(CR, at + 1)) if (block[at + 1] !== LF) breaks++;
    crBefore = block[n - 1] === CR;
  }
  return breaks + 1;
}

/** Options of `readCsvChunks`. */
export interface CsvChunkOptions extends CsvOptions {
  /** Rows per chunk (the last chunk may hold fewer). */
  readonly chunkRows: number;
  /** Bytes read from the file at a time (tests use tiny blocks to put rows across block ends). */
  readonly blockBytes?: number;
}

/**
 * Reads a CSV file as a sequence of tables of at most `chunkRows` rows each,
 * holding only one chunk and one block of bytes at a time. The bytes are
 * read in blocks of `blockBytes`; a row (quoted line breaks included) that
 * runs past the end of a block is finished from the next one, so chunks
 * always end at a complete row.
 *
 * Each chunk infers its column types from its own rows, with the same
 * parsers as `readCsv`; a column that is null in every row of a chunk takes
 * the type it had in the chunks before. Its `sources` give the file and, as
 * `offset`, the data rows of the file before the chunk, so `locateRow` names
 * the file row. Errors are those of `readCsv`, with the row of the file. A
 * file with a header and no rows gives one empty chunk, so its columns are
 * still seen.
 */
export function* readCsvChunks(path: string, options: CsvChunkOptions): Generator<Table, void, undefined> {
  const file = displayPath(path);
  const chunkRows = checkedChunkRows(options.chunkRows);
  const blockBytes = options.blockBytes ?? CHUNK_BYTES;
  const fd = openDataFile(path);
  try {
    const scan = new CsvRowScanner(fd, file, blockBytes);
    if (!scan.next()) throw new UserError(`${file}: empty file, expected a header row`);
    const names = readHeader(scan, file);
    assertColumnsExist(path, options.columns, names);
    const fieldIndex = (options.columns ?? names).map((name) => names.indexOf(name));
    const width = names.length;
    const typeSoFar = new Map<string, ColumnType>();
    let before = 0; // data rows of the file in earlier chunks
    let more = scan.next();
    while (more || before === 0) {
      const columns = fieldIndex.map((j) => new CsvColumn(names[j]!, j, chunkRows, file, before));
      const chunkOffset = scan.rowOffset;
      let rows = 0;
      while (more && rows < chunkRows) {
        if (scan.count !== width) {
          throw new UserError(
            `${file} row ${before + rows + 1} (line ${scan.rowLine}): expected ${width} fields, found ${scan.count}`,
          );
        }
        for (const column of columns) column.add(rows, scan);
        rows++;
        more = scan.next();
      }
      catchUp(columns, () => new CsvRowScanner(fd, file, blockBytes, chunkOffset));
      const finished = columns.map((c) => c.finish(rows));
      yield {
        rowCount: rows,
        columns: finished.map((column) => {
          // No value in this chunk says nothing about the type: keep the one seen before.
          const known = typeSoFar.get(column.name);
          if (rows > 0 && nullCount(column) === rows) {
            return known === undefined || known === column.type ? column : nullColumn(column.name, known, rows);
          }
          typeSoFar.set(column.name, column.type);
          return column;
        }),
        sources: [{ file, start: 0, rows, offset: before }],
      };
      before += rows;
      if (rows === 0) break; // the empty chunk of a file without rows
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Walks a CSV file one row at a time through a reused buffer, exposing the
 * field boundaries of the current row (positions in `bytes`, valid until the
 * next call) in reusable typed arrays.
 */
class CsvRowScanner {
  /** The buffer the current row's positions refer to. */
  bytes: Buffer;
  /** Fields of the current row: `[starts[i], ends[i])`, quotes excluded. */
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  flags = new Uint8Array(64);
  count = 0;
  /** 1-based line number where the current row starts. */
  rowLine = 0;
  /** Byte offset in the file where the current row starts (where a later scan can resume). */
  rowOffset = 0;
  private length = 0; // valid bytes in `bytes`
  private filePosition: number; // file offset of the next read
  private eof = false;
  private pos = 0;
  private line = 1;

  /**
   * Scans from byte `startOffset` (a row start, or 0 for the head of the
   * file, where a byte-order mark is skipped), reading `blockBytes` at a time.
   */
  constructor(
    private readonly fd: number,
    private readonly file: string,
    blockBytes = CHUNK_BYTES,
    startOffset = 0,
  ) {
    this.bytes = Buffer.allocUnsafe(Math.max(1, blockBytes));
    this.filePosition = startOffset;
    this.fill(0);
    if (startOffset === 0 && this.bytes[0] === 0xef && this.bytes[1] === 0xbb && this.bytes[2] === 0xbf) this.pos = 3;
  }

  /** Moves to the next non-blank row; false at the end of the input. */
  next(): boolean {
    for (;;) {
      const found = this.scanRow();
      if (found !== NEED_MORE) return found === ROW;
      this.fill(this.pos);
    }
  }

  /** The raw bytes of field `i` of the current row (a view, no copy). */
  bytesOf(i: number): Buffer {
    return this.bytes.subarray(this.starts[i], this.ends[i]);
  }

  /** The text of field `i` of the current row, quotes removed and `""` unescaped. */
  text(i: number): string {
    const s = this.bytes.toString('utf8', this.starts[i], this.ends[i]);
    return this.flags[i]! & ESCAPED ? s.replaceAll('""', '"') : s;
  }

  /**
   * Scans one row starting at `pos`. When the row runs past the bytes in the
   * buffer and the file has more, nothing is consumed and NEED_MORE asks the
   * caller to refill from `pos`.
   */
  private scanRow(): number {
    const bytes = this.bytes;
    const end = this.length;
    const more = !this.eof;
    let pos = this.pos;
    // Skip blank lines (pandas does the same); they carry no row.
    while (pos < end) {
      const c = bytes[pos]!;
      if (c === LF) this.line++;
      else if (c === CR) {
        if (pos + 1 === end && more) {
          this.pos = pos; // CR or CRLF? The next chunk tells.
          return NEED_MORE;
        }
        if (bytes[pos + 1] !== LF) this.line++;
      } else break;
      pos++;
    }
    this.pos = pos;
    if (pos >= end) return more ? NEED_MORE : END;
    const rowStart = pos;
    let line = this.line;
    let n = 0;
    for (;;) {
      let flags = 0;
      let fieldStart: number;
      let fieldEnd: number;
      if (bytes[pos] === QUOTE) {
        fieldStart = ++pos;
        for (;;) {
          const q = bytes.indexOf(QUOTE, pos);
          if (q < 0 || q >= end || (q + 1 === end && more)) {
            if (more) return NEED_MORE;
            throw new UserError(`${this.file} line ${this.line}: quoted field is never closed`);
          }
          if (bytes[q + 1] === QUOTE && q + 1 < end) {
            flags = ESCAPED;
            pos = q + 2;
            continue;
          }
          fieldEnd = q;
          pos = q + 1;
          break;
        }
        for (let k = fieldStart; k < fieldEnd; k++) if (bytes[k] === LF) line++;
        const after = bytes[pos];
        if (pos < end && after !== COMMA && after !== LF && after !== CR) {
          throw new UserError(`${this.file} line ${line}: unexpected text after a closing quote`);
        }
      } else {
        fieldStart = pos;
        while (pos < end) {
          const c = bytes[pos]!;
          if (c === COMMA || c === LF || c === CR) break;
          pos++;
        }
        fieldEnd = pos;
      }
      if (n === this.starts.length) this.growFields();
      this.starts[n] = fieldStart;
      this.ends[n] = fieldEnd;
      this.flags[n] = flags;
      n++;
      if (pos >= end) {
        if (more) return NEED_MORE;
        break;
      }
      const c = bytes[pos]!;
      pos++;
      if (c === COMMA) continue;
      if (c === CR) {
        if (pos === end && more) return NEED_MORE;
        if (bytes[pos] === LF) pos++;
      }
      line++;
      break;
    }
    this.rowLine = this.line;
    this.rowOffset = this.filePosition - this.length + rowStart;
    this.line = line;
    this.pos = pos;
    this.count = n;
    return ROW;
  }

  /** Keeps `bytes[keep, length)`, moves it to the front and reads more of the file after it. */
  private fill(keep: number): void {
    const kept = this.length - keep;
    if (keep === 0 && this.length === this.bytes.length) {
      // One row fills the whole buffer: make room for it.
      const bigger = Buffer.allocUnsafe(this.bytes.length * 2);
      this.bytes.copy(bigger, 0, 0, this.length);
      this.bytes = bigger;
    } else if (kept > 0) {
      this.bytes.copy(this.bytes, 0, keep, this.length);
    }
    this.length = kept;
    this.pos = 0;
    while (this.length < this.bytes.length) {
      const n = readSync(this.fd, this.bytes, this.length, this.bytes.length - this.length, this.filePosition);
      if (n === 0) {
        this.eof = true;
        break;
      }
      this.length += n;
      this.filePosition += n;
    }
  }

  private growFields(): void {
    const n = this.starts.length * 2;
    const starts = new Int32Array(n);
    const ends = new Int32Array(n);
    const flags = new Uint8Array(n);
    starts.set(this.starts);
    ends.set(this.ends);
    flags.set(this.flags);
    this.starts = starts;
    this.ends = ends;
    this.flags = flags;
  }
}

const ROW = 1;
const END = 0;
const NEED_MORE = -1;

function readHeader(scan: CsvRowScanner, file: string): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < scan.count; i++) {
    if (!isUtf8(scan.bytesOf(i))) throw new UserError(`${file} line ${scan.rowLine}: header is not valid UTF-8 text`);
    const name = scan.text(i).trim() || `column_${i + 1}`;
    if (seen.has(name)) throw new UserError(`${file}: column "${name}" appears twice in the header`);
    seen.add(name);
    names.push(name);
  }
  return names;
}

/**
 * Encodes the rows that string columns saw before they turned out to be
 * strings: one more scan over the rows read (from `rescan()`, positioned
 * before the first of them), only as far as needed.
 */
function catchUp(columns: readonly CsvColumn[], rescan: () => CsvRowScanner): void {
  const pending = columns.filter((c) => c.catchUpEnd > c.catchUpStart);
  if (pending.length === 0) return;
  const last = Math.max(...pending.map((c) => c.catchUpEnd));
  const scan = rescan();
  for (let row = 0; row < last; row++) {
    scan.next();
    for (const column of pending) {
      if (row >= column.catchUpStart && row < column.catchUpEnd) column.addString(row, scan);
    }
  }
}

/**
 * One column being read: typed arrays for each type it may still be, and
 * dictionary codes once it is known to be a string column.
 */
class CsvColumn {
  private candidates = MAY_ANY;
  private sawValue = false;
  private nulls: Uint8Array | null = null;
  private numbers: Float64Array | null = null;
  private timestamps: Float64Array | null = null;
  private booleans: Uint8Array | null = null;
  private codes: Int32Array | null = null;
  private readonly dictionary = new ByteDictionary();
  /** Rows `[catchUpStart, catchUpEnd)` hold values read before the column became a string column. */
  catchUpStart = 0;
  catchUpEnd = 0;

  /** `firstRow`: data rows of the file before this column's row 0 (for messages). */
  constructor(
    readonly name: string,
    private readonly field: number,
    private readonly capacity: number,
    private readonly file: string,
    private readonly firstRow = 0,
  ) {}

  /** Reads this column's field of the current row of `scan`. */
  add(row: number, scan: CsvRowScanner): void {
    const j = this.field;
    const start = scan.starts[j]!;
    const end = scan.ends[j]!;
    if (start === end) {
      (this.nulls ??= new Uint8Array(this.capacity))[row] = 1;
      return;
    }
    let c = this.candidates;
    if (c !== 0) {
      const bytes = scan.bytes;
      if (scan.flags[j]! & ESCAPED) c = 0; // a value holding a quote is text
      if (!this.sawValue) c = this.firstValue(row, c, bytes, start, end);
      if (c & MAY_NUMBER) {
        const v = parseNumberBytes(bytes, start, end);
        if (v === v || isNanToken(bytes, start, end)) this.numbers![row] = v;
        else c &= ~MAY_NUMBER;
      }
      if (c & MAY_TIMESTAMP) {
        const t = parseTimestampBytes(bytes, start, end);
        if (t === t) this.timestamps![row] = t;
        else c &= ~MAY_TIMESTAMP;
      }
      if (c & MAY_BOOLEAN) {
        const b = parseBooleanBytes(bytes, start, end);
        if (b >= 0) this.booleans![row] = b;
        else c &= ~MAY_BOOLEAN;
      }
      if (c !== 0) {
        this.candidates = c;
        return;
      }
      this.becomeString(row);
    }
    this.addString(row, scan);
  }

  /** Dictionary-encodes this column's field of the current row of `scan`. */
  addString(row: number, scan: CsvRowScanner): void {
    const j = this.field;
    const start = scan.starts[j]!;
    const end = scan.ends[j]!;
    if (start === end) return; // null, flagged already
    let code: number;
    if (scan.flags[j]! & ESCAPED) {
      code = isUtf8(scan.bytesOf(j)) ? this.dictionary.codeOf(scan.text(j)) : -2;
    } else code = this.dictionary.codeOfBytes(scan.bytes, start, end);
    if (code === -2) {
      throw new UserError(`${this.file} row ${this.firstRow + row + 1}, column "${this.name}": not valid UTF-8 text (save the file as UTF-8)`);
    }
    this.codes![row] = code;
  }

  /**
   * The first value decides which candidate arrays are worth allocating
   * (usually one, or none for a text column). Returns the candidates left.
   */
  private firstValue(row: number, candidates: number, bytes: Uint8Array, start: number, end: number): number {
    this.sawValue = true;
    this.catchUpStart = row;
    const c = candidates === 0 ? 0 : narrowCandidates(candidates, bytes, start, end);
    if (c & MAY_NUMBER) this.numbers = new Float64Array(this.capacity);
    if (c & MAY_TIMESTAMP) this.timestamps = new Float64Array(this.capacity);
    if (c & MAY_BOOLEAN) this.booleans = new Uint8Array(this.capacity);
    return c;
  }

  private becomeString(row: number): void {
    this.candidates = 0;
    this.catchUpEnd = row;
    this.numbers = null;
    this.timestamps = null;
    this.booleans = null;
    this.codes = new Int32Array(this.capacity); // null rows get -1 in finish()
  }

  /** The finished column, trimmed to `rows`. */
  finish(rows: number): Column {
    const { name } = this;
    const type = resolveType(this.candidates, this.sawValue);
    const nulls = this.nulls === null ? null : trimArray(this.nulls, rows);
    if (type === 'number' || type === 'timestamp') {
      const values = trimArray(type === 'number' ? this.numbers! : this.timestamps!, rows);
      if (nulls !== null) for (let i = 0; i < rows; i++) if (nulls[i] === 1) values[i] = NaN;
      return { type, name, values, nulls };
    }
    if (type === 'boolean') return { type, name, values: trimArray(this.booleans!, rows), nulls };
    const codes = this.codes === null ? new Int32Array(rows).fill(-1) : trimArray(this.codes, rows);
    if (nulls !== null) for (let i = 0; i < rows; i++) if (nulls[i] === 1) codes[i] = -1;
    return { type: 'string', name, codes, dictionary: this.dictionary.strings, nulls };
  }
}
