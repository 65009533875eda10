/**
 * One streaming pass of validation over a batch: every chunk is checked against the
 * schema and summarised into mergeable statistics; at the end the newest rows are
 * compared with the reference for drift. Memory does not grow with the rows.
 */
import type { Table } from '../data/table.js';
import { type Anomaly, type CheckerOptions, createAnomalyChecker } from './checker.js';
import { detectDrift, type DriftOptions, type DriftReport } from './drift.js';
import { asSchemaTypes, type DataSchema } from './schema.js';
import { createStatistics, type DatasetStatistics } from './statistics.js';

/** A chunk of rows and its part in the drift test. */
export interface BatchChunk {
  table: Table;
  /**
   * `current`: new data, tested for drift; `reference`: the baseline when the input's
   * reference is `'window'`; null: checked against the schema only.
   */
  drift: 'current' | 'reference' | null;
}

export interface BatchValidationInput {
  schema: DataSchema;
  checker?: CheckerOptions;
  /**
   * Reference statistics for drift (the production model's training statistics).
   * `'window'`: the batch's own `reference` chunks; null: no drift test.
   */
  reference: DatasetStatistics | 'window' | null;
  drift?: DriftOptions;
  /** Adds derived columns (label, prediction) to a chunk before it is summarised for drift. */
  derive?: (table: Table) => Table | Promise<Table>;
  /** Also summarise all rows as read (for proposing a schema change). */
  collectAll?: boolean;
  /** Further checks fed every chunk as read, whose anomalies join the schema's (the production model's input domain). */
  checks?: ReadonlyArray<{ add(table: Table): void; result(): Anomaly[] }>;
}

export interface BatchValidationResult {
  rows: number;
  anomalies: Anomaly[];
  /** Statistics of the new rows (with derived columns). */
  current: DatasetStatistics;
  drift: DriftReport | null;
  /** Statistics of all rows as read, when `collectAll` was set. */
  all: DatasetStatistics | null;
}

/** Validates the chunks of a batch in one pass. */
export async function validateChunks(chunks: AsyncIterable<BatchChunk> | Iterable<BatchChunk>, input: BatchValidationInput): Promise<BatchValidationResult> {
  const checker = createAnomalyChecker(input.schema, input.checker);
  const current = createStatistics();
  const windowReference = input.reference === 'window' ? createStatistics() : null;
  const all = input.collectAll === true ? createStatistics() : null;
  for await (const chunk of chunks) {
    // The schema check reads the rows as they came (text where numbers belong is its to report); the rest reads them as the schema types them.
    checker.add(chunk.table);
    const table = asSchemaTypes(chunk.table, input.schema);
    for (const check of input.checks ?? []) check.add(table);
    // A proposed schema accepts the rows as they came.
    all?.add(chunk.table);
    if (chunk.drift === 'current') current.add(input.derive ? await input.derive(table) : table);
    else if (chunk.drift === 'reference' && windowReference !== null) windowReference.add(input.derive ? await input.derive(table) : table);
  }
  const currentStats = current.result();
  const reference = input.reference === 'window' ? windowReference!.result() : input.reference;
  const drift = reference === null || reference.rows === 0 || currentStats.rows === 0 ? null : detectDrift(reference, currentStats, input.drift ?? {});
  const anomalies = [...checker.result(), ...(input.checks ?? []).flatMap((c) => c.result())].sort((a, b) =>
    a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1,
  );
  return { rows: checker.rows, anomalies, current: currentStats, drift, all: all?.result() ?? null };
}
