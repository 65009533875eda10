/**
 * The columnar table every stage works on: one typed array per column, strings
 * dictionary-encoded, so millions of rows fit without one object per row.
 */

/** Logical type of a column, as readers infer it and schemas declare it. */
export type ColumnType = 'number' | 'string' | 'timestamp' | 'boolean';

interface ColumnBase {
  readonly name: string;
  /** 1 where the value is null (missing); `null` when the column has no nulls at all. */
  readonly nulls: Uint8Array | null;
}

/** Numbers (integers and floats alike). Null slots hold NaN and are flagged in `nulls`. */
export interface NumberColumn extends ColumnBase {
  readonly type: 'number';
  readonly values: Float64Array;
}

/** Instants as milliseconds since the Unix epoch, UTC. Null slots hold NaN. */
export interface TimestampColumn extends ColumnBase {
  readonly type: 'timestamp';
  readonly values: Float64Array;
}

/** Booleans as 0/1. Null slots hold 0 and are flagged in `nulls`. */
export interface BooleanColumn extends ColumnBase {
  readonly type: 'boolean';
  readonly values: Uint8Array;
}

/** Dictionary-encoded strings: `dictionary[codes[i]]`; code -1 is null. */
export interface StringColumn extends ColumnBase {
  readonly type: 'string';
  readonly codes: Int32Array;
  readonly dictionary: readonly string[];
}

export type Column = NumberColumn | TimestampColumn | BooleanColumn | StringColumn;

/** Where a run of rows came from, so anomalies can name the file and row. */
export interface RowSource {
  /** Path of the file, relative to the working directory when it is below it. */
  readonly file: string;
  /** Index in the table of the first row read from this file. */
  readonly start: number;
  readonly rows: number;
  /**
   * Data rows of the file before this source's first row (0 when omitted).
   * A chunk read from the middle of a file sets it, so that `locateRow`
   * still names the row of the file, not of the chunk.
   */
  readonly offset?: number;
}

export interface Table {
  readonly rowCount: number;
  readonly columns: readonly Column[];
  /** Files in the order their rows appear in the table. */
  readonly sources: readonly RowSource[];
}

/** A string column from a key per row (null where missing), each distinct key stored once in the dictionary. */
export function stringColumnOf(name: string, rows: number, keyAt: (i: number) => string | null): StringColumn {
  const codes = new Int32Array(rows);
  const dictionary: string[] = [];
  const index = new Map<string, number>();
  let nulls: Uint8Array | null = null;
  for (let i = 0; i < rows; i++) {
    const key = keyAt(i);
    if (key === null) {
      codes[i] = -1;
      (nulls ??= new Uint8Array(rows))[i] = 1;
      continue;
    }
    let code = index.get(key);
    if (code === undefined) {
      code = dictionary.length;
      dictionary.push(key);
      index.set(key, code);
    }
    codes[i] = code;
  }
  return { type: 'string', name, codes, dictionary, nulls };
}

/** A number column read as categories (an id 1017 -> "1017"), NaN as missing: how ct keys rows by a numeric id. */
export function codesAsText(column: NumberColumn): StringColumn {
  return stringColumnOf(column.name, column.values.length, (i) => (Number.isNaN(column.values[i]!) ? null : String(column.values[i])));
}

/** A boolean column as the categories "true" and "false" (as statistics list them), nulls kept. */
export function booleansAsText(column: BooleanColumn): StringColumn {
  return stringColumnOf(column.name, column.values.length, (i) => (isNull(column, i) ? null : column.values[i] === 1 ? 'true' : 'false'));
}

/** A number column from computed values; NaN marks a null. */
export function numberColumnOf(name: string, values: ArrayLike<number>): NumberColumn {
  const out = Float64Array.from(values);
  let nulls: Uint8Array | null = null;
  for (let i = 0; i < out.length; i++) if (Number.isNaN(out[i]!)) (nulls ??= new Uint8Array(out.length))[i] = 1;
  return { type: 'number', name, values: out, nulls };
}

