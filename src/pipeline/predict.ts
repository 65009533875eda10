/**
 * `ct predict`: batch-score data with the production model (or a given registry
 * version), checksums verified, through the model's own saved preprocessing. It fails
 * loudly rather than score garbage: the whole batch is checked against the data schema
 * (the label may be missing: prediction data has no labels yet) and against the model's
 * input domain (values its preprocessing would silently impute or extrapolate) first,
 * and any error-severity anomaly stops it before a single row is scored. Rows are read,
 * encoded, scored and written chunk by chunk, so memory does not grow with the batch.
 */
import { rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { artifactPaths, type PredictionRecord } from '../artifacts.js';
import { fingerprintFiles, planBatch } from '../data/dataset.js';
import { displayPath } from '../data/files.js';
import { listPartitions } from '../data/partitions.js';
import { isRemote } from '../data/remote.js';
import { UserError } from '../errors.js';
import { loadModel } from '../evaluate/score.js';
import { readJson, writeJson } from '../files.js';
import type { Preprocessing } from '../features/preprocessing.js';
import type { Logger } from '../logger.js';
import { checkBatch, imputedLines, readPredictionSchema } from '../predict/check.js';
import { checkedRecord, describeFiles } from '../predict/report.js';
import { predictionMarkdown } from '../report/prediction.js';
import { checkKeptNames } from '../predict/rows.js';
import { scoreChunks } from '../predict/score.js';
import { openPredictionWriter, predictionFormat } from '../predict/writer.js';
import { listVersions, recordedChecksums, readProduction, verifiedProductionDir, verifiedVersionDir } from '../registry/registry.js';
import { selectBackend } from '../train/backend.js';
import { type Anomaly, anomalyText } from '../validate/checker.js';
import { severityOf } from '../validate/schema.js';
import { unreadFilesAnomaly } from '../validate/unread-files.js';
import { dataSource, registryPath, schemaPath, type StageContext } from './context.js';

/** Options of `ct predict` beyond the common ones. */
export interface PredictOptions {
  /** Where the predictions go (default `<out>/predictions.csv`); a `.jsonl` or `.ndjson` name writes JSON Lines. */
  output?: string;
  /** Input columns copied into every output row, after `file` and `row`. */
  keep?: string[];
  /** Score this registry version instead of production (verified against its recorded checksums). */
  modelVersion?: string;
}

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
  // Named as the user wrote it, in a refusal.
  const format = predictionFormat(options.output ?? output);
  const keep = checkKeptNames(options.keep ?? []);

  // Cheap checks first: the model, the schema, the files; the data is read after.
  const { version, dir } = modelVersionDir(ctx, options.modelVersion);
  const model = `${config.name} ${version}`;
  const preprocessing = readJson<Preprocessing>(path.join(dir, 'preprocessing.json'), `preprocessing of ${model}`);
  const labels = [config.label.column, preprocessing.label.column];
  const schemaFile = schemaPath(ctx);
  const schema = readPredictionSchema(schemaFile, labels, preprocessing);
  const { files, folder } = batchFiles(ctx);
  const shown = files.map(displayPath);
  logger.info(
    `predict: scoring ${describeFiles(shown)}${ctx.data === undefined && shown.length === 1 ? ` (the newest data of ${config.data.path})` : ''} with ${model}`,
  );
  const readOptions = config.data.format === undefined ? {} : { format: config.data.format };

  // Pass 1: the whole batch against the schema and the model's input domain, and the columns the model and --keep need.
  const checked = await checkBatch(files, { readOptions, keep, preprocessing, schema, labels, model, validation: config.validation });
  // A day's file named otherwise (`2026-04-10.csv.gz`) is not scored: the newest partition is then the day before.
  const unread = folder === null ? null : unreadFilesAnomaly(folder, severityOf('unread_file', config.validation.severity));
  if (unread !== null) checked.anomalies.push(unread);
  for (const line of imputedLines(preprocessing, checked.imputed, checked.rows)) logger.info(`predict: ${line}`);
  const fingerprint = fingerprintFiles(files);
  const record = checkedRecord(
    { model: config.name, version, task: preprocessing.task, files: shown, format, fingerprint, schemaFile: displayPath(schemaFile), startedAt },
    checked,
  );
  logAnomalies(logger, record.anomalies);
  if (!record.ok) {
    const errors = record.anomalies.filter((a) => a.severity === 'error').length;
    // The output path must never hold predictions for some other batch.
    rmSync(output, { force: true });
    finishRecord(record, started, paths);
    logger.warning(`refusing to score ${describeFiles(shown)}: ${errors} error anomal${errors === 1 ? 'y' : 'ies'} (see ${displayPath(paths.prediction)})`);
    return record;
  }

  // Pass 2: encode, score and write chunk by chunk.
  record.backend = (await selectBackend(ctx.backend ?? config.training.backend, logger)).name;
  await scoreToFile(files, readOptions, { dir, model, version, output, format, keep, expectedRows: record.rows, config });
  record.output = displayPath(output);
  finishRecord(record, started, paths);
  logger.info(
    `predicted ${record.rows} rows with ${model} in ${record.durationSeconds.toFixed(2)} s (${Math.round(record.rowsPerSecond)} rows/s) -> ${record.output}`,
  );
  return record;
}

