/**
 * Scoring saved models on labelled rows: load a model folder, score one model, or score
 * the candidate and the production model on the same rows, each through its own
 * preprocessing.
 */
import path from 'node:path';
import * as tf from '../tf.js';
import type { Table } from '../data/table.js';
import { displayPath } from '../data/files.js';
import { UserError } from '../errors.js';
import { readJson } from '../files.js';
import { encodeTable, type EncodedData, labelledRows, type Preprocessing } from '../features/preprocessing.js';
import { fileLoadHandler } from '../train/io.js';
import { registerSavedModule } from '../train/module.js';
import { predictRows } from '../train/predict.js';
import { type MetricOptions, type ScoredRows, scoreRows } from './metrics.js';

/** A saved model loaded for scoring. */
export interface LoadedModel {
  dir: string;
  preprocessing: Preprocessing;
  model: tf.LayersModel;
  /** Outputs per row (classes for multiclass, else 1). */
  width: number;
}

/** Loads the model folder `dir` (TF.js files and preprocessing); `role` names it in errors. */
export async function loadModel(dir: string, role: string): Promise<LoadedModel> {
  const preprocessing = readJson<Preprocessing>(path.join(dir, 'preprocessing.json'), `${role} preprocessing`);
  const model = await loadLayersModel(dir, role);
  return { dir, preprocessing, model, width: (model.outputs[0]!.shape[1] as number | null) ?? 1 };
}

/** The TF.js model of the folder `dir` alone; a model that cannot be loaded is a UserError naming `role`. */
export async function loadLayersModel(dir: string, role: string): Promise<tf.LayersModel> {
  // A model module's layers are registered from the copy saved with the model, never from the config's file.
  await registerSavedModule(dir, role);
  try {
    return await tf.loadLayersModel(fileLoadHandler(dir));
  } catch (error) {
    if (error instanceof UserError) throw error;
    const reason = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    // TF.js names the class; what to do about it is ct's to say.
    const hint = /^Unknown layer: /.test(reason) ? ' (a custom layer of a model module must be registered in its registerLayers(tf))' : '';
    throw new UserError(`${role} in ${displayPath(dir)} cannot be loaded: ${reason.replace(/\. This may be due to.*$/, '.')}${hint}`, {
      cause: error,
    });
  }
}

/**
 * One model's predictions on the labelled rows of `table`, through its own
 * preprocessing, prepared for `weightedMetrics` (the labels are its encoding's).
 */
export function scoreLabelledRows(
  table: Table,
  model: LoadedModel,
  options: MetricOptions,
): { encoded: EncodedData; selected: Int32Array; scored: ScoredRows } {
  const { encoded, selected, labels, preds } = predictLabelledRows(table, model);
  return { encoded, selected, scored: scoreRows(model.preprocessing.task, labels, preds, options) };
}

/**
 * One model's predictions on the labelled rows of `table` and their labels (its own
 * encoding's), not yet scored: predictions of several tables can be pooled and scored as one.
 */
export function predictLabelledRows(
  table: Table,
  model: LoadedModel,
): { encoded: EncodedData; selected: Int32Array; labels: Float32Array; preds: Float32Array } {
  const encoded = encodeTable(table, model.preprocessing);
  const selected = labelledRows(encoded);
  const labels = Float32Array.from(selected, (i) => encoded.labels[i]!);
  return { encoded, selected, labels, preds: predictRows(model.model, encoded, selected) };
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
export function scoreSameRows(
  table: Table,
  candidate: LoadedModel,
  production: LoadedModel | null,
  options: MetricOptions,
  productionName: string,
): SameRowScores {
  const task = candidate.preprocessing.task;
  const { encoded, selected, scored: candidateScored } = scoreLabelledRows(table, candidate, options);
  const labels = candidateScored.labels;
  if (production === null) return { encoded, productionEncoded: null, selected, labels, candidate: candidateScored, production: null };
  if (production.preprocessing.task !== task || production.width !== candidate.width) {
    throw new UserError(
      `${productionName} predicts a ${production.preprocessing.task} label with ${production.width} output(s), the candidate a ${task} label with ${candidate.width}: they cannot be compared on the same rows`,
    );
  }
  // Output k means class k of each model's own list: the lists must agree, order included.
  const classes = (m: LoadedModel): string => JSON.stringify(m.preprocessing.label.classes ?? null);
  if (classes(production) !== classes(candidate)) {
    throw new UserError(
      `${productionName} predicts the classes ${classes(production)}, the candidate ${classes(candidate)}: their outputs cannot be compared row by row`,
    );
  }
  const productionEncoded = encodeTable(table, production.preprocessing, { withLabels: false });
  const productionScored = scoreRows(task, labels, predictRows(production.model, productionEncoded, selected), options);
  return { encoded, productionEncoded, selected, labels, candidate: candidateScored, production: productionScored };
}