/** Returns the column named `name`, or undefined. */
export function findColumn(table: Table, name: string): Column | undefined {
  return table.columns.find((c) => c.name === name);
}

/** True when row `i` of `column` is null. */
export function isNull(column: Column, i: number): boolean {
  return column.nulls !== null && column.nulls[i] === 1;
}

/** Number of null rows in `column`. */
export function nullCount(column: Column): number {
  if (column.nulls === null) return 0;
  let n = 0;
  for (let i = 0; i < column.nulls.length; i++) n += column.nulls[i]!;
  return n;
}

/** Length of a column in rows. */
export function columnLength(column: Column): number {
  return column.type === 'string' ? column.codes.length : column.values.length;
}

/** The value of row `i` as a plain JS value (for messages and examples, not hot loops). */
export function valueAt(column: Column, i: number): string | number | boolean | null {
  if (isNull(column, i)) return null;
  switch (column.type) {
    case 'string':
      return column.dictionary[column.codes[i]!] ?? null;
    case 'boolean':
      return column.values[i] === 1;
    case 'timestamp':
      return new Date(column.values[i]!).toISOString();
    case 'number':
      return column.values[i]!;
  }
}

/** Maps a table row index to the file and 1-based data row it was read from. */
export function locateRow(table: Table, row: number): { file: string; row: number } {
  // Binary search: sources are sorted by `start` and do not overlap.
  let lo = 0;
  let hi = table.sources.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = table.sources[mid]!;
    if (row < s.start) hi = mid - 1;
    else if (row >= s.start + s.rows) lo = mid + 1;
    else return { file: s.file, row: row - s.start + (s.offset ?? 0) + 1 };
  }
  return { file: '(unknown)', row: row + 1 };
}

/** A new table holding only the rows whose indices are listed (in that order). */
export function takeRows(table: Table, rows: Int32Array | readonly number[]): Table {
  const n = rows.length;
  const columns = table.columns.map((c): Column => {
    const nulls = c.nulls === null ? null : new Uint8Array(n);
    if (nulls !== null) for (let i = 0; i < n; i++) nulls[i] = c.nulls![rows[i]!]!;
    switch (c.type) {
      case 'string': {
        const codes = new Int32Array(n);
        for (let i = 0; i < n; i++) codes[i] = c.codes[rows[i]!]!;
        return { ...c, codes, nulls };
      }
      case 'boolean': {
        const values = new Uint8Array(n);
        for (let i = 0; i < n; i++) values[i] = c.values[rows[i]!]!;
        return { ...c, values, nulls };
      }
      default: {
        const values = new Float64Array(n);
        for (let i = 0; i < n; i++) values[i] = c.values[rows[i]!]!;
        return { ...c, values, nulls };
      }
    }
  });
  return { rowCount: n, columns, sources: remapSources(table, rows) };
}

/**
 * Sources of a row selection: contiguous runs of rows from one file keep their
 * file name, and each run's `offset` is the file row of its first row, so row
 * numbers are exact for selections that keep rows contiguous (a window, a
 * slice); selections that reorder rows keep the file boundaries only.
 */
function remapSources(table: Table, rows: Int32Array | readonly number[]): RowSource[] {
  const out: Array<{ file: string; start: number; rows: number; offset?: number }> = [];
  let current: { file: string; start: number; rows: number; offset?: number } | null = null;
  for (let i = 0; i < rows.length; i++) {
    const at = locateRow(table, rows[i]!);
    if (current !== null && current.file === at.file) current.rows++;
    else {
      current = { file: at.file, start: i, rows: 1 };
      if (at.row > 1) current.offset = at.row - 1; // 0 is the default: keep sources as readers write them
      out.push(current);
    }
  }
  return out;
}

/**
 * Rows `[start, end)` of a table as a new table whose columns are views into
 * the same arrays (no copy); `sources` keep the file rows exact.
 */
