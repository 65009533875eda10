/**
 * The predictions file: CSV (RFC 4180, a header line) or JSON Lines (one object per row),
 * written atomically chunk by chunk through `openFileAtomic`, so the output path holds a
 * whole predictions file or none, whatever happens while scoring.
 */
import { UserError } from '../errors.js';
import { type AtomicFile, openFileAtomic } from '../files.js';
import { csvLine } from '../report/csv.js';
import type { Cell } from './rows.js';

/** The formats ct predict writes. */
export type PredictionFormat = 'csv' | 'jsonl';

/** Extensions of formats ct does not write: CSV under such a name would mislead whatever reads it. */
const OTHER_FORMATS = /\.(json|parquet|xlsx|xls|tsv|avro|orc|gz|bz2|xz|zst|zip)$/i;

/**
 * The format of an output path: a `.jsonl` or `.ndjson` name (any case) is JSON Lines,
 * another name CSV; a name of another format (`.parquet`, `.json`, `.xlsx`, compressed) is a
 * `UserError`.
 */
export function predictionFormat(output: string): PredictionFormat {
  if (/\.(jsonl|ndjson)$/i.test(output)) return 'jsonl';
  const other = OTHER_FORMATS.exec(output);
  if (other !== null) throw new UserError(`--output ${output}: ct predict writes CSV (.csv) or JSON Lines (.jsonl), not ${other[0]}`);
  return 'csv';
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
