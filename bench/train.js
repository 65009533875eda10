#!/usr/bin/env node
/**
 * Training benchmark: ct's training code on the reference flights model of SPEC.md,
 * against PyTorch and scikit-learn's HistGradientBoosting in the same run.
 *
 *   npx tsc -p tsconfig.build.json && npm run bench -- train [--runs 3] [--cpu-runs 1] [--hgb-runs 1]
 *   npm run bench -- train --profile [--backend wasm]
 *
 * Data: all flights-3m rows of 2001-01-01..01-28 for training (458,388) and of
 * 2001-01-29..02-04 for testing (115,321), exported once from
 * node_modules/vega-datasets/data/flights-3m.parquet into <os.tmpdir()>/ct-bench-train as
 * train.csv / test.csv in the format of shared/peers/export_flights.mjs. Every engine
 * reads those two files, so all see the same rows.
 *
 * Engines, each run a fresh child process:
 *   ct-<backend>  ct's own code, compiled in dist/: the reference model as a config
 *                 checked by checkConfig (embeddings origin 16, destination 16, hour 8,
 *                 day of week 4, log1p distance z-scored; dense 64 relu, 64 relu,
 *                 sigmoid; Adam 1e-3, batch 512, 3 epochs, no validation split, seed
 *                 42), fitPreprocessing + encodeTable on the training rows,
 *                 buildModel/compileModel, fitModel, then predictRows + rocAuc on the
 *                 test rows. Backends: fused (ct's WebAssembly SIMD training step on two
 *                 threads, src/train/fused/), wasm and cpu (TF.js op by op: selectBackend,
 *                 ct's fast kernels registered); tensorflow (tfjs-node) when it loads, else reported as
 *                 unavailable with the reason. Timed: fitModel only (not reading,
 *                 encoding or building the model). samples/s = rows x epochs / seconds.
 *   torch         bench/peers/peers.py torch: PyTorch MLP, same architecture, 2 threads
 *   torch1        the same with 1 thread. With another process on one of the 2 cores,
 *                 PyTorch's 2 threads stall each other (10-20x slower, seen here), so
 *                 the speed target compares ct with the faster of the two in each run.
 *   hgb           bench/peers/peers.py hgb: HistGradientBoosting, 200 iterations
 *                 (deterministic: its AUC is the same every run, so it runs --hgb-runs
 *                 times, default 1)
 *   shipped       the shipped ct.config.yaml as users run it: `node bin/ct.js train`
 *                 with a temp copy whose data section points at daily partitions
 *                 2001-01-01..02-04 (written once by scripts/flights-partitions.mjs),
 *                 window from/to that range, time split evaluationDays 7; everything
 *                 else as shipped (validationFraction 0.1, backend auto, ...). Then
 *                 `node bin/ct.js evaluate` scores it on the newest 7 days (= the test
 *                 window). Timed: the wall clock of `ct train` (reading, training,
 *                 saving, statistics: what a user waits for); training.json's epoch
 *                 seconds are reported beside it.
 * The cpu backend takes about a minute per run, so it runs --cpu-runs times (default 1)
 * to keep the default benchmark near 6 minutes; the others run --runs times, round-robin.
 * Ratios are medians of run-by-run ratios (run r of one engine against run r of the other).
 * Peak RSS: process.resourceUsage().maxRSS of the child (ct train: through a preloaded
 * exit hook; Python: getrusage).
 *
 * --profile: instead of the benchmark, one ct training run on the best available backend
 * under the V8 CPU profiler (started just before fitModel, stopped just after), saved as
 * <tmp>/ct-bench-train/train-<backend>.cpuprofile (open it in Chrome DevTools), and a
 * summary of self time by function and by component (docs/training-speed.md).
 *
 * Writes bench/results/train.json (SPEC.md "Benchmarks (contract)") and prints a table.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
const PEERS = join(here, 'peers/peers.py');
const PYTHON = '/usr/bin/python3';
const CACHE = join(tmpdir(), 'ct-bench-train');
const TRAIN_CSV = join(CACHE, 'train.csv');
const TEST_CSV = join(CACHE, 'test.csv');
const PARTITIONS = join(CACHE, 'partitions');
const SHIPPED_CONFIG = join(CACHE, 'ct.config.yaml');
/** [from, to) in epoch ms; the CSV's and the Parquet file's wall-clock times are read as UTC. */
const TRAIN_WINDOW = [Date.UTC(2001, 0, 1), Date.UTC(2001, 0, 29)];
const TEST_WINDOW = [Date.UTC(2001, 0, 29), Date.UTC(2001, 1, 5)];
const FIRST_DAY = '2001-01-01';
const LAST_DAY = '2001-02-04';
const BACKENDS = ['fused', 'tensorflow', 'wasm', 'cpu'];

