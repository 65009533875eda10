import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);
import {
  FAR_Z,
  dictionaryTokens,
  encodeFeatureColumn,
  farLimits,
  featureColumnMismatch,
  mostFrequentFirst,
  textTokenCounts
} from "./evaluate+infra-child+monitor+predict+train+validate+verify.js";
import {
  atomsFromCounts,
  atomsFromSample,
  atomsQuantile,
  benjaminiHochberg,
  binCounts,
  bonferroni,
  chiSquareTest,
  jensenShannonDistance,
  ksPValue,
  ksStatistic,
  populationStabilityIndex,
  twoProportionZTest,
  wassersteinDistance
} from "./bootstrap-worker+evaluate+monitor+predict+train+validate+verify.js";
import {
  createAnomalyChecker,
  inFiles,
  readCsvChunks,
  readJsonLinesChunks,
  readParquetChunks
} from "./evaluate+monitor+predict+promote+release+train+validate+verify.js";
import {
  QuantileSketch,
  SAMPLE_LIMIT,
  alternatives,
  asSchemaTypes,
  createStatistics,
  nullFraction,
  parseSchema,
  percent,
  severityOf,
  unreadDataFiles,
  valueCount
} from "./evaluate+models+monitor+predict+promote+release+train+validate+verify.js";
import {
  DATA_EXTENSIONS,
  UserError,
  asRemote,
  assertDataFile,
  displayPath,
  findColumn,
  formatOf,
  isRemote,
  localCopy,
  locateRow,
  readJson,
  remoteError,
  valueAt
} from "./evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";

