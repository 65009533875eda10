/**
 * The pure decisions of `ct init`: which columns become features and how, which are left
 * out and why, the task, the split, the gates.
 */
import { isUserError } from '../../src/errors.js';
import { type ColumnSummary, type DataSummary, decideColumn, embeddingWidth, MIN_CLASS_ROWS, suggestConfig } from '../../src/init/suggest.js';

const ROWS = 1000;
const DAY = 86_400_000;

function num(name: string, over: Partial<ColumnSummary> & { min?: number; max?: number; integer?: boolean; skewness?: number } = {}): ColumnSummary {
  const { min = 0, max = 100, integer = false, skewness = 0, ...rest } = over;
  return { name, type: 'number', rows: ROWS, nulls: 0, distinct: 400, numeric: { min, max, integer, skewness }, ...rest };
}
function str(name: string, frequencies: Record<string, number>, over: Partial<ColumnSummary> = {}): ColumnSummary {
  return { name, type: 'string', rows: ROWS, nulls: 0, distinct: Object.keys(frequencies).length, frequencies, ...over };
}
function classes(n: number, each = ROWS / n): Record<string, number> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`c${i}`, each]));
}
function data(columns: ColumnSummary[], partitions: DataSummary['partitions'] = null): DataSummary {
  return { rows: ROWS, columns, partitions };
}
const request = { name: 'm', dataPath: 'data/m/m.csv' };

