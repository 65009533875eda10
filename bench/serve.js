#!/usr/bin/env node
/**
 * Serve benchmark: is `ct serve` a fast, steady production server for ct's models?
 *
 *   npm run build && npm run bench -- serve [--runs 5] [--duration 10] [--connections 16]
 *       [--soak-seconds 600] [--reloads 10] [--quick] [--reuse-models]
 *
 * The model: the shipped ct.config.yaml (the flight-delay network: embeddings, hashed
 * crosses, dense 64-64) trained by `ct run` in a temporary repository
 * (<os.tmpdir()>/ct-bench-serve/repo: data/flights with the real days 2001-01-01..01-14 of
 * flights-3m, bench/lib/flights-days.js; the committed schema), then 2001-01-15 added and
 * `ct run` again (with one lenient gate if the shipped gates block it), so the registry holds
 * two versions. Requests are rows of the next day, 2001-01-16, as JSON objects with the
 * columns of the daily CSV but the label (date, distance, origin, destination), cycled.
 *
 * Servers, side by side in the same run, each with the 2 cores:
 *   ct serve  `node bin/ct.js serve --workers 2` on the registry (--no-log for the comparison,
 *             its prediction log on for the hot reloads and the soak, as in production)
 *   peer      bench/peers/serve_peer.py: FastAPI + uvicorn (2 workers) + PyTorch (1 thread each)
 *             serving the same weights (read from the version's model.json and weights.bin)
 *             through a port of ct's preprocessing, at the same path with the same JSON shapes.
 * Before any load both answer the same 200 rows (one batch, and 20 rows one by one); their
 * probabilities must agree within 1e-4, or the benchmark stops (exit 1).
 *
 * Load: autocannon (programmatic, in this process, so it shares the 2 cores with the server
 * under test: the same for both), the same connections and duration for both; a short
 * warm-up of each server and kind first. Per run: single rows (one object a request) and
 * batches of 64 rows (an array a request), ct and the peer alternating which goes first.
 * Figures: 2xx responses per second, rows per second, latency p50 / p99 (autocannon's, whole
 * milliseconds); medians over the runs, and for ct/peer the median of the runs' throughput
 * ratios (each run measures both back to back). Each run also records the cores used by the
 * server, by the load generator and by every other process (from /proc: another benchmark or a
 * build on the 2 cores slows both sides and widens the spread, so it is reported, not hidden),
 * and the server's CPU milliseconds per answered request, which such contention changes little:
 * peer/ct of it is the throughput ratio the two would reach with the cores to themselves.
 *   hot reloads  under single-row load on ct serve (log on): production.json rewritten
 *                atomically (temp file + rename, as ct's registry writes it) to the other
 *                version, --reloads times; each swap waits until every worker has logged
 *                loading it (ct serve polls the pointer every serving.reloadSeconds). Counted:
 *                failed requests (non-2xx, errors, timeouts), swaps every worker applied, and
 *                the time from the rename to the last worker's swap.
 *   soak         ct serve (log on) under mixed load (3 single-row requests to 1 batch of 64)
 *                for --soak-seconds after a warm-up (60 s; --quick 5 s): the RSS of its process
 *                tree (primary and workers, VmRSS of /proc/<pid>/status) after warm-up, every
 *                few seconds, and at the end. RSS saws up and down by tens of MB as V8
 *                collects, so one sample at each end says more about where the sawtooth
 *                stood than about growth: the levels compared are the medians of the first
 *                and the last minute's samples, beside the least-squares slope (MB/min)
 *                and the single-sample ratio.
 * --quick: 1 run of 4 s, a 20 s soak, models reused when present (development only).
 * --reuse-models: serve the two versions an earlier run trained, instead of training afresh.
 *
 * Targets: ct serve >= 2x the peer's throughput at a lower p99, for single rows and for
 * batches of 64; 0 failed requests across the hot reloads, every reload applied by every
 * worker; soak RSS at the end <= 1.1x RSS after warm-up (the last minute's median against
 * the first minute's).
 * Writes bench/results/serve.json and prints a table.
 */
import autocannon from 'autocannon';
import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  createWriteStream,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearInterval, clearTimeout, setInterval, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { intArgument, machine, median, pad } from './lib/common.js';
import { daysBetween, flightsDays } from './lib/flights-days.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const BIN = join(root, 'bin/ct.js');
const PYTHON = '/usr/bin/python3';
const PEER = join(here, 'peers/serve_peer.py');
const CACHE = join(tmpdir(), 'ct-bench-serve');
const DAYS = join(CACHE, 'days');
const REPO = join(CACHE, 'repo');
const TRAIN_DAYS = daysBetween('2001-01-01', '2001-01-14');
const SECOND_DAY = '2001-01-15';
const TRAFFIC_DAY = '2001-01-16';
const WORKERS = 2;
const BATCH = 64;
const CHECK_ROWS = 200;
const TOLERANCE = 1e-4;
const SINGLE_BODIES = 4096;
const BATCH_BODIES = 256;

