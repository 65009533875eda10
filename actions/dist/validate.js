import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);
import {
  runValidate
} from "./chunks/monitor+validate.js";
import "./chunks/monitor+train+validate.js";
import "./chunks/monitor+predict+validate.js";
import "./chunks/monitor+predict+train+validate.js";
import "./chunks/evaluate+monitor+predict+validate.js";
import "./chunks/bootstrap-worker+evaluate+monitor+predict+validate.js";
import "./chunks/evaluate+monitor+predict+promote+validate.js";
import {
  annotateAnomalies,
  artifactPaths,
  getInput,
  runAction
} from "./chunks/evaluate+monitor+predict+promote+train+validate.js";
import "./chunks/bootstrap-worker+evaluate+monitor+predict+promote+train+validate.js";
import "./chunks/evaluate+infra-child+monitor+predict+train+validate.js";
import "./chunks/evaluate+infra-child+monitor+predict+promote+train+validate.js";
import "./chunks/evaluate+infra-child+monitor+predict+promote+tf-backend-wasm.node+train+validate.js";
import "./chunks/bootstrap-worker+evaluate+fused-worker+infra-child+monitor+predict+promote+tf-backend-wasm.node+train+validate.js";

// src/actions/validate.ts
await runAction("validate", async (ctx) => {
  const { result } = await runValidate(ctx, void 0, { updateSchema: getInput("update-schema") === "true" });
  annotateAnomalies(result.anomalies);
  const errors = result.anomalies.filter((a) => a.severity === "error").length;
  const paths = artifactPaths(ctx.outDir);
  return {
    outputs: {
      ok: result.ok,
      anomalies: result.anomalies.length,
      errors,
      "retrain-needed": result.retrain?.needed ?? true,
      "drift-detected": result.drift?.datasetDrift ?? false,
      rows: result.rows,
      fingerprint: result.fingerprint,
      report: paths.validationReport
    },
    summaryFile: paths.validationReport,
    ...result.ok ? {} : {
      failure: `validation failed: ${errors} error anomal${errors === 1 ? "y" : "ies"}${result.drift?.datasetDrift && result.drift.blocking ? " and blocking dataset drift" : ""} (see the job summary)`
    }
  };
});
