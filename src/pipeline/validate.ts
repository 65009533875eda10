/**
 * `ct validate`: check the batch against the data schema (inferred and written on
 * first use), test the newest data for drift against the production model's training
 * statistics, and write `validation.json` and its Markdown twin.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '../tf.js';
import { labelTypeMismatch } from '../config/load.js';
import type { CtConfig } from '../config/types.js';
import { type Dataset, type DatasetPlan, fingerprintFiles, planBatch, planDataset } from '../data/dataset.js';
import { displayPath } from '../data/files.js';
import { readChunksOf } from '../data/stream.js';
import { type ColumnType, takeRows } from '../data/table.js';
import { UserError } from '../errors.js';
import { readJson, writeJson } from '../files.js';
import { LABEL_COLUMN, PREDICTION_COLUMN } from '../features/derived.js';
import { createInputDomainChecker } from '../features/domain.js';
import { type Preprocessing } from '../features/preprocessing.js';
import { labelOptional } from '../predict/check.js';
import { readProduction, verifiedProductionDir } from '../registry/registry.js';
import { lineDiff } from '../report/diff.js';
import { validationMarkdown } from '../report/markdown.js';
import { selectBackend } from '../train/backend.js';
import { type BatchChunk, validateChunks } from '../validate/batch.js';
import { type Anomaly, anomalyText, type CheckerOptions } from '../validate/checker.js';
import type { DriftOptions } from '../validate/drift.js';
import { createSchemaInference, type DataSchema, parseSchema, severityOf, widenSchema } from '../validate/schema.js';
import { foldNewValueWarnings } from '../validate/new-values.js';
import { unreadFilesAnomaly } from '../validate/unread-files.js';
import { type DatasetStatistics, parseStatistics } from '../validate/statistics.js';
import { deriveColumns, type Scorer } from '../validate/drift-columns.js';
import { acceptanceRebases, artifactPaths, type TrainingRecord, type ValidationResult } from '../artifacts.js';
import { dataSource, registryPath, schemaPath, type StageContext } from './context.js';
import { acceptedPath, NO_PARTITION, writeAcceptance } from '../validate/accepted.js';
import { type Screening, screenPartitions, skippedScreening } from '../validate/screening.js';
import { loadLayersModel } from '../evaluate/score.js';

export { LABEL_COLUMN, PREDICTION_COLUMN } from '../features/derived.js';

export interface ValidateOptions {
  /** Propose the schema change that would accept this batch (written beside the artifacts, shown as a diff). */
  updateSchema?: boolean;
  /** The files of `given` when they are not the configured window (`ct monitor`'s new days). */
  plan?: DatasetPlan;
  /** The window's screening against the partition history, when the caller did it before reading the data (`ct run`). */
  screening?: Screening;
  /**
   * `given` is ct serve's prediction log (`ct monitor`): the label may be missing or empty
   * (labels arrive late), a column a client sent is no error, and its days are serving days.
   */
  predictionLog?: boolean;
}

/**
 * Screens the configured window against its partition history (`validate/screening.ts`):
 * the newest partition's outliers and the older partitions to leave out. Not for a
 * `--data` batch. Before a schema exists, it is inferred from the window and written first,
 * so the first run's newest partition is screened as every later one is.
 */
export async function screenWindow(ctx: StageContext): Promise<Screening> {
  if (ctx.data !== undefined) return skippedScreening('a --data batch is checked on its own, not against the partition history');
  const file = schemaPath(ctx);
  let inferred = false;
  if (!existsSync(file)) {
    // No partition is quarantined before a schema exists: the whole window is planned.
    const plan = windowPlan(ctx, skippedScreening('the schema is inferred in this run'))!;
    inferred = (await readOrInferSchema(ctx, () => planChunks(plan, ctx.loaded.config))).inferred;
  }
  const schema = parseSchema(displayPath(file), readJson(file, 'data schema'));
  const production = await loadProduction(ctx);
  try {
    const screening = await screenPartitions({
      config: ctx.loaded.config,
      baseDir: ctx.loaded.baseDir,
      source: dataSource(ctx),
      schema,
      schemaFile: file,
      production: production === null ? null : { version: production.version, model: production.model, preprocessing: production.preprocessing },
      logger: ctx.logger,
    });
    return inferred ? { ...screening, schemaInferred: true } : screening;
  } finally {
    await production?.release();
  }
}

