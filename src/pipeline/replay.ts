/**
 * `ct replay`: backtests the continuous-training policy of the config over historical
 * daily partitions. At each step the step's data has "arrived" (every partition
 * before the step date); validate, train, evaluate, gate and promote run exactly as
 * in production, into a temporary registry. Then the model each policy serves is
 * scored on the period that follows: the configured gated policy, "never retrain"
 * (the first promoted model) and "always retrain" (every candidate, gates or not).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import type { LoadedConfig } from '../config/types.js';
import { displayPath } from '../data/files.js';
import { listPartitions, type Partition } from '../data/partitions.js';
import { readTables } from '../data/read.js';
import { isUserError, UserError } from '../errors.js';
import { headlineMetric, weightedMetrics } from '../evaluate/metrics.js';
import { writeJson } from '../files.js';
import type { Logger } from '../logger.js';
import { modelDir, readProduction, verifiedProductionDir } from '../registry/registry.js';
import { signed } from '../report/markdown.js';
import { replayCsv, replayMarkdown } from '../report/replay.js';
import { dayBefore, formatDuration, parsePeriod, periodEnd, type Policy, POLICIES, type PolicySummary, progressBar, replaySchedule, summarisePolicies } from '../replay/schedule.js';
import type { StageContext } from './artifacts.js';
import { type LoadedModel, loadModel, scoreLabelledRows } from './evaluate.js';
import { runPipeline } from './run.js';
import { dataSource, schemaPath } from './validate.js';

export interface ReplayOptions {
  /** First step (YYYY-MM-DD): data before it has arrived. */
  from: string;
  /** Last step, inclusive. */
  to: string;
  /** Period between steps: `7d`, `1w`, `1`. */
  every: string;
  /** Days of the training window at each step; default the config's data.window.newestDays. */
  windowDays?: number;
  /** Keep each step's candidate model folder (large); default: only its records. */
  keepModels?: boolean;
}

/** One step of a replay. */
export interface ReplayStep {
  date: string;
  /** Days the pipeline read (training and evaluation), first..last. */
  window: { first: string; last: string } | null;
  /** The period the served models were scored on. */
  next: { first: string; last: string; rows: number };
  /** Where the pipeline stopped: null when it promoted (or production already was the candidate). */
  stoppedAt: 'validate' | 'evaluate' | 'promote' | 'error' | null;
  /** Why the candidate was not promoted: failed gates, anomalies, or the error. */
  reasons: string[];
  /** Candidate minus production on the evaluation days, headline metric, with its interval. */
  delta: { value: number; ci: [number, number] | null } | null;
  promoted: boolean;
  /** Model each policy served on the next period (registry version or step date of a candidate), null: none yet. */
  served: Record<Policy, string | null>;
  /** The headline metric of each policy's served model on the next period. */
  scores: Record<Policy, number | null>;
  /** Wall time of the step, and of its training and evaluation (null when they did not run). */
  seconds: number;
  trainSeconds: number | null;
  evaluateSeconds: number | null;
}

/** Contents of `replay.json`. */
export interface ReplayResult {
  format: 'ct-replay';
  version: 1;
  model: string;
  config: { file: string; sha256: string };
  data: string;
  metric: string;
  higherIsBetter: boolean;
  from: string;
  to: string;
  everyDays: number;
  windowDays: number;
  evaluationDays: number | null;
  steps: ReplayStep[];
  policies: Record<Policy, PolicySummary>;
  startedAt: string;
  durationSeconds: number;
}

