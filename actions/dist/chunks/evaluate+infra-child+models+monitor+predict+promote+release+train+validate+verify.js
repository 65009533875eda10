import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);

// src/errors.ts
var UserError = class extends Error {
  name = "UserError";
  constructor(message, options) {
    super(message, options);
  }
};
function isUserError(error) {
  return error instanceof UserError;
}
var FILE_SYSTEM_REASONS = {
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EROFS: "the file system is read-only",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EMFILE: "too many open files"
};
function explainFileSystemError(error) {
  if (isUserError(error) || typeof error !== "object" || error === null) return error;
  const { code, path: path2 } = error;
  const reason = typeof code === "string" ? FILE_SYSTEM_REASONS[code] : void 0;
  if (reason === void 0) return error;
  return new UserError(`${typeof path2 === "string" ? `cannot write ${path2}` : "file system error"}: ${reason} (${String(code)})`, { cause: error });
}

// src/fault.ts
import { appendFileSync, existsSync, writeFileSync } from "node:fs";

// src/sleep.ts
function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// src/fault.ts
var reached = 0;
function faultPoint(name, kind = "step", file) {
  const fault = process.env.CT_FAULT;
  const trace = process.env.CT_FAULT_TRACE;
  if (process.env.CT_FAULT_PAUSE === name) pauseHere(process.env.CT_FAULT_GATE);
  if (fault === void 0 && trace === void 0) return;
  reached += 1;
  if (trace !== void 0 && trace !== "") appendFileSync(trace, `${reached} ${kind} ${name}
`);
  const match = /^(kill|enospc)@(\d+)$/.exec(fault ?? "");
  if (match === null || Number(match[2]) !== reached) return;
  if (match[1] === "kill") process.kill(process.pid, "SIGKILL");
  if (match[1] === "enospc" && kind === "write") {
    throw Object.assign(new Error(`ENOSPC: no space left on device, write '${file ?? name}'`), { code: "ENOSPC", syscall: "write", path: file ?? name });
  }
}
var paused = false;
function pauseHere(gate) {
  if (paused || gate === void 0 || gate === "") return;
  paused = true;
  writeFileSync(`${gate}.reached`, String(process.pid));
  const deadline = Date.now() + 6e4;
  while (!existsSync(gate) && Date.now() < deadline) sleepSync(25);
}

// src/files.ts
import { createHash, randomBytes } from "node:crypto";
import { appendFileSync as appendFileSync2, closeSync, existsSync as existsSync2, fsyncSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync as writeFileSync2 } from "node:fs";
import path from "node:path";
var FOLDER_FAILURES = {
  ENOTDIR: "a file stands where one of the folders of its path should be",
  EEXIST: "a file stands where it should be",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only"
};
function makeFolder(folder) {
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    const why = FOLDER_FAILURES[error.code ?? ""];
    if (why === void 0) throw error;
    const shown = path.relative(process.cwd(), folder);
    throw new UserError(`cannot create the folder ${shown.startsWith("..") || shown === "" ? folder : shown}: ${why}`, { cause: error });
  }
}
function openFileAtomic(file) {
  makeFolder(path.dirname(file));
  const name = path.basename(file);
  const temp = path.join(path.dirname(file), `.${name}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  let fd = openSync(temp, "w");
  const close = () => {
    if (fd === null) return;
    const open = fd;
    fd = null;
    closeSync(open);
  };
  return {
    write(data) {
      if (fd === null) throw new Error(`${temp}: written after commit or abort`);
      faultPoint(`write ${name}`, "write", temp);
      writeFileSync2(fd, data);
    },
    commit() {
      if (fd === null) throw new Error(`${temp}: committed after commit or abort`);
      fsyncSync(fd);
      close();
      faultPoint(`rename ${name}`);
      renameSync(temp, file);
    },
    abort() {
      try {
        close();
      } finally {
        rmSync(temp, { force: true });
      }
    }
  };
}
function writeFileAtomic(file, data) {
  const out = openFileAtomic(file);
  try {
    out.write(data);
    out.commit();
  } catch (error) {
    out.abort();
    throw error;
  }
}
function writeJson(file, value) {
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}
`);
}
function readJson(file, what) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = error.code;
    throw new UserError(code === "ENOENT" ? `${what} not found: ${file}` : `cannot read ${what} ${file}: ${code}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file}: ${what} is not valid JSON (${error.message})`);
  }
}
function sha256File(file) {
  return sha256Of(readFileSync(file));
}
function sha256Of(bytes) {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}
function appendJobSummary(env, markdown) {
  const file = env.GITHUB_STEP_SUMMARY;
  if (file !== void 0 && file !== "") appendFileSync2(file, `${markdown.trimEnd()}

`);
}
function findRepositoryRoot(dir) {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (existsSync2(path.join(d, ".git"))) return realpathSync(d);
    if (path.dirname(d) === d) return null;
  }
}

