/**
 * What a replay runs: its steps, the training window, the daily partitions it reads,
 * and the config each step's pipeline sees.
 */
import { existsSync } from 'node:fs';
import type { LoadedConfig } from '../config/types.js';
import { displayPath } from '../data/files.js';
import { listPartitions, type Partition } from '../data/partitions.js';
import { UserError } from '../errors.js';
import { dayBefore, parsePeriod, replaySchedule } from './schedule.js';

/** The span of a replay, as asked for. */
export interface ReplaySpan {
  /** First step (YYYY-MM-DD): data before it has arrived. */
  from: string;
  /** Last step, inclusive. */
  to: string;
  /** Period between steps: `7d`, `1w`, `1`. */
  every: string;
  /** Days of the training window at each step; default the config's data.window.newestDays. */
  windowDays?: number;
  /** Each step after the first runs `ct update` instead of `ct run`. */
  update?: boolean;
}

/** A replay's steps over a folder of daily partitions. */
export interface ReplayPlan {
  everyDays: number;
  update: boolean;
  windowDays: number;
  /** Step dates, oldest first. */
  schedule: string[];
  /** The data folder and its partitions, oldest first. */
  folder: string;
  partitions: Partition[];
}

/**
 * Plans the replay of `span` over the partitions of `folder`. A `UserError` when the
 * window is unknown or too short, or when the first step has no earlier day to train on.
 */
export function planReplay(span: ReplaySpan, configuredWindowDays: number | undefined, folder: string): ReplayPlan {
  const everyDays = parsePeriod(span.every);
  const windowDays = span.windowDays ?? configuredWindowDays;
  if (windowDays === undefined) throw new UserError('replay: data.window.newestDays is not set in the config; give the training window with --window-days');
  if (!Number.isInteger(windowDays) || windowDays < 2) throw new UserError(`--window-days: expected a whole number of days >= 2, got ${windowDays}`);
  const schedule = replaySchedule(span.from, span.to, everyDays);
  const partitions = listPartitions(folder);
  const firstDay = partitions[0]!.date;
  if (schedule[0]! <= firstDay)
    throw new UserError(`--from ${span.from}: ${displayPath(folder)} starts on ${firstDay}; the first step needs days before it to train on`);
  return { everyDays, update: span.update === true, windowDays, schedule, folder, partitions };
}

/**
 * The config the pipeline of the step at `date` runs with: the data that had arrived
 * (a window ending the day before), the committed `schema` when it exists (it stays the
 * contract even when the data comes from elsewhere), and the temporary `registry`.
 */
export function stepConfig(base: LoadedConfig, plan: ReplayPlan, date: string, schema: string, registry: string): LoadedConfig {
  const { config } = base;
  return {
    ...base,
    config: {
      ...config,
      data: { ...config.data, path: plan.folder, window: { newestDays: plan.windowDays, to: dayBefore(date) }, ...(existsSync(schema) ? { schema } : {}) },
      registry: { path: registry },
      // Permutation importance explains a candidate to a reviewer; a backtest has none.
      evaluation: { ...config.evaluation, importance: { ...config.evaluation.importance, enabled: false } },
    },
  };
}
