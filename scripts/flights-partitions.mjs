#!/usr/bin/env node
/**
 * Writes daily partitions of the reference flights data set:
 * data/flights/<YYYY-MM-DD>.parquet, one file per day, cut from
 * node_modules/vega-datasets/data/flights-3m.parquet (2001-01-01..2001-06-30).
 *
 *   node scripts/flights-partitions.mjs                      # 2001-01-01..2001-02-28 into data/flights
 *   node scripts/flights-partitions.mjs --from 2001-03-01 --to 2001-03-07 --out /tmp/flights
 *   node scripts/flights-partitions.mjs --append             # the day after the newest partition
 *
 * `--append` is how a scheduled run "receives" new data in the demo: it adds
 * the one day after the newest partition in --out.
 *
 * The files keep the source's columns and Parquet types (date as INT64
 * TIMESTAMP(MICROS), delay and distance as INT64, origin and destination as
 * UTF-8 strings), Snappy-compressed, one row group per day. Rows keep their
 * order from the source file. The day of a row is the calendar day of its
 * timestamp read as UTC (the source stores wall-clock times without a zone).
 */
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { parquetWriteFile } from 'hyparquet-writer';

const COLUMNS = ['date', 'delay', 'distance', 'origin', 'destination'];
const MICROS_PER_DAY = 86_400_000_000n;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const PARTITION = /^(\d{4}-\d{2}-\d{2})\.parquet$/;

/** Exits with code 2 and one line on stderr: the input could not be used. */
function fail(message) {
  console.error(`flights-partitions: ${message}`);
  process.exit(2);
}

function parseOptions() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        out: { type: 'string', default: 'data/flights' },
        append: { type: 'boolean', default: false },
        source: { type: 'string', default: 'node_modules/vega-datasets/data/flights-3m.parquet' },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    fail(error.message);
  }
  if (parsed.help) {
    console.log('usage: node scripts/flights-partitions.mjs [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out folder] [--append] [--source file]');
    process.exit(0);
  }
  for (const key of ['from', 'to']) {
    if (parsed[key] !== undefined && (!DATE.test(parsed[key]) || Number.isNaN(Date.parse(`${parsed[key]}T00:00:00Z`)))) {
      fail(`--${key}: expected a date YYYY-MM-DD, got "${parsed[key]}"`);
    }
  }
  if (parsed.append && (parsed.from !== undefined || parsed.to !== undefined)) fail('--append picks the day itself: drop --from/--to');
  return parsed;
}

/** Day number (days since 1970-01-01) of a YYYY-MM-DD date. */
function dayOf(date) {
  return Date.parse(`${date}T00:00:00Z`) / 86_400_000;
}