/**
 * Records a person's acceptance of a partition's change (`ct validate --accept <day>`): the
 * newest partition's history findings and the production model's verdicts on it (labels
 * misaligned, columns exchanged), or a quarantined partition's, no longer count, and
 * history before that day no longer counts for those statistics — or, for a one-off
 * (`--one-off`), the day is trained on and later days are judged without it. Schema errors
 * are not accepted here: they need a schema change (`--update-schema`).
 */
export async function acceptPartition(ctx: StageContext, date: string, options: { reason: string; oneOff: boolean }): Promise<void> {
  const screening = await screenWindow(ctx);
  if (screening.skipped !== null) throw new UserError(`--accept ${date}: nothing to accept: ${screening.skipped}`);
  const file = schemaPath(ctx);
  const before = existsSync(acceptedPath(file)) ? readFileSync(acceptedPath(file), 'utf8') : '';
  const { reason } = options;
  if (screening.missing.includes(date)) {
    if (options.oneOff) throw new UserError(`--one-off: ${date} has no partition; a day without data is accepted without it (ct validate --accept ${date})`);
    // A day without a partition: accepting it says there was no data that day.
    const written = writeAcceptance(file, { date, fingerprint: NO_PARTITION, metrics: ['missing_partition'], reason });
    ctx.logger.info(`accepted that ${date} has no data in ${displayPath(written)}: review and commit it\n${lineDiff(before, readFileSync(written, 'utf8'))}`);
    return;
  }
  const quarantined = screening.quarantined.find((q) => q.date === date);
  // The newest partition counts as flagged only with a finding or an error of its own: a clean newest day has nothing to accept.
  const candidate = screening.newest?.date === date ? screening.newest : null;
  const newest = candidate !== null && (candidate.findings.length > 0 || candidate.errors.length > 0 || candidate.modelErrors.length > 0) ? candidate : null;
  const flagged =
    newest !== null
      ? { fingerprint: newest.fingerprint, metrics: [...newest.findings.map((f) => f.metric), ...newest.modelErrors] }
      : quarantined !== undefined
        ? { fingerprint: quarantined.fingerprint, metrics: quarantined.metrics }
        : null;
  // A day accepted before may be accepted again: as a one-off where it was a lasting change, or the other way.
  const previous = screening.accepted.find((a) => a.date === date);
  const target =
    previous === undefined ? flagged : { fingerprint: previous.fingerprint, metrics: [...new Set([...previous.metrics, ...(flagged?.metrics ?? [])])] };
  if (target === null)
    throw new UserError(
      `--accept ${date}: no partition of the window for that day is flagged against its history or by the production model's checks, nor is the day missing (newest: ${screening.newest?.date ?? 'none'}; quarantined: ${screening.quarantined.map((q) => q.date).join(', ') || 'none'}; missing: ${screening.missing.join(', ') || 'none'})`,
    );
  if (target.metrics.length === 0)
    throw new UserError(`--accept ${date}: its errors are schema errors, which a schema change accepts: ct validate --update-schema proposes it`);
  const written = writeAcceptance(file, {
    date,
    fingerprint: target.fingerprint,
    metrics: target.metrics,
    reason,
    ...(options.oneOff ? { oneOff: true } : {}),
  });
  const what = options.oneOff
    ? 'as a one-off: later days are judged without it'
    : acceptanceRebases(target)
      ? 'the new level is the reference from this day on'
      : 'the day is trained on as delivered';
  ctx.logger.info(
    `accepted the change of ${date} (${target.metrics.join(', ')}; ${what}) in ${displayPath(written)}: review and commit it\n${lineDiff(before, readFileSync(written, 'utf8'))}`,
  );
}

export interface ValidateOutput {
  result: ValidationResult;
}

/** A production model, loaded for prediction drift. */
interface Production extends Scorer {
  /** Frees the model if it was loaded. */
  release: () => Promise<void>;
  version: string;
  statistics: DatasetStatistics | null;
  rowsPerPartition: number | null;
  /** What the production model was trained from: data fingerprint and config hash. */
  trainedOn: { fingerprint: string; configSha256: string };
}

/**
 * Runs validation. With `given` (from `ct run`), the rows already read are validated;
 * otherwise the files are streamed in chunks, so memory does not grow with the batch.
 * `result.ok` is false on an error-severity anomaly, or on dataset drift when
 * `validation.drift.blocking` is set.
 */
