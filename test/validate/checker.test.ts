/**
 * Hand-made bad batches, one per anomaly kind: each test fails if detection breaks. The
 * last block produces every kind the code defines (ANOMALY_KINDS), those found outside
 * this checker too, so a new kind fails here until something produces it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkConfig } from '../../src/config/load.js';
import { createInputDomainChecker } from '../../src/features/domain.js';
import { fitPreprocessing } from '../../src/features/preprocessing.js';
import { silentLogger } from '../../src/logger.js';
import { runValidate } from '../../src/pipeline/validate.js';
import { createAnomalyChecker, createInputRepeats, type Anomaly } from '../../src/validate/checker.js';
import { exchangeAnomaly } from '../../src/validate/exchange.js';
import { compareWithHistory } from '../../src/validate/history.js';
import { ANOMALY_KINDS, type AnomalyKind, type ColumnSchema, type DataSchema, DEFAULT_SEVERITY, parseSchema } from '../../src/validate/schema.js';
import { type Screening, screenPartitions } from '../../src/validate/screening.js';
import { unreadFilesAnomaly } from '../../src/validate/unread-files.js';
import type { Table } from '../../src/data/table.js';
import { expectUserError, numberColumn, stringColumn, tableOf, delayConfig } from '../helpers.js';
import { delayDay, delayDayCsv } from './delay-days.js';
import { writeQuarantinedWindow } from './screen-folder.js';
import { day, history, options as historyOptions } from './history-days.js';

const T = (iso: string): number => Date.parse(iso);

const schema: DataSchema = {
  format: 'ct-schema',
  version: 2,
  columns: [
    { name: 'date', type: 'timestamp', maxNullFraction: 0, range: { min: '2001-01-01T00:00:00.000Z', max: '2001-01-31T23:59:00.000Z' } },
    { name: 'age', type: 'number', maxNullFraction: 0.25, min: 0, range: { min: 0, max: 100 } },
    { name: 'origin', type: 'string', maxNullFraction: 0, domain: ['ATL', 'LAX', 'SFO'], maxUnseenShare: 0.1 },
    { name: 'code', type: 'string', maxNullFraction: 1, regex: '[A-Z]{3}', unique: true },
  ],
};

/** A batch that breaks nothing. */
function good(): Table {
  return tableOf(
    [
      numberColumn('date', [T('2001-01-02T10:00Z'), T('2001-01-03T11:00Z'), T('2001-01-04T12:00Z'), T('2001-01-05T13:00Z')], 'timestamp'),
      numberColumn('age', [31, 47, 5, 99]),
      stringColumn('origin', ['ATL', 'LAX', 'SFO', 'ATL']),
      stringColumn('code', ['AAA', 'BBB', 'CCC', 'DDD']),
    ],
    'data/batch/2001-01-05.csv',
  );
}

function check(table: Table | Table[], options = {}, s: DataSchema = schema): Anomaly[] {
  const checker = createAnomalyChecker(s, options);
  for (const t of Array.isArray(table) ? table : [table]) checker.add(t);
  return checker.result();
}

function replace(table: Table, column: ReturnType<typeof numberColumn>): Table {
  return { ...table, columns: table.columns.map((c) => (c.name === column.name ? column : c)) };
}

