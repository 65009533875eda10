/**
 * The input-domain checker: non-finite transformed values, categories out of vocabulary
 * beyond what training saw (robust for small batches), values far from the training
 * range; above and below the tolerance, for preprocessing with and without the fields
 * that record what training saw, fed chunk by chunk.
 */
import { type Column, sliceRows, type Table } from '../../src/data/table.js';
import { UserError } from '../../src/errors.js';
import { createInputDomainChecker, imputedSummary, type InputDomainOptions } from '../../src/features/domain.js';
import { fitPreprocessing, type NumericFeature, type Preprocessing } from '../../src/features/preprocessing.js';
import type { Anomaly } from '../../src/validate/checker.js';
import { numberColumn, stringColumn, tableOf, delayConfig } from '../helpers.js';

const T0 = Date.UTC(2001, 1, 28, 6, 30);
const FILE = 'data/flights/2001-02-28.csv';

/**
 * Training: 1000 rows, distance 100..1000 (evenly), origin A..E (900 rows) plus 100 values
 * seen once (cut by minCount 2: 10% out of vocabulary), destination X/Y (all kept: 0%).
 */
function trainingTable(): Table {
  const n = 1000;
  return tableOf(
    [
      numberColumn(
        'date',
        Array.from({ length: n }, (_, i) => T0 + (i % 24) * 3_600_000),
        'timestamp',
      ),
      numberColumn(
        'delay',
        Array.from({ length: n }, (_, i) => (i % 5) * 10),
      ),
      numberColumn(
        'distance',
        Array.from({ length: n }, (_, i) => 100 + (900 * i) / (n - 1)),
      ),
      stringColumn(
        'origin',
        Array.from({ length: n }, (_, i) => (i % 10 === 9 ? `R${i}` : 'ABCDE'[i % 5]!)),
      ),
      stringColumn(
        'destination',
        Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 'X' : 'Y')),
      ),
    ],
    'train.csv',
  );
}

const config = delayConfig([
  { name: 'log_distance', column: 'distance', transform: 'log1p' },
  { name: 'distance', column: 'distance' },
  { name: 'origin', column: 'origin', minCount: 2 },
  { name: 'destination', column: 'destination' },
  { name: 'hour', column: 'date', transform: 'hourOfDay' },
  { name: 'origin_hour', cross: ['origin', 'hour'], hashBuckets: 64 },
]);

const fitted = (): Preprocessing => fitPreprocessing(trainingTable(), config);

interface BatchSpec {
  rows?: number;
  /** Row index -> distance (default: 500). */
  distance?: (i: number) => number | null;
  /** Row index -> origin (default: A..E). */
  origin?: (i: number) => string | null;
  destination?: (i: number) => string | null;
  date?: (i: number) => number | null;
  /** Rows of the file before this batch (a chunk from the middle of a file). */
  offset?: number;
  /** The file the rows came from (default: FILE). */
  file?: string;
}

function batch(spec: BatchSpec = {}): Table {
  const n = spec.rows ?? 2000;
  const of = <T>(f: ((i: number) => T) | undefined, d: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => (f ?? d)(i));
  const columns: Column[] = [
    numberColumn(
      'date',
      of(spec.date, () => T0),
      'timestamp',
    ),
    numberColumn(
      'distance',
      of(spec.distance, () => 500),
    ),
    stringColumn(
      'origin',
      of(spec.origin, (i) => 'ABCDE'[i % 5]!),
    ),
    stringColumn(
      'destination',
      of(spec.destination, () => 'X'),
    ),
  ];
  return tableOf(columns, spec.file ?? FILE, spec.offset ?? 0);
}

function check(prep: Preprocessing, tables: Table[], options: Partial<InputDomainOptions> = {}): Anomaly[] {
  const checker = createInputDomainChecker(prep, { model: 'the candidate', ...options });
  for (const t of tables) checker.add(t);
  return checker.result();
}

const ofKind = (anomalies: Anomaly[], kind: string, column?: string): Anomaly[] =>
  anomalies.filter((a) => a.kind === kind && (column === undefined || a.column === column));

