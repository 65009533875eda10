/**
 * A store that opens, as a new user meets it: the schema's domain stops the first day that
 * holds it; `ct validate --update-schema` proposes adding it and the person copies the
 * proposal over the schema; the days after pass, with a warning that the production model
 * does not know the store yet, and `ct run` retrains on them, so the candidate knows it. A
 * store code the schema does not list still stops the run.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataSchema } from '../../src/validate/schema.js';
import { random } from '../../bench/lib/incidents.js';
import { ct } from './repo.js';

const DAYS = 28;
const ROWS = 300;
const STORES = Array.from({ length: 12 }, (_, i) => `S${String(i + 1).padStart(2, '0')}`);

/** Day `d`'s orders as CSV (time, store, channel, basket value, returned 0/1); every `newEvery`th row at store `opened`. */
function ordersDay(d: number, opened: { store: string; newEvery: number } | null = null): string {
  const uniform = random(7_000 + d);
  const date = new Date(Date.UTC(2026, 0, 5 + d)).toISOString().slice(0, 10);
  const lines = ['ordered_at,store,channel,basket,returned'];
  for (let i = 0; i < ROWS; i++) {
    const minute = Math.floor((i / ROWS) * 1_440);
    const time = `${date} ${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
    const store = opened !== null && i % opened.newEvery === 0 ? opened.store : STORES[Math.floor(uniform() * STORES.length)]!;
    const channel = uniform() < 0.4 ? 'app' : 'web';
    const basket = Math.round(Math.exp(3 + uniform()) * 100) / 100;
    const returned = uniform() < (channel === 'web' ? 0.3 : 0.1) + (basket > 40 ? 0.15 : 0) ? 1 : 0;
    lines.push(`${time},${store},${channel},${basket},${returned}`);
  }
  return lines.join('\n') + '\n';
}

describe('a store that opens', () => {
  let repo: string;
  const day = (d: number): string => new Date(Date.UTC(2026, 0, 5 + d)).toISOString().slice(0, 10);
  const file = (d: number): string => path.join(repo, 'data/orders', `${day(d)}.csv`);
  beforeAll(() => {
    repo = mkdtempSync(path.join(tmpdir(), 'ct-new-value-'));
    mkdirSync(path.join(repo, 'data/orders'), { recursive: true });
    for (let d = 0; d < DAYS; d++) writeFileSync(file(d), ordersDay(d));
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  test('its first day stops; once the schema lists it, later days pass and the retrain learns it; an unlisted code still stops', () => {
    expect(ct(repo, ['init', '--data', 'data/orders', '--label', 'returned']).status).toBe(0);
    const schemaFile = path.join(repo, 'data/orders/schema.json');
    expect((JSON.parse(readFileSync(schemaFile, 'utf8')) as DataSchema).columns.find((c) => c.name === 'store')!.domain).toEqual(STORES);
    const first = ct(repo, ['run']);
    expect(first.stderr).toMatch(/^promoted orders /m);

    // S13 opens: 5% of the day's rows hold a value no day and no schema had.
    writeFileSync(file(DAYS), ordersDay(DAYS, { store: 'S13', newEvery: 20 }));
    const opened = ct(repo, ['validate']);
    expect(opened.status).toBe(1);
    expect(opened.stderr).toMatch(/^error: column "store": 15 of 300 values \(5\.0%\) are outside the domain.*S13 \(15\)/m);

    // The person reviews the proposal and takes it: the day passes, the model's unknown store a warning.
    expect(ct(repo, ['validate', '--update-schema']).stderr).toMatch(/^\+\s+"S13"$/m);
    copyFileSync(path.join(repo, 'out/schema.proposed.json'), schemaFile);
    expect((JSON.parse(readFileSync(schemaFile, 'utf8')) as DataSchema).columns.find((c) => c.name === 'store')!.domain).toContain('S13');
    const listed = ct(repo, ['validate']);
    expect(listed.stderr).not.toMatch(/^error/m);
    expect(listed.status).toBe(0);

    // The days after: the production model predates S13, which is a warning, not a stop. Enough of
    // them that S13 reaches the days a retrain trains on, past the evaluation days the time split keeps.
    const evaluationDays = Number(/evaluationDays: (\d+)/.exec(readFileSync(path.join(repo, 'ct.config.yaml'), 'utf8'))![1]);
    const last = DAYS + evaluationDays + 2;
    for (let d = DAYS + 1; d <= last; d++) writeFileSync(file(d), ordersDay(d, { store: 'S13', newEvery: 20 }));
    const later = ct(repo, ['validate']);
    expect(later.stderr).not.toMatch(/^error/m);
    expect(later.stderr).toMatch(
      /^warning: feature "store" .*hold values not in the vocabulary.*but \d+ of them hold values the schema's domain for column "store" lists, valid values newer than the model, so a warning/m,
    );
    expect(later.status).toBe(0);

    // The retrain validates, trains and takes S13 into its vocabulary (init capped it at no
    // fixed count); whether it is promoted is for the gates to say.
    const retrain = ct(repo, ['run']);
    expect(retrain.stderr).toMatch(/^trained in /m);
    expect(retrain.stderr).not.toMatch(/feature "store" .*out of vocabulary/);
    const prep = JSON.parse(readFileSync(path.join(repo, 'out/model/preprocessing.json'), 'utf8')) as { features: { name: string; vocabulary?: string[] }[] };
    expect(prep.features.find((f) => f.name === 'store')!.vocabulary).toEqual(expect.arrayContaining([...STORES, 'S13']));

    // A code the schema does not list still stops the run.
    writeFileSync(file(last + 1), ordersDay(last + 1, { store: 's01', newEvery: 10 }));
    const unlisted = ct(repo, ['validate']);
    expect(unlisted.status).toBe(1);
    expect(unlisted.stderr).toMatch(/^error: column "store": 30 of 300 values \(10\.0%\) are outside the domain.*s01 \(30\)/m);
  }, 180_000);
});