function dateOf(day) {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** The newest partition date in `folder`, or undefined. */
function newestPartition(folder) {
  let names;
  try {
    names = readdirSync(folder);
  } catch {
    return undefined;
  }
  const dates = names
    .map((n) => PARTITION.exec(n)?.[1])
    .filter((d) => d !== undefined)
    .sort();
  return dates.at(-1);
}

/**
 * Reads the rows of days [firstDay, lastDay] from the source, column by
 * column, only from row groups whose date statistics overlap the range.
 * Returns per-day columns: Map<day, { date: bigint[], delay: bigint[], … }>.
 */
async function readDays(source, firstDay, lastDay) {
  const file = await asyncBufferFromFile(source);
  const metadata = await parquetMetadataAsync(file);
  const dateIndex = metadata.row_groups[0]?.columns.findIndex((c) => c.meta_data?.path_in_schema[0] === 'date') ?? -1;
  const startMicros = BigInt(firstDay) * MICROS_PER_DAY;
  const endMicros = BigInt(lastDay + 1) * MICROS_PER_DAY;
  const days = new Map();
  let rowStart = 0;
  let sourceLast = -Infinity;
  for (const group of metadata.row_groups) {
    const rows = Number(group.num_rows);
    const stats = group.columns[dateIndex]?.meta_data?.statistics;
    const min = stats?.min_value instanceof Date ? stats.min_value.getTime() * 1000 : undefined;
    const max = stats?.max_value instanceof Date ? stats.max_value.getTime() * 1000 : undefined;
    if (max !== undefined) sourceLast = Math.max(sourceLast, Math.floor(max / 86_400_000_000));
    const overlaps = min === undefined || max === undefined || (BigInt(max) >= startMicros && BigInt(min) < endMicros);
    if (overlaps) await readGroup(file, metadata, rowStart, rowStart + rows, startMicros, endMicros, days);
    rowStart += rows;
  }
  return { days, schema: metadata.schema, sourceLast };
}

async function readGroup(file, metadata, rowStart, rowEnd, startMicros, endMicros, days) {
  const data = {};
  await parquetRead({
    file,
    metadata,
    compressors,
    columns: COLUMNS,
    rowStart,
    rowEnd,
    // Keep timestamps as raw microseconds (BigInt) so they are written back unchanged.
    parsers: { timestampFromMicroseconds: (micros) => micros },
    onChunk: ({ columnName, columnData, rowStart: chunkStart }) => {
      (data[columnName] ??= []).push({ chunkStart, columnData });
    },
  });
  const columns = Object.fromEntries(
    COLUMNS.map((name) => {
      const values = new Array(rowEnd - rowStart);
      for (const { chunkStart, columnData } of data[name] ?? []) {
        for (let i = 0; i < columnData.length; i++) {
          const row = chunkStart + i;
          if (row >= rowStart && row < rowEnd) values[row - rowStart] = columnData[i];
        }
      }
      return [name, values];
    }),
  );
  for (let i = 0; i < rowEnd - rowStart; i++) {
    const micros = columns.date[i];
    if (micros === null || micros === undefined || micros < startMicros || micros >= endMicros) continue;
    const day = Number(micros / MICROS_PER_DAY);
    let bucket = days.get(day);
    if (bucket === undefined) {
      bucket = Object.fromEntries(COLUMNS.map((name) => [name, []]));
      days.set(day, bucket);
    }
    for (const name of COLUMNS) bucket[name].push(columns[name][i]);
  }
}

async function main() {
  const options = parseOptions();
  let from = options.from ?? '2001-01-01';
  let to = options.to ?? '2001-02-28';
  if (options.append) {
    const newest = newestPartition(options.out);
    if (newest === undefined) fail(`--append: ${options.out} holds no partitions yet; run without --append first`);
    from = to = dateOf(dayOf(newest) + 1);
  }
  if (from > to) fail(`--from ${from} is after --to ${to}`);
  try {
    statSync(options.source);
  } catch {
    fail(`source not found: ${options.source} (run npm ci, or pass --source)`);
  }

  const { days, schema, sourceLast } = await readDays(options.source, dayOf(from), dayOf(to));
  if (days.size === 0) {
    const last = Number.isFinite(sourceLast) ? ` (it ends ${dateOf(sourceLast)})` : '';
    fail(`${options.source} has no flights in ${from}..${to}${last}`);
  }
  const elements = COLUMNS.map((name) => schema.find((e) => e.name === name));
  mkdirSync(options.out, { recursive: true });
  let totalRows = 0;
  let totalBytes = 0;
  for (const day of [...days.keys()].sort((a, b) => a - b)) {
    const bucket = days.get(day);
    const filename = join(options.out, `${dateOf(day)}.parquet`);
    parquetWriteFile({
      filename,
      columnData: COLUMNS.map((name) => ({ name, data: bucket[name] })),
      schema: [{ name: 'root', num_children: COLUMNS.length }, ...elements],
      codec: 'SNAPPY',
      rowGroupSize: bucket.date.length,
      createdBy: 'ct scripts/flights-partitions.mjs',
    });
    const bytes = statSync(filename).size;
    totalRows += bucket.date.length;
    totalBytes += bytes;
    console.log(`${filename}  ${bucket.date.length} rows  ${(bytes / 1024).toFixed(0)} KiB`);
  }
  console.log(`wrote ${days.size} file${days.size === 1 ? '' : 's'}, ${totalRows} rows, ${(totalBytes / 1024 / 1024).toFixed(1)} MiB`);
}

await main();