export async function runValidate(ctx: StageContext, given?: Dataset, options: ValidateOptions = {}): Promise<ValidateOutput> {
  const { config } = ctx.loaded;
  const screening = options.screening ?? (given === undefined && options.plan === undefined ? await screenWindow(ctx) : skippedScreening('validated as given'));
  // With --update-schema the whole window is read even so: the proposal is for the rows the schema refused.
  if (given === undefined && options.plan === undefined && screening.newest !== null && screening.newest.errors.length > 0 && options.updateSchema !== true)
    return refuseNewest(ctx, screening, screening.newest);
  if (screening.newest !== null) logScreening(ctx, screening.newest.file, screening);
  // A batch given with --data is all new data; the configured window is split into reference and new days.
  const plan = options.plan ?? (given === undefined && ctx.data !== undefined ? planBatch(ctx.data) : windowPlan(ctx, screening));
  if (plan === null) return refuseWindow(ctx, screening);
  const chunks = (): AsyncIterable<BatchChunk> | Iterable<BatchChunk> => (given !== undefined ? datasetChunks(given) : planChunks(plan, config));
  const { schema: read, file, inferred } = await readOrInferSchema(ctx, chunks);
  checkConfigColumns(ctx.loaded.file, config, read, displayPath(file));

  const production = await loadProduction(ctx);
  const schema = options.predictionLog === true && production !== null ? predictionLogSchema(read, config, production) : read;
  // Without a production model, the training days of the window are the reference.
  const reference = production?.statistics ?? (given !== undefined || plan.evaluationFiles.length > 0 ? 'window' : null);
  const batch = await checkBatch(ctx, chunks(), {
    schema,
    plan,
    production,
    reference,
    collectAll: options.updateSchema === true,
    predictionLog: options.predictionLog === true,
  });
  await production?.release();

  const driftBlocks = config.validation.drift.blocking && batch.drift?.datasetDrift === true;
  const anomalies = foldNewValueWarnings([...screening.anomalies, ...batch.anomalies, ...(plan.partitioned ? unreadFiles(ctx) : [])]).sort((a, b) =>
    a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1,
  );
  // Rows already read were fingerprinted as they were read; do not read the files again.
  const fingerprint = given?.fingerprint ?? fingerprintFiles(plan.files);
  const result: ValidationResult = {
    ok: !anomalies.some((a) => a.severity === 'error') && !driftBlocks,
    rows: batch.rows,
    fingerprint,
    retrain: ctx.data !== undefined && given === undefined ? null : retrainDecision(production, fingerprint, ctx.loaded.hash),
    files: plan.files.map(displayPath),
    schemaFile: displayPath(file),
    schemaInferred: inferred || screening.schemaInferred === true,
    anomalies,
    drift:
      batch.drift === null
        ? null
        : {
            reference: production?.statistics ? `production ${production.version}` : 'training days of this window',
            blocking: config.validation.drift.blocking,
            ...batch.drift,
          },
    history: { days: screening.historyDays, skipped: screening.skipped },
    quarantined: screening.quarantined,
    accepted: screening.accepted,
  };
  writeValidation(ctx, result);
  if (options.updateSchema === true && batch.all !== null) proposeSchema(ctx, schema, batch.all, file);
  logFindings(ctx, result);
  logDrift(ctx, result.drift, driftBlocks);
  if (result.retrain?.needed === false) ctx.logger.info(result.retrain.reason);
  ctx.logger.info(`validated ${result.rows} rows from ${result.files.length} file(s): ${result.ok ? 'ok' : 'failed'}`);
  return { result };
}

function logScreening(ctx: StageContext, file: string, screening: Screening): void {
  ctx.logger.info(`history: ${file} against ${screening.historyDays} earlier day(s) (profiles: ${screening.cached} cached, ${screening.computed} computed)`);
}

/** The schema a prediction log is checked against: the label may be missing (labels arrive late). */
function predictionLogSchema(schema: DataSchema, config: CtConfig, production: Production): DataSchema {
  return labelOptional(schema, [config.label.column, production.preprocessing.label.column], production.preprocessing);
}

