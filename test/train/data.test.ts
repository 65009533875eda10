import { checkConfig } from '../../src/config/load.js';
import type { Dataset } from '../../src/data/dataset.js';
import type { Table } from '../../src/data/table.js';
import { encodeTrainingRows, imputedLines, labelledTrainingRows, splitTrainingRows } from '../../src/train/data.js';
import { batchLine, classWeightsLine, epochLine } from '../../src/train/progress.js';
import { holdout, sampleRows } from '../../src/train/random.js';
import { allRows } from '../../src/train/predict.js';
import { expectUserError, numberColumn, stringColumn, tableOf } from '../helpers.js';

const config = (training: Record<string, unknown> = {}) =>
  checkConfig('c.yaml', {
    name: 'm',
    task: 'binary',
    data: { path: 'd' },
    label: 'delay > 15',
    features: [{ column: 'origin' }, { column: 'distance' }],
    training,
    gates: [{ metric: 'auc', lowerBound: 0 }],
  });

function datasetOf(table: Table, trainRows = allRows(table.rowCount), trainParts = ['2001-01-01', '2001-01-02', '2001-01-03']): Dataset {
  return { files: ['mem.csv'], trainParts, evaluationParts: [], table, trainRows, evaluationRows: new Int32Array(0), fingerprint: 'f' };
}

const flights = (delays: Array<number | null>, distances: Array<number | null> = delays.map(() => 100)) =>
  tableOf([
    numberColumn('delay', delays),
    numberColumn('distance', distances),
    stringColumn(
      'origin',
      delays.map((_, i) => (i % 2 === 0 ? 'SFO' : 'LAX')),
    ),
  ]);

describe('training data', () => {
  it('encodes the training rows with preprocessing fitted on them only', () => {
    const table = flights([20, 3, 30, 1], [100, 200, 1e6, 1e6]);
    const data = encodeTrainingRows(datasetOf(table, Int32Array.from([0, 1])), config());
    expect(data.table.rowCount).toBe(2);
    expect(data.encoded.rows).toBe(2);
    const distance = data.preprocessing.features.find((f) => f.name === 'distance');
    expect(distance).toMatchObject({ kind: 'numeric' });
    if (distance?.kind === 'numeric') expect(distance.mean).toBeCloseTo(150, 6);
  });

  it('refuses a window without training rows', () => {
    expectUserError(
      () => encodeTrainingRows(datasetOf(flights([20, 3]), new Int32Array(0)), config()),
      'no training rows in the selected window (data.window, data.split)',
    );
  });

  it('names the features whose training rows were imputed, a warning when values were not finite', () => {
    const data = encodeTrainingRows(datasetOf(flights([20, 3, 30, 1], [100, null, Number.POSITIVE_INFINITY, 200])), config());
    const lines = imputedLines(data);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.line.includes('distance'))).toBe(true);
    expect(lines.some((l) => l.warning)).toBe(true);
    expect(imputedLines(encodeTrainingRows(datasetOf(flights([20, 3, 30, 1])), config()))).toEqual([]);
  });

  it('keeps the labelled rows', () => {
    const cfg = config();
    const data = encodeTrainingRows(datasetOf(flights([20, null, 3, 30])), cfg);
    expect(Array.from(labelledTrainingRows(data, cfg, []))).toEqual([0, 2, 3]);
  });

  it('refuses training rows without a label, and a classifier with one class', () => {
    const cfg = config();
    expectUserError(
      () => labelledTrainingRows(encodeTrainingRows(datasetOf(flights([null, null])), cfg), cfg, []),
      'label: every training row has a null "delay"',
    );
    const oneClass = encodeTrainingRows(datasetOf(flights([1, 2, 3])), cfg);
    expectUserError(
      () => labelledTrainingRows(oneClass, cfg, ['2001-01-01', '2001-01-02', '2001-01-03']),
      'label "delay > 15" is false for all 3 training rows (2001-01-01..2001-01-03): a classifier needs at least two classes',
    );
    const allTrue = encodeTrainingRows(datasetOf(flights([20, 30])), cfg);
    expectUserError(() => labelledTrainingRows(allTrue, cfg, ['2001-01-01', '2001-01-02']), 'is true for all 2 training rows (2001-01-01, 2001-01-02)');
  });

  it('samples at most training.maxRows, then holds out the validation rows, both seeded', () => {
    const labelled = allRows(1000);
    const plain = config({ seed: 7, validationFraction: 0.2 }).training;
    expect(splitTrainingRows(labelled, plain)).toEqual(holdout(labelled, 0.2, 7));
    const capped = config({ seed: 7, validationFraction: 0.2, maxRows: 300 }).training;
    const split = splitTrainingRows(labelled, capped);
    expect(split).toEqual(holdout(sampleRows(labelled, 300, 7), 0.2, 7));
    expect(split.keep.length + split.held.length).toBe(300);
  });
});

describe('training progress lines', () => {
  it('shows an epoch with and without validation', () => {
    const record = { epoch: 2, loss: 0.51234, validationLoss: 0.6, validationMetric: 0.71234, seconds: 1, samplesPerSecond: 1234.4 };
    expect(epochLine(record, 5, 3.4, 'auc')).toBe('epoch 2/5 loss 0.5123 val_loss 0.6000 val_auc 0.7123 1234 samples/s ETA 3 s');
    expect(epochLine({ ...record, validationLoss: null, validationMetric: null }, 5, 3.6, 'auc')).toBe('epoch 2/5 loss 0.5123 1234 samples/s ETA 4 s');
  });

  it('shows where an epoch stands with a bar', () => {
    expect(batchLine({ epoch: 1, totalEpochs: 3, done: 0.5, loss: 0.7, samplesPerSecond: 99.6, etaSeconds: 10.2 })).toBe(
      'epoch 1/3 [==========          ] 50% loss 0.7000 100 samples/s ETA 10 s',
    );
  });

  it('names each class with its weight', () => {
    expect(classWeightsLine(['0', '1'], [0.6, 2.5])).toBe('class weights: 0 0.600, 1 2.500');
  });
});
