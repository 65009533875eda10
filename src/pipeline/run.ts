/**
 * `ct run`: validate -> train -> evaluate -> promote on one read of the data.
 * A stage that says no stops the run: nothing after it happens.
 */
import { performance } from 'node:perf_hooks';
import { loadDataset } from '../data/dataset.js';
import type { EvaluationRecord, PromotionRecord, StageSeconds, TrainingRecord, ValidationResult } from '../artifacts.js';
import { dataSource, type StageContext } from './context.js';
import { runEvaluate } from './evaluate.js';
import { type PromoteOptions, runPromote, summariseFailedGates } from './promote.js';
import { runTrain } from './train.js';
import { runValidate, screenWindow, windowPlan } from './validate.js';

export interface RunResult {
  ok: boolean;
  /** The stage that stopped the run, if one did. */
  stoppedAt: 'validate' | 'evaluate' | 'promote' | null;
  validation: ValidationResult;
  training: TrainingRecord | null;
  evaluation: EvaluationRecord | null;
  promotion: PromotionRecord | null;
  /** Wall seconds of each stage that ran (null: it did not), the runner time a team pays. */
  seconds: StageSeconds;
}

/** How the pipeline trains its candidate, beside how it promotes. */
export interface RunOptions extends PromoteOptions {
  /** `ct update`: the candidate starts from production's weights unless a full retrain is due. */
  update?: boolean;
  /**
   * An update's context on the configured window: where a full retrain runs instead when
   * validation of the new partitions finds dataset drift (`training.warmStart.fullOnDrift`).
   */
  fullWindow?: StageContext;
  /** Dataset drift was found before this run (an update that turned into a full retrain). */
  drift?: boolean;
  /** Why the caller already decided on a full retrain (`ct update` when no update is due). */
  fullRetrain?: string;
  /** false: stop after the gates (a job that cannot write leaves promotion to the next). */
  promote?: boolean;
}

/** Runs the whole pipeline; promotion is local, or by pull request with `options.pr`. */
export async function runPipeline(ctx: StageContext, options: RunOptions = {}): Promise<RunResult> {
  const seconds: StageSeconds = { validate: 0, train: null, evaluate: null, promote: null };
  const timed = async <T>(stage: keyof StageSeconds, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      seconds[stage] = (seconds[stage] ?? 0) + (performance.now() - started) / 1000;
    }
  };
  const stopped = { ok: false, training: null, evaluation: null, promotion: null, seconds } as const;
  // Partitions flagged against their history are left out before the one read of the data that serves every stage.
  const screening = await timed('validate', () => screenWindow(ctx));
  if ((screening.newest !== null && screening.newest.errors.length > 0) || windowPlan(ctx, screening) === null) {
    // The newest partition fails on its own, or the quarantined days leave nothing to train on: the window is not read.
    const { result: validation } = await timed('validate', () => runValidate(ctx, undefined, { screening }));
    return { ...stopped, stoppedAt: 'validate', validation };
  }
  const { dataset, validation } = await timed('validate', async () => {
    const read = await loadDataset(ctx.loaded.config.data, dataSource(ctx), new Set(screening.quarantined.map((q) => q.date)));
    return { dataset: read, validation: (await runValidate(ctx, read, { screening })).result };
  });
  if (!validation.ok) return { ...stopped, stoppedAt: 'validate', validation };
  const drift = options.drift === true || validation.drift?.datasetDrift === true;
  if (drift && options.fullWindow !== undefined && ctx.loaded.config.training.warmStart.fullOnDrift) {
    ctx.logger.info('dataset drift in the new partitions: a full retrain on the configured window instead of an update');
    const full = await runPipeline(options.fullWindow, { ...options, fullWindow: undefined, drift: true });
    return { ...full, seconds: { ...full.seconds, validate: full.seconds.validate + seconds.validate } };
  }
  const trainOptions = { update: options.update === true, drift, ...(options.fullRetrain === undefined ? {} : { fullRetrain: options.fullRetrain }) };
  const { record: training } = await timed('train', () => runTrain(ctx, dataset, trainOptions));
  const evaluation = await timed('evaluate', () => runEvaluate(ctx, dataset));
  if (!evaluation.ok) {
    if (options.pr === true) summariseFailedGates(options.env ?? process.env, evaluation);
    return { ...stopped, stoppedAt: 'evaluate', validation, training, evaluation };
  }
  if (options.promote === false) return { ok: true, stoppedAt: null, validation, training, evaluation, promotion: null, seconds };
  const promotion = await timed('promote', () => runPromote(ctx, options));
  const ok = promotion.promoted || promotion.unchanged;
  return { ok, stoppedAt: ok ? null : 'promote', validation, training, evaluation, promotion, seconds };
}
