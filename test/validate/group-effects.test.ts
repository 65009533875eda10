/**
 * Group effects: where each group of a near-determined relation sits, and how far a day's groups
 * moved from there. Each test fails if a swap of groups goes unseen or a common shift is
 * taken for one.
 */
import { effectMetrics, effectPool, type GroupEffects } from '../../src/validate/group-effects.js';
import { compareWithHistory } from '../../src/validate/history.js';
import { createRelations, type PartitionProfile, profileOf } from '../../src/validate/profile.js';
import { computeStatistics } from '../../src/validate/statistics.js';
import { numberColumn, stringColumn, tableOf } from '../helpers.js';
import { dateOf, options } from './history-days.js';

describe('effectMetrics', () => {
  const usual: GroupEffects = { 'rpm|machine': { A: [100, 1500], B: [100, 1480], C: [100, 1800] } };

  test('0 where every group sits where it usually does, whatever their common level', () => {
    const pool = effectPool([{ effects: usual }, { effects: usual }]);
    expect(effectMetrics(usual, pool, false)['rpm|machine.effectShift']).toBeCloseTo(0, 12);
    const warm: GroupEffects = { 'rpm|machine': { A: [100, 1508], B: [100, 1488], C: [100, 1808] } };
    expect(effectMetrics(warm, pool, false)['rpm|machine.effectShift']).toBeCloseTo(0, 12);
  });

  test('two groups that traded places: their moves as a share of how far the groups sit apart', () => {
    const swapped: GroupEffects = { 'rpm|machine': { A: [100, 1480], B: [100, 1500] } };
    // A and B alone: usually 10 either side of their mean; today each on the other side, 20 off: √(800 / 200).
    expect(effectMetrics(swapped, effectPool([{ effects: usual }]), false)['rpm|machine.effectShift']).toBeCloseTo(2, 9);
  });

  test('leave-one-out: a pooled day is measured against the other days only', () => {
    const other: GroupEffects = { 'rpm|machine': { A: [100, 1480], B: [100, 1500], C: [100, 1800] } };
    const pool = effectPool([{ effects: usual }, { effects: other }]);
    // Against the other day alone, `usual` has A and B swapped.
    expect(effectMetrics(usual, pool, true)['rpm|machine.effectShift']).toBeGreaterThan(0.001);
    expect(effectMetrics(usual, pool, false)['rpm|machine.effectShift']).toBeLessThan(effectMetrics(usual, pool, true)['rpm|machine.effectShift']!);
  });
});

describe('group effects in the history', () => {
  // Three machines, each at its own speed and temperature, on days of their own warmth.
  const machines = (i: number, swap = false): PartitionProfile => {
    let seed = 500 + i;
    const random = (): number => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
    const ambient = 20 + 6 * Math.sin(i);
    const names: string[] = [];
    const rpm: number[] = [];
    const temp: number[] = [];
    for (let k = 0; k < 900; k++) {
      const m = k % 3;
      names.push(swap && m < 2 ? ['B', 'A'][m]! : ['A', 'B', 'C'][m]!);
      rpm.push(Math.round([1500, 1480, 1800][m]! + 10 * (random() - 0.5)));
      temp.push(Math.round((ambient + [0, 3, -2][m]! + 2 * (random() - 0.5)) * 100) / 100);
    }
    const table = tableOf([stringColumn('machine', names), numberColumn('rpm', rpm), numberColumn('temp', temp)]);
    const relations = createRelations();
    relations.add(table);
    return profileOf(dateOf(i), computeStatistics(table), { duplicates: 0, relations: relations.result(), effects: relations.effects() });
  };
  const days = Array.from({ length: 21 }, (_, i) => machines(i));

  test('a day of its own warmth: nothing', () => {
    expect(compareWithHistory(machines(21), days, options)).toEqual([]);
  });

  test("two machines' names swapped keep every relation's strength and move their groups", () => {
    const findings = compareWithHistory(machines(21, true), days, options);
    expect(findings.map((f) => f.metric)).toEqual(expect.arrayContaining(['rpm|machine.effectShift', 'temp|machine.effectShift']));
    expect(findings.some((f) => f.metric.endsWith('.eta2') || f.metric.endsWith('.signal'))).toBe(false);
  });
});
