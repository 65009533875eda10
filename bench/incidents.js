#!/usr/bin/env node
/**
 * Incidents benchmark: does bad data ever become a production model?
 *
 *   npm run build && npm run bench -- incidents [--quick] [--days N] [--kinds a,b] [--severities 0.02,0.05] [--runs 5] [--replay] [--keep]
 *       [--only incidents,false-alarms,overhead,replay [--merge]] [--replay-to YYYY-MM-DD] [--replay-severity 1]
 *
 * The corpus (bench/lib/incidents.js) breaks one real day of flights-3m in 60 realistic
 * ways (unit changes, sign flips, partial and truncated uploads, stale copies, misaligned
 * labels, encoding damage, renamed columns, ...), each at the share of rows it touches
 * (0.01, 0.1, 1.0 where that makes sense). Every measurement runs the real CLI
 * (`node bin/ct.js <verb> --config <repo>/ct.config.yaml --out <dir> --quiet`) in a
 * temporary repository: a verbatim copy of ct.config.yaml (data.path data/flights), the
 * committed schema data/flights/schema.json, the days before the test day as hard links
 * of the cached day files, the (possibly broken) test day as the newest partition, a copy
 * of the production model's registry, and `.ct/history` a symbolic link to one shared
 * folder, so the per-partition history is computed once per real day across runs (ct keeps
 * one entry per partition file, checked against the file's fingerprint: a broken copy of a day
 * is profiled afresh, never mistaken for the clean day, and the clean day is recomputed after it).
 *
 * Inputs: every day 2001-01-01..2001-06-30 of node_modules/vega-datasets/data/flights-3m.parquet
 * as <os.tmpdir()>/ct-bench-incidents/days/YYYY-MM-DD.csv, written once and reused.
 *
 * Measures:
 *   stopped     per kind and severity, over the test days (default 2001-03-01, 04-12, 05-17,
 *               06-14): the share of injections where `ct validate` exits 1 with an error
 *               anomaly that the clean day does not have, or — for a newest partition that
 *               cannot be read at all — exits 2 with one line naming it (the spec's contract
 *               for unusable input; counted apart as "exit 2"). A production model must exist
 *               first: `ct run` on the clean 14 days before the test day (the shipped config),
 *               once per test day, its models/ copied into every repository of that day.
 *               Also the production model's AUC on the corrupted day and on the clean day
 *               (scored here with ct's own dist/ code: the model's preprocessing.json,
 *               predictRows, rocAuc; the corrupted day's own labels).
 *   false alarms every real day 2001-01-15..06-30 as the newest partition, all earlier days
 *               as history, the shipped 14-day window, one production model for all days
 *               (trained by `ct run` on 2001-01-01..01-14): days with any error anomaly,
 *               with their messages, and warnings per kind.
 *   overhead    `ct validate` of the shipped repository's window (data/flights, 60 days,
 *               hard-linked into a temporary copy so /work/main stays untouched), median
 *               wall time of --runs runs: history off (validation.history.enabled: false;
 *               n/a when the config refuses the key), history cached, and cold (cache emptied).
 *   replay      (--replay, about 25 min) `ct replay --from 2001-01-29 --to 2001-06-25
 *               --every 7d --window-days 28` over all 181 days, clean and with one incident
 *               (severity --replay-severity, default 1.0; the kinds in turn) in the newest day
 *               before every third step (2001-02-11, 03-04, ...): the policies' mean
 *               next-week AUC in both (replay.json's means), and paired means without the steps
 *               whose scored week holds a broken day (there the two runs score different rows);
 *               the target compares the gated policy's paired means.
 *               --replay-update: both replays run `ct replay --update` (online updates);
 *               a target counts the steps that promoted a model trained on their incident day.
 * --quick: one test day, severities 0.1 and 1.0, false alarms on every 7th day, 3 overhead runs.
 * --days N: the first N test days; --test-days a,b: these days instead (other weekdays; not with
 * --merge); --kinds: only these incident kinds; --severities 0.02,0.05: these shares of rows instead of
 * 1%, 10% and all for the kinds graded so (not with --merge); --runs: overhead runs;
 * --only: run only these sections (targets only for those); --merge (with --only): keep the other
 * sections' figures from bench/results/incidents.json, each with its date (with --kinds, also the
 * other kinds' injections: results.incidents.keptKinds names them and when they were measured); --replay-to: end the replay earlier
 * (development); --keep: keep the temporary repositories of production models.
 * At most 2 child processes run at once. Writes bench/results/incidents.json and prints tables.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse, stringify } from 'yaml';
import { intArgument, machine, median, pad } from './lib/common.js';
import { addDays, dayFile, daysBetween, flightsDays } from './lib/flights-days.js';
import { INCIDENTS, KINDS, STANDARD, incidentFile, parseCsv, seedOf } from './lib/incidents.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const BIN = join(root, 'bin/ct.js');
const CACHE = join(tmpdir(), 'ct-bench-incidents');
const DAYS = join(CACHE, 'days');
const HISTORY = join(CACHE, 'history');
const SHIPPED_CONFIG = join(root, 'ct.config.yaml');
const SHIPPED_SCHEMA = join(root, 'data/flights/schema.json');
const TEST_DAYS = ['2001-03-01', '2001-04-12', '2001-05-17', '2001-06-14'];
const FALSE_ALARM_FROM = '2001-01-15';
const FALSE_ALARM_TO = '2001-06-30';
const TRAIN_DAYS = 14;
const PARALLEL = 2;
const REPLAY = { from: '2001-01-29', to: '2001-06-25', every: 7, windowDays: 28 };
const REPLAY_KINDS = [
  'delay_hours',
  'label_zeroed',
  'stale_copy',
  'distance_km',
  'label_shift',
  'sampling_bias',
  'airport_icao',
  'timestamps_midnight',
  'column_renamed',
  'partial_upload',
];
const CHILD_TIMEOUT_MS = 15 * 60_000;
const REPLAY_TIMEOUT_MS = 90 * 60_000;

// ---------------------------------------------------------------- processes

/** Runs `node bin/ct.js ...args` in `cwd`: { status, stdout, stderr, ms }. */
function runCt(args, cwd, timeoutMs = CHILD_TIMEOUT_MS, inheritStderr = false) {
  return runNode([BIN, ...args], cwd, timeoutMs, inheritStderr);
}

