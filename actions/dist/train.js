import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);
import {
  runTrain,
  trainUpdate
} from "./chunks/evaluate+train+validate.js";
import "./chunks/evaluate+infra-child+train+validate.js";
import "./chunks/evaluate+fused-worker+train+validate.js";
import "./chunks/evaluate+promote+train+validate.js";
import "./chunks/evaluate+monitor+train+validate.js";
import "./chunks/evaluate+monitor+promote+train+validate.js";
import "./chunks/evaluate+monitor+predict+train+validate.js";
import "./chunks/evaluate+monitor+predict+promote+train+validate.js";
import "./chunks/evaluate+models+monitor+promote+train+validate.js";
import "./chunks/evaluate+train+validate+verify.js";
import "./chunks/bootstrap-worker+evaluate+train+validate+verify.js";
import "./chunks/evaluate+monitor+predict+train+validate+verify.js";
import "./chunks/evaluate+infra-child+monitor+predict+train+validate+verify.js";
import "./chunks/bootstrap-worker+evaluate+monitor+predict+train+validate+verify.js";
import {
  runAction
} from "./chunks/evaluate+monitor+predict+promote+release+train+validate+verify.js";
import {
  artifactPaths
} from "./chunks/evaluate+infra-child+monitor+predict+promote+release+train+validate+verify.js";
import "./chunks/evaluate+infra-child+monitor+predict+promote+release+tf-backend-wasm.node+train+validate+verify.js";
import "./chunks/evaluate+models+monitor+predict+promote+release+train+validate+verify.js";
import {
  getInput
} from "./chunks/ct+evaluate+models+monitor+predict+promote+release+train+validate+verify.js";
import "./chunks/evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";
import "./chunks/bootstrap-worker+evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";
import "./chunks/bootstrap-worker+ct+evaluate+fused-worker+infra-child+models+monitor+predict+promote+release+tf-backend-wasm.node+train+validate+verify.js";

// src/actions/train.ts
await runAction("train", async (ctx) => {
  const paths = artifactPaths(ctx.outDir);
  let record;
  if (getInput("update") === "true") {
    const { scope, output } = await trainUpdate(ctx);
    if (output === null) return { outputs: { trained: false, start: "", "model-dir": "" }, summary: scope.reason };
    record = output.record;
  } else record = (await runTrain(ctx)).record;
  return {
    outputs: {
      trained: true,
      start: record.start?.mode ?? "full",
      "model-dir": paths.modelDir,
      backend: record.backend.name,
      epochs: record.epochs,
      "samples-per-second": Math.round(record.timing.samplesPerSecond),
      "data-fingerprint": record.data.fingerprint
    },
    summaryFile: paths.trainingReport
  };
});
