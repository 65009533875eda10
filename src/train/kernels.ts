/**
 * Fast kernels that TF.js lacks or implements slowly on the JS-side backends.
 *
 * The gradient of `tf.layers.embedding` (a `GatherV2`) is an `UnsortedSegmentSum`
 * over the batch's ids. The `wasm` backend has no such kernel, so embedding models
 * cannot train on it at all; the `cpu` backend has one that loops over *every*
 * segment with a mask, multiply and sum (O(numSegments x batch x dim) plus a dozen
 * intermediate tensors per segment). With about 230 airports that single kernel took
 * ~470 ms of a ~530 ms training step of the reference model.
 *
 * The replacement is a plain scatter-add, O(batch x dim), one pass, no intermediates.
 * It keeps TF.js's semantics, not TF's CPU kernel's: ids outside `[0, numSegments)`
 * (negative or too large) are dropped instead of raising. One difference: int32 input
 * gives int32 output (as in TF and tfjs-node), where TF.js's cpu kernel gives float32.
 *
 * With that fixed, profiling one step on `cpu` showed the next two: `BatchMatMul`
 * (the dense layers, forward and backward) and `SplitV` (the gradient of the
 * `concatenate` layer); both are replaced on `cpu` too. `wasm` has native ones.
 *
 * On `wasm`, inference spent most of its time in `GatherV2` (the embedding lookup): TF.js's
 * kernel copies element by element through index arithmetic, 17 ms for 16,384 rows of a
 * [400, 16] table; ct's copies whole rows.
 *
 * Each replacement handles the common case and hands anything else (other dtypes,
 * shapes outside the op's contract) to the kernel TF.js registered before it.
 */
import * as tf from '../tf.js';

/** Kernel names this module may replace. */
export const FAST_KERNEL_NAMES = ['UnsortedSegmentSum', 'SplitV', 'BatchMatMul', 'GatherV2'] as const;
/** One of {@link FAST_KERNEL_NAMES}. */
export type FastKernelName = (typeof FAST_KERNEL_NAMES)[number];

/** Typed arrays a numeric tensor can be backed by. */
type NumericArray = Float32Array | Int32Array | Uint8Array;

/**
 * What the `cpu` backend (MathBackendCPU) offers to kernels. Only these members are
 * used; declaring them structurally keeps the kernels off the backend's internal types
 * (ct imports `@tensorflow/tfjs-backend-cpu` only to register it, in tf.ts).
 */
interface CpuBackendLike {
  data: { get(dataId: tf.DataId): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: NumericArray): tf.TensorInfo;
}

/**
 * What the `wasm` backend (BackendWasm) offers to JS kernels. `makeOutput` allocates
 * on the WASM heap; `typedArrayFromHeap` is a view on a tensor's heap memory.
 */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): NumericArray;
}

/** The kernel configs that were registered before ours, to restore them. */
const originals = new Map<string, tf.KernelConfig | null>();
/** Our kernel functions, to recognise them (registration is idempotent). */
const ours = new Set<tf.KernelFunc>();

/**
 * Adds every row `i` of `x` (viewed as `[ids.length, inner]`) into row `ids[i]` of
 * `out` (viewed as `[numSegments, inner]`). `out` must be zeroed by the caller.
 * Ids outside `[0, numSegments)` are skipped, as in TF.js's reference kernel.
 */
export function scatterAdd(x: ArrayLike<number>, ids: ArrayLike<number>, numSegments: number, inner: number, out: NumericArray): void {
  const n = ids.length;
  for (let i = 0; i < n; i++) {
    const segment = ids[i] as number;
    // `!(a >= 0)` also rejects NaN ids from a float tensor passed by mistake.
    if (!(segment >= 0) || segment >= numSegments) continue;
    const src = i * inner;
    const dst = segment * inner;
    // Hot loop: the indices are in range by construction, so no undefined checks.
    for (let j = 0; j < inner; j++) out[dst + j]! += x[src + j]!;
  }
}

/**
 * The output shape and row width, or undefined for inputs outside the op's documented
 * contract (`segmentIds` a Tensor1D with one id per row of `x`). TF.js's reference
 * kernel gives such inputs a shape of its own (not TF's), so they are left to it.
 */
