/**
 * The monitor history, `monitor.jsonl` in a model's registry folder: one record per
 * monitor run, oldest first. Read from the history branch when acting on GitHub (it is
 * committed there), else from the working tree.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { displayPath } from '../data/files.js';
import { readRemoteFile } from '../github/git.js';
import type { MonitorRecord } from './decide.js';
import { makeFolder } from '../files.js';

/** Name of the monitor history file in a model's registry folder. */
export const MONITOR_HISTORY = 'monitor.jsonl';

/** Where the history sits on its branch. */
export type HistoryBranch = Parameters<typeof readRemoteFile>[0];

/** The history as read. */
export interface MonitorHistory {
  /** The file's text, to append to. */
  text: string;
  /** True when the history branch exists: then `text` is its file's (empty when it has none). */
  branchExists: boolean;
  /** The model's records, oldest first. */
  records: MonitorRecord[];
}

/** Parses monitor.jsonl text; unreadable lines are skipped with a warning. */
export function parseMonitorHistory(text: string, source: string, warn: (m: string) => void): MonitorRecord[] {
  const out: MonitorRecord[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const record = JSON.parse(line) as MonitorRecord;
      if (record.format === 'ct-monitor') out.push(record);
    } catch {
      warn(`${source} line ${i + 1} is not JSON: skipped`);
    }
  });
  return out;
}

/**
 * Reads the history of `model`: from `branch` when given and it exists, else from
 * `localFile` (none: empty).
 */
export async function readMonitorHistory(localFile: string, branch: HistoryBranch | null, model: string, warn: (m: string) => void): Promise<MonitorHistory> {
  const remote = branch === null ? null : await readRemoteFile(branch);
  const branchExists = remote?.exists === true;
  const text = branchExists ? (remote.content ?? '') : existsSync(localFile) ? readFileSync(localFile, 'utf8') : '';
  const source = branchExists ? `${branch!.branch}:${branch!.file}` : displayPath(localFile);
  return { text, branchExists, records: parseMonitorHistory(text, source, warn).filter((r) => r.model === model) };
}

/** Appends the record to the working tree's history (the checkout's copy, in Actions). */
export function appendHistory(record: MonitorRecord, file: string): void {
  makeFolder(path.dirname(file));
  appendFileSync(file, `${JSON.stringify(record)}\n`);
}

/** History text `current` with `record` appended as its last line. */
export function withRecord(current: string, record: MonitorRecord): string {
  return `${current}${current === '' || current.endsWith('\n') ? '' : '\n'}${JSON.stringify(record)}\n`;
}
