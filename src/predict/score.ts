/**
 * `ct predict`'s second pass: the batch read again chunk by chunk, each chunk encoded with
 * the model's own preprocessing, scored, and its output rows handed to the writer, so
 * memory does not grow with the batch.
 */
import { type ChunkOptions, readChunksOf } from '../data/stream.js';
import { UserError } from '../errors.js';
import type { LoadedModel } from '../evaluate/score.js';
import { encodeTable } from '../features/preprocessing.js';
import { predictRows } from '../train/predict.js';
import { chunkRows, type ChunkSource, outputColumns } from './rows.js';
import type { PredictionWriter } from './writer.js';

/**
 * Scores `files` with `loaded` and writes the header and one output row per input row
 * to `writer` (which the caller commits or aborts). Returns the rows scored. An encoding
 * error is a `UserError` naming the file.
 */
export async function scoreChunks(
  files: readonly string[],
  readOptions: ChunkOptions,
  loaded: LoadedModel,
  writer: PredictionWriter,
  rows: Omit<ChunkSource, 'file' | 'offset'>,
): Promise<number> {
  const columns = outputColumns(loaded, rows.keep);
  writer.header(columns);
  let scored = 0;
  for await (const table of readChunksOf(files, readOptions)) {
    const source = table.sources[0];
    const file = source?.file ?? '';
    let encoded;
    try {
      encoded = encodeTable(table, loaded.preprocessing, { withLabels: false });
    } catch (error) {
      if (error instanceof UserError) throw new UserError(`${file}: ${error.message}`, { cause: error });
      throw error;
    }
    const scores = predictRows(loaded.model, encoded);
    writer.rows(columns, chunkRows(table, scores, loaded, { ...rows, file, offset: source?.offset ?? 0 }));
    scored += table.rowCount;
  }
  return scored;
}
