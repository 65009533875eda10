/**
 * Checks a batch against the data schema and reports anomalies with TFDV's
 * vocabulary: what is wrong, how often, how bad, and where (file and row).
 */
import { findColumn, locateRow, type Table } from '../data/table.js';
import type { DataSchema } from './schema.js';

export type Severity = 'error' | 'warning';

export type AnomalyKind = 'empty_batch' | 'missing_column' | 'new_column' | 'type_mismatch' | 'nulls_above_threshold';

export interface AnomalyExample {
  file: string;
  /** 1-based data row within the file (header not counted). */
  row: number;
}

export interface Anomaly {
  column: string | null;
  kind: AnomalyKind;
  severity: Severity;
  count: number;
  share: number;
  examples: AnomalyExample[];
  message: string;
}

/** Contents of `validation.json`. */
export interface ValidationResult {
  ok: boolean;
  rows: number;
  /** Content hash of the data read. */
  fingerprint: string;
  files: string[];
  schemaFile: string;
  /** True when this run inferred the schema (first run): nothing was checked against history. */
  schemaInferred: boolean;
  anomalies: Anomaly[];
  /** Drift against the production model's reference statistics; not computed yet (null). */
  drift: null;
}

const MAX_EXAMPLES = 20;

/** Anomalies of `table` against `schema`, errors first. */
export function findAnomalies(table: Table, schema: DataSchema): Anomaly[] {
  const anomalies: Anomaly[] = [];
  const rows = table.rowCount;
  if (rows === 0) {
    anomalies.push({ column: null, kind: 'empty_batch', severity: 'error', count: 0, share: 0, examples: [], message: 'the batch has no rows' });
  }
  for (const expected of schema.columns) {
    const column = findColumn(table, expected.name);
    if (column === undefined) {
      anomalies.push({
        column: expected.name,
        kind: 'missing_column',
        severity: 'error',
        count: rows,
        share: 1,
        examples: [],
        message: `column "${expected.name}" (${expected.type}) is missing`,
      });
      continue;
    }
    if (column.type !== expected.type) {
      anomalies.push({
        column: expected.name,
        kind: 'type_mismatch',
        severity: 'error',
        count: rows,
        share: 1,
        examples: [],
        message: `column "${expected.name}" is ${column.type}, the schema says ${expected.type}`,
      });
    }
    if (rows > 0 && column.nulls !== null) {
      let count = 0;
      const examples: AnomalyExample[] = [];
      for (let i = 0; i < rows; i++) {
        if (column.nulls[i] !== 1) continue;
        count++;
        if (examples.length < MAX_EXAMPLES) examples.push(locateRow(table, i));
      }
      const share = count / rows;
      if (share > expected.maxNullFraction) {
        anomalies.push({
          column: expected.name,
          kind: 'nulls_above_threshold',
          severity: 'error',
          count,
          share,
          examples,
          message: `column "${expected.name}" is null in ${formatShare(share)} of rows (${count}), the schema allows ${formatShare(expected.maxNullFraction)}`,
        });
      }
    }
  }
  const known = new Set(schema.columns.map((c) => c.name));
  for (const column of table.columns) {
    if (known.has(column.name)) continue;
    anomalies.push({
      column: column.name,
      kind: 'new_column',
      severity: 'warning',
      count: rows,
      share: 1,
      examples: [],
      message: `column "${column.name}" (${column.type}) is not in the schema`,
    });
  }
  return anomalies.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}

function formatShare(share: number): string {
  return `${(share * 100).toFixed(share < 0.01 && share > 0 ? 2 : 1)}%`;
}