const quick = process.argv.includes('--quick');
const RUNS = intArgument('--runs', quick ? 1 : 5);
const DURATION = intArgument('--duration', quick ? 4 : 10);
const CONNECTIONS = intArgument('--connections', 16);
const SOAK_SECONDS = intArgument('--soak-seconds', quick ? 20 : 600);
const SOAK_WARMUP = quick ? 5 : 60;
const RELOADS = intArgument('--reloads', 10);
const WARMUP = Math.min(5, DURATION);
const reuseModels = quick || process.argv.includes('--reuse-models');

// ---------------------------------------------------------------- processes

/** `node bin/ct.js ...args` in `cwd`, to completion: { status, stderr }. */
function runCt(args, cwd) {
  const out = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' }, maxBuffer: 1 << 26 });
  return { status: out.status, stderr: out.stderr };
}

/** One HTTP request on a fresh connection: { status, text }; rejects after `timeoutMs`. */
function http(url, { method = 'GET', body = null, timeoutMs = 10_000 } = {}) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, agent: false, headers: body === null ? {} : { 'content-type': 'application/json' }, timeout: timeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const started = new Set();
// Servers run in process groups of their own, so one kill stops a primary and its workers.
process.on('exit', () => {
  for (const child of started) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

/**
 * Starts a server (`command args`) and waits until `ready(lines)` holds for its output (stdout and
 * stderr, written to `logFile` too); `onLine` hears every later line with the time it arrived.
 */
function startServer(name, command, args, { env = process.env, cwd = root, logFile, ready, timeoutMs = 120_000 }) {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  started.add(child);
  const log = createWriteStream(logFile);
  const lines = [];
  const server = { name, child, lines, listeners: new Set(), logFile, exited: null };
  let partial = '';
  const take = (chunk) => {
    log.write(chunk);
    partial += chunk;
    const parts = partial.split('\n');
    partial = parts.pop();
    for (const line of parts) {
      lines.push(line);
      for (const listener of server.listeners) listener(line, performance.now());
    }
  };
  child.stdout.setEncoding('utf8').on('data', take);
  child.stderr.setEncoding('utf8').on('data', take);
  server.exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve((server.exited = signal ?? code))));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs / 1000} s; its output is in ${logFile}`)), timeoutMs);
    const check = () => {
      if (server.exited !== null) {
        clearTimeout(timer);
        return reject(new Error(`${name} exited (${server.exited}) before it was ready:\n${lines.slice(-10).join('\n')}`));
      }
      if (ready(lines)) {
        clearTimeout(timer);
        return resolve(server);
      }
      setTimeout(check, 100);
    };
    check();
  });
}

async function stopServer(server) {
  if (server.exited === null) {
    process.kill(-server.child.pid, 'SIGTERM');
    const done = await Promise.race([server.exit.then(() => true), sleep(20_000).then(() => false)]);
    if (!done) process.kill(-server.child.pid, 'SIGKILL');
    await server.exit;
  }
  started.delete(server.child);
}

/** `ct serve` on the repository; waits until it listens and every worker has loaded the model. */
async function startCt(label, logArgs) {
  const port = await freePort();
  const loaded = /serve: \S+ \S+ loaded/;
  const server = await startServer(
    `ct serve (${label})`,
    process.execPath,
    [BIN, 'serve', '--config', join(REPO, 'ct.config.yaml'), '--port', String(port), '--host', '127.0.0.1', '--workers', String(WORKERS), ...logArgs],
    {
      cwd: REPO,
      logFile: join(CACHE, `ct-serve-${label}.log`),
      ready: (lines) => lines.some((l) => l.includes('listening on http://')) && lines.filter((l) => loaded.test(l)).length >= WORKERS,
    },
  );
  const url = /listening on (http:\/\/\S+)/.exec(server.lines.find((l) => l.includes('listening on http://')))[1];
  return { ...server, url, kind: 'ct' };
}

/** The peer on the production version; waits until both uvicorn workers have loaded it and it answers. */
async function startPeer(model, versionDir, threshold) {
  const port = await freePort();
  const server = await startServer('peer', PYTHON, [PEER, '--port', String(port), '--workers', String(WORKERS)], {
    env: { ...process.env, CT_PEER_MODEL: versionDir, CT_PEER_NAME: model, CT_PEER_THRESHOLD: String(threshold), PYTHONDONTWRITEBYTECODE: '1' },
    logFile: join(CACHE, 'peer.log'),
    // Counted in the whole output: two workers' lines can interleave on one line.
    ready: (lines) => lines.join('\n').split('peer worker ').length - 1 >= WORKERS,
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const ok = await http(`${url}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return { ...server, url, kind: 'peer' };
    await sleep(100);
  }
  throw new Error(`peer does not answer /healthz; its output is in ${server.logFile}`);
}

