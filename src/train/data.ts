/**
 * The data of a training run, apart from the model and the loop (as the tfjs-examples
 * keep data.js, model.js and train.js apart): the dataset's training rows, the
 * preprocessing fitted on them, the rows with a label to learn from, and the seeded
 * sample and validation holdout of those.
 */
import type { CtConfig, TrainingConfig } from '../config/types.js';
import type { Dataset } from '../data/dataset.js';
import { takeRows, type Table } from '../data/table.js';
import { UserError } from '../errors.js';
import { imputedSummary } from '../features/domain.js';
import { type EncodedData, encodeTable, fitPreprocessing, labelledRows, type Preprocessing } from '../features/preprocessing.js';
import { holdout, sampleRows } from './random.js';

/** The training rows of a dataset: as read, and encoded by preprocessing fitted on them. */
export interface TrainingData {
  table: Table;
  preprocessing: Preprocessing;
  encoded: EncodedData;
}

/** A line about a feature's imputed training rows; `warning` when values were not finite. */
export interface ImputedLine {
  line: string;
  warning: boolean;
}

/**
 * Fits preprocessing on the dataset's training rows and encodes them; `adapt` may turn
 * the fitted preprocessing into the one to encode with (a warm start grows the parent's).
 * A `UserError` when the window and split leave no training rows.
 */
export function encodeTrainingRows(dataset: Dataset, config: CtConfig, adapt?: (fitted: Preprocessing) => Preprocessing): TrainingData {
  const table = takeRows(dataset.table, dataset.trainRows);
  if (table.rowCount === 0) throw new UserError('no training rows in the selected window (data.window, data.split)');
  const fitted = fitPreprocessing(table, config);
  const preprocessing = adapt === undefined ? fitted : adapt(fitted);
  const encoded = encodeTable(table, preprocessing);
  return { table, preprocessing: adapt === undefined ? preprocessing : withMeasuredOutOfVocabulary(preprocessing, encoded), encoded };
}

/**
 * Vocabulary features' out-of-vocabulary share as the encoder counted it on the training
 * rows: exact for a vocabulary that was not fitted on them alone (a grown one).
 */
function withMeasuredOutOfVocabulary(prep: Preprocessing, encoded: EncodedData): Preprocessing {
  const features = prep.features.map((f) => {
    const counts = encoded.imputed.find((c) => c.feature === f.name);
    if (f.kind !== 'categorical' || f.vocabulary === undefined || counts === undefined) return f;
    const present = encoded.rows - counts.missing;
    return { ...f, outOfVocabularyShare: present === 0 ? 0 : counts.outOfVocabulary / present };
  });
  return { ...prep, features };
}

/**
 * One line per feature whose training rows were imputed (or lie far from the range):
 * the model learns from those rows as the encoder fills them in, so it is never silent.
 * A warning when values were not finite (broken data, trained as the mean).
 */
export function imputedLines(data: TrainingData): ImputedLine[] {
  const lines: ImputedLine[] = [];
  for (const counts of data.encoded.imputed) {
    const feature = data.preprocessing.features.find((f) => f.name === counts.feature)!;
    const line = imputedSummary(feature, counts, data.encoded.rows);
    if (line !== null) lines.push({ line, warning: counts.nonFinite > 0 });
  }
  return lines;
}

/**
 * The encoded rows that have a label. A `UserError` when none has, or when a classifier
 * would see a single class: nothing to learn, and its evaluation (AUC, log loss) would
 * be undefined. `trainParts` name the days (or files) read, for the message.
 */
export function labelledTrainingRows(data: TrainingData, config: CtConfig, trainParts: readonly string[]): Int32Array {
  const { encoded, preprocessing } = data;
  const labelled = labelledRows(encoded);
  if (labelled.length === 0) throw new UserError(`label: every training row has a null "${config.label.column}"`);
  if (config.task !== 'regression') {
    const seen = new Set(labelled.map((i) => encoded.labels[i]!));
    if (seen.size < 2) {
      const only = config.task === 'binary' ? (seen.has(1) ? 'true' : 'false') : (preprocessing.label.classes?.[Number([...seen][0])] ?? '?');
      const parts = trainParts.length > 2 ? `${trainParts[0]}..${trainParts.at(-1)}` : trainParts.join(', ');
      throw new UserError(
        `label "${config.label.text}" is ${only} for all ${labelled.length} training rows (${parts}): a classifier needs at least two classes`,
      );
    }
  }
  return labelled;
}

/**
 * The rows the model learns from (`keep`) and the rows held out to validate each epoch
 * (`held`): a seeded sample of at most training.maxRows, then a seeded holdout.
 */
export function splitTrainingRows(labelled: Int32Array, training: TrainingConfig): { keep: Int32Array; held: Int32Array } {
  const rows = training.maxRows === undefined ? labelled : sampleRows(labelled, training.maxRows, training.seed);
  return holdout(rows, training.validationFraction, training.seed);
}
