import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);
import {
  Command,
  controlViews,
  instantiateKernels,
  shardGradients,
  updateParameters,
  waitWhile
} from "./chunks/evaluate+fused-worker+train+validate.js";
import "./chunks/bootstrap-worker+ct+evaluate+fused-worker+infra-child+models+monitor+predict+promote+release+tf-backend-wasm.node+train+validate+verify.js";

// src/train/fused/fused-worker.ts
import { parentPort, workerData } from "node:worker_threads";
var setup = workerData;
var layout = setup.layout;
var kernels = instantiateKernels(setup.module, setup.memory);
var { words, floats, loss } = controlViews(setup.memory, layout);
parentPort.postMessage("ready");
var seen = 0;
for (; ; ) {
  waitWhile(words, Command.Sequence, seen);
  seen = Atomics.load(words, Command.Sequence);
  const command = words[Command.Kind];
  if (command === Command.Exit) break;
  try {
    if (command === Command.Gradients) {
      loss[0] = shardGradients(kernels, layout, 1, words[Command.Rows], words[Command.Step], setup.seed);
    } else {
      updateParameters(kernels, layout, 1, 2, { optimizer: setup.optimizer, rate: floats[0], c1: floats[1], c2: floats[2] });
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