function runNode(args, cwd, timeoutMs = CHILD_TIMEOUT_MS, inheritStderr = false) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      if (inheritStderr) process.stderr.write(d);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ status: code ?? (signal === null ? -1 : `killed (${signal})`), stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** Runs the thunks with at most `limit` at a time; results in order. */
async function pool(thunks, limit = PARALLEL) {
  const results = new Array(thunks.length);
  let next = 0;
  const worker = async () => {
    while (next < thunks.length) {
      const i = next++;
      results[i] = await thunks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, thunks.length) }, worker));
  return results;
}

let progressDone = 0;
let progressTotal = 0;
function progress(what) {
  progressDone++;
  const line = `[${progressDone}/${progressTotal}] ${what}`;
  // On a terminal one line redrawn in place; elsewhere (a log) one line each.
  if (process.stderr.isTTY) process.stderr.write(`\r${line.slice(0, 110).padEnd(110)}`);
  else process.stderr.write(`${line}\n`);
}

// ---------------------------------------------------------------- repositories

/** Hard link (same file system) or copy. */
function linkOrCopy(from, to) {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

/**
 * A temporary repository: ct.config.yaml (a copy, or `config` text), data/flights with the
 * cached `days` (hard links), the newest partition `newest` ({ day, bytes }) if given, the
 * committed schema, `models/` copied from `models`, and .ct/history linked to the shared cache.
 */
function makeRepo(dir, { days, newest = null, models = null, config = null, schema = SHIPPED_SCHEMA, dataDir = DAYS }) {
  rmSync(dir, { recursive: true, force: true });
  const data = join(dir, 'data/flights');
  mkdirSync(data, { recursive: true });
  for (const day of days) linkOrCopy(join(dataDir, `${day}.csv`), join(data, `${day}.csv`));
  if (newest !== null) writeFileSync(join(data, `${newest.day}.csv`), newest.bytes);
  copyFileSync(schema, join(data, 'schema.json'));
  if (config === null) copyFileSync(SHIPPED_CONFIG, join(dir, 'ct.config.yaml'));
  else writeFileSync(join(dir, 'ct.config.yaml'), config);
  if (models !== null) cpSync(models, join(dir, 'models'), { recursive: true });
  mkdirSync(join(dir, '.ct'), { recursive: true });
  symlinkSync(HISTORY, join(dir, '.ct/history'));
  return dir;
}

/**
 * When ct's compiled code last changed (newest mtime under dist/): others may rebuild while a long
 * run goes on, and results measured by different builds should not be read as one.
 */
function distStamp() {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.js')) newest = Math.max(newest, statSync(file).mtimeMs);
    }
  };
  walk(join(root, 'dist'));
  return new Date(newest).toISOString();
}

/** The last line of stderr that says something (ct's one-line reason for exit 2). */
function lastLine(stderr) {
  return (
    stderr
      .trim()
      .split('\n')
      .filter((l) => l.trim() !== '')
      .at(-1) ?? ''
  );
}

const anomalyOf = (a) => ({ kind: a.kind, column: a.column ?? null, severity: a.severity, count: a.count ?? null, message: a.message });

/** `ct validate` in `repo`: exit status, error and warning anomalies (from out/validation.json), the reason line of exit 2. */
async function validate(repo) {
  const out = join(repo, 'out');
  const build = distStamp();
  const r = await runCt(['validate', '--config', join(repo, 'ct.config.yaml'), '--out', out, '--quiet'], repo);
  const file = join(out, 'validation.json');
  let anomalies = [];
  let ok = null;
  let quarantined = [];
  if (existsSync(file)) {
    const v = JSON.parse(readFileSync(file, 'utf8'));
    anomalies = (v.anomalies ?? []).map(anomalyOf);
    ok = v.ok;
    quarantined = (v.quarantined ?? []).map((q) => ({ date: q.date, reasons: q.reasons ?? [] }));
  }
  return {
    status: r.status,
    ok,
    ms: Math.round(r.ms),
    errors: anomalies.filter((a) => a.severity === 'error'),
    warnings: anomalies.filter((a) => a.severity !== 'error'),
    quarantined,
    build,
    reason: r.status === 0 ? null : r.status === 1 && anomalies.some((a) => a.severity === 'error') ? null : lastLine(r.stderr),
  };
}

const key = (a) => (typeof a === 'string' ? a : `${a.kind}${a.column === null ? '' : `:${a.column}`}`);

/**
 * `ct run` on the clean `TRAIN_DAYS` days before `day` (all earlier days present as history):
 * the production model every repository of that day starts from.
 */
async function trainProduction(work, day) {
  const dir = join(work, `production-${day}`);
  const days = daysBetween('2001-01-01', addDays(day, -1));
  makeRepo(dir, { days });
  const r = await runCt(['run', '--config', join(dir, 'ct.config.yaml'), '--out', join(dir, 'out'), '--json'], dir);
  const result = {
    day,
    trainedOn: `${addDays(day, -TRAIN_DAYS)}..${addDays(day, -1)}`,
    status: r.status,
    seconds: Math.round(r.ms / 1000),
    models: null,
    version: null,
    reason: null,
  };
  const pointer = join(dir, 'models/flight-delay/production.json');
  if (existsSync(pointer)) {
    result.models = join(dir, 'models');
    result.version = JSON.parse(readFileSync(pointer, 'utf8')).version;
    result.modelDir = join(dir, 'models/flight-delay', result.version);
    const evaluation = join(dir, 'out/evaluation.json');
    if (existsSync(evaluation)) result.auc = JSON.parse(readFileSync(evaluation, 'utf8')).candidate?.metrics?.auc ?? null;
  } else {
    const v = join(dir, 'out/validation.json');
    const errors = existsSync(v)
      ? JSON.parse(readFileSync(v, 'utf8'))
          .anomalies.filter((a) => a.severity === 'error')
          .map((a) => a.message)
      : [];
    result.reason = errors.length > 0 ? `validation: ${errors.join('; ')}` : lastLine(r.stderr);
  }
  return result;
}

// ---------------------------------------------------------------- child: AUC of the production model

