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
  const { code, path: path3 } = error;
  const reason = typeof code === "string" ? FILE_SYSTEM_REASONS[code] : void 0;
  if (reason === void 0) return error;
  return new UserError(`${typeof path3 === "string" ? `cannot write ${path3}` : "file system error"}: ${reason} (${String(code)})`, { cause: error });
}

// src/data/remote.ts
import { createHash } from "node:crypto";
import { closeSync, createWriteStream, mkdtempSync, openSync, readSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
function isRemote(location) {
  return /^https?:\/\//i.test(location);
}
function remoteDisplay(url) {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return url.replace(/[?#].*$/, "");
  }
}
function remoteName(url) {
  try {
    return path.posix.basename(new URL(url).pathname);
  } catch {
    return path.posix.basename(url);
  }
}
function pinnedHash(url) {
  const fragment = url.includes("#") ? url.slice(url.indexOf("#") + 1) : "";
  const value = new URLSearchParams(fragment).get("sha256");
  if (value === null) return null;
  if (!/^[0-9a-f]{64}$/i.test(value)) throw new UserError(`${remoteDisplay(url)}: #sha256= needs the 64 hex digits of the file's SHA-256, got "${value.slice(0, 80)}"`);
  return value.toLowerCase();
}
var LOOPBACK = /* @__PURE__ */ new Set(["127.0.0.1", "localhost", "[::1]"]);
function checkRemoteUrl(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    throw new UserError(`not a valid URL: ${remoteDisplay(url)}`);
  }
  if (u.username !== "" || u.password !== "") throw new UserError(`${remoteDisplay(url)}: credentials in a data URL would end up in logs; put them in CT_HTTP_AUTHORIZATION or CT_HTTP_TOKEN`);
  if (u.protocol === "http:" && !LOOPBACK.has(u.hostname)) throw new UserError(`${remoteDisplay(url)}: plain http sends data and credentials in the clear; use https`);
  pinnedHash(url);
  return u;
}
function authHeaders(env = process.env) {
  if (env.CT_HTTP_AUTHORIZATION !== void 0 && env.CT_HTTP_AUTHORIZATION !== "") return { authorization: env.CT_HTTP_AUTHORIZATION };
  if (env.CT_HTTP_TOKEN !== void 0 && env.CT_HTTP_TOKEN !== "") return { authorization: `Bearer ${env.CT_HTTP_TOKEN}` };
  return {};
}
var MAX_REDIRECTS = 5;
function maxRemoteBytes(env = process.env) {
  const set = env.CT_HTTP_MAX_BYTES;
  if (set === void 0 || set === "") return 16 * 2 ** 30;
  const n = Number(set);
  if (!Number.isSafeInteger(n) || n < 1) throw new UserError(`CT_HTTP_MAX_BYTES: expected a whole number of bytes >= 1, got "${set}"`);
  return n;
}
async function checkedRequest(url, init, options = {}) {
  const first = checkRemoteUrl(url);
  let at = first;
  for (let hop = 0; ; hop++) {
    const sameOrigin = at.origin === first.origin && options.authorization !== false;
    let response;
    try {
      response = await fetch(at, {
        method: init.method,
        headers: { ...sameOrigin ? authHeaders() : {}, ...init.headers },
        redirect: "manual",
        ...init.signal === void 0 ? {} : { signal: init.signal }
      });
    } catch (error) {
      const cause = error.cause;
      throw new UserError(`cannot reach ${remoteDisplay(at.href)}: ${cause?.code ?? cause?.message ?? error.message}`, { cause: error });
    }
    if (response.status >= 300 && response.status < 400 && response.headers.has("location")) {
      await response.body?.cancel();
      if (hop + 1 > MAX_REDIRECTS) throw new UserError(`${remoteDisplay(url)}: more than ${MAX_REDIRECTS} redirects`);
      const next = checkRemoteUrl(new URL(response.headers.get("location"), at).href);
      if (LOOPBACK.has(next.hostname) && !LOOPBACK.has(at.hostname)) throw new UserError(`${remoteDisplay(url)}: redirected to this machine (${remoteDisplay(next.href)}), which a data server has no business doing`);
      at = next;
      continue;
    }
    if (response.status === 401 || response.status === 403) {
      throw new UserError(`${remoteDisplay(url)} answered ${response.status}: check CT_HTTP_AUTHORIZATION or CT_HTTP_TOKEN`);
    }
    if (response.status === 404) throw new UserError(`${options.what ?? "data file"} not found: ${remoteDisplay(url)} (404)`);
    if (!response.ok) throw new UserError(`${remoteDisplay(url)} answered ${response.status} ${response.statusText}`);
    return response;
  }
}
var infos = /* @__PURE__ */ new Map();
function remoteInfo(url) {
  let info = infos.get(url);
  if (info === void 0) {
    info = (async () => {
      const response = await checkedRequest(url, { method: "HEAD" });
      const size = Number(response.headers.get("content-length"));
      if (!Number.isSafeInteger(size) || size < 0) throw new UserError(`${remoteDisplay(url)}: the server does not say how large the file is (no Content-Length)`);
      const cap = maxRemoteBytes();
      if (size > cap) throw new UserError(`${remoteDisplay(url)}: ${size} bytes is more than CT_HTTP_MAX_BYTES (${cap})`);
      const version = [response.headers.get("etag"), response.headers.get("last-modified"), size].join("|");
      return { size, version, ranges: /bytes/i.test(response.headers.get("accept-ranges") ?? "") };
    })();
    infos.set(url, info);
    info.catch(() => infos.delete(url));
  }
  return info;
}
function remoteFingerprintPart(url) {
  const pin = pinnedHash(url);
  return pin === null ? versions.get(url) : `sha256:${pin}`;
}
var versions = /* @__PURE__ */ new Map();
async function learnVersions(files) {
  for (const file of files) if (isRemote(file)) versions.set(file, (await remoteInfo(file)).version);
}
async function openRemote(url) {
  if (pinnedHash(url) !== null) return localRanges(await localCopy(url));
  const info = await remoteInfo(url);
  versions.set(url, info.version);
  if (!info.ranges) throw new UserError(`${remoteDisplay(url)}: the server does not accept range requests (Accept-Ranges: bytes), which reading Parquet remotely needs`);
  return {
    size: info.size,
    async read(bytes, position) {
      if (bytes.length === 0) return;
      const response = await checkedRequest(url, { method: "GET", headers: { range: `bytes=${position}-${position + bytes.length - 1}` } });
      const body = new Uint8Array(await response.arrayBuffer());
      if (response.status !== 206 || body.length !== bytes.length) {
        throw new UserError(`${remoteDisplay(url)}: asked for ${bytes.length} bytes at ${position}, got ${response.status} with ${body.length} bytes (the file changed, or the server ignores ranges)`);
      }
      bytes.set(body);
    }
  };
}
function localRanges(file) {
  return {
    size: statSync(file).size,
    read(bytes, position) {
      const fd = openSync(file, "r");
      try {
        let done = 0;
        while (done < bytes.length) {
          const n = readSync(fd, bytes, done, bytes.length - done, position + done);
          if (n === 0) throw new UserError(`${file}: shorter than expected`);
          done += n;
        }
      } finally {
        closeSync(fd);
      }
      return Promise.resolve();
    }
  };
}
var copies = /* @__PURE__ */ new Map();
var copiesDir;
function localCopy(url) {
  let copy = copies.get(url);
  if (copy === void 0) {
    copy = (async () => {
      const info = await remoteInfo(url);
      versions.set(url, info.version);
      if (copiesDir === void 0) {
        copiesDir = mkdtempSync(path.join(tmpdir(), "ct-remote-"));
        const dir = copiesDir;
        process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
      }
      const file = path.join(copiesDir, `${createHash("sha256").update(url).digest("hex").slice(0, 16)}-${remoteName(url)}`);
      const response = await checkedRequest(url, { method: "GET" });
      if (response.body === null) throw new UserError(`${remoteDisplay(url)}: empty response`);
      let received = 0;
      const limit = new Transform({
        transform(chunk, _encoding, done) {
          received += chunk.length;
          if (received > info.size) done(new UserError(`${remoteDisplay(url)}: sent more than the ${info.size} bytes it announced`));
          else done(null, chunk);
        }
      });
      const pin = pinnedHash(url);
      const hash = createHash("sha256");
      const digest = new Transform({
        transform(chunk, _encoding, done) {
          hash.update(chunk);
          done(null, chunk);
        }
      });
      await pipeline(Readable.fromWeb(response.body), limit, digest, createWriteStream(file));
      const actual = hash.digest("hex");
      if (pin !== null && actual !== pin) {
        rmSync(file, { force: true });
        throw new UserError(`${remoteDisplay(url)}: its content's SHA-256 is ${actual}, the URL pins ${pin}: the file changed since it was pinned`);
      }
      return file;
    })();
    copies.set(url, copy);
    copy.catch(() => copies.delete(url));
  }
  return copy;
}
function asRemote(table, localShown, url) {
  const shown = remoteDisplay(url);
  return { ...table, sources: table.sources.map((s) => s.file === localShown ? { ...s, file: shown } : s) };
}
function remoteError(error, localShown, url) {
  if (!(error instanceof UserError)) return error;
  return new UserError(error.message.split(localShown).join(remoteDisplay(url)), { cause: error });
}

// src/data/files.ts
import { openSync as openSync2, readSync as readSync2, statSync as statSync2 } from "node:fs";
import { extname, isAbsolute, relative, sep } from "node:path";
function displayPath(path3) {
  if (isRemote(path3)) return remoteDisplay(path3);
  let shown = path3;
  if (isAbsolute(path3)) {
    const rel = relative(process.cwd(), path3);
    if (rel !== "" && !rel.startsWith("..") && !isAbsolute(rel)) shown = rel;
  }
  return sep === "/" ? shown : shown.split(sep).join("/");
}
var FORMAT_BY_EXTENSION = {
  ".parquet": "parquet",
  ".csv": "csv",
  ".jsonl": "jsonl",
  ".ndjson": "jsonl"
};
var DATA_EXTENSIONS = Object.keys(FORMAT_BY_EXTENSION);
function formatOf(path3) {
  return FORMAT_BY_EXTENSION[extname(isRemote(path3) ? remoteName(path3) : path3).toLowerCase()];
}
function assertDataFile(path3) {
  if (isRemote(path3)) {
    checkRemoteUrl(path3);
    return;
  }
  let isFile;
  try {
    isFile = statSync2(path3).isFile();
  } catch (error) {
    if (isErrno(error, "ENOENT") || isErrno(error, "ENOTDIR")) {
      throw new UserError(`data file not found: ${displayPath(path3)}`, { cause: error });
    }
    throw new UserError(`cannot read data file ${displayPath(path3)}: ${error.message}`, { cause: error });
  }
  if (!isFile) throw new UserError(`expected a data file, found a folder: ${displayPath(path3)}`);
}
function openDataFile(path3) {
  assertDataFile(path3);
  try {
    return openSync2(path3, "r");
  } catch (error) {
    throw new UserError(`cannot read data file ${displayPath(path3)}: ${error.message}`, { cause: error });
  }
}
function assertColumnsExist(path3, wanted, available) {
  if (wanted === void 0) return;
  const have = new Set(available);
  for (const name of wanted) {
    if (!have.has(name)) {
      throw new UserError(`${displayPath(path3)}: no column "${name}" (columns: ${available.join(", ")})`);
    }
  }
}
function isErrno(error, code) {
  return typeof error === "object" && error !== null && error.code === code;
}
var CHUNK_BYTES = 1 << 22;
function countLineBreaks(fd) {
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let lineFeeds = 0;
  let carriageReturns = 0;
  let position = 0;
  for (; ; ) {
    const n = readSync2(fd, buffer, 0, buffer.length, position);
    if (n === 0) break;
    position += n;
    const chunk = n === buffer.length ? buffer : buffer.subarray(0, n);
    for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lineFeeds++;
    if (lineFeeds === 0) for (let at = chunk.indexOf(13); at >= 0; at = chunk.indexOf(13, at + 1)) carriageReturns++;
  }
  return lineFeeds > 0 ? lineFeeds : carriageReturns;
}
function trimArray(array, rows) {
  if (array.length === rows) return array;
  return rows >= array.length * 0.75 ? array.subarray(0, rows) : array.slice(0, rows);
}
function checkedChunkRows(chunkRows) {
  if (!Number.isInteger(chunkRows) || chunkRows < 1) throw new Error(`chunkRows must be a whole number >= 1, got ${chunkRows}`);
  return chunkRows;
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
import { createHash as createHash2, randomBytes } from "node:crypto";
import { appendFileSync as appendFileSync2, closeSync as closeSync2, existsSync as existsSync2, fsyncSync, mkdirSync, openSync as openSync3, readFileSync, realpathSync, renameSync, rmSync as rmSync2, writeFileSync as writeFileSync2 } from "node:fs";
import path2 from "node:path";
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
    throw new UserError(`cannot create the folder ${displayPath(folder)}: ${why}`, { cause: error });
  }
}
function openFileAtomic(file) {
  makeFolder(path2.dirname(file));
  const name = path2.basename(file);
  const temp = path2.join(path2.dirname(file), `.${name}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  let fd = openSync3(temp, "w");
  const close = () => {
    if (fd === null) return;
    const open = fd;
    fd = null;
    closeSync2(open);
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
        rmSync2(temp, { force: true });
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
  return `sha256:${createHash2("sha256").update(bytes).digest("hex")}`;
}
function appendJobSummary(env, markdown) {
  const file = env.GITHUB_STEP_SUMMARY;
  if (file !== void 0 && file !== "") appendFileSync2(file, `${markdown.trimEnd()}

`);
}
function findRepositoryRoot(dir) {
  for (let d = path2.resolve(dir); ; d = path2.dirname(d)) {
    if (existsSync2(path2.join(d, ".git"))) return realpathSync(d);
    if (path2.dirname(d) === d) return null;
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
  isRemote,
  remoteDisplay,
  remoteName,
  remoteFingerprintPart,
  learnVersions,
  openRemote,
  localCopy,
  asRemote,
  remoteError,
  displayPath,
  DATA_EXTENSIONS,
  formatOf,
  assertDataFile,
  openDataFile,
  assertColumnsExist,
  CHUNK_BYTES,
  countLineBreaks,
  trimArray,
  checkedChunkRows,
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
