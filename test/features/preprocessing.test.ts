import { checkConfig } from '../../src/config/load.js';
import type { Column, Table } from '../../src/data/table.js';
import { UserError } from '../../src/errors.js';
import { fitLabelScale, labelScale } from '../../src/features/label.js';
import { encodeFeatureColumn, encodeTable, farLimits, fitPreprocessing, labelledRows, type NumericFeature } from '../../src/features/preprocessing.js';
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

  it("reads hour and weekday on data.timezone's clock, kept in the fitted feature, across a daylight-saving change", () => {
    // A New York shop's 08:00 orders: 13:00 UTC before 2026-03-08, 12:00 UTC after; 23:30 on Sunday night is Monday 04:30 UTC.
    const times = [Date.UTC(2026, 2, 6, 13), Date.UTC(2026, 2, 9, 12), Date.UTC(2026, 2, 9, 3, 30), Date.UTC(2026, 10, 2, 13)];
    const orders = table([
      numbers('date', times, 'timestamp'),
      numbers('delay', [20, 3, 1, 16]),
      numbers('distance', [1, 2, 3, 4]),
      strings('origin', ['A', 'B', 'A', 'B']),
    ]);
    const zoned = checkConfig('c.yaml', {
      name: 'm',
      task: 'binary',
      data: { path: 'd', timezone: 'America/New_York' },
      label: 'delay > 15',
      features: [
        { name: 'hour', column: 'date', transform: 'hourOfDay' },
        { name: 'dow', column: 'date', transform: 'dayOfWeek' },
      ],
      gates: [{ metric: 'auc', lowerBound: 0 }],
    });
    const prep = fitPreprocessing(orders, zoned);
    expect(prep.features[0]).toMatchObject({ timeZone: 'America/New_York' });
    const enc = encodeTable(orders, prep);
    // Ids are hour + 1: 08:00 on both sides of the change (and after it ends in November), 23:00 on Sunday.
    expect(Array.from(enc.inputs[0]!)).toEqual([9, 9, 24, 9]);
    expect(Array.from(enc.inputs[1]!)).toEqual([5, 1, 7, 1]);
    // On the UTC clock the same mornings are 13:00 and 12:00.
    expect(Array.from(encodeTable(orders, fitPreprocessing(orders, config(zoned.features))).inputs[0]!)).toEqual([14, 13, 4, 14]);
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
    const other = table([numbers('date', [t0, t0], 'timestamp'), numbers('delay', [1, 2]), numbers('distance', [1, 2]), strings('origin', ['LAX', 'JFK'])]);
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
    expect(prep.features[2]).toMatchObject({
      kind: 'categorical',
      transform: 'cross',
      cross: ['origin', 'hour'],
      hashBuckets: 50,
      cardinality: 51,
      embedding: 4,
    });
    const ids = Array.from(encodeTable(data, prep).inputs[2]!);
    // Rows 0 and 2 are SFO at 06:30; row 1 is LAX at 19:30; row 3 has neither value.
    expect(ids[0]).toBe(ids[2]);
    expect(ids[0]).not.toBe(ids[1]);
    expect(ids[3]).toBe(0);
    expect(ids.every((id) => id >= 0 && id <= 50)).toBe(true);
    expect(Array.from(encodeTable(data, fitPreprocessing(data, cfg2)).inputs[2]!)).toEqual(ids);
  });

  it('a cross must name earlier categorical features', () => {
    expect(() => fitPreprocessing(data, config([{ name: 'x', cross: ['origin', 'hour'] }, { column: 'origin' }]))).toThrow(
      'crosses "origin", which must be a feature listed before it',
    );
    expect(() => fitPreprocessing(data, config([{ column: 'distance' }, { column: 'origin' }, { name: 'x', cross: ['distance', 'origin'] }]))).toThrow(
      'which is numeric',
    );
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

describe('what training saw, and what the encoder imputes', () => {
  const t0 = Date.UTC(2001, 0, 1, 6, 30);
  // 10 training rows: origin SFO x6, LAX x3, OAK x1 (cut by maxVocabulary 2), one null origin.
  const train = table([
    numbers('date', [t0, t0, t0, t0, t0, t0, t0, t0, t0, t0, t0], 'timestamp'),
    numbers('delay', [20, 3, 1, 2, 30, 40, 5, 6, 7, 8, 9]),
    numbers('distance', [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, null]),
    strings('origin', ['SFO', 'SFO', 'SFO', 'SFO', 'SFO', 'SFO', 'LAX', 'LAX', 'LAX', 'OAK', null]),
  ]);
  const cfg = config([
    { name: 'origin', column: 'origin', maxVocabulary: 2 },
    { name: 'hour', column: 'date', transform: 'hourOfDay' },
    { name: 'log_distance', column: 'distance', transform: 'log1p' },
    { name: 'distance', column: 'distance' },
    { name: 'dist_bucket', column: 'distance', transform: 'bucketize', boundaries: [500] },
    { name: 'origin_hour', cross: ['origin', 'hour'], hashBuckets: 16 },
  ]);
  const numeric = (f: unknown): NumericFeature => {
    if ((f as NumericFeature).kind !== 'numeric') throw new Error('expected numeric');
    return f as NumericFeature;
  };

  it('records the transformed training range of numeric features (before z-scaling)', () => {
    const prep = fitPreprocessing(train, cfg);
    expect(prep.features[2]).toMatchObject({ name: 'log_distance', min: Math.log1p(100), max: Math.log1p(1000) });
    expect(prep.features[3]).toMatchObject({ name: 'distance', min: 100, max: 1000 });
    // Non-finite training values (log1p of -5) are not part of the range.
    const broken = table([numbers('delay', [1, 20, 3]), numbers('distance', [-5, 10, 20])]);
    expect(fitPreprocessing(broken, config([{ name: 'd', column: 'distance', transform: 'log1p' }])).features[0]).toMatchObject({
      min: Math.log1p(10),
      max: Math.log1p(20),
    });
    // No finite value at all: no range (the |z| rule applies).
    const empty = table([numbers('delay', [1, 20]), numbers('distance', [null, null])]);
    const f = numeric(fitPreprocessing(empty, config([{ name: 'd', column: 'distance' }])).features[0]);
    expect(f.min).toBeUndefined();
    expect(f.max).toBeUndefined();
    expect(farLimits(f)).toEqual({ low: -10, high: 10, rule: 'z' });
  });

  it('records the share of non-null training rows out of vocabulary (values cut by maxVocabulary / minCount)', () => {
    const prep = fitPreprocessing(train, cfg);
    expect(prep.features[0]).toMatchObject({ vocabulary: ['SFO', 'LAX'], outOfVocabularyShare: 0.1 });
    const minCount = fitPreprocessing(train, config([{ name: 'origin', column: 'origin', minCount: 4 }]));
    expect(minCount.features[0]).toMatchObject({ vocabulary: ['SFO'], outOfVocabularyShare: 0.4 });
    const all = fitPreprocessing(train, config([{ name: 'origin', column: 'origin' }]));
    expect(all.features[0]).toMatchObject({ outOfVocabularyShare: 0 });
    // Features without a vocabulary record none; crosses nothing new.
    expect(prep.features[1]).not.toHaveProperty('outOfVocabularyShare');
    expect(prep.features[5]).not.toHaveProperty('outOfVocabularyShare');
    expect(prep.features[5]).not.toHaveProperty('min');
  });

  it('is deterministic and survives JSON', () => {
    const a = JSON.stringify(fitPreprocessing(train, cfg));
    expect(JSON.stringify(fitPreprocessing(train, cfg))).toBe(a);
    expect(JSON.stringify(JSON.parse(a))).toBe(a);
  });

  it('far limits: half the training span beyond either end; |z| > 10 without a range or with a constant feature', () => {
    const f = numeric(fitPreprocessing(train, cfg).features[3]);
    expect(farLimits(f)).toEqual({ low: 100 - 450, high: 1000 + 450, rule: 'range' });
    const { min: _min, max: _max, ...old } = f;
    expect(farLimits(old)).toEqual({ low: f.mean - 10 * f.std, high: f.mean + 10 * f.std, rule: 'z' });
    expect(farLimits({ ...f, min: 5, max: 5 }).rule).toBe('z');
  });

  it('counts, per source feature, the rows it imputes and why; crosses are left out', () => {
    const prep = fitPreprocessing(train, cfg);
    const batch = table([
      numbers('date', [t0, null, Number.POSITIVE_INFINITY, t0, t0, t0], 'timestamp'),
      numbers('delay', [1, 2, 3, 4, 5, 6]),
      // -5: log1p is NaN; NaN (not null): non-finite everywhere; 2000: far from 100..1000 (limit 1450); null: missing.
      { type: 'number', name: 'distance', values: Float64Array.from([-5, Number.NaN, 2000, 300, 1400, 0]), nulls: Uint8Array.from([0, 0, 0, 0, 0, 1]) },
      strings('origin', ['SFO', 'OAK', 'JFK', null, 'LAX', 'SFO']),
    ]);
    const enc = encodeTable(batch, prep);
    expect(enc.imputed).toEqual([
      { feature: 'origin', column: 'origin', missing: 1, nonFinite: 0, outOfVocabulary: 2, far: 0 },
      { feature: 'hour', column: 'date', missing: 1, nonFinite: 1, outOfVocabulary: 0, far: 0 },
      { feature: 'log_distance', column: 'distance', missing: 1, nonFinite: 2, outOfVocabulary: 0, far: 0 },
      { feature: 'distance', column: 'distance', missing: 1, nonFinite: 1, outOfVocabulary: 0, far: 1 },
      { feature: 'dist_bucket', column: 'distance', missing: 1, nonFinite: 1, outOfVocabulary: 0, far: 0 },
    ]);
    // What the counts describe: imputed rows sit at the mean (0) or id 0; far rows are encoded as given.
    expect(Array.from(enc.inputs[0]!)).toEqual([1, 0, 0, 0, 2, 1]);
    expect(enc.inputs[2]![0]).toBe(0);
    expect(enc.inputs[2]![1]).toBe(0);
    const d = numeric(prep.features[3]);
    expect(enc.inputs[3]![2]).toBeCloseTo((2000 - d.mean) / d.std, 4);
    // log1p(2000) = 7.6 is within log1p's limits (4.61 - 1.15 .. 6.91 + 1.15): far is judged in the feature's own units.
    expect(enc.imputed[2]!.far).toBe(0);
  });

  it('clean data counts zero; training rows are never far from their own range', () => {
    const prep = fitPreprocessing(train, cfg);
    const enc = encodeTable(train, prep);
    expect(enc.imputed.map((c) => c.far + c.nonFinite)).toEqual([0, 0, 0, 0, 0]);
    expect(enc.imputed[0]).toMatchObject({ missing: 1, outOfVocabulary: 1 });
  });

  it('older preprocessing.json without the new fields loads and encodes as before; far by |z| > 10', () => {
    const prep = JSON.parse(JSON.stringify(fitPreprocessing(train, cfg)));
    for (const f of prep.features) {
      delete f.min;
      delete f.max;
      delete f.outOfVocabularyShare;
    }
    const d = numeric(prep.features[3]);
    const far = d.mean + 10.5 * d.std;
    const batch = table([
      numbers('date', [t0, t0], 'timestamp'),
      numbers('delay', [1, 2]),
      numbers('distance', [2000, far]),
      strings('origin', ['SFO', 'SFO']),
    ]);
    const enc = encodeTable(batch, prep);
    expect(enc.imputed[3]).toMatchObject({ far: 1 });
    expect(enc.inputs[3]![1]).toBeCloseTo(10.5, 4);
  });

  it('the observer hears of each imputed or far row with its reason and transformed value', () => {
    const prep = fitPreprocessing(train, cfg);
    const batch = table([numbers('distance', [-5, 300, 5000, null])]);
    const seen: Array<[number, string, number]> = [];
    const { counts } = encodeFeatureColumn(batch, prep.features[3]!, (row, reason, x) => seen.push([row, reason, x]));
    expect(seen).toEqual([[2, 'far', 5000]]);
    expect(counts).toMatchObject({ missing: 1, far: 1, nonFinite: 0 });
    seen.length = 0;
    encodeFeatureColumn(batch, prep.features[2]!, (row, reason, x) => seen.push([row, reason, x]));
    // log1p(5000) = 8.52 is beyond log1p's upper limit 6.91 + (6.91 - 4.62) / 2 = 8.06.
    expect(seen).toEqual([
      [0, 'nonFinite', Number.NaN],
      [2, 'far', Math.log1p(5000)],
    ]);
    expect(() => encodeFeatureColumn(table([strings('distance', ['x'])]), prep.features[3]!)).toThrow(
      'feature "distance": column "distance" is string, the model expects numbers',
    );
  });
});
