/**
 * Labels slid against their rows on a multiclass label: hourly readings of weather
 * stations whose class (none, light, heavy rain) a station keeps for much of a day. The
 * check reads the label as rain or the day's most frequent class, as it reads a binary one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { mulberry32 } from '../../src/train/random.js';
import type { DataSchema } from '../../src/validate/schema.js';
import { screenFolder, writePartitions } from './screen-folder.js';

const STATIONS = 40;
const SCHEMA: DataSchema = {
  format: 'ct-schema',
  version: 2,
  columns: [
    { name: 'observed_at', type: 'timestamp', maxNullFraction: 0 },
    { name: 'station', type: 'string', maxNullFraction: 0 },
    { name: 'humidity', type: 'number', maxNullFraction: 0 },
    { name: 'precip', type: 'string', maxNullFraction: 0 },
  ],
};
const folders: string[] = [];
afterAll(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

/** Day `d`'s rows (time, then station), each station wet for the day or not: a wet station rains most hours. */
function dayRows(d: number): string[][] {
  const r = mulberry32(1_000 + d);
  const date = new Date(Date.UTC(2026, 1, 1 + d)).toISOString().slice(0, 10);
  const wet = Array.from({ length: STATIONS }, () => r() < 0.3);
  const rows: string[][] = [];
  for (let h = 0; h < 24; h++) {
    for (let s = 0; s < STATIONS; s++) {
      const u = r();
      const precip = wet[s] ? (u < 0.4 ? 'light' : u < 0.7 ? 'heavy' : 'none') : u < 0.03 ? 'light' : 'none';
      const humidity = Math.round((wet[s] ? 85 : 60) + r() * 10);
      rows.push([`${date}T${String(h).padStart(2, '0')}:00`, `ST${String(s).padStart(3, '0')}`, String(humidity), precip]);
    }
  }
  return rows;
}

/** A folder of 20 days, the newest changed by `newest`, screened as `ct validate` would. */
async function screen(newest: (rows: string[][]) => string[][]) {
  const folder = mkdtempSync(path.join(tmpdir(), 'ct-multiclass-'));
  folders.push(folder);
  writePartitions(
    folder,
    Array.from({ length: 20 }, (_, d) => {
      const rows = d === 19 ? newest(dayRows(d)) : dayRows(d);
      return [rows[0]![0]!.slice(0, 10), ['observed_at,station,humidity,precip', ...rows.map((row) => row.join(','))].join('\n') + '\n'] as const;
    }),
  );
  const screening = await screenFolder(
    folder,
    {
      name: 'm',
      task: 'multiclass',
      label: 'precip',
      gates: [{ metric: 'accuracy', lowerBound: 0.5 }],
      data: { path: 'data', timestamp: 'observed_at', split: { method: 'time', evaluationDays: 1 } },
      features: [{ column: 'station' }, { column: 'humidity' }],
    },
    SCHEMA,
  );
  return screening.anomalies.filter((a) => a.kind === 'labels_misaligned');
}

describe('a multiclass label slid against its rows', () => {
  test('an aligned day has no misaligned stretch', async () => {
    expect(await screen((rows) => rows)).toEqual([]);
  });

  test("a fifth of the rows given the next row's class (the next station's) is found by the stations' other rows, without a production model", async () => {
    // The rest of the day keeps each station's own rate: a whole day slid would carry its rates along (the model finds that).
    const slid = (rows: string[][]): string[][] => rows.map((row, i) => (i >= 300 && i < 500 ? [...row.slice(0, 3), rows[i + 1]![3]!] : row));
    const [anomaly] = await screen(slid);
    expect(anomaly).toMatchObject({ kind: 'labels_misaligned', severity: 'error' });
    expect(anomaly!.message).toMatch(/look misaligned with their labels \(precip\)/);
  });
});
