import { lineDiff } from '../../src/report/diff.js';
import { concatTables, type Table } from '../../src/data/table.js';
import {
  type ColumnSchema,
  createPartitionNullShares,
  createPartitionDomains,
  createPartitionRanges,
  createSchemaInference,
  type DataSchema,
  type DomainArrival,
  inferSchema,
  isGrowing,
  MIN_CONSTRAINT_VALUES,
  parseSchema,
  unseenAllowance,
  widenSchema,
} from '../../src/validate/schema.js';
import { erfc } from '../../src/validate/hypothesis.js';
import { computeStatistics, type DatasetStatistics } from '../../src/validate/statistics.js';
import { expectUserError, numberColumn, stringColumn, tableOf } from '../helpers.js';

const schema: DataSchema = {
  format: 'ct-schema',
  version: 2,
  columns: [
    { name: 'age', type: 'number', maxNullFraction: 0, min: 0, range: { min: 0, max: 100 } },
    { name: 'origin', type: 'string', maxNullFraction: 0, domain: ['ATL', 'LAX'] },
  ],
};

describe('inferred null allowance', () => {
  test('comes from the partition with the most nulls, not the pool, with headroom: a day at 8.4% in a pool at 7% is not an anomaly', () => {
    const shares = createPartitionNullShares();
    const day = (file: string, nulls: number): Table => ({
      ...tableOf(
        [
          numberColumn(
            'age',
            Array.from({ length: 1000 }, (_, i) => (i < nulls ? null : i)),
          ),
        ],
        file,
      ),
    });
    for (let d = 0; d < 9; d++) shares.add(day(`d${d}.csv`, 69));
    shares.add(day('d9.csv', 84));
    const pooled = computeStatistics(
      tableOf([
        numberColumn(
          'age',
          Array.from({ length: 10_000 }, (_, i) => (i < 705 ? null : i)),
        ),
      ]),
    );
    expect(inferSchema(pooled).columns[0]!.maxNullFraction).toBe(0.09);
    expect(inferSchema(pooled, { partitionNullShares: shares.result() }).columns[0]!.maxNullFraction).toBe(0.11);
  });

  test('ct init reads one pooled table: its worst partition still sets the allowance, through the rows each file holds', () => {
    // 10 days of 1000 rows, 7% null, one day 12%: pooled, 7.5% (x 1.2 = 9%); the worst day gives 15%.
    const days = Array.from({ length: 10 }, (_, d) =>
      tableOf(
        [
          numberColumn(
            'fee',
            Array.from({ length: 1000 }, (_, i) => (i < (d === 4 ? 120 : 70) ? null : i)),
          ),
        ],
        `2026-06-0${d}.csv`,
      ),
    );
    const inference = createSchemaInference();
    inference.add(concatTables(days));
    const { schema, rows } = inference.result();
    expect(rows).toBe(10_000);
    expect(schema.columns[0]!.maxNullFraction).toBe(0.15);
    // The same as reading the days one by one (what ct validate does).
    const streamed = createSchemaInference();
    for (const day of days) streamed.add(day);
    expect(streamed.result().schema).toEqual(schema);
  });

  test('a column never null keeps an allowance of 0', () => {
    expect(inferSchema(computeStatistics(tableOf([numberColumn('age', [1, 2, 3])]))).columns[0]!.maxNullFraction).toBe(0);
  });
});