/** The reference model of SPEC.md as a ct config (checked by checkConfig in the child). */
function referenceConfig(backend) {
  return {
    name: 'flights-reference',
    task: 'binary',
    data: { path: TRAIN_CSV, timestamp: 'date', split: { method: 'time', evaluationDays: 7 } },
    label: 'delay > 15',
    features: [
      { name: 'origin', column: 'origin', embedding: 16 },
      { name: 'destination', column: 'destination', embedding: 16 },
      { name: 'hour', column: 'date', transform: 'hourOfDay', embedding: 8 },
      { name: 'day_of_week', column: 'date', transform: 'dayOfWeek', embedding: 4 },
      { name: 'log_distance', column: 'distance', transform: 'log1p' },
    ],
    model: { hidden: [64, 64], activation: 'relu' },
    training: { backend, optimizer: 'adam', learningRate: 0.001, batchSize: 512, epochs: 3, seed: 42, validationFraction: 0 },
    gates: [{ metric: 'auc', lowerBound: 0.5 }],
  };
}

// ---------------------------------------------------------------- child: ct on one backend

async function ctTrain(backend, profile) {
  const { readTable } = await import(dist('data/read.js'));
  const { checkConfig } = await import(dist('config/load.js'));
  const { fitPreprocessing, encodeTable, labelledRows } = await import(dist('features/preprocessing.js'));
  const { buildModel, compileModel } = await import(dist('train/model.js'));
  const { fitModel } = await import(dist('train/loop.js'));
  const { predictRows } = await import(dist('train/predict.js'));
  const { selectBackend } = await import(dist('train/backend.js'));
  const { rocAuc } = await import(dist('evaluate/metrics.js'));
  const tf = await import('../dist/tf.js');
  tf.enableProdMode(); // as the ct CLI does

  const config = checkConfig('bench/train.js', referenceConfig(backend));
  let info;
  try {
    info = await selectBackend(backend);
  } catch (error) {
    return { unavailable: error.message };
  }

  let start = performance.now();
  const train = await readTable(TRAIN_CSV);
  const test = await readTable(TEST_CSV);
  const loadMs = performance.now() - start;

  start = performance.now();
  const preprocessing = fitPreprocessing(train, config);
  const encoded = encodeTable(train, preprocessing);
  const rows = labelledRows(encoded);
  const model = buildModel(preprocessing, config.model, config.training.seed);
  compileModel(model, config.task, config.training);
  const prepareMs = performance.now() - start;

  const profiler = profile ? await startProfiler() : null;
  start = performance.now();
  const fit = await fitModel(model, encoded, rows, new Int32Array(0), { task: config.task, training: config.training, threshold: 0.5, classWeights: null });
  const trainSeconds = (performance.now() - start) / 1000;
  const cpuProfile = profiler === null ? null : await profiler.stop();

  start = performance.now();
  const encodedTest = encodeTable(test, preprocessing);
  const testRows = labelledRows(encodedTest);
  const scores = predictRows(model, encodedTest, testRows);
  const labels = Float32Array.from(testRows, (i) => encodedTest.labels[i]);
  const auc = rocAuc(labels, scores);
  const predictMs = performance.now() - start;
  const samples = rows.length * fit.epochs;
  return {
    backend: info.name,
    fastKernels: info.fastKernels,
    rows: rows.length,
    testRows: testRows.length,
    epochs: fit.epochs,
    steps: Math.ceil(rows.length / config.training.batchSize) * fit.epochs,
    trainSeconds,
    samplesPerSecond: samples / trainSeconds,
    auc,
    finalLoss: fit.history.at(-1).loss,
    epochSeconds: fit.history.map((h) => h.seconds),
    loadMs,
    prepareMs,
    predictMs,
    parameters: model.countParams(),
    ...(cpuProfile === null ? {} : { cpuProfile }),
  };
}