function segmentGeometry(x: tf.TensorInfo, segmentIds: tf.TensorInfo, numSegments: number): { outShape: number[]; inner: number } | undefined {
  if (segmentIds.shape.length !== 1 || x.shape.length < 1 || segmentIds.shape[0] !== x.shape[0]) return undefined;
  if (!Number.isInteger(numSegments) || numSegments < 0) return undefined;
  const innerShape = x.shape.slice(1);
  return { outShape: [numSegments, ...innerShape], inner: tf.util.sizeFromShape(innerShape) };
}

/** Reads the kernel's inputs and attributes, with the checks every backend needs. */
function kernelArgs(params: Parameters<tf.KernelFunc>[0]): {
  x: tf.TensorInfo;
  segmentIds: tf.TensorInfo;
  numSegments: number;
} {
  const { x, segmentIds } = params.inputs;
  const numSegments = params.attrs?.['numSegments'];
  if (x === undefined || segmentIds === undefined || typeof numSegments !== 'number') {
    throw new Error('UnsortedSegmentSum: expected inputs x, segmentIds and attribute numSegments');
  }
  return { x, segmentIds, numSegments };
}

/** True for the dtypes the scatter-add handles; others go to the original kernel. */
function isNumeric(dtype: tf.DataType): dtype is 'float32' | 'int32' {
  return dtype === 'float32' || dtype === 'int32';
}

/** A zeroed array of `size` elements for `dtype` (bool tensors are Uint8Array). */
function newArray(dtype: 'float32' | 'int32' | 'bool', size: number): NumericArray {
  if (dtype === 'float32') return new Float32Array(size);
  return dtype === 'int32' ? new Int32Array(size) : new Uint8Array(size);
}

/** Runs the kernel TF.js had registered before ours, for inputs ours does not handle. */
function callOriginal(kernelName: string, backendName: string, params: Parameters<tf.KernelFunc>[0]) {
  const original = originals.get(`${kernelName}/${backendName}`);
  if (!original) throw new Error(`${kernelName}: these inputs are not supported on backend ${backendName}`);
  return original.kernelFunc(params);
}

/** Scatter-add UnsortedSegmentSum for the pure-JS `cpu` backend. */
const cpuUnsortedSegmentSum: tf.KernelFunc = (params) => {
  const { x, segmentIds, numSegments } = kernelArgs(params);
  const geometry = segmentGeometry(x, segmentIds, numSegments);
  // complex64 keeps its values elsewhere; rare dtypes and shapes go to the reference kernel.
  if (!isNumeric(x.dtype) || geometry === undefined) return callOriginal('UnsortedSegmentSum', 'cpu', params);
  const { outShape, inner } = geometry;
  const backend = params.backend as CpuBackendLike;
  const xValues = backend.data.get(x.dataId).values as NumericArray;
  const ids = backend.data.get(segmentIds.dataId).values as NumericArray;
  const out = newArray(x.dtype, numSegments * inner);
  scatterAdd(xValues, ids, numSegments, inner, out);
  return backend.makeTensorInfo(outShape, x.dtype, out);
};

/** Scatter-add UnsortedSegmentSum for the `wasm` backend, written in JS on its heap. */
const wasmUnsortedSegmentSum: tf.KernelFunc = (params) => {
  const { x, segmentIds, numSegments } = kernelArgs(params);
  const geometry = segmentGeometry(x, segmentIds, numSegments);
  if (!isNumeric(x.dtype) || geometry === undefined) {
    throw new Error(
      `UnsortedSegmentSum on wasm: needs float32 or int32 x [n, ...] and int32 segmentIds [n], ` +
        `got ${x.dtype} [${x.shape.join(',')}] and [${segmentIds.shape.join(',')}]`,
    );
  }
  const { outShape, inner } = geometry;
  const backend = params.backend as WasmBackendLike;
  // Allocate first: malloc may grow the WASM memory, which detaches every view made
  // before it. So the input views are taken only after the output exists.
  const result = backend.makeOutput(outShape, x.dtype);
  const out = backend.typedArrayFromHeap(result);
  out.fill(0); // malloc'd memory is not zeroed
  const xValues = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  scatterAdd(xValues, ids, numSegments, inner, out);
  return result;
};