function only(anomalies: Anomaly[], kind: Anomaly['kind']): Anomaly {
  const found = anomalies.filter((a) => a.kind === kind);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe('anomaly checker', () => {
  it('finds nothing in a good batch', () => {
    expect(check(good())).toEqual([]);
  });

  it('empty_batch', () => {
    expect(only(check([]), 'empty_batch')).toMatchObject({ severity: 'error', count: 0 });
  });

  it('missing_column names the files without the column', () => {
    const t = good();
    const a = only(check({ ...t, columns: t.columns.filter((c) => c.name !== 'origin') }), 'missing_column');
    expect(a).toMatchObject({ column: 'origin', severity: 'error', count: 4, share: 1 });
    expect(a.message).toBe('column "origin" (string) is missing in data/batch/2001-01-05.csv');
    // In a window, the one partition whose export lost the column.
    const other = tableOf([...t.columns], 'data/batch/2001-01-04.csv');
    const lost = tableOf(
      t.columns.filter((c) => c.name !== 'origin'),
      'data/batch/2001-01-05.csv',
    );
    expect(only(check([other, lost]), 'missing_column').message).toBe('column "origin" (string) is missing from 4 of 8 rows in data/batch/2001-01-05.csv');
    const days = [1, 2, 3, 4, 5].map((d) => tableOf([...lost.columns], `data/batch/2001-01-0${d}.csv`));
    expect(only(check(days), 'missing_column').message).toBe(
      'column "origin" (string) is missing in 5 files: data/batch/2001-01-01.csv, data/batch/2001-01-02.csv, data/batch/2001-01-03.csv and 2 more',
    );
  });

  it('new_column is an error (the export changed) that names its file and says how to accept it', () => {
    const t = good();
    const a = only(check({ ...t, columns: [...t.columns, stringColumn('carrier', ['AA', 'UA', 'DL', 'WN'])] }), 'new_column');
    expect(a).toMatchObject({ column: 'carrier', severity: 'error' });
    expect(a.message).toMatch(/^column "carrier" \(string\) in data\/batch\/2001-01-05\.csv is not in the schema: the export changed/);
    expect(a.message).toContain('ct validate --update-schema');
  });

  it('a null share just above its allowance is printed with the digits that show it is above', () => {
    const ages = Array.from({ length: 10_000 }, (_, i) => (i < 2_501 ? null : i % 100));
    const a = only(check(tableOf([numberColumn('age', ages)])), 'nulls_above_threshold');
    expect(a.message).toContain(
      'is null in 25.01% of rows (2501), the schema allows 25.0%. Fix the data, or if the values are really missing, raise maxNullFraction in the schema (ct validate --update-schema proposes the change)',
    );
  });

  it('a header read with the wrong delimiter is one line that names the file and the delimiter', () => {
    const semicolons = check(tableOf([stringColumn('date;origin;age', ['x', 'y', 'z', 'w'])], 'data/batch/2001-01-05.csv'));
    // Not a line per schema column missing and one for a new column: the header says why.
    expect(semicolons).toHaveLength(1);
    expect(semicolons[0]).toMatchObject({ kind: 'missing_column', severity: 'error', count: 4 });
    expect(semicolons[0]!.message).toBe(
      'data/batch/2001-01-05.csv: its header "date;origin;age" is the schema\'s columns joined by ";", so the file separates its fields with ";", not commas. Export it with commas',
    );
    const tabs = check(tableOf([stringColumn('date\torigin\tage', ['x', 'y', 'z', 'w'])]));
    expect(tabs).toHaveLength(1);
    expect(tabs[0]!.message).toContain('separates its fields with tabs');
    // Beside the schema's other columns, such a name is still a new column that says it.
    const t = good();
    const beside = only(check({ ...t, columns: [...t.columns, stringColumn('code;age', ['x', 'y', 'z', 'w'])] }), 'new_column');
    expect(beside.message).toContain('separates its fields with ";", not commas');
  });

  it('a file without a header row is one line that says so, naming the schema columns', () => {
    // Its first row read as names: a time, a number, an airport and a code, as many as the schema has columns.
    const headless = tableOf(
      [
        numberColumn('2001-01-05T08:00', [T('2001-01-05T09:00Z'), T('2001-01-05T10:00Z')], 'timestamp'),
        numberColumn('31', [47, 5]),
        stringColumn('ATL', ['LAX', 'SFO']),
        stringColumn('AAA', ['BBB', 'CCC']),
      ],
      'data/batch/2001-01-05.csv',
    );
    const found = check(headless);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'missing_column', severity: 'error', count: 2 });
    expect(found[0]!.message).toBe(
      "data/batch/2001-01-05.csv has no header row: its first row (2001-01-05T08:00, 31, ATL, AAA) was read as the column names, and every column of the schema is missing. Put a header row naming its columns first (the schema's: date, age, origin, code)",
    );
    // In a window, only the file without a header: the others are checked as usual.
    const window = check([good(), { ...headless, sources: [{ file: 'data/batch/2001-01-06.csv', start: 0, rows: 2 }] }]);
    expect(window.map((a) => a.kind)).toEqual(['missing_column']);
    expect(window[0]!.message).toMatch(/^data\/batch\/2001-01-06\.csv has no header row/);
    // Renamed columns whose names are not values are new and missing columns, each said.
    const renamed = check(tableOf([...good().columns.map((c) => ({ ...c, name: c.name.toUpperCase() }))]));
    expect(renamed.filter((a) => a.kind === 'missing_column')).toHaveLength(4);
    expect(renamed.filter((a) => a.kind === 'new_column')).toHaveLength(4);
  });

  it('type_mismatch', () => {
    const a = only(check(replace(good(), numberColumn('date', [1, 2, 3, 4]))), 'type_mismatch');
    expect(a).toMatchObject({ column: 'date', severity: 'error', count: 4 });
    expect(a.message).toContain('is number in 4 rows, the schema says timestamp');
  });

  it('unparseable_value names the file, row and value', () => {
    const a = only(check(replace(good(), stringColumn('age', ['31', 'forty', '5', '99']))), 'unparseable_value');
    expect(a).toMatchObject({ column: 'age', count: 1, examples: [{ file: 'data/batch/2001-01-05.csv', row: 2, value: 'forty' }] });
  });

  it('all_null', () => {
    const a = only(check(replace(good(), numberColumn('age', [null, null, null, null]))), 'all_null');
    expect(a).toMatchObject({ column: 'age', count: 4, severity: 'error' });
  });

  it('nulls_above_threshold with example rows', () => {
    const a = only(check(replace(good(), numberColumn('age', [null, 3, null, 4]))), 'nulls_above_threshold');
    expect(a).toMatchObject({ column: 'age', count: 2, share: 0.5, examples: [{ row: 1 }, { row: 3 }] });
    expect(check(replace(good(), numberColumn('age', [null, 3, 9, 4])))).toEqual([]);
  });

  it('a column never null in the reference: nulls within the tolerance warn, more error, judged per partition', () => {
    const never = { ...schema, columns: schema.columns.map((c) => (c.name === 'origin' ? { ...c, maxNullFraction: 0 } : c)) };
    const day = (d: number, nulls: number): Table =>
      tableOf(
        [
          stringColumn(
            'origin',
            Array.from({ length: 2_000 }, (_, i) => (i < nulls ? null : 'ATL')),
          ),
        ],
        `data/batch/2001-03-${String(d + 1).padStart(2, '0')}.csv`,
      );
    // A join that missed two rows of 2,000 (0.1%): a warning that says why.
    const few = only(check([day(0, 2)], {}, never), 'nulls_above_threshold');
    expect(few).toMatchObject({ severity: 'warning', count: 2 });
    expect(few.message).toMatch(
      /^column "origin": 2 of 2000 rows \(0\.10%\) are null, where the schema allows none \(maxNullFraction 0\)\. That is within the tolerance/,
    );
    // 3 rows (0.15%) are past it.
    expect(only(check([day(0, 3)], {}, never), 'nulls_above_threshold')).toMatchObject({ severity: 'error', count: 3 });
    // A key a person wants always present: constraints.tolerance 0 makes one null an error.
    const strict = { ...never, columns: never.columns.map((c) => (c.name === 'origin' ? { ...c, constraints: { tolerance: 0 } } : c)) };
    expect(only(check([day(0, 1)], {}, strict), 'nulls_above_threshold')).toMatchObject({ severity: 'error', count: 1 });
    // 40 nulls on one day of 20 (2% of it, 0.1% of the window): an error naming the day.
    const window = Array.from({ length: 20 }, (_, d) => day(d, d === 19 ? 40 : 0));
    const bad = only(check(window, {}, never), 'nulls_above_threshold');
    expect(bad).toMatchObject({ severity: 'error', count: 40, share: 0.02 });
    expect(bad.message).toMatch(/^column "origin": 40 of 2000 rows \(2\.0%\) in data\/batch\/2001-03-20\.csv are null/);
  });

  it('out_of_range: a negative age breaks the constraint (error); a value past the inferred range warns', () => {
    const anomalies = check(replace(good(), numberColumn('age', [-3, 130, 5, 6])));
    const ranges = anomalies.filter((a) => a.kind === 'out_of_range');
    expect(ranges.map((a) => [a.severity, a.count, a.examples[0]!.value])).toEqual([
      ['error', 1, '-3'],
      ['warning', 1, '130'],
    ]);
  });

  it('out_of_range on timestamps against the inferred range', () => {
    const a = only(
      check(
        replace(good(), numberColumn('date', [T('2001-01-02T00:00Z'), T('2001-03-01T00:00Z'), T('2001-01-03T00:00Z'), T('2001-01-04T00:00Z')], 'timestamp')),
      ),
      'out_of_range',
    );
    expect(a.examples[0]).toMatchObject({ row: 2, value: '2001-03-01T00:00:00.000Z' });
  });

  it('non_finite', () => {
    const a = only(check(replace(good(), numberColumn('age', [1, Number.POSITIVE_INFINITY, 3, 4]))), 'non_finite');
    expect(a).toMatchObject({ column: 'age', count: 1 });
    // NaN read from text ("NaN") is a value, not a null.
    const fromText = only(check(replace(good(), stringColumn('age', ['1', 'NaN', '3', '4']))), 'non_finite');
    expect(fromText.count).toBe(1);
  });

  it('unseen_category above the allowed share, with the values named', () => {
    const a = only(check(replace(good(), stringColumn('origin', ['ATL', 'XNA', 'XNA', 'SFO']))), 'unseen_category');
    expect(a).toMatchObject({ column: 'origin', count: 2, share: 0.5 });
    expect(a.message).toContain('XNA (2)');
    // What to do, where a person reads it: a new airport is real, a lowercased one is not.
    expect(a.message).toMatch(
      /Fix the data, or if they are valid values, add them to the domain in the schema \(ct validate --update-schema proposes the change\)$/,
    );
    // Within maxUnseenShare a new value is plausibly real: a warning that names it, not an error.
    const tolerant = { ...schema, columns: schema.columns.map((c) => (c.name === 'origin' ? { ...c, maxUnseenShare: 0.5 } : c)) };
    const within = only(check(replace(good(), stringColumn('origin', ['ATL', 'XNA', 'XNA', 'SFO'])), {}, tolerant), 'unseen_category');
    expect(within).toMatchObject({ severity: 'warning', count: 2 });
    expect(within.message).toContain('allowed 50.0% (maxUnseenShare): XNA (2). Within the allowance new values are plausibly real, so only a warning');
    expect(check(replace(good(), stringColumn('origin', ['ATL', 'LAX', 'LAX', 'SFO'])), {}, tolerant)).toEqual([]);
  });

  it('values outside the domain are judged per partition, as a new airport on a day of many or a bad day in a window', () => {
    const airports = ['ATL', 'LAX', 'SFO'];
    const allowance = { ...schema, columns: schema.columns.map((c) => (c.name === 'origin' ? { ...c, maxUnseenShare: 0.002 } : c)) };
    const day = (d: number, unseen: number): Table =>
      tableOf(
        [
          stringColumn(
            'origin',
            Array.from({ length: 2_000 }, (_, i) => (i < unseen ? 'MQT' : airports[i % 3]!)),
          ),
        ],
        `data/batch/2001-03-${String(d + 1).padStart(2, '0')}.csv`,
      );
    // A flight or two from a new airport on a day of 2,000 (0.1%): a warning naming it.
    const one = only(check([day(0, 2)], {}, allowance), 'unseen_category');
    expect(one).toMatchObject({ severity: 'warning', count: 2 });
    expect(one.message).toMatch(
      /^column "origin": 2 of 2000 values \(0\.10%\) are outside the domain, allowed 0\.20% \(maxUnseenShare\): MQT \(2\)\. Within the allowance/,
    );
    // 40 rows on the newest day of 20 (2% of it, 0.1% of the window): an error that names the day.
    const window = Array.from({ length: 20 }, (_, d) => day(d, d === 19 ? 40 : 0));
    const bad = only(check(window, {}, allowance), 'unseen_category');
    expect(bad).toMatchObject({ severity: 'error', count: 40, share: 0.02 });
    expect(bad.message).toMatch(
      /^column "origin": 40 of 2000 values \(2\.0%\) in data\/batch\/2001-03-20\.csv are outside the domain, allowed 0\.20% \(maxUnseenShare\); in all the batch's 40 such rows: MQT \(40\)\./,
    );
  });

  it('regex_mismatch', () => {
    const a = only(check(replace(good(), stringColumn('code', ['AAA', 'bb1', 'CCC', 'DDD']))), 'regex_mismatch');
    expect(a.examples[0]).toMatchObject({ row: 2, value: 'bb1' });
  });

  it('unique_violation across chunks', () => {
    const first = good();
    const second = tableOf(
      [numberColumn('date', [T('2001-01-06T10:00Z')], 'timestamp'), numberColumn('age', [20]), stringColumn('origin', ['LAX']), stringColumn('code', ['BBB'])],
      'data/batch/2001-01-06.csv',
    );
    const a = only(check([first, second]), 'unique_violation');
    expect(a).toMatchObject({ count: 1, examples: [{ file: 'data/batch/2001-01-06.csv', row: 1, value: 'BBB' }] });
  });

  it('row_count_out_of_range against the expected rows', () => {
    const a = only(check(good(), { expectedRows: { min: 10, max: 40, reason: 'test' } }), 'row_count_out_of_range');
    expect(a).toMatchObject({ severity: 'warning', count: 4 });
    expect(check(good(), { expectedRows: { min: 2, max: 40, reason: 'test' } })).toEqual([]);
  });

  it('duplicate_rows across chunks, including in a later file', () => {
    const t = good();
    const again = tableOf(
      t.columns.map((c) => c),
      'data/batch/2001-01-06.csv',
      100,
    );
    const a = only(check([t, again]), 'duplicate_rows');
    expect(a).toMatchObject({
      severity: 'warning',
      count: 4,
      examples: [{ file: 'data/batch/2001-01-06.csv', row: 101 }, { row: 102 }, { row: 103 }, { row: 104 }],
    });
    // Equal values in a different column order are the same row.
    expect(check([t, { ...t, columns: [...t.columns].reverse() }]).filter((x) => x.kind === 'duplicate_rows')).toHaveLength(1);
  });

  it('createInputRepeats counts rows that repeat an earlier row in every column but the label, across chunks', () => {
    const t = good();
    // The same four rows again in a later chunk, each with another age: four repeats when age is the label.
    const revised = tableOf(
      t.columns.map((c) => (c.name === 'age' ? numberColumn('age', [1, 2, 3, 4]) : c)),
      'data/batch/2001-01-06.csv',
    );
    const repeats = createInputRepeats('age');
    repeats.add(t);
    expect(repeats.result()).toBe(0);
    repeats.add(revised);
    expect(repeats.result()).toBe(4);
    // Read as another column's label, the revised rows are new rows: nothing repeats.
    const byOrigin = createInputRepeats('origin');
    byOrigin.add(t);
    byOrigin.add(revised);
    expect(byOrigin.result()).toBe(0);
    // Without the label column every column is compared, as the duplicate check does: no share to report.
    const unlabelled = createInputRepeats('delay');
    unlabelled.add(t);
    expect(unlabelled.result()).toBeNull();
  });

  it('outside_partition: rows of a daily partition dated another day, when the batch is partitioned', () => {
    // good() is 2001-01-05.csv with rows of the 2nd to the 5th: three rows are on other days.
    const a = only(check(good(), { partitionTime: 'date' }), 'outside_partition');
    expect(a).toMatchObject({
      column: 'date',
      severity: 'warning',
      count: 3,
      examples: [{ file: 'data/batch/2001-01-05.csv', row: 1, value: '2001-01-02T10:00:00.000Z' }, { row: 2 }, { row: 3 }],
    });
    // Not asked for (a single file, or no timestamp): not checked; a file not named for a day: not checked.
    expect(check(good())).toEqual([]);
    const misnamed = tableOf(
      good().columns.map((c) => c),
      'data/batch/january.csv',
    );
    expect(check(misnamed, { partitionTime: 'date' })).toEqual([]);
    // The rows of each file are checked against that file's day.
    const first = tableOf(
      [numberColumn('date', [T('2001-01-05T23:59Z')], 'timestamp'), numberColumn('age', [1]), stringColumn('origin', ['ATL']), stringColumn('code', ['XYZ'])],
      'data/batch/2001-01-05.csv',
    );
    const second = tableOf(
      [numberColumn('date', [T('2001-01-06T00:00Z')], 'timestamp'), numberColumn('age', [2]), stringColumn('origin', ['LAX']), stringColumn('code', ['ZYX'])],
      'data/batch/2001-01-06.csv',
    );
    expect(check([first, second], { partitionTime: 'date' })).toEqual([]);
  });

  it('severity can be overridden by config and per column in the schema', () => {
    const bad = replace(good(), stringColumn('origin', ['ATL', 'XNA', 'XNA', 'SFO']));
    expect(only(check(bad, { severity: { unseen_category: 'warning' } }), 'unseen_category').severity).toBe('warning');
    const perColumn = {
      ...schema,
      columns: schema.columns.map((c) => (c.name === 'origin' ? { ...c, severity: { unseen_category: 'warning' as const } } : c)),
    };
    expect(only(check(bad, { severity: { unseen_category: 'error' } }, perColumn), 'unseen_category').severity).toBe('warning');
  });
});

