import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);
import {
  evaluateUpdate,
  runEvaluate
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
import {
  headlineMetric
} from "./chunks/bootstrap-worker+evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";
import "./chunks/bootstrap-worker+ct+evaluate+fused-worker+infra-child+models+monitor+predict+promote+release+tf-backend-wasm.node+train+validate+verify.js";

// src/actions/evaluate.ts
await runAction("evaluate", async (ctx) => {
  const record = getInput("update") === "true" ? await evaluateUpdate(ctx) : await runEvaluate(ctx);
  const paths = artifactPaths(ctx.outDir);
  const headline = headlineMetric(record.task).name;
  return {
    outputs: {
      passed: record.ok,
      "rubber-stamp": record.rubberStamp,
      metric: headline,
      value: record.candidate.metrics[headline] ?? "",
      delta: record.deltas[headline]?.value ?? "",
      "production-version": record.baseline?.version ?? "",
      report: paths.evaluationReport
    },
    summaryFile: paths.evaluationReport,
    ...record.ok ? {} : { failure: `gates failed: ${record.failures.map((f) => f.message).join("; ")}` }
  };
});
