/**
 * The infra check before any promotion (TFX's InfraValidator, locally): the saved
 * candidate must load in a fresh Node process from its files alone, and predict finite
 * values of the right shape on sample rows within a latency budget. It catches a model
 * that only works in the process that trained it (state not saved, a custom kernel the
 * files do not name, a preprocessing file out of step with the weights).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BackendPreference } from '../config/types.js';
import type { Column, Table } from '../data/table.js';
import type { InfraCheckResult } from '../artifacts.js';

/** What the child process prints as its last stdout line. */
export interface InfraChildReport {
  error?: string;
  backend?: string;
  rows?: number;
  shape?: number[];
  nonFinite?: number;
  loadMs?: number;
  predictMs?: number;
}

/** A table as JSON for the child process (typed arrays become plain arrays; NaN becomes null). */
export interface SerializedTable {
  rowCount: number;
  columns: Array<{ name: string; type: Column['type']; values: Array<number | null>; dictionary?: readonly string[]; nulls: number[] | null }>;
}

export function serializeTable(table: Table): SerializedTable {
  return {
    rowCount: table.rowCount,
    columns: table.columns.map((c) => ({
      name: c.name,
      type: c.type,
      values: Array.from(c.type === 'string' ? c.codes : c.values, (v) => (Number.isNaN(v) ? null : v)),
      ...(c.type === 'string' ? { dictionary: c.dictionary } : {}),
      nulls: c.nulls === null ? null : Array.from(c.nulls),
    })),
  };
}

export function deserializeTable(s: SerializedTable): Table {
  const columns = s.columns.map((c): Column => {
    const nulls = c.nulls === null ? null : Uint8Array.from(c.nulls);
    const numbers = (): Float64Array => Float64Array.from(c.values, (v) => (v === null ? Number.NaN : v));
    switch (c.type) {
      case 'string':
        return { name: c.name, type: 'string', nulls, codes: Int32Array.from(c.values, (v) => v ?? -1), dictionary: c.dictionary ?? [] };
      case 'boolean':
        return { name: c.name, type: 'boolean', nulls, values: Uint8Array.from(c.values, (v) => v ?? 0) };
      case 'timestamp':
        return { name: c.name, type: 'timestamp', nulls, values: numbers() };
      case 'number':
        return { name: c.name, type: 'number', nulls, values: numbers() };
    }
  });
  return { rowCount: s.rowCount, columns, sources: [] };
}

/**
 * Path of the child script: beside this module when compiled (dist/pipeline/), one folder
 * up from a bundle's shared chunks (actions/dist/chunks/), or in dist/ when tests run src/.
 */
function childScript(): string {
  const here = fileURLToPath(new URL('./infra-child.js', import.meta.url));
  const candidates = [
    here,
    fileURLToPath(new URL('../infra-child.js', import.meta.url)),
    here.replace(`${path.sep}src${path.sep}`, `${path.sep}dist${path.sep}`),
  ];
  return candidates.find((file) => existsSync(file)) ?? here;
}

/** The line of a crashed process's stderr that says what went wrong. */
function crashReason(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return (lines.find((l) => /^(\w*Error|error)\b|Error:/.test(l)) ?? lines[lines.length - 1] ?? 'no output').slice(0, 300);
}

/**
 * Runs the infra check of the model in `modelDir` on `sample` rows in a fresh process.
 * Never throws for a broken model: the result says what went wrong.
 */
export async function runInfraCheck(
  modelDir: string,
  sample: Table,
  options: { backend: BackendPreference; latencyBudgetMs: number; expectedWidth: number; timeoutMs?: number },
): Promise<InfraCheckResult> {
  const base: InfraCheckResult = {
    ok: false,
    message: '',
    rows: sample.rowCount,
    shape: null,
    nonFinite: null,
    backend: null,
    loadMs: null,
    predictMs: null,
    latencyBudgetMs: options.latencyBudgetMs,
  };
  const dir = mkdtempSync(path.join(tmpdir(), 'ct-infra-'));
  try {
    const rowsFile = path.join(dir, 'rows.json');
    writeFileSync(rowsFile, JSON.stringify(serializeTable(sample)));
    const { code, stdout, stderr } = await run(process.execPath, [childScript(), modelDir, rowsFile, options.backend], options.timeoutMs ?? 120_000);
    const last = stdout.trim().split('\n').pop() ?? '';
    let report: InfraChildReport;
    try {
      report = JSON.parse(last) as InfraChildReport;
    } catch {
      const why = code === null ? 'was killed (timeout)' : `exited with code ${code}`;
      return { ...base, message: `infra check: the fresh process ${why}: ${crashReason(stderr)}` };
    }
    if (report.error !== undefined)
      return { ...base, message: `infra check: the saved candidate does not load and predict in a fresh process: ${report.error}` };
    const result: InfraCheckResult = {
      ...base,
      shape: report.shape ?? null,
      nonFinite: report.nonFinite ?? null,
      backend: report.backend ?? null,
      loadMs: report.loadMs ?? null,
      predictMs: report.predictMs ?? null,
    };
    const expected = [sample.rowCount, options.expectedWidth];
    if (JSON.stringify(result.shape) !== JSON.stringify(expected))
      return { ...result, message: `infra check: predictions have shape [${result.shape?.join(', ')}], expected [${expected.join(', ')}]` };
    if (result.nonFinite !== 0) return { ...result, message: `infra check: ${result.nonFinite} of ${sample.rowCount} predictions are NaN or infinite` };
    if (result.predictMs === null || result.predictMs > options.latencyBudgetMs) {
      return {
        ...result,
        message: `infra check: predicting ${sample.rowCount} rows took ${result.predictMs?.toFixed(0)} ms, over the budget of ${options.latencyBudgetMs} ms`,
      };
    }
    return {
      ...result,
      ok: true,
      message: `infra check: loaded in a fresh process in ${result.loadMs?.toFixed(0)} ms, predicted ${sample.rowCount} rows in ${result.predictMs.toFixed(0)} ms (budget ${options.latencyBudgetMs} ms) on ${result.backend}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => resolve({ code: null, stdout, stderr: `${stderr}${e.message}` }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
