import { MAX_SLICES_PER_SPEC, sliceTable } from '../../src/evaluate/slices.js';
import { expectUserError, numberColumn, stringColumn, tableOf } from '../helpers.js';

const hours = [0, 5, 6, 11, 12, 17, 18, 23, 7, null];
const table = tableOf([
  stringColumn('origin', ['ORD', 'ATL', 'ORD', 'LAX', 'ATL', 'ORD', null, 'SFO', 'ORD', 'ATL']),
  numberColumn(
    'date',
    hours.map((h) => (h === null ? null : Date.UTC(2001, 0, 1, h, 30))),
    'timestamp',
  ),
  numberColumn('distance', [100, 250, 400, 900, 1500, 80, 2600, 700, 300, 450]),
]);
const keysAndRows = (specs: Parameters<typeof sliceTable>[1]) => sliceTable(table, specs).slices.map((s) => [s.key, Array.from(s.rows)]);

describe('sliceTable', () => {
  it('top-N takes the most frequent values, largest first; null rows are in no slice', () => {
    expect(keysAndRows([{ name: 'origin', column: 'origin', top: 2 }])).toEqual([
      ['origin=ORD', [0, 2, 5, 8]],
      ['origin=ATL', [1, 4, 9]],
    ]);
  });

  it('hand-listed values keep their order, and a value with no rows is still reported', () => {
    expect(keysAndRows([{ name: 'o', column: 'origin', values: ['SFO', 'BOS'] }])).toEqual([
      ['o=SFO', [7]],
      ['o=BOS', []],
    ]);
  });

  it('buckets of the hour of day of a timestamp, and of a numeric column', () => {
    expect(keysAndRows([{ name: 'hour', column: 'date', transform: 'hourOfDay', boundaries: [6, 12, 18] }])).toEqual([
      ['hour=<6', [0, 1]],
      ['hour=[6,12)', [2, 3, 8]],
      ['hour=[12,18)', [4, 5]],
      ['hour=>=18', [6, 7]],
    ]);
    expect(keysAndRows([{ name: 'd', column: 'distance', boundaries: [500] }]).map(([k, rows]) => [k, (rows as number[]).length])).toEqual([
      ['d=<500', 6],
      ['d=>=500', 4],
    ]);
  });

  it('every value when no selection is given, capped with a warning', () => {
    const many = tableOf([
      numberColumn(
        'x',
        Array.from({ length: MAX_SLICES_PER_SPEC + 5 }, (_, i) => i),
      ),
    ]);
    const r = sliceTable(many, [{ name: 'x', column: 'x' }]);
    expect(r.slices).toHaveLength(MAX_SLICES_PER_SPEC);
    expect(r.warnings).toEqual([
      `slice "x": ${MAX_SLICES_PER_SPEC + 5} distinct values, only the ${MAX_SLICES_PER_SPEC} most frequent are scored (set top or values)`,
    ]);
    expect(sliceTable(table, [{ name: 'dow', column: 'date', transform: 'dayOfWeek' }]).slices.map((s) => s.key)).toEqual(['dow=1']);
  });

  it('a missing column or a transform on the wrong type names the config field', () => {
    expectUserError(
      () => sliceTable(table, [{ name: 'c', column: 'carrier', top: 3 }]),
      'evaluation.slices[0].column: "carrier" is not a column of the evaluation data',
    );
    expectUserError(
      () => sliceTable(table, [{ name: 'o', column: 'origin', transform: 'hourOfDay' }]),
      'evaluation.slices[0].transform: hourOfDay needs a timestamp column, "origin" is string',
    );
    expectUserError(
      () => sliceTable(table, [{ name: 'o', column: 'origin', boundaries: [1] }]),
      'evaluation.slices[0].boundaries: buckets need a number column or a transform',
    );
  });
});