describe('input_non_finite', () => {
  it('above the tolerance: an error naming feature, column, transform, count, share, what happens and what to do', () => {
    const negatives = new Set(Array.from({ length: 100 }, (_, k) => 7 + k * 19));
    const anomalies = check(fitted(), [batch({ distance: (i) => (negatives.has(i) ? -5 : 500) })]);
    const [a, ...rest] = ofKind(anomalies, 'input_non_finite');
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ column: 'distance', severity: 'error', count: 100, share: 0.05 });
    expect(a!.message).toContain(
      'feature "log_distance" (log1p of column "distance"): 100 of 2000 rows (5.0%) give a non-finite value (log1p of a value <= -1); the candidate would silently score them as an average distance',
    );
    expect(a!.message).toContain("Fix the data, or change the feature's transform");
    expect(a!.message).toContain('tolerance: 0.10% of rows');
    // Examples name the file and 1-based row, and the value; at most 20.
    expect(a!.examples[0]).toEqual({ file: FILE, row: 8, value: '-5' });
    expect(a!.examples).toHaveLength(20);
    // -5 is finite for the untransformed feature: nothing to say about "distance" here.
    expect(anomalies.every((x) => x.kind !== 'input_non_finite' || x.message.startsWith('feature "log_distance"'))).toBe(true);
  });

  it('within the tolerance: a warning; none: nothing', () => {
    const [a] = ofKind(check(fitted(), [batch({ distance: (i) => (i === 1999 ? -1 : 500) })]), 'input_non_finite');
    expect(a).toMatchObject({ severity: 'warning', count: 1, share: 0.0005, examples: [{ file: FILE, row: 2000, value: '-1' }] });
    expect(a!.message).toContain('within the tolerance of 0.10% of rows, so a warning');
    expect(ofKind(check(fitted(), [batch({ distance: (i) => (i === 0 ? -0.5 : 500) })]), 'input_non_finite')).toEqual([]);
    // Exactly at the tolerance is still within it; one more row is over.
    expect(ofKind(check(fitted(), [batch({ rows: 1000, distance: (i) => (i === 0 ? -2 : 500) })]), 'input_non_finite')[0]!.severity).toBe('warning');
    expect(ofKind(check(fitted(), [batch({ rows: 1000, distance: (i) => (i < 2 ? -2 : 500) })]), 'input_non_finite')[0]!.severity).toBe('error');
  });

  it('NaN and infinite inputs are non-finite for every feature reading them; nulls are not', () => {
    const values = Float64Array.from({ length: 2000 }, (_, i) => (i < 10 ? Number.NaN : i < 20 ? Number.POSITIVE_INFINITY : 500));
    const table = batch();
    const withNaN: Table = {
      ...table,
      columns: table.columns.map((c) => (c.name === 'distance' ? { type: 'number', name: 'distance', values, nulls: null } : c)),
    };
    const found = ofKind(check(fitted(), [withNaN]), 'input_non_finite');
    expect(found.map((a) => [a.message.slice(0, 30), a.count])).toEqual([
      ['feature "log_distance" (log1p ', 20],
      ['feature "distance" (column "di', 20],
    ]);
    expect(found[0]!.message).toContain('(NaN or infinite values in the data)');
    expect(found[0]!.examples.slice(9, 11).map((e) => e.value)).toEqual(['NaN', 'Infinity']);
    expect(ofKind(check(fitted(), [batch({ distance: (i) => (i < 500 ? null : 500) })]), 'input_non_finite')).toEqual([]);
  });

  it('names both causes when log1p sees values <= -1 and non-finite inputs', () => {
    const table = batch();
    const values = Float64Array.from({ length: 2000 }, (_, i) => (i < 10 ? Number.NaN : i < 40 ? -3 : 500));
    const mixed: Table = {
      ...table,
      columns: table.columns.map((c) => (c.name === 'distance' ? { type: 'number', name: 'distance', values, nulls: null } : c)),
    };
    const [a] = ofKind(check(fitted(), [mixed]), 'input_non_finite');
    expect(a!.message).toContain('(log1p of a value <= -1 in 30 rows, NaN or infinite values in the data in 10)');
  });

  it('severity comes from the options (config validation.severity)', () => {
    const anomalies = check(fitted(), [batch({ distance: (i) => (i < 100 ? -5 : 500) })], { severity: { input_non_finite: 'warning' } });
    expect(ofKind(anomalies, 'input_non_finite')[0]!.severity).toBe('warning');
  });
});

