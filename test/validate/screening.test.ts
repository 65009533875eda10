/**
 * The partition history's cache (screening.ts) on a folder of real CSV partitions: what a
 * run computes, what the next run reads, what a stale or missing file costs, and the
 * examples a finding names. Days of scheduled flights (schedule-days.ts), no production model.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/logger.js';
import { columnRoles, type Screening, screenPartitions } from '../../src/validate/screening.js';
import { delayConfig } from '../helpers.js';
import { dateOf } from './history-days.js';
import { flights, flightsCsv } from './schedule-days.js';
import { FLIGHTS_SCHEMA, screenHourly, writePartitions } from './screen-folder.js';

const DAYS = 22;
let dir: string;
let data: string;
let cache: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ct-screening-'));
  data = path.join(dir, 'data');
  writePartitions(
    dir,
    Array.from({ length: DAYS }, (_, i) => [dateOf(i), flightsCsv(flights(i))] as const),
  );
  cache = path.join(dir, '.ct/history/data');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function screen(threshold = 16): Promise<Screening> {
  const config = checkConfig(path.join(dir, 'ct.config.yaml'), {
    name: 'm',
    task: 'binary',
    label: 'delay > 15',
    gates: [{ metric: 'auc', lowerBound: 0.5 }],
    data: { path: 'data', timestamp: 'date', split: { method: 'time', evaluationDays: 1 } },
    features: [{ column: 'origin' }, { column: 'destination' }, { name: 'hour', column: 'date', transform: 'hourOfDay' }],
    validation: { history: { threshold } },
  });
  return screenPartitions({
    config,
    baseDir: dir,
    source: data,
    schema: FLIGHTS_SCHEMA,
    schemaFile: path.join(data, 'schema.json'),
    production: null,
    logger: silentLogger,
  });
}

const details = (): string[] => readdirSync(cache).filter((f) => f.endsWith('.detail.json'));

describe('the history cache', () => {
  let first: Screening;

  test('a first run profiles every partition once and keeps each as a summary and its detail', async () => {
    first = await screen();
    expect([first.computed, first.cached]).toEqual([DAYS, 0]);
    expect(first.anomalies).toEqual([]);
    expect(first.historyDays).toBe(DAYS - 1);
    expect(details()).toHaveLength(DAYS);
    expect(readdirSync(cache).filter((f) => /^\d{4}-\d\d-\d\d\.json$/.test(f))).toHaveLength(DAYS);
  });

  test('the next run reads every profile from the cache, and needs no detail while its verdicts are cached', async () => {
    for (const f of details()) unlinkSync(path.join(cache, f));
    const again = await screen();
    expect([again.computed, again.cached]).toEqual([0, DAYS]);
    expect(again.anomalies).toEqual(first.anomalies);
    expect(again.newest?.findings).toEqual(first.newest?.findings);
    expect(details()).toEqual([]);
  });

  test('a verdict that must be computed again recomputes the details it lacks, with the same findings', async () => {
    // Another threshold: every verdict's key changes.
    const stricter = await screen(15);
    expect([stricter.computed, stricter.cached]).toEqual([0, DAYS]);
    expect(stricter.newest?.findings).toEqual(first.newest?.findings);
    expect(details()).toHaveLength(DAYS);
  });

  test('an entry damaged inside (a metric turned null, rows gone) is profiled again, not trusted', async () => {
    const damage = (date: string, change: (entry: { profile: { rows?: number; metrics: Record<string, number | null> } }) => void): void => {
      const file = path.join(cache, `${date}.json`);
      const entry = JSON.parse(readFileSync(file, 'utf8')) as { profile: { rows?: number; metrics: Record<string, number | null> } };
      change(entry);
      writeFileSync(file, JSON.stringify(entry));
    };
    damage(dateOf(DAYS - 1), (e) => (e.profile.metrics['delay.mean'] = null));
    damage(dateOf(DAYS - 2), (e) => delete e.profile.rows);
    const again = await screen();
    expect([again.computed, again.cached]).toEqual([2, DAYS - 2]);
    expect(again.newest?.findings).toEqual(first.newest?.findings);
    expect(again.anomalies).toEqual(first.anomalies);
  });

  test('a partition whose file changed is profiled again; the others are read', async () => {
    const newest = path.join(data, `${dateOf(DAYS - 1)}.csv`);
    const rows = flights(DAYS - 1);
    // Origin and destination exchanged on every tenth row (from the fourth): each such flight departs at an hour its route never does.
    rows.forEach((r, k) => k % 10 === 3 && ([r.origin, r.destination] = [r.destination, r.origin]));
    writeFileSync(newest, flightsCsv(rows));
    const swapped = await screen();
    expect([swapped.computed, swapped.cached]).toEqual([1, DAYS - 1]);
    const anomaly = swapped.anomalies.find((a) => a.column === 'origin+destination');
    expect(anomaly).toMatchObject({ kind: 'partition_statistic', severity: 'error', count: Math.ceil((rows.length - 3) / 10) });
    expect(anomaly!.share).toBeCloseTo(anomaly!.count / rows.length, 10);
    expect(anomaly!.message).toMatch(
      /direction of "origin" and "destination": share of rows whose pair of values, at its hour, no earlier day had the same way round/,
    );
    // File rows are 1-based after the header: the exchanged rows 3, 13, 23 ... are rows 4, 14, 24 ...
    expect(anomaly!.examples.map((e) => e.row)).toEqual([4, 14, 24, 34, 44]);
    expect(anomaly!.examples[0]).toEqual({ file: newest, row: 4, value: `origin ${rows[3]!.origin}, destination ${rows[3]!.destination}` });
    expect(existsSync(path.join(cache, `${dateOf(DAYS - 1)}.detail.json`))).toBe(true);
  });

  test('an airport filtered out of the upload: the finding names the value gone and its usual share', async () => {
    const newest = path.join(data, `${dateOf(DAYS - 1)}.csv`);
    writeFileSync(newest, flightsCsv(flights(DAYS - 1).filter((r) => r.origin !== 'A3')));
    const anomaly = (await screen()).anomalies.find((a) => a.column === 'origin');
    expect(anomaly).toMatchObject({ kind: 'partition_statistic', severity: 'error' });
    expect(anomaly!.message).toMatch(/ Gone: A3 \(4\.\d% of an earlier day's rows\)\. Fix the data/);
    expect(anomaly!.message).toContain('usual share of the values every earlier day had and this day lacks');
  });

  test('afternoon times written on a 12-hour clock: the finding names the small hours they filled, and their first rows', async () => {
    const newest = path.join(data, `${dateOf(DAYS - 1)}.csv`);
    const rows = flights(DAYS - 1);
    const hourOf = (t: number): number => new Date(t).getUTCHours();
    // A tenth of the rows written with %I: 13:05 as 01:05.
    const folded = rows.map((r, k) => (k % 10 === 3 && hourOf(r.time) >= 13 ? { ...r, time: r.time - 12 * 3_600_000 } : r));
    writeFileSync(newest, flightsCsv(folded));
    const anomaly = (await screen()).anomalies.find((a) => a.column === 'input:hour' && /12 hours early/.test(a.message));
    expect(anomaly).toMatchObject({ kind: 'partition_statistic', severity: 'error' });
    expect(anomaly!.message).toMatch(/The hours 1, 2, 3, 4 and 5 usually hold 0\.0% of the rows and hold \d\.\d%\. Fix the data/);
    const small = folded.flatMap((r, k) => (hourOf(r.time) >= 1 && hourOf(r.time) <= 5 ? [k] : []));
    expect(anomaly!.examples.map((e) => e.row)).toEqual(small.slice(0, 5).map((k) => k + 1));
    expect(anomaly!.examples[0]!.value).toBe(`date ${new Date(folded[small[0]!]!.time).toISOString()}`);
  });
});

describe('how the model reads its columns', () => {
  test('numeric, log1p and bucketized sources are quantities; a number embedded as it is is a code; time transforms and crosses are neither; numeric inputs are named as the profile holds them', () => {
    const roles = columnRoles(
      delayConfig([
        { name: 'distance', column: 'distance', transform: 'log1p' },
        { name: 'distance_band', column: 'seats', transform: 'bucketize', boundaries: [50, 150] },
        { name: 'store', column: 'store_id', kind: 'categorical' },
        { name: 'hour', column: 'date', transform: 'hourOfDay' },
        { name: 'origin', column: 'origin' },
        { name: 'store_hour', cross: ['store', 'hour'], hashBuckets: 64 },
        { name: 'seats_now', column: 'seats', kind: 'numeric' },
      ]),
    );
    // Each is correlated with the label: the log1p input by its derived column, a plain one by its own. A
    // feature whose kind the data settles (origin) is named too; a column of text has no correlation to keep.
    expect([...roles.inputs].sort()).toEqual(['input:distance', 'origin', 'seats']);
    expect([...roles.codes]).toEqual(['store_id']);
    expect(roles.quantities.has('distance')).toBe(true);
    expect(roles.quantities.has('seats')).toBe(true);
    expect(roles.quantities.has('delay')).toBe(true);
    expect(roles.quantities.has('store_id')).toBe(false);
    expect(roles.quantities.has('date')).toBe(false);
  });
});

describe('a daylight-saving change in data logged in UTC', () => {
  // A New York shop's orders, 08:00 to 18:59 local, written in UTC: 13:00-23:59 before 2026-03-08, 12:00-22:59 from then on.
  const days = Array.from({ length: 28 }, (_, i) => new Date(Date.UTC(2026, 1, 16 + i)).toISOString().slice(0, 10));
  const origins = ['JFK', 'LGA', 'EWR', 'BOS'];
  let shop: string;

  beforeAll(() => {
    shop = mkdtempSync(path.join(tmpdir(), 'ct-dst-'));
    const partitions: Array<[string, string]> = [];
    for (const [d, date] of days.entries()) {
      const offset = date >= '2026-03-08' ? 4 : 5;
      const lines = ['date,delay,origin,destination'];
      let seed = d + 1;
      const next = (n: number): number => (seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) % n;
      for (let k = 0; k < 330; k++) {
        const [y, m, day] = date.split('-').map(Number) as [number, number, number];
        const t = new Date(Date.UTC(y, m - 1, day, 8 + (k % 11) + offset, (k * 7 + d) % 60)).toISOString().slice(0, 16);
        lines.push(`${t},${next(90) - 20},${origins[next(4)]},${origins[next(4)]}`);
      }
      partitions.push([date, `${lines.join('\n')}\n`]);
    }
    writePartitions(shop, partitions);
  });

  afterAll(() => rmSync(shop, { recursive: true, force: true }));

  test('on the UTC clock the opening hour moves and the day after the change is refused', async () => {
    const utc = await screenHourly(shop);
    const hour = utc.anomalies.find((a) => a.severity === 'error' && a.column === 'input:hour');
    // The message says what to set: the first days refused follow the change.
    expect(hour?.message).toMatch(
      /Every hour holds what the hour after it held on earlier days, as times on the UTC clock do after a daylight-saving change: .*set data\.timezone to its zone\. Fix the data/,
    );
  });

  test("on the shop's clock (data.timezone) nothing moved", async () => {
    const local = await screenHourly(shop, 'America/New_York');
    expect(local.anomalies.filter((a) => a.severity === 'error')).toEqual([]);
    expect(local.quarantined).toEqual([]);
  });
});

describe('a daylight-saving change in data logged on the local clock', () => {
  // Readings every 10 minutes around the clock, written in New York local time without an offset:
  // 2026-03-08 has no 02:00-02:59 (clocks went forward), 2026-11-01 two of 01:00-01:59 (clocks went back).
  const sensors = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6'];
  let dir: string;
  const local = new Intl.DateTimeFormat('sv-SE', { timeZone: 'America/New_York', dateStyle: 'short', timeStyle: 'short' });

  /** Writes the local days from `from` to the day before `to`, with `drop` removing rows. */
  const write = (folder: string, from: string, to: string, drop: (time: string) => boolean = () => false): void => {
    mkdirSync(folder, { recursive: true });
    const byDay = new Map<string, string[]>();
    let seed = 7;
    const next = (n: number): number => (seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) % n;
    for (let t = Date.parse(`${from}T05:00:00Z`); ; t += 600_000) {
      const time = local.format(t).replace(' ', 'T');
      if (time >= to) break;
      if (drop(time)) continue;
      const lines = byDay.get(time.slice(0, 10)) ?? ['date,delay,origin,destination'];
      for (const s of sensors) lines.push(`${time},${next(90) - 20},${s},${sensors[next(6)]}`);
      byDay.set(time.slice(0, 10), lines);
    }
    for (const [date, lines] of byDay) writeFileSync(path.join(folder, `${date}.csv`), `${lines.join('\n')}\n`);
  };

  const errors = (s: Screening): string[] => s.anomalies.filter((a) => a.severity === 'error').map((a) => `${a.column} ${a.message}`);

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ct-local-clock-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the day the clocks went forward, without its 2 o’clock, passes', async () => {
    write(path.join(dir, 'spring/data'), '2026-02-08', '2026-03-09');
    expect(readdirSync(path.join(dir, 'spring/data')).at(-1)).toBe('2026-03-08.csv');
    expect(errors(await screenHourly(path.join(dir, 'spring')))).toEqual([]);
  });

  test('the day the clocks went back, with two 1 o’clocks, passes', async () => {
    write(path.join(dir, 'fall/data'), '2026-10-04', '2026-11-02');
    expect(readdirSync(path.join(dir, 'fall/data')).at(-1)).toBe('2026-11-01.csv');
    expect(errors(await screenHourly(path.join(dir, 'fall')))).toEqual([]);
  });

  test('a Sunday without its 2 o’clock when no clock changed is refused', async () => {
    write(path.join(dir, 'lost/data'), '2026-02-01', '2026-03-02', (time) => time.startsWith('2026-03-01T02'));
    expect(readdirSync(path.join(dir, 'lost/data')).at(-1)).toBe('2026-03-01.csv');
    expect(errors(await screenHourly(path.join(dir, 'lost')))).toEqual([expect.stringMatching(/^input:hour .*model input "hour": distance of its value mix/)]);
  });
});
