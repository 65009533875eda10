/**
 * Writing a trained candidate's model folder: `model.json` and `weights.bin`,
 * `preprocessing.json`, `statistics.json` (the drift reference) and `training.json`.
 */
import { renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type * as tf from '../tf.js';
import type { TrainingRecord } from '../artifacts.js';
import type { CtConfig } from '../config/types.js';
import type { Table } from '../data/table.js';
import { faultPoint } from '../fault.js';
import type { Preprocessing } from '../features/preprocessing.js';
import { writeJson } from '../files.js';
import { deriveColumns } from '../validate/drift-columns.js';
import { computeStatistics, type DatasetStatistics } from '../validate/statistics.js';
import { fileSaveHandler } from './io.js';

/** What goes into a candidate's folder besides the model. */
export interface CandidateFiles {
  preprocessing: Preprocessing;
  record: TrainingRecord;
  /** The training rows as read, whose statistics are the drift reference. */
  table: Table;
  config: CtConfig;
}

/**
 * Writes the candidate into `dir`. Built in a fresh folder beside the old candidate,
 * then swapped in: files of an earlier candidate never mix with this one, and a run
 * killed while saving leaves no half model. The caller still owns (and disposes) `model`.
 */
export async function saveCandidate(dir: string, model: tf.LayersModel, files: CandidateFiles): Promise<void> {
  const building = `${dir}.partial`;
  rmSync(building, { recursive: true, force: true });
  try {
    await model.save(fileSaveHandler(building));
    writeJson(path.join(building, 'preprocessing.json'), files.preprocessing);
    writeJson(path.join(building, 'statistics.json'), await referenceStatistics(files.table, files.config, model, files.preprocessing));
    writeJson(path.join(building, 'training.json'), files.record);
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    throw error;
  }
  rmSync(dir, { recursive: true, force: true });
  faultPoint('train: old candidate removed');
  renameSync(building, dir);
}

/**
 * Statistics of the training rows, the drift reference of later batches: the columns
 * as read, plus the label and the model's own predictions on those rows (the
 * reference for label and prediction drift), derived as validation derives them.
 */
async function referenceStatistics(table: Table, config: CtConfig, model: tf.LayersModel, preprocessing: Preprocessing): Promise<DatasetStatistics> {
  return computeStatistics(await deriveColumns(table, config, { model: async () => model, preprocessing }));
}
