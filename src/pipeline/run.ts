/**
 * `ct run`: validate -> train -> evaluate -> promote on one read of the data.
 * A stage that says no stops the run: nothing after it happens.
 */
import { loadDataset } from '../data/dataset.js';
import type { EvaluationRecord, PromotionRecord, TrainingRecord, ValidationResult } from '../artifacts.js';
import { dataSource, type StageContext } from './context.js';
import { runEvaluate } from './evaluate.js';
import { type PromoteOptions, runPromote, summariseFailedGates } from './promote.js';
import { runTrain } from './train.js';
import { runValidate, screenWindow } from './validate.js';

export interface RunResult {
  ok: boolean;
  /** The stage that stopped the run, if one did. */
  stoppedAt: 'validate' | 'evaluate' | 'promote' | null;
  validation: ValidationResult;
  training: TrainingRecord | null;
  evaluation: EvaluationRecord | null;
  promotion: PromotionRecord | null;
}

/** Runs the whole pipeline; promotion is local, or by pull request with `options.pr`. */
export async function runPipeline(ctx: StageContext, options: PromoteOptions = {}): Promise<RunResult> {
  // Partitions flagged against their history are left out before the one read of the data that serves every stage.
  const screening = await screenWindow(ctx);
  if (screening.newest !== null && screening.newest.errors.length > 0) {
    // The newest partition fails on its own: the window is not read (it may not even read as one table).
    const { result: validation } = await runValidate(ctx, undefined, { screening });
    return { ok: false, stoppedAt: 'validate', validation, training: null, evaluation: null, promotion: null };
  }
  const dataset = await loadDataset(ctx.loaded.config.data, dataSource(ctx), new Set(screening.quarantined.map((q) => q.date)));
  const { result: validation } = await runValidate(ctx, dataset, { screening });
  if (!validation.ok) return { ok: false, stoppedAt: 'validate', validation, training: null, evaluation: null, promotion: null };
  const { record: training } = await runTrain(ctx, dataset);
  const evaluation = await runEvaluate(ctx, dataset);
  if (!evaluation.ok) {
    if (options.pr === true) summariseFailedGates(options.env ?? process.env, evaluation);
    return { ok: false, stoppedAt: 'evaluate', validation, training, evaluation, promotion: null };
  }
  const promotion = await runPromote(ctx, options);
  const ok = promotion.promoted || promotion.unchanged;
  return { ok, stoppedAt: ok ? null : 'promote', validation, training, evaluation, promotion };
}
