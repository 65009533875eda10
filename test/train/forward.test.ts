/**
 * The WebAssembly forward pass `ct serve` answers with against TF.js's predict: the same
 * outputs (within float32 rounding) for every head and activation, with dropout (off at
 * inference), random biases, and more rows than one chunk; a model outside the family is
 * left to TF.js.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import * as tf from '../../src/tf.js';
import { checkConfig } from '../../src/config/load.js';
import type { CtConfig } from '../../src/config/types.js';
import { readTables } from '../../src/data/read.js';
import type { Table } from '../../src/data/table.js';
import { encodeTable, fitPreprocessing } from '../../src/features/preprocessing.js';
import { selectBackend } from '../../src/train/backend.js';
import { compileForward } from '../../src/train/forward.js';
import { buildModel } from '../../src/train/model.js';
import { predictRows } from '../../src/train/predict.js';

const root = path.resolve(import.meta.dirname, '../..');
let table: Table;

beforeAll(async () => {
  const file = readdirSync(path.join(root, 'data/flights'))
    .filter((f) => f.endsWith('.parquet'))
    .sort()[0]!;
  table = await readTables([path.join(root, 'data/flights', file)]);
  await selectBackend('cpu');
});

function config(task: 'binary' | 'multiclass' | 'regression', model: Record<string, unknown>): CtConfig {
  const label = task === 'binary' ? 'delay > 15' : task === 'multiclass' ? 'origin' : 'delay';
  const features: Array<Record<string, unknown>> = [
    { column: 'destination', embedding: 8 },
    { name: 'hour', column: 'date', transform: 'hourOfDay', embedding: 4 },
    { name: 'log_distance', column: 'distance', transform: 'log1p' },
    { name: 'route', cross: ['destination', 'hour'], hashBuckets: 64, embedding: 5 },
  ];
  return checkConfig('test.yaml', {
    name: 'forward',
    task,
    data: { path: 'data/flights', timestamp: 'date' },
    label,
    features,
    model,
    gates: [{ metric: task === 'regression' ? 'rmse' : 'accuracy', lowerBound: 0 }],
  });
}

/** Every weight moved by a seeded random amount, so biases are not zero and embeddings differ. */
function perturb(model: tf.LayersModel): void {
  let seed = 11;
  model.setWeights(model.getWeights().map((w) => tf.tidy(() => tf.add(w, tf.randomNormal(w.shape, 0, 0.3, 'float32', seed++)))));
}

describe('compileForward', () => {
  it.each([
    ['binary', 'relu', 0],
    ['binary', 'elu', 0.2],
    ['binary', 'tanh', 0],
    ['binary', 'gelu', 0],
    ['multiclass', 'relu', 0.1],
    ['regression', 'elu', 0],
    ['regression', 'tanh', 0.3],
  ] as const)('%s head, %s, dropout %s: the outputs of TF.js within float32 rounding', (task, activation, dropout) => {
    const cfg = config(task, { hidden: [32, 16], activation, dropout });
    const prep = fitPreprocessing(table, cfg);
    const all = encodeTable(table, prep);
    const encoded = { ...all, rows: 700, inputs: all.inputs.map((c) => c.subarray(0, 700)) };
    const model = buildModel(prep, cfg.model, 3);
    perturb(model);
    const forward = compileForward(model, task);
    expect(forward).not.toBeNull();
    const expected = predictRows(model, encoded);
    const actual = forward!(encoded);
    expect(actual.length).toBe(expected.length);
    let worst = 0;
    for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / Math.max(1, Math.abs(expected[i]!)));
    // Sums in another order: float32 rounding of outputs in the hundreds (regression in label units).
    expect(worst).toBeLessThan(5e-5);
    // Not a constant: the rows get different answers.
    expect(new Set(Array.from(actual.slice(0, 200), (v) => v.toFixed(5))).size).toBeGreaterThan(20);
    model.dispose();
  });

  it('leaves a model outside the family to TF.js', () => {
    const input = tf.input({ shape: [1] });
    const other = tf.model({ inputs: input, outputs: tf.layers.batchNormalization().apply(tf.layers.dense({ units: 4 }).apply(input)) as tf.SymbolicTensor });
    expect(compileForward(other, 'regression')).toBeNull();
  });
});
