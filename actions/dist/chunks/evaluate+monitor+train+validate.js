import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);
import {
  createInputDomainChecker,
  foldNewValueWarnings,
  labelOptional,
  readChunksOf,
  unreadFilesAnomaly,
  validateChunks
} from "./evaluate+monitor+predict+train+validate.js";
import {
  validationMarkdown
} from "./evaluate+monitor+predict+promote+train+validate.js";
import {
  loadLayersModel,
  predictLabelledRows
} from "./evaluate+monitor+predict+train+validate+verify.js";
import {
  countAtMost,
  countBelow,
  encodeTable,
  labelColumnValues,
  predictRows,
  selectBackend,
  timePart,
  utcHourOfDay
} from "./evaluate+infra-child+monitor+predict+train+validate+verify.js";
import {
  regularizedGammaP
} from "./bootstrap-worker+evaluate+monitor+predict+train+validate+verify.js";
import {
  anomalyText,
  createAnomalyChecker,
  createInputRepeats,
  dataSource,
  fingerprintFiles,
  hashText,
  mixHash,
  planBatch,
  planDataset,
  readOnce,
  readProduction,
  registryPath,
  rowHashes,
  schemaPath,
  verifiedProductionDir
} from "./evaluate+monitor+predict+promote+release+train+validate+verify.js";
import {
  artifactPaths
} from "./evaluate+infra-child+monitor+predict+promote+release+train+validate+verify.js";
import {
  QuantileSketch,
  alternatives,
  asSchemaTypes,
  createSchemaInference,
  createStatistics,
  dateOfDay,
  dayNumber,
  labelTypeMismatch,
  listPartitions,
  median,
  missingDays,
  nullFraction,
  parseSchema,
  parseStatistics,
  percent,
  quantile,
  severityOf,
  trimmedMoments,
  valueCount,
  widenSchema
} from "./evaluate+models+monitor+predict+promote+release+train+validate+verify.js";
import {
  MS_PER_DAY,
  MS_PER_HOUR,
  UserError,
  booleansAsText,
  clockChanges,
  codesAsText,
  columnLength,
  displayPath,
  findColumn,
  isNull,
  isUserError,
  isoWeekday,
  locateRow,
  numberColumnOf,
  readJson,
  stringColumnOf,
  takeRows,
  timeOfDay,
  valueAt,
  wallClock,
  writeFileAtomic,
  writeJson
} from "./evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";
import {
  headlineMetric,
  metricDirection,
  scoreRows,
  weightedMetrics
} from "./bootstrap-worker+evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";

// src/pipeline/validate.ts
import { existsSync as existsSync3, readFileSync as readFileSync2, writeFileSync } from "node:fs";
import path4 from "node:path";

// src/features/derived.ts
var LABEL_COLUMN = "ct:label";
var PREDICTION_COLUMN = "ct:prediction";
var DERIVED_PREFIX = "input:";
function derivedInputColumns(table, features, timeZone) {
  const out = [];
  const keys = /* @__PURE__ */ new Map();
  const n = table.rowCount;
  for (const f of features) {
    if (f.transform === "cross") {
      const sources = (f.cross ?? []).map((name) => keys.get(name));
      if (sources.some((s) => s === void 0)) continue;
      const crossed = crossKeys(sources, f.hashBuckets ?? 1, n);
      keys.set(f.name, crossed);
      out.push(stringColumn(f.name, crossed));
      continue;
    }
    const column = findColumn(table, f.column);
    if (column === void 0) continue;
    const isNullAt = (i) => column.nulls !== null && column.nulls[i] === 1;
    if ((f.transform === "hourOfDay" || f.transform === "dayOfWeek") && column.type === "timestamp") {
      const part = timePart(f.transform, timeZone);
      const k = keysOf(n, (i) => isNullAt(i) || !Number.isFinite(column.values[i]) ? null : String(part(column.values[i])));
      keys.set(f.name, k);
      out.push(stringColumn(f.name, k));
    } else if (f.transform === "bucketize" && column.type === "number") {
      const edges = f.boundaries ?? [];
      const k = keysOf(n, (i) => isNullAt(i) || Number.isNaN(column.values[i]) ? null : String(edges.filter((e) => e <= column.values[i]).length));
      keys.set(f.name, k);
      out.push(stringColumn(f.name, k));
    } else if (f.transform === "log1p" && column.type === "number") {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = isNullAt(i) ? Number.NaN : Math.log1p(column.values[i]);
      out.push({ type: "number", name: `${DERIVED_PREFIX}${f.name}`, values, nulls: column.nulls });
    } else {
      keys.set(f.name, rawKeys(column));
    }
  }
  return out;
}
function stringColumn(name, k) {
  return { ...k, name: `${DERIVED_PREFIX}${name}` };
}
function keysOf(n, keyAt) {
  return stringColumnOf("", n, keyAt);
}
function rawKeys(column) {
  if (column.type === "string") return column;
  const isNullAt = (i) => column.nulls !== null && column.nulls[i] === 1;
  return keysOf(column.values.length, (i) => isNullAt(i) ? null : String(column.values[i]));
}
function crossKeys(sources, buckets, n) {
  const hashes = sources.map((s) => Uint32Array.from(s.dictionary, (v) => hashText(v)));
  return keysOf(n, (i) => {
    let h = 2654435769;
    let any = false;
    for (let s = 0; s < sources.length; s++) {
      const code = sources[s].codes[i];
      any ||= code >= 0;
      h = Math.imul(h ^ (code < 0 ? 0 : hashes[s][code]), 2246822507);
      h ^= h >>> 13;
    }
    return any ? String((h >>> 0) % buckets) : null;
  });
}

// src/report/diff.ts
function lineDiff(before, after, context = 3) {
  const a = before.split("\n");
  const b = after.split("\n");
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i2 = a.length - 1; i2 >= 0; i2--) {
    for (let j2 = b.length - 1; j2 >= 0; j2--) {
      lcs[i2][j2] = a[i2] === b[j2] ? lcs[i2 + 1][j2 + 1] + 1 : Math.max(lcs[i2 + 1][j2], lcs[i2][j2 + 1]);
    }
  }
  const ops = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ mark: " ", line: a[i] });
      i++;
      j++;
    } else if (i < a.length && (j >= b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
      ops.push({ mark: "-", line: a[i++] });
    } else {
      ops.push({ mark: "+", line: b[j++] });
    }
  }
  const keep = ops.map(() => false);
  ops.forEach((op, k) => {
    if (op.mark === " ") return;
    for (let d = Math.max(0, k - context); d <= Math.min(ops.length - 1, k + context); d++) keep[d] = true;
  });
  const out = [];
  let skipped = false;
  ops.forEach((op, k) => {
    if (!keep[k]) {
      skipped = true;
      return;
    }
    if (skipped && out.length > 0) out.push("@@");
    skipped = false;
    out.push(`${op.mark}${op.line}`);
  });
  return out.join("\n");
}

// src/validate/drift-columns.ts
async function deriveColumns(table, config, production) {
  const extra = [];
  if (config.task !== "multiclass" && table.columns.some((c) => c.name === config.label.column)) {
    const labels = labelColumnValues(table, { ...config.label, task: config.task });
    extra.push(numberColumnOf(LABEL_COLUMN, labels));
  }
  if (production !== null && production.preprocessing.task !== "multiclass") {
    try {
      const encoded = encodeTable(table, production.preprocessing, { withLabels: false });
      extra.push(numberColumnOf(PREDICTION_COLUMN, predictRows(await production.model(), encoded)));
    } catch (error) {
      if (!isUserError(error)) throw error;
    }
  }
  return extra.length === 0 ? table : { ...table, columns: [...table.columns, ...extra] };
}

// src/validate/accepted.ts
import { existsSync } from "node:fs";
import path from "node:path";
function acceptedPath(schemaFile) {
  return path.join(path.dirname(schemaFile), "accepted.json");
}
function readAccepted(schemaFile) {
  const file = acceptedPath(schemaFile);
  if (!existsSync(file)) return [];
  const raw = readJson(file, "accepted partitions");
  if (raw.format !== "ct-accepted" || !Array.isArray(raw.partitions))
    throw new UserError(`${displayPath(file)}: not an accepted-partitions file ("format": "ct-accepted", "partitions": [...])`);
  raw.partitions.forEach((p, i) => {
    if (typeof p?.date !== "string" || typeof p.fingerprint !== "string" || !Array.isArray(p.metrics))
      throw new UserError(`${displayPath(file)}: partitions[${i}] needs "date", "fingerprint" and "metrics"`);
    if (p.oneOff !== void 0 && p.oneOff !== true) throw new UserError(`${displayPath(file)}: partitions[${i}].oneOff: expected true or no such field`);
  });
  return raw.partitions;
}
var NO_PARTITION = "none";

// src/validate/screening.ts
import { createHash as createHash2 } from "node:crypto";
import path3 from "node:path";

// src/validate/metric-names.ts
function escapeName(name) {
  return name.replace(/[\\+|<]/g, (c) => `\\${c}`);
}
function joinColumns(separator, ...parts) {
  return parts.map((p) => typeof p === "string" ? escapeName(p) : p.map(escapeName).join("+")).join(separator);
}
function columnNames(text) {
  const names = [];
  let name = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\" && i + 1 < text.length) name += text[++i];
    else if (c === "+" || c === "|" || text.startsWith("<-", i)) {
      names.push(name);
      name = "";
      if (c === "<") i++;
    } else name += c;
  }
  names.push(name);
  return names;
}
function columnOf(metric) {
  return metric.slice(0, metric.lastIndexOf("."));
}
function statisticOf(metric) {
  return metric.slice(metric.lastIndexOf(".") + 1);
}

// src/validate/dependencies.ts
var KEY_COLUMNS = 6;
var MAX_PAIRS = 6e4;
var KEPT_CONSISTENCY = 0.5;
var VALUES_PER_KEY = 3;
var MIN_REPEATED = 0.5;
var SPARSE_SECOND_ROWS = 10;
var SPARSE_MIN_REPEATED = 0.05;
var SPARSE_CONSISTENCY = 0.9;
var KEY_SEPARATOR = "";
var MIN_EARLIER_DAYS = 7;
function dependencyName(target, keys) {
  return joinColumns("<-", target, keys);
}
function keyTexts(keyColumns, rows) {
  const keyText = new Array(rows);
  for (let i = 0; i < rows; i++) {
    let text = "";
    for (let k = 0; k < keyColumns.length; k++) {
      const c = keyColumns[k];
      if (c.type !== "string") break;
      const code = c.codes[i];
      if (code < 0) {
        text = "";
        break;
      }
      text += (k === 0 ? "" : KEY_SEPARATOR) + c.dictionary[code];
    }
    keyText[i] = text === "" ? null : text;
  }
  return keyText;
}
function targetValues(target) {
  if (target.type === "string") {
    const hashes = target.dictionary.map((v) => hashText(v));
    return Float64Array.from(target.codes, (code) => code < 0 ? NaN : hashes[code]);
  }
  return target.values;
}
function createDependencies(codes = /* @__PURE__ */ new Set()) {
  const counts = /* @__PURE__ */ new Map();
  return {
    add(table) {
      const ids = new Set(table.columns.filter((c) => c.type === "number" && codes.has(c.name)).map((c) => c.name));
      const columns = table.columns.map((c) => c.type === "number" && ids.has(c.name) ? codesAsText(c) : c);
      const flags = columns.flatMap((c) => c.type === "boolean" ? [booleansAsText(c)] : []);
      const categorical = [...columns.filter((c) => c.type === "string"), ...flags].slice(0, KEY_COLUMNS);
      const targets = [...columns.filter((c) => c.type === "number"), ...categorical].map((column) => ({ column, values: targetValues(column) }));
      const keySets = categorical.map((c) => [c]);
      const pairable = categorical.filter((c) => !ids.has(c.name));
      for (let a = 0; a < pairable.length; a++) for (let b = a + 1; b < pairable.length; b++) keySets.push([pairable[a], pairable[b]]);
      for (const keyColumns of keySets) {
        const keyText = keyTexts(keyColumns, table.rowCount);
        for (const target of targets) {
          if (keyColumns.some((c) => c === target.column)) continue;
          const name = dependencyName(
            target.column.name,
            keyColumns.map((c) => c.name)
          );
          let entry = counts.get(name);
          if (entry === void 0) counts.set(name, entry = { keys: /* @__PURE__ */ new Map(), pairs: 0, overflow: false });
          if (entry.overflow) continue;
          for (let i = 0; i < table.rowCount; i++) {
            const key = keyText[i];
            const v = target.values[i];
            if (key === null || key === void 0 || !Number.isFinite(v)) continue;
            let values = entry.keys.get(key);
            if (values === void 0) entry.keys.set(key, values = /* @__PURE__ */ new Map());
            const seen = values.get(v);
            if (seen === void 0) {
              values.set(v, 1);
              if (++entry.pairs > MAX_PAIRS) {
                entry.overflow = true;
                entry.keys.clear();
                break;
              }
            } else values.set(v, seen + 1);
          }
        }
      }
    },
    result() {
      const out = {};
      for (const [name, { keys, overflow }] of counts) {
        if (overflow || keys.size === 0) continue;
        let rows = 0;
        let modal = 0;
        let repeated = 0;
        let repeatedModal = 0;
        let repeatedKeys = 0;
        const totals = /* @__PURE__ */ new Map();
        for (const [key, values] of keys) {
          let total = 0;
          let top = 0;
          for (const c of values.values()) {
            total += c;
            top = Math.max(top, c);
          }
          totals.set(key, total);
          rows += total;
          modal += top;
          if (total > 1) {
            repeated += total;
            repeatedModal += top;
            repeatedKeys++;
          }
        }
        if (rows < 100) continue;
        const sparse = repeated < MIN_REPEATED * rows;
        const seconds = repeated - repeatedKeys;
        const unjudged = sparse && seconds < SPARSE_SECOND_ROWS;
        if (unjudged && repeated < SPARSE_MIN_REPEATED * rows) continue;
        const consistency = !sparse ? modal / rows : seconds === 0 ? 1 : (repeatedModal - repeatedKeys) / seconds;
        const profile = unjudged ? { consistency, unjudged } : { consistency };
        if (unjudged || consistency >= (sparse ? SPARSE_CONSISTENCY : KEPT_CONSISTENCY)) {
          profile.keys = {};
          for (const [key, values] of keys) {
            const ranked = [...values].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, VALUES_PER_KEY);
            profile.keys[key] = [totals.get(key), ...ranked.flat()];
          }
        }
        out[name] = profile;
      }
      return out;
    }
  };
}
var CHANGED_KEYS = 3;
var MANY_KEYS = 50;
var HELD_ON = 0.8;
function dependencyMetrics(own, pool, at) {
  const out = {};
  const leaveOut = at !== null;
  for (const [name, sums] of [...pool].sort((a, b) => a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)) {
    const dependency = own?.[name];
    const judged = leaveOut && dependency?.unjudged !== true;
    const days = sums.days - (judged ? 1 : 0);
    const held = sums.held - (judged && dependency?.keys !== void 0 ? 1 : 0);
    if (days < 1 || held < HELD_ON * days) continue;
    if (dependency === void 0) continue;
    if (dependency.keys === void 0) {
      out[`${name}.mismatchShare`] = 1 - dependency.consistency;
      continue;
    }
    let rows = 0;
    const mismatches = [];
    let unseen = 0;
    for (const [key, entry] of Object.entries(dependency.keys)) {
      const pooled = sums.values.get(key);
      if (pooled === void 0 || at !== null && at >= MIN_EARLIER_DAYS && sums.first.get(key) === at) {
        unseen += entry[0];
        continue;
      }
      const ownCount = (value) => {
        for (let j = 1; j + 1 < entry.length; j += 2) if (entry[j] === value) return entry[j + 1];
        return 0;
      };
      let reference = null;
      let best = 0;
      for (const [value, count] of pooled) {
        const c = count - (leaveOut ? ownCount(value) : 0);
        if (c > best || c === best && reference !== null && value < reference) {
          best = c;
          reference = value;
        }
      }
      if (reference === null || best <= 0) {
        unseen += entry[0];
        continue;
      }
      rows += entry[0];
      mismatches.push(entry[0] - ownCount(reference));
    }
    mismatches.sort((a, b) => b - a);
    const mismatched = mismatches.slice(mismatches.length >= MANY_KEYS ? CHANGED_KEYS : 0).reduce((a, b) => a + b, 0);
    if (rows >= 100) out[`${name}.mismatchShare`] = mismatched / rows;
    const keys = columnNames(name).slice(1);
    const pair = joinColumns("+", ...keys);
    if (keys.length === 2 && rows + unseen >= 100 && !(`${pair}.unseenPairShare` in out)) out[`${pair}.unseenPairShare`] = unseen / (rows + unseen);
  }
  return out;
}
function dependencyPool(profiles) {
  const pool = /* @__PURE__ */ new Map();
  for (const [at, p] of profiles.entries()) {
    for (const [name, dependency] of Object.entries(p.dependencies ?? {})) {
      let sums = pool.get(name);
      if (sums === void 0) pool.set(name, sums = { days: 0, held: 0, unjudged: 0, values: /* @__PURE__ */ new Map(), first: /* @__PURE__ */ new Map() });
      if (dependency.unjudged === true) sums.unjudged++;
      if (dependency.keys === void 0) continue;
      if (dependency.unjudged !== true) sums.held++;
      for (const [key, entry] of Object.entries(dependency.keys)) {
        let values = sums.values.get(key);
        if (values === void 0) sums.values.set(key, values = /* @__PURE__ */ new Map());
        if (!sums.first.has(key)) sums.first.set(key, at);
        for (let j = 1; j + 1 < entry.length; j += 2) values.set(entry[j], (values.get(entry[j]) ?? 0) + entry[j + 1]);
      }
    }
  }
  for (const sums of pool.values()) sums.days = profiles.length - sums.unjudged;
  return pool;
}

// src/validate/numeric-shape.ts
var MAX_VALUES = 5e4;
var MIN_DISTINCT = 20;
var SPIKE_FACTOR = 2;
var MIN_PLACE = -6;
var MAX_PLACE = 6;
var RESOLUTION_SHARE = 0.99;
var DIGITS = 10;
var FINER = 0;
var SLOTS = (MAX_PLACE - MIN_PLACE + 2) * DIGITS;
var WIDE = SLOTS;
function placeOf(v) {
  const a = Math.abs(v);
  if (Number.isInteger(a)) {
    let place = 0;
    let units = a;
    for (; place < MAX_PLACE && units % 10 === 0; units /= 10) place++;
    return { place, units };
  }
  for (let place = -1; place >= MIN_PLACE; place--) {
    const units = a * 10 ** -place;
    if (Math.abs(units - Math.round(units)) <= 1e-9 * units) return { place, units: Math.round(units) };
  }
  return { place: MIN_PLACE - 1, units: 0 };
}
function placeIndex(place) {
  return place < MIN_PLACE ? FINER : place - MIN_PLACE + 1;
}
function slotOf(v) {
  const { place, units } = placeOf(v);
  if (place < MIN_PLACE) return FINER;
  return (units >= 10 ? WIDE : 0) + placeIndex(place) * DIGITS + units % 10;
}
function createCounts() {
  const grains = /* @__PURE__ */ new Map();
  return {
    grains,
    add(table, columns) {
      for (const column of table.columns) {
        if (column.type !== "number" || !columns.has(column.name)) continue;
        let entry = grains.get(column.name);
        if (entry === void 0) grains.set(column.name, entry = { counts: /* @__PURE__ */ new Map(), rows: 0, slots: new Float64Array(2 * SLOTS) });
        const { counts, slots } = entry;
        for (const v of column.values) {
          if (!Number.isFinite(v)) continue;
          entry.rows++;
          if (v !== 0) slots[slotOf(v)]++;
          counts.set(v, (counts.get(v) ?? 0) + 1);
          if (counts.size > MAX_VALUES) {
            for (const [value, count] of counts) if (count === 1) counts.delete(value);
          }
        }
      }
    }
  };
}
function createNumericShape(columns, label = null) {
  const counts = createCounts();
  const { grains } = counts;
  return {
    add: (table) => counts.add(table, columns),
    result() {
      const out = {};
      for (const [name, { counts: counts2, rows, slots }] of grains) {
        if (counts2.size < MIN_DISTINCT || rows === 0) continue;
        const resolution = resolutionOf(counts2);
        out[`${name}.spikeShare`] = (largestSpike(counts2, resolution, name === label)?.excess ?? 0) / rows;
        if (resolution !== null && resolution < SLOTS / DIGITS - 1) out[`${name}.roundShare`] = roundShare(slots, resolution);
        if (resolution !== null) out[`${name}.resolution`] = resolution + MIN_PLACE - 1;
      }
      return out;
    }
  };
}
var DEFAULT_VALUES = /* @__PURE__ */ new Set([0, -1, ...[9, 99, 999, 9999, 99999, 999999].flatMap((n) => [n, -n])]);
function largestSpike(counts, resolution, anyValue) {
  const values = [...counts.keys()].sort((a, b) => a - b);
  const finer = (v) => resolution !== null && v !== 0 && placeIndex(placeOf(v).place) < resolution;
  const at = (i) => i >= 0 && i < values.length ? { value: values[i], rows: counts.get(values[i]) } : null;
  let largest = null;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const rows = counts.get(v);
    const alone = finer(v);
    if (!(alone || anyValue || DEFAULT_VALUES.has(v) || i === 0 || i === values.length - 1)) continue;
    const neighbour = alone ? 0 : Math.max(i > 0 ? counts.get(values[i - 1]) : 0, i + 1 < values.length ? counts.get(values[i + 1]) : 0);
    const excess = rows - SPIKE_FACTOR * neighbour;
    if (excess > (largest?.excess ?? 0)) largest = { value: v, rows, excess, below: alone ? null : at(i - 1), above: alone ? null : at(i + 1) };
  }
  return largest;
}
function spikeIn(table, column, anyValue) {
  const shape = createCounts();
  shape.add(table, /* @__PURE__ */ new Set([column]));
  const grain = shape.grains.get(column);
  if (grain === void 0 || grain.counts.size < MIN_DISTINCT) return null;
  return largestSpike(grain.counts, resolutionOf(grain.counts), anyValue);
}
function resolutionOf(counts) {
  const atPlace = new Float64Array(SLOTS / DIGITS);
  let total = 0;
  for (const v of counts.keys()) {
    if (v === 0) continue;
    atPlace[placeIndex(placeOf(v).place)]++;
    total++;
  }
  let atLeast = 0;
  for (let p = atPlace.length - 1; p >= 1; p--) {
    atLeast += atPlace[p];
    if (total > 0 && atLeast >= RESOLUTION_SHARE * total) return p;
  }
  return null;
}
function roundShare(slots, p) {
  const total = slots.reduce((a, b) => a + b, 0);
  let round = 0;
  for (let i = (p + 1) * DIGITS; i < SLOTS; i++) round += slots[i] + slots[WIDE + i];
  let beside = 0;
  for (let d = 1; d < DIGITS; d++) beside += slots[WIDE + p * DIGITS + d];
  return (round - beside / (DIGITS - 1)) / total;
}

// src/validate/repeats-above.ts
var GROUPED_RUN_LENGTH = 3;
var MAX_VALUES2 = 5e4;
function cell(column, i) {
  if (isNull(column, i)) return null;
  if (column.type === "string") return column.dictionary[column.codes[i]] ?? null;
  const v = column.values[i];
  return Number.isFinite(v) ? v : null;
}
function createRepeatsAbove(columns) {
  const state = /* @__PURE__ */ new Map();
  return {
    add(table) {
      for (const column of table.columns) {
        if (column.type !== "number" && column.type !== "string" || !columns.has(column.name)) continue;
        let s = state.get(column.name);
        if (s === void 0) {
          s = { above: null, twoAbove: null, pairs: 0, repeats: 0, skipPairs: 0, skipRepeats: 0, rows: 0, counts: /* @__PURE__ */ new Map() };
          state.set(column.name, s);
        }
        const rows = columnLength(column);
        for (let i = 0; i < rows; i++) {
          const v = cell(column, i);
          const { above, twoAbove } = s;
          s.twoAbove = above;
          s.above = v;
          if (v === null) continue;
          if (above !== null) {
            s.pairs++;
            if (v === above) s.repeats++;
          }
          if (twoAbove !== null) {
            s.skipPairs++;
            if (v === twoAbove) s.skipRepeats++;
          }
          s.rows++;
          s.counts.set(v, (s.counts.get(v) ?? 0) + 1);
          if (s.counts.size > MAX_VALUES2) {
            for (const [value, count] of s.counts) if (count === 1) s.counts.delete(value);
          }
        }
      }
    },
    result() {
      const out = {};
      for (const [name, s] of state) {
        if (s.pairs === 0 || s.skipPairs === 0) continue;
        let chance = 0;
        for (const count of s.counts.values()) chance += (count / s.rows) ** 2;
        const grouped = (s.rows - s.repeats) * GROUPED_RUN_LENGTH <= s.rows * (1 - chance);
        if (!grouped) out[`${name}.repeatAboveShare`] = s.repeats / s.pairs - s.skipRepeats / s.skipPairs;
      }
      return out;
    }
  };
}
function repeatsOfRowAbove(column) {
  const rows = [];
  let pairs = 0;
  const length = columnLength(column);
  for (let i = 1; i < length; i++) {
    const v = cell(column, i);
    const above = cell(column, i - 1);
    if (v === null || above === null) continue;
    pairs++;
    if (v === above) rows.push(i);
  }
  return { rows, pairs };
}

