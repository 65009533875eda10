import { checkConfig } from '../../src/config/load.js';
import type { Column, Table } from '../../src/data/table.js';
import { UserError } from '../../src/errors.js';
import { fitLabelScale, labelScale } from '../../src/features/label.js';
import { encodeTable, fitPreprocessing, labelledRows } from '../../src/features/preprocessing.js';
import { numberColumn, stringColumn, tableOf } from '../helpers.js';

const strings = stringColumn;
const numbers = numberColumn;
const table = (columns: Column[]): Table => tableOf(columns, 'mem');

const config = (features: unknown[], label: unknown = 'delay > 15', task = 'binary') =>
  checkConfig('c.yaml', { name: 'm', task, data: { path: 'd' }, label, features, gates: [{ metric: 'auc', lowerBound: 0 }] });

describe('preprocessing', () => {
  // 2001-01-01 was a Monday.
  const t0 = Date.UTC(2001, 0, 1, 6, 30);
  const data = table([
    numbers('date', [t0, t0 + 3_600_000 * 13, t0 + 86_400_000 * 6, null], 'timestamp'),
    numbers('delay', [20, 3, null, 16]),
    numbers('distance', [100, 1000, 400, null]),
    strings('origin', ['SFO', 'LAX', 'SFO', null]),
  ]);
  const cfg = config([
    { name: 'hour', column: 'date', transform: 'hourOfDay' },
    { name: 'dow', column: 'date', transform: 'dayOfWeek' },
    { name: 'log_distance', column: 'distance', transform: 'log1p' },
    { name: 'origin', column: 'origin' },
    { name: 'dist_bucket', column: 'distance', transform: 'bucketize', boundaries: [200, 500] },
  ]);

  it('derives hour of day and ISO day of week in UTC, 0 for missing', () => {
    const prep = fitPreprocessing(data, cfg);
    const enc = encodeTable(data, prep);
    expect(Array.from(enc.inputs[0]!)).toEqual([7, 20, 7, 0]);
    expect(Array.from(enc.inputs[1]!)).toEqual([1, 1, 7, 0]);
    expect(prep.features[0]).toMatchObject({ kind: 'categorical', cardinality: 25 });
  });

  it('normalises numerics with training mean/std; nulls sit at the mean', () => {
    const prep = fitPreprocessing(data, cfg);
    const f = prep.features[2]!;
    if (f.kind !== 'numeric') throw new Error('expected numeric');
    const logs = [100, 1000, 400].map(Math.log1p);
    const mean = logs.reduce((a, b) => a + b) / 3;
    expect(f.mean).toBeCloseTo(mean, 10);
    const enc = encodeTable(data, prep);
    expect(enc.inputs[2]![0]).toBeCloseTo((logs[0]! - mean) / f.std, 5);
    expect(enc.inputs[2]![3]).toBe(0);
  });

  it('orders the vocabulary by frequency; unseen and null values map to 0', () => {
    const prep = fitPreprocessing(data, cfg);
    expect(prep.features[3]).toMatchObject({ vocabulary: ['SFO', 'LAX'], cardinality: 3 });
    const other = table([
      numbers('date', [t0, t0], 'timestamp'),
      numbers('delay', [1, 2]),
      numbers('distance', [1, 2]),
      strings('origin', ['LAX', 'JFK']),
    ]);
    expect(Array.from(encodeTable(other, prep).inputs[3]!)).toEqual([2, 0]);
  });

  it('bucketizes with TF conventions (edge belongs to the upper bucket)', () => {
    const prep = fitPreprocessing(data, cfg);
    expect(Array.from(encodeTable(data, prep).inputs[4]!)).toEqual([1, 3, 2, 0]);
  });

  it('computes the declarative label; null labels are NaN and excluded', () => {
    const prep = fitPreprocessing(data, cfg);
    const enc = encodeTable(data, prep);
    expect(Array.from(enc.labels).map((x) => (Number.isNaN(x) ? null : x))).toEqual([1, 0, null, 1]);
    expect(Array.from(labelledRows(enc))).toEqual([0, 1, 3]);
  });

  it('names the feature and column when a column is missing or of the wrong type', () => {
    expect(() => fitPreprocessing(data, config([{ column: 'carrier' }]))).toThrow('feature "carrier": column "carrier" is not in the data');
    expect(() => fitPreprocessing(data, config([{ column: 'origin', transform: 'hourOfDay' }]))).toThrow(UserError);
    expect(() => fitPreprocessing(data, config([{ column: 'origin' }], 'dest > 3'))).toThrow('label: column "dest" is not in the data');
  });

  it('hashes crosses of categorical features into buckets, deterministically', () => {
    const cfg2 = config([
      { name: 'origin', column: 'origin' },
      { name: 'hour', column: 'date', transform: 'hourOfDay' },
      { name: 'origin_hour', cross: ['origin', 'hour'], hashBuckets: 50, embedding: 4 },
    ]);
    const prep = fitPreprocessing(data, cfg2);
    expect(prep.features[2]).toMatchObject({ kind: 'categorical', transform: 'cross', cross: ['origin', 'hour'], hashBuckets: 50, cardinality: 51, embedding: 4 });
    const ids = Array.from(encodeTable(data, prep).inputs[2]!);
    // Rows 0 and 2 are SFO at 06:30; row 1 is LAX at 19:30; row 3 has neither value.
    expect(ids[0]).toBe(ids[2]);
    expect(ids[0]).not.toBe(ids[1]);
    expect(ids[3]).toBe(0);
    expect(ids.every((id) => id >= 0 && id <= 50)).toBe(true);
    expect(Array.from(encodeTable(data, fitPreprocessing(data, cfg2)).inputs[2]!)).toEqual(ids);
  });

  it('a cross must name earlier categorical features', () => {
    expect(() => fitPreprocessing(data, config([{ name: 'x', cross: ['origin', 'hour'] }, { column: 'origin' }]))).toThrow('crosses "origin", which must be a feature listed before it');
    expect(() => fitPreprocessing(data, config([{ column: 'distance' }, { column: 'origin' }, { name: 'x', cross: ['distance', 'origin'] }]))).toThrow('which is numeric');
  });

  it('multiclass labels take their classes from the training data', () => {
    const prep = fitPreprocessing(data, config([{ column: 'distance' }], 'origin', 'multiclass'));
    expect(prep.label.classes).toEqual(['LAX', 'SFO']);
    expect(Array.from(encodeTable(data, prep).labels).map((x) => (Number.isNaN(x) ? null : x))).toEqual([1, 0, 1, null]);
  });
});

