import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);
import {
  runValidate
} from "./chunks/evaluate+monitor+train+validate.js";
import {
  openGitHubSession
} from "./chunks/evaluate+monitor+promote+train+validate.js";
import "./chunks/evaluate+monitor+predict+train+validate.js";
import {
  code,
  lineChart,
  num,
  plain,
  signed,
  table,
  text
} from "./chunks/evaluate+monitor+predict+promote+train+validate.js";
import {
  commitToBranch,
  readRemoteFile
} from "./chunks/evaluate+models+monitor+promote+train+validate.js";
import {
  loadModel,
  scoreLabelledRows
} from "./chunks/evaluate+monitor+predict+train+validate+verify.js";
import {
  allRows,
  selectBackend
} from "./chunks/evaluate+infra-child+monitor+predict+train+validate+verify.js";
import "./chunks/bootstrap-worker+evaluate+monitor+predict+train+validate+verify.js";
import {
  dataSource,
  fingerprintFiles,
  modelDir,
  planBatch,
  readProduction,
  readTables,
  registryPath,
  runAction,
  verifiedProductionDir
} from "./chunks/evaluate+monitor+predict+promote+release+train+validate+verify.js";
import "./chunks/evaluate+infra-child+monitor+predict+promote+release+train+validate+verify.js";
import "./chunks/evaluate+infra-child+monitor+predict+promote+release+tf-backend-wasm.node+train+validate+verify.js";
import {
  listPartitions,
  newestDays
} from "./chunks/evaluate+models+monitor+predict+promote+release+train+validate+verify.js";
import {
  getInput
} from "./chunks/ct+evaluate+models+monitor+predict+promote+release+train+validate+verify.js";
import {
  DATA_EXTENSIONS,
  UserError,
  appendJobSummary,
  displayPath,
  findColumn,
  isRemote,
  learnVersions,
  makeFolder,
  numberColumnOf,
  readJson,
  stringColumnOf,
  valueAt,
  writeJson
} from "./chunks/evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";
import {
  headlineMetric,
  metricDirection,
  weightedMetrics
} from "./chunks/bootstrap-worker+evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";
import "./chunks/bootstrap-worker+ct+evaluate+fused-worker+infra-child+models+monitor+predict+promote+release+tf-backend-wasm.node+train+validate+verify.js";

// src/pipeline/monitor.ts
import { existsSync as existsSync4, readFileSync as readFileSync2, writeFileSync } from "node:fs";
import path3 from "node:path";
import { performance } from "node:perf_hooks";

// src/monitor/decide.ts
var fmt = (x) => x.toFixed(4);
var atLeast = (a, b) => a >= b - 1e-12;
function decideMonitor(evidence, policy, history) {
  const { metric, value, reference } = evidence;
  const drop = value === null || reference === null ? null : evidence.higherIsBetter ? reference - value : value - reference;
  const previous = history.at(-1);
  const streakBefore = previous !== void 0 && previous.production === evidence.production && previous.retrain ? previous.retrainStreak : 0;
  let judgedOn = "labels";
  const decided = (outcome, retrain, reasons) => ({
    outcome,
    retrain,
    drop,
    reasons,
    retrainStreak: retrain ? streakBefore + 1 : 0,
    judgedOn
  });
  if (evidence.errors.length > 0) {
    judgedOn = "nothing";
    return decided("alert", false, [
      `the new data has ${evidence.errors.length} error anomal${evidence.errors.length === 1 ? "y" : "ies"}, so retraining on it would be refused: ${evidence.errors.slice(0, 3).join("; ")}${evidence.errors.length > 3 ? "; ..." : ""}`
    ]);
  }
  const driftReasons = [];
  if (evidence.drift !== null && policy.retrainOnDrift) {
    if (evidence.drift.dataset) driftReasons.push(`dataset drift (${evidence.drift.columns.join(", ")})`);
    if (evidence.drift.label) driftReasons.push("label drift");
    if (evidence.drift.prediction) driftReasons.push("prediction drift");
  }
  if (value === null || evidence.rows < policy.minRows) {
    const scarce = `only ${evidence.rows} labelled row(s) to judge (monitoring.minRows ${policy.minRows})`;
    if (policy.driftWithoutLabels && driftReasons.length > 0) {
      judgedOn = "drift";
      return decided("retrain", true, [`${scarce}; judged on drift alone (monitoring.driftWithoutLabels): ${driftReasons.join(", ")}`]);
    }
    judgedOn = "nothing";
    const drift2 = evidence.drift === null ? "" : policy.driftWithoutLabels ? "; no drift either" : "";
    return decided("none", false, [`${scarce}${drift2}: nothing decided`]);
  }
  const against = reference === null ? "" : ` (${fmt(reference)} at promotion)`;
  const dropText = drop === null ? `${metric} ${fmt(value)}` : `${metric} ${fmt(value)} is ${fmt(Math.abs(drop))} ${drop >= 0 ? "worse" : "better"} than at promotion${against}`;
  if (drop !== null && atLeast(drop, policy.alertDrop)) {
    return decided("alert", true, [`${dropText}: at least monitoring.alertDrop ${policy.alertDrop}`, ...driftReasons]);
  }
  const decayed = drop !== null && atLeast(drop, policy.retrainDrop);
  if (decayed && streakBefore + 1 > policy.alertAfterRetrains) {
    return decided("alert", true, [
      `${dropText}, and retraining was asked for in ${streakBefore} run(s) in a row without a new production model recovering it (monitoring.alertAfterRetrains ${policy.alertAfterRetrains})`,
      ...driftReasons
    ]);
  }
  if (decayed) return decided("retrain", true, [`${dropText}: at least monitoring.retrainDrop ${policy.retrainDrop}`, ...driftReasons]);
  if (driftReasons.length > 0) return decided("retrain", true, [`${dropText}, but the data moved: ${driftReasons.join(", ")}`]);
  const within = drop === null || drop < 0 ? "" : `, within monitoring.retrainDrop ${policy.retrainDrop}`;
  const drift = evidence.drift === null ? "drift not tested" : policy.retrainOnDrift ? "no dataset, label or prediction drift" : "drift not acted on (monitoring.retrainOnDrift is off)";
  return decided("none", false, [`${dropText}${within}; ${drift}`]);
}

