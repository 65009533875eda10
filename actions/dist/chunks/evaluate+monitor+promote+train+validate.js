import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);
import {
  TIMING_MARKDOWN,
  headlineMetric
} from "./evaluate+monitor+predict+promote+train+validate.js";

// src/report/charts.ts
function lineChart(title, xLabel, xs, yLabel, series, range = [0, 1]) {
  const values = (ys) => `[${ys.map((y) => Number.isFinite(y) ? Number(y.toFixed(4)) : range[0]).join(", ")}]`;
  return [
    "```mermaid",
    "xychart-beta",
    `  title "${title.replace(/"/g, "'")}"`,
    `  x-axis "${xLabel}" [${xs.map((x) => `"${x}"`).join(", ")}]`,
    `  y-axis "${yLabel}" ${range[0]} --> ${range[1]}`,
    ...series.map((ys) => `  line ${values(ys)}`),
    "```"
  ].join("\n");
}

// src/report/markdown.ts
function table(header, rows) {
  const escape = (cell) => cell.replace(/\|/g, "\\|").replace(/\n/g, " ");
  return [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.map(escape).join(" | ")} |`)].join("\n");
}
function num(x, digits = 4) {
  if (x === null || x === void 0 || Number.isNaN(x)) return "\u2014";
  return Number.isInteger(x) ? String(x) : x.toFixed(digits);
}
function signed(x) {
  if (x === null || x === void 0 || Number.isNaN(x)) return "\u2014";
  return `${x >= 0 ? "+" : ""}${x.toFixed(4)}`;
}
function validationMarkdown(v) {
  const lines = [
    `# Data validation: ${v.ok ? "passed" : "failed"}`,
    "",
    `${v.rows} rows from ${v.files.length} file(s); fingerprint \`${v.fingerprint.slice(0, 19)}\u2026\`.`,
    ""
  ];
  if (v.retrain?.needed === false) lines.push(`${v.retrain.reason}.`, "");
  if (v.schemaInferred) lines.push(`The schema was inferred from this batch and written to \`${v.schemaFile}\`: review it and commit it.`, "");
  else lines.push(`Checked against \`${v.schemaFile}\`.`, "");
  lines.push("## Anomalies", "");
  if (v.anomalies.length === 0) lines.push("None.");
  else {
    lines.push(
      table(
        ["severity", "column", "kind", "count", "share", "examples", "message"],
        v.anomalies.map((a) => [
          a.severity === "error" ? "**error**" : "warning",
          a.column ?? "\u2014",
          a.kind,
          String(a.count),
          `${(a.share * 100).toFixed(2)}%`,
          a.examples.slice(0, 3).map((e) => `${e.file}:${e.row}${e.value === void 0 ? "" : ` (${e.value})`}`).join(", "),
          a.message
        ])
      )
    );
  }
  lines.push("", "## Partition history", "");
  const history = v.history ?? { days: 0, skipped: "not recorded" };
  if (history.skipped !== null) lines.push(`Not tested: ${history.skipped}.`);
  else
    lines.push(
      `The newest partition was compared with ${history.days} earlier day(s): row count, null rates, numeric moments and quantiles, category mixes, the label rate, the model's derived inputs and, with a production model, its score on the labelled rows.`
    );
  const quarantined = v.quarantined ?? [];
  if (quarantined.length > 0) {
    lines.push("", `**Left out of this window** (quarantined until the file is fixed or the change accepted with \`ct validate --accept <day>\`):`, "");
    for (const q of quarantined) lines.push(`- \`${q.file}\`: ${q.reasons.join("; ")}`);
  }
  lines.push("", "## Drift", "");
  const d = v.drift;
  if (d === null) lines.push("Not tested: there is no reference yet (no production model and no training days in this batch).");
  else {
    lines.push(
      `Against ${d.reference}: ${d.driftedColumns} of ${d.columns.length} columns drifted (${(d.driftedShare * 100).toFixed(0)}%; dataset drift at ${(d.datasetDriftShare * 100).toFixed(0)}%): ${d.datasetDrift ? "**dataset drift**" : "no dataset drift"}${d.datasetDrift && d.blocking ? ", which blocks training" : ""}. Correction for multiple tests: ${d.correction}.`,
      ""
    );
    const rows = [
      ...d.columns,
      ...d.label ? [{ ...d.label, column: `${d.label.column} (label)` }] : [],
      ...d.prediction ? [{ ...d.prediction, column: `${d.prediction.column} (prediction)` }] : []
    ];
    lines.push(
      table(
        ["column", "test", "statistic", "p-value (adjusted)", "threshold", "drifted", "null rate ref \u2192 cur"],
        rows.map((c) => [
          c.column,
          c.test,
          num(c.statistic),
          c.pValue === null ? "\u2014" : `${num(c.pValue)} (${num(c.adjustedPValue)})`,
          String(c.threshold),
          c.drifted ? "**yes**" : "no",
          `${(c.nullRate.reference * 100).toFixed(1)}% \u2192 ${(c.nullRate.current * 100).toFixed(1)}%${c.nullRate.changed ? " (changed)" : ""}`
        ])
      )
    );
    if (d.skipped.length > 0) lines.push("", `Not tested: ${d.skipped.map((s) => `${s.column} (${s.reason})`).join("; ")}.`);
  }
  return `${lines.join("\n")}
`;
}
function timingSection(lines) {
  return [
    "",
    "## Timing",
    "",
    TIMING_MARKDOWN.start,
    "",
    "Measured on this machine: these values differ from run to run.",
    "",
    ...lines,
    "",
    TIMING_MARKDOWN.end
  ];
}
function trainingTime(t) {
  return `Trained in ${t.timing.durationSeconds.toFixed(1)} s (${Math.round(t.timing.samplesPerSecond)} samples/s).`;
}
function evaluationTimingOf(e) {
  return e.timing;
}
function latencyTable(e) {
  const timing = evaluationTimingOf(e);
  if (timing === void 0) return [];
  const candidate = timing.latency.candidate;
  const baseline = timing.latency.baseline;
  const names = Object.keys(candidate);
  if (names.length === 0) return [];
  return [
    table(
      ["guard metric", "candidate", "production", "delta"],
      names.map((n) => [n, num(candidate[n]), num(baseline?.[n]), baseline?.[n] === void 0 ? "\u2014" : signed(candidate[n] - baseline[n])])
    )
  ];
}
function trainingMarkdown(t) {
  const epochTimes = new Map(t.timing.epochs.map((e) => [e.epoch, e]));
  return `${[
    `# Training: ${t.model}`,
    "",
    `${t.data.rows.train} training rows, ${t.data.rows.validation} validation rows, ${t.epochs} epoch(s) on the \`${t.backend.name}\` backend, ${t.parameters} parameters.`,
    "",
    table(
      ["epoch", "loss", "validation loss", "validation metric"],
      t.history.map((h) => [String(h.epoch), num(h.loss), num(h.validationLoss), num(h.validationMetric)])
    ),
    ...imputedSection(t),
    ...timingSection([
      trainingTime(t),
      "",
      table(
        ["epoch", "seconds", "samples/s"],
        t.history.map((h) => [
          String(h.epoch),
          epochTimes.get(h.epoch)?.seconds.toFixed(1) ?? "\u2014",
          String(Math.round(epochTimes.get(h.epoch)?.samplesPerSecond ?? Number.NaN))
        ])
      )
    ])
  ].join("\n")}
