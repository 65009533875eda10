#!/usr/bin/env node
/**
 * Replay benchmark: does ct's gated continuous-training policy pay on real data?
 *
 *   npx tsc -p tsconfig.build.json && npm run bench -- replay [--runs 1] [--skip-peers]
 *
 * ct: `ct replay` with the shipped config (ct.config.yaml: the flight-delay model, its
 * gates, time split with the newest 3 days for evaluation), a 28-day training window,
 * weekly steps 2001-01-29 .. 2001-06-25 (22 weeks), over daily partitions of all of
 * node_modules/vega-datasets/data/flights-3m.parquet (2001-01-01..06-30, written once by
 * scripts/flights-partitions.mjs into <os.tmpdir()>/ct-bench-replay/flights). At each
 * step ct validates, trains, evaluates against production, gates and promotes into a
 * temporary registry; the model each policy serves is scored on the next week:
 * gated (the config's policy), never (the first model) and always (every candidate).
 *
 * Peers, in the same run, on the same rows (a CSV export of the same Parquet file):
 *   bench/peers/decay.py  HistGradientBoosting trained on 2001-01-01..01-28 and never
 *                         retrained ("static"), and retrained weekly on the 28 days
 *                         before each week ("weekly")
 *   bench/peers/gated.py  a naive gate: the candidate trained on [S-35, S-7) replaces
 *                         production when its AUC on the newest week [S-7, S) is higher
 * All run one after the other (2 cores: running them side by side would slow each).
 *
 * ct runs the replay twice per run: `full` (every step `ct run`: a full retrain) and
 * `update` (`ct replay --update`: every step after the first `ct update`, an online update
 * of production on the days since its training data, from its weights; a full retrain
 * when training.warmStart says one is due). For each: the policies' means, runner
 * minutes, training seconds, the blocked candidates that scored higher the next week than
 * the production kept, and the "perfect chooser" (each week the better of the candidate
 * and the kept production).
 *
 * Targets (issue 8, full mode): ct gated mean next-week AUC >= the peer's weekly-retrained
 * mean; ct gated >= ct never + 0.015; the whole ct replay (peers excluded) under 4 minutes.
 * Targets (issue 22, update mode, the policy ct recommends): gated >= always; gated captures
 * at least half of what the perfect chooser gains over always; gated >= 0.7004 and >= never
 * + 0.02; at most 1 in 4 blocked candidates a next-week winner; updates' gated mean >= full
 * retraining's - 0.002 at <= 20% of its training seconds (training.json's, and the train
 * stage's wall time, which also loads the parent and saves the model with its statistics),
 * compared step by step: the steps where the update policy ran an update against full
 * retrains of the same weeks (the policy's totals, with its first full training, are
 * reported beside).
 * Writes bench/results/replay.json and prints a table.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { intArgument, machine, median, pad } from './lib/common.js';
import { FLIGHTS_PARQUET, writeFlightsCsv } from './lib/flights.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const CACHE = join(tmpdir(), 'ct-bench-replay');
const PARTITIONS = join(CACHE, 'flights');
const CSV = join(CACHE, 'flights-3m.csv');
const PYTHON = '/usr/bin/python3';
const FROM = '2001-01-29';
const TO = '2001-06-25';
const WINDOW_DAYS = 28;
const LIMIT_MINUTES = 4;

async function inputsOnce() {
  const days = existsSync(PARTITIONS) ? readdirSync(PARTITIONS).filter((f) => f.endsWith('.parquet')).length : 0;
  if (days < 181) {
    process.stderr.write(`writing daily partitions of flights-3m into ${PARTITIONS} (once)\n`);
    const out = spawnSync(
      process.execPath,
      [join(root, 'scripts/flights-partitions.mjs'), '--from', '2001-01-01', '--to', '2001-06-30', '--out', PARTITIONS, '--source', FLIGHTS_PARQUET],
      { encoding: 'utf8' },
    );
    if (out.status !== 0) throw new Error(`flights-partitions failed: ${out.stderr}`);
  }
  if (!existsSync(CSV)) {
    process.stderr.write(`writing ${CSV} for the peers (once)\n`);
    await writeFlightsCsv([{ rows: 3_000_000, path: CSV }]);
  }
}

/** One `ct replay` (`mode` full or update) in a child process: wall time, peak RSS (GNU time) and replay.json. */
function runCt(run, mode) {
  const out = join(CACHE, `out-${mode}-${run}`);
  const timeFile = join(CACHE, `time-${mode}-${run}.txt`);
  rmSync(out, { recursive: true, force: true });
  // Every run starts cold, as a first replay does: no partition profiles or verdicts cached
  // (validation.history.cache, .ct/history beside the config, under external-<hash of the data path>).
  rmSync(join(root, '.ct/history', `external-${createHash('sha256').update(PARTITIONS).digest('hex').slice(0, 16)}`), { recursive: true, force: true });
  const args = [
    '-f',
    '%e %M',
    '-o',
    timeFile,
    process.execPath,
    join(root, 'bin/ct.js'),
    'replay',
    '--config',
    join(root, 'ct.config.yaml'),
    '--data',
    PARTITIONS,
    '--from',
    FROM,
    '--to',
    TO,
    '--every',
    '7d',
    '--window-days',
    String(WINDOW_DAYS),
    '--out',
    out,
    ...(mode === 'update' ? ['--update'] : []),
  ];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // The replay's own step lines (with its ETA) show as it goes.
    const child = spawn('/usr/bin/time', args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`ct replay exited with ${code}`));
      const [, kb] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
      const result = JSON.parse(readFileSync(join(out, 'replay', 'replay.json'), 'utf8'));
      resolve({ seconds: (performance.now() - started) / 1000, peakRssMB: Math.round(kb / 1024), result, report: join(out, 'replay', 'replay.md') });
    });
  });
}