/** Pids of `pid` and all its descendants (from /proc/<pid>/stat). */
function processTree(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  const out = [];
  const walk = (p) => {
    out.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return out;
}

/** Summed VmRSS (MB) of a server's process tree. */
function rssMB(server) {
  let kb = 0;
  for (const pid of processTree(server.child.pid)) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch {
      // exited meanwhile
    }
  }
  return Math.round((kb / 1024) * 10) / 10;
}

// ---------------------------------------------------------------- the models

/** Hard link (same file system) or copy. */
function linkOrCopy(from, to) {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

function production(model) {
  return readFileSync(join(REPO, 'models', model, 'production.json'), 'utf8');
}

/**
 * Two versions of the shipped model in REPO's registry: trained on 2001-01-01..01-14, then with
 * 2001-01-15 added. Returns { model, threshold, versions: [{ version, pointer }] } (pointer: the
 * text of production.json pointing at the version).
 */
async function prepareModels() {
  const config = parse(readFileSync(join(root, 'ct.config.yaml'), 'utf8'));
  const model = config.name;
  const threshold = config.evaluation?.threshold ?? 0.5;
  const saved = join(REPO, 'bench-versions.json');
  if (reuseModels && existsSync(saved)) {
    const versions = JSON.parse(readFileSync(saved, 'utf8'));
    if (versions.length === 2 && versions.every((v) => existsSync(join(REPO, 'models', model, v.version)))) {
      process.stderr.write(`reusing the models in ${REPO}\n`);
      return { model, threshold, versions };
    }
  }
  await flightsDays(DAYS);
  rmSync(REPO, { recursive: true, force: true });
  const data = join(REPO, 'data/flights');
  mkdirSync(data, { recursive: true });
  for (const day of TRAIN_DAYS) linkOrCopy(join(DAYS, `${day}.csv`), join(data, `${day}.csv`));
  copyFileSync(join(root, 'data/flights/schema.json'), join(data, 'schema.json'));
  copyFileSync(join(root, 'ct.config.yaml'), join(REPO, 'ct.config.yaml'));
  const run = (configFile, what) => {
    process.stderr.write(`ct run (${what})\n`);
    const r = runCt(['run', '--config', join(REPO, configFile), '--out', join(REPO, 'out'), '--quiet'], REPO);
    if (r.status !== 0 && r.status !== 1) throw new Error(`ct run (${what}) exited with ${r.status}: ${r.stderr.trim().split('\n').at(-1)}`);
  };
  run('ct.config.yaml', `${TRAIN_DAYS[0]}..${TRAIN_DAYS.at(-1)}`);
  if (!existsSync(join(REPO, 'models', model, 'production.json'))) throw new Error('the first ct run promoted no model');
  const first = production(model);
  linkOrCopy(join(DAYS, `${SECOND_DAY}.csv`), join(data, `${SECOND_DAY}.csv`));
  run('ct.config.yaml', `with ${SECOND_DAY}`);
  if (JSON.parse(production(model)).version === JSON.parse(first).version) {
    // Blocked by the shipped gates: any second version will do for swapping.
    writeFileSync(join(REPO, 'ct.lenient.yaml'), stringify({ ...config, gates: [{ metric: 'auc', lowerBound: 0 }] }));
    run('ct.lenient.yaml', `with ${SECOND_DAY}, lenient gate`);
  }
  const second = production(model);
  if (JSON.parse(second).version === JSON.parse(first).version) throw new Error('could not promote a second version');
  const versions = [first, second].map((pointer) => ({ version: JSON.parse(pointer).version, pointer }));
  writeFileSync(saved, JSON.stringify(versions));
  return { model, threshold, versions };
}

/** Points production at `pointer` as ct's registry does: a temp file renamed over production.json. */
function swapProduction(model, pointer) {
  const file = join(REPO, 'models', model, 'production.json');
  writeFileSync(`${file}.bench-tmp`, pointer);
  renameSync(`${file}.bench-tmp`, file);
}

// ---------------------------------------------------------------- requests

/** Rows of the traffic day as JSON objects: the CSV's columns but the label. */
function trafficRows() {
  const [header, ...lines] = readFileSync(join(DAYS, `${TRAFFIC_DAY}.csv`), 'utf8')
    .trim()
    .split('\n');
  const names = header.split(',');
  return lines.map((line) => {
    const fields = line.split(',');
    const row = {};
    names.forEach((name, i) => {
      if (name === 'delay') return;
      row[name] = name === 'distance' ? Number(fields[i]) : fields[i];
    });
    return row;
  });
}

function predictPath(model) {
  return `/v1/models/${encodeURIComponent(model)}/predict`;
}

async function post(server, model, body) {
  const r = await http(`${server.url}${predictPath(model)}`, { method: 'POST', body: JSON.stringify(body) });
  if (r.status !== 200) throw new Error(`${server.name} answered ${r.status}: ${r.text.slice(0, 300)}`);
  return JSON.parse(r.text);
}

/** Both servers on the same rows, as one batch and one by one: probabilities within TOLERANCE, or throws. */
async function checkAgreement(ct, peer, model, rows, version) {
  const sample = rows.slice(0, CHECK_ROWS);
  const probabilities = async (server) => {
    const batch = await post(server, model, sample);
    if (batch.version !== version) throw new Error(`${server.name} serves ${batch.version}, production is ${version}`);
    const singles = [];
    for (const row of sample.slice(0, 20)) singles.push((await post(server, model, row)).probability);
    return { batch: batch.predictions.map((p) => p.probability), singles };
  };
  const a = await probabilities(ct);
  const b = await probabilities(peer);
  let worst = { diff: 0, row: -1 };
  const compare = (x, y, offset) =>
    x.forEach((p, i) => {
      const diff = Math.abs(p - y[i]);
      if (!(diff <= worst.diff)) worst = { diff, row: offset + i };
    });
  if (a.batch.length !== sample.length || b.batch.length !== sample.length) throw new Error('a server answered a different number of predictions');
  compare(a.batch, b.batch, 0);
  compare(a.singles, b.singles, 0);
  const rounded = { maxAbsDiff: Number(worst.diff.toExponential(2)), rows: sample.length, singles: a.singles.length, tolerance: TOLERANCE };
  if (!(worst.diff <= TOLERANCE)) {
    const row = worst.row;
    throw new Error(
      `ct serve and the peer disagree: |diff| ${worst.diff} > ${TOLERANCE} at row ${row + 1} ${JSON.stringify(sample[row])}: ct ${a.batch[row]}, peer ${b.batch[row]}`,
    );
  }
  return rounded;
}

// ---------------------------------------------------------------- load

/** Busy CPU seconds of the machine (/proc/stat, steal included) and of a server's process tree (USER_HZ = 100). */
function cpuSeconds(server) {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  let own = 0;
  for (const pid of processTree(server.child.pid)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      own += Number(fields[11]) + Number(fields[12]);
    } catch {
      // exited meanwhile
    }
  }
  return { busy: (user + nice + system + irq + softirq + steal) / 100, own: own / 100 };
}