describe('suggestConfig: columns', () => {
  it('leaves identifier-like and constant columns out, each with a reason', () => {
    const s = suggestConfig(
      data([
        num('user_id', { distinct: ROWS, integer: true, min: 17, max: 90_000 }),
        num('row', { distinct: ROWS, integer: true, min: 0, max: ROWS - 1 }),
        str('order_key', classes(ROWS, 1)),
        str('comment', classes(900, 1)),
        str('country', { DE: ROWS }),
        num('empty', { nulls: ROWS, distinct: 0 }),
        num('amount'),
        str('label', { yes: 300, no: 700 }),
      ]),
      { ...request, label: 'label' },
    );
    expect(s.features.map((f) => f.column)).toEqual(['amount']);
    const reasons = Object.fromEntries(s.skipped.map((k) => [k.column, k.reason]));
    expect(reasons.user_id).toMatch(/^identifier-like \(name/);
    expect(reasons.row).toMatch(/^identifier-like \(a running number/);
    expect(reasons.order_key).toMatch(/^identifier-like/);
    expect(reasons.comment).toMatch(/^nearly one value per row/);
    expect(reasons.country).toMatch(/^constant/);
    expect(reasons.empty).toMatch(/^always empty/);
  });

  it('strings with few values are categorical with an embedding; numbers are normalised, log1p when skewed and non-negative', () => {
    const s = suggestConfig(
      data([str('city', classes(40)), num('price', { min: 0, max: 1e6, skewness: 8 }), num('temperature', { min: -20, max: 40, skewness: 3 }), num('y')]),
      { ...request, label: 'y' },
    );
    expect(s.features).toEqual([
      expect.objectContaining({ name: 'city', column: 'city', embedding: embeddingWidth(40), maxVocabulary: 40 }),
      expect.objectContaining({ name: 'log_price', column: 'price', transform: 'log1p' }),
      expect.objectContaining({ name: 'temperature', column: 'temperature' }),
    ]);
    expect(s.features[2]!.transform).toBeUndefined(); // negative values: no log
    expect(embeddingWidth(3)).toBe(3);
    expect(embeddingWidth(10_000)).toBe(16);
  });

  it('a timestamp gives hour of day only with times of day, day of week only for dense days, and becomes data.timestamp', () => {
    const hourly = { name: 't', type: 'timestamp' as const, rows: ROWS, nulls: 0, distinct: ROWS, time: { min: 0, max: 41 * DAY, distinctDays: 42, hasTimeOfDay: true } };
    expect(decideColumn(hourly, ROWS, true)).toEqual({ features: [expect.objectContaining({ transform: 'hourOfDay' }), expect.objectContaining({ transform: 'dayOfWeek' })] });
    const daily = { ...hourly, time: { ...hourly.time, hasTimeOfDay: false } };
    expect(decideColumn(daily, ROWS, true)).toEqual({ features: [expect.objectContaining({ transform: 'dayOfWeek' })] });
    const yearly = { ...hourly, time: { min: 0, max: 4383 * DAY, distinctDays: 12, hasTimeOfDay: false } };
    expect(decideColumn(yearly, ROWS, true)).toEqual({ skip: expect.stringMatching(/without a daily or weekly pattern.*kept as data\.timestamp/) });
    const s = suggestConfig(data([hourly, num('x'), num('y')]), { ...request, label: 'y' });
    expect(s.timestamp).toBe('t');
    expect(s.data.split).toEqual({ method: 'time', evaluationDays: 7 });
  });

  it('the label is never a feature', () => {
    const s = suggestConfig(data([num('x'), num('delay')]), { ...request, label: 'delay > 15' });
    expect(s.features.map((f) => f.column)).toEqual(['x']);
  });
});

describe('suggestConfig: task, split and gates', () => {
  it('infers the task from the label', () => {
    const cols = [num('x'), num('delay'), str('two', { a: 600, b: 400 }), str('three', classes(3, 300)), { name: 'ok', type: 'boolean' as const, rows: ROWS, nulls: 0, distinct: 2, frequencies: { true: 300, false: 700 } }, num('flag', { distinct: 2, integer: true, min: 0, max: 1 })];
    const t = (label: string) => suggestConfig(data(cols), { ...request, label });
    expect(t('delay > 15')).toMatchObject({ task: 'binary', label: 'delay > 15' });
    expect(t('ok').task).toBe('binary');
    expect(t('flag').task).toBe('binary');
    // A two-valued string: the rarer value is the positive class, as a comparison ct parses.
    expect(t('two')).toMatchObject({ task: 'binary', label: 'two == "b"' });
    expect(t('three')).toMatchObject({ task: 'multiclass', classes: ['c0', 'c1', 'c2'] });
    expect(t('delay').task).toBe('regression');
    expect(suggestConfig(data(cols), { ...request, label: 'two', task: 'multiclass' }).task).toBe('multiclass');
  });

  it('a class with too few rows is a user error naming the class and its count', () => {
    const cols = [num('x'), str('species', { a: 500, b: 497, c: MIN_CLASS_ROWS - 2 })];
    let error: unknown;
    try {
      suggestConfig(data(cols), { ...request, label: 'species' });
    } catch (e) {
      error = e;
    }
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toBe(`--label: class "c" of column "species" has 3 rows; each class needs at least ${MIN_CLASS_ROWS} (merge or drop it)`);
  });

  it('labels the data cannot support are user errors', () => {
    const cols = [num('x'), str('s', classes(3, 300))];
    expect(() => suggestConfig(data(cols), { ...request, label: 'nope' })).toThrow(/^--label: column "nope" is not in the data/);
    expect(() => suggestConfig(data(cols), { ...request, label: 's', task: 'regression' })).toThrow(/^--task regression/);
    expect(() => suggestConfig(data(cols), { ...request, label: 'x', task: 'binary' })).toThrow(/write a comparison/);
  });

  it('splits by time over daily partitions, else by a seeded hash', () => {
    expect(suggestConfig(data([num('x'), num('y')], { count: 60, first: '2001-01-01', last: '2001-03-01' }), { ...request, label: 'y' }).data).toMatchObject({ window: { newestDays: 28 }, split: { method: 'time', evaluationDays: 6 } });
    expect(suggestConfig(data([num('x'), num('y')], { count: 15, first: '2001-01-01', last: '2001-01-15' }), { ...request, label: 'y' }).data.split).toEqual({ method: 'time', evaluationDays: 3 });
    expect(suggestConfig(data([num('x'), num('y')]), { ...request, label: 'y' }).data.split).toEqual({ method: 'hash', evaluationFraction: 0.2, seed: 42 });
  });

  it('gates suit the task and never include latency', () => {
    const cols = [num('x'), num('y', { min: 0, max: 50 }), str('k', { a: 500, b: 300, c: 200 })];
    const metrics = (label: string) => suggestConfig(data(cols), { ...request, label }).gates.map((g) => g.gate);
    expect(metrics('y > 3')).toEqual([{ metric: 'auc', lowerBound: 0.6 }, { metric: 'auc', significance: { test: 'nonInferiority', margin: 0.01 } }]);
    expect(metrics('k')).toEqual([{ metric: 'accuracy', lowerBound: 0.55 }, { metric: 'accuracy', significance: { test: 'nonInferiority', margin: 0.02 } }]);
    expect(metrics('y')).toEqual([{ metric: 'r2', lowerBound: 0.3 }, { metric: 'rmse', significance: { test: 'nonInferiority', margin: 0.5 } }]);
  });

  it('sizes training to the rows', () => {
    const small = suggestConfig(data([num('x'), num('y')]), { ...request, label: 'y' });
    expect(small.training).toMatchObject({ batchSize: 32, epochs: 40 });
    const big = suggestConfig({ ...data([num('x', { rows: 5e6 }), num('y', { rows: 5e6 })]), rows: 5e6 }, { ...request, label: 'y' });
    expect(big.training).toMatchObject({ batchSize: 1024, maxRows: 2_000_000 });
  });
});
