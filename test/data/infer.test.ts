import { isNumberBytes, parseBooleanBytes, parseNumberBytes, parseTimestampBytes, parseTimestampString, withColumnTypes } from '../../src/data/infer.js';
import { numberColumn, stringColumn, tableOf } from '../helpers.js';

const bytes = (s: string): Uint8Array => Buffer.from(s);
const number = (s: string): number => parseNumberBytes(bytes(s), 0, s.length);
const time = (s: string): number => parseTimestampBytes(bytes(s), 0, s.length);

describe('number parsing', () => {
  test('agrees with Number() on decimal notation, to the last bit', () => {
    const samples = ['0', '-0', '1', '-17', '3.5', '.5', '5.', '0.1', '0.30000000000000004', '123456789012345', '1234567890123456789',
      '1e3', '1E-7', '-2.5e+10', '9007199254740993', '0.000001234', '1e-400', '1e400', '+4'];
    let seed = 12345;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 2000; i++) samples.push((random() * 10 ** Math.floor(random() * 12 - 4)).toPrecision(1 + Math.floor(random() * 17)));
    for (const s of samples) expect(Object.is(number(s), Number(s))).toBe(true);
  });

  test('rejects what is not a plain number and accepts NaN/Infinity spellings', () => {
    for (const s of ['', '-', '.', 'e5', '1e', '1.2.3', '0x10', ' 1', '1 ', '1,5', '12a', 'abc', '--1']) expect(isNumberBytes(bytes(s), 0, s.length)).toBe(false);
    expect(number('inf')).toBe(Infinity);
    expect(number('-Infinity')).toBe(-Infinity);
    expect(isNumberBytes(bytes('NaN'), 0, 3)).toBe(true);
  });

  test('booleans are true/false in any case', () => {
    expect(['true', 'TRUE', 'False', 'false', 'yes', '1', 'truee'].map((s) => parseBooleanBytes(bytes(s), 0, s.length))).toEqual([1, 1, 0, 0, -1, -1, -1]);
  });
});

describe('timestamp parsing', () => {
  test('ISO-8601 dates and date-times, UTC when no zone is given', () => {
    expect(time('2001-01-01')).toBe(Date.UTC(2001, 0, 1));
    expect(time('2001-01-01T06:05')).toBe(Date.UTC(2001, 0, 1, 6, 5));
    expect(time('2001-01-01 06:05:07')).toBe(Date.UTC(2001, 0, 1, 6, 5, 7));
    expect(time('2001-01-01T06:05:07Z')).toBe(Date.UTC(2001, 0, 1, 6, 5, 7));
    expect(time('2001-01-01T06:05:07.123Z')).toBe(Date.UTC(2001, 0, 1, 6, 5, 7, 123));
    expect(time('2001-01-01T06:05:07+02:00')).toBe(Date.UTC(2001, 0, 1, 4, 5, 7));
    expect(time('2001-01-01T06:05-0130')).toBe(Date.UTC(2001, 0, 1, 7, 35));
    expect(time('2000-02-29')).toBe(Date.UTC(2000, 1, 29));
    expect(time('1969-12-31T23:59:59Z')).toBe(-1000);
    expect(parseTimestampString('2024-06-30T12:00:00Z')).toBe(Date.UTC(2024, 5, 30, 12));
  });

  test('rejects impossible or partial dates', () => {
    for (const s of ['2001-02-29', '2001-13-01', '2001-00-10', '2001-01-32', '2001/01/01', '2001-1-1', '20010101', '2001-01-01T24:00',
      '2001-01-01T06', '2001-01-01T06:5', '2001-01-01T06:05:60', '2001-01-01T06:05Z1', '2001-01-01X06:05', '2001-01-01T06:05+25:00']) {
      expect(Number.isNaN(time(s))).toBe(true);
    }
    expect(Number.isNaN(parseTimestampString('２００１-01-01'))).toBe(true);
  });
});

describe('withColumnTypes', () => {
  it('reads a text column as the number or time its schema says, values that do not parse as nulls', () => {
    const table = tableOf([
      stringColumn('distance', ['2176', ' 215 ', 'distance', 'N/A', null, '1e3']),
      stringColumn('date', ['2001-03-01T07:05', 'date', '2001-03-01', '', null, 'x']),
      stringColumn('origin', ['LAS', 'ATL', 'origin', 'ORD', null, 'SFO']),
      numberColumn('delay', [1, 2, 3, 4, 5, 6]),
    ]);
    const typed = withColumnTypes(
      table,
      new Map([
        ['distance', 'number'],
        ['date', 'timestamp'],
        ['delay', 'number'],
      ]),
    );
    const distance = typed.columns[0]!;
    expect(distance.type).toBe('number');
    expect(Array.from(distance.type === 'number' ? distance.values : [])).toEqual([2176, 215, NaN, NaN, NaN, 1000]);
    expect(Array.from(distance.nulls!)).toEqual([0, 0, 1, 1, 1, 0]);
    const date = typed.columns[1]!;
    expect(date.type).toBe('timestamp');
    expect(Array.from(date.nulls!)).toEqual([0, 1, 0, 1, 1, 1]);
    expect(date.type === 'timestamp' && date.values[0]).toBe(Date.UTC(2001, 2, 1, 7, 5));
    // Text the schema calls text, and columns already typed, are left as they are.
    expect(typed.columns[2]).toBe(table.columns[2]);
    expect(typed.columns[3]).toBe(table.columns[3]);
    expect(withColumnTypes(table, new Map())).toBe(table);
  });
});
