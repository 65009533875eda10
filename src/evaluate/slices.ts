/**
 * Slices: segments of the evaluation rows scored on their own, so a gain overall cannot
 * hide a loss on the busiest airports or the evening flights (TFMA's slicing specs).
 */
import type { SliceConfig } from '../config/types.js';
import { type Column, findColumn, isNull, type Table } from '../data/table.js';
import { UserError } from '../errors.js';
import { timePart } from '../features/preprocessing.js';

/** One slice: its key (`origin=ORD`, `hour=[6, 12)`) and the table rows in it. */
export interface SliceRows {
  /** Name of the slice spec it comes from. */
  name: string;
  key: string;
  /** The value or bucket, as shown in reports. */
  value: string;
  rows: Int32Array;
}

/** Slices of a spec without `top`, `values` or `boundaries` stop at this many (the largest). */
export const MAX_SLICES_PER_SPEC = 50;

/** Splits the rows of `table` into the slices of `specs` (rows with a null value are in none); time parts on the clock of `timeZone`. */
export function sliceTable(table: Table, specs: readonly SliceConfig[], timeZone?: string): { slices: SliceRows[]; warnings: string[] } {
  const slices: SliceRows[] = [];
  const warnings: string[] = [];
  specs.forEach((spec, i) => {
    const column = findColumn(table, spec.column);
    if (column === undefined)
      throw new UserError(
        `evaluation.slices[${i}].column: "${spec.column}" is not a column of the evaluation data (columns: ${table.columns.map((c) => c.name).join(', ')})`,
      );
    const valueOf = sliceValue(spec, column, i, timeZone);
    const groups = new Map<string, number[]>();
    for (let r = 0; r < table.rowCount; r++) {
      const v = valueOf(r);
      if (v === null) continue;
      let list = groups.get(v);
      if (list === undefined) groups.set(v, (list = []));
      list.push(r);
    }
    let chosen: Array<[string, number[]]>;
    if (spec.values !== undefined) chosen = spec.values.map((v) => [String(v), groups.get(String(v)) ?? []]);
    else if (spec.boundaries !== undefined) chosen = bucketLabels(spec.boundaries).map((label) => [label, groups.get(label) ?? []]);
    else {
      const bySize = [...groups.entries()].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
      const limit = spec.top ?? MAX_SLICES_PER_SPEC;
      if (spec.top === undefined && bySize.length > limit) {
        warnings.push(`slice "${spec.name}": ${bySize.length} distinct values, only the ${limit} most frequent are scored (set top or values)`);
      }
      chosen = bySize.slice(0, limit);
    }
    for (const [value, rows] of chosen) slices.push({ name: spec.name, key: `${spec.name}=${value}`, value, rows: Int32Array.from(rows) });
  });
  return { slices, warnings };
}

/** The slice value of each row as a string (bucket label for boundaries), null when missing. */
function sliceValue(spec: SliceConfig, column: Column, i: number, timeZone: string | undefined): (row: number) => string | null {
  const where = `evaluation.slices[${i}]`;
  let numeric: ((row: number) => number | null) | null = null;
  if (spec.transform !== undefined) {
    if (column.type !== 'timestamp') throw new UserError(`${where}.transform: ${spec.transform} needs a timestamp column, "${spec.column}" is ${column.type}`);
    const values = column.values;
    const part = timePart(spec.transform, timeZone);
    numeric = (r) => (isNull(column, r) || !Number.isFinite(values[r]!) ? null : part(values[r]!));
  } else if (column.type === 'number') {
    const values = column.values;
    numeric = (r) => (isNull(column, r) || Number.isNaN(values[r]!) ? null : values[r]!);
  }
  if (spec.boundaries !== undefined) {
    if (numeric === null) throw new UserError(`${where}.boundaries: buckets need a number column or a transform, "${spec.column}" is ${column.type}`);
    const labels = bucketLabels(spec.boundaries);
    const edges = spec.boundaries;
    const toNumber = numeric;
    return (r) => {
      const x = toNumber(r);
      if (x === null) return null;
      let k = 0;
      while (k < edges.length && edges[k]! <= x) k++;
      return labels[k]!;
    };
  }
  if (numeric !== null) {
    const toNumber = numeric;
    return (r) => {
      const x = toNumber(r);
      return x === null ? null : String(x);
    };
  }
  switch (column.type) {
    case 'string':
      return (r) => (column.codes[r]! < 0 ? null : column.dictionary[column.codes[r]!]!);
    case 'boolean':
      return (r) => (isNull(column, r) ? null : String(column.values[r] === 1));
    case 'timestamp':
      return (r) => (isNull(column, r) ? null : new Date(column.values[r]!).toISOString());
    default:
      return () => null;
  }
}

/** `< b0`, `[b0, b1)`, ..., `>= bn`. */
function bucketLabels(edges: readonly number[]): string[] {
  const labels = [`<${edges[0]}`];
  for (let k = 1; k < edges.length; k++) labels.push(`[${edges[k - 1]},${edges[k]})`);
  labels.push(`>=${edges[edges.length - 1]}`);
  return labels;
}