// src/monitor/evidence.ts
function hasErrors(validation) {
  return validation.anomalies.some((a) => a.severity === "error");
}
async function scoreProduction(table2, dir, version, evaluation, errors) {
  const model = await loadModel(dir, `production model ${version}`);
  try {
    if (findColumn(table2, model.preprocessing.label.column) === void 0) return null;
    return scoreLabelledRows(table2, model, { threshold: evaluation.threshold, classes: model.width, calibrationBins: evaluation.calibrationBins }).scored;
  } catch (error) {
    if (!errors) throw error;
    return null;
  } finally {
    model.model.dispose();
  }
}
function metricValue(scored, metric, task) {
  if (scored === null || scored.rows === 0) return null;
  const metrics = weightedMetrics(scored, null);
  if (metrics[metric] === void 0)
    throw new UserError(`monitoring.metric: "${metric}" is not a metric of a ${task} model (${Object.keys(metrics).join(", ")})`);
  return metrics[metric];
}
function monitorEvidence(observed) {
  const { validation } = observed;
  const drifted = validation.drift?.columns.filter((c) => c.drifted).map((c) => c.column) ?? [];
  return {
    production: observed.production,
    metric: observed.metric,
    higherIsBetter: observed.higherIsBetter,
    value: observed.value,
    reference: observed.reference,
    rows: observed.rows,
    fingerprint: observed.fingerprint,
    errors: validation.anomalies.filter((a) => a.severity === "error").map((a) => a.message),
    drift: validation.drift === null ? null : {
      dataset: validation.drift.datasetDrift,
      // The label and the prediction are reported apart from the input columns.
      label: validation.drift.label?.drifted === true,
      prediction: validation.drift.prediction?.drifted === true,
      columns: drifted,
      share: validation.drift.columns.length === 0 ? 0 : drifted.length / validation.drift.columns.length
    }
  };
}

// src/monitor/history.ts
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
var MONITOR_HISTORY = "monitor.jsonl";
function parseMonitorHistory(text2, source, warn) {
  const out = [];
  text2.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    try {
      const record = JSON.parse(line);
      if (record.format === "ct-monitor") out.push(record);
    } catch {
      warn(`${source} line ${i + 1} is not JSON: skipped`);
    }
  });
  return out;
}
async function readMonitorHistory(localFile, branch, model, warn) {
  const remote = branch === null ? null : await readRemoteFile(branch);
  const branchExists = remote?.exists === true;
  const text2 = branchExists ? remote.content ?? "" : existsSync(localFile) ? readFileSync(localFile, "utf8") : "";
  const source = branchExists ? `${branch.branch}:${branch.file}` : displayPath(localFile);
  return { text: text2, branchExists, records: parseMonitorHistory(text2, source, warn).filter((r) => r.model === model) };
}
function appendHistory(record, file) {
  makeFolder(path.dirname(file));
  appendFileSync(file, `${JSON.stringify(record)}
`);
}
function withRecord(current, record) {
  return `${current}${current === "" || current.endsWith("\n") ? "" : "\n"}${JSON.stringify(record)}
`;
}

