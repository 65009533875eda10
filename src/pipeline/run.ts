/**
 * `ct run`: validate -> train -> evaluate -> promote on one read of the data.
 * A stage that says no stops the run: nothing after it happens.
 */
import type { ValidationResult } from '../validate/validate.js';
import type { EvaluationRecord, PromotionRecord, StageContext, TrainingRecord } from './artifacts.js';
import { runEvaluate } from './evaluate.js';
import { runPromote } from './promote.js';
import { runTrain } from './train.js';
import { runValidate } from './validate.js';

export interface RunResult {
  ok: boolean;
  /** The stage that stopped the run, if one did. */
  stoppedAt: 'validate' | 'evaluate' | 'promote' | null;
  validation: ValidationResult;
  training: TrainingRecord | null;
  evaluation: EvaluationRecord | null;
  promotion: PromotionRecord | null;
}

/** Runs the whole pipeline with local promotion. */
export async function runPipeline(ctx: StageContext): Promise<RunResult> {
  const { result: validation, dataset } = await runValidate(ctx);
  if (!validation.ok) return { ok: false, stoppedAt: 'validate', validation, training: null, evaluation: null, promotion: null };
  const { record: training } = await runTrain(ctx, dataset);
  const evaluation = await runEvaluate(ctx, dataset);
  if (!evaluation.ok) return { ok: false, stoppedAt: 'evaluate', validation, training, evaluation, promotion: null };
  const promotion = runPromote(ctx);
  const ok = promotion.promoted || promotion.unchanged;
  return { ok, stoppedAt: ok ? null : 'promote', validation, training, evaluation, promotion };
}
