/**
 * Columns mapped the wrong way round (exchange.ts): which column pairs the production model
 * can tell apart, the table with a pair exchanged, and when the model's scores say a day
 * arrived exchanged. The whole path, a real model on real days, runs in incidents.test.ts
 * (origin_destination_swapped).
 */
import { fitPreprocessing } from '../../src/features/preprocessing.js';
import { valueAt } from '../../src/data/table.js';
import { EXCHANGE_MARGIN, exchangeablePairs, exchangeAnomaly, exchangeColumns, exchangeGain } from '../../src/validate/exchange.js';
import { delayConfig, numberColumn, stringColumn, tableOf } from '../helpers.js';

const airports = ['ATL', 'ORD', 'DFW', 'DEN', 'LAX', 'SFO'];
const n = 120;
const table = tableOf([
  numberColumn(
    'delay',
    Array.from({ length: n }, (_, i) => (i % 5) * 10),
  ),
  stringColumn(
    'origin',
    Array.from({ length: n }, (_, i) => airports[i % 6]!),
  ),
  stringColumn(
    'destination',
    Array.from({ length: n }, (_, i) => airports[(i + 1) % 6]!),
  ),
  stringColumn(
    'carrier',
    Array.from({ length: n }, (_, i) => ['AA', 'UA', 'DL'][i % 3]!),
  ),
]);

describe('columns of one domain', () => {
  test('two inputs whose vocabularies mostly coincide can be exchanged; a column of another domain cannot', () => {
    const prep = fitPreprocessing(table, delayConfig([{ column: 'origin' }, { column: 'destination' }, { column: 'carrier' }]));
    expect(exchangeablePairs(prep)).toEqual([['destination', 'origin']]);
  });

  test('a column the model does not read is no candidate', () => {
    const prep = fitPreprocessing(table, delayConfig([{ column: 'origin' }, { column: 'carrier' }]));
    expect(exchangeablePairs(prep)).toEqual([]);
  });

  test('exchanging puts each column’s values under the other’s name and leaves the rest alone', () => {
    const swapped = exchangeColumns(table, 'origin', 'destination');
    const column = (name: string) => swapped.columns.find((c) => c.name === name)!;
    expect(valueAt(column('origin'), 0)).toBe('ORD');
    expect(valueAt(column('destination'), 0)).toBe('ATL');
    expect(swapped.columns.map((c) => c.name)).toEqual(table.columns.map((c) => c.name));
    expect(column('carrier')).toBe(table.columns.find((c) => c.name === 'carrier'));
  });
});

describe('when a day looks exchanged', () => {
  const scores = {
    file: 'data/flights/2001-04-12.csv',
    date: '2001-04-12',
    columns: ['destination', 'origin'] as const,
    model: 'v7',
    metric: 'auc',
    higherIsBetter: true,
    usual: { low: 0.68, high: 0.76 },
    rows: 16_000,
    // On the three days before, exchanging the pair cost the model 0.07 to 0.09.
    before: [
      { gain: -0.09, rows: 16_500 },
      { gain: -0.07, rows: 15_800 },
      { gain: -0.08, rows: 16_900 },
    ],
  };

  test('the model scores better with the pair exchanged back: an error naming both columns, both scores and what to do', () => {
    const anomaly = exchangeAnomaly({ ...scores, asDelivered: 0.646, exchanged: 0.731 }, 'error');
    expect(anomaly).toMatchObject({ kind: 'columns_exchanged', severity: 'error', column: 'destination+origin' });
    expect(anomaly!.message).toMatch(
      /2001-04-12\.csv: columns "destination" and "origin" look exchanged: production v7 scores auc 0\.646 .* and 0\.731 with the two exchanged back/,
    );
    expect(anomaly!.message).toMatch(
      /as on the days before \(0\.680 to 0\.760\); on 3 of the 3 days before, exchanging them cost it 0\.070 to 0\.090\. Fix the column mapping upstream/,
    );
  });

  test('a model that cannot tell the pair apart on the days before says nothing of the mapping', () => {
    // Trained on 2,000 flights a day, a model gained 0.03 to 0.05 of AUC from exchanging origin and destination on correct days.
    const alike = { ...scores, rows: 2_000, usual: { low: 0.545, high: 0.709 }, asDelivered: 0.599, exchanged: 0.64 };
    const correctDays = [
      { gain: 0.03, rows: 2_000 },
      { gain: -0.01, rows: 2_000 },
      { gain: 0.05, rows: 2_000 },
    ];
    expect(exchangeAnomaly({ ...alike, before: correctDays }, 'error')).toBeNull();
    // One day of three where it cost enough is not most of them; two are.
    expect(exchangeAnomaly({ ...alike, before: [{ gain: -0.05, rows: 2_000 }, ...correctDays.slice(1)] }, 'error')).toBeNull();
    expect(exchangeAnomaly({ ...alike, before: [{ gain: -0.05, rows: 2_000 }, { gain: -0.06, rows: 2_000 }, correctDays[2]!] }, 'error')).not.toBeNull();
    // No day before to measure the cost on: no finding.
    expect(exchangeAnomaly({ ...scores, asDelivered: 0.646, exchanged: 0.731, before: [] }, 'error')).toBeNull();
  });

  test('labels inverted score badly either way: a small gain from exchanging, far below the usual scores, is no exchange', () => {
    expect(exchangeAnomaly({ ...scores, asDelivered: 0.4, exchanged: 0.45 }, 'error')).toBeNull();
  });

  test('on a small day a gain within chance is no finding', () => {
    expect(exchangeAnomaly({ ...scores, rows: 400, asDelivered: 0.66, exchanged: 0.69 }, 'error')).toBeNull();
    expect(exchangeAnomaly({ ...scores, rows: 400, asDelivered: 0.62, exchanged: 0.7 }, 'error')).not.toBeNull();
  });

  test('a correct day, where exchanging costs the model, and a model that ignores the pair are no finding', () => {
    expect(exchangeAnomaly({ ...scores, asDelivered: 0.731, exchanged: 0.646 }, 'error')).toBeNull();
    expect(exchangeAnomaly({ ...scores, asDelivered: 0.67, exchanged: 0.67 + EXCHANGE_MARGIN / 2 }, 'error')).toBeNull();
  });

  test('an error metric gains when it falls, relative to its size', () => {
    expect(exchangeGain(10, 9, false)).toBeCloseTo(0.1, 10);
    expect(exchangeGain(10, 11, false)).toBeLessThan(0);
    const rmse = { ...scores, metric: 'rmse', higherIsBetter: false, usual: { low: 12, high: 16 } };
    expect(exchangeAnomaly({ ...rmse, asDelivered: 20, exchanged: 15 }, 'warning')?.severity).toBe('warning');
    expect(exchangeAnomaly({ ...rmse, asDelivered: 30, exchanged: 25 }, 'warning')).toBeNull();
  });
});