/** Streams the batch through the schema, drift and input-domain checks. */
function checkBatch(
  ctx: StageContext,
  chunks: AsyncIterable<BatchChunk> | Iterable<BatchChunk>,
  batch: {
    schema: DataSchema;
    plan: DatasetPlan;
    production: Production | null;
    reference: DatasetStatistics | 'window' | null;
    collectAll: boolean;
    predictionLog: boolean;
  },
): ReturnType<typeof validateChunks> {
  const { config } = ctx.loaded;
  const { schema, production } = batch;
  const drift = driftOptions(config, schema);
  // Scoring every row is most of the work of validating a large batch: only for a tested prediction drift.
  const scorer = drift.columns?.includes(PREDICTION_COLUMN) === true ? production : null;
  const domain =
    production === null
      ? null
      : createInputDomainChecker(production.preprocessing, {
          model: `production ${production.version}`,
          severity: config.validation.severity,
          openColumns: new Set(schema.columns.filter((c) => c.domain === undefined).map((c) => c.name)),
          reviewedValues: new Map(schema.columns.flatMap((c) => (c.domain === undefined ? [] : [[c.name, new Set(c.domain)] as const]))),
        });
  return validateChunks(chunks, {
    schema,
    checker: batch.predictionLog
      ? { severity: { new_column: 'warning', ...config.validation.severity }, duplicates: false }
      : checkerOptions(config, batch.plan, production),
    reference: batch.reference,
    drift,
    derive: (table) => deriveColumns(table, config, scorer),
    collectAll: batch.collectAll,
    // What the production model can take: a value its preprocessing would turn into NaN or an imputed number is an anomaly.
    checks: domain === null ? [] : [domain],
  });
}

/** The files of `plan` streamed in chunks, each marked as reference or current data for drift. */
async function* planChunks(plan: DatasetPlan, config: CtConfig): AsyncIterable<BatchChunk> {
  const evaluationFiles = new Set(plan.evaluationFiles.map(displayPath));
  const readOptions = config.data.format === undefined ? {} : { format: config.data.format };
  for await (const table of readChunksOf(plan.files, readOptions)) {
    const file = table.sources[0]?.file ?? '';
    yield { table, drift: evaluationFiles.size === 0 || evaluationFiles.has(file) ? 'current' : 'reference' };
  }
}

/** The data schema: read, or on first use inferred from the data and written for review. */
async function readOrInferSchema(
  ctx: StageContext,
  chunks: () => AsyncIterable<BatchChunk> | Iterable<BatchChunk>,
): Promise<{ schema: DataSchema; file: string; inferred: boolean }> {
  const file = schemaPath(ctx);
  if (existsSync(file)) return { schema: parseSchema(displayPath(file), readJson(file, 'data schema')), file, inferred: false };
  const inference = createSchemaInference({ maxDomainSize: ctx.loaded.config.validation.maxDomainSize });
  for await (const chunk of chunks()) inference.add(chunk.table);
  const { schema, rows } = inference.result();
  writeJson(file, schema);
  ctx.logger.info(`schema inferred from ${rows} rows and written to ${displayPath(file)}: review it and commit it`);
  return { schema, file, inferred: true };
}

/** `--update-schema`: writes the schema that would accept the batch beside the artifacts and shows the change. */
function proposeSchema(ctx: StageContext, schema: DataSchema, all: Parameters<typeof widenSchema>[1], file: string): void {
  const proposed = widenSchema(schema, all, { maxDomainSize: ctx.loaded.config.validation.maxDomainSize });
  const proposedFile = path.join(ctx.outDir, 'schema.proposed.json');
  writeJson(proposedFile, proposed);
  const diff = lineDiff(JSON.stringify(schema, null, 2), JSON.stringify(proposed, null, 2));
  ctx.logger.info(
    diff === '' || !/^[-+]/m.test(diff)
      ? 'the schema already accepts this batch'
      : `proposed schema change (written to ${displayPath(proposedFile)}; copy it over ${displayPath(file)} to accept):\n${diff}`,
  );
}

/** One line on drift: which columns drifted against which reference, and whether it blocks. */
function logDrift(ctx: StageContext, drift: ValidationResult['drift'], blocks: boolean): void {
  if (drift === null) return;
  const drifted = drift.columns.filter((c) => c.drifted).map((c) => c.column);
  const line = `drift against ${drift.reference}: ${drifted.length} of ${drift.columns.length} columns drifted${drifted.length > 0 ? ` (${drifted.join(', ')})` : ''}${drift.datasetDrift ? ': dataset drift' : ''}`;
  if (blocks) ctx.logger.warning(`${line}; validation.drift.blocking is set`);
  else ctx.logger.info(line);
}

