/**
 * Blocks the thread for `ms` milliseconds. For the few places that wait inside synchronous
 * file operations (a registry lock held by another process, a fault-injection gate), where
 * an `await` would change every caller.
 */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
