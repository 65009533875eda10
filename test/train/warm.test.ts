/**
 * Warm starts: the grown preprocessing keeps every id and scale the parent's weights
 * were trained on, the seeded model computes exactly what its parent did (new
 * categories as the parent's out-of-vocabulary, refreshed scales folded into the first
 * layer), and the decision between a warm start and a full retrain.
 */
import * as tf from '../../src/tf.js';
import type { TrainingRecord } from '../../src/artifacts.js';
import { encodeTable, fitPreprocessing, type NumericFeature, type Preprocessing } from '../../src/features/preprocessing.js';
import { warmPreprocessing, warmStartMismatch } from '../../src/features/warm.js';
import { selectBackend } from '../../src/train/backend.js';
import { buildModel } from '../../src/train/model.js';
import { predictRows } from '../../src/train/predict.js';
import { decideStart, lastTrainingDay, type ParentModel, startRecord } from '../../src/train/start.js';
import { seedFromParent } from '../../src/train/warm.js';
import { delayConfig, numberColumn, stringColumn, tableOf } from '../helpers.js';

const FEATURES = [
  { name: 'origin', column: 'origin', embedding: 3 },
  { name: 'distance', column: 'distance', transform: 'log1p' },
  { name: 'hour', column: 'date', transform: 'hourOfDay', embedding: 2 },
  { name: 'route', cross: ['origin', 'hour'], hashBuckets: 16, embedding: 2 },
];
const config = delayConfig(FEATURES);

function flights(origins: string[], distances: number[], hours: number[]) {
  return tableOf([
    stringColumn('origin', origins),
    numberColumn('distance', distances),
    numberColumn(
      'date',
      hours.map((h) => Date.UTC(2001, 0, 1, h)),
      'timestamp',
    ),
    numberColumn(
      'delay',
      hours.map((h, i) => ((h + i) % 3) * 10),
    ),
  ]);
}

const parentTable = flights(['ORD', 'ATL', 'ORD', 'DFW', 'ATL', 'ORD'], [700, 500, 900, 1200, 300, 650], [7, 9, 13, 18, 21, 6]);
// A new airport (SEA), longer flights: the vocabulary grows and the scale moves.
const newTable = flights(['SEA', 'ORD', 'SEA', 'ATL', 'ORD'], [2400, 800, 2100, 450, 1000], [8, 10, 15, 19, 22]);

describe('warm-start preprocessing', () => {
  const parent = fitPreprocessing(parentTable, config);
  const fresh = fitPreprocessing(newTable, config);

  it('keeps the parent ids and appends new values; ranges become the union', () => {
    const warm = warmPreprocessing(parent, fresh, 'carry');
    const origin = warm.preprocessing.features[0]!;
    expect(origin.kind === 'categorical' && origin.vocabulary).toEqual(['ORD', 'ATL', 'DFW', 'SEA']);
    expect(origin.kind === 'categorical' && origin.cardinality).toBe(5);
    expect(warm.grown).toEqual({ origin: ['SEA'] });
    const distance = warm.preprocessing.features[1] as NumericFeature;
    const [p, f] = [parent.features[1] as NumericFeature, fresh.features[1] as NumericFeature];
    expect({ mean: distance.mean, std: distance.std }).toEqual({ mean: p.mean, std: p.std });
    expect(distance.min).toBe(Math.min(p.min!, f.min!));
    expect(distance.max).toBe(Math.max(p.max!, f.max!));
    expect(warm.rescaled).toEqual([]);
    expect(warm.preprocessing.label).toEqual(parent.label);
  });

  it("refresh takes the new rows' statistics and says which features moved", () => {
    const warm = warmPreprocessing(parent, fresh, 'refresh');
    const distance = warm.preprocessing.features[1] as NumericFeature;
    expect(distance.mean).toBe((fresh.features[1] as NumericFeature).mean);
    expect(warm.rescaled.map((r) => r.feature)).toEqual(['distance']);
  });

  it('names what a parent cannot seed: another feature list, width, transform, classes', () => {
    expect(warmStartMismatch(parent, fresh)).toBeNull();
    const wider = fitPreprocessing(newTable, delayConfig([{ ...FEATURES[0], embedding: 4 }, ...FEATURES.slice(1)]));
    expect(warmStartMismatch(parent, wider)).toBe('feature "origin": embedding 3 -> 4');
    const fewer = fitPreprocessing(newTable, delayConfig(FEATURES.slice(0, 2)));
    expect(warmStartMismatch(parent, fewer)).toMatch(/^the features changed \(origin, distance, hour, route -> origin, distance\)$/);
    const plain = fitPreprocessing(newTable, delayConfig([FEATURES[0]!, { name: 'distance', column: 'distance' }, ...FEATURES.slice(2)]));
    expect(warmStartMismatch(parent, plain)).toBe('feature "distance": transform log1p -> none');
    const buckets = fitPreprocessing(newTable, delayConfig([...FEATURES.slice(0, 3), { ...FEATURES[3], hashBuckets: 32 }]));
    expect(warmStartMismatch(parent, buckets)).toBe('feature "route": cardinality 17 -> 33');
    const multi: Preprocessing = { ...parent, task: 'multiclass' };
    expect(warmStartMismatch(parent, multi)).toBe('the task changed (binary -> multiclass)');
    // The hour on another clock is another input: each hour id would mean another hour.
    const zoned = fitPreprocessing(newTable, { ...delayConfig(FEATURES), data: { ...delayConfig(FEATURES).data, timezone: 'Europe/Berlin' } });
    expect(warmStartMismatch(parent, zoned)).toBe('feature "hour": time zone UTC -> Europe/Berlin');
  });
});