// src/validate/exchange.ts
var SAME_DOMAIN = 0.5;
var EXCHANGE_MARGIN = 0.02;
function exchangeablePairs(preprocessing) {
  const vocabularies = /* @__PURE__ */ new Map();
  for (const f of preprocessing.features) {
    if (f.kind !== "categorical" || f.vocabulary === void 0 || f.vocabulary.length === 0) continue;
    const values = vocabularies.get(f.column) ?? /* @__PURE__ */ new Set();
    for (const v of f.vocabulary) values.add(v);
    vocabularies.set(f.column, values);
  }
  const columns = [...vocabularies.keys()].sort();
  const pairs = [];
  for (let i = 0; i < columns.length; i++) {
    for (let j = i + 1; j < columns.length; j++) {
      if (sameDomain(vocabularies.get(columns[i]), vocabularies.get(columns[j]))) pairs.push([columns[i], columns[j]]);
    }
  }
  return pairs;
}
function sameDomain(a, b) {
  let common = 0;
  for (const v of a) if (b.has(v)) common++;
  return common / Math.max(1, a.size + b.size - common) >= SAME_DOMAIN;
}
function exchangeColumns(table, a, b) {
  const columnA = table.columns.find((c) => c.name === a);
  const columnB = table.columns.find((c) => c.name === b);
  if (columnA === void 0 || columnB === void 0) return table;
  const renamed = (c, name) => ({ ...c, name });
  return { ...table, columns: table.columns.map((c) => c === columnA ? renamed(columnB, a) : c === columnB ? renamed(columnA, b) : c) };
}
function exchangeGain(asDelivered, exchanged, higherIsBetter) {
  if (higherIsBetter) return exchanged - asDelivered;
  return asDelivered === 0 ? 0 : (asDelivered - exchanged) / Math.abs(asDelivered);
}
var EXCHANGE_REFERENCE_DAYS = 3;
function neededGain(rows) {
  return Math.max(EXCHANGE_MARGIN, 1 / Math.sqrt(Math.max(1, rows)));
}
function exchangeAnomaly(s, severity) {
  if (!(exchangeGain(s.asDelivered, s.exchanged, s.higherIsBetter) >= neededGain(s.rows))) return null;
  if (!(s.higherIsBetter ? s.exchanged >= s.usual.low : s.exchanged <= s.usual.high)) return null;
  const costly = s.before.filter((d) => -d.gain >= neededGain(d.rows));
  if (costly.length * 2 <= s.before.length) return null;
  const [a, b] = s.columns;
  const f = (x) => x.toFixed(3);
  const costs = costly.map((d) => -d.gain);
  const cost = `${f(Math.min(...costs))}${costs.length > 1 ? ` to ${f(Math.max(...costs))}` : ""}`;
  return {
    kind: "columns_exchanged",
    severity,
    column: `${a}+${b}`,
    count: s.rows,
    share: 1,
    examples: [{ file: s.file, row: 1 }],
    message: `${s.file}: columns "${a}" and "${b}" look exchanged: production ${s.model} scores ${s.metric} ${f(s.asDelivered)} on the day as delivered and ${f(s.exchanged)} with the two exchanged back, as on the days before (${f(s.usual.low)} to ${f(s.usual.high)}); on ${costly.length} of the ${s.before.length} days before, exchanging them cost it ${cost}. Fix the column mapping upstream; if the columns changed meaning for good, accept the day (ct validate --accept ${s.date}) and retrain on data that has it (validation.severity.columns_exchanged: warning lets every such day through)`
  };
}

// src/validate/orientation.ts
var PAIR_COLUMNS = 6;
var DECISIVE_ROWS = 1e4;
var MAX_COMBINATIONS = 2e5;
var USUAL_REVERSE = 0.5;
var MIN_USUAL_DAYS = 2;
var MIN_POOL_DAYS = 7;
var NO_HOUR = 24;
var DIRECTION = 2147483648;
var ANY_HOUR = 25;
function combine(low, high, hour) {
  let h = Math.imul(low ^ 2654435769, 2246822507);
  h = Math.imul(h ^ h >>> 13 ^ high, 3266489909);
  h = Math.imul(h ^ h >>> 16 ^ hour, 2246822507);
  return (h ^ h >>> 13) & 2147483647;
}
function pairName(a, b) {
  return joinColumns("+", a, b);
}
var NO_ROW = -1;
var NO_DIRECTION = -2;
function hoursOf(table, timeColumn, timeZone) {
  const time = table.columns.find((c) => c.type === "timestamp" && (timeColumn === void 0 || c.name === timeColumn));
  const hours = new Uint8Array(table.rowCount).fill(NO_HOUR);
  if (time === void 0 || time.type !== "timestamp") return hours;
  const hourOf = timePart("hourOfDay", timeZone);
  for (let i = 0; i < table.rowCount; i++) {
    const t = time.values[i];
    if (Number.isFinite(t) && (time.nulls === null || time.nulls[i] === 0)) hours[i] = hourOf(t);
  }
  return hours;
}
function combinationKeys(a, b, hours) {
  const hashA = a.dictionary.map((v) => hashText(v));
  const hashB = b.dictionary.map((v) => hashText(v));
  const keys = new Float64Array(a.codes.length);
  for (let i = 0; i < keys.length; i++) {
    const ca = a.codes[i];
    const cb = b.codes[i];
    if (ca < 0 || cb < 0) keys[i] = NO_ROW;
    else {
      const ha = hashA[ca];
      const hb = hashB[cb];
      keys[i] = ha === hb ? NO_DIRECTION : (combine(Math.min(ha, hb), Math.max(ha, hb), hours === null ? ANY_HOUR : hours[i]) | (ha < hb ? 0 : DIRECTION)) >>> 0;
    }
  }
  return keys;
}
function createOrientations(timeColumn, timeZone) {
  const pairs = /* @__PURE__ */ new Map();
  const values = /* @__PURE__ */ new Map();
  return {
    add(table) {
      const categorical = table.columns.filter((c) => c.type === "string").slice(0, PAIR_COLUMNS);
      const hours = hoursOf(table, timeColumn, timeZone);
      const own = categorical.map((c) => new Set(c.dictionary));
      categorical.forEach((c, k) => {
        const seen = values.get(c.name);
        if (seen === null) return;
        const all = seen ?? /* @__PURE__ */ new Set();
        for (const v of own[k]) all.add(v);
        values.set(c.name, all.size > MAX_COMBINATIONS ? null : all);
      });
      for (let x = 0; x < categorical.length; x++) {
        for (let y = x + 1; y < categorical.length; y++) {
          const a = categorical[x];
          const b = categorical[y];
          const name = pairName(a.name, b.name);
          let entry = pairs.get(name);
          if (entry === void 0) pairs.set(name, entry = { columns: [a.name, b.name], counts: /* @__PURE__ */ new Map(), directions: /* @__PURE__ */ new Map(), rows: 0, dropped: false });
          if (entry.dropped) continue;
          if (table.rowCount >= DECISIVE_ROWS && !sameDomain(own[x], own[y]) || entry.counts.size > MAX_COMBINATIONS) {
            entry.dropped = true;
            entry.counts.clear();
            entry.directions.clear();
            continue;
          }
          for (const key of combinationKeys(a, b, hours)) {
            if (key === NO_ROW) continue;
            entry.rows++;
            if (key !== NO_DIRECTION) entry.counts.set(key, (entry.counts.get(key) ?? 0) + 1);
          }
          countDirections(combinationKeys(a, b, null), entry.directions);
        }
      }
    },
    result() {
      const out = {};
      for (const [name, { columns, counts, directions, rows, dropped }] of pairs) {
        if (dropped || counts.size === 0 || counts.size > MAX_COMBINATIONS) continue;
        const valuesA = values.get(columns[0]);
        const valuesB = values.get(columns[1]);
        if (!valuesA || !valuesB || !sameDomain(valuesA, valuesB)) continue;
        const combinations = encode(counts);
        const directed = encode(directions);
        out[name] = { columns, rows, keys: combinations.keys, counts: combinations.counts, directions: directed.keys, directionCounts: directed.counts };
      }
      return out;
    }
  };
}
function countDirections(keys, rows) {
  for (const key of keys) if (key >= 0) rows.set(key, (rows.get(key) ?? 0) + 1);
  return rows;
}
function encode(rowsPerKey) {
  const keys = Uint32Array.from(rowsPerKey.keys()).sort();
  const counts = Uint16Array.from(keys, (k) => Math.min(65535, rowsPerKey.get(k)));
  return { keys: Buffer.from(keys.buffer).toString("base64"), counts: Buffer.from(counts.buffer).toString("base64") };
}
function decodeKeys(keyText, countText) {
  const keyBytes = Buffer.from(keyText, "base64");
  const countBytes = Buffer.from(countText, "base64");
  const keys = new Uint32Array(keyBytes.length >> 2);
  new Uint8Array(keys.buffer).set(keyBytes.subarray(0, keys.length * 4));
  const counts = new Uint16Array(countBytes.length >> 1);
  new Uint8Array(counts.buffer).set(countBytes.subarray(0, counts.length * 2));
  return { keys, counts: counts.length === keys.length ? counts : new Uint16Array(keys.length).fill(1) };
}
var decoded = /* @__PURE__ */ new WeakMap();
function decode(profile) {
  let out = decoded.get(profile);
  if (out === void 0) decoded.set(profile, out = decodeKeys(profile.keys, profile.counts));
  return out;
}
var decodedDirections = /* @__PURE__ */ new WeakMap();
function directionsOf(profile) {
  let out = decodedDirections.get(profile);
  if (out === void 0) {
    const { keys, counts } = decodeKeys(profile.directions, profile.directionCounts);
    decodedDirections.set(profile, out = new Map(Array.from(keys, (k, i) => [k, counts[i]])));
  }
  return out;
}
var DayCounts = class {
  slots;
  days;
  mask;
  constructor(capacity) {
    let size = 1024;
    while (size < capacity * 2) size *= 2;
    this.slots = new Uint32Array(size);
    this.days = new Int32Array(size);
    this.mask = size - 1;
  }
  slot(key) {
    let i = Math.imul(key, 2654435761) >>> 0;
    for (; ; ) {
      i &= this.mask;
      if (this.days[i] === 0 || this.slots[i] === key) return i;
      i++;
    }
  }
  add(key) {
    const i = this.slot(key);
    this.slots[i] = key;
    this.days[i]++;
  }
  get(key) {
    return this.days[this.slot(key)];
  }
};
function orientationPool(profiles) {
  const byPair = /* @__PURE__ */ new Map();
  for (const p of profiles) {
    for (const [name, profile] of Object.entries(p.orientations ?? {})) {
      const lists = byPair.get(name) ?? [];
      lists.push(decode(profile).keys);
      byPair.set(name, lists);
    }
  }
  const pool = /* @__PURE__ */ new Map();
  for (const [name, lists] of byPair) {
    const seen = new DayCounts(lists.reduce((n, keys) => n + keys.length, 0));
    for (const keys of lists) for (const key of keys) seen.add(key);
    pool.set(name, { days: lists.length, seen, usualDays: Math.max(MIN_USUAL_DAYS, USUAL_REVERSE * recurrence(lists, seen)) });
  }
  return pool;
}
function recurrence(lists, seen) {
  const histogram = new Float64Array(lists.length + 1);
  let total = 0;
  for (const keys of lists) {
    for (const key of keys) histogram[seen.get(key)]++;
    total += keys.length;
  }
  let below = 0;
  for (let days = 1; days < histogram.length; days++) {
    below += histogram[days];
    if (below >= total / 2) return days;
  }
  return lists.length;
}
function orientationMetrics(own, pool, leaveOut) {
  const out = {};
  for (const [name, { days: pooled, seen, usualDays }] of pool) {
    const profile = own?.[name];
    if (profile === void 0 || profile.rows === 0) continue;
    const days = pooled - (leaveOut ? 1 : 0);
    if (days < MIN_POOL_DAYS) continue;
    const { keys, counts } = decode(profile);
    const has = (key) => {
      let lo = 0;
      let hi = keys.length - 1;
      while (lo <= hi) {
        const mid = lo + hi >> 1;
        if (keys[mid] === key) return true;
        if (keys[mid] < key) lo = mid + 1;
        else hi = mid - 1;
      }
      return false;
    };
    let reversed = 0;
    for (let i = 0; i < keys.length; i++) {
      if (isReversed(keys[i], seen, usualDays, leaveOut ? has : null)) reversed += counts[i];
    }
    out[`${name}.reversedShare`] = reversed / profile.rows;
  }
  return out;
}
function isReversed(key, seen, usualDays, own) {
  if (seen.get(key) - (own === null ? 0 : 1) > 0) return false;
  const reverse = (key ^ DIRECTION) >>> 0;
  return seen.get(reverse) - (own !== null && own(reverse) ? 1 : 0) >= usualDays;
}
function reversedRows(table, columns, history, time, limit) {
  const a = table.columns.find((c) => c.name === columns[0]);
  const b = table.columns.find((c) => c.name === columns[1]);
  const pooled = orientationPool(history).get(pairName(columns[0], columns[1]));
  if (a?.type !== "string" || b?.type !== "string" || pooled === void 0) return [];
  const keys = combinationKeys(a, b, hoursOf(table, time.column, time.zone));
  const rows = [];
  for (let i = 0; i < keys.length && rows.length < limit; i++) {
    if (keys[i] >= 0 && isReversed(keys[i], pooled.seen, pooled.usualDays, null)) rows.push(i);
  }
  return rows;
}
var MIN_USUAL_COUNT_DAYS = 3;
var poolIds = /* @__PURE__ */ new WeakMap();
var nextPoolId = 0;
var usualByPool = /* @__PURE__ */ new Map();
var USUAL_POOLS_KEPT = 128;
function usualDirections(name, usual) {
  const profiles = usual.flatMap((p) => p.orientations?.[name] === void 0 ? [] : [p.orientations[name]]);
  const key = profiles.map((p) => {
    let id = poolIds.get(p);
    if (id === void 0) poolIds.set(p, id = nextPoolId++);
    return id;
  }).join(",");
  if (usualByPool.has(key)) return usualByPool.get(key);
  const expected = medianDirections(profiles);
  usualByPool.set(key, expected);
  if (usualByPool.size > USUAL_POOLS_KEPT) usualByPool.delete(usualByPool.keys().next().value);
  return expected;
}
function medianDirections(profiles) {
  if (profiles.length < MIN_USUAL_COUNT_DAYS) return null;
  const days = profiles.map(directionsOf);
  const keys = /* @__PURE__ */ new Set();
  for (const day of days) for (const key of day.keys()) keys.add(key);
  const out = /* @__PURE__ */ new Map();
  for (const key of keys) {
    const rows = median(days.map((day) => day.get(key) ?? 0));
    if (rows > 0) out.set(key, rows);
  }
  return out;
}
function oppositeMoves(own, usual) {
  const out = /* @__PURE__ */ new Map();
  const seen = /* @__PURE__ */ new Set();
  for (const source of [own, usual]) {
    for (const key of source.keys()) {
      const forward = (key & ~DIRECTION) >>> 0;
      if (seen.has(forward)) continue;
      seen.add(forward);
      const backward = (forward | DIRECTION) >>> 0;
      const [rows, usualRows, reverse, usualReverse] = [own.get(forward) ?? 0, usual.get(forward) ?? 0, own.get(backward) ?? 0, usual.get(backward) ?? 0];
      const [up, down] = [rows - usualRows, reverse - usualReverse];
      if (up * down >= 0) continue;
      const moved = Math.min(Math.abs(up), Math.abs(down));
      if (up > 0) out.set(forward, { rows, usual: usualRows, reverse, usualReverse, moved });
      else out.set(backward, { rows: reverse, usual: usualReverse, reverse: rows, usualReverse: usualRows, moved });
    }
  }
  return out;
}
function oppositeMetrics(own, usual) {
  const out = {};
  for (const [name, profile] of Object.entries(own ?? {})) {
    const expected = profile.rows === 0 ? null : usualDirections(name, usual);
    if (expected === null) continue;
    let moved = 0;
    for (const move of oppositeMoves(directionsOf(profile), expected).values()) moved += move.moved;
    out[`${name}.oppositeShare`] = moved / profile.rows;
  }
  return out;
}
function oppositeRows(table, columns, usual, limit) {
  const a = table.columns.find((c) => c.name === columns[0]);
  const b = table.columns.find((c) => c.name === columns[1]);
  const expected = usualDirections(pairName(columns[0], columns[1]), usual);
  if (a?.type !== "string" || b?.type !== "string" || expected === null) return [];
  const keys = combinationKeys(a, b, null);
  const moves = oppositeMoves(countDirections(keys, /* @__PURE__ */ new Map()), expected);
  const first = /* @__PURE__ */ new Map();
  keys.forEach((key, i) => moves.has(key) && !first.has(key) && first.set(key, i));
  return [...first].sort(([k1, i1], [k2, i2]) => moves.get(k2).moved - moves.get(k1).moved || i1 - i2).slice(0, limit).map(([key, row]) => {
    const { moved: _, ...move } = moves.get(key);
    return { row, ...move };
  });
}

