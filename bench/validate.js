#!/usr/bin/env node
/**
 * Validation benchmark: `ct validate`'s streaming work over all 3,000,000 rows of
 * node_modules/vega-datasets/data/flights-3m.parquet, against the pandas + scipy peer
 * (bench/peers/validate_peer.py) and DuckDB's bare scan.
 *
 *   npx tsc -p tsconfig.build.json && npm run bench -- validate [--runs 5] [--chunk-rows 65536] [--sweep]
 *
 * Full validation, the same work as the pandas peer: schema checks (columns, types,
 * nulls, ranges, domains; ct also checks duplicates and non-finite numbers) over all
 * rows, plus drift of the newest 7 days (2001-01-29..02-04) against the previous 28
 * (2001-01-01..01-28). The schema is inferred beforehand from the reference window
 * and not timed (in use it is a committed file); ct's time is one streaming pass that
 * checks every row, summarises both windows, and tests drift. pandas reads the whole
 * CSV into memory once.
 *
 * Inputs: the Parquet file, and a CSV exported the way shared/peers/export_flights.mjs
 * writes one (`date` as YYYY-MM-DDTHH:MM, then delay,distance,origin,destination), plus
 * CSV prefixes of 0.5M, 1M and 2M rows for the scaling runs; written once into
 * <os.tmpdir()>/ct-bench-validate and reused.
 *
 * Engines, each run a fresh child process (peak RSS = process.resourceUsage().maxRSS;
 * the peer prints its own getrusage peak):
 *   ct-csv, ct-parquet   ct's validation from the CSV / the Parquet file, the peer's checks
 *   ct-csv-defaults      ct-csv with ct validate's default checks, which add duplicate rows
 *   pandas               /usr/bin/python3 bench/peers/validate_peer.py on the CSV
 *   duckdb-csv           one SQL query computing count, nulls, min/max/mean/stddev,
 *                        distinct counts and quantiles over the CSV: the bare-scan speed reference
 *   duckdb-parquet       the same query over the Parquet file (for reference)
 *   ct-csv-<n>           ct's validation of the first n rows of the CSV (scaling)
 * Times exclude loading modules (and, for DuckDB, creating the database: startupMs).
 * --sweep adds ct-csv runs at several chunk sizes (docs/data-engine.md, "Streaming").
 * Writes bench/results/validate.json (SPEC.md "Benchmarks (contract)") and prints a table.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { intArgument, machine, median, pad } from './lib/common.js';
import { writeFlightsCsv } from './lib/flights.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const dist = (path) => pathToFileURL(join(root, 'dist', path)).href;
const PARQUET = join(root, 'node_modules/vega-datasets/data/flights-3m.parquet');
const PEER = join(here, 'peers/validate_peer.py');
const PYTHON = '/usr/bin/python3';
const CACHE = join(tmpdir(), 'ct-bench-validate');
const TOTAL_ROWS = 3_000_000;
/** Row counts of the scaling runs (CSV prefixes); the last is the whole file. */
const SCALE_ROWS = [500_000, 1_000_000, 2_000_000, TOTAL_ROWS];
const csvFile = (rows) => join(CACHE, `flights-${rows / 1e6}m.csv`);
const CSV = csvFile(TOTAL_ROWS);
/** Reference window [from, to) and the newest week [from, to), epoch ms (the CSV's times read as UTC). */
const REFERENCE = [Date.UTC(2001, 0, 1), Date.UTC(2001, 0, 29)];
const CURRENT = [Date.UTC(2001, 0, 29), Date.UTC(2001, 1, 5)];
const SWEEP_CHUNK_ROWS = [16_384, 65_536, 262_144, 1_048_576];

// ---------------------------------------------------------------- child: ct

/**
 * Rows of `chunk` whose `date` lies in `window`, as contiguous slices (views, in file
 * order). Sorted data gives at most three runs per chunk; unsorted data falls back to
 * one copied table per class.
 */