/** Scores each file with the model in `modelDir` (its own preprocessing): { id: { auc, rows, labelled, positives } | { error } }. */
async function childAuc(modelDir, listFile) {
  const dist = (p) => import(pathToFileURL(join(root, 'dist', p)).href);
  const tf = await import('../dist/tf.js');
  tf.enableProdMode();
  const { selectBackend } = await dist('train/backend.js');
  const { fileLoadHandler } = await dist('train/io.js');
  const { predictRows } = await dist('train/predict.js');
  const { encodeTable } = await dist('features/preprocessing.js');
  const { readTable } = await dist('data/read.js');
  const { rocAuc } = await dist('evaluate/metrics.js');
  await selectBackend('auto');
  const model = await tf.loadLayersModel(fileLoadHandler(modelDir));
  const preprocessing = JSON.parse(readFileSync(join(modelDir, 'preprocessing.json'), 'utf8'));
  const out = {};
  for (const { id, file } of JSON.parse(readFileSync(listFile, 'utf8'))) {
    try {
      const table = await readTable(file);
      if (table.rowCount === 0) throw new Error('no rows');
      const encoded = encodeTable(table, preprocessing, { withLabels: true });
      const scores = predictRows(model, encoded);
      const labels = [];
      const kept = [];
      encoded.labels.forEach((y, i) => {
        if (Number.isFinite(y)) {
          labels.push(y);
          kept.push(scores[i]);
        }
      });
      const positives = labels.filter((y) => y === 1).length;
      const auc = positives === 0 || positives === labels.length ? null : rocAuc(labels, kept);
      out[id] = { auc, rows: table.rowCount, labelled: labels.length, positives, ...(auc === null ? { error: 'one class only' } : {}) };
    } catch (error) {
      out[id] = {
        auc: null,
        error: String(error.message ?? error)
          .split('\n')[0]
          .slice(0, 160),
      };
    }
  }
  model.dispose();
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

async function scoreFiles(production, files, work) {
  if (production.modelDir === undefined || files.length === 0) return {};
  const list = join(work, `auc-${production.day}.json`);
  writeFileSync(list, JSON.stringify(files));
  const r = await runNode([fileURLToPath(import.meta.url), '--child', 'auc', production.modelDir, list], root);
  if (r.status !== 0) {
    process.stderr.write(`\nAUC scoring for ${production.day} failed (exit ${r.status}): ${lastLine(r.stderr)}\n`);
    return {};
  }
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

// ---------------------------------------------------------------- measurements

/** Every injection of `kinds` x severities on each test day; clean controls first. */
async function measureIncidents(work, testDays, kinds, severitiesOf, productions) {
  const injections = [];
  const controls = {};
  for (const day of testDays) {
    const production = productions[day];
    const clean = readFileSync(dayFile(DAYS, day), 'utf8');
    const rows = parseCsv(clean);
    const previousDayRows = parseCsv(readFileSync(dayFile(DAYS, addDays(day, -1)), 'utf8'));
    const twoWeeksBeforeRows = parseCsv(readFileSync(dayFile(DAYS, addDays(day, -14)), 'utf8'));
    const history = daysBetween('2001-01-01', addDays(day, -1));
    const filesDir = join(work, `files-${day}`);
    mkdirSync(filesDir, { recursive: true });
    const files = [{ id: 'clean', file: dayFile(DAYS, day) }];
    const planned = [];
    for (const kind of kinds) {
      for (const severity of severitiesOf(kind)) {
        const made = incidentFile(kind, rows, { severity, seed: seedOf(kind, severity, day), previousDayRows, twoWeeksBeforeRows });
        const id = `${kind}@${severity}`;
        const file = join(filesDir, `${id}.csv`);
        writeFileSync(file, made.bytes);
        files.push({ id, file });
        planned.push({
          day,
          kind,
          severity,
          description: made.description,
          rowsWritten: made.rows,
          rowsTouched: made.touched,
          rowsClean: rows.length,
          bytes: made.bytes.length,
          file,
        });
      }
    }
    const models = production.models;
    const repoOf = (name) => join(work, `${day}-${name}`);
    const control = await validate(makeRepo(repoOf('clean'), { days: [...history, day], models }));
    rmSync(repoOf('clean'), { recursive: true, force: true });
    progress(`${day} clean: exit ${control.status}`);
    controls[day] = control;
    const controlErrors = new Set(control.errors.map(key));
    const results = await pool([
      ...planned.map((p) => async () => {
        const repo = repoOf(`${p.kind}@${p.severity}`);
        const r = await validate(makeRepo(repo, { days: history, newest: { day, bytes: readFileSync(p.file) }, models }));
        rmSync(repo, { recursive: true, force: true });
        const newErrors = r.errors.filter((a) => !controlErrors.has(key(a)));
        // Unreadable input is the spec's exit 2: one line naming the file. Stopped too, when that file is the newest partition.
        const unreadable = r.status === 2 && typeof r.reason === 'string' && r.reason.includes(`${day}.csv`);
        const stopped = (r.status === 1 && newErrors.length > 0) || unreadable;
        progress(`${day} ${p.kind}@${p.severity}: ${stopped ? 'stopped' : `not stopped (exit ${r.status})`}`);
        return { ...p, ...r, newErrors, unreadable, stopped };
      }),
      async () => scoreFiles(production, files, work),
    ]);
    const scores = results.pop();
    for (const r of results) {
      const { file: _, ...rest } = r;
      injections.push({
        ...rest,
        auc: scores[`${r.kind}@${r.severity}`]?.auc ?? null,
        aucError: scores[`${r.kind}@${r.severity}`]?.error ?? null,
        aucClean: scores.clean?.auc ?? null,
      });
    }
    rmSync(filesDir, { recursive: true, force: true });
  }
  return { injections, controls };
}

async function measureFalseAlarms(work, days, production) {
  const results = await pool(
    days.map((day) => async () => {
      const repo = join(work, `clean-${day}`);
      const r = await validate(makeRepo(repo, { days: daysBetween('2001-01-01', day), models: production.models }));
      rmSync(repo, { recursive: true, force: true });
      progress(`false alarms ${day}: exit ${r.status}${r.errors.length > 0 ? ` (${r.errors.map(key).join(', ')})` : ''}`);
      return { day, ...r };
    }),
  );
  return results;
}

/** Validation time of the shipped repository's data and config: history off, cached, cold. */
async function measureOverhead(work, runs) {
  const dir = join(work, 'overhead');
  rmSync(dir, { recursive: true, force: true });
  const data = join(dir, 'data/flights');
  mkdirSync(data, { recursive: true });
  for (const f of readdirSync(join(root, 'data/flights'))) linkOrCopy(join(root, 'data/flights', f), join(data, f));
  copyFileSync(SHIPPED_CONFIG, join(dir, 'ct.config.yaml'));
  const off = parse(readFileSync(SHIPPED_CONFIG, 'utf8'));
  off.validation = { ...(off.validation ?? {}), history: { ...(off.validation?.history ?? {}), enabled: false } };
  writeFileSync(join(dir, 'history-off.yaml'), stringify(off));
  const history = join(dir, '.ct/history');
  const once = async (config, cold) => {
    if (cold) rmSync(history, { recursive: true, force: true });
    const r = await runCt(['validate', '--config', join(dir, config), '--out', join(dir, 'out'), '--quiet'], dir);
    return { ms: r.ms, status: r.status, reason: r.status === 2 ? lastLine(r.stderr) : null };
  };
  const samples = { off: [], cached: [], cold: [] };
  for (let i = 0; i < runs; i++) {
    samples.cold.push(await once('ct.config.yaml', true));
    samples.cached.push(await once('ct.config.yaml', false));
    samples.off.push(await once('history-off.yaml', false));
    progress(`overhead run ${i + 1}/${runs}`);
  }
  const summary = (s) => {
    const failed = s.find((x) => x.status === 2);
    if (failed !== undefined) return { medianMs: null, runsMs: [], status: 2, reason: failed.reason };
    return { medianMs: Math.round(median(s.map((x) => x.ms))), runsMs: s.map((x) => Math.round(x.ms)), status: s[0].status };
  };
  const result = { off: summary(samples.off), cached: summary(samples.cached), cold: summary(samples.cold), historyCacheExists: existsSync(history) };
  result.cachedOverOff =
    result.off.medianMs === null || result.cached.medianMs === null ? null : Math.round((result.cached.medianMs / result.off.medianMs) * 100) / 100;
  result.coldOverOff =
    result.off.medianMs === null || result.cold.medianMs === null ? null : Math.round((result.cold.medianMs / result.off.medianMs) * 100) / 100;
  rmSync(dir, { recursive: true, force: true });
  return result;
}

/** Two `ct replay`s over all days: clean, and with one incident before every third step. */
async function measureReplay(work, kinds, severity, to = REPLAY.to, update = false) {
  const all = daysBetween('2001-01-01', '2001-06-30');
  const steps = [];
  for (let d = REPLAY.from; d <= to; d = addDays(d, REPLAY.every)) steps.push(d);
  const rotation = REPLAY_KINDS.filter((k) => kinds.includes(k));
  const order = rotation.length > 0 ? rotation : kinds;
  const injected = [];
  const incidentsDir = join(work, 'replay-files');
  mkdirSync(incidentsDir, { recursive: true });
  for (let i = 2; i < steps.length; i += 3) {
    const day = addDays(steps[i], -1);
    const kind = order[injected.length % order.length];
    const severities = INCIDENTS[kind].severities;
    const s = severities.includes(severity) ? severity : severities.at(-1);
    const made = incidentFile(kind, parseCsv(readFileSync(dayFile(DAYS, day), 'utf8')), {
      severity: s,
      seed: seedOf(kind, s, day, 'replay'),
      previousDayRows: parseCsv(readFileSync(dayFile(DAYS, addDays(day, -1)), 'utf8')),
      twoWeeksBeforeRows: parseCsv(readFileSync(dayFile(DAYS, addDays(day, -14)), 'utf8')),
    });
    writeFileSync(join(incidentsDir, `${day}.csv`), made.bytes);
    injected.push({ step: steps[i], day, kind, severity: s, description: made.description });
  }
  const runOne = async (name, withIncidents) => {
    const dir = join(work, `replay-${name}`);
    const broken = new Set(withIncidents ? injected.map((x) => x.day) : []);
    makeRepo(dir, { days: all.filter((d) => !broken.has(d)) });
    for (const d of broken) linkOrCopy(join(incidentsDir, `${d}.csv`), join(dir, 'data/flights', `${d}.csv`));
    process.stderr.write(`\nct replay (${name}) ${REPLAY.from}..${to} every ${REPLAY.every}d, ${REPLAY.windowDays}-day window\n`);
    const r = await runCt(
      [
        'replay',
        '--config',
        join(dir, 'ct.config.yaml'),
        '--from',
        REPLAY.from,
        '--to',
        to,
        '--every',
        `${REPLAY.every}d`,
        '--window-days',
        String(REPLAY.windowDays),
        '--out',
        join(dir, 'out'),
        ...(update ? ['--update'] : []),
      ],
      dir,
      REPLAY_TIMEOUT_MS,
      true,
    );
    const file = join(dir, 'out/replay/replay.json');
    if (r.status !== 0 || !existsSync(file)) return { status: r.status, seconds: Math.round(r.ms / 1000), means: null, reason: lastLine(r.stderr) };
    const replay = JSON.parse(readFileSync(file, 'utf8'));
    const means = Object.fromEntries(Object.entries(replay.policies ?? {}).map(([p, s]) => [p, s.mean === null ? null : Math.round(s.mean * 10000) / 10000]));
    const stepsOut = replay.steps.map((s) => ({
      date: s.date,
      stoppedAt: s.stoppedAt,
      promoted: s.promoted,
      scores: s.scores,
      reasons: s.reasons.slice(0, 3),
      retry: s.retry ?? null,
    }));
    return { status: r.status, seconds: Math.round(r.ms / 1000), means, steps: stepsOut };
  };
  const clean = await runOne('clean', false);
  const incidents = await runOne('incidents', true);
  for (const x of injected) {
    const s = incidents.steps?.find((step) => step.date === x.step);
    x.stoppedAt = s?.stoppedAt ?? null;
    x.reasons = s?.reasons ?? [];
    // Promoted by the step whose newest day is the broken one: the incident reached production.
    x.promoted = s?.promoted === true;
  }
  // Each step's model is scored on the days after it; a broken day lies in the scored week of the step before
  // it was injected, which would compare scores on different rows. Means are taken over the other steps, paired.
  const excluded = new Set(injected.map((x) => steps[steps.indexOf(x.step) - 1]));
  const pairedMeans = (run) => {
    if (run.steps === undefined) return null;
    const kept = run.steps.filter((s) => !excluded.has(s.date));
    return Object.fromEntries(Object.keys(run.means ?? {}).map((p) => [p, round4(meanOf(kept.map((s) => s.scores[p])))]));
  };
  clean.pairedMeans = pairedMeans(clean);
  incidents.pairedMeans = pairedMeans(incidents);
  const delta = clean.pairedMeans?.gated != null && incidents.pairedMeans?.gated != null ? round4(incidents.pairedMeans.gated - clean.pairedMeans.gated) : null;
  return {
    settings: { ...REPLAY, to, severity, update },
    injected,
    incidentsPromoted: injected.filter((x) => x.promoted).length,
    stepsExcludedFromPairedMeans: [...excluded],
    clean,
    incidents,
    gatedDelta: delta,
  };
}

// ---------------------------------------------------------------- report

const f3 = (x) => (x === null || x === undefined ? 'n/a' : x.toFixed(3));
const round4 = (x) => (x === null || x === undefined || Number.isNaN(x) ? null : Math.round(x * 10000) / 10000);
const meanOf = (xs) => {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x));
  return v.length === 0 ? null : v.reduce((a, b) => a + b, 0) / v.length;
};