// src/validate/label-correlation.ts
var MIN_ROWS = 100;
var LOG_STEP = Math.log(1.02);
var CLIP = 0.01;
var SIDE = 1 << 17;
function bucketOf(v) {
  if (v === 0) return 0;
  const step = Math.min(SIDE - 2, Math.max(0, Math.floor(Math.log(Math.abs(v)) / LOG_STEP) + SIDE / 2)) + 1;
  return v < 0 ? -step : step;
}
function pairKey(x, y) {
  return (x + SIDE) * 2 * SIDE + (y + SIDE);
}
function splitKey(key) {
  return [Math.floor(key / (2 * SIDE)) - SIDE, key % (2 * SIDE) - SIDE];
}
function valueOf(bucket) {
  if (bucket === 0) return 0;
  const v = Math.exp((Math.abs(bucket) - 1 - SIDE / 2 + 0.5) * LOG_STEP);
  return bucket < 0 ? -v : v;
}
function clippedValues(counts, rows) {
  const buckets = [...counts.keys()].sort((a, b) => a - b);
  let low = null;
  let high = null;
  let seen = 0;
  for (const bucket of buckets) {
    seen += counts.get(bucket);
    if (low === null && seen > CLIP * rows) low = bucket;
    if (high === null && seen >= (1 - CLIP) * rows) high = bucket;
  }
  low ??= buckets[0];
  high ??= buckets.at(-1);
  const clip = low !== high;
  return new Map(buckets.map((bucket) => [bucket, valueOf(clip ? Math.min(high, Math.max(low, bucket)) : bucket)]));
}
function clippedCorrelation(pairs) {
  const xs = /* @__PURE__ */ new Map();
  const ys = /* @__PURE__ */ new Map();
  let n = 0;
  for (const [key, rows] of pairs) {
    const [x, y] = splitKey(key);
    xs.set(x, (xs.get(x) ?? 0) + rows);
    ys.set(y, (ys.get(y) ?? 0) + rows);
    n += rows;
  }
  if (n < MIN_ROWS || xs.size < 2 || ys.size < 2) return null;
  const vxOf = clippedValues(xs, n);
  const vyOf = clippedValues(ys, n);
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (const [key, rows] of pairs) {
    const [x, y] = splitKey(key);
    const a = vxOf.get(x);
    const b = vyOf.get(y);
    sx += rows * a;
    sy += rows * b;
    sxx += rows * a * a;
    syy += rows * b * b;
    sxy += rows * a * b;
  }
  const vx = sxx - sx * sx / n;
  const vy = syy - sy * sy / n;
  if (!(vx > 1e-12 * Math.max(1, sxx)) || !(vy > 1e-12 * Math.max(1, syy))) return null;
  return Math.max(-1, Math.min(1, (sxy - sx * sy / n) / Math.sqrt(vx * vy)));
}
function createLabelCorrelations(label, inputs) {
  const pairs = /* @__PURE__ */ new Map();
  return {
    add(table) {
      const y = table.columns.find((c) => c.name === label && c.type === "number");
      if (y === void 0) return;
      const labelBuckets = Int32Array.from(y.values, (v) => Number.isFinite(v) ? bucketOf(v) : SIDE);
      for (const x of table.columns) {
        if (x.type !== "number" || x.name === label || !inputs.has(x.name)) continue;
        let counts = pairs.get(x.name);
        if (counts === void 0) pairs.set(x.name, counts = /* @__PURE__ */ new Map());
        for (let i = 0; i < table.rowCount; i++) {
          const v = x.values[i];
          if (!Number.isFinite(v) || labelBuckets[i] === SIDE) continue;
          const key = pairKey(bucketOf(v), labelBuckets[i]);
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
      }
    },
    result() {
      const out = {};
      for (const [input, counts] of pairs) {
        const r = clippedCorrelation(counts);
        if (r !== null) out[`${joinColumns("|", input, label)}.correlation`] = r;
      }
      return out;
    }
  };
}
function correlationNoise(r, rows) {
  return (1 - Math.min(1, r * r)) / Math.sqrt(Math.max(1, rows));
}

// src/validate/label-groups.ts
var MAX_CLASSES = 20;
var MAX_GROUPS = 1e4;
var MIN_GROUP_ROWS = 20;
var EXPECTED_ROWS = 10;
var MIN_POOL_DAYS2 = 14;
function createLabelGroups(label, { codes = /* @__PURE__ */ new Set(), skip = /* @__PURE__ */ new Set() } = {}) {
  const classes = [];
  const classIndex = /* @__PURE__ */ new Map();
  const columns = /* @__PURE__ */ new Map();
  let overflow = label === null;
  const classOf = (key) => {
    let k = classIndex.get(key);
    if (k === void 0) {
      classIndex.set(key, k = classes.length);
      classes.push(key);
    }
    return k;
  };
  return {
    add(table) {
      if (overflow) return;
      const labels = table.columns.find((c) => c.name === label);
      if (labels === void 0) return;
      const rowClass = new Int32Array(table.rowCount).fill(-1);
      if (labels.type === "string") {
        const byCode = labels.dictionary.map(classOf);
        for (let i = 0; i < table.rowCount; i++) if (labels.codes[i] >= 0) rowClass[i] = byCode[labels.codes[i]];
      } else {
        for (let i = 0; i < table.rowCount; i++) if (!isNull(labels, i)) rowClass[i] = classOf(String(labels.values[i]));
      }
      if (classes.length > MAX_CLASSES) {
        overflow = true;
        columns.clear();
        return;
      }
      for (const column of table.columns) {
        if (column.name === label || skip.has(column.name) || columns.get(column.name) === null) continue;
        const g = column.type === "string" ? column : column.type === "number" && codes.has(column.name) ? codesAsText(column) : null;
        if (g === null) continue;
        const groups = addGroups(columns.get(g.name) ?? /* @__PURE__ */ new Map(), g, rowClass, classes.length);
        columns.set(g.name, groups.size > MAX_GROUPS ? null : groups);
      }
    },
    result() {
      if (overflow || label === null || classes.length < 2) return void 0;
      const out = {};
      for (const [name, groups] of columns) {
        if (groups === null) continue;
        const kept = {};
        for (const [text, counts] of groups) {
          const full = Array.from({ length: classes.length }, (_, c) => counts[c] ?? 0);
          if (sum(full) >= MIN_GROUP_ROWS) kept[text] = full;
        }
        out[name] = kept;
      }
      return { label, classes: [...classes], groups: out };
    }
  };
}
function addGroups(groups, g, rowClass, k) {
  const counts = new Float64Array(g.dictionary.length * k);
  for (let i = 0; i < rowClass.length; i++) {
    const code = g.codes[i];
    if (code >= 0 && rowClass[i] >= 0) counts[code * k + rowClass[i]]++;
  }
  for (let code = 0; code < g.dictionary.length; code++) {
    const text = g.dictionary[code];
    let group = groups.get(text);
    for (let c = 0; c < k; c++) {
      const n = counts[code * k + c];
      if (n === 0) continue;
      if (group === void 0) groups.set(text, group = []);
      group[c] = (group[c] ?? 0) + n;
    }
  }
  return groups;
}
function sum(xs) {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}
var groupKey = (column, group) => `${column}\0${group}`;
function labelGroupPool(profiles) {
  const classes = /* @__PURE__ */ new Set();
  for (const p of profiles) for (const c of p.labelGroups?.classes ?? []) classes.add(c);
  const pool = /* @__PURE__ */ new Map();
  for (const p of profiles) {
    if (p.labelGroups === void 0) continue;
    const { classes: own, groups } = p.labelGroups;
    for (const [column, values] of Object.entries(groups)) {
      for (const [group, counts] of Object.entries(values)) {
        const key = groupKey(column, group);
        let pooled = pool.get(key);
        if (pooled === void 0) pool.set(key, pooled = { dates: /* @__PURE__ */ new Set(), lowest: /* @__PURE__ */ new Map() });
        pooled.dates.add(p.date);
        const rows = sum(counts);
        for (const c of classes) {
          const k = own.indexOf(c);
          const share = k < 0 ? 0 : counts[k] / rows;
          const low = pooled.lowest.get(c);
          if (low === void 0) pooled.lowest.set(c, { first: share, firstDate: p.date, second: Infinity });
          else if (share < low.first) pooled.lowest.set(c, { first: share, firstDate: p.date, second: low.first });
          else if (share < low.second) low.second = share;
        }
      }
    }
  }
  return pool;
}
function absentLabels(own, pool) {
  const out = [];
  if (own.labelGroups === void 0) return out;
  const { classes, groups } = own.labelGroups;
  for (const [column, values] of Object.entries(groups)) {
    for (const [group, counts] of Object.entries(values)) {
      const pooled = pool.get(groupKey(column, group));
      if (pooled === void 0) continue;
      const inPool = pooled.dates.has(own.date);
      const days = pooled.dates.size - (inPool ? 1 : 0);
      if (days < MIN_POOL_DAYS2) continue;
      const rows = sum(counts);
      for (const [label, low] of pooled.lowest) {
        const k = classes.indexOf(label);
        if (k >= 0 && counts[k] > 0) continue;
        const lowest = inPool && low.firstDate === own.date ? low.second : low.first;
        if (rows * lowest >= EXPECTED_ROWS) {
          out.push({ column, group, rows, label, lowest, days });
          break;
        }
      }
    }
  }
  return out.sort((a, b) => b.rows - a.rows);
}
function labelGroupMetrics(own, pool) {
  const out = {};
  if (own.labelGroups === void 0 || own.rows === 0 || pool.size === 0) return out;
  const absent = /* @__PURE__ */ new Map();
  for (const a of absentLabels(own, pool)) absent.set(a.column, (absent.get(a.column) ?? 0) + a.rows);
  for (const column of Object.keys(own.labelGroups.groups)) {
    out[`${joinColumns("|", own.labelGroups.label, column)}.absentLabelShare`] = (absent.get(column) ?? 0) / own.rows;
  }
  return out;
}

// src/validate/frozen-groups.ts
var MIN_GROUP_ROWS2 = 20;
var VARIED = 5;
var MAX_GROUPS2 = 1e4;
var MIN_POOL_DAYS3 = 14;
function createFrozenGroups({ codes = /* @__PURE__ */ new Set(), skip = /* @__PURE__ */ new Set() } = {}) {
  const relations = /* @__PURE__ */ new Map();
  return {
    add(table) {
      const numbers = table.columns.filter(
        (c) => c.type === "number" && !codes.has(c.name) && c.name !== LABEL_COLUMN && !c.name.startsWith(DERIVED_PREFIX)
      );
      if (numbers.length === 0) return;
      const groupings = table.columns.flatMap(
        (c) => skip.has(c.name) ? [] : c.type === "string" ? [c] : c.type === "number" && codes.has(c.name) ? [codesAsText(c)] : []
      );
      for (const x of numbers) {
        for (const g of groupings) {
          const key = joinColumns("|", x.name, g.name);
          if (relations.get(key) === null) continue;
          const groups = addGroups2(relations.get(key) ?? /* @__PURE__ */ new Map(), x, g);
          relations.set(key, groups.size > MAX_GROUPS2 ? null : groups);
        }
      }
    },
    result() {
      const out = { varied: {}, frozen: {} };
      for (const [key, groups] of relations) {
        if (groups === null) continue;
        const varied = [];
        const frozen = {};
        for (const [group, { rows, values }] of groups) {
          if (rows < MIN_GROUP_ROWS2) continue;
          if (values.length >= VARIED) varied.push(group);
          else if (values.length === 1) frozen[group] = [rows, values[0]];
        }
        out.varied[key] = varied;
        if (Object.keys(frozen).length > 0) out.frozen[key] = frozen;
      }
      return out;
    }
  };
}
function addGroups2(groups, x, g) {
  const k = g.dictionary.length;
  const rows = new Float64Array(k);
  const seen = new Float64Array(k * VARIED);
  const distinct = new Uint8Array(k);
  for (let i = 0; i < x.values.length; i++) {
    const code = g.codes[i];
    const v = x.values[i];
    if (code < 0 || !Number.isFinite(v) || isNull(x, i)) continue;
    rows[code]++;
    const d = distinct[code];
    if (d === VARIED) continue;
    let known = false;
    for (let j = 0; j < d && !known; j++) known = seen[code * VARIED + j] === v;
    if (known) continue;
    seen[code * VARIED + d] = v;
    distinct[code] = d + 1;
  }
  for (let code = 0; code < k; code++) {
    if (rows[code] === 0) continue;
    const text = g.dictionary[code];
    let group = groups.get(text);
    if (group === void 0) groups.set(text, group = { rows: 0, values: [] });
    group.rows += rows[code];
    for (let j = 0; j < distinct[code] && group.values.length < VARIED; j++) {
      const v = seen[code * VARIED + j];
      if (!group.values.includes(v)) group.values.push(v);
    }
  }
  return groups;
}
var groupKey2 = (relation, group) => `${relation}\0${group}`;
function frozenGroupPool(profiles) {
  const pool = /* @__PURE__ */ new Map();
  const entry = (relation, group) => {
    const key = groupKey2(relation, group);
    let pooled = pool.get(key);
    if (pooled === void 0) pool.set(key, pooled = { varied: /* @__PURE__ */ new Set(), frozen: /* @__PURE__ */ new Set() });
    return pooled;
  };
  for (const p of profiles) {
    for (const [relation, groups] of Object.entries(p.frozenGroups?.varied ?? {})) for (const group of groups) entry(relation, group).varied.add(p.date);
    for (const [relation, groups] of Object.entries(p.frozenGroups?.frozen ?? {}))
      for (const group of Object.keys(groups)) entry(relation, group).frozen.add(p.date);
  }
  return pool;
}
function frozenGroups(own, pool) {
  const out = [];
  for (const [relation, groups] of Object.entries(own.frozenGroups?.frozen ?? {})) {
    for (const [group, [rows, value]] of Object.entries(groups)) {
      const days = variedDays(pool, relation, group, own.date);
      if (days !== null) out.push({ relation, group, rows, value, days });
    }
  }
  return out.sort((a, b) => b.rows - a.rows);
}
function stuckGroups(own, pool, frozen = frozenGroups(own, pool)) {
  const byGroup = /* @__PURE__ */ new Map();
  for (const f of frozen) {
    const [column, grouping] = columnNames(f.relation);
    const key = groupKey2(grouping, f.group);
    const stuck = byGroup.get(key) ?? { grouping, group: f.group, rows: 0, values: [], days: f.days };
    stuck.rows = Math.max(stuck.rows, f.rows);
    stuck.values.push({ column, value: f.value });
    stuck.days = Math.min(stuck.days, f.days);
    byGroup.set(key, stuck);
  }
  const relations = Object.keys(own.frozenGroups?.varied ?? {}).map((relation) => [relation, columnNames(relation)[1]]);
  return [...byGroup.values()].filter((s) => s.values.length >= 2 && relations.every(([relation, grouping]) => grouping !== s.grouping || !variedHere(relation, s, own, pool))).sort((a, b) => b.rows - a.rows);
}
function variedHere(relation, stuck, own, pool) {
  if (stuck.values.some((v) => joinColumns("|", v.column, stuck.grouping) === relation)) return false;
  return variedDays(pool, relation, stuck.group, own.date) !== null;
}
function variedDays(pool, relation, group, date) {
  const pooled = pool.get(groupKey2(relation, group));
  if (pooled === void 0) return null;
  const days = pooled.varied.size - (pooled.varied.has(date) ? 1 : 0);
  const frozenBefore = pooled.frozen.size - (pooled.frozen.has(date) ? 1 : 0);
  return days >= MIN_POOL_DAYS3 && frozenBefore === 0 ? days : null;
}
function frozenGroupMetrics(own, pool) {
  const out = {};
  if (own.frozenGroups === void 0 || own.rows === 0 || pool.size === 0) return out;
  const found = frozenGroups(own, pool);
  const frozen = /* @__PURE__ */ new Map();
  for (const f of found) frozen.set(f.relation, (frozen.get(f.relation) ?? 0) + f.rows);
  for (const relation of Object.keys(own.frozenGroups.varied)) out[`${relation}.frozenShare`] = (frozen.get(relation) ?? 0) / own.rows;
  const groupings = new Set(Object.keys(own.frozenGroups.varied).map((relation) => columnNames(relation)[1]));
  const stuck = /* @__PURE__ */ new Map();
  for (const s of stuckGroups(own, pool, found)) stuck.set(s.grouping, (stuck.get(s.grouping) ?? 0) + s.rows);
  for (const g of groupings) out[`${g}.stuckShare`] = (stuck.get(g) ?? 0) / own.rows;
  return out;
}

// src/data/names.ts
var ID_NAME = /(^|[^a-z])(id|uuid|guid|key)$|^id([^a-z]|$)/i;

// src/validate/row-matches.ts
var ROW_SAMPLE_SIZE = 2048;
var MIN_SHARED_ROWS = 200;
var MIN_KEY_ROWS = 100;
var KEY_DISTINCT = 0.8;
var scratch = new Float64Array(1);
var scratchWords = new Uint32Array(scratch.buffer);
function valueHash(column, i) {
  if (isNull(column, i)) return -1;
  if (column.type === "string") return column.codes[i] < 0 ? -1 : hashText(column.dictionary[column.codes[i]]) & 65535;
  scratch[0] = column.values[i];
  return mixHash(mixHash(2654435769, scratchWords[0]), scratchWords[1]) & 65535;
}
function keyHash(column, i) {
  if (column.type === "string") return hashText(column.dictionary[column.codes[i]]) >>> 0;
  scratch[0] = column.values[i];
  return mixHash(mixHash(2246822507, scratchWords[0]), scratchWords[1]) >>> 0;
}
function keyColumnOf(table, skip) {
  if (table.rowCount < MIN_KEY_ROWS) return null;
  const distinctShare = (column) => {
    const seen = /* @__PURE__ */ new Set();
    for (let i = 0; i < table.rowCount; i++) {
      if (isNull(column, i)) return 0;
      if (column.type === "string") seen.add(column.codes[i]);
      else if (Number.isInteger(column.values[i])) seen.add(column.values[i]);
      else return 0;
    }
    return seen.size / table.rowCount;
  };
  const candidates = table.columns.filter((c) => !skip.has(c.name) && (c.type === "string" || c.type === "number"));
  return candidates.find((c) => ID_NAME.test(c.name) && distinctShare(c) >= KEY_DISTINCT) ?? candidates.find((c) => c.type === "string" && !ID_NAME.test(c.name) && distinctShare(c) === 1) ?? null;
}
function bottomK() {
  let kept = [];
  let limit = Infinity;
  const trim = () => {
    kept.sort((a, b) => a.id - b.id);
    kept = kept.slice(0, ROW_SAMPLE_SIZE);
    if (kept.length === ROW_SAMPLE_SIZE) limit = kept[ROW_SAMPLE_SIZE - 1].id;
  };
  return {
    wants: (id) => id < limit,
    keep(id, row, values, numbers) {
      kept.push({ id, row, values, ...numbers === void 0 ? {} : { numbers } });
      if (kept.length >= 2 * ROW_SAMPLE_SIZE) trim();
    },
    result() {
      trim();
      return kept;
    }
  };
}
function createRowSample(skip) {
  let offset = 0;
  let names = null;
  let key = null;
  let numberNames = null;
  const byRow = bottomK();
  const byKey = bottomK();
  const valuesOf = (columns, i) => columns.map((c) => c === void 0 ? -1 : valueHash(c, i));
  return {
    add(table) {
      if (names === null) {
        names = table.columns.filter((c) => !skip.has(c.name)).map((c) => c.name);
        key = keyColumnOf(table, skip)?.name ?? null;
      }
      const columns = names.map((n) => table.columns.find((c) => c.name === n));
      const keyColumn = key === null ? void 0 : table.columns.find((c) => c.name === key);
      numberNames ??= names.filter((n, k) => n !== key && columns[k]?.type === "number");
      const numberColumns = numberNames.map((n) => table.columns.find((c) => c.name === n));
      const numbersOf = (i) => numberColumns.map((c) => c === void 0 || c.type !== "number" || isNull(c, i) || !Number.isFinite(c.values[i]) ? null : c.values[i]);
      for (let i = 0; i < table.rowCount; i++) {
        const row = offset + i;
        const id = mixHash(2135587861, row);
        if (byRow.wants(id)) byRow.keep(id, row, valuesOf(columns, i));
        if (keyColumn === void 0 || isNull(keyColumn, i)) continue;
        const keyId = keyHash(keyColumn, i);
        if (byKey.wants(keyId)) byKey.keep(keyId, row, valuesOf(columns, i), numbersOf(i));
      }
      offset += table.rowCount;
    },
    result() {
      const columnsOf = (sample, leave) => Object.fromEntries((names ?? []).flatMap((n, k) => n === leave ? [] : [[n, sample.map((s) => s.values[k])]]));
      const rows = [...byRow.result()].sort((a, b) => a.row - b.row);
      const out = { rows: rows.map((s) => s.row), values: columnsOf(rows, null) };
      if (key === null) return out;
      const sampled = [...byKey.result()].sort((a, b) => a.id - b.id || a.row - b.row);
      const first = sampled.filter((s, i) => i === 0 || s.id !== sampled[i - 1].id);
      const repeated = sampled.filter((s, i) => s.id === sampled[i - 1]?.id || s.id === sampled[i + 1]?.id).length;
      if (sampled.length > 0)
        out.keyed = {
          key,
          ids: first.map((s) => s.id),
          rows: first.map((s) => s.row),
          values: columnsOf(first, key),
          repeatShare: repeated / sampled.length,
          numbers: Object.fromEntries((numberNames ?? []).map((n, k) => [n, first.map((s) => s.numbers?.[k] ?? null)]))
        };
      return out;
    }
  };
}
function sharedRows(own, before) {
  const mine = [];
  const theirs = [];
  for (let i = 0, j = 0; i < own.length && j < before.length; ) {
    if (own[i] === before[j]) {
      mine.push(i++);
      theirs.push(j++);
    } else if (own[i] < before[j]) i++;
    else j++;
  }
  return { mine, theirs };
}
function matchedRows(own, before, column, shared = sharedRows(own.rows, before.rows)) {
  const values = own.values[column];
  const earlier = before.values[column];
  if (values === void 0 || earlier === void 0) return { compared: 0, matched: [] };
  let compared = 0;
  const matched = [];
  for (let k = 0; k < shared.mine.length; k++) {
    const a = values[shared.mine[k]];
    const b = earlier[shared.theirs[k]];
    if (a < 0 || b < 0) continue;
    compared++;
    if (a === b) matched.push(own.rows[shared.mine[k]]);
  }
  return { compared, matched };
}
var ROW_MATCH_DAYS = 7;
function weekBefore(own, earlier) {
  return earlier.filter((d) => d.date < own.date && d.rowSample !== void 0).slice(-ROW_MATCH_DAYS);
}
function closestMatch(own, earlier, column) {
  if (own.rowSample === void 0) return null;
  let best = null;
  for (const e of weekBefore(own, earlier)) {
    const m = matchedRows(own.rowSample, e.rowSample, column);
    if (m.compared < MIN_SHARED_ROWS) continue;
    if (best === null || m.matched.length / m.compared > best.matched.length / best.compared) best = { date: e.date, ...m };
  }
  return best;
}
function rowMatchMetrics(own, earlier) {
  const out = {};
  if (own.rowSample === void 0) return out;
  for (const e of weekBefore(own, earlier)) {
    const shared = sharedRows(own.rowSample.rows, e.rowSample.rows);
    for (const column of Object.keys(own.rowSample.values)) {
      const { compared, matched } = matchedRows(own.rowSample, e.rowSample, column, shared);
      const metric = `${column}.rowMatchShare`;
      if (compared >= MIN_SHARED_ROWS) out[metric] = Math.max(out[metric] ?? 0, matched.length / compared);
    }
  }
  return out;
}
function keyedPair(own, earlier) {
  const keyed = own.rowSample?.keyed;
  if (keyed === void 0) return null;
  const last = weekBefore(own, earlier).filter((d) => d.rowSample.keyed?.key === keyed.key).at(-1);
  if (last === void 0) return null;
  const before = last.rowSample.keyed;
  return { date: last.date, key: keyed.key, own: keyed, before, shared: sharedRows(keyed.ids, before.ids) };
}
function keyMatchMetrics(own, earlier) {
  const keyed = own.rowSample?.keyed;
  if (keyed === void 0) return {};
  const out = { [`${keyed.key}.keyRepeatShare`]: keyed.repeatShare };
  const pair = keyedPair(own, earlier);
  if (pair === null) return out;
  for (const column of Object.keys(keyed.values)) {
    const m = keyMatches(pair, column);
    if (m !== null && m.compared >= MIN_SHARED_ROWS) out[`${column}.keyMatchShare`] = m.same.length / m.compared;
  }
  for (const column of Object.keys(keyed.numbers)) {
    const m = keySteps(pair, column);
    if (m !== null && m.compared >= MIN_SHARED_ROWS) out[`${column}.keyStepShare`] = m.onStep / m.compared;
  }
  return out;
}
function keyMatches(pair, column) {
  const values = pair.own.values[column];
  const earlierValues = pair.before.values[column];
  if (values === void 0 || earlierValues === void 0) return null;
  const { mine, theirs } = pair.shared;
  const same = [];
  const changed = [];
  for (let k = 0; k < mine.length; k++) {
    const a = values[mine[k]];
    const b = earlierValues[theirs[k]];
    if (a < 0 || b < 0) continue;
    (a === b ? same : changed).push(pair.own.rows[mine[k]]);
  }
  const byRow = (x, y) => x - y;
  return { compared: same.length + changed.length, same: same.sort(byRow), changed: changed.sort(byRow) };
}
function keySteps(pair, column) {
  const values = pair.own.numbers[column];
  const earlierValues = pair.before.numbers[column];
  if (values === void 0 || earlierValues === void 0) return null;
  const { mine, theirs } = pair.shared;
  const steps = [];
  for (let k = 0; k < mine.length; k++) {
    const a = values[mine[k]];
    const b = earlierValues[theirs[k]];
    if (typeof a === "number" && typeof b === "number") steps.push({ row: pair.own.rows[mine[k]], step: Math.round((a - b) * 1e6) / 1e6 });
  }
  const counts = /* @__PURE__ */ new Map();
  for (const { step: step2 } of steps) counts.set(step2, (counts.get(step2) ?? 0) + 1);
  let step = 0;
  for (const [s, n] of counts) if (n > (counts.get(step) ?? 0)) step = s;
  if (step === 0) return null;
  const offStep = steps.filter((x) => x.step !== step).map((x) => x.row);
  return { step, compared: steps.length, onStep: steps.length - offStep.length, offStep: offStep.sort((x, y) => x - y) };
}

// src/validate/group-effects.ts
var EFFECT_ETA2 = 0.9;
var EFFECT_GROUPS = 500;
function effectPool(profiles) {
  const pool = /* @__PURE__ */ new Map();
  for (const p of profiles) {
    for (const [relation, groups] of Object.entries(p.effects ?? {})) {
      let sums = pool.get(relation);
      if (sums === void 0) pool.set(relation, sums = /* @__PURE__ */ new Map());
      for (const [group, [n, mean]] of Object.entries(groups)) {
        const s = sums.get(group);
        if (s === void 0) sums.set(group, [n, n * mean]);
        else {
          s[0] += n;
          s[1] += n * mean;
        }
      }
    }
  }
  return pool;
}
function effectMetrics(own, pool, leaveOut) {
  const out = {};
  for (const [relation, groups] of Object.entries(own ?? {})) {
    const sums = pool.get(relation);
    if (sums === void 0) continue;
    const common = [];
    for (const [group, [n, mean]] of Object.entries(groups)) {
      const s = sums.get(group);
      if (s === void 0) continue;
      const rows = s[0] - (leaveOut ? n : 0);
      if (rows <= 0) continue;
      common.push([n, mean, (s[1] - (leaveOut ? n * mean : 0)) / rows]);
    }
    if (common.length < 2) continue;
    let weight = 0;
    let dayMean = 0;
    let usualMean = 0;
    for (const [n, m, usual] of common) {
      weight += n;
      dayMean += n * m;
      usualMean += n * usual;
    }
    dayMean /= weight;
    usualMean /= weight;
    let moved = 0;
    let apart = 0;
    for (const [n, m, usual] of common) {
      moved += n * (m - dayMean - (usual - usualMean)) ** 2;
      apart += n * (usual - usualMean) ** 2;
    }
    if (apart > 1e-12 * weight * Math.max(1, usualMean * usualMean)) out[`${relation}.effectShift`] = Math.sqrt(moved / apart);
  }
  return out;
}

// src/validate/ranges.ts
var BUCKETS_PER_RANGE = 11;
function bound(x) {
  return String(Number(x.toPrecision(3)));
}
function rangeShares(sketch) {
  const out = {};
  if (!(sketch.count > 0)) return out;
  const gamma = (1 + sketch.relativeAccuracy) / (1 - sketch.relativeAccuracy);
  const add = (key, count) => {
    if (count > 0) out[key] = (out[key] ?? 0) + count / sketch.count;
  };
  for (const [store, sign] of [
    [sketch.positive, 1],
    [sketch.negative, -1]
  ]) {
    store.counts.forEach((count, i) => {
      const g = Math.floor((store.offset + i) / BUCKETS_PER_RANGE);
      const low = gamma ** (g * BUCKETS_PER_RANGE - 1);
      const high = gamma ** ((g + 1) * BUCKETS_PER_RANGE - 1);
      add(sign > 0 ? `${bound(low)}..${bound(high)}` : `${bound(-high)}..${bound(-low)}`, count);
    });
  }
  add("0", sketch.zeros);
  return out;
}
var EDGE_RANGES = 2;
var EDGE_SHARE = 0.5;
function cutRanges(own, gone, usual) {
  const present = ascending(Object.keys(own).filter((key) => own[key] > 0));
  if (present.length === 0) return gone.map(([key, share]) => [key, share]);
  const sharp = (edge) => edge.some(({ key }) => usual(key) > 0 && own[key] >= EDGE_SHARE * usual(key));
  const lowest = present[0].bounds[0];
  const highest = present.at(-1).bounds[1];
  const top = sharp(present.slice(-EDGE_RANGES));
  const bottom = sharp(present.slice(0, EDGE_RANGES));
  return gone.flatMap(([key, share]) => {
    const [low, high] = boundsOf(key);
    const counted2 = low >= highest ? top : high <= lowest ? bottom : true;
    return counted2 ? [[key, share]] : [];
  });
}
function boundsOf(key) {
  if (key === "0") return [0, 0];
  const at = key.indexOf("..", 1);
  return [Number(key.slice(0, at)), Number(key.slice(at + 2))];
}
function ascending(keys) {
  return keys.map((key) => ({ key, bounds: boundsOf(key) })).sort((a, b) => a.bounds[0] - b.bounds[0]);
}
function joinedRanges(ranges) {
  const shares = new Map(ranges);
  const out = [];
  for (const { key, bounds } of ascending([...shares.keys()])) {
    const share = shares.get(key);
    const last = out.at(-1);
    if (last !== void 0 && last.high === bounds[0]) {
      last.high = bounds[1];
      last.share += share;
    } else out.push({ low: bounds[0], high: bounds[1], share });
  }
  return out;
}

// src/validate/level-shift.ts
var MIN_FIT_DAYS = 10;
function levelShiftMetric(column) {
  return `${column}.levelShift`;
}
function point(metrics, column) {
  const mean = metrics[`${column}.mean`];
  const std = metrics[`${column}.std`];
  const q25 = metrics[`${column}.q25`];
  const q75 = metrics[`${column}.q75`];
  if (![mean, std, q25, q75].every((v) => v !== void 0 && Number.isFinite(v))) return null;
  return { x: [1, std, q75 - q25], y: mean };
}
function fit(points) {
  const k = points[0].x.length;
  const a = Array.from({ length: k }, () => new Array(k + 1).fill(0));
  for (const { x, y } of points) {
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) a[i][j] += x[i] * x[j];
      a[i][k] += x[i] * y;
    }
  }
  const tolerance = 1e-9 * Math.max(...a.map((row, i) => Math.abs(row[i])));
  for (let c = 0; c < k; c++) {
    let pivot = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) pivot = r;
    if (!(Math.abs(a[pivot][c]) > tolerance)) return null;
    [a[c], a[pivot]] = [a[pivot], a[c]];
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      for (let j = c; j <= k; j++) a[r][j] -= f * a[c][j];
    }
  }
  return a.map((row, i) => row[k] / row[i]);
}
function residual(p, b) {
  return p.y - p.x.reduce((s, v, i) => s + v * b[i], 0);
}
function levelShifts(newest, history, column) {
  const own = point(newest, column);
  const points = history.map((h) => point(h, column));
  const usable = points.filter((p) => p !== null);
  if (own === null || usable.length < MIN_FIT_DAYS + 3) return null;
  for (const keep of REGRESSORS) {
    const pick = (p) => ({ x: keep.map((k) => p.x[k]), y: p.y });
    const picked = usable.map(pick);
    const all = fit(picked);
    if (all === null) continue;
    const history2 = points.map((p) => {
      if (p === null) return void 0;
      const left = usable.indexOf(p);
      const b = fit(picked.filter((_, j) => j !== left));
      return b === null ? void 0 : residual(picked[left], b);
    });
    return { newest: residual(pick(own), all), history: history2 };
  }
  return null;
}
var REGRESSORS = [
  [0, 1, 2],
  [0, 1],
  [0, 2]
];

// src/validate/class-shifts.ts
var CLASS_SHIFT = "classShift:";
var REFERENCE_WEEKS = 3;
var MIN_REFERENCE_WEEKS = 2;
var MIN_CLASS_SHARE = 0.01;
function classShiftMetric(label, value) {
  return `${label}.${CLASS_SHIFT}${value.replace(/%/g, "%25").replace(/\./g, "%2E")}`;
}
function classOfShift(statistic) {
  if (!statistic.startsWith(CLASS_SHIFT)) return null;
  return statistic.slice(CLASS_SHIFT.length).replace(/%2E/g, ".").replace(/%25/g, "%");
}
function classShifts(days, label, since) {
  const listed = days.filter((d) => d.shares !== null);
  const all = new Set(listed.flatMap((d) => Object.keys(d.shares)));
  const out = days.map(() => ({}));
  if (all.size < 3) return out;
  const classes = [...all].filter((c) => median(listed.map((d) => d.shares[c] ?? 0)) >= MIN_CLASS_SHARE);
  days.forEach((day, i) => {
    if (day.shares === null) return;
    for (const c of classes) {
      const metric = classShiftMetric(label, c);
      const from = since(metric, day.date);
      const references = [];
      for (let j = i - 1; j >= 0 && references.length < REFERENCE_WEEKS; j--) {
        const earlier = days[j];
        if (earlier.date < from) break;
        if (earlier.weekday === day.weekday && earlier.shares !== null) references.push(earlier.shares[c] ?? 0);
      }
      if (references.length >= MIN_REFERENCE_WEEKS) out[i][metric] = (day.shares[c] ?? 0) - median(references);
    }
  });
  return out;
}