// src/data/table.ts
function stringColumnOf(name, rows, keyAt) {
  const codes = new Int32Array(rows);
  const dictionary = [];
  const index = /* @__PURE__ */ new Map();
  let nulls = null;
  for (let i = 0; i < rows; i++) {
    const key = keyAt(i);
    if (key === null) {
      codes[i] = -1;
      (nulls ??= new Uint8Array(rows))[i] = 1;
      continue;
    }
    let code = index.get(key);
    if (code === void 0) {
      code = dictionary.length;
      dictionary.push(key);
      index.set(key, code);
    }
    codes[i] = code;
  }
  return { type: "string", name, codes, dictionary, nulls };
}
function codesAsText(column) {
  return stringColumnOf(column.name, column.values.length, (i) => Number.isNaN(column.values[i]) ? null : String(column.values[i]));
}
function booleansAsText(column) {
  return stringColumnOf(column.name, column.values.length, (i) => isNull(column, i) ? null : column.values[i] === 1 ? "true" : "false");
}
function numberColumnOf(name, values) {
  const out = Float64Array.from(values);
  let nulls = null;
  for (let i = 0; i < out.length; i++) if (Number.isNaN(out[i])) (nulls ??= new Uint8Array(out.length))[i] = 1;
  return { type: "number", name, values: out, nulls };
}
function findColumn(table, name) {
  return table.columns.find((c) => c.name === name);
}
function isNull(column, i) {
  return column.nulls !== null && column.nulls[i] === 1;
}
function nullCount(column) {
  if (column.nulls === null) return 0;
  let n = 0;
  for (let i = 0; i < column.nulls.length; i++) n += column.nulls[i];
  return n;
}
function columnLength(column) {
  return column.type === "string" ? column.codes.length : column.values.length;
}
function valueAt(column, i) {
  if (isNull(column, i)) return null;
  switch (column.type) {
    case "string":
      return column.dictionary[column.codes[i]] ?? null;
    case "boolean":
      return column.values[i] === 1;
    case "timestamp":
      return new Date(column.values[i]).toISOString();
    case "number":
      return column.values[i];
  }
}
function locateRow(table, row) {
  let lo = 0;
  let hi = table.sources.length - 1;
  while (lo <= hi) {
    const mid = lo + hi >> 1;
    const s = table.sources[mid];
    if (row < s.start) hi = mid - 1;
    else if (row >= s.start + s.rows) lo = mid + 1;
    else return { file: s.file, row: row - s.start + (s.offset ?? 0) + 1 };
  }
  return { file: "(unknown)", row: row + 1 };
}
function takeRows(table, rows) {
  const n = rows.length;
  const columns = table.columns.map((c) => {
    const nulls = c.nulls === null ? null : new Uint8Array(n);
    if (nulls !== null) for (let i = 0; i < n; i++) nulls[i] = c.nulls[rows[i]];
    switch (c.type) {
      case "string": {
        const codes = new Int32Array(n);
        for (let i = 0; i < n; i++) codes[i] = c.codes[rows[i]];
        return { ...c, codes, nulls };
      }
      case "boolean": {
        const values = new Uint8Array(n);
        for (let i = 0; i < n; i++) values[i] = c.values[rows[i]];
        return { ...c, values, nulls };
      }
      default: {
        const values = new Float64Array(n);
        for (let i = 0; i < n; i++) values[i] = c.values[rows[i]];
        return { ...c, values, nulls };
      }
    }
  });
  return { rowCount: n, columns, sources: remapSources(table, rows) };
}
function remapSources(table, rows) {
  const out = [];
  let current = null;
  for (let i = 0; i < rows.length; i++) {
    const at = locateRow(table, rows[i]);
    if (current !== null && current.file === at.file) current.rows++;
    else {
      current = { file: at.file, start: i, rows: 1 };
      if (at.row > 1) current.offset = at.row - 1;
      out.push(current);
    }
  }
  return out;
}
function sliceRows(table, start, end) {
  if (!(start >= 0 && start <= end && end <= table.rowCount)) {
    throw new RangeError(`rows ${start}..${end} are outside a table of ${table.rowCount} rows`);
  }
  const columns = table.columns.map((c) => {
    const nulls = c.nulls === null ? null : c.nulls.subarray(start, end);
    return c.type === "string" ? { ...c, codes: c.codes.subarray(start, end), nulls } : { ...c, values: c.values.subarray(start, end), nulls };
  });
  const sources = [];
  for (const s of table.sources) {
    const from = Math.max(s.start, start);
    const to = Math.min(s.start + s.rows, end);
    if (to <= from) continue;
    sources.push({ file: s.file, start: from - start, rows: to - from, offset: (s.offset ?? 0) + from - s.start });
  }
  return { rowCount: end - start, columns, sources };
}
function concatTables(tables) {
  if (tables.length === 0) return { rowCount: 0, columns: [], sources: [] };
  if (tables.length === 1) return tables[0];
  const first = tables[0];
  const rowCount = tables.reduce((s, t) => s + t.rowCount, 0);
  const columns = first.columns.map((c0) => {
    const parts = tables.map((t) => {
      const c = findColumn(t, c0.name);
      if (c === void 0) throw new Error(`column "${c0.name}" is missing from one of the tables`);
      if (c.type !== c0.type) throw new Error(`column "${c0.name}" is ${c0.type} in one table and ${c.type} in another`);
      return c;
    });
    const anyNulls = parts.some((p) => p.nulls !== null);
    const nulls = anyNulls ? new Uint8Array(rowCount) : null;
    let offset = 0;
    if (c0.type === "string") {
      const dictionary = [];
      const index = /* @__PURE__ */ new Map();
      const codes = new Int32Array(rowCount);
      for (const p of parts) {
        const remap = p.dictionary.map((s) => {
          let k = index.get(s);
          if (k === void 0) {
            k = dictionary.length;
            dictionary.push(s);
            index.set(s, k);
          }
          return k;
        });
        for (let i = 0; i < p.codes.length; i++) {
          const code = p.codes[i];
          codes[offset + i] = code < 0 ? -1 : remap[code];
        }
        if (nulls !== null && p.nulls !== null) nulls.set(p.nulls, offset);
        offset += p.codes.length;
      }
      return { type: "string", name: c0.name, codes, dictionary, nulls };
    }
    const values = c0.type === "boolean" ? new Uint8Array(rowCount) : new Float64Array(rowCount);
    for (const p of parts) {
      values.set(p.values, offset);
      if (nulls !== null && p.nulls !== null) nulls.set(p.nulls, offset);
      offset += p.values.length;
    }
    return { type: c0.type, name: c0.name, values, nulls };
  });
  const sources = [];
  let start = 0;
  for (const t of tables) {
    for (const s of t.sources) {
      const source = { file: s.file, start: start + s.start, rows: s.rows };
      sources.push(s.offset === void 0 ? source : { ...source, offset: s.offset });
    }
    start += t.rowCount;
  }
  return { rowCount, columns, sources };
}
function nullColumn(name, type, rows) {
  const nulls = new Uint8Array(rows).fill(1);
  switch (type) {
    case "string":
      return { type, name, codes: new Int32Array(rows).fill(-1), dictionary: [], nulls };
    case "boolean":
      return { type, name, values: new Uint8Array(rows), nulls };
    default:
      return { type, name, values: new Float64Array(rows).fill(NaN), nulls };
  }
}

