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
  readCsvChunks,
  readJsonLinesChunks,
  readParquetChunks
} from "./evaluate+monitor+predict+promote+release+train+validate+verify.js";
import {
  findColumn,
  locateRow,
  valueAt
} from "./evaluate+infra-child+monitor+predict+promote+release+train+validate+verify.js";
import {
  DATA_EXTENSIONS,
  DEFAULT_SEVERITY,
  asRemote,
  assertDataFile,
  displayPath,
  formatOf,
  isRemote,
  localCopy,
  parseSchema,
  remoteError
} from "./evaluate+models+monitor+predict+promote+release+train+validate+verify.js";
import {
  MS_PER_DAY,
  UserError,
  readJson
} from "./evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";

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
    this.limits = feature.kind === "numeric" || feature.kind === "sequence" ? farLimits(feature) : null;
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
  /** Text features: the tokens the model reads in non-null rows, those outside the vocabulary, and the most frequent of those. */
  tokens = 0;
  unknownTokens = 0;
  unknownTop = /* @__PURE__ */ new Map();
  limits;
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
    this.tokens = 0;
    this.unknownTokens = 0;
    if (this.unknownTop.size > 0) this.unknownTop.clear();
  }
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
      const severityOf = (kind) => options.severity?.[kind] ?? DEFAULT_SEVERITY[kind];
      const out = [];
      for (const s of states) {
        const f = s.feature;
        if (s.rows === 0) continue;
        if (s.counts.nonFinite > 0) out.push(nonFiniteAnomaly(s, tolerance, severityOf("input_non_finite"), options.model));
        if ((f.kind === "categorical" || f.kind === "text") && f.vocabulary !== void 0 && s.counts.outOfVocabulary > 0) {
          const a = outOfVocabularyAnomaly(s, f, tolerance, severityOf("input_out_of_vocabulary"), options.model);
          if (a !== null) out.push(a);
        }
        if (f.kind === "text" && !out.some((a) => a.column === f.column && a.kind === "input_out_of_vocabulary" && a.severity === "error")) {
          const a = unknownTokensAnomaly(s, f, tolerance, severityOf("input_out_of_vocabulary"), options.model);
          if (a !== null) out.push(a);
        }
        if ((f.kind === "numeric" || f.kind === "sequence") && s.counts.far > 0)
          out.push(farAnomaly(s, f, tolerance, severityOf("input_far_from_training"), options.model));
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
  const { counts } = encodeFeatureColumn(
    table,
    f,
    (row, reason, transformed) => {
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
  const parts = imputed > 0 ? [`${imputed} of ${rows} rows (${pct(imputed / Math.max(rows, 1))}) imputed as ${as}: ${reasons.join(", ")}`] : [];
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
  const text = f.kind === "text";
  const training = recorded ? `training had ${pct(base)}${base > 0 ? ` (rare ${text ? "tokens" : "values"} cut by maxVocabulary / minCount)` : ""}` : `training's share is not recorded (preprocessing.json from an older ct), so up to ${pct(LEGACY_OUT_OF_VOCABULARY_SHARE)} is accepted`;
  const tail = flagged ? `more than the ${pct(limit)} accepted (training's share plus a margin for a batch of this size)` : `within the ${pct(limit)} accepted for a batch of this size, so a warning`;
  const top = mostFrequent(s.values);
  return {
    column: f.column,
    kind: "input_out_of_vocabulary",
    severity: flagged ? severity : "warning",
    count,
    share,
    examples: s.outOfVocabulary,
    message: `${describe(f)}: ${count} of ${n} non-null rows (${pct(share)}) hold ${text ? "no token the vocabulary knows" : "values not in the vocabulary"}, ${training}; ${tail}. Most frequent: ${top}. ${model} would silently score them as ${text ? `a ${f.column} of unknown tokens (id 1)` : `an unknown ${f.column} (id 0)`}. If the values are valid, retrain so the vocabulary includes them (or raise maxVocabulary / lower minCount); else fix the data`
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
  const noise = STANDARD_ERRORS * Math.sqrt(base * (1 - base) / n) + 0.5 / n;
  const limit = base + Math.max(tolerance, noise);
  if (share <= limit) return null;
  const top = mostFrequent(s.unknownTop);
  return {
    column: f.column,
    kind: "input_out_of_vocabulary",
    severity,
    count: s.unknownTokens,
    share,
    examples: s.outOfVocabulary,
    message: `${describe(f)}: ${s.unknownTokens} of ${n} ${f.tokens} the model reads (${pct(share)}) are not in the vocabulary, training had ${pct(base)}; more than the ${pct(limit)} accepted (training's share plus a margin for this many ${f.tokens}). Most frequent: ${top}. ${model} would read each of them as the one unknown token (id 1). If the text is valid, retrain so the vocabulary includes it (or raise maxVocabulary / lower minCount); else fix the data`
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
  const how = f.kind === "numeric" ? f.transform === "log1p" ? `log1p of ${column}` : column : f.kind === "text" ? `${f.tokens} of ${column}, a vocabulary of ${f.vocabulary.length}` : f.kind === "sequence" ? `${f.length} numbers per row of ${column}` : f.transform === "hourOfDay" ? `hour of day of ${column}` : f.transform === "dayOfWeek" ? `day of week of ${column}` : f.transform === "bucketize" ? `buckets of ${column}` : `vocabulary of ${f.vocabulary?.length ?? 0} values of ${column}`;
  return `feature "${f.name}" (${how})`;
}
function pct(share) {
  return `${(share * 100).toFixed(share > 0 && share < 0.01 ? 2 : 1)}%`;
}
function num(x) {
  return Number.isInteger(x) || !Number.isFinite(x) ? String(x) : String(Number(x.toPrecision(4)));
}

// src/validate/sketch.ts
var DEFAULT_ACCURACY = 0.01;
var DEFAULT_MAX_BUCKETS = 2048;
var BucketStore = class {
  constructor(maxBuckets) {
    this.maxBuckets = maxBuckets;
  }
  maxBuckets;
  counts = new Float64Array(0);
  /** Bucket index of `counts[0]`. */
  offset = 0;
  /**
   * Highest non-empty bucket, and a bucket at or below the lowest non-empty one
   * (bulk adds may reserve from a lower bound); meaningless while `total` is 0.
   */
  low = 0;
  high = 0;
  total = 0;
  /** The lowest bucket that is kept as it is. */
  get floor() {
    return this.high - this.maxBuckets + 1;
  }
  /**
   * Makes room for values in buckets `lo..hi` (hi being the highest of them),
   * folding low buckets if `hi` raises the floor. Returns the lowest bucket a
   * value may land in after folding, so callers can clamp to it.
   */
  reserve(lo, hi) {
    if (this.total === 0) {
      this.high = hi;
      this.low = Math.max(lo, this.floor);
    } else {
      if (hi > this.high) {
        this.high = hi;
        this.fold();
      }
      this.low = Math.min(this.low, Math.max(lo, this.floor));
    }
    this.ensure(this.low, this.high);
    return Math.max(lo, this.floor);
  }
  /** Counts `weight` values in bucket `index` (weight > 0). */
  add(index, weight) {
    const lo = this.reserve(index, Math.max(index, this.total === 0 ? index : this.high));
    const k = index < lo ? lo : index;
    this.counts[k - this.offset] += weight;
    this.total += weight;
  }
  /** Folds every bucket below the floor into the floor bucket. */
  fold() {
    const floor = this.floor;
    if (this.low >= floor) return;
    let moved = 0;
    const end = Math.min(floor, this.offset + this.counts.length);
    for (let k = Math.max(this.low, this.offset); k < end; k++) {
      moved += this.counts[k - this.offset];
      this.counts[k - this.offset] = 0;
    }
    this.low = floor;
    this.ensure(floor, this.high);
    this.counts[floor - this.offset] += moved;
  }
  /**
   * Makes sure buckets `lo..hi` have a slot. Every non-zero count lies in
   * `lo..hi` when this is called, so a new array needs only that range (plus
   * slack on both sides, so a stream of new extremes does not copy every time):
   * the array never spans more than 3 × maxBuckets slots.
   */
  ensure(lo, hi) {
    const end = this.offset + this.counts.length;
    if (this.counts.length > 0 && lo >= this.offset && hi < end) return;
    const slack = Math.min(this.maxBuckets, Math.max(16, hi - lo + 1 >> 1));
    const start = lo - slack;
    const counts = new Float64Array(hi - lo + 1 + 2 * slack);
    const from = Math.max(this.offset, start);
    const to = Math.min(end, start + counts.length);
    if (to > from) counts.set(this.counts.subarray(from - this.offset, to - this.offset), from - start);
    this.counts = counts;
    this.offset = start;
  }
  /** Count in bucket `k` (0 outside the stored range). */
  at(k) {
    const i = k - this.offset;
    return i >= 0 && i < this.counts.length ? this.counts[i] : 0;
  }
  /** Buckets from the lowest to the highest non-empty one (`low` may be a lower bound only). */
  toJSON() {
    if (this.total === 0) return { offset: 0, counts: [] };
    let first = this.low;
    while (this.at(first) === 0) first++;
    const counts = [];
    for (let k = first; k <= this.high; k++) counts.push(this.at(k));
    return { offset: first, counts };
  }
};
var QuantileSketch = class _QuantileSketch {
  relativeAccuracy;
  maxBuckets;
  /** γ = (1 + α) / (1 − α): ratio of consecutive bucket bounds. */
  gamma;
  /** 1 / ln γ, so that a bucket index is ceil(ln |x| · multiplier). */
  multiplier;
  positive;
  negative;
  /** Bucket index of each whole number below its length (entry 0 unused). */
  smallIndex;
  /** Scratch tally of small whole numbers for `addMany`, allocated on first use. */
  scratch = null;
  zeroCount = 0;
  minValue = Infinity;
  maxValue = -Infinity;
  constructor(options = {}) {
    const alpha = options.relativeAccuracy ?? DEFAULT_ACCURACY;
    const maxBuckets = options.maxBuckets ?? DEFAULT_MAX_BUCKETS;
    if (!(alpha > 0 && alpha < 1)) throw new RangeError(`relative accuracy must be in (0, 1), got ${alpha}`);
    if (!Number.isInteger(maxBuckets) || maxBuckets < 1) throw new RangeError(`maxBuckets must be a whole number >= 1, got ${maxBuckets}`);
    this.relativeAccuracy = alpha;
    this.maxBuckets = maxBuckets;
    this.gamma = (1 + alpha) / (1 - alpha);
    this.multiplier = 1 / Math.log(this.gamma);
    this.smallIndex = smallIndexTable(this.multiplier);
    this.positive = new BucketStore(maxBuckets);
    this.negative = new BucketStore(maxBuckets);
  }
  /** Number of values added. */
  get count() {
    return this.positive.total + this.negative.total + this.zeroCount;
  }
  /** Exact smallest value added (NaN while empty). */
  get min() {
    return this.count === 0 ? Number.NaN : this.minValue;
  }
  /** Exact largest value added (NaN while empty). */
  get max() {
    return this.count === 0 ? Number.NaN : this.maxValue;
  }
  /** Bucket index of a magnitude > 0. */
  index(magnitude) {
    const j = magnitude | 0;
    return j === magnitude && j < this.smallIndex.length ? this.smallIndex[j] : Math.ceil(Math.log(magnitude) * this.multiplier);
  }
  /** The representative of bucket `k`: equally far, relatively, from both of its bounds. */
  bucketValue(k) {
    return 2 * Math.exp(k / this.multiplier) / (1 + this.gamma);
  }
  /** Adds one value (ignored unless finite). */
  add(value) {
    if (!Number.isFinite(value)) return this;
    if (value > 0) this.positive.add(this.index(value), 1);
    else if (value < 0) this.negative.add(this.index(-value), 1);
    else this.zeroCount++;
    if (value < this.minValue) this.minValue = value;
    if (value > this.maxValue) this.maxValue = value;
    return this;
  }
  /**
   * Adds every finite value of `values` whose `nulls` flag is not 1. This is
   * the hot path (millions of rows per column). Whole numbers of magnitude up
   * to `WHOLE_NUMBER_LIMIT` — counts, delays, distances, codes — are tallied
   * per value and folded into buckets afterwards (no logarithm, no
   * unpredictable sign branch per row); other values take `addOtherValues`.
   */
  addMany(values, nulls = null) {
    const W = WHOLE_NUMBER_LIMIT;
    const tally = this.scratch ??= createWholeNumberTally();
    let lo = W + 1;
    let hi = -W - 1;
    let others = 0;
    for (let i = 0; i < values.length; i++) {
      const x = values[i];
      if (x - x !== 0 || nulls !== null && nulls[i] === 1) continue;
      const j = x | 0;
      if (j === x && j >= -W && j <= W) {
        tally[j + W]++;
        if (j < lo) lo = j;
        if (j > hi) hi = j;
      } else others++;
    }
    this.addWholeNumberTally(tally, lo, hi);
    if (others > 0) this.addOtherValues(values, nulls);
    return this;
  }
  /**
   * Adds the whole numbers counted in `tally` (a `createWholeNumberTally()`
   * array: `tally[j + WHOLE_NUMBER_LIMIT]` values equal to j) for j in lo..hi,
   * and clears those entries so the tally can be reused. For callers that
   * tally whole numbers in a pass of their own (the column statistics do).
   */
  addWholeNumberTally(tally, lo, hi) {
    const W = WHOLE_NUMBER_LIMIT;
    lo = Math.max(lo, -W);
    hi = Math.min(hi, W);
    let minPos = 0;
    let maxPos = 0;
    let minNeg = 0;
    let maxNeg = 0;
    let first = Infinity;
    let last = -Infinity;
    for (let j = lo; j <= hi; j++) {
      if (tally[j + W] === 0) continue;
      if (j < first) first = j;
      last = j;
      if (j > 0) {
        if (minPos === 0) minPos = j;
        maxPos = j;
      } else if (j < 0) {
        if (maxNeg === 0) maxNeg = -j;
        minNeg = -j;
      }
    }
    if (first === Infinity) return this;
    if (first < this.minValue) this.minValue = first;
    if (last > this.maxValue) this.maxValue = last;
    const table = this.smallIndex;
    const pos = this.positive;
    const neg = this.negative;
    const posHi = maxPos > 0 ? table[maxPos] : 0;
    const posLo = maxPos > 0 ? pos.reserve(table[minPos], posHi) : 0;
    const negHi = maxNeg > 0 ? table[maxNeg] : 0;
    const negLo = maxNeg > 0 ? neg.reserve(table[minNeg], negHi) : 0;
    for (let j = first; j <= last; j++) {
      const c = tally[j + W];
      if (c === 0) continue;
      tally[j + W] = 0;
      if (j > 0) {
        const k = table[j];
        pos.counts[(k < posLo ? posLo : k > posHi ? posHi : k) - pos.offset] += c;
        pos.total += c;
      } else if (j < 0) {
        const k = table[-j];
        neg.counts[(k < negLo ? negLo : k > negHi ? negHi : k) - neg.offset] += c;
        neg.total += c;
      } else this.zeroCount += c;
    }
    return this;
  }
  /**
   * Adds the finite, non-null values of `values` that are not whole numbers of
   * magnitude ≤ `WHOLE_NUMBER_LIMIT` (those are left to a tally). Each store is
   * reserved once, from the extremes of the values: a caller that knows them
   * (the column statistics compute them anyway) passes `extremes`, the min and
   * max over all finite non-null values of `values` — tallied ones included,
   * which it must add too — and saves a pass. The indexing pass reuses the
   * previous bucket when a value repeats (sorted timestamps repeat most of the time).
   */
  addOtherValues(values, nulls = null, extremes) {
    const W = WHOLE_NUMBER_LIMIT;
    const n = values.length;
    let minPos = Infinity;
    let maxPos = 0;
    let minNeg = Infinity;
    let maxNeg = 0;
    if (extremes !== void 0) {
      const { min: min2, max: max2 } = extremes;
      if (max2 > 0) {
        maxPos = max2;
        minPos = min2 > 0 ? min2 : 0;
      }
      if (min2 < 0) {
        maxNeg = -min2;
        minNeg = max2 < 0 ? -max2 : 0;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const x = values[i];
        if (x - x !== 0 || nulls !== null && nulls[i] === 1) continue;
        const j = x | 0;
        if (j === x && j >= -W && j <= W) continue;
        if (x > 0) {
          if (x < minPos) minPos = x;
          if (x > maxPos) maxPos = x;
        } else {
          if (-x < minNeg) minNeg = -x;
          if (-x > maxNeg) maxNeg = -x;
        }
      }
    }
    if (maxPos === 0 && maxNeg === 0) return this;
    const min = extremes?.min ?? (maxNeg > 0 ? -maxNeg : minPos);
    const max = extremes?.max ?? (maxPos > 0 ? maxPos : -minNeg);
    if (min < this.minValue) this.minValue = min;
    if (max > this.maxValue) this.maxValue = max;
    const pos = this.positive;
    const neg = this.negative;
    const posHi = maxPos > 0 ? this.index(maxPos) : 0;
    const posLo = maxPos > 0 ? pos.reserve(minPos > 0 ? this.index(minPos) : posHi - this.maxBuckets + 1, posHi) : 0;
    const negHi = maxNeg > 0 ? this.index(maxNeg) : 0;
    const negLo = maxNeg > 0 ? neg.reserve(minNeg > 0 ? this.index(minNeg) : negHi - this.maxBuckets + 1, negHi) : 0;
    const posCounts = pos.counts;
    const negCounts = neg.counts;
    const posOffset = pos.offset;
    const negOffset = neg.offset;
    const multiplier = this.multiplier;
    let addedPos = 0;
    let addedNeg = 0;
    let lastX = Number.NaN;
    let lastK = 0;
    for (let i = 0; i < n; i++) {
      const x = values[i];
      if (x - x !== 0 || nulls !== null && nulls[i] === 1) continue;
      const j = x | 0;
      if (j === x && j >= -W && j <= W) continue;
      let k;
      if (x === lastX) k = lastK;
      else {
        k = Math.ceil(Math.log(x > 0 ? x : -x) * multiplier);
        lastX = x;
        lastK = k;
      }
      if (x > 0) {
        posCounts[(k < posLo ? posLo : k > posHi ? posHi : k) - posOffset]++;
        addedPos++;
      } else {
        negCounts[(k < negLo ? negLo : k > negHi ? negHi : k) - negOffset]++;
        addedNeg++;
      }
    }
    pos.total += addedPos;
    neg.total += addedNeg;
    return this;
  }
  /**
   * The value at rank ⌊q·(count − 1)⌋ of the sorted data, within the relative
   * accuracy; q = 0 and q = 1 give the exact min and max. NaN when empty.
   */
  quantile(q) {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
    const count = this.count;
    if (count === 0) return Number.NaN;
    if (q === 0) return this.minValue;
    if (q === 1) return this.maxValue;
    const rank = Math.floor(q * (count - 1));
    const atoms = this.atoms();
    let seen = 0;
    for (let i = 0; i < atoms.values.length; i++) {
      seen += atoms.weights[i];
      if (seen > rank) return Math.min(this.maxValue, Math.max(this.minValue, atoms.values[i]));
    }
    return this.maxValue;
  }
  /**
   * Share of values ≤ x at the sketch's resolution: a value counts when its
   * bucket is not above the bucket of x. Exact below the min (0) and from the
   * max on (1). NaN when empty.
   */
  cdf(x) {
    const count = this.count;
    if (count === 0 || Number.isNaN(x)) return Number.NaN;
    if (x < this.minValue) return 0;
    if (x >= this.maxValue) return 1;
    let below = 0;
    if (x < 0) {
      const kx = this.index(-x);
      const neg = this.negative;
      for (let k = neg.high; k >= Math.max(kx, neg.low); k--) below += neg.at(k);
    } else {
      below = this.negative.total + this.zeroCount;
      if (x > 0) {
        const kx = this.index(x);
        const pos = this.positive;
        for (let k = pos.low; k <= Math.min(kx, pos.high); k++) below += pos.at(k);
      }
    }
    return below / count;
  }
  /**
   * The sketch as a discrete distribution: one support point per non-empty
   * bucket (its representative value), ascending, weighted by its count.
   */
  atoms() {
    const values = [];
    const weights = [];
    const neg = this.negative;
    if (neg.total > 0) {
      for (let k = neg.high; k >= neg.low; k--) {
        const w = neg.at(k);
        if (w > 0) {
          values.push(-this.bucketValue(k));
          weights.push(w);
        }
      }
    }
    if (this.zeroCount > 0) {
      values.push(0);
      weights.push(this.zeroCount);
    }
    const pos = this.positive;
    if (pos.total > 0) {
      for (let k = pos.low; k <= pos.high; k++) {
        const w = pos.at(k);
        if (w > 0) {
          values.push(this.bucketValue(k));
          weights.push(w);
        }
      }
    }
    return { values: Float64Array.from(values), weights: Float64Array.from(weights) };
  }
  /** A copy (merging never mutates its inputs). */
  clone() {
    return _QuantileSketch.fromJSON(this.toJSON());
  }
  /** Adds the contents of `other` into this sketch. Both must have the same options. */
  mergeFrom(other) {
    if (other.relativeAccuracy !== this.relativeAccuracy || other.maxBuckets !== this.maxBuckets) {
      throw new UserError(
        `cannot merge quantile sketches with different settings (relative accuracy ${this.relativeAccuracy} vs ${other.relativeAccuracy}, ${this.maxBuckets} vs ${other.maxBuckets} buckets)`
      );
    }
    mergeStore(this.positive, other.positive);
    mergeStore(this.negative, other.negative);
    this.zeroCount += other.zeroCount;
    if (other.count > 0) {
      if (other.minValue < this.minValue) this.minValue = other.minValue;
      if (other.maxValue > this.maxValue) this.maxValue = other.maxValue;
    }
    return this;
  }
  /** Compact JSON: the settings, exact extremes, and the non-empty bucket range of each sign. */
  toJSON() {
    const empty = this.count === 0;
    return {
      relativeAccuracy: this.relativeAccuracy,
      maxBuckets: this.maxBuckets,
      count: this.count,
      zeros: this.zeroCount,
      min: empty ? null : this.minValue,
      max: empty ? null : this.maxValue,
      positive: this.positive.toJSON(),
      negative: this.negative.toJSON()
    };
  }
  /** Rebuilds a sketch from `toJSON()` output; malformed input is a UserError. */
  static fromJSON(json) {
    const bad = (what) => {
      throw new UserError(`invalid quantile sketch: ${what}`);
    };
    if (typeof json !== "object" || json === null) bad("not an object");
    const sketch = new _QuantileSketch({ relativeAccuracy: json.relativeAccuracy, maxBuckets: json.maxBuckets });
    for (const [side, store] of [
      ["positive", sketch.positive],
      ["negative", sketch.negative]
    ]) {
      const part = json[side];
      if (typeof part !== "object" || part === null || !Number.isInteger(part.offset) || !Array.isArray(part.counts)) bad(`${side} buckets`);
      if (part.counts.length > json.maxBuckets) bad(`${side} has ${part.counts.length} buckets, more than ${json.maxBuckets}`);
      for (let i = part.counts.length - 1; i >= 0; i--) {
        const c = part.counts[i];
        if (typeof c !== "number" || !(c >= 0)) bad(`${side} count ${String(c)}`);
        if (c > 0) store.add(part.offset + i, c);
      }
    }
    if (!(json.zeros >= 0)) bad(`zeros ${String(json.zeros)}`);
    sketch.zeroCount = json.zeros;
    if (sketch.count !== json.count) bad(`count ${json.count} does not match its buckets (${sketch.count})`);
    if (sketch.count > 0) {
      if (typeof json.min !== "number" || typeof json.max !== "number" || !(json.min <= json.max)) bad("min/max");
      sketch.minValue = json.min;
      sketch.maxValue = json.max;
    }
    return sketch;
  }
};
var WHOLE_NUMBER_LIMIT = 4095;
var SMALL_INDEX_SIZE = WHOLE_NUMBER_LIMIT + 1;
function createWholeNumberTally() {
  return new Float64Array(2 * WHOLE_NUMBER_LIMIT + 1);
}
var smallIndexTables = /* @__PURE__ */ new Map();
function smallIndexTable(multiplier) {
  let table = smallIndexTables.get(multiplier);
  if (table === void 0) {
    table = new Int32Array(SMALL_INDEX_SIZE);
    for (let j = 1; j < SMALL_INDEX_SIZE; j++) table[j] = Math.ceil(Math.log(j) * multiplier);
    smallIndexTables.set(multiplier, table);
  }
  return table;
}
function mergeStore(into, from) {
  if (from.total === 0) return;
  for (let k = from.high; k >= from.low; k--) {
    const w = from.at(k);
    if (w > 0) into.add(k, w);
  }
}

// src/validate/statistics.ts
var SAMPLE_LIMIT = 1e3;
var FREQUENCY_LIMIT = 1e4;
var VALUE_COUNTS_LIMIT = 20;
var NumericAccumulator = class {
  constructor(type) {
    this.type = type;
  }
  type;
  count = 0;
  nulls = 0;
  /** Finite values. */
  n = 0;
  min = Infinity;
  max = -Infinity;
  mean = 0;
  m2 = 0;
  nonFinite = 0;
  negatives = 0;
  zeros = 0;
  nonIntegers = 0;
  midnights = 0;
  sketch = new QuantileSketch();
  sample = [];
  /** Distinct finite values and their counts, parallel arrays; null once there are too many. */
  smallValues = [];
  smallCounts = [];
  /** Per-chunk scratch: counts of whole numbers j with |j| ≤ WHOLE_NUMBER_LIMIT at j + WHOLE_NUMBER_LIMIT. */
  tally = createWholeNumberTally();
  add(column) {
    if (column.type !== "number" && column.type !== "timestamp") return;
    const values = column.values;
    const mask = column.nulls;
    const length = values.length;
    let shift = 0;
    for (let i = 0; i < length; i++) {
      if (isFiniteValue(values, mask, i)) {
        shift = values[i];
        break;
      }
    }
    const W = WHOLE_NUMBER_LIMIT;
    const tally = this.tally;
    let n = 0;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    let negatives = 0;
    let zeros = 0;
    let nonFinite = 0;
    let nulls = 0;
    let others = 0;
    let nonIntegers = 0;
    if (mask === null) {
      for (let i = 0; i < length; i++) {
        const x = values[i];
        if (x - x !== 0) {
          nonFinite++;
          continue;
        }
        sum += x - shift;
        if (x < min) min = x;
        if (x > max) max = x;
        negatives += x < 0 ? 1 : 0;
        zeros += x === 0 ? 1 : 0;
        n++;
        const j = x | 0;
        if (j === x && j >= -W && j <= W) tally[j + W]++;
        else {
          others++;
          if (Math.trunc(x) !== x) nonIntegers++;
        }
      }
    } else {
      for (let i = 0; i < length; i++) {
        if (mask[i] === 1) {
          nulls++;
          continue;
        }
        const x = values[i];
        if (x - x !== 0) {
          nonFinite++;
          continue;
        }
        sum += x - shift;
        if (x < min) min = x;
        if (x > max) max = x;
        negatives += x < 0 ? 1 : 0;
        zeros += x === 0 ? 1 : 0;
        n++;
        const j = x | 0;
        if (j === x && j >= -W && j <= W) tally[j + W]++;
        else {
          others++;
          if (Math.trunc(x) !== x) nonIntegers++;
        }
      }
    }
    this.count += length;
    this.nulls += nulls;
    this.nonFinite += nonFinite;
    this.negatives += negatives;
    this.zeros += zeros;
    this.nonIntegers += nonIntegers;
    if (n === 0) return;
    if (this.type === "timestamp") {
      let midnights = 0;
      for (let i = 0; i < length; i++) if (isFiniteValue(values, mask, i) && values[i] % MS_PER_DAY === 0) midnights++;
      this.midnights += midnights;
    }
    const chunkMean = shift + sum / n;
    let squares = 0;
    let residual = 0;
    for (let i = 0; i < length; i++) {
      const x = values[i];
      if (x - x !== 0 || mask !== null && mask[i] === 1) continue;
      const d = x - chunkMean;
      squares += d * d;
      residual += d;
    }
    const chunkM2 = squares - residual * residual / n;
    const total = this.n + n;
    const delta = chunkMean - this.mean;
    this.mean = this.n === 0 ? chunkMean : this.mean + delta * n / total;
    this.m2 += chunkM2 + delta * delta * this.n * n / total;
    this.n = total;
    if (min < this.min) this.min = min;
    if (max > this.max) this.max = max;
    const lo = Math.max(Math.ceil(min), -W);
    const hi = Math.min(Math.floor(max), W);
    if (this.smallValues !== null) this.countTally(lo, hi);
    this.sketch.addWholeNumberTally(tally, lo, hi);
    if (others > 0) {
      this.sketch.addOtherValues(values, mask, { min, max });
      if (this.smallValues !== null) this.countOthers(values, mask);
    }
    if (this.sample !== null) {
      if (this.n > SAMPLE_LIMIT) this.sample = null;
      else for (let i = 0; i < length; i++) if (isFiniteValue(values, mask, i)) this.sample.push(values[i]);
    }
  }
  /** Adds `count` of value `x` to the exact value counts; gives them up (null) at the first value too many. */
  countValue(x, count) {
    const seen = this.smallValues;
    let k = seen.indexOf(x);
    if (k < 0) {
      if (seen.length === VALUE_COUNTS_LIMIT) {
        this.smallValues = null;
        this.smallCounts = [];
        return false;
      }
      k = seen.push(x) - 1;
      this.smallCounts.push(0);
    }
    this.smallCounts[k] += count;
    return true;
  }
  /** Value counts of the tallied whole numbers in lo..hi. */
  countTally(lo, hi) {
    const W = WHOLE_NUMBER_LIMIT;
    for (let j = lo; j <= hi; j++) {
      const c = this.tally[j + W];
      if (c > 0 && !this.countValue(j, c)) return;
    }
  }
  /** Value counts of the values that were not tallied (one at a time: few columns get here and stay). */
  countOthers(values, mask) {
    const W = WHOLE_NUMBER_LIMIT;
    for (let i = 0; i < values.length; i++) {
      if (!isFiniteValue(values, mask, i)) continue;
      const x = values[i];
      const j = x | 0;
      if (j === x && j >= -W && j <= W) continue;
      if (!this.countValue(x, 1)) return;
    }
  }
  result(name) {
    const empty = this.n === 0;
    let valueCounts = null;
    if (this.smallValues !== null) {
      valueCounts = this.smallValues.map((v, i) => [v, this.smallCounts[i]]);
      valueCounts.sort((a, b) => a[0] - b[0]);
    }
    const numeric = {
      min: empty ? Number.NaN : this.min,
      max: empty ? Number.NaN : this.max,
      mean: empty ? Number.NaN : this.mean,
      std: standardDeviation(this.n, this.m2),
      m2: empty ? Number.NaN : this.m2,
      nonFinite: this.nonFinite,
      negatives: this.negatives,
      zeros: this.zeros,
      nonIntegers: this.nonIntegers,
      ...this.type === "timestamp" ? { midnights: this.midnights } : {},
      sketch: this.sketch.toJSON(),
      sample: this.sample === null ? null : Array.from(Float64Array.from(this.sample).sort()),
      valueCounts
    };
    return { name, type: this.type, count: this.count, nulls: this.nulls, numeric };
  }
};
function isFiniteValue(values, mask, i) {
  const x = values[i];
  return x - x === 0 && (mask === null || mask[i] !== 1);
}
function standardDeviation(n, m2) {
  if (n === 0) return Number.NaN;
  return n === 1 ? 0 : Math.sqrt(Math.max(0, m2) / (n - 1));
}
var CategoricalAccumulator = class {
  constructor(type) {
    this.type = type;
  }
  type;
  count = 0;
  nulls = 0;
  frequencies = /* @__PURE__ */ new Map();
  otherCount = 0;
  /** Largest number of distinct values known at once (a lower bound once pruned). */
  distinctSeen = 0;
  pruned = false;
  add(column) {
    const mask = column.nulls;
    if (column.type === "string") {
      const codes = column.codes;
      const perCode = new Float64Array(column.dictionary.length);
      let nulls = 0;
      for (let i = 0; i < codes.length; i++) {
        const code = codes[i];
        if (code < 0 || mask !== null && mask[i] === 1) nulls++;
        else perCode[code]++;
      }
      this.count += codes.length;
      this.nulls += nulls;
      for (let code = 0; code < perCode.length; code++) {
        const c = perCode[code];
        if (c > 0) this.bump(column.dictionary[code], c);
      }
    } else if (column.type === "boolean") {
      const values = column.values;
      let trues = 0;
      let nulls = 0;
      for (let i = 0; i < values.length; i++) {
        if (mask !== null && mask[i] === 1) nulls++;
        else trues += values[i];
      }
      const falses = values.length - nulls - trues;
      this.count += values.length;
      this.nulls += nulls;
      if (trues > 0) this.bump("true", trues);
      if (falses > 0) this.bump("false", falses);
    }
    if (this.frequencies.size > 2 * FREQUENCY_LIMIT) this.prune();
  }
  bump(value, count) {
    this.frequencies.set(value, (this.frequencies.get(value) ?? 0) + count);
  }
  prune() {
    this.distinctSeen = Math.max(this.distinctSeen, this.frequencies.size);
    const kept = topFrequencies(this.frequencies, FREQUENCY_LIMIT);
    for (const [value, count] of this.frequencies) if (!kept.has(value)) this.otherCount += count;
    this.frequencies.clear();
    for (const [value, count] of kept) this.frequencies.set(value, count);
    this.pruned = true;
  }
  result(name) {
    const size = this.frequencies.size;
    const lowerBound = this.pruned || size > FREQUENCY_LIMIT;
    const kept = size > FREQUENCY_LIMIT ? topFrequencies(this.frequencies, FREQUENCY_LIMIT) : this.frequencies;
    let other = this.otherCount;
    if (kept !== this.frequencies) {
      for (const [value, count] of this.frequencies) if (!kept.has(value)) other += count;
    }
    const categorical = {
      distinct: lowerBound ? Math.max(this.distinctSeen, size) : size,
      distinctIsLowerBound: lowerBound,
      frequencies: frequencyRecord(kept),
      otherCount: other
    };
    return { name, type: this.type, count: this.count, nulls: this.nulls, categorical };
  }
};
function topFrequencies(frequencies, limit) {
  const entries = [...frequencies].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return new Map(entries.slice(0, limit));
}
function frequencyRecord(frequencies) {
  const entries = [...frequencies].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return Object.fromEntries(entries);
}
function createColumnAccumulator(type) {
  return type === "number" || type === "timestamp" ? new NumericAccumulator(type) : new CategoricalAccumulator(type);
}
function createStatistics() {
  const columns = /* @__PURE__ */ new Map();
  let rows = 0;
  return {
    get rows() {
      return rows;
    },
    add(table) {
      for (const column of table.columns) {
        let acc = columns.get(column.name);
        if (acc === void 0) {
          acc = createColumnAccumulator(column.type);
          columns.set(column.name, acc);
        } else if (acc.type !== column.type) {
          throw new UserError(`column "${column.name}" is ${acc.type} in earlier rows but ${column.type} in later ones`);
        }
        acc.add(column);
      }
      rows += table.rowCount;
    },
    result() {
      return { format: "ct-statistics", version: 2, rows, columns: [...columns].map(([name, acc]) => acc.result(name)) };
    }
  };
}
function computeStatistics(table) {
  const acc = createStatistics();
  acc.add(table);
  return acc.result();
}
function num2(x) {
  return typeof x === "number" ? x : Number.NaN;
}
function parseStatistics(raw, source) {
  const value = raw;
  if (typeof value !== "object" || value === null) throw new UserError(`${source}: not a statistics object`);
  if (value.format !== "ct-statistics" || value.version !== 2) {
    throw new UserError(`${source}: statistics of an unsupported format (expected format "ct-statistics", version 2; recompute them with this version of ct)`);
  }
  if (typeof value.rows !== "number" || !Array.isArray(value.columns)) throw new UserError(`${source}: statistics need "rows" and "columns"`);
  const columns = value.columns.map((c, i) => {
    if (typeof c !== "object" || c === null || typeof c.name !== "string" || typeof c.count !== "number" || typeof c.nulls !== "number") {
      throw new UserError(`${source}: column ${i + 1} of the statistics is malformed`);
    }
    if (c.numeric === void 0) return c;
    const m = c.numeric;
    if (m.nonIntegers !== void 0 && !(typeof m.nonIntegers === "number" && Number.isInteger(m.nonIntegers) && m.nonIntegers >= 0)) {
      throw new UserError(`${source}: column "${c.name}": "nonIntegers" must be a count (a whole number >= 0)`);
    }
    if (m.midnights !== void 0 && !(typeof m.midnights === "number" && Number.isInteger(m.midnights) && m.midnights >= 0)) {
      throw new UserError(`${source}: column "${c.name}": "midnights" must be a count (a whole number >= 0)`);
    }
    try {
      QuantileSketch.fromJSON(m.sketch);
    } catch (error) {
      throw new UserError(`${source}: column "${c.name}": ${error.message}`, { cause: error });
    }
    return { ...c, numeric: { ...m, min: num2(m.min), max: num2(m.max), mean: num2(m.mean), std: num2(m.std), m2: num2(m.m2) } };
  });
  return { format: "ct-statistics", version: 2, rows: value.rows, columns };
}
function nullFraction(column) {
  return column.count === 0 ? 0 : column.nulls / column.count;
}
function valueCount(column) {
  if (column.numeric !== void 0) return column.numeric.sketch.count;
  return column.count - column.nulls;
}
function quantile(column, q) {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
  const m = column.numeric;
  if (m === void 0 || m.sketch.count === 0) return null;
  if (m.sample !== null && m.sample.length > 0) return m.sample[Math.floor(q * (m.sample.length - 1))];
  return QuantileSketch.fromJSON(m.sketch).quantile(q);
}

// src/data/stream.ts
var DEFAULT_CHUNK_ROWS = 65536;
async function* readChunks(path, options = {}) {
  assertDataFile(path);
  const format = options.format ?? formatOf(path);
  if (isRemote(path) && format !== "parquet") {
    const local = await localCopy(path);
    const localShown = displayPath(local);
    try {
      for await (const table of readChunks(local, { ...options, ...format === void 0 ? {} : { format } })) yield asRemote(table, localShown, path);
    } catch (error) {
      throw remoteError(error, localShown, path);
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
      yield* readParquetChunks(path, common);
      return;
    case "csv":
      yield* readCsvChunks(path, common);
      return;
    case "jsonl":
      yield* readJsonLinesChunks(path, common);
      return;
    default:
      throw new UserError(
        `cannot tell the format of ${displayPath(path)}: use a ${DATA_EXTENSIONS.join(", ")} file or set the data format`
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
      const std = Math.sqrt(Math.max(0, num3(m.m2)) / refRows);
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
function num3(x) {
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
  const lo = Math.min(num3(ref.numeric.min), num3(cur.numeric.min));
  const hi = Math.max(num3(ref.numeric.max), num3(cur.numeric.max));
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
  return num3(m.min) >= 0 && num3(m.max) <= 1 ? num3(m.mean) : null;
}

// src/validate/batch.ts
async function validateChunks(chunks, input) {
  const checker = createAnomalyChecker(input.schema, input.checker);
  const current = createStatistics();
  const windowReference = input.reference === "window" ? createStatistics() : null;
  const all = input.collectAll === true ? createStatistics() : null;
  for await (const chunk of chunks) {
    checker.add(chunk.table);
    for (const check of input.checks ?? []) check.add(chunk.table);
    all?.add(chunk.table);
    if (chunk.drift === "current") current.add(input.derive ? await input.derive(chunk.table) : chunk.table);
    else if (chunk.drift === "reference" && windowReference !== null) windowReference.add(input.derive ? await input.derive(chunk.table) : chunk.table);
  }
  const currentStats = current.result();
  const reference = input.reference === "window" ? windowReference.result() : input.reference;
  const drift = reference === null || reference.rows === 0 || currentStats.rows === 0 ? null : detectDrift(reference, currentStats, input.drift ?? {});
  const anomalies = [...checker.result(), ...(input.checks ?? []).flatMap((c) => c.result())].sort(
    (a, b) => a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1
  );
  return { rows: checker.rows, anomalies, current: currentStats, drift, all: all?.result() ?? null };
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
    const suffix = `; the model reads it (missing in ${[...files].join(", ")})`;
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
        message: `column "${column}" is missing${suffix}`
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
  return { rows: batch.rows, anomalies: modelColumnAnomalies([...batch.anomalies, ...domain.result()], missingNeeded, batch.rows), imputed: domain.imputed() };
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

export {
  createInputDomainChecker,
  imputedSummary,
  QuantileSketch,
  createStatistics,
  computeStatistics,
  parseStatistics,
  nullFraction,
  valueCount,
  quantile,
  readChunksOf,
  validateChunks,
  labelOptional,
  readPredictionSchema,
  checkBatch,
  imputedLines
};