// src/validate/clock-change.ts
var MIN_HOUR_ROWS = 20;
var CHANGED_SHARE = 0.5;
var REPEATED_SHARE = 1.5;
function clockColumns(features, timeZone) {
  const hourly = new Set(features.filter((f) => f.transform === "hourOfDay").map((f) => f.name));
  if (hourly.size === 0) return void 0;
  const crossed = /* @__PURE__ */ new Set();
  for (const f of features) if (f.transform === "cross" && (f.cross ?? []).some((name) => hourly.has(name) || crossed.has(name))) crossed.add(f.name);
  const column = (name) => `${DERIVED_PREFIX}${name}`;
  return { hours: [...hourly].map(column), crossed: [...crossed].map(column), ...timeZone === void 0 ? {} : { timeZone } };
}
function changedHours(date, rows, shares, usual, timeZone) {
  const ratio = (hour) => {
    const expected = usual(String(hour));
    return expected * rows < MIN_HOUR_ROWS ? null : (shares[String(hour)] ?? 0) / expected;
  };
  const ratios = Array.from({ length: 24 }, (_, hour) => ratio(hour));
  if (!ratios.some((r) => r !== null && (r < CHANGED_SHARE || r > REPEATED_SHARE))) return [];
  return clockChanges(date, timeZone).filter(({ hour, kind }) => {
    const r = ratios[hour];
    return r !== null && r !== void 0 && (kind === "skipped" ? r < CHANGED_SHARE : r > REPEATED_SHARE);
  }).map(({ hour }) => String(hour));
}

// src/validate/twelve-hour.ts
var FOLD_FIT = 3;
function foldedShare(shares, usual, rows, leftOut = []) {
  if (quietFoldedHours(usual).length === 0) return 0;
  const floor = 0.5 / Math.max(1, rows);
  const hours = Array.from({ length: 24 }, (_, h) => h).filter((h) => !leftOut.includes(String(h)));
  const fold = (h) => h === 0 || h >= 13 ? -usual(h) : h === 12 ? usual(0) : usual(h + 12);
  const weight = (h) => 1 / Math.max(usual(h), floor);
  const deviation = (h) => (shares[String(h)] ?? 0) - usual(h);
  const sum2 = (term) => hours.reduce((total, h) => total + term(h) * weight(h), 0);
  const along = sum2((h) => deviation(h) * fold(h));
  const norm = sum2((h) => fold(h) ** 2);
  if (!(norm > 0) || !(along > 0)) return 0;
  const share = along / norm;
  return sum2((h) => (deviation(h) - share * fold(h)) ** 2) * FOLD_FIT <= sum2((h) => deviation(h) ** 2) ? share : 0;
}
function quietFoldedHours(usual) {
  return Array.from({ length: 11 }, (_, i) => i + 1).filter((h) => usual(h) < usual(h + 12) / 4);
}

// src/validate/even-loss.ts
var MIN_GROUP_ROWS3 = 200;
var MIN_GROUPS = 5;
var KEPT_QUANTILE = 0.9;
var LOST_QUANTILE = 0.1;
var EVEN_SHARE = 0.5;
function groupsKept(newest, usual, leaveOut) {
  const measured = [];
  for (const [column, own] of Object.entries(newest.categories)) {
    if (leaveOut.has(column) || own.ranges === true) continue;
    const earlier = usual.map((p) => p.categories[column]);
    if (earlier.length === 0 || earlier.some((e) => e === void 0 || e.ranges === true)) continue;
    const ratios = [];
    for (const value of Object.keys(earlier[0].shares)) {
      const counts = usual.map((p, i) => (earlier[i].shares[value] ?? (earlier[i].complete ? 0 : Number.NaN)) * p.rows);
      if (counts.some(Number.isNaN)) continue;
      const expected = median(counts);
      if (expected < MIN_GROUP_ROWS3) continue;
      const share = own.shares[value] ?? (own.complete ? 0 : null);
      if (share === null) continue;
      ratios.push({ ratio: share * newest.rows / expected, weight: expected });
    }
    if (ratios.length < MIN_GROUPS) continue;
    measured.push({ column, groups: ratios.length, kept: weightedQuantile(ratios, KEPT_QUANTILE), least: weightedQuantile(ratios, LOST_QUANTILE) });
  }
  return measured;
}
function evenAcross(columns, missing) {
  if (columns.length === 0) return null;
  const even = columns.every((c) => 1 - c.kept >= EVEN_SHARE * missing && c.least >= EVEN_SHARE * (1 - missing));
  return even ? columns.reduce((a, b) => b.kept > a.kept ? b : a) : null;
}
function weightedQuantile(items, q) {
  const sorted = [...items].sort((a, b) => a.ratio - b.ratio);
  const total = sorted.reduce((sum2, x) => sum2 + x.weight, 0);
  let below = 0;
  for (const x of sorted) {
    below += x.weight;
    if (below >= q * total) return x.ratio;
  }
  return sorted.at(-1).ratio;
}

// src/validate/month-days.ts
var MIN_MONTHS = 1;
var MONTH_FACTOR = 1.5;
var MONTH_AGREEMENT = 2;
function monthPosition(date) {
  const t = Date.parse(`${date}T00:00:00Z`);
  if (!Number.isFinite(t)) return null;
  if (new Date(t).getUTCDate() === 1) return "first";
  return new Date(t + 864e5).getUTCDate() === 1 ? "last" : null;
}
function monthFactor(date, earlier) {
  const position = monthPosition(date);
  if (position === null) return null;
  const ratios = earlier.filter((d) => d.date < date && monthPosition(d.date) === position && Number.isFinite(d.ratio) && d.ratio > 0).map((d) => d.ratio).sort((a, b) => a - b);
  if (ratios.length < MIN_MONTHS) return null;
  const low = ratios[0];
  const high = ratios.at(-1);
  const rhythm = low >= MONTH_FACTOR || high <= 1 / MONTH_FACTOR;
  if (!rhythm || high / low > MONTH_AGREEMENT) return null;
  return { position, factor: median(ratios), low, high, months: ratios.length };
}

// src/validate/scale-change.ts
var SCALE_STATISTICS = ["std", "q25", "q50", "q75"];
var SCALE_SPREADS = 4;
var SCALE_AGREEMENT = 2;
function scaleChange(measured) {
  const all = SCALE_STATISTICS.map((statistic) => ({ statistic, m: measured.get(statistic) }));
  if (all.some(({ m }) => m === void 0 || !(m.value > 0 && m.center > 0))) return null;
  const spread = measured.get("std");
  const way = Math.sign(spread.score);
  const beyond = (m) => (way > 0 ? m.value > m.high : m.value < m.low) && way * m.score >= SCALE_SPREADS;
  if (way === 0 || !all.every(({ m }) => beyond(m))) return null;
  const logFactor = Math.log(spread.value / spread.center);
  const agrees = (m) => {
    const ratio = Math.log(m.value / m.center) / logFactor;
    return ratio >= 1 / SCALE_AGREEMENT && ratio <= SCALE_AGREEMENT;
  };
  if (!all.every(({ m }) => agrees(m))) return null;
  const ratios = all.map(({ m }) => m.value / m.center).sort((a, b) => a - b);
  return { factor: (ratios[1] + ratios[2]) / 2, statistics: all.map(({ statistic, m }) => ({ statistic, value: m.value, expected: m.center })) };
}

// src/validate/profile.ts
var PROFILE_CATEGORIES = 500;
var RELATION_GROUPS = 1e4;
function createRelations(codes = /* @__PURE__ */ new Set()) {
  const sums = /* @__PURE__ */ new Map();
  const metricsOf = () => {
    const out = {};
    for (const [key, { groups, overflow }] of sums) {
      if (overflow) continue;
      let n = 0;
      let s = 0;
      let ss = 0;
      let within = 0;
      for (const [gn, gs, gss] of groups.values()) {
        n += gn;
        s += gs;
        ss += gss;
        within += gss - gs * gs / gn;
      }
      const total = ss - s * s / n;
      if (n < 100 || total <= 1e-12 * Math.max(1, ss)) continue;
      const eta2 = Math.min(1, Math.max(0, 1 - within / total));
      out[`${key}.eta2`] = eta2;
      const k = groups.size;
      if (k >= 2 && n > k) out[`${key}.signal`] = relationSignal(eta2, k, n);
    }
    return out;
  };
  return {
    add(table) {
      const numeric = table.columns.filter((c) => c.type === "number" && !codes.has(c.name));
      const categorical = table.columns.flatMap((c) => c.type === "string" ? [c] : c.type === "boolean" && numeric.length > 0 ? [booleansAsText(c)] : []);
      for (const x of numeric) {
        for (const g of categorical) {
          const key = joinColumns("|", x.name, g.name);
          let entry = sums.get(key);
          if (entry === void 0) sums.set(key, entry = { groups: /* @__PURE__ */ new Map(), overflow: false });
          if (entry.overflow) continue;
          const n = new Float64Array(g.dictionary.length);
          const s = new Float64Array(g.dictionary.length);
          const ss = new Float64Array(g.dictionary.length);
          for (let i = 0; i < table.rowCount; i++) {
            const code = g.codes[i];
            const v = x.values[i];
            if (code < 0 || !Number.isFinite(v) || x.nulls !== null && x.nulls[i] === 1) continue;
            n[code]++;
            s[code] += v;
            ss[code] += v * v;
          }
          for (let code = 0; code < n.length; code++) {
            if (n[code] === 0) continue;
            const text = g.dictionary[code];
            const group = entry.groups.get(text);
            if (group === void 0) entry.groups.set(text, [n[code], s[code], ss[code]]);
            else {
              group[0] += n[code];
              group[1] += s[code];
              group[2] += ss[code];
            }
          }
          if (entry.groups.size > RELATION_GROUPS) entry.overflow = true;
        }
      }
    },
    result: metricsOf,
    effects() {
      const metrics = metricsOf();
      const out = {};
      for (const [key, { groups, overflow }] of sums) {
        const held = (metrics[`${key}.signal`] ?? 0) >= HELD_SIGNAL && (metrics[`${key}.eta2`] ?? 0) >= EFFECT_ETA2;
        if (overflow || groups.size > EFFECT_GROUPS || !held) continue;
        out[key] = Object.fromEntries([...groups].map(([g, [gn, gs]]) => [g, [gn, Number((gs / gn).toPrecision(7))]]));
      }
      return out;
    }
  };
}
function relationSignal(eta2, groups, rows) {
  const f = eta2 / (groups - 1) / (Math.max(1e-12, 1 - eta2) / (rows - groups));
  return (f - 1) * Math.sqrt((groups - 1) / 2);
}
var HELD_SIGNAL = 10;
var SKETCH_SIZE = 256;
var TIMED_SKETCH_SIZE = 2048;
function mergeSketch(sketch, hashes, size = SKETCH_SIZE) {
  const all = Float64Array.from([...sketch, ...Array.from(hashes)]).sort();
  const out = [];
  for (let i = 0; i < all.length && out.length < size; i++) if (i === 0 || all[i] !== all[i - 1]) out.push(all[i]);
  return out;
}
function sketchSimilarity(a, b) {
  const k = Math.max(a.length, b.length);
  let i = 0;
  let j = 0;
  let union = 0;
  let both = 0;
  while (union < k && (i < a.length || j < b.length)) {
    const x = i < a.length ? a[i] : Infinity;
    const y = j < b.length ? b[j] : Infinity;
    if (x === y) both++;
    if (x <= y) i++;
    if (y <= x) j++;
    union++;
  }
  return union === 0 ? 0 : both / union;
}
var QUANTILES = [
  ["q05", 0.05],
  ["q25", 0.25],
  ["q50", 0.5],
  ["q75", 0.75],
  ["q95", 0.95]
];
function profileOf(date, stats, extra) {
  const metrics = { rows: stats.rows, ...extra.relations, ...extra.numericShape, ...extra.repeatsAbove };
  const categories = {};
  if (stats.rows > 0) metrics["duplicates.share"] = extra.duplicates / stats.rows;
  if (stats.rows > 0 && typeof extra.inputRepeats === "number") metrics["duplicates.inputShare"] = extra.inputRepeats / stats.rows;
  for (const c of stats.columns) {
    const put = (name, value) => {
      if (value !== null && Number.isFinite(value)) metrics[`${c.name}.${name}`] = value;
    };
    put("nullRate", nullFraction(c));
    if (c.type === "timestamp") {
      timeMetrics(c, date, wallClock(extra.timeZone), put);
      continue;
    }
    if (c.numeric !== void 0 && extra.codes?.has(c.name) !== true) numericMetrics(c, put);
    const levels = c.type === "number" ? c.numeric?.valueCounts : null;
    if (Array.isArray(levels)) categories[c.name] = { shares: levelShares(levels), complete: true, levels: true };
    else if (c.name === extra.ranges && c.type === "number" && c.numeric !== void 0) {
      categories[c.name] = { shares: rangeShares(c.numeric.sketch), complete: true, ranges: true };
      put("topEdge", topEdge(c));
    }
    if (c.categorical !== void 0) {
      const present = c.count - c.nulls;
      put("distinct", c.categorical.distinct);
      const entries = Object.entries(c.categorical.frequencies).sort((a, b) => b[1] - a[1]).slice(0, PROFILE_CATEGORIES);
      const shares = {};
      for (const [value, count] of entries) shares[value] = present === 0 ? 0 : count / present;
      if (!c.name.startsWith(DERIVED_PREFIX)) put("topShare", entries[0] === void 0 || present === 0 ? 0 : entries[0][1] / present);
      categories[c.name] = { shares, complete: !c.categorical.distinctIsLowerBound && c.categorical.distinct <= PROFILE_CATEGORIES };
    }
  }
  return {
    date,
    rows: stats.rows,
    metrics,
    categories,
    ...extra.sketch === void 0 ? {} : { sketch: extra.sketch },
    ...extra.timedSketch === void 0 ? {} : { timedSketch: extra.timedSketch },
    ...extra.dependencies === void 0 ? {} : { dependencies: extra.dependencies },
    ...extra.orientations === void 0 ? {} : { orientations: extra.orientations },
    ...extra.labelGroups === void 0 ? {} : { labelGroups: extra.labelGroups },
    ...extra.frozenGroups === void 0 ? {} : { frozenGroups: extra.frozenGroups },
    ...extra.rowSample === void 0 ? {} : { rowSample: extra.rowSample },
    ...extra.effects === void 0 ? {} : { effects: extra.effects }
  };
}
var TOP_EDGE_ROWS = 4e3;
function topEdge(c) {
  const m = c.numeric;
  if (valueCount(c) < TOP_EDGE_ROWS || m.sketch.max === null) return null;
  const q99 = quantile(c, 0.99);
  const q995 = quantile(c, 0.995);
  return q995 > q99 ? (m.sketch.max - q995) / (q995 - q99) : null;
}
function levelShares(counts) {
  const total = counts.reduce((sum2, [, k]) => sum2 + k, 0);
  return Object.fromEntries(counts.map(([v, k]) => [String(v), total === 0 ? 0 : k / total]));
}
function timeMetrics(c, date, clock, put) {
  const midnight = Date.parse(`${date}T00:00:00Z`);
  if (c.numeric === void 0 || !Number.isFinite(midnight) || valueCount(c) === 0) return;
  let first = (clock(c.numeric.min) - midnight) / MS_PER_HOUR;
  let last = (clock(c.numeric.max) - midnight) / MS_PER_HOUR;
  if (!(first >= 0 && last < 24)) {
    first = (c.numeric.min - midnight) / MS_PER_HOUR;
    last = (c.numeric.max - midnight) / MS_PER_HOUR;
  }
  put("firstHour", first);
  put("lastHour", last);
  if (c.numeric.midnights !== void 0) put("midnightShare", c.numeric.midnights / valueCount(c));
}
function numericMetrics(c, put) {
  const m = c.numeric;
  const finite = valueCount(c);
  const present = c.count - c.nulls;
  put("nonFiniteShare", present === 0 ? 0 : m.nonFinite / present);
  if (finite === 0) return;
  const moments = m.valueCounts === null ? trimmedMoments(m) ?? m : m;
  put("mean", moments.mean);
  put("std", moments.std);
  put("negativeShare", m.negatives / finite);
  put("zeroShare", m.zeros / finite);
  const nonIntegers = m.nonIntegers;
  if (typeof nonIntegers === "number") put("nonIntegerShare", nonIntegers / finite);
  for (const [name, q] of QUANTILES) put(name, quantile(c, q));
  tailMetrics(c, put);
}
var FAR_OUT = 3;
function tailMetrics(c, put) {
  if (Array.isArray(c.numeric.valueCounts)) return;
  const q1 = quantile(c, 0.25);
  const q3 = quantile(c, 0.75);
  if (q1 === null || q3 === null || !(q3 > q1)) return;
  const low = q1 - FAR_OUT * (q3 - q1);
  const high = q3 + FAR_OUT * (q3 - q1);
  const sample = c.numeric.sample;
  if (sample !== null) {
    put("lowTailShare", sample.filter((x) => x < low).length / sample.length);
    put("highTailShare", sample.filter((x) => x > high).length / sample.length);
    return;
  }
  const sketch = QuantileSketch.fromJSON(c.numeric.sketch);
  put("lowTailShare", low <= sketch.min ? 0 : sketch.cdf(low - Math.abs(low) * 0.02));
  put("highTailShare", high >= sketch.max ? 0 : 1 - sketch.cdf(high + Math.abs(high) * 0.02));
}

