/**
 * How the main thread and the worker of fused training talk: int32 control words and a
 * few float slots at `layout.control` in the shared memory, waited on with Atomics.
 */
import type { FusedLayout } from './layout.js';

/** Indices of the control words, and the commands of the `Kind` word. */
export const Command = {
  /** Incremented by the main thread for each command. */
  Sequence: 0,
  Kind: 1,
  Rows: 2,
  Step: 3,
  /** The sequence number of the last command the worker finished. */
  Done: 4,
  /** Set by the worker when a command threw. */
  Failed: 5,
  Gradients: 1,
  Update: 2,
  Exit: 3,
} as const;

/** What the worker is started with. */
export interface WorkerSetup {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  layout: FusedLayout;
  seed: number;
  optimizer: 'adam' | 'sgd' | 'rmsprop';
}

/** The control words, the step's optimiser constants (rate, c1, c2) and the worker's loss. */
export function controlViews(memory: WebAssembly.Memory, layout: FusedLayout): { words: Int32Array; floats: Float32Array; loss: Float64Array } {
  return {
    words: new Int32Array(memory.buffer, layout.control, 16),
    floats: new Float32Array(memory.buffer, layout.control + 64, 4),
    loss: new Float64Array(memory.buffer, layout.control + 128, 1),
  };
}

/**
 * Blocks while words[index] === value: spins first (a step takes well under a
 * millisecond, and waking a sleeping thread costs tens of microseconds), then sleeps.
 */
export function waitWhile(words: Int32Array, index: number, value: number, spins = 20_000): void {
  for (let i = 0; i < spins; i++) if (Atomics.load(words, index) !== value) return;
  while (Atomics.load(words, index) === value) Atomics.wait(words, index, value, 100);
}