`;
}
function imputedSection(t) {
  const imputed = t.data.imputed;
  const rows = (imputed?.features ?? []).filter((c) => c.missing + c.nonFinite + c.outOfVocabulary + c.far > 0);
  if (imputed === void 0 || rows.length === 0) return [];
  return [
    "",
    "## Imputed training rows",
    "",
    `Of the ${imputed.rows} rows of the training window, the encoder filled these in before the model learned from them: missing and non-finite (after the transform) values as the training mean (numeric) or id 0 (categorical), values out of the vocabulary as id 0. Far: beyond the training range, kept as they are.`,
    "",
    table(
      ["feature", "column", "missing", "non-finite", "out of vocabulary", "far"],
      rows.map((c) => [c.feature, c.column, String(c.missing), String(c.nonFinite), String(c.outOfVocabulary), String(c.far)])
    )
  ];
}
function interval(ci) {
  return ci === null || ci === void 0 ? "\u2014" : `[${signed(ci[0])}, ${signed(ci[1])}]`;
}
function metricsTable(e) {
  const names = Object.keys(e.candidate.metrics);
  const level = e.bootstrap === null ? "interval" : `${Math.round(e.bootstrap.confidence * 100)}% interval`;
  return table(
    ["metric", "candidate", "production", "delta", level],
    names.map((n) => [n, num(e.candidate.metrics[n]), num(e.baseline?.metrics[n]), signed(e.deltas[n]?.value), interval(e.deltas[n]?.ci)])
  );
}
function slicesTable(e) {
  const headline = headlineMetric(e.task).name;
  return table(
    ["slice", "rows", `${headline} candidate`, `${headline} production`, "delta", "interval", "note"],
    e.slices.map((s) => [
      s.key,
      String(s.rows),
      num(s.candidate[headline]),
      num(s.baseline?.[headline]),
      signed(s.deltas[headline]?.value),
      interval(s.deltas[headline]?.ci),
      s.skipped === null ? "" : `skipped: ${s.skipped}`
    ])
  );
}
function gateMark(c) {
  return c.skipped ? "\u23ED\uFE0F skipped" : c.passed ? "\u2705 pass" : "\u274C **fail**";
}
function gateRows(checks) {
  const rows = [];
  for (let i = 0; i < checks.length; ) {
    const c = checks[i];
    let j = i + 1;
    while (c.skipped && c.slice !== null && j < checks.length && checks[j].skipped && checks[j].slice !== null && checks[j].threshold === c.threshold && checks[j].message === c.message)
      j++;
    const slice = j - i > 1 ? `${j - i} slices (${checks.slice(i, j).map((x) => x.slice).join(", ")})` : c.slice ?? "all rows";
    rows.push([gateMark(c), c.threshold, slice, c.message]);
    i = j;
  }
  return rows;
}
function chartsSection(e) {
  if (e.curves === null) return [];
  const withProduction = e.curves.roc.baseline !== null;
  const which = withProduction ? "lines: candidate, production, chance" : "lines: candidate, chance";
  const fprs = e.curves.roc.candidate.map((_, i, all) => (i / (all.length - 1)).toFixed(1));
  const roc = [e.curves.roc.candidate, ...e.curves.roc.baseline === null ? [] : [e.curves.roc.baseline], fprs.map(Number)];
  const bins = e.curves.calibration.candidate;
  const centres = bins.map((b) => ((b.bin + 0.5) / bins.length).toFixed(2));
  const calibration = [
    bins.map((b) => b.observed),
    ...e.curves.calibration.baseline === null ? [] : [e.curves.calibration.baseline.map((b) => b.observed)],
    centres.map(Number)
  ];
  const out = ["", "## Charts", ""];
  if (e.curves.roc.candidate.length > 0) out.push(lineChart(`ROC curve (${which})`, "false positive rate", fprs, "true positive rate", roc), "");
  out.push(
    lineChart(
      `Calibration: observed positive rate by predicted probability (${which.replace("chance", "perfect")})`,
      "predicted probability (bin centre)",
      centres,
      "observed rate",
      calibration
    ),
    "",
    `Empty probability bins are drawn at 0. Rows per bin (candidate): ${bins.map((b) => b.rows).join(", ")}.`
  );
  return out;
}
function testsSection(e) {
  const lines = [];
  const d = e.tests.deLong;
  if (d !== null)
    lines.push(
      `- DeLong's test of the AUC difference: ${signed(d.difference)} (standard error ${num(d.standardError)}), z = ${d.z.toFixed(2)}, p = ${pValue(d.pValue)}.`
    );
  const m = e.tests.mcNemar;
  if (m !== null) {
    lines.push(
      `- McNemar's test of accuracy (${m.method === "exact" ? "exact binomial" : `chi-square ${num(m.statistic)} with continuity correction`}): ${m.candidateOnlyRight} rows only the candidate gets right, ${m.baselineOnlyRight} only production; p = ${pValue(m.pValue)}.`
    );
  }
  if (e.bootstrap !== null)
    lines.push(
      `- Intervals: paired bootstrap, ${e.bootstrap.samples} draws of the ${e.rows} rows (seed ${e.bootstrap.seed}), both models scored on each draw; ${Math.round(e.bootstrap.confidence * 100)}% percentile intervals.`
    );
  return lines.length === 0 ? [] : ["", "## Is the difference real?", "", ...lines];
}
function pValue(p) {
  return p < 1e-4 ? p.toExponential(1) : p.toFixed(4);
}
function evaluationMarkdown(e) {
  const verdict = e.ok ? e.rubberStamp ? "passed (rubber stamp: no production model yet)" : "passed" : "failed";
  const against = e.baseline === null ? "There is no production model: change and significance thresholds were skipped." : `Compared with production version \`${e.baseline.version}\`, re-scored on the same rows.`;
  const lines = [`# Evaluation of ${e.model}: gates ${verdict}`, "", `${e.rows} evaluation rows (${days(e.data.parts)}). ${against}`];
  if (e.failures.length > 0) lines.push("", "## Why it failed", "", ...e.failures.map((f) => `- ${f.message}`));
  lines.push("", "## Gates", "", table(["result", "gate", "slice", "detail"], gateRows(e.checks)));
  if (e.infra !== null) lines.push("", `${e.infra.ok ? "\u2705" : "\u274C"} ${e.infra.message}.`);
  lines.push(
    "",
    "## Metrics",
    "",
    metricsTable(e),
    "",
    `Guard metrics (${e.guardMetrics.join(", ")}) are measured once per model on this machine, without intervals; latency is under Timing.`
  );
  lines.push(...testsSection(e));
  if (e.slices.length > 0) lines.push("", "## Slices", "", slicesTable(e));
  lines.push(...chartsSection(e));
  lines.push(...evaluationTiming(e));
  return `${lines.join("\n")}
`;
}
function evaluationTiming(e) {
  const timing = evaluationTimingOf(e);
  if (timing === void 0) return [];
  const infra = timing.infra;
  const infraTimes = infra === null || infra.loadMs === null ? "" : ` Infra check: loaded in ${infra.loadMs.toFixed(0)} ms${infra.predictMs === null ? "" : `, predicted ${e.infra?.rows ?? "?"} rows in ${infra.predictMs.toFixed(0)} ms`}.`;
  const latency = latencyTable(e);
  return timingSection([`Evaluated in ${timing.durationSeconds.toFixed(1)} s.${infraTimes}`, ...latency.length === 0 ? [] : ["", ...latency]]);
}
function days(parts) {
  return parts.length === 0 ? "\u2014" : parts.length === 1 ? parts[0] : `${parts[0]} .. ${parts[parts.length - 1]}, ${parts.length} days`;
}
function modelCardMarkdown(config, t, e) {
  const features = config.features.map(
    (f) => `- \`${f.name}\`: column \`${f.column}\`${f.transform === "none" ? "" : `, ${f.transform}`}${f.kind === void 0 ? "" : `, ${f.kind}`}`
  );
  return `${[
    `# Model card: ${config.name}`,
    "",
    "## Intended use",
    "",
    `A ${config.task} model predicting \`${config.label.text}\` from the features below, retrained continuously by ct. It is only as good as the data window it was trained on; check the evaluation below before relying on it elsewhere.`,
    "",
    "## Data",
    "",
    `- Training: ${days(t.data.trainParts)}, ${t.data.rows.train} rows (+${t.data.rows.validation} validation)`,
    `- Evaluation: ${days(e.data.parts)}, ${e.rows} rows`,
    `- Fingerprint: \`${t.data.fingerprint}\``,
    "",
    "## Features",
    "",
    ...features,
    "",
    "## Evaluation",
    "",
    metricsTable(e),
    ...e.slices.length > 0 ? ["", "### By slice", "", slicesTable(e)] : [],
    "",
    `Gates: ${e.ok ? "passed" : "failed"}${e.rubberStamp ? " (rubber stamp: first model)" : ""}. ${e.checks.filter((c) => !c.skipped).length} checks applied: ${e.checks.filter((c) => !c.skipped).map((c) => `${c.threshold}${c.slice === null ? "" : ` on ${c.slice}`}`).join("; ")}.`,
    "",
    "## Lineage",
    "",
    `- Git commit: ${t.git === null ? "none (not a git repository)" : `\`${t.git.commit}\`${t.git.dirty ? " (uncommitted changes)" : ""}`}`,
    `- Config: \`${t.config.file}\` sha256 \`${t.config.sha256.slice(0, 16)}\u2026\``,
    `- Backend: \`${t.backend.name}\`; seed ${t.seed}; ${t.epochs} epoch(s)`,
    `- Packages: ${Object.entries(t.packages).map(([k, v]) => `${k} ${v}`).join(", ")}`,
    "",
    "## Limitations",
    "",
    "- Metrics are measured on the evaluation days above; on other periods, routes or hours they can differ (see the slices in evaluation.json).",
    "- The model knows only the features listed; causes outside them (weather, incidents) are invisible to it.",
    ...timingSection([trainingTime(t), ...latencyTable(e).length === 0 ? [] : ["", ...latencyTable(e)]])
  ].join("\n")}
`;
}

export {
  table,
  num,
  signed,
  validationMarkdown,
  trainingMarkdown,
  evaluationMarkdown,
  modelCardMarkdown
};