// src/monitor/issue.ts
function issueMarker(model) {
  return `<!-- ct-monitor:${model.replace(/[<>\r\n]/g, " ").slice(0, 200)} -->`;
}
function issueAction(record, open, last) {
  if (record.outcome === "alert") return open ? "update" : "open";
  if (!open) return null;
  if (record.outcome === "none" && record.value !== null) return "close";
  if (last === void 0 || last.outcome !== record.outcome || record.retrain) return "comment";
  return null;
}

// src/monitor/new-data.ts
import { existsSync as existsSync2, statSync } from "node:fs";
function newDataFiles(batch, source, training, days) {
  const seen = [...training.data.trainParts, ...training.data.evaluationParts].filter((p) => /^\d{4}-\d{2}-\d{2}$/.test(p)).sort();
  const trainedThrough = seen.at(-1) ?? "unknown";
  if (batch !== void 0) {
    const plan = planBatch(batch);
    const parts = plan.partitioned ? plan.evaluationParts : [];
    return { files: plan.files, days: parts.length === 0 ? null : { first: parts[0], last: parts.at(-1) }, trainedThrough };
  }
  if (isRemote(source) || existsSync2(source) && statSync(source).isFile())
    throw new UserError(
      `data.path ${displayPath(source)} is one file: monitoring needs daily partitions to tell new data from old, or a batch of new labelled data with --data`
    );
  if (seen.length === 0)
    throw new UserError(`production's training record names no partition days (data.path ${displayPath(source)}): give the new labelled data with --data`);
  const after = listPartitions(source).filter((p) => p.date > trainedThrough);
  const chosen = newestDays(after, days);
  return { files: chosen.map((p) => p.file), days: chosen.length === 0 ? null : { first: chosen[0].date, last: chosen.at(-1).date }, trainedThrough };
}
async function readNewData(data, fingerprint, format) {
  return judgedDataset(data, await readTables(data.files, format === void 0 ? {} : { format }), fingerprint);
}
function judgedDataset(data, table2, fingerprint) {
  const { files } = data;
  const dataset = {
    files,
    trainParts: [],
    evaluationParts: files,
    table: table2,
    trainRows: new Int32Array(0),
    evaluationRows: allRows(table2.rowCount),
    fingerprint
  };
  return { dataset, plan: { partitioned: data.days !== null, files, evaluationFiles: files, trainParts: [], evaluationParts: files } };
}

