/** Assertions shared by the test suites. */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { checkConfig } from '../src/config/load.js';
import type { CtConfig } from '../src/config/types.js';
import { UserError } from '../src/errors.js';
import { type Column, findColumn, type Table, valueAt } from '../src/data/table.js';
import type { Logger } from '../src/logger.js';

/** Asserts that `run` throws a UserError whose message matches `message`. */
export function expectUserError(run: () => unknown, message: string | RegExp): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(UserError);
  expect((thrown as Error).message).toMatch(message);
}

/** Asserts that `run` (or the promise itself) rejects with a UserError whose message matches `message`. */
export async function expectUserErrorAsync(run: (() => Promise<unknown>) | Promise<unknown>, message: string | RegExp): Promise<void> {
  let thrown: unknown;
  try {
    await (typeof run === 'function' ? run() : run);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(UserError);
  expect((thrown as Error).message).toMatch(message);
}

/** The column `name` of `table`; fails the test when it is missing. */
export function columnOf(table: Table, name: string): Column {
  const c = findColumn(table, name);
  if (c === undefined) throw new Error(`no column ${name}`);
  return c;
}

/** The values of column `name` as plain JS values (null for nulls). */
export function valuesOf(table: Table, name: string): unknown[] {
  const c = columnOf(table, name);
  return Array.from({ length: table.rowCount }, (_, i) => valueAt(c, i));
}

/** A string column from values (null = missing). */
export function stringColumn(name: string, values: (string | null)[]): Column {
  const dictionary = [...new Set(values.filter((v): v is string => v !== null))];
  return {
    type: 'string',
    name,
    dictionary,
    codes: Int32Array.from(values, (v) => (v === null ? -1 : dictionary.indexOf(v))),
    nulls: values.includes(null) ? Uint8Array.from(values, (v) => (v === null ? 1 : 0)) : null,
  };
}

/** A number or timestamp column from values (null = missing). */
export function numberColumn(name: string, values: (number | null)[], type: 'number' | 'timestamp' = 'number'): Column {
  return {
    type,
    name,
    values: Float64Array.from(values, (v) => v ?? Number.NaN),
    nulls: values.includes(null) ? Uint8Array.from(values, (v) => (v === null ? 1 : 0)) : null,
  };
}

/** A table of `columns`, read from one file named `file`, its rows starting at file row `offset + 1`. */
export function tableOf(columns: Column[], file = 'mem.csv', offset = 0): Table {
  const first = columns[0]!;
  const rows = first.type === 'string' ? first.codes.length : first.values.length;
  return { rowCount: rows, columns, sources: [{ file, start: 0, rows, ...(offset === 0 ? {} : { offset }) }] };
}

/**
 * Every entry under `dir`, in name order: a file's relative path -> the sha256 of its bytes,
 * a folder's relative path with a trailing `/` -> `dir`. Empty when `dir` does not exist.
 * Two equal digests mean the same names and the same bytes (e.g. a registry left unchanged).
 */
export function treeDigest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string): void => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const relative = path.join(rel, name);
      if (statSync(path.join(dir, relative)).isDirectory()) {
        out[`${relative}/`] = 'dir';
        walk(relative);
      } else
        out[relative] = createHash('sha256')
          .update(readFileSync(path.join(dir, relative)))
          .digest('hex');
    }
  };
  if (existsSync(dir)) walk('');
  return out;
}

/** A logger that keeps every line it is given (all levels), in order. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (message: string): void => void lines.push(message);
  return { lines, info: log, warning: log, error: log, debug: log, progress: log };
}

/**
 * `n` deterministic, tie-free values in [offset, offset + scale): i * m mod 1009, scaled
 * (the same formula as the Python that computed the scipy expectations next to them).
 */
export function tieFreeSample(n: number, m: number, scale: number, offset: number): number[] {
  return Array.from({ length: n }, (_, i) => (((i * m) % 1009) / 1009) * scale + offset);
}

/**
 * CPU time (user + system, ms) this process spends in `run`. Unlike wall time it does not
 * grow when other processes share the machine, so a bound on it fails only on work done:
 * what a test says about "quickly" (an attack refused before it costs anything, a reader
 * that does not crawl) is a bound on this, far above what the work takes.
 */
export async function cpuTimeOf<T>(run: () => T | Promise<T>): Promise<{ value: T; cpuMs: number }> {
  const before = processCpuMs();
  const value = await run();
  return { value, cpuMs: processCpuMs() - before };
}

/** CPU time (user + system, ms) this process has used so far, all its threads together. */
export function processCpuMs(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}

/** A binary config of flight-delay shape (label `delay > 15`) with these features and a gate that always passes. */
export function delayConfig(features: Record<string, unknown>[]): CtConfig {
  return checkConfig('c.yaml', { name: 'm', task: 'binary', data: { path: 'd' }, label: 'delay > 15', features, gates: [{ metric: 'auc', lowerBound: 0 }] });
}
