/**
 * `ct evaluate`: score the candidate and the production model on the same evaluation
 * rows, each through its own saved preprocessing, measure how sure the difference is,
 * slice it, check that the candidate loads on its own, and apply the gates.
 * The production model is loaded from the registry (checksums verified) and
 * re-scored: its stored numbers are never trusted.
 */
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import type { CtConfig } from '../config/types.js';
import { type Dataset, loadDataset } from '../data/dataset.js';
import { type Table, takeRows } from '../data/table.js';
import { UserError } from '../errors.js';
import { displayPath } from '../data/files.js';
import { readJson, writeJson } from '../files.js';
import { applyGates, type GateScope } from '../evaluate/gates.js';
import { calibrationCurve, GUARD_METRICS, headlineMetric, MEASURED_METRICS, type MetricOptions, type Metrics, rocCurve, type ScoredRows, scoreRows, weightedMetrics } from '../evaluate/metrics.js';
import { deLongTest, mcNemarTest, pairedBootstrap, quantileSorted } from '../evaluate/significance.js';
import { sliceTable } from '../evaluate/slices.js';
import { encodeTable, type EncodedData, labelledRows, type Preprocessing } from '../features/preprocessing.js';
import { hashFiles, readProduction, verifiedProductionDir } from '../registry/registry.js';
import { evaluationMarkdown } from '../report/markdown.js';
import { selectBackend } from '../train/backend.js';
import { fileLoadHandler } from '../train/io.js';
import { predictRows } from '../train/predict.js';
import { artifactPaths, type EvaluationRecord, MODEL_FILES, type SliceRecord, splitMeasured, type StageContext } from './artifacts.js';
import { runInfraCheck } from './infra-check.js';
import { dataSource, quarantinedDays } from './validate.js';

/** Absolute path of the registry folder of the config. */
export function registryPath(ctx: StageContext): string {
  return path.resolve(ctx.loaded.baseDir, ctx.loaded.config.registry.path);
}

/** The model files of a folder as name -> path, for hashing and promotion. */
export function modelFiles(dir: string): Record<string, string> {
  return Object.fromEntries(MODEL_FILES.map((name) => [name, path.join(dir, name)]));
}

/** A saved model loaded for scoring. */
export interface LoadedModel {
  dir: string;
  preprocessing: Preprocessing;
  model: tf.LayersModel;
  /** Outputs per row (classes for multiclass, else 1). */
  width: number;
}