// src/time.ts
var MS_PER_MINUTE = 6e4;
var MS_PER_HOUR = 36e5;
var MS_PER_DAY = 864e5;
function timeOfDay(t) {
  return (t % MS_PER_DAY + MS_PER_DAY) % MS_PER_DAY;
}
function isoWeekday(day) {
  return ((day + 3) % 7 + 7) % 7 + 1;
}
var OFFSET_SLOT = 15 * MS_PER_MINUTE;
function isTimeZone(name) {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
function wallClock(timeZone) {
  if (timeZone === void 0) return (t) => t;
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric"
  });
  const offsets = /* @__PURE__ */ new Map();
  const offsetAt = (slot) => {
    let offset = offsets.get(slot);
    if (offset === void 0) {
      const at = slot * OFFSET_SLOT;
      const part = {};
      for (const p of format.formatToParts(at)) if (p.type !== "literal") part[p.type] = Number(p.value);
      offset = Date.UTC(part.year, part.month - 1, part.day, part.hour, part.minute) - at;
      offsets.set(slot, offset);
    }
    return offset;
  };
  return (t) => Number.isFinite(t) ? t + offsetAt(Math.floor(t / OFFSET_SLOT)) : t;
}
var zoneClocks = /* @__PURE__ */ new Map();
var changesByDay = /* @__PURE__ */ new Map();
function clockChanges(date, timeZone) {
  const key = `${date}|${timeZone ?? ""}`;
  const known = changesByDay.get(key);
  if (known !== void 0) return known;
  const midnight = Date.parse(`${date}T00:00:00Z`);
  const out = [];
  if (Number.isFinite(midnight)) {
    for (const zone of timeZone === void 0 ? Intl.supportedValuesOf("timeZone") : [timeZone]) {
      let clock = zoneClocks.get(zone);
      if (clock === void 0) zoneClocks.set(zone, clock = wallClock(zone));
      for (const change of zoneChanges(clock, midnight)) if (!out.some((c) => c.hour === change.hour && c.kind === change.kind)) out.push(change);
    }
  }
  changesByDay.set(key, out);
  return out;
}
function zoneChanges(clock, midnight) {
  const offset = (t) => clock(t) - t;
  let before = midnight - 14 * MS_PER_HOUR;
  let after = midnight + MS_PER_DAY + 12 * MS_PER_HOUR;
  const first = offset(before);
  const last = offset(after);
  if (first === last) return [];
  while (after - before > OFFSET_SLOT) {
    const middle = before + Math.floor((after - before) / OFFSET_SLOT / 2) * OFFSET_SLOT;
    if (offset(middle) === first) before = middle;
    else after = middle;
  }
  const from = after + Math.min(first, last) - midnight;
  const to = after + Math.max(first, last) - midnight;
  if (from < 0 || from >= MS_PER_DAY) return [];
  const kind = last > first ? "skipped" : "repeated";
  const out = [];
  for (let hour = Math.floor(from / MS_PER_HOUR); hour * MS_PER_HOUR < to && hour < 24; hour++) out.push({ hour, kind });
  return out;
}

export {
  UserError,
  isUserError,
  explainFileSystemError,
  sleepSync,
  faultPoint,
  makeFolder,
  openFileAtomic,
  writeFileAtomic,
  writeJson,
  readJson,
  sha256File,
  sha256Of,
  appendJobSummary,
  findRepositoryRoot,
  stringColumnOf,
  codesAsText,
  booleansAsText,
  numberColumnOf,
  findColumn,
  isNull,
  nullCount,
  columnLength,
  valueAt,
  locateRow,
  takeRows,
  sliceRows,
  concatTables,
  nullColumn,
  MS_PER_MINUTE,
  MS_PER_HOUR,
  MS_PER_DAY,
  timeOfDay,
  isoWeekday,
  isTimeZone,
  wallClock,
  clockChanges
};
