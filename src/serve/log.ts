/**
 * The prediction log of `ct serve`: every sampled request's rows with their predictions,
 * as daily JSON Lines partitions `<dir>/<model>/<YYYY-MM-DD>.jsonl` that `ct monitor` and
 * every other ct command read as data. One line per row: the input columns as sent, then
 * ct's own columns (`ct_time`, `ct_request_id`, `ct_row`, `ct_version`, and the
 * prediction's columns prefixed `ct_`).
 *
 * - Crash-safe: lines wait in memory and are appended whole, one `write` per flush, to a
 *   file opened for appending (workers share a day's file; an append is never interleaved).
 *   A killed server loses at most what was not flushed; a line torn by a crash (a full disk)
 *   is cut off the file the next time a server opens it, so a partition always parses.
 * - Bounded: past half of `maxBytesPerDay` the sampling rate halves, and halves again at
 *   each half of what remains; at the budget nothing more is logged that day. A buffer
 *   that the disk cannot drain fast enough drops requests rather than wait. Both are counted.
 * - Serving never waits for it: `record` only formats and queues.
 */
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';
import { makeFolder } from '../files.js';

/** How the log samples and bounds itself. */
export interface PredictionLogOptions {
  dir: string;
  /** Share of requests logged (0..1). */
  sample: number;
  /** Bytes a model's day may reach; past half of it the sampling rate drops. */
  maxBytesPerDay: number;
  /** Milliseconds between flushes. */
  flushMs?: number;
  /** Bytes queued at most; requests beyond are not logged (`buffer`). */
  maxBufferedBytes?: number;
  /** Uniform numbers in [0, 1) for sampling (tests pass a seeded one). */
  random?: () => number;
}

/** One answered request, as the log receives it. */
export interface LoggedRequest {
  model: string;
  version: string;
  requestId: string;
  time: Date;
  rows: ReadonlyArray<Record<string, unknown>>;
  predictions: ReadonlyArray<Record<string, number | string>>;
}

/** What became of a request: written, left out by sampling, or dropped by the day's budget or a full buffer. */
export type LogOutcome = 'logged' | 'sampled_out' | 'budget' | 'buffer';

/** Rows per outcome so far. */
export type LogCounts = Record<LogOutcome, number>;

/** The sampling rate at a day's use of its budget: the configured rate, halved at each half of what remains past half of it. */
export function budgetRate(sample: number, usedBytes: number, maxBytes: number): number {
  if (maxBytes <= 0 || usedBytes >= maxBytes) return 0;
  const used = usedBytes / maxBytes;
  if (used < 0.5) return sample;
  return sample * 2 ** -Math.floor(-Math.log2(1 - used));
}

interface DayFile {
  fd: number;
  /** Bytes in the file at the last look (all writers), plus what this process queued since. */
  bytes: number;
  queued: string[];
  queuedBytes: number;
}

/** A prediction log; `close` flushes and closes its files. */
export class PredictionLog {
  private readonly files = new Map<string, DayFile>();
  private readonly timer: NodeJS.Timeout;
  private buffered = 0;
  readonly counts: LogCounts = { logged: 0, sampled_out: 0, budget: 0, buffer: 0 };

  constructor(private readonly options: PredictionLogOptions) {
    this.timer = setInterval(() => this.flush(), options.flushMs ?? 200);
    this.timer.unref();
  }

  /** Queues a request's rows (or counts why not); never blocks on the disk. */
  record(request: LoggedRequest): LogOutcome {
    const outcome = this.admit(request);
    this.counts[outcome] += request.rows.length;
    return outcome;
  }

  /** Appends everything queued, one write per file. */
  flush(): void {
    for (const file of this.files.values()) {
      if (file.queued.length === 0) continue;
      const text = file.queued.join('');
      file.queued = [];
      this.buffered -= file.queuedBytes;
      file.queuedBytes = 0;
      writeSync(file.fd, text);
    }
  }

  /** Flushes, syncs and closes every file; the log takes nothing after. */
  close(): void {
    clearInterval(this.timer);
    this.flush();
    for (const file of this.files.values()) {
      fsyncSync(file.fd);
      closeSync(file.fd);
    }
    this.files.clear();
  }

  private admit(request: LoggedRequest): LogOutcome {
    const { sample, maxBytesPerDay, maxBufferedBytes = 16 * 1024 * 1024, random = Math.random } = this.options;
    const file = this.dayFile(request.model, request.time.toISOString().slice(0, 10));
    // One draw decides both: left out by the configured rate, or by the budget's lower one.
    const u = random();
    if (u >= sample) return 'sampled_out';
    if (u >= budgetRate(sample, file.bytes, maxBytesPerDay)) return 'budget';
    const text = linesOf(request);
    const bytes = Buffer.byteLength(text);
    if (this.buffered + bytes > maxBufferedBytes) return 'buffer';
    if (file.bytes + bytes > maxBytesPerDay) return 'budget';
    file.queued.push(text);
    file.queuedBytes += bytes;
    file.bytes += bytes;
    this.buffered += bytes;
    return 'logged';
  }

  private dayFile(model: string, day: string): DayFile {
    const key = `${model}/${day}`;
    let file = this.files.get(key);
    if (file === undefined) {
      // A day's file is opened once; the previous day's is flushed and closed then.
      for (const [other, open] of this.files) {
        if (!other.startsWith(`${model}/`)) continue;
        if (open.queued.length > 0) writeSync(open.fd, open.queued.join(''));
        this.buffered -= open.queuedBytes;
        closeSync(open.fd);
        this.files.delete(other);
      }
      const folder = path.join(this.options.dir, model);
      makeFolder(folder);
      const fd = openSync(path.join(folder, `${day}.jsonl`), 'a+');
      file = { fd, bytes: repairTornLine(fd), queued: [], queuedBytes: 0 };
      this.files.set(key, file);
    } else if (file.queued.length === 0) {
      // Other workers append to the same file: its size is the day's use of the budget.
      file.bytes = fstatSync(file.fd).size;
    }
    return file;
  }
}

/** The JSON lines of a request: one per row, its inputs then ct's columns. */
function linesOf(r: LoggedRequest): string {
  const time = r.time.toISOString();
  let out = '';
  r.rows.forEach((row, i) => {
    const line: Record<string, unknown> = { ...row, ct_time: time, ct_request_id: r.requestId, ct_row: i + 1, ct_version: r.version };
    for (const [k, v] of Object.entries(r.predictions[i] ?? {})) line[`ct_${k}`] = v;
    out += `${JSON.stringify(line)}\n`;
  });
  return out;
}

/** Cuts a last line without its line break (a write torn by a crash) off the file; returns its size. */
function repairTornLine(fd: number): number {
  const size = fstatSync(fd).size;
  if (size === 0) return 0;
  const tail = Buffer.alloc(Math.min(size, 1 << 16));
  readSync(fd, tail, 0, tail.length, size - tail.length);
  if (tail[tail.length - 1] === 0x0a) return size;
  const lastBreak = tail.lastIndexOf(0x0a);
  const keep = lastBreak < 0 ? (size > tail.length ? size : 0) : size - tail.length + lastBreak + 1;
  ftruncateSync(fd, keep);
  return keep;
}
