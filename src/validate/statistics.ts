/**
 * Descriptive statistics of a table, one pass per column: the reference a model is
 * trained on (`statistics.json`) and the evidence behind an inferred schema.
 */
import { type Column, columnLength, type Table } from '../data/table.js';

export interface NumericStatistics {
  min: number;
  max: number;
  mean: number;
  std: number;
  /** NaN or ±Infinity values (not counted as nulls). */
  nonFinite: number;
}

export interface CategoricalStatistics {
  distinct: number;
  /** The most frequent values, at most 50, most frequent first. */
  top: Array<{ value: string; count: number }>;
}

export interface ColumnStatistics {
  name: string;
  type: Column['type'];
  count: number;
  nulls: number;
  numeric?: NumericStatistics;
  categorical?: CategoricalStatistics;
}

/** Contents of `statistics.json`. */
export interface DatasetStatistics {
  rows: number;
  columns: ColumnStatistics[];
}

const TOP_K = 50;

/** Statistics of every column of `table`. */
export function computeStatistics(table: Table): DatasetStatistics {
  return { rows: table.rowCount, columns: table.columns.map(columnStatistics) };
}

function columnStatistics(column: Column): ColumnStatistics {
  const n = columnLength(column);
  const isNullAt = (i: number): boolean => column.nulls !== null && column.nulls[i] === 1;
  let nulls = 0;
  if (column.type === 'string') {
    const counts = new Float64Array(column.dictionary.length);
    for (let i = 0; i < n; i++) {
      const code = column.codes[i]!;
      if (code < 0) nulls++;
      else counts[code]!++;
    }
    const seen: Array<{ value: string; count: number }> = [];
    counts.forEach((count, code) => {
      if (count > 0) seen.push({ value: column.dictionary[code]!, count });
    });
    seen.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
    return { name: column.name, type: column.type, count: n, nulls, categorical: { distinct: seen.length, top: seen.slice(0, TOP_K) } };
  }
  if (column.type === 'boolean') {
    let trues = 0;
    for (let i = 0; i < n; i++) {
      if (isNullAt(i)) nulls++;
      else trues += column.values[i]!;
    }
    const falses = n - nulls - trues;
    const top = [
      { value: 'true', count: trues },
      { value: 'false', count: falses },
    ]
      .filter((t) => t.count > 0)
      .sort((a, b) => b.count - a.count);
    return { name: column.name, type: column.type, count: n, nulls, categorical: { distinct: top.length, top } };
  }
  let min = Infinity;
  let max = -Infinity;
  let mean = 0;
  let m2 = 0;
  let finite = 0;
  let nonFinite = 0;
  for (let i = 0; i < n; i++) {
    if (isNullAt(i)) {
      nulls++;
      continue;
    }
    const x = column.values[i]!;
    if (!Number.isFinite(x)) {
      nonFinite++;
      continue;
    }
    if (x < min) min = x;
    if (x > max) max = x;
    finite++;
    const d = x - mean;
    mean += d / finite;
    m2 += d * (x - mean);
  }
  const numeric: NumericStatistics =
    finite === 0
      ? { min: Number.NaN, max: Number.NaN, mean: Number.NaN, std: Number.NaN, nonFinite }
      : { min, max, mean, std: finite > 1 ? Math.sqrt(m2 / (finite - 1)) : 0, nonFinite };
  return { name: column.name, type: column.type, count: n, nulls, numeric };
}