/** The margin of the shipped config's non-inferiority gate on AUC: a metric change beyond it is material. */
function gateMargin() {
  const gates = parse(readFileSync(SHIPPED_CONFIG, 'utf8')).gates ?? [];
  const gate = gates.find((g) => g.metric === 'auc' && g.slice === undefined && g.significance?.margin !== undefined);
  return gate?.significance.margin ?? 0;
}

/**
 * Material, as the issue defines it: the incident touched at least 1% of the partition's
 * rows (rounded to whole rows), or moved the production model's AUC on the day by more than
 * the gate's margin. An injection measured before rows were counted counts as material.
 */
function isMaterial(r, margin) {
  if (r.rowsTouched === undefined) return true;
  const moved = r.auc !== null && r.aucClean !== null && Math.abs(r.auc - r.aucClean) > margin;
  return r.rowsTouched >= Math.round(0.01 * r.rowsClean) || moved;
}

function summariseIncidents(injections) {
  const margin = gateMargin();
  const perKind = {};
  for (const r of injections) {
    const k = (perKind[r.kind] ??= { summary: INCIDENTS[r.kind].summary, severities: {} });
    const s = (k.severities[r.severity] ??= {
      injections: 0,
      stopped: 0,
      material: 0,
      materialStopped: 0,
      exit2: 0,
      stoppedBy: {},
      notStopped: [],
      aucClean: [],
      auc: [],
      touched: [],
    });
    const material = isMaterial(r, margin);
    s.injections++;
    if (material) s.material++;
    if (r.status === 2) s.exit2++;
    if (r.stopped) {
      s.stopped++;
      if (material) s.materialStopped++;
      for (const a of new Set(r.unreadable ? ['exit 2 (unreadable)'] : r.newErrors.map(key))) s.stoppedBy[a] = (s.stoppedBy[a] ?? 0) + 1;
    } else {
      s.notStopped.push({ day: r.day, status: r.status, material, reason: r.reason, warnings: [...new Set(r.warnings.map(key))] });
    }
    s.aucClean.push(r.aucClean);
    s.auc.push(r.auc);
    if (r.rowsTouched !== undefined) s.touched.push(r.rowsTouched / r.rowsClean);
  }
  for (const k of Object.values(perKind)) {
    for (const s of Object.values(k.severities)) {
      s.share = s.stopped / s.injections;
      s.aucClean = round4(meanOf(s.aucClean));
      s.auc = round4(meanOf(s.auc));
      s.touched = s.touched.length === 0 ? null : round4(meanOf(s.touched));
    }
  }
  const total = injections.length;
  const stopped = injections.filter((r) => r.stopped).length;
  const material = injections.filter((r) => isMaterial(r, margin));
  const materialStopped = material.filter((r) => r.stopped).length;
  const immaterial = injections.filter((r) => !isMaterial(r, margin));
  const exit2 = injections.filter((r) => r.stopped && r.status === 2).length;
  const exit2Other = injections.filter((r) => !r.stopped && r.status === 2).length;
  const kinds = Object.keys(perKind);
  const fullyStopped = kinds.filter((k) => Object.values(perKind[k].severities).every((s) => s.materialStopped === s.material));
  return {
    perKind,
    overall: {
      injections: total,
      stopped,
      share: total === 0 ? null : stopped / total,
      material: material.length,
      materialStopped,
      materialShare: material.length === 0 ? null : materialStopped / material.length,
      immaterial: immaterial.length,
      immaterialStopped: immaterial.filter((r) => r.stopped).length,
      materialIf: `at least 1% of the rows touched (changed, dropped or added), or the production model's AUC on the day moved by more than ${margin} (the gate's margin)`,
      exit2,
      exit2Other,
      kinds: kinds.length,
      kindsFullyStopped: fullyStopped.length,
      kindsNeverStopped: kinds.filter((k) => Object.values(perKind[k].severities).every((s) => s.stopped === 0)),
    },
  };
}

