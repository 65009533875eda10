import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);
import {
  deLongTest,
  mcNemarTest,
  pairedBootstrap,
  quantileSorted
} from "./bootstrap-worker+evaluate+train+validate+verify.js";
import {
  predictRows,
  timePart
} from "./evaluate+infra-child+monitor+predict+train+validate+verify.js";
import {
  splitMeasured
} from "./evaluate+infra-child+monitor+predict+promote+release+train+validate+verify.js";
import {
  UserError,
  findColumn,
  isNull
} from "./evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";
import {
  GUARD_METRICS,
  MEASURED_METRICS,
  calibrationCurve,
  headlineMetric,
  metricDirection,
  rocCurve,
  scoreRows,
  weightedMetrics
} from "./bootstrap-worker+evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";

// src/evaluate/compare.ts
import { statSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";

// src/evaluate/gates.ts
var RELATIVE_EPSILON = 1e-12;
function applyGates(gates, overall, slices = [], options = {}) {
  const rubberStamp = overall.baseline === null;
  if (gates.length === 0) {
    const message = "no gates are configured: nothing can be promoted until the config lists at least one (fail closed)";
    const failure = { metric: "(none)", slice: null, threshold: "gates", value: null, baselineValue: null, delta: null, ci: null, message };
    return { ok: false, rubberStamp, checks: [{ ...failure, passed: false, skipped: false }], failures: [failure] };
  }
  const checks = [];
  for (const gate of gates) {
    const scopes = gate.slice === void 0 ? [overall] : slices.filter((s) => s.slice === gate.slice || s.slice?.startsWith(`${gate.slice}=`));
    if (scopes.length === 0) {
      checks.push(
        result(gate.metric, gate.slice ?? null, describeGate(gate), null, null, false, false, `slice "${gate.slice}" has no rows in the evaluation data`)
      );
      continue;
    }
    for (const scope of scopes) checks.push(...checkScope(gate, scope, rubberStamp, options.measured?.includes(gate.metric) === true));
  }
  const failures = checks.filter((c) => !c.passed).map(({ passed: _p, skipped: _s, ...f }) => f);
  return { ok: failures.length === 0, rubberStamp, checks, failures };
}
function checkScope(gate, scope, rubberStamp, measured) {
  const { metric } = gate;
  const where = scope.slice === null ? metric : `${metric} on ${scope.slice}`;
  const shown = (x) => measured ? "" : ` ${fmt(x)}`;
  if (scope.skipped !== null) return [result(metric, scope.slice, describeGate(gate), null, null, true, true, `${where}: not gated, ${scope.skipped}`)];
  const out = [];
  const value = scope.candidate[metric];
  const present = value !== void 0 && !Number.isNaN(value);
  const base = scope.baseline?.[metric];
  const basePresent = base !== void 0 && !Number.isNaN(base);
  const missingComparison = (threshold) => result(
    metric,
    scope.slice,
    threshold,
    present ? value : null,
    basePresent ? base : null,
    false,
    false,
    !present ? missingReason(where, value, "candidate") : missingReason(where, base, "production model")
  );
  if (gate.lowerBound !== void 0 || gate.upperBound !== void 0) {
    const threshold = `${gate.lowerBound ?? "-inf"} <= ${metric} <= ${gate.upperBound ?? "+inf"}`;
    if (!present) out.push(result(metric, scope.slice, threshold, null, null, false, false, missingReason(where, value, "candidate")));
    else {
      const low = gate.lowerBound !== void 0 && value < gate.lowerBound;
      const high = gate.upperBound !== void 0 && value > gate.upperBound;
      const message = low ? `${where} ${fmt(value)} is below the lower bound ${gate.lowerBound}` : high ? `${where} ${fmt(value)} is above the upper bound ${gate.upperBound}` : `${where}${shown(value)} is within bounds`;
      out.push(result(metric, scope.slice, threshold, value, basePresent ? base : null, !low && !high, false, message));
    }
  }
  if (gate.change !== void 0) {
    const { direction, absolute, relative } = gate.change;
    const sign = direction === "higherIsBetter" ? ">=" : "<=";
    const parts = [absolute === void 0 ? null : `delta ${sign} ${absolute}`, relative === void 0 ? null : `relative delta ${sign} ${relative}`];
    const threshold = `${metric}: ${parts.filter((p) => p !== null).join(" and ")} (${direction})`;
    if (rubberStamp)
      out.push(
        result(metric, scope.slice, threshold, present ? value : null, null, true, true, "no production model: change threshold skipped (rubber stamp)")
      );
    else if (!present || !basePresent) {
      out.push(missingComparison(threshold));
    } else {
      const delta = value - base;
      const better = (d, limit) => direction === "higherIsBetter" ? d >= limit : d <= limit;
      let passed = true;
      let message = measured ? `${where}: the change from production is within the threshold` : `${where} ${fmt(value)} vs production ${fmt(base)}: delta ${fmtSigned(delta)}`;
      if (absolute !== void 0 && !better(delta, absolute)) {
        passed = false;
        message = `${where} changed by ${fmtSigned(delta)} (${fmt(value)} vs production ${fmt(base)}); the gate needs a delta ${sign} ${absolute}`;
      }
      if (passed && relative !== void 0) {
        if (Math.abs(base) < RELATIVE_EPSILON) {
          passed = false;
          message = `${where}: production value ${base} is too close to 0 for a relative threshold`;
        } else if (!better(delta / Math.abs(base), relative)) {
          passed = false;
          message = `${where} changed by ${fmtSigned(delta / Math.abs(base) * 100)}% relative to production ${fmt(base)}; the gate needs ${sign} ${relative * 100}%`;
        }
      }
      out.push({ ...result(metric, scope.slice, threshold, value, base, passed, false, message), delta });
    }
  }
  if (gate.significance !== void 0) {
    const { test, margin } = gate.significance;
    const direction = gate.significance.direction ?? metricDirection(metric) ?? "higherIsBetter";
    const limit = test === "improvement" ? margin : -margin;
    const bound = direction === "higherIsBetter" === (test !== "noHarm") ? "lower" : "upper";
    const threshold = test === "noHarm" ? direction === "higherIsBetter" ? `${metric}: upper bound of the delta's interval >= ${limit} (noHarm)` : `${metric}: lower bound of the delta's interval <= ${-limit} (noHarm)` : direction === "higherIsBetter" ? `${metric}: lower bound of the delta's interval > ${limit} (${test})` : `${metric}: upper bound of the delta's interval < ${-limit} (${test})`;
    const interval = scope.intervals[metric];
    if (rubberStamp)
      out.push(
        result(metric, scope.slice, threshold, present ? value : null, null, true, true, "no production model: significance threshold skipped (rubber stamp)")
      );
    else if (!present || !basePresent) {
      out.push(missingComparison(threshold));
    } else if (interval === void 0 || Number.isNaN(interval.ci[0]) || Number.isNaN(interval.ci[1])) {
      out.push(result(metric, scope.slice, threshold, value, base, false, false, `${where}: no bootstrap interval of the delta could be computed`));
    } else {
      const [lo, hi] = interval.ci;
      const shown2 = `${where} delta ${fmtSigned(value - base)}, interval [${fmtSigned(lo)}, ${fmtSigned(hi)}]`;
      const [boundText, edgeText] = apart(bound === "lower" ? lo : hi, direction === "higherIsBetter" ? limit : -limit);
      let passed;
      let message;
      if (test === "noHarm") {
        passed = direction === "higherIsBetter" ? hi >= limit : lo <= -limit;
        message = passed ? `${shown2}: no loss beyond ${margin} that the interval is sure of` : `${shown2}: its ${bound} bound ${boundText} is beyond ${edgeText}, so the candidate is worse by more than ${margin}`;
      } else {
        passed = direction === "higherIsBetter" ? lo > limit : hi < -limit;
        const what = test === "improvement" ? margin === 0 ? "a significant improvement" : `a significant improvement by more than ${margin}` : `non-inferior within a margin of ${margin}`;
        message = passed ? `${shown2}: ${what}` : `${shown2}: its ${bound} bound ${boundText} does not clear ${edgeText}, so this is not ${what}`;
      }
      out.push({ ...result(metric, scope.slice, threshold, value, base, passed, false, message), delta: value - base, ci: interval.ci });
    }
  }
  return measured ? out.map((c) => c.passed ? { ...c, value: null, baselineValue: null, delta: null } : c) : out;
}
function describeGate(gate) {
  const parts = [];
  if (gate.lowerBound !== void 0 || gate.upperBound !== void 0)
    parts.push(`${gate.lowerBound ?? "-inf"} <= ${gate.metric} <= ${gate.upperBound ?? "+inf"}`);
  if (gate.change !== void 0) parts.push(`change of ${gate.metric}`);
  if (gate.significance !== void 0) parts.push(`${gate.significance.test} of ${gate.metric}`);
  return parts.join(", ");
}
function result(metric, slice, threshold, value, baselineValue, passed, skipped, message) {
  return { metric, slice, threshold, value, baselineValue, delta: null, ci: null, message, passed, skipped };
}
function missingReason(where, value, whose) {
  return value === void 0 ? `${where}: the metric is not computed for the ${whose} (unknown metric for this task?)` : `${where} of the ${whose} is NaN (e.g. only one class in these rows)`;
}
function fmt(x) {
  return Number.isInteger(x) ? String(x) : x.toFixed(4);
}
function fmtSigned(x, digits = 4) {
  return `${x >= 0 ? "+" : ""}${x.toFixed(digits)}`;
}
function apart(x, edge) {
  for (let digits = 4; digits < 8; digits++) {
    const [a, b] = [fmtSigned(x, digits), fmtSigned(edge, digits)];
    if (a !== b) return [a, b];
  }
  return [fmtSigned(x, 8), fmtSigned(edge, 8)];
}

// src/evaluate/slices.ts
var MAX_SLICES_PER_SPEC = 50;
function sliceTable(table, specs, timeZone) {
  const slices = [];
  const warnings = [];
  specs.forEach((spec, i) => {
    const column = findColumn(table, spec.column);
    if (column === void 0)
      throw new UserError(
        `evaluation.slices[${i}].column: "${spec.column}" is not a column of the evaluation data (columns: ${table.columns.map((c) => c.name).join(", ")})`
      );
    const valueOf = sliceValue(spec, column, i, timeZone);
    const groups = /* @__PURE__ */ new Map();
    for (let r = 0; r < table.rowCount; r++) {
      const v = valueOf(r);
      if (v === null) continue;
      let list = groups.get(v);
      if (list === void 0) groups.set(v, list = []);
      list.push(r);
    }
    let chosen;
    if (spec.values !== void 0) chosen = spec.values.map((v) => [String(v), groups.get(String(v)) ?? []]);
    else if (spec.boundaries !== void 0) chosen = bucketLabels(spec.boundaries).map((label) => [label, groups.get(label) ?? []]);
    else {
      const bySize = [...groups.entries()].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
      const limit = spec.top ?? MAX_SLICES_PER_SPEC;
      if (spec.top === void 0 && bySize.length > limit) {
        warnings.push(`slice "${spec.name}": ${bySize.length} distinct values, only the ${limit} most frequent are scored (set top or values)`);
      }
      chosen = bySize.slice(0, limit);
    }
    for (const [value, rows] of chosen) slices.push({ name: spec.name, key: `${spec.name}=${value}`, value, rows: Int32Array.from(rows) });
  });
  return { slices, warnings };
}
function sliceValue(spec, column, i, timeZone) {
  const where = `evaluation.slices[${i}]`;
  let numeric = null;
  if (spec.transform !== void 0) {
    if (column.type !== "timestamp") throw new UserError(`${where}.transform: ${spec.transform} needs a timestamp column, "${spec.column}" is ${column.type}`);
    const values = column.values;
    const part = timePart(spec.transform, timeZone);
    numeric = (r) => isNull(column, r) || !Number.isFinite(values[r]) ? null : part(values[r]);
  } else if (column.type === "number") {
    const values = column.values;
    numeric = (r) => isNull(column, r) || Number.isNaN(values[r]) ? null : values[r];
  }
  if (spec.boundaries !== void 0) {
    if (numeric === null) throw new UserError(`${where}.boundaries: buckets need a number column or a transform, "${spec.column}" is ${column.type}`);
    const labels = bucketLabels(spec.boundaries);
    const edges = spec.boundaries;
    const toNumber = numeric;
    return (r) => {
      const x = toNumber(r);
      if (x === null) return null;
      let k = 0;
      while (k < edges.length && edges[k] <= x) k++;
      return labels[k];
    };
  }
  if (numeric !== null) {
    const toNumber = numeric;
    return (r) => {
      const x = toNumber(r);
      return x === null ? null : String(x);
    };
  }
  switch (column.type) {
    case "string":
      return (r) => column.codes[r] < 0 ? null : column.dictionary[column.codes[r]];
    case "boolean":
      return (r) => isNull(column, r) ? null : String(column.values[r] === 1);
    case "timestamp":
      return (r) => isNull(column, r) ? null : new Date(column.values[r]).toISOString();
    default:
      return () => null;
  }
}
function bucketLabels(edges) {
  const labels = [`<${edges[0]}`];
  for (let k = 1; k < edges.length; k++) labels.push(`[${edges[k - 1]},${edges[k]})`);
  labels.push(`>=${edges[edges.length - 1]}`);
  return labels;
}

// src/evaluate/compare.ts
function guardMetrics(m, encoded, rows, latency) {
  const modelBytes = statSync(path.join(m.dir, "model.json")).size + statSync(path.join(m.dir, "weights.bin")).size;
  const batch = rows.subarray(0, Math.min(rows.length, latency.batchRows));
  if (batch.length === 0) return { modelBytes };
  for (let i = 0; i < 2; i++) predictRows(m.model, encoded, batch);
  const times = new Float64Array(latency.repeats);
  for (let i = 0; i < latency.repeats; i++) {
    const started = performance.now();
    predictRows(m.model, encoded, batch);
    times[i] = performance.now() - started;
  }
  times.sort();
  return { modelBytes, latencyP50Ms: quantileSorted(times, 0.5), latencyP95Ms: quantileSorted(times, 0.95) };
}
function gather(values, positions, width) {
  const out = new Float32Array(positions.length * width);
  for (let k = 0; k < positions.length; k++) out.set(values.subarray(positions[k] * width, (positions[k] + 1) * width), k * width);
  return out;
}
function sliceIntervalMetrics(config, key, name) {
  const metrics = /* @__PURE__ */ new Set([headlineMetric(config.task).name]);
  for (const g of config.gates) if (g.significance !== void 0 && (g.slice === name || g.slice === key)) metrics.add(g.metric);
  return [...metrics];
}
function deltasOf(candidate, production, intervals) {
  const deltas = {};
  for (const [name, value] of Object.entries(candidate)) {
    const base = production[name];
    if (base !== void 0) deltas[name] = { value: value - base, ci: intervals[name]?.ci ?? null };
  }
  return deltas;
}
function scoreSlices(table, pair, width, config, metricOptions, bootstrap) {
  const options = config.evaluation;
  const position = new Int32Array(table.rowCount).fill(-1);
  pair.selected.forEach((row, k) => position[row] = k);
  const { slices: sliceRows, warnings } = sliceTable(table, options.slices, config.data.timezone);
  const slices = sliceRows.map((s, index) => {
    const positions = Int32Array.from(s.rows, (r) => position[r]).filter((p) => p >= 0);
    const record = { name: s.name, key: s.key, value: s.value, rows: positions.length, skipped: null, candidate: {}, baseline: null, deltas: {} };
    if (positions.length < options.minSliceRows) {
      record.skipped = positions.length === 0 ? "no labelled rows" : `only ${positions.length} rows (minimum ${options.minSliceRows})`;
      return record;
    }
    const sliceCandidate = scoreRows(config.task, gather(pair.labels, positions, 1), gather(pair.candidate.preds, positions, width), metricOptions);
    record.candidate = weightedMetrics(sliceCandidate, null);
    if (pair.production !== null) {
      const sliceProduction = scoreRows(config.task, sliceCandidate.labels, gather(pair.production.preds, positions, width), metricOptions);
      record.baseline = weightedMetrics(sliceProduction, null);
      const sliceIntervals = bootstrap === null ? {} : pairedBootstrap(sliceCandidate, sliceProduction, {
        ...bootstrap,
        seed: bootstrap.seed + index + 1,
        metrics: sliceIntervalMetrics(config, s.key, s.name)
      });
      for (const [name, value] of Object.entries(record.candidate))
        record.deltas[name] = { value: value - record.baseline[name], ci: sliceIntervals[name]?.ci ?? null };
    }
    return record;
  });
  const skipped = slices.filter((s) => s.skipped !== null);
  if (skipped.length > 0) warnings.push(`${skipped.length} slice(s) skipped as too small: ${skipped.map((s) => `${s.key} (${s.rows} rows)`).join(", ")}`);
  return { slices, warnings };
}
function compareModels(table, pair, models, config, metricOptions) {
  const { candidate, production } = models;
  const options = config.evaluation;
  const task = candidate.preprocessing.task;
  const candidateMetrics = { ...weightedMetrics(pair.candidate, null), ...guardMetrics(candidate, pair.encoded, pair.selected, options.latency) };
  const productionScored = pair.production;
  const productionMetrics = productionScored === null || production === null ? null : { ...weightedMetrics(productionScored, null), ...guardMetrics(production, pair.productionEncoded, pair.selected, options.latency) };
  const bootstrap = productionScored !== null && options.bootstrap.samples > 0 ? options.bootstrap : null;
  const intervals = bootstrap === null ? {} : pairedBootstrap(pair.candidate, productionScored, bootstrap);
  const { slices, warnings } = scoreSlices(table, pair, candidate.width, config, metricOptions, bootstrap);
  return {
    task,
    rows: pair.selected.length,
    candidate: candidateMetrics,
    production: productionMetrics,
    bootstrap,
    intervals,
    deltas: productionMetrics === null ? {} : deltasOf(candidateMetrics, productionMetrics, intervals),
    slices,
    tests: {
      deLong: task === "binary" && productionScored !== null ? deLongTest(pair.candidate, productionScored) : null,
      mcNemar: task !== "regression" && productionScored !== null ? mcNemarTest(pair.candidate, productionScored) : null
    },
    curves: task === "binary" ? {
      roc: { candidate: rocCurve(pair.candidate), baseline: productionScored === null ? null : rocCurve(productionScored) },
      calibration: { candidate: calibrationCurve(pair.candidate), baseline: productionScored === null ? null : calibrationCurve(productionScored) }
    } : null,
    warnings
  };
}
function judgeComparison(config, c, infra) {
  const gates = gateScopes(config.gates, c);
  const failures = [...gates.failures];
  if (infra !== null && !infra.ok)
    failures.push({
      metric: "infra",
      slice: null,
      threshold: "loads and predicts in a fresh process",
      value: null,
      baselineValue: null,
      delta: null,
      ci: null,
      message: infra.message
    });
  return { gates, failures };
}
function gateScopes(gates, c) {
  const toScope = (s) => ({
    slice: s.key,
    rows: s.rows,
    skipped: s.skipped,
    candidate: s.candidate,
    baseline: s.baseline,
    intervals: intervalsOf(s.deltas, c.bootstrap?.samples ?? 0)
  });
  const overall = { slice: null, rows: c.rows, skipped: null, candidate: c.candidate, baseline: c.production, intervals: c.intervals };
  return applyGates(gates, overall, c.slices.map(toScope), { measured: MEASURED_METRICS });
}
function intervalsOf(deltas, draws) {
  return Object.fromEntries(Object.entries(deltas).flatMap(([k, d]) => d.ci === null ? [] : [[k, { ci: d.ci, draws }]]));
}
function regateRecord(gates, e) {
  return gateScopes(gates, {
    rows: e.rows,
    candidate: { ...e.candidate.metrics, ...e.timing.latency.candidate },
    production: e.baseline === null ? null : { ...e.baseline.metrics, ...e.timing.latency.baseline ?? {} },
    intervals: intervalsOf(e.deltas, e.bootstrap?.samples ?? 0),
    slices: e.slices,
    bootstrap: e.bootstrap
  });
}
function evaluationRecord(c, verdict, facts) {
  const { config, infra } = facts;
  const options = config.evaluation;
  const candidateSplit = splitMeasured(c.candidate);
  const productionSplit = c.production === null ? null : splitMeasured(c.production);
  let infraRecord = null;
  if (infra !== null) {
    const { loadMs: _load, predictMs: _predict, ...rest } = infra;
    infraRecord = rest.ok ? {
      ...rest,
      message: `infra check: loaded in a fresh process and predicted ${rest.rows} rows within the budget of ${rest.latencyBudgetMs} ms on ${rest.backend}`
    } : rest;
  }
  return {
    ok: verdict.failures.length === 0,
    rubberStamp: verdict.gates.rubberStamp,
    model: config.name,
    task: c.task,
    rows: c.rows,
    data: { fingerprint: facts.dataset.fingerprint, parts: facts.dataset.evaluationParts },
    settings: { threshold: options.threshold, calibrationBins: options.calibrationBins },
    candidate: { contentHash: facts.candidateHash, metrics: candidateSplit.reproducible },
    baseline: facts.baselineVersion === null || productionSplit === null ? null : { version: facts.baselineVersion, metrics: productionSplit.reproducible },
    deltas: Object.fromEntries(Object.entries(c.deltas).filter(([name]) => !MEASURED_METRICS.includes(name))),
    bootstrap: c.bootstrap,
    tests: c.tests,
    slices: c.slices,
    curves: c.curves,
    infra: infraRecord,
    checks: verdict.gates.checks,
    failures: verdict.failures,
    guardMetrics: [...GUARD_METRICS],
    backend: facts.backend,
    timing: {
      durationSeconds: facts.durationSeconds,
      latency: { candidate: candidateSplit.measured, baseline: productionSplit?.measured ?? null },
      infra: infra === null ? null : { loadMs: infra.loadMs, predictMs: infra.predictMs }
    }
  };
}

export {
  compareModels,
  judgeComparison,
  regateRecord,
  evaluationRecord
};
