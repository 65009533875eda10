import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);
import {
  regateRecord
} from "./chunks/evaluate+train+validate+verify.js";
import "./chunks/bootstrap-worker+evaluate+train+validate+verify.js";
import {
  loadModel,
  scoreSameRows
} from "./chunks/evaluate+monitor+predict+train+validate+verify.js";
import {
  configuredModule,
  selectBackend
} from "./chunks/evaluate+infra-child+monitor+predict+train+validate+verify.js";
import "./chunks/bootstrap-worker+evaluate+monitor+predict+train+validate+verify.js";
import {
  checkRecordedChecksums,
  dataSource,
  fingerprintFiles,
  hashSplitRows,
  loadDataset,
  modelDir,
  parseHistory,
  plainFileNames,
  readProduction,
  readTables,
  registryPath,
  runAction,
  sameFiles
} from "./chunks/evaluate+monitor+predict+promote+release+train+validate+verify.js";
import {
  MODULE_FILE
} from "./chunks/evaluate+infra-child+monitor+predict+promote+release+train+validate+verify.js";
import "./chunks/evaluate+infra-child+monitor+predict+promote+release+tf-backend-wasm.node+train+validate+verify.js";
import {
  listPartitions
} from "./chunks/evaluate+models+monitor+predict+promote+release+train+validate+verify.js";
import {
  getInput
} from "./chunks/ct+evaluate+models+monitor+predict+promote+release+train+validate+verify.js";
import {
  UserError,
  displayPath,
  makeFolder,
  readJson,
  sha256File,
  sha256Of,
  takeRows,
  writeJson
} from "./chunks/evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";
import {
  GUARD_METRICS,
  weightedMetrics
} from "./chunks/bootstrap-worker+evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";
import "./chunks/bootstrap-worker+ct+evaluate+fused-worker+infra-child+models+monitor+predict+promote+release+tf-backend-wasm.node+train+validate+verify.js";

// src/pipeline/verify.ts
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

