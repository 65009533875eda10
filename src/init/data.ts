/**
 * The user's data as `ct init` reads it: a folder of daily partitions, or one file (a
 * `.json` array of objects read as JSON Lines), kept where it is when inside the
 * repository, else copied under `data/<name>/`, or split into daily files with --partition.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DATA_EXTENSIONS, formatOf } from '../data/files.js';
import { listPartitions } from '../data/partitions.js';
import { readTables } from '../data/read.js';
import type { Table } from '../data/table.js';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../files.js';
import { inside, type PlannedFile } from './files.js';
import { onlyTimestamp, partitionTable } from './partition.js';
import type { DataSummary } from './suggest.js';

/** The model name from `--name` or the data's file name: lower case, letters, digits, `.`, `_`, `-`. */
export function sanitizeName(raw: string): string {
  const name = raw
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  if (name === '') throw new UserError(`--name: "${raw}" leaves no usable model name (letters, digits, . _ -)`);
  return name;
}

/** The data in words for the config's header: its file name, and its partitions. */
export function describeSource(data: string, partitions: DataSummary['partitions']): string {
  const base = path.basename(data);
  if (partitions === null) return base;
  return `${base} (${partitions.count} daily partitions, ${partitions.first}..${partitions.last})`;
}

/** A `.json` file holding an array of objects, as JSON Lines (ct reads those). */
export function jsonArrayAsLines(file: string, shown: string): string {
  let rows: unknown;
  try {
    rows = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`--data: ${shown} is not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(rows)) throw new UserError(`--data: ${shown} is not an array of objects (write JSON Lines: one object per line, .jsonl)`);
  const bad = rows.findIndex((r) => r === null || typeof r !== 'object' || Array.isArray(r));
  if (bad >= 0) throw new UserError(`--data: ${shown}: element ${bad} is not an object`);
  return rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
}

/** What `readInitData` is asked (`ct init`'s options). */
export interface DataOptions {
  /** `--data` as given, for messages. */
  data: string;
  partition?: boolean;
  timestamp?: string;
}

/** The data read, and where the config will find it. */
export interface InitData {
  table: Table;
  /** Absolute: where the config's data.path points. */
  dataPath: string;
  /** The data folder: the schema goes there, the workflows watch it. */
  folder: string;
  partitions: DataSummary['partitions'];
  /** Data files to write: a copy under data/ (or the .json array as JSON Lines), or the daily partitions. */
  files: PlannedFile[];
}

/**
 * Reads `source` (an existing file or folder) as ct will read it and decides where the
 * config's data.path points: the config's paths must stay inside the repository `root`.
 * A `UserError` for data ct cannot use (no rows, unknown format, a folder outside the repository).
 */
export async function readInitData(root: string, source: string, name: string, options: DataOptions): Promise<InitData> {
  const isFolder = statSync(source).isDirectory();
  let files: string[];
  let dataPath: string;
  let partitions: DataSummary['partitions'] = null;
  let jsonArray: string | undefined; // a .json array, as JSON Lines
  let temp: string | undefined;
  let table: Table;
  try {
    if (isFolder) {
      if (options.partition === true) throw new UserError('--partition: splits one file; --data is already a folder');
      if (!inside(root, source)) throw new UserError(`--data: ${options.data} is outside the repository ${root}; move the folder under data/`);
      const list = listPartitions(source);
      files = list.map((p) => path.join(source, path.basename(p.file)));
      partitions = { count: list.length, first: list[0]!.date, last: list.at(-1)!.date };
      dataPath = source;
    } else {
      const ext = path.extname(source).toLowerCase();
      if (ext === '.json') {
        jsonArray = jsonArrayAsLines(source, options.data);
        temp = mkdtempSync(path.join(tmpdir(), 'ct-init-'));
        files = [path.join(temp, `${name}.jsonl`)];
        writeFileAtomic(files[0]!, jsonArray);
      } else if (formatOf(source) === undefined) {
        throw new UserError(
          `--data: cannot tell the format of ${options.data}: use a ${[...DATA_EXTENSIONS, '.json'].join(', ')} file, or a folder of daily partitions`,
        );
      } else files = [source];
      const copy = jsonArray !== undefined || !inside(root, source);
      dataPath = copy ? path.join(root, 'data', name, `${name}${jsonArray !== undefined ? '.jsonl' : ext}`) : source;
    }
    table = await readTables(files);
  } finally {
    if (temp !== undefined) rmSync(temp, { recursive: true, force: true });
  }
  if (table.rowCount === 0) throw new UserError(`--data: ${options.data} holds no rows`);
  if (options.partition === true) {
    // One file becomes daily files, and the config points at their folder.
    const folder = path.join(root, 'data', name);
    const split = partitionTable(table, options.timestamp ?? onlyTimestamp(table), folder, formatOf(source) === 'csv' ? 'csv' : 'jsonl');
    return { table, dataPath: folder, folder, partitions: split.summary, files: split.files };
  }
  // A copy (or the .json array as JSON Lines) goes under data/.
  const copies: PlannedFile[] = !isFolder && dataPath !== source ? [{ file: dataPath, contents: jsonArray ?? readFileSync(source) }] : [];
  return { table, dataPath, folder: isFolder ? dataPath : path.dirname(dataPath), partitions, files: copies };
}
