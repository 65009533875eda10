/**
 * Partition-parallel statistics: groups of partitions summarised apart (processes, or
 * matrix jobs) and merged give what one pass over all of them gives.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { groupFiles } from '../../src/pipeline/stats.js';
import { ct, shippedPartitions, tempRepo } from './repo.js';

/** Where two statistics differ: every number exactly, except mean, std and m2 up to rounding (summation order). */
function differences(a: unknown, b: unknown, at = ''): string[] {
  if (typeof a === 'number' && typeof b === 'number') {
    const rounding = /\.(mean|std|m2)$/.test(at);
    const equal = rounding ? Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a)) : a === b;
    return equal ? [] : [`${at}: ${a} vs ${b}`];
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`));
  }
  return a === b ? [] : [`${at}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`];
}

describe('ct stats', () => {
  const days = shippedPartitions().slice(0, 6);
  const repo = tempRepo(days, 6);
  const read = (dir: string) => JSON.parse(readFileSync(path.join(repo, dir, 'statistics.json'), 'utf8'));

  it('groups computed apart and merged equal one pass over the window', () => {
    expect(ct(repo, ['stats', 'compute', '--out', 'one']).status).toBe(0);
    const single = read('one');
    expect(single.rows).toBeGreaterThan(90_000);

    // By hand, as matrix jobs would: three ranges of days, then merge.
    const ranges = groupFiles(
      days.map((d) => d.slice(0, 10)),
      3,
    );
    ranges.forEach((r, k) => expect(ct(repo, ['stats', 'compute', '--from', r[0]!, '--to', r.at(-1)!, '--out', `g${k}`]).status).toBe(0));
    const merge = ct(repo, ['stats', 'merge', 'g0/statistics.json', 'g1/statistics.json', 'g2/statistics.json', '--out', 'merged', '--json']);
    expect(merge.status).toBe(0);
    expect(JSON.parse(merge.stdout)).toMatchObject({ rows: single.rows, inputs: ['g0/statistics.json', 'g1/statistics.json', 'g2/statistics.json'] });
    expect(differences(single, read('merged'))).toEqual([]);

    // Locally in parallel processes.
    const run = ct(repo, ['stats', 'run', '--groups', '3', '--out', 'parallel', '--json']);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ groups: 3, rows: single.rows });
    expect(differences(single, read('parallel'))).toEqual([]);
    // Quantile sketches, frequencies and samples are exact, not merely close.
    expect(
      JSON.stringify(read('parallel').columns.map((c: { categorical?: unknown; numeric?: { sketch: unknown } }) => [c.categorical, c.numeric?.sketch])),
    ).toBe(JSON.stringify(single.columns.map((c: { categorical?: unknown; numeric?: { sketch: unknown } }) => [c.categorical, c.numeric?.sketch])));
  }, 120_000);

  it('groups are contiguous and cover every file once', () => {
    expect(groupFiles([1, 2, 3, 4, 5, 6, 7], 3)).toEqual([
      [1, 2],
      [3, 4],
      [5, 6, 7],
    ]);
    expect(groupFiles([1, 2], 5)).toEqual([[1], [2]]);
  });

  it('what cannot be used is one line and exit code 2', () => {
    writeFileSync(path.join(repo, 'not-stats.json'), '{"format": "something else"}');
    const cases: Array<[string[], RegExp]> = [
      [['stats', 'merge'], /^ct: ct stats merge: give the statistics files to merge$/],
      [['stats', 'merge', 'not-stats.json'], /^ct: not-stats\.json: /],
      [['stats', 'compute', '--from', '2001-13-01'], /^ct: --from: expected a date YYYY-MM-DD, got "2001-13-01"$/],
      [['stats', 'compute', '--from', '2002-01-01'], /^ct: no partitions of data\/flights in 2002-01-01\.\.… \(--from, --to\)$/],
      [['stats', 'run', '--groups', '0'], /^ct: --groups: expected a whole number >= 1, got 0$/],
      [['stats', 'sum'], /^ct: ct stats: expected compute, merge or run, got "sum"$/],
    ];
    for (const [args, line] of cases) {
      const r = ct(repo, args);
      expect([args.join(' '), r.status]).toEqual([args.join(' '), 2]);
      expect(r.stderr.trim()).toMatch(line);
    }
  });
});
