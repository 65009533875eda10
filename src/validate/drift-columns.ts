/**
 * The columns ct adds to a table before its statistics and drift are computed: the label
 * as a number (binary and regression tasks) and the production model's predictions.
 */
import * as tf from '../tf.js';
import type { CtConfig } from '../config/types.js';
import { type Column, numberColumnOf, type Table } from '../data/table.js';
import { isUserError } from '../errors.js';
import { LABEL_COLUMN, PREDICTION_COLUMN } from '../features/derived.js';
import { labelColumnValues } from '../features/label.js';
import { encodeTable, type Preprocessing } from '../features/preprocessing.js';
import { predictRows } from '../train/predict.js';

/** A model (loaded on first use) with its preprocessing, able to score a table. */
export interface Scorer {
  model: () => Promise<tf.LayersModel>;
  preprocessing: Preprocessing;
}

/**
 * Adds the columns tested for label and prediction drift: the label (binary and
 * regression tasks) and, given a model, its predictions.
 */
export async function deriveColumns(table: Table, config: CtConfig, production: Scorer | null): Promise<Table> {
  const extra: Column[] = [];
  if (config.task !== 'multiclass' && table.columns.some((c) => c.name === config.label.column)) {
    const labels = labelColumnValues(table, { ...config.label, task: config.task });
    extra.push(numberColumnOf(LABEL_COLUMN, labels));
  }
  if (production !== null && production.preprocessing.task !== 'multiclass') {
    try {
      const encoded = encodeTable(table, production.preprocessing, { withLabels: false });
      extra.push(numberColumnOf(PREDICTION_COLUMN, predictRows(await production.model(), encoded)));
    } catch (error) {
      // A batch the production model cannot read (a missing column) is a user error the
      // anomalies already name: no prediction drift then. Anything else is a bug.
      if (!isUserError(error)) throw error;
    }
  }
  return extra.length === 0 ? table : { ...table, columns: [...table.columns, ...extra] };
}
