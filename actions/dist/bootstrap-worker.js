import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);
import {
  WorkerState,
  bootstrapDraws
} from "./chunks/bootstrap-worker+evaluate+train+validate+verify.js";
import "./chunks/bootstrap-worker+evaluate+monitor+predict+train+validate+verify.js";
import "./chunks/bootstrap-worker+evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";
import "./chunks/bootstrap-worker+ct+evaluate+fused-worker+infra-child+models+monitor+predict+promote+release+tf-backend-wasm.node+train+validate+verify.js";

// src/evaluate/bootstrap-worker.ts
import { workerData } from "node:worker_threads";
var { work, from, to, state } = workerData;
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