export function sliceRows(table: Table, start: number, end: number): Table {
  if (!(start >= 0 && start <= end && end <= table.rowCount)) {
    throw new RangeError(`rows ${start}..${end} are outside a table of ${table.rowCount} rows`);
  }
  const columns = table.columns.map((c): Column => {
    const nulls = c.nulls === null ? null : c.nulls.subarray(start, end);
    return c.type === 'string' ? { ...c, codes: c.codes.subarray(start, end), nulls }
      : { ...c, values: c.values.subarray(start, end), nulls } as Column;
  });
  const sources: RowSource[] = [];
  for (const s of table.sources) {
    const from = Math.max(s.start, start);
    const to = Math.min(s.start + s.rows, end);
    if (to <= from) continue;
    sources.push({ file: s.file, start: from - start, rows: to - from, offset: (s.offset ?? 0) + from - s.start });
  }
  return { rowCount: end - start, columns, sources };
}

/** Concatenates tables with the same columns (by name); types must agree, dictionaries are merged. */
export function concatTables(tables: readonly Table[]): Table {
  if (tables.length === 0) return { rowCount: 0, columns: [], sources: [] };
  if (tables.length === 1) return tables[0]!;
  const first = tables[0]!;
  const rowCount = tables.reduce((s, t) => s + t.rowCount, 0);
  const columns = first.columns.map((c0): Column => {
    const parts = tables.map((t) => {
      const c = findColumn(t, c0.name);
      if (c === undefined) throw new Error(`column "${c0.name}" is missing from one of the tables`);
      if (c.type !== c0.type) throw new Error(`column "${c0.name}" is ${c0.type} in one table and ${c.type} in another`);
      return c;
    });
    const anyNulls = parts.some((p) => p.nulls !== null);
    const nulls = anyNulls ? new Uint8Array(rowCount) : null;
    let offset = 0;
    if (c0.type === 'string') {
      const dictionary: string[] = [];
      const index = new Map<string, number>();
      const codes = new Int32Array(rowCount);
      for (const p of parts as StringColumn[]) {
        const remap = p.dictionary.map((s) => {
          let k = index.get(s);
          if (k === undefined) {
            k = dictionary.length;
            dictionary.push(s);
            index.set(s, k);
          }
          return k;
        });
        for (let i = 0; i < p.codes.length; i++) {
          const code = p.codes[i]!;
          codes[offset + i] = code < 0 ? -1 : remap[code]!;
        }
        if (nulls !== null && p.nulls !== null) nulls.set(p.nulls, offset);
        offset += p.codes.length;
      }
      return { type: 'string', name: c0.name, codes, dictionary, nulls };
    }
    const values = c0.type === 'boolean' ? new Uint8Array(rowCount) : new Float64Array(rowCount);
    for (const p of parts as (NumberColumn | TimestampColumn | BooleanColumn)[]) {
      values.set(p.values, offset);
      if (nulls !== null && p.nulls !== null) nulls.set(p.nulls, offset);
      offset += p.values.length;
    }
    return { type: c0.type, name: c0.name, values, nulls } as Column;
  });
  const sources: RowSource[] = [];
  let start = 0;
  for (const t of tables) {
    for (const s of t.sources) {
      const source: RowSource = { file: s.file, start: start + s.start, rows: s.rows };
      // Whole-file sources stay exactly as the readers wrote them (no `offset: 0`).
      sources.push(s.offset === undefined ? source : { ...source, offset: s.offset });
    }
    start += t.rowCount;
  }
  return { rowCount, columns, sources };
}

/** A column of `rows` nulls of the given type (to line up tables whose files lack a column). */
export function nullColumn(name: string, type: ColumnType, rows: number): Column {
  const nulls = new Uint8Array(rows).fill(1);
  switch (type) {
    case 'string':
      return { type, name, codes: new Int32Array(rows).fill(-1), dictionary: [], nulls };
    case 'boolean':
      return { type, name, values: new Uint8Array(rows), nulls };
    default:
      return { type, name, values: new Float64Array(rows).fill(NaN), nulls };
  }
}
