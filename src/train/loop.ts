/**
 * The training loop. Our own rather than `model.fit`: its shuffle uses Math.random
 * (so reruns differ), and we want per-epoch samples/s, ETA and validation metrics.
 */
import * as tf from '../tf.js';
import type { Task, TrainingConfig } from '../config/types.js';
import { computeMetrics, headlineMetric } from '../evaluate/metrics.js';
import type { EncodedData } from '../features/preprocessing.js';
import { batchTensors, predictRows } from './predict.js';
import { mulberry32 } from './random.js';
import { faultPoint } from '../fault.js';
import { UserError } from '../errors.js';
import { nativePackage } from './backend.js';
import { fusedUnavailableReason } from './fused/kernels.js';
import { FusedTrainer, modelShape } from './fused/trainer.js';

/** One epoch of the history recorded in `training.json`. */
export interface EpochRecord {
  epoch: number;
  loss: number;
  validationLoss: number | null;
  /** The task's headline metric on the validation rows (AUC, accuracy or RMSE). */
  validationMetric: number | null;
  seconds: number;
  samplesPerSecond: number;
}

export interface FitResult {
  history: EpochRecord[];
  /** Epochs actually run (fewer than configured after early stopping). */
  epochs: number;
  /** Epoch whose weights the model ends with. */
  bestEpoch: number;
  stoppedEarly: boolean;
  seconds: number;
  samplesPerSecond: number;
  /** Which training path ran. */
  trainer: TrainerInfo;
}

/** The path that trained: ct's fused WebAssembly step, or TF.js op by op (`trainOnBatch`). */
export interface TrainerInfo {
  name: 'fused' | 'tfjs';
  /** Gradient shards per batch of the fused step (fixed, whatever the threads); null for TF.js. */
  shards: number | null;
  /** Why the fused step did not run (`auto` only). */
  reason?: string;
  /** Threads it ran on (1 for TF.js's own), and why fewer than two. */
  threads: number;
  threadsReason?: string;
}

export interface FitOptions {
  task: Task;
  training: TrainingConfig;
  threshold: number;
  classes?: number;
  /** Called once the training path is chosen, before the first batch. */
  onStart?: (trainer: TrainerInfo) => void;
  /** Called after each epoch, e.g. to print progress. */
  onEpoch?: (record: EpochRecord, totalEpochs: number, etaSeconds: number) => void;
  /** Called during an epoch, at most every `batchProgressSeconds`. */
  onBatch?: (progress: BatchProgress) => void;
  batchProgressSeconds?: number;
  /** The loss's class weights, as the model was compiled with (the fused step applies them itself); null: none. */
  classWeights: readonly number[] | null;
  /** Threads of the fused step (default: 2 where two CPUs are available). */
  threads?: number;
}

/** Where an epoch stands, for progress output. */
export interface BatchProgress {
  epoch: number;
  totalEpochs: number;
  /** Share of this epoch's rows done, 0..1. */
  done: number;
  loss: number;
  samplesPerSecond: number;
  etaSeconds: number;
}

/** Trains `model` (compiled) on `trainRows` of `data`, validating on `validationRows`. */
export async function fitModel(
  model: tf.LayersModel,
  data: EncodedData,
  trainRows: Int32Array,
  validationRows: Int32Array,
  options: FitOptions,
): Promise<FitResult> {
  const { training } = options;
  const random = mulberry32(training.seed);
  const order = Int32Array.from(trainRows);
  const history: EpochRecord[] = [];
  let best: { epoch: number; score: number; weights: tf.Tensor[] } | null = null;
  let sinceBest = 0;
  let stoppedEarly = false;
  const started = performance.now();
  const reportEvery = (options.batchProgressSeconds ?? 0.5) * 1000;
  const step = await batchStep(model, data, options);
  options.onStart?.(step.info);
  try {
    for (let epoch = 1; epoch <= training.epochs; epoch++) {
      const epochStart = performance.now();
      shuffle(order, random);
      let lossSum = 0;
      let lossRows = 0;
      let lastReport = epochStart;
      for (let start = 0; start < order.length; start += training.batchSize) {
        const end = Math.min(order.length, start + training.batchSize);
        const n = end - start;
        const loss = await step.train(order, start, end);
        lossSum += loss * n;
        lossRows += n;
        if (options.onBatch !== undefined && performance.now() - lastReport >= reportEvery) {
          lastReport = performance.now();
          const rate = lossRows / ((lastReport - epochStart) / 1000);
          const remaining = order.length - lossRows + order.length * (training.epochs - epoch);
          options.onBatch({
            epoch,
            totalEpochs: training.epochs,
            done: lossRows / order.length,
            loss: lossSum / lossRows,
            samplesPerSecond: rate,
            etaSeconds: remaining / rate,
          });
        }
      }
      const seconds = (performance.now() - epochStart) / 1000;
      step.sync();
      const validation = validationRows.length > 0 ? validate(model, data, validationRows, options) : null;
      const record: EpochRecord = {
        epoch,
        loss: lossSum / Math.max(1, lossRows),
        validationLoss: validation?.loss ?? null,
        validationMetric: validation?.metric ?? null,
        seconds,
        samplesPerSecond: order.length / seconds,
      };
      history.push(record);
      options.onEpoch?.(record, training.epochs, seconds * (training.epochs - epoch));
      faultPoint(`train: epoch ${epoch}`);

      if (training.earlyStoppingPatience > 0 && validation !== null) {
        // Early stopping watches validation loss; the best epoch's weights are kept.
        if (best === null || validation.loss < best.score) {
          if (best !== null) tf.dispose(best.weights);
          best = { epoch, score: validation.loss, weights: model.getWeights().map((w) => w.clone()) };
          sinceBest = 0;
        } else if (++sinceBest >= training.earlyStoppingPatience) {
          stoppedEarly = epoch < training.epochs;
          break;
        }
      }
    }
  } finally {
    await step.dispose();
  }
  let bestEpoch = history.length;
  if (best !== null) {
    if (best.epoch !== history.length) model.setWeights(best.weights);
    bestEpoch = best.epoch;
    tf.dispose(best.weights);
  }
  const seconds = (performance.now() - started) / 1000;
  const trainingSeconds = history.reduce((s, h) => s + h.seconds, 0);
  return {
    history,
    epochs: history.length,
    bestEpoch,
    stoppedEarly,
    seconds,
    samplesPerSecond: (order.length * history.length) / trainingSeconds,
    trainer: step.info,
  };
}

