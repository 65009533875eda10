/**
 * `ct predict`: batch-score data with the production model (or a given registry
 * version), checksums verified, through the model's own saved preprocessing. It fails
 * loudly rather than score garbage: the whole batch is checked against the data schema
 * (the label may be missing: prediction data has no labels yet) and against the model's
 * input domain (values its preprocessing would silently impute or extrapolate) first,
 * and any error-severity anomaly stops it before a single row is scored. Rows are read,
 * encoded, scored and written chunk by chunk, so memory does not grow with the batch.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fingerprintFiles, planBatch } from '../data/dataset.js';
import { displayPath } from '../data/files.js';
import { isRemote } from '../data/remote.js';
import { listPartitions } from '../data/partitions.js';
import { readChunksOf } from '../data/stream.js';
import { type Column, findColumn, type Table, valueAt } from '../data/table.js';
import { UserError } from '../errors.js';
import { readJson, writeJson } from '../files.js';
import { createInputDomainChecker, imputedSummary } from '../features/domain.js';
import { encodeTable, type Preprocessing } from '../features/preprocessing.js';
import { listVersions, recordedChecksums, readProduction, verifiedProductionDir, verifiedVersionDir } from '../registry/registry.js';
import { selectBackend } from '../train/backend.js';
import { csvLine } from '../report/csv.js';
import { predictRows } from '../train/predict.js';
import { validateChunks } from '../validate/batch.js';
import type { Anomaly } from '../validate/checker.js';
import { type AnomalyKind, type DataSchema, parseSchema } from '../validate/schema.js';
import { artifactPaths, type PredictionRecord, type StageContext } from './artifacts.js';
import { type LoadedModel, loadModel, registryPath } from './evaluate.js';
import { dataSource, schemaPath } from './validate.js';

/** Options of `ct predict` beyond the common ones. */
export interface PredictOptions {
  /** Where the predictions go (default `<out>/predictions.csv`); a `.jsonl` name writes JSON Lines. */
  output?: string;
  /** Input columns copied into every output row, after `file` and `row`. */
  keep?: string[];
  /** Score this registry version instead of production (verified against its recorded checksums). */
  modelVersion?: string;
}

/** Anomaly kinds that only say a column is absent or empty: accepted for the label when predicting. */
const LABEL_ABSENCE: readonly AnomalyKind[] = ['missing_column', 'all_null', 'nulls_above_threshold'];

/** Output columns ct writes itself; `--keep` cannot reuse their names. */
const FIXED_COLUMNS = ['file', 'row', 'model', 'version'];

/**
 * Scores a batch with the production model (or `options.modelVersion`) and writes one
 * output row per input row, in input order. The batch is `ctx.data` (a file, or every
 * partition of a folder), else the newest partition of `data.path` (or that file).
 *
 * Before anything is scored, every row is checked against the data schema with the
 * label column optional, and against the model's input domain (`createInputDomainChecker`:
 * non-finite transformed values, categories out of vocabulary beyond training's share,
 * values far from the training range); an error-severity anomaly (a feature column the
 * model needs and the file lacks included) makes `record.ok` false, and no predictions file exists
 * at the output path afterwards (a stale one from an earlier run is removed).
 * Predictions are written to a temp file beside the output and renamed at the end.
 * `<out>/prediction.json` (the record) and `prediction.md` are written either way.
 *
 * @throws UserError without a production model (or the given version), without a
 *   schema, for a `--keep` column the data lacks, or for unreadable data.
 */
