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
function openFileAtomic(file) {
  mkdirSync(path.dirname(file), { recursive: true });
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

// src/time.ts
var MS_PER_MINUTE = 6e4;
var MS_PER_HOUR = 36e5;
var MS_PER_DAY = 864e5;
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

export {
  UserError,
  isUserError,
  explainFileSystemError,
  sleepSync,
  faultPoint,
  openFileAtomic,
  writeFileAtomic,
  writeJson,
  readJson,
  sha256File,
  sha256Of,
  appendJobSummary,
  findRepositoryRoot,
  MS_PER_MINUTE,
  MS_PER_HOUR,
  MS_PER_DAY,
  isoWeekday,
  isTimeZone,
  wallClock
};
