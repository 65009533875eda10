import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);
import {
  promotionRecordOf,
  readProduction,
  registryPath,
  runAction,
  sameFiles,
  verifiedProductionDir
} from "./chunks/evaluate+monitor+predict+promote+release+train+validate+verify.js";
import "./chunks/evaluate+infra-child+monitor+predict+promote+release+train+validate+verify.js";
import "./chunks/evaluate+infra-child+monitor+predict+promote+release+tf-backend-wasm.node+train+validate+verify.js";
import "./chunks/evaluate+models+monitor+predict+promote+release+train+validate+verify.js";
import "./chunks/ct+evaluate+models+monitor+predict+promote+release+train+validate+verify.js";
import {
  UserError,
  displayPath,
  makeFolder
} from "./chunks/evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";
import {
  headlineMetric
} from "./chunks/bootstrap-worker+evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";
import "./chunks/bootstrap-worker+ct+evaluate+fused-worker+infra-child+models+monitor+predict+promote+release+tf-backend-wasm.node+train+validate+verify.js";

// src/pipeline/deploy.ts
import { existsSync as existsSync2, readFileSync as readFileSync2, rmSync as rmSync2, writeFileSync as writeFileSync2 } from "node:fs";
import path2 from "node:path";

// src/registry/release.ts
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
var RELEASE_MANIFEST = "release.json";
var RELEASE_SUMS = "SHA256SUMS";
function releaseTag(manifest) {
  return `${manifest.model}-${manifest.version}`;
}
function writeRelease(registry, model, out) {
  const pointer = readProduction(registry, model);
  if (pointer === null) throw new UserError(`${path.join(registry, model)}: no production version of ${model}: nothing to release`);
  const dir = verifiedProductionDir(registry, pointer);
  const record = promotionRecordOf(registry, model, pointer.version);
  if (record === void 0)
    throw new UserError(`${path.join(registry, model, "history.jsonl")}: no line promotes ${pointer.version}, so its origin cannot be released`);
  if (!sameFiles(record.files, pointer.files)) {
    throw new UserError(
      `${path.join(registry, model, "production.json")}: its checksums of ${pointer.version} differ from those history.jsonl recorded at promotion`
    );
  }
  const manifest = {
    format: "ct-release",
    model,
    version: pointer.version,
    promotedAt: record.at,
    files: sorted(record.files),
    by: record.by,
    previous: pointer.previous
  };
  makeFolder(out);
  for (const name of Object.keys(manifest.files)) copyFileSync(path.join(dir, name), path.join(out, name));
  writeFileSync(path.join(out, RELEASE_MANIFEST), `${JSON.stringify(manifest, null, 2)}
`);
  const sums = Object.entries(manifest.files).map(([name, sum]) => `${sum.replace(/^sha256:/, "")}  ${name}`);
  writeFileSync(path.join(out, RELEASE_SUMS), `${sums.join("\n")}
`);
  return manifest;
}
var sorted = (files) => Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
var MAX_FILE_BYTES = 2 ** 31;

// src/pipeline/deploy.ts
function runRelease(ctx) {
  const { config } = ctx.loaded;
  const registry = registryPath(ctx);
  const dir = path2.join(ctx.outDir, "release");
  rmSync2(dir, { recursive: true, force: true });
  const manifest = writeRelease(registry, config.name, dir);
  const notes = path2.join(ctx.outDir, "release-notes.md");
  writeFileSync2(notes, releaseNotes(manifest, evaluationOf(path2.join(dir, "evaluation.json"))));
  const tag = releaseTag(manifest);
  ctx.logger.info(`release ${tag}: ${Object.keys(manifest.files).length} files and their sha256 in ${displayPath(dir)}`);
  return { ...manifest, tag, dir, notes };
}
function evaluationOf(file) {
  if (!existsSync2(file)) return null;
  try {
    return JSON.parse(readFileSync2(file, "utf8"));
  } catch {
    return null;
  }
}
function releaseNotes(m, evaluation) {
  const lines = [`Production version of **${m.model}**: \`${m.version}\`, promoted ${m.promotedAt}.`, ""];
  if (m.previous !== null) lines.push(`It replaces \`${m.previous}\`.`, "");
  const by = [
    m.by.pullRequest === null ? null : `pull request #${m.by.pullRequest}`,
    m.by.commit === null ? null : `trained from ${m.by.commit.slice(0, 12)}`,
    m.by.run === null ? null : `[workflow run](${m.by.run})`
  ].filter((x) => x !== null);
  if (by.length > 0) lines.push(`Promoted by ${by.join(", ")}.`, "");
  if (evaluation !== null) {
    const metric = headlineMetric(evaluation.task).name;
    const value = evaluation.candidate.metrics[metric];
    const delta = evaluation.deltas[metric];
    if (typeof value === "number") {
      lines.push(
        `${metric} ${value.toFixed(4)} on ${evaluation.rows} evaluation rows` + (evaluation.baseline === null || delta === void 0 ? " (no production model to compare)." : `, ${delta.value >= 0 ? "+" : ""}${delta.value.toFixed(4)} against ${evaluation.baseline.version}.`),
        ""
      );
    }
  }
  lines.push(
    "`release.json` records the sha256 of every file; check them with `sha256sum -c SHA256SUMS`, or install the release with `ct deploy <folder or URL>`."
  );
  return `${lines.join("\n")}
`;
}

// src/actions/release.ts
await runAction("release", async (ctx) => {
  const release = runRelease(ctx);
  return {
    outputs: { tag: release.tag, dir: release.dir, notes: release.notes },
    summaryFile: release.notes
  };
});
