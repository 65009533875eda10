import { describe, expect, test } from '@jest/globals';
import { columnNames, joinColumns } from '../../src/validate/metric-names.js';
import { describeMetric } from '../../src/validate/history.js';

describe('names of metrics that join columns', () => {
  test('plain names join as people read them', () => {
    expect(joinColumns('<-', 'distance', ['origin', 'destination'])).toBe('distance<-origin+destination');
    expect(joinColumns('|', 'delay', 'origin')).toBe('delay|origin');
    expect(joinColumns('+', 'origin', 'destination')).toBe('origin+destination');
  });

  test('every name comes back whole, whatever separators it holds', () => {
    const names = ['a+b', 'x|y', 'from<-to', 'back\\slash', '<', '+', '\\', 'plain', ''];
    for (const target of names) {
      for (const key of names) {
        expect(columnNames(joinColumns('<-', target, [key, 'k2']))).toEqual([target, key, 'k2']);
        expect(columnNames(joinColumns('|', target, key))).toEqual([target, key]);
        expect(columnNames(joinColumns('+', target, key))).toEqual([target, key]);
      }
    }
  });

  test('two pairs whose names differ only in where the separator falls have different names', () => {
    expect(joinColumns('+', 'a+b', 'c')).not.toBe(joinColumns('+', 'a', 'b+c'));
  });

  test('a finding names the columns of its pair as they are, a "+" in a name included', () => {
    const column = joinColumns('+', 'home+away', 'away team');
    expect(describeMetric({ metric: `${column}.reversedShare`, column }, 'label')).toMatch(/^direction of "home\+away" and "away team": /);
    const dependency = joinColumns('<-', 'fare|usd', ['from+', 'to']);
    expect(describeMetric({ metric: `${dependency}.mismatchShare`, column: dependency }, 'label')).toMatch(/^dependency of "fare\|usd" on "from\+" and "to": /);
  });
});