/** Writes `validation.json` and its Markdown twin. */
function writeValidation(ctx: StageContext, result: ValidationResult): void {
  const paths = artifactPaths(ctx.outDir);
  writeJson(paths.validation, result);
  writeFileSync(paths.validationReport, validationMarkdown(result));
}

/** Partitions left out that the log names one by one; the report lists every one. */
const SHOWN_QUARANTINED = 3;

/**
 * The log's lines on the partitions left out: each of the newest `SHOWN_QUARANTINED` with
 * its first reason, after one line counting them all when there are more (a long list
 * would bury the day's own findings; `report` lists every one).
 */
export function quarantineLines(quarantined: ReadonlyArray<{ file: string; reasons: readonly string[] }>, report: string): string[] {
  const shown = quarantined.slice(-SHOWN_QUARANTINED);
  const lines =
    shown.length < quarantined.length
      ? [
          `left out ${quarantined.length} partitions of the window (quarantined until fixed or accepted); all listed in ${report}, the newest ${SHOWN_QUARANTINED} here`,
        ]
      : [];
  for (const q of shown) {
    // The first reason is the most telling (errors come ranked); the rest are in the report.
    const more = q.reasons.length > 1 ? ` (and ${q.reasons.length - 1} more in ${report})` : '';
    lines.push(`left out ${q.file} (quarantined until it is fixed or accepted): ${q.reasons[0] ?? 'refused'}${more}`);
  }
  return lines;
}

/** Logs the partitions left out and every anomaly, errors as errors (they stop the run). */
function logFindings(ctx: StageContext, result: ValidationResult): void {
  for (const line of quarantineLines(result.quarantined, displayPath(artifactPaths(ctx.outDir).validationReport))) ctx.logger.warning(line);
  for (const a of result.anomalies) {
    if (a.severity === 'error') ctx.logger.error(anomalyText(a));
    else ctx.logger.info(`warning: ${anomalyText(a)}`);
  }
}

/**
 * The newest partition failed its own schema check (unreadable, mistyped, constraints
 * broken): validation fails on it alone, before the window is read — a partition that does
 * not even read like the others must not make the whole window unreadable.
 */
function refuseNewest(ctx: StageContext, screening: Screening, newest: NonNullable<Screening['newest']>): ValidateOutput {
  // A file that cannot be read at all is input that could not be used (exit 2, one line); later runs leave it out.
  const unreadable = newest.errors.find((a) => a.kind === 'unreadable_file');
  if (unreadable !== undefined) throw new UserError(unreadable.message);
  return refused(ctx, screening, [...newest.errors, ...screening.anomalies], 'on its own');
}

/**
 * The data files of the folder of partitions that no run reads (`unread_file`): a warning by
 * default, as their rows never reach the model; beside a refused partial day, often why.
 */
function unreadFiles(ctx: StageContext): Anomaly[] {
  const anomaly = unreadFilesAnomaly(dataSource(ctx), severityOf('unread_file', ctx.loaded.config.validation.severity));
  return anomaly === null ? [] : [anomaly];
}

/** A failed validation of the newest partition alone (`how` it was judged), written and logged; the window is not read. */
function refused(ctx: StageContext, screening: Screening, found: Anomaly[], how: string): ValidateOutput {
  const newest = screening.newest!;
  const anomalies = [...found, ...unreadFiles(ctx)];
  const result: ValidationResult = {
    ok: false,
    rows: newest.rows,
    fingerprint: newest.fingerprint,
    retrain: null,
    files: [newest.file],
    schemaFile: displayPath(schemaPath(ctx)),
    schemaInferred: false,
    anomalies,
    drift: null,
    history: { days: screening.historyDays, skipped: screening.skipped },
    quarantined: screening.quarantined,
    accepted: screening.accepted,
  };
  writeValidation(ctx, result);
  logFindings(ctx, result);
  ctx.logger.info(`validated ${newest.file}, the newest partition, ${how}: failed`);
  return { result };
}

/**
 * The window less its quarantined partitions; null when they leave it no day to train on,
 * which is the data's fault (exit 1), not the config's.
 */
