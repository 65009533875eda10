import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);
import {
  encodeTable,
  labelColumnValues,
  predictRows,
  utcDayOfWeek,
  utcHourOfDay
} from "./evaluate+infra-child+monitor+predict+train+validate.js";
import {
  findColumn,
  isUserError,
  numberColumnOf,
  stringColumnOf
} from "./evaluate+infra-child+monitor+predict+promote+train+validate.js";

// src/features/derived.ts
var LABEL_COLUMN = "ct:label";
var PREDICTION_COLUMN = "ct:prediction";
var DERIVED_PREFIX = "input:";
function derivedInputColumns(table, features) {
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
      const part = f.transform === "hourOfDay" ? utcHourOfDay : utcDayOfWeek;
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
function hashText(s) {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h;
}
function crossKeys(sources, buckets, n) {
  const hashes = sources.map((s) => Uint32Array.from(s.dictionary, hashText));
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

export {
  LABEL_COLUMN,
  PREDICTION_COLUMN,
  DERIVED_PREFIX,
  derivedInputColumns,
  deriveColumns
};
