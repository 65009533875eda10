/**
 * `training.json`: the lineage of a trained candidate, from what the run used and what
 * the loop returned. Everything but `timing` is decided by the data, config and seed.
 */
import path from 'node:path';
import type { StartRecord, TrainingRecord } from '../artifacts.js';
import type { LoadedConfig } from '../config/types.js';
import type { Dataset } from '../data/dataset.js';
import { displayPath } from '../data/files.js';
import type { BackendInfo } from './backend.js';
import type { TrainingData } from './data.js';
import type { FitResult } from './loop.js';
import type { CandidateModel } from './model.js';

/** What a training run used and produced, for its record. */
export interface TrainingRun {
  loaded: LoadedConfig;
  dataset: Dataset;
  data: TrainingData;
  /** Training rows with a label (before sampling and the validation holdout). */
  labelled: number;
  split: { keep: Int32Array; held: Int32Array };
  backend: BackendInfo;
  candidate: CandidateModel;
  fit: FitResult;
  git: TrainingRecord['git'];
  /** Where training started (full or warm); absent: a full retrain, as before ct could warm-start. */
  start?: StartRecord;
  packages: Record<string, string>;
  startedAt: Date;
  finishedAt: Date;
}

/** The training record of `run`; the config file is named relative to the working directory. */
export function trainingRecord(run: TrainingRun): TrainingRecord {
  const { loaded, dataset, data, split, backend, fit, startedAt, finishedAt } = run;
  const { config } = loaded;
  const { training } = config;
  return {
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
      rows: { train: split.keep.length, validation: split.held.length, unlabelled: data.encoded.rows - run.labelled },
      imputed: { rows: data.encoded.rows, features: data.encoded.imputed },
    },
    git: run.git,
    config: { file: path.relative(process.cwd(), loaded.file) || loaded.file, sha256: loaded.hash },
    seed: training.seed,
    backend: {
      requested: backend.requested,
      name: backend.name,
      nativePackage: backend.nativePackage ?? null,
      fastKernels: backend.fastKernels,
      fallbackReason: backend.fallbackReason ?? null,
    },
    ...(run.start === undefined ? {} : { start: run.start }),
    trainer: { name: fit.trainer.name, shards: fit.trainer.shards, reason: fit.trainer.reason ?? null },
    packages: run.packages,
    hyperparameters: { model: config.model, training, classWeights: run.candidate.weights },
    leg: loaded.leg ?? null,
    parameters: run.candidate.model.countParams(),
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
      threads: fit.trainer.threads,
      threadsReason: fit.trainer.threadsReason ?? null,
    },
  };
}
