import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);
import {
  QuantileSketch,
  SAMPLE_LIMIT,
  createStatistics,
  nullFraction,
  valueCount
} from "./monitor+predict+train+validate.js";
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
} from "./bootstrap-worker+evaluate+monitor+predict+validate.js";
import {
  DATA_EXTENSIONS,
  DEFAULT_CONSTRAINT_TOLERANCE,
  DEFAULT_SEVERITY,
  asRemote,
  assertDataFile,
  boundValue,
  displayPath,
  formatOf,
  isRemote,
  localCopy,
  parseTimestampString,
  readCsvChunks,
  readJsonLinesChunks,
  readParquetChunks,
  remoteError
} from "./evaluate+monitor+predict+promote+train+validate.js";
import {
  MS_PER_DAY,
  UserError,
  findColumn,
  locateRow,
  stringColumnOf
} from "./evaluate+infra-child+monitor+predict+promote+train+validate.js";

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

// src/validate/checker.ts
var MAX_EXAMPLES = 20;
var DUPLICATE_CAPACITY_LOG2 = 22;
var Finding = class {
  count = 0;
  examples = [];
  values = /* @__PURE__ */ new Map();
  /** Lowest and highest value hit (numbers only: `see`). */
  low = Infinity;
  high = -Infinity;
  /** Hits per file, where a file's share matters (the inferred constraints' tolerance is per partition). */
  byFile = null;
  hit(chunk, row, value) {
    this.count++;
    if (this.byFile !== null) {
      const file = locateRow(chunk, row).file;
      this.byFile.set(file, (this.byFile.get(file) ?? 0) + 1);
    }
    if (this.examples.length < MAX_EXAMPLES) this.examples.push(value === void 0 ? locateRow(chunk, row) : { ...locateRow(chunk, row), value });
  }
  /** Counts by value, for messages like "unseen values: XNA (12), YZZ (3)". */
  tally(value, n = 1) {
    if (this.values.size < 1e3 || this.values.has(value)) this.values.set(value, (this.values.get(value) ?? 0) + n);
  }
  /** Records the value of a numeric hit, for messages like "lowest -12". */
  see(x) {
    if (x < this.low) this.low = x;
    if (x > this.high) this.high = x;
  }
  topValues(k = 5) {
    return [...this.values.entries()].sort((a, b) => b[1] - a[1]).slice(0, k).map(([v, n]) => `${v} (${n})`).join(", ");
  }
};
var ColumnState = class {
  constructor(schema) {
    this.schema = schema;
    this.min = boundValue(schema, schema.min);
    this.max = boundValue(schema, schema.max);
    this.rangeMin = boundValue(schema, schema.range?.min);
    this.rangeMax = boundValue(schema, schema.range?.max);
    const k = schema.type === "number" ? schema.constraints : void 0;
    this.nonNegative = k?.nonNegative === true;
    this.integer = k?.integer === true;
    this.bandMin = k?.band?.min ?? -Infinity;
    this.bandMax = k?.band?.max ?? Infinity;
    this.tolerance = k?.tolerance ?? DEFAULT_CONSTRAINT_TOLERANCE;
    this.domain = schema.domain === void 0 ? null : new Set(schema.domain);
    this.pattern = schema.regex === void 0 ? null : new RegExp(`^(?:${schema.regex})$`);
    this.seen = schema.unique === true ? /* @__PURE__ */ new Set() : null;
  }
  schema;
  rows = 0;
  present = 0;
  nulls = new Finding();
  typeMismatch = new Finding();
  unparseable = new Finding();
  nonFinite = new Finding();
  belowConstraint = new Finding();
  aboveConstraint = new Finding();
  outsideInferred = new Finding();
  negative = Object.assign(new Finding(), { byFile: /* @__PURE__ */ new Map() });
  nonInteger = Object.assign(new Finding(), { byFile: /* @__PURE__ */ new Map() });
  outsideBand = Object.assign(new Finding(), { byFile: /* @__PURE__ */ new Map() });
  /** Non-null values per file: a constraint broken by a share of one partition is judged on that partition, not diluted by the window. */
  valuesByFile = /* @__PURE__ */ new Map();
  unseen = new Finding();
  regex = new Finding();
  unique = new Finding();
  seen;
  seenTypes = /* @__PURE__ */ new Set();
  min;
  max;
  rangeMin;
  rangeMax;
  /** Inferred constraints of a number column (inactive otherwise: false, ±Infinity). */
  nonNegative;
  integer;
  bandMin;
  bandMax;
  tolerance;
  domain;
  pattern;
};
function createAnomalyChecker(schema, options = {}) {
  const states = schema.columns.map((c) => new ColumnState(c));
  const known = new Set(schema.columns.map((c) => c.name));
  const newColumns = /* @__PURE__ */ new Map();
  const duplicates = options.duplicates === false ? null : new RowHashSet(DUPLICATE_CAPACITY_LOG2);
  const duplicateFinding = new Finding();
  const outsideFinding = new Finding();
  let rows = 0;
  return {
    get rows() {
      return rows;
    },
    add(chunk) {
      rows += chunk.rowCount;
      for (const state of states) checkColumn(state, chunk);
      for (const column of chunk.columns) {
        if (known.has(column.name)) continue;
        const entry = newColumns.get(column.name) ?? { type: column.type, rows: 0 };
        entry.rows += chunk.rowCount;
        newColumns.set(column.name, entry);
      }
      if (duplicates !== null) findDuplicates(chunk, duplicates, duplicateFinding);
      if (options.partitionTime !== void 0) findOutsidePartition(chunk, options.partitionTime, outsideFinding);
    },
    result() {
      const out = [];
      const severityOf = (kind, column, fallback) => column?.severity?.[kind] ?? options.severity?.[kind] ?? fallback ?? DEFAULT_SEVERITY[kind];
      const push = (kind, column, f, message, how = {}) => {
        out.push({
          column: column?.name ?? null,
          kind,
          severity: how.severity ?? severityOf(kind, column ?? void 0, how.fallback),
          count: f.count,
          share: how.share ?? (rows === 0 ? 0 : f.count / rows),
          examples: f.examples,
          message
        });
      };
      if (rows === 0) push("empty_batch", null, { count: 0, examples: [] }, "the batch has no rows");
      if (options.expectedRows !== void 0 && rows > 0) {
        const { min, max, reason } = options.expectedRows;
        if (min !== void 0 && rows < min || max !== void 0 && rows > max) {
          push("row_count_out_of_range", null, { count: rows, examples: [] }, `the batch has ${rows} rows, expected ${min ?? 0}..${max ?? "\u221E"} (${reason})`);
        }
      }
      for (const s of states) reportColumn(s, rows, push);
      for (const [name, info] of newColumns) {
        push(
          "new_column",
          null,
          { count: info.rows, examples: [] },
          `column "${name}" (${info.type}) is not in the schema: the export changed. If the column is meant to be there, add it (ct validate --update-schema shows the change), else fix the export`
        );
        out[out.length - 1].column = name;
      }
      if (duplicateFinding.count > 0 || duplicates?.full === true) {
        const coverage = duplicates?.full === true ? ` (checked the first ${duplicates.size} distinct rows only)` : "";
        if (duplicateFinding.count > 0)
          push("duplicate_rows", null, duplicateFinding, `${duplicateFinding.count} rows repeat an earlier row exactly${coverage}`);
      }
      if (outsideFinding.count > 0) {
        const time = states.find((st) => st.schema.name === options.partitionTime)?.schema ?? null;
        push(
          "outside_partition",
          time,
          outsideFinding,
          `${outsideFinding.count} rows have a "${options.partitionTime}" on another day than the one their partition file is named for (late or misfiled rows; the window and the time split go by file names)`
        );
        out[out.length - 1].column = options.partitionTime;
      }
      return out.sort((a, b) => a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1);
    }
  };
}
var PARTITION_FILE = /(?:^|[/\\])(\d{4})-(\d{2})-(\d{2})\.[A-Za-z]+$/;
function findOutsidePartition(chunk, name, finding) {
  const column = findColumn(chunk, name);
  if (column === void 0 || column.type !== "timestamp") return;
  for (const source of chunk.sources) {
    const m = PARTITION_FILE.exec(source.file);
    if (m === null) continue;
    const day = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / MS_PER_DAY;
    for (let row = source.start; row < source.start + source.rows; row++) {
      const t = column.values[row];
      if (Number.isNaN(t) || column.nulls !== null && column.nulls[row] === 1) continue;
      if (Math.floor(t / MS_PER_DAY) !== day) finding.hit(chunk, row, new Date(t).toISOString());
    }
  }
}
function pct(share) {
  return `${(share * 100).toFixed(share > 0 && share < 0.01 ? 2 : 1)}%`;
}
function reportColumn(s, rows, push) {
  const c = s.schema;
  const name = `column "${c.name}"`;
  if (s.present < s.rows || s.present === 0 && rows > 0) {
    const missing = rows - s.present;
    push("missing_column", c, { count: missing, examples: [] }, `${name} (${c.type}) is missing${s.present > 0 ? ` from ${missing} of ${rows} rows` : ""}`);
  }
  if (s.present === 0) return;
  if (s.typeMismatch.count > 0) {
    push("type_mismatch", c, s.typeMismatch, `${name} is ${[...s.seenTypes].join("/")} in ${s.typeMismatch.count} rows, the schema says ${c.type}`);
  }
  if (s.unparseable.count > 0) {
    push(
      "unparseable_value",
      c,
      s.unparseable,
      `${name}: ${s.unparseable.count} values are not ${c.type === "timestamp" ? "dates or times" : `${c.type}s`}: ${s.unparseable.topValues()}`
    );
  }
  if (s.nulls.count === s.present) {
    push("all_null", c, s.nulls, `${name} is null in every row`);
  } else if (s.nulls.count / s.present > c.maxNullFraction) {
    push(
      "nulls_above_threshold",
      c,
      s.nulls,
      `${name} is null in ${pct(s.nulls.count / s.present)} of rows (${s.nulls.count}), the schema allows ${pct(c.maxNullFraction)}`
    );
  }
  if (s.nonFinite.count > 0) push("non_finite", c, s.nonFinite, `${name} holds ${s.nonFinite.count} NaN or infinite values`);
  const show2 = (v) => v === void 0 ? "" : c.type === "timestamp" ? new Date(v).toISOString() : String(v);
  if (s.belowConstraint.count > 0) push("out_of_range", c, s.belowConstraint, `${name}: ${s.belowConstraint.count} values below the minimum ${show2(s.min)}`);
  if (s.aboveConstraint.count > 0) push("out_of_range", c, s.aboveConstraint, `${name}: ${s.aboveConstraint.count} values above the maximum ${show2(s.max)}`);
  if (s.outsideInferred.count > 0) {
    push(
      "out_of_range",
      c,
      s.outsideInferred,
      `${name}: ${s.outsideInferred.count} values outside the range seen in the reference data, ${show2(s.rangeMin)}..${show2(s.rangeMax)} (widen "range" in the schema if they are valid)`,
      { fallback: "warning" }
    );
  }
  reportConstraints(s, push);
  if (s.unseen.count / s.present > (c.maxUnseenShare ?? 0)) {
    push(
      "unseen_category",
      c,
      s.unseen,
      `${name}: ${pct(s.unseen.count / s.present)} of rows (${s.unseen.count}) hold values outside the domain, allowed ${pct(c.maxUnseenShare ?? 0)}: ${s.unseen.topValues()}`
    );
  }
  if (s.regex.count > 0) push("regex_mismatch", c, s.regex, `${name}: ${s.regex.count} values do not match /${c.regex}/: ${s.regex.topValues()}`);
  if (s.unique.count > 0) push("unique_violation", c, s.unique, `${name} should be unique, ${s.unique.count} values repeat: ${s.unique.topValues()}`);
}
function reportConstraints(s, push) {
  const c = s.schema;
  const values = s.present - s.nulls.count;
  const tolerance = s.tolerance;
  const report = (kind, f, what, why, field, relax) => {
    if (f.count === 0) return;
    const share = values === 0 ? 0 : f.count / values;
    let worst = null;
    for (const [file, count] of f.byFile ?? []) {
      const n = s.valuesByFile.get(file) ?? 0;
      if (n > 0 && (worst === null || count / n > worst.share)) worst = { file, count, values: n, share: count / n };
    }
    const partOfBatch = worst !== null && s.valuesByFile.size > 1 && worst.share > share;
    const within = share <= tolerance && (worst === null || worst.share <= tolerance);
    const todo = within ? `That is within the tolerance of ${pct(tolerance)} of values (constraints.tolerance), so only a warning: check the example rows; above the tolerance it is an error` : `Fix the data, or if ${relax}, ${field === "band" ? "widen" : "remove"} constraints.${field} (ct validate --update-schema proposes the change)`;
    const counted = partOfBatch ? `${worst.count} of ${worst.values} values (${pct(worst.share)}) in ${worst.file}` : `${f.count} of ${values} values (${pct(share)})`;
    push(
      kind,
      c,
      f,
      `column "${c.name}": ${counted} ${what}; ${why}. ${todo}`,
      within ? { severity: "warning", share } : { share: partOfBatch ? worst.share : share }
    );
  };
  const spread = (f) => f.low === f.high ? String(f.low) : `${f.low} to ${f.high}`;
  report(
    "negative_value",
    s.negative,
    `are negative (${s.negative.low === s.negative.high ? s.negative.low : `lowest ${s.negative.low}`})`,
    "every one of the reference values was >= 0 (constraints.nonNegative in the schema)",
    "nonNegative",
    "negative values are now valid"
  );
  report(
    "outside_band",
    s.outsideBand,
    `are outside ${s.bandMin}..${s.bandMax} (${spread(s.outsideBand)})`,
    `that band (constraints.band in the schema) is the range of the reference values${c.range === void 0 ? "" : `, ${String(c.range.min)}..${String(c.range.max)},`} widened by half its span on each side: values beyond it are implausible, not just new`,
    "band",
    "such values are now valid"
  );
  report(
    "non_integer",
    s.nonInteger,
    `are not whole numbers (e.g. ${s.nonInteger.examples[0]?.value ?? s.nonInteger.low})`,
    "every one of the reference values was a whole number (constraints.integer in the schema)",
    "integer",
    "fractional values are now valid"
  );
}
function checkColumn(s, chunk) {
  const n = chunk.rowCount;
  s.rows += n;
  const column = findColumn(chunk, s.schema.name);
  if (column === void 0) return;
  s.present += n;
  const isNullAt = (i) => column.nulls !== null && column.nulls[i] === 1;
  const want = s.schema.type;
  let allNull = column.nulls !== null;
  if (allNull) for (let i = 0; i < n && allNull; i++) allNull = column.nulls[i] === 1;
  if (allNull) {
    for (let i = 0; i < n; i++) s.nulls.hit(chunk, i);
    return;
  }
  if (want === "number" || want === "timestamp") {
    const values = numericView(s, column, chunk, want);
    if (values === null) return;
    if (s.nonNegative || s.integer || Number.isFinite(s.bandMin) || Number.isFinite(s.bandMax)) {
      for (const source of chunk.sources) {
        let present = source.rows;
        if (column.nulls !== null) for (let i = source.start; i < source.start + source.rows; i++) present -= column.nulls[i];
        s.valuesByFile.set(source.file, (s.valuesByFile.get(source.file) ?? 0) + present);
      }
    }
    for (let i = 0; i < n; i++) {
      if (isNullAt(i)) {
        s.nulls.hit(chunk, i);
        continue;
      }
      const x = values[i];
      if (Number.isNaN(x)) continue;
      if (!Number.isFinite(x)) {
        s.nonFinite.hit(chunk, i, String(x));
        continue;
      }
      if (s.min !== void 0 && x < s.min) s.belowConstraint.hit(chunk, i, show(x, want));
      else if (s.max !== void 0 && x > s.max) s.aboveConstraint.hit(chunk, i, show(x, want));
      else if (s.nonNegative && x < 0) {
        s.negative.hit(chunk, i, String(x));
        s.negative.see(x);
      } else if (x < s.bandMin || x > s.bandMax) {
        s.outsideBand.hit(chunk, i, String(x));
        s.outsideBand.see(x);
      } else if (s.rangeMin !== void 0 && x < s.rangeMin || s.rangeMax !== void 0 && x > s.rangeMax) s.outsideInferred.hit(chunk, i, show(x, want));
      if (s.integer && Math.trunc(x) !== x) {
        s.nonInteger.hit(chunk, i, String(x));
        s.nonInteger.see(x);
      }
    }
    if (column.type === "number" || column.type === "timestamp") {
      for (let i = 0; i < n; i++) if (!isNullAt(i) && Number.isNaN(column.values[i])) s.nonFinite.hit(chunk, i, "NaN");
    }
    return;
  }
  if (want === "boolean") {
    if (column.type === "boolean") {
      for (let i = 0; i < n; i++) if (isNullAt(i)) s.nulls.hit(chunk, i);
      return;
    }
    if (column.type !== "string") return mismatch(s, column, chunk);
    const ok = column.dictionary.map((v) => /^(true|false)$/i.test(v));
    for (let i = 0; i < n; i++) {
      const code = column.codes[i];
      if (code < 0) s.nulls.hit(chunk, i);
      else if (!ok[code]) {
        s.unparseable.hit(chunk, i, column.dictionary[code]);
        s.unparseable.tally(column.dictionary[code]);
      }
    }
    return;
  }
  const { codes, dictionary } = stringView(column);
  const inDomain = s.domain === null ? null : dictionary.map((v) => s.domain.has(v));
  const matches = s.pattern === null ? null : dictionary.map((v) => s.pattern.test(v));
  for (let i = 0; i < n; i++) {
    const code = codes[i];
    if (code < 0) {
      s.nulls.hit(chunk, i);
      continue;
    }
    if (inDomain !== null && !inDomain[code]) {
      s.unseen.hit(chunk, i, dictionary[code]);
      s.unseen.tally(dictionary[code]);
    }
    if (matches !== null && !matches[code]) {
      s.regex.hit(chunk, i, dictionary[code]);
      s.regex.tally(dictionary[code]);
    }
    if (s.seen !== null) {
      const v = dictionary[code];
      if (s.seen.has(v)) {
        s.unique.hit(chunk, i, v);
        s.unique.tally(v);
      } else s.seen.add(v);
    }
  }
}
function show(x, type) {
  return type === "timestamp" ? new Date(x).toISOString() : String(x);
}
function mismatch(s, column, chunk) {
  s.seenTypes.add(column.type);
  for (let i = 0; i < chunk.rowCount; i++) {
    if (column.nulls !== null && column.nulls[i] === 1) s.nulls.hit(chunk, i);
    else s.typeMismatch.hit(chunk, i);
  }
}
function numericView(s, column, chunk, want) {
  if (column.type === want) return column.values;
  if (column.type !== "string") {
    mismatch(s, column, chunk);
    return null;
  }
  const parsed = column.dictionary.map((v) => want === "number" ? parseNumber(v) : parseTimestampString(v));
  const values = new Float64Array(chunk.rowCount);
  for (let i = 0; i < chunk.rowCount; i++) {
    const code = column.codes[i];
    if (code < 0) continue;
    const x = parsed[code];
    values[i] = x;
    if (!Number.isNaN(x)) continue;
    const text = column.dictionary[code];
    if (/^nan$/i.test(text.trim())) s.nonFinite.hit(chunk, i, text);
    else {
      s.unparseable.hit(chunk, i, text);
      s.unparseable.tally(text);
    }
  }
  return values;
}
function parseNumber(v) {
  const t = v.trim();
  return t === "" ? Number.NaN : Number(t);
}
function stringView(column) {
  if (column.type === "string") return column;
  return stringColumnOf(column.name, column.values.length, (i) => {
    if (column.nulls !== null && column.nulls[i] === 1) return null;
    const v = column.values[i];
    return column.type === "boolean" ? v === 1 ? "true" : "false" : column.type === "timestamp" ? new Date(v).toISOString() : String(v);
  });
}
var RowHashSet = class {
  constructor(maxLog2) {
    this.maxLog2 = maxLog2;
  }
  maxLog2;
  table = new Float64Array(1 << 16);
  size = 0;
  full = false;
  /** Adds `h`; true when it was already present. */
  addOrHas(h) {
    if ((this.size + 1) * 4 > this.table.length * 3) this.grow();
    const mask = this.table.length - 1;
    const key = h + 1;
    let slot = key % this.table.length & mask;
    for (; ; ) {
      const v = this.table[slot];
      if (v === 0) {
        if (this.full) return false;
        this.table[slot] = key;
        this.size++;
        return false;
      }
      if (v === key) return true;
      slot = slot + 1 & mask;
    }
  }
  grow() {
    if (this.table.length >= 1 << this.maxLog2) {
      this.full = true;
      return;
    }
    const old = this.table;
    this.table = new Float64Array(old.length * 2);
    const mask = this.table.length - 1;
    for (const key of old) {
      if (key === 0) continue;
      let slot = key % this.table.length & mask;
      while (this.table[slot] !== 0) slot = slot + 1 & mask;
      this.table[slot] = key;
    }
  }
};
function hashText(s, seed) {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h;
}
var scratch = new Float64Array(1);
var scratchWords = new Uint32Array(scratch.buffer);
function mix(h, x) {
  h ^= x;
  h = Math.imul(h ^ h >>> 16, 2246822507) >>> 0;
  return Math.imul(h ^ h >>> 13, 3266489909) >>> 0;
}
function findDuplicates(chunk, set, finding) {
  const hashes = rowHashes(chunk);
  for (let i = 0; i < chunk.rowCount; i++) if (set.addOrHas(hashes[i])) finding.hit(chunk, i);
}
function rowHashes(chunk, skip = /* @__PURE__ */ new Set()) {
  const n = chunk.rowCount;
  const h1 = new Uint32Array(n).fill(2654435769);
  const h2 = new Uint32Array(n).fill(2135587861);
  const columns = [...chunk.columns].filter((c) => !skip.has(c.name)).sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  for (const column of columns) {
    if (column.type === "string") {
      const a = column.dictionary.map((s) => hashText(s, 2166136261));
      const b = column.dictionary.map((s) => hashText(s, 16777619));
      for (let i = 0; i < n; i++) {
        const code = column.codes[i];
        h1[i] = mix(h1[i], code < 0 ? 3735928559 : a[code]);
        h2[i] = mix(h2[i], code < 0 ? 4277009102 : b[code]);
      }
    } else {
      for (let i = 0; i < n; i++) {
        const isNull = column.nulls !== null && column.nulls[i] === 1;
        scratch[0] = isNull ? Number.NaN : column.values[i];
        h1[i] = mix(h1[i], isNull ? 3735928559 : scratchWords[0] ^ scratchWords[1]);
        h2[i] = mix(h2[i], isNull ? 4277009102 : scratchWords[1] + scratchWords[0]);
      }
    }
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (h1[i] & 1048575) * 4294967296 + h2[i];
  return out;
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
      const std = Math.sqrt(Math.max(0, num(m.m2)) / refRows);
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
function num(x) {
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
  const lo = Math.min(num(ref.numeric.min), num(cur.numeric.min));
  const hi = Math.max(num(ref.numeric.max), num(cur.numeric.max));
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
  return num(m.min) >= 0 && num(m.max) <= 1 ? num(m.mean) : null;
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

export {
  readChunksOf,
  createAnomalyChecker,
  rowHashes,
  validateChunks
};
