#!/usr/bin/env node
/**
 * Read benchmark: ct's data layer (hyparquet + own columnar decoding, compiled
 * to dist/) against DuckDB (@duckdb/node-api) on the 3M-row flights file.
 *
 *   npx tsc -p tsconfig.build.json && npm run bench -- read [--runs 5]
 *
 * Each run is a fresh child process (as a `ct` command would be), so peak RSS belongs to
 * one engine; times exclude loading modules and creating the DuckDB database (reported
 * as startupMs). Scenarios:
 *   parquet-load     all 5 columns of flights-3m.parquet into typed arrays + dictionaries
 *                    (DuckDB: SELECT the columns, copy every value out into the same shape;
 *                    hyparquet: its own column-chunk API, parquetRead + onChunk, copied likewise)
 *   parquet-summary  count, min/max/mean/stddev of delay and distance, distinct origins and
 *                    destinations, first/last date (DuckDB: one SQL query; ct: load + JS loops)
 *   csv-summary      the same over the data as a 106 MB CSV (written once by DuckDB to a temp dir)
 * Writes bench/results/read.json (format: SPEC.md "Benchmarks (contract)") and prints a table.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { machine, median, pad } from './lib/common.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const PARQUET = join(root, 'node_modules/vega-datasets/data/flights-3m.parquet');
const DIST_READ = join(root, 'dist/data/read.js');
const CSV = join(tmpdir(), 'ct-bench-flights-3m.csv');
/** Engines per scenario; ratios are ct against each of the others. */
const SCENARIOS = {
  'parquet-load': ['ct', 'duckdb', 'hyparquet'],
  'parquet-summary': ['ct', 'duckdb'],
  'csv-summary': ['ct', 'duckdb'],
};

/** Targets set before measuring, from what ct needs (see docs/data-engine.md). */
const TARGETS = [
  { name: 'ct parquet-load, 3M rows', scenario: 'parquet-load', engine: 'ct', metric: 'medianMs', target: 2000, unit: 'ms' },
  { name: 'ct parquet-load peak RSS', scenario: 'parquet-load', engine: 'ct', metric: 'peakRssMB', target: 500, unit: 'MB' },
  { name: 'ct / DuckDB parquet-load time', scenario: 'parquet-load', metric: 'ratio', target: 3, unit: 'x' },
  { name: 'ct csv-summary, 3M rows', scenario: 'csv-summary', engine: 'ct', metric: 'medianMs', target: 3000, unit: 'ms' },
];

// ---------------------------------------------------------------- child: one run of one engine

async function ctLoad(file) {
  const { readTable } = await import(pathToFileURL(DIST_READ).href);
  const start = performance.now();
  const table = await readTable(file);
  const ms = performance.now() - start;
  return { ms, rows: table.rowCount, check: ctSummary(table).meanDelay };
}

async function ctSummaryRun(file) {
  const { readTable } = await import(pathToFileURL(DIST_READ).href);
  const start = performance.now();
  const summary = ctSummary(await readTable(file));
  const ms = performance.now() - start;
  return { ms, rows: summary.rows, check: summary.meanDelay, summary };
}

/** The summary statistics, computed over the columnar table (what ct validate does, in small). */
function ctSummary(table) {
  const column = (name) => table.columns.find((c) => c.name === name);
  const stats = (values) => {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    const mean = sum / values.length;
    let squares = 0;
    for (let i = 0; i < values.length; i++) squares += (values[i] - mean) ** 2;
    return { min, max, mean, std: Math.sqrt(squares / (values.length - 1)) };
  };
  const distinct = (c) => {
    const seen = new Uint8Array(c.dictionary.length);
    let n = 0;
    for (let i = 0; i < c.codes.length; i++) {
      const code = c.codes[i];
      if (code >= 0 && seen[code] === 0) {
        seen[code] = 1;
        n++;
      }
    }
    return n;
  };
  const delay = stats(column('delay').values);
  const distance = stats(column('distance').values);
  const date = stats(column('date').values);
  return {
    rows: table.rowCount,
    meanDelay: delay.mean,
    delay,
    distance,
    origins: distinct(column('origin')),
    destinations: distinct(column('destination')),
    firstDate: new Date(date.min).toISOString(),
    lastDate: new Date(date.max).toISOString(),
  };
}

function scanSql(file) {
  return file.endsWith('.csv') ? `read_csv('${file}')` : `read_parquet('${file}')`;
}

/** A DuckDB connection; `startupMs` (creating the database) is reported apart from the query time. */
async function duckdb() {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const start = performance.now();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  return { instance, connection, startupMs: performance.now() - start };
}

