/**
 * The schedule and the scoring of a replay (a backtest of a continuous-training
 * policy): when new data arrives, and how each policy's served model did on the
 * period that followed. Pure functions over dates and numbers.
 */
import { checkedDate, dateOfDay, dayNumber } from '../data/partitions.js';
import { UserError } from '../errors.js';

/** The policies a replay compares. */
export const POLICIES = ['never', 'always', 'gated'] as const;
export type Policy = (typeof POLICIES)[number];

/** What each policy serves, in words, for reports. */
export const POLICY_DESCRIPTIONS: Record<Policy, string> = {
  never: 'never retrain: the first promoted model serves to the end',
  always: "always retrain: every step's candidate serves, gates or not",
  gated: 'gated (the configured policy): validate, train, evaluate against production, promote only when the gates pass',
};

/**
 * Days in a period written `7d`, `2w` or a bare number of days. A `UserError`
 * naming `what` otherwise.
 */
export function parsePeriod(text: string, what = '--every'): number {
  const match = /^\s*(\d+)\s*([dw]?)\s*$/i.exec(text);
  const days = match === null ? NaN : Number(match[1]) * (match[2]!.toLowerCase() === 'w' ? 7 : 1);
  if (!Number.isInteger(days) || days < 1 || days > 366) throw new UserError(`${what}: expected a period such as 7d, 1w or 1 (days, 1..366), got "${text}"`);
  return days;
}

/**
 * The steps of a replay: `from`, then every `everyDays` days while not after `to`
 * (both inclusive, like pandas' date_range). Each step's new period is
 * [step, step + everyDays).
 */
export function replaySchedule(from: string, to: string, everyDays: number): string[] {
  const first = checkedDate(from, '--from');
  const last = checkedDate(to, '--to');
  if (first > last) throw new UserError(`--from ${from} is after --to ${to}`);
  const steps: string[] = [];
  for (let day = first; day <= last; day += everyDays) steps.push(dateOfDay(day));
  return steps;
}

/** The last day of the period that starts at `date` and lasts `days` days. */
export function periodEnd(date: string, days: number): string {
  return dateOfDay(dayNumber(date)! + days - 1);
}

/** The day before `date`. */
export function dayBefore(date: string): string {
  return dateOfDay(dayNumber(date)! - 1);
}

/** Runner seconds per stage of one replay step. */
export interface StepCost {
  validate: number;
  train: number;
  evaluate: number;
  promote: number;
}

/** One policy over the whole replay. */
export interface PolicySummary {
  /** Mean of the next-period metric over the steps where the policy served a model and there were rows. */
  mean: number | null;
  min: number | null;
  max: number | null;
  /** Steps that counted in the mean. */
  steps: number;
  /** How often the served model changed. */
  changes: number;
  /**
   * Runner seconds the policy costs over the replay, from the stage times measured:
   * gated validates, trains and evaluates every step (and promotes); always validates and
   * trains every step; never runs the first step only.
   */
  runnerSeconds: number;
}

/** Summaries of each policy from the per-step scores (null: no model served, or no rows). */
export function summarisePolicies(
  scores: ReadonlyArray<Readonly<Record<Policy, number | null>>>,
  served: ReadonlyArray<Readonly<Record<Policy, string | null>>>,
  costs: ReadonlyArray<Readonly<StepCost>>,
): Record<Policy, PolicySummary> {
  const pipeline = (c: StepCost): number => c.validate + c.train + c.evaluate + c.promote;
  const runnerSeconds: Record<Policy, number> = {
    never: costs.length === 0 ? 0 : pipeline(costs[0]!),
    always: costs.reduce((sum, c) => sum + c.validate + c.train, 0),
    gated: costs.reduce((sum, c) => sum + pipeline(c), 0),
  };
  const out = {} as Record<Policy, PolicySummary>;
  for (const policy of POLICIES) {
    const values = scores.map((s) => s[policy]).filter((v): v is number => v !== null && Number.isFinite(v));
    let changes = 0;
    for (let i = 1; i < served.length; i++) if (served[i]![policy] !== null && served[i]![policy] !== served[i - 1]![policy]) changes++;
    out[policy] = {
      mean: values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length,
      min: values.length === 0 ? null : Math.min(...values),
      max: values.length === 0 ? null : Math.max(...values),
      steps: values.length,
      changes,
      runnerSeconds: runnerSeconds[policy],
    };
  }
  return out;
}

/** "4m 05s" / "38s", for progress lines. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m ${rest}s`;
}

/** A text progress bar: `[######----]`. */
export function progressBar(done: number, total: number, width = 20): string {
  const filled = total <= 0 ? width : Math.max(0, Math.min(width, Math.round((done / total) * width)));
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}
