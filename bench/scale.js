#!/usr/bin/env node
/**
 * Scaling benchmark: how validation and training grow with rows, and what running sweep
 * legs side by side gains on this machine.
 *
 *   npx tsc -p tsconfig.build.json && npm run bench -- scale [--runs 3] [--train-runs 1]
 *
 * Inputs: the first 0.25M, 0.5M, 1M, 2M and 3M rows of vega-datasets' flights-3m, as CSV
 * in the format of shared/peers/export_flights.mjs, written once into
 * <os.tmpdir()>/ct-bench-scale.
 *
 * validation  ct's streaming validation of each prefix (bench/validate.js --child ct: schema
 *             checks of every row, duplicates off, drift of 2001-01-29..02-04 against
 *             01-01..01-28), a fresh process per run: the pass's milliseconds and the
 *             process's peak RSS. --runs runs per size (medians).
 * training    `ct train` of the shipped model (ct.config.yaml's features and network; one
 *             epoch, no validation split, wasm) on each prefix with a 10% hash split held
 *             out: fit seconds (training.json's epoch time), wall seconds and peak RSS
 *             (GNU time). --train-runs runs per size.
 * growth      the exponent b of time = a * rows^b, fitted by least squares on log-log over
 *             the five sizes (target: at most 1.05, i.e. linear); validation's peak RSS at 3M
 *             over 0.25M rows (flat: streaming keeps one chunk in memory).
 * sweep       `ct sweep run` of 4 legs (learning rates) on the shipped data's newest 7 days
 *             with the small test settings, --parallel 4 against --parallel 1: wall seconds
 *             and the gain.
 * Writes bench/results/scale.json and prints a table.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { intArgument, machine, median, pad } from './lib/common.js';
import { writeFlightsCsv } from './lib/flights.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const CACHE = join(tmpdir(), 'ct-bench-scale');
const SIZES = [250_000, 500_000, 1_000_000, 2_000_000, 3_000_000];
const csvFile = (rows) => join(CACHE, `flights-${rows / 1e6}m.csv`);

/** Least-squares slope of log(y) on log(x): the growth exponent. */
function growthExponent(xs, ys) {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < lx.length; i++) {
    num += (lx[i] - mx) * (ly[i] - my);
    den += (lx[i] - mx) ** 2;
  }
  return num / den;
}

/** Runs a command under GNU time: wall seconds, peak RSS (MB), stdout. */
function timed(args, options = {}) {
  const timeFile = join(CACHE, 'time.txt');
  const started = performance.now();
  const out = spawnSync('/usr/bin/time', ['-f', '%M', '-o', timeFile, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, ...options });
  const seconds = (performance.now() - started) / 1000;
  if (out.status !== 0) throw new Error(`${args.slice(0, 4).join(' ')} failed (exit ${out.status}):\n${out.stderr}`);
  const kb = Number(readFileSync(timeFile, 'utf8').trim().split('\n').at(-1));
  return { seconds, peakRssMB: Math.round(kb / 1024), stdout: out.stdout };
}

function validation(rows) {
  const { stdout } = timed([process.execPath, join(here, 'validate.js'), '--child', 'ct', csvFile(rows), '65536']);
  const r = JSON.parse(stdout.trim().split('\n').at(-1));
  return { seconds: r.ms / 1000, peakRssMB: Math.round(r.peakRssMB), rows: r.rows };
}