/**
 * GatherV2 along axis 0 (an embedding lookup) for the `wasm` backend: one row copy per
 * index on its heap. Ids out of range throw as TF.js's kernel does; other axes, batch
 * dimensions and dtypes go to TF.js's kernel.
 */
const wasmGatherV2: tf.KernelFunc = (params) => {
  const { x, indices } = params.inputs;
  const attrs = params.attrs ?? {};
  const axis = x === undefined ? -1 : tf.util.parseAxisParam(attrs['axis'] as number, x.shape)[0];
  if (x === undefined || indices === undefined || axis !== 0 || (attrs['batchDims'] ?? 0) !== 0 || !isNumeric(x.dtype) || indices.dtype !== 'int32') {
    return callOriginal('GatherV2', 'wasm', params);
  }
  const backend = params.backend as WasmBackendLike;
  const rows = x.shape[0]!;
  const inner = tf.util.sizeFromShape(x.shape.slice(1));
  // Allocate first: malloc may grow the heap and detach views taken before it.
  const result = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
  const out = backend.typedArrayFromHeap(result);
  const table = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(indices);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (!(id >= 0 && id < rows)) throw new Error(`GatherV2: the index value ${id} is not in [0, ${rows - 1}]`);
    const from = id * inner;
    const to = i * inner;
    for (let j = 0; j < inner; j++) out[to + j] = table[from + j]!;
  }
  return result;
};

/**
 * SplitV for the `cpu` backend. TF.js's runs one `Slice` per piece, and a slice that
 * is not contiguous (any split along an inner axis, e.g. the gradient of the
 * `concatenate` layer that joins the embeddings) reads element by element through a
 * TensorBuffer: 15 ms per step for a [512, 45] input. Here each piece is copied as
 * `outer` contiguous runs.
 */