// src/monitor/predictions.ts
import { existsSync as existsSync3, readdirSync, statSync as statSync2 } from "node:fs";
import path2 from "node:path";
var LOG_PREFIX = "ct_";
function predictionLogFiles(folder, days) {
  if (!existsSync3(folder)) throw new UserError(`monitoring.source is predictions, but there is no prediction log in ${displayPath(folder)} yet: run ct serve`);
  const chosen = newestDays(listPartitions(folder), days);
  return { files: chosen.map((p) => p.file), days: chosen.length === 0 ? null : { first: chosen[0].date, last: chosen.at(-1).date }, trainedThrough: "" };
}
function lateLabelFiles(folder) {
  if (!existsSync3(folder) || !statSync2(folder).isDirectory()) return [];
  return readdirSync(folder).filter((name) => DATA_EXTENSIONS.some((ext) => name.toLowerCase().endsWith(ext))).sort().map((name) => path2.join(folder, name));
}
async function readPredictionLog(log, labelFiles, label, fingerprint, format) {
  const options = format === void 0 ? {} : { format };
  const logged = await readTables(log.files, options);
  const labels = labelFiles.length === 0 ? null : await readTables(labelFiles, {});
  const joined = labels === null ? null : joinLabels(logged, labels, label, labelFiles);
  const columns = logged.columns.filter((c) => !c.name.startsWith(LOG_PREFIX) && c.name !== label);
  const table2 = { ...logged, columns: joined === null ? columns : [...columns, joined.column] };
  return {
    ...judgedDataset(log, table2, fingerprint),
    logged: logged.rowCount,
    labelled: joined?.matched ?? 0
  };
}
function joinLabels(logged, labels, label, files) {
  const shown = files.map(displayPath).join(", ");
  const id = findColumn(labels, `${LOG_PREFIX}request_id`);
  const value = findColumn(labels, label);
  if (id === void 0 || value === void 0) {
    throw new UserError(`late labels ${shown}: expected the columns ${LOG_PREFIX}request_id and ${label} (and ${LOG_PREFIX}row for requests of several rows)`);
  }
  const row = findColumn(labels, `${LOG_PREFIX}row`);
  const byKey = /* @__PURE__ */ new Map();
  for (let i = 0; i < labels.rowCount; i++) {
    const v = valueAt(value, i);
    const request = valueAt(id, i);
    if (v === null || request === null) continue;
    byKey.set(`${String(request)}\0${row === void 0 ? 1 : String(valueAt(row, i) ?? 1)}`, v);
  }
  const loggedId = findColumn(logged, `${LOG_PREFIX}request_id`);
  const loggedRow = findColumn(logged, `${LOG_PREFIX}row`);
  if (loggedId === void 0) throw new UserError(`prediction log: no ${LOG_PREFIX}request_id column: these files were not written by ct serve`);
  const found = Array.from(
    { length: logged.rowCount },
    (_, i) => byKey.get(`${String(valueAt(loggedId, i))}\0${loggedRow === void 0 ? 1 : String(valueAt(loggedRow, i))}`) ?? null
  );
  const matched = found.filter((v) => v !== null).length;
  let column;
  if (value.type === "number")
    column = numberColumnOf(
      label,
      found.map((v) => v === null ? NaN : Number(v))
    );
  else if (value.type === "boolean") {
    const nulls = found.some((v) => v === null) ? Uint8Array.from(found, (v) => v === null ? 1 : 0) : null;
    column = { type: "boolean", name: label, values: Uint8Array.from(found, (v) => v === true ? 1 : 0), nulls };
  } else column = stringColumnOf(label, found.length, (i) => found[i] === null ? null : String(found[i]));
  return { column, matched };
}

// src/monitor/record.ts
function monitorBase(model, at) {
  return { format: "ct-monitor", at, model, window: null, actions: { dispatched: null, issue: null, history: null } };
}
function nothingJudged(base, production, metric, higherIsBetter, reason) {
  return {
    ...base,
    production,
    metric,
    higherIsBetter,
    value: null,
    reference: null,
    rows: 0,
    fingerprint: null,
    errors: [],
    drift: null,
    drop: null,
    outcome: "none",
    retrain: false,
    reasons: [reason],
    retrainStreak: 0
  };
}
function unchangedSince(last, base) {
  return {
    ...last,
    at: base.at,
    outcome: "none",
    retrain: false,
    reasons: [`nothing new since the monitor run of ${last.at}, which decided: ${last.outcome}`],
    actions: base.actions,
    retrainStreak: last.retrainStreak
  };
}
function outcomeLine(record) {
  return `${record.outcome === "none" ? "nothing to do" : record.outcome === "retrain" ? "retrain" : "alert"}: ${record.reasons.join("; ")}`;
}

// src/monitor/webhook.ts
function webhookPayload(record, runUrl) {
  const what = record.outcome === "alert" ? "needs a person" : record.outcome === "retrain" ? "is being retrained" : "is healthy";
  const value = record.value === null ? "no labelled rows" : `${record.metric} ${record.value.toFixed(4)}${record.reference === null ? "" : ` (${record.reference.toFixed(4)} at promotion)`}`;
  const text2 = `ct monitor: ${record.model} ${what}: ${value}. ${record.reasons.join("; ")}${runUrl === null ? "" : ` ${runUrl}`}`;
  const lines = [`*ct monitor: ${record.model}* ${what}`, `production ${record.production || "\u2014"}: ${value}`, ...record.reasons.map((r) => `\u2022 ${r}`)];
  if (runUrl !== null) lines.push(`<${runUrl}|monitor run>`);
  return { text: text2, blocks: [{ type: "section", text: { type: "mrkdwn", text: lines.join("\n").slice(0, 2900) } }] };
}
var DEFAULT_WEBHOOK_RETRY = { attempts: 4, delayMs: 1e3, maxDelayMs: 3e4, timeoutMs: 1e4 };
async function postWebhook(url, payload, retry = DEFAULT_WEBHOOK_RETRY) {
  let reason = "";
  for (let attempt = 1; attempt <= retry.attempts; attempt++) {
    let wait = retry.delayMs * 2 ** (attempt - 1);
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(retry.timeoutMs)
      });
      await response.arrayBuffer();
      if (response.ok) return { sent: true, attempts: attempt };
      reason = `HTTP ${response.status}`;
      if (response.status !== 429 && response.status < 500) return { sent: false, attempts: attempt, reason };
      const after = Number(response.headers.get("retry-after"));
      if (Number.isFinite(after) && after > 0) wait = Math.min(after * 1e3, retry.maxDelayMs);
    } catch (error) {
      reason = error instanceof Error && error.name === "TimeoutError" ? `no answer within ${retry.timeoutMs} ms` : "could not connect";
    }
    if (attempt < retry.attempts) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  return { sent: false, attempts: retry.attempts, reason };
}

