import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);

// src/pipeline/infra-check.ts
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
function serializeTable(table) {
  return {
    rowCount: table.rowCount,
    columns: table.columns.map((c) => ({
      name: c.name,
      type: c.type,
      values: Array.from(c.type === "string" ? c.codes : c.values, (v) => Number.isNaN(v) ? null : v),
      ...c.type === "string" ? { dictionary: c.dictionary } : {},
      nulls: c.nulls === null ? null : Array.from(c.nulls)
    }))
  };
}
function deserializeTable(s) {
  const columns = s.columns.map((c) => {
    const nulls = c.nulls === null ? null : Uint8Array.from(c.nulls);
    const numbers = () => Float64Array.from(c.values, (v) => v === null ? Number.NaN : v);
    switch (c.type) {
      case "string":
        return { name: c.name, type: "string", nulls, codes: Int32Array.from(c.values, (v) => v ?? -1), dictionary: c.dictionary ?? [] };
      case "boolean":
        return { name: c.name, type: "boolean", nulls, values: Uint8Array.from(c.values, (v) => v ?? 0) };
      case "timestamp":
        return { name: c.name, type: "timestamp", nulls, values: numbers() };
      case "number":
        return { name: c.name, type: "number", nulls, values: numbers() };
    }
  });
  return { rowCount: s.rowCount, columns, sources: [] };
}
function childScript() {
  const here = fileURLToPath(new URL("./infra-child.js", import.meta.url));
  const candidates = [
    here,
    fileURLToPath(new URL("../infra-child.js", import.meta.url)),
    here.replace(`${path.sep}src${path.sep}`, `${path.sep}dist${path.sep}`)
  ];
  return candidates.find((file) => existsSync(file)) ?? here;
}
function crashReason(stderr) {
  const lines = stderr.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  return (lines.find((l) => /^(\w*Error|error)\b|Error:/.test(l)) ?? lines[lines.length - 1] ?? "no output").slice(0, 300);
}
async function runInfraCheck(modelDir, sample, options) {
  const base = {
    ok: false,
    message: "",
    rows: sample.rowCount,
    shape: null,
    nonFinite: null,
    backend: null,
    loadMs: null,
    predictMs: null,
    latencyBudgetMs: options.latencyBudgetMs
  };
  const dir = mkdtempSync(path.join(tmpdir(), "ct-infra-"));
  try {
    const rowsFile = path.join(dir, "rows.json");
    writeFileSync(rowsFile, JSON.stringify(serializeTable(sample)));
    const { code, stdout, stderr } = await run(process.execPath, [childScript(), modelDir, rowsFile, options.backend], options.timeoutMs ?? 12e4);
    const last = stdout.trim().split("\n").pop() ?? "";
    let report;
    try {
      report = JSON.parse(last);
    } catch {
      const why = code === null ? "was killed (timeout)" : `exited with code ${code}`;
      return { ...base, message: `infra check: the fresh process ${why}: ${crashReason(stderr)}` };
    }
    if (report.error !== void 0)
      return { ...base, message: `infra check: the saved candidate does not load and predict in a fresh process: ${report.error}` };
    const result = {
      ...base,
      shape: report.shape ?? null,
      nonFinite: report.nonFinite ?? null,
      backend: report.backend ?? null,
      loadMs: report.loadMs ?? null,
      predictMs: report.predictMs ?? null
    };
    const expected = [sample.rowCount, options.expectedWidth];
    if (JSON.stringify(result.shape) !== JSON.stringify(expected))
      return { ...result, message: `infra check: predictions have shape [${result.shape?.join(", ")}], expected [${expected.join(", ")}]` };
    if (result.nonFinite !== 0) return { ...result, message: `infra check: ${result.nonFinite} of ${sample.rowCount} predictions are NaN or infinite` };
    if (result.predictMs === null || result.predictMs > options.latencyBudgetMs) {
      return {
        ...result,
        message: `infra check: predicting ${sample.rowCount} rows took ${result.predictMs?.toFixed(0)} ms, over the budget of ${options.latencyBudgetMs} ms`
      };
    }
    return {
      ...result,
      ok: true,
      message: `infra check: loaded in a fresh process in ${result.loadMs?.toFixed(0)} ms, predicted ${sample.rowCount} rows in ${result.predictMs.toFixed(0)} ms (budget ${options.latencyBudgetMs} ms) on ${result.backend}`
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
function run(command, args, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs, killSignal: "SIGKILL" });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => stdout += d.toString());
    child.stderr.on("data", (d) => stderr += d.toString());
    child.on("error", (e) => resolve({ code: null, stdout, stderr: `${stderr}${e.message}` }));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export {
  deserializeTable,
  runInfraCheck
};