// src/validate/history.ts
var BROKEN_SIGNAL = 3;
var SIGNAL_SPREADS = 8;
var EDGE_FALL = 0.5;
var EDGE_HELD = 3;
function signalFall(value, earlier) {
  const logs = earlier.map((v) => Math.log(Math.max(v, 1)));
  const center = median(logs);
  const spread = Math.max(1.4826 * median(logs.map((l) => Math.abs(l - center))), 0.05);
  return (center - Math.log(Math.max(value, 1))) / spread;
}
var CHANCE = { "model.auc": 0.5, "model.r2": 0 };
var SKILLED = 0.1;
var SKILLED_NOISES = 4;
var CHANCE_REACH_SPREADS = 3;
var CHANCE_SPREADS = 5;
var SKILL_KEPT = 1 / 3;
var COPY_DAYS = 28;
function copySimilarity(p, earlier, which) {
  const own = p[which];
  if (own === void 0 || own.length === 0) return null;
  let best = null;
  for (const e of earlier.filter((d) => d.date < p.date).slice(-COPY_DAYS)) {
    const other = e[which];
    if (other === void 0 || other.length === 0) continue;
    best = Math.max(best ?? 0, sketchSimilarity(own, other));
  }
  return best;
}
function isRelation(metric) {
  return metric.endsWith(".eta2") || metric.endsWith(".signal") || metric.endsWith(".effectShift") || metric.endsWith(".correlation");
}
function badDirection(metric) {
  if (metric.endsWith(".divergence") || metric.endsWith(".unseenShare") || metric.endsWith(".unseenPairShare") || metric.endsWith(".mismatchShare") || metric.endsWith(".reversedShare") || metric.endsWith(".oppositeShare") || metric.endsWith(".absentLabelShare") || metric.endsWith(".spikeShare") || metric.endsWith(".frozenShare") || metric.endsWith(".stuckShare") || metric.endsWith(".rowMatchShare") || metric.endsWith(".keyRepeatShare") || metric.endsWith(".roundShare") || metric.endsWith(".repeatAboveShare") || metric.endsWith(".resolution") || metric.endsWith(".vanishedShare") || metric.endsWith(".midnightShare") || metric.endsWith(".foldedShare") || metric.endsWith(".effectShift") || metric.startsWith("duplicates.") || metric.startsWith("copy."))
    return "up";
  if (metric.startsWith("model.")) return isModelError(metric) ? "up" : "down";
  if (metric.endsWith(".topEdge")) return "down";
  return "both";
}
function isModelError(metric) {
  return metric.startsWith("model.") && metricDirection(metric.slice("model.".length)) === "lowerIsBetter";
}
var ROW_DEFECT = /(mismatchShare|unseenPairShare|reversedShare|absentLabelShare|frozenShare|spikeShare|roundShare|repeatAboveShare|duplicates\.share|duplicates\.inputShare|nullRate|nonFiniteShare|negativeShare|zeroShare|nonIntegerShare|unseenShare|vanishedShare|midnightShare|keyRepeatShare)$/;
var DEPENDENCY_FLOOR = 2e-4;
function spreadFloor(metric, center, history, rows) {
  const chance = () => chanceRows(metric, history) / Math.max(1, rows);
  if (metric.endsWith(".mismatchShare") || metric.endsWith(".oppositeShare")) return Math.max(DEPENDENCY_FLOOR, 1 / Math.max(1, rows));
  if (metric.endsWith(".keyMatchShare") || metric.endsWith(".keyStepShare")) return Math.max(1e-3, 3 / Math.max(1, Math.min(rows, ROW_SAMPLE_SIZE)));
  if (metric.endsWith(".stuckShare")) return 1 / Math.max(1, rows);
  if (ROW_DEFECT.test(metric)) return Math.max(5e-4, chance());
  if (metric.endsWith(".correlation")) return correlationNoise(center, rows);
  if (/TailShare$/.test(metric)) return chance();
  if (/(Share|Rate|share|divergence|[sS]imilarity|eta2)$/.test(metric) || statisticOf(metric).startsWith(CLASS_SHIFT)) return 1e-3;
  if (metric.endsWith(".effectShift")) return 1e-3;
  if (/(firstHour|lastHour)$/.test(metric)) return 1 / 60;
  if (metric.endsWith(".resolution")) return 0.05;
  if (metric.startsWith("model.")) return isModelError(metric) ? Math.max(1e-9, 0.01 * Math.abs(center)) : 5e-3;
  const statistic = statisticOf(metric);
  if (statistic === "mean" || statistic === "levelShift" || /^q\d\d$/.test(statistic)) {
    const column = columnOf(metric);
    const stds = history.map((h) => h.metrics[`${column}.std`]).filter((x) => Number.isFinite(x));
    if (stds.length > 0) {
      const std = median(stds);
      if (statistic === "mean") return Math.max(1e-9, 0.02 * std);
      const whole = history.every((h) => h.metrics[`${column}.nonIntegerShare`] === 0);
      return Math.max(
        1e-9,
        0.02 * std,
        quantileStep(
          history.map((h) => h.metrics[metric]),
          std,
          whole
        )
      );
    }
  }
  return Math.max(1e-9, 0.01 * Math.abs(center));
}
var CHANCE_ROWS = 3;
var UNSEEN_CHANCE_ROWS = 0.5;
function chanceRows(metric, history) {
  return VALUE_DEFECT.test(metric) && history.every((h) => h.metrics[metric] === 0) ? UNSEEN_CHANCE_ROWS : CHANCE_ROWS;
}
var TAIL_RISE = 4;
var TAIL_CHANCE = 1e-9;
function tailRise(value, highest, values) {
  const due = Math.max(UNSEEN_CHANCE_ROWS, highest * values);
  const held = Math.round(value * values);
  if (held < TAIL_RISE * due) return null;
  const chance = regularizedGammaP(held, due);
  return chance <= TAIL_CHANCE ? { held, due, chance } : null;
}
var VALUE_DEFECT = /(nullRate|nonFiniteShare|negativeShare|zeroShare|nonIntegerShare|midnightShare|spikeShare|duplicates\.share|duplicates\.inputShare|TailShare)$/;
var STUCK_QUANTILE_STEP = 0.25;
function quantileStep(values, std, whole) {
  const finite = values.filter((v) => v !== void 0 && Number.isFinite(v));
  const distinct = [...new Set(finite)].sort((a, b) => a - b);
  const unit = whole ? 1 : 0;
  if (distinct.length === 1) return Math.max(unit, STUCK_QUANTILE_STEP * std);
  if (distinct.length < 2 || distinct.length > finite.length / 2) return unit;
  return Math.max(unit, median(distinct.slice(1).map((v, i) => v - distinct[i])));
}
function weekdayOf(date) {
  return isoWeekday(Date.parse(`${date}T00:00:00Z`) / MS_PER_DAY);
}
function poolSums(profiles) {
  const columns = /* @__PURE__ */ new Map();
  for (const [at, p] of profiles.entries()) {
    for (const [column, own] of Object.entries(p.categories)) {
      let sums = columns.get(column);
      if (sums === void 0) columns.set(column, sums = { shares: /* @__PURE__ */ new Map(), listing: /* @__PURE__ */ new Map(), first: /* @__PURE__ */ new Map(), days: 0, complete: true });
      sums.days++;
      sums.complete &&= own.complete;
      for (const [v, s] of Object.entries(own.shares)) {
        sums.shares.set(v, (sums.shares.get(v) ?? 0) + s);
        sums.listing.set(v, (sums.listing.get(v) ?? 0) + 1);
        if (!sums.first.has(v)) sums.first.set(v, at);
      }
    }
  }
  return { days: profiles.length, rows: profiles.map((p) => p.rows), columns, order: new Map(profiles.map((p, at) => [p.date, at])) };
}
function unseenShareOf(date, shares, all, order) {
  const at = order.get(date);
  const isNew = at === void 0 ? (v) => !all.listing.has(v) : at < MIN_EARLIER_DAYS ? (v) => all.listing.get(v) === 1 : (v) => all.first.get(v) === at;
  let unseen = 0;
  for (const [v, s] of Object.entries(shares)) if (isNew(v)) unseen += s;
  return unseen;
}
function comparativeMetrics(profile, pool, everyDay, selfInPool, clock) {
  const out = {};
  const changed = clock === void 0 ? /* @__PURE__ */ new Map() : clockChangeHours(profile, pool, selfInPool, clock);
  for (const [column, listed] of Object.entries(profile.categories)) {
    if (changed.size > 0 && clock.crossed.includes(column)) continue;
    const pooled = pool.columns.get(column);
    if (pooled === void 0) continue;
    const hours = changed.get(column);
    const { own, sums, leaveOut } = hours === void 0 ? { own: listed, sums: pooled, leaveOut: selfInPool } : withoutValues(listed, pooled, selfInPool, hours);
    const days = sums.days - (leaveOut ? 1 : 0);
    if (days < 1) continue;
    if (own.levels !== true && own.ranges !== true) out[`${column}.divergence`] = jensenShannon(own.shares, sums.shares, days, leaveOut);
    if (clock?.hours.includes(column) === true) {
      const usual = usualShare(listed, pooled, selfInPool);
      out[`${column}.foldedShare`] = foldedShare(listed.shares, (hour) => usual(String(hour)), profile.rows, hours);
    }
    const gone = own.ranges === true ? rangesGone(profile, column, pool, selfInPool) : own.complete ? vanishedFrom(own.shares, sums, days) : null;
    if (gone !== null) out[`${column}.vanishedShare`] = gone.reduce((sum2, [, share]) => sum2 + share, 0);
    if (own.ranges === true) continue;
    const all = everyDay.columns.get(column);
    if (all.complete && own.complete) {
      out[`${column}.unseenShare`] = unseenShareOf(profile.date, own.shares, all, everyDay.order);
    }
  }
  return out;
}
function usualShare(own, pooled, selfInPool) {
  const days = pooled.days - (selfInPool ? 1 : 0);
  return (value) => Math.max(0, (pooled.shares.get(value) ?? 0) - (selfInPool ? own.shares[value] ?? 0 : 0)) / days;
}
function clockChangeHours(profile, pool, selfInPool, clock) {
  const out = /* @__PURE__ */ new Map();
  for (const column of clock.hours) {
    const own = profile.categories[column];
    const pooled = pool.columns.get(column);
    if (own === void 0 || pooled === void 0 || pooled.days - (selfInPool ? 1 : 0) < 1) continue;
    const hours = changedHours(profile.date, profile.rows, own.shares, usualShare(own, pooled, selfInPool), clock.timeZone);
    if (hours.length > 0) out.set(column, hours);
  }
  return out;
}
function withoutValues(own, pooled, selfInPool, left) {
  const days = pooled.days - (selfInPool ? 1 : 0);
  const pooledShare = (v) => (pooled.shares.get(v) ?? 0) - (selfInPool ? own.shares[v] ?? 0 : 0);
  const ownLeft = left.reduce((sum2, v) => sum2 + (own.shares[v] ?? 0), 0);
  const poolLeft = left.reduce((sum2, v) => sum2 + pooledShare(v), 0) / days;
  if (days < 1 || ownLeft >= 1 || poolLeft >= 1) return { own, sums: pooled, leaveOut: selfInPool };
  const shares = /* @__PURE__ */ new Map();
  const listing = /* @__PURE__ */ new Map();
  for (const v of pooled.shares.keys()) if (!left.includes(v)) shares.set(v, pooledShare(v) / (1 - poolLeft));
  for (const [v, n] of pooled.listing) if (!left.includes(v)) listing.set(v, n - (selfInPool && own.shares[v] !== void 0 ? 1 : 0));
  const ownShares = Object.fromEntries(Object.entries(own.shares).flatMap(([v, s]) => left.includes(v) ? [] : [[v, s / (1 - ownLeft)]]));
  return { own: { ...own, shares: ownShares }, sums: { shares, listing, first: pooled.first, days, complete: pooled.complete }, leaveOut: false };
}
function vanishedFrom(shares, sums, days) {
  const out = [];
  for (const [v, listed] of sums.listing) if ((shares[v] ?? 0) === 0 && listed >= days) out.push([v, sums.shares.get(v) / days]);
  return out;
}
var MIX_WEEKDAY_DAYS = 3;
function mixPool(date, history) {
  const same = history.filter((h) => weekdayOf(h.date) === weekdayOf(date));
  return same.length >= MIX_WEEKDAY_DAYS ? same : history;
}
var GONE_PER_ROW_MISSING = 2;
function rangesGone(profile, column, pool, leaveOut) {
  const own = profile.categories[column];
  const sums = pool.columns.get(column);
  const days = sums.days - (leaveOut ? 1 : 0);
  const vanished = vanishedFrom(own.shares, sums, days);
  const cut = cutRanges(own.shares, vanished, (key) => ((sums.shares.get(key) ?? 0) - (leaveOut ? own.shares[key] ?? 0 : 0)) / days);
  const pooledRows = [...pool.rows];
  if (leaveOut) pooledRows.splice(pooledRows.indexOf(profile.rows), 1);
  const expected = pooledRows.reduce((sum2, r) => sum2 + r, 0) / pooledRows.length;
  const usualLack = 1 - Math.min(...pooledRows) / expected;
  const missing = Math.max(0, 1 - profile.rows / expected);
  return cut.reduce((sum2, [, share]) => sum2 + share, 0) <= GONE_PER_ROW_MISSING * missing + usualLack ? cut : [];
}
function vanishedValues(newest, history, column) {
  const own = newest.categories[column];
  const pool = poolSums(mixPool(newest.date, history));
  const sums = pool.columns.get(column);
  if (own === void 0 || sums === void 0) return [];
  return own.ranges === true ? rangesGone(newest, column, pool, false) : vanishedFrom(own.shares, sums, sums.days);
}
function mixBeside(newest, history, column) {
  const own = newest.categories[column];
  const sums = poolSums(mixPool(newest.date, history)).columns.get(column);
  if (own === void 0 || sums === void 0) return null;
  return {
    values: [.../* @__PURE__ */ new Set([...Object.keys(own.shares), ...sums.shares.keys()])],
    share: (value) => own.shares[value] ?? 0,
    usual: (value) => (sums.shares.get(value) ?? 0) / sums.days
  };
}
function mixChanges(newest, history, column, limit) {
  const mix = mixBeside(newest, history, column);
  if (mix === null) return [];
  return mix.values.map((value) => ({ value, share: mix.share(value), usual: mix.usual(value) })).sort((a, b) => Math.abs(b.share - b.usual) - Math.abs(a.share - a.usual)).filter((m, _, [first]) => Math.abs(m.share - m.usual) >= 0.5 * Math.abs(first.share - first.usual)).slice(0, limit);
}
function jensenShannon(p, sums, days, leaveOut) {
  let pOther = 1;
  let qOther = 1;
  let divergence = 0;
  const term = (a, b) => {
    const m = (a + b) / 2;
    return (a > 0 ? a * Math.log2(a / m) : 0) + (b > 0 ? b * Math.log2(b / m) : 0);
  };
  for (const [k, sum2] of sums) {
    const a = p[k] ?? 0;
    const b = Math.max(0, (sum2 - (leaveOut ? a : 0)) / days);
    pOther -= a;
    qOther -= b;
    divergence += term(a, b);
  }
  for (const [k, a] of Object.entries(p)) {
    if (sums.has(k)) continue;
    pOther -= a;
    divergence += term(a, 0);
  }
  divergence += term(Math.max(0, pOther), Math.max(0, qOther));
  return Math.sqrt(Math.max(0, Math.min(1, divergence / 2)));
}
function compareWithHistory(newest, all, options, part = "all") {
  const history = all.filter((h) => h.date < newest.date).slice(-options.maxDays);
  if (history.length < options.minDays) return [];
  if (part === "model") {
    const scores = Object.fromEntries(Object.entries(newest.metrics).filter(([metric]) => metric.startsWith("model.")));
    return judge(
      scores,
      history.map((h) => ({ date: h.date, weekday: weekdayOf(h.date), metrics: h.metrics })),
      newest,
      options,
      () => []
    );
  }
  const weekdays = /* @__PURE__ */ new Map();
  for (const h of history) weekdays.set(weekdayOf(h.date), [...weekdays.get(weekdayOf(h.date)) ?? [], h]);
  const allSums = poolSums(history);
  const weekdaySums = new Map([...weekdays].map(([w, days]) => [w, poolSums(days)]));
  const poolOf = (p, inPool) => {
    const w = weekdayOf(p.date);
    const group = weekdays.get(w)?.length ?? 0;
    return group - (inPool ? 1 : 0) >= MIX_WEEKDAY_DAYS ? weekdaySums.get(w) : allSums;
  };
  const comparative = (p, inPool) => comparativeMetrics(p, poolOf(p, inPool), allSums, inPool, options.clock);
  const similarity = (p) => {
    const all2 = copySimilarity(p, history, "sketch");
    const timed = copySimilarity(p, history, "timedSketch");
    return { ...all2 === null ? {} : { "copy.similarity": all2 }, ...timed === null ? {} : { "copy.timedSimilarity": timed } };
  };
  const dependencies = dependencyPool(history);
  const orientations = orientationPool(history);
  const labelGroups = labelGroupPool(history);
  const frozen = frozenGroupPool(history);
  const effects = effectPool(history);
  const newestMetrics = {
    ...newest.metrics,
    ...comparative(newest, false),
    ...similarity(newest),
    ...dependencyMetrics(newest.dependencies, dependencies, null),
    ...orientationMetrics(newest.orientations, orientations, false),
    ...oppositeMetrics(newest.orientations, mixPool(newest.date, history)),
    ...labelGroupMetrics(newest, labelGroups),
    ...frozenGroupMetrics(newest, frozen),
    ...rowMatchMetrics(newest, history),
    ...keyMatchMetrics(newest, history),
    ...effectMetrics(newest.effects, effects, false)
  };
  if (part === "data") {
    for (const metric of Object.keys(newestMetrics)) if (metric.startsWith("model.")) delete newestMetrics[metric];
  }
  const historyMetrics = history.map((h, at) => ({
    date: h.date,
    weekday: weekdayOf(h.date),
    metrics: {
      ...h.metrics,
      ...comparative(h, true),
      ...similarity(h),
      ...dependencyMetrics(h.dependencies, dependencies, at),
      ...orientationMetrics(h.orientations, orientations, true),
      ...oppositeMetrics(
        h.orientations,
        mixPool(
          h.date,
          history.filter((other) => other !== h)
        )
      ),
      ...labelGroupMetrics(h, labelGroups),
      ...frozenGroupMetrics(h, frozen),
      ...rowMatchMetrics(h, history),
      ...keyMatchMetrics(h, history),
      ...effectMetrics(h.effects, effects, true)
    }
  }));
  if (options.labelSource !== void 0) addLevelShifts(newestMetrics, historyMetrics, options.labelSource);
  if (options.labelColumn !== LABEL_COLUMN) {
    const shifts = classShifts(
      [...history, newest].map((p) => ({ date: p.date, weekday: weekdayOf(p.date), shares: classSharesOf(p, options.labelColumn) })),
      options.labelColumn,
      (metric, date) => acceptedSince(metric, date, options.accepted)
    );
    historyMetrics.forEach((h, i) => Object.assign(h.metrics, shifts[i]));
    Object.assign(newestMetrics, shifts[history.length]);
  }
  const keptOf = () => {
    const rowsSince = acceptedSince("rows", newest.date, options.accepted);
    const usual = (weekdays.get(weekdayOf(newest.date)) ?? []).filter((h) => h.date >= rowsSince).slice(-USUAL_DAYS);
    const labels = /* @__PURE__ */ new Set([options.labelColumn, LABEL_COLUMN, ...options.labelSource === void 0 ? [] : [options.labelSource]]);
    return usual.length >= MIN_USUAL_DAYS2 ? groupsKept(newest, usual, labels) : [];
  };
  const judged = judge(newestMetrics, historyMetrics, newest, options, keptOf);
  const findings = newest.rows === 0 ? judged.filter((f) => f.kind === "partition_rows") : judged;
  for (const f of findings) {
    const own = f.column === null || options.clock?.hours.includes(f.column) !== true ? void 0 : newest.categories[f.column];
    const pooled = own === void 0 ? void 0 : poolOf(newest, false).columns.get(f.column);
    const moved = pooled === void 0 ? null : hoursMoved(own.shares, pooled);
    if (moved !== null) f.hoursMoved = moved;
  }
  return findings;
}
function hoursMoved(shares, pooled) {
  const moved = (by) => new Map([...pooled.shares].flatMap(([hour, sum2]) => /^\d+$/.test(hour) ? [[String((Number(hour) + by + 24) % 24), sum2]] : []));
  const distance = jensenShannon(shares, pooled.shares, pooled.days, false);
  for (const by of [1, -1]) if (jensenShannon(shares, moved(by), pooled.days, false) * MOVED_FIT < distance) return by;
  return null;
}
var TAIL_MARGIN = 1.5;
function heavyTailTest(deviations, limit) {
  const farthestUp = Math.max(0, ...deviations);
  const farthestDown = Math.max(0, ...deviations.map((d) => -d));
  return (deviation) => {
    const farthest = deviation >= 0 ? farthestUp : farthestDown;
    return farthest < limit || Math.abs(deviation) >= TAIL_MARGIN * farthest;
  };
}
var MOVED_FIT = 3;
function classSharesOf(p, label) {
  const listed = p.categories[label];
  return listed === void 0 || !listed.complete || listed.ranges === true ? null : listed.shares;
}
function addLevelShifts(newest, history, column) {
  const shifts = levelShifts(
    newest,
    history.map((h) => h.metrics),
    column
  );
  if (shifts === null) return;
  const metric = levelShiftMetric(column);
  newest[metric] = shifts.newest;
  shifts.history.forEach((v, i) => {
    if (v !== void 0) history[i].metrics[metric] = v;
  });
}
function judge(newestMetrics, historyMetrics, newest, options, keptOf) {
  const weekday = weekdayOf(newest.date);
  const findings = [];
  const scaled = /* @__PURE__ */ new Map();
  for (const [metric, value] of Object.entries(newestMetrics)) {
    const since = acceptedSince(metric, newest.date, options.accepted);
    const model = metric.startsWith("model.");
    const scored = historyMetrics.filter((h) => h.date >= since && Number.isFinite(h.metrics[metric]));
    const points = model ? scored.slice(-modelHistoryDays(options.minDays)) : scored;
    if (points.length < (model ? Math.min(options.minDays, MODEL_HISTORY_DAYS) : options.minDays)) continue;
    if (metric.endsWith(".eta2") && !relationHeld(metric, points)) continue;
    const values = points.map((p) => p.metrics[metric]);
    const sameNeeded = metric === "rows" ? 1 : 3;
    const byWeekday = /* @__PURE__ */ new Map();
    for (const p of points) {
      const group = byWeekday.get(p.weekday);
      if (group === void 0) byWeekday.set(p.weekday, [p.metrics[metric]]);
      else group.push(p.metrics[metric]);
    }
    const overall = median(values);
    const centerOf = (w, leaveOut) => {
      const group = byWeekday.get(w) ?? [];
      if (group.length - (leaveOut === void 0 ? 0 : 1) < sameNeeded) return { center: overall, same: false };
      if (leaveOut === void 0) return { center: median(group), same: true };
      const others = [...group];
      others.splice(others.indexOf(leaveOut), 1);
      return { center: median(others), same: true };
    };
    const deviations = points.map((p) => p.metrics[metric] - centerOf(p.weekday, p.metrics[metric]).center);
    const residuals = deviations.map(Math.abs);
    const { center, same } = centerOf(weekday);
    const noise = model ? newest.modelNoise ?? 0 : 0;
    const spread = Math.max(1.4826 * median(residuals), spreadFloor(metric, center, historyMetrics, newest.rows), noise);
    const score = (value - center) / spread;
    const low = Math.min(...values);
    const high = Math.max(...values);
    const weekdayRows = metric === "rows" && same ? byWeekday.get(weekday) : null;
    const fewestRows = metric !== "rows" ? null : weekdayRows !== null ? Math.min(...weekdayRows) : low;
    const direction = badDirection(metric);
    const threshold = thresholdOf(metric, options);
    const beyondTail = heavyTailTest(deviations, spread * threshold);
    const chance = CHANCE[metric];
    const chanceReach = chance === void 0 ? void 0 : Math.max(chance, newest.modelChance ?? chance);
    const chanceLimit = chance === void 0 ? void 0 : Math.max(chanceReach, chance + SKILL_KEPT * (low - chance));
    const skilled = chance !== void 0 && (low >= chance + SKILLED || noise > 0 && low - chance >= SKILLED_NOISES * noise);
    const rise = /TailShare$/.test(metric) ? tailRise(value, high, newest.rows * (1 - (newestMetrics[`${columnOf(metric)}.nullRate`] ?? 0))) : null;
    const evenDrop = fewestRows === null ? null : evenlyShort(value, center, fewestRows, score, keptOf);
    const bad = metric.endsWith(".signal") ? value < BROKEN_SIGNAL && low >= HELD_SIGNAL && signalFall(value, values) >= SIGNAL_SPREADS : metric.endsWith(".topEdge") ? value <= EDGE_FALL * low && low >= EDGE_HELD : skilled && (value <= chance || value <= chanceReach && score <= -CHANCE_REACH_SPREADS || value <= chanceLimit && score <= -CHANCE_SPREADS) || beyondRange({ value, expected: center, score, low, high, fewestRows }, { direction, threshold, maxRowDrop: options.maxRowDrop, beyondTail }) || rise !== null || evenDrop !== null;
    const statistic = statisticOf(metric);
    if (!bad && SCALE_STATISTICS.includes(statistic) && !model) {
      const column2 = columnOf(metric);
      const measured = scaled.get(column2) ?? /* @__PURE__ */ new Map();
      measured.set(statistic, { value, center, score, low, high, days: points.length, sameWeekday: same });
      scaled.set(column2, measured);
    }
    if (!bad) continue;
    const month = metric === "rows" ? monthFactor(
      newest.date,
      points.map((p, i) => ({ date: p.date, ratio: values[i] / (values[i] - deviations[i]) }))
    ) : null;
    const byMonth = month === null ? null : monthOutlier(value, center, spread, month, threshold, options.maxRowDrop);
    if (month !== null && byMonth === null) continue;
    const column = metric === "rows" || metric.startsWith("duplicates.") || metric.startsWith("copy.") || model ? null : columnOf(metric);
    const finding = findingOf(metric, column, options, { value, expected: center, low, high, score, days: points.length, sameWeekday: same });
    if (rise !== null) finding.tailRise = rise;
    if (evenDrop !== null) finding.kept = evenDrop;
    if (skilled && value <= chanceLimit) {
      if (value <= chanceReach) finding.chance = chanceReach;
      else finding.skillLow = low;
    }
    if (byMonth !== null) Object.assign(finding, byMonth, { month });
    else if (weekdayRows !== null && value >= low) {
      finding.low = fewestRows;
      finding.high = Math.max(...weekdayRows);
      finding.weekdayRange = weekdayRows.length;
    }
    findings.push(finding);
  }
  for (const [column, measured] of scaled) {
    const change = measured.size === SCALE_STATISTICS.length ? scaleChange(measured) : null;
    if (change === null || findings.some((f) => f.column === column)) continue;
    const { center, ...median2 } = measured.get("q50");
    findings.push({ ...findingOf(`${column}.q50`, column, options, { ...median2, expected: center }), scale: change });
  }
  return findings.sort((a, b) => Math.abs(b.score) - Math.abs(a.score));
}
function findingOf(metric, column, options, measured) {
  const kind = metric === "rows" ? "partition_rows" : metric.startsWith("model.") || metric.endsWith(".correlation") || isRelation(metric) && columnNames(column)[0] === options.labelColumn ? "label_relation" : column === options.labelColumn || metric.endsWith(".absentLabelShare") || isLevelShift(metric, options) || isLabelMix(metric, options) ? "label_rate" : "partition_statistic";
  return { kind, column, metric, ...measured };
}
function monthOutlier(value, center, spread, month, threshold, maxRowDrop) {
  const expected = center * month.factor;
  const score = (value - expected) / (spread * month.factor);
  const low = Math.round(center * month.low);
  const high = Math.round(center * month.high);
  const bad = beyondRange({ value, expected, score, low, high, fewestRows: low }, { direction: "both", threshold, maxRowDrop, beyondTail: () => true });
  return bad ? { expected, low, high, score } : null;
}
function beyondRange(v, how) {
  const { value, expected, score } = v;
  return how.direction !== "up" && score <= -how.threshold && value < v.low && how.beyondTail(value - expected) || v.fewestRows !== null && value < v.fewestRows && isRowDrop(value, expected, how.maxRowDrop) || how.direction !== "down" && score >= how.threshold && value > v.high && how.beyondTail(value - expected);
}
var USUAL_DAYS = 4;
var MIN_USUAL_DAYS2 = 3;
var EVEN_DROP_BELOW_FEWEST = 0.05;
var EVEN_DROP_SPREADS = 6;
function evenlyShort(rows, expected, fewest, score, keptOf) {
  if (rows === 0 || !(rows < (1 - EVEN_DROP_BELOW_FEWEST) * fewest && score <= -EVEN_DROP_SPREADS)) return null;
  return evenAcross(keptOf(), 1 - rows / expected);
}
var LEVEL_SHIFT_SHARE = 0.75;
function isLevelShift(metric, options) {
  return options.labelSource !== void 0 && metric === levelShiftMetric(options.labelSource);
}
function thresholdOf(metric, options) {
  if (isLevelShift(metric, options) && options.labelMixThreshold !== null) return options.labelMixThreshold * LEVEL_SHIFT_SHARE;
  return (isLabelMix(metric, options) ? options.labelMixThreshold : null) ?? options.threshold;
}
function isLabelMix(metric, options) {
  const column = columnOf(metric);
  const statistic = statisticOf(metric);
  return column === options.labelColumn && (["mean", "zeroShare", "divergence", "topShare", "vanishedShare"].includes(statistic) || statistic.startsWith(CLASS_SHIFT)) || column === options.labelSource && (statistic === "vanishedShare" || statistic === "topEdge");
}
function relationHeld(metric, points) {
  const signal = `${metric.slice(0, -".eta2".length)}.signal`;
  const values = points.map((p) => p.metrics[signal]).filter((v) => v !== void 0 && Number.isFinite(v));
  return values.length > 0 && median(values) >= HELD_SIGNAL;
}
var MIN_EXPECTED_ROWS = 100;
function isRowDrop(rows, expected, maxDrop) {
  return expected >= MIN_EXPECTED_ROWS && rows < (1 - maxDrop) * expected;
}
var MODEL_HISTORY_DAYS = 7;
function modelHistoryDays(minDays) {
  return Math.max(minDays, MODEL_HISTORY_DAYS);
}
function acceptedSince(metric, date, accepted) {
  let since = "";
  for (const a of accepted ?? []) if (a.date <= date && a.date > since && a.metrics.includes(metric)) since = a.date;
  return since;
}

