/**
 * File access shared by the readers: one place that turns "no such file" and
 * "that is a folder" into one-line `UserError`s naming the path, plus the
 * chunked-reading helpers of the text readers.
 */
import { openSync, readSync, statSync } from 'node:fs';
import { extname, isAbsolute, relative, sep } from 'node:path';
import { UserError } from '../errors.js';
import { checkRemoteUrl, isRemote, remoteDisplay, remoteName } from './remote.js';

/**
 * The path as people should see it in messages and `RowSource.file`: relative
 * to the working directory when the file is below it, otherwise as given,
 * always with forward slashes so reports read the same on every OS.
 */
export function displayPath(path: string): string {
  if (isRemote(path)) return remoteDisplay(path);
  let shown = path;
  if (isAbsolute(path)) {
    const rel = relative(process.cwd(), path);
    if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) shown = rel;
  }
  return sep === '/' ? shown : shown.split(sep).join('/');
}

/** File formats the readers understand (`.ndjson` is read as `jsonl`). */
export type DataFormat = 'parquet' | 'csv' | 'jsonl';

const FORMAT_BY_EXTENSION: Readonly<Record<string, DataFormat>> = {
  '.parquet': 'parquet',
  '.csv': 'csv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
};

/** File extensions the readers recognise (lower case, with the dot). */
export const DATA_EXTENSIONS: readonly string[] = Object.keys(FORMAT_BY_EXTENSION);

/** The format a file's extension names (case-insensitive), or undefined. */
export function formatOf(path: string): DataFormat | undefined {
  return FORMAT_BY_EXTENSION[extname(isRemote(path) ? remoteName(path) : path).toLowerCase()];
}

/** Throws `UserError` unless `path` names an existing regular file. */
export function assertDataFile(path: string): void {
  // A URL is checked here; whether it exists, its server says when it is read.
  if (isRemote(path)) {
    checkRemoteUrl(path);
    return;
  }
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch (error) {
    if (isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR')) {
      throw new UserError(`data file not found: ${displayPath(path)}`, { cause: error });
    }
    throw new UserError(`cannot read data file ${displayPath(path)}: ${(error as Error).message}`, { cause: error });
  }
  if (!isFile) throw new UserError(`expected a data file, found a folder: ${displayPath(path)}`);
}

/** Opens a data file for reading (a file descriptor); missing files become `UserError`s. */
export function openDataFile(path: string): number {
  assertDataFile(path);
  try {
    return openSync(path, 'r');
  } catch (error) {
    throw new UserError(`cannot read data file ${displayPath(path)}: ${(error as Error).message}`, { cause: error });
  }
}

/** Throws `UserError` naming the first of `wanted` that `available` lacks. */
export function assertColumnsExist(path: string, wanted: readonly string[] | undefined, available: readonly string[]): void {
  if (wanted === undefined) return;
  const have = new Set(available);
  for (const name of wanted) {
    if (!have.has(name)) {
      throw new UserError(`${displayPath(path)}: no column "${name}" (columns: ${available.join(', ')})`);
    }
  }
}

function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/** Bytes read from a file at a time by the chunked readers. */
export const CHUNK_BYTES = 1 << 22;

/**
 * Number of line breaks in an open file (LF, or lone CR in files that have
 * no LF at all): an upper bound on its rows, read in chunks into one buffer.
 */
export function countLineBreaks(fd: number): number {
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let lineFeeds = 0;
  let carriageReturns = 0;
  let position = 0;
  for (;;) {
    const n = readSync(fd, buffer, 0, buffer.length, position);
    if (n === 0) break;
    position += n;
    const chunk = n === buffer.length ? buffer : buffer.subarray(0, n);
    for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lineFeeds++;
    if (lineFeeds === 0) for (let at = chunk.indexOf(13); at >= 0; at = chunk.indexOf(13, at + 1)) carriageReturns++;
  }
  return lineFeeds > 0 ? lineFeeds : carriageReturns;
}

/**
 * `array` cut to `rows` elements: a view when little capacity is spare
 * (copying means touching fresh memory, which is slow), a copy when most of
 * it would be wasted.
 */
export function trimArray<T extends Float64Array | Int32Array | Uint8Array>(array: T, rows: number): T {
  if (array.length === rows) return array;
  return (rows >= array.length * 0.75 ? array.subarray(0, rows) : array.slice(0, rows)) as T;
}

/** `chunkRows` of a chunked reader, checked: a whole number of rows, at least 1. */
export function checkedChunkRows(chunkRows: number): number {
  if (!Number.isInteger(chunkRows) || chunkRows < 1) throw new Error(`chunkRows must be a whole number >= 1, got ${chunkRows}`);
  return chunkRows;
}