/** Trains one batch; `sync` brings the TF.js model's weights up to date. */
interface BatchStep {
  info: TrainerInfo;
  train(order: Int32Array, start: number, end: number): Promise<number>;
  sync(): void;
  dispose(): Promise<void>;
}

/**
 * `training.backend` decides the path: `auto` trains with the fused step where the model
 * and runtime allow it, `fused` insists on it, a TF.js backend name trains with TF.js.
 */
async function batchStep(model: tf.LayersModel, data: EncodedData, options: FitOptions): Promise<BatchStep> {
  const preference = options.training.backend;
  // A team that installed the GPU build wants training on the GPU (docs/gpu-runners.md).
  if (preference === 'auto' && tf.getBackend() === 'tensorflow' && nativePackage === '@tensorflow/tfjs-node-gpu') {
    return tfjsStep(model, data, options, 'the GPU build of TF.js (@tensorflow/tfjs-node-gpu) is installed: TF.js trains on it');
  }
  if (preference === 'auto' || preference === 'fused') {
    const shape = modelShape(model, options.task);
    const reason = typeof shape === 'string' ? `the model is outside the fused step's family: ${shape}` : fusedUnavailableReason();
    if (reason === null && typeof shape !== 'string') {
      const trainer = await FusedTrainer.create(model, shape, data, options.training, options.classWeights, options.threads);
      return {
        info: { name: 'fused', ...trainer.info },
        train: (order, start, end) => Promise.resolve(trainer.trainBatch(order, start, end)),
        sync: () => trainer.writeWeights(),
        dispose: () => trainer.dispose(),
      };
    }
    if (preference === 'fused') throw new UserError(`training.backend: fused was requested but cannot be used: ${reason}`);
    return tfjsStep(model, data, options, reason!);
  }
  return tfjsStep(model, data, options);
}

/** TF.js's own path: batch tensors and `trainOnBatch`, op by op on the active backend. */
function tfjsStep(model: tf.LayersModel, data: EncodedData, options: FitOptions, reason?: string): BatchStep {
  const labelsBuf = new Float32Array(options.training.batchSize);
  // The class-weighted multiclass loss is a custom function: TF.js wants its targets one-hot.
  const oneHot = options.task === 'multiclass' && options.classWeights !== null ? options.classWeights.length : 0;
  return {
    info: { name: 'tfjs', shards: null, threads: 1, ...(reason === undefined ? {} : { reason }) },
    async train(order, start, end) {
      const n = end - start;
      const xs = batchTensors(data, order, start, end);
      // Targets: the labels in the model's units (standardised for regression).
      for (let i = 0; i < n; i++) labelsBuf[i] = data.targets[order[start + i]!]!;
      const ys =
        oneHot > 0
          ? tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(labelsBuf.subarray(0, n), 'int32'), oneHot), 'float32'))
          : tf.tensor2d(labelsBuf.subarray(0, n), [n, 1]);
      const loss = (await model.trainOnBatch(xs, ys)) as number;
      tf.dispose([...xs, ys]);
      return loss;
    },
    sync: () => undefined,
    dispose: () => Promise.resolve(),
  };
}

function validate(model: tf.LayersModel, data: EncodedData, rows: Int32Array, options: FitOptions): { loss: number; metric: number } {
  const preds = predictRows(model, data, rows);
  const labels = new Float32Array(rows.length);
  for (let i = 0; i < rows.length; i++) labels[i] = data.labels[rows[i]!]!;
  const metrics = computeMetrics(options.task, labels, preds, {
    threshold: options.threshold,
    ...(options.classes === undefined ? {} : { classes: options.classes }),
  });
  // Predictions and labels are in label units; the loss, like the training loss, in the model's (standardised) units.
  const loss = options.task === 'regression' ? (metrics.rmse! / data.labelScale.std) ** 2 : metrics.logLoss!;
  return { loss, metric: metrics[headlineMetric(options.task).name] ?? Number.NaN };
}

/** Fisher-Yates shuffle in place with a seeded generator. */
function shuffle(a: Int32Array, random: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}