function runPeer(script) {
  const started = performance.now();
  const out = spawnSync(PYTHON, [join(here, 'peers', script), CSV], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (out.status !== 0) throw new Error(`${script} failed: ${out.stderr.trim().split('\n').at(-1)}`);
  return { seconds: (performance.now() - started) / 1000, stdout: out.stdout };
}

/** decay.py: "week_start static_auc weekly_retrained_auc positive_rate" lines. */
function parseDecay(stdout) {
  const weeks = [];
  for (const line of stdout.split('\n')) {
    const m = /^(\d{4}-\d{2}-\d{2})\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)/.exec(line);
    if (m) weeks.push({ week: m[1], static: Number(m[2]), weekly: Number(m[3]), positiveRate: Number(m[4]) });
  }
  return weeks;
}

/** gated.py: "<date> served_auc=<x>" lines. */
function parseGated(stdout) {
  const weeks = [];
  for (const line of stdout.split('\n')) {
    const m = /^(\d{4}-\d{2}-\d{2}) served_auc=([\d.]+)/.exec(line);
    if (m) weeks.push({ week: m[1], served: Number(m[2]) });
  }
  const promotions = /promotions (\d+)\/(\d+)/.exec(stdout);
  return { weeks, promotions: promotions ? Number(promotions[1]) : null };
}

/**
 * An update's cost against a full retrain's, in one run of each mode: the training seconds
 * of the steps where the update policy ran an update (a warm start), and of the
 * full-retraining run on the same weeks. The policy totals also count its first step, a
 * full training because nothing is in production yet, and the full retrains it chose; they
 * are reported beside (trainSeconds).
 */
function pairedUpdateCost(fullSteps, updateSteps) {
  const full = new Map(fullSteps.map((s) => [s.date, s]));
  const weeks = updateSteps.filter((s) => s.start === 'warm' && s.trainSeconds !== null && full.get(s.date)?.trainSeconds != null);
  const fullOf = weeks.map((s) => full.get(s.date));
  const sum = (steps, of) => steps.reduce((t, s) => t + of(s), 0);
  const train = (s) => s.trainSeconds;
  const stage = (s) => s.cost.train;
  const r1 = (x) => Math.round(x * 10) / 10;
  return {
    steps: weeks.length,
    update: { trainSeconds: r1(sum(weeks, train)), trainStageSeconds: r1(sum(weeks, stage)) },
    full: { trainSeconds: r1(sum(fullOf, train)), trainStageSeconds: r1(sum(fullOf, stage)) },
    trainRatio: r4(sum(weeks, train) / sum(fullOf, train)),
    stageRatio: r4(sum(weeks, stage) / sum(fullOf, stage)),
  };
}

