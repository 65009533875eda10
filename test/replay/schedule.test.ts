import { formatDuration, parsePeriod, periodEnd, progressBar, replaySchedule, summarisePolicies } from '../../src/replay/schedule.js';

describe('replay schedule', () => {
  it('steps from..to inclusive, like pandas date_range: 22 weekly steps 2001-01-29..06-25', () => {
    const steps = replaySchedule('2001-01-29', '2001-06-25', 7);
    expect(steps).toHaveLength(22);
    expect(steps.slice(0, 3)).toEqual(['2001-01-29', '2001-02-05', '2001-02-12']);
    expect(steps.at(-1)).toBe('2001-06-25');
    expect(replaySchedule('2001-02-27', '2001-03-02', 1)).toEqual(['2001-02-27', '2001-02-28', '2001-03-01', '2001-03-02']);
    expect(periodEnd('2001-02-26', 7)).toBe('2001-03-04');
  });

  it('periods and dates that cannot be used name the flag', () => {
    expect(parsePeriod('7d')).toBe(7);
    expect(parsePeriod('2w')).toBe(14);
    expect(parsePeriod('3')).toBe(3);
    for (const bad of ['0', 'week', '-1d', '1.5d', '400']) expect(() => parsePeriod(bad)).toThrow(/^--every: expected a period such as 7d/);
    expect(() => replaySchedule('2001-02-30', '2001-03-01', 7)).toThrow('--from: expected a date YYYY-MM-DD, got "2001-02-30"');
    expect(() => replaySchedule('2001-03-01', '2001-02-01', 7)).toThrow('--from 2001-03-01 is after --to 2001-02-01');
  });

  it('summaries: means over the steps a policy served, how often its model changed, its runner seconds', () => {
    const s = summarisePolicies(
      [
        { never: null, always: 0.6, gated: 0.6 },
        { never: 0.5, always: 0.7, gated: 0.6 },
        { never: 0.7, always: 0.8, gated: 0.9 },
      ],
      [
        { never: null, always: 'a', gated: 'v1' },
        { never: 'v1', always: 'b', gated: 'v1' },
        { never: 'v1', always: 'c', gated: 'v2' },
      ],
      [
        { validate: 1, train: 4, evaluate: 2, promote: 0.5 },
        { validate: 1, train: 3, evaluate: 2, promote: 0 },
        { validate: 2, train: 0, evaluate: 0, promote: 0 },
      ],
    );
    expect(s.never).toEqual({ mean: 0.6, min: 0.5, max: 0.7, steps: 2, changes: 1, runnerSeconds: 7.5 });
    // Always validates and trains every step; gated also evaluates and promotes.
    expect(s.always.runnerSeconds).toBe(11);
    expect(s.gated.runnerSeconds).toBe(15.5);
    expect(s.always.mean).toBeCloseTo(0.7, 12);
    expect(s.always.changes).toBe(2);
    expect(s.gated.changes).toBe(1);
  });

  it('progress: a bar and durations people read', () => {
    expect(progressBar(5, 20, 10)).toBe('[###-------]');
    expect(progressBar(20, 20, 10)).toBe('[##########]');
    expect(formatDuration(38)).toBe('38s');
    expect(formatDuration(245)).toBe('4m 05s');
    expect(formatDuration(3 * 3600 + 125)).toBe('3h 02m');
  });
});