export async function runPredict(ctx: StageContext, options: PredictOptions = {}): Promise<PredictionRecord> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const { config } = ctx.loaded;
  const { logger } = ctx;
  const paths = artifactPaths(ctx.outDir);
  const output = path.resolve(options.output ?? path.join(ctx.outDir, 'predictions.csv'));
  const format: 'csv' | 'jsonl' = /\.jsonl$/i.test(output) ? 'jsonl' : 'csv';
  const keep = options.keep ?? [];
  const clash = keep.find((c) => FIXED_COLUMNS.includes(c));
  if (clash !== undefined) throw new UserError(`--keep: column "${clash}" would clash with ct's own output column of that name`);

  // Cheap checks first: the model, the schema, the files; the data is read after.
  const { version, dir } = modelVersionDir(ctx, options.modelVersion);
  const preprocessing = readJson<Preprocessing>(path.join(dir, 'preprocessing.json'), `preprocessing of ${config.name} ${version}`);
  const schemaFile = schemaPath(ctx);
  if (!existsSync(schemaFile)) throw new UserError(`data schema not found: ${displayPath(schemaFile)}: run \`ct validate\` first (it infers the schema on first use), review and commit it`);
  const schema = labelOptional(parseSchema(displayPath(schemaFile), readJson(schemaFile, 'data schema')), [config.label.column, preprocessing.label.column], preprocessing);
  const files = batchFiles(ctx);
  const shown = files.map(displayPath);
  logger.info(`predict: scoring ${describeFiles(shown)}${ctx.data === undefined && shown.length === 1 ? ` (the newest data of ${config.data.path})` : ''} with ${config.name} ${version}`);
  const readOptions = config.data.format === undefined ? {} : { format: config.data.format };

  // Pass 1: the whole batch against the schema and the model's input domain, and the columns the model and --keep need.
  const needed = sourceColumns(preprocessing);
  const domain = createInputDomainChecker(preprocessing, { model: `${config.name} ${version}`, severity: config.validation.severity });
  const missingNeeded = new Map<string, { rows: number; files: Set<string> }>();
  const keepChecked = new Set<string>();
  const batch = await validateChunks(
    (async function* () {
      for await (const table of readChunksOf(files, readOptions)) {
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
    { schema, checker: { severity: config.validation.severity, duplicates: config.validation.duplicates }, reference: null },
  );
  const labels = new Set([config.label.column, preprocessing.label.column]);
  for (const a of batch.anomalies) if (a.column !== null && labels.has(a.column) && a.severity === 'warning' && LABEL_ABSENCE.includes(a.kind)) a.message += ' (the label: not needed to predict)';
  const anomalies = modelColumnAnomalies([...batch.anomalies, ...domain.result()], missingNeeded, batch.rows);
  const imputed = domain.imputed();
  for (const counts of imputed) {
    const line = imputedSummary(preprocessing.features.find((f) => f.name === counts.feature)!, counts, batch.rows);
    if (line !== null) logger.info(`predict: ${line}`);
  }
  const errors = anomalies.filter((a) => a.severity === 'error');
  const record: PredictionRecord = {
    ok: errors.length === 0,
    model: config.name,
    version,
    task: preprocessing.task,
    files: shown,
    rows: batch.rows,
    output: null,
    format,
    fingerprint: fingerprintFiles(files),
    schemaFile: displayPath(schemaFile),
    anomalies,
    imputed: { rows: batch.rows, features: imputed },
    backend: null,
    startedAt,
    durationSeconds: 0,
    rowsPerSecond: 0,
  };
  const finish = (): PredictionRecord => {
    record.durationSeconds = (performance.now() - started) / 1000;
    record.rowsPerSecond = record.ok && record.durationSeconds > 0 ? record.rows / record.durationSeconds : 0;
    writeJson(paths.prediction, record);
    writeFileSync(paths.predictionReport, predictionMarkdown(record));
    return record;
  };

  if (!record.ok) {
    for (const a of anomalies) {
      if (a.severity === 'error') logger.warning(`error: ${a.message}${exampleText(a)}`);
      else logger.info(`warning: ${a.message}`);
    }
    // The output path must never hold predictions for some other batch.
    rmSync(output, { force: true });
    finish();
    logger.warning(`refusing to score ${describeFiles(shown)}: ${errors.length} error anomal${errors.length === 1 ? 'y' : 'ies'} (see ${displayPath(paths.prediction)})`);
    return record;
  }
  for (const a of anomalies) logger.info(`warning: ${a.message}`);

  // Pass 2: encode, score and write chunk by chunk.
  const backend = await selectBackend(ctx.backend ?? config.training.backend, logger);
  record.backend = backend.name;
  const loaded = await loadModel(dir, `${config.name} ${version}`);
  const writer = predictionWriter(output, format);
  try {
    const columns = outputColumns(loaded, keep);
    const threshold = config.evaluation.threshold;
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
      writer.rows(columns, chunkRows(table, file, source?.offset ?? 0, keep, config.name, version, loaded, scores, threshold));
      scored += table.rowCount;
    }
    // Checked and scored must be the same rows: a file replaced meanwhile is not scored unchecked.
    if (scored !== record.rows) throw new UserError(`${describeFiles(shown)} changed while being scored: ${record.rows} rows checked, ${scored} read for scoring; run ct predict again`);
    writer.commit();
  } catch (error) {
    writer.abort();
    throw error;
  } finally {
    loaded.model.dispose();
  }
  record.output = displayPath(output);
  finish();
  logger.info(`predicted ${record.rows} rows with ${config.name} ${version} in ${record.durationSeconds.toFixed(2)} s (${Math.round(record.rowsPerSecond)} rows/s) -> ${record.output}`);
  return record;
}

/**
 * The registry folder of the model to score, checksums verified: production, or
 * `requested` (verified against production.json when it is production, else against the
 * checksums recorded in history.jsonl when it was promoted).
 */
function modelVersionDir(ctx: StageContext, requested: string | undefined): { version: string; dir: string } {
  const registry = registryPath(ctx);
  const name = ctx.loaded.config.name;
  const shownRegistry = ctx.loaded.config.registry.path.replace(/\/*$/, '/');
  const pointer = readProduction(registry, name);
  if (requested === undefined || requested === pointer?.version) {
    if (pointer === null) throw new UserError(`no production model "${name}" in ${shownRegistry}: promote one first (ct run)`);
    return { version: pointer.version, dir: verifiedProductionDir(registry, pointer) };
  }
  const recorded = recordedChecksums(registry, name, requested, pointer);
  if (recorded === null) {
    const known = listVersions(registry, name);
    throw new UserError(
      `--model-version: no promotion of "${name}" ${requested} is recorded in ${shownRegistry}${name}/history.jsonl${known.includes(requested) ? ' (its checksums cannot be verified)' : known.length > 0 ? `; versions: ${known.join(', ')}` : ''}`,
    );
  }
  return { version: requested, dir: verifiedVersionDir(registry, name, requested, recorded.files, recorded.source) };
}

/** The files to score: `--data` (a file, or every partition of a folder), else the newest partition of data.path (or that file). */
function batchFiles(ctx: StageContext): string[] {
  if (ctx.data !== undefined) return planBatch(ctx.data).files;
  const source = dataSource(ctx);
  if (isRemote(source)) return [source];
  let isFolder: boolean;
  try {
    isFolder = statSync(source).isDirectory();
  } catch {
    throw new UserError(`data not found: ${displayPath(source)} (data.path or --data)`);
  }
  return isFolder ? [listPartitions(source).at(-1)!.file] : [source];
}

function describeFiles(files: readonly string[]): string {
  if (files.length === 1) return files[0]!;
  if (files.length <= 5) return `${files.length} files (${files.join(', ')})`;
  return `${files.length} files (${files[0]} .. ${files.at(-1)})`;
}

/** The data columns the model reads (crosses read features, not columns). */
function sourceColumns(preprocessing: Preprocessing): string[] {
  return [...new Set(preprocessing.features.filter((f) => f.kind === 'numeric' || f.cross === undefined).map((f) => f.column))];
}

/**
 * The schema for prediction data: the label column may be absent or empty (no labels
 * yet), so those anomalies are warnings for it — unless the model reads the column as a
 * feature. Everything else, and `ct validate`'s schema, stays as it is.
 */
function labelOptional(schema: DataSchema, labels: readonly string[], preprocessing: Preprocessing): DataSchema {
  const features = new Set(sourceColumns(preprocessing));
  return {
    ...schema,
    columns: schema.columns.map((c) =>
      labels.includes(c.name) && !features.has(c.name) ? { ...c, severity: { ...c.severity, ...Object.fromEntries(LABEL_ABSENCE.map((k) => [k, 'warning'])) } } : c,
    ),
  };
}

/**
 * Feature columns the model reads that some files lack are errors, whatever the schema
 * says (the column may be missing from the schema, or its absence only a warning there).
 */
function modelColumnAnomalies(anomalies: readonly Anomaly[], missing: ReadonlyMap<string, { rows: number; files: Set<string> }>, rows: number): Anomaly[] {
  const out = anomalies.map((a) => ({ ...a }));
  for (const [column, { rows: count, files }] of missing) {
    const suffix = `; the model reads it (missing in ${[...files].join(', ')})`;
    const existing = out.find((a) => a.kind === 'missing_column' && a.column === column);
    if (existing !== undefined) {
      existing.severity = 'error';
      existing.message += suffix;
    } else {
      out.push({ column, kind: 'missing_column', severity: 'error', count, share: rows === 0 ? 0 : count / rows, examples: [], message: `column "${column}" is missing${suffix}` });
    }
  }
  return out.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}

function exampleText(a: Anomaly): string {
  const e = a.examples[0];
  return e === undefined ? '' : ` (first at ${e.file} row ${e.row}${e.value === undefined ? '' : `: ${e.value}`})`;
}

/** Output column names: file, row, the kept columns, model, version, then the predictions. */
function outputColumns(loaded: LoadedModel, keep: readonly string[]): string[] {
  const { task, label } = loaded.preprocessing;
  if (task === 'multiclass' && (label.classes ?? []).length !== loaded.width) {
    throw new UserError(`${displayPath(loaded.dir)}: preprocessing.json lists ${(label.classes ?? []).length} classes, the model has ${loaded.width} outputs`);
  }
  const predictions =
    task === 'binary' ? ['probability', 'predicted'] : task === 'multiclass' ? [...(label.classes ?? []).map((c) => `probability_${c}`), 'predicted'] : ['prediction'];
  return [...FIXED_COLUMNS.slice(0, 2), ...keep, ...FIXED_COLUMNS.slice(2), ...predictions];
}

type Cell = string | number | boolean | null;

/** A float32 model output as the shortest decimal that reads back as the same float32. */
function float32(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(9)) : x;
}

/** The output rows of one chunk (values in `outputColumns` order). */
function chunkRows(table: Table, file: string, offset: number, keep: readonly string[], model: string, version: string, loaded: LoadedModel, scores: Float32Array, threshold: number): Cell[][] {
  const kept = keep.map((name) => findColumn(table, name)) as Column[];
  const task = loaded.preprocessing.task;
  const classes = loaded.preprocessing.label.classes ?? [];
  const width = loaded.width;
  const out: Cell[][] = new Array(table.rowCount);
  for (let i = 0; i < table.rowCount; i++) {
    const row: Cell[] = [file, offset + i];
    for (const c of kept) row.push(valueAt(c, i));
    row.push(model, version);
    if (task === 'binary') {
      const p = scores[i]!;
      row.push(float32(p), p >= threshold ? 1 : 0);
    } else if (task === 'multiclass') {
      let best = 0;
      for (let k = 0; k < width; k++) {
        const p = scores[i * width + k]!;
        row.push(float32(p));
        if (p > scores[i * width + best]!) best = k;
      }
      row.push(classes[best] ?? String(best));
    } else {
      row.push(float32(scores[i]!));
    }
    out[i] = row;
  }
  return out;
}

interface PredictionWriter {
  header(columns: readonly string[]): void;
  rows(columns: readonly string[], rows: readonly Cell[][]): void;
  /** Flushes and renames the temp file over the output. */
  commit(): void;
  /** Closes and removes the temp file. */
  abort(): void;
}

/** Writes CSV or JSON Lines to a temp file beside `output`; `commit` renames it into place. */
function predictionWriter(output: string, format: 'csv' | 'jsonl'): PredictionWriter {
  mkdirSync(path.dirname(output), { recursive: true });
  const temp = path.join(path.dirname(output), `.${path.basename(output)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | null = openSync(temp, 'w');
  const write = (text: string): void => {
    writeSync(fd!, text);
  };
  const close = (): void => {
    if (fd !== null) closeSync(fd);
    fd = null;
  };
  return {
    header(columns) {
      if (format === 'csv') write(csvLine(columns));
    },
    rows(columns, rows) {
      let text = '';
      for (const row of rows) {
        text += format === 'csv' ? csvLine(row) : `${JSON.stringify(Object.fromEntries(columns.map((c, k) => [c, row[k]])))}\n`;
      }
      write(text);
    },
    commit() {
      fsyncSync(fd!);
      close();
      renameSync(temp, output);
    },
    abort() {
      close();
      rmSync(temp, { force: true });
    },
  };
}

/** The Markdown twin of `prediction.json`, for people and the job summary. */
export function predictionMarkdown(r: PredictionRecord): string {
  const lines = [
    `# Prediction with ${r.model} ${r.version}: ${r.ok ? `${r.rows} rows scored` : 'refused'}`,
    '',
    r.ok
      ? `Scored ${r.rows} rows from ${r.files.length} file(s) in ${r.durationSeconds.toFixed(2)} s (${Math.round(r.rowsPerSecond)} rows/s, backend ${r.backend}); predictions in \`${r.output}\`.`
      : `Nothing was scored: the batch has ${r.anomalies.filter((a) => a.severity === 'error').length} error anomalies against \`${r.schemaFile}\` (the label may be missing; every other column is checked as \`ct validate\` checks it) or against the model's input domain (\`input_*\`: values its preprocessing would silently impute or extrapolate).`,
    '',
    '| file |',
    '|---|',
    ...r.files.map((f) => `| \`${f}\` |`),
    '',
    `Data fingerprint: \`${r.fingerprint}\``,
  ];
  if (r.anomalies.length > 0) {
    lines.push('', '## Anomalies', '', '| severity | kind | column | count | message |', '|---|---|---|---|---|');
    for (const a of r.anomalies) lines.push(`| ${a.severity} | ${a.kind} | ${a.column ?? ''} | ${a.count} | ${a.message.replaceAll('|', '\\|')} |`);
  }
  const imputed = (r.imputed?.features ?? []).filter((c) => c.missing + c.nonFinite + c.outOfVocabulary + c.far > 0);
  if (imputed.length > 0) {
    lines.push(
      '',
      '## Imputed rows',
      '',
      `Rows of the ${r.imputed!.rows} the model's encoder fills in (missing, non-finite after the transform: the training mean or id 0; out of vocabulary: id 0) or finds far from the training range (scored as they are).`,
      '',
      '| feature | column | missing | non-finite | out of vocabulary | far |',
      '|---|---|---|---|---|---|',
      ...imputed.map((c) => `| ${c.feature} | ${c.column} | ${c.missing} | ${c.nonFinite} | ${c.outOfVocabulary} | ${c.far} |`),
    );
  }
  return `${lines.join('\n')}\n`;
}
