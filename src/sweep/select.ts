/**
 * `ct sweep select`'s logic: each leg's result read from its folder, the check that the
 * legs can be compared (same rows, same production model), the best leg, and the record
 * of the sweep. Reading the legs touches files; the rest is pure.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { allMetrics, artifactPaths, type EvaluationRecord, type SweepLegResult, type SweepRecord, type TrainingRecord } from '../artifacts.js';
import { displayPath } from '../data/files.js';
import { UserError } from '../errors.js';
import { readJson } from '../files.js';
import { describeLeg, type Leg } from './plan.js';

/** A leg's result with where it lives and its evaluation, as select works with it. */
export type LegOutcome = SweepLegResult & { dir: string; evaluation: EvaluationRecord };

/**
 * The result of every leg evaluated under `legsDir/<id>`, in leg order, by `metric`, and
 * the ids of the legs without an evaluation. A `UserError` for a leg trained with other
 * parameters than the sweep's (a stale folder) or without the metric.
 */
export function readLegOutcomes(legs: readonly Leg[], legsDir: string, metric: string): { results: LegOutcome[]; missing: string[] } {
  const results: LegOutcome[] = [];
  const missing: string[] = [];
  for (const leg of legs) {
    const dir = path.join(legsDir, leg.id);
    const paths = artifactPaths(dir);
    if (!existsSync(paths.evaluation)) {
      missing.push(leg.id);
      continue;
    }
    const evaluation = readJson<EvaluationRecord>(paths.evaluation, `evaluation of ${leg.id}`);
    const training = readJson<TrainingRecord>(path.join(paths.modelDir, 'training.json'), `training record of ${leg.id}`);
    if (training.leg?.id !== leg.id || JSON.stringify(training.leg.params) !== JSON.stringify(leg.params)) {
      throw new UserError(
        `${displayPath(dir)}: trained as ${training.leg === null ? 'no sweep leg' : `${training.leg.id} (${describeLeg(training.leg)})`}, but the sweep's ${leg.id} is ${describeLeg(leg)}: run the legs again`,
      );
    }
    const metrics = allMetrics(evaluation, 'candidate');
    const value = metrics[metric];
    if (value === undefined) throw new UserError(`sweep.metric: "${metric}" is not among the metrics of ${leg.id} (${Object.keys(metrics).join(', ')})`);
    results.push({
      id: leg.id,
      params: leg.params,
      value,
      delta: evaluation.deltas[metric] ?? null,
      gatesPassed: evaluation.ok,
      failures: evaluation.failures.map((f) => f.message),
      trainSeconds: training.timing.durationSeconds,
      contentHash: evaluation.candidate.contentHash,
      dir,
      evaluation,
    });
  }
  return { results, missing };
}

/** A `UserError` unless every leg was evaluated on the same rows against the same production model as the first: only then do their numbers compare. */
export function checkComparable(results: readonly LegOutcome[]): void {
  const first = results[0]!;
  const rowsKey = (e: EvaluationRecord): string => JSON.stringify([e.data.fingerprint, e.data.parts, e.rows, e.baseline?.version ?? null]);
  for (const r of results.slice(1)) {
    if (rowsKey(r.evaluation) !== rowsKey(first.evaluation)) {
      throw new UserError(
        `${r.id} was evaluated on other rows or against another production model than ${first.id} (data ${r.evaluation.data.fingerprint.slice(0, 19)} vs ${first.evaluation.data.fingerprint.slice(0, 19)}, production ${r.evaluation.baseline?.version ?? 'none'} vs ${first.evaluation.baseline?.version ?? 'none'}): run all legs on the same data`,
      );
    }
  }
}

/** The best leg by its value; ties go to the earlier leg. */
export function bestLeg<T extends { value: number }>(results: readonly T[], higherIsBetter: boolean): T {
  return results.reduce((a, b) => ((higherIsBetter ? b.value > a.value : b.value < a.value) ? b : a));
}

/** The contents of `sweep.json`: the legs (comparable, `checkComparable`) and the one selected. */
export function sweepRecord(
  selection: Pick<SweepRecord, 'model' | 'metric' | 'higherIsBetter' | 'selected' | 'run'>,
  results: readonly LegOutcome[],
): SweepRecord {
  const first = results[0]!;
  return {
    format: 'ct-sweep',
    model: selection.model,
    metric: selection.metric,
    higherIsBetter: selection.higherIsBetter,
    selected: selection.selected,
    rows: first.evaluation.rows,
    data: first.evaluation.data,
    baseline: first.evaluation.baseline?.version ?? null,
    legs: results.map(({ dir: _dir, evaluation: _evaluation, ...r }) => r),
    run: selection.run,
  };
}
