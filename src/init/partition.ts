/**
 * `ct init --partition`: one file's rows grouped by UTC day into daily partition files,
 * as ct reads a data folder. Pure: the files are returned, not written.
 */
import path from 'node:path';
import { dateOfDay } from '../data/partitions.js';
import { type Table, valueAt } from '../data/table.js';
import { UserError } from '../errors.js';
import { csvLine } from '../report/csv.js';
import { MS_PER_DAY } from '../time.js';
import type { PlannedFile } from './files.js';
import type { DataSummary } from './suggest.js';

/** The table's only timestamp column, to partition by; a `UserError` when it has none or several. */
export function onlyTimestamp(table: Table): string {
  const times = table.columns.filter((c) => c.type === 'timestamp');
  if (times.length !== 1) {
    throw new UserError(
      `--partition: ${times.length === 0 ? 'the data has no timestamp column' : `several timestamp columns (${times.map((c) => c.name).join(', ')})`}; name one with --timestamp`,
    );
  }
  return times[0]!.name;
}

/**
 * Rows of `table` grouped by the UTC day of column `name` into `folder/YYYY-MM-DD.<ext>`
 * (CSV with a header, or JSON Lines), days in order; a row without a time is refused.
 */
export function partitionTable(
  table: Table,
  name: string,
  folder: string,
  format: 'csv' | 'jsonl',
): { files: PlannedFile[]; summary: NonNullable<DataSummary['partitions']> } {
  const column = table.columns.find((c) => c.name === name);
  if (column === undefined) throw new UserError(`--timestamp: column "${name}" is not in the data`);
  if (column.type !== 'timestamp') throw new UserError(`--timestamp: column "${name}" is ${column.type}, expected timestamps`);
  const byDay = new Map<number, number[]>();
  for (let i = 0; i < table.rowCount; i++) {
    const v = column.values[i]!;
    if (Number.isNaN(v)) throw new UserError(`--partition: row ${i + 1} has no "${name}"; every row needs a time to go into a daily file`);
    const day = Math.floor(v / MS_PER_DAY);
    let rows = byDay.get(day);
    if (rows === undefined) byDay.set(day, (rows = []));
    rows.push(i);
  }
  const days = [...byDay.keys()].sort((a, b) => a - b);
  const files = days.map((day): PlannedFile => {
    const rows = byDay.get(day)!;
    let contents: string;
    if (format === 'csv') {
      contents = csvLine(table.columns.map((c) => c.name)) + rows.map((i) => csvLine(table.columns.map((c) => valueAt(c, i)))).join('');
    } else {
      contents = rows.map((i) => JSON.stringify(Object.fromEntries(table.columns.map((c) => [c.name, valueAt(c, i)])))).join('\n') + '\n';
    }
    return { file: path.join(folder, `${dateOfDay(day)}.${format}`), contents };
  });
  return { files, summary: { count: days.length, first: dateOfDay(days[0]!), last: dateOfDay(days.at(-1)!) } };
}