describe('input_out_of_vocabulary', () => {
  // origin: training had 10% out of vocabulary. A batch of 2000: limit 10% + 3 SE (2.01%) + 0.5/2000.
  const origin = (share: number) => (i: number) => (i < share * 2000 ? `NEW${i % 7}` : 'ABCDE'[i % 5]!);

  it("at training's share (rare values as in training): nothing", () => {
    expect(ofKind(check(fitted(), [batch({ origin: origin(0.1) })]), 'input_out_of_vocabulary')).toEqual([]);
    expect(ofKind(check(fitted(), [batch({ origin: origin(0.12) })]), 'input_out_of_vocabulary')).toEqual([]);
  });

  it('a long tail the vocabulary cut may grow by a quarter of its share: a retrain, not a stopped run, is the fix', () => {
    // Training had 10% unknown; 12.5% is within; 12.6% of 2000 rows (beyond 3 standard errors, 2%) is not.
    expect(ofKind(check(fitted(), [batch({ origin: origin(0.125) })]), 'input_out_of_vocabulary')).toEqual([]);
    expect(ofKind(check(fitted(), [batch({ origin: origin(0.126) })]), 'input_out_of_vocabulary')[0]!.severity).toBe('error');
  });

  it("well above it: an error naming the share, training's share, the top values and what to do", () => {
    const [a, ...rest] = ofKind(check(fitted(), [batch({ origin: origin(0.15) })]), 'input_out_of_vocabulary');
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ column: 'origin', severity: 'error', count: 300, share: 0.15 });
    expect(a!.message).toContain(
      'feature "origin" (vocabulary of 5 values of column "origin"): 300 of 2000 non-null rows (15.0%) hold values not in the vocabulary, training had 10.0% (rare values cut by maxVocabulary / minCount)',
    );
    expect(a!.message).toContain('more than the 12.5% accepted');
    expect(a!.message).toMatch(/Most frequent: NEW0 \(43\), NEW1 \(43\), NEW2 \(43\), NEW3 \(43\), NEW4 \(43\)\./);
    expect(a!.message).toContain('the candidate would silently score them as an unknown origin (id 0)');
    expect(a!.message).toContain('retrain so the vocabulary includes them');
    expect(a!.examples[0]).toEqual({ file: FILE, row: 1, value: 'NEW0' });
  });

  it('a small batch is not flagged for noise that a large batch would be', () => {
    // 4 of 20 (20%): within 10% + 3 SE of a 20-row batch (6.7%) + 2.5%.
    const small = batch({ rows: 20, origin: (i) => (i < 4 ? 'NEW' : 'A') });
    expect(ofKind(check(fitted(), [small]), 'input_out_of_vocabulary')).toEqual([]);
    const large = batch({ rows: 2000, origin: (i) => (i % 5 === 0 ? 'NEW' : 'A') });
    expect(ofKind(check(fitted(), [large]), 'input_out_of_vocabulary')[0]!.severity).toBe('error');
  });

  it('nulls are not out of vocabulary, and do not count in the share', () => {
    const nulls = batch({ origin: (i) => (i < 1000 ? null : i < 1110 ? 'NEW' : 'A') });
    // 110 of 1000 non-null rows (11%): within the margin.
    expect(ofKind(check(fitted(), [nulls]), 'input_out_of_vocabulary')).toEqual([]);
  });

  it('training saw none: a few within the tolerance are a warning, more an error', () => {
    const one = ofKind(check(fitted(), [batch({ destination: (i) => (i === 5 ? 'Z' : 'X') })]), 'input_out_of_vocabulary');
    expect(one).toHaveLength(1);
    expect(one[0]).toMatchObject({ column: 'destination', severity: 'warning', count: 1, examples: [{ file: FILE, row: 6, value: 'Z' }] });
    expect(one[0]!.message).toContain('training had 0.0%; within the 0.10% accepted for a batch of this size, so a warning');
    const ten = ofKind(check(fitted(), [batch({ destination: (i) => (i < 10 ? 'Z' : 'X') })]), 'input_out_of_vocabulary');
    expect(ten[0]).toMatchObject({ column: 'destination', severity: 'error', count: 10 });
  });

  it('a column the schema lists no domain for (its values keep arriving) is a warning at any share, saying why', () => {
    // Support agents who joined after training: 5% of the rows, every value real.
    const joined = batch({ destination: (i) => (i < 100 ? `A${140 + (i % 4)}` : 'X') });
    const [a] = ofKind(check(fitted(), [joined], { openColumns: new Set(['destination']) }), 'input_out_of_vocabulary');
    expect(a).toMatchObject({ column: 'destination', severity: 'warning', count: 100 });
    expect(a!.message).toMatch(/\(a warning: the schema lists no domain for column "destination", so new values are expected\)$/);
    // Another column is judged as before.
    expect(ofKind(check(fitted(), [joined], { openColumns: new Set(['origin']) }), 'input_out_of_vocabulary')[0]!.severity).toBe('error');
  });

  it("values the schema's domain lists (reviewed, newer than the model) are a warning; other unknown values are still judged", () => {
    // A store that opened after training, added to the schema by a person: 3% of the rows.
    const opened = batch({ destination: (i) => (i < 60 ? 'W' : 'X') });
    const reviewed = { reviewedValues: new Map([['destination', new Set(['X', 'W'])]]) };
    const [a] = ofKind(check(fitted(), [opened], reviewed), 'input_out_of_vocabulary');
    expect(a).toMatchObject({ column: 'destination', severity: 'warning', count: 60 });
    expect(a!.message).toContain(
      `but 60 of them hold values the schema's domain for column "destination" lists, valid values newer than the model, so a warning`,
    );
    // Without the schema's word, the same rows stop the run.
    expect(ofKind(check(fitted(), [opened]), 'input_out_of_vocabulary')[0]!.severity).toBe('error');
    // Reviewed values do not cover values the domain does not list: 60 rows of Q are judged alone.
    const mixed = batch({ destination: (i) => (i < 60 ? 'W' : i < 120 ? 'Q' : 'X') });
    const [b] = ofKind(check(fitted(), [mixed], reviewed), 'input_out_of_vocabulary');
    expect(b).toMatchObject({ severity: 'error', count: 120 });
    // A domain listed for another column does not count.
    const other = { reviewedValues: new Map([['origin', new Set(['W'])]]) };
    expect(ofKind(check(fitted(), [opened], other), 'input_out_of_vocabulary')[0]!.severity).toBe('error');
  });
});

