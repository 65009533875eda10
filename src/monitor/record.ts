/**
 * The monitor records that need no decision: nothing to judge yet, or nothing new since
 * the last run. And the line that reports a record's outcome. Pure.
 */
import type { MonitorEvidence, MonitorRecord } from './decide.js';

/** What every record of a run has before the evidence and the decision. */
export type MonitorBase = Omit<MonitorRecord, keyof MonitorEvidence | 'outcome' | 'retrain' | 'reasons' | 'drop' | 'retrainStreak'>;

/** The start of a run's record for `model` at `at`: no window judged, nothing done yet. */
export function monitorBase(model: string, at: string): MonitorBase {
  return { format: 'ct-monitor', at, model, window: null, actions: { dispatched: null, issue: null, history: null } };
}

/** A record that judged nothing (no production model, or no new data), for `reason`. */
export function nothingJudged(base: MonitorBase, production: string, metric: string, higherIsBetter: boolean, reason: string): MonitorRecord {
  return {
    ...base,
    production,
    metric,
    higherIsBetter,
    value: null,
    reference: null,
    rows: 0,
    fingerprint: null,
    errors: [],
    drift: null,
    drop: null,
    outcome: 'none',
    retrain: false,
    reasons: [reason],
    retrainStreak: 0,
  };
}

/** The same data and production as the `last` run: its evidence again, nothing to do. */
export function unchangedSince(last: MonitorRecord, base: MonitorBase): MonitorRecord {
  return {
    ...last,
    at: base.at,
    outcome: 'none',
    retrain: false,
    reasons: [`nothing new since the monitor run of ${last.at}, which decided: ${last.outcome}`],
    actions: base.actions,
    retrainStreak: last.retrainStreak,
  };
}

/** The outcome in words and its reasons. */
export function outcomeLine(record: MonitorRecord): string {
  return `${record.outcome === 'none' ? 'nothing to do' : record.outcome === 'retrain' ? 'retrain' : 'alert'}: ${record.reasons.join('; ')}`;
}