// src/features/domain.ts
var DEFAULT_INPUT_TOLERANCE = 1e-3;
var LEGACY_OUT_OF_VOCABULARY_SHARE = 0.01;
var STANDARD_ERRORS = 3;
var TAIL_GROWTH = 0.25;
function acceptedUnknownShare(base, n, tolerance) {
  const noise = STANDARD_ERRORS * Math.sqrt(base * (1 - base) / n) + 0.5 / n;
  return base + Math.max(tolerance, noise, TAIL_GROWTH * base);
}
var MAX_EXAMPLES = 20;
var MAX_TALLIED = 1e3;
var FeatureState = class {
  constructor(feature, domain) {
    this.feature = feature;
    this.domain = domain;
    this.counts = { feature: feature.name, column: feature.column, missing: 0, nonFinite: 0, outOfVocabulary: 0, far: 0 };
    this.limits = feature.kind === "numeric" || feature.kind === "sequence" ? farLimits(feature) : null;
  }
  feature;
  domain;
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
  /** Out-of-vocabulary rows whose value the schema's domain lists (`reviewedValues`). */
  reviewed = 0;
  /** Text features: the tokens the model reads in non-null rows, those outside the vocabulary, and the most frequent of those. */
  tokens = 0;
  unknownTokens = 0;
  unknownTop = /* @__PURE__ */ new Map();
  limits;
  /** Per file read: its rows and its non-finite and far rows, so a bad day is not diluted by a window of good ones. */
  files = /* @__PURE__ */ new Map();
  /** Back to no rows (new example lists: anomalies already returned keep theirs). */
  reset() {
    this.rows = 0;
    this.counts = { ...this.counts, missing: 0, nonFinite: 0, outOfVocabulary: 0, far: 0 };
    this.transformDomain = 0;
    this.farBelow = 0;
    this.farAbove = 0;
    this.furthest = null;
    if (this.nonFinite.length > 0) this.nonFinite = [];
    if (this.outOfVocabulary.length > 0) this.outOfVocabulary = [];
    if (this.far.length > 0) this.far = [];
    if (this.values.size > 0) this.values.clear();
    this.reviewed = 0;
    this.tokens = 0;
    this.unknownTokens = 0;
    if (this.unknownTop.size > 0) this.unknownTop.clear();
    this.files.clear();
  }
};
function fileCounts(s, file) {
  let counts = s.files.get(file);
  if (counts === void 0) s.files.set(file, counts = { rows: 0, nonFinite: 0, far: 0 });
  return counts;
}
var MIN_FILE_ROWS = 10;
function worstFile(s, kind) {
  if (s.files.size < 2) return null;
  let worst = null;
  for (const [file, counts] of s.files) {
    const count = counts[kind];
    if (count < MIN_FILE_ROWS) continue;
    const share = count / counts.rows;
    if (worst === null || share > worst.share) worst = { file, count, rows: counts.rows, share };
  }
  return worst;
}
function judgedShare(s, kind, share, tolerance) {
  const worst = worstFile(s, kind);
  const fileBeyond = worst !== null && worst.share > tolerance && worst.share > share;
  return {
    within: share <= tolerance && !fileBeyond,
    inFile: fileBeyond ? `; in ${worst.file}, ${worst.count} of ${worst.rows} rows (${percent(worst.share)})` : ""
  };
}
function createInputDomainChecker(prep, options) {
  const tolerance = options.tolerance ?? DEFAULT_INPUT_TOLERANCE;
  if (!(tolerance >= 0 && tolerance < 1)) throw new UserError(`input domain: tolerance must be a share in [0, 1), got ${tolerance}`);
  const states = prep.features.filter((f) => f.transform !== "cross").map((f) => new FeatureState(f, options.reviewedValues?.get(f.column)));
  let rows = 0;
  return {
    get rows() {
      return rows;
    },
    reset() {
      rows = 0;
      for (const state of states) state.reset();
    },
    add(table) {
      rows += table.rowCount;
      for (const state of states) addChunk(state, table);
    },
    imputed() {
      return states.map((s) => ({ ...s.counts }));
    },
    result() {
      const out = [];
      for (const s of states) {
        const f = s.feature;
        if (s.rows === 0) continue;
        if (s.counts.nonFinite > 0) out.push(nonFiniteAnomaly(s, tolerance, severityOf("input_non_finite", options.severity), options.model));
        if ((f.kind === "categorical" || f.kind === "text") && f.vocabulary !== void 0 && s.counts.outOfVocabulary > 0) {
          const open = options.openColumns?.has(f.column) === true;
          const a = outOfVocabularyAnomaly(s, f, tolerance, open ? "warning" : severityOf("input_out_of_vocabulary", options.severity), options.model);
          if (a !== null)
            out.push(open ? { ...a, message: `${a.message} (a warning: the schema lists no domain for column "${f.column}", so new values are expected)` } : a);
        }
        if (f.kind === "text" && !out.some((a) => a.column === f.column && a.kind === "input_out_of_vocabulary" && a.severity === "error")) {
          const a = unknownTokensAnomaly(s, f, tolerance, severityOf("input_out_of_vocabulary", options.severity), options.model);
          if (a !== null) out.push(a);
        }
        if ((f.kind === "numeric" || f.kind === "sequence") && s.counts.far > 0)
          out.push(farAnomaly(s, f, tolerance, severityOf("input_far_from_training", options.severity), options.model));
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
  const tokensOf = f.kind === "text" && column.type === "string" ? dictionaryTokens(column.dictionary, f.tokens) : void 0;
  for (const source of table.sources) fileCounts(s, source.file).rows += source.rows;
  const { counts } = encodeFeatureColumn(
    table,
    f,
    (row, reason, transformed) => {
      if (reason === "nonFinite" || reason === "far") fileCounts(s, locateRow(table, row).file)[reason]++;
      if (reason === "nonFinite") {
        if (log && raw !== null && Number.isFinite(raw[row])) s.transformDomain++;
        if (s.nonFinite.length < MAX_EXAMPLES) s.nonFinite.push({ ...locateRow(table, row), value: text(row) });
      } else if (reason === "outOfVocabulary") {
        const value = text(row);
        if (s.outOfVocabulary.length < MAX_EXAMPLES) s.outOfVocabulary.push({ ...locateRow(table, row), value });
        if (s.values.size < MAX_TALLIED || s.values.has(value)) s.values.set(value, (s.values.get(value) ?? 0) + 1);
        if (s.domain?.has(value) === true) s.reviewed++;
      } else {
        const below = transformed < limits.low;
        if (below) s.farBelow++;
        else s.farAbove++;
        const distance = below ? limits.low - transformed : transformed - limits.high;
        if (s.furthest === null || distance > s.furthest.distance) s.furthest = { distance, value: text(row) };
        if (s.far.length < MAX_EXAMPLES) s.far.push({ ...locateRow(table, row), value: text(row) });
      }
    },
    tokensOf
  );
  if (f.kind === "text" && column.type === "string") {
    const t = textTokenCounts(f, column, tokensOf);
    s.tokens += t.tokens;
    s.unknownTokens += t.unknown;
    for (const [token, n] of t.top) if (s.unknownTop.size < MAX_TALLIED || s.unknownTop.has(token)) s.unknownTop.set(token, (s.unknownTop.get(token) ?? 0) + n);
  }
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
    c.nonFinite > 0 ? f.kind === "sequence" ? `${c.nonFinite} not ${f.length} numbers` : `${c.nonFinite} non-finite${f.kind === "numeric" && f.transform === "log1p" ? " after log1p" : ""}` : "",
    c.outOfVocabulary > 0 ? `${c.outOfVocabulary} out of vocabulary` : ""
  ].filter((r) => r !== "");
  const as = f.kind === "numeric" || f.kind === "sequence" ? "the training mean" : f.kind === "text" ? "padding and unknown tokens" : "id 0";
  const parts = imputed > 0 ? [`${imputed} of ${rows} rows (${percent(imputed / Math.max(rows, 1))}) imputed as ${as}: ${reasons.join(", ")}`] : [];
  if (c.far > 0) parts.push(`${c.far} of ${rows} rows far from the training range (kept as they are)`);
  return `feature "${f.name}" (column "${f.column}"): ${parts.join("; ")}`;
}
function nonFiniteAnomaly(s, tolerance, severity, model) {
  const f = s.feature;
  const count = s.counts.nonFinite;
  const share = count / s.rows;
  const inputs = count - s.transformDomain;
  const why = f.kind === "numeric" && f.transform === "log1p" ? inputs === 0 ? "log1p of a value <= -1" : s.transformDomain === 0 ? "NaN or infinite values in the data" : `log1p of a value <= -1 in ${s.transformDomain} rows, NaN or infinite values in the data in ${inputs}` : f.kind === "sequence" ? `cells that are not exactly ${f.length} numbers` : f.transform === "hourOfDay" || f.transform === "dayOfWeek" ? "NaN or infinite timestamps" : f.transform === "bucketize" ? "NaN values: no bucket" : "NaN or infinite values in the data";
  const as = f.kind === "numeric" ? `an average ${f.column} (the training mean${f.transform === "log1p" ? ` of log1p, ${num(f.mean)}` : `, ${num(f.mean)}`})` : f.kind === "sequence" ? `a ${f.column} padded with the training mean (${num(f.mean)}) where numbers are missing` : `a missing ${f.column} (id 0)`;
  const todo = f.kind === "numeric" && f.transform === "log1p" ? "Fix the data, or change the feature's transform" : "Fix the data";
  const { within, inFile } = judgedShare(s, "nonFinite", share, tolerance);
  const scope = within ? ` That is within the tolerance of ${percent(tolerance)} of rows, so a warning` : ` (tolerance: ${percent(tolerance)} of rows)`;
  return {
    column: f.column,
    kind: "input_non_finite",
    severity: within ? "warning" : severity,
    count,
    share,
    examples: s.nonFinite,
    message: `${describe(f)}: ${count} of ${s.rows} rows (${percent(share)}${inFile}) give a non-finite value (${why}); ${model} would silently score them as ${as}. ${todo}${within ? `.${scope}` : `${scope}`}`
  };
}
function outOfVocabularyAnomaly(s, f, tolerance, severity, model) {
  const count = s.counts.outOfVocabulary;
  const n = s.rows - s.counts.missing;
  const share = count / n;
  const recorded = typeof f.outOfVocabularyShare === "number" && Number.isFinite(f.outOfVocabularyShare);
  const base = recorded ? f.outOfVocabularyShare : 0;
  const limit = acceptedUnknownShare(base, n, recorded ? tolerance : LEGACY_OUT_OF_VOCABULARY_SHARE);
  const flagged = share > limit;
  if (!flagged && !(recorded && base === 0)) return null;
  const reviewedOnly = flagged && s.reviewed > 0 && (count - s.reviewed) / n <= limit;
  const text = f.kind === "text";
  const training = recorded ? `training had ${percent(base)}${base > 0 ? ` (rare ${text ? "tokens" : "values"} cut by maxVocabulary / minCount)` : ""}` : `training's share is not recorded (preprocessing.json from an older ct), so up to ${percent(LEGACY_OUT_OF_VOCABULARY_SHARE)} is accepted`;
  const tail = reviewedOnly ? `more than the ${percent(limit)} accepted, but ${s.reviewed} of them hold values the schema's domain for column "${f.column}" lists, valid values newer than the model, so a warning` : flagged ? `more than the ${percent(limit)} accepted (training's share plus a margin for its tail and for a batch of this size)` : `within the ${percent(limit)} accepted for a batch of this size, so a warning`;
  const top = mostFrequent(s.values);
  return {
    column: f.column,
    kind: "input_out_of_vocabulary",
    severity: flagged && !reviewedOnly ? severity : "warning",
    count,
    share,
    examples: s.outOfVocabulary,
    message: `${describe(f)}: ${count} of ${n} non-null rows (${percent(share)}) hold ${text ? "no token the vocabulary knows" : "values not in the vocabulary"}, ${training}; ${tail}. Most frequent: ${top}. ${model} would silently score them as ${text ? `a ${f.column} of unknown tokens (id 1)` : `an unknown ${f.column} (id 0)`}. If the values are valid, retrain so the vocabulary includes them (or raise maxVocabulary / lower minCount); else fix the data`
  };
}
function mostFrequent(tally) {
  return mostFrequentFirst(tally, 5).map(([v, k]) => `${v} (${k})`).join(", ");
}
function unknownTokensAnomaly(s, f, tolerance, severity, model) {
  const n = s.tokens;
  if (n === 0 || s.unknownTokens === 0) return null;
  const share = s.unknownTokens / n;
  const base = f.unknownTokenShare;
  const limit = acceptedUnknownShare(base, n, tolerance);
  if (share <= limit) return null;
  const top = mostFrequent(s.unknownTop);
  return {
    column: f.column,
    kind: "input_out_of_vocabulary",
    severity,
    count: s.unknownTokens,
    share,
    examples: s.outOfVocabulary,
    message: `${describe(f)}: ${s.unknownTokens} of ${n} ${f.tokens} the model reads (${percent(share)}) are not in the vocabulary, training had ${percent(base)}; more than the ${percent(limit)} accepted (training's share plus a margin for its tail and for this many ${f.tokens}). Most frequent: ${top}. ${model} would read each of them as the one unknown token (id 1). If the text is valid, retrain so the vocabulary includes it (or raise maxVocabulary / lower minCount); else fix the data`
  };
}
function farAnomaly(s, f, tolerance, severity, model) {
  const count = s.counts.far;
  const share = count / s.rows;
  const limits = s.limits;
  const log = f.kind === "numeric" && f.transform === "log1p";
  const both = (x) => log ? `${num(x)} (${f.column} ${num(Math.expm1(x))})` : num(x);
  const unit = log ? `log1p(${f.column})` : f.column;
  const training = limits.rule === "range" ? `training's ${unit} ranged ${both(f.min)} .. ${both(f.max)}, and values more than half that span beyond either end (below ${both(limits.low)} or above ${both(limits.high)}) are far` : `${typeof f.min === "number" ? "training's values were all equal" : "training's range is not recorded (preprocessing.json from an older ct)"}, so values more than ${FAR_Z} standard deviations from the training mean (${unit} below ${both(limits.low)} or above ${both(limits.high)}) count as far`;
  const sides = [s.farBelow > 0 ? `${s.farBelow} below` : "", s.farAbove > 0 ? `${s.farAbove} above` : ""].filter((x) => x !== "").join(", ");
  const { within, inFile } = judgedShare(s, "far", share, tolerance);
  return {
    column: f.column,
    kind: "input_far_from_training",
    severity: within ? "warning" : severity,
    count,
    share,
    examples: s.far,
    message: `${describe(f)}: ${count} of ${s.rows} rows (${percent(share)}; ${sides}${inFile}) are far from the values training saw: ${training}; the furthest is ${f.column} ${s.furthest?.value ?? "?"}. ${model} never learned what such values mean and would extrapolate. Check the data (units, sentinels such as 99999); if the values are real, retrain on data that holds them` + (within ? `. That is within the tolerance of ${percent(tolerance)} of rows, so a warning` : ` (tolerance: ${percent(tolerance)} of rows)`)
  };
}
function describe(f) {
  const column = `column "${f.column}"`;
  const how = f.kind === "numeric" ? f.transform === "log1p" ? `log1p of ${column}` : column : f.kind === "text" ? `${f.tokens} of ${column}, a vocabulary of ${f.vocabulary.length}` : f.kind === "sequence" ? `${f.length} numbers per row of ${column}` : f.transform === "hourOfDay" ? `hour of day of ${column}` : f.transform === "dayOfWeek" ? `day of week of ${column}` : f.transform === "bucketize" ? `buckets of ${column}` : `vocabulary of ${f.vocabulary?.length ?? 0} values of ${column}`;
  return `feature "${f.name}" (${how})`;
}
function num(x) {
  return Number.isInteger(x) || !Number.isFinite(x) ? String(x) : String(Number(x.toPrecision(4)));
}

// src/data/stream.ts
var DEFAULT_CHUNK_ROWS = 65536;
async function* readChunks(path2, options = {}) {
  assertDataFile(path2);
  const format = options.format ?? formatOf(path2);
  if (isRemote(path2) && format !== "parquet") {
    const local = await localCopy(path2);
    const localShown = displayPath(local);
    try {
      for await (const table of readChunks(local, { ...options, ...format === void 0 ? {} : { format } })) yield asRemote(table, localShown, path2);
    } catch (error) {
      throw remoteError(error, localShown, path2);
    }
    return;
  }
  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
  if (!Number.isInteger(chunkRows) || chunkRows < 1) throw new UserError(`chunk size must be a whole number of rows >= 1, got ${chunkRows}`);
  const common = {
    chunkRows,
    ...options.columns === void 0 ? {} : { columns: options.columns },
    ...options.blockBytes === void 0 ? {} : { blockBytes: options.blockBytes }
  };
  switch (format) {
    case "parquet":
      yield* readParquetChunks(path2, common);
      return;
    case "csv":
      yield* readCsvChunks(path2, common);
      return;
    case "jsonl":
      yield* readJsonLinesChunks(path2, common);
      return;
    default:
      throw new UserError(
        `cannot tell the format of ${displayPath(path2)}: use a ${DATA_EXTENSIONS.join(", ")} file or set the data format`
      );
  }
}
async function* readChunksOf(files, options = {}) {
  if (files.length === 0) throw new UserError("no data files to read");
  for (const file of files) yield* readChunks(file, options);
}

// src/validate/drift.ts
var P_VALUE_TESTS = /* @__PURE__ */ new Set(["ks", "chisquare", "z"]);
var NUMERIC_ONLY = /* @__PURE__ */ new Set(["ks", "wasserstein"]);
var DEFAULT_THRESHOLD = { ks: 0.05, chisquare: 0.05, z: 0.05, wasserstein: 0.1, jensenshannon: 0.1, psi: 0.1 };
var FEW_VALUES = 5;
var MIN_NORM = 1e-3;
function detectDrift(reference, current, options = {}) {
  const method = options.method ?? "auto";
  const correction = options.correction ?? "benjamini-hochberg";
  const datasetDriftShare = options.datasetDriftShare ?? 0.5;
  const nullRateChange = options.nullRateChange ?? 0.05;
  const refColumns = new Map(reference.columns.map((c) => [c.name, c]));
  const curColumns = new Map(current.columns.map((c) => [c.name, c]));
  const targets = new Set([options.labelColumn, options.predictionColumn].filter((n) => n !== void 0));
  const names = options.columns ?? [.../* @__PURE__ */ new Set([...refColumns.keys(), ...curColumns.keys()])];
  const features = [...new Set(names)].filter((n) => !targets.has(n));
  const skipped = [];
  const nullRateChanged = [];
  const testOne = (name) => {
    const ref = refColumns.get(name);
    const cur = curColumns.get(name);
    if (ref !== void 0 && cur !== void 0 && Math.abs(nullFraction(cur) - nullFraction(ref)) > nullRateChange) nullRateChanged.push(name);
    const reason = skipReason(ref, cur);
    if (reason !== null) {
      skipped.push({ column: name, reason });
      return null;
    }
    return testColumn(name, ref, cur, method, options.perColumn?.[name], nullRateChange);
  };
  const columns = features.map(testOne).filter((c) => c !== null);
  const tested = columns.filter((c) => c.pValue !== null);
  const raw = tested.map((c) => c.pValue);
  const adjusted = correction === "bonferroni" ? bonferroni(raw) : correction === "benjamini-hochberg" ? benjaminiHochberg(raw) : raw;
  tested.forEach((c, i) => {
    c.adjustedPValue = adjusted[i];
    c.drifted = c.adjustedPValue < c.threshold;
  });
  const target = (name) => {
    if (name === void 0) return null;
    const drift = testOne(name);
    if (drift === null) return null;
    return { ...drift, positiveRate: { reference: positiveRate(refColumns.get(name)), current: positiveRate(curColumns.get(name)) } };
  };
  const label = target(options.labelColumn);
  const prediction = options.predictionColumn === options.labelColumn ? null : target(options.predictionColumn);
  const driftedColumns = columns.filter((c) => c.drifted).length;
  const driftedShare = columns.length === 0 ? 0 : driftedColumns / columns.length;
  return {
    method,
    correction,
    columns,
    driftedColumns,
    driftedShare,
    datasetDrift: columns.length > 0 && driftedShare >= datasetDriftShare,
    datasetDriftShare,
    label,
    prediction,
    nullRateChanged,
    skipped
  };
}
function skipReason(ref, cur) {
  if (ref === void 0 && cur === void 0) return "missing from the reference and the current data";
  if (ref === void 0) return "missing from the reference statistics";
  if (cur === void 0) return "missing from the current data";
  if (ref.type !== cur.type) return `type changed: ${ref.type} in the reference, ${cur.type} in the current data`;
  if (ref.type === "timestamp") return "timestamp: time always moves forward, so its distribution drifts by construction";
  if (valueCount(ref) === 0) return "no values in the reference";
  if (valueCount(cur) === 0) return "no values in the current data";
  return null;
}
function testColumn(name, ref, cur, method, override, nullRateChange) {
  const numeric = ref.numeric !== void 0 && cur.numeric !== void 0;
  const refRows = valueCount(ref);
  const curRows = valueCount(cur);
  const test = override?.test ?? (method === "psi" ? "psi" : autoTest(ref, cur, numeric, refRows));
  if (!Object.prototype.hasOwnProperty.call(DEFAULT_THRESHOLD, test)) {
    throw new UserError(`unknown drift test "${String(test)}" for column "${name}" (use ${Object.keys(DEFAULT_THRESHOLD).join(", ")})`);
  }
  if (NUMERIC_ONLY.has(test) && !numeric) throw new UserError(`drift test "${test}" for column "${name}" needs a numeric column; "${name}" is ${ref.type}`);
  const threshold = override?.threshold ?? DEFAULT_THRESHOLD[test];
  if (!(threshold >= 0)) throw new UserError(`drift threshold for column "${name}" must be a number >= 0, got ${String(threshold)}`);
  let statistic;
  let pValue = null;
  switch (test) {
    case "ks": {
      statistic = ksStatistic(...numericAtoms(ref, cur));
      pValue = ksPValue(statistic, refRows, curRows);
      break;
    }
    case "wasserstein": {
      const m = ref.numeric;
      const std = Math.sqrt(Math.max(0, num2(m.m2)) / refRows);
      statistic = wassersteinDistance(...numericAtoms(ref, cur)) / Math.max(Number.isFinite(std) ? std : 0, MIN_NORM);
      break;
    }
    case "chisquare": {
      const h = histograms(ref, cur, "sturges");
      const scale = curRows / refRows;
      const result = chiSquareTest(
        h.current,
        h.reference.map((c) => c * scale)
      );
      statistic = result.statistic;
      pValue = result.pValue;
      break;
    }
    case "z": {
      const h = histograms(ref, cur, "sturges");
      const result = twoProportionZTest(refRows - h.reference[0], refRows, curRows - h.current[0], curRows);
      statistic = result.statistic;
      pValue = result.pValue;
      break;
    }
    case "jensenshannon": {
      const h = histograms(ref, cur, "sturges");
      statistic = jensenShannonDistance(h.reference, h.current, 2);
      break;
    }
    case "psi": {
      const h = histograms(ref, cur, "deciles");
      statistic = populationStabilityIndex(h.reference, h.current);
      break;
    }
  }
  const isPValueTest = P_VALUE_TESTS.has(test);
  const nullRate = { reference: nullFraction(ref), current: nullFraction(cur), changed: false };
  nullRate.changed = Math.abs(nullRate.current - nullRate.reference) > nullRateChange;
  return {
    column: name,
    type: ref.type,
    test,
    statistic: Number.isFinite(statistic) ? statistic : null,
    pValue,
    adjustedPValue: pValue,
    threshold,
    drifted: isPValueTest ? pValue < threshold : statistic >= threshold,
    referenceRows: refRows,
    currentRows: curRows,
    nullRate
  };
}
function autoTest(ref, cur, numeric, refRows) {
  const distinct = distinctUnion(ref, cur);
  if (refRows <= SAMPLE_LIMIT) {
    if (numeric && distinct > FEW_VALUES) return "ks";
    return distinct > 2 ? "chisquare" : "z";
  }
  if (numeric && distinct > FEW_VALUES) return "wasserstein";
  return "jensenshannon";
}
function distinctUnion(ref, cur) {
  if (ref.numeric !== void 0 && cur.numeric !== void 0) {
    const a2 = ref.numeric.valueCounts;
    const b2 = cur.numeric.valueCounts;
    if (a2 === null || b2 === null) return Infinity;
    return (/* @__PURE__ */ new Set([...a2.map(([v]) => v), ...b2.map(([v]) => v)])).size;
  }
  const a = ref.categorical;
  const b = cur.categorical;
  if (a === void 0 || b === void 0) return Infinity;
  if (a.distinctIsLowerBound || b.distinctIsLowerBound) return Infinity;
  return (/* @__PURE__ */ new Set([...Object.keys(a.frequencies), ...Object.keys(b.frequencies)])).size;
}
function num2(x) {
  return typeof x === "number" ? x : Number.NaN;
}
function numericAtoms(ref, cur) {
  const a = ref.numeric;
  const b = cur.numeric;
  if (a.sample !== null && b.sample !== null) return [atomsFromSample(a.sample), atomsFromSample(b.sample)];
  if (a.valueCounts !== null && b.valueCounts !== null) return [atomsFromCounts(a.valueCounts), atomsFromCounts(b.valueCounts)];
  return [QuantileSketch.fromJSON(a.sketch).atoms(), QuantileSketch.fromJSON(b.sketch).atoms()];
}
function histograms(ref, cur, binning) {
  if (ref.categorical !== void 0 && cur.categorical !== void 0) {
    const a = ref.categorical;
    const b = cur.categorical;
    const keys = [.../* @__PURE__ */ new Set([...Object.keys(a.frequencies), ...Object.keys(b.frequencies)])].sort();
    const reference = keys.map((k) => own(a.frequencies, k));
    const current = keys.map((k) => own(b.frequencies, k));
    if (a.otherCount > 0 || b.otherCount > 0) {
      reference.push(a.otherCount);
      current.push(b.otherCount);
    }
    return { reference, current };
  }
  const ra = ref.numeric;
  const ca = cur.numeric;
  if (ra.valueCounts !== null && ca.valueCounts !== null) {
    const values = [.../* @__PURE__ */ new Set([...ra.valueCounts.map(([v]) => v), ...ca.valueCounts.map(([v]) => v)])].sort((x, y) => x - y);
    const count = (pairs, v) => pairs.find(([x]) => x === v)?.[1] ?? 0;
    return { reference: values.map((v) => count(ra.valueCounts, v)), current: values.map((v) => count(ca.valueCounts, v)) };
  }
  const [refAtoms, curAtoms] = numericAtoms(ref, cur);
  const edges = binning === "deciles" ? decileEdges(refAtoms) : sturgesEdges(ref, cur);
  return { reference: Array.from(binCounts(refAtoms, edges)), current: Array.from(binCounts(curAtoms, edges)) };
}
function own(record, key) {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : 0;
}
function decileEdges(reference) {
  const edges = [];
  for (let i = 1; i < 10; i++) {
    const e = atomsQuantile(reference, i / 10);
    if (edges.length === 0 || e > edges[edges.length - 1]) edges.push(e);
  }
  return edges;
}
function sturgesEdges(ref, cur) {
  const lo = Math.min(num2(ref.numeric.min), num2(cur.numeric.min));
  const hi = Math.max(num2(ref.numeric.max), num2(cur.numeric.max));
  const n = valueCount(ref) + valueCount(cur);
  const bins = Math.ceil(Math.log2(n) + 1);
  if (!(hi > lo) || !(bins > 1)) return [];
  const width = (hi - lo) / bins;
  return Array.from({ length: bins - 1 }, (_, i) => lo + width * (i + 1));
}
function positiveRate(column) {
  const values = valueCount(column);
  if (values === 0) return null;
  if (column.categorical !== void 0) {
    return column.type === "boolean" ? own(column.categorical.frequencies, "true") / values : null;
  }
  const m = column.numeric;
  if (m === void 0) return null;
  if (m.valueCounts !== null && m.valueCounts.every(([v]) => v === 0 || v === 1)) {
    return (m.valueCounts.find(([v]) => v === 1)?.[1] ?? 0) / values;
  }
  return num2(m.min) >= 0 && num2(m.max) <= 1 ? num2(m.mean) : null;
}

// src/validate/batch.ts
async function validateChunks(chunks, input) {
  const checker = createAnomalyChecker(input.schema, input.checker);
  const current = createStatistics();
  const windowReference = input.reference === "window" ? createStatistics() : null;
  const all = input.collectAll === true ? createStatistics() : null;
  for await (const chunk of chunks) {
    checker.add(chunk.table);
    const table = asSchemaTypes(chunk.table, input.schema);
    for (const check of input.checks ?? []) check.add(table);
    all?.add(chunk.table);
    if (chunk.drift === "current") current.add(input.derive ? await input.derive(table) : table);
    else if (chunk.drift === "reference" && windowReference !== null) windowReference.add(input.derive ? await input.derive(table) : table);
  }
  const currentStats = current.result();
  const reference = input.reference === "window" ? windowReference.result() : input.reference;
  const drift = reference === null || reference.rows === 0 || currentStats.rows === 0 ? null : detectDrift(reference, currentStats, input.drift ?? {});
  const anomalies = [...checker.result(), ...(input.checks ?? []).flatMap((c) => c.result())].sort(
    (a, b) => a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1
  );
  return { rows: checker.rows, anomalies, current: currentStats, drift, all: all?.result() ?? null };
}

// src/validate/new-values.ts
function foldNewValueWarnings(anomalies) {
  const unseen = /* @__PURE__ */ new Map();
  for (const a of anomalies) if (a.kind === "unseen_category" && a.severity === "warning" && a.column !== null) unseen.set(a.column, a);
  const folded = /* @__PURE__ */ new Set();
  const model = /* @__PURE__ */ new Set();
  for (const a of anomalies) {
    if (a.kind !== "input_out_of_vocabulary" || a.severity !== "warning" || a.column === null) continue;
    const domain = unseen.get(a.column);
    if (domain === void 0 || !sameRows(domain, a)) continue;
    folded.add(a);
    model.add(a.column);
  }
  return anomalies.filter((a) => !folded.has(a)).map(
    (a) => a.kind === "unseen_category" && a.column !== null && model.has(a.column) && unseen.get(a.column) === a ? {
      ...a,
      message: `${a.message}. The model has not seen them either: it scores them as an unknown ${a.column} until a retrain takes them into its vocabulary`
    } : a
  );
}
function sameRows(a, b) {
  return a.count === b.count && a.examples.length === b.examples.length && a.examples.every((e, i) => e.file === b.examples[i].file && e.row === b.examples[i].row && e.value === b.examples[i].value);
}

// src/predict/check.ts
import { existsSync } from "node:fs";
var LABEL_ABSENCE = ["missing_column", "all_null", "nulls_above_threshold"];
function sourceColumns(preprocessing) {
  return [...new Set(preprocessing.features.filter((f) => f.kind !== "categorical" || f.cross === void 0).map((f) => f.column))];
}
function labelOptional(schema, labels, preprocessing) {
  const features = new Set(sourceColumns(preprocessing));
  return {
    ...schema,
    columns: schema.columns.map(
      (c) => labels.includes(c.name) && !features.has(c.name) ? { ...c, severity: { ...c.severity, ...Object.fromEntries(LABEL_ABSENCE.map((k) => [k, "warning"])) } } : c
    )
  };
}
function readPredictionSchema(file, labels, preprocessing) {
  if (!existsSync(file))
    throw new UserError(`data schema not found: ${displayPath(file)}: run \`ct validate\` first (it infers the schema on first use), review and commit it`);
  return labelOptional(parseSchema(displayPath(file), readJson(file, "data schema")), labels, preprocessing);
}
function modelColumnAnomalies(anomalies, missing, rows) {
  const out = anomalies.map((a) => ({ ...a }));
  for (const [column, { rows: count, files }] of missing) {
    const suffix = "; the model reads it";
    const existing = out.find((a) => a.kind === "missing_column" && a.column === column);
    if (existing !== void 0) {
      existing.severity = "error";
      existing.message += suffix;
    } else {
      out.push({
        column,
        kind: "missing_column",
        severity: "error",
        count,
        share: rows === 0 ? 0 : count / rows,
        examples: [],
        message: `column "${column}" is missing${inFiles(files)}${suffix}`
      });
    }
  }
  return out.sort((a, b) => a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1);
}
async function checkBatch(files, options) {
  const { keep, preprocessing, validation } = options;
  const needed = sourceColumns(preprocessing);
  const domain = createInputDomainChecker(preprocessing, { model: options.model, severity: validation.severity });
  const missingNeeded = /* @__PURE__ */ new Map();
  const keepChecked = /* @__PURE__ */ new Set();
  const batch = await validateChunks(
    (async function* () {
      for await (const table of readChunksOf(files, options.readOptions)) {
        const file = table.sources[0]?.file ?? "";
        if (!keepChecked.has(file)) {
          keepChecked.add(file);
          const missing = keep.find((c) => findColumn(table, c) === void 0);
          if (missing !== void 0) throw new UserError(`--keep: no column "${missing}" in ${file} (columns: ${table.columns.map((c) => c.name).join(", ")})`);
        }
        for (const name of needed) {
          if (findColumn(table, name) !== void 0) continue;
          const entry = missingNeeded.get(name) ?? { rows: 0, files: /* @__PURE__ */ new Set() };
          entry.rows += table.rowCount;
          entry.files.add(file);
          missingNeeded.set(name, entry);
        }
        domain.add(table);
        yield { table, drift: null };
      }
    })(),
    // Files to score often carry columns of their own (an id to join the predictions back): not an incident here.
    { schema: options.schema, checker: { severity: { new_column: "warning", ...validation.severity }, duplicates: validation.duplicates }, reference: null }
  );
  for (const a of batch.anomalies) {
    if (a.column !== null && options.labels.includes(a.column) && a.severity === "warning" && LABEL_ABSENCE.includes(a.kind))
      a.message += " (the label: not needed to predict)";
  }
  return {
    rows: batch.rows,
    anomalies: modelColumnAnomalies(foldNewValueWarnings([...batch.anomalies, ...domain.result()]), missingNeeded, batch.rows),
    imputed: domain.imputed()
  };
}
function imputedLines(preprocessing, imputed, rows) {
  const lines = [];
  for (const counts of imputed) {
    const line = imputedSummary(
      preprocessing.features.find((f) => f.name === counts.feature),
      counts,
      rows
    );
    if (line !== null) lines.push(line);
  }
  return lines;
}

// src/validate/unread-files.ts
import path from "node:path";
var LISTED = 3;
function unreadFilesAnomaly(folder, severity) {
  const files = unreadDataFiles(folder);
  if (files.length === 0) return null;
  const names = files.slice(0, LISTED).map((f) => path.basename(f));
  const more = files.length - names.length;
  const listed = more > 0 ? `${names.join(", ")} and ${more} more` : alternatives(names, "and");
  const one = files.length === 1;
  return {
    kind: "unread_file",
    severity,
    column: null,
    count: files.length,
    share: 0,
    examples: [],
    message: `${path.dirname(files[0])}: ${listed} ${one ? "is" : "are"} not read: a run reads the uncompressed files named for their day (YYYY-MM-DD.csv, .parquet or .jsonl). Name ${one ? "it" : "each"} for the day its rows are from (uncompressed), or move ${one ? "it" : "them"} out of the folder`
  };
}

export {
  createInputDomainChecker,
  imputedSummary,
  readChunksOf,
  validateChunks,
  foldNewValueWarnings,
  labelOptional,
  readPredictionSchema,
  checkBatch,
  imputedLines,
  unreadFilesAnomaly
};
