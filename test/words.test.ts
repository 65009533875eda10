import { alternatives, percent } from '../src/words.js';

test('a share reads with the digits that show it: 8.0%, 0.25%, 0.003% (never 0.00% for a row that is there)', () => {
  expect([0, 1, 0.08, 0.0025, 0.0001, 1 / 33_689, 0.00004].map(percent)).toEqual(['0.0%', '100.0%', '8.0%', '0.25%', '0.01%', '0.003%', '0.004%']);
});

test('alternatives', () => {
  expect([[], ['a'], ['a', 'b'], ['a', 'b', 'c']].map((w) => alternatives(w))).toEqual(['', 'a', 'a or b', 'a, b or c']);
  expect(alternatives(['a', 'b', 'c'], 'and')).toBe('a, b and c');
});
