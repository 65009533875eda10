/**
 * Labels misaligned with their rows (alignment.ts) on synthetic days whose delays depend on
 * the airport and the hour, as real ones do: a block of labels slid by a row or two, a whole
 * day slid, and aligned days, including one where nothing predicts the label. The whole path,
 * a real model on real days, runs in incidents.test.ts (label_shift) and the incidents bench.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { INCIDENTS, random, type Row, seedOf, toCsv } from '../../bench/lib/incidents.js';
import { readTable } from '../../src/data/read.js';
import { type Table, valueAt } from '../../src/data/table.js';
import {
  alignmentInput,
  contextPredictions,
  contextPredictor,
  findMisalignment,
  isMisaligned,
  locateMisalignment,
  MISALIGNED_NATS,
  MISALIGNED_SKILL_Z,
  misalignmentAnomaly,
} from '../../src/validate/alignment.js';
import { numberColumn, stringColumn, tableOf } from '../helpers.js';
import { delayDay, type DelayDayOptions } from './delay-days.js';

interface Day {
  table: Table;
  predictions: Map<number, number>;
}

function day(seed: number, options: DelayDayOptions = {}): Day {
  const d = delayDay(seed, options);
  const table = tableOf(
    [numberColumn('date', d.times, 'timestamp'), numberColumn('delay', d.delays), stringColumn('origin', d.origins)],
    'data/x/2001-03-01.csv',
  );
  return { table, predictions: d.predictions };
}

const binaryLabel = { column: 'delay', op: '>' as const, value: 15, text: 'delay > 15', task: 'binary' as const };
const regressionLabel = { column: 'delay', text: 'delay', task: 'regression' as const };

function inputOf(d: Day, label: typeof binaryLabel | typeof regressionLabel = binaryLabel, withModel = true) {
  return alignmentInput(d.table, label, ['origin'], 'date', withModel ? d.predictions : null);
}

describe('context predictions', () => {
  const labels = Float64Array.from([1, 1, 0, 1, 0, 0]);
  const prior = Float64Array.from([0.5, 0.5, 0.5, 0.2, 0.2, 0.2]);
  // Rows 0-2 and 5: one category (3), row 5 in another hour; row 3 alone; row 4 without a category.
  const contexts = [{ coarse: Int32Array.from([3, 3, 3, 4, -1, 3]), fine: Int32Array.from([7, 7, 7, 9, -1, 8]) }];

  test("with a production model: the mean label of the other rows of the row's category and hour, the model's prediction counted as five rows", () => {
    const q = contextPredictions({ labels, prior, priorFromModel: true, contexts });
    // Row 0: the others of its group hold 1 and 0 -> (1 + 5 * 0.5) / (2 + 5).
    expect(q[0]).toBeCloseTo(3.5 / 7, 10);
    expect(q[2]).toBeCloseTo(4.5 / 7, 10);
    // Alone in its group: its prior, as the others' labels say nothing.
    expect(q[3]).toBeCloseTo(0.2, 10);
    // No context: the prior.
    expect(q[4]).toBe(0.2);
  });

  test("without one: the category's other rows of the day stand in for the model's prediction", () => {
    const q = contextPredictions({ labels, prior, priorFromModel: false, contexts });
    // Row 5: alone in its hour, so its category's other rows (1, 1, 0) with the day's mean (0.2) as five rows.
    expect(q[5]).toBeCloseTo((2 + 5 * 0.2) / (3 + 5), 10);
    // Row 0: its hour's others (1, 0), then its category's others (1, 0, 0) with the prior.
    const base = (1 + 5 * 0.5) / (3 + 5);
    expect(q[0]).toBeCloseTo((1 + 5 * base) / (2 + 5), 10);
  });

  test("a row compared with a neighbour of its own group is predicted without the neighbour's label too", () => {
    const predict = contextPredictor({ labels, prior, priorFromModel: true, contexts });
    // Row 0 without row 1: its group's other label (0) and the prior as five rows.
    expect(predict(0, 1)).toBeCloseTo((0 + 5 * 0.5) / (1 + 5), 10);
    // A neighbour of another group changes nothing.
    expect(predict(0, 3)).toBeCloseTo(predict(0, -1), 10);
  });
});

describe('labels misaligned with their rows', () => {
  test.each([1, 2, 3])('an aligned day (seed %s) has no stretch that passes the guards', (seed) => {
    const found = findMisalignment(inputOf(day(seed)))!;
    expect(isMisaligned(found)).toBe(false);
    expect(found.nats).toBeLessThan(MISALIGNED_NATS);
  });

  test("a block of a tenth of the rows whose delays are the next row's is found, with its offset and where it lies", () => {
    const found = findMisalignment(inputOf(day(4, { slide: { from: 3000, to: 3800, by: 1 } })))!;
    expect(isMisaligned(found)).toBe(true);
    // Each row of the block carries the next row's label: the label of the row before fits it.
    expect(found.offset).toBe(-1);
    const overlap = Math.min(found.end, 3799) - Math.max(found.start, 3000) + 1;
    expect(overlap / 800).toBeGreaterThan(0.8);
    expect((found.end - found.start + 1) / 800).toBeLessThan(1.25);
  });

  test('a block slid two rows the other way is found at offset +2', () => {
    const found = findMisalignment(inputOf(day(5, { slide: { from: 1000, to: 1800, by: -2 } })))!;
    expect(isMisaligned(found)).toBe(true);
    expect(found.offset).toBe(2);
  });

  test('a whole day slid by one row is found by the production model', () => {
    const found = findMisalignment(inputOf(day(6, { slide: { from: 0, to: 8000, by: 1 } })))!;
    expect(isMisaligned(found)).toBe(true);
    expect(found.offset).toBe(-1);
    expect(found.end - found.start + 1).toBeGreaterThan(6000);
  });

  test("without a production model a slid block is found by the day's own airport-hour rates, which the other rows keep", () => {
    // The rates need rows: 30,000 departures give each airport and hour about 30.
    for (const seed of [1, 2]) {
      const found = findMisalignment(inputOf(day(seed, { rows: 30_000, slide: { from: 12_000, to: 15_000, by: 1 } }), binaryLabel, false))!;
      expect([isMisaligned(found), found.offset]).toEqual([true, -1]);
      expect(isMisaligned(findMisalignment(inputOf(day(seed, { rows: 30_000 }), binaryLabel, false))!)).toBe(false);
    }
  });

  test('where nothing predicts the label, a slid block cannot be told from chance, and nothing is claimed', () => {
    for (const seed of [7, 8, 9]) {
      expect(isMisaligned(findMisalignment(inputOf(day(seed, { informative: false })))!)).toBe(false);
      expect(isMisaligned(findMisalignment(inputOf(day(seed, { informative: false, slide: { from: 2000, to: 2800, by: 1 } })))!)).toBe(false);
    }
  });

  test("labels that fit their own rows worse than chance but their neighbours' no better are not misaligned (the climb alone would say so)", () => {
    // A model's predictions, row by row, and labels that contradict each row's own: inverted, not slid.
    const uniform = random(11);
    const n = 3_000;
    const prior = Float64Array.from({ length: n }, () => 0.3 + 0.4 * uniform());
    const labels = Float64Array.from(prior, (q) => (q < 0.5 ? 1 : 0));
    const input = { labels, prior, priorFromModel: true, contexts: [], rows: Int32Array.from({ length: n }, (_, i) => i), task: 'binary' as const };
    const found = findMisalignment(input)!;
    // The walk climbs far past both older guards: each neighbour's label fits better than the row's contradicting own.
    expect(found.nats).toBeGreaterThan(10 * MISALIGNED_NATS);
    expect(found.excursions).toBeGreaterThan(1);
    // But the neighbours' labels do not follow the predictions either: nothing says they belong to these rows.
    expect(Math.abs(found.skill)).toBeLessThan(MISALIGNED_SKILL_Z);
    expect(isMisaligned(found)).toBe(false);
    // Slid by a row instead (each row holds the label of the row before), the label that fits a row is the next row's, and it follows the predictions.
    const slid = Float64Array.from(prior, (_, i) => (prior[i === 0 ? n - 1 : i - 1]! > 0.5 ? 1 : 0));
    const real = findMisalignment({ ...input, labels: slid })!;
    expect(real).toMatchObject({ offset: 1 });
    expect(real.skill).toBeGreaterThan(MISALIGNED_SKILL_Z);
    expect(isMisaligned(real)).toBe(true);
  });

  test("a day sorted by airport puts rows of one group side by side; each row's own label still fits it best", () => {
    for (const [rows, withModel] of [
      [8_000, true],
      [30_000, false],
    ] as const) {
      const d = day(12, { rows });
      const origins = d.table.columns[2]!;
      if (origins.type !== 'string') throw new Error('origin is a string column');
      // A stable sort by airport: within an airport, rows stay in time order.
      const order = Array.from({ length: d.table.rowCount }, (_, i) => i).sort(
        (a, b) => origins.dictionary[origins.codes[a]!]!.localeCompare(origins.dictionary[origins.codes[b]!]!) || a - b,
      );
      const sorted = tableOf(
        d.table.columns.map((c) =>
          c.type === 'string'
            ? stringColumn(
                c.name,
                order.map((i) => valueAt(c, i) as string),
              )
            : numberColumn(
                c.name,
                order.map((i) => valueAt(c, i) as number),
                c.type === 'timestamp' ? 'timestamp' : 'number',
              ),
        ),
        'data/x/2001-03-01.csv',
      );
      const predictions = new Map(order.map((i, k) => [k, d.predictions.get(i)!]));
      expect(isMisaligned(findMisalignment(inputOf({ table: sorted, predictions }, binaryLabel, withModel))!)).toBe(false);
    }
  });

  test('labels that nothing predicts, on a day of many rows without a model, wander by chance only', () => {
    for (const seed of [13, 14, 15]) {
      expect(isMisaligned(findMisalignment(inputOf(day(seed, { rows: 30_000, informative: false }), binaryLabel, false))!)).toBe(false);
    }
  });

  test('regression labels: a slid block is found by their Gaussian loss; an aligned day is not', () => {
    expect(isMisaligned(findMisalignment(inputOf(day(10, { regression: true }), regressionLabel))!)).toBe(false);
    const found = findMisalignment(inputOf(day(10, { regression: true, slide: { from: 5000, to: 5800, by: 1 } }), regressionLabel))!;
    expect(isMisaligned(found)).toBe(true);
    expect(found.offset).toBe(-1);
  });

  test('regression amounts with a long tail (a basket value): aligned days stay far below the guard; a slid tenth is found', () => {
    // Under a Gaussian of one scale the largest amounts swamp the walk: these aligned days climbed 23 to 30 nats, past the
    // guard, and only the correlation guard held. On rank scores they climb 9 to 12.
    for (const seed of [31, 32, 33, 34, 35, 36]) {
      const found = findMisalignment(inputOf(day(seed, { regression: true, amounts: true }), regressionLabel))!;
      expect(isMisaligned(found)).toBe(false);
      expect(found.nats).toBeLessThan((2 / 3) * MISALIGNED_NATS);
    }
    for (const seed of [31, 33, 34]) {
      const found = findMisalignment(inputOf(day(seed, { regression: true, amounts: true, slide: { from: 6000, to: 6800, by: 1 } }), regressionLabel))!;
      expect([isMisaligned(found), found.offset]).toEqual([true, -1]);
      expect(Math.min(found.end, 6799) - Math.max(found.start, 6000) + 1).toBeGreaterThan(400);
    }
  });

  test('a long tail of signed values (delays, early ones negative) is judged the same: rank scores do not ask where zero is', () => {
    for (const seed of [31, 32, 33]) {
      const d = day(seed, { regression: true, amounts: true });
      const delays = d.table.columns[1]!;
      if (delays.type !== 'number') throw new Error('delay is a number column');
      for (let i = 0; i < delays.values.length; i++) delays.values[i] = delays.values[i]! - 40;
      const predictions = new Map([...d.predictions].map(([row, p]) => [row, p - 40]));
      const found = findMisalignment(inputOf({ table: d.table, predictions }, regressionLabel))!;
      expect(found.nats).toBeLessThan((2 / 3) * MISALIGNED_NATS);
    }
  });

  test('a few wild labels on an aligned day are no misaligned stretch: no row counts for more than 4 nats', () => {
    for (const wild of [150, 300, 5000]) {
      const d = day(21, { regression: true });
      const delays = d.table.columns[1]!;
      if (delays.type !== 'number') throw new Error('delay is a number column');
      // Three labels far beyond the usual 0-100 (a unit slip on a few records): 200 to 3,000 nats apart on their own.
      for (const i of [500, 3000, 6000]) delays.values[i] = wild;
      const found = findMisalignment(inputOf(d, regressionLabel))!;
      expect(found.nats).toBeLessThan(MISALIGNED_NATS);
      expect(isMisaligned(found)).toBe(false);
    }
  });

  test('rows without a label are left out, and the anomaly names the stretch by its rows in the file', () => {
    const d = day(11, { slide: { from: 3000, to: 3800, by: 1 } });
    const delays = d.table.columns[1]!;
    if (delays.type !== 'number') throw new Error('delay is a number column');
    delays.values[10] = Number.NaN;
    const withNull = { ...delays, nulls: Uint8Array.from(delays.values, (v) => (Number.isNaN(v) ? 1 : 0)) };
    const labelled = { ...d.table, columns: d.table.columns.map((c) => (c === delays ? withNull : c)) };
    // Data rows of this file start at 101 (an earlier part of the file was read before).
    const table = { ...labelled, sources: [{ file: 'data/x/2001-03-01.csv', start: 0, rows: d.table.rowCount, offset: 100 }] };
    const input = inputOf({ table, predictions: d.predictions });
    const found = findMisalignment(input)!;
    const anomaly = misalignmentAnomaly(
      locateMisalignment(found, input, table, 'production v1'),
      'data/x/2001-03-01.csv',
      '2001-03-01',
      'delay > 15',
      'error',
    )!;
    expect(anomaly).toMatchObject({ kind: 'labels_misaligned', severity: 'error', column: null });
    expect(input.labels.length).toBe(7999);
    expect(anomaly.examples[0]!.row).toBe(input.rows[found.start]! + 101);
    expect(anomaly.examples[0]!.row).toBe(found.start + 102);
    expect(anomaly.message).toMatch(
      /^data\/x\/2001-03-01\.csv: rows \d+\.\.\d+ look misaligned with their labels \(delay > 15\): over these \d+ rows each row fits the label of the row before it better than its own/,
    );
    expect(anomaly.message).toContain('ct validate --accept 2001-03-01');
    expect(anomaly.message).toContain('validation.severity.labels_misaligned: warning');
    const aligned = findMisalignment(inputOf(day(12)))!;
    expect(misalignmentAnomaly({ ...aligned, firstRow: 1, lastRow: 2, judgedBy: 'production v1' }, 'f.csv', '2001-03-01', 'delay > 15', 'error')).toBeNull();
  });
});

describe('labels misaligned on real days (shipped flights partitions, no production model)', () => {
  const root = path.resolve(import.meta.dirname, '../..');
  const dir = mkdtempSync(path.join(tmpdir(), 'ct-alignment-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A shipped day as CSV rows, as the incident corpus reads them. */
  async function rowsOf(day: string): Promise<Row[]> {
    const table = await readTable(path.join(root, 'data/flights', `${day}.parquet`));
    return Array.from({ length: table.rowCount }, (_, i) => {
      const row: Row = {};
      for (const c of table.columns) {
        const v = valueAt(c, i);
        row[c.name] = c.name === 'date' && typeof v === 'string' ? v.slice(0, 16) : (v as string | number | null);
      }
      return row;
    });
  }

  async function judge(day: string, rows: Row[]) {
    const file = path.join(dir, `${day}.csv`);
    writeFileSync(file, toCsv(rows));
    const table = await readTable(file);
    return findMisalignment(alignmentInput(table, binaryLabel, ['origin', 'destination'], 'date', null))!;
  }

  // The corpus's label_shift on a tenth of the rows, judged by the day's own airport and
  // airport-hour rates alone: 47-153 nats on these days, where their aligned rows reach 6-9.
  test.each(['2001-02-05', '2001-02-14', '2001-02-28'])(
    '%s: aligned, nothing; delays of a block of a tenth of the rows shifted by one row, found',
    async (day) => {
      const rows = await rowsOf(day);
      expect(isMisaligned(await judge(day, rows))).toBe(false);
      const made = INCIDENTS.label_shift!.apply(rows, { severity: 0.1, seed: seedOf('label_shift', 0.1, day), previousDayRows: [] });
      if (!('rows' in made)) throw new Error('label_shift gives rows');
      const found = await judge(day, made.rows);
      expect([isMisaligned(found), found.offset]).toEqual([true, -1]);
    },
  );
});
