/**
 * The pure decisions of `ct init`: which columns become features and how, which are left
 * out and why, the task, the split, the gates.
 */
import { parse } from 'yaml';
import { checkConfig } from '../../src/config/load.js';
import { isUserError } from '../../src/errors.js';
import { LABEL_COLUMN, PREDICTION_COLUMN } from '../../src/features/derived.js';
import { renderConfig } from '../../src/init/render.js';
import {
  type ColumnSummary,
  type DataSummary,
  DEFAULT_MIN_SLICE_ROWS,
  decideColumn,
  embeddingWidth,
  MAX_SLICES,
  MAX_VOCABULARY,
  MIN_CLASS_ROWS,
  MIN_SLICE_ROWS,
  parseLabelRequest,
  suggestConfig,
} from '../../src/init/suggest.js';

const ROWS = 1000;
const DAY = 86_400_000;

function num(
  name: string,
  over: Partial<ColumnSummary> & { min?: number; max?: number; integer?: boolean; std?: number; skewness?: number } = {},
): ColumnSummary {
  const { min = 0, max = 100, integer = false, std = (max - min) / 4, skewness = 0, ...rest } = over;
  return { name, type: 'number', rows: ROWS, nulls: 0, distinct: 400, numeric: { min, max, integer, std, skewness }, ...rest };
}
function str(name: string, frequencies: Record<string, number>, over: Partial<ColumnSummary> = {}): ColumnSummary {
  return { name, type: 'string', rows: ROWS, nulls: 0, distinct: Object.keys(frequencies).length, frequencies, ...over };
}
function bool(name: string, t: number, f: number): ColumnSummary {
  return { name, type: 'boolean', rows: ROWS, nulls: ROWS - t - f, distinct: 2, frequencies: { true: t, false: f } };
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

  it('integers named as identifiers that repeat (a store, a product) are categories with an embedding, not quantities', () => {
    const s = suggestConfig(data([num('store_id', { distinct: 40, integer: true, min: 1, max: 40 }), num('amount'), num('y')]), { ...request, label: 'y' });
    expect(s.features[0]).toEqual(expect.objectContaining({ column: 'store_id', kind: 'categorical', embedding: embeddingWidth(40) }));
    // No cap at the 40 seen: the default vocabulary has room for the store that opens next month.
    expect(s.features[0]!.maxVocabulary).toBeUndefined();
    expect(s.features[0]!.reason).toMatch(/^integer identifiers/);
    expect(s.features[1]).toEqual(expect.objectContaining({ column: 'amount' }));
    expect(s.features[1]!.kind).toBeUndefined();
  });

  it('a category of more values than the default vocabulary keeps is capped there, and says so', () => {
    const s = suggestConfig(data([num('store_id', { distinct: 1500, integer: true, min: 1, max: 1500, rows: 100_000 }), num('y')]), { ...request, label: 'y' });
    expect(s.features[0]).toEqual(expect.objectContaining({ column: 'store_id', kind: 'categorical', maxVocabulary: MAX_VOCABULARY }));
    expect(s.features[0]!.reason).toContain(`1500 distinct values (the ${MAX_VOCABULARY} most frequent kept)`);
  });

  it('ids of daily snapshots (each customer on one row a day) are identifiers, though over all days they repeat like a category', () => {
    // 10 partitions of ~100 customers: 180 ids over 1,000 rows, none on more rows than there are days.
    const partitions = { count: 10, first: '2026-03-01', last: '2026-03-10' };
    const s = suggestConfig(
      data(
        [
          str('customer_id', classes(180, 1000 / 180), { mostRows: 10 }),
          num('account_id', { distinct: 180, integer: true, min: 1, max: 180, mostRows: 10 }),
          // A product bought many times a day is a category; a measurement that never repeats in a day is a number.
          str('product', classes(150, 1000 / 150), { mostRows: 40 }),
          num('temperature', { distinct: 700, mostRows: 3 }),
          num('y'),
        ],
        partitions,
      ),
      { ...request, label: 'y' },
    );
    const reasons = Object.fromEntries(s.skipped.map((k) => [k.column, k.reason]));
    expect(reasons.customer_id).toMatch(/^identifier-like \(one row each a day: 180 distinct values, none on more rows than the 10 partitions\)/);
    expect(reasons.account_id).toMatch(/^identifier-like \(name, one row each a day/);
    expect(s.features.map((f) => f.column)).toEqual(['product', 'temperature']);
  });

  it('integers named as codes (a merchant category, a postal code) are categories too; a count is not', () => {
    const s = suggestConfig(
      data([
        num('mcc', { distinct: 300, integer: true, min: 742, max: 9_402 }),
        num('zip_code', { distinct: 900, integer: true, min: 1_001, max: 99_950 }),
        num('item_count', { distinct: 30, integer: true, min: 1, max: 30 }),
        num('y'),
      ]),
      { ...request, label: 'y' },
    );
    const byColumn = Object.fromEntries(s.features.map((f) => [f.column, f]));
    expect(byColumn.mcc).toEqual(expect.objectContaining({ kind: 'categorical', embedding: expect.any(Number) }));
    expect(byColumn.mcc!.reason).toMatch(/^integer codes \(by name\), categories, not quantities/);
    expect(byColumn.zip_code!.kind).toBe('categorical');
    expect(byColumn.item_count!.kind).toBeUndefined();
  });

  it('strings with few values are categorical with an embedding; numbers are normalised, log1p when skewed and non-negative', () => {
    const s = suggestConfig(
      data([str('city', classes(40)), num('price', { min: 0, max: 1e6, skewness: 8 }), num('temperature', { min: -20, max: 40, skewness: 3 }), num('y')]),
      { ...request, label: 'y' },
    );
    expect(s.features).toEqual([
      expect.objectContaining({ name: 'city', column: 'city', embedding: embeddingWidth(40) }),
      expect.objectContaining({ name: 'log_price', column: 'price', transform: 'log1p' }),
      expect.objectContaining({ name: 'temperature', column: 'temperature' }),
    ]);
    expect(s.features[2]!.transform).toBeUndefined(); // negative values: no log
    // A rare 0/1 flag is skewed too, but a log of a flag only rescales it: kept as is.
    const flagged = suggestConfig(data([num('returned', { min: 0, max: 1, integer: true, skewness: 2.7, distinct: 2 }), num('y')]), { ...request, label: 'y' });
    expect(flagged.features).toEqual([expect.objectContaining({ name: 'returned', column: 'returned', reason: 'a flag of two values (0 and 1), as is' })]);
    expect(flagged.features[0]!.transform).toBeUndefined();
    expect(embeddingWidth(3)).toBe(3);
    expect(embeddingWidth(10_000)).toBe(16);
  });

  it('a timestamp gives hour of day only with times of day, day of week only for dense days, and becomes data.timestamp', () => {
    const hourly = {
      name: 't',
      type: 'timestamp' as const,
      rows: ROWS,
      nulls: 0,
      distinct: ROWS,
      time: { min: 0, max: 41 * DAY, distinctDays: 42, hasTimeOfDay: true },
    };
    expect(decideColumn(hourly, ROWS, true)).toEqual({
      features: [expect.objectContaining({ transform: 'hourOfDay' }), expect.objectContaining({ transform: 'dayOfWeek' })],
    });
    const daily = { ...hourly, time: { ...hourly.time, hasTimeOfDay: false } };
    expect(decideColumn(daily, ROWS, true)).toEqual({ features: [expect.objectContaining({ transform: 'dayOfWeek' })] });
    const yearly = { ...hourly, time: { min: 0, max: 4383 * DAY, distinctDays: 12, hasTimeOfDay: false } };
    expect(decideColumn(yearly, ROWS, true)).toEqual({ skip: expect.stringMatching(/without a daily or weekly pattern.*kept as data\.timestamp/) });
    const s = suggestConfig(data([hourly, num('x'), num('y')]), { ...request, label: 'y' });
    expect(s.timestamp).toBe('t');
    // ~24 rows a day: a fifth of the 42 days (8), not just a week, so the evaluation has rows.
    expect(s.data.split).toEqual({ method: 'time', evaluationDays: 8 });
  });

  it('the label is never a feature', () => {
    const s = suggestConfig(data([num('x'), num('delay')]), { ...request, label: 'delay > 15' });
    expect(s.features.map((f) => f.column)).toEqual(['x']);
  });
});

