/**
 * `ct train`: fit preprocessing on the training rows, build and train the model,
 * and write the model folder (`model.json`, `weights.bin`, `preprocessing.json`,
 * `training.json`, `statistics.json`).
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '../tf.js';
import { type Dataset, loadDataset } from '../data/dataset.js';
import { headlineMetric } from '../evaluate/metrics.js';
import type { Preprocessing } from '../features/preprocessing.js';
import { trainingMarkdown } from '../report/markdown.js';
import { selectBackend } from '../train/backend.js';
import { encodeTrainingRows, imputedLines, labelledTrainingRows, splitTrainingRows, type TrainingData } from '../train/data.js';
import { fitModel } from '../train/loop.js';
import { candidateModel } from '../train/model.js';
import { batchLine, classWeightsLine, epochLine, trainerLine } from '../train/progress.js';
import { trainingRecord } from '../train/record.js';
import { saveCandidate } from '../train/save.js';
import { artifactPaths, MODULE_FILE, type TrainingRecord } from '../artifacts.js';
import { displayPath } from '../data/files.js';
import { UserError } from '../errors.js';
import { modelSpec, teamNetwork } from '../train/module.js';
import { dataSource, quarantinedDays, type StageContext } from './context.js';
import { packageVersions } from './lineage.js';
import { gitInfo } from '../github/git.js';
import { warmPreprocessing, warmStartMismatch, type WarmPreprocessing } from '../features/warm.js';
import { loadLayersModel } from '../evaluate/score.js';
import { decideStart, type StartPlan, startRecord } from '../train/start.js';
import { seedFromParent } from '../train/warm.js';
import { type ProductionParent, readProductionParent } from './update-scope.js';

export interface TrainOutput {
  record: TrainingRecord;
  modelDir: string;
  preprocessing: Preprocessing;
}

/** How `ct run` and `ct update` ask for a candidate. */
export interface TrainOptions {
  /** `ct update`: start from production's weights unless a full retrain is due. */
  update?: boolean;
  /** Validation found dataset drift (a warm start's `fullOnDrift`). */
  drift?: boolean;
  /** A full retrain the caller decided on, and why. */
  fullRetrain?: string;
}

/** Trains a candidate on the dataset's training rows (read when not given). */
export async function runTrain(ctx: StageContext, given?: Dataset, options: TrainOptions = {}): Promise<TrainOutput> {
  const { config } = ctx.loaded;
  const { training } = config;
  const startedAt = new Date();
  const network = await teamNetwork(config, ctx.loaded.baseDir, displayPath);
  const dataset = given ?? (await loadDataset(config.data, dataSource(ctx), quarantinedDays(ctx)));
  // --backend overrides the config's choice of training path and TF.js backend.
  const preference = ctx.backend ?? training.backend;
  const backend = await selectBackend(preference, ctx.logger);

  const { plan, warm, data } = startAndEncode(ctx, dataset, options);
  for (const { line, warning } of imputedLines(data)) {
    if (warning) ctx.logger.warning(`training data: ${line}`);
    else ctx.logger.info(`training data: ${line}`);
  }
  const labelled = labelledTrainingRows(data, config, dataset.trainParts);
  const split = splitTrainingRows(labelled, training);
  ctx.logger.info(`training on ${split.keep.length} rows (${split.held.length} held out for validation)`);

  const keptLabels = Float32Array.from(split.keep, (i) => data.encoded.labels[i]!);
  const candidate = candidateModel(data.preprocessing, config, keptLabels, await network?.build(modelSpec(data.preprocessing, config)));
  if (plan.mode === 'warm') await seedCandidate(candidate.model, plan.parent, data.preprocessing, warm);
  const epochs = plan.mode === 'warm' ? training.warmStart.epochs : training.epochs;
  if (candidate.weights !== null) ctx.logger.info(classWeightsLine(candidate.classNames, candidate.weights));
  const classes = data.preprocessing.label.classes?.length;
  const metricName = headlineMetric(config.task).name;
  const fit = await fitModel(candidate.model, data.encoded, split.keep, split.held, {
    task: config.task,
    training: { ...training, backend: preference, epochs },
    threshold: config.evaluation.threshold,
    ...(classes === undefined ? {} : { classes }),
    classWeights: candidate.weights,
    onStart: (trainer) => ctx.logger.info(trainerLine(trainer, backend.name)),
    onEpoch: (record, total, eta) => ctx.logger.progress(epochLine(record, total, eta, metricName)),
    onBatch: (progress) => ctx.logger.progress(batchLine(progress), { transient: true }),
  });
  const finishedAt = new Date();
  const lineage = { git: await gitInfo(ctx.loaded.baseDir), packages: packageVersions() };
  const run = { loaded: ctx.loaded, dataset, data, labelled: labelled.length, split, backend, candidate, fit, startedAt, finishedAt };
  const start = startRecord(
    plan,
    epochs,
    warm?.grown,
    warm?.rescaled.map((r) => r.feature),
  );
  const record: TrainingRecord = { ...trainingRecord({ ...run, ...lineage, start }), ...network?.lineage };
  const paths = artifactPaths(ctx.outDir);
  await writeCandidate(ctx, paths.modelDir, candidate.model, { data, record, module: network?.module ?? null });
  writeFileSync(paths.trainingReport, trainingMarkdown(record));
  ctx.logger.info(
    `trained in ${record.timing.durationSeconds.toFixed(1)} s (${Math.round(record.timing.samplesPerSecond)} samples/s, ${fit.trainer.name === 'fused' ? 'fused step' : `TF.js on ${backend.name}`}); model written to ${path.relative(process.cwd(), paths.modelDir)}`,
  );
  if (tf.memory().numTensors > 0) ctx.logger.debug(`tensors alive after training: ${tf.memory().numTensors}`);
  return { record, modelDir: paths.modelDir, preprocessing: data.preprocessing };
}

