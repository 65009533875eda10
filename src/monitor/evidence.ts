/**
 * The monitor's evidence: the production model scored on the new labelled rows, and
 * what validation said of those rows (error anomalies, drift against production's
 * training statistics), gathered for the decision (decide.ts).
 */
import type { ValidationResult } from '../artifacts.js';
import type { EvaluationConfig, Task } from '../config/types.js';
import { findColumn, type Table } from '../data/table.js';
import { UserError } from '../errors.js';
import { type ScoredRows, weightedMetrics } from '../evaluate/metrics.js';
import { loadModel, scoreLabelledRows } from '../evaluate/score.js';
import type { MonitorEvidence } from './decide.js';

/** True when validation found an error anomaly in the new data. */
export function hasErrors(validation: Pick<ValidationResult, 'anomalies'>): boolean {
  return validation.anomalies.some((a) => a.severity === 'error');
}

/**
 * Scores the production model in `dir` on the labelled rows of `table`. When the data
 * has `errors` (validation's error anomalies), a model that cannot read it at all gives
 * null: those anomalies report it; so does data without the label column (a prediction
 * log no label has reached yet). The model is disposed either way.
 */
export async function scoreProduction(table: Table, dir: string, version: string, evaluation: EvaluationConfig, errors: boolean): Promise<ScoredRows | null> {
  const model = await loadModel(dir, `production model ${version}`);
  try {
    // A prediction log without any late label yet: nothing to score.
    if (findColumn(table, model.preprocessing.label.column) === undefined) return null;
    return scoreLabelledRows(table, model, { threshold: evaluation.threshold, classes: model.width, calibrationBins: evaluation.calibrationBins }).scored;
  } catch (error) {
    if (!errors) throw error;
    return null;
  } finally {
    model.model.dispose();
  }
}

/**
 * The value of `metric` on the scored rows; null without labelled rows. A `UserError`
 * when `metric` is not one of the task's.
 */
export function metricValue(scored: ScoredRows | null, metric: string, task: Task): number | null {
  if (scored === null || scored.rows === 0) return null;
  const metrics = weightedMetrics(scored, null);
  if (metrics[metric] === undefined)
    throw new UserError(`monitoring.metric: "${metric}" is not a metric of a ${task} model (${Object.keys(metrics).join(', ')})`);
  return metrics[metric];
}

/** What a run saw, before it is judged: the evidence's measured fields and validation's result. */
export type Observed = Omit<MonitorEvidence, 'fingerprint' | 'errors' | 'drift'> & {
  fingerprint: string;
  validation: Pick<ValidationResult, 'anomalies' | 'drift'>;
};

/** The evidence of a run: its observations, validation's error messages and drift in short. */
export function monitorEvidence(observed: Observed): MonitorEvidence {
  const { validation } = observed;
  const drifted = validation.drift?.columns.filter((c) => c.drifted).map((c) => c.column) ?? [];
  return {
    production: observed.production,
    metric: observed.metric,
    higherIsBetter: observed.higherIsBetter,
    value: observed.value,
    reference: observed.reference,
    rows: observed.rows,
    fingerprint: observed.fingerprint,
    errors: validation.anomalies.filter((a) => a.severity === 'error').map((a) => a.message),
    drift:
      validation.drift === null
        ? null
        : {
            dataset: validation.drift.datasetDrift,
            // The label and the prediction are reported apart from the input columns.
            label: validation.drift.label?.drifted === true,
            prediction: validation.drift.prediction?.drifted === true,
            columns: drifted,
            share: validation.drift.columns.length === 0 ? 0 : drifted.length / validation.drift.columns.length,
          },
  };
}
