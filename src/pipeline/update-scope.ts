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
import { decideStart, lastTrainingDay } from '../train/start.js';
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
  const registry = registryPath(ctx);
  const pointer = readProduction(registry, config.name);
  if (pointer === null) return { kind: 'full', reason: 'no production model yet: a full retrain on the configured window' };
  const dir = verifiedProductionDir(registry, pointer);
  const record = readJson<TrainingRecord>(path.join(dir, 'training.json'), `production model ${pointer.version} training record`);
  const trainedThrough = lastTrainingDay(record);
  if (trainedThrough === null) return { kind: 'full', reason: `production ${pointer.version} did not train on daily partitions: a full retrain` };

  const next = dateOfDay(dayNumber(trainedThrough)! + 1);
  const window = { ...config.data.window, from: config.data.window.from !== undefined && config.data.window.from > next ? config.data.window.from : next };
  const arrived = listPartitions(source).filter((p) => p.date >= window.from && (window.to === undefined || p.date <= window.to));
  const evaluationDays = config.data.split.evaluationDays;
  if (arrived.length <= evaluationDays) {
    const only =
      arrived.length === 0 ? '' : `; ${arrived.map((p) => p.date).join(', ')} would be evaluation days only (data.split.evaluationDays: ${evaluationDays})`;
    return { kind: 'nothing', reason: `nothing new to train on: production ${pointer.version} trained through ${trainedThrough}${only}` };
  }
  const plan = planDataset({ ...config.data, window }, source);
  const parent = { version: pointer.version, record };
  const decision = decideStart({ warmStart: config.training.warmStart, update: true, parent, model: config.model, newestDay: plan.trainParts.at(-1)!, drift });
  if (decision.mode === 'full') return { kind: 'full', reason: `${decision.reason}: a full retrain on the configured window` };
  const loaded = { ...ctx.loaded, config: { ...config, data: { ...config.data, window } } };
  return {
    kind: 'update',
    ctx: { ...ctx, loaded },
    parent: pointer.version,
    trainedThrough,
    days: { from: plan.trainParts[0]!, to: plan.evaluationParts.at(-1) ?? plan.trainParts.at(-1)! },
    reason: decision.reason,
  };
}