describe('regression target scale', () => {
  const nullable = (xs: ArrayLike<number>): Array<number | null> => Array.from(xs, (x) => (Number.isNaN(x) ? null : x));
  const grams = table([numbers('mass', [3000, 4000, null, 5000]), numbers('flipper', [180, 200, 210, 220])]);
  const cfg = config([{ column: 'flipper' }], 'mass', 'regression');

  it('fits mean and sample std of the known training labels into label.scale', () => {
    const prep = fitPreprocessing(grams, cfg);
    expect(prep.label).toMatchObject({ task: 'regression', column: 'mass', scale: { mean: 4000, std: 1000 } });
    // Stored as plain numbers: preprocessing.json round-trips.
    expect(JSON.parse(JSON.stringify(prep)).label.scale).toEqual({ mean: 4000, std: 1000 });
  });

  it('encodes standardised targets; labels stay in label units', () => {
    const enc = encodeTable(grams, fitPreprocessing(grams, cfg));
    expect(nullable(enc.labels)).toEqual([3000, 4000, null, 5000]);
    expect(nullable(enc.targets)).toEqual([-1, 0, null, 1]);
    expect(enc.labelScale).toEqual({ mean: 4000, std: 1000 });
    expect(Array.from(labelledRows(enc))).toEqual([0, 1, 3]);
  });

  it('a constant label has std 1, not 0: no division by zero', () => {
    const flat = table([numbers('mass', [4200, 4200, null]), numbers('flipper', [1, 2, 3])]);
    const prep = fitPreprocessing(flat, cfg);
    expect(prep.label.scale).toEqual({ mean: 4200, std: 1 });
    expect(nullable(encodeTable(flat, prep).targets)).toEqual([0, 0, null]);
  });

  it('preprocessing saved without a scale (older models) is the identity', () => {
    const prep = fitPreprocessing(grams, cfg);
    delete prep.label.scale;
    const enc = encodeTable(grams, prep);
    expect(enc.labelScale).toEqual({ mean: 0, std: 1 });
    expect(nullable(enc.targets)).toEqual([3000, 4000, null, 5000]);
  });

  it('a malformed scale (std 0 or not a number) falls back to std 1 / mean 0', () => {
    const prep = fitPreprocessing(grams, cfg);
    expect(labelScale({ ...prep.label, scale: { mean: 10, std: 0 } })).toEqual({ mean: 10, std: 1 });
    expect(labelScale({ ...prep.label, scale: { mean: Number.NaN, std: -2 } })).toEqual({ mean: 0, std: 1 });
  });

  it('classification labels are not scaled', () => {
    const prep = fitPreprocessing(data(), config([{ column: 'distance' }]));
    expect(prep.label.scale).toBeUndefined();
    const enc = encodeTable(data(), prep);
    expect(enc.labelScale).toEqual({ mean: 0, std: 1 });
    expect(enc.targets).toBe(enc.labels);
  });

  it('fitLabelScale ignores NaN and needs two values for a std', () => {
    expect(fitLabelScale([Number.NaN, 7])).toEqual({ mean: 7, std: 1 });
    expect(fitLabelScale([])).toEqual({ mean: 0, std: 1 });
  });

  function data(): Table {
    return table([numbers('delay', [20, 3, null, 16]), numbers('distance', [100, 1000, 400, null])]);
  }
});
