/**
 * `ct replay`: backtests the continuous-training policy of the config over historical
 * daily partitions. At each step the step's data has "arrived" (every partition
 * before the step date); validate, train, evaluate, gate and promote run exactly as
 * in production, into a temporary registry. Then the model each policy serves is
 * scored on the period that follows: the configured gated policy, "never retrain"
 * (the first promoted model) and "always retrain" (every candidate, gates or not).
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as tf from '../tf.js';
import { displayPath } from '../data/files.js';
import { isUserError } from '../errors.js';
import { headlineMetric } from '../evaluate/metrics.js';
import { readJson, writeJson } from '../files.js';
import { calibrationLine, calibrationMarkdown, calibrationYaml } from '../report/calibration.js';
import { replayCsv, replayMarkdown } from '../report/replay.js';
import { calibrate, type CalibrationStep, gateVariants } from '../replay/calibrate.js';
import { planReplay, type ReplayPlan, type ReplaySpan, stepConfig } from '../replay/plan.js';
import { doneLine, stepLine, stepLogger, stepStatus } from '../replay/progress.js';
import { addedCost, emptyStep, replayRecord, stepOutcome } from '../replay/record.js';
import { createReplayRegistry, productionServed, removeReplayRegistry } from '../replay/registry.js';
import { ModelCache, scoreNextPeriod, type ServedSpan } from '../replay/score.js';
import { dayBefore } from '../replay/schedule.js';
import { dateOfDay, dayNumber } from '../data/partitions.js';
import { nextServed, NOTHING_SERVED, type Served, servedDirs, servedKeys, type ServedModel } from '../replay/served.js';
import { dataSource, schemaPath, type StageContext } from './context.js';
import { runPipeline } from './run.js';
import { runUpdate } from './update.js';
import type { EvaluationRecord, ReplayResult, ReplayStep, StageSeconds } from '../artifacts.js';

export interface ReplayOptions extends ReplaySpan {
  /** After the replay, re-judge every step's evaluation under a grid of gate thresholds (calibration.json, .md, .yaml). */
  calibrate?: boolean;
  /** Keep each step's candidate model folder (large); default: only its records. */
  keepModels?: boolean;
  /** Days after a step stopped at validation that it runs again (default 1: the daily schedule's next run); 0: never. */
  retryDays?: number;
}

/** What every step of a running replay shares. */
interface Replaying {
  ctx: StageContext;
  plan: ReplayPlan;
  /** The committed schema (data.schema, or beside the configured data). */
  schema: string;
  registry: string;
  outDir: string;
  metric: string;
  models: ModelCache;
  retryDays: number;
  calibrate: boolean;
  /** performance.now() when the replay started. */
  started: number;
}

