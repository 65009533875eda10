/**
 * What a run reads: the configured window of partitions (or one file), read into
 * one table, split into training and evaluation rows, with a content fingerprint.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DataConfig, SplitConfig } from '../config/types.js';
import { UserError } from '../errors.js';
import { displayPath } from './files.js';
import { isRemote, remoteDisplay, remoteFingerprintPart, remoteName } from './remote.js';
import { dateOfDay, dayNumber, listPartitions, type Partition, selectWindow } from './partitions.js';
import { readTables } from './read.js';
import { hashSplit, timeSplit } from './split.js';
import { findColumn, type Table } from './table.js';
import { MS_PER_DAY } from '../time.js';

export interface Dataset {
  /** Every file read, in table order. */
  files: string[];
  /** Days (partitioned folder) or files (single file) of each side. */
  trainParts: string[];
  evaluationParts: string[];
  table: Table;
  trainRows: Int32Array;
  evaluationRows: Int32Array;
  /** sha256 over the names and bytes of the files read. */
  fingerprint: string;
}


/** Which files a run reads and which of them are for evaluation, decided before reading. */
export interface DatasetPlan {
  /** True when `source` is a folder of partitions. */
  partitioned: boolean;
  /** Every file, training files first. */
  files: string[];
  /** Files whose rows are all evaluation rows (time split of a folder); empty otherwise. */
  evaluationFiles: string[];
  trainParts: string[];
  evaluationParts: string[];
}

/**
 * One file (or URL), all of it read; its parts name it as the user sees it (relative to the
 * working directory, a URL without its query), so records hold no machine's path and no secret.
 */
function singleFilePlan(source: string): DatasetPlan {
  const shown = displayPath(source);
  return { partitioned: false, files: [source], evaluationFiles: [], trainParts: [shown], evaluationParts: [shown] };
}

/**
 * Plans what a run reads from `source`: the configured `data.path` resolved against
 * the config's folder, or the `--data` override resolved against the working directory.
 */
export function planDataset(data: DataConfig, source: string, exclude: ReadonlySet<string> = new Set()): DatasetPlan {
  if (isRemote(source)) return singleFilePlan(source);
  let isFolder: boolean;
  try {
    isFolder = statSync(source).isDirectory();
  } catch {
    throw new UserError(`data not found: ${displayPath(source)} (data.path or --data)`);
  }
  if (!isFolder) return singleFilePlan(source);
  // Quarantined days leave the window; the window still ends at the newest partition.
  const partitions = selectWindow(
    refuseFutureDays(listPartitions(source)).filter((p) => !exclude.has(p.date)),
    data.window,
  );
  if (data.split.method === 'time') {
    const split = timeSplit(partitions, data.split.evaluationDays);
    const evaluationFiles = split.evaluation.map((p) => p.file);
    return {
      partitioned: true,
      files: [...split.train.map((p) => p.file), ...evaluationFiles],
      evaluationFiles,
      trainParts: split.train.map((p) => p.date),
      evaluationParts: split.evaluation.map((p) => p.date),
    };
  }
  const days = partitions.map((p) => p.date);
  return { partitioned: true, files: partitions.map((p) => p.file), evaluationFiles: [], trainParts: days, evaluationParts: days };
}

/**
 * The partitions, unless one is named for a day after tomorrow (UTC; a day of slack for
 * time zones ahead of it): no labelled rows can exist for it yet, and as the newest day
 * it would move the whole window. `ct predict` reads partitions without this check.
 */
function refuseFutureDays(partitions: Partition[]): Partition[] {
  const today = Math.floor(Date.now() / MS_PER_DAY);
  const newest = partitions.at(-1);
  if (newest !== undefined && dayNumber(newest.date)! > today + 1) {
    throw new UserError(`${newest.file}: named for ${newest.date}, a day that has not come yet (today is ${dateOfDay(today)} UTC); name a partition for the day its rows are from`);
  }
  return partitions;
}

/**
 * Plans a batch given explicitly (`--data`): every partition of a folder, or the one
 * file, all of it new data (no split).
 */
