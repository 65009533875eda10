/**
 * What an online update reads: the partitions that arrived since the production model's
 * training data, or why a full retrain (or nothing) is due instead. Shared by `ct update`
 * and by the stages run one by one with `--update` (the workflow's jobs), so every stage of
 * an update reads the same days.
 */
import path from 'node:path';
import type { TrainingRecord } from '../artifacts.js';
import { planDataset } from '../data/dataset.js';
import { dateOfDay, dayNumber, listPartitions } from '../data/partitions.js';
import { isRemote } from '../data/remote.js';
import { UserError } from '../errors.js';
import { readJson } from '../files.js';
import { readProduction, verifiedProductionDir } from '../registry/registry.js';
import type { Preprocessing } from '../features/preprocessing.js';
import { decideStart, lastTrainingDay, type ParentModel } from '../train/start.js';
import { dataSource, registryPath, type StageContext } from './context.js';

/** An update's days and context, a full retrain's reason, or nothing new to train on. */
export type UpdateScope =
  | { kind: 'update'; ctx: StageContext; parent: string; trainedThrough: string; days: { from: string; to: string }; reason: string }
  | { kind: 'full'; reason: string }
  | { kind: 'nothing'; reason: string };

/**
 * The scope of an update of `ctx`'s production model: the configured window from the day
 * after production's newest training day. `drift`: validation found dataset drift (a full
 * retrain when `training.warmStart.fullOnDrift`). A `UserError` for data that is not a
 * folder of daily partitions with a time split.
 */
export function updateScope(ctx: StageContext, drift = false): UpdateScope {
  const { config } = ctx.loaded;
  const source = dataSource(ctx);
  if (isRemote(source) || config.data.split.method !== 'time') {
    throw new UserError('an update (ct update, --update) needs a folder of daily partitions and a time split (data.path, data.split.method: time)');
  }
  const parent = readProductionParent(ctx);
  if (parent === null) return { kind: 'full', reason: 'no production model yet: a full retrain on the configured window' };
  const trainedThrough = lastTrainingDay(parent.record);
  if (trainedThrough === null) return { kind: 'full', reason: `production ${parent.version} did not train on daily partitions: a full retrain` };

  const next = dateOfDay(dayNumber(trainedThrough)! + 1);
  const window = { ...config.data.window, from: config.data.window.from !== undefined && config.data.window.from > next ? config.data.window.from : next };
  const arrived = listPartitions(source).filter((p) => p.date >= window.from && (window.to === undefined || p.date <= window.to));
  const evaluationDays = config.data.split.evaluationDays;
  if (arrived.length <= evaluationDays) {
    const only =
      arrived.length === 0 ? '' : `; ${arrived.map((p) => p.date).join(', ')} would be evaluation days only (data.split.evaluationDays: ${evaluationDays})`;
    return { kind: 'nothing', reason: `nothing new to train on: production ${parent.version} trained through ${trainedThrough}${only}` };
  }
  const plan = planDataset({ ...config.data, window }, source);
  const decision = decideStart({ warmStart: config.training.warmStart, update: true, parent, model: config.model, newestDay: plan.trainParts.at(-1)!, drift });
  if (decision.mode === 'full') return { kind: 'full', reason: `${decision.reason}: a full retrain on the configured window` };
  const loaded = { ...ctx.loaded, config: { ...config, data: { ...config.data, window } } };
  return {
    kind: 'update',
    ctx: { ...ctx, loaded },
    parent: parent.version,
    trainedThrough,
    days: { from: plan.trainParts[0]!, to: plan.evaluationParts.at(-1) ?? plan.trainParts.at(-1)! },
    reason: decision.reason,
  };
}

/** A production model as a warm start reads it: its folder (checksums verified), training record and preprocessing. */
export interface ProductionParent extends ParentModel {
  dir: string;
  preprocessing: Preprocessing;
}

/** The production model of `ctx`'s config, as a warm start or an update starts from it; null when there is none. */
export function readProductionParent(ctx: StageContext): ProductionParent | null {
  const registry = registryPath(ctx);
  const pointer = readProduction(registry, ctx.loaded.config.name);
  if (pointer === null) return null;
  const dir = verifiedProductionDir(registry, pointer);
  const role = `production model ${pointer.version}`;
  return {
    version: pointer.version,
    dir,
    record: readJson<TrainingRecord>(path.join(dir, 'training.json'), `${role} training record`),
    preprocessing: readJson<Preprocessing>(path.join(dir, 'preprocessing.json'), `${role} preprocessing`),
  };
}
