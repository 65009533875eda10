/**
 * The comparison `ct evaluate` makes once both models are scored on the same rows:
 * metrics and guard metrics of each, deltas with paired intervals, slices, significance
 * tests and curves; then the gates' verdict, and the evaluation record that carries it.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type EvaluationRecord, type InfraCheckResult, type SliceRecord, splitMeasured } from '../artifacts.js';
import type { CtConfig } from '../config/types.js';
import type { Dataset } from '../data/dataset.js';
import type { Table } from '../data/table.js';
import type { EncodedData } from '../features/preprocessing.js';
import { predictRows } from '../train/predict.js';
import { applyGates, type GateFailure, type GateResult, type GateScope } from './gates.js';
import {
  calibrationCurve,
  GUARD_METRICS,
  headlineMetric,
  MEASURED_METRICS,
  type MetricOptions,
  type Metrics,
  rocCurve,
  scoreRows,
  weightedMetrics,
} from './metrics.js';
import type { LoadedModel, SameRowScores } from './score.js';
import { type DeltaInterval, deLongTest, mcNemarTest, pairedBootstrap, quantileSorted } from './significance.js';
import { sliceTable } from './slices.js';

type EvaluationOptions = CtConfig['evaluation'];
type Bootstrap = EvaluationOptions['bootstrap'];

/** Everything measured on the evaluation rows, before any gate. */
export interface Comparison {
  task: EvaluationRecord['task'];
  rows: number;
  candidate: Metrics;
  /** Null without a production model. */
  production: Metrics | null;
  bootstrap: Bootstrap | null;
  intervals: ReturnType<typeof pairedBootstrap>;
  deltas: EvaluationRecord['deltas'];
  slices: SliceRecord[];
  tests: EvaluationRecord['tests'];
  curves: EvaluationRecord['curves'];
  /** Slices that could not be formed or scored, for the log. */
  warnings: string[];
}

/** Guard metrics: size of the TF.js files, and batch prediction latency (p50, p95). */
export function guardMetrics(m: LoadedModel, encoded: EncodedData, rows: Int32Array, latency: EvaluationOptions['latency']): Metrics {
  const modelBytes = statSync(path.join(m.dir, 'model.json')).size + statSync(path.join(m.dir, 'weights.bin')).size;
  const batch = rows.subarray(0, Math.min(rows.length, latency.batchRows));
  if (batch.length === 0) return { modelBytes };
  // Two untimed batches first: the first calls of a backend compile and allocate.
  for (let i = 0; i < 2; i++) predictRows(m.model, encoded, batch);
  const times = new Float64Array(latency.repeats);
  for (let i = 0; i < latency.repeats; i++) {
    const started = performance.now();
    predictRows(m.model, encoded, batch);
    times[i] = performance.now() - started;
  }
  times.sort();
  return { modelBytes, latencyP50Ms: quantileSorted(times, 0.5), latencyP95Ms: quantileSorted(times, 0.95) };
}

/** The rows at `positions` of row-major predictions with `width` outputs per row. */
function gather(values: Float32Array, positions: ArrayLike<number>, width: number): Float32Array {
  const out = new Float32Array(positions.length * width);
  for (let k = 0; k < positions.length; k++) out.set(values.subarray(positions[k]! * width, (positions[k]! + 1) * width), k * width);
  return out;
}

/** Metrics whose delta gets an interval on a slice: the headline one, and those significance gates judge there. */
function sliceIntervalMetrics(config: CtConfig, key: string, name: string): string[] {
  const metrics = new Set([headlineMetric(config.task).name]);
  for (const g of config.gates) if (g.significance !== undefined && (g.slice === name || g.slice === key)) metrics.add(g.metric);
  return [...metrics];
}

/** Candidate minus production for every metric both have, with the paired interval where there is one. */
function deltasOf(candidate: Metrics, production: Metrics, intervals: ReturnType<typeof pairedBootstrap>): EvaluationRecord['deltas'] {
  const deltas: EvaluationRecord['deltas'] = {};
  for (const [name, value] of Object.entries(candidate)) {
    const base = production[name];
    if (base !== undefined) deltas[name] = { value: value - base, ci: intervals[name]?.ci ?? null };
  }
  return deltas;
}