export function planBatch(source: string): DatasetPlan {
  if (isRemote(source)) return singleFilePlan(source);
  let isFolder: boolean;
  try {
    isFolder = statSync(source).isDirectory();
  } catch {
    throw new UserError(`data not found: ${displayPath(source)} (--data)`);
  }
  if (!isFolder) return { partitioned: false, files: [source], evaluationFiles: [], trainParts: [], evaluationParts: [source] };
  const partitions = listPartitions(source);
  return { partitioned: true, files: partitions.map((p) => p.file), evaluationFiles: [], trainParts: [], evaluationParts: partitions.map((p) => p.date) };
}

/**
 * Reads the data of a run (see {@link planDataset}; `exclude` names quarantined days) and
 * splits it into training and evaluation rows.
 */
export async function loadDataset(data: DataConfig, source: string, exclude: ReadonlySet<string> = new Set()): Promise<Dataset> {
  const plan = planDataset(data, source, exclude);
  const options = data.format === undefined ? {} : { format: data.format };
  const table = await readTables(plan.files, options);
  const fingerprint = fingerprintFiles(plan.files);
  const base = { files: plan.files, trainParts: plan.trainParts, evaluationParts: plan.evaluationParts, table, fingerprint };
  const split = data.split;
  if (plan.evaluationFiles.length > 0) {
    const evaluation = new Set(plan.evaluationFiles.map(displayPath));
    const trainCount = table.sources.filter((s) => !evaluation.has(s.file)).reduce((n, s) => n + s.rows, 0);
    return { ...base, trainRows: range(0, trainCount), evaluationRows: range(trainCount, table.rowCount) };
  }
  const rows =
    split.method === 'hash'
      ? hashSplitRows(table, split)
      : timeSplitRows(table, data.timestamp, split.evaluationDays, source);
  return { ...base, trainRows: rows.train, evaluationRows: rows.evaluation };
}

/** The config's hash split of a table's rows (also what `ct verify` splits again). */
export function hashSplitRows(table: Table, split: Extract<SplitConfig, { method: 'hash' }>): { train: Int32Array; evaluation: Int32Array } {
  return hashSplit(table, { fraction: split.evaluationFraction, seed: split.seed, ...(split.key ? { key: split.key } : {}) });
}

/** Time split inside one file: rows of the newest `days` calendar days (UTC) are for evaluation. */
function timeSplitRows(table: Table, timestamp: string | undefined, days: number, file: string): { train: Int32Array; evaluation: Int32Array } {
  if (timestamp === undefined) throw new UserError(`data.split: a time split of one file (${file}) needs data.timestamp`);
  const column = findColumn(table, timestamp);
  if (column === undefined || column.type !== 'timestamp') {
    throw new UserError(`data.timestamp: column "${timestamp}" of ${file} is ${column === undefined ? 'missing' : column.type}, expected timestamps`);
  }
  let newestDay = -Infinity;
  for (let i = 0; i < column.values.length; i++) {
    const day = Math.floor(column.values[i]! / MS_PER_DAY);
    if (day > newestDay) newestDay = day;
  }
  const firstEvaluationDay = newestDay - days + 1;
  const train: number[] = [];
  const evaluation: number[] = [];
  for (let i = 0; i < column.values.length; i++) {
    const t = column.values[i]!;
    (Number.isFinite(t) && Math.floor(t / MS_PER_DAY) >= firstEvaluationDay ? evaluation : train).push(i);
  }
  if (train.length === 0) throw new UserError(`data.split.evaluationDays: ${days} days leave no training rows in ${file}`);
  return { train: Int32Array.from(train), evaluation: Int32Array.from(evaluation) };
}

function range(from: number, to: number): Int32Array {
  const out = new Int32Array(Math.max(0, to - from));
  for (let i = 0; i < out.length; i++) out[i] = from + i;
  return out;
}

/** Content hash of files: names (not folders, so clones elsewhere agree) and bytes. */
export function fingerprintFiles(files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of files) {
    if (isRemote(file)) {
      // A remote file is identified by the version its server gave when it was read.
      const version = remoteFingerprintPart(file);
      if (version === undefined) throw new Error(`fingerprint of ${remoteDisplay(file)} asked for before it was read`);
      hash.update(remoteName(file));
      hash.update('\0');
      hash.update(version);
      continue;
    }
    hash.update(path.basename(file));
    hash.update('\0');
    hash.update(readFileSync(file));
  }
  return `sha256:${hash.digest('hex')}`;
}
