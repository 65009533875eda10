/**
 * A column joined from another day by row number (row-matches.ts): its values at their row
 * numbers are the day before's, where on normal days they match only by chance.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { compareWithHistory } from '../../src/validate/history.js';
import { describeMetric } from '../../src/validate/history-words.js';
import type { DataSchema } from '../../src/validate/schema.js';
import { createRowSample, matchedRows, ROW_SAMPLE_SIZE, type RowSample } from '../../src/validate/row-matches.js';
import type { Table } from '../../src/data/table.js';
import { numberColumn, stringColumn, tableOf } from '../helpers.js';
import { dateOf, day, history, options } from './history-days.js';
import { FLIGHTS_SCHEMA, screenHourly, writePartitions } from './screen-folder.js';

const ROWS = 6_000;
const AIRPORTS = ['ATL', 'ORD', 'DEN', 'LAX', 'DFW', 'PHX', 'SFO', 'LAS'];

/** A deterministic generator: the same seed, the same day. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 4_294_967_296;
  };
}

interface Day {
  time: number[];
  delay: number[];
  origin: string[];
}

/** Day `i`: departures in time order, delays whole minutes, most near 0 (two rows' tie by chance 3% of the time, as flights' 2%), eight airports. */
function flights(i: number): Day {
  const r = random(1_000 + i);
  const time = Array.from({ length: ROWS }, (_, k) => Date.UTC(2001, 0, 1 + i) + Math.floor((k / ROWS) * 86_400_000));
  const delay = Array.from({ length: ROWS }, () => Math.round(r() < 0.7 ? -10 + 20 * r() : 90 * r()));
  const origin = Array.from({ length: ROWS }, () => AIRPORTS[Math.floor(r() * AIRPORTS.length)]!);
  return { time, delay, origin };
}

function tableOfDay(d: Day, from = 0, to = ROWS): Table {
  return tableOf([
    numberColumn('date', d.time.slice(from, to), 'timestamp'),
    numberColumn('delay', d.delay.slice(from, to)),
    stringColumn('origin', d.origin.slice(from, to)),
  ]);
}

function sampleOf(d: Day, chunk = ROWS): RowSample {
  const sampler = createRowSample(new Set(['date']));
  for (let from = 0; from < ROWS; from += chunk) sampler.add(tableOfDay(d, from, Math.min(ROWS, from + chunk)));
  return sampler.result();
}

/** Day `i` with the delays of `share` of its rows (scattered) those of `before` at the same row numbers. */
function joinedFrom(d: Day, before: Day, share: number, seed = 7): Day {
  const r = random(seed);
  return { ...d, delay: d.delay.map((v, k) => (r() < share ? before.delay[k]! : v)) };
}

describe('row samples', () => {
  test('sample the same row numbers on every day, however the file is read in chunks', () => {
    const whole = sampleOf(flights(1));
    const chunked = sampleOf(flights(1), 777);
    expect(whole.rows).toHaveLength(ROW_SAMPLE_SIZE);
    expect(chunked).toEqual(whole);
    expect(sampleOf(flights(2)).rows).toEqual(whole.rows);
    // Times are left out; the other columns are kept, a value hash per sampled row.
    expect(Object.keys(whole.values).sort()).toEqual(['delay', 'origin']);
  });

  test('a column joined from the day before on a tenth of its rows matches it there ten points above chance', () => {
    const before = flights(1);
    const today = flights(2);
    const share = (own: Day, column: string): number => {
      const { compared, matched } = matchedRows(sampleOf(own), sampleOf(before), column);
      return matched.length / compared;
    };
    const joined = joinedFrom(today, before, 0.1);
    expect(share(joined, 'delay') - share(today, 'delay')).toBeGreaterThan(0.07);
    // The other column is untouched.
    expect(share(joined, 'origin')).toBe(share(today, 'origin'));
  });
});

describe('row matches judged against the history', () => {
  const days = Array.from({ length: 29 }, (_, i) => flights(i));
  const withSample = (i: number, d: Day = days[i]!) => ({ ...day(i), rowSample: sampleOf(d) });
  const h = history(28).map((p, i) => ({ ...p, rowSample: sampleOf(days[i]!) }));
  const found = (newest: ReturnType<typeof withSample>) => compareWithHistory(newest, h, options).filter((f) => f.metric.endsWith('.rowMatchShare'));

  test('an ordinary day: nothing', () => {
    expect(found(withSample(28))).toEqual([]);
  });

  test('a tenth of the delays joined from the day before by row number: an error on the column, in words a reviewer reads', () => {
    const findings = found(withSample(28, joinedFrom(days[28]!, days[27]!, 0.1)));
    expect(findings.map((f) => f.metric)).toEqual(['delay.rowMatchShare']);
    expect(findings[0]!.score).toBeGreaterThan(options.threshold);
    expect(describeMetric(findings[0]!, 'delay > 15')).toMatch(/"delay".*same row number/);
  });

  test('joined from the same weekday a week before (a date off by seven days): the same error', () => {
    const findings = found(withSample(28, joinedFrom(days[28]!, days[21]!, 0.1)));
    expect(findings.map((f) => f.metric)).toEqual(['delay.rowMatchShare']);
    expect(findings[0]!.score).toBeGreaterThan(options.threshold);
  });
});

describe('a partition whose delays were joined from another day by row number, screened from CSV', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ct-row-matches-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // The flights' schema without a destination: these days have none.
  const schema: DataSchema = { ...FLIGHTS_SCHEMA, columns: FLIGHTS_SCHEMA.columns.filter((c) => c.name !== 'destination') };
  const csv = (d: Day): string =>
    `date,delay,origin\n${d.time.map((t, k) => `${new Date(t).toISOString().slice(0, 16)},${d.delay[k]},${d.origin[k]}`).join('\n')}\n`;

  async function screen(folder: string, newest: Day) {
    writePartitions(
      folder,
      Array.from({ length: 22 }, (_, i) => [dateOf(i), csv(i === 21 ? newest : flights(i))] as const),
    );
    const screening = await screenHourly(folder, undefined, schema);
    return screening.anomalies.filter((a) => a.severity === 'error');
  }

  test('the clean day passes', async () => {
    expect(await screen(path.join(dir, 'clean'), flights(21))).toEqual([]);
  });

  test.each([
    ['the day before', 20],
    ['the same weekday a week before', 14],
  ])('a tenth of the delays joined from %s: an error naming that day, with rows that hold its values', async (_, from) => {
    const errors = await screen(path.join(dir, `joined-${from}`), joinedFrom(flights(21), flights(from), 0.1));
    const delay = errors.find((a) => a.column === 'delay');
    expect(delay?.message).toMatch(
      new RegExp(
        `column "delay": share of rows whose value is the one a partition of the 7 before it held at the same row number .* hold the value ${dateOf(from)} held there\\. Fix the data`,
      ),
    );
    // About a tenth of the rows beyond chance.
    expect(delay!.count).toBeGreaterThan(ROWS * 0.07);
    expect(delay!.count).toBeLessThan(ROWS * 0.13);
    const source = flights(from);
    expect(delay!.examples.length).toBeGreaterThan(0);
    for (const example of delay!.examples) {
      expect(example.file).toContain(`${dateOf(21)}.csv`);
      // The row's delay is that day's at the same row (data rows counted from 1, after the header).
      expect(example.value).toBe(`delay ${source.delay[example.row - 1]}, as the same row of ${dateOf(from)}`);
    }
  });
});
