import { createRequire as __ctCreateRequire } from 'node:module'; const require = __ctCreateRequire(import.meta.url);
import {
  artifactPaths,
  headlineMetric,
  runAction,
  runEvaluate
} from "./chunks/chunk-NMXMJFYK.js";
import "./chunks/chunk-NMNEVK3U.js";
import "./chunks/chunk-WDYNI5YC.js";

// src/actions/evaluate.ts
await runAction("evaluate", async (ctx) => {
  const record = await runEvaluate(ctx);
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