/** Runs the replay; writes replay.json, replay.csv and replay.md into `<out>/replay`. */
export async function runReplay(ctx: StageContext, options: ReplayOptions): Promise<ReplayResult> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const base = ctx.loaded;
  const { config } = base;
  const everyDays = parsePeriod(options.every);
  const windowDays = options.windowDays ?? config.data.window.newestDays;
  if (windowDays === undefined) throw new UserError('replay: data.window.newestDays is not set in the config; give the training window with --window-days');
  if (!Number.isInteger(windowDays) || windowDays < 2) throw new UserError(`--window-days: expected a whole number of days >= 2, got ${windowDays}`);
  const schedule = replaySchedule(options.from, options.to, everyDays);
  const folder = dataSource(ctx);
  const partitions = listPartitions(folder);
  const firstDay = partitions[0]!.date;
  if (schedule[0]! <= firstDay) throw new UserError(`--from ${options.from}: ${displayPath(folder)} starts on ${firstDay}; the first step needs days before it to train on`);
  // The committed schema stays the contract even when --data points elsewhere.
  const schema = schemaPath(ctx);
  const outDir = path.join(ctx.outDir, 'replay');
  rmSync(outDir, { recursive: true, force: true });
  const registry = mkdtempSync(path.join(tmpdir(), 'ct-replay-registry-'));
  const metric = headlineMetric(config.task);
  ctx.logger.info(`replay of ${config.name}: ${schedule.length} steps ${schedule[0]}..${schedule.at(-1)} every ${everyDays} day(s), ${windowDays}-day window, data ${displayPath(folder)}, temporary registry ${registry}`);

  const models = new ModelCache();
  const steps: ReplayStep[] = [];
  let never: { key: string; dir: string } | null = null;
  let always: { key: string; dir: string } | null = null;
  try {
    for (const [index, date] of schedule.entries()) {
      const stepStarted = performance.now();
      const eta = index === 0 ? '?' : formatDuration(((performance.now() - started) / 1000 / index) * (schedule.length - index));
      const status = (what: string): string => `${progressBar(index, schedule.length)} step ${index + 1}/${schedule.length} ${date} ${what}, ETA ${eta}`;
      ctx.logger.progress(status('starting'), { transient: true });
      const stepDir = path.join(outDir, 'steps', date);
      const loaded: LoadedConfig = {
        ...base,
        config: {
          ...config,
          data: { ...config.data, path: folder, window: { newestDays: windowDays, to: dayBefore(date) }, ...(existsSync(schema) ? { schema } : {}) },
          registry: { path: registry },
        },
      };
      const stepCtx: StageContext = { loaded, outDir: stepDir, logger: stepLogger(ctx.logger, status), ...(ctx.backend === undefined ? {} : { backend: ctx.backend }) };
      const step: ReplayStep = {
        date,
        window: null,
        next: { first: date, last: periodEnd(date, everyDays), rows: 0 },
        stoppedAt: null,
        reasons: [],
        delta: null,
        promoted: false,
        served: { never: null, always: null, gated: null },
        scores: { never: null, always: null, gated: null },
        seconds: 0,
        trainSeconds: null,
        evaluateSeconds: null,
      };
      try {
        const run = await runPipeline(stepCtx);
        const files = run.validation.files;
        step.window = files.length === 0 ? null : { first: partitionDate(files[0]!), last: partitionDate(files.at(-1)!) };
        step.stoppedAt = run.stoppedAt;
        step.promoted = run.promotion?.promoted === true;
        step.trainSeconds = run.training?.timing.durationSeconds ?? null;
        step.evaluateSeconds = run.evaluation?.timing.durationSeconds ?? null;
        if (run.stoppedAt === 'validate') step.reasons = run.validation.anomalies.filter((a) => a.severity === 'error').map((a) => a.message);
        if (run.stoppedAt === 'validate' && step.reasons.length === 0) step.reasons = ['dataset drift (validation.drift.blocking)'];
        if (run.evaluation !== null) {
          step.reasons.push(...run.evaluation.failures.map((f) => f.message));
          step.delta = run.evaluation.deltas[metric.name] ?? null;
        }
        if (run.stoppedAt === 'promote' && run.promotion !== null) step.reasons.push(run.promotion.reason);
        if (run.training !== null) always = { key: `candidate ${date}`, dir: path.join(stepDir, 'model') };
      } catch (error) {
        // A step whose data cannot be used is what production would refuse too: production stays.
        if (!isUserError(error) || index === 0) throw error;
        step.stoppedAt = 'error';
        step.reasons = [error.message];
        ctx.logger.warning(`step ${date}: ${error.message}`);
      }
      const pointer = readProduction(registry, config.name);
      const gated = pointer === null ? null : { key: pointer.version, dir: verifiedProductionDir(registry, pointer) };
      never ??= gated;
      const served: Record<Policy, { key: string; dir: string } | null> = { never, always, gated };
      step.served = { never: never?.key ?? null, always: always?.key ?? null, gated: gated?.key ?? null };

      // Score what each policy serves on the period that follows.
      ctx.logger.progress(status('scoring the next period'), { transient: true });
      const next = partitions.filter((p) => p.date >= step.next.first && p.date <= step.next.last);
      if (next.length > 0) {
        step.next = { first: next[0]!.date, last: next.at(-1)!.date, rows: 0 };
        const scored = await scoreNextPeriod(next, served, models, config.evaluation.threshold, metric.name, loaded.config.data.format);
        step.next.rows = scored.rows;
        step.scores = scored.scores;
      }
      models.keepOnly([never?.dir, always?.dir, gated?.dir]);
      step.seconds = (performance.now() - stepStarted) / 1000;
      steps.push(step);
      ctx.logger.progress(stepLine(index, schedule.length, step, metric.name, (performance.now() - started) / 1000));
      ctx.logger.debug(`tensors after step ${date}: ${tf.memory().numTensors}`);
    }
  } finally {
    models.keepOnly([]);
    // The temporary registry goes; its history of promotions stays with the report.
    const history = path.join(modelDir(registry, config.name), 'history.jsonl');
    if (existsSync(history)) {
      mkdirSync(outDir, { recursive: true });
      copyFileSync(history, path.join(outDir, 'registry-history.jsonl'));
    }
    rmSync(registry, { recursive: true, force: true });
  }
  if (options.keepModels !== true) for (const step of steps) rmSync(path.join(outDir, 'steps', step.date, 'model'), { recursive: true, force: true });

  const evaluationDays = config.data.split.method === 'time' ? config.data.split.evaluationDays : null;
  const result: ReplayResult = {
    format: 'ct-replay',
    version: 1,
    model: config.name,
    config: { file: displayPath(base.file), sha256: base.hash },
    data: displayPath(folder),
    metric: metric.name,
    higherIsBetter: metric.higherIsBetter,
    from: schedule[0]!,
    to: schedule.at(-1)!,
    everyDays,
    windowDays,
    evaluationDays,
    steps,
    policies: summarisePolicies(steps.map((s) => s.scores), steps.map((s) => s.served)),
    startedAt,
    durationSeconds: (performance.now() - started) / 1000,
  };
  writeJson(path.join(outDir, 'replay.json'), result);
  writeFileSync(path.join(outDir, 'replay.csv'), replayCsv(result));
  writeFileSync(path.join(outDir, 'replay.md'), replayMarkdown(result));
  const line = POLICIES.map((p) => `${p} ${result.policies[p].mean?.toFixed(4) ?? 'n/a'}`).join(', ');
  ctx.logger.info(`replay done in ${formatDuration(result.durationSeconds)}: mean next-period ${metric.name}: ${line}; report ${displayPath(path.join(outDir, 'replay.md'))}`);
  return result;
}