/** The V8 sampling profiler through node:inspector, around one piece of work. */
async function startProfiler() {
  const { Session } = await import('node:inspector');
  const session = new Session();
  session.connect();
  const post = (method, params = {}) => new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  return {
    async stop() {
      const { profile } = await post('Profiler.stop');
      session.disconnect();
      const file = join(CACHE, `train-${(await import('../dist/tf.js')).getBackend()}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      return { file, summary: summariseProfile(profile) };
    },
  };
}

/** Which part of the stack a profile node's code belongs to. */
function componentOf(frame) {
  const { url, functionName } = frame;
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)' || functionName === '(idle)' || functionName === '(root)') return 'V8/native, unattributed';
  if (url.startsWith('wasm://') || /^(\$|wasm-function)/.test(functionName)) return 'WASM kernels (compiled C++)';
  for (const [part, name] of [
    ['tfjs-layers', 'TF.js layers (model graph, training step)'],
    ['tfjs-core', 'TF.js core (engine, tensors, tape, gradients)'],
    ['tfjs-backend-wasm', 'TF.js wasm backend (JS side of kernels)'],
    ['tfjs-backend-cpu', 'TF.js cpu backend (JS kernels)'],
    ['/dist/', 'ct (training loop, batches, fast kernels)'],
  ]) {
    if (url.includes(part)) return name;
  }
  return url === '' || url.startsWith('node:') ? 'Node.js internals' : 'other JS';
}

function summariseProfile(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map(profile.nodes.map((n) => [n.id, 0]));
  for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i], self.get(profile.samples[i]) + (profile.timeDeltas[i] ?? 0));
  const totalUs = [...self.values()].reduce((a, b) => a + b, 0);
  const functions = new Map();
  const components = new Map();
  for (const [id, us] of self) {
    if (us === 0) continue;
    const { callFrame } = byId.get(id);
    const file = callFrame.url.split('/').slice(-1)[0] || callFrame.url;
    const key = `${callFrame.functionName || '(anonymous)'} ${file}${callFrame.url ? `:${callFrame.lineNumber + 1}` : ''}`;
    const entry = functions.get(key) ?? { function: key, component: componentOf(callFrame), ms: 0 };
    entry.ms += us / 1000;
    functions.set(key, entry);
    const component = componentOf(callFrame);
    components.set(component, (components.get(component) ?? 0) + us / 1000);
  }
  const share = (ms) => Math.round((ms / (totalUs / 1000)) * 1000) / 10;
  return {
    totalMs: Math.round(totalUs / 1000),
    components: [...components].sort((a, b) => b[1] - a[1]).map(([component, ms]) => ({ component, ms: Math.round(ms), percent: share(ms) })),
    topSelf: [...functions.values()]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 30)
      .map((f) => ({ ...f, ms: Math.round(f.ms), percent: share(f.ms) })),
  };
}

async function child(engine, backend, profile) {
  const result = await ctTrain(backend, profile);
  // maxRSS is in KiB on Linux and macOS.
  process.stdout.write(`${JSON.stringify({ ...result, peakRssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
}

// ---------------------------------------------------------------- parent: inputs

/** train.csv / test.csv (format of shared/peers/export_flights.mjs), streamed from the Parquet file once. */
async function writeCsvOnce() {
  if (existsSync(TRAIN_CSV) && existsSync(TEST_CSV)) return;
  process.stderr.write(`writing train.csv and test.csv into ${CACHE} (once)\n`);
  await writeFlightsCsv([
    { path: TRAIN_CSV, window: TRAIN_WINDOW },
    { path: TEST_CSV, window: TEST_WINDOW },
  ]);
}

function dayList(from, to) {
  const days = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/**
 * Daily partitions for the shipped config (scripts/flights-partitions.mjs), and a temp
 * copy of ct.config.yaml whose data section points at them; the rest as shipped.
 */
async function writeShippedInputsOnce() {
  if (!dayList(FIRST_DAY, LAST_DAY).every((d) => existsSync(join(PARTITIONS, `${d}.parquet`)))) {
    process.stderr.write(`writing daily partitions ${FIRST_DAY}..${LAST_DAY} into ${PARTITIONS} (once)\n`);
    rmSync(PARTITIONS, { recursive: true, force: true });
    const out = spawnSync(
      process.execPath,
      [join(root, 'scripts/flights-partitions.mjs'), '--from', FIRST_DAY, '--to', LAST_DAY, '--out', PARTITIONS, '--source', PARQUET],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    if (out.status !== 0) throw new Error(`scripts/flights-partitions.mjs failed (exit ${out.status}):\n${out.stderr}`);
  }
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(readFileSync(join(root, 'ct.config.yaml'), 'utf8'));
  doc.set(
    'data',
    doc.createNode({
      path: PARTITIONS,
      timestamp: 'date',
      window: { from: FIRST_DAY, to: LAST_DAY },
      split: { method: 'time', evaluationDays: 7 },
    }),
  );
  writeFileSync(SHIPPED_CONFIG, `# bench/train.js: ct.config.yaml with the data section replaced (written on every run)\n${doc.toString()}`);
  return doc.toJS();
}

// ---------------------------------------------------------------- parent: engines

function runCtChild(backend, profile = false) {
  const self = fileURLToPath(import.meta.url);
  const args = [self, '--child', 'ct', backend, ...(profile ? ['--profile'] : [])];
  const out = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (out.status !== 0) throw new Error(`ct on ${backend} failed (exit ${out.status}):\n${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').at(-1));
}

/** Why the peers cannot run here, or null when they can. */
function peersMissing() {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  const probe = spawnSync(PYTHON, ['-c', 'import torch, sklearn, pandas'], { encoding: 'utf8' });
  return probe.status === 0 ? null : (probe.stderr.trim().split('\n').at(-1) ?? 'import failed');
}

/** peers.py prints `json: {...}` after the original line. */
function runPeer(kind) {
  const out = spawnSync(PYTHON, [PEERS, CACHE, kind], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (out.status !== 0) throw new Error(`peer ${kind} failed (exit ${out.status}):\n${out.stderr}`);
  const line = out.stdout.split('\n').find((l) => l.startsWith('json: '));
  if (line === undefined) throw new Error(`peer ${kind} printed no result:\n${out.stdout}`);
  const r = JSON.parse(line.slice('json: '.length));
  return {
    name: r.name,
    rows: r.rows,
    testRows: r.test_rows,
    trainSeconds: r.train_s,
    samplesPerSecond: r.samples_per_s,
    auc: r.auc,
    peakRssMB: r.peak_rss_mb,
  };
}

/** Prints the peak RSS of the ct process on exit (stderr), without touching ct. */
const RSS_HOOK = `data:text/javascript,${encodeURIComponent(
  'process.on("exit", () => process.stderr.write("\\nct-bench-peak-rss-mb=" + process.resourceUsage().maxRSS / 1024 + "\\n"));',
)}`;

/** One `ct <verb>` as a user runs it; wall time includes starting Node and loading modules. */
function runCt(verb, outDir) {
  const start = performance.now();
  const out = spawnSync(process.execPath, ['--import', RSS_HOOK, join(root, 'bin/ct.js'), verb, '--config', SHIPPED_CONFIG, '--out', outDir, '--json'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const seconds = (performance.now() - start) / 1000;
  // evaluate exits 1 when a gate fails; its result is still the evaluation.
  if (out.status !== 0 && !(verb === 'evaluate' && out.status === 1)) throw new Error(`ct ${verb} failed (exit ${out.status}):\n${out.stderr}`);
  const rss = /ct-bench-peak-rss-mb=([0-9.]+)/.exec(out.stderr);
  return { seconds, result: JSON.parse(out.stdout), peakRssMB: rss === null ? null : Number(rss[1]) };
}

function runShipped() {
  const outDir = join(CACHE, 'shipped-out');
  rmSync(outDir, { recursive: true, force: true });
  const train = runCt('train', outDir);
  const evaluate = runCt('evaluate', outDir);
  const record = train.result;
  rmSync(outDir, { recursive: true, force: true });
  return {
    backend: record.backend.name,
    rows: record.data.rows.train,
    validationRows: record.data.rows.validation,
    testRows: evaluate.result.rows,
    wallSeconds: train.seconds,
    trainSeconds: train.seconds,
    loopSeconds: record.timing.epochs.reduce((s, h) => s + h.seconds, 0),
    durationSeconds: record.timing.durationSeconds,
    samplesPerSecond: record.timing.samplesPerSecond,
    auc: evaluate.result.candidate.metrics.auc,
    evaluateSeconds: evaluate.seconds,
    peakRssMB: train.peakRssMB,
    evaluatePeakRssMB: evaluate.peakRssMB,
  };
}

// ---------------------------------------------------------------- parent: report

const round = (x, digits = 0) => (x === null || x === undefined ? null : Math.round(x * 10 ** digits) / 10 ** digits);

function summarise(samples) {
  const pick = (key) => samples.map((s) => s[key]).filter((v) => v !== undefined && v !== null);
  const med = (key, digits) => (pick(key).length === 0 ? undefined : round(median(pick(key)), digits));
  const out = {
    runs: samples.length,
    rows: samples[0].rows,
    testRows: samples[0].testRows,
    trainSeconds: med('trainSeconds', 2),
    samplesPerSecond: med('samplesPerSecond'),
    auc: med('auc', 4),
    peakRssMB: med('peakRssMB'),
    runsTrainSeconds: pick('trainSeconds').map((v) => round(v, 2)),
    runsSamplesPerSecond: pick('samplesPerSecond').map((v) => round(v)),
    runsAuc: pick('auc').map((v) => round(v, 4)),
  };
  for (const key of ['backend', 'fastKernels', 'epochs', 'steps', 'parameters', 'name', 'validationRows']) {
    if (samples[0][key] !== undefined) out[key] = samples[0][key];
  }
  for (const [key, digits] of [
    ['loadMs', 0],
    ['prepareMs', 0],
    ['predictMs', 0],
    ['finalLoss', 4],
    ['loopSeconds', 2],
    ['durationSeconds', 2],
    ['evaluateSeconds', 2],
    ['evaluatePeakRssMB', 0],
  ]) {
    const v = med(key, digits);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

function checkDist() {
  for (const path of ['train/loop.js', 'train/backend.js', 'features/preprocessing.js', 'data/stream.js', 'cli/main.js', 'evaluate/metrics.js']) {
    if (!existsSync(join(root, 'dist', path))) {
      console.error(`dist/${path} is missing: compile first with \`npx tsc -p tsconfig.build.json\``);
      process.exit(2);
    }
  }
}

/** The fastest backend that loads, by a probe run of nothing but selectBackend. */
function availableBackends() {
  const available = [];
  const unavailable = {};
  for (const backend of BACKENDS) {
    const probe = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `
      const { selectBackend } = await import(${JSON.stringify(dist('train/backend.js'))});
      try { const i = await selectBackend(${JSON.stringify(backend)}); console.log(JSON.stringify({ name: i.name })); }
      catch (e) { console.log(JSON.stringify({ error: e.message })); }`,
      ],
      { cwd: root, encoding: 'utf8' },
    );
    const r = JSON.parse(probe.stdout.trim().split('\n').at(-1) || '{"error":"probe failed"}');
    // `fused` trains with ct's own step and runs the rest on the best TF.js backend.
    if (r.name === backend || (backend === 'fused' && r.name !== undefined)) available.push(backend);
    else unavailable[backend] = r.error ?? `selectBackend gave ${r.name}`;
  }
  return { available, unavailable };
}

async function profileOnly() {
  checkDist();
  await writeCsvOnce();
  const at = process.argv.indexOf('--backend');
  const backend = at > 0 ? process.argv[at + 1] : availableBackends().available[0];
  process.stderr.write(`profiling one ct training run on ${backend}\n`);
  const r = runCtChild(backend, true);
  const { summary, file } = r.cpuProfile;
  const msPerStep = (ms) => (ms / r.steps).toFixed(2);
  console.log(
    `CPU profile of fitModel on ${r.backend} (${r.steps} steps of 512, ${r.trainSeconds.toFixed(1)} s, ${Math.round(r.samplesPerSecond)} samples/s): ${file}`,
  );
  console.log(`sampled ${summary.totalMs} ms = ${msPerStep(summary.totalMs)} ms per step`);
  console.log('self time by component:');
  for (const c of summary.components)
    console.log(`  ${pad(c.component, 48)}${pad(c.ms, 8, true)} ms${pad(c.percent.toFixed(1), 7, true)} %${pad(msPerStep(c.ms), 8, true)} ms/step`);
  console.log('top self time by function:');
  for (const f of summary.topSelf) console.log(`  ${pad(f.ms, 7, true)} ms ${pad(f.percent.toFixed(1), 5, true)} %  ${f.function}  [${f.component}]`);
}

async function main() {
  const runs = intArgument('--runs', 3, 0);
  const cpuRuns = Math.min(intArgument('--cpu-runs', 1, 0), runs);
  const hgbRuns = Math.min(intArgument('--hgb-runs', 1, 0), runs);
  if (runs < 1) {
    console.error('--runs: expected a whole number >= 1');
    process.exit(2);
  }
  checkDist();
  await writeCsvOnce();
  const shippedConfig = await writeShippedInputsOnce();
  const missing = peersMissing();
  if (missing !== null) {
    console.error(`Python peers skipped (${missing}): install Debian's packages with`);
    console.error('  apt-get update && apt-get install -y python3-torch python3-sklearn python3-pandas');
  }
  const { available, unavailable } = availableBackends();

  /** Engine name -> [runs, run once]. */
  const engines = {};
  for (const backend of available) engines[`ct-${backend}`] = [backend === 'cpu' ? cpuRuns : runs, () => runCtChild(backend)];
  if (missing === null) {
    engines.torch = [runs, () => runPeer('torch')];
    engines.torch1 = [runs, () => runPeer('torch1')];
    engines.hgb = [hgbRuns, () => runPeer('hgb')];
  }
  engines.shipped = [runs, runShipped];

  // Round-robin: run r of every engine before run r + 1, so a noisy minute hits all engines alike.
  const samples = Object.fromEntries(Object.keys(engines).map((name) => [name, []]));
  const started = performance.now();
  for (let r = 0; r < runs; r++) {
    for (const [name, [n, run]] of Object.entries(engines)) {
      if (r >= n) continue;
      process.stderr.write(`\rrun ${r + 1}/${runs}: ${name} (${Math.round((performance.now() - started) / 1000)} s so far)          `);
      samples[name].push(run());
    }
  }
  process.stderr.write('\n');
  const results = Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, summarise(s)]));
  for (const [backend, reason] of Object.entries(unavailable)) results[`ct-${backend}`] = { unavailable: reason };

  // Best backend: highest median samples/s among those that ran.
  const ctEngines = available.map((b) => `ct-${b}`);
  const best = ctEngines.reduce((a, b) => (a === null || results[b].samplesPerSecond > results[a].samplesPerSecond ? b : a), null);
  /** Median over runs of (a's run r / b's run r), on the runs both have. */
  const pairwise = (a, b, key) => {
    const n = Math.min(samples[a]?.length ?? 0, samples[b]?.length ?? 0);
    if (n === 0) return null;
    return round(median(Array.from({ length: n }, (_, r) => samples[a][r][key] / samples[b][r][key])), 3);
  };
  // PyTorch's speed in run r: the faster of its 2-thread and 1-thread runs.
  if (samples.torch !== undefined) {
    samples.torchBest = samples.torch.map((t, r) => (samples.torch1[r].samplesPerSecond > t.samplesPerSecond ? samples.torch1[r] : t));
  }
  const comparisons = {};
  for (const e of ctEngines) {
    comparisons[`${e} / torch (2 threads) samples/s`] = pairwise(e, 'torch', 'samplesPerSecond');
    comparisons[`${e} / torch1 (1 thread) samples/s`] = pairwise(e, 'torch1', 'samplesPerSecond');
    comparisons[`${e} / faster torch samples/s`] = pairwise(e, 'torchBest', 'samplesPerSecond');
  }
  comparisons['shipped AUC - hgb AUC'] = results.hgb ? round(results.shipped.auc - results.hgb.auc, 4) : null;
  comparisons[`${best} AUC - torch AUC`] = results.torch ? round(results[best].auc - results.torch.auc, 4) : null;

  const ratio = comparisons[`${best} / faster torch samples/s`];
  const targets = [
    {
      name: `ct training samples/s on the best backend (${best.slice(3)}) >= 1.5 x PyTorch's (faster of 2 threads / 1 thread, same run)`,
      value: ratio,
      target: 1.5,
      unit: 'x',
      met: ratio !== null && ratio >= 1.5,
    },
    {
      name: 'shipped config test AUC > HistGradientBoosting test AUC (same run)',
      value: results.shipped.auc,
      target: results.hgb?.auc ?? null,
      unit: 'AUC',
      met: results.hgb !== undefined && results.shipped.auc > results.hgb.auc,
    },
    {
      name: 'shipped config `ct train` seconds (wall clock) <= 10',
      value: results.shipped.trainSeconds,
      target: 10,
      unit: 's',
      met: results.shipped.trainSeconds <= 10,
    },
  ];
  // The fused step against TF.js's own training of the same model (the reference path).
  const reference = ['ct-wasm', 'ct-tensorflow', 'ct-cpu'].find((e) => results[e]?.auc !== undefined);
  if (results['ct-fused']?.auc !== undefined && reference !== undefined) {
    const delta = round(results['ct-fused'].auc - results[reference].auc, 4);
    comparisons[`ct-fused AUC - ${reference} AUC`] = delta;
    targets.push({
      name: `fused step test AUC within 0.003 of TF.js training (${reference.slice(3)}), same model, data and seed`,
      value: delta,
      target: 0.003,
      unit: 'AUC',
      met: Math.abs(delta) <= 0.003,
    });
  }
  const report = {
    name: 'train',
    date: new Date().toISOString(),
    machine: machine(),
    runs,
    cpuRuns,
    hgbRuns,
    inputs: {
      parquet: PARQUET,
      train: { file: TRAIN_CSV, window: '2001-01-01..2001-01-28' },
      test: { file: TEST_CSV, window: '2001-01-29..2001-02-04' },
      shipped: { config: SHIPPED_CONFIG, data: shippedConfig.data, training: shippedConfig.training },
    },
    model:
      'embeddings origin 16, destination 16, hour 8, day of week 4, log1p distance z-scored; dense 64 relu, 64 relu, 1 sigmoid; Adam 1e-3, batch 512, 3 epochs',
    bestBackend: best.slice(3),
    results,
    comparisons,
    ...(missing === null
      ? {}
      : { skipped: { torch: missing, torch1: missing, hgb: missing, install: 'apt-get install -y python3-torch python3-sklearn python3-pandas' } }),
    benchmarkSeconds: round((performance.now() - started) / 1000),
    targets,
  };
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'train.json'), `${JSON.stringify(report, null, 2)}\n`);

  console.log(
    `train benchmark: flights 2001-01-01..01-28 (train) / 01-29..02-04 (test), ${runs} runs (ct-cpu: ${cpuRuns}, hgb: ${hgbRuns}), medians, ${report.machine.cores} cores, Node ${process.version}`,
  );
  console.log(
    `${pad('engine', 14)}${pad('backend', 11)}${pad('train rows', 11, true)}${pad('train s', 9, true)}${pad('samples/s', 11, true)}${pad('test AUC', 10, true)}${pad('peak RSS MB', 13, true)}  runs (train s)`,
  );
  for (const [name, r] of Object.entries(results)) {
    if (r.unavailable !== undefined) {
      console.log(`${pad(name, 14)}unavailable: ${r.unavailable}`);
      continue;
    }
    const backend = r.backend ?? (name === 'torch' ? 'pytorch x2' : name === 'torch1' ? 'pytorch x1' : 'sklearn');
    const extra =
      name === 'shipped'
        ? `  (ct train wall clock; epochs ${r.loopSeconds} s, ${r.rows} rows + ${r.validationRows} validation; ct evaluate ${r.evaluateSeconds} s)`
        : '';
    console.log(
      `${pad(name, 14)}${pad(backend, 11)}${pad(r.rows, 11, true)}${pad(r.trainSeconds.toFixed(2), 9, true)}${pad(r.samplesPerSecond, 11, true)}${pad(r.auc.toFixed(4), 10, true)}${pad(r.peakRssMB, 13, true)}  ${r.runsTrainSeconds.join(' ')}${extra}`,
    );
  }
  if (missing !== null) console.log(`torch, torch1, hgb: skipped (${missing}); apt-get install -y python3-torch python3-sklearn python3-pandas`);
  console.log('comparisons (ratios: median of run-by-run ratios):');
  for (const [name, value] of Object.entries(comparisons)) console.log(`  ${name}: ${value ?? 'n/a'}`);
  console.log('targets:');
  for (const t of targets) console.log(`  ${t.met ? 'met   ' : 'missed'}  ${t.name}: ${t.value ?? 'n/a'} ${t.unit} (target ${t.target ?? 'n/a'})`);
  console.log(`(${report.benchmarkSeconds} s in all)`);
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4], process.argv.includes('--profile'));
} else if (process.argv.includes('--profile')) {
  await profileOnly();
} else {
  await main();
}