// src/validate/history-words.ts
var WEEKDAYS = ["", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"];
function describeStatistic(finding, labelText) {
  return describeMetric(finding, labelText).replace(/^(?:[^":]|"(?:[^"\\]|\\.)*"|:(?! ))*: /, "");
}
function correlationCause(finding) {
  const weaker = finding.value !== void 0 && finding.expected !== void 0 && Math.abs(finding.value) < Math.abs(finding.expected);
  return weaker ? "a relation that held on every earlier day is gone: labels misaligned with their rows, or the input's values moved to other rows?" : "an input that tells the label far better than on any earlier day holds the outcome: a value filled in from it, or computed after it?";
}
var STATISTIC_WORDS = {
  nullRate: "share of nulls",
  mean: "mean",
  levelShift: "mean less the mean of earlier days of its spread (standard deviation and interquartile range: every value moved by one amount, so the label's threshold reads another thing?)",
  std: "standard deviation",
  q05: "5th percentile",
  q25: "25th percentile",
  q50: "median",
  q75: "75th percentile",
  q95: "95th percentile",
  negativeShare: "share of negative values",
  zeroShare: "share of zeros",
  spikeShare: "share of rows holding one value far more often than the values next to it (a default filled in, or a cap?)",
  roundShare: "share of values rounder than its usual precision (multiples of ten times its resolution: rounded upstream?)",
  resolution: "precision: the power of ten nearly every value is a multiple of (rounded upstream?)",
  repeatAboveShare: "share of values equal to the row above, beyond those equal to the row two above (missing values filled from the row above?)",
  nonFiniteShare: "share of NaN or infinite values",
  nonIntegerShare: "share of values with a fraction",
  lowTailShare: "share of extreme low values (below its first quartile by 3 interquartile ranges)",
  highTailShare: "share of extreme high values (above its third quartile by 3 interquartile ranges)",
  midnightShare: "share of times at exactly midnight (a date without its time)",
  foldedShare: "share of the afternoon's and evening's rows whose hour reads 12 hours early, the small hours holding them (times written on a 12-hour clock without AM or PM: 13:05 as 01:05?)",
  stuckShare: "share of rows in groups stuck whole: one value in every number that varied there on every earlier day (a sensor resending its last reading, a group copied from one row?)",
  keyRepeatShare: "share of rows whose key is on another row too (rows appended twice, or keys assigned wrong?)",
  keyStepShare: "share of rows whose value moved from the one their key held in the partition before it by the step most moved by (rewritten on some rows, or joined on the wrong key?)",
  keyMatchShare: "share of rows whose value is the one their key held in the partition before it (rewritten on some rows, joined on the wrong key, or stale?)",
  rowMatchShare: `share of rows whose value is the one a partition of the ${ROW_MATCH_DAYS} before it held at the same row number (joined from another day by row number?)`,
  distinct: "number of distinct values",
  topShare: "share of its most frequent value",
  divergence: "distance of its value mix from the usual mix (Jensen-Shannon)",
  unseenShare: "share of values no earlier day had",
  vanishedShare: "usual share of the values every earlier day had and this day lacks",
  topEdge: "span of its top 0.5% of values for that of the 0.5% below them",
  firstHour: "time of its first row (hours after midnight, UTC or data.timezone)",
  lastHour: "time of its last row (hours after midnight, UTC or data.timezone)"
};
function describeMetric(finding, labelText) {
  const { metric, column } = finding;
  if (metric === "rows") return "row count";
  if (metric === "duplicates.share") return "share of rows that repeat an earlier row";
  if (metric === "duplicates.inputShare")
    return `share of rows that repeat an earlier row in every column but the label, ${labelText} (the same example sent twice, with another label?)`;
  if (metric === "copy.similarity") return `similarity of its rows to those of one of the ${COPY_DAYS} days before it (Jaccard, times left out)`;
  if (metric === "copy.timedSimilarity")
    return `similarity of its rows, times of day included, to those of one of the ${COPY_DAYS} days before it (Jaccard: a share of the day served again from an earlier one?)`;
  if (metric.startsWith("model.")) return `production model's ${metric.slice("model.".length)} on the labelled rows`;
  const statistic = statisticOf(metric);
  if (isRelation(metric) && column !== null) {
    const [x, g] = columnNames(column);
    const name = (c) => columnTitle(c, labelText, "the label", "");
    if (statistic === "signal")
      return `relation of ${name(x)} to ${name(g)}: its strength above chance (F test as a z-score; below ${BROKEN_SIGNAL} is no relation)`;
    if (statistic === "correlation") return `relation of ${name(x)} to ${name(g)}: correlation (${correlationCause(finding)})`;
    if (statistic === "effectShift")
      return `relation of ${name(x)} to ${name(g)}: how far its groups' means moved from where each usually sits, as a share of how far they usually sit apart (values of ${name(g)} swapped or misfiled?)`;
    return `relation of ${name(x)} to ${name(g)}: share of its variance that ${name(g)} explains (\u03B7\xB2)`;
  }
  if (statistic === "mismatchShare" && column !== null) {
    const [target, ...keys] = columnNames(column);
    return `dependency of "${target}" on ${keys.map((k) => `"${k}"`).join(" and ")}: share of rows whose ${target} is not the value their ${keys.join(" and ")} had on earlier days`;
  }
  if (statistic === "unseenPairShare" && column !== null) {
    const [a, b] = columnNames(column);
    return `pairs of "${a}" and "${b}": share of rows whose pair of values no earlier day had (codes mapped wrong?)`;
  }
  if (statistic === "absentLabelShare" && column !== null) {
    const [label, g] = columnNames(column);
    return `${columnTitle(label, labelText, "the label", "label ")} by ${columnTitle(g, labelText, "the label", "column ")}: share of rows in groups that hold none of a label value every earlier day had there in numbers (labels overwritten on part of the data?)`;
  }
  if (statistic === "frozenShare" && column !== null) {
    const [x, g] = columnNames(column);
    return `${columnTitle(x, labelText, "the label", "column ")} by ${columnTitle(g, labelText, "the label", "column ")}: share of rows in groups whose values are all one value, where each held many on every earlier day (a stuck sensor, a default written for one group?)`;
  }
  if (statistic === "reversedShare" && column !== null) {
    const [a, b] = columnNames(column);
    return `direction of "${a}" and "${b}": share of rows whose pair of values, at its hour, no earlier day had the same way round while the reverse was usual (the two columns exchanged on those rows?)`;
  }
  if (statistic === "oppositeShare" && column !== null) {
    const [a, b] = columnNames(column);
    return `direction of "${a}" and "${b}": share of rows by which a pair of values gained one way round and lost the other from its usual rows (the two columns exchanged on those rows?)`;
  }
  const what = column === null ? "the partition" : columnTitle(column, labelText, "label", "column ");
  const shifted = classOfShift(statistic);
  if (shifted !== null) return `${what}: share of class ${JSON.stringify(shifted)} less its median on the same weekday of the ${REFERENCE_WEEKS} weeks before`;
  return `${what}: ${STATISTIC_WORDS[statistic] ?? statistic}`;
}
function columnTitle(column, labelText, label, plain) {
  if (column === LABEL_COLUMN) return `${label} (${labelText})`;
  if (column.startsWith(DERIVED_PREFIX)) return `model input "${column.slice(DERIVED_PREFIX.length)}"`;
  return `${plain}"${column}"`;
}
function fmt(x) {
  if (Number.isInteger(x)) return x.toLocaleString("en-US");
  const a = Math.abs(x);
  if (a >= 1e3) return x.toLocaleString("en-US", { maximumFractionDigits: 1 });
  return a >= 100 ? x.toFixed(1) : a >= 1 ? x.toFixed(3) : x.toPrecision(3);
}
function monthText(m, range) {
  return m.months === 1 ? `the ${m.position} day of the month before held ${m.low.toFixed(1)} times its weekday's rows, ${fmt(range.low)}` : `the ${m.position} days of the ${m.months} months before held ${m.low.toFixed(1)} to ${m.high.toFixed(1)} times their weekday's rows, ${fmt(range.low)} to ${fmt(range.high)}`;
}
function scaleText(change) {
  return change.statistics.map(({ statistic, value, expected }) => `${STATISTIC_WORDS[statistic]} ${fmt(value)} (expected about ${fmt(expected)})`).join(", ");
}
function rowsMissingCause(finding, labelText) {
  const kept = finding.kept;
  if (kept === void 0) return ": a partial upload?";
  return `, and alike in every group: the values of ${columnTitle(kept.column, labelText, "the label", "column ")} hold ${Math.round(kept.least * 100)}% to ${Math.round(kept.kept * 100)}% of their usual rows (10th to 90th percentile, by rows), where a real fall, a storm or a holiday, leaves some groups whole: part of the partition never arrived, a part file or shard missing, or rows sampled upstream?`;
}
function findingMessage(finding, partition, date, labelText, others = []) {
  const weekdays = WEEKDAYS[weekdayOf(date)];
  const days = finding.weekdayRange !== void 0 ? `${finding.weekdayRange} earlier ${finding.weekdayRange === 1 ? weekdays.slice(0, -1) : weekdays} (of ${finding.days} earlier days)` : finding.sameWeekday ? `${finding.days} earlier days (same-weekday median: ${weekdays})` : `${finding.days} earlier days`;
  return `${partition}: ${describeMetric(finding, labelText)} is ${fmt(finding.value)}, expected about ${fmt(finding.metric === "rows" ? Math.round(finding.expected) : finding.expected)}; ` + (finding.month === void 0 ? `the ${days} ranged ${fmt(finding.low)} to ${fmt(finding.high)} ` : `${monthText(finding.month, finding)} on a ${weekdays.slice(0, -1)} `) + (finding.metric.endsWith(".signal") ? `(a relation that held on every earlier day is gone). ` : finding.metric.endsWith(".topEdge") ? `(its largest values end as densely as its body, where they thinned out on every earlier day: a file sorted by it and cut short, or its largest values filtered out?). ` : finding.metric in CHANCE && finding.value <= CHANCE[finding.metric] ? `(no better than chance, ${fmt(CHANCE[finding.metric])}, where it was well above on every earlier day: are the labels inverted or misaligned?). ` : finding.chance !== void 0 ? `(robust z ${finding.score.toFixed(1)}; within what a model without skill scores on this day's labels, up to ${fmt(finding.chance)}, where it was well above on every earlier day: are the labels shuffled or misaligned?). ` : finding.scale !== void 0 ? `(robust z ${finding.score.toFixed(1)}; its spread and quartiles all moved by about \xD7${finding.scale.factor.toFixed(2)}, each beyond every earlier day: ${scaleText(finding.scale)}: the column in other units?). ` : finding.tailRise !== void 0 ? `(robust z ${finding.score.toFixed(1)}; ${finding.tailRise.held} values, where the highest rate of any earlier day puts ${finding.tailRise.due.toFixed(1)} in a day of this size: a chance of ${finding.tailRise.chance.toExponential(0)}). ` : finding.skillLow !== void 0 ? `(robust z ${finding.score.toFixed(1)}; under a third as far above chance, ${fmt(CHANCE[finding.metric])}, as its least skilled earlier day, ${fmt(finding.skillLow)}: are the labels shuffled or misaligned?). ` : isModelError(finding.metric) && finding.value > finding.expected ? `(robust z ${finding.score.toFixed(1)}; the production model errs more on this day than on any earlier one: labels misaligned with their rows, or a column in other units?). ` : finding.metric === "rows" && finding.value < finding.expected ? `(robust z ${finding.score.toFixed(1)}; ${Math.round((1 - finding.value / finding.expected) * 100)}% of the expected rows missing${rowsMissingCause(finding, labelText)}). ` : `(robust z ${finding.score.toFixed(1)}). `) + (others.length === 0 ? "" : `Also beyond its history: ${others.join(", ")}. `) + (finding.hoursMoved === void 0 ? "" : `Every hour holds what the hour ${finding.hoursMoved > 0 ? "before" : "after"} it held on earlier days, as times on the UTC clock do after a daylight-saving change: if these are instants of a place whose clocks changed, set data.timezone to its zone. `) + `Fix the data, or if this change is real, accept it: ct validate --accept ${date} (with --one-off for a one-time event)`;
}

// src/validate/finding-rows.ts
var counted = (x) => x.toLocaleString("en-US");
async function showFindingRows(anomalies, findings, summary, history, complete, readNewest, config) {
  let completed = null;
  const context = {
    newest: () => complete(summary),
    history: () => completed ??= Promise.all(history.map(complete)),
    readNewest,
    config
  };
  const ordered = [...findings].sort((a, b) => Number(a.metric.endsWith(".divergence")) - Number(b.metric.endsWith(".divergence")));
  for (const anomaly of anomalies) {
    for (const finding of ordered) {
      const show = SHOW.get(statisticOf(finding.metric));
      if (show === void 0 || finding.column !== anomaly.column || finding.kind !== anomaly.kind) continue;
      anomaly.share = finding.value;
      await show(anomaly, finding, context);
      break;
    }
  }
}
var SHOWN_GROUPS = 3;
async function showAbsentLabels(anomaly, finding, context) {
  const profile = await context.newest();
  const column = columnNames(finding.column)[1];
  const absent = absentLabels(profile, labelGroupPool(await context.history())).filter((a) => a.column === column);
  const described = absent.map(
    (a) => `${JSON.stringify(a.group)}: ${counted(a.rows)} labelled rows, ${noneOf(a.label, profile.labelGroups.label, context.config.label.text)}, where each of ${a.days} earlier days had at least ${(a.lowest * 100).toFixed(1)}% (about ${Math.round(a.rows * a.lowest)} rows)`
  );
  await showGroups(anomaly, context, column, absent, described, absent[0] === void 0 ? "" : `${column} ${absent[0].group}`);
}
async function showStuck(anomaly, finding, context) {
  const stuck = stuckGroups(await context.newest(), frozenGroupPool(await context.history())).filter((s) => s.grouping === finding.column);
  const values = (s) => s.values.map((v) => `${v.column} ${v.value}`).join(", ");
  const described = stuck.map(
    (s) => `${JSON.stringify(s.group)}: ${values(s)} on all ${counted(s.rows)} rows, where each of ${s.days} earlier days held ${VARIED} values or more of each`
  );
  await showGroups(
    anomaly,
    context,
    finding.column,
    stuck,
    described,
    stuck[0] === void 0 ? "" : `${finding.column} ${stuck[0].group}, ${values(stuck[0])}`
  );
}
async function showFrozen(anomaly, finding, context) {
  const frozen = frozenGroups(await context.newest(), frozenGroupPool(await context.history())).filter((f) => f.relation === finding.column);
  const [x, g] = columnNames(finding.column);
  const described = frozen.map(
    (f) => `${JSON.stringify(f.group)}: ${x} ${f.value} on all ${counted(f.rows)} rows, where each of ${f.days} earlier days held ${VARIED} values or more`
  );
  await showGroups(anomaly, context, g, frozen, described, frozen[0] === void 0 ? "" : `${g} ${frozen[0].group}, ${x} ${frozen[0].value}`);
}
async function showGroups(anomaly, { readNewest, config }, column, groups, described, value) {
  if (groups.length === 0) return;
  anomaly.count = groups.reduce((n, g) => n + g.rows, 0);
  const more = groups.length > SHOWN_GROUPS ? `; and ${groups.length - SHOWN_GROUPS} more` : "";
  anomaly.message = anomaly.message.replace(
    / Fix the data,/,
    ` Groups of ${columnTitle(column, config.label.text, "the label", "column ")}: ${described.slice(0, SHOWN_GROUPS).join("; ")}${more}. Fix the data,`
  );
  const table = await readNewest();
  const groupColumn = table.columns.find((c) => c.name === column);
  if (groupColumn?.type !== "string") return;
  const row = groupColumn.codes.indexOf(groupColumn.dictionary.indexOf(groups[0].group));
  if (row >= 0) anomaly.examples = [{ ...locateRow(table, row), value }];
}
function noneOf(label, labelColumn, labelText) {
  if (labelColumn !== LABEL_COLUMN) return `none of class ${JSON.stringify(label)}`;
  return label === "1" ? `none where ${labelText}` : label === "0" ? `none where not (${labelText})` : `none labelled ${label}`;
}
async function showSpike(anomaly, finding, { readNewest, config }) {
  const column = finding.column;
  const table = await readNewest();
  const spike = spikeIn(table, column, column === config.label.column);
  if (spike === null) return;
  anomaly.count = spike.excess;
  const count = (rows) => `${counted(rows)} row${rows === 1 ? "" : "s"}`;
  const beside = [spike.below, spike.above].flatMap((n) => n === null ? [] : [`${n.value} in ${count(n.rows)}`]);
  anomaly.message = anomaly.message.replace(
    / Fix the data,/,
    ` The value ${spike.value} is in ${count(spike.rows)}${beside.length === 0 ? "" : `; beside it, ${beside.join(" and ")}`}. Fix the data,`
  );
  const values = table.columns.find((c) => c.name === column);
  const row = values?.type === "number" ? values.values.indexOf(spike.value) : -1;
  if (row >= 0) anomaly.examples = [{ ...locateRow(table, row), value: `${column} ${spike.value}` }];
}
var VANISHED_VALUES = 5;
async function showVanished(anomaly, finding, { newest, history }) {
  const day = await newest();
  const usual = vanishedValues(day, await history(), finding.column);
  if (usual.length === 0) return;
  const ofDay = (share) => `${percent(share)} of an earlier day's rows`;
  const gone = day.categories[finding.column]?.ranges === true ? joinedRanges(usual).map(({ low, high, share }) => `values from ${low} to ${high} (${ofDay(share)})`) : usual.sort((a, b) => b[1] - a[1]).map(([value, share]) => `${value} (${ofDay(share)})`);
  const told = gone.slice(0, VANISHED_VALUES);
  anomaly.message = anomaly.message.replace(/ Fix the data,/, ` Gone: ${told.join(", ")}${gone.length > VANISHED_VALUES ? ", \u2026" : ""}. Fix the data,`);
}
var MOVED_VALUES = 3;
async function showMixChanges(anomaly, finding, { newest, history }) {
  if (finding.hoursMoved !== void 0) return;
  const moved = mixChanges(await newest(), await history(), finding.column, MOVED_VALUES);
  if (moved.length === 0) return;
  const told = moved.map(({ value, share, usual }) => `${value} in ${percent(share)} of the rows (usually ${percent(usual)})`);
  anomaly.message = anomaly.message.replace(/ Fix the data,/, ` Moved most: ${told.join(", ")}. Fix the data,`);
}
var FOLDED_EXAMPLES = 5;
async function showFolded(anomaly, finding, { newest, history, readNewest, config }) {
  const mix = mixBeside(await newest(), await history(), finding.column);
  if (mix === null) return;
  const hours = quietFoldedHours((hour) => mix.usual(String(hour)));
  if (hours.length === 0) return;
  const total = (shareOf) => hours.reduce((sum2, hour) => sum2 + shareOf(String(hour)), 0);
  const [named, hold] = hours.length === 1 ? [`The hour ${hours[0]}`, "holds"] : [`The hours ${alternatives(hours.map(String), "and")}`, "hold"];
  anomaly.message = anomaly.message.replace(
    / Fix the data,/,
    ` ${named} usually ${hold} ${percent(total(mix.usual))} of the rows and ${hold} ${percent(total(mix.share))}. Fix the data,`
  );
  const table = await readNewest();
  const time = findColumn(table, config.data.timestamp ?? "") ?? table.columns.find((c) => c.type === "timestamp");
  if (time === void 0) return;
  const quiet = new Set(hours);
  const rowHours = hoursOf(table, time.name, config.data.timezone);
  const rows = [];
  for (let i = 0; i < table.rowCount && rows.length < FOLDED_EXAMPLES; i++) if (quiet.has(rowHours[i])) rows.push(i);
  anomaly.examples = rows.map((i) => ({ ...locateRow(table, i), value: `${time.name} ${valueAt(time, i)}` }));
}
var REVERSED_EXAMPLES = 5;
async function showReversedRows(anomaly, finding, context) {
  const pair = await pairOf(anomaly, finding, context);
  if (pair === null) return;
  const { columns, table } = pair;
  const rows = reversedRows(
    table,
    columns,
    await context.history(),
    { column: context.config.data.timestamp, zone: context.config.data.timezone },
    REVERSED_EXAMPLES
  );
  if (rows.length === 0) return;
  anomaly.examples = rows.map((i) => ({ ...locateRow(table, i), value: pair.valuesAt(i) }));
}
async function pairOf(anomaly, finding, { newest, readNewest }) {
  const pair = (await newest()).orientations?.[anomaly.column];
  if (pair === void 0) return null;
  const { columns } = pair;
  anomaly.count = Math.round(finding.value * pair.rows);
  const table = await readNewest();
  const [a, b] = columns.map((name) => table.columns.find((c) => c.name === name));
  return { columns, table, valuesAt: (row) => `${columns[0]} ${valueAt(a, row)}, ${columns[1]} ${valueAt(b, row)}` };
}
function rowsBeside(rows, usual) {
  return rows === usual ? `${rows}` : `${rows} (usually ${usual})`;
}
async function showOppositeRows(anomaly, finding, context) {
  const pair = await pairOf(anomaly, finding, context);
  if (pair === null) return;
  const { columns, table } = pair;
  const rows = oppositeRows(table, columns, mixPool((await context.newest()).date, await context.history()), REVERSED_EXAMPLES);
  anomaly.examples = rows.map(({ row, rows: rows2, usual, reverse, usualReverse }) => ({
    ...locateRow(table, row),
    value: `${pair.valuesAt(row)}: ${rowsBeside(rows2, usual)} rows this way round, ${rowsBeside(reverse, usualReverse)} the other`
  }));
}
var REPEATED_EXAMPLES = 5;
async function showRepeatedInputs(anomaly, finding, { readNewest, config }) {
  const table = await readNewest();
  const label = table.columns.find((c) => c.name === config.label.column);
  if (label === void 0) return;
  anomaly.count = Math.round(finding.value * table.rowCount);
  const hashes = rowHashes(table, /* @__PURE__ */ new Set([label.name]));
  anomaly.examples = repeatedRows(table.rowCount, (i) => hashes[i], REPEATED_EXAMPLES).map(([i, earlier]) => ({
    ...locateRow(table, i),
    value: `${label.name} ${valueAt(label, i)}; as row ${counted(locateRow(table, earlier).row)}, ${label.name} ${valueAt(label, earlier)}`
  }));
}
function repeatedRows(rows, keyOf, limit) {
  const first = /* @__PURE__ */ new Map();
  const out = [];
  for (let i = 0; i < rows && out.length < limit; i++) {
    const earlier = first.get(keyOf(i));
    if (earlier === void 0) first.set(keyOf(i), i);
    else out.push([i, earlier]);
  }
  return out;
}
async function showRepeatedKeys(anomaly, finding, { readNewest }) {
  const table = await readNewest();
  const key = table.columns.find((c) => c.name === finding.column);
  if (key === void 0) return;
  anomaly.count = Math.round(finding.value * table.rowCount);
  anomaly.examples = repeatedRows(table.rowCount, (i) => valueAt(key, i), REPEATED_EXAMPLES).map(([i, earlier]) => ({
    ...locateRow(table, i),
    value: `${key.name} ${valueAt(key, i)}, as row ${counted(locateRow(table, earlier).row)}`
  }));
}
var MATCHED_EXAMPLES = 5;
async function showRowMatches(anomaly, finding, { newest, history, readNewest }) {
  const own = await newest();
  const column = finding.column;
  const match = closestMatch(own, await history(), column);
  if (match === null || match.matched.length === 0) return;
  const { date, compared, matched } = match;
  anomaly.count = Math.round(Math.max(0, finding.value - finding.expected) * own.rows);
  anomaly.message = anomaly.message.replace(
    / Fix the data,/,
    ` Of ${counted(compared)} rows sampled at the same row numbers on both days, ${counted(matched.length)} hold the value ${date} held there. Fix the data,`
  );
  const table = await readNewest();
  const values = table.columns.find((c) => c.name === column);
  if (values === void 0) return;
  anomaly.examples = matched.slice(0, MATCHED_EXAMPLES).filter((i) => i < table.rowCount).map((i) => ({ ...locateRow(table, i), value: `${column} ${valueAt(values, i)}, as the same row of ${date}` }));
}
async function showKeyedRows(anomaly, finding, { newest, readNewest }, key, rows, said, describe) {
  const column = finding.column;
  anomaly.count = Math.round(Math.abs(finding.value - finding.expected) * (await newest()).rows);
  anomaly.message = anomaly.message.replace(/ Fix the data,/, ` ${said} Fix the data,`);
  const table = await readNewest();
  const values = table.columns.find((c) => c.name === column);
  const keys = table.columns.find((c) => c.name === key);
  if (values === void 0 || keys === void 0) return;
  anomaly.examples = rows.slice(0, MATCHED_EXAMPLES).filter((i) => i < table.rowCount).map((i) => ({ ...locateRow(table, i), value: describe(`${column} ${valueAt(values, i)}`, `${key} ${valueAt(keys, i)}`) }));
}
async function showKeyMatches(anomaly, finding, context) {
  const pair = keyedPair(await context.newest(), await context.history());
  const match = pair === null ? null : keyMatches(pair, finding.column);
  if (pair === null || match === null) return;
  const { date, key } = pair;
  const fell = finding.value < finding.expected;
  const rows = fell ? match.changed : match.same;
  const said = `Of ${counted(match.compared)} values of "${key}" sampled on both days, ${counted(rows.length)} hold ${fell ? "another value than" : "the value"} the same ${key} held on ${date}.`;
  await showKeyedRows(anomaly, finding, context, key, rows, said, (value, keyValue) => `${value}, ${fell ? "not" : "as"} what ${keyValue} held on ${date}`);
}
async function showKeySteps(anomaly, finding, context) {
  const pair = keyedPair(await context.newest(), await context.history());
  const steps = pair === null ? null : keySteps(pair, finding.column);
  if (pair === null || steps === null) return;
  const { date, key } = pair;
  const { step, compared, offStep } = steps;
  const by = `${step > 0 ? "+" : ""}${step}`;
  const said = `Of ${counted(compared)} values of "${key}" sampled on both days, ${counted(offStep.length)} did not move by ${by} from what the same ${key} held on ${date}.`;
  await showKeyedRows(anomaly, finding, context, key, offStep, said, (value, keyValue) => `${value}, not ${by} from what ${keyValue} held on ${date}`);
}
async function showRepeatsAbove(anomaly, finding, { readNewest }) {
  const column = finding.column;
  const table = await readNewest();
  const values = findColumn(table, column);
  if (values === void 0 || values.type !== "number" && values.type !== "string") return;
  const { rows, pairs } = repeatsOfRowAbove(values);
  anomaly.count = Math.round(Math.max(0, finding.value - finding.expected) * table.rowCount);
  anomaly.message = anomaly.message.replace(/ Fix the data,/, ` ${counted(rows.length)} of ${counted(pairs)} values repeat the row above. Fix the data,`);
  anomaly.examples = rows.slice(0, MATCHED_EXAMPLES).map((i) => ({ ...locateRow(table, i), value: `${column} ${valueAt(values, i)}, as the row above` }));
}
var SHOW = /* @__PURE__ */ new Map([
  ["reversedShare", showReversedRows],
  ["oppositeShare", showOppositeRows],
  ["absentLabelShare", showAbsentLabels],
  ["frozenShare", showFrozen],
  ["stuckShare", showStuck],
  ["spikeShare", showSpike],
  ["repeatAboveShare", showRepeatsAbove],
  ["vanishedShare", showVanished],
  ["divergence", showMixChanges],
  ["foldedShare", showFolded],
  ["inputShare", showRepeatedInputs],
  ["rowMatchShare", showRowMatches],
  ["keyMatchShare", showKeyMatches],
  ["keyRepeatShare", showRepeatedKeys],
  ["keyStepShare", showKeySteps]
]);

// src/validate/history-cache.ts
import { createHash } from "node:crypto";
import { existsSync as existsSync2, readFileSync } from "node:fs";
import path2 from "node:path";
var PROFILE_FORMAT = 47;
function derivationHash(config, schema) {
  const hash = createHash("sha256");
  hash.update(
    JSON.stringify({
      format: PROFILE_FORMAT,
      schema,
      features: config.features,
      label: config.label,
      task: config.task,
      timestamp: config.data.timestamp ?? null,
      // Only when set: the profiles of data read as UTC keep their cache.
      ...config.data.timezone === void 0 ? {} : { timezone: config.data.timezone }
    })
  );
  return `sha256:${hash.digest("hex")}`;
}
function cacheFolder(baseDir, cache, source) {
  const root = path2.resolve(baseDir, cache);
  const relative = path2.relative(baseDir, path2.resolve(source));
  const inside = relative !== "" && !relative.startsWith("..") && !path2.isAbsolute(relative);
  return path2.join(root, inside ? relative : `external-${createHash("sha256").update(path2.resolve(source)).digest("hex").slice(0, 16)}`);
}
function writeEntry(cacheDir, date, entry, detail) {
  if (detail !== void 0)
    writeFileAtomic(
      path2.join(cacheDir, `${date}.detail.json`),
      JSON.stringify({
        format: "ct-partition-detail",
        version: PROFILE_FORMAT,
        fingerprint: entry.fingerprint,
        derivation: entry.derivation,
        detail
      })
    );
  writeJson(path2.join(cacheDir, `${date}.json`), entry);
}
function readDetail(cacheDir, date, entry) {
  try {
    const file = JSON.parse(readFileSync(path2.join(cacheDir, `${date}.detail.json`), "utf8"));
    if (file.format !== "ct-partition-detail" || file.version !== PROFILE_FORMAT || file.fingerprint !== entry.fingerprint || file.derivation !== entry.derivation)
      return null;
    return file.detail;
  } catch {
    return null;
  }
}
function readEntry(file, fingerprint, derivation) {
  if (!existsSync2(file)) return null;
  try {
    const entry = JSON.parse(readFileSync(file, "utf8"));
    if (entry.format !== "ct-partition-profile" || entry.version !== PROFILE_FORMAT || entry.fingerprint !== fingerprint || entry.derivation !== derivation)
      return null;
    return wellFormed(entry) ? entry : null;
  } catch {
    return null;
  }
}
function wellFormed(entry) {
  const { profile } = entry;
  return typeof profile === "object" && profile !== null && Number.isInteger(profile.rows) && typeof profile.metrics === "object" && profile.metrics !== null && Object.values(profile.metrics).every((v) => typeof v === "number" && Number.isFinite(v)) && Array.isArray(entry.anomalies) && typeof entry.scores === "object" && entry.scores !== null;
}

// src/validate/alignment.ts
var REALIGNMENT_OFFSETS = [-1, 1, -2, 2, -3, 3];
var MISALIGNED_NATS = 24;
var MISALIGNED_EXCURSIONS = 1;
var MISALIGNED_SKILL_Z = 4;
var DRIFTLESS_CLIMB = 3;
var MAX_ROW_NATS = 4;
var CONTEXT_PRIOR_ROWS = 5;
function alignmentInput(table, label, contextColumns, timeColumn, predictions) {
  const all = labelColumnValues(table, label);
  const kept = [];
  for (let i = 0; i < all.length; i++) if (Number.isFinite(all[i])) kept.push(i);
  const rows = Int32Array.from(kept);
  const labels = Float64Array.from(rows, (i) => all[i]);
  let mean = 0;
  for (const y of labels) mean += y / Math.max(1, labels.length);
  const prior = Float64Array.from(rows, (i) => {
    const p = predictions?.get(i);
    return p !== void 0 && Number.isFinite(p) ? p : mean;
  });
  const time = timeColumn === void 0 ? void 0 : findColumn(table, timeColumn);
  const hourOf = (i) => {
    if (time === void 0 || time.type !== "timestamp" || time.nulls !== null && time.nulls[i] === 1) return 0;
    const t = time.values[i];
    return Number.isFinite(t) ? utcHourOfDay(t) + 1 : 0;
  };
  const contexts = [];
  for (const name of contextColumns) {
    const column = findColumn(table, name);
    if (column === void 0 || column.type !== "string") continue;
    const coarse = Int32Array.from(rows, (i) => column.codes[i]);
    contexts.push({ coarse, fine: Int32Array.from(rows, (i, k) => coarse[k] < 0 ? -1 : coarse[k] * 25 + hourOf(i)) });
  }
  return { labels, prior, priorFromModel: predictions !== null, contexts, rows, task: label.task };
}
function contextPredictor(input) {
  const { labels, prior, contexts } = input;
  if (contexts.length === 0) return (i) => prior[i];
  const sumsOf = (groups2) => {
    const sums = /* @__PURE__ */ new Map();
    for (let i = 0; i < labels.length; i++) {
      if (groups2[i] < 0) continue;
      const s = sums.get(groups2[i]) ?? { sum: 0, count: 0 };
      s.sum += labels[i];
      s.count++;
      sums.set(groups2[i], s);
    }
    return sums;
  };
  const othersMean = (groups2, sums, i, j, base) => {
    if (groups2[i] < 0) return base;
    const s = sums.get(groups2[i]);
    const both = j >= 0 && j !== i && groups2[j] === groups2[i];
    return (s.sum - labels[i] - (both ? labels[j] : 0) + CONTEXT_PRIOR_ROWS * base) / (s.count - 1 - (both ? 1 : 0) + CONTEXT_PRIOR_ROWS);
  };
  const groups = contexts.map(({ coarse, fine }) => ({ coarse, fine, coarseSums: sumsOf(coarse), fineSums: sumsOf(fine) }));
  return (i, j) => {
    let total = 0;
    for (const { coarse, fine, coarseSums, fineSums } of groups) {
      const base = input.priorFromModel ? prior[i] : othersMean(coarse, coarseSums, i, j, prior[i]);
      total += othersMean(fine, fineSums, i, j, base);
    }
    return total / groups.length;
  };
}
function contextPredictions(input, predict = contextPredictor(input)) {
  return Float64Array.from(input.labels, (_, i) => predict(i, -1));
}
function lossOf(task, labels, predicted) {
  if (task === "binary") {
    return (q, y) => {
      const p = Math.min(1 - 1e-6, Math.max(1e-6, q));
      return -Math.log(y >= 0.5 ? p : 1 - p);
    };
  }
  const rank = rankScore(labels);
  const scale = 1.4826 * median(Float64Array.from(labels, (y, i) => Math.abs(rank(y) - rank(predicted[i])))) || 1;
  return (q, y) => (rank(y) - rank(q)) ** 2 / (2 * scale * scale);
}
function rankScore(values) {
  const sorted = Float64Array.from(values).sort();
  return (v) => (countBelow(sorted, v) + countAtMost(sorted, v)) / (2 * sorted.length);
}
function findMisalignment(input) {
  const n = input.labels.length;
  if (n < 10) return null;
  const predict = contextPredictor(input);
  const loss = lossOf(input.task, input.labels, contextPredictions(input, predict));
  const { labels } = input;
  let best = null;
  for (const offset of REALIGNMENT_OFFSETS) {
    const found = largestClimb(n, offset, (i) => {
      const q = predict(i, i + offset);
      return Math.max(-MAX_ROW_NATS, Math.min(MAX_ROW_NATS, loss(q, labels[i]) - loss(q, labels[i + offset])));
    });
    if (found === null) continue;
    const climbs = found.nats >= MISALIGNED_NATS && found.excursions >= MISALIGNED_EXCURSIONS;
    const candidate = { offset, ...found, skill: climbs ? realignedSkill(found.start, found.end, offset, predict, labels) : 0, rows: n };
    if (best === null || rankOf(candidate) > rankOf(best)) best = candidate;
  }
  return best;
}
var rankOf = (m) => (isMisaligned(m) ? 1e9 : 0) + m.nats;
function isMisaligned(m) {
  return m.nats >= MISALIGNED_NATS && m.excursions >= MISALIGNED_EXCURSIONS && m.skill >= MISALIGNED_SKILL_Z;
}
function realignedSkill(start, end, offset, predict, labels) {
  const n = end - start + 1;
  const q = Float64Array.from({ length: n }, (_, k) => predict(start + k, start + k + offset));
  let sq = 0;
  let sy = 0;
  for (let k = 0; k < n; k++) {
    sq += q[k];
    sy += labels[start + k + offset];
  }
  const mq = sq / n;
  const my = sy / n;
  let qy = 0;
  let qq = 0;
  let yy = 0;
  for (let k = 0; k < n; k++) {
    const dq = q[k] - mq;
    const dy = labels[start + k + offset] - my;
    qy += dq * dy;
    qq += dq * dq;
    yy += dy * dy;
  }
  return qq > 0 && yy > 0 ? qy / Math.sqrt(qq * yy) * Math.sqrt(n) : 0;
}
function largestClimb(n, offset, gain) {
  const first = Math.max(0, -offset);
  const last = Math.min(n, n - offset);
  if (last - first < 2) return null;
  let sum2 = 0;
  let squares = 0;
  let climb = 0;
  let climbStart = first;
  let best = { nats: 0, start: first, end: first };
  for (let i = first; i < last; i++) {
    const g = gain(i);
    sum2 += g;
    squares += g * g;
    if (climb <= 0) {
      climb = 0;
      climbStart = i;
    }
    climb += g;
    if (climb > best.nats) best = { nats: climb, start: climbStart, end: i };
  }
  const count = last - first;
  const drift = sum2 / count;
  const variance = squares / count - drift * drift;
  if (!(variance > 0)) return { ...best, excursions: 0 };
  const spread = Math.sqrt(variance);
  const leastFall = drift + 2 * spread / Math.sqrt(count);
  const chance = Math.min(leastFall < 0 ? variance / -leastFall : Infinity, DRIFTLESS_CLIMB * spread * Math.sqrt(count));
  return { ...best, excursions: best.nats / chance };
}
function locateMisalignment(m, input, table, judgedBy) {
  return { ...m, firstRow: locateRow(table, input.rows[m.start]).row, lastRow: locateRow(table, input.rows[m.end]).row, judgedBy };
}
function misalignmentAnomaly(m, file, date, labelText, severity) {
  if (!isMisaligned(m)) return null;
  const length = m.end - m.start + 1;
  const distance = Math.abs(m.offset);
  const neighbour = `the row ${distance === 1 ? "" : `${distance} rows `}${m.offset < 0 ? "before" : "after"} it`;
  return {
    kind: "labels_misaligned",
    severity,
    column: null,
    count: length,
    share: length / Math.max(1, m.rows),
    examples: [
      { file, row: m.firstRow },
      { file, row: m.lastRow }
    ],
    message: `${file}: rows ${m.firstRow}..${m.lastRow} look misaligned with their labels (${labelText}): over these ${length} rows each row fits the label of ${neighbour} better than its own, by ${m.nats.toFixed(1)} nats in all (${m.excursions.toFixed(1)} times what chance gives on this day), judged by ${m.judgedBy}, whose predictions follow those labels (correlation z ${m.skill.toFixed(1)}); on aligned data a row's own label fits it best. Fix the join or sort that attaches labels to rows upstream; if these labels are right, accept the day: ct validate --accept ${date} (validation.severity.labels_misaligned: warning lets every such day through)`
  };
}

// src/validate/model-checks.ts
async function modelScores(input, needed, entries, window, predictNewest, cacheDir) {
  const scores = /* @__PURE__ */ new Map();
  const { production, config } = input;
  const { firstDay, newest } = window;
  if (production === null || predictNewest === null || !config.validation.history.model) return { metric: "", days: scores };
  const metric = headlineMetric(production.preprocessing.task).name;
  const upToNewest = needed.filter((p) => p.date <= newest.date);
  const windowStart2 = upToNewest.findIndex((p) => p.date >= firstDay);
  const days = upToNewest.slice(Math.max(0, windowStart2 - modelHistoryDays(config.validation.history.minDays)));
  for (const p of days) {
    const predict = p === newest ? predictNewest : predictOnce(readOnce(p.file, config.data.format), production);
    const score = await cachedScore(p, entries.get(p.date), production.version, metric, cacheDir, () => scoreDay(predict, production, config, metric));
    if (score === null || !Number.isFinite(score.value) || score.rows < 100) continue;
    scores.set(p.date, score);
  }
  return { metric, days: scores };
}
async function cachedScore(p, entry, key, metric, cacheDir, compute) {
  const kept = entry.scores[key];
  if (kept !== void 0 && kept.metric === metric && kept.noise !== void 0 && (metric !== "auc" || kept.chance !== void 0)) return kept;
  const value = await compute();
  if (value === null) return null;
  entry.scores[key] = { metric, ...value };
  writeEntry(cacheDir, p.date, entry);
  return entry.scores[key];
}
async function scoreDay(predict, production, config, metric) {
  try {
    const { labels, preds, width } = await predict();
    const scored = scoreRows(production.preprocessing.task, labels, preds, {
      threshold: config.evaluation.threshold,
      classes: width,
      calibrationBins: config.evaluation.calibrationBins
    });
    const value = weightedMetrics(scored, null, [metric])[metric];
    if (typeof value !== "number") return null;
    const noise = scoreNoise(metric, value, scored.labels);
    return { value, rows: scored.labels.length, noise, ...metric === "auc" ? { chance: aucChance(scored.labels) } : {} };
  } catch (error) {
    if (error instanceof UserError) return null;
    throw error;
  }
}
async function exchangeAnomalies(input, needed, day, readDay, entries, scores, cacheDir) {
  const { production, config } = input;
  const asDelivered = scores.get(day.date)?.value;
  const before = [...scores].filter(([date]) => date < day.date).map(([, score]) => score.value);
  if (production === null || asDelivered === void 0 || before.length === 0) return [];
  const usual = { low: Math.min(...before), high: Math.max(...before) };
  const { name: metric, higherIsBetter } = headlineMetric(production.preprocessing.task);
  const reference = needed.filter((p) => p.date < day.date && scores.has(p.date)).slice(-EXCHANGE_REFERENCE_DAYS);
  const anomalies = [];
  for (const [a, b] of exchangeablePairs(production.preprocessing)) {
    const key = `${production.version} exchanged ${a} ${b}`;
    const exchangedScore = (p, read) => cachedScore(p, entries.get(p.date), key, metric, cacheDir, () => scoreDay(predictOnce(read, production, [a, b]), production, config, metric));
    const score = await exchangedScore(day, readDay);
    if (score === null) continue;
    if (!(exchangeGain(asDelivered, score.value, higherIsBetter) > 0)) continue;
    const gains = [];
    for (const p of reference) {
      const exchanged = await exchangedScore(p, readOnce(p.file, config.data.format));
      if (exchanged !== null) gains.push({ gain: exchangeGain(scores.get(p.date).value, exchanged.value, higherIsBetter), rows: exchanged.rows });
    }
    const anomaly = exchangeAnomaly(
      {
        file: day.file,
        date: day.date,
        columns: [a, b],
        model: production.version,
        metric,
        higherIsBetter,
        asDelivered,
        exchanged: score.value,
        usual,
        rows: score.rows,
        before: gains
      },
      severityOf("columns_exchanged", config.validation.severity)
    );
    if (anomaly !== null) anomalies.push(anomaly);
  }
  return anomalies;
}
async function alignmentAnomalies(input, day, readDay, predictDay, entry, cacheDir) {
  const { production, config } = input;
  const task = config.task;
  const key = production?.version ?? "";
  entry.alignment ??= {};
  if (!(key in entry.alignment) || entry.alignment[key] !== null && entry.alignment[key]?.skill === void 0) {
    entry.alignment[key] = await locateMisalignmentIn(readDay, predictDay, config, task, production);
    writeEntry(cacheDir, day.date, entry);
  }
  const found = entry.alignment[key];
  const anomaly = found ? misalignmentAnomaly(found, day.file, day.date, config.label.text, severityOf("labels_misaligned", config.validation.severity)) : null;
  return anomaly === null ? [] : [anomaly];
}
async function locateMisalignmentIn(read, predict, config, task, production) {
  const contextColumns = config.features.filter((f) => f.transform === "none" && f.kind !== "text" && f.kind !== "sequence").map((f) => f.column);
  try {
    const table = await read();
    const label = alignedLabel(table, config.label, task);
    if (label === null) return null;
    const classIndex = task === "multiclass" ? production?.preprocessing.label.classes?.indexOf(String(label.value)) ?? -1 : void 0;
    const predictions = predict === null ? null : await productionPredictions(predict, classIndex);
    const input = alignmentInput(table, label, contextColumns, config.data.timestamp, predictions);
    const found = findMisalignment(input);
    if (found === null) return null;
    const used = contextColumns.filter((c) => table.columns.some((t) => t.name === c && t.type === "string"));
    const judgedBy = (predictions === null ? `the day's mean label` : `production ${production.version}`) + (used.length === 0 ? "" : ` and the day's labels by ${used.join(", ")}${config.data.timestamp === void 0 ? "" : " and hour"}`);
    return locateMisalignment(found, input, table, judgedBy);
  } catch (error) {
    if (error instanceof UserError) return null;
    throw error;
  }
}
function predictOnce(read, production, exchanged) {
  let predicted;
  const predict = async () => {
    const delivered = await read();
    const table = exchanged === void 0 ? delivered : exchangeColumns(delivered, exchanged[0], exchanged[1]);
    const model = await production.model();
    const loaded = { dir: "", preprocessing: production.preprocessing, model, width: model.outputs[0].shape[1] ?? 1 };
    const { selected, labels, preds } = predictLabelledRows(table, loaded);
    return { selected, labels, preds, width: loaded.width };
  };
  return () => predicted ??= predict();
}
function alignedLabel(table, label, task) {
  if (task !== "multiclass") return { ...label, task };
  const column = findColumn(table, label.column);
  if (column?.type !== "string" || column.dictionary.length < 2) return null;
  const counts = new Float64Array(column.dictionary.length);
  for (const code of column.codes) if (code >= 0) counts[code]++;
  const top = counts.indexOf(Math.max(...counts));
  return { ...label, task: "binary", op: "!=", value: column.dictionary[top] };
}
async function productionPredictions(predict, classIndex) {
  try {
    const { selected, preds, width } = await predict();
    if (width === 1) return new Map(Array.from(selected, (row, k) => [row, preds[k]]));
    if (classIndex === void 0 || classIndex < 0 || classIndex >= width) return null;
    return new Map(Array.from(selected, (row, k) => [row, 1 - preds[k * width + classIndex]]));
  } catch (error) {
    if (error instanceof UserError) return null;
    throw error;
  }
}
function aucChance(labels) {
  const positives = positivesOf(labels);
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return 0.5 + 2 * Math.sqrt((labels.length + 1) / (12 * positives * negatives));
}
function scoreNoise(metric, value, labels) {
  const n = labels.length;
  if (n === 0) return 0;
  if (metric === "auc") {
    const positives = positivesOf(labels);
    const negatives = n - positives;
    if (positives === 0 || negatives === 0) return 0;
    const a = Math.min(Math.max(value, 0), 1);
    const q1 = a / (2 - a);
    const q2 = 2 * a * a / (1 + a);
    return Math.sqrt(Math.max(0, a * (1 - a) + (positives - 1) * (q1 - a * a) + (negatives - 1) * (q2 - a * a)) / (positives * negatives));
  }
  if (metric === "accuracy") return Math.sqrt(value * (1 - value) / n);
  if (metric === "rmse") return value / Math.sqrt(2 * n);
  return 0;
}
function positivesOf(labels) {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) positives++;
  return positives;
}
function withScore(profile, metric, score) {
  if (score === void 0) return profile;
  return {
    ...profile,
    metrics: { ...profile.metrics, [`model.${metric}`]: score.value },
    ...score.chance === void 0 ? {} : { modelChance: score.chance },
    ...score.noise === void 0 ? {} : { modelNoise: score.noise }
  };
}

// src/validate/screening.ts
var skippedScreening = (reason) => ({
  skipped: reason,
  historyDays: 0,
  anomalies: [],
  quarantined: [],
  missing: [],
  accepted: [],
  newest: null,
  cached: 0,
  computed: 0
});
async function screenPartitions(input) {
  const { config, source, schema } = input;
  const options = config.validation.history;
  if (!options.enabled) return skippedScreening("validation.history.enabled is false");
  let partitions;
  try {
    partitions = listPartitions(source);
  } catch {
    return skippedScreening("the data is not a folder of daily partitions");
  }
  const window = planDataset(config.data, source);
  const windowDays = new Set(window.trainParts.concat(window.evaluationParts));
  const windowPartitions = partitions.filter((p) => windowDays.has(p.date));
  const newest = windowPartitions.at(-1);
  if (newest === void 0) return skippedScreening("the window holds no partitions");
  const firstNeeded = dayNumber(windowPartitions[0].date) - options.maxDays;
  const needed = partitions.filter((p) => dayNumber(p.date) >= firstNeeded && p.date <= newest.date);
  const cacheDir = cacheFolder(input.baseDir, options.cache, source);
  const { entries, complete, cached, computed } = await openHistory(needed, cacheDir, config, schema);
  const acceptances = readAccepted(input.schemaFile);
  const accepted = acceptances.filter((a) => entries.get(a.date)?.fingerprint === a.fingerprint);
  const newestReadable = entries.get(newest.date).anomalies.every((a) => a.severity !== "error");
  const judgeable = newestReadable && needed.length > MODEL_HISTORY_DAYS;
  const readNewest = readOnce(newest.file, config.data.format);
  const predictNewest = input.production === null ? null : predictOnce(readNewest, input.production);
  const scored = judgeable ? await modelScores(input, needed, entries, { firstDay: windowPartitions[0].date, newest }, predictNewest, cacheDir) : { metric: "", days: /* @__PURE__ */ new Map() };
  const profiles = needed.map((p) => withScore({ ...entries.get(p.date).profile, categories: {} }, scored.metric, scored.days.get(p.date)));
  const modelChecks = async (p, read = readOnce(p.file, config.data.format)) => {
    const entry = entries.get(p.date);
    if (!newestReadable || entry.anomalies.some((a) => a.severity === "error")) return [];
    const predict = p === newest ? predictNewest : input.production === null ? null : predictOnce(read, input.production);
    const exchanged = scored.days.has(p.date) ? await exchangeAnomalies(input, needed, p, read, entries, scored.days, cacheDir) : [];
    const acceptedKinds = accepted.find((a) => a.date === p.date)?.metrics ?? [];
    return [...exchanged, ...await alignmentAnomalies(input, p, read, predict, entry, cacheDir)].filter((a) => !acceptedKinds.includes(a.kind));
  };
  const { newestFindings, newestHistory, historyDays, quarantined } = await judgeWindow(windowPartitions, {
    entries,
    profiles,
    accepted,
    options: compareOptionsOf(config, accepted),
    complete,
    modelChecks,
    cacheDir,
    config
  });
  const anomalies = findingAnomalies(newestFindings, newest, entries.get(newest.date).profile.rows, config);
  await showFindingRows(
    anomalies,
    newestFindings,
    profiles.find((h) => h.date === newest.date),
    newestHistory,
    complete,
    readNewest,
    config
  );
  const checked = await modelChecks(newest, readNewest);
  anomalies.push(...checked);
  const noData = new Set(acceptances.flatMap((a) => a.fingerprint === NO_PARTITION ? [a.date] : []));
  const missing = missingWindowDays(config, partitions, windowPartitions, dateOfDay(firstNeeded), noData);
  if (missing.anomaly !== null) anomalies.push(missing.anomaly);
  if (historyDays < options.minDays) {
    input.logger.debug(
      `history: ${newest.date} has ${historyDays} earlier day(s); partitions are tested against their history from ${options.minDays} days on`
    );
  }
  return {
    skipped: null,
    historyDays,
    anomalies,
    quarantined,
    missing: missing.dates,
    accepted,
    newest: {
      date: newest.date,
      file: newest.file,
      fingerprint: entries.get(newest.date).fingerprint,
      rows: entries.get(newest.date).profile.rows,
      findings: newestFindings,
      errors: entries.get(newest.date).anomalies.filter((a) => a.severity === "error"),
      modelErrors: checked.filter((a) => a.severity === "error").map((a) => a.kind)
    },
    cached,
    computed
  };
}
function compareOptionsOf(config, accepted) {
  const options = config.validation.history;
  const clock = clockColumns(config.features, config.data.timezone);
  const source = labelSource(config);
  return {
    minDays: options.minDays,
    maxDays: options.maxDays,
    threshold: options.threshold,
    maxRowDrop: options.maxRowDrop,
    labelColumn: profiledLabel(config),
    ...source === void 0 ? {} : { labelSource: source },
    labelMixThreshold: config.task === "regression" ? null : options.labelThreshold,
    ...clock === void 0 ? {} : { clock },
    // Only a lasting change re-bases what it moved; a one-off leaves the history as it was.
    accepted: accepted.filter((a) => a.oneOff !== true)
  };
}
async function judgeWindow(windowPartitions, { entries, profiles, accepted, options, complete, modelChecks, cacheDir, config }) {
  const flagged = /* @__PURE__ */ new Set();
  const quarantined = [];
  const historyOf = (p) => profiles.filter((h) => h.date < p.date && !flagged.has(h.date));
  const findingsOf = async (p, history2) => {
    const entry = entries.get(p.date);
    const own = accepted.find((a) => a.date === p.date);
    const findings = await verdictOf(
      entry,
      profiles.find((h) => h.date === p.date),
      history2,
      entries,
      options,
      complete,
      () => writeEntry(cacheDir, p.date, entry)
    );
    return findings.filter((f) => own === void 0 || !own.metrics.includes(f.metric));
  };
  for (const p of windowPartitions.slice(0, -1)) {
    const entry = entries.get(p.date);
    const findings = await findingsOf(p, historyOf(p));
    const errors = entry.anomalies.filter((a) => a.severity === "error");
    const blocking = rowCountFirst(
      findings.filter((f) => severityOf(f.kind, config.validation.severity) === "error"),
      (f) => f
    );
    if (accepted.some((a) => a.date === p.date && a.oneOff === true)) flagged.add(p.date);
    const refused2 = (await modelChecks(p)).filter((a) => a.severity === "error");
    if (blocking.length === 0 && errors.length === 0 && refused2.length === 0) continue;
    flagged.add(p.date);
    quarantined.push({
      date: p.date,
      file: p.file,
      fingerprint: entry.fingerprint,
      reasons: [
        ...errors.map((a) => a.message),
        ...blocking.map((f) => findingMessage(f, p.file, p.date, config.label.text)),
        ...refused2.map((a) => a.message)
      ],
      metrics: [...blocking.map((f) => f.metric), ...refused2.map((a) => a.kind)]
    });
  }
  const newest = windowPartitions.at(-1);
  const history = historyOf(newest);
  return {
    newestFindings: await findingsOf(newest, history),
    newestHistory: history.slice(-options.maxDays),
    historyDays: Math.min(history.length, options.maxDays),
    quarantined
  };
}
function rowCountFirst(items, finding) {
  return [...items].sort((a, b) => Number(finding(b).kind === "partition_rows") - Number(finding(a).kind === "partition_rows"));
}
function findingAnomalies(findings, newest, rows, config) {
  const groups = /* @__PURE__ */ new Map();
  for (const f of findings) {
    const key = `${f.kind}\0${f.column ?? ""}`;
    groups.set(key, [...groups.get(key) ?? [], f]);
  }
  const labelText = config.label.text;
  return rowCountFirst([...groups.values()], (group) => group[0]).map(([strongest, ...others]) => ({
    column: strongest.column,
    kind: strongest.kind,
    severity: severityOf(strongest.kind, config.validation.severity),
    count: rows,
    share: 1,
    examples: [{ file: newest.file, row: 1 }],
    message: findingMessage(
      strongest,
      newest.file,
      newest.date,
      labelText,
      others.map((o) => describeStatistic(o, labelText))
    )
  }));
}
async function verdictOf(entry, profile, history, entries, options, complete, save) {
  const used = history.slice(-options.maxDays);
  const key = createHash2("sha256").update(
    JSON.stringify({
      self: [entry.fingerprint, dataMetrics(profile.metrics)],
      history: used.map((h) => [h.date, entries.get(h.date)?.fingerprint]),
      options,
      version: VERDICT_FORMAT
    })
  ).digest("hex");
  let findings = entry.verdict?.key === key ? entry.verdict.findings : void 0;
  if (findings === void 0) {
    findings = compareWithHistory(await complete(profile), await Promise.all(used.map(complete)), options, "data");
    entry.verdict = { key, findings };
    save();
  }
  return [...findings, ...compareWithHistory(profile, used, options, "model")].sort((a, b) => Math.abs(b.score) - Math.abs(a.score));
}
var VERDICT_FORMAT = 34;
function dataMetrics(metrics) {
  return Object.fromEntries(Object.entries(metrics).filter(([metric]) => !metric.startsWith("model.")));
}
function missingWindowDays(config, partitions, windowPartitions, historyStart, noData) {
  const newest = windowPartitions.at(-1);
  const since = historyStart > partitions[0].date ? historyStart : partitions[0].date;
  const start = windowStart(config, newest, windowPartitions[0]);
  const missing = missingDays(
    partitions.filter((p) => p.date <= newest.date),
    start,
    since
  ).filter((m) => !noData.has(m.date));
  const windowDays = dayNumber(newest.date) - dayNumber(start) + 1;
  return { dates: missing.map((m) => m.date), anomaly: missing.length === 0 ? null : missingPartitionAnomaly(missing, windowDays, newest, since, config) };
}
function windowStart(config, newest, first) {
  const { window } = config.data;
  const start = window.newestDays === void 0 ? first.date : dateOfDay(dayNumber(newest.date) - window.newestDays + 1);
  return window.from !== void 0 && window.from > start ? window.from : start;
}
function missingPartitionAnomaly(missing, windowDays, newest, since, config) {
  const dates = missing.map((m) => m.date);
  const usual = [...new Map(missing.map((m) => [m.weekday, `${m.present} of the ${m.weekdays} ${WEEKDAYS[m.weekday]}`])).values()];
  const one = missing.length === 1;
  return {
    kind: "missing_partition",
    severity: severityOf("missing_partition", config.validation.severity),
    column: null,
    count: missing.length,
    share: missing.length / windowDays,
    examples: [],
    message: `${path3.dirname(newest.file)}: no partition for ${alternatives(dates, "and")}, where ${alternatives(usual, "and")} from ${since} on have one: a missing upload? The window is trained without ${one ? "that day" : "those days"}. Add the ${one ? "file" : "files"}, or if there was no data, say so: ct validate --accept ${dates[0]}`
  };
}
async function openHistory(needed, cacheDir, config, schema) {
  const derivation = derivationHash(config, schema);
  let cached = 0;
  let computed = 0;
  const entries = /* @__PURE__ */ new Map();
  const details = /* @__PURE__ */ new Map();
  for (const p of needed) {
    const fingerprint = fingerprintFiles([p.file]);
    let entry = readEntry(path3.join(cacheDir, `${p.date}.json`), fingerprint, derivation);
    if (entry === null) {
      const profiled = await computeEntry(p, fingerprint, derivation, config, schema);
      writeEntry(cacheDir, p.date, entry = profiled.entry, profiled.detail);
      details.set(p.date, profiled.detail);
      computed++;
    } else cached++;
    entries.set(p.date, entry);
  }
  const complete = async (profile) => {
    let detail = details.get(profile.date) ?? null;
    if (detail === null) {
      const entry = entries.get(profile.date);
      detail = readDetail(cacheDir, profile.date, entry);
      if (detail === null) {
        const p = needed.find((n) => n.date === profile.date);
        detail = (await computeEntry(p, entry.fingerprint, entry.derivation, config, schema)).detail;
        writeEntry(cacheDir, p.date, entry, detail);
      }
      details.set(profile.date, detail);
    }
    return { ...profile, ...detail };
  };
  return { entries, complete, cached, computed };
}
function labelSource(config) {
  return config.task !== "regression" && config.label.op !== void 0 ? config.label.column : void 0;
}
function profiledLabel(config) {
  return config.task === "multiclass" ? config.label.column : LABEL_COLUMN;
}
function columnRoles(config) {
  const direct = config.features.filter((f) => f.cross === void 0);
  const numeric = direct.filter((f) => (f.kind ?? "numeric") === "numeric" && f.transform !== "bucketize" && f.column !== config.label.column);
  return {
    inputs: new Set(numeric.map((f) => f.transform === "none" ? f.column : `${DERIVED_PREFIX}${f.name}`)),
    quantities: /* @__PURE__ */ new Set([
      ...direct.filter((f) => (f.kind ?? "numeric") === "numeric" || f.transform === "bucketize").map((f) => f.column),
      config.label.column
    ]),
    codes: new Set(direct.filter((f) => f.kind === "categorical" && f.transform === "none").map((f) => f.column))
  };
}
function profileTable(table, config) {
  const extra = derivedInputColumns(table, config.features, config.data.timezone);
  let raw = table.columns;
  if (config.task !== "multiclass") {
    try {
      extra.push(numberColumnOf(LABEL_COLUMN, labelColumnValues(table, { ...config.label, task: config.task })));
      if (config.label.op === void 0) raw = raw.filter((c) => c.name !== config.label.column);
    } catch {
    }
  }
  return { ...table, columns: [...raw, ...extra] };
}
function withTimesOfDay(table) {
  return { ...table, columns: table.columns.map((c) => c.type === "timestamp" ? { ...c, values: c.values.map(timeOfDay) } : c) };
}
async function computeEntry(p, fingerprint, derivation, config, schema) {
  const checker = createAnomalyChecker(schema, {
    severity: config.validation.severity,
    duplicates: true,
    ...config.data.timestamp === void 0 ? {} : { partitionTime: config.data.timestamp }
  });
  const stats = createStatistics();
  const readOptions = config.data.format === void 0 ? {} : { format: config.data.format };
  const times = new Set(schema.columns.filter((c) => c.type === "timestamp").map((c) => c.name));
  let sketch = [];
  let timedSketch = [];
  const { quantities, codes, inputs } = columnRoles(config);
  const relations = createRelations(codes);
  const dependencies = createDependencies(codes);
  const orientations = createOrientations(config.data.timestamp, config.data.timezone);
  const crossed = new Set(config.features.filter((f) => f.cross !== void 0).map((f) => `${DERIVED_PREFIX}${f.name}`));
  const labelGroups = createLabelGroups(config.task === "regression" ? null : profiledLabel(config), { codes, skip: crossed });
  const frozenGroups2 = createFrozenGroups({ codes, skip: crossed });
  const rowSampler = createRowSample(times);
  const numericShape = createNumericShape(quantities, config.label.column);
  const repeatsAbove = createRepeatsAbove(/* @__PURE__ */ new Set([...quantities, ...codes]));
  const labelCorrelations = createLabelCorrelations(LABEL_COLUMN, inputs);
  const inputRepeats = createInputRepeats(config.label.column);
  const entry = ({ categories, sketch: sketch2, timedSketch: timedSketch2, dependencies: dependencies2, orientations: orientations2, labelGroups: labelGroups2, frozenGroups: frozenGroups3, rowSample, effects, ...summary }, anomalies2) => ({
    entry: {
      format: "ct-partition-profile",
      version: PROFILE_FORMAT,
      file: path3.basename(p.file),
      fingerprint,
      derivation,
      profile: summary,
      anomalies: anomalies2,
      scores: {}
    },
    detail: { categories, sketch: sketch2, timedSketch: timedSketch2, dependencies: dependencies2, orientations: orientations2, labelGroups: labelGroups2, frozenGroups: frozenGroups3, rowSample, effects }
  });
  try {
    for await (const raw of readChunksOf([p.file], readOptions)) {
      checker.add(raw);
      const chunk = asSchemaTypes(raw, schema);
      const profiled = profileTable(chunk, config);
      stats.add(profiled);
      relations.add(profiled);
      labelCorrelations.add(profiled);
      labelGroups.add(profiled);
      frozenGroups2.add(profiled);
      rowSampler.add(chunk);
      dependencies.add(chunk);
      orientations.add(chunk);
      numericShape.add(chunk);
      repeatsAbove.add(chunk);
      inputRepeats.add(chunk);
      sketch = mergeSketch(sketch, rowHashes(chunk, times));
      timedSketch = mergeSketch(timedSketch, rowHashes(withTimesOfDay(chunk)), TIMED_SKETCH_SIZE);
    }
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    const unreadable = {
      kind: "unreadable_file",
      severity: "error",
      column: null,
      count: 0,
      share: 1,
      message: `${error.message}: the file cannot be read (an interrupted copy, another encoding or format?); fix or replace it`,
      examples: [{ file: p.file, row: 1 }]
    };
    return entry({ date: p.date, rows: 0, metrics: {}, categories: {} }, [unreadable]);
  }
  const anomalies = checker.result();
  const duplicates = anomalies.find((a) => a.kind === "duplicate_rows")?.count ?? 0;
  return entry(
    profileOf(p.date, stats.result(), {
      duplicates,
      inputRepeats: inputRepeats.result(),
      codes,
      sketch,
      timedSketch,
      relations: { ...relations.result(), ...labelCorrelations.result() },
      effects: relations.effects(),
      numericShape: numericShape.result(),
      repeatsAbove: repeatsAbove.result(),
      dependencies: dependencies.result(),
      orientations: orientations.result(),
      labelGroups: labelGroups.result(),
      frozenGroups: frozenGroups2.result(),
      rowSample: rowSampler.result(),
      timeZone: config.data.timezone,
      ranges: labelSource(config)
    }),
    anomalies
  );
}

// src/pipeline/validate.ts
async function screenWindow(ctx) {
  if (ctx.data !== void 0) return skippedScreening("a --data batch is checked on its own, not against the partition history");
  const file = schemaPath(ctx);
  let inferred = false;
  if (!existsSync3(file)) {
    const plan = windowPlan(ctx, skippedScreening("the schema is inferred in this run"));
    inferred = (await readOrInferSchema(ctx, () => planChunks(plan, ctx.loaded.config))).inferred;
  }
  const schema = parseSchema(displayPath(file), readJson(file, "data schema"));
  const production = await loadProduction(ctx);
  try {
    const screening = await screenPartitions({
      config: ctx.loaded.config,
      baseDir: ctx.loaded.baseDir,
      source: dataSource(ctx),
      schema,
      schemaFile: file,
      production: production === null ? null : { version: production.version, model: production.model, preprocessing: production.preprocessing },
      logger: ctx.logger
    });
    return inferred ? { ...screening, schemaInferred: true } : screening;
  } finally {
    await production?.release();
  }
}
async function runValidate(ctx, given, options = {}) {
  const { config } = ctx.loaded;
  const screening = options.screening ?? (given === void 0 && options.plan === void 0 ? await screenWindow(ctx) : skippedScreening("validated as given"));
  if (given === void 0 && options.plan === void 0 && screening.newest !== null && screening.newest.errors.length > 0 && options.updateSchema !== true)
    return refuseNewest(ctx, screening, screening.newest);
  if (screening.newest !== null) logScreening(ctx, screening.newest.file, screening);
  const plan = options.plan ?? (given === void 0 && ctx.data !== void 0 ? planBatch(ctx.data) : windowPlan(ctx, screening));
  if (plan === null) return refuseWindow(ctx, screening);
  const chunks = () => given !== void 0 ? datasetChunks(given) : planChunks(plan, config);
  const { schema: read, file, inferred } = await readOrInferSchema(ctx, chunks);
  checkConfigColumns(ctx.loaded.file, config, read, displayPath(file));
  const production = await loadProduction(ctx);
  const schema = options.predictionLog === true && production !== null ? predictionLogSchema(read, config, production) : read;
  const reference = production?.statistics ?? (given !== void 0 || plan.evaluationFiles.length > 0 ? "window" : null);
  const batch = await checkBatch(ctx, chunks(), {
    schema,
    plan,
    production,
    reference,
    collectAll: options.updateSchema === true,
    predictionLog: options.predictionLog === true
  });
  await production?.release();
  const driftBlocks = config.validation.drift.blocking && batch.drift?.datasetDrift === true;
  const anomalies = foldNewValueWarnings([...screening.anomalies, ...batch.anomalies, ...plan.partitioned ? unreadFiles(ctx) : []]).sort(
    (a, b) => a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1
  );
  const fingerprint = given?.fingerprint ?? fingerprintFiles(plan.files);
  const result = {
    ok: !anomalies.some((a) => a.severity === "error") && !driftBlocks,
    rows: batch.rows,
    fingerprint,
    retrain: ctx.data !== void 0 && given === void 0 ? null : retrainDecision(production, fingerprint, ctx.loaded.hash),
    files: plan.files.map(displayPath),
    schemaFile: displayPath(file),
    schemaInferred: inferred || screening.schemaInferred === true,
    anomalies,
    drift: batch.drift === null ? null : {
      reference: production?.statistics ? `production ${production.version}` : "training days of this window",
      blocking: config.validation.drift.blocking,
      ...batch.drift
    },
    history: { days: screening.historyDays, skipped: screening.skipped },
    quarantined: screening.quarantined,
    accepted: screening.accepted
  };
  writeValidation(ctx, result);
  if (options.updateSchema === true && batch.all !== null) proposeSchema(ctx, schema, batch.all, file);
  logFindings(ctx, result);
  logDrift(ctx, result.drift, driftBlocks);
  if (result.retrain?.needed === false) ctx.logger.info(result.retrain.reason);
  ctx.logger.info(`validated ${result.rows} rows from ${result.files.length} file(s): ${result.ok ? "ok" : "failed"}`);
  return { result };
}
function logScreening(ctx, file, screening) {
  ctx.logger.info(`history: ${file} against ${screening.historyDays} earlier day(s) (profiles: ${screening.cached} cached, ${screening.computed} computed)`);
}
function predictionLogSchema(schema, config, production) {
  return labelOptional(schema, [config.label.column, production.preprocessing.label.column], production.preprocessing);
}
function checkBatch(ctx, chunks, batch) {
  const { config } = ctx.loaded;
  const { schema, production } = batch;
  const drift = driftOptions(config, schema);
  const scorer = drift.columns?.includes(PREDICTION_COLUMN) === true ? production : null;
  const domain = production === null ? null : createInputDomainChecker(production.preprocessing, {
    model: `production ${production.version}`,
    severity: config.validation.severity,
    openColumns: new Set(schema.columns.filter((c) => c.domain === void 0).map((c) => c.name)),
    reviewedValues: new Map(schema.columns.flatMap((c) => c.domain === void 0 ? [] : [[c.name, new Set(c.domain)]]))
  });
  return validateChunks(chunks, {
    schema,
    checker: batch.predictionLog ? { severity: { new_column: "warning", ...config.validation.severity }, duplicates: false } : checkerOptions(config, batch.plan, production),
    reference: batch.reference,
    drift,
    derive: (table) => deriveColumns(table, config, scorer),
    collectAll: batch.collectAll,
    // What the production model can take: a value its preprocessing would turn into NaN or an imputed number is an anomaly.
    checks: domain === null ? [] : [domain]
  });
}
async function* planChunks(plan, config) {
  const evaluationFiles = new Set(plan.evaluationFiles.map(displayPath));
  const readOptions = config.data.format === void 0 ? {} : { format: config.data.format };
  for await (const table of readChunksOf(plan.files, readOptions)) {
    const file = table.sources[0]?.file ?? "";
    yield { table, drift: evaluationFiles.size === 0 || evaluationFiles.has(file) ? "current" : "reference" };
  }
}
async function readOrInferSchema(ctx, chunks) {
  const file = schemaPath(ctx);
  if (existsSync3(file)) return { schema: parseSchema(displayPath(file), readJson(file, "data schema")), file, inferred: false };
  const inference = createSchemaInference({ maxDomainSize: ctx.loaded.config.validation.maxDomainSize });
  for await (const chunk of chunks()) inference.add(chunk.table);
  const { schema, rows } = inference.result();
  writeJson(file, schema);
  ctx.logger.info(`schema inferred from ${rows} rows and written to ${displayPath(file)}: review it and commit it`);
  return { schema, file, inferred: true };
}
function proposeSchema(ctx, schema, all, file) {
  const proposed = widenSchema(schema, all, { maxDomainSize: ctx.loaded.config.validation.maxDomainSize });
  const proposedFile = path4.join(ctx.outDir, "schema.proposed.json");
  writeJson(proposedFile, proposed);
  const diff = lineDiff(JSON.stringify(schema, null, 2), JSON.stringify(proposed, null, 2));
  ctx.logger.info(
    diff === "" || !/^[-+]/m.test(diff) ? "the schema already accepts this batch" : `proposed schema change (written to ${displayPath(proposedFile)}; copy it over ${displayPath(file)} to accept):
${diff}`
  );
}
function logDrift(ctx, drift, blocks) {
  if (drift === null) return;
  const drifted = drift.columns.filter((c) => c.drifted).map((c) => c.column);
  const line = `drift against ${drift.reference}: ${drifted.length} of ${drift.columns.length} columns drifted${drifted.length > 0 ? ` (${drifted.join(", ")})` : ""}${drift.datasetDrift ? ": dataset drift" : ""}`;
  if (blocks) ctx.logger.warning(`${line}; validation.drift.blocking is set`);
  else ctx.logger.info(line);
}
function writeValidation(ctx, result) {
  const paths = artifactPaths(ctx.outDir);
  writeJson(paths.validation, result);
  writeFileSync(paths.validationReport, validationMarkdown(result));
}
var SHOWN_QUARANTINED = 3;
function quarantineLines(quarantined, report) {
  const shown = quarantined.slice(-SHOWN_QUARANTINED);
  const lines = shown.length < quarantined.length ? [
    `left out ${quarantined.length} partitions of the window (quarantined until fixed or accepted); all listed in ${report}, the newest ${SHOWN_QUARANTINED} here`
  ] : [];
  for (const q of shown) {
    const more = q.reasons.length > 1 ? ` (and ${q.reasons.length - 1} more in ${report})` : "";
    lines.push(`left out ${q.file} (quarantined until it is fixed or accepted): ${q.reasons[0] ?? "refused"}${more}`);
  }
  return lines;
}
function logFindings(ctx, result) {
  for (const line of quarantineLines(result.quarantined, displayPath(artifactPaths(ctx.outDir).validationReport))) ctx.logger.warning(line);
  for (const a of result.anomalies) {
    if (a.severity === "error") ctx.logger.error(anomalyText(a));
    else ctx.logger.info(`warning: ${anomalyText(a)}`);
  }
}
function refuseNewest(ctx, screening, newest) {
  const unreadable = newest.errors.find((a) => a.kind === "unreadable_file");
  if (unreadable !== void 0) throw new UserError(unreadable.message);
  return refused(ctx, screening, [...newest.errors, ...screening.anomalies], "on its own");
}
function unreadFiles(ctx) {
  const anomaly = unreadFilesAnomaly(dataSource(ctx), severityOf("unread_file", ctx.loaded.config.validation.severity));
  return anomaly === null ? [] : [anomaly];
}
function refused(ctx, screening, found, how) {
  const newest = screening.newest;
  const anomalies = [...found, ...unreadFiles(ctx)];
  const result = {
    ok: false,
    rows: newest.rows,
    fingerprint: newest.fingerprint,
    retrain: null,
    files: [newest.file],
    schemaFile: displayPath(schemaPath(ctx)),
    schemaInferred: false,
    anomalies,
    drift: null,
    history: { days: screening.historyDays, skipped: screening.skipped },
    quarantined: screening.quarantined,
    accepted: screening.accepted
  };
  writeValidation(ctx, result);
  logFindings(ctx, result);
  ctx.logger.info(`validated ${newest.file}, the newest partition, ${how}: failed`);
  return { result };
}
function windowPlan(ctx, screening) {
  const { data } = ctx.loaded.config;
  const quarantined = new Set(screening.quarantined.map((q) => q.date));
  try {
    return planDataset(data, dataSource(ctx), quarantined);
  } catch (e) {
    if (quarantined.size === 0 || !(e instanceof UserError)) throw e;
    planDataset(data, dataSource(ctx));
    return null;
  }
}
function refuseWindow(ctx, screening) {
  const { config } = ctx.loaded;
  const days = screening.quarantined.map((q) => q.date);
  const named = days.length <= SHOWN_QUARANTINED ? days.join(", ") : `${days.slice(0, SHOWN_QUARANTINED).join(", ")} and ${days.length - SHOWN_QUARANTINED} more`;
  const split = config.data.split.method === "time" ? ` (data.split.evaluationDays: ${config.data.split.evaluationDays})` : "";
  const anomaly = {
    kind: "window_quarantined",
    severity: "error",
    column: null,
    count: days.length,
    share: 1,
    examples: [],
    message: `${path4.dirname(screening.newest.file)}: ${days.length} partition(s) of the window are quarantined (${named}; their reasons are in ${displayPath(artifactPaths(ctx.outDir).validationReport)}), and the days left are for evaluation only${split}: no day is left to train on. Fix those days' data, or accept their changes if they are real: ct validate --accept ${days[0]}`
  };
  return refused(ctx, screening, [anomaly, ...screening.anomalies], "against its history");
}
function retrainDecision(production, fingerprint, configSha256) {
  if (production === null) return { needed: true, reason: "no production model yet" };
  const sameData = production.trainedOn.fingerprint === fingerprint;
  const sameConfig = production.trainedOn.configSha256 === configSha256;
  if (sameData && sameConfig)
    return { needed: false, reason: `no new data since production ${production.version} was trained (same files and config): retraining would change nothing` };
  return {
    needed: true,
    reason: [sameData ? null : "new data since production was trained", sameConfig ? null : "the config changed"].filter((r) => r !== null).join(" and ")
  };
}
function datasetChunks(dataset) {
  return [
    { table: takeRows(dataset.table, dataset.trainRows), drift: "reference" },
    { table: takeRows(dataset.table, dataset.evaluationRows), drift: "current" }
  ];
}
function checkConfigColumns(configFile, config, schema, schemaFile) {
  const known = schema.columns.map((c) => c.name);
  const used = [["label", config.label.column]];
  if (config.data.timestamp !== void 0) used.push(["data.timestamp", config.data.timestamp]);
  config.features.forEach((f, i) => {
    if (f.transform !== "cross") used.push([`features[${i}].column`, f.column]);
  });
  config.evaluation.slices.forEach((s, i) => used.push([`evaluation.slices[${i}].column`, s.column]));
  for (const [field, column] of used) {
    if (!known.includes(column))
      throw new UserError(`${configFile}: ${field}: "${column}" is not a column of the data (${schemaFile} has ${known.join(", ")})`);
  }
  const typed = [];
  if (config.data.timestamp !== void 0) typed.push(["data.timestamp", config.data.timestamp, "timestamp", "data.timestamp must name"]);
  config.features.forEach((f, i) => {
    if (f.transform === "hourOfDay" || f.transform === "dayOfWeek" || f.transform === "bucketize" || f.transform === "log1p")
      typed.push([
        `features[${i}].column`,
        f.column,
        f.transform === "hourOfDay" || f.transform === "dayOfWeek" ? "timestamp" : "number",
        `${f.transform} needs`
      ]);
  });
  const labelType = schema.columns.find((c) => c.name === config.label.column).type;
  const mismatch = labelTypeMismatch(config.label, labelType);
  if (mismatch !== null) throw new UserError(`${configFile}: label: ${mismatch} (${schemaFile})`);
  for (const [field, column, type, rule] of typed) {
    const actual = schema.columns.find((c) => c.name === column).type;
    if (actual !== type) throw new UserError(`${configFile}: ${field}: "${column}" is a ${actual} column in ${schemaFile}; ${rule} a ${type} column`);
  }
}
function checkerOptions(config, plan, production) {
  const options = { severity: config.validation.severity, duplicates: config.validation.duplicates };
  if (plan.partitioned && config.data.timestamp !== void 0) options.partitionTime = config.data.timestamp;
  const perPartition = production?.rowsPerPartition ?? null;
  if (plan.partitioned && perPartition !== null) {
    const { minRatio, maxRatio } = config.validation.rowCount;
    const parts = plan.files.length;
    options.expectedRows = {
      min: Math.floor(perPartition * parts * minRatio),
      max: Math.ceil(perPartition * parts * maxRatio),
      reason: `${parts} partition(s) at ${Math.round(perPartition)} rows each in the production model's training data, ratio ${minRatio}..${maxRatio}`
    };
  }
  return options;
}
function driftOptions(config, schema) {
  const d = config.validation.drift;
  const text = new Set(config.features.filter((f) => f.kind === "text" || f.kind === "sequence").map((f) => f.column));
  const columns = d.columns ?? [
    ...schema.columns.filter((c) => c.name !== config.data.timestamp && c.type !== "timestamp" && !text.has(c.name)).map((c) => c.name),
    LABEL_COLUMN,
    PREDICTION_COLUMN
  ];
  return {
    columns,
    method: d.method,
    correction: d.correction,
    datasetDriftShare: d.datasetDriftShare,
    nullRateChange: d.nullRateChange,
    labelColumn: LABEL_COLUMN,
    predictionColumn: PREDICTION_COLUMN
  };
}
async function loadProduction(ctx) {
  const { config } = ctx.loaded;
  const registry = registryPath(ctx);
  const pointer = readProduction(registry, config.name);
  if (pointer === null) return null;
  const dir = verifiedProductionDir(registry, pointer);
  const statisticsFile = path4.join(dir, "statistics.json");
  const raw = readJson(statisticsFile, "reference statistics");
  const statistics = raw.version === 1 ? null : parseStatistics(raw, displayPath(statisticsFile));
  if (statistics === null) ctx.logger.warning(`production ${pointer.version} has statistics of an older format: no drift test until the next promotion`);
  const training = readJson(path4.join(dir, "training.json"), "training record");
  const parts = training.data.trainParts.length;
  let model;
  return {
    version: pointer.version,
    statistics,
    preprocessing: readJson(path4.join(dir, "preprocessing.json"), "model preprocessing"),
    model: () => model ??= (async () => {
      await selectBackend(ctx.backend ?? config.training.backend, ctx.logger);
      return loadLayersModel(dir, `production model ${pointer.version}`);
    })(),
    rowsPerPartition: statistics !== null && parts > 0 ? statistics.rows / parts : null,
    trainedOn: { fingerprint: training.data.fingerprint, configSha256: training.config.sha256 },
    release: async () => {
      (await model)?.dispose();
    }
  };
}

export {
  deriveColumns,
  runValidate
};
