/**
 * The columns added before drift is measured: the label as a number, and the production
 * model's predictions. A batch the model cannot read (a missing column) gets no
 * prediction column; a bug while scoring is not swallowed.
 */
import * as tf from '../../src/tf.js';
import type { NumberColumn, Table } from '../../src/data/table.js';
import { LABEL_COLUMN, PREDICTION_COLUMN } from '../../src/features/derived.js';
import { fitPreprocessing } from '../../src/features/preprocessing.js';
import { deriveColumns, type Scorer } from '../../src/validate/drift-columns.js';
import { numberColumn, stringColumn, tableOf, delayConfig } from '../helpers.js';

const config = delayConfig([
  { name: 'distance', column: 'distance' },
  { name: 'origin', column: 'origin' },
]);

function table(withOrigin = true): Table {
  const n = 40;
  return tableOf(
    [
      numberColumn(
        'delay',
        Array.from({ length: n }, (_, i) => (i % 4) * 10),
      ),
      numberColumn(
        'distance',
        Array.from({ length: n }, (_, i) => 100 + i * 10),
      ),
      ...(withOrigin
        ? [
            stringColumn(
              'origin',
              Array.from({ length: n }, (_, i) => 'ABC'[i % 3]!),
            ),
          ]
        : []),
    ],
    'day.csv',
  );
}

/** A scorer whose model predicts a constant 0.25 for every row, whatever its inputs. */
function constantScorer(): Scorer {
  const preprocessing = fitPreprocessing(table(), config);
  return {
    preprocessing,
    model: async () =>
      ({
        outputs: [{ shape: [null, 1] }],
        predict: (inputs: tf.Tensor | tf.Tensor[]) => tf.fill([(Array.isArray(inputs) ? inputs[0]! : inputs).shape[0], 1], 0.25),
      }) as unknown as tf.LayersModel,
  };
}

const names = (t: Table): string[] => t.columns.map((c) => c.name);

test('adds the numeric label and the production predictions', async () => {
  const out = await deriveColumns(table(), config, constantScorer());
  expect(names(out)).toEqual(['delay', 'distance', 'origin', LABEL_COLUMN, PREDICTION_COLUMN]);
  const label = out.columns.find((c) => c.name === LABEL_COLUMN)!;
  expect(label.type).toBe('number');
  expect(Array.from((label as NumberColumn).values).slice(0, 4)).toEqual([0, 0, 1, 1]);
});

test('a batch the production model cannot read gets no prediction column, and no error', async () => {
  const out = await deriveColumns(table(false), config, constantScorer());
  expect(names(out)).toEqual(['delay', 'distance', LABEL_COLUMN]);
});

test('a bug while scoring is raised, not turned into missing prediction drift', async () => {
  const scorer: Scorer = { ...constantScorer(), model: async () => Promise.reject(new TypeError('model is not a function')) };
  await expect(deriveColumns(table(), config, scorer)).rejects.toThrow(TypeError);
});
