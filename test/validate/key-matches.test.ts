/**
 * Rows matched by their key (row-matches.ts): in a daily snapshot of customers, a customer's
 * region and plan are what they were the day before, whatever row the customer is on. A
 * column rewritten on some rows, or joined on the wrong key, leaves every value plausible
 * and the column's mix a normal day's; matched by key, it is far from any earlier day.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { mulberry32 } from '../../src/train/random.js';
import { compareWithHistory } from '../../src/validate/history.js';
import { describeMetric } from '../../src/validate/history-words.js';
import { createRowSample, type RowSample } from '../../src/validate/row-matches.js';
import type { DataSchema } from '../../src/validate/schema.js';
import { numberColumn, stringColumn, tableOf } from '../helpers.js';
import { dateOf, day, history, options } from './history-days.js';
import { screenFolder, writePartitions } from './screen-folder.js';

const REGIONS = ['north', 'south', 'east', 'west'];
const PLANS = ['basic', 'plus', 'pro'];

interface Customer {
  id: string;
  region: string;
  plan: string;
  spend: number;
  tenure: number;
}

/**
 * Snapshots of days 0 .. `days` - 1, in id order: `size` customers on day 0; each day about
 * 0.3% leave and four join (new ids at the end), `planChanges` of them change plan, 5% have
 * a new month's spend, and every tenure grows by one.
 */
function snapshots(days: number, size = 1_200, planChanges = 0.002): Customer[][] {
  const r = mulberry32(42);
  let next = 0;
  const join = (): Customer => ({
    id: `c${String(next++).padStart(6, '0')}`,
    region: REGIONS[Math.floor(r() * REGIONS.length)]!,
    plan: PLANS[Math.floor(r() * PLANS.length)]!,
    spend: Math.round(1_000 + r() * 6_000) / 100,
    // Day 0's customers joined over the years before; later ones join that day.
    tenure: next <= size ? Math.floor(r() * 1_000) : 0,
  });
  let customers = Array.from({ length: size }, join);
  const out: Customer[][] = [customers];
  for (let i = 1; i < days; i++) {
    customers = customers
      .filter(() => r() >= 0.003)
      .map((c) => ({
        ...c,
        plan: r() < planChanges ? PLANS[(PLANS.indexOf(c.plan) + 1) % PLANS.length]! : c.plan,
        spend: r() < 0.05 ? Math.round(1_000 + r() * 6_000) / 100 : c.spend,
        tenure: c.tenure + 1,
      }));
    for (let k = 0; k < 4; k++) customers.push(join());
    out.push(customers);
  }
  return out;
}

function tableOfDay(customers: readonly Customer[], from = 0, to = customers.length) {
  const part = customers.slice(from, to);
  return tableOf([
    stringColumn(
      'customer_id',
      part.map((c) => c.id),
    ),
    stringColumn(
      'region',
      part.map((c) => c.region),
    ),
    stringColumn(
      'plan',
      part.map((c) => c.plan),
    ),
    numberColumn(
      'monthly_spend',
      part.map((c) => c.spend),
    ),
    numberColumn(
      'tenure_days',
      part.map((c) => c.tenure),
    ),
  ]);
}

function sampleOf(customers: readonly Customer[], chunk = customers.length): RowSample {
  const sampler = createRowSample(new Set());
  for (let from = 0; from < customers.length; from += chunk) sampler.add(tableOfDay(customers, from, Math.min(customers.length, from + chunk)));
  return sampler.result();
}

/** The row sample of one chunk of `columns`. */
function sampleOfColumns(columns: Parameters<typeof tableOf>[0]): RowSample {
  const sampler = createRowSample(new Set());
  sampler.add(tableOf(columns));
  return sampler.result();
}

/** `customers` with the region of every `every`-th row moved to the next region (a mapping applied to part of the rows). */
function regionsMoved(customers: readonly Customer[], every: number): Customer[] {
  return customers.map((c, k) => (k % every === 3 ? { ...c, region: REGIONS[(REGIONS.indexOf(c.region) + 1) % REGIONS.length]! } : c));
}