async function duckdbSummaryRun(file) {
  const { instance, connection, startupMs } = await duckdb();
  const start = performance.now();
  const reader = await connection.runAndReadAll(`SELECT count(*)::DOUBLE, avg(delay), stddev_samp(delay), min(delay)::DOUBLE,
      max(delay)::DOUBLE, avg(distance), stddev_samp(distance), count(DISTINCT origin)::DOUBLE,
      count(DISTINCT destination)::DOUBLE, min(date)::VARCHAR, max(date)::VARCHAR FROM ${scanSql(file)}`);
  const row = reader.getRows()[0];
  const ms = performance.now() - start;
  connection.closeSync();
  instance.closeSync();
  return {
    ms,
    startupMs,
    rows: row[0],
    check: row[1],
    summary: { rows: row[0], meanDelay: row[1], stdDelay: row[2], origins: row[7], destinations: row[8], firstDate: row[9], lastDate: row[10] },
  };
}

/** DuckDB reads the file; every value is copied out into the same columnar shape ct uses. */
async function duckdbLoadRun(file) {
  const { instance, connection, startupMs } = await duckdb();
  const start = performance.now();
  const count = Number((await connection.runAndReadAll(`SELECT count(*)::DOUBLE FROM ${scanSql(file)}`)).getRows()[0][0]);
  const result = await connection.run(`SELECT epoch_ms(date)::DOUBLE AS date, delay::DOUBLE AS delay,
      distance::DOUBLE AS distance, origin, destination FROM ${scanSql(file)}`);
  const numbers = [new Float64Array(count), new Float64Array(count), new Float64Array(count)];
  const strings = [0, 1].map(() => ({ codes: new Int32Array(count), dictionary: [], index: new Map() }));
  let row = 0;
  for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const n = chunk.rowCount;
    for (let j = 0; j < 3; j++) {
      const vector = chunk.getColumnVector(j);
      const out = numbers[j];
      for (let i = 0; i < n; i++) out[row + i] = vector.getItem(i) ?? NaN;
    }
    for (let j = 0; j < 2; j++) {
      const vector = chunk.getColumnVector(3 + j);
      const { codes, dictionary, index } = strings[j];
      for (let i = 0; i < n; i++) {
        const value = vector.getItem(i);
        if (value === null) {
          codes[row + i] = -1;
          continue;
        }
        let code = index.get(value);
        if (code === undefined) {
          code = dictionary.length;
          dictionary.push(value);
          index.set(value, code);
        }
        codes[row + i] = code;
      }
    }
    row += n;
  }
  const ms = performance.now() - start;
  connection.closeSync();
  instance.closeSync();
  let sum = 0;
  for (const v of numbers[1]) sum += v;
  return { ms, startupMs, rows: row, check: sum / row };
}

/** hyparquet's public API: decoded column chunks (JS arrays) copied into the same shape. */
async function hyparquetLoadRun(file) {
  const { asyncBufferFromFile, parquetMetadataAsync, parquetRead } = await import('hyparquet');
  const { compressors } = await import('hyparquet-compressors');
  const start = performance.now();
  const source = await asyncBufferFromFile(file);
  const metadata = await parquetMetadataAsync(source);
  const count = Number(metadata.num_rows);
  const columns = {
    date: new Float64Array(count),
    delay: new Float64Array(count),
    distance: new Float64Array(count),
    origin: { codes: new Int32Array(count), dictionary: [], index: new Map() },
    destination: { codes: new Int32Array(count), dictionary: [], index: new Map() },
  };
  await parquetRead({
    file: source,
    metadata,
    compressors,
    // Numbers instead of one Date object per row.
    parsers: { timestampFromMicroseconds: (micros) => Number(micros) / 1000 },
    onChunk: ({ columnName, columnData, rowStart }) => {
      const out = columns[columnName];
      if (out instanceof Float64Array) {
        for (let i = 0; i < columnData.length; i++) out[rowStart + i] = Number(columnData[i]);
        return;
      }
      for (let i = 0; i < columnData.length; i++) {
        const value = columnData[i];
        let code = out.index.get(value);
        if (code === undefined) {
          code = out.dictionary.length;
          out.dictionary.push(value);
          out.index.set(value, code);
        }
        out.codes[rowStart + i] = code;
      }
    },
  });
  const ms = performance.now() - start;
  let sum = 0;
  for (const v of columns.delay) sum += v;
  return { ms, rows: count, check: sum / count };
}

