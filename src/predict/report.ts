/**
 * The record of `ct predict`, its Markdown twin, and the phrases its log lines share. Pure.
 */
import type { PredictionRecord } from '../artifacts.js';
import type { BatchCheck } from './check.js';

/** What the record says about the batch and the model before the batch is checked. */
export type PredictionSubject = Pick<PredictionRecord, 'model' | 'version' | 'task' | 'files' | 'format' | 'fingerprint' | 'schemaFile' | 'startedAt'>;

/**
 * The record of a checked batch, before scoring: ok when no anomaly is an error; no
 * output, backend or timing yet (the stage fills them in).
 */
export function checkedRecord(subject: PredictionSubject, checked: BatchCheck): PredictionRecord {
  const { rows, anomalies } = checked;
  return {
    ok: anomalies.every((a) => a.severity !== 'error'),
    model: subject.model,
    version: subject.version,
    task: subject.task,
    files: subject.files,
    rows,
    output: null,
    format: subject.format,
    fingerprint: subject.fingerprint,
    schemaFile: subject.schemaFile,
    anomalies,
    imputed: { rows, features: checked.imputed },
    backend: null,
    startedAt: subject.startedAt,
    durationSeconds: 0,
    rowsPerSecond: 0,
  };
}

/** The scored files in a few words: one file's name, or the count and the first and last. */
export function describeFiles(files: readonly string[]): string {
  if (files.length === 1) return files[0]!;
  if (files.length <= 5) return `${files.length} files (${files.join(', ')})`;
  return `${files.length} files (${files[0]} .. ${files.at(-1)})`;
}