export function windowPlan(ctx: StageContext, screening: Screening): DatasetPlan | null {
  const { data } = ctx.loaded.config;
  const quarantined = new Set(screening.quarantined.map((q) => q.date));
  try {
    return planDataset(data, dataSource(ctx), quarantined);
  } catch (e) {
    if (quarantined.size === 0 || !(e instanceof UserError)) throw e;
    // The window as configured must hold: otherwise its own error is the one to show.
    planDataset(data, dataSource(ctx));
    return null;
  }
}

/** Validation that stops because the quarantined partitions leave the window no day to train on. */
function refuseWindow(ctx: StageContext, screening: Screening): ValidateOutput {
  const { config } = ctx.loaded;
  const days = screening.quarantined.map((q) => q.date);
  const named =
    days.length <= SHOWN_QUARANTINED ? days.join(', ') : `${days.slice(0, SHOWN_QUARANTINED).join(', ')} and ${days.length - SHOWN_QUARANTINED} more`;
  const split = config.data.split.method === 'time' ? ` (data.split.evaluationDays: ${config.data.split.evaluationDays})` : '';
  const anomaly: Anomaly = {
    kind: 'window_quarantined',
    severity: 'error',
    column: null,
    count: days.length,
    share: 1,
    examples: [],
    message:
      `${path.dirname(screening.newest!.file)}: ${days.length} partition(s) of the window are quarantined (${named}; their reasons are in ${displayPath(artifactPaths(ctx.outDir).validationReport)}), ` +
      `and the days left are for evaluation only${split}: no day is left to train on. ` +
      `Fix those days' data, or accept their changes if they are real: ct validate --accept ${days[0]}`,
  };
  return refused(ctx, screening, [anomaly, ...screening.anomalies], 'against its history');
}

/**
 * Would retraining change anything? Not when the production model was trained from the
 * very same data files and config: a scheduled run then has nothing to do.
 */
function retrainDecision(production: Production | null, fingerprint: string, configSha256: string): NonNullable<ValidationResult['retrain']> {
  if (production === null) return { needed: true, reason: 'no production model yet' };
  const sameData = production.trainedOn.fingerprint === fingerprint;
  const sameConfig = production.trainedOn.configSha256 === configSha256;
  if (sameData && sameConfig)
    return { needed: false, reason: `no new data since production ${production.version} was trained (same files and config): retraining would change nothing` };
  return {
    needed: true,
    reason: [sameData ? null : 'new data since production was trained', sameConfig ? null : 'the config changed'].filter((r) => r !== null).join(' and '),
  };
}

/** The rows of a dataset already in memory, as a reference (training) and a current (evaluation) chunk. */
function datasetChunks(dataset: Dataset): BatchChunk[] {
  return [
    { table: takeRows(dataset.table, dataset.trainRows), drift: 'reference' },
    { table: takeRows(dataset.table, dataset.evaluationRows), drift: 'current' },
  ];
}

/**
 * Every column the config reads (label, timestamp, features, slices) must be in the data
 * schema: a misspelt or dropped column is a config error, found before any training.
 */
function checkConfigColumns(configFile: string, config: CtConfig, schema: DataSchema, schemaFile: string): void {
  const known = schema.columns.map((c) => c.name);
  const used: Array<[field: string, column: string]> = [['label', config.label.column]];
  if (config.data.timestamp !== undefined) used.push(['data.timestamp', config.data.timestamp]);
  config.features.forEach((f, i) => {
    if (f.transform !== 'cross') used.push([`features[${i}].column`, f.column]);
  });
  config.evaluation.slices.forEach((s, i) => used.push([`evaluation.slices[${i}].column`, s.column]));
  for (const [field, column] of used) {
    if (!known.includes(column))
      throw new UserError(`${configFile}: ${field}: "${column}" is not a column of the data (${schemaFile} has ${known.join(', ')})`);
  }
  // What a column must hold for its use, checked here so validation does not pass a config training refuses.
  const typed: Array<[field: string, column: string, type: ColumnType, rule: string]> = [];
  if (config.data.timestamp !== undefined) typed.push(['data.timestamp', config.data.timestamp, 'timestamp', 'data.timestamp must name']);
  config.features.forEach((f, i) => {
    if (f.transform === 'hourOfDay' || f.transform === 'dayOfWeek' || f.transform === 'bucketize' || f.transform === 'log1p')
      typed.push([
        `features[${i}].column`,
        f.column,
        f.transform === 'hourOfDay' || f.transform === 'dayOfWeek' ? 'timestamp' : 'number',
        `${f.transform} needs`,
      ]);
  });
  const labelType = schema.columns.find((c) => c.name === config.label.column)!.type;
  const mismatch = labelTypeMismatch(config.label, labelType);
  if (mismatch !== null) throw new UserError(`${configFile}: label: ${mismatch} (${schemaFile})`);
  for (const [field, column, type, rule] of typed) {
    const actual = schema.columns.find((c) => c.name === column)!.type;
    if (actual !== type) throw new UserError(`${configFile}: ${field}: "${column}" is a ${actual} column in ${schemaFile}; ${rule} a ${type} column`);
  }
}