describe('input_far_from_training', () => {
  // distance: training 100..1000, so far is below -350 or above 1450.
  it("beyond half the training span: an error with training's range, the limits and the furthest value", () => {
    const anomalies = check(fitted(), [batch({ distance: (i) => (i < 8 ? 1451 + i : i < 10 ? 5000 : i === 10 ? 1449 : 500) })]);
    const [a, ...rest] = ofKind(anomalies, 'input_far_from_training');
    expect(a).toMatchObject({ column: 'distance', severity: 'error', count: 10, share: 0.005 });
    expect(a!.message).toContain('feature "distance" (column "distance"): 10 of 2000 rows (0.50%; 10 above) are far from the values training saw');
    expect(a!.message).toContain(
      "training's distance ranged 100 .. 1000, and values more than half that span beyond either end (below -350 or above 1450) are far; the furthest is distance 5000",
    );
    expect(a!.examples.map((e) => e.value)).toEqual(['1451', '1452', '1453', '1454', '1455', '1456', '1457', '1458', '5000', '5000']);
    // log1p(5000) = 8.52 is also beyond log1p's limits (up to 8.06): reported in the column's units too.
    expect(rest).toHaveLength(1);
    expect(rest[0]!.message).toContain('feature "log_distance" (log1p of column "distance"): 2 of 2000 rows');
    expect(rest[0]!.message).toContain("training's log1p(distance) ranged 4.615 (distance 100) .. 6.909 (distance 1000)");
    // 2 of 2000 is exactly the tolerance (0.1%): a warning, after the error.
    expect(rest[0]!.severity).toBe('warning');
  });

  it('a window of good days does not dilute one bad day: its own share is judged, and named', () => {
    const good = Array.from({ length: 20 }, (_, d) => batch({ file: `data/flights/2001-02-${String(d + 1).padStart(2, '0')}.csv` }));
    // 40 far distances on the newest day: 2% of it, 0.095% of the window (within the tolerance of 0.1%).
    const bad = batch({ file: 'data/flights/2001-03-01.csv', distance: (i) => (i % 50 === 0 ? 5000 : 500) });
    const [a] = ofKind(check(fitted(), [...good, bad]), 'input_far_from_training', 'distance');
    expect(a).toMatchObject({ severity: 'error', count: 40 });
    expect(a!.message).toContain('40 of 42000 rows (0.10%; 40 above; in data/flights/2001-03-01.csv, 40 of 2000 rows (2.0%))');
    // A few odd values in one file are no incident of that file: the window's share decides.
    const few = batch({ file: 'data/flights/2001-03-01.csv', distance: (i) => (i < 5 ? 5000 : 500) });
    expect(ofKind(check(fitted(), [...good, few]), 'input_far_from_training', 'distance')[0]).toMatchObject({ severity: 'warning', count: 5 });
  });

  it('within the limits: nothing; within the tolerance: a warning; below the range counts too', () => {
    expect(ofKind(check(fitted(), [batch({ distance: (i) => (i % 2 === 0 ? 1449 : -349) })]), 'input_far_from_training')).toEqual([]);
    const [a] = ofKind(check(fitted(), [batch({ distance: (i) => (i === 3 ? -400 : 500) })]), 'input_far_from_training');
    expect(a).toMatchObject({ column: 'distance', severity: 'warning', count: 1, examples: [{ file: FILE, row: 4, value: '-400' }] });
    expect(a!.message).toContain('1 below');
  });
});