/**
 * One mode's runs: medians of the means and times, and from the last run its steps, the
 * blocked candidates that won the next week, the perfect chooser and its runner minutes.
 */
function summarise(runs) {
  const last = runs.at(-1).result;
  const steps = last.steps;
  const blocked = steps.filter((s) => s.stoppedAt !== null && s.scores.always !== null && s.scores.gated !== null);
  const winners = blocked.filter((s) => s.scores.always > s.scores.gated);
  const perfect = mean(steps.map((s) => Math.max(s.scores.always ?? -Infinity, s.scores.gated ?? -Infinity)).filter(Number.isFinite));
  const means = Object.fromEntries(['never', 'always', 'gated'].map((p) => [p, r4(median(runs.map((r) => r.result.policies[p].mean)))]));
  return {
    runs: runs.map((r) => ({
      seconds: Math.round(r.seconds),
      peakRssMB: r.peakRssMB,
      means: Object.fromEntries(Object.entries(r.result.policies).map(([p, x]) => [p, r4(x.mean)])),
    })),
    medianSeconds: Math.round(median(runs.map((r) => r.seconds))),
    medianPeakRssMB: Math.round(median(runs.map((r) => r.peakRssMB))),
    means,
    perfect: r4(perfect),
    capture: perfect > means.always ? r4((means.gated - means.always) / (perfect - means.always)) : null,
    promotions: last.policies.gated.changes,
    blocked: blocked.length,
    blockedWinners: winners.length,
    blockedWinnerShare: blocked.length === 0 ? 0 : r4(winners.length / blocked.length),
    // Training time as training.json records it (encoding and the epochs), and the train stage's wall time (also loading the parent, saving, the statistics).
    trainSeconds: median(runs.map((r) => r.result.steps.reduce((sum, s) => sum + (s.trainSeconds ?? 0), 0))),
    trainStageSeconds: median(runs.map((r) => r.result.steps.reduce((sum, s) => sum + s.cost.train, 0))),
    runnerMinutes: Object.fromEntries(['never', 'always', 'gated'].map((p) => [p, Math.round((last.policies[p].runnerSeconds / 60) * 10) / 10])),
    warmSteps: steps.filter((s) => s.start === 'warm').length,
    steps: steps.map((s) => ({
      week: s.date,
      never: r4(s.scores.never),
      always: r4(s.scores.always),
      gated: r4(s.scores.gated),
      start: s.start,
      delta: s.delta === null ? null : r4(s.delta.value),
      promoted: s.promoted,
      stoppedAt: s.stoppedAt,
      reasons: s.reasons,
      seconds: Math.round(s.seconds),
      trainSeconds: s.trainSeconds === null ? null : Math.round(s.trainSeconds * 10) / 10,
      trainStageSeconds: Math.round(s.cost.train * 10) / 10,
    })),
    report: runs.at(-1).report,
  };
}

const mean = (xs) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
const r4 = (x) => (x === null ? null : Math.round(x * 10000) / 10000);

