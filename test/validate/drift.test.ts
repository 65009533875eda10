/**
 * Drift on real flights (must drift / must not drift) and, for each branch of
 * Evidently's defaults, small synthetic cases whose expected numbers come from
 * scipy 1.10.1 (quoted next to them).
 */
import { readTables } from '../../src/data/read.js';
import { listPartitions } from '../../src/data/partitions.js';
import { type Column, findColumn, type Table, takeRows } from '../../src/data/table.js';
import { mulberry32 } from '../../src/train/random.js';
import { detectDrift, type DriftReport } from '../../src/validate/drift.js';
import { ksTest } from '../../src/validate/hypothesis.js';
import { computeStatistics, type DatasetStatistics } from '../../src/validate/statistics.js';
import { expectUserError, tieFreeSample as gen } from '../helpers.js';

function stats(columns: Column[]): DatasetStatistics {
  const first = columns[0]!;
  const rows = first.type === 'string' ? first.codes.length : first.values.length;
  return computeStatistics({ rowCount: rows, columns, sources: [] });
}

function numbers(name: string, values: number[], nulls = 0): Column {
  const all = [...values, ...Array.from({ length: nulls }, () => Number.NaN)];
  const mask = nulls === 0 ? null : Uint8Array.from(all, (_, i) => (i >= values.length ? 1 : 0));
  return { type: 'number', name, values: Float64Array.from(all), nulls: mask };
}

/** A string column holding each value `count` times. */
function categories(name: string, counts: Record<string, number>): Column {
  const dictionary = Object.keys(counts);
  const codes: number[] = [];
  dictionary.forEach((_, code) => {
    for (let i = 0; i < counts[dictionary[code]!]!; i++) codes.push(code);
  });
  return { type: 'string', name, codes: Int32Array.from(codes), dictionary, nulls: null };
}

/** A boolean column with `trues` true values out of `n`. */
function flags(name: string, trues: number, n: number): Column {
  return { type: 'boolean', name, values: Uint8Array.from({ length: n }, (_, i) => (i < trues ? 1 : 0)), nulls: null };
}

function column(report: DriftReport, name: string): DriftReport['columns'][number] {
  const c = report.columns.find((x) => x.column === name);
  if (c === undefined) throw new Error(`no drift result for ${name}`);
  return c;
}

