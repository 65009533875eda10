/**
 * The multiclass and regression heads and early stopping, trained for real on small
 * public tables shipped in vega-datasets (penguins, cars).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkConfig } from '../../src/config/load.js';
import type { CtConfig } from '../../src/config/types.js';
import { readTable } from '../../src/data/read.js';
import type { Table } from '../../src/data/table.js';
import { computeMetrics } from '../../src/evaluate/metrics.js';
import { encodeTable, fitPreprocessing, labelledRows } from '../../src/features/preprocessing.js';
import { selectBackend } from '../../src/train/backend.js';
import { fitModel } from '../../src/train/loop.js';
import { buildModel, compileModel } from '../../src/train/model.js';
import { predictRows } from '../../src/train/predict.js';
import { holdout } from '../../src/train/random.js';

const root = path.resolve(import.meta.dirname, '../..');

/** A vega-datasets JSON array written as JSON Lines, read with ct's reader. */
async function vegaTable(name: string): Promise<Table> {
  const rows = JSON.parse(readFileSync(path.join(root, 'node_modules/vega-datasets/data', `${name}.json`), 'utf8')) as object[];
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'ct-heads-')), `${name}.jsonl`);
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
  return readTable(file);
}

async function trainAndScore(table: Table, cfg: CtConfig) {
  const prep = fitPreprocessing(table, cfg);
  const encoded = encodeTable(table, prep);
  const { keep, held } = holdout(labelledRows(encoded), 0.25, 7);
  const model = buildModel(prep, cfg.model, cfg.training.seed);
  compileModel(model, cfg.task, cfg.training);
  const classes = prep.label.classes?.length;
  const fit = await fitModel(model, encoded, keep, held, {
    task: cfg.task,
    training: cfg.training,
    threshold: 0.5,
    classWeights: null,
    ...(classes === undefined ? {} : { classes }),
  });
  const preds = predictRows(model, encoded, held);
  const labels = Float32Array.from(held, (i) => encoded.labels[i]!);
  model.dispose();
  return { fit, prep, metrics: computeMetrics(cfg.task, labels, preds, { threshold: 0.5, ...(classes === undefined ? {} : { classes }) }) };
}

beforeAll(async () => {
  await selectBackend('cpu');
});

it('multiclass: penguin species from body measurements', async () => {
  const cfg = checkConfig('penguins.yaml', {
    name: 'penguins',
    task: 'multiclass',
    data: { path: 'x' },
    label: 'Species',
    features: ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)', 'Island'].map((column) => ({ column })),
    model: { hidden: [16] },
    training: { epochs: 60, batchSize: 32, learningRate: 0.01, seed: 3, validationFraction: 0 },
    gates: [{ metric: 'accuracy', lowerBound: 0.8 }],
  });
  const { prep, metrics } = await trainAndScore(await vegaTable('penguins'), cfg);
  expect(prep.label.classes).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
  expect(metrics.accuracy).toBeGreaterThan(0.9);
  expect(metrics.logLoss).toBeLessThan(0.5);
});

it('regression: miles per gallon of cars, with early stopping on validation loss', async () => {
  const cfg = checkConfig('cars.yaml', {
    name: 'cars',
    task: 'regression',
    data: { path: 'x' },
    label: 'Miles_per_Gallon',
    features: ['Cylinders', 'Displacement', 'Horsepower', 'Weight_in_lbs', 'Acceleration', 'Origin'].map((column) => ({ column })),
    model: { hidden: [32, 16] },
    training: { epochs: 400, batchSize: 32, learningRate: 0.01, seed: 5, validationFraction: 0, earlyStoppingPatience: 5 },
    gates: [{ metric: 'rmse', upperBound: 5 }],
  });
  const { fit, metrics } = await trainAndScore(await vegaTable('cars'), cfg);
  // Mean-only prediction has an RMSE near the label's standard deviation (about 7.8 mpg).
  expect(metrics.rmse).toBeLessThan(4.5);
  expect(metrics.r2).toBeGreaterThan(0.6);
  expect(fit.stoppedEarly).toBe(true);
  expect(fit.epochs).toBeLessThan(400);
  expect(fit.bestEpoch).toBe(fit.epochs - 5);
});