/**
 * Saves the trained candidate (and disposes it): the model folder, with the model module's
 * source beside it when there is one (what loads it from now on, under the version's checksums).
 */
async function writeCandidate(
  ctx: StageContext,
  dir: string,
  model: tf.LayersModel,
  { data, record, module }: { data: TrainingData; record: TrainingRecord; module: string | null },
): Promise<void> {
  try {
    await saveCandidate(dir, model, { preprocessing: data.preprocessing, record, table: data.table, config: ctx.loaded.config }).catch((error: unknown) => {
      if (module === null || error instanceof UserError) throw error;
      throw new UserError(
        `model.module: ${displayPath(module)}: the trained model cannot be saved: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        {
          cause: error,
        },
      );
    });
    if (module !== null) copyFileSync(module, path.join(dir, MODULE_FILE));
  } finally {
    model.dispose();
  }
}

/**
 * Where the candidate starts (see `decideStart`), and the training rows encoded for it: with
 * the parent's preprocessing grown by the new rows for a warm start, else fitted afresh. A
 * preprocessing the parent's weights cannot carry turns a warm start into a full retrain.
 */
function startAndEncode(
  ctx: StageContext,
  dataset: Dataset,
  options: TrainOptions,
): { plan: StartPlan<ProductionParent>; warm: WarmPreprocessing | null; data: TrainingData } {
  const { config } = ctx.loaded;
  const { warmStart } = config.training;
  // A warm start carries ct's own layers; a model module or topology trains from scratch.
  const asked = (warmStart.enabled || options.update === true) && config.model.module === undefined && config.model.topology === undefined;
  let plan = decideStart({
    warmStart,
    update: options.update === true,
    parent: asked ? readProductionParent(ctx) : null,
    model: config.model,
    newestDay: dataset.trainParts.at(-1) ?? null,
    drift: options.drift === true,
    ...(options.fullRetrain === undefined ? {} : { full: options.fullRetrain }),
  });
  let warm: WarmPreprocessing | null = null;
  const data = encodeTrainingRows(dataset, config, (fitted) => {
    if (plan.mode === 'full') return fitted;
    const mismatch = warmStartMismatch(plan.parent.preprocessing, fitted);
    if (mismatch !== null) {
      plan = { mode: 'full', reason: `the preprocessing changed since production ${plan.parent.version}: ${mismatch}` };
      return fitted;
    }
    warm = warmPreprocessing(plan.parent.preprocessing, fitted, warmStart.statistics);
    return warm.preprocessing;
  });
  if (asked) ctx.logger.info(startLine(plan, warm));
  return { plan, warm, data };
}

/** Sets the candidate's initial weights from the parent's, laid out for the grown preprocessing. */
async function seedCandidate(model: tf.LayersModel, parent: ProductionParent, prep: Preprocessing, warm: WarmPreprocessing | null): Promise<void> {
  const parentModel = await loadLayersModel(parent.dir, `production model ${parent.version}`);
  try {
    seedFromParent(model, parentModel, prep, warm?.rescaled ?? []);
  } finally {
    parentModel.dispose();
  }
}

/** "warm start from production v…: 3 new origin values, distance rescaled" / "full retrain: …". */
function startLine(plan: StartPlan<ProductionParent>, warm: WarmPreprocessing | null): string {
  if (plan.mode === 'full') return `full retrain: ${plan.reason}`;
  const grown = Object.entries(warm?.grown ?? {}).map(([name, values]) => `${values.length} new ${name} value(s)`);
  const rescaled = (warm?.rescaled ?? []).map((r) => `${r.feature} rescaled`);
  const changes = [...grown, ...rescaled];
  return `warm start (${plan.reason}; chain of ${plan.chain.length})${changes.length === 0 ? '' : `: ${changes.join(', ')}`}`;
}