describe('numbers that rise with the partitions', () => {
  // An order number issued in order (300 a day, with gaps) and a price whose days overlap.
  const day = (d: number, file = `2026-03-${String(d + 1).padStart(2, '0')}.csv`): Table =>
    tableOf(
      [
        numberColumn(
          'order_no',
          Array.from({ length: 300 }, (_, i) => 50_000 + d * 1_000 + i * 3),
        ),
        numberColumn(
          'price',
          Array.from({ length: 300 }, (_, i) => 5 + ((i * 37 + d * 11) % 200) / 4),
        ),
      ],
      file,
    );

  test('an order number does, a price does not; the first gets no range and no band, keeps its sign and whole numbers', () => {
    const ranges = createPartitionRanges();
    const days = Array.from({ length: 10 }, (_, d) => day(d));
    for (const t of days) ranges.add(t);
    expect(ranges.increasing()).toEqual(['order_no']);
    const pooled = tableOf(
      days[0]!.columns.map((c, k) =>
        numberColumn(
          c.name,
          days.flatMap((t) => valuesOf(t.columns[k]!)),
        ),
      ),
    );
    const schema = inferSchema(computeStatistics(pooled), { increasing: ranges.increasing() });
    const order = schema.columns.find((c) => c.name === 'order_no')!;
    expect(order.range).toBeUndefined();
    expect(order.constraints).toEqual({ nonNegative: true, integer: true });
    expect(schema.columns.find((c) => c.name === 'price')!.constraints!.band).toBeDefined();
  });

  test('one table of several files (ct init reads them as one) is told apart by its sources', () => {
    const ranges = createPartitionRanges();
    const days = [day(0), day(1), day(2)];
    let start = 0;
    const sources = days.map((t) => {
      const s = { file: t.sources[0]!.file, start, rows: t.rowCount };
      start += t.rowCount;
      return s;
    });
    const merged: Table = {
      rowCount: start,
      columns: days[0]!.columns.map((c, k) =>
        numberColumn(
          c.name,
          days.flatMap((t) => valuesOf(t.columns[k]!)),
        ),
      ),
      sources,
    };
    ranges.add(merged);
    expect(ranges.increasing()).toEqual(['order_no']);
    // Two partitions are a coincidence.
    const two = createPartitionRanges();
    two.add(day(0));
    two.add(day(1));
    expect(two.increasing()).toEqual([]);
  });
});

describe('strings whose values keep arriving', () => {
  // Support tickets, 400 a day: an agent of 120 who joined by then (three more every fifth day), a channel of four,
  // an airport of which a rare one (1 row in 2,000) shows only on day 9.
  const agentsOn = (d: number): number => 120 + 3 * Math.floor(d / 5);
  const day = (d: number): Table =>
    tableOf(
      [
        stringColumn(
          'agent',
          Array.from({ length: 400 }, (_, i) => `A${(i * 7 + d) % agentsOn(d)}`),
        ),
        stringColumn(
          'channel',
          Array.from({ length: 400 }, (_, i) => ['email', 'chat', 'phone', 'web'][i % 4]!),
        ),
        stringColumn(
          'airport',
          Array.from({ length: 400 }, (_, i) => (d === 9 && i === 0 ? 'XNA' : ['ATL', 'ORD'][i % 2]!)),
        ),
      ],
      `2026-03-${String(d + 1).padStart(2, '0')}.csv`,
    );

  test('an agent column that grows gets no domain; a channel and an airport met late once keep theirs', () => {
    const inference = createSchemaInference();
    for (let d = 0; d < 20; d++) inference.add(day(d));
    const columns = inference.result().schema.columns;
    expect(columns.find((c) => c.name === 'agent')!.domain).toBeUndefined();
    expect(columns.find((c) => c.name === 'channel')!.domain).toEqual(['chat', 'email', 'phone', 'web']);
    expect(columns.find((c) => c.name === 'airport')!.domain).toEqual(['ATL', 'ORD', 'XNA']);
  });

  test('a domain leaves room for the new values its reference met, as many as a partition of its size brings now and then', () => {
    // Flights sampled at 2,000 a day: a small airport (a flight a week) first met on days 8, 10 and 12 of 14.
    const flights = (d: number): Table =>
      tableOf(
        [
          stringColumn(
            'origin',
            Array.from({ length: 2_000 }, (_, i) => (i === 0 && d >= 8 && d % 2 === 0 ? `X${d}` : ['ATL', 'ORD', 'SFO'][i % 3]!)),
          ),
          stringColumn(
            'carrier',
            Array.from({ length: 2_000 }, (_, i) => ['AA', 'UA'][i % 2]!),
          ),
        ],
        `2001-03-${String(d + 1).padStart(2, '0')}.csv`,
      );
    const domains = createPartitionDomains();
    const inference = createSchemaInference();
    for (let d = 0; d < 14; d++) {
      domains.add(flights(d));
      inference.add(flights(d));
    }
    // 3 of the later half's 14,000 rows held a value its first half lacked: 0.43 a day, so up to 4 (0.9999 Poisson).
    expect(domains.arrivals().origin).toEqual({ share: 3 / 14_000, partitionRows: 2_000 });
    const columns = inference.result().schema.columns;
    expect(columns.find((c) => c.name === 'origin')).toMatchObject({ domain: ['ATL', 'ORD', 'SFO', 'X10', 'X12', 'X8'], maxUnseenShare: 0.002 });
    // A domain met whole from the first day: the constraints' tolerance.
    expect(columns.find((c) => c.name === 'carrier')).toMatchObject({ domain: ['AA', 'UA'], maxUnseenShare: 0.001 });
    expect(unseenAllowance(undefined)).toBe(0.001);
    expect(unseenAllowance({ share: 0, partitionRows: 17_000 })).toBe(0.001);
    // A mean of 400 new rows a partition: the normal bound, 400 + 3.719 * 20, rounded up.
    expect(unseenAllowance({ share: 0.004, partitionRows: 100_000 })).toBe(0.0048);
  });

  /** How the values of `column` arrived over `days` partitions of `rows` values each, the i-th of day d `value(d, i)`. */
  const arrivalsOver = (column: string, days: number, rows: number, value: (d: number, i: number) => string): Record<string, DomainArrival> => {
    const domains = createPartitionDomains();
    for (let d = 0; d < days; d++)
      domains.add(
        tableOf(
          [
            stringColumn(
              column,
              Array.from({ length: rows }, (_, i) => value(d, i)),
            ),
          ],
          `d${d}.csv`,
        ),
      );
    return domains.arrivals();
  };

  test('the same agents seen whole from the first day keep their domain', () => {
    const agents = arrivalsOver('agent', 20, 400, (d, i) => `A${(i * 7 + d) % 150}`);
    expect(agents.agent).toEqual({ share: 0, partitionRows: 400 });
    expect(isGrowing(agents.agent!)).toBe(false);
    // Agents joining every day: a quarter of the later days' rows are agents the first half never had.
    expect(isGrowing(arrivalsOver('agent', 20, 400, (d, i) => `A${i % (100 + 10 * d)}`).agent!)).toBe(true);
    // An id of a row (5,001 distinct values in a partition and more) is no longer counted: it gets no domain anyway.
    expect(arrivalsOver('ticket_id', 6, 5_001, (d, i) => `T${d}-${i}`)).toEqual({});
    // Three partitions are too few to tell.
    const three = createPartitionDomains();
    for (const d of [0, 10, 19]) three.add(day(d));
    expect(three.arrivals()).toEqual({});
  });
});

