import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);
import {
  deserializeTable
} from "./chunks/evaluate+infra-child+train+validate.js";
import {
  encodeTable,
  fileLoadHandler,
  predictRows,
  registerSavedModule,
  selectBackend
} from "./chunks/evaluate+infra-child+monitor+predict+train+validate+verify.js";
import {
  tf_exports
} from "./chunks/evaluate+infra-child+monitor+predict+promote+release+train+validate+verify.js";
import "./chunks/evaluate+infra-child+monitor+predict+promote+release+tf-backend-wasm.node+train+validate+verify.js";
import "./chunks/evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";
import "./chunks/bootstrap-worker+evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";
import "./chunks/bootstrap-worker+ct+evaluate+fused-worker+infra-child+models+monitor+predict+promote+release+tf-backend-wasm.node+train+validate+verify.js";

// src/pipeline/infra-child.ts
import { readFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
async function main() {
  const [modelDir, rowsFile, backend] = process.argv.slice(2);
  if (modelDir === void 0 || rowsFile === void 0) return { error: "usage: infra-child <modelDir> <rows.json> [backend]" };
  tf_exports.enableProdMode();
  const info = await selectBackend(backend ?? "auto");
  const table = deserializeTable(JSON.parse(readFileSync(rowsFile, "utf8")));
  const started = performance.now();
  const preprocessing = JSON.parse(readFileSync(path.join(modelDir, "preprocessing.json"), "utf8"));
  await registerSavedModule(modelDir, "candidate");
  const model = await tf_exports.loadLayersModel(fileLoadHandler(modelDir));
  const loaded = performance.now();
  const preds = predictRows(model, encodeTable(table, preprocessing, { withLabels: false }));
  const predicted = performance.now();
  let nonFinite = 0;
  for (const p of preds) if (!Number.isFinite(p)) nonFinite++;
  const width = table.rowCount === 0 ? 0 : preds.length / table.rowCount;
  return { backend: info.name, rows: table.rowCount, shape: [table.rowCount, width], nonFinite, loadMs: loaded - started, predictMs: predicted - loaded };
}
main().then(
  (report) => process.stdout.write(`${JSON.stringify(report)}
`),
  (error) => {
    process.stdout.write(`${JSON.stringify({ error: error instanceof Error ? error.message.split("\n")[0] : String(error) })}
`);
    process.exitCode = 1;
  }
);