/**
 * autocannon against `server` for `seconds` (or until `stop` is called on the returned
 * handle), cycling `bodies` across all connections. Resolves with autocannon's result and
 * the cores used meanwhile by the server, by this process (the load generator) and by
 * everything else on the machine (another benchmark, a build: it slows both sides).
 */
function load(server, model, bodies, seconds, onResponse) {
  let next = 0;
  const cpu = process.cpuUsage();
  const ticks = cpuSeconds(server);
  const t0 = performance.now();
  let instance;
  const result = new Promise((resolve, reject) => {
    instance = autocannon(
      {
        url: server.url,
        connections: CONNECTIONS,
        duration: seconds,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            path: predictPath(model),
            headers: { 'content-type': 'application/json' },
            setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }),
            ...(onResponse === undefined ? {} : { onResponse }),
          },
        ],
      },
      (error, res) => {
        if (error) return reject(error);
        const used = process.cpuUsage(cpu);
        const after = cpuSeconds(server);
        const elapsed = (performance.now() - t0) / 1000;
        const generator = (used.user + used.system) / 1e6;
        const own = after.own - ticks.own;
        resolve({
          res,
          serverCpuSeconds: own,
          cores: { server: own / elapsed, generator: generator / elapsed, other: Math.max(0, after.busy - ticks.busy - own - generator) / elapsed },
        });
      },
    );
  });
  return { result, stop: () => instance.stop() };
}

/** The figures of one load run; `rows` rows per request. */
function figures({ res, cores, serverCpuSeconds }, rows) {
  const rps = res['2xx'] / res.duration;
  return {
    seconds: res.duration,
    requests: res['2xx'] + res.non2xx,
    rps: Math.round(rps),
    rowsPerSecond: Math.round(rps * rows),
    p50: res.latency.p50,
    p99: res.latency.p99,
    max: res.latency.max,
    failed: res.non2xx + res.errors + res.timeouts,
    // The server's own CPU per answered request: what another process on the cores does not change much.
    cpuMsPerRequest: res['2xx'] === 0 ? null : Math.round((serverCpuSeconds / res['2xx']) * 1e6) / 1000,
    cores: Object.fromEntries(Object.entries(cores).map(([k, v]) => [k, Math.round(v * 100) / 100])),
  };
}

async function measure(server, model, kind, bodies, seconds) {
  const rows = kind === 'single' ? 1 : BATCH;
  const f = figures(await load(server, model, bodies[kind], seconds).result, rows);
  process.stderr.write(
    `  ${pad(server.name, 22)} ${pad(kind, 7)} ${pad(f.rps, 6, true)} req/s ${pad(f.rowsPerSecond, 7, true)} rows/s  p50 ${f.p50} ms  p99 ${f.p99} ms  failed ${f.failed}  CPU ${f.cpuMsPerRequest} ms/req  cores: server ${f.cores.server}, load ${f.cores.generator}, other ${f.cores.other}\n`,
  );
  return f;
}

