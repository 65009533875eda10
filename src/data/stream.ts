/**
 * Streaming reads: a data file (or several) as a sequence of ordinary
 * `Table`s of bounded size, so a consumer that folds chunks into mergeable
 * accumulators (statistics, anomaly checks) runs over millions of rows in
 * memory that does not grow with the file.
 *
 * Every chunk is a self-contained table: its own dictionaries, its own
 * inferred types for text formats (parsed exactly as the whole-file readers
 * parse them), and `sources` whose `offset` says at which data row of the
 * file the chunk starts, so `locateRow` on a chunk row names the file row.
 */
import { UserError } from '../errors.js';
import { readCsvChunks } from './csv.js';
import { assertDataFile, DATA_EXTENSIONS, type DataFormat, displayPath, formatOf } from './files.js';
import { readJsonLinesChunks } from './jsonl.js';
import { readParquetChunks } from './parquet.js';
import { asRemote, isRemote, localCopy, remoteError } from './remote.js';
import type { Table } from './table.js';

/**
 * Rows per chunk unless told otherwise. Measured on the 3M-row flights CSV
 * (docs/data-engine.md, "Streaming"): between 8k and 64k rows the time of a
 * full validation stays within the machine's run-to-run noise, while peak RSS
 * grows with the chunk (about 80 MB at 8k-16k rows, 95 MB at 64k, 155-165 MB
 * at 256k-1M); 64k rows keeps a five-column chunk at about 2.5 MB.
 */
export const DEFAULT_CHUNK_ROWS = 65_536;

/** Options of `readChunks` / `readChunksOf`. */
export interface ChunkOptions {
  /** Read every file in this format, whatever its extension. */
  readonly format?: DataFormat;
  /** Read only these columns (in this order). */
  readonly columns?: readonly string[];
  /**
   * Rows per chunk at most (default `DEFAULT_CHUNK_ROWS`). Parquet decodes a
   * whole row group at a time and yields it in slices of this size, so there
   * memory follows the file's row-group size.
   */
  readonly chunkRows?: number;
  /**
   * Bytes read from a CSV or JSON Lines file at a time (default 4 MiB). A row
   * never splits across chunks whatever this is; tests set it tiny to put
   * rows, quoted line breaks included, across block ends.
   */
  readonly blockBytes?: number;
}

/**
 * Reads one data file as a stream of tables of at most `chunkRows` rows, in
 * file order. The format comes from `options.format` or the extension.
 * Errors are the `UserError`s of the whole-file readers, naming the file and
 * its true row or line; they surface when the chunk holding the bad row is
 * read, after the chunks before it were yielded.
 */
export async function* readChunks(path: string, options: ChunkOptions = {}): AsyncGenerator<Table, void, undefined> {
  assertDataFile(path);
  const format = options.format ?? formatOf(path);
  if (isRemote(path) && format !== 'parquet') {
    // Text formats are read from a local copy, streamed down once.
    const local = await localCopy(path);
    const localShown = displayPath(local);
    try {
      for await (const table of readChunks(local, { ...options, ...(format === undefined ? {} : { format }) })) yield asRemote(table, localShown, path);
    } catch (error) {
      throw remoteError(error, localShown, path);
    }
    return;
  }
  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
  if (!Number.isInteger(chunkRows) || chunkRows < 1) throw new UserError(`chunk size must be a whole number of rows >= 1, got ${chunkRows}`);
  const common = {
    chunkRows,
    ...(options.columns === undefined ? {} : { columns: options.columns }),
    ...(options.blockBytes === undefined ? {} : { blockBytes: options.blockBytes }),
  };
  switch (format) {
    case 'parquet':
      yield* readParquetChunks(path, common);
      return;
    case 'csv':
      yield* readCsvChunks(path, common);
      return;
    case 'jsonl':
      yield* readJsonLinesChunks(path, common);
      return;
    default:
      throw new UserError(
        `cannot tell the format of ${displayPath(path)}: use a ${DATA_EXTENSIONS.join(', ')} file or set the data format`,
      );
  }
}

/**
 * The chunks of several files, one file after the other, in the order given
 * (no chunk mixes two files). Columns are not aligned across files: each
 * chunk has the columns of its own file, for the consumer to compare with
 * its schema. No files at all is a `UserError`, as for `readTables`.
 */
export async function* readChunksOf(files: readonly string[], options: ChunkOptions = {}): AsyncGenerator<Table, void, undefined> {
  if (files.length === 0) throw new UserError('no data files to read');
  for (const file of files) yield* readChunks(file, options);
}
