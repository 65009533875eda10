/**
 * Training on real flight rows: reruns are bitwise identical, memory does not grow
 * across epochs, and a saved model predicts exactly what the trained one did.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '../../src/tf.js';
import { checkConfig } from '../../src/config/load.js';
import type { CtConfig } from '../../src/config/types.js';
import { readTables } from '../../src/data/read.js';
import type { Table } from '../../src/data/table.js';
import { encodeTable, fitPreprocessing, labelledRows } from '../../src/features/preprocessing.js';
import { selectBackend } from '../../src/train/backend.js';
import { fileLoadHandler, fileSaveHandler } from '../../src/train/io.js';
import { fitModel } from '../../src/train/loop.js';
import { buildModel, classWeights, compileModel } from '../../src/train/model.js';
import { predictRows } from '../../src/train/predict.js';
import { sampleRows } from '../../src/train/random.js';

const root = path.resolve(import.meta.dirname, '../..');

function baseConfig(seed: number, extra: Record<string, unknown> = {}): CtConfig {
  return checkConfig('test.yaml', {
    name: 'flight-delay',
    task: 'binary',
    data: { path: 'data/flights', timestamp: 'date' },
    label: 'delay > 15',
    features: [
      { column: 'origin', embedding: 16 },
      { column: 'destination', embedding: 16 },
      { name: 'hour', column: 'date', transform: 'hourOfDay', embedding: 8 },
      { name: 'dow', column: 'date', transform: 'dayOfWeek', embedding: 4 },
      { name: 'log_distance', column: 'distance', transform: 'log1p' },
    ],
    training: { epochs: 3, batchSize: 256, seed, validationFraction: 0.2, ...extra },
    gates: [{ metric: 'auc', lowerBound: 0.5 }],
  });
}

let table: Table;

beforeAll(async () => {
  const files = readdirSync(path.join(root, 'data/flights'))
    .filter((f) => f.endsWith('.parquet'))
    .sort()
    .slice(0, 2)
    .map((f) => path.join(root, 'data/flights', f));
  table = await readTables(files);
});

/** Trains on 4000 rows and returns the model, the sha256 of its weights and the tensor counts after each epoch. */
async function train(cfg: CtConfig): Promise<{ model: tf.LayersModel; hash: string; tensorsPerEpoch: number[]; encoded: ReturnType<typeof encodeTable> }> {
  const prep = fitPreprocessing(table, cfg);
  const encoded = encodeTable(table, prep);
  const rows = sampleRows(labelledRows(encoded), 4000, 1);
  const model = buildModel(prep, cfg.model, cfg.training.seed);
  compileModel(model, cfg.task, cfg.training);
  const tensorsPerEpoch: number[] = [];
  await fitModel(model, encoded, rows.subarray(0, 3200), rows.subarray(3200), {
    task: cfg.task,
    training: cfg.training,
    threshold: 0.5,
    classWeights: null,
    onEpoch: () => tensorsPerEpoch.push(tf.memory().numTensors),
  });
  const hash = createHash('sha256');
  for (const w of model.getWeights()) hash.update(new Uint8Array((w.dataSync() as Float32Array).buffer.slice(0)));
  return { model, hash: hash.digest('hex'), tensorsPerEpoch, encoded };
}

describe.each(['cpu', 'wasm', 'fused'] as const)('training on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend(backend);
  });
  const config = (seed: number, extra: Record<string, unknown> = {}): CtConfig => baseConfig(seed, { backend, ...extra });

  it('is bitwise reproducible: same data, config, seed and backend give the same weights', async () => {
    const a = await train(config(42));
    const b = await train(config(42));
    const c = await train(config(43));
    expect(a.hash).toBe(b.hash);
    expect(c.hash).not.toBe(a.hash);
    [a, b, c].forEach((r) => r.model.dispose());
  });

  it('does not leak tensors across epochs', async () => {
    const before = tf.memory().numTensors;
    const r = await train(config(42, { epochs: 4 }));
    // The optimizer's slots are created in epoch 1; after that the count must not move.
    expect(new Set(r.tensorsPerEpoch.slice(1)).size).toBe(1);
    r.model.dispose();
    // Model weights and Adam's state are freed with the model, up to the optimizer's own variables.
    expect(tf.memory().numTensors - before).toBeLessThan(40);
  });

  it('a saved and reloaded model predicts exactly what the trained one did', async () => {
    const r = await train(config(42));
    const dir = mkdtempSync(path.join(tmpdir(), 'ct-train-'));
    await r.model.save(fileSaveHandler(dir));
    const loaded = await tf.loadLayersModel(fileLoadHandler(dir));
    const rows = Int32Array.from({ length: 2000 }, (_, i) => i);
    expect(predictRows(loaded, r.encoded, rows)).toEqual(predictRows(r.model, r.encoded, rows));
    loaded.dispose();
    r.model.dispose();
  });
});

describe('class weights', () => {
  it('balanced weights are n / (classes x n_class); named weights must name classes', () => {
    const cfg = baseConfig(1, { classWeight: 'balanced' });
    expect(classWeights(cfg.training, 'binary', [0, 0, 0, 1], ['0', '1'])).toEqual([4 / 6, 2]);
    expect(classWeights(baseConfig(1, { classWeight: { '1': 3 } }).training, 'binary', [0, 1], ['0', '1'])).toEqual([1, 3]);
    expect(classWeights(baseConfig(1).training, 'binary', [0, 1], ['0', '1'])).toBeNull();
    expect(() => classWeights(baseConfig(1, { classWeight: { yes: 3 } }).training, 'binary', [0, 1], ['0', '1'])).toThrow(
      'training.classWeight: "yes" is not a class',
    );
  });

  it('balanced weights pull the predicted positive rate of an imbalanced label towards one half', async () => {
    await selectBackend('cpu');
    let positiveRate = 0;
    const meanPrediction = async (cfg: CtConfig): Promise<number> => {
      const prep = fitPreprocessing(table, cfg);
      const encoded = encodeTable(table, prep);
      const rows = sampleRows(labelledRows(encoded), 4000, 1);
      positiveRate = rows.reduce((s, i) => s + encoded.labels[i]!, 0) / rows.length;
      const model = buildModel(prep, cfg.model, cfg.training.seed);
      const weights = classWeights(
        cfg.training,
        'binary',
        Float32Array.from(rows, (i) => encoded.labels[i]!),
        ['0', '1'],
      );
      compileModel(model, cfg.task, cfg.training, weights);
      await fitModel(model, encoded, rows, new Int32Array(0), { task: cfg.task, training: cfg.training, threshold: 0.5, classWeights: weights });
      const p = predictRows(model, encoded, rows);
      model.dispose();
      return p.reduce((a, b) => a + b, 0) / p.length;
    };
    const plain = await meanPrediction(baseConfig(42));
    const balanced = await meanPrediction(baseConfig(42, { classWeight: 'balanced' }));
    // Unweighted, the mean prediction sits near the share of delayed flights; balanced, well above it.
    expect(positiveRate).toBeLessThan(0.35);
    expect(Math.abs(plain - positiveRate)).toBeLessThan(0.1);
    expect(balanced).toBeGreaterThan(plain + 0.1);
  });
});