/** Each slice of the config scored for both models on its labelled rows (too small ones skipped, with the reason). */
function scoreSlices(
  table: Table,
  pair: SameRowScores,
  width: number,
  config: CtConfig,
  metricOptions: MetricOptions,
  bootstrap: Bootstrap | null,
): { slices: SliceRecord[]; warnings: string[] } {
  const options = config.evaluation;
  // Table rows -> positions among the labelled rows.
  const position = new Int32Array(table.rowCount).fill(-1);
  pair.selected.forEach((row, k) => (position[row] = k));
  const { slices: sliceRows, warnings } = sliceTable(table, options.slices, config.data.timezone);
  const slices = sliceRows.map((s, index): SliceRecord => {
    const positions = Int32Array.from(s.rows, (r) => position[r]!).filter((p) => p >= 0);
    const record: SliceRecord = { name: s.name, key: s.key, value: s.value, rows: positions.length, skipped: null, candidate: {}, baseline: null, deltas: {} };
    if (positions.length < options.minSliceRows) {
      record.skipped = positions.length === 0 ? 'no labelled rows' : `only ${positions.length} rows (minimum ${options.minSliceRows})`;
      return record;
    }
    const sliceCandidate = scoreRows(config.task, gather(pair.labels, positions, 1), gather(pair.candidate.preds, positions, width), metricOptions);
    record.candidate = weightedMetrics(sliceCandidate, null);
    if (pair.production !== null) {
      const sliceProduction = scoreRows(config.task, sliceCandidate.labels, gather(pair.production.preds, positions, width), metricOptions);
      record.baseline = weightedMetrics(sliceProduction, null);
      const sliceIntervals =
        bootstrap === null
          ? {}
          : pairedBootstrap(sliceCandidate, sliceProduction, {
              ...bootstrap,
              seed: bootstrap.seed + index + 1,
              metrics: sliceIntervalMetrics(config, s.key, s.name),
            });
      for (const [name, value] of Object.entries(record.candidate))
        record.deltas[name] = { value: value - record.baseline[name]!, ci: sliceIntervals[name]?.ci ?? null };
    }
    return record;
  });
  const skipped = slices.filter((s) => s.skipped !== null);
  if (skipped.length > 0) warnings.push(`${skipped.length} slice(s) skipped as too small: ${skipped.map((s) => `${s.key} (${s.rows} rows)`).join(', ')}`);
  return { slices, warnings };
}

/**
 * Compares the candidate with production on the same labelled rows of `table` (`pair`,
 * from `scoreSameRows` with `metricOptions`): overall metrics and guard metrics, paired
 * intervals, slices (scored with the same options), significance tests and curves.
 */
export function compareModels(
  table: Table,
  pair: SameRowScores,
  models: { candidate: LoadedModel; production: LoadedModel | null },
  config: CtConfig,
  metricOptions: MetricOptions,
): Comparison {
  const { candidate, production } = models;
  const options = config.evaluation;
  const task = candidate.preprocessing.task;
  const candidateMetrics = { ...weightedMetrics(pair.candidate, null), ...guardMetrics(candidate, pair.encoded, pair.selected, options.latency) };
  const productionScored = pair.production;
  const productionMetrics =
    productionScored === null || production === null
      ? null
      : { ...weightedMetrics(productionScored, null), ...guardMetrics(production, pair.productionEncoded!, pair.selected, options.latency) };
  const bootstrap = productionScored !== null && options.bootstrap.samples > 0 ? options.bootstrap : null;
  const intervals = bootstrap === null ? {} : pairedBootstrap(pair.candidate, productionScored!, bootstrap);
  const { slices, warnings } = scoreSlices(table, pair, candidate.width, config, metricOptions, bootstrap);
  return {
    task,
    rows: pair.selected.length,
    candidate: candidateMetrics,
    production: productionMetrics,
    bootstrap,
    intervals,
    deltas: productionMetrics === null ? {} : deltasOf(candidateMetrics, productionMetrics, intervals),
    slices,
    tests: {
      deLong: task === 'binary' && productionScored !== null ? deLongTest(pair.candidate, productionScored) : null,
      mcNemar: task !== 'regression' && productionScored !== null ? mcNemarTest(pair.candidate, productionScored) : null,
    },
    curves:
      task === 'binary'
        ? {
            roc: { candidate: rocCurve(pair.candidate), baseline: productionScored === null ? null : rocCurve(productionScored) },
            calibration: { candidate: calibrationCurve(pair.candidate), baseline: productionScored === null ? null : calibrationCurve(productionScored) },
          }
        : null,
    warnings,
  };
}

/** The gates' verdict on a comparison; a failed infra check is a failure too. */
export function judgeComparison(config: CtConfig, c: Comparison, infra: InfraCheckResult | null): { gates: GateResult; failures: GateFailure[] } {
  const gates = gateScopes(config.gates, c);
  const failures = [...gates.failures];
  if (infra !== null && !infra.ok)
    failures.push({
      metric: 'infra',
      slice: null,
      threshold: 'loads and predicts in a fresh process',
      value: null,
      baselineValue: null,
      delta: null,
      ci: null,
      message: infra.message,
    });
  return { gates, failures };
}