describe('detectDrift on real flights', () => {
  let january: Table;
  let reference: DatasetStatistics;

  beforeAll(async () => {
    const files = listPartitions('data/flights')
      .filter((p) => p.date >= '2001-01-01' && p.date <= '2001-01-31')
      .map((p) => p.file);
    expect(files).toHaveLength(31);
    january = await readTables(files);
    reference = computeStatistics(january);
  });

  test('one week of flights leaving ATL drifts from all of January', () => {
    const origin = findColumn(january, 'origin');
    const date = findColumn(january, 'date');
    if (origin?.type !== 'string' || date?.type !== 'timestamp') throw new Error('unexpected flights columns');
    const from = Date.UTC(2001, 0, 22);
    const to = Date.UTC(2001, 0, 29);
    const rows: number[] = [];
    for (let i = 0; i < january.rowCount; i++) {
      const t = date.values[i]!;
      if (t >= from && t < to && origin.dictionary[origin.codes[i]!] === 'ATL') rows.push(i);
    }
    expect(rows.length).toBeGreaterThan(1000);
    const report = detectDrift(reference, computeStatistics(takeRows(january, rows)), {});
    expect(report.method).toBe('auto');
    expect(report.datasetDrift).toBe(true);
    expect(column(report, 'origin')).toMatchObject({ test: 'jensenshannon', drifted: true, threshold: 0.1, pValue: null });
    expect(column(report, 'origin').statistic!).toBeGreaterThan(0.5);
    expect(column(report, 'origin').referenceRows).toBe(january.rowCount);
    expect(column(report, 'distance').test).toBe('wasserstein');
    expect(report.skipped).toEqual([{ column: 'date', reason: expect.stringMatching(/^timestamp: time always moves/) }]);
    expect(report.driftedShare).toBe(report.driftedColumns / report.columns.length);
    // Valid JSON as it is (no NaN or Infinity to lose).
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  test('two random halves of the same January flights do not drift, with either method', () => {
    const random = mulberry32(2001);
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < january.rowCount; i++) (random() < 0.5 ? a : b).push(i);
    const left = computeStatistics(takeRows(january, a));
    const right = computeStatistics(takeRows(january, b));
    for (const method of ['auto', 'psi'] as const) {
      const report = detectDrift(left, right, { method });
      expect(report.columns.map((c) => c.column)).toEqual(['delay', 'distance', 'origin', 'destination']);
      expect(report.columns.filter((c) => c.drifted)).toEqual([]);
      expect(report.datasetDrift).toBe(false);
      expect(report.nullRateChanged).toEqual([]);
    }
  });
});

describe('detectDrift: reference of at most 1000 values (statistical tests)', () => {
  test('numeric columns get the KS test on the exact samples (p-values as scipy ks_2samp)', () => {
    const reference = stats([numbers('x', gen(300, 7919, 1, 0))]);
    // stats.ks_2samp(gen(300,7919,1,0), gen(700,104729,1,0.05)) -> D 0.06190476190476191, p 0.3822090395281507
    const same = column(detectDrift(reference, stats([numbers('x', gen(700, 104729, 1, 0.05))])), 'x');
    expect(same).toMatchObject({ test: 'ks', threshold: 0.05, drifted: false, referenceRows: 300, currentRows: 700 });
    expect(same.statistic).toBeCloseTo(0.06190476190476191, 12);
    expect(same.pValue!).toBeCloseTo(0.3822090395281507, 9);
    // ... gen(700,104729,1,0.2) -> D 0.21047619047619048, p 1.28202010269084e-08
    const shifted = column(detectDrift(reference, stats([numbers('x', gen(700, 104729, 1, 0.2))])), 'x');
    expect(shifted.drifted).toBe(true);
    expect(Math.abs(shifted.pValue! - 1.28202010269084e-8) / 1.28202010269084e-8).toBeLessThan(1e-8);
  });

  test('a large current side is read from its sketch, and so is the reference then (one bucket grid)', () => {
    const ref = gen(500, 7919, 1000, 1);
    const cur = gen(6000, 104729, 1000, 150);
    const result = column(detectDrift(stats([numbers('x', ref)]), stats([numbers('x', cur)])), 'x');
    const exact = ksTest(ref, cur);
    expect(result).toMatchObject({ test: 'ks', referenceRows: 500, currentRows: 6000, drifted: true });
    // Buckets are 2% wide (relative): at most a bucket's share of the data off.
    expect(Math.abs(result.statistic! - exact.statistic)).toBeLessThan(0.02);
    // Data whose spread is small next to its magnitude fill only ~10 buckets: identical
    // distributions must still not drift (exact values against bucket values would).
    const narrow = column(detectDrift(stats([numbers('x', gen(500, 7919, 10, 100))]), stats([numbers('x', gen(6000, 104729, 10, 100))])), 'x');
    expect(narrow.drifted).toBe(false);
    expect(narrow.statistic!).toBeLessThan(0.02);
  });

  test('categorical columns get chi-squared (expected = reference shares × current size)', () => {
    // stats.chisquare([40,30,40], [55,33,22]) -> 19.090909090909093, p 7.15256418377282e-05
    const report = detectDrift(stats([categories('c', { a: 50, b: 30, c: 20 })]), stats([categories('c', { a: 40, b: 30, c: 40 })]));
    const c = column(report, 'c');
    expect(c).toMatchObject({ test: 'chisquare', drifted: true });
    expect(c.statistic).toBeCloseTo(19.090909090909093, 10);
    expect(Math.abs(c.pValue! - 7.15256418377282e-5) / 7.15256418377282e-5).toBeLessThan(1e-9);
    // A category the reference never had: infinite statistic (null in the report), p = 0.
    const unseen = column(detectDrift(stats([categories('c', { a: 50, b: 50 })]), stats([categories('c', { a: 50, b: 40, z: 10 })])), 'c');
    expect(unseen).toMatchObject({ test: 'chisquare', statistic: null, pValue: 0, drifted: true });
  });

  test('binary columns get the two-proportion Z test', () => {
    // z = -1.6477716817422, p = 2*norm.sf(|z|) = 0.09939953216165574
    const c = column(detectDrift(stats([flags('f', 30, 100)]), stats([flags('f', 45, 110)])), 'f');
    expect(c).toMatchObject({ test: 'z', drifted: false });
    expect(c.statistic).toBeCloseTo(-1.6477716817422, 10);
    expect(c.pValue!).toBeCloseTo(0.09939953216165574, 12);
  });

  test('numbers with few distinct values are tested as categories (chi-squared, or Z for two)', () => {
    const three = (counts: number[]): number[] => counts.flatMap((n, v) => Array.from({ length: n }, () => v));
    // stats.chisquare([30,40,40], [55,33,22]) -> p 1.0280170680796738e-06
    const c = column(detectDrift(stats([numbers('k', three([50, 30, 20]))]), stats([numbers('k', three([30, 40, 40]))])), 'k');
    expect(c.test).toBe('chisquare');
    expect(Math.abs(c.pValue! - 1.0280170680796738e-6) / 1.0280170680796738e-6).toBeLessThan(1e-9);
    const binary = column(detectDrift(stats([numbers('b', three([70, 30]))]), stats([numbers('b', three([55, 55]))])), 'b');
    expect(binary.test).toBe('z');
  });
});

describe('detectDrift: larger references (distances)', () => {
  test('categorical: Jensen–Shannon distance (base 2) >= 0.1', () => {
    // scipy jensenshannon([500,300,200,0], [400,300,250,50], base=2) -> 0.1761353445768341
    const c = column(detectDrift(stats([categories('c', { a: 1000, b: 600, c: 400 })]), stats([categories('c', { a: 400, b: 300, c: 250, d: 50 })])), 'c');
    expect(c).toMatchObject({ test: 'jensenshannon', drifted: true, pValue: null, adjustedPValue: null });
    expect(c.statistic).toBeCloseTo(0.1761353445768341, 12);
  });

  test('numeric: Wasserstein distance over the population std of the reference', () => {
    const ref = Array.from({ length: 4000 }, (_, i) => i % 1000);
    const near = column(
      detectDrift(
        stats([numbers('x', ref)]),
        stats([
          numbers(
            'x',
            ref.map((x) => x + 20),
          ),
        ]),
      ),
      'x',
    );
    expect(near.test).toBe('wasserstein');
    // A shift of 20 over std 288.7: 0.069 (the sketch moves it by at most 1% of the values).
    expect(near.statistic).toBeCloseTo(20 / Math.sqrt((1000 * 1000 - 1) / 12), 2);
    expect(near.drifted).toBe(false);
    const far = column(
      detectDrift(
        stats([numbers('x', ref)]),
        stats([
          numbers(
            'x',
            ref.map((x) => x + 60),
          ),
        ]),
      ),
      'x',
    );
    expect(far.drifted).toBe(true);
  });

  test('numbers with few distinct values: Jensen–Shannon over the exact value counts', () => {
    const values = (counts: number[]): number[] => counts.flatMap((n, v) => Array.from({ length: n }, () => v));
    const c = column(detectDrift(stats([numbers('k', values([1000, 600, 400]))]), stats([numbers('k', values([400, 300, 250, 50]))])), 'k');
    expect(c.test).toBe('jensenshannon');
    expect(c.statistic).toBeCloseTo(0.1761353445768341, 12);
  });
});

describe('detectDrift: PSI', () => {
  test('categorical PSI with 0.0001 for empty categories', () => {
    // numpy: r=[.5,.3,.2,1e-4], c=[.4,.3,.25,.05]: sum((r-c)*log(r/c)) -> 0.34358047680839876
    const c = column(
      detectDrift(stats([categories('c', { a: 500, b: 300, c: 200 })]), stats([categories('c', { a: 400, b: 300, c: 250, d: 50 })]), { method: 'psi' }),
      'c',
    );
    expect(c).toMatchObject({ test: 'psi', threshold: 0.1, drifted: true });
    expect(c.statistic).toBeCloseTo(0.34358047680839876, 12);
  });

  test('numeric PSI on the reference deciles', () => {
    // numpy: deciles s[floor(q(n-1))] of gen(900,7919,10,0), bins (e_i-1, e_i], counts of both -> 0.8700256743651497
    const report = detectDrift(stats([numbers('x', gen(900, 7919, 10, 0))]), stats([numbers('x', gen(800, 104729, 10, 1.5))]), { method: 'psi' });
    expect(column(report, 'x').statistic).toBeCloseTo(0.8700256743651497, 10);
    const stable = detectDrift(stats([numbers('x', gen(900, 7919, 10, 0))]), stats([numbers('x', gen(800, 104729, 10, 0))]), { method: 'psi' });
    expect(column(stable, 'x').drifted).toBe(false);
  });
});

describe('detectDrift: corrections, null rates, label and prediction, skips', () => {
  // Raw Z-test p-values (2*norm.sf): f1 0.029096331741252257, f2 0.016885649513752113, f3 0.06104468950598916.
  const reference = stats([flags('f1', 50, 200), flags('f2', 50, 200), flags('f3', 40, 200)]);
  const current = stats([flags('f1', 70, 200), flags('f2', 72, 200), flags('f3', 56, 200)]);

  test('p-values are corrected together; the drift decision uses the adjusted p-value', () => {
    const none = detectDrift(reference, current, { correction: 'none' });
    expect(none.columns.map((c) => c.drifted)).toEqual([true, true, false]);
    expect(column(none, 'f1').pValue!).toBeCloseTo(0.029096331741252257, 12);
    expect(none.datasetDrift).toBe(true);

    const bonferroni = detectDrift(reference, current, { correction: 'bonferroni' });
    expect(bonferroni.columns.map((c) => c.drifted)).toEqual([false, false, false]);
    expect(column(bonferroni, 'f2').adjustedPValue!).toBeCloseTo(3 * 0.016885649513752113, 12);
    expect(column(bonferroni, 'f2').pValue!).toBeCloseTo(0.016885649513752113, 12);

    // BH: f2 0.01689·3/1 = 0.0507, f1 0.0291·3/2 = 0.0436, f3 0.0610 → f2 takes f1's 0.0436.
    const bh = detectDrift(reference, current, {});
    expect(bh.correction).toBe('benjamini-hochberg');
    expect(bh.columns.map((c) => c.drifted)).toEqual([true, true, false]);
    expect(column(bh, 'f2').adjustedPValue!).toBeCloseTo(1.5 * 0.029096331741252257, 12);
    expect(bh.datasetDrift).toBe(true);
    expect(detectDrift(reference, current, { datasetDriftShare: 0.8 }).datasetDrift).toBe(false);
  });

  test('a null-rate change is reported on its own and is not distribution drift', () => {
    const values = gen(500, 7919, 1, 0);
    const report = detectDrift(stats([numbers('x', values)]), stats([numbers('x', values, 60)]));
    const x = column(report, 'x');
    expect(x.nullRate).toEqual({ reference: 0, current: 60 / 560, changed: true });
    expect(x.drifted).toBe(false);
    expect(report.nullRateChanged).toEqual(['x']);
    expect(report.datasetDrift).toBe(false);
    const tolerant = detectDrift(stats([numbers('x', values)]), stats([numbers('x', values, 60)]), { nullRateChange: 0.2 });
    expect(column(tolerant, 'x').nullRate.changed).toBe(false);
  });

  test('label and prediction are tested apart and do not count toward dataset drift', () => {
    const labels = (positives: number, n: number): number[] => Array.from({ length: n }, (_, i) => (i < positives ? 1 : 0));
    const scores = (n: number, offset: number): number[] => gen(n, 7919, 0.5, offset);
    const reference = stats([numbers('x', gen(2000, 7919, 1, 0)), numbers('y', labels(400, 2000)), numbers('p', scores(2000, 0.1))]);
    const current = stats([numbers('x', gen(1500, 104729, 1, 0)), numbers('y', labels(750, 1500)), numbers('p', scores(1500, 0.4))]);
    const report = detectDrift(reference, current, { columns: ['x', 'y', 'p'], labelColumn: 'y', predictionColumn: 'p' });
    expect(report.columns.map((c) => c.column)).toEqual(['x']);
    expect(report.datasetDrift).toBe(false);
    expect(report.label).toMatchObject({ column: 'y', test: 'jensenshannon', drifted: true, positiveRate: { reference: 0.2, current: 0.5 } });
    expect(report.prediction).toMatchObject({ column: 'p', test: 'wasserstein', drifted: true });
    expect(report.prediction!.positiveRate.reference).toBeCloseTo(0.35, 2);
    expect(report.prediction!.positiveRate.current).toBeCloseTo(0.65, 2);
    // No prediction on the reference side (no production model then): skipped, null.
    const noPrediction = detectDrift(stats([numbers('x', gen(50, 7919, 1, 0))]), stats([numbers('x', gen(50, 7919, 1, 0)), numbers('p', scores(50, 0))]), {
      predictionColumn: 'p',
    });
    expect(noPrediction.prediction).toBeNull();
    expect(noPrediction.skipped).toEqual([{ column: 'p', reason: 'missing from the reference statistics' }]);
  });

  test('columns that cannot be tested are skipped with the reason', () => {
    const reference = stats([numbers('a', [1, 2, 3]), numbers('b', [1, 2, 3]), categories('c', { x: 3 }), numbers('e', [1, 2, 3])]);
    const current = stats([numbers('a', [1, 2, 3]), categories('b', { x: 3 }), numbers('d', [1, 2, 3]), numbers('e', [], 3)]);
    const report = detectDrift(reference, current, {});
    expect(report.columns.map((c) => c.column)).toEqual(['a']);
    expect(report.skipped).toEqual([
      { column: 'b', reason: 'type changed: number in the reference, string in the current data' },
      { column: 'c', reason: 'missing from the current data' },
      { column: 'e', reason: 'no values in the current data' },
      { column: 'd', reason: 'missing from the reference statistics' },
    ]);
    expect(report.nullRateChanged).toEqual(['e']);
    expect(detectDrift(reference, current, { columns: ['a'] }).skipped).toEqual([]);
  });

  test('per-column test and threshold; a numeric test on strings is a user error', () => {
    const reference = stats([numbers('x', gen(300, 7919, 1, 0)), categories('c', { a: 50, b: 50 })]);
    const current = stats([numbers('x', gen(700, 104729, 1, 0.05)), categories('c', { a: 60, b: 40 })]);
    const report = detectDrift(reference, current, { perColumn: { x: { test: 'wasserstein', threshold: 0.01 }, c: { test: 'psi' } } });
    expect(column(report, 'x')).toMatchObject({ test: 'wasserstein', threshold: 0.01, drifted: true, pValue: null });
    expect(column(report, 'c')).toMatchObject({ test: 'psi', threshold: 0.1 });
    expectUserError(() => detectDrift(reference, current, { perColumn: { c: { test: 'ks' } } }), /drift test "ks" for column "c" needs a numeric column/);
    expectUserError(
      () => detectDrift(reference, current, { perColumn: { c: { test: 'tvd' as 'psi' } } }),
      /unknown drift test "tvd" for column "c" \(use ks, chisquare, z, wasserstein, jensenshannon, psi\)/,
    );
  });
});