/** A temp folder with the shipped config pointed at one CSV prefix. */
function trainingFolder(rows) {
  const dir = join(CACHE, `train-${rows / 1e6}m`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const config = parse(readFileSync(join(root, 'ct.config.yaml'), 'utf8'));
  // The CSV is shared by all sizes' folders: it is given with --data (config paths stay inside the folder).
  config.data = { path: 'flights.csv', timestamp: 'date', split: { method: 'hash', evaluationFraction: 0.1, seed: 1 } };
  config.training = { ...config.training, epochs: 1, validationFraction: 0, backend: 'wasm' };
  writeFileSync(join(dir, 'ct.config.yaml'), stringify(config));
  return dir;
}

function training(rows) {
  const dir = trainingFolder(rows);
  const run = timed([process.execPath, join(root, 'bin/ct.js'), 'train', '--quiet', '--data', csvFile(rows)], { cwd: dir });
  const record = JSON.parse(readFileSync(join(dir, 'out/model/training.json'), 'utf8'));
  const fitSeconds = record.timing.epochs.reduce((s, e) => s + e.seconds, 0);
  return { seconds: run.seconds, fitSeconds, peakRssMB: run.peakRssMB, trainRows: record.data.rows.train };
}

function sweep(parallel) {
  const dir = join(CACHE, `sweep-${parallel}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'data/flights'), { recursive: true });
  const days = readdirSync(join(root, 'data/flights'))
    .filter((f) => f.endsWith('.parquet'))
    .sort()
    .slice(-7);
  for (const f of days) cpSync(join(root, 'data/flights', f), join(dir, 'data/flights', f));
  const config = parse(readFileSync(join(root, 'ct.config.yaml'), 'utf8'));
  config.data.window = { newestDays: 7 };
  config.data.split = { method: 'time', evaluationDays: 1 };
  config.training = { ...config.training, epochs: 1, maxRows: 60_000, backend: 'wasm' };
  config.evaluation = { ...config.evaluation, infraCheck: { enabled: false } };
  config.sweep = { parameters: { 'training.learningRate': [0.0003, 0.001, 0.003, 0.01] }, maxParallel: 4 };
  writeFileSync(join(dir, 'ct.config.yaml'), stringify(config));
  const run = timed([process.execPath, join(root, 'bin/ct.js'), 'sweep', 'run', '--parallel', String(parallel), '--quiet', '--json'], { cwd: dir });
  const record = JSON.parse(run.stdout);
  return { seconds: run.seconds, legsSeconds: record.run.seconds, selected: record.selected, peakRssMB: run.peakRssMB };
}

async function main() {
  if (!existsSync(join(root, 'dist/pipeline/sweep.js'))) {
    console.error('dist/ is missing or stale: compile first with `npx tsc -p tsconfig.build.json`');
    process.exit(2);
  }
  const runs = intArgument('--runs', 3);
  const trainRuns = intArgument('--train-runs', 1);
  mkdirSync(CACHE, { recursive: true });
  if (!SIZES.every((rows) => existsSync(csvFile(rows)))) {
    process.stderr.write(`writing CSV prefixes of flights-3m into ${CACHE} (once)\n`);
    await writeFlightsCsv(SIZES.map((rows) => ({ rows, path: csvFile(rows) })));
  }

  const table = [];
  for (const rows of SIZES) {
    process.stderr.write(`${rows / 1e6}M rows: validation x${runs}, training x${trainRuns}\n`);
    const v = Array.from({ length: runs }, () => validation(rows));
    const t = Array.from({ length: trainRuns }, () => training(rows));
    table.push({
      rows,
      validation: {
        seconds: median(v.map((r) => r.seconds)),
        peakRssMB: median(v.map((r) => r.peakRssMB)),
        runsSeconds: v.map((r) => Number(r.seconds.toFixed(2))),
      },
      training: {
        fitSeconds: median(t.map((r) => r.fitSeconds)),
        wallSeconds: median(t.map((r) => r.seconds)),
        peakRssMB: median(t.map((r) => r.peakRssMB)),
        trainRows: t[0].trainRows,
        runsFitSeconds: t.map((r) => Number(r.fitSeconds.toFixed(1))),
      },
    });
  }
  process.stderr.write('sweep: 4 legs, --parallel 1 then --parallel 4\n');
  const sequential = sweep(1);
  const parallel = sweep(4);

  const xs = table.map((r) => r.rows);
  const exponents = {
    validation: growthExponent(
      xs,
      table.map((r) => r.validation.seconds),
    ),
    trainingFit: growthExponent(
      xs,
      table.map((r) => r.training.fitSeconds),
    ),
    trainingWall: growthExponent(
      xs,
      table.map((r) => r.training.wallSeconds),
    ),
  };
  const rssGrowth = table.at(-1).validation.peakRssMB / table[0].validation.peakRssMB;
  const gain = sequential.legsSeconds / parallel.legsSeconds;
  const r2 = (x) => Math.round(x * 100) / 100;
  const targets = [
    { name: 'validation time grows at most linearly (exponent <= 1.05)', value: r2(exponents.validation), target: 1.05, met: exponents.validation <= 1.05 },
    {
      name: 'training time grows at most linearly (fit, exponent <= 1.05)',
      value: r2(exponents.trainingFit),
      target: 1.05,
      met: exponents.trainingFit <= 1.05,
    },
    { name: 'validation memory flat: peak RSS at 3M <= 1.25 x at 0.25M rows', value: r2(rssGrowth), target: 1.25, met: rssGrowth <= 1.25 },
  ];
  const report = {
    name: 'scale',
    date: new Date().toISOString(),
    machine: machine(),
    runs,
    trainRuns,
    table,
    exponents,
    validationRssGrowth: r2(rssGrowth),
    sweep: { legs: 4, sequential, parallel, gain: r2(gain) },
    targets,
  };
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'scale.json'), `${JSON.stringify(report, null, 2)}\n`);

  console.log(
    `scale benchmark: flights-3m prefixes, ${runs} validation run(s) and ${trainRuns} training run(s) per size (medians), ${report.machine.cores} cores, Node ${process.version}`,
  );
  console.log(
    `${pad('rows', 10, true)}${pad('validate s', 12, true)}${pad('RSS MB', 8, true)}${pad('train fit s', 13, true)}${pad('train wall s', 14, true)}${pad('RSS MB', 8, true)}`,
  );
  for (const r of table) {
    console.log(
      `${pad(r.rows, 10, true)}${pad(r.validation.seconds.toFixed(2), 12, true)}${pad(r.validation.peakRssMB, 8, true)}${pad(r.training.fitSeconds.toFixed(1), 13, true)}${pad(r.training.wallSeconds.toFixed(1), 14, true)}${pad(r.training.peakRssMB, 8, true)}`,
    );
  }
  console.log(
    `growth exponents (time ~ rows^b): validation ${exponents.validation.toFixed(3)}, training fit ${exponents.trainingFit.toFixed(3)}, training wall ${exponents.trainingWall.toFixed(3)}; validation peak RSS 3M / 0.25M = ${r2(rssGrowth)}x`,
  );
  console.log(
    `sweep of 4 legs: sequential ${sequential.legsSeconds.toFixed(1)} s, 4 in parallel ${parallel.legsSeconds.toFixed(1)} s: ${r2(gain)}x (${report.machine.cores} cores); both selected ${sequential.selected} / ${parallel.selected}`,
  );
  console.log('targets:');
  for (const t of targets) console.log(`  ${t.met ? 'met ' : 'MISS'}  ${t.name}: ${t.value}`);
}

await main();
