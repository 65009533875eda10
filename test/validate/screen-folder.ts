/**
 * Screening a folder of CSV partitions as `ct validate` does, without a production model:
 * for the tests that write days of flights (screening.test.ts, row-matches.test.ts), of
 * customers (key-matches.test.ts) or of weather stations (multiclass-alignment.test.ts),
 * and a repository whose window a quarantined day empties (checker.test.ts, window-quarantined.test.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/logger.js';
import type { ScreeningModel } from '../../src/validate/model-checks.js';
import type { DataSchema } from '../../src/validate/schema.js';
import { type Screening, screenPartitions } from '../../src/validate/screening.js';
import { delayDay, delayDayCsv } from './delay-days.js';

/** The schema of the tests' flights: a departure time, a delay and two airports. */
export const FLIGHTS_SCHEMA: DataSchema = {
  format: 'ct-schema',
  version: 2,
  columns: [
    { name: 'date', type: 'timestamp', maxNullFraction: 0 },
    { name: 'delay', type: 'number', maxNullFraction: 0 },
    { name: 'origin', type: 'string', maxNullFraction: 0 },
    { name: 'destination', type: 'string', maxNullFraction: 0 },
  ],
};

/** Writes each `[date, csv]` of `partitions` as `<folder>/data/<date>.csv`, the folder made as needed. */
export function writePartitions(folder: string, partitions: Iterable<readonly [string, string]>): void {
  mkdirSync(path.join(folder, 'data'), { recursive: true });
  for (const [date, csv] of partitions) writeFileSync(path.join(folder, 'data', `${date}.csv`), csv);
}

/** Screens the partitions in `<folder>/data` with an origin and hour-of-day input, on `timezone`'s clock (UTC without one). */
export function screenHourly(folder: string, timezone?: string, schema: DataSchema = FLIGHTS_SCHEMA): Promise<Screening> {
  return screenFolder(
    folder,
    {
      name: 'm',
      task: 'binary',
      label: 'delay > 15',
      gates: [{ metric: 'auc', lowerBound: 0.5 }],
      data: { path: 'data', timestamp: 'date', ...(timezone === undefined ? {} : { timezone }), split: { method: 'time', evaluationDays: 1 } },
      features: [{ column: 'origin' }, { name: 'hour', column: 'date', transform: 'hourOfDay' }],
    },
    schema,
  );
}

/**
 * Screens the partitions in `<folder>/data` as `ct validate` would with the config `raw` (its `data.path` is `data`),
 * `schema`, and the production model `production` (none by default).
 */
export function screenFolder(folder: string, raw: Record<string, unknown>, schema: DataSchema, production: ScreeningModel | null = null): Promise<Screening> {
  return screenPartitions({
    config: checkConfig(path.join(folder, 'ct.config.yaml'), raw),
    baseDir: folder,
    source: path.join(folder, 'data'),
    schema,
    schemaFile: path.join(folder, 'data/schema.json'),
    production,
    logger: silentLogger,
  });
}

/**
 * Writes a repository into `folder`: 20 days of 3,000 departures in `data/`, their schema, and
 * `ct.config.yaml`, whose window is the newest 3 days with the newest 2 for evaluation — so
 * that it trains on 2001-01-18 alone, which holds 300 rows: a partial upload, quarantined.
 * Returns the config as written.
 */
export function writeQuarantinedWindow(folder: string): Record<string, unknown> {
  writePartitions(
    folder,
    Array.from({ length: 20 }, (_, i) => {
      const date = `2001-01-${String(i + 1).padStart(2, '0')}`;
      return [date, delayDayCsv(delayDay(i + 1, { rows: date === '2001-01-18' ? 300 : 3000, date }))] as const;
    }),
  );
  const schema: DataSchema = { ...FLIGHTS_SCHEMA, columns: FLIGHTS_SCHEMA.columns.filter((c) => c.name !== 'destination') };
  writeFileSync(path.join(folder, 'data/schema.json'), JSON.stringify(schema));
  const config = {
    name: 'm',
    task: 'binary',
    label: 'delay > 15',
    gates: [{ metric: 'auc', lowerBound: 0.5 }],
    data: { path: 'data', timestamp: 'date', window: { newestDays: 3 }, split: { method: 'time', evaluationDays: 2 } },
    features: [{ column: 'origin' }],
  };
  // JSON is YAML.
  writeFileSync(path.join(folder, 'ct.config.yaml'), JSON.stringify(config, null, 2));
  return config;
}
