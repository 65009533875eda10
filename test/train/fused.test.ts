/**
 * The fused WebAssembly training step against TF.js, the reference: from the same initial
 * weights (dropout off) both paths reach the same losses, gradients and weights within a
 * stated tolerance (one step: 1e-6; 40 steps: 1e-4 on every weight), for every head, activation and optimiser ct's config accepts; one
 * thread and two give identical bytes; a model outside the family falls back to TF.js.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import * as tf from '../../src/tf.js';
import { checkConfig } from '../../src/config/load.js';
import type { CtConfig } from '../../src/config/types.js';
import { readTables } from '../../src/data/read.js';
import type { Table } from '../../src/data/table.js';
import { UserError } from '../../src/errors.js';
import { encodeTable, fitPreprocessing, labelledRows, type EncodedData } from '../../src/features/preprocessing.js';
import { selectBackend } from '../../src/train/backend.js';
import { fitModel, type FitResult } from '../../src/train/loop.js';
import { buildModel, classWeights, compileModel } from '../../src/train/model.js';
import { sampleRows } from '../../src/train/random.js';

const root = path.resolve(import.meta.dirname, '../..');

function config(task: 'binary' | 'multiclass' | 'regression', model: Record<string, unknown>, training: Record<string, unknown>): CtConfig {
  const label = task === 'binary' ? 'delay > 15' : task === 'multiclass' ? 'origin' : 'delay';
  const features: Array<Record<string, unknown>> = [
    { column: 'destination', embedding: 8 },
    { name: 'hour', column: 'date', transform: 'hourOfDay', embedding: 4 },
    { name: 'dow', column: 'date', transform: 'dayOfWeek', embedding: 3 },
    { name: 'log_distance', column: 'distance', transform: 'log1p' },
    { name: 'route', cross: ['destination', 'hour'], hashBuckets: 64, embedding: 5 },
  ];
  if (task !== 'multiclass') features.unshift({ column: 'origin', embedding: 6, maxVocabulary: 12 });
  return checkConfig('test.yaml', {
    name: 'fused',
    task,
    data: { path: 'data/flights', timestamp: 'date' },
    label,
    features,
    model,
    training: { epochs: 1, batchSize: 128, seed: 7, validationFraction: 0, ...training },
    gates: [{ metric: task === 'regression' ? 'rmse' : 'accuracy', lowerBound: 0 }],
  });
}

let table: Table;

beforeAll(async () => {
  const file = readdirSync(path.join(root, 'data/flights'))
    .filter((f) => f.endsWith('.parquet'))
    .sort()[0]!;
  table = await readTables([path.join(root, 'data/flights', file)]);
  await selectBackend('cpu');
});

interface Run {
  fit: FitResult;
  weights: Float32Array[];
}

/** Trains a fresh model of `cfg` on `rows` rows (one epoch) with `backend` ('cpu': TF.js; 'fused') and returns its weights. */
async function train(cfg: CtConfig, backend: 'cpu' | 'fused', rows: number, threads?: number): Promise<Run & { encoded: EncodedData }> {
  const prep = fitPreprocessing(table, cfg);
  const encoded = encodeTable(table, prep);
  const kept = sampleRows(labelledRows(encoded), rows, 3);
  const model = buildModel(prep, cfg.model, cfg.training.seed);
  const labels = Float32Array.from(kept, (i) => encoded.labels[i]!);
  const names = cfg.task === 'binary' ? ['0', '1'] : (prep.label.classes ?? []);
  const weights = classWeights(cfg.training, cfg.task, labels, names);
  compileModel(model, cfg.task, cfg.training, weights);
  const training = { ...cfg.training, backend };
  const fit = await fitModel(model, encoded, kept, new Int32Array(0), {
    task: cfg.task,
    training,
    threshold: 0.5,
    classWeights: weights,
    ...(threads === undefined ? {} : { threads }),
  });
  const out = model.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array));
  model.dispose();
  return { fit, weights: out, encoded };
}

/** Largest absolute difference between two runs' weights, and the largest weight. */
function difference(a: Float32Array[], b: Float32Array[]): { max: number; scale: number } {
  let max = 0;
  let scale = 0;
  a.forEach((w, t) => {
    for (let i = 0; i < w.length; i++) {
      max = Math.max(max, Math.abs(w[i]! - b[t]![i]!));
      scale = Math.max(scale, Math.abs(w[i]!));
    }
  });
  return { max, scale };
}

