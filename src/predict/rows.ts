/**
 * The rows `ct predict` writes: its own columns (file, row, model, version), the input
 * columns kept with `--keep`, and the model's predictions per task. Pure: a chunk of
 * input rows and its scores in, output rows out.
 */
import { type Column, findColumn, type Table, valueAt } from '../data/table.js';
import { displayPath } from '../data/files.js';
import { UserError } from '../errors.js';
import type { LoadedModel } from '../evaluate/score.js';

/** Output columns ct writes itself; `--keep` cannot reuse their names. */
export const FIXED_COLUMNS = ['file', 'row', 'model', 'version'];

/** One value of an output row. */
export type Cell = string | number | boolean | null;

/** `keep` itself; a `UserError` when a kept column would clash with one of ct's own output columns. */
export function checkKeptNames(keep: readonly string[]): readonly string[] {
  const clash = keep.find((c) => FIXED_COLUMNS.includes(c));
  if (clash !== undefined) throw new UserError(`--keep: column "${clash}" would clash with ct's own output column of that name`);
  return keep;
}

/** Output column names: file, row, the kept columns, model, version, then the predictions. */
export function outputColumns(loaded: LoadedModel, keep: readonly string[]): string[] {
  const { task, label } = loaded.preprocessing;
  if (task === 'multiclass' && (label.classes ?? []).length !== loaded.width) {
    throw new UserError(`${displayPath(loaded.dir)}: preprocessing.json lists ${(label.classes ?? []).length} classes, the model has ${loaded.width} outputs`);
  }
  const predictions =
    task === 'binary'
      ? ['probability', 'predicted']
      : task === 'multiclass'
        ? [...(label.classes ?? []).map((c) => `probability_${c}`), 'predicted']
        : ['prediction'];
  return [...FIXED_COLUMNS.slice(0, 2), ...keep, ...FIXED_COLUMNS.slice(2), ...predictions];
}

/** A float32 model output as the shortest decimal that reads back as the same float32. */
export function float32(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(9)) : x;
}

/** Where a chunk's rows come from and what scored them, for `chunkRows`. */
export interface ChunkSource {
  /** The input file as shown, and the index of the chunk's first row in it. */
  file: string;
  offset: number;
  keep: readonly string[];
  model: string;
  version: string;
  /** Binary: a probability at or above it predicts 1. */
  threshold: number;
}

/** The output rows of one chunk (values in `outputColumns` order); `scores` are the model's, `loaded.width` per row. */
export function chunkRows(table: Table, scores: Float32Array, loaded: LoadedModel, source: ChunkSource): Cell[][] {
  const kept = source.keep.map((name) => findColumn(table, name)) as Column[];
  const task = loaded.preprocessing.task;
  const classes = loaded.preprocessing.label.classes ?? [];
  const width = loaded.width;
  const out = new Array<Cell[]>(table.rowCount);
  for (let i = 0; i < table.rowCount; i++) {
    const row: Cell[] = [source.file, source.offset + i];
    for (const c of kept) row.push(valueAt(c, i));
    row.push(source.model, source.version);
    if (task === 'binary') {
      const p = scores[i]!;
      row.push(float32(p), p >= source.threshold ? 1 : 0);
    } else if (task === 'multiclass') {
      let best = 0;
      for (let k = 0; k < width; k++) {
        const p = scores[i * width + k]!;
        row.push(float32(p));
        if (p > scores[i * width + best]!) best = k;
      }
      row.push(classes[best] ?? String(best));
    } else {
      row.push(float32(scores[i]!));
    }
    out[i] = row;
  }
  return out;
}
