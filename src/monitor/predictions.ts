/**
 * What `ct monitor` judges with `monitoring.source: predictions`: the newest days of
 * `ct serve`'s prediction log — what production was asked, with no label — joined to
 * labels that arrived later (a file or partition of `ct_request_id`, `ct_row` and the
 * label column), so drift is measured on what the model really sees and the metric on
 * whichever of its predictions have their answer by now.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DataFormat } from '../config/types.js';
import type { Dataset, DatasetPlan } from '../data/dataset.js';
import { DATA_EXTENSIONS, displayPath } from '../data/files.js';
import { listPartitions, newestDays } from '../data/partitions.js';
import { readTables } from '../data/read.js';
import { type Column, findColumn, numberColumnOf, stringColumnOf, type Table, valueAt } from '../data/table.js';
import { UserError } from '../errors.js';
import { judgedDataset, type NewData } from './new-data.js';

/** Columns ct serve adds to each logged row (`ct_time`, `ct_request_id`, ...); not data. */
export const LOG_PREFIX = 'ct_';

/** The newest `days` days of the prediction log folder of one model. */
export function predictionLogFiles(folder: string, days: number): NewData {
  if (!existsSync(folder)) throw new UserError(`monitoring.source is predictions, but there is no prediction log in ${displayPath(folder)} yet: run ct serve`);
  const chosen = newestDays(listPartitions(folder), days);
  return { files: chosen.map((p) => p.file), days: chosen.length === 0 ? null : { first: chosen[0]!.date, last: chosen.at(-1)!.date }, trainedThrough: '' };
}

/** The label files of one model: every data file in the folder (none when it does not exist). */
export function lateLabelFiles(folder: string): string[] {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return [];
  return readdirSync(folder)
    .filter((name) => DATA_EXTENSIONS.some((ext) => name.toLowerCase().endsWith(ext)))
    .sort()
    .map((name) => path.join(folder, name));
}

/** The log read as a dataset of evaluation rows: its data columns, the label filled in where a late label matched. */
export interface LoggedData {
  dataset: Dataset;
  plan: DatasetPlan;
  /** Rows logged, and of them the rows a late label was joined to. */
  logged: number;
  labelled: number;
}

/**
 * Reads the log files and joins the labels: a label row names its prediction by
 * `ct_request_id` and `ct_row` (1 when absent: a request of one row). The last label
 * given for a prediction wins. ct's own log columns are left out of the data.
 *
 * @throws UserError for a label file without `ct_request_id` or the label column
 */
export async function readPredictionLog(
  log: NewData,
  labelFiles: readonly string[],
  label: string,
  fingerprint: string,
  format: DataFormat | undefined,
): Promise<LoggedData> {
  const options = format === undefined ? {} : { format };
  const logged = await readTables(log.files, options);
  const labels = labelFiles.length === 0 ? null : await readTables(labelFiles, {});
  const joined = labels === null ? null : joinLabels(logged, labels, label, labelFiles);
  const columns = logged.columns.filter((c) => !c.name.startsWith(LOG_PREFIX) && c.name !== label);
  const table: Table = { ...logged, columns: joined === null ? columns : [...columns, joined.column] };
  return {
    ...judgedDataset(log, table, fingerprint),
    logged: logged.rowCount,
    labelled: joined?.matched ?? 0,
  };
}

/** The label column of the log's rows from the late labels (null where none arrived), and how many matched. */
function joinLabels(logged: Table, labels: Table, label: string, files: readonly string[]): { column: Column; matched: number } {
  const shown = files.map(displayPath).join(', ');
  const id = findColumn(labels, `${LOG_PREFIX}request_id`);
  const value = findColumn(labels, label);
  if (id === undefined || value === undefined) {
    throw new UserError(`late labels ${shown}: expected the columns ${LOG_PREFIX}request_id and ${label} (and ${LOG_PREFIX}row for requests of several rows)`);
  }
  const row = findColumn(labels, `${LOG_PREFIX}row`);
  const byKey = new Map<string, string | number | boolean>();
  for (let i = 0; i < labels.rowCount; i++) {
    const v = valueAt(value, i);
    const request = valueAt(id, i);
    if (v === null || request === null) continue;
    byKey.set(`${String(request)}\0${row === undefined ? 1 : String(valueAt(row, i) ?? 1)}`, v);
  }
  const loggedId = findColumn(logged, `${LOG_PREFIX}request_id`);
  const loggedRow = findColumn(logged, `${LOG_PREFIX}row`);
  if (loggedId === undefined) throw new UserError(`prediction log: no ${LOG_PREFIX}request_id column: these files were not written by ct serve`);
  const found = Array.from(
    { length: logged.rowCount },
    (_, i) => byKey.get(`${String(valueAt(loggedId, i))}\0${loggedRow === undefined ? 1 : String(valueAt(loggedRow, i))}`) ?? null,
  );
  const matched = found.filter((v) => v !== null).length;
  let column: Column;
  if (value.type === 'number')
    column = numberColumnOf(
      label,
      found.map((v) => (v === null ? NaN : Number(v))),
    );
  else if (value.type === 'boolean') {
    const nulls = found.some((v) => v === null) ? Uint8Array.from(found, (v) => (v === null ? 1 : 0)) : null;
    column = { type: 'boolean', name: label, values: Uint8Array.from(found, (v) => (v === true ? 1 : 0)), nulls };
  } else column = stringColumnOf(label, found.length, (i) => (found[i] === null ? null : String(found[i])));
  return { column, matched };
}