describe('suggestConfig: task, split and gates', () => {
  it('infers the task from the label', () => {
    const cols = [
      num('x'),
      num('delay'),
      str('two', { a: 600, b: 400 }),
      str('three', classes(3, 300)),
      { name: 'ok', type: 'boolean' as const, rows: ROWS, nulls: 0, distinct: 2, frequencies: { true: 300, false: 700 } },
      num('flag', { distinct: 2, integer: true, min: 0, max: 1 }),
    ];
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

  it('a label the same in every row, or a comparison of another type, is a user error: nothing to predict', () => {
    const cols = [
      num('x'),
      num('amount', { min: 3.8, max: 203_870 }),
      num('late', { distinct: 1, integer: true, min: 0, max: 0 }),
      str('segment', { smb: 600, mid: 400 }),
      { name: 'ok', type: 'boolean' as const, rows: ROWS, nulls: 0, distinct: 1, frequencies: { false: ROWS } },
      { name: 'at', type: 'timestamp' as const, rows: ROWS, nulls: 0, distinct: 900, time: { min: 0, max: 5 * DAY, distinctDays: 5, hasTimeOfDay: true } },
    ];
    const refused = (label: string): string => {
      try {
        suggestConfig(data(cols), { ...request, label });
      } catch (e) {
        expect(isUserError(e)).toBe(true);
        return (e as Error).message;
      }
      throw new Error(`${label} was accepted`);
    };
    // A label not joined yet: every row 0 (or false).
    expect(refused('late')).toBe('--label: column "late" is 0 in every row; there is nothing to predict');
    expect(refused('ok')).toBe('--label: column "ok" is false in every row; there is nothing to predict');
    // A threshold in other units, a value no row holds.
    expect(refused('amount > 1000000000')).toMatch(/^--label: "amount > 1000000000" is false in every row: there is nothing to predict/);
    expect(refused('amount >= 1')).toMatch(/^--label: "amount >= 1" is true in every row/);
    expect(refused('amount == -5')).toMatch(/^--label: "amount == -5" is false in every row/);
    expect(refused('segment == "galactic"')).toMatch(/^--label: "segment == "galactic"" is false in every row/);
    expect(refused('segment != "galactic"')).toMatch(/is true in every row/);
    // A comparison of another type: a string column compared with a number, a time with a string.
    expect(refused('segment > 3')).toBe('--label: "segment > 3" compares "segment", a string column, with a number: every row would get the same class');
    expect(refused('at > "2026-01-01"')).toMatch(/compares "at", a timestamp column, with a string/);
    // Rows on both sides are accepted.
    for (const label of ['amount > 10000', 'amount == 500', 'segment == "mid"', 'segment != "smb"'])
      expect(suggestConfig(data(cols), { ...request, label }).task).toBe('binary');
  });

  it('labels the data cannot support are user errors', () => {
    const cols = [num('x'), str('s', classes(3, 300))];
    expect(() => suggestConfig(data(cols), { ...request, label: 'nope' })).toThrow(/^--label: column "nope" is not in the data/);
    expect(() => suggestConfig(data(cols), { ...request, label: 's', task: 'regression' })).toThrow(/^--task regression/);
    expect(() => suggestConfig(data(cols), { ...request, label: 'x', task: 'binary' })).toThrow(/write a comparison/);
  });

  it('splits by time over daily partitions, else by a seeded hash', () => {
    const sixtyDays = { count: 60, first: '2001-01-01', last: '2001-03-01' };
    // Large data: the newest 28 days, evaluated on their newest 6 (a week holds plenty of rows).
    expect(
      suggestConfig({ ...data([num('x', { rows: 600_000 }), num('y', { rows: 600_000 })], sixtyDays), rows: 600_000 }, { ...request, label: 'y' }).data,
    ).toMatchObject({ window: { newestDays: 28 }, split: { method: 'time', evaluationDays: 6 } });
    // Small data: every day kept, a fifth of them evaluates.
    const small = suggestConfig(data([num('x'), num('y')], sixtyDays), { ...request, label: 'y' });
    expect(small.data.window).toBeUndefined();
    expect(small.data.split).toEqual({ method: 'time', evaluationDays: 12 });
    expect(small.data.splitReason).toBe('evaluate on the newest 12 days of 60 (~200 rows), as production will meet new days');
    expect(suggestConfig(data([num('x'), num('y')], { count: 15, first: '2001-01-01', last: '2001-01-15' }), { ...request, label: 'y' }).data.split).toEqual({
      method: 'time',
      evaluationDays: 3,
    });
    expect(suggestConfig(data([num('x'), num('y')]), { ...request, label: 'y' }).data.split).toEqual({ method: 'hash', evaluationFraction: 0.2, seed: 42 });
  });

  it('gates suit the task and never include latency', () => {
    const cols = [num('x'), num('y', { min: 0, max: 50 }), str('k', { a: 500, b: 300, c: 200 })];
    const metrics = (label: string) => suggestConfig(data(cols), { ...request, label }).gates.map((g) => g.gate);
    expect(metrics('y > 3')).toEqual([
      { metric: 'auc', lowerBound: 0.6 },
      { metric: 'auc', significance: { test: 'nonInferiority', margin: 0.01 } },
    ]);
    // Better than always answering "a" (0.5) by three standard errors on the 200 evaluation rows a fifth of 1,000 gives.
    expect(metrics('k')).toEqual([
      { metric: 'accuracy', lowerBound: 0.606 },
      { metric: 'accuracy', significance: { test: 'nonInferiority', margin: 0.02 } },
    ]);
    // On 8,000 evaluation rows the majority's share is known to 0.0056: a model 0.02 above it is clearly no chance.
    const large = [num('x', { rows: 40_000 }), str('k', { a: 20_000, b: 12_000, c: 8_000 }, { rows: 40_000 })];
    const accuracy = suggestConfig({ ...data(large), rows: 40_000 }, { ...request, label: 'k' }).gates[0]!;
    expect(accuracy.gate).toEqual({ metric: 'accuracy', lowerBound: 0.517 });
    expect(accuracy.reason).toBe('better than always answering the most frequent class (a), 0.5, by 3 standard errors on ~8000 evaluation rows');
    // The rmse margin is 1% of the label's standard deviation (12.5 here), not of its range (50): a model's error is below the former.
    expect(metrics('y')).toEqual([
      { metric: 'r2', lowerBound: 0.3 },
      { metric: 'rmse', significance: { test: 'nonInferiority', margin: 0.125 } },
    ]);
  });

  it('sizes training to the rows', () => {
    const small = suggestConfig(data([num('x'), num('y')]), { ...request, label: 'y' });
    expect(small.training).toMatchObject({ batchSize: 32, epochs: 40 });
    const big = suggestConfig({ ...data([num('x', { rows: 5e6 }), num('y', { rows: 5e6 })]), rows: 5e6 }, { ...request, label: 'y' });
    expect(big.training).toMatchObject({ batchSize: 1024, maxRows: 2_000_000 });
  });
});

describe('suggestConfig: drift columns', () => {
  const hourly: ColumnSummary = {
    name: 't',
    type: 'timestamp',
    rows: ROWS,
    nulls: 0,
    distinct: ROWS,
    time: { min: 0, max: 41 * DAY, distinctDays: 42, hasTimeOfDay: true },
  };
  const cols = [
    hourly,
    num('user_id', { distinct: ROWS, integer: true, min: 17, max: 90_000 }),
    str('country', { DE: ROWS }),
    num('amount', { min: 0, max: 1e6, skewness: 8 }),
    str('city', classes(20)),
    num('delay'),
    str('species', classes(3, 300)),
  ];

  it('tests each input column once, never a left-out column or the timestamp; binary and regression add the label and prediction validate derives', () => {
    const s = suggestConfig(data(cols), { ...request, label: 'delay > 15' });
    // t feeds two features (hour, weekday) but is a timestamp: time always moves.
    expect(s.features.filter((f) => f.column === 't')).toHaveLength(2);
    expect(s.validation.drift.columns).toEqual(['amount', 'city', 'species', LABEL_COLUMN, PREDICTION_COLUMN]);
    // The label's own column would be tested again as an input and counted toward dataset drift.
    expect(s.validation.drift.columns).not.toContain('delay');
    expect(s.validation.drift.reason).toMatch(/left-out columns \(not inputs of the model\), the timestamp t \(time always moves\)/);
    expect(suggestConfig(data(cols), { ...request, label: 'delay' }).validation.drift.columns).toEqual([
      'amount',
      'city',
      'species',
      LABEL_COLUMN,
      PREDICTION_COLUMN,
    ]);
  });

  it('leaves out categoricals with more values than a batch can fill, five rows a value, saying why', () => {
    // ~190 rows a batch (8 evaluation days of 42): 20 cities are tested, 60 are not.
    const s = suggestConfig(data([...cols.filter((c) => c.name !== 'city'), str('city', classes(60))]), { ...request, label: 'delay > 15' });
    expect(s.features.map((f) => f.column)).toContain('city');
    expect(s.validation.drift.columns).not.toContain('city');
    expect(s.validation.drift.reason).toMatch(
      /, city \(60\): too many values for a batch of ~190 rows \(fewer than 5 a value; two samples of the same data would seem to drift\)\.$/,
    );
  });

  it('multiclass lists the label column itself: validate derives no label column for it', () => {
    const s = suggestConfig(data(cols), { ...request, label: 'species' });
    expect(s.validation.drift.columns).toEqual(['amount', 'city', 'delay', 'species']);
    for (const skipped of ['user_id', 'country', 't']) expect(s.validation.drift.columns).not.toContain(skipped);
  });
});

describe('suggestConfig: slices', () => {
  const slicesOf = (columns: ColumnSummary[], over: Partial<DataSummary> = {}) => {
    const rows = over.rows ?? ROWS;
    return suggestConfig({ ...data([...columns, num('y', { rows })]), ...over }, { ...request, label: 'y' }).evaluation;
  };

  it('string and true/false inputs with 2..12 values, each expected to fill a slice; at most 3, fewest values first', () => {
    // 1000 rows, a 20% hash split: ~200 evaluation rows, so minSliceRows 20 and a value needs ~30.
    const e = slicesOf([
      str('many', classes(5)), // 40 evaluation rows each
      str('skewed', { u: 700, v: 200, w: 100 }), // w: 20
      str('pair', { a: 500, b: 500 }),
      str('thirteen', classes(13)), // too many values
      str('dominant', { p: 900, q: 60, r: 40 }), // only p is large enough: no slice
      bool('flag', 600, 400),
      num('count', { distinct: 3, integer: true, min: 0, max: 2 }), // numbers are not sliced
    ]);
    expect(e.minSliceRows).toEqual({ value: 20, reason: expect.stringMatching(/^~200 labelled evaluation rows expected: a slice is scored from 20 rows/) });
    expect(e.slices).toHaveLength(MAX_SLICES);
    expect(e.slices).toEqual([
      { column: 'pair', values: ['a', 'b'], reason: 'all 2 values, each ≥ 100 evaluation rows expected (a 500, b 500 of 1000 rows)' },
      { column: 'flag', values: ['true', 'false'], reason: 'all 2 values, each ≥ 80 evaluation rows expected (true 600, false 400 of 1000 rows)' },
      { column: 'skewed', values: ['u', 'v'], reason: '2 of 3 values, each ≥ 40 evaluation rows expected (u 700, v 200 of 1000 rows; too few: w 100)' },
    ]);
  });

  it('a value must be expected to hold 1.5 times minSliceRows; fewer than two such values make no slice', () => {
    const e = slicesOf([str('k', { a: 700, b: 150, c: 150 }), str('j', { a: 880, b: 120 })]);
    // 150 rows: 30 evaluation rows expected, 1.5 x 20; 120 rows: 24.
    expect(e.slices.map((sl) => [sl.column, sl.values])).toEqual([['k', ['a', 'b', 'c']]]);
  });

  it('minSliceRows: a tenth of the evaluation rows, at least 10; left at the default on a large table', () => {
    const small = slicesOf([str('k', { a: 50, b: 50 }, { rows: 100 })], { rows: 100 });
    // 100 rows: ~20 evaluation rows, a value ~10, short of 1.5 x 10.
    expect(small).toEqual({ slices: [] });
    const tiny = slicesOf([str('k', { a: 100, b: 100 }, { rows: 200 })], { rows: 200 });
    expect(tiny.minSliceRows?.value).toBe(MIN_SLICE_ROWS);
    expect(tiny.slices.map((sl) => sl.column)).toEqual(['k']);
    const large = slicesOf([str('k', { a: 60_000, b: 40_000 }, { rows: 100_000 })], { rows: 100_000 });
    expect(large.minSliceRows).toBeUndefined(); // 20,000 evaluation rows: the default stands
    expect(DEFAULT_MIN_SLICE_ROWS).toBe(200);
    expect(large.slices.map((sl) => sl.values)).toEqual([['a', 'b']]);
    // Only labelled rows are scored: half the labels missing halves the evaluation rows.
    const halfLabelled = suggestConfig(data([str('k', { a: 500, b: 500 }), num('y', { nulls: ROWS / 2 })]), { ...request, label: 'y' }).evaluation;
    expect(halfLabelled.minSliceRows).toEqual({ value: 10, reason: expect.stringMatching(/^~100 labelled evaluation rows expected/) });
  });

  it("a time split expects the newest days' share of the rows; names the slice when the column is not a valid name", () => {
    // 60 daily partitions of ~17 rows, 12 evaluation days: ~200 evaluation rows of 1000, minSliceRows 20.
    const e = slicesOf([str('Home city', { Oslo: 600, Bergen: 300, Tromsø: 100 })], { partitions: { count: 60, first: '2001-01-01', last: '2001-03-01' } });
    expect(e.minSliceRows?.value).toBe(20);
    expect(e.slices).toEqual([
      {
        name: 'Home_city',
        column: 'Home city',
        values: ['Oslo', 'Bergen'],
        reason: expect.stringMatching(/^2 of 3 values, each ≥ 60 evaluation rows expected .*too few: Tromsø 100\)$/),
      },
    ]);
  });

  it('the label and left-out columns are never slices', () => {
    const e = suggestConfig(data([str('kind', { a: 500, b: 500 }), str('constant', { c: ROWS }), num('x')]), { ...request, label: 'kind' }).evaluation;
    expect(e.slices).toEqual([]);
  });
});

describe('renderConfig: drift columns and slices', () => {
  it('writes validation.drift.columns and evaluation.slices as the loader reads them back', () => {
    const cols = [str('Home city', { Oslo: 600, Bergen: 400 }), bool('member', 700, 300), str('id', classes(ROWS, 1)), num('x'), num('delay')];
    const s = suggestConfig(data(cols), { ...request, label: 'delay > 15' });
    const text = renderConfig(s, './schema.json', 'm.csv');
    const config = checkConfig('ct.config.yaml', parse(text));
    expect(config.validation.drift.columns).toEqual(['Home city', 'member', 'x', LABEL_COLUMN, PREDICTION_COLUMN]);
    expect(config.evaluation.slices).toEqual([
      { name: 'Home_city', column: 'Home city', values: ['Oslo', 'Bergen'] },
      // true/false values stay strings: a slice matches them as "true"/"false".
      { name: 'member', column: 'member', values: ['true', 'false'] },
    ]);
    expect(config.evaluation.minSliceRows).toBe(20);
    expect(config.gates.every((g) => g.slice === undefined)).toBe(true);
    expect(text).toMatch(/^ {2}# To gate one, give a gate `slice: Home_city` \(each of its values\) or `slice: Home_city=Oslo`\.$/m);
    // The reason, wrapped into comment lines just above the list.
    const comment = /((?:^ {4}# .*\n)+) {4}columns: \[/m
      .exec(text)![1]!
      .replace(/\n? {4}# /g, ' ')
      .trim();
    expect(comment).toBe(`Drift-tested: ${s.validation.drift.reason}`);
    expect(comment).toMatch(/Not tested: the left-out columns \(not inputs of the model\)\.$/);
  });

  it('says so when there are no slices, and leaves minSliceRows at the default', () => {
    const text = renderConfig(suggestConfig(data([num('x'), num('y')]), { ...request, label: 'y' }), './schema.json', 'm.csv');
    expect(text).toMatch(/# No slices: no string or true\/false input has 2-12 values/);
    expect(checkConfig('ct.config.yaml', parse(text)).evaluation).toMatchObject({ slices: [], minSliceRows: DEFAULT_MIN_SLICE_ROWS });
  });
});

describe('parseLabelRequest', () => {
  const columns = ['IMDB Rating', 'IMDB Votes', 'Title', 'delay'];

  it('takes a column by its exact name, spaces and all, and comparisons on such a column', () => {
    expect(parseLabelRequest('IMDB Rating', columns)).toEqual({ column: 'IMDB Rating', text: 'IMDB Rating' });
    expect(parseLabelRequest('IMDB Rating >= 7', columns)).toEqual({ column: 'IMDB Rating', op: '>=', value: 7, text: 'IMDB Rating >= 7' });
    expect(parseLabelRequest('Title == "Heat"', columns)).toEqual({ column: 'Title', op: '==', value: 'Heat', text: 'Title == "Heat"' });
    expect(parseLabelRequest('delay > 15', columns)).toEqual({ column: 'delay', op: '>', value: 15, text: 'delay > 15' });
  });

  it("anything else is the config's one-line error", () => {
    expect(() => parseLabelRequest('IMDB Rating > high', columns)).toThrow(/^--label: label: in "x > high", high is not a number/);
    expect(() => parseLabelRequest('Rating of IMDB', columns)).toThrow(/^--label: label: "Rating of IMDB" is not a column name or a comparison/);
  });

  it('a label on a column with spaces goes into the config in the object form, and loads', () => {
    const rows = 400;
    const cols: ColumnSummary[] = [
      { name: 'IMDB Rating', type: 'number', rows, nulls: 0, distinct: 80, numeric: { min: 1, max: 9.5, integer: false, std: 1.1, skewness: -0.5 } },
      { name: 'Running Time min', type: 'number', rows, nulls: 0, distinct: 120, numeric: { min: 60, max: 200, integer: true, std: 22, skewness: 0.8 } },
    ];
    const regression = suggestConfig({ rows, columns: cols, partitions: null }, { ...request, label: 'IMDB Rating' });
    expect(regression.labelConfig).toEqual({ column: 'IMDB Rating' });
    const binary = suggestConfig({ rows, columns: cols, partitions: null }, { ...request, label: 'IMDB Rating > 7' });
    expect(binary).toMatchObject({ task: 'binary', label: 'IMDB Rating > 7', labelConfig: { column: 'IMDB Rating', op: '>', value: 7 } });
    const text = renderConfig(binary, 'schema.json', 'movies.json');
    expect(text).toMatch(/^label: \{ column: "IMDB Rating", op: ">", value: 7 \} +# /m);
    expect(checkConfig('ct.config.yaml', parse(text)).label).toEqual({ column: 'IMDB Rating', op: '>', value: 7, text: 'IMDB Rating > 7' });
  });
});

describe('decideColumn: dates written as text', () => {
  it('leaves them out, saying how to make them times; codes with a year in them stay categorical', () => {
    const released = str('Release Date', { 'Jun 12 1998': 2, 'Aug 07 1998': 1, 'Dec 25 2001': 3, '12/06/1999': 1, 'Mar 01 2004': 2, 'Oct 10 2010': 1 });
    expect(decideColumn(released, ROWS, false)).toEqual({
      skip: expect.stringMatching(/^dates written as text \(e\.g\. "Jun 12 1998"\), which ct does not read as times: write them as ISO 8601/),
    });
    const models = str('model', { 'XR-2000': 300, 'XR-2010': 300, 'Z 1999 Pro': 200, basic: 100, plus: 100 });
    expect(decideColumn(models, ROWS, false)).toEqual({ features: [expect.objectContaining({ column: 'model', embedding: expect.any(Number) })] });
  });
});
