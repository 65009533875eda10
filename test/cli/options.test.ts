/** The parsers of option values, and the actions' inputs checked by the same ones. */
import { BACKENDS, date, names, oneOf, partitionDay, period, wholeNumber } from '../../src/cli/options.js';
import { UserError } from '../../src/errors.js';
import { commonInputs } from '../../src/actions/run-action.js';

/** The UserError message of `f`, or what it returned. */
function outcome(f: () => unknown): unknown {
  try {
    return f();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
}

test('whole numbers: digits only, at least the minimum', () => {
  const parse = wholeNumber(1);
  expect(['1', '12', ' 3 '].map((t) => parse(t, '--n'))).toEqual([1, 12, 3]);
  for (const bad of ['0', '-1', '1.5', '1e1', '0x10', '', 'two', '99999999999999999999'])
    expect(outcome(() => parse(bad, '--n'))).toBe(`--n: expected a whole number >= 1, got ${bad}`);
  expect(outcome(() => wholeNumber(2, ' of days')('1', '--window-days'))).toBe('--window-days: expected a whole number of days >= 2, got 1');
});

test('choices, days, periods and lists', () => {
  expect(oneOf(BACKENDS)('wasm', '--backend')).toBe('wasm');
  expect(outcome(() => oneOf(BACKENDS)('WASM', '--backend'))).toBe('--backend: expected auto, fused, tensorflow, wasm or cpu, got "WASM"');
  expect(date('2001-02-28', '--from')).toBe('2001-02-28');
  expect(outcome(() => date('2001-02-29', '--from'))).toBe('--from: expected a date YYYY-MM-DD, got "2001-02-29"');
  expect(partitionDay('2001-03-01', '--accept')).toBe('2001-03-01');
  expect(outcome(() => partitionDay('20010301', '--accept'))).toBe('--accept: expected the day of a partition, YYYY-MM-DD, got "20010301"');
  expect(period('2w', '--every')).toBe('2w');
  expect(outcome(() => period('0d', '--every'))).toMatch(/^--every: expected a period such as 7d/);
  expect(names(' origin, ,tail_number ', '--keep')).toEqual(['origin', 'tail_number']);
});

describe("the actions' inputs", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test('a backend that is not one is a UserError naming the input', () => {
    process.env.INPUT_BACKEND = 'gpu';
    expect(outcome(() => commonInputs())).toBe('input backend: expected auto, fused, tensorflow, wasm or cpu, got "gpu"');
    process.env.INPUT_BACKEND = 'cpu';
    expect(commonInputs()).toMatchObject({ backend: 'cpu' });
  });
});
