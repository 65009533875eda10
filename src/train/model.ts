/**
 * The model, built from fitted preprocessing and the config by a pure function:
 * one input per feature, embeddings for categoricals, an MLP body, a head per task.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig, Task, TrainingConfig } from '../config/types.js';
import type { Preprocessing } from '../features/preprocessing.js';

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
    if (f.kind === 'categorical') {
      const input = tf.input({ shape: [1], dtype: 'int32', name: f.name });
      const embedded = tf.layers
        .embedding({
          inputDim: f.cardinality,
          outputDim: f.embedding,
          embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: seeded() }),
          name: `${f.name}_embedding`,
        })
        .apply(input) as tf.SymbolicTensor;
      inputs.push(input);
      parts.push(tf.layers.flatten({ name: `${f.name}_flat` }).apply(embedded) as tf.SymbolicTensor);
    } else {
      const input = tf.input({ shape: [1], dtype: 'float32', name: f.name });
      inputs.push(input);
      parts.push(input);
    }
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

function headActivation(task: Task): 'sigmoid' | 'softmax' | 'linear' {
  return task === 'binary' ? 'sigmoid' : task === 'multiclass' ? 'softmax' : 'linear';
}

/** Loss of each task's head. */
export function lossFor(task: Task): string {
  return task === 'binary' ? 'binaryCrossentropy' : task === 'multiclass' ? 'sparseCategoricalCrossentropy' : 'meanSquaredError';
}

/** Compiles `model` with the configured optimiser and the task's loss. */
export function compileModel(model: tf.LayersModel, task: Task, training: TrainingConfig): void {
  const optimizer =
    training.optimizer === 'sgd'
      ? tf.train.sgd(training.learningRate)
      : training.optimizer === 'rmsprop'
        ? tf.train.rmsprop(training.learningRate)
        : tf.train.adam(training.learningRate);
  model.compile({ optimizer, loss: lossFor(task) });
}
