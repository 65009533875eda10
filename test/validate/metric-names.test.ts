import { describe, expect, test } from '@jest/globals';
import { columnNames, columnOf, joinColumns, statisticOf } from '../../src/validate/metric-names.js';
import { describeMetric, describeStatistic } from '../../src/validate/history-words.js';

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

  test('a metric is its column and its statistic, split at the last dot: a column name may hold dots', () => {
    expect([columnOf('delay.lowTailShare'), statisticOf('delay.lowTailShare')]).toEqual(['delay', 'lowTailShare']);
    expect([columnOf('fare.usd.mean'), statisticOf('fare.usd.mean')]).toEqual(['fare.usd', 'mean']);
    const pair = joinColumns('|', 'delay', 'input:hour');
    expect([columnOf(`${pair}.eta2`), statisticOf(`${pair}.eta2`)]).toEqual([pair, 'eta2']);
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

  test('a statistic named beside a finding of the same column loses only its subject, whatever the words or the name hold', () => {
    expect(describeStatistic({ metric: 'delay.roundShare', column: 'delay' }, 'label')).toBe(
      'share of values rounder than its usual precision (multiples of ten times its resolution: rounded upstream?)',
    );
    expect(describeStatistic({ metric: 'ratio: a/b.resolution', column: 'ratio: a/b' }, 'label')).toBe(
      'precision: the power of ten nearly every value is a multiple of (rounded upstream?)',
    );
    const dependency = joinColumns('<-', 'fare: usd', ['from', 'to']);
    expect(describeStatistic({ metric: `${dependency}.mismatchShare`, column: dependency }, 'label')).toBe(
      'share of rows whose fare: usd is not the value their from and to had on earlier days',
    );
  });
});
