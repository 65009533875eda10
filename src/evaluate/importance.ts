/**
 * Permutation importance: how much a model's headline metric falls when one feature's
 * values are shuffled across the evaluation rows, breaking its link to the label. Computed
 * for the candidate and production on the same rows with the same shuffles, so a reviewer
 * sees a change in what the model relies on next to the gates. Features are the model's
 * inputs as the config names them (a hashed cross is its own feature).
 */
import type { Task } from '../config/types.js';
import type * as tf from '../tf.js';
import { type EncodedData, gatherRows, type Preprocessing } from '../features/preprocessing.js';
import { compileForward } from '../train/forward.js';
import { allRows, predictRows } from '../train/predict.js';
import { mulberry32, sampleRows } from '../train/random.js';
import { type MetricOptions, scoreRows, weightedMetrics } from './metrics.js';

/** One feature's importance: the metric's fall over the shuffles (mean, and the lowest and highest of them). */
export interface FeatureImportance {
  feature: string;
  mean: number;
  low: number;
  high: number;
}

/** A feature whose importance changed between production and the candidate. */
export interface ImportanceShift {
  feature: string;
  candidate: number;
  production: number;
}

/** What `evaluation.json` records under `importance`. */
export interface ImportanceRecord {
  metric: string;
  rows: number;
  repeats: number;
  /** Most important first. */
  candidate: FeatureImportance[];
  production: FeatureImportance[] | null;
  /** Features whose ranges do not overlap and whose means differ by at least `SHIFT`. */
  shifts: ImportanceShift[];
}

/** The smallest change of a feature's importance worth showing (in the metric's units). */
export const SHIFT = 0.005;

/** One model's side of the computation. */
export interface ImportanceInput {
  /** Feature names in input order. */
  features: string[];
  encoded: EncodedData;
  predict: (data: EncodedData) => Float32Array;
}

export interface ImportanceOptions {
  task: Task;
  metric: { name: string; higherIsBetter: boolean };
  metricOptions: MetricOptions;
  repeats: number;
  seed: number;
}

/**
 * The importance of every feature of `model` on `rows` (indices into its encoding) with
 * their `labels`: the same `repeats` shuffles of the rows for every feature and model.
 */
export function featureImportance(model: ImportanceInput, rows: Int32Array, labels: Float32Array, options: ImportanceOptions): FeatureImportance[] {
  const n = rows.length;
  const subset: EncodedData = {
    ...model.encoded,
    rows: n,
    inputs: model.encoded.inputs.map((column, c) => gatherRows(column, model.encoded.widths[c]!, rows)),
  };
  const score = (): number => {
    const metrics = weightedMetrics(scoreRows(options.task, labels, model.predict(subset), options.metricOptions), null, [options.metric.name]);
    return (metrics as Record<string, number>)[options.metric.name]!;
  };
  const base = score();
  const shuffles = Array.from({ length: options.repeats }, (_, r) => shuffled(n, options.seed + r));
  const result = model.features.map((feature, i) => {
    const original = subset.inputs[i]!;
    const falls = shuffles.map((order) => {
      subset.inputs[i] = gatherRows(original, subset.widths[i]!, order);
      const value = score();
      return options.metric.higherIsBetter ? base - value : value - base;
    });
    subset.inputs[i] = original;
    return { feature, mean: falls.reduce((a, b) => a + b, 0) / falls.length, low: Math.min(...falls), high: Math.max(...falls) };
  });
  return result.sort((a, b) => b.mean - a.mean);
}

/** Features whose importance moved: ranges apart and means at least `SHIFT` apart. */
export function importanceShifts(candidate: FeatureImportance[], production: FeatureImportance[]): ImportanceShift[] {
  const before = new Map(production.map((f) => [f.feature, f]));
  return candidate.flatMap((c) => {
    const p = before.get(c.feature);
    if (p === undefined || Math.abs(c.mean - p.mean) < SHIFT || (c.low <= p.high && p.low <= c.high)) return [];
    return [{ feature: c.feature, candidate: c.mean, production: p.mean }];
  });
}

/** 0..n-1 in a seeded random order (Fisher-Yates). */
function shuffled(n: number, seed: number): Int32Array {
  const random = mulberry32(seed);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

/** A loaded model (as `loadModel` gives it): its network and its preprocessing. */
interface ScoredModel {
  model: tf.LayersModel;
  preprocessing: Preprocessing;
}

/** The models of an evaluation and their encodings of the same table, as `scoreSameRows` gives them. */
export interface ImportanceModels {
  candidate: { model: ScoredModel; encoded: EncodedData };
  production: { model: ScoredModel; encoded: EncodedData } | null;
  /** The labelled rows both were scored on, and their labels. */
  selected: Int32Array;
  labels: Float32Array;
}

/** Permutation importance of the candidate and production on a seeded sample of the evaluation rows (at most `maxRows`). */
export function evaluationImportance(
  models: ImportanceModels,
  settings: { repeats: number; maxRows: number; seed: number },
  options: Omit<ImportanceOptions, 'repeats' | 'seed'>,
): ImportanceRecord {
  const positions = sampleRows(allRows(models.selected.length), settings.maxRows, settings.seed);
  const rows = Int32Array.from(positions, (p) => models.selected[p]!);
  const labels = Float32Array.from(positions, (p) => models.labels[p]!);
  const all = { ...options, repeats: settings.repeats, seed: settings.seed };
  const side = ({ model, encoded }: { model: ScoredModel; encoded: EncodedData }): FeatureImportance[] => {
    // The fused forward pass where the model allows it: the shuffles cost predictions, not TF.js calls.
    const forward = compileForward(model.model, model.preprocessing.task);
    const predict = forward ?? ((data: EncodedData): Float32Array => predictRows(model.model, data));
    return featureImportance({ features: model.preprocessing.features.map((f) => f.name), encoded, predict }, rows, labels, all);
  };
  const candidate = side(models.candidate);
  const production = models.production === null ? null : side(models.production);
  return {
    metric: options.metric.name,
    rows: rows.length,
    repeats: settings.repeats,
    candidate,
    production,
    shifts: production === null ? [] : importanceShifts(candidate, production),
  };
}
