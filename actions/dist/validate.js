import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);
import {
  validateUpdate
} from "./chunks/evaluate+train+validate.js";
import "./chunks/evaluate+infra-child+train+validate.js";
import "./chunks/evaluate+fused-worker+train+validate.js";
import "./chunks/evaluate+promote+train+validate.js";
import {
  runValidate
} from "./chunks/evaluate+monitor+train+validate.js";
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
  annotateAnomalies,
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

// src/actions/validate.ts
await runAction("validate", async (ctx) => {
  const options = { updateSchema: getInput("update-schema") === "true" };
  const paths = artifactPaths(ctx.outDir);
  if (getInput("update") === "true") {
    const { scope, output } = await validateUpdate(ctx, options);
    if (output === null)
      return {
        outputs: { ok: true, anomalies: 0, errors: 0, "retrain-needed": false, "drift-detected": false, rows: 0, fingerprint: "", report: "" },
        summary: scope.reason
      };
    return validationOutputs(output.result, paths);
  }
  const { result } = await runValidate(ctx, void 0, options);
  return validationOutputs(result, paths);
});
function validationOutputs(result, paths) {
  annotateAnomalies(result.anomalies);
  const errors = result.anomalies.filter((a) => a.severity === "error").length;
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
}