function splitByWindow(table, sliceRows, takeRows, window) {
  const date = table.columns.find((c) => c.name === 'date');
  if (date === undefined || date.type !== 'timestamp') return [{ table, inside: false }];
  const values = date.values;
  const runs = [];
  let start = 0;
  let inside = values[0] >= window[0] && values[0] < window[1];
  for (let i = 1; i <= table.rowCount; i++) {
    const next = i < table.rowCount && values[i] >= window[0] && values[i] < window[1];
    if (i === table.rowCount || next !== inside) {
      runs.push({ start, end: i, inside });
      start = i;
      inside = next;
    }
  }
  if (runs.length <= 8)
    return runs.map((r) => ({ table: r.start === 0 && r.end === table.rowCount ? table : sliceRows(table, r.start, r.end), inside: r.inside }));
  const rows = [[], []];
  for (let i = 0; i < table.rowCount; i++) rows[values[i] >= window[0] && values[i] < window[1] ? 1 : 0].push(i);
  return rows.map((r, k) => ({ table: takeRows(table, r), inside: k === 1 })).filter((p) => p.table.rowCount > 0);
}

/**
 * `duplicates`: also look for repeated rows (ct's default, which the peer does not do;
 * its hash set grows with distinct rows up to 2^22 entries, 32 MB).
 *
 * The schema is inferred first and not timed: in use it is a file under version
 * control, inferred once on first use. The timed part is what `ct validate` does on
 * every batch: one streaming pass that checks every row against the schema and
 * summarises both windows, then the drift test.
 */
async function ctValidate(file, chunkRows, duplicates) {
  const { readChunks } = await import(dist('data/stream.js'));
  const { sliceRows, takeRows } = await import(dist('data/table.js'));
  const { createStatistics } = await import(dist('validate/statistics.js'));
  const { inferSchema } = await import(dist('validate/schema.js'));
  const { validateChunks } = await import(dist('validate/batch.js'));
  const options = { chunkRows };

  const schemaStart = performance.now();
  const referenceAccumulator = createStatistics();
  for await (const chunk of readChunks(file, options)) {
    for (const part of splitByWindow(chunk, sliceRows, takeRows, REFERENCE)) if (part.inside) referenceAccumulator.add(part.table);
  }
  const schema = inferSchema(referenceAccumulator.result());
  const schemaMs = performance.now() - schemaStart;

  const start = performance.now();
  async function* batch() {
    for await (const chunk of readChunks(file, options)) {
      for (const part of splitByWindow(chunk, sliceRows, takeRows, REFERENCE)) {
        if (part.inside) {
          yield { table: part.table, drift: 'reference' };
          continue;
        }
        for (const rest of splitByWindow(part.table, sliceRows, takeRows, CURRENT)) yield { table: rest.table, drift: rest.inside ? 'current' : null };
      }
    }
  }
  const result = await validateChunks(batch(), { schema, reference: 'window', checker: { duplicates } });
  const ms = performance.now() - start;
  return {
    ms,
    schemaMs,
    rows: result.rows,
    currentRows: result.current.rows,
    anomalies: result.anomalies.map((a) => `${a.severity} ${a.kind}${a.column === null ? '' : ` ${a.column}`} x${a.count}`),
    drift:
      result.drift === null
        ? null
        : result.drift.columns.map((c) => `${c.column} ${c.test} ${Number(c.statistic).toPrecision(3)}${c.drifted ? ' drifted' : ''}`),
  };
}

// ---------------------------------------------------------------- child: DuckDB

/**
 * The statistics a validator needs, in one query: count, nulls, min/max/mean/stddev and
 * quantiles of the numbers, range of the dates, distinct counts of the airports.
 */
function duckdbQuery(source) {
  const numeric = (c) => `count(*) - count(${c}), min(${c})::DOUBLE, max(${c})::DOUBLE, avg(${c}), stddev_samp(${c}),
      approx_quantile(${c}, [0.01, 0.25, 0.5, 0.75, 0.99])::DOUBLE[]`;
  const categorical = (c) => `count(*) - count(${c}), count(DISTINCT ${c})`;
  return `SELECT count(*), count(*) - count(date), min(date)::VARCHAR, max(date)::VARCHAR,
      ${numeric('delay')}, ${numeric('distance')}, ${categorical('origin')}, ${categorical('destination')}
    FROM ${source}`;
}