/** The gates applied to a comparison's overall metrics and its slices. */
function gateScopes(gates: CtConfig['gates'], c: Pick<Comparison, 'rows' | 'candidate' | 'production' | 'intervals' | 'slices' | 'bootstrap'>): GateResult {
  const toScope = (s: SliceRecord): GateScope => ({
    slice: s.key,
    rows: s.rows,
    skipped: s.skipped,
    candidate: s.candidate,
    baseline: s.baseline,
    intervals: intervalsOf(s.deltas, c.bootstrap?.samples ?? 0),
  });
  const overall: GateScope = { slice: null, rows: c.rows, skipped: null, candidate: c.candidate, baseline: c.production, intervals: c.intervals };
  return applyGates(gates, overall, c.slices.map(toScope), { measured: MEASURED_METRICS });
}

function intervalsOf(deltas: EvaluationRecord['deltas'], draws: number): Record<string, DeltaInterval> {
  return Object.fromEntries(Object.entries(deltas).flatMap(([k, d]) => (d.ci === null ? [] : [[k, { ci: d.ci, draws }]])));
}

/**
 * `gates` (another branch's, say) applied again to what an evaluation record says it
 * measured: its metrics, the latency it measured, its intervals and slices.
 */
export function regateRecord(gates: CtConfig['gates'], e: EvaluationRecord): GateResult {
  return gateScopes(gates, {
    rows: e.rows,
    candidate: { ...e.candidate.metrics, ...e.timing.latency.candidate },
    production: e.baseline === null ? null : { ...e.baseline.metrics, ...(e.timing.latency.baseline ?? {}) },
    intervals: intervalsOf(e.deltas, e.bootstrap?.samples ?? 0),
    slices: e.slices,
    bootstrap: e.bootstrap,
  });
}

/** What `evaluationRecord` needs besides the comparison. */
export interface EvaluationFacts {
  config: CtConfig;
  dataset: Pick<Dataset, 'fingerprint' | 'evaluationParts'>;
  candidateHash: string;
  /** Registry version of the production model; null without one. */
  baselineVersion: string | null;
  infra: InfraCheckResult | null;
  backend: string;
  durationSeconds: number;
}

/**
 * The record of `evaluation.json`. What a clock measured on this machine goes to `timing`,
 * so a rerun on the same inputs writes the same record apart from it.
 */
export function evaluationRecord(c: Comparison, verdict: ReturnType<typeof judgeComparison>, facts: EvaluationFacts): EvaluationRecord {
  const { config, infra } = facts;
  const options = config.evaluation;
  const candidateSplit = splitMeasured(c.candidate);
  const productionSplit = c.production === null ? null : splitMeasured(c.production);
  let infraRecord: EvaluationRecord['infra'] = null;
  if (infra !== null) {
    const { loadMs: _load, predictMs: _predict, ...rest } = infra;
    // A passed check names no times (they are in timing.infra); a failed one says what went wrong as it is.
    infraRecord = rest.ok
      ? {
          ...rest,
          message: `infra check: loaded in a fresh process and predicted ${rest.rows} rows within the budget of ${rest.latencyBudgetMs} ms on ${rest.backend}`,
        }
      : rest;
  }
  return {
    ok: verdict.failures.length === 0,
    rubberStamp: verdict.gates.rubberStamp,
    model: config.name,
    task: c.task,
    rows: c.rows,
    data: { fingerprint: facts.dataset.fingerprint, parts: facts.dataset.evaluationParts },
    settings: { threshold: options.threshold, calibrationBins: options.calibrationBins },
    candidate: { contentHash: facts.candidateHash, metrics: candidateSplit.reproducible },
    baseline: facts.baselineVersion === null || productionSplit === null ? null : { version: facts.baselineVersion, metrics: productionSplit.reproducible },
    deltas: Object.fromEntries(Object.entries(c.deltas).filter(([name]) => !MEASURED_METRICS.includes(name))),
    bootstrap: c.bootstrap,
    tests: c.tests,
    slices: c.slices,
    curves: c.curves,
    infra: infraRecord,
    checks: verdict.gates.checks,
    failures: verdict.failures,
    guardMetrics: [...GUARD_METRICS],
    backend: facts.backend,
    timing: {
      durationSeconds: facts.durationSeconds,
      latency: { candidate: candidateSplit.measured, baseline: productionSplit?.measured ?? null },
      infra: infra === null ? null : { loadMs: infra.loadMs, predictMs: infra.predictMs },
    },
  };
}
