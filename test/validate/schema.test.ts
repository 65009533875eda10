import { lineDiff } from '../../src/report/diff.js';
import { type DataSchema, widenSchema } from '../../src/validate/schema.js';
import { computeStatistics } from '../../src/validate/statistics.js';
import { numberColumn, stringColumn, tableOf } from '../helpers.js';

const schema: DataSchema = {
  format: 'ct-schema',
  version: 2,
  columns: [
    { name: 'age', type: 'number', maxNullFraction: 0, min: 0, range: { min: 0, max: 100 } },
    { name: 'origin', type: 'string', maxNullFraction: 0, domain: ['ATL', 'LAX'] },
  ],
};

describe('widenSchema (ct validate --update-schema)', () => {
  const batch = tableOf([numberColumn('age', [5, 130, null, -2]), stringColumn('origin', ['ATL', 'XNA', 'LAX', 'ORD']), stringColumn('carrier', ['AA', 'UA', 'DL', 'AA'])]);
  const widened = widenSchema(schema, computeStatistics(batch));

  it('widens the inferred range, the domain and the null allowance to accept the batch', () => {
    expect(widened.columns[0]).toMatchObject({ range: { min: -2, max: 130 }, maxNullFraction: 0.25 });
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

describe('lineDiff', () => {
  it('marks removed and added lines with context', () => {
    expect(lineDiff('a\nb\nc\nd', 'a\nb\nX\nd', 1)).toBe(' b\n-c\n+X\n d');
    expect(lineDiff('same', 'same')).toBe('');
  });
});