function valuesOf(c: Table['columns'][number]): number[] {
  return c.type === 'number' ? Array.from(c.values) : [];
}

describe('widenSchema (ct validate --update-schema)', () => {
  const batch = tableOf([
    numberColumn('age', [5, 130, null, -2]),
    stringColumn('origin', ['ATL', 'XNA', 'LAX', 'ORD']),
    stringColumn('carrier', ['AA', 'UA', 'DL', 'AA']),
  ]);
  const widened = widenSchema(schema, computeStatistics(batch));

  it('widens the inferred range, the domain and the null allowance to accept the batch', () => {
    // A quarter of the batch is null: the allowance keeps a fifth more headroom.
    expect(widened.columns[0]).toMatchObject({ range: { min: -2, max: 130 }, maxNullFraction: 0.3 });
    expect(widened.columns[1]!.domain).toEqual(['ATL', 'LAX', 'ORD', 'XNA']);
  });

  it('never loosens a constraint a person set', () => {
    expect(widened.columns[0]!.min).toBe(0);
  });

  it('adds new columns as inferred', () => {
    expect(widened.columns[2]).toMatchObject({ name: 'carrier', type: 'string', domain: ['AA', 'DL', 'UA'] });
  });

  it('drops a domain that would grow past maxDomainSize', () => {
    expect(widenSchema(schema, computeStatistics(batch), { maxDomainSize: 3 }).columns[1]!.domain).toBeUndefined();
  });
});

/** `n` values spread evenly from `lo` to `hi` (both included). */
function spread(n: number, lo: number, hi: number, whole = true): number[] {
  return Array.from({ length: n }, (_, i) => {
    const x = lo + ((hi - lo) * i) / (n - 1);
    return whole ? Math.round(x) : x;
  });
}

/** The inferred schema column of one number column holding `values`. */
function inferredColumn(values: (number | null)[]): ColumnSchema {
  return inferSchema(computeStatistics(tableOf([numberColumn('x', values)]))).columns[0]!;
}

