/**
 * `ct update`: an online update. The production model trains on only the partitions
 * that arrived since its own training data, starting from its weights, and the update is
 * evaluated, gated and promoted as any candidate. A full retrain on the configured
 * window runs instead when one is due (no production model, the cadence of
 * `training.warmStart.fullRetrainDays`, dataset drift, a changed model).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { artifactPaths, type EvaluationRecord, type TrainingRecord, type ValidationResult } from '../artifacts.js';
import { UserError } from '../errors.js';
import { readJson } from '../files.js';
import type { StageContext } from './context.js';
import { runEvaluate } from './evaluate.js';
import { type RunOptions, type RunResult, runPipeline } from './run.js';
import { runTrain, type TrainOutput } from './train.js';
import { type UpdateScope, updateScope } from './update-scope.js';
import { runValidate, type ValidateOptions, type ValidateOutput } from './validate.js';

/** What `ct update` did: an update on the new partitions, a full retrain, or nothing (no new training day). */
export interface UpdateResult {
  ok: boolean;
  mode: 'update' | 'full' | 'nothing';
  reason: string;
  /** The days the update read (training and evaluation); null for a full retrain or nothing. */
  window: { from: string; to: string } | null;
  run: RunResult | null;
}

/** Runs an update of the production model on the partitions that arrived since its training data. */
export async function runUpdate(ctx: StageContext, options: Pick<RunOptions, 'pr' | 'base' | 'env' | 'promote'> = {}): Promise<UpdateResult> {
  const scope = updateScope(ctx);
  ctx.logger.info(
    scope.kind === 'update'
      ? `update of production ${scope.parent} (trained through ${scope.trainedThrough}) on ${scope.days.from}..${scope.days.to}`
      : scope.reason,
  );
  if (scope.kind === 'nothing') return { ok: true, mode: 'nothing', reason: scope.reason, window: null, run: null };
  if (scope.kind === 'full') {
    const run = await runPipeline(ctx, { ...options, fullRetrain: scope.reason });
    return { ok: run.ok, mode: 'full', reason: scope.reason, window: null, run };
  }
  const run = await runPipeline(scope.ctx, { ...options, update: true, fullWindow: ctx });
  // Dataset drift in the new partitions turns the update into a full retrain on the configured window.
  const warm = run.training === null || run.training.start?.mode === 'warm';
  return { ok: run.ok, mode: warm ? 'update' : 'full', reason: scope.reason, window: warm ? scope.days : null, run };
}

/**
 * `ct validate --update`: validates the partitions an update would read (the configured
 * window when a full retrain is due); `output` null when nothing new arrived.
 */
export async function validateUpdate(ctx: StageContext, options: ValidateOptions = {}): Promise<{ scope: UpdateScope; output: ValidateOutput | null }> {
  const scope = updateScope(ctx);
  ctx.logger.info(scope.kind === 'update' ? `validating the update's days ${scope.days.from}..${scope.days.to}` : scope.reason);
  if (scope.kind === 'nothing') return { scope, output: null };
  return { scope, output: await runValidate(scope.kind === 'update' ? scope.ctx : ctx, undefined, options) };
}

/**
 * `ct train --update`: trains the update (or the full retrain that is due) after `ct
 * validate --update` in the same `<out>`, whose dataset drift it honours; `output` null
 * when nothing new arrived.
 */
export async function trainUpdate(ctx: StageContext): Promise<{ scope: UpdateScope; output: TrainOutput | null }> {
  const validation = artifactPaths(ctx.outDir).validation;
  const drift = existsSync(validation) && readJson<Partial<ValidationResult>>(validation, 'validation result').drift?.datasetDrift === true;
  const scope = updateScope(ctx, drift);
  ctx.logger.info(scope.kind === 'update' ? `update of production ${scope.parent} on ${scope.days.from}..${scope.days.to}` : scope.reason);
  if (scope.kind === 'nothing') return { scope, output: null };
  if (scope.kind === 'full') return { scope, output: await runTrain(ctx, undefined, { update: true, fullRetrain: scope.reason, drift }) };
  return { scope, output: await runTrain(scope.ctx, undefined, { update: true }) };
}

/**
 * `ct evaluate --update`: evaluates the candidate of `<out>/model` on the days it was
 * meant for: an update's when it was warm-started, the configured window's otherwise.
 */
export async function evaluateUpdate(ctx: StageContext): Promise<EvaluationRecord> {
  const record = readJson<TrainingRecord>(path.join(artifactPaths(ctx.outDir).modelDir, 'training.json'), 'candidate training record (run `ct train` first)');
  if (record.start?.mode !== 'warm') return runEvaluate(ctx);
  const scope = updateScope(ctx);
  if (scope.kind !== 'update' || scope.parent !== record.start.parent) {
    throw new UserError(
      `the candidate is an update of production ${record.start.parent ?? '?'}, which is no longer what an update would start from (${scope.kind === 'update' ? `production is ${scope.parent}` : scope.reason}); train it again`,
    );
  }
  return runEvaluate(scope.ctx);
}