// src/report/monitor.ts
var OUTCOME_WORDS = { none: "nothing to do", retrain: "retrain", alert: "alert" };
function trendTable(record, history, n = 10) {
  const runs = [...history.slice(-n), record];
  return table(
    ["run", "production", "new data", "rows", text(record.metric, 60), "vs promotion", "decision"],
    runs.map((r) => [
      text(r.at.slice(0, 16).replace("T", " ")),
      r.production === "" ? "\u2014" : text(r.production, 100),
      r.window === null ? "\u2014" : windowText(r.window),
      String(r.rows),
      num(r.value),
      r.drop === null ? "\u2014" : signed(-r.drop * (r.higherIsBetter ? 1 : -1)),
      OUTCOME_WORDS[r.outcome]
    ])
  );
}
function trendCharts(record, history, n = 30) {
  const runs = [...history, record].filter((r) => r.production !== "" && r.metric === record.metric).slice(-n);
  if (runs.length < 2) return "";
  const xs = runs.map((r) => r.at.slice(5, 16).replace("T", " "));
  const values = runs.map((r) => r.value ?? Number.NaN);
  const finite = values.filter(Number.isFinite);
  const low = finite.length === 0 ? 0 : Math.min(...finite, ...runs.map((r) => r.reference ?? Number.POSITIVE_INFINITY));
  const high = finite.length === 0 ? 1 : Math.max(...finite, ...runs.map((r) => r.reference ?? Number.NEGATIVE_INFINITY));
  const pad = Math.max((high - low) * 0.1, 5e-3);
  const range = [Number((low - pad).toFixed(4)), Number((high + pad).toFixed(4))];
  const metric = lineChart(
    `${record.metric} on new labelled rows per monitor run (first line) and at promotion (second)`,
    "monitor run (UTC)",
    xs,
    record.metric,
    [values, runs.map((r) => r.reference ?? Number.NaN)],
    range
  );
  const drift = lineChart("share of columns that drifted per monitor run", "monitor run (UTC)", xs, "share", [runs.map((r) => r.drift?.share ?? Number.NaN)]);
  return `${metric}

${drift}`;
}
function windowText(w) {
  return `${text(w.first, 40)}..${text(w.last, 40)}`;
}
function driftLine(record) {
  if (record.drift === null) return "Drift: not tested (no reference statistics).";
  const parts = [
    record.drift.columns.length === 0 ? "no input column drifted" : `input columns drifted: ${record.drift.columns.map((c) => code(c)).join(", ")}`,
    record.drift.label ? "the label drifted" : "the label did not drift",
    record.drift.prediction ? "the predictions drifted" : "the predictions did not drift"
  ];
  return `Drift against the production model's training statistics: ${parts.join("; ")}${record.drift.dataset ? " (dataset drift)" : ""}.`;
}
var JUDGED_ON = {
  labels: "the labelled rows (and drift beside them)",
  drift: "drift alone: too few labels yet (monitoring.driftWithoutLabels)",
  nothing: "nothing: too few labels and no drift, or data that cannot be judged"
};
function sourceText(record) {
  const s = record.source;
  return s === void 0 || s.kind === "data" ? "new data" : `the prediction log (${s.logged} rows logged, ${s.labelled} with a late label)`;
}
function monitorMarkdown(record, history) {
  const lines = [`## ct monitor: ${text(record.model, 100)}: ${OUTCOME_WORDS[record.outcome]}`, "", ...record.reasons.map((r) => `- ${text(r)}`), ""];
  if (record.production !== "") {
    lines.push(
      `Production ${text(record.production, 100)}: ${text(record.metric, 60)} ${num(record.value)} on ${record.rows} labelled rows of ${sourceText(record)}${record.window === null ? "" : ` (${windowText(record.window)})`}; ${num(record.reference)} at promotion.`,
      "",
      ...record.judgedOn === void 0 ? [] : [`Judged on: ${JUDGED_ON[record.judgedOn]}.`, ""],
      driftLine(record),
      ""
    );
    if (record.errors.length > 0) lines.push("Error anomalies in the new data:", "", ...record.errors.map((e) => `- ${text(e)}`), "");
    lines.push(trendTable(record, history), "");
    const charts = trendCharts(record, history);
    if (charts !== "") lines.push(charts, "");
  }
  const acted = [
    record.actions.dispatched === null ? null : `dispatched ${text(record.actions.dispatched, 100)} to retrain`,
    record.actions.issue === null ? null : `${record.actions.issue.action} issue [#${record.actions.issue.number}](${record.actions.issue.url})`,
    record.actions.history === null ? null : `history committed to ${text(record.actions.history, 200)}`,
    record.actions.webhook === void 0 ? null : `webhook ${text(record.actions.webhook, 200)}`
  ].filter((a) => a !== null);
  if (acted.length > 0) lines.push(`ct ${acted.join("; ")}.`, "");
  return lines.join("\n");
}
function monitorIssueTitle(record) {
  const what = record.errors.length > 0 ? "new data has error anomalies" : record.value === null ? "needs attention" : `${plain(record.metric, 60)} ${num(record.value)}, ${num(record.reference)} at promotion`;
  return plain(`ct monitor: ${plain(record.model, 100)} ${what}`, 250);
}
function monitorIssueBody(record, history, marker, runUrl) {
  return [
    marker,
    monitorMarkdown(record, history).replace(/^## /, "### "),
    "### What to do",
    "",
    record.errors.length > 0 ? "- Fix the data, or accept the change in the schema (`ct validate --update-schema` proposes it); until then retraining is refused." : "- Review the retraining pull request ct opens when a candidate passes the gates; if none passes, look at the evaluation report of the latest `ct` run.",
    "- ct closes this issue by itself when a monitor run finds the production model healthy again.",
    "",
    runUrl === null ? "" : `Latest monitor run: ${runUrl}`
  ].join("\n");
}
function monitorIssueComment(record, runUrl) {
  const head = record.outcome === "none" ? `Recovered: ${text(record.metric, 60)} ${num(record.value)} on ${record.rows} rows of new data; closing.` : `Still ${OUTCOME_WORDS[record.outcome]}: ${record.reasons.map((r) => text(r)).join("; ")}`;
  return [head, record.actions.dispatched === null ? "" : `Retraining dispatched (${text(record.actions.dispatched, 100)}).`, runUrl === null ? "" : runUrl].filter((l) => l !== "").join("\n\n");
}

// src/pipeline/monitor.ts
async function runMonitor(ctx, options = {}) {
  const started = performance.now();
  const { config } = ctx.loaded;
  const env = options.env ?? process.env;
  const policy = config.monitoring;
  const outDir = path3.join(ctx.outDir, "monitor");
  makeFolder(outDir);
  const registry = registryPath(ctx);
  const localHistory = path3.join(modelDir(registry, config.name), MONITOR_HISTORY);
  const session = options.github === true ? await openGitHubSession(ctx, env, options.retry) : null;
  const history = await readMonitorHistory(localHistory, session === null ? null : historyOnBranch(session, config), config.name, (m) => ctx.logger.warning(m));
  const metric = policy.metric ?? headlineMetric(config.task).name;
  const higherIsBetter = metricDirection(metric) !== "lowerIsBetter";
  const base = monitorBase(config.name, (/* @__PURE__ */ new Date()).toISOString());
  const finish = (record2) => finishMonitor(ctx, outDir, record2, history.records, started);
  const pointer = readProduction(registry, config.name);
  if (pointer === null)
    return finish(nothingJudged(base, "", metric, higherIsBetter, `no production model of ${config.name} in ${displayPath(registry)} yet: nothing to monitor`));
  const productionDir = verifiedProductionDir(registry, pointer);
  const training = readJson(path3.join(productionDir, "training.json"), "production training record");
  const evaluation = readJson(path3.join(productionDir, "evaluation.json"), "production evaluation record");
  const judging = judgedData(ctx, training);
  const { files } = judging;
  if (files.files.length === 0) {
    const why = judging.source === "predictions" ? "the prediction log holds no day yet" : `no new data since production ${pointer.version} was trained (its data ends ${files.trainedThrough})`;
    return finish(nothingJudged(base, pointer.version, metric, higherIsBetter, why));
  }
  await learnVersions(files.files);
  const fingerprint = fingerprintFiles([...files.files, ...judging.labelFiles]);
  const last = history.records.at(-1);
  if (last !== void 0 && last.fingerprint === fingerprint && last.production === pointer.version) return finish(unchangedSince(last, base));
  ctx.logger.info(
    `judging production ${pointer.version} on ${files.files.length} file(s) ${files.days === null ? "" : `(${files.days.first}..${files.days.last}) `}of ${judging.source === "predictions" ? `its prediction log, with ${judging.labelFiles.length} file(s) of late labels` : "new data"}`
  );
  const judged = await judging.read(fingerprint);
  const { result: validation } = await runValidate({ ...ctx, outDir }, judged.dataset, { plan: judged.plan, predictionLog: judging.source === "predictions" });
  await selectBackend(ctx.backend ?? config.training.backend, ctx.logger);
  const scored = await scoreProduction(judged.dataset.table, productionDir, pointer.version, config.evaluation, hasErrors(validation));
  const value = metricValue(scored, metric, config.task);
  const reference = evaluation.candidate.metrics[metric] ?? null;
  const evidence = monitorEvidence({ production: pointer.version, metric, higherIsBetter, value, reference, rows: scored?.rows ?? 0, fingerprint, validation });
  evidence.source = judged.source;
  const record = { ...base, ...evidence, window: files.days, ...decideMonitor(evidence, policy, history.records) };
  if (session !== null) await actOnGitHub(ctx, session, record, history.records, last);
  await tellWebhook(ctx, record, env, session?.target.runUrl ?? null);
  appendHistory(record, localHistory);
  if (session !== null) await publishHistory(ctx, session, record, history, env);
  return finish(record);
}
function judgedData(ctx, training) {
  const { config } = ctx.loaded;
  const policy = config.monitoring;
  if (policy.source === "data") {
    const files2 = newDataFiles(ctx.data, dataSource(ctx), training, policy.newestDays);
    return {
      source: "data",
      files: files2,
      labelFiles: [],
      read: async (fingerprint) => ({ ...await readNewData(files2, fingerprint, config.data.format), source: { kind: "data" } })
    };
  }
  const folder = ctx.data ?? path3.resolve(ctx.loaded.baseDir, config.serving.log.path, config.name);
  const files = predictionLogFiles(folder, policy.newestDays);
  const labelFiles = lateLabelFiles(path3.resolve(ctx.loaded.baseDir, policy.labelsPath, config.name));
  return {
    source: "predictions",
    files,
    labelFiles,
    read: async (fingerprint) => {
      const log = await readPredictionLog(files, labelFiles, config.label.column, fingerprint, void 0);
      ctx.logger.info(`prediction log: ${log.logged} row(s), ${log.labelled} with a late label`);
      return { dataset: log.dataset, plan: log.plan, source: { kind: "predictions", logged: log.logged, labelled: log.labelled } };
    }
  };
}
async function tellWebhook(ctx, record, env, runUrl) {
  const { webhook } = ctx.loaded.config.monitoring;
  const url = env[webhook.env];
  if (url === void 0 || url === "" || !webhook.on.includes(record.outcome)) return;
  ctx.logger.secret?.(url);
  const result = await postWebhook(url, webhookPayload(record, runUrl), webhookRetry(env));
  record.actions.webhook = result.sent ? "sent" : `failed after ${result.attempts} attempt(s): ${result.reason}`;
  if (result.sent) ctx.logger.info(`webhook (${webhook.env}): sent`);
  else ctx.logger.warning(`webhook (${webhook.env}): ${record.actions.webhook}`);
}
function webhookRetry(env) {
  const ms = Number(env.CT_WEBHOOK_RETRY_MS);
  return Number.isFinite(ms) && ms > 0 ? { ...DEFAULT_WEBHOOK_RETRY, delayMs: ms } : DEFAULT_WEBHOOK_RETRY;
}
function historyOnBranch(session, config) {
  const file = path3.join(session.registryInRepo, config.name, MONITOR_HISTORY);
  return { repoDir: session.root, remote: config.promotion.remote, branch: config.monitoring.historyBranch, file, auth: session.auth };
}
async function publishHistory(ctx, session, record, history, env) {
  const commit = await commitHistory(ctx, session, record, history.text, history.branchExists);
  record.actions.history = `${ctx.loaded.config.monitoring.historyBranch}@${commit.slice(0, 12)}`;
  appendJobSummary(env, monitorMarkdown(record, history.records));
}
function finishMonitor(ctx, outDir, record, history, started) {
  writeJson(path3.join(outDir, "monitor.json"), record);
  writeFileSync(path3.join(outDir, "monitor.md"), monitorMarkdown(record, history));
  if (record.outcome === "alert") ctx.logger.warning(outcomeLine(record));
  else ctx.logger.info(outcomeLine(record));
  ctx.logger.debug(`monitor took ${((performance.now() - started) / 1e3).toFixed(1)} s`);
  return record;
}
async function actOnGitHub(ctx, session, record, history, last) {
  const { config } = ctx.loaded;
  const policy = config.monitoring;
  const { api, target } = session;
  if (record.retrain) {
    const ref = policy.ref ?? await api.defaultBranch();
    const configInRepo = path3.relative(session.root, path3.resolve(ctx.loaded.file)).split(path3.sep).join("/");
    await api.dispatchWorkflow(policy.workflow, ref, { "force-retrain": "true", model: configInRepo });
    record.actions.dispatched = `${policy.workflow}@${ref}`;
    ctx.logger.info(`dispatched ${policy.workflow} on ${ref} to retrain ${config.name}`);
  }
  const marker = issueMarker(config.name);
  const open = await api.findOpenIssue(policy.labels, marker) ?? await api.findOpenIssue([], marker);
  const action = issueAction(record, open !== null, last);
  if (action === null) return;
  if (open === null) {
    const issue = await api.createIssue({
      title: monitorIssueTitle(record),
      body: monitorIssueBody(record, history, marker, target.runUrl),
      labels: policy.labels,
      marker
    });
    record.actions.issue = { number: issue.number, url: issue.url, action: "opened" };
    ctx.logger.warning(`opened issue #${issue.number}: ${issue.url}`);
    return;
  }
  if (action === "update")
    await api.updateIssue(open.number, { title: monitorIssueTitle(record), body: monitorIssueBody(record, history, marker, target.runUrl) });
  await api.commentOnIssue(open.number, monitorIssueComment(record, target.runUrl));
  if (action === "close") await api.updateIssue(open.number, { state: "closed", stateReason: "completed" });
  record.actions.issue = { number: open.number, url: open.url, action: action === "close" ? "closed" : "updated" };
  if (action === "update") ctx.logger.warning(`updated issue #${open.number}: ${open.url}`);
  if (action === "close") ctx.logger.info(`closed issue #${open.number}: ${config.name} recovered`);
}
async function commitHistory(ctx, session, record, before, branchExists) {
  const { config } = ctx.loaded;
  const policy = config.monitoring;
  const base = branchExists ? policy.historyBranch : await session.api.defaultBranch();
  const file = path3.join(session.registryInRepo, config.name, MONITOR_HISTORY);
  const result = await commitToBranch({
    repoDir: session.root,
    remote: config.promotion.remote,
    base,
    branch: policy.historyBranch,
    message: `ct monitor: ${config.name} ${record.outcome}${record.value === null ? "" : ` (${record.metric} ${record.value.toFixed(4)})`}`,
    author: config.promotion.author,
    committer: config.promotion.committer ?? config.promotion.author,
    auth: session.auth,
    apply: (worktree) => {
      const target = path3.join(worktree, file);
      makeFolder(path3.dirname(target));
      const current = existsSync4(target) ? readFileSync2(target, "utf8") : before;
      writeFileSync(target, withRecord(current, record));
    },
    logger: ctx.logger
  });
  return result.sha;
}

// src/actions/monitor.ts
await runAction("monitor", async (ctx) => {
  const token = getInput("token");
  const github = getInput("github") !== "false";
  const record = await runMonitor(ctx, { github, env: { ...process.env, ...token === "" ? {} : { GITHUB_TOKEN: token } } });
  return {
    outputs: {
      decision: record.outcome,
      retrain: record.retrain,
      metric: record.metric,
      value: record.value ?? "",
      reference: record.reference ?? "",
      rows: record.rows,
      dispatched: record.actions.dispatched ?? "",
      "issue-number": record.actions.issue?.number ?? "",
      "issue-url": record.actions.issue?.url ?? "",
      report: `${ctx.outDir}/monitor/monitor.md`
    },
    // The pipeline wrote the summary itself when it acted on GitHub.
    ...github ? {} : { summaryFile: `${ctx.outDir}/monitor/monitor.md` },
    ...record.outcome === "alert" ? { failure: `alert: ${record.reasons.join("; ")}` } : {}
  };
});