async function child(scenario, engine) {
  const file = scenario.startsWith('csv') ? CSV : PARQUET;
  const run = {
    ct: { 'parquet-load': ctLoad, 'parquet-summary': ctSummaryRun, 'csv-summary': ctSummaryRun },
    duckdb: { 'parquet-load': duckdbLoadRun, 'parquet-summary': duckdbSummaryRun, 'csv-summary': duckdbSummaryRun },
    hyparquet: { 'parquet-load': hyparquetLoadRun },
  }[engine][scenario];
  const result = await run(file);
  // maxRSS is in KiB on Linux and macOS.
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ ...result, peakRssMB })}\n`);
}

// ---------------------------------------------------------------- parent: runs, medians, report

function runChild(scenario, engine) {
  const self = fileURLToPath(import.meta.url);
  const out = spawnSync(process.execPath, [self, '--child', scenario, engine], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (out.status !== 0) throw new Error(`${engine} ${scenario} failed (exit ${out.status}):\n${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').at(-1));
}

async function writeCsvOnce() {
  if (existsSync(CSV)) return;
  const { instance, connection } = await duckdb();
  await connection.run(`COPY (SELECT * FROM read_parquet('${PARQUET}')) TO '${CSV}' (HEADER)`);
  connection.closeSync();
  instance.closeSync();
}

async function main() {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
  if (!Number.isInteger(runs) || runs < 1) {
    console.error('--runs: expected a whole number >= 1');
    process.exit(2);
  }
  if (!existsSync(DIST_READ)) {
    console.error('dist/data/read.js is missing: compile first with `npx tsc -p tsconfig.build.json`');
    process.exit(2);
  }
  await writeCsvOnce();

  const results = {};
  for (const [scenario, engines] of Object.entries(SCENARIOS)) {
    results[scenario] = {};
    for (const engine of engines) {
      const samples = [];
      for (let r = 0; r < runs; r++) {
        process.stderr.write(`\r${scenario} ${engine} run ${r + 1}/${runs}   `);
        samples.push(runChild(scenario, engine));
      }
      results[scenario][engine] = {
        medianMs: Math.round(median(samples.map((s) => s.ms))),
        runsMs: samples.map((s) => Math.round(s.ms)),
        peakRssMB: Math.round(median(samples.map((s) => s.peakRssMB))),
        ...(samples[0].startupMs === undefined ? {} : { startupMs: Math.round(median(samples.map((s) => s.startupMs))) }),
        rows: samples[0].rows,
        check: samples[0].check,
        ...(samples[0].summary ? { summary: samples[0].summary } : {}),
      };
    }
    const ct = results[scenario].ct;
    for (const other of engines.slice(1)) {
      const r = results[scenario][other];
      r.ctRatio = Math.round((ct.medianMs / r.medianMs) * 100) / 100;
      r.agreesWithCt = ct.rows === r.rows && Math.abs(ct.check - r.check) <= 1e-9 * Math.abs(r.check);
    }
  }
  process.stderr.write('\n');

  const targets = TARGETS.map(({ name, scenario, engine, metric, target, unit }) => {
    const value = metric === 'ratio' ? results[scenario].duckdb.ctRatio : results[scenario][engine][metric];
    return { name, value, target, unit, met: value <= target };
  });
  const report = { name: 'read', date: new Date().toISOString(), machine: machine(), runs, results, targets };
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'read.json'), `${JSON.stringify(report, null, 2)}\n`);

  console.log(`read benchmark: 3,000,000 flights, ${runs} runs per engine (medians), ${report.machine.cores} cores, Node ${process.version}`);
  console.log(`${pad('scenario', 17)}${pad('engine', 10)}${pad('median ms', 10, true)}${pad('peak RSS MB', 13, true)}  runs (ms)`);
  for (const [scenario, engines] of Object.entries(SCENARIOS)) {
    for (const engine of engines) {
      const r = results[scenario][engine];
      const startup = r.startupMs === undefined ? '' : `  (+${r.startupMs} ms to create the database)`;
      console.log(`${pad(scenario, 17)}${pad(engine, 10)}${pad(r.medianMs, 10, true)}${pad(r.peakRssMB, 13, true)}  ${r.runsMs.join(' ')}${startup}`);
    }
    for (const other of engines.slice(1)) {
      const r = results[scenario][other];
      console.log(`${pad('', 17)}ct/${other} time ${r.ctRatio}x${r.agreesWithCt ? '' : '  (RESULTS DIFFER)'}`);
    }
  }
  console.log('targets:');
  for (const t of targets) console.log(`  ${t.met ? 'met ' : 'MISS'}  ${t.name}: ${t.value} ${t.unit} (target <= ${t.target})`);
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4]);
} else {
  await main();
  if (process.argv.includes('--clean')) rmSync(CSV, { force: true });
}
