/**
 * Hand-made bad batches, one per anomaly kind: each test fails if detection breaks.
 */
import { createAnomalyChecker, type Anomaly } from '../../src/validate/checker.js';
import { ANOMALY_KINDS, type DataSchema, parseSchema } from '../../src/validate/schema.js';
import type { Table } from '../../src/data/table.js';
import { expectUserError, numberColumn, stringColumn, tableOf } from '../helpers.js';

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

  it('missing_column', () => {
    const t = good();
    const a = only(check({ ...t, columns: t.columns.filter((c) => c.name !== 'origin') }), 'missing_column');
    expect(a).toMatchObject({ column: 'origin', severity: 'error', count: 4, share: 1 });
  });

  it('new_column is a warning', () => {
    const t = good();
    const a = only(check({ ...t, columns: [...t.columns, stringColumn('carrier', ['AA', 'UA', 'DL', 'WN'])] }), 'new_column');
    expect(a).toMatchObject({ column: 'carrier', severity: 'warning' });
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

  it('out_of_range: a negative age breaks the constraint (error); a value past the inferred range warns', () => {
    const anomalies = check(replace(good(), numberColumn('age', [-3, 130, 5, 6])));
    const ranges = anomalies.filter((a) => a.kind === 'out_of_range');
    expect(ranges.map((a) => [a.severity, a.count, a.examples[0]!.value])).toEqual([
      ['error', 1, '-3'],
      ['warning', 1, '130'],
    ]);
  });

  it('out_of_range on timestamps against the inferred range', () => {
    const a = only(check(replace(good(), numberColumn('date', [T('2001-01-02T00:00Z'), T('2001-03-01T00:00Z'), T('2001-01-03T00:00Z'), T('2001-01-04T00:00Z')], 'timestamp'))), 'out_of_range');
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
    const tolerant = { ...schema, columns: schema.columns.map((c) => (c.name === 'origin' ? { ...c, maxUnseenShare: 0.5 } : c)) };
    expect(check(replace(good(), stringColumn('origin', ['ATL', 'XNA', 'XNA', 'SFO'])), {}, tolerant)).toEqual([]);
  });

  it('regex_mismatch', () => {
    const a = only(check(replace(good(), stringColumn('code', ['AAA', 'bb1', 'CCC', 'DDD']))), 'regex_mismatch');
    expect(a.examples[0]).toMatchObject({ row: 2, value: 'bb1' });
  });

  it('unique_violation across chunks', () => {
    const first = good();
    const second = tableOf(
      [
        numberColumn('date', [T('2001-01-06T10:00Z')], 'timestamp'),
        numberColumn('age', [20]),
        stringColumn('origin', ['LAX']),
        stringColumn('code', ['BBB']),
      ],
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
    const again = tableOf(t.columns.map((c) => c), 'data/batch/2001-01-06.csv', 100);
    const a = only(check([t, again]), 'duplicate_rows');
    expect(a).toMatchObject({ severity: 'warning', count: 4, examples: [{ file: 'data/batch/2001-01-06.csv', row: 101 }, { row: 102 }, { row: 103 }, { row: 104 }] });
    // Equal values in a different column order are the same row.
    expect(check([t, { ...t, columns: [...t.columns].reverse() }]).filter((x) => x.kind === 'duplicate_rows')).toHaveLength(1);
  });

  it('outside_partition: rows of a daily partition dated another day, when the batch is partitioned', () => {
    // good() is 2001-01-05.csv with rows of the 2nd to the 5th: three rows are on other days.
    const a = only(check(good(), { partitionTime: 'date' }), 'outside_partition');
    expect(a).toMatchObject({ column: 'date', severity: 'warning', count: 3, examples: [{ file: 'data/batch/2001-01-05.csv', row: 1, value: '2001-01-02T10:00:00.000Z' }, { row: 2 }, { row: 3 }] });
    // Not asked for (a single file, or no timestamp): not checked; a file not named for a day: not checked.
    expect(check(good())).toEqual([]);
    const misnamed = tableOf(good().columns.map((c) => c), 'data/batch/january.csv');
    expect(check(misnamed, { partitionTime: 'date' })).toEqual([]);
    // The rows of each file are checked against that file's day.
    const first = tableOf([numberColumn('date', [T('2001-01-05T23:59Z')], 'timestamp'), numberColumn('age', [1]), stringColumn('origin', ['ATL']), stringColumn('code', ['XYZ'])], 'data/batch/2001-01-05.csv');
    const second = tableOf([numberColumn('date', [T('2001-01-06T00:00Z')], 'timestamp'), numberColumn('age', [2]), stringColumn('origin', ['LAX']), stringColumn('code', ['ZYX'])], 'data/batch/2001-01-06.csv');
    expect(check([first, second], { partitionTime: 'date' })).toEqual([]);
  });

  it('severity can be overridden by config and per column in the schema', () => {
    const bad = replace(good(), stringColumn('origin', ['ATL', 'XNA', 'XNA', 'SFO']));
    expect(only(check(bad, { severity: { unseen_category: 'warning' } }), 'unseen_category').severity).toBe('warning');
    const perColumn = { ...schema, columns: schema.columns.map((c) => (c.name === 'origin' ? { ...c, severity: { unseen_category: 'warning' as const } } : c)) };
    expect(only(check(bad, { severity: { unseen_category: 'error' } }, perColumn), 'unseen_category').severity).toBe('warning');
  });

  it('every anomaly kind is covered by a test above', () => {
    const tested = ['empty_batch', 'missing_column', 'new_column', 'type_mismatch', 'unparseable_value', 'all_null', 'nulls_above_threshold', 'out_of_range', 'non_finite', 'unseen_category', 'regex_mismatch', 'unique_violation', 'row_count_out_of_range', 'duplicate_rows', 'outside_partition'];
    expect([...ANOMALY_KINDS].sort()).toEqual(tested.sort());
  });
});

describe('parseSchema', () => {
  it('names the field that is wrong', () => {
    const bad = (change: object) => ({ ...schema, columns: [{ ...schema.columns[1], ...change }] });
    expectUserError(() => parseSchema('data/x/schema.json', bad({ maxNullFraction: 2 })), 'data/x/schema.json: columns[0] ("age").maxNullFraction must be a number from 0 to 1');
    expectUserError(() => parseSchema('s.json', bad({ regex: '(' })), 'columns[0] ("age").regex is not a valid regular expression');
    expectUserError(() => parseSchema('s.json', bad({ severity: { nulls: 'error' } })), 'unknown anomaly kind "nulls"');
    expectUserError(() => parseSchema('s.json', bad({ minimum: 0 })), 'columns[0] ("age"): unknown field "minimum"');
    expectUserError(() => parseSchema('s.json', { format: 'x' }), '"format" must be "ct-schema"');
  });
});
