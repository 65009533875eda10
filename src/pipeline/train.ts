/**
 * `ct train`: fit preprocessing on the training rows, build and train the model,
 * and write the model folder (`model.json`, `weights.bin`, `preprocessing.json`,
 * `training.json`, `statistics.json`).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { type Dataset, loadDataset } from '../data/dataset.js';
import { headlineMetric } from '../evaluate/metrics.js';
import type { Preprocessing } from '../features/preprocessing.js';
import { trainingMarkdown } from '../report/markdown.js';
import { selectBackend } from '../train/backend.js';
import { encodeTrainingRows, imputedLines, labelledTrainingRows, splitTrainingRows } from '../train/data.js';
import { fitModel } from '../train/loop.js';
import { candidateModel } from '../train/model.js';
import { batchLine, classWeightsLine, epochLine, trainerLine } from '../train/progress.js';
import { trainingRecord } from '../train/record.js';
import { saveCandidate } from '../train/save.js';
import { artifactPaths, type TrainingRecord } from '../artifacts.js';
import { dataSource, quarantinedDays, type StageContext } from './context.js';
import { packageVersions } from './lineage.js';
import { gitInfo } from '../github/git.js';

export interface TrainOutput {
  record: TrainingRecord;
  modelDir: string;
  preprocessing: Preprocessing;
}

/** Trains a candidate on the dataset's training rows (read when not given). */
export async function runTrain(ctx: StageContext, given?: Dataset): Promise<TrainOutput> {
  const { config } = ctx.loaded;
  const { training } = config;
  const startedAt = new Date();
  const dataset = given ?? (await loadDataset(config.data, dataSource(ctx), quarantinedDays(ctx)));
  // --backend overrides the config's choice of training path and TF.js backend.
  const preference = ctx.backend ?? training.backend;
  const backend = await selectBackend(preference, ctx.logger);

  const data = encodeTrainingRows(dataset, config);
  for (const { line, warning } of imputedLines(data)) {
    if (warning) ctx.logger.warning(`training data: ${line}`);
    else ctx.logger.info(`training data: ${line}`);
  }
  const labelled = labelledTrainingRows(data, config, dataset.trainParts);
  const split = splitTrainingRows(labelled, training);
  ctx.logger.info(`training on ${split.keep.length} rows (${split.held.length} held out for validation)`);

  const keptLabels = Float32Array.from(split.keep, (i) => data.encoded.labels[i]!);
  const candidate = candidateModel(data.preprocessing, config, keptLabels);
  if (candidate.weights !== null) ctx.logger.info(classWeightsLine(candidate.classNames, candidate.weights));
  const classes = data.preprocessing.label.classes?.length;
  const metricName = headlineMetric(config.task).name;
  const fit = await fitModel(candidate.model, data.encoded, split.keep, split.held, {
    task: config.task,
    training: { ...training, backend: preference },
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
  const record = trainingRecord({ ...run, ...lineage });

  const paths = artifactPaths(ctx.outDir);
  try {
    await saveCandidate(paths.modelDir, candidate.model, { preprocessing: data.preprocessing, record, table: data.table, config });
  } finally {
    candidate.model.dispose();
  }
  writeFileSync(paths.trainingReport, trainingMarkdown(record));
  ctx.logger.info(
    `trained in ${record.timing.durationSeconds.toFixed(1)} s (${Math.round(record.timing.samplesPerSecond)} samples/s, ${fit.trainer.name === 'fused' ? 'fused step' : `TF.js on ${backend.name}`}); model written to ${path.relative(process.cwd(), paths.modelDir)}`,
  );
  if (tf.memory().numTensors > 0) ctx.logger.debug(`tensors alive after training: ${tf.memory().numTensors}`);
  return { record, modelDir: paths.modelDir, preprocessing: data.preprocessing };
}
