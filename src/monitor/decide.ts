/**
 * The monitor's decision: given how the production model scores on data that arrived
 * after its training, how that compares with its promotion-time metrics, drift, and the
 * previous monitor runs, say whether to do nothing, retrain, or alert a person.
 * Pure: the pipeline gathers the evidence and acts on the decision.
 */
import type { MonitoringConfig } from '../config/types.js';

export type MonitorOutcome = 'none' | 'retrain' | 'alert';

/** What the monitor saw in one run. */
export interface MonitorEvidence {
  /** The production version judged. */
  production: string;
  metric: string;
  higherIsBetter: boolean;
  /** The metric on the new labelled rows; null when there were none. */
  value: number | null;
  /** The metric when the model was promoted (its own evaluation days). */
  reference: number | null;
  rows: number;
  /** Content hash of the data judged. */
  fingerprint: string | null;
  /** Error anomalies of the new data (schema): retraining on it would be refused. */
  errors: string[];
  /** Drift against the production model's training statistics. */
  drift: {
    dataset: boolean;
    label: boolean;
    prediction: boolean;
    columns: string[];
    /** Drifted columns over the columns tested (absent in records written before ct kept it). */
    share?: number;
  } | null;
  /** What was judged: new data, or the prediction log (with how many of its rows had a late label joined). */
  source?: { kind: 'data' } | { kind: 'predictions'; logged: number; labelled: number };
}

/** One line of `monitor.jsonl`: a run's evidence, decision and what was done about it. */
export interface MonitorRecord extends MonitorEvidence {
  format: 'ct-monitor';
  at: string;
  model: string;
  /** Newest days judged, first..last; null when no new data had arrived. */
  window: { first: string; last: string } | null;
  /** How much worse than at promotion (positive = worse), in the metric's units. */
  drop: number | null;
  outcome: MonitorOutcome;
  /** Whether the retraining workflow should be (or was) dispatched. */
  retrain: boolean;
  reasons: string[];
  /** Consecutive runs, this one included, that asked to retrain the same production version. */
  retrainStreak: number;
  /** The evidence the decision rested on (absent in records written before ct said). */
  judgedOn?: 'labels' | 'drift' | 'nothing';
  actions: {
    dispatched: string | null;
    issue: { number: number; url: string; action: 'opened' | 'updated' | 'closed' } | null;
    history: string | null;
    /** The webhook: "sent", or why not ("failed after 4 attempts: HTTP 500"); absent when none is set up. */
    webhook?: string;
  };
}

/** The decision of one run. */
export interface MonitorDecision {
  outcome: MonitorOutcome;
  retrain: boolean;
  drop: number | null;
  reasons: string[];
  retrainStreak: number;
  /** The evidence the decision rests on: labelled rows (with drift), drift alone (too few labels), or nothing. */
  judgedOn: 'labels' | 'drift' | 'nothing';
}

const fmt = (x: number): string => x.toFixed(4);
/** `a >= b` up to floating-point noise: 0.69 - 0.67 is 0.019999999999999907, and that is a drop of 0.02. */
const atLeast = (a: number, b: number): boolean => a >= b - 1e-12;

/**
 * Decides from `evidence`, the thresholds of `policy`, and `history` (earlier runs,
 * oldest first). In order: bad data -> alert (retraining would be refused); too few
 * labelled rows -> retrain on drift alone (`driftWithoutLabels`), else nothing decided; a drop of `alertDrop` -> alert and retrain; retraining asked for
 * `alertAfterRetrains` runs in a row without recovery -> alert; a drop of `retrainDrop`
 * or drift -> retrain; otherwise nothing to do.
 */
export function decideMonitor(evidence: MonitorEvidence, policy: MonitoringConfig, history: readonly MonitorRecord[]): MonitorDecision {
  const { metric, value, reference } = evidence;
  const drop = value === null || reference === null ? null : evidence.higherIsBetter ? reference - value : value - reference;
  const previous = history.at(-1);
  const streakBefore = previous !== undefined && previous.production === evidence.production && previous.retrain ? previous.retrainStreak : 0;
  let judgedOn: MonitorDecision['judgedOn'] = 'labels';
  const decided = (outcome: MonitorOutcome, retrain: boolean, reasons: string[]): MonitorDecision => ({
    outcome,
    retrain,
    drop,
    reasons,
    retrainStreak: retrain ? streakBefore + 1 : 0,
    judgedOn,
  });

  if (evidence.errors.length > 0) {
    judgedOn = 'nothing';
    return decided('alert', false, [
      `the new data has ${evidence.errors.length} error anomal${evidence.errors.length === 1 ? 'y' : 'ies'}, so retraining on it would be refused: ${evidence.errors.slice(0, 3).join('; ')}${evidence.errors.length > 3 ? '; ...' : ''}`,
    ]);
  }
  const driftReasons: string[] = [];
  if (evidence.drift !== null && policy.retrainOnDrift) {
    if (evidence.drift.dataset) driftReasons.push(`dataset drift (${evidence.drift.columns.join(', ')})`);
    if (evidence.drift.label) driftReasons.push('label drift');
    if (evidence.drift.prediction) driftReasons.push('prediction drift');
  }
  if (value === null || evidence.rows < policy.minRows) {
    const scarce = `only ${evidence.rows} labelled row(s) to judge (monitoring.minRows ${policy.minRows})`;
    // Labels often arrive long after the predictions they judge: the inputs and the predictions need none.
    if (policy.driftWithoutLabels && driftReasons.length > 0) {
      judgedOn = 'drift';
      return decided('retrain', true, [`${scarce}; judged on drift alone (monitoring.driftWithoutLabels): ${driftReasons.join(', ')}`]);
    }
    judgedOn = 'nothing';
    const drift = evidence.drift === null ? '' : policy.driftWithoutLabels ? '; no drift either' : '';
    return decided('none', false, [`${scarce}${drift}: nothing decided`]);
  }
  const against = reference === null ? '' : ` (${fmt(reference)} at promotion)`;
  const dropText =
    drop === null
      ? `${metric} ${fmt(value)}`
      : `${metric} ${fmt(value)} is ${fmt(Math.abs(drop))} ${drop >= 0 ? 'worse' : 'better'} than at promotion${against}`;

  if (drop !== null && atLeast(drop, policy.alertDrop)) {
    return decided('alert', true, [`${dropText}: at least monitoring.alertDrop ${policy.alertDrop}`, ...driftReasons]);
  }
  const decayed = drop !== null && atLeast(drop, policy.retrainDrop);
  if (decayed && streakBefore + 1 > policy.alertAfterRetrains) {
    return decided('alert', true, [
      `${dropText}, and retraining was asked for in ${streakBefore} run(s) in a row without a new production model recovering it (monitoring.alertAfterRetrains ${policy.alertAfterRetrains})`,
      ...driftReasons,
    ]);
  }
  if (decayed) return decided('retrain', true, [`${dropText}: at least monitoring.retrainDrop ${policy.retrainDrop}`, ...driftReasons]);
  if (driftReasons.length > 0) return decided('retrain', true, [`${dropText}, but the data moved: ${driftReasons.join(', ')}`]);
  const within = drop === null || drop < 0 ? '' : `, within monitoring.retrainDrop ${policy.retrainDrop}`;
  const drift =
    evidence.drift === null
      ? 'drift not tested'
      : policy.retrainOnDrift
        ? 'no dataset, label or prediction drift'
        : 'drift not acted on (monitoring.retrainOnDrift is off)';
  return decided('none', false, [`${dropText}${within}; ${drift}`]);
}
