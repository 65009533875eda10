/**
 * What `ct init` decides from: the summary of each column `suggestConfig` reads, and the
 * schema `ct validate` would infer. Pure: a table in, plain data out.
 */
import { type Column, nullCount, type Table } from '../data/table.js';
import { MS_PER_DAY } from '../time.js';
import { createSchemaInference, type DataSchema } from '../validate/schema.js';
import type { ColumnSummary, DataSummary, Suggestion } from './suggest.js';

/** The summary of the whole table, for `suggestConfig`. */
export function summarizeTable(table: Table, partitions: DataSummary['partitions']): DataSummary {
  return { rows: table.rowCount, columns: table.columns.map((c) => summarize(c, table.rowCount)), partitions };
}

/**
 * The schema `ct validate` would infer from `table`, less what the columns the suggestion
 * skipped as identifier-like cannot promise: every new row brings new values there, so no
 * domain, and a number that names a row (a customer id, a running order number) has no
 * magnitude, so no range or tolerance band (ids issued in order would leave the band weeks
 * after `ct init` and stop every run). Their sign and whole numbers are kept. Nor does a
 * number that rises from partition to partition, whatever its name (a running order number).
 */
export function initialSchema(table: Table, suggestion: Suggestion): DataSchema {
  const inference = createSchemaInference();
  inference.add(table);
  const { schema } = inference.result();
  const identifiers = new Set(suggestion.skipped.filter((k) => /identifier|one value per row/.test(k.reason)).map((k) => k.column));
  for (const c of schema.columns) {
    if (!identifiers.has(c.name)) continue;
    delete c.domain;
    delete c.range;
    if (c.constraints !== undefined) delete c.constraints.band;
  }
  return schema;
}

/** The summary suggest.ts decides from: counts, distinct values, shape of numbers and times. */
export function summarize(c: Column, rows: number): ColumnSummary {
  const nulls = nullCount(c);
  const base = { name: c.name, type: c.type, rows, nulls };
  if (c.type === 'string') {
    const counts = new Int32Array(c.dictionary.length);
    for (let i = 0; i < c.codes.length; i++) if (c.codes[i]! >= 0) counts[c.codes[i]!]!++;
    const frequencies: Record<string, number> = {};
    c.dictionary.forEach((v, k) => {
      if (counts[k]! > 0) frequencies[v] = (frequencies[v] ?? 0) + counts[k]!;
    });
    let mostRows = 0;
    for (const k of Object.values(frequencies)) if (k > mostRows) mostRows = k;
    return { ...base, distinct: Object.keys(frequencies).length, frequencies, mostRows };
  }
  if (c.type === 'boolean') {
    let t = 0;
    let f = 0;
    for (let i = 0; i < c.values.length; i++) {
      if (c.nulls !== null && c.nulls[i] === 1) continue;
      if (c.values[i] === 1) t++;
      else f++;
    }
    const frequencies: Record<string, number> = {};
    if (t > 0) frequencies.true = t;
    if (f > 0) frequencies.false = f;
    return { ...base, distinct: Object.keys(frequencies).length, frequencies, mostRows: Math.max(t, f) };
  }
  const values: number[] = [];
  for (let i = 0; i < c.values.length; i++) {
    const v = c.values[i]!;
    if (Number.isFinite(v) && !(c.nulls !== null && c.nulls[i] === 1)) values.push(v);
  }
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const distinct = counts.size;
  let mostRows = 0;
  for (const k of counts.values()) if (k > mostRows) mostRows = k;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (c.type === 'timestamp') {
    const days = new Set(values.map((v) => Math.floor(v / MS_PER_DAY)));
    return { ...base, distinct, mostRows, time: { min, max, distinctDays: days.size, hasTimeOfDay: values.some((v) => v % MS_PER_DAY !== 0) } };
  }
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / Math.max(1, n);
  let m2 = 0;
  let m3 = 0;
  for (const v of values) {
    const d = v - mean;
    m2 += d * d;
    m3 += d * d * d;
  }
  const skewness = m2 > 0 ? m3 / n / (m2 / n) ** 1.5 : 0;
  return {
    ...base,
    distinct,
    mostRows,
    numeric: { min, max, integer: values.every((v) => Number.isInteger(v)), std: Math.sqrt(m2 / Math.max(1, n)), skewness },
  };
}