/**
 * Scores the batch with the model in `dir` into `output`, atomically: the file appears
 * whole or not at all. The rows read must be the rows checked (a file replaced meanwhile
 * is not scored unchecked).
 */
async function scoreToFile(
  files: string[],
  readOptions: { format?: NonNullable<StageContext['loaded']['config']['data']['format']> },
  job: {
    dir: string;
    model: string;
    version: string;
    output: string;
    format: ReturnType<typeof predictionFormat>;
    keep: readonly string[];
    expectedRows: number;
    config: StageContext['loaded']['config'];
  },
): Promise<void> {
  const loaded = await loadModel(job.dir, job.model);
  const writer = openPredictionWriter(job.output, job.format);
  const { name, evaluation } = job.config;
  try {
    const scored = await scoreChunks(files, readOptions, loaded, writer, {
      keep: job.keep,
      model: name,
      version: job.version,
      threshold: evaluation.threshold,
    });
    if (scored !== job.expectedRows) {
      throw new UserError(
        `${describeFiles(files.map(displayPath))} changed while being scored: ${job.expectedRows} rows checked, ${scored} read for scoring; run ct predict again`,
      );
    }
    writer.commit();
  } catch (error) {
    writer.abort();
    throw error;
  } finally {
    loaded.model.dispose();
  }
}

/** Errors with where they were first seen; warnings as information. */
function logAnomalies(logger: Logger, anomalies: readonly Anomaly[]): void {
  for (const a of anomalies) {
    if (a.severity === 'error') logger.error(anomalyText(a));
    else logger.info(`warning: ${anomalyText(a)}`);
  }
}

/** Times the record and writes it: `prediction.json` and its Markdown twin. */
function finishRecord(record: PredictionRecord, started: number, paths: ReturnType<typeof artifactPaths>): void {
  record.durationSeconds = (performance.now() - started) / 1000;
  record.rowsPerSecond = record.ok && record.durationSeconds > 0 ? record.rows / record.durationSeconds : 0;
  writeJson(paths.prediction, record);
  writeFileSync(paths.predictionReport, predictionMarkdown(record));
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

/**
 * The files to score: `--data` (a file, or every partition of a folder), else the newest
 * partition of data.path (or that file); and the folder of partitions they come from, if any.
 */
function batchFiles(ctx: StageContext): { files: string[]; folder: string | null } {
  if (ctx.data !== undefined) {
    const plan = planBatch(ctx.data);
    return { files: plan.files, folder: plan.partitioned ? ctx.data : null };
  }
  const source = dataSource(ctx);
  if (isRemote(source)) return { files: [source], folder: null };
  let isFolder: boolean;
  try {
    isFolder = statSync(source).isDirectory();
  } catch {
    throw new UserError(`data not found: ${displayPath(source)} (data.path or --data)`);
  }
  return isFolder ? { files: [listPartitions(source).at(-1)!.file], folder: source } : { files: [source], folder: null };
}