async function main() {
  if (!existsSync(join(root, 'dist/pipeline/replay.js'))) {
    console.error('dist/ is missing or stale: compile first with `npx tsc -p tsconfig.build.json`');
    process.exit(2);
  }
  const runs = intArgument('--runs', 1);
  const skipPeers = process.argv.includes('--skip-peers');
  mkdirSync(CACHE, { recursive: true });
  await inputsOnce();

  const ctRuns = { full: [], update: [] };
  for (let run = 1; run <= runs; run++) {
    for (const mode of ['full', 'update']) {
      process.stderr.write(`ct replay (${mode}), run ${run}/${runs}\n`);
      ctRuns[mode].push(await runCt(run, mode));
    }
  }
  let decay = null;
  let gated = null;
  if (!skipPeers) {
    process.stderr.write('peer: decay.py (HistGradientBoosting, never retrained and retrained weekly)\n');
    const d = runPeer('decay.py');
    decay = { seconds: d.seconds, weeks: parseDecay(d.stdout) };
    process.stderr.write('peer: gated.py (HistGradientBoosting behind a newest-week gate)\n');
    const g = runPeer('gated.py');
    gated = { seconds: g.seconds, ...parseGated(g.stdout) };
  }

  const ct = summarise(ctRuns.full);
  const update = summarise(ctRuns.update);
  const last = ctRuns.full.at(-1).result;
  const peers = skipPeers
    ? null
    : {
        hgbStatic: r4(mean(decay.weeks.map((w) => w.static))),
        hgbWeekly: r4(mean(decay.weeks.map((w) => w.weekly))),
        hgbGated: r4(mean(gated.weeks.map((w) => w.served))),
        hgbGatedPromotions: gated.promotions,
        weeks: decay.weeks.length,
        seconds: { decay: Math.round(decay.seconds), gated: Math.round(gated.seconds) },
      };
  // Per run (a full and an update replay run back to back), then the median of the runs' ratios.
  const pairedRuns = ctRuns.full.map((f, i) => pairedUpdateCost(f.result.steps, ctRuns.update[i].result.steps));
  const paired = {
    runs: pairedRuns,
    trainRatio: r4(median(pairedRuns.map((p) => p.trainRatio))),
    stageRatio: r4(median(pairedRuns.map((p) => p.stageRatio))),
  };
  update.pairedCost = paired;
  const at = (value, target, unit, higherIsBetter) => ({
    value,
    target,
    unit,
    met: value !== null && target !== null && (higherIsBetter ? value >= target : value <= target),
  });
  const targets = [
    { name: 'ct gated mean next-week AUC >= peer HGB retrained weekly', ...at(ct.means.gated, peers?.hgbWeekly ?? null, 'AUC', true) },
    { name: 'ct gated mean next-week AUC >= ct never-retrain + 0.015', ...at(r4(ct.means.gated - ct.means.never), 0.015, 'AUC', true) },
    { name: `whole ct replay < ${LIMIT_MINUTES} minutes`, ...at(Math.round((ct.medianSeconds / 60) * 10) / 10, LIMIT_MINUTES, 'min', false) },
    { name: 'updates: gated - always', ...at(r4(update.means.gated - update.means.always), 0, 'AUC', true) },
    { name: "updates: share of the perfect chooser's gain over always that gated captures", ...at(update.capture, 0.5, '', true) },
    { name: 'updates: gated mean next-week AUC', ...at(update.means.gated, 0.7004, 'AUC', true) },
    { name: 'updates: gated - never', ...at(r4(update.means.gated - update.means.never), 0.02, 'AUC', true) },
    { name: 'updates: blocked candidates that won the next week', ...at(update.blockedWinnerShare, 0.25, 'share', false) },
    { name: 'updates: gated - full retraining gated', ...at(r4(update.means.gated - ct.means.gated), -0.002, 'AUC', true) },
    {
      name: 'updates: training seconds of the steps that ran an update / full retraining on the same steps (median of runs)',
      ...at(paired.trainRatio, 0.2, 'ratio', false),
    },
    {
      name: 'updates: train stage seconds of the steps that ran an update / full retraining on the same steps (median of runs)',
      ...at(paired.stageRatio, 0.2, 'ratio', false),
    },
  ];
  const report = {
    name: 'replay',
    date: new Date().toISOString(),
    machine: machine(),
    runs,
    settings: { from: FROM, to: TO, every: '7d', windowDays: WINDOW_DAYS, config: 'ct.config.yaml', data: PARTITIONS, csv: CSV },
    ct,
    update,
    peers,
    targets,
  };
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', 'replay.json'), `${JSON.stringify(report, null, 2)}\n`);

  console.log(
    `replay benchmark: weekly steps ${FROM}..${TO} (${last.steps.length} weeks), ${WINDOW_DAYS}-day window, shipped config; ${runs} ct run(s), ${report.machine.cores} cores, Node ${process.version}`,
  );
  const peerWeek = new Map((decay?.weeks ?? []).map((w) => [w.week, w]));
  const gatedWeek = new Map((gated?.weeks ?? []).map((w) => [w.week, w]));
  console.log(
    `${pad('week', 12)}${pad('ct never', 10, true)}${pad('ct always', 11, true)}${pad('ct gated', 10, true)}${pad('hgb static', 12, true)}${pad('hgb weekly', 12, true)}${pad('hgb gated', 11, true)}  ct gated pipeline`,
  );
  const f = (x) => (x === null || x === undefined ? 'n/a' : x.toFixed(4));
  for (const s of ct.steps) {
    const p = peerWeek.get(s.week);
    const what = s.stoppedAt === null ? (s.promoted ? 'promoted' : 'unchanged') : `${s.stoppedAt}: ${s.reasons[0] ?? ''}`.slice(0, 70);
    console.log(
      `${pad(s.week, 12)}${pad(f(s.never), 10, true)}${pad(f(s.always), 11, true)}${pad(f(s.gated), 10, true)}${pad(f(p?.static), 12, true)}${pad(f(p?.weekly), 12, true)}${pad(f(gatedWeek.get(s.week)?.served), 11, true)}  ${what}`,
    );
  }
  console.log(
    `${pad('mean', 12)}${pad(f(ct.means.never), 10, true)}${pad(f(ct.means.always), 11, true)}${pad(f(ct.means.gated), 10, true)}${pad(f(peers?.hgbStatic), 12, true)}${pad(f(peers?.hgbWeekly), 12, true)}${pad(f(peers?.hgbGated), 11, true)}`,
  );
  console.log(
    `ct replay: ${ct.runs.map((r) => `${r.seconds} s`).join(', ')} (median ${(ct.medianSeconds / 60).toFixed(1)} min), peak RSS ${ct.medianPeakRssMB} MB, ${ct.promotions} promotion(s) after the first model; report ${ct.report}`,
  );
  console.log(
    `ct replay --update: ${update.runs.map((r) => `${r.seconds} s`).join(', ')}; means never ${f(update.means.never)}, always ${f(update.means.always)}, gated ${f(update.means.gated)}, perfect chooser ${f(update.perfect)}; ${update.promotions} promotion(s)`,
  );
  for (const [name, m] of [
    ['full', ct],
    ['update', update],
  ]) {
    console.log(
      `  ${pad(name, 7)} training ${m.trainSeconds.toFixed(1)} s (train stage ${m.trainStageSeconds.toFixed(1)} s); runner minutes gated ${m.runnerMinutes.gated}, always ${m.runnerMinutes.always}, never ${m.runnerMinutes.never}; blocked ${m.blocked}, of them next-week winners ${m.blockedWinners}; warm starts ${m.warmSteps}`,
    );
  }
  for (const [i, p] of update.pairedCost.runs.entries())
    console.log(
      `  run ${i + 1}: the ${p.steps} steps that ran an update: training ${p.update.trainSeconds} s against ${p.full.trainSeconds} s for full retrains of the same weeks (${p.trainRatio}; train stage ${p.update.trainStageSeconds} s against ${p.full.trainStageSeconds} s, ${p.stageRatio})`,
    );
  if (peers !== null) console.log(`peers: decay.py ${peers.seconds.decay} s, gated.py ${peers.seconds.gated} s (${peers.hgbGatedPromotions} promotions)`);
  console.log('targets:');
  for (const t of targets) console.log(`  ${t.met ? 'met ' : 'MISS'}  ${t.name}: ${t.value ?? 'n/a'} ${t.unit} (target ${t.target ?? 'n/a'})`);
}

await main();