const cpuSplitV: tf.KernelFunc = (params) => {
  const { x } = params.inputs;
  if (x === undefined || !(isNumeric(x.dtype) || x.dtype === 'bool')) return callOriginal('SplitV', 'cpu', params);
  const attrs = params.attrs ?? {};
  const axis = tf.util.parseAxisParam(attrs['axis'] as number | number[], x.shape)[0] ?? 0;
  const sizes = tf.backend_util.prepareSplitSize(x, attrs['numOrSizeSplits'] as number | number[], axis);
  const backend = params.backend as CpuBackendLike;
  const values = backend.data.get(x.dataId).values as NumericArray;
  const outer = tf.util.sizeFromShape(x.shape.slice(0, axis));
  const inner = tf.util.sizeFromShape(x.shape.slice(axis + 1));
  const axisLength = x.shape[axis] ?? 0;
  let begin = 0;
  return sizes.map((size) => {
    const out = newArray(x.dtype as 'float32' | 'int32' | 'bool', outer * size * inner);
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

/**
 * The `rows x cols` matrix at `offset` of `src` as a row-major array: a view when
 * `src` holds it row-major already, a transposed copy when `src` holds `cols x rows`.
 */
function rowMajor(src: Float32Array, offset: number, rows: number, cols: number, transposed: boolean): Float32Array {
  if (!transposed) return src.subarray(offset, offset + rows * cols);
  const out = new Float32Array(rows * cols);
  for (let c = 0; c < cols; c++) {
    const from = offset + c * rows;
    for (let r = 0; r < rows; r++) out[r * cols + c] = src[from + r]!;
  }
  return out;
}

/** `sum_p a[aRow + p] * b[bRow + p]` for `p < k`, in float64. */
function dot(a: Float32Array, aRow: number, b: Float32Array, bRow: number, k: number): number {
  let sum = 0;
  for (let p = 0; p < k; p++) sum += a[aRow + p]! * b[bRow + p]!;
  return sum;
}

/**
 * `out[i, j] = sum_p a[i, p] * bT[j, p]` for row-major `a` (m x k) and `bT` (n x k),
 * i.e. `a` times the transpose of `bT`. Both operands are read with unit stride, and
 * 4 x 4 output tiles are accumulated in 16 local variables, so each loaded value is
 * used four times: about 3.5x the throughput of TF.js's reference loop in V8.
 * Accumulates in float64, like the reference, and rounds once when storing.
 */
export function matMulTransposedB(a: Float32Array, bT: Float32Array, m: number, k: number, n: number, out: Float32Array, outOffset = 0): void {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
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
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0,
        c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      for (let p = 0; p < k; p++) {
        const x0 = a[a0 + p]!,
          x1 = a[a1 + p]!,
          x2 = a[a2 + p]!,
          x3 = a[a3 + p]!;
        const y0 = bT[b0 + p]!,
          y1 = bT[b1 + p]!,
          y2 = bT[b2 + p]!,
          y3 = bT[b3 + p]!;
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
    // Columns left over when n is not a multiple of 4.
    for (let r = i; r < i + 4; r++) {
      for (let j = n4; j < n; j++) out[outOffset + r * n + j] = dot(a, r * k, bT, j * k, k);
    }
  }
  // Rows left over when m is not a multiple of 4.
  for (let r = m4; r < m; r++) {
    for (let j = 0; j < n; j++) out[outOffset + r * n + j] = dot(a, r * k, bT, j * k, k);
  }
}

/**
 * BatchMatMul for the `cpu` backend, for float32 and batch dimensions that are equal
 * or 1 (what dense layers and their gradients produce); anything else goes to the
 * reference kernel. The reference walks the transposed operand with a large stride
 * in its innermost loop, which is what the `x^T dy` and `dy W^T` gradient products do.
 */
const cpuBatchMatMul: tf.KernelFunc = (params) => {
  const { a, b } = params.inputs;
  const transposeA = params.attrs?.['transposeA'] === true;
  const transposeB = params.attrs?.['transposeB'] === true;
  if (a === undefined || b === undefined || a.dtype !== 'float32' || b.dtype !== 'float32') {
    return callOriginal('BatchMatMul', 'cpu', params);
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
  const aBatch = tf.util.sizeFromShape(aBatchShape);
  const bBatch = tf.util.sizeFromShape(bBatchShape);
  const sameBatch = aBatchShape.length === bBatchShape.length && aBatchShape.every((d, i) => d === bBatchShape[i]);
  if (k !== kB || aRank < 2 || bRank < 2 || !(sameBatch || aBatch === 1 || bBatch === 1)) {
    // Shape errors and general broadcasting keep the reference kernel's messages and rules.
    return callOriginal('BatchMatMul', 'cpu', params);
  }
  if (m < 4 || n < 4) {
    // Too thin for 4 x 4 tiles (e.g. the gradient of a 1-unit output layer): rearranging
    // the operands would cost more than the reference kernel spends.
    return callOriginal('BatchMatMul', 'cpu', params);
  }
  const backend = params.backend as CpuBackendLike;
  const aValues = backend.data.get(a.dataId).values as Float32Array;
  const bValues = backend.data.get(b.dataId).values as Float32Array;
  const batch = Math.max(aBatch, bBatch);
  const outBatchShape = tf.broadcast_util.assertAndGetBroadcastShape(aBatchShape, bBatchShape);
  const out = new Float32Array(batch * m * n);
  let bT: Float32Array | undefined;
  for (let bi = 0; bi < batch; bi++) {
    // op(a) as m x k row-major; op(b) transposed, as n x k row-major (b with
    // transposeB set is that already): then both are read along k with unit stride.
    const aMatrix = rowMajor(aValues, (aBatch === 1 ? 0 : bi) * m * k, m, k, transposeA);
    // A broadcast right operand (the usual weight matrix) is rearranged once.
    if (bT === undefined || bBatch !== 1) {
      bT = rowMajor(bValues, (bBatch === 1 ? 0 : bi) * k * n, n, k, !transposeB);
    }
    matMulTransposedB(aMatrix, bT, m, k, n, out, bi * m * n);
  }
  return backend.makeTensorInfo([...outBatchShape, m, n], 'float32', out);
};

/**
 * BatchMatMul for the `wasm` backend: TF.js's wasm kernel sends only untransposed
 * products to XNNPACK and runs transposed ones (every dense layer's gradient:
 * `x^T dy`, `dy W^T`) in a plain loop about 5x slower. Transposing the operand with
 * the wasm Transpose kernel first, then multiplying untransposed, is the same product
 * on the fast path.
 */
const wasmBatchMatMul: tf.KernelFunc = (params) => {
  const transposeA = params.attrs?.['transposeA'] === true;
  const transposeB = params.attrs?.['transposeB'] === true;
  const { a, b } = params.inputs;
  if ((!transposeA && !transposeB) || a === undefined || b === undefined || a.dtype !== 'float32' || b.dtype !== 'float32') {
    return callOriginal('BatchMatMul', 'wasm', params);
  }
  const backend = params.backend as WasmBackendLike & { disposeData(dataId: tf.DataId): boolean };
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (transpose === undefined) return callOriginal('BatchMatMul', 'wasm', params);
  const swapLast = (x: tf.TensorInfo): tf.TensorInfo => {
    const perm = x.shape.map((_, i) => i);
    [perm[perm.length - 1], perm[perm.length - 2]] = [perm[perm.length - 2]!, perm[perm.length - 1]!];
    return transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } }) as tf.TensorInfo;
  };
  const a2 = transposeA ? swapLast(a) : a;
  const b2 = transposeB ? swapLast(b) : b;
  try {
    return callOriginal('BatchMatMul', 'wasm', { ...params, inputs: { a: a2, b: b2 }, attrs: { ...params.attrs, transposeA: false, transposeB: false } });
  } finally {
    if (a2 !== a) backend.disposeData(a2.dataId);
    if (b2 !== b) backend.disposeData(b2.dataId);
  }
};

/** Our kernels by backend and kernel name. */
const implementations: Record<string, Partial<Record<FastKernelName, tf.KernelFunc>>> = {
  cpu: { UnsortedSegmentSum: cpuUnsortedSegmentSum, SplitV: cpuSplitV, BatchMatMul: cpuBatchMatMul },
  wasm: { UnsortedSegmentSum: wasmUnsortedSegmentSum, BatchMatMul: wasmBatchMatMul, GatherV2: wasmGatherV2 },
};
for (const byKernel of Object.values(implementations)) {
  for (const f of Object.values(byKernel)) ours.add(f);
}

/**
 * Registers the fast kernels this module has for `backendName`, replacing the ones
 * TF.js registered. Other backends (`tensorflow`, `webgl`) are left alone: their
 * kernels are native. Idempotent.
 *
 * @param backendName A TF.js backend name, e.g. `tf.getBackend()`.
 * @returns The names of the kernels that are ours on that backend after the call.
 */
export function registerFastKernels(backendName: string): string[] {
  const byKernel = implementations[backendName] ?? {};
  const registered: string[] = [];
  for (const [kernelName, kernelFunc] of Object.entries(byKernel)) {
    const key = `${kernelName}/${backendName}`;
    const current = tf.getKernel(kernelName, backendName) as tf.KernelConfig | undefined;
    if (current && ours.has(current.kernelFunc)) {
      registered.push(kernelName);
      continue;
    }
    if (!originals.has(key)) originals.set(key, current ?? null);
    // registerKernel refuses (with a warning) to overwrite, so remove the old one first.
    if (current) tf.unregisterKernel(kernelName, backendName);
    tf.registerKernel({ kernelName, backendName, kernelFunc });
    registered.push(kernelName);
  }
  return registered;
}

/**
 * Puts back the kernels TF.js had before `registerFastKernels(backendName)`: for
 * measurements and for tests that compare against the reference implementation.
 */
export function unregisterFastKernels(backendName: string): void {
  for (const kernelName of FAST_KERNEL_NAMES) {
    const key = `${kernelName}/${backendName}`;
    const current = tf.getKernel(kernelName, backendName) as tf.KernelConfig | undefined;
    if (!current || !ours.has(current.kernelFunc)) continue;
    tf.unregisterKernel(kernelName, backendName);
    const original = originals.get(key);
    if (original) tf.registerKernel(original);
  }
}

/** True when `kernelName` on `backendName` is currently one of this module's kernels. */
export function isFastKernelRegistered(kernelName: string, backendName: string): boolean {
  const current = tf.getKernel(kernelName, backendName) as tf.KernelConfig | undefined;
  return current !== undefined && ours.has(current.kernelFunc);
}
