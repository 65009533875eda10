/**
 * `ct train`: fit preprocessing on the training rows, build and train the model,
 * and write the model folder (`model.json`, `weights.bin`, `preprocessing.json`,
 * `training.json`, `statistics.json`).
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { type Dataset, loadDataset } from '../data/dataset.js';
import { displayPath } from '../data/files.js';
import { takeRows, type Table } from '../data/table.js';
import type { CtConfig } from '../config/types.js';
import { UserError } from '../errors.js';
import { headlineMetric } from '../evaluate/metrics.js';
import { writeJson } from '../files.js';
import { faultPoint } from '../fault.js';
import { imputedSummary } from '../features/domain.js';
import { encodeTable, fitPreprocessing, type ImputedCounts, labelledRows, type Preprocessing } from '../features/preprocessing.js';
import { trainingMarkdown } from '../report/markdown.js';
import { selectBackend } from '../train/backend.js';
import { fileSaveHandler } from '../train/io.js';
import { fitModel } from '../train/loop.js';
import { buildModel, classWeights, compileModel } from '../train/model.js';
import { holdout, sampleRows } from '../train/random.js';
import { computeStatistics, type DatasetStatistics } from '../validate/statistics.js';
import { artifactPaths, type StageContext, type TrainingRecord } from './artifacts.js';
import { gitInfo, packageVersions } from './lineage.js';
import { dataSource, deriveColumns, quarantinedDays } from './validate.js';

export interface TrainOutput {
  record: TrainingRecord;
  modelDir: string;
  preprocessing: Preprocessing;
}

/** Trains a candidate on the dataset's training rows (read when not given). */
export async function runTrain(ctx: StageContext, given?: Dataset): Promise<TrainOutput> {
  const { config } = ctx.loaded;
  const startedAt = new Date();
  const dataset = given ?? (await loadDataset(config.data, dataSource(ctx), quarantinedDays(ctx)));
  const backend = await selectBackend(ctx.backend ?? config.training.backend, ctx.logger);

  const trainTable = takeRows(dataset.table, dataset.trainRows);
  if (trainTable.rowCount === 0) throw new UserError('no training rows in the selected window (data.window, data.split)');
  const preprocessing = fitPreprocessing(trainTable, config);
  const encoded = encodeTable(trainTable, preprocessing);
  logImputed(ctx, preprocessing, encoded.imputed, encoded.rows);
  const labelled = labelledRows(encoded);
  const unlabelled = encoded.rows - labelled.length;
  if (labelled.length === 0) throw new UserError(`label: every training row has a null "${config.label.column}"`);
  if (config.task !== 'regression') {
    // One class is nothing to learn, and its evaluation (AUC, log loss) would be undefined.
    const seen = new Set(labelled.map((i) => encoded.labels[i]!));
    if (seen.size < 2) {
      const only = config.task === 'binary' ? (seen.has(1) ? 'true' : 'false') : (preprocessing.label.classes?.[Number([...seen][0])] ?? '?');
      const parts = dataset.trainParts.length > 2 ? `${dataset.trainParts[0]}..${dataset.trainParts.at(-1)}` : dataset.trainParts.join(', ');
      throw new UserError(`label "${config.label.text}" is ${only} for all ${labelled.length} training rows (${parts}): a classifier needs at least two classes`);
    }
  }
  const { training } = config;
  const rows = training.maxRows === undefined ? labelled : sampleRows(labelled, training.maxRows, training.seed);
  const split = holdout(rows, training.validationFraction, training.seed);
  ctx.logger.info(`training on ${split.keep.length} rows (${split.held.length} held out for validation) with the ${backend.name} backend`);

  const model = buildModel(preprocessing, config.model, training.seed);
  const classNames = config.task === 'binary' ? ['0', '1'] : (preprocessing.label.classes ?? []);
  const weights = classWeights(training, config.task, Float32Array.from(split.keep, (i) => encoded.labels[i]!), classNames);
  if (weights !== null) ctx.logger.info(`class weights: ${classNames.map((c, k) => `${c} ${weights[k]!.toFixed(3)}`).join(', ')}`);
  compileModel(model, config.task, training, weights);
  const classes = preprocessing.label.classes?.length;
  const metricName = headlineMetric(config.task).name;
  const fit = await fitModel(model, encoded, split.keep, split.held, {
    task: config.task,
    training,
    threshold: config.evaluation.threshold,
    ...(classes === undefined ? {} : { classes }),
    onEpoch: (r, total, eta) => {
      const validation = r.validationMetric === null ? '' : ` val_loss ${r.validationLoss!.toFixed(4)} val_${metricName} ${r.validationMetric.toFixed(4)}`;
      ctx.logger.progress(`epoch ${r.epoch}/${total} loss ${r.loss.toFixed(4)}${validation} ${Math.round(r.samplesPerSecond)} samples/s ETA ${Math.round(eta)} s`);
    },
    onBatch: (p) => {
      const bar = '='.repeat(Math.round(p.done * 20)).padEnd(20, ' ');
      ctx.logger.progress(`epoch ${p.epoch}/${p.totalEpochs} [${bar}] ${Math.round(p.done * 100)}% loss ${p.loss.toFixed(4)} ${Math.round(p.samplesPerSecond)} samples/s ETA ${Math.round(p.etaSeconds)} s`, { transient: true });
    },
  });

  const finishedAt = new Date();
  const record: TrainingRecord = {
    format: 'ct-training',
    version: 1,
    model: config.name,
    task: config.task,
    data: {
      fingerprint: dataset.fingerprint,
      files: dataset.files.map(displayPath),
      trainParts: dataset.trainParts,
      evaluationParts: dataset.evaluationParts,
      label: config.label.text,
      rows: { train: split.keep.length, validation: split.held.length, unlabelled },
      imputed: { rows: encoded.rows, features: encoded.imputed },
    },
    git: await gitInfo(ctx.loaded.baseDir),
    config: { file: path.relative(process.cwd(), ctx.loaded.file) || ctx.loaded.file, sha256: ctx.loaded.hash },
    seed: training.seed,
    backend: { requested: backend.requested, name: backend.name, nativePackage: backend.nativePackage ?? null, fastKernels: backend.fastKernels, fallbackReason: backend.fallbackReason ?? null },
    packages: packageVersions(),
    hyperparameters: { model: config.model, training, classWeights: weights },
    leg: ctx.loaded.leg ?? null,
    parameters: model.countParams(),
    epochs: fit.epochs,
    bestEpoch: fit.bestEpoch,
    stoppedEarly: fit.stoppedEarly,
    // What the seed decides here; how long it took, in `timing` (the only field a rerun changes).
    history: fit.history.map(({ seconds: _s, samplesPerSecond: _r, ...epoch }) => epoch),
    timing: {
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationSeconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
      samplesPerSecond: fit.samplesPerSecond,
      epochs: fit.history.map((h) => ({ epoch: h.epoch, seconds: h.seconds, samplesPerSecond: h.samplesPerSecond })),
    },
  };

  // Built in a fresh folder beside the old candidate, then swapped in: files of an earlier
  // candidate never mix with this one, and a run killed while saving leaves no half model.
  const paths = artifactPaths(ctx.outDir);
  const building = `${paths.modelDir}.partial`;
  rmSync(building, { recursive: true, force: true });
  try {
    await model.save(fileSaveHandler(building));
    writeJson(path.join(building, 'preprocessing.json'), preprocessing);
    writeJson(path.join(building, 'statistics.json'), await referenceStatistics(trainTable, config, model, preprocessing));
    writeJson(path.join(building, 'training.json'), record);
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    throw error;
  } finally {
    model.dispose();
  }
  rmSync(paths.modelDir, { recursive: true, force: true });
  faultPoint('train: old candidate removed');
  renameSync(building, paths.modelDir);
  writeFileSync(paths.trainingReport, trainingMarkdown(record));
  ctx.logger.info(`trained in ${record.timing.durationSeconds.toFixed(1)} s (${Math.round(record.timing.samplesPerSecond)} samples/s on ${backend.name}); model written to ${path.relative(process.cwd(), paths.modelDir)}`);
  if (tf.memory().numTensors > 0) ctx.logger.debug(`tensors alive after training: ${tf.memory().numTensors}`);
  return { record, modelDir: paths.modelDir, preprocessing };
}

/**
 * One line per feature whose training rows were imputed (or lie far from the range):
 * the model learns from those rows as the encoder fills them in, so it is never silent.
 * A warning when values were not finite (broken data, trained as the mean), else info.
 */
function logImputed(ctx: StageContext, preprocessing: Preprocessing, imputed: readonly ImputedCounts[], rows: number): void {
  for (const counts of imputed) {
    const feature = preprocessing.features.find((f) => f.name === counts.feature)!;
    const line = imputedSummary(feature, counts, rows);
    if (line === null) continue;
    if (counts.nonFinite > 0) ctx.logger.warning(`training data: ${line}`);
    else ctx.logger.info(`training data: ${line}`);
  }
}

/**
 * Statistics of the training rows, the drift reference of later batches: the columns
 * as read, plus the label and the model's own predictions on those rows (the
 * reference for label and prediction drift), derived as validation derives them.
 */
async function referenceStatistics(table: Table, config: CtConfig, model: tf.LayersModel, preprocessing: Preprocessing): Promise<DatasetStatistics> {
  return computeStatistics(await deriveColumns(table, config, { model: async () => model, preprocessing }));
}