describe('inferred constraints', () => {
  /** Flights distance as inferred from January and February. */
  const distance: ColumnSchema = {
    name: 'distance',
    type: 'number',
    maxNullFraction: 0.5,
    range: { min: 21, max: 4962 },
    constraints: { nonNegative: true, integer: true, band: { min: 0, max: 7500 } },
  };
  const withColumn = (c: ColumnSchema): DataSchema => ({ format: 'ct-schema', version: 2, columns: [c] });
  /** 2000 plausible distances (100..2099), with `change` applied to some. */
  const distances = (change: (x: number, i: number) => number | null = (x) => x, n = 2000): Array<number | null> =>
    Array.from({ length: n }, (_, i) => change(100 + i, i));
  const batch = (values: Array<number | null>, file = 'data/batch/2001-03-01.csv', offset = 0): Table =>
    tableOf([numberColumn('distance', values)], file, offset);
  const run = (tables: Table | Table[], options = {}, column: ColumnSchema = distance): Anomaly[] => check(tables, options, withColumn(column));

  it('finds nothing in a batch that keeps them', () => {
    expect(run(batch(distances()))).toEqual([]);
  });

  it('negative_value above the tolerance is an error, counted across chunks, with 20 examples and a message saying what to do', () => {
    // Every 20th value negated: 100 of 2000, in two files of 1000.
    const values = distances((x, i) => (i % 20 === 19 ? -x : x));
    const a = only(run([batch(values.slice(0, 1000), 'data/batch/2001-03-01.csv'), batch(values.slice(1000), 'data/batch/2001-03-02.csv')]), 'negative_value');
    expect(a).toMatchObject({ column: 'distance', severity: 'error', count: 100, share: 0.05 });
    expect(a.examples).toHaveLength(20);
    expect(a.examples[0]).toEqual({ file: 'data/batch/2001-03-01.csv', row: 20, value: '-119' });
    expect(a.message).toBe(
      'column "distance": 100 of 2000 values (5.0%) are negative (lowest -2099); every one of the reference values was >= 0 (constraints.nonNegative in the schema). ' +
        'Fix the data, or if negative values are now valid, remove constraints.nonNegative (ct validate --update-schema proposes the change)',
    );
  });

  it('the tolerance is judged per partition: one bad day in a window of good ones is an error, named', () => {
    // 60 negatives in one file of 1000 (6%), none in 19 others: 0.3% of the window, 6% of that day.
    const days = Array.from({ length: 20 }, (_, d) =>
      batch(
        distances((x, i) => (d === 19 && i % 16 === 0 && i < 960 ? -x : x), 1000),
        `data/batch/2001-03-${String(d + 1).padStart(2, '0')}.csv`,
      ),
    );
    const a = only(run(days), 'negative_value');
    expect(a).toMatchObject({ severity: 'error', count: 60, share: 0.06 });
    expect(a.message).toMatch(/^column "distance": 60 of 1000 values \(6\.0%\) in data\/batch\/2001-03-20\.csv are negative/);
    // The same 60 spread evenly over the 20 days (3 a day, 0.3%) break no day's tolerance more than the window's.
    const spread = Array.from({ length: 20 }, (_, d) =>
      batch(
        distances((x, i) => (i < 3 ? -x : x), 1000),
        `data/batch/2001-03-${String(d + 1).padStart(2, '0')}.csv`,
      ),
    );
    expect(only(run(spread), 'negative_value')).toMatchObject({ severity: 'error', share: 0.003 });
    const rare = Array.from({ length: 20 }, (_, d) =>
      batch(
        distances((x, i) => (d === 4 && i === 0 ? -x : x), 1000),
        `data/batch/2001-03-${String(d + 1).padStart(2, '0')}.csv`,
      ),
    );
    expect(only(run(rare), 'negative_value').severity).toBe('warning');
  });

  it('within the tolerance (0.1% by default, share of non-null values) it is only a warning', () => {
    // 2 of 2000 is 0.1%: within; 3 of 2000 is above.
    const two = only(run(batch(distances((x, i) => (i < 2 ? -x : x)))), 'negative_value');
    expect(two).toMatchObject({ severity: 'warning', count: 2, share: 0.001 });
    expect(two.message).toContain('within the tolerance of 0.10% of values (constraints.tolerance), so only a warning');
    expect(only(run(batch(distances((x, i) => (i < 3 ? -x : x)))), 'negative_value').severity).toBe('error');
    // Nulls are not values: 2 negatives among 1000 values and 1000 nulls is 0.2%.
    const withNulls = only(run(batch(distances((x, i) => (i < 2 ? -x : i >= 1000 ? null : x)))), 'negative_value');
    expect(withNulls).toMatchObject({ severity: 'error', count: 2, share: 0.002 });
    expect(withNulls.message).toContain('2 of 1000 values (0.20%)');
  });

  it('the tolerance comes from the schema', () => {
    const lenient = { ...distance, constraints: { ...distance.constraints, tolerance: 0.1 } };
    expect(only(run(batch(distances((x, i) => (i % 20 === 19 ? -x : x))), {}, lenient), 'negative_value').severity).toBe('warning');
    const strict = { ...distance, constraints: { ...distance.constraints, tolerance: 0 } };
    expect(only(run(batch(distances((x, i) => (i === 0 ? -x : x))), {}, strict), 'negative_value').severity).toBe('error');
  });

  it('severity: config and schema override above the tolerance; within it, a warning whatever they say', () => {
    const many = batch(distances((x, i) => (i % 20 === 19 ? -x : x)));
    expect(only(run(many, { severity: { negative_value: 'warning' } }), 'negative_value').severity).toBe('warning');
    const perColumn = { ...distance, severity: { negative_value: 'error' as const } };
    expect(only(run(many, { severity: { negative_value: 'warning' } }, perColumn), 'negative_value').severity).toBe('error');
    const few = batch(distances((x, i) => (i === 0 ? -x : x)));
    expect(only(run(few, { severity: { negative_value: 'error' } }, perColumn), 'negative_value').severity).toBe('warning');
  });

  it('outside_band: above and below the band; inside the band but past the range stays an out_of_range warning', () => {
    const plain = { ...distance, constraints: { integer: true, band: { min: -100, max: 7500 } } };
    const values = distances((x, i) => (i < 5 ? 9000 + i : i < 10 ? -200 : i < 15 ? 6000 : x));
    const anomalies = run(batch(values), {}, plain);
    const a = only(anomalies, 'outside_band');
    expect(a).toMatchObject({ severity: 'error', count: 10, share: 0.005 });
    expect(a.examples.map((e) => `${e.row}:${e.value}`)).toEqual([
      '1:9000',
      '2:9001',
      '3:9002',
      '4:9003',
      '5:9004',
      '6:-200',
      '7:-200',
      '8:-200',
      '9:-200',
      '10:-200',
    ]);
    expect(a.message).toBe(
      'column "distance": 10 of 2000 values (0.50%) are outside -100..7500 (-200 to 9004); that band (constraints.band in the schema) is the range of the reference values, 21..4962, ' +
        'widened by half its span on each side (more on a side whose tail reaches farther): values beyond it are implausible, not just new. Fix the data, or if such values are now valid, widen constraints.band (ct validate --update-schema proposes the change)',
    );
    const range = only(anomalies, 'out_of_range');
    expect(range).toMatchObject({ severity: 'warning', count: 5 });
    expect(range.examples.map((e) => `${e.row}:${e.value}`)).toEqual(['11:6000', '12:6000', '13:6000', '14:6000', '15:6000']);
    // Within the tolerance: a warning.
    expect(only(run(batch(distances((x, i) => (i === 0 ? 9000 : x))), {}, plain), 'outside_band').severity).toBe('warning');
  });

  it('outside_band: one value past the band in a partition is an extreme, a warning; two in one partition are an error', () => {
    const plain = { ...distance, constraints: { integer: true, band: { min: -100, max: 7500 } } };
    // A day of 300 rows: one value past the band is 0.33% of it, above the tolerance, yet one heavy-tailed extreme.
    const one = only(run(batch(distances((x, i) => (i === 7 ? 7600 : x), 300)), {}, plain), 'outside_band');
    expect(one).toMatchObject({ severity: 'warning', count: 1 });
    expect(one.message).toMatch(/One value beyond the band in a partition may be a heavy tail's next extreme, so only a warning/);
    expect(only(run(batch(distances((x, i) => (i === 7 || i === 9 ? 7600 : x), 300)), {}, plain), 'outside_band').severity).toBe('error');
    // One on each of two days of a window: an extreme on each, a warning.
    const days = [0, 1].map((d) =>
      batch(
        distances((x, i) => (i === 7 ? 7600 : x), 300),
        `data/batch/2001-03-0${d + 1}.csv`,
      ),
    );
    expect(only(run(days, {}, plain), 'outside_band')).toMatchObject({ severity: 'warning', count: 2 });
    // The sign and whole numbers are not a tail's: one negative value on the small day stays an error.
    expect(only(run(batch(distances((x, i) => (i === 7 ? -x : x), 300))), 'negative_value').severity).toBe('error');
  });

  it('non_integer above and within the tolerance', () => {
    const a = only(run(batch(distances((x, i) => (i % 100 === 0 ? x + 0.5 : x)))), 'non_integer');
    expect(a).toMatchObject({ severity: 'error', count: 20, share: 0.01 });
    expect(a.examples[0]).toEqual({ file: 'data/batch/2001-03-01.csv', row: 1, value: '100.5' });
    expect(a.message).toContain(
      '20 of 2000 values (1.0%) are not whole numbers (e.g. 100.5); every one of the reference values was a whole number (constraints.integer in the schema)',
    );
    expect(a.message).toContain('remove constraints.integer');
    expect(only(run(batch(distances((x, i) => (i === 0 ? x + 0.5 : x)))), 'non_integer').severity).toBe('warning');
  });

  it('one report per value: a bound a person set, then the sign, then the band, then the range; integrality on its own', () => {
    const column = { ...distance, min: -50 };
    // -60: below the person's min only; -5: negative only; 8000: outside the band only; 6000: past the range only;
    // 150.5: not whole only; -2.5: negative and not whole; 9000.5: outside the band and not whole.
    const anomalies = run(batch([-60, -5, 8000, 6000, 150.5, -2.5, 9000.5, 300, 400, 500]), {}, column);
    const counts = Object.fromEntries(anomalies.map((a) => [`${a.kind} ${a.severity}`, a.examples.map((e) => e.value).join(' ')]));
    expect(counts).toEqual({
      'out_of_range error': '-60',
      'negative_value error': '-5 -2.5',
      'outside_band error': '8000 9000.5',
      'out_of_range warning': '6000',
      'non_integer error': '150.5 -2.5 9000.5',
    });
  });

  it('constraints do nothing on a column without them, and values read from text are checked too', () => {
    const { constraints: _, ...unconstrained } = distance;
    expect(run(batch(distances((x, i) => (i === 0 ? -x : x))), {}, unconstrained).map((a) => [a.kind, a.severity])).toEqual([['out_of_range', 'warning']]);
    const text = tableOf([stringColumn('distance', ['120', '-7', '130.5', '9999'])]);
    expect(run(text).map((a) => [a.kind, a.count, a.severity])).toEqual([
      ['negative_value', 1, 'error'],
      ['non_integer', 1, 'error'],
      // One value past the band in the partition: an extreme, a warning.
      ['outside_band', 1, 'warning'],
    ]);
  });
});

describe('parseSchema', () => {
  it('names the field that is wrong', () => {
    const bad = (change: object) => ({ ...schema, columns: [{ ...schema.columns[1], ...change }] });
    expectUserError(
      () => parseSchema('data/x/schema.json', bad({ maxNullFraction: 2 })),
      'data/x/schema.json: columns[0] ("age").maxNullFraction must be a number from 0 to 1',
    );
    expectUserError(() => parseSchema('s.json', bad({ regex: '(' })), 'columns[0] ("age").regex is not a valid regular expression');
    expectUserError(() => parseSchema('s.json', bad({ severity: { nulls: 'error' } })), 'unknown anomaly kind "nulls"');
    expectUserError(() => parseSchema('s.json', bad({ minimum: 0 })), 'columns[0] ("age"): unknown field "minimum"');
    expectUserError(() => parseSchema('s.json', { format: 'x' }), '"format" must be "ct-schema"');
  });
});

describe('every anomaly kind the code defines is produced', () => {
  /** What finds a kind: the schema's own rules, its inferred constraints, or code outside this checker. */
  type Finder = 'schema' | 'constraints' | 'input domain' | 'history' | 'screening' | 'model';
  /** An anomaly, or a history finding (its severity is set when screening reports it). */
  type Found = { kind: string; severity?: string };

  const constrained: DataSchema = {
    format: 'ct-schema',
    version: 2,
    columns: [
      {
        name: 'distance',
        type: 'number',
        maxNullFraction: 0,
        range: { min: 21, max: 4962 },
        constraints: { nonNegative: true, integer: true, band: { min: 0, max: 7500 } },
      },
    ],
  };
  const distances = (values: number[]): Anomaly[] => check(tableOf([numberColumn('distance', values)]), {}, constrained);
  /** The batch again, as a later file. */
  const twice = (): Table[] => [good(), tableOf([...good().columns], 'data/batch/2001-01-06.csv', 100)];

  /** The input-domain checker of a model trained on distances 100..1000 and origins A..E, on 20 rows of one distance and origin. */
  function inputDomain(distance: number, origin: string): Anomaly[] {
    const config = delayConfig([
      { name: 'log_distance', column: 'distance', transform: 'log1p' },
      { name: 'distance', column: 'distance' },
      { name: 'origin', column: 'origin' },
    ]);
    const n = 100;
    const training = tableOf([
      numberColumn(
        'delay',
        Array.from({ length: n }, (_, i) => (i % 4) * 10),
      ),
      numberColumn(
        'distance',
        Array.from({ length: n }, (_, i) => 100 + (900 * i) / (n - 1)),
      ),
      stringColumn(
        'origin',
        Array.from({ length: n }, (_, i) => 'ABCDE'[i % 5]!),
      ),
    ]);
    const checker = createInputDomainChecker(fitPreprocessing(training, config), { model: 'the candidate' });
    checker.add(tableOf([numberColumn('distance', Array(20).fill(distance)), stringColumn('origin', Array(20).fill(origin))]));
    return checker.result();
  }

  /**
   * Screens a folder `data/` of the given daily partitions (name -> contents) with a config of
   * `fields` over the base one (label `delay > 15`) and a schema of `columns`, without a
   * production model; the folder is removed afterwards.
   */
  async function screenFolder(files: Record<string, string>, fields: Record<string, unknown>, columns: ColumnSchema[]): Promise<Screening> {
    const dir = mkdtempSync(path.join(tmpdir(), 'ct-kinds-'));
    try {
      const data = path.join(dir, 'data');
      mkdirSync(data);
      for (const [name, text] of Object.entries(files)) writeFileSync(path.join(data, name), text);
      const config = checkConfig(path.join(dir, 'ct.config.yaml'), {
        name: 'm',
        task: 'binary',
        label: 'delay > 15',
        gates: [{ metric: 'auc', lowerBound: 0.5 }],
        ...fields,
      });
      const schema: DataSchema = { format: 'ct-schema', version: 2, columns };
      return await screenPartitions({
        config,
        baseDir: dir,
        source: data,
        schema,
        schemaFile: path.join(data, 'schema.json'),
        production: null,
        logger: silentLogger,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Screening of a folder whose newest daily partition is not Parquet though named so. */
  async function unreadableNewest(): Promise<Anomaly[]> {
    const screening = await screenFolder(
      { '2001-01-01.csv': 'delay,origin\n1,ATL\n20,LAX\n', '2001-01-02.parquet': 'PAR1, then not a Parquet file' },
      { data: { path: 'data', split: { method: 'time', evaluationDays: 1 } }, features: [{ column: 'origin' }] },
      [
        { name: 'delay', type: 'number', maxNullFraction: 0 },
        { name: 'origin', type: 'string', maxNullFraction: 0 },
      ],
    );
    return screening.newest?.errors ?? [];
  }

  /** Screening of a folder whose newest daily partition has a block of delays one row below their flights (no production model). */
  async function misalignedNewest(): Promise<Anomaly[]> {
    const screening = await screenFolder(
      {
        '2001-02-28.csv': delayDayCsv(delayDay(1, { rows: 30_000, date: '2001-02-28' })),
        '2001-03-01.csv': delayDayCsv(delayDay(2, { rows: 30_000, slide: { from: 12_000, to: 15_000, by: 1 } })),
      },
      {
        data: { path: 'data', timestamp: 'date', split: { method: 'time', evaluationDays: 1 } },
        features: [{ column: 'origin' }, { name: 'hour', column: 'date', transform: 'hourOfDay' }],
      },
      [
        { name: 'date', type: 'timestamp', maxNullFraction: 0 },
        { name: 'delay', type: 'number', maxNullFraction: 0 },
        { name: 'origin', type: 'string', maxNullFraction: 0 },
      ],
    );
    return screening.anomalies;
  }

  /** Screening of 28 daily partitions of which 2001-01-24, a Wednesday, is missing (the window is the newest 14 days). */
  async function missingDay(): Promise<Anomaly[]> {
    const files: Record<string, string> = {};
    for (let d = 1; d <= 28; d++) if (d !== 24) files[`2001-01-${String(d).padStart(2, '0')}.csv`] = 'delay,origin\n1,ATL\n20,LAX\n';
    const screening = await screenFolder(
      files,
      { data: { path: 'data', window: { newestDays: 14 }, split: { method: 'time', evaluationDays: 1 } }, features: [{ column: 'origin' }] },
      [
        { name: 'delay', type: 'number', maxNullFraction: 0 },
        { name: 'origin', type: 'string', maxNullFraction: 0 },
      ],
    );
    return screening.anomalies;
  }

  /** Validation of a repository whose window trains on one day, a quarantined partial upload. */
  async function quarantinedWindow(): Promise<Anomaly[]> {
    const dir = mkdtempSync(path.join(tmpdir(), 'ct-kinds-'));
    try {
      const file = path.join(dir, 'ct.config.yaml');
      const loaded = { config: checkConfig(file, writeQuarantinedWindow(dir)), file, baseDir: dir, hash: '' };
      return (await runValidate({ loaded, outDir: path.join(dir, 'out'), logger: silentLogger })).result.anomalies;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** A folder's data file that is not named for a day (the CLI test in cli-incidents.test.ts runs it through ct validate). */
  function unreadFile(): Anomaly[] {
    const dir = mkdtempSync(path.join(tmpdir(), 'ct-kinds-'));
    try {
      writeFileSync(path.join(dir, '2001-01-01.csv'), 'delay\n1\n');
      writeFileSync(path.join(dir, 'latest.csv'), 'delay\n1\n');
      const anomaly = unreadFilesAnomaly(dir, DEFAULT_SEVERITY.unread_file);
      return anomaly === null ? [] : [anomaly];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /**
   * One way to produce each kind, through the code that finds it (the tests above and in
   * domain.test.ts, history.test.ts and bad-input.test.ts look at each closely). The
   * type asks for every AnomalyKind; the first test below asks the same at run time.
   */
  const producers: Record<AnomalyKind, { by: Finder; produce: () => Found[] | Promise<Found[]> }> = {
    empty_batch: { by: 'schema', produce: () => check([]) },
    missing_column: { by: 'schema', produce: () => check({ ...good(), columns: good().columns.filter((c) => c.name !== 'origin') }) },
    new_column: { by: 'schema', produce: () => check({ ...good(), columns: [...good().columns, stringColumn('carrier', ['AA', 'UA', 'DL', 'WN'])] }) },
    type_mismatch: { by: 'schema', produce: () => check(replace(good(), numberColumn('date', [1, 2, 3, 4]))) },
    unparseable_value: { by: 'schema', produce: () => check(replace(good(), stringColumn('age', ['31', 'forty', '5', '99']))) },
    all_null: { by: 'schema', produce: () => check(replace(good(), numberColumn('age', [null, null, null, null]))) },
    nulls_above_threshold: { by: 'schema', produce: () => check(replace(good(), numberColumn('age', [null, 3, null, 4]))) },
    out_of_range: { by: 'schema', produce: () => check(replace(good(), numberColumn('age', [-3, 30, 5, 6]))) },
    non_finite: { by: 'schema', produce: () => check(replace(good(), numberColumn('age', [1, Number.POSITIVE_INFINITY, 3, 4]))) },
    unseen_category: { by: 'schema', produce: () => check(replace(good(), stringColumn('origin', ['ATL', 'XNA', 'XNA', 'SFO']))) },
    regex_mismatch: { by: 'schema', produce: () => check(replace(good(), stringColumn('code', ['AAA', 'bb1', 'CCC', 'DDD']))) },
    unique_violation: { by: 'schema', produce: () => check(twice()) },
    row_count_out_of_range: { by: 'schema', produce: () => check(good(), { expectedRows: { min: 10, max: 40, reason: 'test' } }) },
    duplicate_rows: { by: 'schema', produce: () => check(twice()) },
    outside_partition: { by: 'schema', produce: () => check(good(), { partitionTime: 'date' }) },
    negative_value: { by: 'constraints', produce: () => distances([-120, 130, 140, 150]) },
    non_integer: { by: 'constraints', produce: () => distances([120.5, 130, 140, 150]) },
    outside_band: { by: 'constraints', produce: () => distances([9000, 9100, 140, 150]) },
    input_non_finite: { by: 'input domain', produce: () => inputDomain(-5, 'A') },
    input_out_of_vocabulary: { by: 'input domain', produce: () => inputDomain(500, 'ZZZ') },
    input_far_from_training: { by: 'input domain', produce: () => inputDomain(5000, 'A') },
    partition_rows: { by: 'history', produce: () => compareWithHistory(day(28, { rows: 2_000 }), history(28), historyOptions) },
    partition_statistic: { by: 'history', produce: () => compareWithHistory(day(28, { distanceScale: 1.609 }), history(28), historyOptions) },
    label_rate: { by: 'history', produce: () => compareWithHistory(day(28, { labelRate: 0.8 }), history(28), historyOptions) },
    label_relation: { by: 'history', produce: () => compareWithHistory(day(28, { score: 0.5 }), history(28), historyOptions) },
    unreadable_file: { by: 'screening', produce: unreadableNewest },
    labels_misaligned: { by: 'screening', produce: misalignedNewest },
    missing_partition: { by: 'screening', produce: missingDay },
    unread_file: { by: 'screening', produce: unreadFile },
    window_quarantined: { by: 'screening', produce: quarantinedWindow },
    columns_exchanged: {
      by: 'model',
      produce: () => {
        const scores = {
          file: 'data/x/2001-01-29.csv',
          columns: ['destination', 'origin'] as const,
          date: '2001-01-29',
          model: 'v1',
          metric: 'auc',
          higherIsBetter: true,
          usual: { low: 0.7, high: 0.75 },
          rows: 900,
          before: [{ gain: -0.09, rows: 900 }],
        };
        const anomaly = exchangeAnomaly({ ...scores, asDelivered: 0.64, exchanged: 0.73 }, DEFAULT_SEVERITY.columns_exchanged);
        return anomaly === null ? [] : [anomaly];
      },
    },
  };

  it('a day that never arrived is a warning naming the day and how usual its weekday is', async () => {
    const [missing, ...others] = (await missingDay()).filter((a) => a.kind === 'missing_partition');
    expect(others).toEqual([]);
    expect(missing).toMatchObject({ severity: 'warning', count: 1 });
    expect(missing!.message).toMatch(
      /\/data: no partition for 2001-01-24, where 3 of the 4 Wednesdays from 2001-01-01 on have one: a missing upload\? The window is trained without that day\./,
    );
  });

  it('one producer for each kind of ANOMALY_KINDS, and no other', () => {
    expect(Object.keys(producers).sort()).toEqual([...ANOMALY_KINDS].sort());
  });

  it.each([...ANOMALY_KINDS])('%s', async (kind) => {
    const found = (await producers[kind].produce()).filter((f) => f.kind === kind);
    expect(found.length).toBeGreaterThan(0);
    // Nothing here overrides a severity: each anomaly has its kind's default.
    for (const f of found) if (f.severity !== undefined) expect([kind, f.severity]).toEqual([kind, DEFAULT_SEVERITY[kind]]);
  });

  it("kinds found beyond the schema's own rules (constraints, model inputs, history, unreadable files) are errors by default", () => {
    // A day that never arrived, or a file no run reads, puts no bad row into training: a warning, unless a team makes it an error.
    const beyond = ANOMALY_KINDS.filter((kind) => producers[kind].by !== 'schema' && kind !== 'missing_partition' && kind !== 'unread_file');
    expect(beyond.length).toBeGreaterThan(0);
    for (const kind of beyond) expect([kind, DEFAULT_SEVERITY[kind]]).toEqual([kind, 'error']);
  });
});
