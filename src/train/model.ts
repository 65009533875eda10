/**
 * The model, built from fitted preprocessing and the config by a pure function:
 * one input per feature (a sequence is one input of its length), embeddings for
 * categoricals (averaged over a text feature's tokens), an MLP body, a head per task.
 */
import * as tf from '../tf.js';
import type { CtConfig, ModelConfig, Task, TrainingConfig } from '../config/types.js';
import { UserError } from '../errors.js';
import { inputWidth, type Preprocessing } from '../features/preprocessing.js';

/** Number of model outputs: one probability, K class probabilities, or one value. */
export function outputUnits(prep: Preprocessing): number {
  return prep.task === 'multiclass' ? prep.label.classes!.length : 1;
}

/**
 * Builds the (uncompiled) model. Every initializer is seeded from `seed`, so the
 * same inputs give the same initial weights on every backend.
 */
export function buildModel(prep: Preprocessing, model: ModelConfig, seed: number): tf.LayersModel {
  let nextSeed = seed;
  const seeded = (): number => nextSeed++;
  const inputs: tf.SymbolicTensor[] = [];
  const parts: tf.SymbolicTensor[] = [];
  for (const f of prep.features) {
    const input = tf.input({ shape: [inputWidth(f)], dtype: f.kind === 'numeric' || f.kind === 'sequence' ? 'float32' : 'int32', name: f.name });
    inputs.push(input);
    if (f.kind === 'numeric' || f.kind === 'sequence') {
      // Standardised numbers go in as they are: one, or a sequence's `length`.
      parts.push(input);
      continue;
    }
    const embedded = tf.layers
      .embedding({
        inputDim: f.cardinality,
        outputDim: f.embedding,
        embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: seeded() }),
        name: `${f.name}_embedding`,
      })
      .apply(input) as tf.SymbolicTensor;
    // A text feature's token embeddings are averaged over the row's positions (padding has a row of its own).
    const reduce = f.kind === 'text' ? tf.layers.globalAveragePooling1d({ name: `${f.name}_mean` }) : tf.layers.flatten({ name: `${f.name}_flat` });
    parts.push(reduce.apply(embedded) as tf.SymbolicTensor);
  }
  let x = parts.length === 1 ? parts[0]! : (tf.layers.concatenate({ name: 'features' }).apply(parts) as tf.SymbolicTensor);
  model.hidden.forEach((units, i) => {
    x = tf.layers
      .dense({ units, activation: model.activation, kernelInitializer: tf.initializers.glorotUniform({ seed: seeded() }), name: `hidden_${i + 1}` })
      .apply(x) as tf.SymbolicTensor;
    if (model.dropout > 0) x = tf.layers.dropout({ rate: model.dropout, seed: seeded(), name: `dropout_${i + 1}` }).apply(x) as tf.SymbolicTensor;
  });
  const output = tf.layers
    .dense({
      units: outputUnits(prep),
      activation: headActivation(prep.task),
      kernelInitializer: tf.initializers.glorotUniform({ seed: seeded() }),
      name: 'output',
    })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs, outputs: output, name: 'ct_model' });
}

/** The output activation of `task`'s head. */
export function headActivation(task: Task): 'sigmoid' | 'softmax' | 'linear' {
  return task === 'binary' ? 'sigmoid' : task === 'multiclass' ? 'softmax' : 'linear';
}

/** Loss of each task's head. */
export function lossFor(task: Task): string {
  return task === 'binary' ? 'binaryCrossentropy' : task === 'multiclass' ? 'sparseCategoricalCrossentropy' : 'meanSquaredError';
}

/**
 * Per-class weights of the loss from `training.classWeight` and the training labels
 * (class index per row); null when the config sets none. `balanced` is scikit-learn's
 * n / (classes x n_class).
 */
export function classWeights(training: TrainingConfig, task: Task, labels: ArrayLike<number>, classNames: readonly string[]): number[] | null {
  const spec = training.classWeight;
  if (spec === undefined) return null;
  if (task === 'regression') throw new UserError('training.classWeight: class weights apply to classification tasks only');
  const k = classNames.length;
  if (spec === 'balanced') {
    const counts = new Float64Array(k);
    for (let i = 0; i < labels.length; i++) counts[labels[i]!]!++;
    return Array.from(counts, (c) => (c === 0 ? 1 : labels.length / (k * c)));
  }
  for (const key of Object.keys(spec)) {
    if (!classNames.includes(key)) throw new UserError(`training.classWeight: "${key}" is not a class (classes: ${classNames.join(', ')})`);
  }
  return classNames.map((name) => spec[name] ?? 1);
}

/** Compiles `model` with the configured optimiser and the task's loss, weighted per class when `weights` are given. */
export function compileModel(model: tf.LayersModel, task: Task, training: TrainingConfig, weights: readonly number[] | null = null): void {
  const optimizer =
    training.optimizer === 'sgd'
      ? tf.train.sgd(training.learningRate)
      : training.optimizer === 'rmsprop'
        ? tf.train.rmsprop(training.learningRate)
        : tf.train.adam(training.learningRate);
  model.compile({ optimizer, loss: weights === null ? lossFor(task) : weightedLoss(task, weights) });
}

/** A candidate model ready to train, with the class weights of its loss. */
export interface CandidateModel {
  model: tf.LayersModel;
  /** Names of the outputs in output order (`0`, `1` for binary); none for regression. */
  classNames: string[];
  /** Loss weight per class, as {@link classWeights} computed them; null: unweighted. */
  weights: number[] | null;
}

/**
 * Builds and compiles the candidate of `config` (or compiles `built`, a model module's):
 * seeded initial weights, the configured optimiser, the task's loss weighted per class from
 * `labels` (class index per training row).
 */
export function candidateModel(prep: Preprocessing, config: CtConfig, labels: ArrayLike<number>, built?: tf.LayersModel): CandidateModel {
  const { training } = config;
  const model = built ?? buildModel(prep, config.model, training.seed);
  const classNames = config.task === 'binary' ? ['0', '1'] : (prep.label.classes ?? []);
  const weights = classWeights(training, config.task, labels, classNames);
  compileModel(model, config.task, training, weights);
  return { model, classNames, weights };
}

/** The task's loss with each row weighted by its class's weight. */
function weightedLoss(task: Task, weights: readonly number[]): (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor {
  const w = tf.keep(tf.tensor1d(weights as number[]));
  return (yTrue, yPred) =>
    tf.tidy(() => {
      // Multiclass targets come one-hot (TF.js checks a custom loss's targets against the output's shape).
      const classes = tf.cast(task === 'multiclass' ? tf.argMax(yTrue, -1) : tf.reshape(yTrue, [-1]), 'int32');
      const perRow =
        task === 'binary' ? tf.metrics.binaryCrossentropy(yTrue, yPred) : tf.metrics.categoricalCrossentropy(tf.oneHot(classes, weights.length), yPred);
      // As Keras's class_weight: the mean over rows of weight x loss.
      return tf.mean(tf.mul(tf.reshape(perRow, [-1]), tf.gather(w, classes)));
    });
}
