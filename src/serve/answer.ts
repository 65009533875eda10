/**
 * One request's answer: its rows checked as `ct predict` checks a batch (the data schema
 * with the label optional, the model's input domain, the columns the model reads), then
 * encoded with the model's own preprocessing and scored. Any row that breaks a check
 * refuses the whole request with one line naming the row and the field: a request never
 * gets a prediction from a value the model would have imputed, extrapolated or turned
 * into NaN.
 */
import { findColumn, type Table } from '../data/table.js';
import { UserError } from '../errors.js';
import { createInputDomainChecker, type InputDomainChecker } from '../features/domain.js';
import { encodeTable } from '../features/preprocessing.js';
import { LABEL_ABSENCE, modelColumnAnomalies, sourceColumns } from '../predict/check.js';
import { chunkRows, outputColumns } from '../predict/rows.js';
import { predictRows } from '../train/predict.js';
import { type Anomaly, type AnomalyChecker, createAnomalyChecker } from '../validate/checker.js';
import type { AnomalyKind, Severity } from '../validate/schema.js';
import type { ServedModel } from './models.js';
import { RequestError } from './requests.js';

/**
 * Kinds judged differently for one request than for a batch: a share of rows, a count or
 * a column ct has never seen says little about a request of one row (a client may send an
 * id to join the answer back, a new airport is plausible and has its out-of-vocabulary row).
 */
const REQUEST_SEVERITY: Partial<Record<AnomalyKind, Severity>> = {
  new_column: 'warning',
  row_count_out_of_range: 'warning',
  duplicate_rows: 'warning',
  unseen_category: 'warning',
  input_out_of_vocabulary: 'warning',
};

/** No severity overrides (one object, so the checkers made for it are kept). */
const NO_OVERRIDES: Partial<Record<AnomalyKind, Severity>> = {};

/** The answer to one request: a prediction object per row, and the warnings its rows raised. */
export interface Answer {
  predictions: Array<Record<string, number | string>>;
  warnings: string[];
}

/**
 * Checks and scores `table` with `model`.
 *
 * @throws RequestError (400) for a row that breaks the schema or the input domain, or a column the model reads that is missing
 */
export function answer(model: ServedModel, table: Table, severity: Partial<Record<AnomalyKind, Severity>> = NO_OVERRIDES): Answer {
  const anomalies = checkRequest(model, table, severity);
  const error = anomalies.find((a) => a.severity === 'error');
  if (error !== undefined) throw new RequestError(400, requestMessage(error), error.column);
  let encoded;
  try {
    encoded = encodeTable(table, model.loaded.preprocessing, { withLabels: false });
  } catch (error) {
    if (error instanceof UserError) throw new RequestError(400, error.message);
    throw error;
  }
  const scores = model.forward === null ? predictRows(model.loaded.model, encoded) : model.forward(encoded);
  for (let i = 0; i < scores.length; i++) {
    // The checks above keep this from happening; a model that still answers NaN must not be believed.
    if (!Number.isFinite(scores[i]!))
      throw new Error(`model "${model.name}" ${model.version} gave a non-finite output for row ${Math.floor(i / model.loaded.width) + 1}`);
  }
  const columns = outputColumns(model.loaded, []);
  const first = columns.indexOf('version') + 1;
  const rows = chunkRows(table, scores, model.loaded, {
    file: 'request',
    offset: 0,
    keep: [],
    model: model.name,
    version: model.version,
    threshold: model.threshold,
  });
  const predictions = rows.map((row) => {
    const out: Record<string, number | string> = {};
    for (let k = first; k < columns.length; k++) out[columns[k]!] = row[k] as number | string;
    return out;
  });
  // A request without its label is the normal case, not worth a warning.
  const labels = new Set([model.loaded.preprocessing.label.column, ...model.labels]);
  const warnings = anomalies.filter((a) => a.severity === 'warning' && !(a.column !== null && labels.has(a.column) && LABEL_ABSENCE.includes(a.kind)));
  return { predictions, warnings: warnings.map((a) => a.message) };
}

/** A served model's checkers, made once and reset for each request (a request is checked in one synchronous go). */
interface RequestCheckers {
  /** The config's overrides they were made with (the request kinds' own severities on top). */
  severity: Partial<Record<AnomalyKind, Severity>>;
  schema: AnomalyChecker | null;
  domain: InputDomainChecker;
}
const checkersOf = new WeakMap<ServedModel, RequestCheckers>();

function requestCheckers(model: ServedModel, severity: Partial<Record<AnomalyKind, Severity>>): RequestCheckers {
  let checkers = checkersOf.get(model);
  if (checkers?.severity !== severity) {
    const merged = { ...severity, ...REQUEST_SEVERITY };
    checkers = {
      severity,
      schema: model.schema === null ? null : createAnomalyChecker(model.schema, { severity: merged, duplicates: false }),
      // Any row out of the model's domain is too many: tolerance 0.
      domain: createInputDomainChecker(model.loaded.preprocessing, { model: `model "${model.name}" ${model.version}`, severity: merged, tolerance: 0 }),
    };
    checkersOf.set(model, checkers);
  }
  checkers.schema?.reset();
  checkers.domain.reset();
  return checkers;
}

/** Schema, input-domain and model-column anomalies of a request, errors first. */
function checkRequest(model: ServedModel, table: Table, severity: Partial<Record<AnomalyKind, Severity>>): Anomaly[] {
  const { preprocessing } = model.loaded;
  const found: Anomaly[] = [];
  const checkers = requestCheckers(model, severity);
  if (checkers.schema !== null) {
    checkers.schema.add(table);
    found.push(...checkers.schema.result());
  }
  checkers.domain.add(table);
  found.push(...checkers.domain.result());
  const missing = new Map<string, { rows: number; files: Set<string> }>();
  for (const name of sourceColumns(preprocessing))
    if (findColumn(table, name) === undefined) missing.set(name, { rows: table.rowCount, files: new Set(['request']) });
  return modelColumnAnomalies(found, missing, table.rowCount);
}

/** An anomaly as the one line of a 400: where (the first row it names), then what. */
function requestMessage(a: Anomaly): string {
  const rows = a.examples.map((e) => e.row).filter((r): r is number => typeof r === 'number');
  const where = rows.length === 0 ? '' : `row ${rows[0]}${rows.length > 1 ? ` (and ${a.count - 1} more)` : ''}: `;
  return `${where}${a.message.replace(/^request: /, '')}`;
}