describe('older preprocessing.json (no training range, no out-of-vocabulary share)', () => {
  const legacy = (): Preprocessing => {
    const prep = JSON.parse(JSON.stringify(fitted())) as Preprocessing;
    for (const f of prep.features as unknown as Array<Record<string, unknown>>) {
      delete f.min;
      delete f.max;
      delete f.outOfVocabularyShare;
    }
    return prep;
  };

  it('far: |z| > 10, said so in the message', () => {
    const f = legacy().features[1] as NumericFeature;
    const over = f.mean + 10.5 * f.std;
    // 1451 is far for a new model, not for an old one (|z| about 3.6).
    expect(ofKind(check(legacy(), [batch({ distance: (i) => (i < 10 ? 1451 : 500) })]), 'input_far_from_training', 'distance')).toEqual([]);
    const [a] = ofKind(check(legacy(), [batch({ distance: (i) => (i < 10 ? over : 500) })]), 'input_far_from_training', 'distance').filter((x) =>
      x.message.startsWith('feature "distance"'),
    );
    expect(a).toMatchObject({ severity: 'error', count: 10 });
    expect(a!.message).toContain(
      "training's range is not recorded (preprocessing.json from an older ct), so values more than 10 standard deviations from the training mean",
    );
  });

  it('out of vocabulary: up to 1% is accepted, without a warning', () => {
    expect(ofKind(check(legacy(), [batch({ destination: (i) => (i < 19 ? 'Z' : 'X') })]), 'input_out_of_vocabulary')).toEqual([]);
    const [a] = ofKind(check(legacy(), [batch({ destination: (i) => (i < 30 ? 'Z' : 'X') })]), 'input_out_of_vocabulary');
    expect(a).toMatchObject({ column: 'destination', severity: 'error', count: 30 });
    expect(a!.message).toContain("training's share is not recorded (preprocessing.json from an older ct), so up to 1.0% is accepted");
  });

  it('non-finite: as for new models', () => {
    expect(ofKind(check(legacy(), [batch({ distance: (i) => (i < 100 ? -5 : 500) })]), 'input_non_finite')[0]).toMatchObject({ severity: 'error', count: 100 });
  });
});

