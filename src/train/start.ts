/**
 * Where a candidate starts: from scratch (a full retrain) or from the production model's
 * weights (a warm start), and why. Pure: decided from the config, the parent's training
 * record and what validation saw.
 */
import type { StartRecord, TrainingRecord } from '../artifacts.js';
import type { ModelConfig, WarmStartConfig } from '../config/types.js';
import { dayNumber } from '../data/partitions.js';

/** The production model a warm start would start from. */
export interface ParentModel {
  version: string;
  record: Pick<TrainingRecord, 'data' | 'hyperparameters' | 'start'>;
}

/** What the decision reads (`P`: the parent as the caller holds it). */
export interface StartInput<P extends ParentModel = ParentModel> {
  warmStart: WarmStartConfig;
  /** `ct update`: warm start whether or not `warmStart.enabled`. */
  update: boolean;
  parent: P | null;
  model: ModelConfig;
  /** The newest training day of the new data (null: not a folder of daily partitions). */
  newestDay: string | null;
  /** Validation found dataset drift. */
  drift: boolean;
  /** A full retrain the caller already decided on, and why. */
  full?: string;
}

/** A warm start's plan, or a full retrain's reason. */
export type StartPlan<P extends ParentModel = ParentModel> =
  { mode: 'full'; reason: string } | { mode: 'warm'; parent: P; chain: string[]; fullRetrainDay: string | null; reason: string };

/**
 * The last day of data a model trained on: its newest training partition (null when it
 * read one file rather than daily partitions).
 */
export function lastTrainingDay(record: Pick<TrainingRecord, 'data'>): string | null {
  const last = record.data.trainParts.at(-1);
  return last !== undefined && dayNumber(last) !== undefined ? last : null;
}

/**
 * Warm when asked for (`update`, or `warmStart.enabled`) and nothing says a full retrain
 * is due: no production model, a different model body, a chain of warm starts older than
 * `fullRetrainDays` of data, or dataset drift (`fullOnDrift`).
 */
export function decideStart<P extends ParentModel>(input: StartInput<P>): StartPlan<P> {
  const { warmStart, parent } = input;
  if (input.full !== undefined) return { mode: 'full', reason: input.full };
  if (!input.update && !warmStart.enabled) return { mode: 'full', reason: 'training.warmStart.enabled is false' };
  if (parent === null) return { mode: 'full', reason: 'no production model to start from' };
  const body = modelChange(parent.record.hyperparameters.model, input.model);
  if (body !== null) return { mode: 'full', reason: `the model changed since production ${parent.version} (${body})` };
  const parentStart = parent.record.start;
  const fullRetrainDay = parentStart?.mode === 'warm' ? parentStart.fullRetrainDay : lastTrainingDay(parent.record);
  if (warmStart.fullRetrainDays > 0 && fullRetrainDay !== null && input.newestDay !== null) {
    const age = dayNumber(input.newestDay)! - dayNumber(fullRetrainDay)!;
    if (age >= warmStart.fullRetrainDays) {
      return {
        mode: 'full',
        reason: `the last full retrain trained through ${fullRetrainDay}, ${age} days before ${input.newestDay} (training.warmStart.fullRetrainDays: ${warmStart.fullRetrainDays})`,
      };
    }
  }
  if (input.drift && warmStart.fullOnDrift) return { mode: 'full', reason: 'validation found dataset drift (training.warmStart.fullOnDrift)' };
  const chain = [parent.version, ...(parentStart?.mode === 'warm' ? parentStart.chain : [])];
  const why = input.update ? 'ct update' : 'training.warmStart.enabled';
  return { mode: 'warm', parent, chain, fullRetrainDay, reason: `${why}: from production ${parent.version}` };
}

/** What differs between two model bodies in a way weights cannot carry over, or null. */
function modelChange(before: ModelConfig, after: ModelConfig): string | null {
  if (JSON.stringify(before.hidden) !== JSON.stringify(after.hidden)) return `model.hidden ${JSON.stringify(before.hidden)} -> ${JSON.stringify(after.hidden)}`;
  if (before.activation !== after.activation) return `model.activation ${before.activation} -> ${after.activation}`;
  return null;
}

/** The `start` field of training.json for `plan`, once the warm start's preprocessing is known. */
export function startRecord(plan: StartPlan, epochs: number, grown: Record<string, string[]> = {}, rescaled: string[] = []): StartRecord {
  if (plan.mode === 'full') return { mode: 'full', reason: plan.reason, parent: null, chain: [], fullRetrainDay: null, epochs, grown: {}, rescaled: [] };
  const counts = Object.fromEntries(Object.entries(grown).map(([name, values]) => [name, values.length]));
  return {
    mode: 'warm',
    reason: plan.reason,
    parent: plan.parent.version,
    chain: plan.chain,
    fullRetrainDay: plan.fullRetrainDay,
    epochs,
    grown: counts,
    rescaled,
  };
}
