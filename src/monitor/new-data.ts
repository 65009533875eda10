/**
 * The data a monitor run judges: an explicit batch (`--data`), or the newest days of the
 * data folder after the last day production was trained or evaluated on; read as one
 * dataset of evaluation rows only.
 */
import { existsSync, statSync } from 'node:fs';
import type { TrainingRecord } from '../artifacts.js';
import type { DataFormat } from '../config/types.js';
import { type Dataset, type DatasetPlan, planBatch } from '../data/dataset.js';
import { displayPath } from '../data/files.js';
import { listPartitions, newestDays } from '../data/partitions.js';
import { readTables } from '../data/read.js';
import type { Table } from '../data/table.js';
import { isRemote } from '../data/remote.js';
import { UserError } from '../errors.js';
import { allRows } from '../train/predict.js';

/** The files of new data, the days they hold (null: not daily partitions), and the last day production saw. */
export interface NewData {
  files: string[];
  days: { first: string; last: string } | null;
  trainedThrough: string;
}

/**
 * The new data to judge: all of `batch` when given (a folder of partitions, or one file),
 * else the newest `days` days of the partitions in `source` after production's data.
 * A `UserError` when `source` is one file, or production's record names no days.
 */
export function newDataFiles(batch: string | undefined, source: string, training: TrainingRecord, days: number): NewData {
  const seen = [...training.data.trainParts, ...training.data.evaluationParts].filter((p) => /^\d{4}-\d{2}-\d{2}$/.test(p)).sort();
  const trainedThrough = seen.at(-1) ?? 'unknown';
  if (batch !== undefined) {
    const plan = planBatch(batch);
    const parts = plan.partitioned ? plan.evaluationParts : [];
    return { files: plan.files, days: parts.length === 0 ? null : { first: parts[0]!, last: parts.at(-1)! }, trainedThrough };
  }
  if (isRemote(source) || (existsSync(source) && statSync(source).isFile()))
    throw new UserError(
      `data.path ${displayPath(source)} is one file: monitoring needs daily partitions to tell new data from old, or a batch of new labelled data with --data`,
    );
  if (seen.length === 0)
    throw new UserError(`production's training record names no partition days (data.path ${displayPath(source)}): give the new labelled data with --data`);
  const after = listPartitions(source).filter((p) => p.date > trainedThrough);
  const chosen = newestDays(after, days);
  return { files: chosen.map((p) => p.file), days: chosen.length === 0 ? null : { first: chosen[0]!.date, last: chosen.at(-1)!.date }, trainedThrough };
}

/** Reads the new data as a dataset of evaluation rows only, with the plan validation checks it by. */
export async function readNewData(data: NewData, fingerprint: string, format: DataFormat | undefined): Promise<{ dataset: Dataset; plan: DatasetPlan }> {
  return judgedDataset(data, await readTables(data.files, format === undefined ? {} : { format }), fingerprint);
}

/** The rows of `data`'s files as a dataset of evaluation rows only (all of it is judged), and its plan. */
export function judgedDataset(data: NewData, table: Table, fingerprint: string): { dataset: Dataset; plan: DatasetPlan } {
  const { files } = data;
  const dataset: Dataset = {
    files,
    trainParts: [],
    evaluationParts: files,
    table,
    trainRows: new Int32Array(0),
    evaluationRows: allRows(table.rowCount),
    fingerprint,
  };
  return { dataset, plan: { partitioned: data.days !== null, files, evaluationFiles: files, trainParts: [], evaluationParts: files } };
}
