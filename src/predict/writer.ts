/**
 * The predictions file: CSV (RFC 4180, a header line) or JSON Lines (one object per row),
 * written atomically chunk by chunk through `openFileAtomic`, so the output path holds a
 * whole predictions file or none, whatever happens while scoring.
 */
import { type AtomicFile, openFileAtomic } from '../files.js';
import { csvLine } from '../report/csv.js';
import type { Cell } from './rows.js';

/** The formats ct predict writes. */
export type PredictionFormat = 'csv' | 'jsonl';

/** The format of an output path: a `.jsonl` name (any case) is JSON Lines, anything else CSV. */
export function predictionFormat(output: string): PredictionFormat {
  return /\.jsonl$/i.test(output) ? 'jsonl' : 'csv';
}

/** The rows of one chunk in `format` (CSV without its header). */
export function formatRows(format: PredictionFormat, columns: readonly string[], rows: readonly Cell[][]): string {
  let text = '';
  for (const row of rows) {
    text += format === 'csv' ? csvLine(row) : `${JSON.stringify(Object.fromEntries(columns.map((c, k) => [c, row[k]])))}\n`;
  }
  return text;
}

/** A predictions file being written; nothing is at the output path until `commit`. */
export interface PredictionWriter {
  /** Starts the file: the header line of a CSV (JSON Lines has none). */
  header(columns: readonly string[]): void;
  /** Appends one chunk's rows (values in `columns` order). */
  rows(columns: readonly string[], rows: readonly Cell[][]): void;
  /** Flushes the file and puts it at the output path. */
  commit(): void;
  /** Drops what was written; the output path is left as it was. */
  abort(): void;
}

/** Opens a predictions file at `output` in `format`, written atomically (`openFileAtomic`). */
export function openPredictionWriter(output: string, format: PredictionFormat): PredictionWriter {
  const file: AtomicFile = openFileAtomic(output);
  return {
    header(columns) {
      if (format === 'csv') file.write(csvLine(columns));
    },
    rows(columns, rows) {
      file.write(formatRows(format, columns, rows));
    },
    commit: () => file.commit(),
    abort: () => file.abort(),
  };
}
