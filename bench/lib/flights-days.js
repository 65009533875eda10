/**
 * Daily CSV partitions of all of flights-3m (2001-01-01 .. 2001-06-30), written once
 * into a cache folder and reused: `<dir>/YYYY-MM-DD.csv`, in the format of
 * bench/lib/flights.js (`date` as YYYY-MM-DDTHH:MM, then delay,distance,origin,destination),
 * rows in source order. The day of a row is the UTC calendar day of its timestamp.
 * Files are written under a temporary name and renamed, so a killed run leaves no half
 * file; a folder with all 181 days is reused as it is.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FLIGHTS_PARQUET } from './flights.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIRST_DAY = '2001-01-01';
export const LAST_DAY = '2001-06-30';
export const HEADER = 'date,delay,distance,origin,destination';

/** Every day from `from` to `to` (inclusive), as YYYY-MM-DD. */
export function daysBetween(from, to) {
  const out = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** The day `n` days after `day` (negative: before). */
export function addDays(day, n) {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** Writes `<dir>/<day>.csv` for every day of flights-3m unless all of them are there; returns the days. */
export async function flightsDays(dir) {
  const days = daysBetween(FIRST_DAY, LAST_DAY);
  mkdirSync(dir, { recursive: true });
  const have = new Set(readdirSync(dir));
  if (days.every((d) => have.has(`${d}.csv`))) return days;
  process.stderr.write(`writing daily CSV partitions of flights-3m into ${dir} (once)\n`);
  const { readChunks } = await import(pathToFileURL(join(root, 'dist/data/stream.js')).href);
  const text = new Map(days.map((d) => [d, []]));
  for await (const chunk of readChunks(FLIGHTS_PARQUET, { columns: ['date', 'delay', 'distance', 'origin', 'destination'] })) {
    const [date, delay, distance, origin, destination] = chunk.columns;
    for (let i = 0; i < chunk.rowCount; i++) {
      const iso = new Date(date.values[i]).toISOString();
      const lines = text.get(iso.slice(0, 10));
      if (lines === undefined) continue;
      lines.push(
        `${iso.slice(0, 16)},${delay.values[i]},${distance.values[i]},${origin.dictionary[origin.codes[i]]},${destination.dictionary[destination.codes[i]]}`,
      );
    }
  }
  for (const [day, lines] of text) {
    const file = join(dir, `${day}.csv`);
    writeFileSync(`${file}.partial`, `${HEADER}\n${lines.join('\n')}\n`);
    renameSync(`${file}.partial`, file);
  }
  return days;
}

/** The path of a cached day file (which must exist). */
export function dayFile(dir, day) {
  const file = join(dir, `${day}.csv`);
  if (!existsSync(file)) throw new Error(`${file} is missing`);
  return file;
}
