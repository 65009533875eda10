import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);
import {
  UserError,
  faultPoint,
  readJson,
  sha256File,
  sleepSync,
  writeFileAtomic,
  writeJson
} from "./evaluate+infra-child+monitor+predict+promote+train+validate.js";

// src/registry/registry.ts
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync as mkdirSync2, readdirSync, readFileSync as readFileSync2, renameSync as renameSync2, rmSync as rmSync2, statSync } from "node:fs";
import path3 from "node:path";

// src/registry/lock.ts
import { hostname } from "node:os";
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
var LOCK_FILE = ".lock";
function withFolderLock(folder, fn, options = {}) {
  const file = path.join(folder, LOCK_FILE);
  mkdirSync(folder, { recursive: true });
  const deadline = Date.now() + (options.waitMs ?? 6e4);
  for (let pause = 10; ; pause = Math.min(pause * 2, 500)) {
    if (tryAcquire(file)) break;
    const owner = readOwner(file);
    if (owner !== null && isStale(owner)) {
      breakStaleLock(file, owner);
      continue;
    }
    if (Date.now() > deadline) {
      throw new UserError(
        `${file}: locked by process ${owner?.pid ?? "?"} on ${owner?.host ?? "?"} since ${owner?.at ?? "?"}; another ct run is changing this model (delete the file if that run is gone)`
      );
    }
    sleepSync(pause);
  }
  try {
    return fn();
  } finally {
    rmSync(file, { force: true });
  }
}
function tryAcquire(file) {
  let fd;
  try {
    fd = openSync(file, "wx");
  } catch (error) {
    if (error.code === "EEXIST") return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), at: (/* @__PURE__ */ new Date()).toISOString() }));
  } finally {
    closeSync(fd);
  }
  return true;
}
function readOwner(file) {
  try {
    const owner = JSON.parse(readFileSync(file, "utf8"));
    return typeof owner.pid === "number" ? owner : null;
  } catch {
    return null;
  }
}
function isStale(owner) {
  if (owner.host !== hostname()) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return error.code === "ESRCH";
  }
}
function breakStaleLock(file, stale) {
  const aside = `${file}.stale-${process.pid}`;
  try {
    renameSync(file, aside);
  } catch {
    return;
  }
  const moved = readOwner(aside);
  if (moved !== null && (moved.pid !== stale.pid || moved.at !== stale.at)) {
    try {
      linkSync(aside, file);
    } catch {
    }
  }
  rmSync(aside, { force: true });
}

// src/registry/names.ts
import { lstatSync } from "node:fs";
import path2 from "node:path";
var PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
function plainName(name, what, source) {
  if (typeof name !== "string" || !PLAIN_NAME.test(name)) {
    throw new UserError(`${source}: ${what} ${JSON.stringify(name)} is not a plain name (letters, digits, ".", "_", "-"; no path)`);
  }
  return name;
}
function plainFileNames(files, source) {
  if (typeof files !== "object" || files === null || Array.isArray(files)) throw new UserError(`${source}: "files" must map file names to checksums`);
  for (const [name, sum] of Object.entries(files)) {
    plainName(name, "file name", source);
    if (typeof sum !== "string" || !/^sha256:[0-9a-f]{64}$/.test(sum)) throw new UserError(`${source}: the checksum of ${name} is not sha256:<64 hex digits>`);
  }
  return files;
}
function refuseLinks(root, file, source) {
  const relative = path2.relative(root, file);
  if (relative.startsWith("..") || path2.isAbsolute(relative)) throw new UserError(`${source}: ${file} is outside the registry ${root}`);
  let at = root;
  for (const part of relative.split(path2.sep)) {
    at = path2.join(at, part);
    const stat = lstatSync(at, { throwIfNoEntry: false });
    if (stat === void 0) return;
    if (stat.isSymbolicLink()) throw new UserError(`${source}: ${at} is a symbolic link; the registry holds plain files only`);
  }
}