function checkerOptions(config: CtConfig, plan: ReturnType<typeof planDataset>, production: Production | null): CheckerOptions {
  const options: CheckerOptions = { severity: config.validation.severity, duplicates: config.validation.duplicates };
  if (plan.partitioned && config.data.timestamp !== undefined) options.partitionTime = config.data.timestamp;
  const perPartition = production?.rowsPerPartition ?? null;
  if (plan.partitioned && perPartition !== null) {
    const { minRatio, maxRatio } = config.validation.rowCount;
    const parts = plan.files.length;
    options.expectedRows = {
      min: Math.floor(perPartition * parts * minRatio),
      max: Math.ceil(perPartition * parts * maxRatio),
      reason: `${parts} partition(s) at ${Math.round(perPartition)} rows each in the production model's training data, ratio ${minRatio}..${maxRatio}`,
    };
  }
  return options;
}

function driftOptions(config: CtConfig, schema: DataSchema): DriftOptions {
  const d = config.validation.drift;
  // Time always moves: the timestamp column is never tested for drift. Nor are free text
  // and sequences, whose values rarely repeat (any two samples differ): their unknown
  // tokens, malformed cells and far numbers are watched as the model's input domain instead.
  const text = new Set(config.features.filter((f) => f.kind === 'text' || f.kind === 'sequence').map((f) => f.column));
  const columns = d.columns ?? [
    ...schema.columns.filter((c) => c.name !== config.data.timestamp && c.type !== 'timestamp' && !text.has(c.name)).map((c) => c.name),
    LABEL_COLUMN,
    PREDICTION_COLUMN,
  ];
  return {
    columns,
    method: d.method,
    correction: d.correction,
    datasetDriftShare: d.datasetDriftShare,
    nullRateChange: d.nullRateChange,
    labelColumn: LABEL_COLUMN,
    predictionColumn: PREDICTION_COLUMN,
  };
}

/**
 * The production model's reference statistics and model, checksums verified; null
 * before the first promotion. The model (and the TF.js backend) loads on first use,
 * so a batch that cannot be read fails before any of that work.
 */
async function loadProduction(ctx: StageContext): Promise<Production | null> {
  const { config } = ctx.loaded;
  const registry = registryPath(ctx);
  const pointer = readProduction(registry, config.name);
  if (pointer === null) return null;
  const dir = verifiedProductionDir(registry, pointer);
  const statisticsFile = path.join(dir, 'statistics.json');
  const raw = readJson<{ format?: string; version?: number }>(statisticsFile, 'reference statistics');
  // Models promoted before statistics were mergeable (version 1) have no drift reference.
  const statistics = raw.version === 1 ? null : parseStatistics(raw, displayPath(statisticsFile));
  if (statistics === null) ctx.logger.warning(`production ${pointer.version} has statistics of an older format: no drift test until the next promotion`);
  const training = readJson<TrainingRecord>(path.join(dir, 'training.json'), 'training record');
  const parts = training.data.trainParts.length;
  let model: Promise<tf.LayersModel> | undefined;
  return {
    version: pointer.version,
    statistics,
    preprocessing: readJson<Preprocessing>(path.join(dir, 'preprocessing.json'), 'model preprocessing'),
    model: () =>
      (model ??= (async () => {
        await selectBackend(ctx.backend ?? config.training.backend, ctx.logger);
        return loadLayersModel(dir, `production model ${pointer.version}`);
      })()),
    rowsPerPartition: statistics !== null && parts > 0 ? statistics.rows / parts : null,
    trainedOn: { fingerprint: training.data.fingerprint, configSha256: training.config.sha256 },
    release: async () => {
      (await model)?.dispose();
    },
  };
}
