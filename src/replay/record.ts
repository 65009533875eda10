/**
 * The records of a replay: each step's (what the pipeline did at that date, what each
 * policy served and how it scored next) and the replay's own, written as replay.json.
 * Pure.
 */
import path from 'node:path';
import type { EvaluationRecord, PromotionRecord, ReplayResult, ReplayStep, StageSeconds, TrainingRecord, ValidationResult } from '../artifacts.js';
import type { LoadedConfig } from '../config/types.js';
import { displayPath } from '../data/files.js';
import type { ReplayPlan } from './plan.js';
import { periodEnd, type StepCost, summarisePolicies } from './schedule.js';

/** What a step's pipeline run reports, as far as the step record uses it. */
export interface StepRun {
  stoppedAt: 'validate' | 'evaluate' | 'promote' | null;
  validation: Pick<ValidationResult, 'files' | 'anomalies'>;
  training: Pick<TrainingRecord, 'timing' | 'start'> | null;
  evaluation: Pick<EvaluationRecord, 'failures' | 'deltas' | 'timing'> | null;
  promotion: Pick<PromotionRecord, 'promoted' | 'reason'> | null;
}

/** The step at `date` before it ran: nothing read, served or scored; the next period as scheduled. */
export function emptyStep(date: string, everyDays: number): ReplayStep {
  return {
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
    cost: { validate: 0, train: 0, evaluate: 0, promote: 0 },
    start: null,
  };
}

/**
 * What the step's pipeline did: the days it read, where it stopped and why (error
 * anomalies or drift, failed gates, promotion's reason), the delta of the headline `metric`.
 */
export function stepOutcome(
  run: StepRun,
  metric: string,
): Pick<ReplayStep, 'window' | 'stoppedAt' | 'promoted' | 'trainSeconds' | 'evaluateSeconds' | 'reasons' | 'delta' | 'start'> {
  const files = run.validation.files;
  let reasons: string[] = [];
  if (run.stoppedAt === 'validate') reasons = run.validation.anomalies.filter((a) => a.severity === 'error').map((a) => a.message);
  if (run.stoppedAt === 'validate' && reasons.length === 0) reasons = ['dataset drift (validation.drift.blocking)'];
  if (run.evaluation !== null) reasons.push(...run.evaluation.failures.map((f) => f.message));
  if (run.stoppedAt === 'promote' && run.promotion !== null) reasons.push(run.promotion.reason);
  return {
    window: files.length === 0 ? null : { first: partitionDate(files[0]!), last: partitionDate(files.at(-1)!) },
    stoppedAt: run.stoppedAt,
    promoted: run.promotion?.promoted === true,
    trainSeconds: run.training?.timing.durationSeconds ?? null,
    evaluateSeconds: run.evaluation?.timing.durationSeconds ?? null,
    reasons,
    delta: run.evaluation === null ? null : (run.evaluation.deltas[metric] ?? null),
    start: run.training === null ? null : (run.training.start?.mode ?? 'full'),
  };
}

/** `cost` with the stage seconds of one more pipeline run of the step added. */
export function addedCost(cost: StepCost, seconds: StageSeconds): StepCost {
  return {
    validate: cost.validate + seconds.validate,
    train: cost.train + (seconds.train ?? 0),
    evaluate: cost.evaluate + (seconds.evaluate ?? 0),
    promote: cost.promote + (seconds.promote ?? 0),
  };
}

/** The date of a partition file name (`.../2001-01-29.parquet`). */
export function partitionDate(file: string): string {
  return path.basename(file).slice(0, 10);
}

/** The replay's record: what it ran on, each step, and each policy over all steps. */
export function replayRecord(
  base: LoadedConfig,
  plan: ReplayPlan,
  metric: { name: string; higherIsBetter: boolean },
  steps: ReplayStep[],
  startedAt: string,
  durationSeconds: number,
): ReplayResult {
  const { config } = base;
  return {
    format: 'ct-replay',
    version: 1,
    model: config.name,
    config: { file: displayPath(base.file), sha256: base.hash },
    data: displayPath(plan.folder),
    metric: metric.name,
    higherIsBetter: metric.higherIsBetter,
    from: plan.schedule[0]!,
    to: plan.schedule.at(-1)!,
    everyDays: plan.everyDays,
    windowDays: plan.windowDays,
    evaluationDays: config.data.split.method === 'time' ? config.data.split.evaluationDays : null,
    update: plan.update,
    steps,
    policies: summarisePolicies(
      steps.map((s) => s.scores),
      steps.map((s) => s.served),
      steps.map((s) => s.cost),
    ),
    startedAt,
    durationSeconds,
  };
}
