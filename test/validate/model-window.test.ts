/**
 * The production model's checks reach every day of the window, not only the newest days its
 * score history needs: a day whose labels no longer follow their rows (the model scores it
 * at chance) is refused on every run whose window holds it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Preprocessing } from '../../src/features/preprocessing.js';
import type { CacheEntry } from '../../src/validate/history-cache.js';
import type { ScreeningModel } from '../../src/validate/model-checks.js';
import { delayDay, delayDayCsv } from './delay-days.js';
import { FLIGHTS_SCHEMA, screenFolder, writePartitions } from './screen-folder.js';

const DAYS = 40;
const dateOf = (i: number): string => new Date(Date.UTC(2001, 0, 1 + i)).toISOString().slice(0, 10);
/** 20 days before the newest: inside the 28-day window, older than the 15 newest days scored before. */
const DETACHED = dateOf(DAYS - 21);

const schema = { ...FLIGHTS_SCHEMA, columns: FLIGHTS_SCHEMA.columns.filter((c) => c.name !== 'destination') };
const config = {
  name: 'm',
  task: 'binary',
  label: 'delay > 15',
  gates: [{ metric: 'auc', lowerBound: 0.5 }],
  data: { path: 'data', timestamp: 'date', window: { newestDays: 28 }, split: { method: 'time', evaluationDays: 1 } },
  features: [{ column: 'origin' }, { name: 'hour', column: 'date', transform: 'hourOfDay' }],
};

/** A production model whose every score is in the cache: predicting anything is a failure of the test. */
const production: ScreeningModel = {
  version: 'v1',
  model: () => Promise.reject(new Error('a cached score was computed again')),
  preprocessing: { task: 'binary', features: [] } as unknown as Preprocessing,
};

describe('the production model over a 28-day window', () => {
  let folder: string;
  beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'ct-model-window-'));
    writePartitions(
      folder,
      Array.from({ length: DAYS }, (_, i) => [dateOf(i), delayDayCsv(delayDay(i + 1, { rows: 1_500, date: dateOf(i) }))] as const),
    );
    // A first screening without a model writes each day's cache entry; then every day gets its score under v1.
    await screenFolder(folder, config, schema);
    const cache = path.join(folder, '.ct/history/data');
    for (const name of readdirSync(cache).filter((n) => /^\d{4}-\d\d-\d\d\.json$/.test(n))) {
      const file = path.join(cache, name);
      const entry = JSON.parse(readFileSync(file, 'utf8')) as CacheEntry;
      const day = name.slice(0, 10);
      const value = day === DETACHED ? 0.49 : 0.72 + 0.01 * Math.sin(Number(day.slice(8))); // a model with skill, every day but one
      entry.scores.v1 = { metric: 'auc', value, rows: 1_500, chance: 0.53, noise: 0.013 };
      entry.alignment = { v1: null };
      writeFileSync(file, JSON.stringify(entry));
    }
  }, 120_000);
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('a day the model scored at chance stays quarantined three weeks on, with the reason', async () => {
    const screening = await screenFolder(folder, config, schema, production);
    expect(screening.quarantined.map((q) => q.date)).toEqual([DETACHED]);
    expect(screening.quarantined[0]!.metrics).toEqual(['model.auc']);
    expect(screening.quarantined[0]!.reasons.join(' ')).toMatch(
      /2001-01-20\.csv: production model's auc on the labelled rows is 0\.490, .*no better than chance/,
    );
    expect(screening.anomalies.filter((a) => a.severity === 'error')).toEqual([]);
  });
});
