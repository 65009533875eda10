/**
 * Request bodies of ct serve: JSON objects and arrays, CSV typed by the schema, and the
 * one-line refusals a client gets for a body it cannot use.
 */
import { valueAt } from '../../src/data/table.js';
import { csvRecords, parseRequest, RequestError } from '../../src/serve/requests.js';
import type { DataSchema } from '../../src/validate/schema.js';

const schema = {
  columns: [
    { name: 'date', type: 'timestamp' },
    { name: 'distance', type: 'number' },
    { name: 'origin', type: 'string' },
    { name: 'late', type: 'boolean' },
  ],
} as unknown as DataSchema;

const refusal = (f: () => unknown): RequestError => {
  try {
    f();
  } catch (error) {
    if (error instanceof RequestError) return error;
    throw error;
  }
  throw new Error('not refused');
};

describe('parseRequest', () => {
  test('one JSON object is one row answered singly; an array is a batch', () => {
    const one = parseRequest(Buffer.from('{"date":"2001-01-15T08:05","distance":500,"origin":"ORD"}'), 'application/json', schema, 10);
    expect(one.single).toBe(true);
    expect(one.table.rowCount).toBe(1);
    expect(one.table.columns.map((c) => [c.name, c.type])).toEqual([
      ['date', 'timestamp'],
      ['distance', 'number'],
      ['origin', 'string'],
    ]);
    const many = parseRequest(Buffer.from('[{"distance":1},{"distance":2,"origin":"LGA"}]'), undefined, schema, 10);
    expect(many.single).toBe(false);
    expect(many.table.rowCount).toBe(2);
    expect(
      valueAt(
        many.table.columns.find((c) => c.name === 'origin')!,
        0,
      ),
    ).toBeNull();
  });

  test('a body labelled as a form (curl -d) is still read as JSON', () => {
    expect(parseRequest(Buffer.from('{"distance":1}'), 'application/x-www-form-urlencoded', schema, 10).table.rowCount).toBe(1);
  });

  test('CSV rows are typed as the schema types their columns, quotes and CRLF included', () => {
    const body = 'date,distance,origin,late\r\n2001-01-15T08:05,500,"O""RD",true\r\n2001-01-15T09:05,,"LGA, NY",false\r\n';
    const { table, single } = parseRequest(Buffer.from(body), 'text/csv; charset=utf-8', schema, 10);
    expect(single).toBe(false);
    expect(table.columns.map((c) => [c.name, c.type])).toEqual([
      ['date', 'timestamp'],
      ['distance', 'number'],
      ['origin', 'string'],
      ['late', 'boolean'],
    ]);
    expect([0, 1].map((i) => table.columns.map((c) => valueAt(c, i)))).toEqual([
      ['2001-01-15T08:05:00.000Z', 500, 'O"RD', true],
      ['2001-01-15T09:05:00.000Z', null, 'LGA, NY', false],
    ]);
    // A number column's field that does not parse stays text, so the schema check names it.
    expect(csvRecords('distance\nfar\n', schema, 10)).toEqual([{ distance: 'far' }]);
  });

  test('bodies it cannot use are refused with the status and a line that says what to send', () => {
    expect(refusal(() => parseRequest(Buffer.from('{bad'), 'application/json', schema, 10))).toMatchObject({
      status: 400,
      message: expect.stringMatching(/^body is not valid JSON/),
    });
    expect(refusal(() => parseRequest(Buffer.from('[]'), 'application/json', schema, 10)).status).toBe(400);
    expect(refusal(() => parseRequest(Buffer.from('[{"a":1},3]'), 'application/json', schema, 10)).message).toBe(
      'row 2: expected a JSON object of column -> value, found 3',
    );
    expect(refusal(() => parseRequest(Buffer.from('[{},{},{}]'), 'application/json', schema, 2))).toMatchObject({ status: 413 });
    expect(refusal(() => parseRequest(Buffer.from('a,b\n1\n'), 'text/csv', schema, 10)).message).toBe('CSV body row 1: expected 2 fields, found 1');
    expect(refusal(() => parseRequest(Buffer.from('a\n"open\n'), 'text/csv', schema, 10)).message).toMatch(/quoted field is not closed/);
  });
});