// src/registry/registry.ts
function modelDir(registry, model) {
  return path3.join(registry, model);
}
function readProduction(registry, model) {
  const file = path3.join(modelDir(registry, model), "production.json");
  if (!existsSync(file)) return null;
  const pointer = readJson(file, "production pointer");
  if (typeof pointer.version !== "string" || typeof pointer.files !== "object" || pointer.files === null) {
    throw new UserError(`${file}: production pointer lacks "version" or "files"`);
  }
  plainName(pointer.version, "version", file);
  plainFileNames(pointer.files, file);
  if (pointer.model !== model) throw new UserError(`${file}: names the model ${JSON.stringify(pointer.model)}, not ${model}`);
  if (pointer.previous !== null && pointer.previous !== void 0) plainName(pointer.previous, "previous version", file);
  return pointer;
}
function verifiedProductionDir(registry, pointer) {
  return verifiedVersionDir(registry, pointer.model, pointer.version, pointer.files, "production.json");
}
function readHistory(registry, model) {
  const file = path3.join(modelDir(registry, model), "history.jsonl");
  if (!existsSync(file)) return [];
  return parseHistory(readFileSync2(file, "utf8"), file);
}
function parseHistory(text, source) {
  return text.split("\n").filter((line) => line.trim() !== "").map((line, i) => {
    let entry;
    try {
      entry = JSON.parse(line);
    } catch {
      throw new UserError(`${source}: line ${i + 1} is not JSON`);
    }
    plainName(entry.version, "version", `${source} line ${i + 1}`);
    plainFileNames(entry.files, `${source} line ${i + 1}`);
    return entry;
  });
}
function promotionRecordOf(registry, model, version) {
  return readHistory(registry, model).find((e) => e.action === "promote" && e.version === version);
}
function appendHistory(registry, entry) {
  const file = path3.join(modelDir(registry, entry.model), "history.jsonl");
  const before = existsSync(file) ? readFileSync2(file, "utf8") : "";
  const line = JSON.stringify(entry);
  if (before.trimEnd().split("\n").pop() === line) return;
  writeFileAtomic(file, `${before}${before === "" || before.endsWith("\n") ? "" : "\n"}${line}
`);
}
function recordedChecksums(registry, model, version, pointer = readProduction(registry, model)) {
  if (pointer?.version === version) return { files: pointer.files, source: "production.json" };
  const recorded = promotionRecordOf(registry, model, version);
  return recorded === void 0 ? null : { files: recorded.files, source: "history.jsonl" };
}
function verifiedVersionDir(registry, model, version, files, source) {
  return verifiedFolder(registry, path3.join(modelDir(registry, plainName(model, "model", source)), plainName(version, "version", source)), files, source);
}
function verifiedFolder(registry, dir, files, source) {
  plainFileNames(files, source);
  for (const [name, expected] of Object.entries(files)) {
    const file = path3.join(dir, name);
    refuseLinks(registry, file, `registry (${source})`);
    if (!existsSync(file)) throw new UserError(`registry: ${file} is missing (listed in ${source})`);
    const actual = sha256File(file);
    if (actual !== expected) throw new UserError(`registry: checksum mismatch for ${file}: ${source} says ${expected}, the file is ${actual}`);
  }
  return dir;
}
function versionId(when, contentHash) {
  const stamp = when.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `${stamp}-${contentHash.replace(/^sha256:/, "").slice(0, 8)}`;
}
function hashFiles(files) {
  const hash = createHash("sha256");
  for (const name of Object.keys(files).sort()) {
    hash.update(name);
    hash.update("\0");
    hash.update(readFileSync2(files[name]));
  }
  return `sha256:${hash.digest("hex")}`;
}
function publishVersion(input) {
  const when = input.when ?? /* @__PURE__ */ new Date();
  const names = Object.keys(input.files).sort();
  for (const name of names) {
    if (name.includes("/") || name.includes("\\") || name.startsWith(".")) throw new Error(`registry file name not allowed: ${name}`);
    const source = input.files[name];
    if (!existsSync(source) || !statSync(source).isFile()) throw new UserError(`cannot promote: ${source} is missing`);
  }
  const version = versionId(when, hashFiles(input.files));
  const root = modelDir(input.registry, input.model);
  return withFolderLock(root, () => {
    recoverModel(input.registry, input.model);
    const previous = readProduction(input.registry, input.model);
    input.check?.(previous);
    const dir = path3.join(root, version);
    if (existsSync(dir)) throw new UserError(`registry: version ${version} already exists in ${root}`);
    const files = {};
    for (const name of names) files[name] = sha256File(input.files[name]);
    const entry = {
      action: "promote",
      model: input.model,
      version,
      previous: previous?.version ?? null,
      at: when.toISOString(),
      files,
      by: input.by ?? LOCAL
    };
    const staging = path3.join(root, `.staging-${version}`);
    writeJson(path3.join(root, PENDING_FILE), { entry, staging: path3.basename(staging) });
    faultPoint("registry: change recorded");
    rmSync2(staging, { recursive: true, force: true });
    mkdirSync2(staging);
    for (const name of names) {
      faultPoint(`copy ${name}`, "write", path3.join(staging, name));
      copyFileSync(input.files[name], path3.join(staging, name));
    }
    verifiedFolder(input.registry, staging, files, "the files being promoted");
    faultPoint("registry: version staged");
    renameSync2(staging, dir);
    faultPoint("registry: version in place");
    return { version, dir, pointer: commitChange(input.registry, entry) };
  });
}
var LOCAL = { pullRequest: null, branch: null, commit: null, run: null };
var PENDING_FILE = ".pending.json";
function commitChange(registry, entry) {
  appendHistory(registry, entry);
  faultPoint("registry: history written");
  const pointer = { model: entry.model, version: entry.version, promotedAt: entry.at, files: entry.files, previous: entry.previous };
  writeJson(path3.join(modelDir(registry, entry.model), "production.json"), pointer);
  faultPoint("registry: production written");
  rmSync2(path3.join(modelDir(registry, entry.model), PENDING_FILE), { force: true });
  return pointer;
}
function recoverModel(registry, model) {
  const root = modelDir(registry, model);
  if (!existsSync(root)) return null;
  refuseLinks(registry, root, "registry");
  const pendingFile = path3.join(root, PENDING_FILE);
  let recovery = null;
  if (existsSync(pendingFile)) {
    const { entry, staging } = readJson(pendingFile, "pending registry change");
    plainName(entry.version, "version", pendingFile);
    plainFileNames(entry.files, pendingFile);
    if (staging !== null && !/^\.staging-[A-Za-z0-9._-]+$/.test(path3.basename(staging)))
      throw new UserError(`${pendingFile}: staging ${JSON.stringify(staging)} is not a staging folder`);
    let complete = true;
    try {
      verifiedVersionDir(registry, model, entry.version, entry.files, PENDING_FILE);
    } catch {
      complete = false;
    }
    if (complete) {
      commitChange(registry, entry);
    } else {
      const referenced = readHistory(registry, model).some((e) => e.version === entry.version) || readProduction(registry, model)?.version === entry.version;
      if (entry.action === "promote" && !referenced) rmSync2(path3.join(root, entry.version), { recursive: true, force: true });
      rmSync2(pendingFile, { force: true });
    }
    if (staging !== null) rmSync2(path3.join(root, path3.basename(staging)), { recursive: true, force: true });
    recovery = { outcome: complete ? "completed" : "undone", action: entry.action, version: entry.version };
  }
  for (const name of readdirSync(root)) {
    if (/^\.staging-/.test(name) || /^\..+\.tmp$/.test(name)) rmSync2(path3.join(root, name), { recursive: true, force: true });
  }
  return recovery;
}
function listVersions(registry, model) {
  const root = modelDir(registry, model);
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith(".")).map((e) => e.name).sort();
}

export {
  modelDir,
  readProduction,
  verifiedProductionDir,
  recordedChecksums,
  verifiedVersionDir,
  hashFiles,
  publishVersion,
  listVersions
};