export async function loadModel(dir: string, role: string): Promise<LoadedModel> {
  const preprocessing = readJson<Preprocessing>(path.join(dir, 'preprocessing.json'), `${role} preprocessing`);
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(fileLoadHandler(dir));
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`${role} in ${displayPath(dir)} cannot be loaded: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, { cause: error });
  }
  return { dir, preprocessing, model, width: (model.outputs[0]!.shape[1] as number | null) ?? 1 };
}

/** Guard metrics: size of the TF.js files, and batch prediction latency (p50, p95). */
function guardMetrics(m: LoadedModel, encoded: EncodedData, rows: Int32Array, latency: CtConfig['evaluation']['latency']): Metrics {
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

/**
 * One model's predictions on the labelled rows of `table`, through its own
 * preprocessing, prepared for `weightedMetrics` (the labels are its encoding's).
 */
export function scoreLabelledRows(table: Table, model: LoadedModel, options: MetricOptions): { encoded: EncodedData; selected: Int32Array; scored: ScoredRows } {
  const encoded = encodeTable(table, model.preprocessing);
  const selected = labelledRows(encoded);
  const labels = Float32Array.from(selected, (i) => encoded.labels[i]!);
  return { encoded, selected, scored: scoreRows(model.preprocessing.task, labels, predictRows(model.model, encoded, selected), options) };
}

/** Both models' predictions on the same labelled rows of a table. */
export interface SameRowScores {
  /** The candidate's encoding of the table (its label encoding is the truth for both). */
  encoded: EncodedData;
  /** The production model's own encoding of the inputs; null without one. */
  productionEncoded: EncodedData | null;
  /** Table rows with a label, and their labels. */
  selected: Int32Array;
  labels: Float32Array;
  candidate: ScoredRows;
  production: ScoredRows | null;
}

/**
 * Scores `candidate` and `production` on the same labelled rows of `table`, each through
 * its own preprocessing, against the candidate's labels. Models whose outputs do not mean
 * the same (task, width, class list and order) cannot be compared: a UserError.
 */
export function scoreSameRows(table: Table, candidate: LoadedModel, production: LoadedModel | null, options: MetricOptions, productionName: string): SameRowScores {
  const task = candidate.preprocessing.task;
  const { encoded, selected, scored: candidateScored } = scoreLabelledRows(table, candidate, options);
  const labels = candidateScored.labels;
  if (production === null) return { encoded, productionEncoded: null, selected, labels, candidate: candidateScored, production: null };
  if (production.preprocessing.task !== task || production.width !== candidate.width) {
    throw new UserError(`${productionName} predicts a ${production.preprocessing.task} label with ${production.width} output(s), the candidate a ${task} label with ${candidate.width}: they cannot be compared on the same rows`);
  }
  // Output k means class k of each model's own list: the lists must agree, order included.
  const classes = (m: LoadedModel): string => JSON.stringify(m.preprocessing.label.classes ?? null);
  if (classes(production) !== classes(candidate)) {
    throw new UserError(`${productionName} predicts the classes ${classes(production)}, the candidate ${classes(candidate)}: their outputs cannot be compared row by row`);
  }
  const productionEncoded = encodeTable(table, production.preprocessing, { withLabels: false });
  const productionScored = scoreRows(task, labels, predictRows(production.model, productionEncoded, selected), options);
  return { encoded, productionEncoded, selected, labels, candidate: candidateScored, production: productionScored };
}

/** Metrics whose delta gets an interval on a slice: the headline one, and those significance gates judge there. */
function sliceIntervalMetrics(config: CtConfig, key: string, name: string): string[] {
  const metrics = new Set([headlineMetric(config.task).name]);
  for (const g of config.gates) if (g.significance !== undefined && (g.slice === name || g.slice === key)) metrics.add(g.metric);
  return [...metrics];
}

/** Evaluates the candidate in `<out>/model` against production; `record.ok` says whether the gates passed. */
export async function runEvaluate(ctx: StageContext, given?: Dataset): Promise<EvaluationRecord> {
  const started = performance.now();
  const { config } = ctx.loaded;
  const { evaluation: options } = config;
  const paths = artifactPaths(ctx.outDir);
  const candidateFiles = modelFiles(paths.modelDir);
  readJson(candidateFiles['model.json']!, 'candidate model (run `ct train` first)');
  const dataset = given ?? (await loadDataset(config.data, dataSource(ctx), quarantinedDays(ctx)));
  const backend = await selectBackend(ctx.backend ?? config.training.backend, ctx.logger);
  const table = takeRows(dataset.table, dataset.evaluationRows);
  if (table.rowCount === 0) throw new UserError('no evaluation rows in the selected window (data.window, data.split)');

  const registry = registryPath(ctx);
  const pointer = readProduction(registry, config.name);
  const candidate = await loadModel(paths.modelDir, 'candidate model');
  let production: LoadedModel | null = null;
  try {
    production = pointer === null ? null : await loadModel(verifiedProductionDir(registry, pointer), `production model ${pointer.version}`);
    const task = candidate.preprocessing.task;
    const metricOptions = { threshold: options.threshold, classes: candidate.width, calibrationBins: options.calibrationBins };
    const pair = scoreSameRows(table, candidate, production, metricOptions, `production model ${pointer?.version}`);
    const { selected, labels, encoded, candidate: candidateScored, production: productionScored } = pair;
    if (selected.length === 0) throw new UserError(`no evaluation row has a label (${config.label.text})`);
    const candidateGuards = guardMetrics(candidate, encoded, selected, options.latency);
    const productionGuards: Metrics = production === null ? {} : guardMetrics(production, pair.productionEncoded!, selected, options.latency);

    const candidateMetrics = { ...weightedMetrics(candidateScored, null), ...candidateGuards };
    const productionMetrics = productionScored === null ? null : { ...weightedMetrics(productionScored, null), ...productionGuards };
    const bootstrap = productionScored !== null && options.bootstrap.samples > 0 ? options.bootstrap : null;
    const intervals = bootstrap === null ? {} : pairedBootstrap(candidateScored, productionScored!, bootstrap);
    const deltas: EvaluationRecord['deltas'] = {};
    if (productionMetrics !== null) {
      for (const [name, value] of Object.entries(candidateMetrics)) {
        const base = productionMetrics[name];
        if (base !== undefined) deltas[name] = { value: value - base, ci: intervals[name]?.ci ?? null };
      }
    }

    // Slices: table rows -> positions among the labelled rows.
    const position = new Int32Array(table.rowCount).fill(-1);
    selected.forEach((row, k) => (position[row] = k));
    const { slices: sliceRows, warnings } = sliceTable(table, options.slices);
    for (const w of warnings) ctx.logger.warning(w);
    const slices: SliceRecord[] = sliceRows.map((s, index) => {
      const positions = Int32Array.from(s.rows, (r) => position[r]!).filter((p) => p >= 0);
      const record: SliceRecord = { name: s.name, key: s.key, value: s.value, rows: positions.length, skipped: null, candidate: {}, baseline: null, deltas: {} };
      if (positions.length < options.minSliceRows) {
        record.skipped = positions.length === 0 ? 'no labelled rows' : `only ${positions.length} rows (minimum ${options.minSliceRows})`;
        return record;
      }
      const sliceCandidate = scoreRows(task, gather(labels, positions, 1), gather(candidateScored.preds, positions, candidate.width), metricOptions);
      record.candidate = weightedMetrics(sliceCandidate, null);
      if (productionScored !== null) {
        const sliceProduction = scoreRows(task, sliceCandidate.labels, gather(productionScored.preds, positions, candidate.width), metricOptions);
        record.baseline = weightedMetrics(sliceProduction, null);
        const sliceIntervals =
          bootstrap === null ? {} : pairedBootstrap(sliceCandidate, sliceProduction, { ...bootstrap, seed: bootstrap.seed + index + 1, metrics: sliceIntervalMetrics(config, s.key, s.name) });
        for (const [name, value] of Object.entries(record.candidate)) {
          record.deltas[name] = { value: value - record.baseline[name]!, ci: sliceIntervals[name]?.ci ?? null };
        }
      }
      return record;
    });
    const skippedSlices = slices.filter((s) => s.skipped !== null);
    if (skippedSlices.length > 0) ctx.logger.warning(`${skippedSlices.length} slice(s) skipped as too small: ${skippedSlices.map((s) => `${s.key} (${s.rows} rows)`).join(', ')}`);

    const infra = options.infraCheck.enabled
      ? await runInfraCheck(paths.modelDir, takeRows(table, selected.subarray(0, options.infraCheck.sampleRows)), {
          backend: backend.name === 'tensorflow' || backend.name === 'wasm' || backend.name === 'cpu' ? backend.name : 'auto',
          latencyBudgetMs: options.infraCheck.latencyBudgetMs,
          expectedWidth: candidate.width,
        })
      : null;

    const toScope = (s: SliceRecord): GateScope => ({
      slice: s.key,
      rows: s.rows,
      skipped: s.skipped,
      candidate: s.candidate,
      baseline: s.baseline,
      intervals: Object.fromEntries(Object.entries(s.deltas).flatMap(([k, d]) => (d.ci === null ? [] : [[k, { ci: d.ci, draws: bootstrap?.samples ?? 0 }]]))),
    });
    const gates = applyGates(config.gates, { slice: null, rows: selected.length, skipped: null, candidate: candidateMetrics, baseline: productionMetrics, intervals }, slices.map(toScope), {
      measured: MEASURED_METRICS,
    });
    const failures = [...gates.failures];
    if (infra !== null && !infra.ok) failures.push({ metric: 'infra', slice: null, threshold: 'loads and predicts in a fresh process', value: null, baselineValue: null, delta: null, ci: null, message: infra.message });

    // What a clock measured on this machine goes to `timing`, so a rerun writes the same record apart from it.
    const candidateSplit = splitMeasured(candidateMetrics);
    const productionSplit = productionMetrics === null ? null : splitMeasured(productionMetrics);
    const reproducibleDeltas = Object.fromEntries(Object.entries(deltas).filter(([name]) => !MEASURED_METRICS.includes(name)));
    let infraRecord: EvaluationRecord['infra'] = null;
    if (infra !== null) {
      const { loadMs: _load, predictMs: _predict, ...rest } = infra;
      // A passed check names no times (they are in timing.infra); a failed one says what went wrong as it is.
      infraRecord = rest.ok ? { ...rest, message: `infra check: loaded in a fresh process and predicted ${rest.rows} rows within the budget of ${rest.latencyBudgetMs} ms on ${rest.backend}` } : rest;
    }

    const record: EvaluationRecord = {
      ok: failures.length === 0,
      rubberStamp: gates.rubberStamp,
      model: config.name,
      task,
      rows: selected.length,
      data: { fingerprint: dataset.fingerprint, parts: dataset.evaluationParts },
      settings: { threshold: options.threshold, calibrationBins: options.calibrationBins },
      candidate: { contentHash: hashFiles(candidateFiles), metrics: candidateSplit.reproducible },
      baseline: production === null ? null : { version: pointer!.version, metrics: productionSplit!.reproducible },
      deltas: reproducibleDeltas,
      bootstrap,
      tests: {
        deLong: task === 'binary' && productionScored !== null ? deLongTest(candidateScored, productionScored) : null,
        mcNemar: task !== 'regression' && productionScored !== null ? mcNemarTest(candidateScored, productionScored) : null,
      },
      slices,
      curves:
        task === 'binary'
          ? {
              roc: { candidate: rocCurve(candidateScored), baseline: productionScored === null ? null : rocCurve(productionScored) },
              calibration: { candidate: calibrationCurve(candidateScored), baseline: productionScored === null ? null : calibrationCurve(productionScored) },
            }
          : null,
      infra: infraRecord,
      checks: gates.checks,
      failures,
      guardMetrics: [...GUARD_METRICS],
      backend: backend.name,
      timing: {
        durationSeconds: (performance.now() - started) / 1000,
        latency: { candidate: candidateSplit.measured, baseline: productionSplit?.measured ?? null },
        infra: infra === null ? null : { loadMs: infra.loadMs, predictMs: infra.predictMs },
      },
    };
    writeJson(paths.evaluation, record);
    writeFileSync(paths.evaluationReport, evaluationMarkdown(record));
    const against = production === null ? 'no production model yet (rubber stamp)' : `production ${pointer!.version}`;
    ctx.logger.info(`evaluated on ${record.rows} rows against ${against} in ${record.timing.durationSeconds.toFixed(1)} s: gates ${record.ok ? 'passed' : 'failed'}`);
    for (const f of record.failures) ctx.logger.warning(`gate failed: ${f.message}`);
    return record;
  } finally {
    candidate.model.dispose();
    production?.model.dispose();
  }
}
