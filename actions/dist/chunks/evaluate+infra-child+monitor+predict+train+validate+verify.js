import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);
import {
  MODULE_FILE,
  tf_exports,
  version
} from "./evaluate+infra-child+monitor+predict+promote+release+train+validate+verify.js";
import {
  MS_PER_DAY,
  MS_PER_HOUR,
  UserError,
  findColumn,
  isoWeekday,
  sha256File,
  timeOfDay,
  wallClock,
  writeFileAtomic
} from "./evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";

// src/train/backend.ts
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join, sep } from "node:path";

// src/logger.ts
var silentLogger = {
  info: () => {
  },
  warning: () => {
  },
  error: () => {
  },
  debug: () => {
  },
  progress: () => {
  }
};

// src/train/kernels.ts
var FAST_KERNEL_NAMES = ["UnsortedSegmentSum", "SplitV", "BatchMatMul", "GatherV2"];
var originals = /* @__PURE__ */ new Map();
var ours = /* @__PURE__ */ new Set();
function scatterAdd(x, ids, numSegments, inner, out) {
  const n = ids.length;
  for (let i = 0; i < n; i++) {
    const segment = ids[i];
    if (!(segment >= 0) || segment >= numSegments) continue;
    const src = i * inner;
    const dst = segment * inner;
    for (let j = 0; j < inner; j++) out[dst + j] += x[src + j];
  }
}
function segmentGeometry(x, segmentIds, numSegments) {
  if (segmentIds.shape.length !== 1 || x.shape.length < 1 || segmentIds.shape[0] !== x.shape[0]) return void 0;
  if (!Number.isInteger(numSegments) || numSegments < 0) return void 0;
  const innerShape = x.shape.slice(1);
  return { outShape: [numSegments, ...innerShape], inner: tf_exports.util.sizeFromShape(innerShape) };
}
function kernelArgs(params) {
  const { x, segmentIds } = params.inputs;
  const numSegments = params.attrs?.["numSegments"];
  if (x === void 0 || segmentIds === void 0 || typeof numSegments !== "number") {
    throw new Error("UnsortedSegmentSum: expected inputs x, segmentIds and attribute numSegments");
  }
  return { x, segmentIds, numSegments };
}
function isNumeric(dtype) {
  return dtype === "float32" || dtype === "int32";
}
function newArray(dtype, size) {
  if (dtype === "float32") return new Float32Array(size);
  return dtype === "int32" ? new Int32Array(size) : new Uint8Array(size);
}
function callOriginal(kernelName, backendName, params) {
  const original = originals.get(`${kernelName}/${backendName}`);
  if (!original) throw new Error(`${kernelName}: these inputs are not supported on backend ${backendName}`);
  return original.kernelFunc(params);
}
var cpuUnsortedSegmentSum = (params) => {
  const { x, segmentIds, numSegments } = kernelArgs(params);
  const geometry = segmentGeometry(x, segmentIds, numSegments);
  if (!isNumeric(x.dtype) || geometry === void 0) return callOriginal("UnsortedSegmentSum", "cpu", params);
  const { outShape, inner } = geometry;
  const backend = params.backend;
  const xValues = backend.data.get(x.dataId).values;
  const ids = backend.data.get(segmentIds.dataId).values;
  const out = newArray(x.dtype, numSegments * inner);
  scatterAdd(xValues, ids, numSegments, inner, out);
  return backend.makeTensorInfo(outShape, x.dtype, out);
};
var wasmUnsortedSegmentSum = (params) => {
  const { x, segmentIds, numSegments } = kernelArgs(params);
  const geometry = segmentGeometry(x, segmentIds, numSegments);
  if (!isNumeric(x.dtype) || geometry === void 0) {
    throw new Error(
      `UnsortedSegmentSum on wasm: needs float32 or int32 x [n, ...] and int32 segmentIds [n], got ${x.dtype} [${x.shape.join(",")}] and [${segmentIds.shape.join(",")}]`
    );
  }
  const { outShape, inner } = geometry;
  const backend = params.backend;
  const result = backend.makeOutput(outShape, x.dtype);
  const out = backend.typedArrayFromHeap(result);
  out.fill(0);
  const xValues = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  scatterAdd(xValues, ids, numSegments, inner, out);
  return result;
};
var wasmGatherV2 = (params) => {
  const { x, indices } = params.inputs;
  const attrs = params.attrs ?? {};
  const axis = x === void 0 ? -1 : tf_exports.util.parseAxisParam(attrs["axis"], x.shape)[0];
  if (x === void 0 || indices === void 0 || axis !== 0 || (attrs["batchDims"] ?? 0) !== 0 || !isNumeric(x.dtype) || indices.dtype !== "int32") {
    return callOriginal("GatherV2", "wasm", params);
  }
  const backend = params.backend;
  const rows = x.shape[0];
  const inner = tf_exports.util.sizeFromShape(x.shape.slice(1));
  const result = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
  const out = backend.typedArrayFromHeap(result);
  const table = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(indices);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (!(id >= 0 && id < rows)) throw new Error(`GatherV2: the index value ${id} is not in [0, ${rows - 1}]`);
    const from = id * inner;
    const to = i * inner;
    for (let j = 0; j < inner; j++) out[to + j] = table[from + j];
  }
  return result;
};
var cpuSplitV = (params) => {
  const { x } = params.inputs;
  if (x === void 0 || !(isNumeric(x.dtype) || x.dtype === "bool")) return callOriginal("SplitV", "cpu", params);
  const attrs = params.attrs ?? {};
  const axis = tf_exports.util.parseAxisParam(attrs["axis"], x.shape)[0] ?? 0;
  const sizes = tf_exports.backend_util.prepareSplitSize(x, attrs["numOrSizeSplits"], axis);
  const backend = params.backend;
  const values = backend.data.get(x.dataId).values;
  const outer = tf_exports.util.sizeFromShape(x.shape.slice(0, axis));
  const inner = tf_exports.util.sizeFromShape(x.shape.slice(axis + 1));
  const axisLength = x.shape[axis] ?? 0;
  let begin = 0;
  return sizes.map((size) => {
    const out = newArray(x.dtype, outer * size * inner);
    const run = size * inner;
    for (let o = 0; o < outer; o++) {
      const from = (o * axisLength + begin) * inner;
      out.set(values.subarray(from, from + run), o * run);
    }
    begin += size;
    const shape = x.shape.slice();
    shape[axis] = size;
    return backend.makeTensorInfo(shape, x.dtype, out);
  });
};
function rowMajor(src, offset, rows, cols, transposed) {
  if (!transposed) return src.subarray(offset, offset + rows * cols);
  const out = new Float32Array(rows * cols);
  for (let c = 0; c < cols; c++) {
    const from = offset + c * rows;
    for (let r = 0; r < rows; r++) out[r * cols + c] = src[from + r];
  }
  return out;
}
function dot(a, aRow, b, bRow, k) {
  let sum = 0;
  for (let p = 0; p < k; p++) sum += a[aRow + p] * b[bRow + p];
  return sum;
}
function matMulTransposedB(a, bT, m, k, n, out, outOffset = 0) {
  const m4 = m - m % 4;
  const n4 = n - n % 4;
  for (let i = 0; i < m4; i += 4) {
    const a0 = i * k;
    const a1 = a0 + k;
    const a2 = a1 + k;
    const a3 = a2 + k;
    for (let j = 0; j < n4; j += 4) {
      const b0 = j * k;
      const b1 = b0 + k;
      const b2 = b1 + k;
      const b3 = b2 + k;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = a[a0 + p], x1 = a[a1 + p], x2 = a[a2 + p], x3 = a[a3 + p];
        const y0 = bT[b0 + p], y1 = bT[b1 + p], y2 = bT[b2 + p], y3 = bT[b3 + p];
        c00 += x0 * y0;
        c01 += x0 * y1;
        c02 += x0 * y2;
        c03 += x0 * y3;
        c10 += x1 * y0;
        c11 += x1 * y1;
        c12 += x1 * y2;
        c13 += x1 * y3;
        c20 += x2 * y0;
        c21 += x2 * y1;
        c22 += x2 * y2;
        c23 += x2 * y3;
        c30 += x3 * y0;
        c31 += x3 * y1;
        c32 += x3 * y2;
        c33 += x3 * y3;
      }
      let o = outOffset + i * n + j;
      out[o] = c00;
      out[o + 1] = c01;
      out[o + 2] = c02;
      out[o + 3] = c03;
      o += n;
      out[o] = c10;
      out[o + 1] = c11;
      out[o + 2] = c12;
      out[o + 3] = c13;
      o += n;
      out[o] = c20;
      out[o + 1] = c21;
      out[o + 2] = c22;
      out[o + 3] = c23;
      o += n;
      out[o] = c30;
      out[o + 1] = c31;
      out[o + 2] = c32;
      out[o + 3] = c33;
    }
    for (let r = i; r < i + 4; r++) {
      for (let j = n4; j < n; j++) out[outOffset + r * n + j] = dot(a, r * k, bT, j * k, k);
    }
  }
  for (let r = m4; r < m; r++) {
    for (let j = 0; j < n; j++) out[outOffset + r * n + j] = dot(a, r * k, bT, j * k, k);
  }
}
var cpuBatchMatMul = (params) => {
  const { a, b } = params.inputs;
  const transposeA = params.attrs?.["transposeA"] === true;
  const transposeB = params.attrs?.["transposeB"] === true;
  if (a === void 0 || b === void 0 || a.dtype !== "float32" || b.dtype !== "float32") {
    return callOriginal("BatchMatMul", "cpu", params);
  }
  const aRank = a.shape.length;
  const bRank = b.shape.length;
  const [aRows, aCols] = [a.shape[aRank - 2] ?? 1, a.shape[aRank - 1] ?? 1];
  const [bRows, bCols] = [b.shape[bRank - 2] ?? 1, b.shape[bRank - 1] ?? 1];
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const kB = transposeB ? bCols : bRows;
  const n = transposeB ? bRows : bCols;
  const aBatchShape = a.shape.slice(0, -2);
  const bBatchShape = b.shape.slice(0, -2);
  const aBatch = tf_exports.util.sizeFromShape(aBatchShape);
  const bBatch = tf_exports.util.sizeFromShape(bBatchShape);
  const sameBatch = aBatchShape.length === bBatchShape.length && aBatchShape.every((d, i) => d === bBatchShape[i]);
  if (k !== kB || aRank < 2 || bRank < 2 || !(sameBatch || aBatch === 1 || bBatch === 1)) {
    return callOriginal("BatchMatMul", "cpu", params);
  }
  if (m < 4 || n < 4) {
    return callOriginal("BatchMatMul", "cpu", params);
  }
  const backend = params.backend;
  const aValues = backend.data.get(a.dataId).values;
  const bValues = backend.data.get(b.dataId).values;
  const batch = Math.max(aBatch, bBatch);
  const outBatchShape = tf_exports.broadcast_util.assertAndGetBroadcastShape(aBatchShape, bBatchShape);
  const out = new Float32Array(batch * m * n);
  let bT;
  for (let bi = 0; bi < batch; bi++) {
    const aMatrix = rowMajor(aValues, (aBatch === 1 ? 0 : bi) * m * k, m, k, transposeA);
    if (bT === void 0 || bBatch !== 1) {
      bT = rowMajor(bValues, (bBatch === 1 ? 0 : bi) * k * n, n, k, !transposeB);
    }
    matMulTransposedB(aMatrix, bT, m, k, n, out, bi * m * n);
  }
  return backend.makeTensorInfo([...outBatchShape, m, n], "float32", out);
};
var wasmBatchMatMul = (params) => {
  const transposeA = params.attrs?.["transposeA"] === true;
  const transposeB = params.attrs?.["transposeB"] === true;
  const { a, b } = params.inputs;
  if (!transposeA && !transposeB || a === void 0 || b === void 0 || a.dtype !== "float32" || b.dtype !== "float32") {
    return callOriginal("BatchMatMul", "wasm", params);
  }
  const backend = params.backend;
  const transpose = tf_exports.getKernel("Transpose", "wasm");
  if (transpose === void 0) return callOriginal("BatchMatMul", "wasm", params);
  const swapLast = (x) => {
    const perm = x.shape.map((_, i) => i);
    [perm[perm.length - 1], perm[perm.length - 2]] = [perm[perm.length - 2], perm[perm.length - 1]];
    return transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } });
  };
  const a2 = transposeA ? swapLast(a) : a;
  const b2 = transposeB ? swapLast(b) : b;
  try {
    return callOriginal("BatchMatMul", "wasm", { ...params, inputs: { a: a2, b: b2 }, attrs: { ...params.attrs, transposeA: false, transposeB: false } });
  } finally {
    if (a2 !== a) backend.disposeData(a2.dataId);
    if (b2 !== b) backend.disposeData(b2.dataId);
  }
};
var implementations = {
  cpu: { UnsortedSegmentSum: cpuUnsortedSegmentSum, SplitV: cpuSplitV, BatchMatMul: cpuBatchMatMul },
  wasm: { UnsortedSegmentSum: wasmUnsortedSegmentSum, BatchMatMul: wasmBatchMatMul, GatherV2: wasmGatherV2 }
};
for (const byKernel of Object.values(implementations)) {
  for (const f of Object.values(byKernel)) ours.add(f);
}
function registerFastKernels(backendName) {
  const byKernel = implementations[backendName] ?? {};
  const registered = [];
  for (const [kernelName, kernelFunc] of Object.entries(byKernel)) {
    const key = `${kernelName}/${backendName}`;
    const current = tf_exports.getKernel(kernelName, backendName);
    if (current && ours.has(current.kernelFunc)) {
      registered.push(kernelName);
      continue;
    }
    if (!originals.has(key)) originals.set(key, current ?? null);
    if (current) tf_exports.unregisterKernel(kernelName, backendName);
    tf_exports.registerKernel({ kernelName, backendName, kernelFunc });
    registered.push(kernelName);
  }
  return registered;
}
function unregisterFastKernels(backendName) {
  for (const kernelName of FAST_KERNEL_NAMES) {
    const key = `${kernelName}/${backendName}`;
    const current = tf_exports.getKernel(kernelName, backendName);
    if (!current || !ours.has(current.kernelFunc)) continue;
    tf_exports.unregisterKernel(kernelName, backendName);
    const original = originals.get(key);
    if (original) tf_exports.registerKernel(original);
  }
}

