import { createRequire as __ctCreateRequire } from 'node:module'; const require = __ctCreateRequire(import.meta.url);
import {
  annotateAnomalies,
  artifactPaths,
  getInput,
  runAction,
  runValidate
} from "./chunks/chunk-NMXMJFYK.js";
import "./chunks/chunk-NMNEVK3U.js";
import "./chunks/chunk-WDYNI5YC.js";

// src/actions/validate.ts
await runAction("validate", async (ctx) => {
  const { result } = await runValidate(ctx, void 0, { updateSchema: getInput("update-schema") === "true" });
  annotateAnomalies(result.anomalies);
  const errors = result.anomalies.filter((a) => a.severity === "error").length;
  const paths = artifactPaths(ctx.outDir);
  return {
    outputs: { ok: result.ok, anomalies: result.anomalies.length, errors, "retrain-needed": result.retrain?.needed ?? true, "drift-detected": result.drift?.datasetDrift ?? false, rows: result.rows, fingerprint: result.fingerprint, report: paths.validationReport },
    summaryFile: paths.validationReport,
    ...result.ok ? {} : { failure: `validation failed: ${errors} error anomal${errors === 1 ? "y" : "ies"}${result.drift?.datasetDrift && result.drift.blocking ? " and blocking dataset drift" : ""} (see the job summary)` }
  };
});