describe('the key of a partition', () => {
  test('is the first column that names one row each, found whatever the file is read in chunks', () => {
    const [first] = snapshots(1);
    const sample = sampleOf(first!);
    expect(sample.keyed?.key).toBe('customer_id');
    expect(sampleOf(first!, 500).keyed).toEqual(sample.keyed);
    // Every column but the key is matched; the key is how rows are found.
    expect(Object.keys(sample.keyed!.values).sort()).toEqual(['monthly_spend', 'plan', 'region', 'tenure_days']);
    expect(sample.keyed!.repeatShare).toBe(0);
  });

  test('whole numbers are a key only under an id name: distinct amounts are chance, distinct account ids are not', () => {
    const n = 300;
    const distinct = Array.from({ length: n }, (_, k) => 10_000 + k * 3);
    const plans = Array.from({ length: n }, (_, k) => PLANS[k % 3]!);
    expect(sampleOfColumns([numberColumn('amount_cents', distinct), stringColumn('plan', plans)]).keyed).toBeUndefined();
    expect(sampleOfColumns([numberColumn('account_id', distinct), stringColumn('plan', plans)]).keyed?.key).toBe('account_id');
    expect(
      sampleOfColumns([
        numberColumn(
          'account_id',
          distinct.map((v) => v + 0.5),
        ),
        stringColumn('plan', plans),
      ]).keyed,
    ).toBeUndefined();
  });

  test('a column under an id name comes first; other text is a key only when no value repeats', () => {
    const n = 300;
    const unique = (prefix: string) => Array.from({ length: n }, (_, k) => `${prefix}${k}`);
    // Free text whose every value differs sits before the id: the id is the key.
    expect(sampleOfColumns([stringColumn('comment', unique('note ')), stringColumn('customer_id', unique('c'))]).keyed?.key).toBe('customer_id');
    expect(sampleOfColumns([stringColumn('email', unique('u@x.org/'))]).keyed?.key).toBe('email');
    // Text with a tenth of its values repeated, under no id name, is no key.
    expect(
      sampleOfColumns([
        stringColumn(
          'comment',
          unique('note ').map((v, k) => (k % 10 === 0 ? 'n/a' : v)),
        ),
      ]).keyed,
    ).toBeUndefined();
  });

  test('a table with no column naming one row each (flights: airports repeat) has none', () => {
    const origins = Array.from({ length: 500 }, (_, k) => ['ATL', 'ORD', 'DEN'][k % 3]!);
    const s = createRowSample(new Set());
    s.add(
      tableOf([
        stringColumn('origin', origins),
        numberColumn(
          'delay',
          origins.map((_, k) => k % 40),
        ),
      ]),
    );
    expect(s.result().keyed).toBeUndefined();
  });
});

describe('key matches judged against the history', () => {
  const days = snapshots(29);
  const withSample = (i: number, customers: readonly Customer[] = days[i]!) => ({ ...day(i), rowSample: sampleOf(customers) });
  const h = history(28).map((p, i) => ({ ...p, rowSample: sampleOf(days[i]!) }));
  const found = (newest: ReturnType<typeof withSample>) =>
    compareWithHistory(newest, h, options).filter((f) => /\.key(Match|Repeat|Step)Share$/.test(f.metric));

  test('an ordinary day (customers left, joined, changed plan and spend): nothing', () => {
    expect(found(withSample(28))).toEqual([]);
  });

  test('the region of a tenth of the customers moved to another: an error on the column, in words a reviewer reads', () => {
    const findings = found(withSample(28, regionsMoved(days[28]!, 10)));
    expect(findings.map((f) => f.metric)).toEqual(['region.keyMatchShare']);
    expect(findings[0]!.value).toBeCloseTo(0.9, 2);
    expect(findings[0]!.score).toBeLessThan(-options.threshold);
    expect(describeMetric(findings[0]!, 'churned')).toMatch(/"region".*the one their key held in the partition before it/);
  });

  test("a column left stale (yesterday's tenure on every row, where it grows by one each day): an error too", () => {
    const yesterday = new Map(days[27]!.map((c) => [c.id, c.tenure]));
    const stale = days[28]!.map((c) => ({ ...c, tenure: yesterday.get(c.id) ?? c.tenure }));
    const findings = found(withSample(28, stale));
    expect(findings.map((f) => f.metric)).toEqual(['tenure_days.keyMatchShare']);
    expect(findings[0]!.value).toBe(1);
  });

  test('a tenure shuffled among a tenth of the rows: every value plausible, the day step broken on those rows', () => {
    const today = days[28]!;
    const tenures = today.map((c) => c.tenure);
    // Each tenth row takes the tenure of the tenth row after it.
    const shuffled = today.map((c, k) => (k % 10 === 0 ? { ...c, tenure: tenures[(k + 10) % tenures.length]! } : c));
    const findings = found(withSample(28, shuffled));
    expect(findings.map((f) => f.metric)).toEqual(['tenure_days.keyStepShare']);
    expect(findings[0]!.value).toBeCloseTo(0.9, 2);
    expect(findings[0]!.score).toBeLessThan(-options.threshold);
    // A spend kept by most customers has no step: its kept values are keyMatchShare's.
    expect(compareWithHistory(withSample(28), h, { ...options, threshold: 0 }).some((f) => f.metric === 'monthly_spend.keyStepShare')).toBe(false);
  });

  test('in a small snapshot whose plans never changed, three customers changing plan on one day are chance; a fifth is not (48 of 300 keys reach z 16)', () => {
    const small = snapshots(29, 300, 0);
    const smallHistory = history(28).map((p, i) => ({ ...p, rowSample: sampleOf(small[i]!) }));
    const newest = (customers: readonly Customer[]) => ({ ...day(28), rows: customers.length, rowSample: sampleOf(customers) });
    const plans = (every: number) => small[28]!.map((c, k) => (k % every === 0 ? { ...c, plan: PLANS[(PLANS.indexOf(c.plan) + 1) % PLANS.length]! } : c));
    const planFindings = (customers: readonly Customer[]) =>
      compareWithHistory(newest(customers), smallHistory, options).filter((f) => f.metric === 'plan.keyMatchShare');
    expect(planFindings(plans(100))).toEqual([]);
    expect(planFindings(plans(5))).toHaveLength(1);
  });

  test('ids assigned wrong, a twentieth of the rows holding their neighbour’s id: a key on two rows is an error', () => {
    const today = days[28]!;
    const misassigned = today.map((c, k) => (k % 20 === 5 ? { ...c, id: today[k - 1]!.id } : c));
    const findings = found(withSample(28, misassigned));
    const repeat = findings.find((f) => f.metric === 'customer_id.keyRepeatShare');
    // Both rows of each repeated id count.
    expect(repeat?.value).toBeCloseTo(0.1, 2);
    expect(repeat!.score).toBeGreaterThan(options.threshold);
  });
});