/**
 * Single-row load on ct serve while production.json is swapped `count` times between the two
 * versions; each swap waits until every worker logged loading the new version.
 */
async function hotReloads(ct, model, bodies, versions) {
  let current = versions.findIndex((v) => v.version === JSON.parse(production(model)).version);
  const seen = new Map();
  const errorBodies = [];
  const onResponse = (status, body) => {
    const version = /"version":"([^"]+)"/.exec(body)?.[1] ?? '?';
    seen.set(version, (seen.get(version) ?? 0) + 1);
    if (status !== 200 && errorBodies.length < 5) errorBodies.push(`${status} ${body.slice(0, 200)}`);
  };
  const loaded = /serve: (\S+) (\S+) loaded/;
  const refused = [];
  let waiting = null;
  const listener = (line, at) => {
    if (/refused/.test(line)) refused.push(line);
    const m = loaded.exec(line);
    if (m && waiting !== null && m[2] === waiting.version) {
      waiting.count++;
      waiting.last = at;
      if (waiting.count >= WORKERS) waiting.resolve();
    }
  };
  ct.listeners.add(listener);
  const run = load(ct, model, bodies.single, 3600, onResponse);
  await sleep(2000);
  const swaps = [];
  for (let k = 0; k < RELOADS; k++) {
    current = 1 - current;
    const target = versions[current].version;
    const t = performance.now();
    const done = new Promise((resolve) => (waiting = { version: target, count: 0, last: null, resolve }));
    swapProduction(model, versions[current].pointer);
    const applied = await Promise.race([done.then(() => true), sleep(30_000).then(() => false)]);
    swaps.push({ version: target, workers: waiting.count, applied, ms: waiting.last === null ? null : Math.round(waiting.last - t) });
    waiting = null;
    await sleep(1000);
  }
  await sleep(1000);
  run.stop();
  const f = figures(await run.result, 1);
  ct.listeners.delete(listener);
  return {
    reloads: RELOADS,
    applied: swaps.filter((s) => s.applied).length,
    swapMs: swaps.map((s) => s.ms),
    medianSwapMs: median(swaps.filter((s) => s.ms !== null).map((s) => s.ms)),
    maxSwapMs: swaps.some((s) => s.ms === null) ? null : Math.max(...swaps.map((s) => s.ms)),
    ...f,
    versionsSeen: Object.fromEntries(seen),
    refused,
    errorBodies,
  };
}

/** Mixed load on ct serve: warm-up, then the soak with its RSS sampled. */
async function soak(ct, model, bodies) {
  const mixed = [];
  for (let i = 0; i < bodies.batch.length; i++) mixed.push(bodies.single[3 * i], bodies.single[3 * i + 1], bodies.single[3 * i + 2], bodies.batch[i]);
  process.stderr.write(`soak: warm-up ${SOAK_WARMUP} s, then ${SOAK_SECONDS} s of mixed load on ${ct.name}\n`);
  await load(ct, model, mixed, SOAK_WARMUP).result;
  const warm = rssMB(ct);
  const samples = [{ s: 0, mb: warm }];
  const t0 = performance.now();
  const every = Math.max(1, Math.min(10, Math.round(SOAK_SECONDS / 60)));
  const timer = setInterval(() => samples.push({ s: Math.round((performance.now() - t0) / 1000), mb: rssMB(ct) }), every * 1000);
  const f = figures(await load(ct, model, mixed, SOAK_SECONDS).result, (3 + BATCH) / 4);
  clearInterval(timer);
  const end = rssMB(ct);
  samples.push({ s: Math.round((performance.now() - t0) / 1000), mb: end });
  const levels = rssLevels(samples, Math.min(60, SOAK_SECONDS / 4));
  return {
    seconds: SOAK_SECONDS,
    warmupSeconds: SOAK_WARMUP,
    warmRssMB: warm,
    endRssMB: end,
    peakRssMB: Math.max(...samples.map((s) => s.mb)),
    ...levels,
    ratio: Math.round((levels.lastMinuteMedianMB / levels.firstMinuteMedianMB) * 1000) / 1000,
    singleSampleRatio: Math.round((end / warm) * 1000) / 1000,
    ...f,
    samples,
  };
}

/**
 * Where RSS stood at the start and at the end of the soak, through V8's sawtooth: the
 * medians of the samples in the first and the last `window` seconds, and the least-squares
 * slope over all samples in MB per minute (a leak shows as a slope, not as one high sample).
 */
