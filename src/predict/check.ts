/**
 * `ct predict`'s first pass: before a row is scored, the whole batch is checked against
 * the data schema with the label column optional (prediction data has no labels yet),
 * against the model's input domain, and for the columns the model and `--keep` need.
 * Reads the files chunk by chunk; the rest is pure.
 */
import { existsSync } from 'node:fs';
import type { ValidationConfig } from '../config/types.js';
import { displayPath } from '../data/files.js';
import { type ChunkOptions, readChunksOf } from '../data/stream.js';
import { findColumn } from '../data/table.js';
import { UserError } from '../errors.js';
import { readJson } from '../files.js';
import { createInputDomainChecker, imputedSummary } from '../features/domain.js';
import type { ImputedCounts, Preprocessing } from '../features/preprocessing.js';
import { validateChunks } from '../validate/batch.js';
import { type Anomaly, inFiles } from '../validate/checker.js';
import { foldNewValueWarnings } from '../validate/new-values.js';
import { type AnomalyKind, type DataSchema, parseSchema } from '../validate/schema.js';

/** Anomaly kinds that only say a column is absent or empty: accepted for the label when predicting. */
export const LABEL_ABSENCE: readonly AnomalyKind[] = ['missing_column', 'all_null', 'nulls_above_threshold'];

/** The data columns the model reads (crosses read features, not columns). */
export function sourceColumns(preprocessing: Preprocessing): string[] {
  return [...new Set(preprocessing.features.filter((f) => f.kind !== 'categorical' || f.cross === undefined).map((f) => f.column))];
}

/**
 * The schema for prediction data: the label column may be absent or empty (no labels
 * yet), so those anomalies are warnings for it — unless the model reads the column as a
 * feature. Everything else, and `ct validate`'s schema, stays as it is.
 */
export function labelOptional(schema: DataSchema, labels: readonly string[], preprocessing: Preprocessing): DataSchema {
  const features = new Set(sourceColumns(preprocessing));
  return {
    ...schema,
    columns: schema.columns.map((c) =>
      labels.includes(c.name) && !features.has(c.name)
        ? { ...c, severity: { ...c.severity, ...Object.fromEntries(LABEL_ABSENCE.map((k) => [k, 'warning'])) } }
        : c,
    ),
  };
}

/** The data schema at `file`, label optional (`labelOptional`); a `UserError` when there is none yet. */
export function readPredictionSchema(file: string, labels: readonly string[], preprocessing: Preprocessing): DataSchema {
  if (!existsSync(file))
    throw new UserError(`data schema not found: ${displayPath(file)}: run \`ct validate\` first (it infers the schema on first use), review and commit it`);
  return labelOptional(parseSchema(displayPath(file), readJson(file, 'data schema')), labels, preprocessing);
}

/** Rows and files lacking a column the model reads. */
type MissingColumns = ReadonlyMap<string, { rows: number; files: Set<string> }>;

/**
 * Feature columns the model reads that some files lack are errors, whatever the schema
 * says (the column may be missing from the schema, or its absence only a warning there).
 * Returns copies, errors first.
 */
export function modelColumnAnomalies(anomalies: readonly Anomaly[], missing: MissingColumns, rows: number): Anomaly[] {
  const out = anomalies.map((a) => ({ ...a }));
  for (const [column, { rows: count, files }] of missing) {
    const suffix = '; the model reads it';
    const existing = out.find((a) => a.kind === 'missing_column' && a.column === column);
    if (existing !== undefined) {
      existing.severity = 'error';
      existing.message += suffix;
    } else {
      out.push({
        column,
        kind: 'missing_column',
        severity: 'error',
        count,
        share: rows === 0 ? 0 : count / rows,
        examples: [],
        message: `column "${column}" is missing${inFiles(files)}${suffix}`,
      });
    }
  }
  return out.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}

/** What `checkBatch` is given. */
export interface BatchCheckOptions {
  readOptions: ChunkOptions;
  /** `--keep`: columns every file must have. */
  keep: readonly string[];
  preprocessing: Preprocessing;
  /** The schema, label optional (`readPredictionSchema`). */
  schema: DataSchema;
  /** The label columns (the config's and the model's): their absence is noted as not needed. */
  labels: readonly string[];
  /** The model in words, for messages: "flight-delay 20010228T…". */
  model: string;
  validation: Pick<ValidationConfig, 'severity' | 'duplicates'>;
}

/** What the first pass found. */
export interface BatchCheck {
  rows: number;
  /** Schema, input-domain and model-column anomalies, errors first. */
  anomalies: Anomaly[];
  /** Rows the model's encoder would impute (or find far), per feature. */
  imputed: ImputedCounts[];
}

/**
 * Reads `files` once and checks every row against the schema and the model's input
 * domain (`createInputDomainChecker`), and every file for the columns the model reads
 * (`modelColumnAnomalies`). A `--keep` column a file lacks is a `UserError`.
 */
export async function checkBatch(files: readonly string[], options: BatchCheckOptions): Promise<BatchCheck> {
  const { keep, preprocessing, validation } = options;
  const needed = sourceColumns(preprocessing);
  const domain = createInputDomainChecker(preprocessing, { model: options.model, severity: validation.severity });
  const missingNeeded = new Map<string, { rows: number; files: Set<string> }>();
  const keepChecked = new Set<string>();
  const batch = await validateChunks(
    (async function* () {
      for await (const table of readChunksOf(files, options.readOptions)) {
        const file = table.sources[0]?.file ?? '';
        if (!keepChecked.has(file)) {
          keepChecked.add(file);
          const missing = keep.find((c) => findColumn(table, c) === undefined);
          if (missing !== undefined) throw new UserError(`--keep: no column "${missing}" in ${file} (columns: ${table.columns.map((c) => c.name).join(', ')})`);
        }
        for (const name of needed) {
          if (findColumn(table, name) !== undefined) continue;
          const entry = missingNeeded.get(name) ?? { rows: 0, files: new Set<string>() };
          entry.rows += table.rowCount;
          entry.files.add(file);
          missingNeeded.set(name, entry);
        }
        domain.add(table);
        yield { table, drift: null };
      }
    })(),
    // Files to score often carry columns of their own (an id to join the predictions back): not an incident here.
    { schema: options.schema, checker: { severity: { new_column: 'warning', ...validation.severity }, duplicates: validation.duplicates }, reference: null },
  );
  for (const a of batch.anomalies) {
    if (a.column !== null && options.labels.includes(a.column) && a.severity === 'warning' && LABEL_ABSENCE.includes(a.kind))
      a.message += ' (the label: not needed to predict)';
  }
  return {
    rows: batch.rows,
    anomalies: modelColumnAnomalies(foldNewValueWarnings([...batch.anomalies, ...domain.result()]), missingNeeded, batch.rows),
    imputed: domain.imputed(),
  };
}

/** One line per feature the encoder imputes in some rows (`imputedSummary`), in preprocessing order. */
export function imputedLines(preprocessing: Preprocessing, imputed: readonly ImputedCounts[], rows: number): string[] {
  const lines: string[] = [];
  for (const counts of imputed) {
    const line = imputedSummary(
      preprocessing.features.find((f) => f.name === counts.feature)!,
      counts,
      rows,
    );
    if (line !== null) lines.push(line);
  }
  return lines;
}
