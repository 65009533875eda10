import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);
import {
  getInput,
  setFailed
} from "./chunks/ct+evaluate+models+monitor+predict+promote+release+train+validate+verify.js";
import "./chunks/bootstrap-worker+ct+evaluate+fused-worker+infra-child+models+monitor+predict+promote+release+tf-backend-wasm.node+train+validate+verify.js";

// src/actions/ct.ts
var STAGES = {
  validate: () => import("./validate.js"),
  train: () => import("./train.js"),
  evaluate: () => import("./evaluate.js"),
  promote: () => import("./promote.js"),
  predict: () => import("./predict.js"),
  monitor: () => import("./monitor.js"),
  models: () => import("./models.js"),
  verify: () => import("./verify.js"),
  release: () => import("./release.js")
};
var stage = getInput("stage");
var run = STAGES[stage];
if (run === void 0) setFailed(`input stage: expected one of ${Object.keys(STAGES).join(", ")}, got "${stage}"`);
else await run();
