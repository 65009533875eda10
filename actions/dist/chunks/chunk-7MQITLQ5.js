import { createRequire as __ctCreateRequire } from 'node:module'; const require = __ctCreateRequire(import.meta.url);
import {
  DEFAULT_SEVERITY
} from "./chunk-JXBCUVI4.js";
import {
  FAR_Z,
  UserError,
  encodeFeatureColumn,
  farLimits,
  featureColumnMismatch,
  findColumn,
  locateRow,
  valueAt
} from "./chunk-6NTQ46UP.js";

// src/features/domain.ts
var DEFAULT_INPUT_TOLERANCE = 1e-3;
var LEGACY_OUT_OF_VOCABULARY_SHARE = 0.01;
var STANDARD_ERRORS = 3;
var MAX_EXAMPLES = 20;
var MAX_TALLIED = 1e3;
var FeatureState = class {
  constructor(feature) {
    this.feature = feature;
    this.counts = { feature: feature.name, column: feature.column, missing: 0, nonFinite: 0, outOfVocabulary: 0, far: 0 };
    this.limits = feature.kind === "numeric" ? farLimits(feature) : null;
  }
  feature;
  /** Rows where the column was read (present, of a usable type). */
  rows = 0;
  counts;
  /** Non-finite rows whose input was finite (log1p of a value <= -1). */
  transformDomain = 0;
  farBelow = 0;
  farAbove = 0;
  /** The far value furthest from the limits, transformed and as text. */
  furthest = null;
  nonFinite = [];
  outOfVocabulary = [];
  far = [];
  values = /* @__PURE__ */ new Map();
  limits;
};
function createInputDomainChecker(prep, options) {
  const tolerance = options.tolerance ?? DEFAULT_INPUT_TOLERANCE;
  if (!(tolerance >= 0 && tolerance < 1)) throw new UserError(`input domain: tolerance must be a share in [0, 1), got ${tolerance}`);
  const states = prep.features.filter((f) => f.transform !== "cross").map((f) => new FeatureState(f));
  let rows = 0;
  return {
    get rows() {
      return rows;
    },
    add(table) {
      rows += table.rowCount;
      for (const state of states) addChunk(state, table);
    },
    imputed() {
      return states.map((s) => ({ ...s.counts }));
    },
    result() {
      const severityOf = (kind) => options.severity?.[kind] ?? DEFAULT_SEVERITY[kind];
      const out = [];
      for (const s of states) {
        const f = s.feature;
        if (s.rows === 0) continue;
        if (s.counts.nonFinite > 0) out.push(nonFiniteAnomaly(s, tolerance, severityOf("input_non_finite"), options.model));
        if (f.kind === "categorical" && f.vocabulary !== void 0 && s.counts.outOfVocabulary > 0) {
          const a = outOfVocabularyAnomaly(s, f, tolerance, severityOf("input_out_of_vocabulary"), options.model);
          if (a !== null) out.push(a);
        }
        if (f.kind === "numeric" && s.counts.far > 0) out.push(farAnomaly(s, f, tolerance, severityOf("input_far_from_training"), options.model));
      }
      return out.sort((a, b) => a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1);
    }
  };
}
function addChunk(s, table) {
  const f = s.feature;
  const column = findColumn(table, f.column);
  if (column === void 0 || featureColumnMismatch(f, column) !== null) return;
  s.rows += table.rowCount;
  const text = (row) => String(valueAt(column, row));
  const limits = s.limits;
  const log = f.kind === "numeric" && f.transform === "log1p";
  const raw = column.type === "number" ? column.values : null;
  const { counts } = encodeFeatureColumn(table, f, (row, reason, transformed) => {
    if (reason === "nonFinite") {
      if (log && raw !== null && Number.isFinite(raw[row])) s.transformDomain++;
      if (s.nonFinite.length < MAX_EXAMPLES) s.nonFinite.push({ ...locateRow(table, row), value: text(row) });
    } else if (reason === "outOfVocabulary") {
      const value = text(row);
      if (s.outOfVocabulary.length < MAX_EXAMPLES) s.outOfVocabulary.push({ ...locateRow(table, row), value });
      if (s.values.size < MAX_TALLIED || s.values.has(value)) s.values.set(value, (s.values.get(value) ?? 0) + 1);
    } else {
      const below = transformed < limits.low;
      if (below) s.farBelow++;
      else s.farAbove++;
      const distance = below ? limits.low - transformed : transformed - limits.high;
      if (s.furthest === null || distance > s.furthest.distance) s.furthest = { distance, value: text(row) };
      if (s.far.length < MAX_EXAMPLES) s.far.push({ ...locateRow(table, row), value: text(row) });
    }
  });
  s.counts.missing += counts.missing;
  s.counts.nonFinite += counts.nonFinite;
  s.counts.outOfVocabulary += counts.outOfVocabulary;
  s.counts.far += counts.far;
}
function imputedSummary(f, c, rows) {
  const imputed = c.missing + c.nonFinite + c.outOfVocabulary;
  if (imputed === 0 && c.far === 0) return null;
  const reasons = [
    c.missing > 0 ? `${c.missing} missing` : "",
    c.nonFinite > 0 ? `${c.nonFinite} non-finite${f.kind === "numeric" && f.transform === "log1p" ? " after log1p" : ""}` : "",
    c.outOfVocabulary > 0 ? `${c.outOfVocabulary} out of vocabulary` : ""
  ].filter((r) => r !== "");
  const as = f.kind === "numeric" ? "the training mean" : "id 0";
  const parts = imputed > 0 ? [`${imputed} of ${rows} rows (${pct(imputed / Math.max(rows, 1))}) imputed as ${as}: ${reasons.join(", ")}`] : [];
  if (c.far > 0) parts.push(`${c.far} of ${rows} rows far from the training range (kept as they are)`);
  return `feature "${f.name}" (column "${f.column}"): ${parts.join("; ")}`;
}
function nonFiniteAnomaly(s, tolerance, severity, model) {
  const f = s.feature;
  const count = s.counts.nonFinite;
  const share = count / s.rows;
  const inputs = count - s.transformDomain;
  const why = f.kind === "numeric" && f.transform === "log1p" ? inputs === 0 ? "log1p of a value <= -1" : s.transformDomain === 0 ? "NaN or infinite values in the data" : `log1p of a value <= -1 in ${s.transformDomain} rows, NaN or infinite values in the data in ${inputs}` : f.transform === "hourOfDay" || f.transform === "dayOfWeek" ? "NaN or infinite timestamps" : f.transform === "bucketize" ? "NaN values: no bucket" : "NaN or infinite values in the data";
  const as = f.kind === "numeric" ? `an average ${f.column} (the training mean${f.transform === "log1p" ? ` of log1p, ${num(f.mean)}` : `, ${num(f.mean)}`})` : `a missing ${f.column} (id 0)`;
  const todo = f.kind === "numeric" && f.transform === "log1p" ? "Fix the data, or change the feature's transform" : "Fix the data";
  const within = share <= tolerance;
  const scope = within ? ` That is within the tolerance of ${pct(tolerance)} of rows, so a warning` : ` (tolerance: ${pct(tolerance)} of rows)`;
  return {
    column: f.column,
    kind: "input_non_finite",
    severity: within ? "warning" : severity,
    count,
    share,
    examples: s.nonFinite,
    message: `${describe(f)}: ${count} of ${s.rows} rows (${pct(share)}) give a non-finite value (${why}); ${model} would silently score them as ${as}. ${todo}${within ? `.${scope}` : `${scope}`}`
  };
}
function outOfVocabularyAnomaly(s, f, tolerance, severity, model) {
  const count = s.counts.outOfVocabulary;
  const n = s.rows - s.counts.missing;
  const share = count / n;
  const recorded = typeof f.outOfVocabularyShare === "number" && Number.isFinite(f.outOfVocabularyShare);
  const base = recorded ? f.outOfVocabularyShare : 0;
  const noise = STANDARD_ERRORS * Math.sqrt(base * (1 - base) / n) + 0.5 / n;
  const limit = base + Math.max(recorded ? tolerance : LEGACY_OUT_OF_VOCABULARY_SHARE, noise);
  const flagged = share > limit;
  if (!flagged && !(recorded && base === 0)) return null;
  const training = recorded ? `training had ${pct(base)}${base > 0 ? " (rare values cut by maxVocabulary / minCount)" : ""}` : `training's share is not recorded (preprocessing.json from an older ct), so up to ${pct(LEGACY_OUT_OF_VOCABULARY_SHARE)} is accepted`;
  const tail = flagged ? `more than the ${pct(limit)} accepted (training's share plus a margin for a batch of this size)` : `within the ${pct(limit)} accepted for a batch of this size, so a warning`;
  const top = [...s.values.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, 5).map(([v, k]) => `${v} (${k})`).join(", ");
  return {
    column: f.column,
    kind: "input_out_of_vocabulary",
    severity: flagged ? severity : "warning",
    count,
    share,
    examples: s.outOfVocabulary,
    message: `${describe(f)}: ${count} of ${n} non-null rows (${pct(share)}) hold values not in the vocabulary, ${training}; ${tail}. Most frequent: ${top}. ${model} would silently score them as an unknown ${f.column} (id 0). If the values are valid, retrain so the vocabulary includes them (or raise maxVocabulary / lower minCount); else fix the data`
  };
}
function farAnomaly(s, f, tolerance, severity, model) {
  const count = s.counts.far;
  const share = count / s.rows;
  const limits = s.limits;
  const log = f.transform === "log1p";
  const both = (x) => log ? `${num(x)} (${f.column} ${num(Math.expm1(x))})` : num(x);
  const unit = log ? `log1p(${f.column})` : f.column;
  const training = limits.rule === "range" ? `training's ${unit} ranged ${both(f.min)} .. ${both(f.max)}, and values more than half that span beyond either end (below ${both(limits.low)} or above ${both(limits.high)}) are far` : `${typeof f.min === "number" ? "training's values were all equal" : "training's range is not recorded (preprocessing.json from an older ct)"}, so values more than ${FAR_Z} standard deviations from the training mean (${unit} below ${both(limits.low)} or above ${both(limits.high)}) count as far`;
  const sides = [s.farBelow > 0 ? `${s.farBelow} below` : "", s.farAbove > 0 ? `${s.farAbove} above` : ""].filter((x) => x !== "").join(", ");
  const within = share <= tolerance;
  return {
    column: f.column,
    kind: "input_far_from_training",
    severity: within ? "warning" : severity,
    count,
    share,
    examples: s.far,
    message: `${describe(f)}: ${count} of ${s.rows} rows (${pct(share)}; ${sides}) are far from the values training saw: ${training}; the furthest is ${f.column} ${s.furthest?.value ?? "?"}. ${model} never learned what such values mean and would extrapolate. Check the data (units, sentinels such as 99999); if the values are real, retrain on data that holds them` + (within ? `. That is within the tolerance of ${pct(tolerance)} of rows, so a warning` : ` (tolerance: ${pct(tolerance)} of rows)`)
  };
}
function describe(f) {
  const column = `column "${f.column}"`;
  const how = f.kind === "numeric" ? f.transform === "log1p" ? `log1p of ${column}` : column : f.transform === "hourOfDay" ? `hour of day of ${column}` : f.transform === "dayOfWeek" ? `day of week of ${column}` : f.transform === "bucketize" ? `buckets of ${column}` : `vocabulary of ${f.vocabulary?.length ?? 0} values of ${column}`;
  return `feature "${f.name}" (${how})`;
}
function pct(share) {
  return `${(share * 100).toFixed(share > 0 && share < 0.01 ? 2 : 1)}%`;
}
function num(x) {
  return Number.isInteger(x) || !Number.isFinite(x) ? String(x) : String(Number(x.toPrecision(4)));
}

export {
  createInputDomainChecker,
  imputedSummary
};