function rssLevels(samples, window) {
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const last = samples.at(-1).s;
  const n = samples.length;
  const mx = samples.reduce((a, p) => a + p.s, 0) / n;
  const my = samples.reduce((a, p) => a + p.mb, 0) / n;
  const sxx = samples.reduce((a, p) => a + (p.s - mx) ** 2, 0);
  const slope = sxx === 0 ? 0 : samples.reduce((a, p) => a + (p.s - mx) * (p.mb - my), 0) / sxx;
  return {
    firstMinuteMedianMB: median(samples.filter((p) => p.s <= window).map((p) => p.mb)),
    lastMinuteMedianMB: median(samples.filter((p) => p.s >= last - window).map((p) => p.mb)),
    slopeMBPerMinute: Math.round(slope * 60 * 100) / 100,
  };
}

/** The size (MB) of the files under `dir`. */
function folderMB(dir) {
  if (!existsSync(dir)) return 0;
  let bytes = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else bytes += statSync(join(d, e.name)).size;
    }
  };
  walk(dir);
  return Math.round((bytes / 2 ** 20) * 10) / 10;
}

/** Whether GET /metrics answers with ct's counters within 10 s. */
async function metricsCheck(ct) {
  const t = performance.now();
  try {
    const r = await http(`${ct.url}/metrics`);
    const ok = r.status === 200 && r.text.includes('ct_serve_requests_total');
    return { ok, ms: Math.round(performance.now() - t), note: ok ? null : r.text.trim().split('\n')[0].slice(0, 160) };
  } catch (error) {
    return { ok: false, ms: Math.round(performance.now() - t), note: String(error) };
  }
}

// ---------------------------------------------------------------- main

function prerequisites() {
  if (!existsSync(join(root, 'dist/pipeline/serve.js'))) {
    console.error('dist/ is missing or has no ct serve: compile first with `npm run build`');
    process.exit(2);
  }
  const help = spawnSync(process.execPath, [BIN, 'serve', '--help'], { encoding: 'utf8' });
  if (help.status !== 0 || !help.stdout.includes('--workers')) {
    console.error(`\`ct serve --help\` failed (${help.status}): ${(help.stderr || help.stdout).trim().split('\n').at(-1)}`);
    process.exit(2);
  }
  const py = spawnSync(PYTHON, ['-c', 'import fastapi, uvicorn, torch, numpy'], { encoding: 'utf8' });
  if (py.status !== 0) {
    console.error(`the peer needs FastAPI, uvicorn and PyTorch for ${PYTHON} (${py.stderr.trim().split('\n').at(-1) ?? py.error}).`);
    console.error('install them with: apt-get install -y python3-fastapi python3-uvicorn python3-torch');
    process.exit(2);
  }
  const stack = spawnSync(
    PYTHON,
    [
      '-c',
      'import importlib.util as u, fastapi, uvicorn, torch; print(fastapi.__version__, uvicorn.__version__, torch.__version__, "uvloop" if u.find_spec("uvloop") else "asyncio", "httptools" if u.find_spec("httptools") else "h11")',
    ],
    { encoding: 'utf8' },
  );
  const [fastapi, uvicorn, torch, loop, http] = stack.stdout.trim().split(' ');
  return { fastapi, uvicorn, torch, loop, http };
}