// src/train/backend.ts
var BACKEND_ORDER = ["tensorflow", "wasm", "cpu"];
var WASM_FILES = ["tfjs-backend-wasm.wasm", "tfjs-backend-wasm-simd.wasm", "tfjs-backend-wasm-threaded-simd.wasm"];
var requireCjs = createRequire(import.meta.url);
var tensorflowLoad;
var wasmLoad;
var wasmLocation;
function isActive(name) {
  return tf_exports.getBackend() === name && tf_exports.engine().registry[name] !== void 0;
}
function reasonOf(error) {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n").find((line) => line.trim() !== "")?.trim() ?? "unknown error";
}
function polyfillNodeUtil() {
  const util3 = requireCjs("node:util");
  if (typeof util3["isNullOrUndefined"] !== "function") {
    util3["isNullOrUndefined"] = (value) => value === null || value === void 0;
  }
  if (typeof util3["isArray"] !== "function") util3["isArray"] = Array.isArray;
}
var NATIVE_PACKAGES = ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"];
var nativePackage = null;
function workspaceTensorflow(name) {
  const workspace = process.env.GITHUB_WORKSPACE;
  if (workspace === void 0 || workspace === "") return null;
  try {
    return createRequire(join(workspace, "package.json")).resolve(name);
  } catch {
    return null;
  }
}
function notInstalled(error) {
  const code = error.code;
  return code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND";
}
function loadTensorflow(logger) {
  tensorflowLoad ??= (async () => {
    polyfillNodeUtil();
    let mod;
    for (const name of NATIVE_PACKAGES) {
      try {
        mod = await import(name).catch(async (error) => {
          const workspaceModule = workspaceTensorflow(name);
          if (workspaceModule === null) throw error;
          return import(pathToFileURL(workspaceModule).href);
        });
        nativePackage = name;
        break;
      } catch (error) {
        if (notInstalled(error)) continue;
        throw new Error(`${name} failed to load: ${reasonOf(error)}`, { cause: error });
      }
    }
    if (mod === void 0 || nativePackage === null) {
      throw new Error(
        "@tensorflow/tfjs-node is not installed (optional dependency: it needs libtensorflow at install time; @tensorflow/tfjs-node-gpu on GPU runners)"
      );
    }
    const nodeCore = (mod.version ?? mod.default?.version)?.["tfjs-core"];
    if (nodeCore !== void 0 && nodeCore !== version["tfjs-core"]) {
      logger.warning(`${nativePackage} uses tfjs-core ${nodeCore} but ct uses ${version["tfjs-core"]}: install matching versions so npm dedupes them`);
    }
  })();
  return tensorflowLoad;
}
function defaultWasmDirectory() {
  try {
    return dirname(requireCjs.resolve("@tensorflow/tfjs-backend-wasm")) + sep;
  } catch {
    return void 0;
  }
}
function bundledWasmDirectory() {
  const here = dirname(fileURLToPath(import.meta.url));
  const dir = [here, dirname(here)].find((candidate) => existsSync(join(candidate, "tfjs-backend-wasm.wasm")));
  return dir === void 0 ? void 0 : dir + sep;
}
function loadWasm(paths, logger) {
  const location = paths ?? bundledWasmDirectory() ?? defaultWasmDirectory();
  if (wasmLoad !== void 0) {
    if (paths !== void 0 && JSON.stringify(location) !== JSON.stringify(wasmLocation)) {
      logger.debug("wasm backend already loaded; ignoring the new wasmPaths");
    }
    return wasmLoad;
  }
  wasmLocation = location;
  wasmLoad = (async () => {
    const imported = await import("./tf-backend-wasm.node.js");
    const wasm = "setWasmPaths" in imported ? imported : imported.default;
    if (location !== void 0) wasm.setWasmPaths(location);
    await initialise("wasm");
  })();
  return wasmLoad;
}
async function initialise(name) {
  const emitter = process;
  const events = ["uncaughtException", "unhandledRejection"];
  const before = new Set(events.flatMap((event) => emitter.listeners(event)));
  let ok;
  try {
    ok = await tf_exports.setBackend(name);
  } finally {
    for (const event of events) {
      for (const listener of emitter.listeners(event)) {
        if (!before.has(listener)) emitter.removeListener(event, listener);
      }
    }
  }
  if (!ok || !isActive(name)) {
    if (tf_exports.engine().backendNames().includes(name)) tf_exports.removeBackend(name);
    throw new Error(`initialisation failed${name === "wasm" ? wasmDiagnosis() : ""}`);
  }
}
function wasmDiagnosis() {
  const dir = wasmLocation;
  if (typeof dir !== "string" || /^[a-z]+:\/\//i.test(dir)) return "";
  const missing = WASM_FILES.filter((file) => !existsSync(join(dir, file)));
  return missing.length > 0 ? ` (missing in ${dir}: ${missing.join(", ")})` : "";
}
async function activate(name, options, logger) {
  if (name === "tensorflow") await loadTensorflow(logger);
  if (name === "wasm") await loadWasm(options.wasmPaths, logger);
  if (!isActive(name)) await initialise(name);
}
var lastAnnouncement;
async function selectBackend(preference, logger = silentLogger, options = {}) {
  const automatic = preference === "auto" || preference === "fused";
  const candidates = automatic ? BACKEND_ORDER : [preference];
  if (!BACKEND_ORDER.includes(candidates[0])) {
    throw new UserError(`unknown TF.js backend '${String(preference)}': use auto, fused, tensorflow, wasm or cpu`);
  }
  const skipped = [];
  for (const name of candidates) {
    try {
      await activate(name, options, logger);
    } catch (error) {
      if (!automatic) {
        throw new UserError(`TF.js backend '${name}' was requested but cannot be used: ${reasonOf(error)}`, {
          cause: error
        });
      }
      skipped.push(`${name}: ${reasonOf(error)}`);
      logger.debug(`backend ${name} unavailable: ${reasonOf(error)}`);
      continue;
    }
    const running = tf_exports.getBackend();
    let fastKernels = [];
    if (options.fastKernels === false) unregisterFastKernels(running);
    else fastKernels = registerFastKernels(running);
    const info = { name: running, requested: preference, tfjsVersion: version["tfjs-core"], fastKernels };
    if (skipped.length > 0) info.fallbackReason = skipped.join("; ");
    if (running === "tensorflow" && nativePackage !== null) info.nativePackage = nativePackage;
    const announcement = `TF.js backend: ${running}${info.nativePackage === void 0 ? "" : ` (${info.nativePackage})`}${info.fallbackReason ? ` (skipped ${info.fallbackReason})` : ""}`;
    if (announcement !== lastAnnouncement) logger.info(announcement);
    lastAnnouncement = announcement;
    return info;
  }
  throw new Error(`no TF.js backend could be initialised: ${skipped.join("; ")}`);
}

// src/features/moments.ts
var Moments = class {
  /** Values added (weights summed). */
  n = 0;
  mean = 0;
  min = Infinity;
  max = -Infinity;
  m2 = 0;
  /** Adds `x`, `weight` times; non-finite values are skipped. */
  add(x, weight = 1) {
    if (x - x !== 0 || weight <= 0) return;
    this.n += weight;
    const d = x - this.mean;
    this.mean += d * weight / this.n;
    this.m2 += weight * d * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }
  /**
   * The scale to standardise with: the mean (0 with no values) and the sample standard
   * deviation (n − 1), 1 where it would be 0 so a constant column divides safely.
   */
  scale() {
    const std = this.n > 1 ? Math.sqrt(this.m2 / (this.n - 1)) : 0;
    return { mean: this.n > 0 ? this.mean : 0, std: std > 0 ? std : 1 };
  }
};

// src/data/sorted.ts
function countBelow(sorted, x) {
  return firstPast(sorted, x, false);
}
function countAtMost(sorted, x) {
  return firstPast(sorted, x, true);
}
function firstPast(sorted, x, orEqual) {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = lo + hi >> 1;
    const v = sorted[mid];
    if (v < x || orEqual && v === x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// src/features/label.ts
var IDENTITY_SCALE = Object.freeze({ mean: 0, std: 1 });
function labelScale(label) {
  if (label.task !== "regression" || label.scale === void 0 || label.scale === null) return { ...IDENTITY_SCALE };
  const { mean: mean2, std } = label.scale;
  return { mean: Number.isFinite(mean2) ? mean2 : 0, std: Number.isFinite(std) && std > 0 ? std : 1 };
}
function fitLabelScale(values) {
  const moments = new Moments();
  for (let i = 0; i < values.length; i++) moments.add(values[i]);
  return moments.scale();
}
function standardizeLabels(labels, scale) {
  if (scale.mean === 0 && scale.std === 1) return labels;
  const out = new Float32Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = (labels[i] - scale.mean) / scale.std;
  return out;
}
function unscalePredictions(outputs, scale) {
  if (scale.mean === 0 && scale.std === 1) return outputs;
  for (let i = 0; i < outputs.length; i++) outputs[i] = outputs[i] * scale.std + scale.mean;
  return outputs;
}
function labelColumnValues(table, label) {
  const column = findColumn(table, label.column);
  if (column === void 0) throw new UserError(`label: column "${label.column}" is not in the data`);
  const n = table.rowCount;
  const out = new Float32Array(n);
  const isNullAt = (i) => column.nulls !== null && column.nulls[i] === 1;
  if (label.task === "multiclass") {
    if (column.type !== "string") throw new UserError(`label: column "${label.column}" is ${column.type}, expected strings`);
    const index = new Map((label.classes ?? []).map((c, k) => [c, k]));
    const byCode = Float32Array.from(column.dictionary, (s) => index.get(s) ?? Number.NaN);
    for (let i = 0; i < n; i++) {
      const code = column.codes[i];
      out[i] = code < 0 ? Number.NaN : byCode[code];
    }
    return out;
  }
  if (label.op === void 0) {
    for (let i = 0; i < n; i++) out[i] = isNullAt(i) ? Number.NaN : plainValue(column, i, label);
    return out;
  }
  const compare = labelComparator(label);
  if (column.type === "string") {
    const byCode = Float32Array.from(column.dictionary, (s) => compare(s) ? 1 : 0);
    for (let i = 0; i < n; i++) {
      const code = column.codes[i];
      out[i] = code < 0 ? Number.NaN : byCode[code];
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    if (isNullAt(i)) out[i] = Number.NaN;
    else {
      const v = column.type === "boolean" ? column.values[i] === 1 : column.values[i];
      out[i] = Number.isNaN(v) ? Number.NaN : compare(v) ? 1 : 0;
    }
  }
  return out;
}
function plainValue(column, i, label) {
  switch (column.type) {
    case "boolean":
      return column.values[i];
    case "number": {
      const v = column.values[i];
      if (label.task === "binary" && v !== 0 && v !== 1 && !Number.isNaN(v)) {
        throw new UserError(`label: column "${label.column}" holds ${v}; a binary label column must be 0/1 or true/false (or write a comparison)`);
      }
      return v;
    }
    default:
      throw new UserError(`label: column "${label.column}" is ${column.type}; write a comparison such as "${label.column} == ..."`);
  }
}
function labelComparator(label) {
  const target = label.value;
  switch (label.op) {
    case ">":
      return (v) => v > target;
    case ">=":
      return (v) => v >= target;
    case "<":
      return (v) => v < target;
    case "<=":
      return (v) => v <= target;
    case "==":
      return (v) => v === target;
    case "!=":
      return (v) => v !== target;
    default:
      throw new UserError(`label: unknown operator in "${label.text}"`);
  }
}

// src/features/tally.ts
function mostFrequentFirst(counts, max = Infinity, minCount = 1) {
  return [...counts].filter(([, c]) => c >= minCount).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, max).map(([value, c]) => [value, c]);
}

// src/features/text.ts
var PAD_ID = 0;
var UNKNOWN_ID = 1;
var RESERVED_IDS = 2;
var WORD = /[\p{L}\p{N}]+/gu;
function tokenize(text, tokens) {
  const normal = text.normalize("NFKC").toLowerCase();
  if (tokens === "words") return normal.match(WORD) ?? [];
  return Array.from(normal).filter((c) => !/\s/u.test(c));
}
function dictionaryTokens(dictionary, tokens) {
  const lists = new Array(dictionary.length);
  return (code) => lists[code] ??= tokenize(dictionary[code], tokens);
}
function fitTextVocabulary(texts, maxSize, minCount) {
  const counts = /* @__PURE__ */ new Map();
  let total = 0;
  for (const [list, occurrences] of texts) {
    for (const token of list) {
      counts.set(token, (counts.get(token) ?? 0) + occurrences);
      total += occurrences;
    }
  }
  const kept = mostFrequentFirst(counts, maxSize, minCount);
  const known = kept.reduce((sum, [, c]) => sum + c, 0);
  return { vocabulary: kept.map(([token]) => token), unknownTokenShare: total === 0 ? 0 : (total - known) / total };
}
function textIndex(vocabulary) {
  return new Map(vocabulary.map((token, k) => [token, k + RESERVED_IDS]));
}
function encodeTokens(list, index, out, at, length) {
  const n = Math.min(list.length, length);
  const pad = length - n;
  out.fill(PAD_ID, at, at + pad);
  let known = 0;
  for (let j = 0; j < n; j++) {
    const id = index.get(list[list.length - n + j]);
    if (id !== void 0) known++;
    out[at + pad + j] = id ?? UNKNOWN_ID;
  }
  return { known, seen: n };
}

// src/features/sequence.ts
var SEPARATORS = /[\s,;]+/;
function parseSequence(text) {
  const trimmed = text.trim();
  const inner = trimmed.startsWith("[") && trimmed.endsWith("]") ? trimmed.slice(1, -1) : trimmed;
  if (inner.trim() === "") return [];
  return inner.trim().split(SEPARATORS).map((item) => item === "" || item === "null" ? Number.NaN : Number(item));
}
function encodeSequence(values, length, mean2, std, out, at) {
  let whole = values.length === length;
  for (let j = 0; j < length; j++) {
    const x = j < values.length ? values[j] : Number.NaN;
    if (x - x !== 0) {
      whole = false;
      out[at + j] = 0;
    } else out[at + j] = (x - mean2) / std;
  }
  return whole;
}

// src/features/preprocessing.ts
function inputWidth(f) {
  return f.kind === "text" || f.kind === "sequence" ? f.length : 1;
}
var FAR_SPAN_FRACTION = 0.5;
var FAR_Z = 10;
function utcHourOfDay(t) {
  return Math.floor(timeOfDay(t) / MS_PER_HOUR);
}
function utcDayOfWeek(t) {
  return isoWeekday(Math.floor(t / MS_PER_DAY));
}
function timePart(transform, timeZone) {
  const part = transform === "hourOfDay" ? utcHourOfDay : utcDayOfWeek;
  const clock = wallClock(timeZone);
  return (t) => part(clock(t));
}
function fitPreprocessing(table, config) {
  const label = fitLabel(table, config.label, config.task);
  const features = [];
  for (const f of config.features) features.push(f.transform === "cross" ? fitCross(f, features) : fitFeature(table, f, config.data.timezone));
  return { format: "ct-preprocessing", version: 1, task: config.task, label, features };
}
function encodeTable(table, prep, options = {}) {
  const inputs = [];
  const imputed = [];
  for (const f of prep.features) {
    if (f.transform === "cross") {
      inputs.push(encodeCross(f, prep.features, inputs, table.rowCount));
      continue;
    }
    const encoded = encodeFeatureColumn(table, f);
    inputs.push(encoded.values);
    imputed.push(encoded.counts);
  }
  const labels = options.withLabels === false ? new Float32Array(table.rowCount).fill(Number.NaN) : labelColumnValues(table, prep.label);
  const scale = labelScale(prep.label);
  return { rows: table.rowCount, inputs, widths: prep.features.map(inputWidth), labels, targets: standardizeLabels(labels, scale), labelScale: scale, imputed };
}
function farLimits(f) {
  const { min, max } = f;
  if (typeof min === "number" && typeof max === "number" && Number.isFinite(min) && Number.isFinite(max) && max > min) {
    const margin = (max - min) * FAR_SPAN_FRACTION;
    return { low: min - margin, high: max + margin, rule: "range" };
  }
  return { low: f.mean - FAR_Z * f.std, high: f.mean + FAR_Z * f.std, rule: "z" };
}
function gatherRows(column, width, order) {
  const out = column instanceof Int32Array ? new Int32Array(order.length * width) : new Float32Array(order.length * width);
  for (let k = 0; k < order.length; k++) {
    if (width === 1) out[k] = column[order[k]];
    else out.set(column.subarray(order[k] * width, (order[k] + 1) * width), k * width);
  }
  return out;
}
function labelledRows(data) {
  const keep2 = [];
  for (let i = 0; i < data.rows; i++) if (!Number.isNaN(data.labels[i])) keep2.push(i);
  return Int32Array.from(keep2);
}
function requireColumn(table, name, role) {
  const column = findColumn(table, name);
  if (column === void 0) {
    const have = table.columns.map((c) => c.name).join(", ");
    throw new UserError(`${role}: column "${name}" is not in the data (columns: ${have})`);
  }
  return column;
}
function fitLabel(table, label, task) {
  const column = requireColumn(table, label.column, "label");
  if (task === "multiclass") {
    if (label.op !== void 0) throw new UserError(`label: a multiclass label is a column, not a comparison ("${label.text}")`);
    if (column.type !== "string") throw new UserError(`label: multiclass label column "${label.column}" must hold strings, found ${column.type}`);
    const counts = /* @__PURE__ */ new Map();
    for (let i = 0; i < column.codes.length; i++) {
      const code = column.codes[i];
      if (code >= 0) counts.set(code, (counts.get(code) ?? 0) + 1);
    }
    const classes = [...counts.keys()].map((k) => column.dictionary[k]).sort();
    if (classes.length < 2)
      throw new UserError(`label: column "${label.column}" has ${classes.length} class(es) in the training rows; multiclass needs at least 2`);
    return { ...label, task, classes };
  }
  if (task === "regression") {
    if (label.op !== void 0) throw new UserError(`label: a regression label is a numeric column, not a comparison ("${label.text}")`);
    if (column.type !== "number") throw new UserError(`label: regression label column "${label.column}" must be numeric, found ${column.type}`);
    return { ...label, task, scale: fitLabelScale(labelColumnValues(table, { ...label, task })) };
  }
  if (label.op === void 0 && column.type === "string") {
    throw new UserError(`label: binary label column "${label.column}" holds strings; write a comparison such as "${label.column} == \\"yes\\""`);
  }
  if (label.op !== void 0 && typeof label.value === "number" && column.type !== "number") {
    throw new UserError(`label: "${label.text}" compares with a number but column "${label.column}" is ${column.type}`);
  }
  return { ...label, task };
}
function fitFeature(table, f, timeZone) {
  const column = requireColumn(table, f.column, `feature "${f.name}"`);
  const where = `feature "${f.name}"`;
  switch (f.transform) {
    case "hourOfDay":
    case "dayOfWeek": {
      if (column.type !== "timestamp") throw new UserError(`${where}: ${f.transform} needs a timestamp column, "${f.column}" is ${column.type}`);
      const cardinality = (f.transform === "hourOfDay" ? 24 : 7) + 1;
      return timeZone === void 0 ? categorical(f, cardinality) : { ...categorical(f, cardinality), timeZone };
    }
    case "bucketize":
      if (column.type !== "number") throw new UserError(`${where}: bucketize needs a numeric column, "${f.column}" is ${column.type}`);
      return { ...categorical(f, f.boundaries.length + 2), boundaries: f.boundaries };
    case "cross":
      throw new Error(`feature "${f.name}": crosses are fitted by fitCross`);
    case "log1p":
    case "none": {
      if (f.kind === "text") return fitText(f, column);
      if (f.kind === "sequence") return fitSequence(f, column);
      const kind = f.kind ?? (column.type === "string" || column.type === "boolean" ? "categorical" : "numeric");
      if (kind === "categorical") {
        if (f.transform === "log1p") throw new UserError(`${where}: log1p applies to numeric features only`);
        const { vocabulary, outOfVocabularyShare } = fitVocabulary(column, f.maxVocabulary ?? 1e3, f.minCount ?? 1);
        return { ...categorical(f, vocabulary.length + 1), vocabulary, outOfVocabularyShare };
      }
      if (column.type !== "number") throw new UserError(`${where}: a numeric feature needs a numeric column, "${f.column}" is ${column.type}`);
      return fitNumeric(f, column.values, column.nulls, f.transform);
    }
  }
}
function fitCross(f, earlier) {
  for (const name of f.cross) {
    const source = earlier.find((e) => e.name === name);
    if (source === void 0) throw new UserError(`feature "${f.name}": crosses "${name}", which must be a feature listed before it`);
    if (source.kind !== "categorical")
      throw new UserError(`feature "${f.name}": crosses "${name}", which is ${source.kind}; only categorical features can be crossed`);
  }
  return { ...categorical(f, f.hashBuckets + 1), cross: f.cross, hashBuckets: f.hashBuckets };
}
function encodeCross(f, features, inputs, rows) {
  const sources = f.cross.map((name) => inputs[features.findIndex((e) => e.name === name)]);
  const out = new Int32Array(rows);
  const buckets = f.hashBuckets;
  for (let i = 0; i < rows; i++) {
    let h = 2654435769;
    let any = 0;
    for (const ids of sources) {
      const id = ids[i];
      any |= id;
      h = Math.imul(h ^ id, 2246822507);
      h ^= h >>> 13;
      h = Math.imul(h, 3266489909);
      h ^= h >>> 16;
    }
    out[i] = any === 0 ? 0 : (h >>> 0) % buckets + 1;
  }
  return out;
}
function categorical(f, cardinality) {
  return { name: f.name, column: f.column, kind: "categorical", transform: f.transform, cardinality, embedding: embeddingWidth(f, cardinality) };
}
function embeddingWidth(f, cardinality) {
  return f.embedding ?? Math.max(2, Math.min(32, Math.round(2 * Math.pow(cardinality, 0.25))));
}
function fitText(f, column) {
  if (column.type !== "string") throw new UserError(`feature "${f.name}": a text feature needs a string column, "${f.column}" is ${column.type}`);
  const tokens = f.tokens;
  const length = f.length;
  const counts = occurrencesByCode(column);
  const tokensOf = dictionaryTokens(column.dictionary, tokens);
  const texts = [];
  counts.forEach((count, code) => {
    if (count > 0) texts.push([tokensOf(code), count]);
  });
  const { vocabulary, unknownTokenShare } = fitTextVocabulary(texts, f.maxVocabulary ?? 1e3, f.minCount ?? 1);
  const index = textIndex(vocabulary);
  const ids = new Int32Array(length);
  let present = 0;
  let unknown = 0;
  counts.forEach((count, code) => {
    if (count === 0) return;
    present += count;
    const { known, seen } = encodeTokens(tokensOf(code), index, ids, 0, length);
    if (seen > 0 && known === 0) unknown += count;
  });
  const cardinality = vocabulary.length + RESERVED_IDS;
  return {
    name: f.name,
    column: f.column,
    kind: "text",
    transform: "none",
    tokens,
    length,
    vocabulary,
    cardinality,
    embedding: f.embedding ?? Math.max(8, embeddingWidth(f, cardinality)),
    outOfVocabularyShare: present === 0 ? 0 : unknown / present,
    unknownTokenShare
  };
}
function fitSequence(f, column) {
  if (column.type !== "string") throw new UserError(sequenceColumnProblem(f.name, f.column, column.type));
  const counts = occurrencesByCode(column);
  const moments = new Moments();
  counts.forEach((count, code) => {
    if (count > 0) for (const x of parseSequence(column.dictionary[code])) moments.add(x, count);
  });
  const fitted = { name: f.name, column: f.column, kind: "sequence", transform: "none", length: f.length, ...moments.scale() };
  return moments.n > 0 ? { ...fitted, min: moments.min, max: moments.max } : fitted;
}
function sequenceColumnProblem(feature, column, type) {
  return `feature "${feature}": column "${column}" is ${type}, a sequence feature reads arrays or lists of numbers (strings such as "[1, 2, 3]" or "1 2 3")`;
}
function occurrencesByCode(column) {
  const counts = new Float64Array(column.dictionary.length);
  for (const code of column.codes) if (code >= 0) counts[code]++;
  return counts;
}
function fitVocabulary(column, maxSize, minCount) {
  const counts = /* @__PURE__ */ new Map();
  const n = column.type === "string" ? column.codes.length : column.values.length;
  if (column.type === "string") {
    occurrencesByCode(column).forEach((count, code) => {
      if (count > 0) counts.set(column.dictionary[code], (counts.get(column.dictionary[code]) ?? 0) + count);
    });
  } else {
    for (let i = 0; i < n; i++) {
      if (column.nulls !== null && column.nulls[i] === 1) continue;
      const key = categoryKey(column, i);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const kept = mostFrequentFirst(counts, maxSize, minCount);
  let total = 0;
  for (const c of counts.values()) total += c;
  let inVocabulary = 0;
  for (const [, c] of kept) inVocabulary += c;
  return { vocabulary: kept.map(([k]) => k), outOfVocabularyShare: total === 0 ? 0 : (total - inVocabulary) / total };
}
function categoryKey(column, i) {
  switch (column.type) {
    case "string":
      return column.dictionary[column.codes[i]];
    case "boolean":
      return column.values[i] === 1 ? "true" : "false";
    case "timestamp":
      return new Date(column.values[i]).toISOString();
    case "number":
      return String(column.values[i]);
  }
}
function fitNumeric(f, values, nulls, transform) {
  const moments = new Moments();
  for (let i = 0; i < values.length; i++) if (nulls === null || nulls[i] !== 1) moments.add(applyNumeric(values[i], transform));
  const fitted = { name: f.name, column: f.column, kind: "numeric", transform, ...moments.scale() };
  return moments.n > 0 ? { ...fitted, min: moments.min, max: moments.max } : fitted;
}
function applyNumeric(x, transform) {
  return transform === "log1p" ? Math.log1p(x) : x;
}
function featureColumnMismatch(f, column) {
  const wrong = (expects) => `feature "${f.name}": column "${f.column}" is ${column.type}, the model expects ${expects}`;
  if (f.kind === "numeric" || f.transform === "bucketize") return column.type === "number" ? null : wrong("numbers");
  if (f.kind === "text") return column.type === "string" ? null : wrong("text (strings)");
  if (f.kind === "sequence") return column.type === "string" ? null : sequenceColumnProblem(f.name, f.column, column.type);
  if (f.transform === "hourOfDay" || f.transform === "dayOfWeek") return column.type === "timestamp" ? null : wrong("a timestamp");
  return null;
}
function encodeFeatureColumn(table, f, observe, textTokens) {
  if (f.transform === "cross") throw new Error(`feature "${f.name}": crosses are encoded from other features`);
  const column = requireColumn(table, f.column, `feature "${f.name}"`);
  const mismatch = featureColumnMismatch(f, column);
  if (mismatch !== null) throw new UserError(mismatch);
  const counts = { feature: f.name, column: f.column, missing: 0, nonFinite: 0, outOfVocabulary: 0, far: 0 };
  const n = table.rowCount;
  const nulls = column.nulls;
  if (f.kind === "numeric") {
    const values = column.values;
    const out2 = new Float32Array(n);
    const { low, high } = farLimits(f);
    const { mean: mean2, std } = f;
    const log = f.transform === "log1p";
    let missing2 = 0;
    let nonFinite2 = 0;
    let far = 0;
    for (let i = 0; i < n; i++) {
      if (nulls !== null && nulls[i] === 1) {
        missing2++;
        continue;
      }
      const x = log ? Math.log1p(values[i]) : values[i];
      if (x - x !== 0) {
        nonFinite2++;
        observe?.(i, "nonFinite", x);
        continue;
      }
      if (x < low || x > high) {
        far++;
        observe?.(i, "far", x);
      }
      out2[i] = (x - mean2) / std;
    }
    Object.assign(counts, { missing: missing2, nonFinite: nonFinite2, far });
    return { values: out2, counts };
  }
  if (f.kind === "text") {
    const texts = column;
    return encodeTextColumn(f, texts, counts, textTokens ?? dictionaryTokens(texts.dictionary, f.tokens), observe);
  }
  if (f.kind === "sequence") return encodeSequenceColumn(f, column, counts, observe);
  const out = new Int32Array(n);
  let missing = 0;
  let nonFinite = 0;
  switch (f.transform) {
    case "hourOfDay":
    case "dayOfWeek": {
      const values = column.values;
      const hour = f.transform === "hourOfDay";
      const part = timePart(f.transform, f.timeZone);
      for (let i = 0; i < n; i++) {
        if (nulls !== null && nulls[i] === 1) {
          missing++;
          continue;
        }
        const t = values[i];
        if (t - t !== 0) {
          nonFinite++;
          observe?.(i, "nonFinite", t);
          continue;
        }
        out[i] = hour ? part(t) + 1 : part(t);
      }
      Object.assign(counts, { missing, nonFinite });
      return { values: out, counts };
    }
    case "bucketize": {
      const values = column.values;
      const edges = f.boundaries;
      for (let i = 0; i < n; i++) {
        if (nulls !== null && nulls[i] === 1) {
          missing++;
          continue;
        }
        const x = values[i];
        if (Number.isNaN(x)) {
          nonFinite++;
          observe?.(i, "nonFinite", x);
          continue;
        }
        out[i] = countAtMost(edges, x) + 1;
      }
      Object.assign(counts, { missing, nonFinite });
      return { values: out, counts };
    }
    default: {
      const index = vocabularyIndex(f.vocabulary ?? []);
      let outOfVocabulary = 0;
      if (column.type === "string") {
        const byCode = Int32Array.from(column.dictionary, (s) => index.get(s) ?? 0);
        const codes = column.codes;
        for (let i = 0; i < n; i++) {
          const code = codes[i];
          if (code < 0) {
            missing++;
            continue;
          }
          const id = byCode[code];
          if (id === 0) {
            outOfVocabulary++;
            observe?.(i, "outOfVocabulary", Number.NaN);
          }
          out[i] = id;
        }
      } else {
        for (let i = 0; i < n; i++) {
          if (nulls !== null && nulls[i] === 1) {
            missing++;
            continue;
          }
          const id = index.get(categoryKey(column, i)) ?? 0;
          if (id === 0) {
            outOfVocabulary++;
            observe?.(i, "outOfVocabulary", Number.NaN);
          }
          out[i] = id;
        }
      }
      Object.assign(counts, { missing, outOfVocabulary });
      return { values: out, counts };
    }
  }
}
function encodeTextColumn(f, column, counts, tokensOf, observe) {
  const { length } = f;
  const index = textIndexOf(f.vocabulary);
  const byCode = new Int32Array(column.dictionary.length * length);
  const noneKnown = column.dictionary.map((_, code) => {
    const { known, seen } = encodeTokens(tokensOf(code), index, byCode, code * length, length);
    return seen > 0 && known === 0;
  });
  const out = new Int32Array(column.codes.length * length);
  let outOfVocabulary = 0;
  const missing = copyCellsByCode(column.codes, byCode, length, out, (i, code) => {
    if (noneKnown[code] === true) {
      outOfVocabulary++;
      observe?.(i, "outOfVocabulary", Number.NaN);
    }
  });
  Object.assign(counts, { missing, outOfVocabulary });
  return { values: out, counts };
}
function encodeSequenceColumn(f, column, counts, observe) {
  const { length } = f;
  const { low, high } = farLimits(f);
  const byCode = new Float32Array(column.dictionary.length * length);
  const whole = new Uint8Array(column.dictionary.length);
  const furthest = new Float64Array(column.dictionary.length).fill(Number.NaN);
  column.dictionary.forEach((text, code) => {
    const values = parseSequence(text);
    whole[code] = encodeSequence(values, length, f.mean, f.std, byCode, code * length) ? 1 : 0;
    let distance = 0;
    for (const x of values) {
      const beyond = x < low ? low - x : x > high ? x - high : 0;
      if (beyond > distance) {
        distance = beyond;
        furthest[code] = x;
      }
    }
  });
  const out = new Float32Array(column.codes.length * length);
  let nonFinite = 0;
  let far = 0;
  const missing = copyCellsByCode(column.codes, byCode, length, out, (i, code) => {
    if (whole[code] === 0) {
      nonFinite++;
      observe?.(i, "nonFinite", Number.NaN);
    }
    if (!Number.isNaN(furthest[code])) {
      far++;
      observe?.(i, "far", furthest[code]);
    }
  });
  Object.assign(counts, { missing, nonFinite, far });
  return { values: out, counts };
}
function copyCellsByCode(codes, byCode, length, out, each) {
  let missing = 0;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (code < 0) {
      missing++;
      continue;
    }
    out.set(byCode.subarray(code * length, (code + 1) * length), i * length);
    each(i, code);
  }
  return missing;
}
function textTokenCounts(f, column, tokensOf = dictionaryTokens(column.dictionary, f.tokens), keep2 = 20) {
  const occurs = occurrencesByCode(column);
  const index = textIndexOf(f.vocabulary);
  const missing = /* @__PURE__ */ new Map();
  let tokens = 0;
  let unknown = 0;
  occurs.forEach((count, code) => {
    if (count === 0) return;
    const read = tokensOf(code).slice(-f.length);
    tokens += count * read.length;
    for (const token of read) {
      if (index.has(token)) continue;
      unknown += count;
      missing.set(token, (missing.get(token) ?? 0) + count);
    }
  });
  const top = new Map(mostFrequentFirst(missing, keep2));
  return { tokens, unknown, top };
}
var textIndexes = /* @__PURE__ */ new WeakMap();
function textIndexOf(vocabulary) {
  let index = textIndexes.get(vocabulary);
  if (index?.size !== vocabulary.length) {
    index = textIndex(vocabulary);
    textIndexes.set(vocabulary, index);
  }
  return index;
}
var vocabularyIndexes = /* @__PURE__ */ new WeakMap();
function vocabularyIndex(vocabulary) {
  let cached = vocabularyIndexes.get(vocabulary);
  if (cached?.length !== vocabulary.length) {
    cached = { length: vocabulary.length, index: new Map(vocabulary.map((v, k) => [v, k + 1])) };
    vocabularyIndexes.set(vocabulary, cached);
  }
  return cached.index;
}

// src/train/predict.ts
var CHUNK = 16384;
function batchTensors(data, rows, start, end) {
  const n = end - start;
  const order = rows.subarray(start, end);
  return data.inputs.map((column, c) => {
    const width = data.widths[c];
    return tf_exports.tensor2d(gatherRows(column, width, order), [n, width], column instanceof Int32Array ? "int32" : "float32");
  });
}
function allRows(n) {
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}
function predictRows(model2, data, rows = allRows(data.rows)) {
  const units = model2.outputs[0].shape[1] ?? 1;
  const out = new Float32Array(rows.length * units);
  for (let start = 0; start < rows.length; start += CHUNK) {
    const end = Math.min(rows.length, start + CHUNK);
    const values = tf_exports.tidy(() => {
      const prediction = model2.predict(batchTensors(data, rows, start, end), { batchSize: end - start });
      return prediction.dataSync();
    });
    out.set(values, start * units);
  }
  return unscalePredictions(out, data.labelScale);
}

// src/train/io.ts
import { mkdir, readFile } from "node:fs/promises";
import { dirname as dirname2, isAbsolute, join as join2, relative, resolve, sep as sep2 } from "node:path";
var MODEL_JSON = "model.json";
var WEIGHTS_BIN = "weights.bin";
function fsReason(error) {
  const code = error.code;
  if (code === "ENOENT") return "file not found";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  if (code === "ENOTDIR") return "a parent is not a directory";
  if (code === "ENOSPC") return "no space left on the device (ENOSPC)";
  return error instanceof Error ? error.message : String(error);
}
function weightBytes(weightData) {
  if (weightData === void 0) return new Uint8Array(0);
  const parts = Array.isArray(weightData) ? weightData : [weightData];
  return Buffer.concat(parts.map((part) => new Uint8Array(part)));
}
function fileSaveHandler(dir) {
  return {
    async save(artifacts) {
      if (artifacts.modelTopology instanceof ArrayBuffer || artifacts.modelTopology == null) {
        throw new Error("fileSaveHandler saves layers models only (JSON topology)");
      }
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? "layers-model",
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${version["tfjs-layers"]}`,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }]
      };
      if (artifacts.trainingConfig != null) modelJson.trainingConfig = artifacts.trainingConfig;
      if (artifacts.userDefinedMetadata != null) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
      const target = resolve(dir);
      let current = target;
      try {
        await mkdir(target, { recursive: true });
        current = join2(target, WEIGHTS_BIN);
        writeFileAtomic(current, weightBytes(artifacts.weightData));
        current = join2(target, MODEL_JSON);
        writeFileAtomic(current, JSON.stringify(modelJson));
      } catch (error) {
        throw new UserError(`cannot write model file ${current}: ${fsReason(error)}`, { cause: error });
      }
      return { modelArtifactsInfo: tf_exports.io.getModelArtifactsInfoForJSON(artifacts) };
    }
  };
}
function specBytes(spec) {
  const size = tf_exports.util.sizeFromShape(spec.shape);
  const quantized = spec.quantization?.dtype;
  if (quantized !== void 0) return size * (quantized === "uint8" ? 1 : 2);
  if (spec.dtype === "string") return void 0;
  return size * (spec.dtype === "complex64" ? 8 : spec.dtype === "bool" ? 1 : 4);
}
async function readModelJson(path2) {
  let text;
  try {
    text = await readFile(path2, "utf8");
  } catch (error) {
    throw new UserError(`cannot read model file ${path2}: ${fsReason(error)}`, { cause: error });
  }
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UserError(`model file ${path2} is not valid JSON: ${error.message}`, { cause: error });
  }
  const json = parsed;
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new UserError(`model file ${path2} is not a TF.js model: expected a JSON object`);
  }
  if (json.modelTopology == null || typeof json.modelTopology !== "object") {
    throw new UserError(`model file ${path2} is not a TF.js layers model: no modelTopology`);
  }
  const manifest = json.weightsManifest;
  const manifestOk = Array.isArray(manifest) && manifest.every((group) => Array.isArray(group?.paths) && Array.isArray(group?.weights));
  if (!manifestOk) {
    throw new UserError(`model file ${path2} is not a TF.js layers model: weightsManifest is missing or malformed`);
  }
  return json;
}
async function readWeights(dir, modelPath, manifest) {
  const specs = manifest.flatMap((group) => group.weights);
  const parts = [];
  for (const group of manifest) {
    for (const file of group.paths) {
      const path2 = resolve(dir, file);
      const inside = relative(dir, path2);
      if (inside === "" || inside === ".." || inside.startsWith(`..${sep2}`) || isAbsolute(inside)) {
        throw new UserError(`model file ${modelPath} refers to a weights file outside its directory: ${file}`);
      }
      try {
        parts.push(await readFile(path2));
      } catch (error) {
        throw new UserError(`cannot read weights file ${path2}: ${fsReason(error)}`, { cause: error });
      }
    }
  }
  const total = parts.reduce((sum, part) => sum + part.byteLength, 0);
  const sizes = specs.map(specBytes);
  if (sizes.every((size) => size !== void 0)) {
    const expected = sizes.reduce((a, b) => a + b, 0);
    if (expected !== total) {
      const files = manifest.flatMap((group) => group.paths).join(", ");
      throw new UserError(`weights file ${files} in ${dir} has ${total} bytes but ${modelPath} declares ${expected}`);
    }
  }
  const buffer = new ArrayBuffer(total);
  const view = new Uint8Array(buffer);
  let offset = 0;
  for (const part of parts) {
    view.set(part, offset);
    offset += part.byteLength;
  }
  return [specs, buffer];
}
function fileLoadHandler(path2) {
  const modelPath = path2.endsWith(".json") ? resolve(path2) : resolve(path2, MODEL_JSON);
  const dir = dirname2(modelPath);
  return {
    async load() {
      const json = await readModelJson(modelPath);
      return tf_exports.io.getModelArtifactsForJSON(json, (manifest) => readWeights(dir, modelPath, manifest));
    }
  };
}

// src/train/module.ts
import { existsSync as existsSync2, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL as pathToFileURL2 } from "node:url";

// src/train/model.ts
function outputUnits(prep) {
  return prep.task === "multiclass" ? prep.label.classes.length : 1;
}
function buildModel(prep, model2, seed) {
  let nextSeed = seed;
  const seeded = () => nextSeed++;
  const inputs = [];
  const parts = [];
  for (const f of prep.features) {
    const input2 = tf_exports.input({ shape: [inputWidth(f)], dtype: f.kind === "numeric" || f.kind === "sequence" ? "float32" : "int32", name: f.name });
    inputs.push(input2);
    if (f.kind === "numeric" || f.kind === "sequence") {
      parts.push(input2);
      continue;
    }
    const embedded = tf_exports.layers.embedding({
      inputDim: f.cardinality,
      outputDim: f.embedding,
      embeddingsInitializer: tf_exports.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: seeded() }),
      name: `${f.name}_embedding`
    }).apply(input2);
    const reduce = f.kind === "text" ? tf_exports.layers.globalAveragePooling1d({ name: `${f.name}_mean` }) : tf_exports.layers.flatten({ name: `${f.name}_flat` });
    parts.push(reduce.apply(embedded));
  }
  let x = parts.length === 1 ? parts[0] : tf_exports.layers.concatenate({ name: "features" }).apply(parts);
  model2.hidden.forEach((units, i) => {
    x = tf_exports.layers.dense({ units, activation: model2.activation, kernelInitializer: tf_exports.initializers.glorotUniform({ seed: seeded() }), name: `hidden_${i + 1}` }).apply(x);
    if (model2.dropout > 0) x = tf_exports.layers.dropout({ rate: model2.dropout, seed: seeded(), name: `dropout_${i + 1}` }).apply(x);
  });
  const output = tf_exports.layers.dense({
    units: outputUnits(prep),
    activation: headActivation(prep.task),
    kernelInitializer: tf_exports.initializers.glorotUniform({ seed: seeded() }),
    name: "output"
  }).apply(x);
  return tf_exports.model({ inputs, outputs: output, name: "ct_model" });
}
function headActivation(task) {
  return task === "binary" ? "sigmoid" : task === "multiclass" ? "softmax" : "linear";
}
function lossFor(task) {
  return task === "binary" ? "binaryCrossentropy" : task === "multiclass" ? "sparseCategoricalCrossentropy" : "meanSquaredError";
}
function classWeights(training, task, labels, classNames) {
  const spec = training.classWeight;
  if (spec === void 0) return null;
  if (task === "regression") throw new UserError("training.classWeight: class weights apply to classification tasks only");
  const k = classNames.length;
  if (spec === "balanced") {
    const counts = new Float64Array(k);
    for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
    return Array.from(counts, (c) => c === 0 ? 1 : labels.length / (k * c));
  }
  for (const key of Object.keys(spec)) {
    if (!classNames.includes(key)) throw new UserError(`training.classWeight: "${key}" is not a class (classes: ${classNames.join(", ")})`);
  }
  return classNames.map((name) => spec[name] ?? 1);
}
function compileModel(model2, task, training, weights = null) {
  const optimizer = training.optimizer === "sgd" ? tf_exports.train.sgd(training.learningRate) : training.optimizer === "rmsprop" ? tf_exports.train.rmsprop(training.learningRate) : tf_exports.train.adam(training.learningRate);
  model2.compile({ optimizer, loss: weights === null ? lossFor(task) : weightedLoss(task, weights) });
}
function candidateModel(prep, config, labels, built) {
  const { training } = config;
  const model2 = built ?? buildModel(prep, config.model, training.seed);
  const classNames = config.task === "binary" ? ["0", "1"] : prep.label.classes ?? [];
  const weights = classWeights(training, config.task, labels, classNames);
  compileModel(model2, config.task, training, weights);
  return { model: model2, classNames, weights };
}
function weightedLoss(task, weights) {
  const w = tf_exports.keep(tf_exports.tensor1d(weights));
  return (yTrue, yPred) => tf_exports.tidy(() => {
    const classes = tf_exports.cast(task === "multiclass" ? tf_exports.argMax(yTrue, -1) : tf_exports.reshape(yTrue, [-1]), "int32");
    const perRow = task === "binary" ? tf_exports.metrics.binaryCrossentropy(yTrue, yPred) : tf_exports.metrics.categoricalCrossentropy(tf_exports.oneHot(classes, weights.length), yPred);
    return tf_exports.mean(tf_exports.mul(tf_exports.reshape(perRow, [-1]), tf_exports.gather(w, classes)));
  });
}

// src/train/module.ts
function configuredModule(config, baseDir) {
  return config.model.module === void 0 ? null : path.resolve(baseDir, config.model.module);
}
function configuredTopology(config, baseDir) {
  if (config.model.topology !== void 0 && config.model.module !== void 0) {
    throw new UserError("model.module and model.topology: name one (a module builds the network in code, a topology file describes it)");
  }
  return config.model.topology === void 0 ? null : path.resolve(baseDir, config.model.topology);
}
async function teamNetwork(config, baseDir, display) {
  const topology = configuredTopology(config, baseDir);
  if (topology !== null) {
    return { module: null, lineage: { topology: { path: display(topology), sha256: sha256File(topology) } }, build: (spec) => topologyModel(topology, spec) };
  }
  const file = configuredModule(config, baseDir);
  if (file === null) return null;
  const code = await importModelModule(file, "model.module");
  return { module: file, lineage: { module: { path: display(file), sha256: sha256File(file) } }, build: async (spec) => buildModuleModel(code, spec, file) };
}
async function importModelModule(file, what) {
  if (!existsSync2(file)) throw new UserError(`${what}: ${file} does not exist`);
  let loaded;
  try {
    loaded = await import(`${pathToFileURL2(file).href}?${sha256File(file).slice(7, 23)}`);
  } catch (error) {
    throw new UserError(`${what}: ${file} cannot be imported: ${firstLine(error)}`, { cause: error });
  }
  const buildModel2 = loaded.buildModel ?? loaded.default;
  if (typeof buildModel2 !== "function") throw new UserError(`${what}: ${file} exports no buildModel(spec) function (a named or the default export)`);
  const registerLayers = loaded.registerLayers;
  if (registerLayers !== void 0 && typeof registerLayers !== "function") throw new UserError(`${what}: ${file}: registerLayers is not a function`);
  try {
    registerLayers?.(tf_exports);
  } catch (error) {
    throw new UserError(`${what}: ${file}: registerLayers(tf) threw: ${firstLine(error)}`, { cause: error });
  }
  return { buildModel: buildModel2, ...registerLayers === void 0 ? {} : { registerLayers } };
}
async function registerSavedModule(dir, role) {
  const file = path.join(dir, MODULE_FILE);
  if (existsSync2(file)) await importModelModule(file, `${role}: its model module`);
}
function modelSpec(prep, config) {
  return {
    tf: tf_exports,
    task: prep.task,
    inputs: prep.features.map(
      (f) => f.kind === "numeric" || f.kind === "sequence" ? { name: f.name, kind: f.kind, dtype: "float32", length: inputWidth(f) } : { name: f.name, kind: f.kind, dtype: "int32", length: inputWidth(f), vocabulary: f.cardinality, embedding: f.embedding }
    ),
    output: { units: outputUnits(prep), activation: headActivation(prep.task) },
    model: { hidden: config.model.hidden, activation: config.model.activation, dropout: config.model.dropout },
    seed: config.training.seed
  };
}
function buildModuleModel(module, spec, file) {
  let model2;
  try {
    model2 = module.buildModel(spec);
  } catch (error) {
    throw new UserError(`model.module: ${file}: buildModel threw: ${firstLine(error)}`, { cause: error });
  }
  if (!(model2 instanceof tf_exports.LayersModel)) {
    throw new UserError(`model.module: ${file}: buildModel returned ${describe(model2)}, not a tf.LayersModel (build it with spec.tf, ct's TF.js)`);
  }
  return fitting(model2, spec, `model.module: ${file}`);
}
async function topologyModel(file, spec) {
  const what = `model.topology: ${file}`;
  if (!existsSync2(file)) throw new UserError(`${what} does not exist`);
  let json;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new UserError(`${what} is not JSON (${firstLine(error)})`);
  }
  const topology = isRecord(json) && "modelTopology" in json ? json.modelTopology : json;
  if (!isRecord(topology) || typeof topology.class_name !== "string") {
    throw new UserError(`${what} holds no model topology (a model.json as TF.js saves it, with "modelTopology", or the topology itself)`);
  }
  let model2;
  try {
    model2 = await tf_exports.models.modelFromJSON({ modelTopology: topology });
  } catch (error) {
    throw new UserError(`${what} cannot be built: ${firstLine(error)}`, { cause: error });
  }
  return fitting(model2, spec, what);
}
function fitting(model2, spec, what) {
  const problem = shapeProblem(model2, spec);
  if (problem !== null) {
    model2.dispose();
    throw new UserError(`${what}: ${problem}`);
  }
  return model2;
}
var isRecord = (value) => typeof value === "object" && value !== null && !Array.isArray(value);
function shapeProblem(model2, spec) {
  if (model2.inputs.length !== spec.inputs.length) {
    return `the model has ${model2.inputs.length} inputs; ct feeds ${spec.inputs.length}, one per feature in spec.inputs order (${spec.inputs.map((i) => i.name).join(", ")})`;
  }
  for (const [i, input2] of model2.inputs.entries()) {
    const want = spec.inputs[i];
    if (input2.shape.length !== 2 || input2.shape[1] !== want.length)
      return `input ${i + 1} (${want.name}) has shape ${shapeText(input2.shape)}; ct feeds [batch, ${want.length}]`;
    if (input2.dtype !== want.dtype) return `input ${i + 1} (${want.name}) is ${input2.dtype}; ct feeds ${want.dtype}`;
    const rows = embeddingRows(model2, i);
    if (want.vocabulary !== void 0 && rows !== null && rows < want.vocabulary) {
      return `input ${i + 1} (${want.name}) feeds an embedding of ${rows} rows; its ids go up to ${want.vocabulary - 1} (spec.inputs[${i}].vocabulary is ${want.vocabulary})`;
    }
  }
  if (model2.outputs.length !== 1) return `the model has ${model2.outputs.length} outputs; ct trains one`;
  const shape = model2.outputs[0].shape;
  if (shape.length !== 2 || shape[1] !== spec.output.units) {
    return `the output has shape ${shapeText(shape)}; a ${spec.task} model gives [batch, ${spec.output.units}] (spec.output)`;
  }
  return null;
}
function embeddingRows(model2, index) {
  const input2 = model2.inputLayers[index];
  let rows = null;
  for (const layer of model2.layers) {
    if (layer.getClassName() !== "Embedding" || !layer.inboundNodes.some((node) => node.inboundLayers.includes(input2))) continue;
    const dim = layer.getConfig().inputDim;
    rows = rows === null ? dim : Math.min(rows, dim);
  }
  return rows;
}
var shapeText = (shape) => `[${shape.map((d) => d ?? "batch").join(", ")}]`;
function describe(value) {
  if (value === null || value === void 0) return String(value);
  if (typeof value === "object") return `an object (${value.constructor?.name ?? "Object"})`;
  return typeof value;
}
function firstLine(error) {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}

export {
  nativePackage,
  selectBackend,
  unscalePredictions,
  labelColumnValues,
  countBelow,
  countAtMost,
  mostFrequentFirst,
  dictionaryTokens,
  FAR_Z,
  utcHourOfDay,
  timePart,
  fitPreprocessing,
  encodeTable,
  farLimits,
  gatherRows,
  labelledRows,
  featureColumnMismatch,
  encodeFeatureColumn,
  textTokenCounts,
  batchTensors,
  allRows,
  predictRows,
  headActivation,
  candidateModel,
  fileSaveHandler,
  fileLoadHandler,
  configuredModule,
  teamNetwork,
  registerSavedModule,
  modelSpec
};
