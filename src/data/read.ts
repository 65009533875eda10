/**
 * One entry point for reading data files: picks the reader by extension (or
 * the configured format) and reads several files into one table whose
 * `sources` name each file.
 */
import { UserError } from '../errors.js';
import { readCsv } from './csv.js';
import { assertDataFile, DATA_EXTENSIONS, type DataFormat, displayPath, formatOf } from './files.js';
import { readJsonLines } from './jsonl.js';
import { readParquet } from './parquet.js';
import { asRemote, isRemote, localCopy, remoteError } from './remote.js';
import { columnAs, isNanToken, parseBooleanBytes, parseNumberBytes, parseTimestampBytes } from './infer.js';
import { type Column, type ColumnType, concatTables, locateRow, nullColumn, nullCount, type Table } from './table.js';

export { DATA_EXTENSIONS, type DataFormat, formatOf };

/** Options of `readTable` / `readTables`. */
export interface ReadOptions {
  /** Read every file in this format, whatever its extension. */
  readonly format?: DataFormat;
  /** Read only these columns (in this order). */
  readonly columns?: readonly string[];
}

/**
 * Reads one data file into a table. A missing file is a `UserError`
 * (`data file not found: <path>`), as is an extension that names no format
 * when `options.format` is not given.
 */
export async function readTable(path: string, options: ReadOptions = {}): Promise<Table> {
  assertDataFile(path);
  const format = options.format ?? formatOf(path);
  if (isRemote(path) && format !== 'parquet') {
    const local = await localCopy(path);
    const localShown = displayPath(local);
    try {
      return asRemote(await readTable(local, { ...options, ...(format === undefined ? {} : { format }) }), localShown, path);
    } catch (error) {
      throw remoteError(error, localShown, path);
    }
  }
  const columns = options.columns === undefined ? {} : { columns: options.columns };
  switch (format) {
    case 'parquet':
      return readParquet(path, columns);
    case 'csv':
      return readCsv(path, columns);
    case 'jsonl':
      return readJsonLines(path, columns);
    default:
      throw new UserError(
        `cannot tell the format of ${displayPath(path)}: use a ${DATA_EXTENSIONS.join(', ')} file or set the data format`,
      );
  }
}

/**
 * Reads several files (one after the other, to keep memory flat) into one
 * table, rows in file order, `sources` naming each file as `displayPath`
 * shows it. Columns are the union over the files: a column a file lacks,
 * or holds only nulls of another inferred type, is null for its rows. Two
 * files disagreeing on a column's type is a `UserError` naming both.
 */
export async function readTables(files: readonly string[], options: ReadOptions = {}): Promise<Table> {
  if (files.length === 0) throw new UserError('no data files to read');
  const tables: Table[] = [];
  for (const file of files) tables.push(await readTable(file, options));
  return concatTables(alignTables(tables));
}

/** A reader of one data file that reads it at most once, however many checks ask for it. */
export function readOnce(file: string, format?: DataFormat): () => Promise<Table> {
  let table: Promise<Table> | undefined;
  return () => (table ??= readTables([file], format === undefined ? {} : { format }));
}

/**
 * Gives every table the same columns, in order of first appearance. Column
 * types come from the tables where the column holds values; a column that
 * is entirely null says nothing about its type (a CSV column of empty
 * fields reads as string) and takes the agreed type.
 */
export function alignTables(tables: readonly Table[]): Table[] {
  const types = new Map<string, { type: ColumnType; file: string; table?: Table; column?: Column }>();
  tables.forEach((table, t) => {
    for (const column of table.columns) {
      if (nullCount(column) === table.rowCount) continue; // no values (or no rows): no evidence
      const seen = types.get(column.name);
      const file = table.sources[0]?.file ?? '(table)';
      if (seen === undefined) types.set(column.name, { type: column.type, file, table, column });
      else if (seen.type !== column.type) {
        // Text that reads as the other files' type is that type written as text (a Parquet export's strings).
        if (column.type === 'string' && unreadableValue(column, table, seen.type) === null) continue;
        const earlier = seen.type === 'string' ? unreadableText(tables.slice(0, t), column.name, column.type) : undefined;
        if (earlier === null) {
          types.set(column.name, { type: column.type, file, table, column });
          continue;
        }
        const where = unreadableValue(column, table, seen.type) ?? earlier ?? undefined;
        throw new UserError(`column "${column.name}" is ${seen.type} in ${seen.file} but ${column.type} in ${file}${where === undefined ? '' : ` (${where})`}`);
      }
    }
  });
  const names: string[] = [];
  for (const table of tables) {
    for (const column of table.columns) {
      if (names.includes(column.name)) continue;
      names.push(column.name);
      // Null everywhere: keep the type the first file gave it.
      if (!types.has(column.name)) types.set(column.name, { type: column.type, file: '' });
    }
  }
  return tables.map((table) => {
    const columns = names.map((name): Column => {
      const type = types.get(name)!.type;
      const column = table.columns.find((c) => c.name === name);
      if (column !== undefined && column.type === type) return column;
      return column !== undefined && column.type === 'string' ? columnAs(column, type) : nullColumn(name, type, table.rowCount);
    });
    return { ...table, columns };
  });
}

/** The first value of text column `name` in `tables` that `type` cannot read, as `unreadableValue` gives it; null when every one reads. */
function unreadableText(tables: readonly Table[], name: string, type: ColumnType): string | null {
  for (const table of tables) {
    const column = table.columns.find((c) => c.name === name);
    const where = column === undefined ? undefined : unreadableValue(column, table, type);
    if (typeof where === 'string') return where;
  }
  return null;
}

/**
 * When `column` is text because of a value that `type` cannot read (a "late" among
 * delays): that value with its file and row, as `ct validate` reports it; null when every
 * value reads as `type`; undefined when `column` is not text read as another type.
 */
function unreadableValue(column: Column, table: Table, type: ColumnType): string | null | undefined {
  if (column.type !== 'string' || type === 'string') return undefined;
  // The CSV reader's own parsers, so the value found is the one that made the column text.
  const readable = column.dictionary.map((text) => {
    const bytes = Buffer.from(text);
    if (type === 'number') return !Number.isNaN(parseNumberBytes(bytes, 0, bytes.length)) || isNanToken(bytes, 0, bytes.length);
    if (type === 'timestamp') return !Number.isNaN(parseTimestampBytes(bytes, 0, bytes.length));
    return parseBooleanBytes(bytes, 0, bytes.length) >= 0;
  });
  const row = column.codes.findIndex((code) => code >= 0 && !readable[code]);
  if (row < 0) return null;
  const at = locateRow(table, row);
  const what = type === 'timestamp' ? 'a date or time' : type === 'number' ? 'a number' : 'true or false';
  return `${at.file} row ${at.row}: ${JSON.stringify(column.dictionary[column.codes[row]!]!.slice(0, 80))} is not ${what}`;
}