function summariseFalseAlarms(days) {
  const alarms = days
    .filter((d) => d.status !== 0 || d.errors.length > 0)
    .map((d) => ({ day: d.day, status: d.status, reason: d.reason, errors: d.errors.map((a) => ({ kind: a.kind, column: a.column, message: a.message })) }));
  const warningsPerKind = {};
  for (const d of days) for (const k of new Set(d.warnings.map(key))) warningsPerKind[k] = (warningsPerKind[k] ?? 0) + 1;
  // A clean older day left out of the window (quarantined) is a false alarm of its own: its rows are lost to training.
  const quarantined = {};
  for (const d of days) for (const q of d.quarantined) quarantined[q.date] ??= { date: q.date, firstSeenOn: d.day, reasons: q.reasons };
  return {
    daysTested: days.length,
    from: days[0]?.day ?? null,
    to: days.at(-1)?.day ?? null,
    daysWithErrors: alarms.length,
    alarms,
    quarantinedCleanDays: Object.values(quarantined),
    warningDaysPerKind: warningsPerKind,
    medianValidateMs: days.length === 0 ? null : Math.round(median(days.map((d) => d.ms))),
  };
}

function printReport(report) {
  const { incidents, falseAlarms, overhead, replay } = report.results;
  console.log(
    `incidents benchmark: ${report.settings.kinds.length} kinds on ${report.settings.testDays.join(', ')}; sections ${report.settings.sections.join(', ')}; ${report.machine.cores} cores, Node ${process.version}${report.settings.quick ? ' (--quick)' : ''}`,
  );
  const merged = Object.entries(report.results.measuredOn ?? {}).filter(([, when]) => when !== report.date);
  if ((report.results.builds ?? []).length > 1)
    console.log(
      `NOTE: dist/ was rebuilt during the run (${report.results.builds.length} builds: ${report.results.builds.join(', ')}); each injection records the build it ran with`,
    );
  if (merged.length > 0) console.log(`kept from earlier runs (--merge): ${merged.map(([x, when]) => `${x} (${when})`).join(', ')}`);
  if (Object.keys(report.results.productions).length > 0) console.log('production models (ct run on the 14 clean days before each test day):');
  for (const p of Object.values(report.results.productions))
    console.log(`  ${p.day}: ${p.version ?? `none (exit ${p.status}: ${p.reason})`}${p.auc != null ? `, evaluation AUC ${f3(p.auc)}` : ''}, ${p.seconds} s`);
  if (incidents !== null) {
    for (const [day, c] of Object.entries(report.results.controls)) {
      console.log(
        `  clean control ${day}: exit ${c.status}${c.errors.length > 0 ? `, ERRORS ${c.errors.map((a) => a.message).join(' | ')}` : ''}${c.warnings.length > 0 ? `; warnings ${[...new Set(c.warnings.map(key))].join(', ')}` : ''}`,
      );
    }
    console.log('stopped before training (ct validate exits 1 with an error anomaly the clean day lacks, or 2 naming the unreadable newest partition):');
    console.log(
      `${pad('kind', 30)}${pad('sev', 6)}${pad('stopped', 9, true)}${pad('material', 10, true)}${pad('exit 2', 8, true)}${pad('AUC clean', 11, true)}${pad('corrupt', 9, true)}  stopped by / not stopped`,
    );
    for (const [kind, k] of Object.entries(incidents.perKind)) {
      for (const [severity, s] of Object.entries(k.severities).sort((a, b) => Number(a[0]) - Number(b[0]))) {
        const by = Object.entries(s.stoppedBy)
          .map(([a, c]) => `${a}${c === s.injections ? '' : ` x${c}`}`)
          .join(', ');
        const missed =
          s.notStopped.length === 0
            ? ''
            : `${by === '' ? '' : '; '}missed: ${[...new Set(s.notStopped.map((m) => (m.status === 2 ? `exit 2 (${m.reason})` : `exit ${m.status}${m.warnings.length > 0 ? ` warn ${m.warnings.join(',')}` : ''}`)))].join(' / ')}`;
        console.log(
          `${pad(kind, 30)}${pad(severity, 6)}${pad(`${s.stopped}/${s.injections}`, 9, true)}${pad(`${s.materialStopped}/${s.material}`, 10, true)}${pad(s.exit2, 8, true)}${pad(f3(s.aucClean), 11, true)}${pad(f3(s.auc), 9, true)}  ${`${by}${missed}`.slice(0, 150)}`,
        );
      }
    }
    const o = incidents.overall;
    if (o.material !== undefined)
      console.log(
        `material (${o.materialIf}): ${o.materialStopped} of ${o.material} stopped (${(o.materialShare * 100).toFixed(1)}%); below materiality: ${o.immaterialStopped} of ${o.immaterial} stopped`,
      );
    console.log(
      `overall: ${o.stopped} of ${o.injections} injections stopped (${(o.share * 100).toFixed(1)}%; ${o.exit2 ?? 0} of them as an unreadable newest partition, exit 2${o.exit2Other ? `; ${o.exit2Other} other exit 2` : ''}); kinds with every material injection stopped: ${o.kindsFullyStopped} of ${o.kinds}`,
    );
    if (o.kindsNeverStopped.length > 0) console.log(`never stopped: ${o.kindsNeverStopped.join(', ')}`);
  }
  if (falseAlarms !== null) {
    console.log(
      `false alarms: ${falseAlarms.daysWithErrors} of ${falseAlarms.daysTested} clean days ${falseAlarms.from}..${falseAlarms.to} with an error anomaly (one production model, trained on 2001-01-01..01-14)`,
    );
    for (const a of falseAlarms.alarms)
      console.log(
        `  ${a.day} exit ${a.status}: ${
          a.errors.length > 0
            ? a.errors
                .map((e) => `${e.kind}: ${e.message}`)
                .join(' | ')
                .slice(0, 300)
            : a.reason
        }`,
      );
    console.log(
      `  clean days quarantined (left out of later windows): ${falseAlarms.quarantinedCleanDays.length === 0 ? 'none' : falseAlarms.quarantinedCleanDays.map((q) => `${q.date} (${q.reasons.join('; ').slice(0, 120)})`).join(', ')}`,
    );
    console.log(
      `  warnings (days per kind): ${
        Object.entries(falseAlarms.warningDaysPerKind)
          .map(([k, c]) => `${k} ${c}`)
          .join(', ') || 'none'
      }`,
    );
  }
  if (overhead !== null) {
    const ms = (x) => (x.medianMs === null ? `n/a (${x.reason})` : `${x.medianMs} ms`);
    console.log(
      `validation overhead (ct validate, shipped data and config, median of ${overhead.cached.runsMs.length || overhead.off.runsMs.length}): history off ${ms(overhead.off)}, cached ${ms(overhead.cached)}, cold ${ms(overhead.cold)}; cached/off ${overhead.cachedOverOff ?? 'n/a'}, cold/off ${overhead.coldOverOff ?? 'n/a'}`,
    );
  }
  if (replay !== null) {
    const m = (x) =>
      x.means === null
        ? `failed (exit ${x.status}: ${x.reason})`
        : Object.entries(x.means)
            .map(([p, v]) => `${p} ${f3(v)}`)
            .join(', ');
    const pm = (x) =>
      x.pairedMeans == null
        ? 'n/a'
        : Object.entries(x.pairedMeans)
            .map(([p, v]) => `${p} ${f3(v)}`)
            .join(', ');
    console.log(
      `replay (${replay.settings.from}..${replay.settings.to} every ${replay.settings.every}d, ${replay.settings.windowDays}-day window), mean next-week AUC:`,
    );
    console.log(
      `  all steps (replay.json means): clean ${m(replay.clean)} (${replay.clean.seconds} s); with incidents ${m(replay.incidents)} (${replay.incidents.seconds} s)`,
    );
    console.log(
      `  paired, without the ${replay.stepsExcludedFromPairedMeans.length} steps whose scored week holds a broken day: clean ${pm(replay.clean)}; with incidents ${pm(replay.incidents)}; gated delta ${replay.gatedDelta ?? 'n/a'}`,
    );
    for (const x of replay.injected)
      console.log(
        `  ${x.day} ${x.kind}@${x.severity}: step ${x.step} ${x.stoppedAt === null ? 'NOT STOPPED' : `stopped at ${x.stoppedAt}`}${x.reasons.length > 0 ? ` (${x.reasons[0].slice(0, 90)})` : ''}`,
      );
  } else if (!report.settings.sections.includes('replay')) console.log('replay with incidents: not run (--replay)');
  console.log('targets:');
  for (const t of report.targets) console.log(`  ${t.met ? 'met ' : 'MISS'}  ${t.name}: ${t.value ?? 'n/a'} ${t.unit} (target ${t.target})`);
}

