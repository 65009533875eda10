/**
 * The label as the model sees it, computed from a declarative config
 * (`delay > 15`): a comparison of one column with one literal, never code.
 */
import { Moments } from './moments.js';
import type { LabelConfig, Task } from '../config/types.js';
import { type Column, findColumn, type Table } from '../data/table.js';
import { UserError } from '../errors.js';

/** The label part of `preprocessing.json`. */
export interface LabelEncoding extends LabelConfig {
  task: Task;
  /** Multiclass: class names; the model's output k is `classes[k]`. */
  classes?: string[];
  /**
   * Regression: mean and standard deviation of the training labels. The model learns
   * (y - mean) / std and its output is un-scaled (x std + mean) into a prediction.
   * Absent in models saved before ct standardised the target: the identity.
   */
  scale?: LabelScale;
}

/** The standardisation of a regression target: the model's units are (y - mean) / std. */
export interface LabelScale {
  mean: number;
  std: number;
}

/** No scaling: classification labels, and regression models saved without a scale. */
export const IDENTITY_SCALE: Readonly<LabelScale> = Object.freeze({ mean: 0, std: 1 });

/**
 * The scale of a label encoding: its fitted scale for regression, else the identity.
 * A missing, non-finite or non-positive std counts as 1 (no division by zero).
 */
export function labelScale(label: LabelEncoding): LabelScale {
  if (label.task !== 'regression' || label.scale === undefined || label.scale === null) return { ...IDENTITY_SCALE };
  const { mean, std } = label.scale;
  return { mean: Number.isFinite(mean) ? mean : 0, std: Number.isFinite(std) && std > 0 ? std : 1 };
}

/** Mean and sample standard deviation of the known (non-NaN) values; std 1 when it would be 0. */
export function fitLabelScale(values: ArrayLike<number>): LabelScale {
  const moments = new Moments();
  for (let i = 0; i < values.length; i++) moments.add(values[i]!);
  return moments.scale();
}

/** Labels in the model's units: (y - mean) / std; NaN stays NaN. The input itself when the scale is the identity. */
export function standardizeLabels(labels: Float32Array, scale: LabelScale): Float32Array {
  if (scale.mean === 0 && scale.std === 1) return labels;
  const out = new Float32Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = (labels[i]! - scale.mean) / scale.std;
  return out;
}

/** Model outputs back in label units, in place: x * std + mean. */
export function unscalePredictions(outputs: Float32Array, scale: LabelScale): Float32Array {
  if (scale.mean === 0 && scale.std === 1) return outputs;
  for (let i = 0; i < outputs.length; i++) outputs[i] = outputs[i]! * scale.std + scale.mean;
  return outputs;
}

/**
 * Label values for every row: binary 0/1, multiclass class index, regression value;
 * NaN where the source value is null (or an unknown class).
 */
export function labelColumnValues(table: Table, label: LabelEncoding): Float32Array {
  const column = findColumn(table, label.column);
  if (column === undefined) throw new UserError(`label: column "${label.column}" is not in the data`);
  const n = table.rowCount;
  const out = new Float32Array(n);
  const isNullAt = (i: number): boolean => column.nulls !== null && column.nulls[i] === 1;
  if (label.task === 'multiclass') {
    if (column.type !== 'string') throw new UserError(`label: column "${label.column}" is ${column.type}, expected strings`);
    const index = new Map((label.classes ?? []).map((c, k) => [c, k]));
    const byCode = Float32Array.from(column.dictionary, (s) => index.get(s) ?? Number.NaN);
    for (let i = 0; i < n; i++) {
      const code = column.codes[i]!;
      out[i] = code < 0 ? Number.NaN : byCode[code]!;
    }
    return out;
  }
  if (label.op === undefined) {
    for (let i = 0; i < n; i++) out[i] = isNullAt(i) ? Number.NaN : plainValue(column, i, label);
    return out;
  }
  const compare = labelComparator(label);
  if (column.type === 'string') {
    const byCode = Float32Array.from(column.dictionary, (s) => (compare(s) ? 1 : 0));
    for (let i = 0; i < n; i++) {
      const code = column.codes[i]!;
      out[i] = code < 0 ? Number.NaN : byCode[code]!;
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    if (isNullAt(i)) out[i] = Number.NaN;
    else {
      const v = column.type === 'boolean' ? column.values[i] === 1 : column.values[i]!;
      out[i] = Number.isNaN(v) ? Number.NaN : compare(v) ? 1 : 0;
    }
  }
  return out;
}

function plainValue(column: Column, i: number, label: LabelEncoding): number {
  switch (column.type) {
    case 'boolean':
      return column.values[i]!;
    case 'number': {
      const v = column.values[i]!;
      if (label.task === 'binary' && v !== 0 && v !== 1 && !Number.isNaN(v)) {
        throw new UserError(`label: column "${label.column}" holds ${v}; a binary label column must be 0/1 or true/false (or write a comparison)`);
      }
      return v;
    }
    default:
      throw new UserError(`label: column "${label.column}" is ${column.type}; write a comparison such as "${label.column} == ..."`);
  }
}

/** Whether a value satisfies comparison `label` (`delay > 15`): what a row's binary label is. */
export function labelComparator(label: LabelConfig): (v: number | string | boolean) => boolean {
  const target = label.value!;
  switch (label.op) {
    case '>':
      return (v) => v > target;
    case '>=':
      return (v) => v >= target;
    case '<':
      return (v) => v < target;
    case '<=':
      return (v) => v <= target;
    case '==':
      return (v) => v === target;
    case '!=':
      return (v) => v !== target;
    default:
      throw new UserError(`label: unknown operator in "${label.text}"`);
  }
}