describe('the checker as a whole', () => {
  it('chunk by chunk gives what the whole batch gives, with file rows of the chunks', () => {
    const whole = batch({ distance: (i) => (i % 97 === 3 ? -5 : i % 89 === 0 ? 9000 : 500), origin: (i) => (i % 3 === 0 ? 'NEW' : 'A'), offset: 100 });
    const one = check(fitted(), [whole]);
    const chunks = check(fitted(), [sliceRows(whole, 0, 700), sliceRows(whole, 700, 1500), sliceRows(whole, 1500, 2000)]);
    expect(chunks).toEqual(one);
    expect(one.map((a) => a.kind).sort()).toEqual(['input_far_from_training', 'input_far_from_training', 'input_non_finite', 'input_out_of_vocabulary']);
    // Row 3 of the batch is row 104 of the file (100 rows before it).
    expect(ofKind(one, 'input_non_finite')[0]!.examples[0]).toEqual({ file: FILE, row: 104, value: '-5' });
  });

  it('counts imputed rows per source feature over all chunks; crosses are left out', () => {
    const checker = createInputDomainChecker(fitted(), { model: 'production 20010228-abc' });
    checker.add(
      batch({
        rows: 10,
        distance: (i) => (i === 0 ? null : i === 1 ? -5 : 500),
        origin: (i) => (i === 2 ? 'NEW' : i === 3 ? null : 'A'),
        date: (i) => (i === 4 ? null : T0),
      }),
    );
    checker.add(batch({ rows: 10, distance: (i) => (i === 0 ? 1e6 : 500) }));
    expect(checker.rows).toBe(20);
    expect(checker.imputed()).toEqual([
      { feature: 'log_distance', column: 'distance', missing: 1, nonFinite: 1, outOfVocabulary: 0, far: 1 },
      { feature: 'distance', column: 'distance', missing: 1, nonFinite: 0, outOfVocabulary: 0, far: 1 },
      { feature: 'origin', column: 'origin', missing: 1, nonFinite: 0, outOfVocabulary: 1, far: 0 },
      { feature: 'destination', column: 'destination', missing: 0, nonFinite: 0, outOfVocabulary: 0, far: 0 },
      { feature: 'hour', column: 'date', missing: 1, nonFinite: 0, outOfVocabulary: 0, far: 0 },
    ]);
    const messages = checker.result().map((a) => a.message);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.every((m) => m.includes('production 20010228-abc') && !m.includes('origin_hour'))).toBe(true);
    const prep = fitted();
    expect(imputedSummary(prep.features[0]!, checker.imputed()[0]!, 20)).toBe(
      'feature "log_distance" (column "distance"): 2 of 20 rows (10.0%) imputed as the training mean: 1 missing, 1 non-finite after log1p; 1 of 20 rows far from the training range (kept as they are)',
    );
    expect(imputedSummary(prep.features[3]!, checker.imputed()[3]!, 20)).toBeNull();
  });

  it('clean data: no anomalies; errors come before warnings', () => {
    expect(check(fitted(), [batch()])).toEqual([]);
    const mixed = check(fitted(), [batch({ distance: (i) => (i < 100 ? -5 : 500), destination: (i) => (i === 0 ? 'Z' : 'X') })]);
    expect(mixed.map((a) => a.severity)).toEqual(['error', 'warning']);
  });

  it('a missing or mistyped column is left to the schema check: no throw, no finding', () => {
    const table = batch();
    const without: Table = { ...table, columns: table.columns.filter((c) => c.name !== 'distance') };
    const strings: Table = {
      ...table,
      columns: table.columns.map((c) =>
        c.name === 'distance'
          ? stringColumn(
              'distance',
              Array.from({ length: 2000 }, () => 'far'),
            )
          : c,
      ),
    };
    for (const t of [without, strings]) {
      const checker = createInputDomainChecker(fitted(), { model: 'the candidate' });
      checker.add(t);
      expect(checker.result()).toEqual([]);
      expect(checker.imputed()[0]).toEqual({ feature: 'log_distance', column: 'distance', missing: 0, nonFinite: 0, outOfVocabulary: 0, far: 0 });
    }
  });

  it('a tolerance outside [0, 1) is a UserError', () => {
    expect(() => createInputDomainChecker(fitted(), { model: 'm', tolerance: 1 })).toThrow(UserError);
    expect(() => createInputDomainChecker(fitted(), { model: 'm', tolerance: Number.NaN })).toThrow('tolerance must be a share in [0, 1)');
  });

  it('a larger tolerance turns an error into a warning', () => {
    const [a] = ofKind(check(fitted(), [batch({ distance: (i) => (i < 100 ? -5 : 500) })], { tolerance: 0.1 }), 'input_non_finite');
    expect(a!.severity).toBe('warning');
  });
});