/** The date of a partition file name (`.../2001-01-29.parquet`). */
function partitionDate(file: string): string {
  return path.basename(file).slice(0, 10);
}

/** One line per step: what happened and how each policy scored. */
function stepLine(index: number, total: number, step: ReplayStep, metric: string, elapsed: number): string {
  const outcome =
    step.stoppedAt === null
      ? step.promoted
        ? `promoted ${step.served.gated}`
        : 'production already is the candidate'
      : `not promoted (${step.stoppedAt === 'error' ? 'error' : `${step.stoppedAt} said no`}: ${step.reasons[0] ?? ''})`;
  const delta = step.delta === null ? '' : ` ${metric} ${signed(step.delta.value)}${step.delta.ci === null ? '' : ` [${signed(step.delta.ci[0])}, ${signed(step.delta.ci[1])}]`};`;
  const scores = POLICIES.map((p) => `${p} ${step.scores[p]?.toFixed(4) ?? 'n/a'}`).join(' ');
  const eta = formatDuration((elapsed / (index + 1)) * (total - index - 1));
  return `${progressBar(index + 1, total)} ${index + 1}/${total} ${step.date}:${delta} ${outcome} | next ${step.next.rows} rows ${metric}: ${scores} | ${step.seconds.toFixed(0)}s, ETA ${eta}`;
}

/**
 * The stages' own messages go to debug inside a replay (one line per step is the
 * replay's log); their transient progress (training epochs) shows after the bar.
 */
function stepLogger(outer: Logger, status: (what: string) => string): Logger {
  return {
    info: (m) => outer.debug(m),
    warning: (m) => outer.debug(`warning: ${m}`),
    debug: (m) => outer.debug(m),
    progress: (m) => outer.progress(status(m), { transient: true }),
  };
}

/** Loaded models by folder, so a model that serves several steps loads once. */
class ModelCache {
  private readonly models = new Map<string, LoadedModel>();

  async get(dir: string): Promise<LoadedModel> {
    let model = this.models.get(dir);
    if (model === undefined) {
      model = await loadModel(dir, `model in ${displayPath(dir)}`);
      this.models.set(dir, model);
    }
    return model;
  }

  /** Disposes every model whose folder is not listed. */
  keepOnly(dirs: ReadonlyArray<string | undefined>): void {
    for (const [dir, model] of this.models) {
      if (!dirs.includes(dir)) {
        model.model.dispose();
        this.models.delete(dir);
      }
    }
  }
}

/** Scores each served model (once per distinct folder) on the rows of `next`. */
async function scoreNextPeriod(
  next: readonly Partition[],
  served: Record<Policy, { key: string; dir: string } | null>,
  models: ModelCache,
  threshold: number,
  metric: string,
  format: LoadedConfig['config']['data']['format'],
): Promise<{ rows: number; scores: Record<Policy, number | null> }> {
  const table = await readTables(next.map((p) => p.file), format === undefined ? {} : { format });
  const scores: Record<Policy, number | null> = { never: null, always: null, gated: null };
  const byDir = new Map<string, number>();
  let rows = 0;
  for (const policy of POLICIES) {
    const model = served[policy];
    if (model === null) continue;
    let value = byDir.get(model.dir);
    if (value === undefined) {
      const loaded = await models.get(model.dir);
      const { scored } = scoreLabelledRows(table, loaded, { threshold, classes: loaded.width });
      rows = scored.rows;
      value = weightedMetrics(scored, null, [metric])[metric]!;
      byDir.set(model.dir, value);
    }
    scores[policy] = value;
  }
  return { rows: rows || table.rowCount, scores };
}