describe('inferSchema: constraints', () => {
  it('infers nonNegative, integer and a band of half the span each side, rounded outward and clamped at 0', () => {
    // Flights distance: 21..4962, span 4941: 21 − 2470.5 clamps to 0, 4962 + 2470.5 = 7432.5 rounds up to 7500.
    const column = inferredColumn(spread(200, 21, 4962));
    expect(column.constraints).toEqual({ nonNegative: true, integer: true, band: { min: 0, max: 7500 } });
    // Written right after the range, tolerance left to its default.
    expect(Object.keys(column)).toEqual(['name', 'type', 'maxNullFraction', 'range', 'constraints']);
    expect(Object.keys(column.constraints!)).toEqual(['nonNegative', 'integer', 'band']);
  });

  it('leaves out what the reference broke: a negative value, a fraction', () => {
    // Flights delay: −1116..1688, span 2804: −2518 rounds down to −2600, 3090 up to 3100.
    expect(inferredColumn(spread(200, -1116, 1688)).constraints).toEqual({ integer: true, band: { min: -2600, max: 3100 } });
    const oneFraction = [...spread(199, 0, 100), 2.5];
    expect(inferredColumn(oneFraction).constraints).toEqual({ nonNegative: true, band: { min: 0, max: 150 } });
    // −1..100, span 101, step 10: −51.5 → −60, 150.5 → 160.
    const oneNegative = [...spread(199, 0, 100), -1];
    expect(inferredColumn(oneNegative).constraints).toEqual({ integer: true, band: { min: -60, max: 160 } });
  });

  it("widens a heavy tail's side by its reach past the 99th percentile: its next extreme lies beyond its last", () => {
    // Response times: 2,000 of them at exp(3 + 1.1 z), z the normal quantiles: 0.4 to 924 minutes, the 99th percentile 260.
    // The normal quantile of p, by bisection on the normal distribution function.
    const normal = (p: number): number => {
      let lo = -9;
      let hi = 9;
      for (let k = 0; k < 60; k++) {
        const mid = (lo + hi) / 2;
        if (0.5 * erfc(-mid / Math.SQRT2) < p) lo = mid;
        else hi = mid;
      }
      return (lo + hi) / 2;
    };
    const times = Array.from({ length: 2000 }, (_, i) => Math.round(Math.exp(3 + 1.1 * normal((i + 0.5) / 2000)) * 10) / 10);
    expect(Math.max(...times)).toBe(924.1);
    const band = inferredColumn(times).constraints!.band!;
    // Half the span alone ends at 1,390; the tail reaches 665 past its 99th percentile, so the band ends at 1,590.
    expect(band).toEqual({ min: 0, max: 1590 });
    // An even spread keeps half its span: nothing of it reaches far past its percentiles.
    expect(inferredColumn(spread(200, 21, 4962)).constraints!.band).toEqual({ min: 0, max: 7500 });
  });

  it('rounds fractional band edges outward to readable decimals', () => {
    // −0.25..0.75: span 1, step 0.1: −0.75 → −0.8, 1.25 → 1.3 (not −0.8000000000000002).
    expect(inferredColumn(spread(101, -0.25, 0.75, false)).constraints).toEqual({ band: { min: -0.8, max: 1.3 } });
    // 1000.5..1001.5, span 1: 1000 and 1002 exactly.
    expect(inferredColumn(spread(101, 1000.5, 1001.5, false)).constraints).toEqual({ nonNegative: true, band: { min: 1000, max: 1002 } });
  });

  it(`needs ${MIN_CONSTRAINT_VALUES} finite values: nulls and NaN do not count`, () => {
    expect(inferredColumn(spread(MIN_CONSTRAINT_VALUES, 1, 50)).constraints).toBeDefined();
    const few = [...spread(MIN_CONSTRAINT_VALUES - 1, 1, 50), null, null, Number.NaN, Number.POSITIVE_INFINITY];
    expect(inferredColumn(few)).not.toHaveProperty('constraints');
  });

  it('no band for a constant column, no constraints for strings and timestamps', () => {
    expect(inferredColumn(Array.from({ length: 150 }, () => 5)).constraints).toEqual({ nonNegative: true, integer: true });
    const table = tableOf([
      stringColumn(
        's',
        Array.from({ length: 150 }, (_, i) => `v${i % 3}`),
      ),
      numberColumn('t', spread(150, 0, 1e12), 'timestamp'),
    ]);
    for (const c of inferSchema(computeStatistics(table)).columns) expect(c).not.toHaveProperty('constraints');
  });

  it('does not infer integer from statistics written without nonIntegers', () => {
    const stats = computeStatistics(tableOf([numberColumn('x', spread(200, 0, 100))]));
    const old = JSON.parse(JSON.stringify(stats)) as DatasetStatistics;
    delete old.columns[0]!.numeric!.nonIntegers;
    expect(inferSchema(old).columns[0]!.constraints).toEqual({ nonNegative: true, band: { min: 0, max: 150 } });
  });

  it('parseSchema reads the inferred constraints back', () => {
    const inferred = inferSchema(computeStatistics(tableOf([numberColumn('distance', spread(200, 21, 4962))])));
    expect(parseSchema('s.json', JSON.parse(JSON.stringify(inferred)))).toEqual(inferred);
  });
});