/** Runs the replay; writes replay.json, replay.csv and replay.md into `<out>/replay`. */
export async function runReplay(ctx: StageContext, options: ReplayOptions): Promise<ReplayResult> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const { config } = ctx.loaded;
  const plan = planReplay(options, config.data.window.newestDays, dataSource(ctx));
  const outDir = path.join(ctx.outDir, 'replay');
  rmSync(outDir, { recursive: true, force: true });
  const registry = createReplayRegistry();
  const metric = headlineMetric(config.task);
  const { schedule, everyDays, windowDays } = plan;
  ctx.logger.info(
    `replay of ${config.name}: ${schedule.length} steps ${schedule[0]}..${schedule.at(-1)} every ${everyDays} day(s), ${windowDays}-day window, data ${displayPath(plan.folder)}, temporary registry ${registry}`,
  );

  const replaying: Replaying = {
    ctx,
    plan,
    schema: schemaPath(ctx),
    registry,
    outDir,
    metric: metric.name,
    models: new ModelCache(),
    retryDays: options.retryDays ?? 1,
    calibrate: options.calibrate === true,
    started,
  };
  const steps: ReplayStep[] = [];
  let served = NOTHING_SERVED;
  try {
    for (const [index, date] of schedule.entries()) {
      const done = await replayStep(replaying, index, date, served);
      served = done.served;
      steps.push(done.step);
      ctx.logger.progress(stepLine(index, schedule.length, done.step, metric.name, (performance.now() - started) / 1000));
      ctx.logger.debug(`tensors after step ${date}: ${tf.memory().numTensors}`);
    }
  } finally {
    replaying.models.keepOnly([]);
    removeReplayRegistry(registry, config.name, outDir);
  }
  if (options.keepModels !== true) {
    for (const step of steps) for (const dir of ['model', 'retry/model']) rmSync(path.join(outDir, 'steps', step.date, dir), { recursive: true, force: true });
  }

  const result = replayRecord(ctx.loaded, plan, metric, steps, startedAt, (performance.now() - started) / 1000);
  writeJson(path.join(outDir, 'replay.json'), result);
  writeFileSync(path.join(outDir, 'replay.csv'), replayCsv(result));
  writeFileSync(path.join(outDir, 'replay.md'), replayMarkdown(result));
  ctx.logger.info(doneLine(result, displayPath(path.join(outDir, 'replay.md'))));
  if (replaying.calibrate) writeCalibration(ctx, outDir, result, metric);
  return result;
}

/**
 * One step: the pipeline on the data arrived by `date`, into the temporary registry
 * (again `retryDays` later when validation stopped it, as the daily schedule would run
 * it with the bad day quarantined); then what each policy served, scored on the period
 * that follows.
 */
async function replayStep(r: Replaying, index: number, date: string, before: Served): Promise<{ step: ReplayStep; served: Served }> {
  const { ctx, plan } = r;
  const stepStarted = performance.now();
  const status = stepStatus(index, plan.schedule.length, date, (stepStarted - r.started) / 1000);
  const stepDir = path.join(r.outDir, 'steps', date);
  const step = emptyStep(date, plan.everyDays);
  const first = await pipelineAt(r, index, date, stepDir, status);
  Object.assign(step, first.outcome);
  step.cost = addedCost(step.cost, first.seconds);
  let served = nextServed(before, productionServed(r.registry, ctx.loaded.config.name), first.candidate);
  const spans: ServedSpan[] = [{ first: step.next.first, last: step.next.last, served }];
  const retryDate = dateOfDay(dayNumber(date)! + r.retryDays);
  if (step.stoppedAt === 'validate' && r.retryDays > 0 && retryDate <= step.next.last) {
    const retry = await pipelineAt(r, index, retryDate, path.join(stepDir, 'retry'), status);
    step.retry = { date: retryDate, stoppedAt: retry.outcome.stoppedAt, promoted: retry.outcome.promoted, reasons: retry.outcome.reasons };
    step.cost = addedCost(step.cost, retry.seconds);
    served = nextServed(served, productionServed(r.registry, ctx.loaded.config.name), retry.candidate);
    spans[0]!.last = dayBefore(retryDate);
    spans.push({ first: retryDate, last: step.next.last, served });
  }
  step.served = servedKeys(served);

  ctx.logger.progress(status('scoring the next period'), { transient: true });
  const scoring = { threshold: ctx.loaded.config.evaluation.threshold, metric: r.metric, format: ctx.loaded.config.data.format };
  Object.assign(step, await scoreNextPeriod(plan.partitions, spans, r.models, scoring));
  if (r.calibrate && step.promoted && before.gated !== null) {
    // What blocking the candidate would have served: the production model the step started from.
    const kept = spans.map((s) => ({ ...s, served: { ...NOTHING_SERVED, gated: before.gated } }));
    step.kept = (await scoreNextPeriod(plan.partitions, kept, r.models, scoring))?.scores.gated ?? null;
  }
  r.models.keepOnly(spans.flatMap((s) => servedDirs(s.served)));
  step.seconds = (performance.now() - stepStarted) / 1000;
  return { step, served };
}

