/**
 * One writer per model folder of a registry at a time. Two `ct promote` runs on one
 * machine would otherwise both read history.jsonl, both append, and one line would be
 * lost; and each must check production against its evaluation while no one else can
 * change it.
 *
 * The lock is a file created exclusively (`O_EXCL`) holding the owner's pid and host.
 * A lock whose process is gone (killed) is stale and is broken by the next writer.
 */
import { hostname } from 'node:os';
import { closeSync, linkSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { sleepSync } from '../sleep.js';
import { makeFolder } from '../files.js';

/** Name of the lock file inside a model's folder (a dot file: never a version). */
export const LOCK_FILE = '.lock';

interface LockOwner {
  pid: number;
  host: string;
  at: string;
}

/**
 * Runs `fn` while holding the lock of `folder`, waiting up to `waitMs` for another
 * writer to finish. A lock held longer is a clear error naming its owner.
 */
export function withFolderLock<T>(folder: string, fn: () => T, options: { waitMs?: number } = {}): T {
  const file = path.join(folder, LOCK_FILE);
  makeFolder(folder);
  const deadline = Date.now() + (options.waitMs ?? 60_000);
  for (let pause = 10; ; pause = Math.min(pause * 2, 500)) {
    if (tryAcquire(file)) break;
    const owner = readOwner(file);
    if (owner !== null && isStale(owner)) {
      breakStaleLock(file, owner);
      continue;
    }
    if (Date.now() > deadline) {
      throw new UserError(
        `${file}: locked by process ${owner?.pid ?? '?'} on ${owner?.host ?? '?'} since ${owner?.at ?? '?'}; another ct run is changing this model (delete the file if that run is gone)`,
      );
    }
    sleepSync(pause);
  }
  try {
    return fn();
  } finally {
    rmSync(file, { force: true });
  }
}

function tryAcquire(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() } satisfies LockOwner));
  } finally {
    closeSync(fd);
  }
  return true;
}

function readOwner(file: string): LockOwner | null {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
    return typeof owner.pid === 'number' ? owner : null;
  } catch {
    // Gone meanwhile, or being written: look again on the next turn.
    return null;
  }
}

/** A lock of this host whose process no longer exists. */
function isStale(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Moves the stale lock aside (only one contender's rename succeeds) and removes it. If
 * what was moved is not the stale lock (a live writer replaced it meanwhile), it is put
 * back.
 */
function breakStaleLock(file: string, stale: LockOwner): void {
  const aside = `${file}.stale-${process.pid}`;
  try {
    renameSync(file, aside);
  } catch {
    return;
  }
  const moved = readOwner(aside);
  if (moved !== null && (moved.pid !== stale.pid || moved.at !== stale.at)) {
    try {
      linkSync(aside, file);
    } catch {
      // Another writer holds the lock by now; both cannot be restored.
    }
  }
  rmSync(aside, { force: true });
}
