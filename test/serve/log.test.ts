/**
 * The prediction log: daily JSON Lines partitions ct reads back as data, sampling, a byte
 * budget that lowers the sampling rate before it stops, and a line torn by a crash cut off.
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readJsonLines } from '../../src/data/jsonl.js';
import { valueAt } from '../../src/data/table.js';
import { budgetRate, type LoggedRequest, PredictionLog } from '../../src/serve/log.js';
import { mulberry32 } from '../../src/train/random.js';

const request = (i: number, time = new Date('2026-12-03T10:00:00Z')): LoggedRequest => ({
  model: 'flight-delay',
  version: 'v1',
  requestId: `r${i}`,
  time,
  rows: [
    { date: '2001-01-15T08:05:00.000Z', distance: 500 + i, origin: 'ORD' },
    { date: '2001-01-15T09:05:00.000Z', distance: 700, origin: 'LGA' },
  ],
  predictions: [
    { probability: 0.25, predicted: 0 },
    { probability: 0.75, predicted: 1 },
  ],
});

describe('the prediction log', () => {
  test('rows land in the day partition of their model, ct reads them back with their predictions', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ct-log-'));
    const log = new PredictionLog({ dir, sample: 1, maxBytesPerDay: 1 << 20 });
    expect(log.record(request(1))).toBe('logged');
    expect(log.record(request(2, new Date('2026-12-04T00:00:01Z')))).toBe('logged');
    log.close();
    const day = readJsonLines(path.join(dir, 'flight-delay/2026-12-03.jsonl'));
    expect(day.rowCount).toBe(2);
    const column = (name: string): unknown[] =>
      [0, 1].map((i) =>
        valueAt(
          day.columns.find((c) => c.name === name)!,
          i,
        ),
      );
    expect(column('distance')).toEqual([501, 700]);
    expect(column('ct_request_id')).toEqual(['r1', 'r1']);
    expect(column('ct_row')).toEqual([1, 2]);
    expect(column('ct_version')).toEqual(['v1', 'v1']);
    expect(column('ct_probability')).toEqual([0.25, 0.75]);
    expect(day.columns.find((c) => c.name === 'date')!.type).toBe('timestamp');
    expect(readJsonLines(path.join(dir, 'flight-delay/2026-12-04.jsonl')).rowCount).toBe(2);
    expect(log.counts).toEqual({ logged: 4, sampled_out: 0, budget: 0, buffer: 0 });
  });

  test('sampling keeps about its share of requests, and counts the rest', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ct-log-'));
    const log = new PredictionLog({ dir, sample: 0.25, maxBytesPerDay: 1 << 30, random: mulberry32(7) });
    for (let i = 0; i < 2_000; i++) log.record(request(i));
    log.close();
    expect(log.counts.logged / 4_000).toBeGreaterThan(0.22);
    expect(log.counts.logged / 4_000).toBeLessThan(0.28);
    expect(log.counts.logged + log.counts.sampled_out).toBe(4_000);
    expect(readJsonLines(path.join(dir, 'flight-delay/2026-12-03.jsonl')).rowCount).toBe(log.counts.logged);
  });

  test('the budget halves the rate past half of it, and stops the day at it', () => {
    expect(budgetRate(1, 0, 100)).toBe(1);
    expect(budgetRate(1, 49, 100)).toBe(1);
    expect(budgetRate(1, 50, 100)).toBe(0.5);
    expect(budgetRate(0.5, 80, 100)).toBe(0.125);
    expect(budgetRate(1, 100, 100)).toBe(0);
    const dir = mkdtempSync(path.join(tmpdir(), 'ct-log-'));
    const max = 40_000;
    const log = new PredictionLog({ dir, sample: 1, maxBytesPerDay: max, random: mulberry32(3) });
    for (let i = 0; i < 2_000; i++) log.record(request(i));
    log.close();
    const bytes = readFileSync(path.join(dir, 'flight-delay/2026-12-03.jsonl')).length;
    expect(bytes).toBeLessThanOrEqual(max);
    expect(bytes).toBeGreaterThan(max * 0.9);
    expect(log.counts.budget).toBeGreaterThan(0);
    expect(log.counts.logged + log.counts.budget).toBe(4_000);
  });

  test('a full buffer drops requests instead of waiting for the disk', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ct-log-'));
    const log = new PredictionLog({ dir, sample: 1, maxBytesPerDay: 1 << 30, maxBufferedBytes: 2_000, flushMs: 60_000 });
    const outcomes = Array.from({ length: 20 }, (_, i) => log.record(request(i)));
    expect(outcomes.filter((o) => o === 'logged').length).toBeGreaterThan(0);
    expect(outcomes).toContain('buffer');
    log.close();
  });

  test('a line torn by a crash is cut off when the day is opened again, so the partition parses', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ct-log-'));
    mkdirSync(path.join(dir, 'flight-delay'));
    const file = path.join(dir, 'flight-delay/2026-12-03.jsonl');
    writeFileSync(file, '{"distance":1,"ct_row":1}\n');
    appendFileSync(file, '{"distance":2,"ct_r');
    const log = new PredictionLog({ dir, sample: 1, maxBytesPerDay: 1 << 20 });
    log.record(request(9));
    log.close();
    const day = readJsonLines(file);
    expect(day.rowCount).toBe(3);
    expect(readFileSync(file, 'utf8')).not.toMatch(/"ct_r\{/);
  });
});