describe('a seeded model', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  // A hashed cross reads the new id, so a new category's rows land in other cross buckets;
  // without crosses every row is the parent's, with them the rows of known categories are.
  const cases = [
    ['carry', 'no cross', delayConfig(FEATURES.slice(0, 3)), [0, 1, 2, 3, 4]],
    ['refresh', 'no cross', delayConfig(FEATURES.slice(0, 3)), [0, 1, 2, 3, 4]],
    ['refresh', 'a cross', config, [1, 3, 4]],
  ] as const;
  it.each(cases)("computes what its parent did (%s, %s), a new category as the parent's out-of-vocabulary", (statistics, _what, cfg, same) => {
    const parentPrep = fitPreprocessing(parentTable, cfg);
    const parentModel = buildModel(parentPrep, cfg.model, 1);
    const warm = warmPreprocessing(parentPrep, fitPreprocessing(newTable, cfg), statistics);
    const child = buildModel(warm.preprocessing, cfg.model, 2);
    seedFromParent(child, parentModel, warm.preprocessing, warm.rescaled);

    const before = predictRows(parentModel, encodeTable(newTable, parentPrep));
    const after = predictRows(child, encodeTable(newTable, warm.preprocessing));
    for (const i of same) expect(after[i]).toBeCloseTo(before[i]!, 6);
    // SEA has its own embedding row now (id 4), started as the parent's row 0.
    const embedding = child.getLayer('origin_embedding').getWeights()[0]!.arraySync() as number[][];
    expect(embedding).toHaveLength(5);
    expect(embedding[4]).toEqual(embedding[0]);
    // Without the seeding, the child is another model.
    const unseeded = buildModel(warm.preprocessing, cfg.model, 2);
    const other = predictRows(unseeded, encodeTable(newTable, warm.preprocessing));
    expect(Math.max(...other.map((v, i) => Math.abs(v - before[i]!)))).toBeGreaterThan(1e-3);
    tf.dispose([parentModel, child, unseeded] as unknown as tf.Tensor[]);
  });
});

describe('warm start or full retrain', () => {
  const warmStart = { enabled: true, epochs: 1, statistics: 'carry' as const, fullRetrainDays: 28, fullOnDrift: true };
  const model = { hidden: [64, 64], activation: 'relu' as const, dropout: 0 };
  const record = (last: string, start?: TrainingRecord['start']): ParentModel['record'] => ({
    data: { trainParts: ['2001-01-20', last] } as TrainingRecord['data'],
    hyperparameters: { model } as TrainingRecord['hyperparameters'],
    ...(start === undefined ? {} : { start }),
  });
  const parent: ParentModel = { version: 'v2', record: record('2001-02-01') };
  const input = { warmStart, update: false, parent, model, newestDay: '2001-02-08', drift: false };

  it('warm-starts from production and records the chain back to the full retrain', () => {
    const plan = decideStart(input);
    expect(plan).toMatchObject({ mode: 'warm', chain: ['v2'], fullRetrainDay: '2001-02-01', reason: 'training.warmStart.enabled: from production v2' });
    const chained = decideStart({
      ...input,
      parent: { version: 'v3', record: record('2001-02-05', { ...startRecord(plan, 1), mode: 'warm' }) },
    });
    expect(chained).toMatchObject({ mode: 'warm', chain: ['v3', 'v2'], fullRetrainDay: '2001-02-01' });
    expect(startRecord(chained, 1, { origin: ['SEA', 'BOS'] }, ['distance'])).toEqual({
      mode: 'warm',
      reason: 'training.warmStart.enabled: from production v3',
      parent: 'v3',
      chain: ['v3', 'v2'],
      fullRetrainDay: '2001-02-01',
      epochs: 1,
      grown: { origin: 2 },
      rescaled: ['distance'],
    });
  });

  it('retrains in full when asked for nothing else, or when something says so', () => {
    expect(decideStart({ ...input, warmStart: { ...warmStart, enabled: false } })).toEqual({ mode: 'full', reason: 'training.warmStart.enabled is false' });
    expect(decideStart({ ...input, warmStart: { ...warmStart, enabled: false }, update: true }).mode).toBe('warm');
    expect(decideStart({ ...input, parent: null })).toEqual({ mode: 'full', reason: 'no production model to start from' });
    expect(decideStart({ ...input, model: { ...model, hidden: [32] } })).toEqual({
      mode: 'full',
      reason: 'the model changed since production v2 (model.hidden [64,64] -> [32])',
    });
    expect(decideStart({ ...input, newestDay: '2001-03-01' })).toEqual({
      mode: 'full',
      reason: 'the last full retrain trained through 2001-02-01, 28 days before 2001-03-01 (training.warmStart.fullRetrainDays: 28)',
    });
    expect(decideStart({ ...input, newestDay: '2001-03-01', warmStart: { ...warmStart, fullRetrainDays: 0 } }).mode).toBe('warm');
    expect(decideStart({ ...input, drift: true }).reason).toBe('validation found dataset drift (training.warmStart.fullOnDrift)');
    expect(decideStart({ ...input, drift: true, warmStart: { ...warmStart, fullOnDrift: false } }).mode).toBe('warm');
    expect(decideStart({ ...input, full: 'told so' })).toEqual({ mode: 'full', reason: 'told so' });
  });

  it('reads the last training day of daily partitions only', () => {
    expect(lastTrainingDay(record('2001-02-01'))).toBe('2001-02-01');
    expect(lastTrainingDay({ data: { trainParts: ['data/all.csv'] } as TrainingRecord['data'] })).toBeNull();
  });
});