/** What one pipeline run of a step did, what it cost, and its candidate when it trained one. */
interface StepPipeline {
  outcome: ReturnType<typeof stepOutcome>;
  seconds: StageSeconds;
  candidate: ServedModel | null;
}

/** The pipeline (`ct run`, or `ct update` after the first step with --update) on the data arrived by `date`, in `dir`. */
async function pipelineAt(r: Replaying, index: number, date: string, dir: string, status: (what: string) => string): Promise<StepPipeline> {
  const { ctx } = r;
  ctx.logger.progress(status(date === r.plan.schedule[index] ? 'starting' : `retrying on ${date}`), { transient: true });
  const loaded = stepConfig(ctx.loaded, r.plan, date, r.schema, r.registry);
  const stepCtx: StageContext = { loaded, outDir: dir, logger: stepLogger(ctx.logger, status), ...(ctx.backend === undefined ? {} : { backend: ctx.backend }) };
  const started = performance.now();
  try {
    const run = r.plan.update && index > 0 ? (await runUpdate(stepCtx)).run : await runPipeline(stepCtx);
    if (run === null) return { outcome: { ...NOT_RUN, stoppedAt: null, reasons: ['nothing new to train on'] }, seconds: untrained(started), candidate: null };
    const candidate = run.training === null ? null : { key: `candidate ${date}`, dir: path.join(dir, 'model') };
    return { outcome: stepOutcome(run, r.metric), seconds: run.seconds, candidate };
  } catch (error) {
    // A step whose data cannot be used is what production would refuse too: production stays.
    if (!isUserError(error) || index === 0) throw error;
    ctx.logger.warning(`step ${date}: ${error.message}`);
    return { outcome: { ...NOT_RUN, stoppedAt: 'error', reasons: [error.message] }, seconds: untrained(started), candidate: null };
  }
}

/** The stage seconds of a step that did not get to train since `started`: all of it counts as validation. */
function untrained(started: number): StageSeconds {
  return { validate: (performance.now() - started) / 1000, train: null, evaluate: null, promote: null };
}

/** The outcome of a step whose pipeline did not get to train. */
const NOT_RUN = { window: null, promoted: false, trainSeconds: null, evaluateSeconds: null, delta: null, start: null } as const;

/**
 * --calibrate: every step's evaluation record gated again under the variants of
 * `gateVariants`, written as calibration.json, calibration.md and calibration.yaml (the
 * best variant's gates, to paste into the config).
 */
function writeCalibration(ctx: StageContext, outDir: string, result: ReplayResult, metric: { name: string; higherIsBetter: boolean }): void {
  const started = performance.now();
  const steps: CalibrationStep[] = result.steps.map((s) => {
    const file = path.join(outDir, 'steps', s.date, 'evaluation.json');
    const evaluation = s.stoppedAt === 'validate' || s.stoppedAt === 'error' || !existsSync(file) ? null : readJson<EvaluationRecord>(file, 'step evaluation');
    const kept = s.stoppedAt === 'evaluate' ? s.scores.gated : (s.kept ?? null);
    return { date: s.date, evaluation, candidate: evaluation === null ? null : s.scores.always, kept, served: s.scores.gated };
  });
  const variants = gateVariants(ctx.loaded.config.gates, metric.name);
  const calibration = calibrate(steps, variants, { metric: metric.name, higherIsBetter: metric.higherIsBetter });
  calibration.seconds = (performance.now() - started) / 1000;
  writeJson(path.join(outDir, 'calibration.json'), calibration);
  writeFileSync(path.join(outDir, 'calibration.md'), calibrationMarkdown(calibration, result));
  writeFileSync(path.join(outDir, 'calibration.yaml'), calibrationYaml(calibration));
  ctx.logger.info(calibrationLine(calibration, displayPath(path.join(outDir, 'calibration.md'))));
}
