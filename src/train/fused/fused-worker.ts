/**
 * The second thread of fused training: computes shard 1 of each step's gradients and
 * half of each optimiser update, when the main thread says so through the control words
 * of the shared memory (see trainer.ts). Started by FusedTrainer; not a public entry.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { instantiateKernels } from './kernels.js';
import type { FusedLayout } from './layout.js';
import { shardGradients, updateParameters } from './step.js';
import { Command, controlViews, waitWhile, type WorkerSetup } from './control.js';

const setup = workerData as WorkerSetup;
const layout: FusedLayout = setup.layout;
const kernels = instantiateKernels(setup.module, setup.memory);
const { words, floats, loss } = controlViews(setup.memory, layout);
parentPort!.postMessage('ready');

let seen = 0;
for (;;) {
  waitWhile(words, Command.Sequence, seen);
  seen = Atomics.load(words, Command.Sequence);
  const command = words[Command.Kind];
  if (command === Command.Exit) break;
  try {
    if (command === Command.Gradients) {
      loss[0] = shardGradients(kernels, layout, 1, words[Command.Rows]!, words[Command.Step]!, setup.seed);
    } else {
      updateParameters(kernels, layout, 1, 2, { optimizer: setup.optimizer, rate: floats[0]!, c1: floats[1]!, c2: floats[2]! });
    }
  } catch (error) {
    Atomics.store(words, Command.Failed, 1);
    Atomics.store(words, Command.Done, seen);
    Atomics.notify(words, Command.Done);
    throw error;
  }
  Atomics.store(words, Command.Done, seen);
  Atomics.notify(words, Command.Done);
}