const cases = [
  { task: 'binary', model: { hidden: [16, 12], activation: 'relu' }, training: { optimizer: 'adam', learningRate: 0.01 } },
  { task: 'binary', model: { hidden: [10], activation: 'gelu' }, training: { optimizer: 'rmsprop', learningRate: 0.005, classWeight: 'balanced' } },
  { task: 'multiclass', model: { hidden: [12], activation: 'tanh' }, training: { optimizer: 'adam', learningRate: 0.01, classWeight: 'balanced' } },
  { task: 'regression', model: { hidden: [8, 8], activation: 'elu' }, training: { optimizer: 'sgd', learningRate: 0.05 } },
] as const;

describe.each(cases)('fused step against TF.js: $task, $model.activation, $training.optimizer', ({ task, model, training }) => {
  test('one step: the same loss and the same gradient (from an SGD update)', async () => {
    const cfg = config(task, model, { ...training, optimizer: 'sgd', learningRate: 1 });
    const reference = await train(cfg, 'cpu', 128);
    const fused = await train(cfg, 'fused', 128);
    expect(fused.fit.trainer.name).toBe('fused');
    expect(reference.fit.trainer.name).toBe('tfjs');
    expect(Math.abs(fused.fit.history[0]!.loss - reference.fit.history[0]!.loss)).toBeLessThan(1e-6);
    // With a learning rate of 1, the update is minus the gradient.
    const { max, scale } = difference(fused.weights, reference.weights);
    expect(scale).toBeGreaterThan(0.01);
    expect(max).toBeLessThan(1e-6);
  });

  test('40 steps with its optimiser: losses and weights within tolerance', async () => {
    const cfg = config(task, model, training);
    const reference = await train(cfg, 'cpu', 40 * 128);
    const fused = await train(cfg, 'fused', 40 * 128);
    const loss = reference.fit.history[0]!.loss;
    expect(Math.abs(fused.fit.history[0]!.loss - loss) / loss).toBeLessThan(1e-5);
    // Float sums in another order drift apart slowly: 3e-5 at most measured here.
    const { max } = difference(fused.weights, reference.weights);
    expect(max).toBeLessThan(1e-4);
  });
});

test('one thread and two give identical weights, with dropout on', async () => {
  const cfg = config('binary', { hidden: [16, 16], activation: 'relu', dropout: 0.3 }, {});
  const one = await train(cfg, 'fused', 20 * 128 + 37, 1);
  const two = await train(cfg, 'fused', 20 * 128 + 37, 2);
  expect(one.fit.trainer.threads).toBe(1);
  expect(two.fit.trainer.threads).toBe(2);
  expect(difference(one.weights, two.weights).max).toBe(0);
  const again = await train(cfg, 'fused', 20 * 128 + 37, 2);
  expect(difference(two.weights, again.weights).max).toBe(0);
});

test('a model outside the family trains with TF.js under auto, and is refused under fused', async () => {
  const cfg = config('binary', { hidden: [8], activation: 'relu' }, {});
  const prep = fitPreprocessing(table, cfg);
  const encoded = encodeTable(table, prep);
  const rows = sampleRows(labelledRows(encoded), 256, 3);
  const odd = (): tf.LayersModel => {
    const inputs = prep.features.map((f) => tf.input({ shape: [1], dtype: f.kind === 'categorical' ? 'int32' : 'float32', name: f.name }));
    const numeric = inputs.find((_, i) => prep.features[i]!.kind === 'numeric')!;
    const hidden = tf.layers.batchNormalization().apply(numeric) as tf.SymbolicTensor;
    const output = tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(hidden) as tf.SymbolicTensor;
    const m = tf.model({ inputs, outputs: output });
    compileModel(m, 'binary', cfg.training);
    return m;
  };
  const fit = await fitModel(odd(), encoded, rows, new Int32Array(0), { task: 'binary', training: cfg.training, threshold: 0.5, classWeights: null });
  expect(fit.trainer.name).toBe('tfjs');
  expect(fit.trainer.reason).toMatch(/outside the fused step's family: input origin is int32 without an embedding/);
  await expect(
    fitModel(odd(), encoded, rows, new Int32Array(0), { task: 'binary', training: { ...cfg.training, backend: 'fused' }, threshold: 0.5, classWeights: null }),
  ).rejects.toThrow(UserError);
});