async function duckdbScan(file) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const setup = performance.now();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const startupMs = performance.now() - setup;
  const source = file.endsWith('.csv') ? `read_csv('${file}')` : `read_parquet('${file}')`;
  const start = performance.now();
  const reader = await connection.runAndReadAll(duckdbQuery(source));
  const row = reader.getRows()[0];
  const ms = performance.now() - start;
  connection.closeSync();
  instance.closeSync();
  return { ms, startupMs, rows: Number(row[0]), meanDelay: row[7] };
}

async function child(engine, file, chunkRows) {
  const result = engine === 'duckdb' ? await duckdbScan(file) : await ctValidate(file, chunkRows, engine === 'ct-defaults');
  // maxRSS is in KiB on Linux and macOS.
  process.stdout.write(`${JSON.stringify({ ...result, peakRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
}

// ---------------------------------------------------------------- parent

function runNodeChild(engine, file, chunkRows) {
  const self = fileURLToPath(import.meta.url);
  const out = spawnSync(process.execPath, [self, '--child', engine, file, String(chunkRows)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (out.status !== 0) throw new Error(`${engine} on ${file} failed (exit ${out.status}):\n${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').at(-1));
}

/** The peer prints `pandas-validate: rows=… total_s=… rows_per_s=… peak_rss_mb=…`. */
function runPandas(file) {
  const out = spawnSync(PYTHON, [PEER, file], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (out.status !== 0) throw new Error(`pandas peer failed (exit ${out.status}):\n${out.stderr}`);
  const line = out.stdout.split('\n').find((l) => l.startsWith('pandas-validate:'));
  if (line === undefined) throw new Error(`pandas peer printed no result:\n${out.stdout}`);
  const field = (name) => Number(new RegExp(`${name}=([0-9.]+)`).exec(line)?.[1]);
  return { ms: field('total_s') * 1000, readMs: field('read_s') * 1000, rows: field('rows'), peakRssMB: field('peak_rss_mb') };
}

/** Why the peer cannot run here, or null when it can. */
function pandasMissing() {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  const probe = spawnSync(PYTHON, ['-c', 'import pandas, scipy'], { encoding: 'utf8' });
  return probe.status === 0 ? null : (probe.stderr.trim().split('\n').at(-1) ?? 'import failed');
}

/**
 * Writes the CSV (and its prefixes) once, streaming the Parquet file through ct's
 * reader, in the format of shared/peers/export_flights.mjs.
 */
async function writeCsvOnce() {
  if (SCALE_ROWS.every((rows) => existsSync(csvFile(rows)))) return;
  process.stderr.write(`writing the CSV inputs into ${CACHE} (once)\n`);
  await writeFlightsCsv(SCALE_ROWS.map((rows) => ({ rows, path: csvFile(rows) })));
}

function summarise(samples) {
  const ms = median(samples.map((s) => s.ms));
  const rows = samples[0].rows;
  const out = {
    rows,
    medianMs: Math.round(ms),
    rowsPerSecond: Math.round(rows / (ms / 1000)),
    peakRssMB: Math.round(median(samples.map((s) => s.peakRssMB))),
    runsMs: samples.map((s) => Math.round(s.ms)),
    runsPeakRssMB: samples.map((s) => Math.round(s.peakRssMB)),
  };
  for (const key of ['schemaMs', 'startupMs', 'readMs']) {
    if (samples[0][key] !== undefined) out[key] = Math.round(median(samples.map((s) => s[key])));
  }
  for (const key of ['currentRows', 'anomalies', 'drift', 'meanDelay']) {
    if (samples[0][key] !== undefined) out[key] = samples[0][key];
  }
  return out;
}

const round2 = (x) => Math.round(x * 100) / 100;

async function main() {
  const runs = intArgument('--runs', 5);
  const chunkRows = intArgument('--chunk-rows', 65_536);
  const sweep = process.argv.includes('--sweep');
  for (const path of ['data/stream.js', 'validate/batch.js', 'validate/statistics.js', 'validate/schema.js']) {
    if (!existsSync(join(root, 'dist', path))) {
      console.error(`dist/${path} is missing: compile first with \`npx tsc -p tsconfig.build.json\``);
      process.exit(2);
    }
  }
  await writeCsvOnce();
  const missing = pandasMissing();
  if (missing !== null) {
    console.error(`pandas peer skipped (${missing}): install Debian's packages with`);
    console.error('  apt-get update && apt-get install -y python3-pandas python3-scipy');
  }

  /** Engine name -> the rows it must see and how to run it once. */
  const engines = {
    'ct-csv': [TOTAL_ROWS, () => runNodeChild('ct', CSV, chunkRows)],
    'ct-parquet': [TOTAL_ROWS, () => runNodeChild('ct', PARQUET, chunkRows)],
    'ct-csv-defaults': [TOTAL_ROWS, () => runNodeChild('ct-defaults', CSV, chunkRows)],
    ...(missing === null ? { pandas: [TOTAL_ROWS, () => runPandas(CSV)] } : {}),
    'duckdb-csv': [TOTAL_ROWS, () => runNodeChild('duckdb', CSV, chunkRows)],
    'duckdb-parquet': [TOTAL_ROWS, () => runNodeChild('duckdb', PARQUET, chunkRows)],
  };
  for (const rows of SCALE_ROWS.slice(0, -1)) engines[`ct-csv-${rows / 1e6}m`] = [rows, () => runNodeChild('ct', csvFile(rows), chunkRows)];
  engines['ct-csv-defaults-0.5m'] = [SCALE_ROWS[0], () => runNodeChild('ct-defaults', csvFile(SCALE_ROWS[0]), chunkRows)];
  if (sweep) {
    for (const n of SWEEP_CHUNK_ROWS) if (n !== chunkRows) engines[`ct-csv-chunks-${n}`] = [TOTAL_ROWS, () => runNodeChild('ct', CSV, n)];
  }

  // Round-robin: run r of every engine before run r + 1, so a noisy minute hits all engines alike.
  const samples = Object.fromEntries(Object.keys(engines).map((name) => [name, []]));
  for (let r = 0; r < runs; r++) {
    for (const [name, [, run]] of Object.entries(engines)) {
      process.stderr.write(`\rrun ${r + 1}/${runs}: ${name}                `);
      samples[name].push(run());
    }
  }
  process.stderr.write('\n');
  const results = Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, summarise(s)]));

  const ct = results['ct-csv'];
  const ratio = (other) => (other === undefined ? null : round2(ct.rowsPerSecond / other.rowsPerSecond));
  const scaling = SCALE_ROWS.map((rows) => {
    const r = rows === TOTAL_ROWS ? ct : results[`ct-csv-${rows / 1e6}m`];
    return { rows, medianMs: r.medianMs, rowsPerSecond: r.rowsPerSecond, peakRssMB: r.peakRssMB };
  });
  const chunkSweep = !sweep
    ? undefined
    : [...new Set([...SWEEP_CHUNK_ROWS, chunkRows])]
        .sort((a, b) => a - b)
        .map((n) => {
          const r = n === chunkRows ? ct : results[`ct-csv-chunks-${n}`];
          return { chunkRows: n, medianMs: r.medianMs, rowsPerSecond: r.rowsPerSecond, peakRssMB: r.peakRssMB };
        });
  const rssGrowth = round2(scaling.at(-1).peakRssMB / scaling[0].peakRssMB);
  const comparisons = {
    'ct-csv / pandas rows/s': ratio(results.pandas),
    'ct-csv / duckdb-csv rows/s': ratio(results['duckdb-csv']),
    'ct-parquet / duckdb-parquet rows/s': round2(results['ct-parquet'].rowsPerSecond / results['duckdb-parquet'].rowsPerSecond),
    'ct-csv peak RSS 3M / 0.5M rows': rssGrowth,
    'ct-csv-defaults peak RSS 3M / 0.5M rows': round2(results['ct-csv-defaults'].peakRssMB / results['ct-csv-defaults-0.5m'].peakRssMB),
  };
  const agree = Object.entries(engines).every(([name, [rows]]) => results[name].rows === rows);

  const at = (value, target, unit, higherIsBetter) => ({ value, target, unit, met: value !== null && (higherIsBetter ? value >= target : value <= target) });
  const targets = [
    { name: 'ct rows/s >= 2 x pandas rows/s (CSV, 3M rows, same run)', ...at(comparisons['ct-csv / pandas rows/s'], 2, 'x', true) },
    { name: 'ct rows/s >= 0.5 x DuckDB bare-scan rows/s (CSV, 3M rows)', ...at(comparisons['ct-csv / duckdb-csv rows/s'], 0.5, 'x', true) },
    { name: 'ct peak RSS <= 200 MB at 3M rows (CSV)', ...at(ct.peakRssMB, 200, 'MB', false) },
    { name: 'ct peak RSS <= 200 MB at 3M rows (Parquet)', ...at(results['ct-parquet'].peakRssMB, 200, 'MB', false) },
    { name: 'ct peak RSS at 3M rows <= 1.25 x at 0.5M rows (CSV)', ...at(rssGrowth, 1.25, 'x', false) },
    { name: 'ct peak RSS <= 200 MB at 3M rows (CSV, default checks with duplicates)', ...at(results['ct-csv-defaults'].peakRssMB, 200, 'MB', false) },
  ];
  const report = {
    name: 'validate',
    date: new Date().toISOString(),
    machine: machine(),
    runs,
    chunkRows,
    inputs: { parquet: PARQUET, csv: CSV, referenceWindow: '2001-01-01..2001-01-28', currentWindow: '2001-01-29..2001-02-04' },
    results,
    scaling,
    ...(chunkSweep === undefined ? {} : { chunkSweep }),
    comparisons,
    rowCountsAgree: agree,
    ...(missing === null ? {} : { skipped: { pandas: `${missing}; apt-get install -y python3-pandas python3-scipy` } }),
    targets,
  };
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'validate.json'), `${JSON.stringify(report, null, 2)}\n`);

  console.log(
    `validate benchmark: 3,000,000 flights, ${runs} runs per engine (medians), chunks of ${chunkRows} rows, ${report.machine.cores} cores, Node ${process.version}`,
  );
  console.log(`${pad('engine', 22)}${pad('rows', 10, true)}${pad('median ms', 11, true)}${pad('rows/s', 11, true)}${pad('peak RSS MB', 13, true)}  runs (ms)`);
  for (const [name, r] of Object.entries(results)) {
    const extra =
      r.schemaMs !== undefined
        ? `  (schema inference beforehand, untimed: ${r.schemaMs} ms)`
        : r.startupMs !== undefined
          ? `  (+${r.startupMs} ms to create the database)`
          : '';
    console.log(
      `${pad(name, 22)}${pad(r.rows, 10, true)}${pad(r.medianMs, 11, true)}${pad(r.rowsPerSecond, 11, true)}${pad(r.peakRssMB, 13, true)}  ${r.runsMs.join(' ')}${extra}`,
    );
  }
  if (missing !== null) console.log(`pandas: skipped (${missing})`);
  console.log('scaling (ct-csv): ' + scaling.map((s) => `${s.rows / 1e6}M rows ${s.rowsPerSecond} rows/s ${s.peakRssMB} MB`).join(' | '));
  if (chunkSweep !== undefined) {
    console.log('chunk sizes (ct-csv, 3M rows): ' + chunkSweep.map((s) => `${s.chunkRows} rows ${s.medianMs} ms ${s.peakRssMB} MB`).join(' | '));
  }
  console.log('ratios of medians:');
  for (const [name, value] of Object.entries(comparisons)) console.log(`  ${name}: ${value === null ? 'n/a' : `${value}x`}`);
  if (!agree) console.log('  ROW COUNTS DIFFER between engines (see results)');
  console.log(`ct anomalies (3M rows): ${ct.anomalies.join('; ') || 'none'}`);
  console.log(`ct drift (newest week vs 28 days): ${ct.drift?.join('; ') ?? 'not tested'}`);
  console.log('targets:');
  for (const t of targets) console.log(`  ${t.met ? 'met ' : 'MISS'}  ${t.name}: ${t.value ?? 'n/a'} ${t.unit}`);
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4], Number(process.argv[5]));
} else {
  await main();
}