// ---------------------------------------------------------------- main

function listArgument(name) {
  const at = process.argv.indexOf(name);
  return at < 0
    ? null
    : (process.argv[at + 1] ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
}

const SECTIONS = ['incidents', 'false-alarms', 'overhead', 'replay'];

async function main() {
  for (const p of ['cli/main.js', 'data/stream.js', 'train/predict.js']) {
    if (!existsSync(join(root, 'dist', p))) {
      console.error(`dist/${p} is missing: build first with \`npm run build\``);
      process.exit(2);
    }
  }
  const quick = process.argv.includes('--quick');
  const keep = process.argv.includes('--keep');
  const merge = process.argv.includes('--merge');
  const testDays = listArgument('--test-days') ?? TEST_DAYS.slice(0, quick ? 1 : intArgument('--days', TEST_DAYS.length));
  const badDays = testDays.filter((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d) || d < '2001-01-29' || d > '2001-06-30');
  if (badDays.length > 0) {
    console.error(`--test-days: ${badDays.join(', ')} is not a day of flights-3m with four weeks before it (2001-01-29..2001-06-30)`);
    process.exit(2);
  }
  if (merge && listArgument('--test-days') !== null) {
    console.error('--test-days measures other days than the recorded ones: it cannot --merge into bench/results/incidents.json');
    process.exit(2);
  }
  const kinds = listArgument('--kinds') ?? KINDS;
  const unknown = kinds.filter((k) => !KINDS.includes(k));
  if (unknown.length > 0) {
    console.error(`--kinds: unknown ${unknown.join(', ')} (kinds: ${KINDS.join(', ')})`);
    process.exit(2);
  }
  const sections = listArgument('--only') ?? SECTIONS.filter((s) => s !== 'replay' || process.argv.includes('--replay'));
  if (sections.some((s) => !SECTIONS.includes(s))) {
    console.error(`--only: sections are ${SECTIONS.join(', ')}`);
    process.exit(2);
  }
  const has = (s) => sections.includes(s);
  const overheadRuns = intArgument('--runs', quick ? 3 : 5);
  const replaySeverity = Number(listArgument('--replay-severity')?.[0] ?? 1);
  const replayTo = listArgument('--replay-to')?.[0] ?? REPLAY.to;
  const shares = listArgument('--severities')?.map(Number) ?? null;
  if (shares !== null && (shares.length === 0 || shares.some((x) => !(x > 0 && x <= 1)))) {
    console.error('--severities: shares of rows between 0 and 1, comma separated (0.02,0.05)');
    process.exit(2);
  }
  if (merge && shares !== null) {
    console.error('--severities measures other severities than the recorded ones: it cannot --merge into bench/results/incidents.json');
    process.exit(2);
  }
  // --severities stands in for the shares of rows of the kinds graded 1%, 10%, all; a kind with severities of its own keeps them.
  const severitiesOf = (kind) => {
    const own = INCIDENTS[kind].severities;
    if (shares !== null) return own === STANDARD ? shares : own;
    return quick ? own.filter((s) => s === 0.1 || s === 1) : own;
  };
  const falseAlarmDays = daysBetween(FALSE_ALARM_FROM, FALSE_ALARM_TO).filter((_, i) => !quick || i % 7 === 0);

  await flightsDays(DAYS);
  mkdirSync(HISTORY, { recursive: true });
  const work = join(CACHE, `work-${process.pid}`);
  mkdirSync(work, { recursive: true });
  const started = performance.now();
  const productionDays = [...(has('false-alarms') ? [FALSE_ALARM_FROM] : []), ...(has('incidents') ? testDays : [])];
  const injectionsPlanned = has('incidents') ? testDays.length * kinds.reduce((sum, k) => sum + severitiesOf(k).length, 0) + testDays.length : 0;
  progressTotal = productionDays.length + injectionsPlanned + (has('false-alarms') ? falseAlarmDays.length : 0) + (has('overhead') ? overheadRuns : 0);
  try {
    // Production models one at a time: training measures latency for a gate, and history is filled day by day.
    const productions = {};
    for (const day of productionDays) {
      productions[day] = await trainProduction(work, day);
      progress(`production model for ${day}: ${productions[day].version ?? `none (${productions[day].reason})`}`);
    }
    const falseAlarmDetails = has('false-alarms') ? await measureFalseAlarms(work, falseAlarmDays, productions[FALSE_ALARM_FROM]) : null;
    const measured = has('incidents') ? await measureIncidents(work, testDays, kinds, severitiesOf, productions) : null;
    const overhead = has('overhead') ? await measureOverhead(work, overheadRuns) : null;
    if (!process.stderr.isTTY) process.stderr.write('\n');
    const replay = has('replay') ? await measureReplay(work, kinds, replaySeverity, replayTo, process.argv.includes('--replay-update')) : null;

    let incidents = measured === null ? null : summariseIncidents(measured.injections);
    let falseAlarms = falseAlarmDetails === null ? null : summariseFalseAlarms(falseAlarmDetails);
    let overheadResult = overhead;
    let replayResult = replay;
    let controls = measured?.controls ?? {};
    let injections = (measured?.injections ?? []).map(({ warnings, errors, ...r }) => ({
      ...r,
      errors: errors.map((a) => ({ kind: a.kind, column: a.column, message: a.message })),
      warnings: [...new Set(warnings.map(key))],
    }));
    let productionsOut = Object.fromEntries(
      Object.entries(productions).map(([d, p]) => [
        d,
        { day: p.day, trainedOn: p.trainedOn, version: p.version, status: p.status, seconds: p.seconds, auc: p.auc ?? null, reason: p.reason },
      ]),
    );
    const now = new Date().toISOString();
    const measuredOn = Object.fromEntries(sections.map((x) => [x, now]));
    let shownTestDays = testDays;
    let shownKinds = kinds;
    // --merge: sections not run now keep their figures from the results file, with the date they were measured.
    const resultsFile = join(here, 'results', 'incidents.json');
    if (merge && existsSync(resultsFile)) {
      const previous = JSON.parse(readFileSync(resultsFile, 'utf8'));
      const was = (x) => previous.results?.measuredOn?.[x] ?? previous.date;
      const r = previous.results ?? {};
      if (!has('incidents') && r.incidents) {
        [incidents, controls, injections, measuredOn.incidents, shownTestDays, shownKinds] = [
          r.incidents,
          r.controls ?? {},
          r.injections ?? [],
          was('incidents'),
          previous.settings?.testDays ?? [],
          previous.settings?.kinds ?? kinds,
        ];
      }
      // --kinds with incidents run: the other kinds' injections stay as measured before, and the summary covers all of them.
      if (has('incidents') && listArgument('--kinds') !== null && Array.isArray(r.injections)) {
        const kept = r.injections.filter((i) => !kinds.includes(i.kind) && testDays.includes(i.day));
        if (kept.length > 0) {
          injections = [...kept, ...injections];
          incidents = summariseIncidents(injections);
          incidents.keptKinds = { measuredOn: was('incidents'), kinds: [...new Set(kept.map((i) => i.kind))] };
          shownKinds = [...new Set([...(previous.settings?.kinds ?? []), ...kinds])];
        }
      }
      if (!has('false-alarms') && r.falseAlarms) [falseAlarms, measuredOn['false-alarms']] = [r.falseAlarms, was('false-alarms')];
      if (!has('overhead') && r.overhead) [overheadResult, measuredOn.overhead] = [r.overhead, was('overhead')];
      if (!has('replay') && r.replay) [replayResult, measuredOn.replay] = [r.replay, was('replay')];
      productionsOut = { ...(r.productions ?? {}), ...productionsOut };
    }
    const at = (value, target, unit, higherIsBetter) => ({ value, target, unit, met: value !== null && (higherIsBetter ? value >= target : value <= target) });
    const targets = [];
    if (incidents !== null) {
      targets.push({
        name: 'material incidents (>= 1% of rows touched, or AUC moved beyond the gate margin) stopped at validation',
        ...at(incidents.overall.materialShare == null ? null : Math.round(incidents.overall.materialShare * 1000) / 10, 100, '%', true),
      });
      targets.push({
        name: 'incident kinds with every material injection stopped',
        ...at(incidents.overall.kindsFullyStopped, incidents.overall.kinds, 'kinds', true),
      });
    }
    if (falseAlarms !== null)
      targets.push({
        name: `false alarms: clean days ${falseAlarms.from}..${falseAlarms.to} with an error anomaly`,
        ...at(falseAlarms.daysWithErrors, 0, 'days', false),
      });
    if (overheadResult !== null)
      targets.push({
        name: 'validation overhead: history cached / history off (ct validate, shipped window)',
        ...at(overheadResult.cachedOverOff, 1.2, 'x', false),
      });
    if (replayResult !== null)
      targets.push({
        name: 'replay: gated mean next-week AUC with incidents - gated clean (paired steps)',
        ...at(replayResult.gatedDelta, -0.002, 'AUC', true),
      });
    if (replayResult !== null && replayResult.incidentsPromoted !== undefined)
      targets.push({
        name: `replay${replayResult.settings.update ? ' --update' : ''}: steps that promoted a model trained on their incident day`,
        ...at(replayResult.incidentsPromoted, 0, 'steps', false),
      });
    const builds = [
      ...new Set(
        [...injections.map((x) => x.build), ...Object.values(controls).map((x) => x.build), ...(falseAlarmDetails ?? []).map((x) => x.build)].filter(
          (x) => x !== undefined,
        ),
      ),
    ].sort();
    const skipped = Object.fromEntries(
      SECTIONS.filter((x) => measuredOn[x] === undefined).map((x) => [x, x === 'replay' ? 'run with --replay (about 25 minutes)' : 'not in --only']),
    );
    const report = {
      name: 'incidents',
      date: now,
      machine: machine(),
      runs: {
        testDays: incidents === null ? 0 : shownTestDays.length,
        injections: injections.length,
        falseAlarmDays: falseAlarms?.daysTested ?? 0,
        overhead: overheadResult === null ? 0 : overheadResult.off.runsMs.length || overheadResult.cached.runsMs.length,
        replay: replayResult === null ? 0 : 2,
      },
      settings: {
        quick,
        sections: Object.keys(measuredOn),
        testDays: shownTestDays,
        kinds: shownKinds,
        severities: quick ? [0.1, 1] : 'all of each kind',
        overheadRuns,
        config: 'ct.config.yaml (verbatim copy)',
        schema: 'data/flights/schema.json (copy)',
        days: DAYS,
        historyCache: HISTORY,
        stopped:
          "ct validate exit 1 with an error anomaly (kind:column) that the clean control of the same day does not have, or exit 2 with one line naming the newest partition (unreadable input, the spec's contract)",
        auc: "the production model (ct's dist: preprocessing.json, predictRows, rocAuc) on the day's rows with the day's own labels",
        falseAlarmModel: 'one production model for all days: ct run on 2001-01-01..2001-01-14',
      },
      results: {
        measuredOn,
        builds,
        productions: productionsOut,
        controls,
        incidents,
        injections,
        falseAlarms,
        overhead: overheadResult,
        replay: replayResult,
        seconds: Math.round((performance.now() - started) / 1000),
      },
      ...(Object.keys(skipped).length > 0 ? { skipped } : {}),
      targets,
    };
    mkdirSync(join(here, 'results'), { recursive: true });
    writeFileSync(resultsFile, `${JSON.stringify(report, null, 2)}\n`);
    printReport(report);
    console.log(`(${Math.round((performance.now() - started) / 1000)} s; bench/results/incidents.json)`);
  } finally {
    if (!keep) rmSync(work, { recursive: true, force: true });
    else process.stderr.write(`kept ${work}\n`);
  }
}

if (process.argv[2] === '--child' && process.argv[3] === 'auc') {
  await childAuc(process.argv[4], process.argv[5]);
} else {
  await main();
}