describe('a snapshot whose regions were remapped on some rows, screened from CSV', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ct-key-matches-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const days = snapshots(22);
  const schema: DataSchema = {
    format: 'ct-schema',
    version: 2,
    columns: [
      { name: 'snapshot_date', type: 'timestamp', maxNullFraction: 0 },
      { name: 'customer_id', type: 'string', maxNullFraction: 0 },
      { name: 'region', type: 'string', maxNullFraction: 0, domain: REGIONS },
      { name: 'plan', type: 'string', maxNullFraction: 0, domain: PLANS },
      { name: 'monthly_spend', type: 'number', maxNullFraction: 0 },
      { name: 'tenure_days', type: 'number', maxNullFraction: 0 },
      { name: 'churned', type: 'number', maxNullFraction: 0 },
    ],
  };
  const csv = (i: number, customers: readonly Customer[]): string =>
    `snapshot_date,customer_id,region,plan,monthly_spend,tenure_days,churned\n${customers
      .map((c, k) => `${dateOf(i)},${c.id},${c.region},${c.plan},${c.spend.toFixed(2)},${c.tenure},${(k * 7 + i) % 31 === 0 ? 1 : 0}`)
      .join('\n')}\n`;

  async function screen(folder: string, newest: readonly Customer[]) {
    writePartitions(
      folder,
      Array.from({ length: 22 }, (_, i) => [dateOf(i), csv(i, i === 21 ? newest : days[i]!)] as const),
    );
    const screening = await screenFolder(
      folder,
      {
        name: 'customers',
        task: 'binary',
        label: 'churned',
        gates: [{ metric: 'auc', lowerBound: 0.5 }],
        data: { path: 'data', timestamp: 'snapshot_date', split: { method: 'time', evaluationDays: 1 } },
        features: [{ column: 'region' }, { column: 'plan' }, { column: 'monthly_spend' }],
      },
      schema,
    );
    return screening.anomalies.filter((a) => a.severity === 'error');
  }

  test('the clean day passes', async () => {
    expect(await screen(path.join(dir, 'clean'), days[21]!)).toEqual([]);
  });

  test('a tenth of the regions moved: an error naming the key and the day compared, with rows whose region changed', async () => {
    const moved = regionsMoved(days[21]!, 10);
    const errors = await screen(path.join(dir, 'moved'), moved);
    expect(errors.map((a) => a.column)).toEqual(['region']);
    const region = errors[0]!;
    expect(region.message).toMatch(
      new RegExp(
        `column "region": share of rows whose value is the one their key held .* hold another value than the same customer_id held on ${dateOf(20)}\\. Fix the data`,
      ),
    );
    expect(region.examples.length).toBeGreaterThan(0);
    for (const example of region.examples) {
      const customer = moved[example.row - 1]!;
      // Each example is a moved row: its region is not the one the customer had the day before.
      expect(customer.region).not.toBe(days[20]!.find((c) => c.id === customer.id)?.region);
      expect(example.value).toBe(`region ${customer.region}, not what customer_id ${customer.id} held on ${dateOf(20)}`);
    }
  });
});
