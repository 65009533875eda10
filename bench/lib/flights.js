/** The flights-3m inputs the benchmarks share, written once from the npm package. */
import { closeSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FLIGHTS_PARQUET = join(root, 'node_modules/vega-datasets/data/flights-3m.parquet');

/**
 * Writes rows of the Parquet file to each output CSV in one streaming pass through
 * ct's reader (dist/), in the format of shared/peers/export_flights.mjs: `date` as
 * YYYY-MM-DDTHH:MM, then delay,distance,origin,destination. An output takes the first
 * `rows` rows, or (with `window` = [from, to) in epoch ms) the rows of that window.
 * Each file is written under a temporary name and renamed, so a killed run leaves no half file.
 */
export async function writeFlightsCsv(outputs) {
  const { readChunks } = await import(pathToFileURL(join(root, 'dist/data/stream.js')).href);
  const open = outputs.map((o) => {
    mkdirSync(dirname(o.path), { recursive: true });
    const fd = openSync(`${o.path}.partial`, 'w');
    writeSync(fd, 'date,delay,distance,origin,destination\n');
    return { ...o, fd };
  });
  let row = 0;
  for await (const chunk of readChunks(FLIGHTS_PARQUET, { columns: ['date', 'delay', 'distance', 'origin', 'destination'] })) {
    const [date, delay, distance, origin, destination] = chunk.columns;
    for (const o of open) {
      const end = o.window === undefined ? Math.min(chunk.rowCount, o.rows - row) : chunk.rowCount;
      if (end <= 0) continue;
      let text = '';
      for (let i = 0; i < end; i++) {
        if (o.window !== undefined && !(date.values[i] >= o.window[0] && date.values[i] < o.window[1])) continue;
        text +=
          `${new Date(date.values[i]).toISOString().slice(0, 16)},${delay.values[i]},${distance.values[i]},` +
          `${origin.dictionary[origin.codes[i]]},${destination.dictionary[destination.codes[i]]}\n`;
      }
      writeSync(o.fd, text);
    }
    row += chunk.rowCount;
  }
  for (const o of open) {
    closeSync(o.fd);
    renameSync(`${o.path}.partial`, o.path);
  }
}
