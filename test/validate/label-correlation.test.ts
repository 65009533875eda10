/**
 * An input that holds the outcome: its correlation with the label, kept per partition and
 * judged against the history, stops a day where a value was filled in from the label, and
 * leaves alone the days where the relation wandered as far as chance takes it.
 */
import { compareWithHistory } from '../../src/validate/history.js';
import { findingMessage } from '../../src/validate/history-words.js';
import { type PartitionProfile, profileOf } from '../../src/validate/profile.js';
import { correlationNoise, createLabelCorrelations } from '../../src/validate/label-correlation.js';
import { computeStatistics } from '../../src/validate/statistics.js';
import { numberColumn, tableOf } from '../helpers.js';
import { dateOf, options } from './history-days.js';

/** Pearson's r of two arrays, computed the plain way. */
function pearson(x: number[], y: number[]): number {
  const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
  const [mx, my] = [mean(x), mean(y)];
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** The values limited to their 1st and 99th percentiles, unless those are equal. */
function winsorized(x: number[]): number[] {
  const sorted = [...x].sort((a, b) => a - b);
  const low = sorted[Math.floor(0.01 * x.length)]!;
  const high = sorted[Math.ceil(0.99 * x.length) - 1]!;
  return low === high ? x : x.map((v) => Math.min(high, Math.max(low, v)));
}

/** The correlation a profile keeps, the plain way: Pearson's of the winsorized values. */
const expected = (x: number[], y: number[]): number => pearson(winsorized(x), winsorized(y));

/**
 * A day of payments: about 2% fraud, a risk score a little higher on fraud (the relation a
 * model learns), an amount unrelated to it. `leak` rewrites the score of each fraud with
 * that probability, as a review that closed the case would.
 */
function payments(i: number, change: { rows?: number; leak?: number } = {}): { profile: PartitionProfile; label: number[]; risk: number[] } {
  let seed = 7_000 + i;
  const random = (): number => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
  const label: number[] = [];
  const risk: number[] = [];
  const amount: number[] = [];
  for (let k = 0; k < (change.rows ?? 3_000); k++) {
    const fraud = random() < 0.02 ? 1 : 0;
    label.push(fraud);
    const score = Math.round(random() * (fraud === 1 ? 0.35 : 0.25) * 1e4) / 1e4;
    risk.push(fraud === 1 && random() < (change.leak ?? 0) ? 0.93 : score);
    amount.push(Math.round(random() * 50_000) / 100);
  }
  const table = tableOf([numberColumn('risk', risk), numberColumn('amount', amount), numberColumn('ct:label', label)]);
  const correlations = createLabelCorrelations('ct:label', new Set(['risk', 'amount']));
  // Chunk by chunk, as a partition is read.
  const half = Math.floor(label.length / 2);
  const slice = (from: number, to: number): ReturnType<typeof tableOf> =>
    tableOf([numberColumn('risk', risk.slice(from, to)), numberColumn('amount', amount.slice(from, to)), numberColumn('ct:label', label.slice(from, to))]);
  correlations.add(slice(0, half));
  correlations.add(slice(half, label.length));
  return { profile: profileOf(dateOf(i), computeStatistics(table), { duplicates: 0, relations: correlations.result() }), label, risk };
}

describe('correlation of an input with the label', () => {
  const days = Array.from({ length: 28 }, (_, i) => payments(i).profile);

  it("is each listed input's correlation with the label, winsorized, accumulated over chunks", () => {
    const { profile, label, risk } = payments(28);
    // Values are counted in buckets 2% wide: close to the exact values' correlation, not equal.
    expect(profile.metrics['risk|ct:label.correlation']).toBeCloseTo(expected(risk, label), 2);
    expect(profile.metrics['risk|ct:label.correlation']).not.toBe(expected(risk, label));
    expect(profile.metrics['amount|ct:label.correlation']).toBeDefined();
    // The label is no input of itself; a column not listed is not measured.
    expect(Object.keys(profile.metrics).filter((m) => m.endsWith('.correlation'))).toHaveLength(2);
  });

  it('of a regression target too, in either direction, and one huge value barely moves it', () => {
    const n = 2_000;
    const x = Array.from({ length: n }, (_, k) => ((k * 7_919) % 1_000) - 500);
    const y = x.map((v, k) => -0.3 * v + ((k * 104_729) % 997) - 498);
    const measure = (xs: number[]): number => {
      const c = createLabelCorrelations('ct:label', new Set(['x']));
      c.add(tableOf([numberColumn('x', xs), numberColumn('ct:label', y)]));
      return c.result()['x|ct:label.correlation']!;
    };
    const r = measure(x);
    expect(r).toBeCloseTo(expected(x, y), 2);
    expect(r).toBeLessThan(-0.1);
    // A value a thousand times the others on the row of the highest label: Pearson's r jumps, the winsorized one barely.
    const top = y.indexOf(Math.max(...y));
    const huge = x.map((v, k) => (k === top ? 1e6 : v));
    expect(pearson(huge, y) - pearson(x, y)).toBeGreaterThan(0.2);
    expect(Math.abs(measure(huge) - r)).toBeLessThan(0.005);
  });

  it('needs 100 rows where both values are there, and both varying', () => {
    const few = createLabelCorrelations('ct:label', new Set(['x']));
    few.add(tableOf([numberColumn('x', [1, 2, 3]), numberColumn('ct:label', [0, 1, 0])]));
    expect(few.result()).toEqual({});
    const constant = createLabelCorrelations('ct:label', new Set(['x']));
    const n = 200;
    constant.add(
      tableOf([
        numberColumn(
          'x',
          Array.from({ length: n }, (_, k) => k),
        ),
        numberColumn('ct:label', new Array<number>(n).fill(0)),
      ]),
    );
    expect(constant.result()).toEqual({});
    // Every other value null: 99 pairs of 198 rows.
    const nulls = createLabelCorrelations('ct:label', new Set(['x']));
    nulls.add(
      tableOf([
        numberColumn(
          'x',
          Array.from({ length: 198 }, (_, k) => (k % 2 === 0 ? null : k)),
        ),
        numberColumn(
          'ct:label',
          Array.from({ length: 198 }, (_, k) => k % 3),
        ),
      ]),
    );
    expect(nulls.result()).toEqual({});
  });

  it('an ordinary day, and a small one whose correlation wandered by chance, pass', () => {
    expect(compareWithHistory(payments(28).profile, days, options).filter((f) => f.metric.endsWith('.correlation'))).toEqual([]);
    for (let i = 28; i < 48; i++) {
      expect(compareWithHistory(payments(i, { rows: 300 }).profile, days, options).filter((f) => f.metric.endsWith('.correlation'))).toEqual([]);
    }
    // Chance moves a correlation of r by about (1 - r²) / √rows.
    expect(correlationNoise(0.2, 10_000)).toBeCloseTo(0.0096, 4);
  });

  it('the score of every fraud rewritten after review is a label_relation error that names the input and the label', () => {
    const finding = compareWithHistory(payments(28, { leak: 1 }).profile, days, options).find((f) => f.metric === 'risk|ct:label.correlation');
    expect(finding).toMatchObject({ kind: 'label_relation', column: 'risk|ct:label' });
    expect(finding!.value).toBeGreaterThan(0.8);
    expect(findingMessage(finding!, 'data/payments/2001-01-29.csv', dateOf(28), 'is_fraud')).toMatch(
      /relation of "risk" to the label \(is_fraud\): correlation \(an input that tells the label far better than on any earlier day holds the outcome/,
    );
    // A relation that collapsed instead (labels slid against the rows) is told as that, not as a leak.
    expect(findingMessage({ ...finding!, value: 0.015, score: -40 }, 'data/payments/2001-01-29.csv', dateOf(28), 'is_fraud')).toMatch(
      /correlation \(a relation that held on every earlier day is gone: labels misaligned with their rows/,
    );
    // Half the frauds rewritten: still far beyond every earlier day.
    expect(compareWithHistory(payments(28, { leak: 0.5 }).profile, days, options).map((f) => f.metric)).toContain('risk|ct:label.correlation');
  });
});