async function main() {
  const peerStack = prerequisites();
  mkdirSync(CACHE, { recursive: true });
  const load1 = loadavg()[0];
  const { model, threshold, versions } = await prepareModels();
  const productionVersion = JSON.parse(production(model)).version;
  const versionDir = join(REPO, 'models', model, productionVersion);
  const rows = trafficRows();
  const bodies = {
    single: rows.slice(0, SINGLE_BODIES).map((r) => JSON.stringify(r)),
    batch: Array.from({ length: BATCH_BODIES }, (_, i) => JSON.stringify(Array.from({ length: BATCH }, (_, k) => rows[(i * BATCH + k) % rows.length]))),
  };

  process.stderr.write(`starting ct serve (--no-log) and the peer on ${productionVersion}\n`);
  const peer = await startPeer(model, versionDir, threshold);
  let ct = await startCt('no-log', ['--no-log']);
  const agreement = await checkAgreement(ct, peer, model, rows, productionVersion);
  process.stderr.write(`agreement: ${agreement.rows} rows as a batch and ${agreement.singles} one by one, max |diff| ${agreement.maxAbsDiff}\n`);

  const kinds = ['single', 'batch'];
  const servers = [ct, peer];
  process.stderr.write(`warm-up: ${WARMUP} s per server and kind\n`);
  for (const server of servers) for (const kind of kinds) await load(server, model, bodies[kind], WARMUP).result;
  const runs = [];
  for (let run = 1; run <= RUNS; run++) {
    process.stderr.write(`run ${run}/${RUNS}: ${DURATION} s each, ${CONNECTIONS} connections\n`);
    const measured = { ct: {}, peer: {} };
    // Alternate who goes first: a drift of the machine (another process, heat) falls on both.
    for (const server of run % 2 === 1 ? servers : [...servers].reverse()) {
      for (const kind of kinds) measured[server.kind][kind] = await measure(server, model, kind, bodies, DURATION);
    }
    runs.push(measured);
  }
  const rssAfterLoad = { ct: rssMB(ct), peer: rssMB(peer) };
  await stopServer(peer);
  await stopServer(ct);

  // Production settings from here on: the prediction log on.
  const logDir = join(CACHE, 'predictions');
  rmSync(logDir, { recursive: true, force: true });
  ct = await startCt('log', ['--log-dir', logDir]);
  process.stderr.write(`hot reloads: ${RELOADS} swaps of production under single-row load on ${ct.name}\n`);
  const reloads = await hotReloads(ct, model, bodies, versions);
  process.stderr.write(
    `  ${reloads.applied}/${reloads.reloads} applied by every worker, median ${reloads.medianSwapMs} ms; failed requests ${reloads.failed}\n`,
  );
  process.stderr.write(`log on: single rows, ${DURATION} s\n`);
  const logged = await measure(ct, model, 'single', bodies, DURATION);
  const soaked = await soak(ct, model, bodies);
  const metrics = await metricsCheck(ct);
  await stopServer(ct);
  soaked.predictionLogMB = folderMB(logDir);

  const med = (who, kind, key) => median(runs.map((r) => r[who][kind][key]));
  const summary = Object.fromEntries(
    kinds.map((kind) => {
      const side = (who) => ({
        rps: med(who, kind, 'rps'),
        rowsPerSecond: med(who, kind, 'rowsPerSecond'),
        p50: med(who, kind, 'p50'),
        p99: med(who, kind, 'p99'),
        failed: runs.reduce((s, r) => s + r[who][kind].failed, 0),
        cpuMsPerRequest: med(who, kind, 'cpuMsPerRequest'),
        serverCores: median(runs.map((r) => r[who][kind].cores.server)),
        otherCores: median(runs.map((r) => r[who][kind].cores.other)),
      });
      const c = side('ct');
      const p = side('peer');
      // Each run measures ct and the peer back to back: the median of the runs' ratios is steadier than a ratio of medians.
      const ratio = (f) => Math.round(median(runs.map(f)) * 100) / 100;
      return [
        kind,
        {
          ct: c,
          peer: p,
          ratio: ratio((r) => r.ct[kind].rps / r.peer[kind].rps),
          // The peer's CPU per request over ct's: the throughput ratio the two would reach with the cores to themselves.
          cpuRatio: ratio((r) => r.peer[kind].cpuMsPerRequest / r.ct[kind].cpuMsPerRequest),
        },
      ];
    }),
  );
  const at = (value, target, unit, met) => ({ value, target, unit, met });
  const targets = [
    { name: 'single rows: ct serve throughput / peer throughput', ...at(summary.single.ratio, 2, 'x', summary.single.ratio >= 2) },
    {
      name: 'single rows: ct serve p99 below the peer p99',
      ...at(summary.single.ct.p99, summary.single.peer.p99, 'ms', summary.single.ct.p99 < summary.single.peer.p99),
    },
    { name: `batches of ${BATCH}: ct serve throughput / peer throughput`, ...at(summary.batch.ratio, 2, 'x', summary.batch.ratio >= 2) },
    {
      name: `batches of ${BATCH}: ct serve p99 below the peer p99`,
      ...at(summary.batch.ct.p99, summary.batch.peer.p99, 'ms', summary.batch.ct.p99 < summary.batch.peer.p99),
    },
    { name: `failed requests during ${RELOADS} hot reloads`, ...at(reloads.failed, 0, 'requests', reloads.failed === 0) },
    { name: 'hot reloads applied by every worker', ...at(reloads.applied, RELOADS, 'reloads', reloads.applied === RELOADS) },
    {
      name: `soak ${SOAK_SECONDS} s: RSS at the end / RSS after warm-up (medians of the last and the first minute)`,
      ...at(soaked.ratio, 1.1, 'ratio', soaked.ratio <= 1.1),
    },
  ];
  const report = {
    name: 'serve',
    date: new Date().toISOString(),
    machine: machine(),
    runs: RUNS,
    settings: {
      quick,
      durationSeconds: DURATION,
      warmupSeconds: WARMUP,
      connections: CONNECTIONS,
      workers: WORKERS,
      batchRows: BATCH,
      soakSeconds: SOAK_SECONDS,
      soakWarmupSeconds: SOAK_WARMUP,
      reloads: RELOADS,
      model,
      versions: versions.map((v) => v.version),
      servedForComparison: productionVersion,
      trainDays: `${TRAIN_DAYS[0]}..${TRAIN_DAYS.at(-1)} (+ ${SECOND_DAY})`,
      trafficDay: TRAFFIC_DAY,
      requestBodies: { single: bodies.single.length, batch: bodies.batch.length },
      ct: `node bin/ct.js serve --workers ${WORKERS} (--no-log for the comparison; log on for reloads and soak)`,
      peer: { script: 'bench/peers/serve_peer.py', workers: WORKERS, torchThreads: 1, ...peerStack },
      loadGenerator: 'autocannon (in the benchmark process, on the same cores)',
      // Another process on the 2 cores slows both servers and the load generator: look here first when figures jump.
      loadavgAtStart: Math.round(load1 * 100) / 100,
      loadavgAtEnd: Math.round(loadavg()[0] * 100) / 100,
    },
    results: {
      agreement,
      summary,
      runs,
      rssAfterLoadMB: rssAfterLoad,
      logOnSingle: logged,
      reloads,
      soak: soaked,
      metricsEndpoint: metrics,
    },
    targets,
  };
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'serve.json'), `${JSON.stringify(report, null, 2)}\n`);
  print(report);
}

