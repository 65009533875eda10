/**
 * The second thread of a large paired bootstrap: draws its share of the draws into the
 * shared output and says so through the state word (see significance.ts). Not an entry.
 */
import { workerData } from 'node:worker_threads';
import { bootstrapDraws, type BootstrapWork, WorkerState } from './significance.js';

const { work, from, to, state } = workerData as { work: BootstrapWork; from: number; to: number; state: Int32Array };
Atomics.store(state, 0, WorkerState.Running);
try {
  bootstrapDraws(work, from, to);
  Atomics.store(state, 0, WorkerState.Done);
} catch (error) {
  Atomics.store(state, 0, WorkerState.Failed);
  throw error;
} finally {
  Atomics.notify(state, 0);
}
