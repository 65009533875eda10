/**
 * predictRows is where model output becomes a prediction: regression outputs are
 * un-scaled with the preprocessing's label scale; older models (no scale) and
 * classification heads pass through unchanged.
 */
import * as tf from '../../src/tf.js';
import { checkConfig } from '../../src/config/load.js';
import { encodeTable, fitPreprocessing, type Preprocessing } from '../../src/features/preprocessing.js';
import { selectBackend } from '../../src/train/backend.js';
import { fitModel } from '../../src/train/loop.js';
import { buildModel, compileModel } from '../../src/train/model.js';
import { predictRows } from '../../src/train/predict.js';
import { numberColumn, tableOf } from '../helpers.js';

/** A one-input linear model: output = 2 x + 0.5 (x is the z-scored input). */
function linearModel(units = 1): tf.LayersModel {
  const input = tf.input({ shape: [1], dtype: 'float32', name: 'x' });
  const dense = tf.layers.dense({ units, name: 'output' });
  const model = tf.model({ inputs: input, outputs: dense.apply(input) as tf.SymbolicTensor });
  dense.setWeights([tf.fill([1, units], 2), tf.fill([units], 0.5)]);
  return model;
}

const data = tableOf([numberColumn('y', [10, 20, 30]), numberColumn('x', [-1, 0, 1])], 'mem');
const cfg = (task: string, label: string) =>
  checkConfig('c.yaml', { name: 'm', task, data: { path: 'd' }, label, features: [{ column: 'x' }], gates: [{ metric: 'rmse', upperBound: 1e9 }] });

beforeAll(async () => {
  tf.enableProdMode(); // no "install tfjs-node" banner
  await selectBackend('cpu');
});

it('un-scales regression outputs: output x std + mean, for all rows and for selected rows', () => {
  const prep = fitPreprocessing(data, cfg('regression', 'y'));
  expect(prep.label.scale).toEqual({ mean: 20, std: 10 });
  const model = linearModel();
  // x z-scores to -1, 0, 1: outputs -1.5, 0.5, 2.5; in label units 5, 25, 45.
  const encoded = encodeTable(data, prep, { withLabels: false });
  expect(Array.from(predictRows(model, encoded))).toEqual([5, 25, 45]);
  expect(Array.from(predictRows(model, encoded, Int32Array.from([2, 0])))).toEqual([45, 5]);
  model.dispose();
});

it('a regression model saved without a scale predicts its raw output', () => {
  const prep = fitPreprocessing(data, cfg('regression', 'y'));
  const old = JSON.parse(JSON.stringify(prep)) as Preprocessing;
  delete old.label.scale;
  const model = linearModel();
  expect(Array.from(predictRows(model, encodeTable(data, old, { withLabels: false })))).toEqual([-1.5, 0.5, 2.5]);
  model.dispose();
});

it('binary outputs are not scaled', () => {
  const prep = fitPreprocessing(data, cfg('binary', 'y > 15'));
  const model = linearModel();
  expect(Array.from(predictRows(model, encodeTable(data, prep)))).toEqual([-1.5, 0.5, 2.5]);
  model.dispose();
});

it('trains on the standardised target: a label in the thousands is learnt in a few epochs', async () => {
  const n = 256;
  const xs = Array.from({ length: n }, (_, i) => (i / n) * 4 - 2);
  const table = tableOf(
    [
      numberColumn(
        'y',
        xs.map((x) => 5000 + 800 * x),
      ),
      numberColumn('x', xs),
    ],
    'mem',
  );
  const config = checkConfig('c.yaml', {
    name: 'm',
    task: 'regression',
    data: { path: 'd' },
    label: 'y',
    features: [{ column: 'x' }],
    model: { hidden: [8] },
    training: { epochs: 20, batchSize: 32, learningRate: 0.05, seed: 1, validationFraction: 0 },
    gates: [{ metric: 'rmse', upperBound: 1e9 }],
  });
  const prep = fitPreprocessing(table, config);
  const encoded = encodeTable(table, prep);
  const model = buildModel(prep, config.model, config.training.seed);
  compileModel(model, 'regression', config.training);
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  const fit = await fitModel(model, encoded, rows, rows, { task: 'regression', training: config.training, threshold: 0.5, classWeights: null });
  // The training loss is in standardised units, and so is the validation loss; the metric (RMSE) in label units.
  expect(fit.history.at(-1)!.loss).toBeLessThan(0.05);
  expect(fit.history.at(-1)!.validationLoss).toBeLessThan(0.05);
  expect(fit.history.at(-1)!.validationMetric).toBeLessThan(150);
  const preds = predictRows(model, encoded);
  let se = 0;
  for (let i = 0; i < n; i++) se += (preds[i]! - encoded.labels[i]!) ** 2;
  expect(Math.sqrt(se / n)).toBeLessThan(150);
  model.dispose();
});