function print(report) {
  const { settings: s, results: r } = report;
  console.log(
    `serve benchmark: ${s.model} ${s.servedForComparison}, ${s.connections} connections, ${s.durationSeconds} s a run, ${report.runs} run(s) (medians), ${report.machine.cores} cores, Node ${process.version}${s.quick ? ' (--quick)' : ''}`,
  );
  console.log(
    `peer: FastAPI ${s.peer.fastapi} + uvicorn ${s.peer.uvicorn} (${s.peer.loop}, ${s.peer.http}) + torch ${s.peer.torch}, ${s.peer.workers} workers x 1 thread`,
  );
  console.log(`agreement: ${r.agreement.rows} rows, max |ct - peer| ${r.agreement.maxAbsDiff} (tolerance ${r.agreement.tolerance})`);
  console.log(
    `${pad('', 12)}${pad('ct req/s', 10, true)}${pad('rows/s', 9, true)}${pad('p50', 6, true)}${pad('p99', 6, true)}${pad('peer req/s', 12, true)}${pad('rows/s', 9, true)}${pad('p50', 6, true)}${pad('p99', 6, true)}${pad('ct/peer', 9, true)}${pad('CPU ms/req ct', 15, true)}${pad('peer', 7, true)}${pad('peer/ct', 9, true)}`,
  );
  for (const [kind, x] of Object.entries(r.summary)) {
    console.log(
      `${pad(kind === 'single' ? 'single row' : `batch ${s.batchRows}`, 12)}${pad(x.ct.rps, 10, true)}${pad(x.ct.rowsPerSecond, 9, true)}${pad(x.ct.p50, 6, true)}${pad(x.ct.p99, 6, true)}${pad(x.peer.rps, 12, true)}${pad(x.peer.rowsPerSecond, 9, true)}${pad(x.peer.p50, 6, true)}${pad(x.peer.p99, 6, true)}${pad(`${x.ratio}x`, 9, true)}${pad(x.ct.cpuMsPerRequest, 15, true)}${pad(x.peer.cpuMsPerRequest, 7, true)}${pad(`${x.cpuRatio}x`, 9, true)}`,
    );
  }
  const other = Object.values(r.summary).flatMap((x) => [x.ct.otherCores, x.peer.otherCores]);
  console.log(
    `latency in ms; ct/peer: the median of the runs' req/s ratios; CPU ms/req: the server's processes' CPU per 2xx answer; cores used by other processes during the runs (median per kind and server): ${Math.min(...other)}..${Math.max(...other)}`,
  );
  console.log(`RSS after the load runs: ct serve ${r.rssAfterLoadMB.ct} MB, peer ${r.rssAfterLoadMB.peer} MB (process trees)`);
  console.log(`ct serve with its prediction log on, single rows: ${r.logOnSingle.rps} req/s, p99 ${r.logOnSingle.p99} ms`);
  const rl = r.reloads;
  console.log(
    `hot reloads: ${rl.applied}/${rl.reloads} applied by every worker (median ${rl.medianSwapMs} ms, max ${rl.maxSwapMs} ms from rename to the last worker); ${rl.requests} requests, ${rl.failed} failed, p99 ${rl.p99} ms`,
  );
  const so = r.soak;
  console.log(
    `soak: ${so.seconds} s mixed load, ${so.rps} req/s, ${so.failed} failed; RSS median ${so.firstMinuteMedianMB} MB in the first minute, ${so.lastMinuteMedianMB} MB in the last (slope ${so.slopeMBPerMinute} MB/min; single samples ${so.warmRssMB} -> ${so.endRssMB} MB, ${so.singleSampleRatio}x; peak ${so.peakRssMB} MB); prediction log ${so.predictionLogMB} MB`,
  );
  console.log(`GET /metrics: ${r.metricsEndpoint.ok ? 'ok' : `not ok (${r.metricsEndpoint.note})`} in ${r.metricsEndpoint.ms} ms`);
  console.log('targets:');
  for (const t of report.targets) console.log(`  ${t.met ? 'met ' : 'MISS'}  ${t.name}: ${t.value ?? 'n/a'} ${t.unit} (target ${t.target ?? 'n/a'})`);
}

try {
  await main();
} catch (error) {
  console.error(`serve benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
for (const child of started) {
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}