// src/registry/git-tree.ts
import { execFileSync } from "node:child_process";
var MAX_BUFFER = 1 << 30;
function git(repo, args, what) {
  try {
    return execFileSync("git", args, {
      cwd: repo,
      maxBuffer: MAX_BUFFER,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, GIT_TERMINAL_PROMPT: "0" }
    });
  } catch (error) {
    const stderr = error.stderr?.toString().trim().split("\n")[0] ?? "";
    throw new UserError(`git: ${what}${stderr === "" ? "" : `: ${stderr}`}`, { cause: error });
  }
}
function repositoryRoot(dir) {
  return git(dir, ["rev-parse", "--show-toplevel"], `${dir} is not in a git work tree`).toString().trim();
}
function resolveCommit(repo, rev) {
  if (rev.startsWith("-")) throw new UserError(`--head: "${rev}" is not a git revision`);
  return git(repo, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`], `no commit "${rev}" in ${repo}`).toString().trim();
}
function mergeBase(repo, a, b) {
  return git(repo, ["merge-base", a, b], `commits ${a} and ${b} share no history`).toString().trim();
}
function changedPaths(repo, from, to) {
  const fields = git(repo, ["diff", "--name-status", "--no-renames", "-z", from, to, "--"], `cannot compare ${from} with ${to}`).toString().split("\0");
  const out = [];
  for (let i = 0; i + 1 < fields.length; i += 2) out.push({ status: fields[i], path: fields[i + 1] });
  return out;
}
function registryTree(repo, commit, folder) {
  const prefix = folder.replace(/\/+$/, "") + "/";
  const listing = git(repo, ["ls-tree", "-r", "-z", "--full-tree", commit, "--", prefix], `cannot list ${prefix} in ${commit}`).toString();
  const files = /* @__PURE__ */ new Map();
  for (const line of listing.split("\0")) {
    if (line === "") continue;
    const tab = line.indexOf("	");
    const [mode, type, oid] = line.slice(0, tab).split(" ");
    const path2 = line.slice(tab + 1);
    if (path2.startsWith(prefix)) files.set(path2.slice(prefix.length), { mode, type, oid });
  }
  return {
    commit,
    files,
    read(relative) {
      const entry = files.get(relative);
      if (entry === void 0 || entry.type !== "blob") throw new UserError(`${commit.slice(0, 12)}: no file ${prefix}${relative}`);
      return git(repo, ["cat-file", "blob", entry.oid], `cannot read ${prefix}${relative} in ${commit}`);
    }
  };
}

// src/registry/proposal.ts
function parseJson(tree, file, folder) {
  try {
    return JSON.parse(tree.read(file).toString("utf8"));
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`${tree.commit.slice(0, 12)}: ${folder}/${file} is not JSON`, { cause: error });
  }
}
function historyEntry(line, source) {
  const entry = parseHistory(line, `${source}, history.jsonl's appended line`)[0];
  if (entry === null || typeof entry !== "object" || entry.action !== "promote" && entry.action !== "rollback")
    throw new UserError(`${source}: the appended history line is neither a promotion nor a rollback`);
  return entry;
}
function checkProposal(input) {
  const { model, folder, base, head } = input;
  const verdict = { kind: null, version: null, baseProduction: null, evaluation: null, checks: [] };
  const check = (name, ok, message) => {
    verdict.checks.push({ check: name, ok, message });
    return ok;
  };
  const source = `${folder} at ${head.commit.slice(0, 12)}`;
  try {
    const prefix = `${folder}/`;
    const outside = input.changed.filter((c) => !c.path.startsWith(prefix));
    const list = (paths) => paths.slice(0, 5).map((c) => `${c.status} ${c.path}`).join(", ") + (paths.length > 5 ? ", ..." : "");
    if (!check(
      "changed paths",
      outside.length === 0,
      outside.length === 0 ? `all ${input.changed.length} under ${prefix}` : `outside ${prefix}: ${list(outside)}`
    ))
      return verdict;
    const inside = input.changed.map((c) => ({ status: c.status, path: c.path.slice(prefix.length) }));
    const baseHistory = base.files.has("history.jsonl") ? base.read("history.jsonl").toString("utf8") : "";
    const headHistory = head.files.has("history.jsonl") ? head.read("history.jsonl").toString("utf8") : "";
    const appended = headHistory.startsWith(baseHistory) ? headHistory.slice(baseHistory.length) : null;
    const oneLine = appended !== null && /^[^\n]+\n?$/.test(appended);
    if (!check(
      "history is append-only",
      oneLine,
      appended === null ? "history.jsonl rewrites the base branch's lines (or the base branch has moved on: run ct again on its tip)" : oneLine ? "one line appended" : `${appended.split("\n").filter((l) => l !== "").length} lines appended; a proposal appends exactly one`
    ))
      return verdict;
    const entry = historyEntry(appended.trim(), source);
    verdict.kind = entry.action;
    verdict.version = entry.version;
    const basePointer = base.files.has("production.json") ? parseJson(base, "production.json", folder) : null;
    verdict.baseProduction = basePointer?.version ?? null;
    const pointer = head.files.has("production.json") ? parseJson(head, "production.json", folder) : null;
    const pointerOk = pointer !== null && pointer.model === model && entry.model === model && pointer.version === entry.version && pointer.previous === verdict.baseProduction && entry.previous === verdict.baseProduction && typeof pointer.files === "object" && pointer.files !== null && sameFiles(plainFileNames(pointer.files, source), entry.files);
    if (!check(
      "production pointer",
      pointerOk,
      pointerOk ? `${model}: ${verdict.baseProduction ?? "(none)"} -> ${entry.version}` : `production.json must name model ${model}, version ${entry.version}, previous ${verdict.baseProduction ?? "null"} (production on the base branch) and the files of the appended history line`
    ))
      return verdict;
    if (entry.action === "promote") promotion(input, entry, check, verdict);
    else rollback(input, entry, check, inside, baseHistory);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    check("proposal", false, error.message);
  }
  return verdict;
}
function promotion(input, entry, check, verdict) {
  const { base, head, folder } = input;
  const version = entry.version;
  const inFolder = (tree) => [...tree.files.keys()].filter((f) => f.startsWith(`${version}/`));
  const prefix = `${folder}/`;
  const allowed = (c) => {
    const p = c.path.slice(prefix.length);
    return p === "production.json" || p === "history.jsonl" || c.status === "A" && p.startsWith(`${version}/`);
  };
  const other = input.changed.filter((c) => !allowed(c));
  if (!check(
    "one new version",
    inFolder(base).length === 0 && other.length === 0,
    inFolder(base).length > 0 ? `${version} already exists on the base branch` : other.length === 0 ? `adds ${version}, changes nothing else` : `changes beyond the new version: ${other.slice(0, 5).map((c) => `${c.status} ${c.path}`).join(", ")}`
  ))
    return;
  const files = inFolder(head).map((f) => f.slice(version.length + 1));
  const recorded = Object.keys(entry.files);
  const plain = files.every((f) => recorded.includes(f) && ["100644", "100755"].includes(head.files.get(`${version}/${f}`).mode));
  if (!check(
    "version files",
    plain && files.length === recorded.length,
    plain && files.length === recorded.length ? `${files.length} plain files, as recorded` : `the folder holds ${files.join(", ") || "nothing"}; the history records ${recorded.join(", ") || "nothing"} (plain files only)`
  ))
    return;
  const wrong = recorded.filter((f) => sha256Of(head.read(`${version}/${f}`)) !== entry.files[f]);
  if (!check(`checksums of ${version}`, wrong.length === 0, wrong.length === 0 ? `${recorded.length} files match` : `differ: ${wrong.join(", ")}`)) return;
  const evaluation = parseJson(head, `${version}/evaluation.json`, folder);
  if (!check(
    "evaluation passed",
    evaluation.ok === true,
    evaluation.ok === true ? "evaluation.json says ok" : "evaluation.json does not say ok: its gates failed"
  ))
    return;
  const compared = evaluation.baseline?.version ?? null;
  if (!check(
    "compared with production",
    compared === verdict.baseProduction,
    compared === verdict.baseProduction ? verdict.baseProduction === null ? "the first model: nothing to compare with" : `compared with ${compared}, production on the base branch` : `compared with ${compared ?? "nothing"}; production on the base branch is ${verdict.baseProduction ?? "none"}`
  ))
    return;
  verdict.evaluation = evaluation;
}
function rollback(input, entry, check, inside, baseHistory) {
  const { base } = input;
  const other = inside.filter((c) => c.path !== "production.json" && c.path !== "history.jsonl");
  if (!check(
    "rollback changes only the pointer",
    other.length === 0,
    other.length === 0 ? "production.json and one history line" : `also changes ${other.map((c) => `${c.status} ${c.path}`).join(", ")}`
  ))
    return;
  const promoted = parseHistory(baseHistory, `${input.folder}/history.jsonl at ${base.commit.slice(0, 12)}`).find(
    (h) => h.action === "promote" && h.version === entry.version
  );
  if (!check(
    "an earlier version",
    promoted !== void 0 && sameFiles(promoted.files, entry.files),
    promoted === void 0 ? `${entry.version} was never promoted on the base branch` : sameFiles(promoted.files, entry.files) ? `${entry.version}, promoted at ${promoted.at}` : `the files named differ from those ${entry.version} was promoted with`
  ))
    return;
  const wrong = Object.entries(entry.files).filter(
    ([f, sum]) => !base.files.has(`${entry.version}/${f}`) || sha256Of(base.read(`${entry.version}/${f}`)) !== sum
  );
  check(
    `checksums of ${entry.version}`,
    wrong.length === 0,
    wrong.length === 0 ? `${Object.keys(entry.files).length} files on the base branch match` : `missing or differ: ${wrong.map(([f]) => f).join(", ")}`
  );
}

// src/pipeline/verify.ts
var DAY = /^\d{4}-\d{2}-\d{2}$/;
var VERIFY_TOLERANCE = 1e-6;
function startVerification(model, version) {
  const record = { ok: true, model, version, checks: [] };
  const check = (name, ok, message) => {
    record.checks.push({ check: name, ok, message });
    if (!ok) record.ok = false;
  };
  return { record, check };
}
async function runVerify(ctx, version) {
  const { config } = ctx.loaded;
  const registry = registryPath(ctx);
  const pointer = readProduction(registry, config.name);
  const target = version ?? pointer?.version;
  if (target === void 0) throw new UserError(`registry: ${config.name} has no production model to verify`);
  const { record, check } = startVerification(config.name, target);
  const verified = (v) => {
    const { dir: dir2, message } = checkRecordedChecksums(registry, config.name, v, pointer);
    check(`checksums of ${v}`, dir2 !== null, message);
    return dir2;
  };
  const dir = verified(target);
  if (dir !== null) {
    const evaluation = readJson(path.join(dir, "evaluation.json"), `evaluation of ${target}`);
    const baselineDir = evaluation.baseline === null ? null : existsSync(path.join(modelDir(registry, config.name), evaluation.baseline.version)) ? verified(evaluation.baseline.version) : null;
    if (evaluation.baseline !== null && baselineDir === null && !record.checks.some((c) => c.check === `checksums of ${evaluation.baseline.version}`)) {
      check("baseline", false, `the model it was compared with, ${evaluation.baseline.version}, is not in the registry`);
    }
    await checkMetrics(ctx, check, { version: target, dir, baselineDir, evaluation });
  }
  return finishVerification(ctx, record);
}
function proposalSource(env) {
  if (!["pull_request", "pull_request_target"].includes(env.GITHUB_EVENT_NAME ?? "") || env.GITHUB_EVENT_PATH === void 0) return null;
  const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, "utf8"));
  const pr = event.pull_request;
  return { headRepository: pr?.head?.repo?.full_name ?? "(deleted)", baseRepository: pr?.base?.repo?.full_name ?? "", headRef: pr?.head?.ref ?? "" };
}
async function runVerifyProposal(ctx, head, env = process.env) {
  const { config } = ctx.loaded;
  const { record, check } = startVerification(config.name, "(none)");
  const registry = registryPath(ctx);
  const repo = repositoryRoot(ctx.loaded.baseDir);
  const within = path.relative(realpathSync(repo), realpathSync(ctx.loaded.baseDir));
  const folder = path.normalize(path.join(within, path.relative(ctx.loaded.baseDir, registry), config.name)).split(path.sep).join("/");
  if (folder.startsWith("..")) throw new UserError(`registry ${displayPath(registry)} is outside the git repository ${repo}: a pull request cannot propose it`);
  const baseCommit = resolveCommit(repo, "HEAD");
  const headCommit = resolveCommit(repo, head);
  const source = proposalSource(env);
  const branch = `${config.promotion.branchPrefix}/${config.name}`;
  if (source !== null) {
    const same = source.headRepository === source.baseRepository;
    check(
      "source",
      same && source.headRef === branch,
      same ? `branch ${source.headRef}; promotions come from ${branch}` : `from ${source.headRepository}, a fork`
    );
  }
  const base = registryTree(repo, baseCommit, folder);
  const proposed = registryTree(repo, headCommit, folder);
  const verdict = checkProposal({
    model: config.name,
    folder,
    changed: changedPaths(repo, mergeBase(repo, baseCommit, headCommit), headCommit),
    base,
    head: proposed
  });
  for (const c of verdict.checks) check(c.check, c.ok, c.message);
  record.version = verdict.version ?? "(none)";
  if (verdict.version !== null) checkProposedModule(ctx, check, proposed, verdict.version);
  if (record.ok && verdict.evaluation !== null && verdict.version !== null) {
    const gates = regateRecord(config.gates, verdict.evaluation);
    check("gates of the base branch", gates.ok, gates.ok ? `${gates.checks.length} checks pass` : gates.failures.map((f) => f.message).join("; "));
    const scratch = mkdtempSync(path.join(tmpdir(), "ct-verify-"));
    try {
      const dir = materialise(proposed, verdict.version, path.join(scratch, "proposed"));
      const baselineDir = verdict.baseProduction === null ? null : materialise(base, verdict.baseProduction, path.join(scratch, "production"));
      await checkMetrics(ctx, check, { version: verdict.version, dir, baselineDir, evaluation: verdict.evaluation });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return finishVerification(ctx, record);
}
function checkProposedModule(ctx, check, tree, version) {
  const name = `${version}/${MODULE_FILE}`;
  if (!tree.files.has(name)) return;
  const proposed = sha256Of(tree.read(name));
  const module = configuredModule(ctx.loaded.config, ctx.loaded.baseDir);
  if (module === null || !existsSync(module)) {
    check(
      "model module",
      false,
      `${version} carries ${MODULE_FILE}, but the base branch's config names no model module: code from a pull request is never run`
    );
    return;
  }
  const base = sha256File(module);
  check(
    "model module",
    proposed === base,
    proposed === base ? `${MODULE_FILE} is the base branch's ${displayPath(module)}` : `${MODULE_FILE} differs from the base branch's ${displayPath(module)} (${proposed.slice(0, 19)}\u2026 vs ${base.slice(0, 19)}\u2026): code from a pull request is never run`
  );
}
function materialise(tree, version, dir) {
  makeFolder(dir);
  for (const name of tree.files.keys()) if (name.startsWith(`${version}/`)) writeFileSync(path.join(dir, name.slice(version.length + 1)), tree.read(name));
  return dir;
}
function finishVerification(ctx, record) {
  writeJson(path.join(ctx.outDir, "verification.json"), record);
  for (const c of record.checks) {
    if (c.ok) ctx.logger.info(`ok: ${c.check}: ${c.message}`);
    else ctx.logger.warning(`FAILED: ${c.check}: ${c.message}`);
  }
  return record;
}
async function checkMetrics(ctx, check, { version, dir, baselineDir, evaluation }) {
  let rows = null;
  try {
    rows = await recordedEvaluationRows(ctx, evaluation);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    check("evaluation data", false, error.message);
  }
  if (rows === null) return;
  await selectBackend(ctx.backend ?? ctx.loaded.config.training.backend, ctx.logger);
  const scored = await rescore(dir, baselineDir, rows, evaluation);
  compare(check, `metrics of ${version}`, evaluation.candidate.metrics, scored.candidate, scored.rows, evaluation.rows);
  if (evaluation.baseline !== null && scored.baseline !== null)
    compare(
      check,
      `metrics of ${evaluation.baseline.version} (the model it was compared with)`,
      evaluation.baseline.metrics,
      scored.baseline,
      scored.rows,
      evaluation.rows
    );
}
async function recordedEvaluationRows(ctx, evaluation) {
  const { data } = ctx.loaded.config;
  const source = dataSource(ctx);
  const parts = evaluation.data.parts;
  if (parts.length > 0 && parts.every((p) => DAY.test(p))) {
    const byDay = new Map(listPartitions(source).map((p) => [p.date, p.file]));
    const missing = parts.filter((d) => !byDay.has(d));
    if (missing.length > 0) throw new UserError(`partitions ${missing.join(", ")} of the evaluation are not in ${data.path}`);
    const files = parts.map((d) => byDay.get(d));
    const table = await readTables(files, data.format === void 0 ? {} : { format: data.format });
    if (data.split.method === "time") return table;
    if (fingerprintFiles(files) !== evaluation.data.fingerprint)
      throw new UserError(`the partitions of ${data.path} the evaluation read (${parts[0]} .. ${parts.at(-1)}) have changed since`);
    return takeRows(table, hashSplitRows(table, data.split).evaluation);
  }
  if (parts.length !== 1) throw new UserError("the evaluation recorded no data it read");
  const dataset = await loadDataset(data, source);
  if (dataset.fingerprint !== evaluation.data.fingerprint)
    throw new UserError(`${displayPath(source)} has changed since the evaluation read it (its fingerprint differs)`);
  return takeRows(dataset.table, dataset.evaluationRows);
}
async function rescore(dir, baselineDir, table, evaluation) {
  const candidate = await loadModel(dir, "model");
  const baseline = baselineDir === null ? null : await loadModel(baselineDir, "baseline model");
  try {
    const options = { threshold: evaluation.settings?.threshold ?? 0.5, calibrationBins: evaluation.settings?.calibrationBins ?? 10, classes: candidate.width };
    const scored = scoreSameRows(table, candidate, baseline, options, `the model it was compared with, ${evaluation.baseline?.version},`);
    return {
      rows: scored.selected.length,
      candidate: weightedMetrics(scored.candidate, null),
      baseline: scored.production === null ? null : weightedMetrics(scored.production, null)
    };
  } finally {
    candidate.model.dispose();
    baseline?.model.dispose();
  }
}
function compare(check, name, recorded, recomputed, rows, recordedRows) {
  if (rows !== recordedRows) {
    check(name, false, `${rows} labelled evaluation rows now, ${recordedRows} recorded`);
    return;
  }
  const differences = [];
  for (const [metric, value] of Object.entries(recorded)) {
    if (GUARD_METRICS.includes(metric)) continue;
    const again = recomputed[metric];
    const same = again !== void 0 && (Number.isNaN(value) ? Number.isNaN(again) : Math.abs(again - value) <= VERIFY_TOLERANCE);
    if (!same) differences.push(`${metric}: recorded ${value}, re-scored ${again}`);
  }
  check(
    name,
    differences.length === 0,
    differences.length === 0 ? `${Object.keys(recorded).filter((m) => !GUARD_METRICS.includes(m)).length} metrics reproduce on ${rows} rows` : differences.join("; ")
  );
}

// src/actions/verify.ts
await runAction("verify", async (ctx) => {
  const head = getInput("head");
  const version = getInput("version");
  const record = head === "" ? await runVerify(ctx, version === "" ? void 0 : version) : await runVerifyProposal(ctx, head);
  const failed = record.checks.filter((c) => !c.ok);
  const rows = record.checks.map((c) => `| ${c.ok ? "ok" : "**failed**"} | ${c.check} | ${c.message.replace(/\|/g, "\\|")} |`);
  return {
    outputs: { ok: record.ok, version: record.version },
    summary: [`### ct verify: ${record.model} ${record.version}`, "", "| | check | result |", "|---|---|---|", ...rows, ""].join("\n"),
    ...record.ok ? {} : { failure: `${failed.length} check${failed.length === 1 ? "" : "s"} failed: ${failed.map((c) => c.check).join(", ")}` }
  };
});