describe('parseSchema: ranges and bounds', () => {
  const schemaOf = (column: object) => ({ format: 'ct-schema', version: 2, columns: [{ maxNullFraction: 0, ...column }] });
  const cases: Array<[object, string]> = [
    [{ name: 'd', type: 'number', range: { min: 60, max: 15 } }, 'columns[0] ("d").range.min (60) must not be above max (15)'],
    [{ name: 'd', type: 'number', range: { min: '1', max: 15 } }, 'columns[0] ("d").range.min must be a number'],
    [{ name: 'd', type: 'number', range: [1, 15] }, 'columns[0] ("d").range must be an object { "min": …, "max": … }'],
    [{ name: 'd', type: 'number', range: { min: 1 } }, 'columns[0] ("d").range must be an object { "min": …, "max": … }'],
    [
      { name: 't', type: 'timestamp', range: { min: '2001-02-01T00:00:00.000Z', max: '2001-01-01T00:00:00.000Z' } },
      'columns[0] ("t").range.min (2001-02-01T00:00:00.000Z) must not be above max (2001-01-01T00:00:00.000Z)',
    ],
    [{ name: 't', type: 'timestamp', range: { min: 'soon', max: '2001-01-01T00:00:00.000Z' } }, 'columns[0] ("t").range.min must be an ISO date or time'],
    [{ name: 'd', type: 'number', min: 10, max: 0 }, 'columns[0] ("d").min (10) must not be above max (0)'],
    [{ name: 'd', type: 'number', min: 'x' }, 'columns[0] ("d").min must be a number'],
  ];
  it.each(cases)('%j: one line naming the field', (column, message) => {
    expectUserError(() => parseSchema('s.json', schemaOf(column)), new RegExp(`^s\\.json: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  });

  it('accepts a range of one value and bounds in order', () => {
    const column = { name: 'd', type: 'number', range: { min: 3, max: 3 }, min: 0, max: 10 };
    expect(parseSchema('s.json', schemaOf(column)).columns[0]).toEqual({ maxNullFraction: 0, ...column });
  });
});

describe('parseSchema: constraints', () => {
  const base = { name: 'distance', type: 'number', maxNullFraction: 0 };
  const withConstraints = (constraints: unknown, column: object = base) => ({ format: 'ct-schema', version: 2, columns: [{ ...column, constraints }] });
  const at = 'data/flights/schema.json: columns[0] ("distance").constraints';
  const cases: Array<[unknown, string]> = [
    [[], `${at} must be an object with some of the fields nonNegative, integer, band, tolerance`],
    [{ positive: true }, `${at}: unknown field "positive" (fields: nonNegative, integer, band, tolerance)`],
    [{ nonNegative: 'yes' }, `${at}.nonNegative must be true or false`],
    [{ integer: 1 }, `${at}.integer must be true or false`],
    [{ tolerance: 2 }, `${at}.tolerance must be a number from 0 to 1 (a share of the batch's values)`],
    [{ tolerance: '0.1' }, `${at}.tolerance must be a number from 0 to 1 (a share of the batch's values)`],
    [{ band: [0, 1] }, `${at}.band must be an object { "min": number, "max": number }`],
    [{ band: { min: 0 } }, `${at}.band.max must be a number`],
    [{ band: { min: '0', max: 1 } }, `${at}.band.min must be a number`],
    [{ band: { min: 0, max: 1, step: 1 } }, `${at}.band: unknown field "step" (fields: min, max)`],
    [{ band: { min: 5, max: 1 } }, `${at}.band.min (5) must not be above band.max (1)`],
  ];
  it.each(cases)('%j: one line naming the field', (constraints, message) => {
    expectUserError(
      () => parseSchema('data/flights/schema.json', withConstraints(constraints)),
      new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
    );
  });

  it('constraints belong to number columns, but for the tolerance', () => {
    expectUserError(
      () => parseSchema('s.json', withConstraints({ nonNegative: true, tolerance: 0 }, { name: 'origin', type: 'string', maxNullFraction: 0 })),
      /^s\.json: columns\[0\] \("origin"\)\.constraints: nonNegative apply to number columns only \(this column is string; tolerance applies to any\)$/,
    );
    // A key that must always be present: one null is an error.
    const strict = parseSchema('s.json', withConstraints({ tolerance: 0 }, { name: 'origin', type: 'string', maxNullFraction: 0 }));
    expect(strict.columns[0]!.constraints).toEqual({ tolerance: 0 });
  });

  it('accepts every field', () => {
    const raw = withConstraints({ nonNegative: false, integer: true, band: { min: -1, max: 1 }, tolerance: 0 });
    expect(parseSchema('s.json', raw).columns[0]!.constraints).toEqual({ nonNegative: false, integer: true, band: { min: -1, max: 1 }, tolerance: 0 });
  });
});

describe('widenSchema: constraints', () => {
  const column: ColumnSchema = {
    name: 'distance',
    type: 'number',
    maxNullFraction: 0,
    range: { min: 21, max: 4962 },
    min: 10,
    constraints: { nonNegative: true, integer: true, band: { min: 0, max: 7500 }, tolerance: 0.01 },
  };
  const one = (c: ColumnSchema): DataSchema => ({ format: 'ct-schema', version: 2, columns: [c] });
  const widen = (c: ColumnSchema, values: number[]): ColumnSchema =>
    widenSchema(one(c), computeStatistics(tableOf([numberColumn('distance', values)]))).columns[0]!;

  it('leaves constraints the batch keeps alone', () => {
    expect(widen(column, spread(200, 30, 7000)).constraints).toEqual(column.constraints);
  });

  it('relaxes what the batch breaks: nonNegative removed and the band widened to its lowest value', () => {
    const next = widen(column, [...spread(200, 30, 4000), -40]);
    expect(next.constraints).toEqual({ integer: true, band: { min: -40, max: 7500 }, tolerance: 0.01 });
    // Key order kept: the proposal's diff shows only what changed.
    expect(Object.keys(next.constraints!)).toEqual(['integer', 'band', 'tolerance']);
    // A bound a person set is theirs to change.
    expect(next.min).toBe(10);
  });

  it('relaxes integer on a fraction and widens the band upwards', () => {
    expect(widen(column, [...spread(200, 30, 4000), 12.5, 9000]).constraints).toEqual({ nonNegative: true, band: { min: 0, max: 9000 }, tolerance: 0.01 });
  });

  it('gives a column without constraints those inferred from the batch, once it has enough values', () => {
    const plain: ColumnSchema = { name: 'distance', type: 'number', maxNullFraction: 0, range: { min: 21, max: 4962 } };
    expect(widen(plain, spread(200, 21, 4962)).constraints).toEqual({ nonNegative: true, integer: true, band: { min: 0, max: 7500 } });
    expect(widen(plain, spread(MIN_CONSTRAINT_VALUES - 1, 21, 4962))).not.toHaveProperty('constraints');
    // An empty object records a reviewed column: nothing is added to it.
    expect(widen({ ...plain, constraints: {} }, spread(200, 21, 4962)).constraints).toEqual({});
  });
});

describe('lineDiff', () => {
  it('marks removed and added lines with context', () => {
    expect(lineDiff('a\nb\nc\nd', 'a\nb\nX\nd', 1)).toBe(' b\n-c\n+X\n d');
    expect(lineDiff('same', 'same')).toBe('');
  });
});
