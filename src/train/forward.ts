/**
 * A forward pass of a model in ct's family (embeddings and numbers, concatenated, then a
 * dense stack) on the fused training step's WebAssembly SIMD kernels, for the few rows of a
 * served request. TF.js spends most of a small predict() on dispatch (about 0.6 ms a call,
 * for 1 row or 64); this runs the same float32 arithmetic on the model's weights, copied
 * once into the pass's own memory, in microseconds. A compiled pass belongs to one loaded
 * version, and is not shared between threads.
 */
import type * as tf from '../tf.js';
import type { Task } from '../config/types.js';
import { unscalePredictions } from '../features/label.js';
import type { EncodedData } from '../features/preprocessing.js';
import { fusedUnavailableReason, instantiateKernels, type Kernels, kernelModule, sharedMemory } from './fused/kernels.js';
import { ACTIVATIONS, Arena, type ModelShape, RESERVED } from './fused/layout.js';
import { modelShape } from './fused/trainer.js';

/** Predictions for every row of `data`, as `predictRows` gives them. */
export type ForwardPass = (data: EncodedData) => Float32Array;

/** Rows computed at once; a larger request goes through in chunks of this many. */
const CHUNK_ROWS = 256;

const ceil4 = (n: number): number => Math.ceil(n / 4) * 4;

/** Byte offsets of everything in the pass's memory. */
interface Plan {
  bytes: number;
  order: number;
  columns: number[];
  tables: Array<number | null>;
  /** The first layer's input, `width` floats a row, and where each input goes in it. */
  x: number;
  width: number;
  offsets: number[];
  dense: Array<{ kernel: number; bias: number; k: number; m: number; units: number; activation: number; y: number }>;
}

function plan(shape: ModelShape): Plan {
  const arena = new Arena(RESERVED);
  const take = (bytes: number): number => arena.take(bytes);
  const order = take(CHUNK_ROWS * 4);
  const columns = shape.inputs.map(() => take(CHUNK_ROWS * 4));
  const tables = shape.inputs.map((input) => (input.kind === 'embedding' ? take(input.vocabulary * input.dim * 4) : null));
  const widths = shape.inputs.map((input) => (input.kind === 'embedding' ? input.dim : 1));
  const offsets = new Array<number>(shape.inputs.length);
  let width = 0;
  for (const index of shape.concatOrder) {
    offsets[index] = width;
    width += widths[index]!;
  }
  const x = take(CHUNK_ROWS * width * 4);
  let k = width;
  const dense = shape.dense.map((layer) => {
    const m = ceil4(layer.units);
    const placed = {
      kernel: take(k * m * 4),
      bias: take(m * 4),
      k,
      m,
      units: layer.units,
      activation: ACTIVATIONS[layer.activation],
      y: take(CHUNK_ROWS * m * 4),
    };
    k = m;
    return placed;
  });
  return { bytes: arena.end, order, columns, tables, x, width, offsets, dense };
}

/**
 * The forward pass of `model`, or null when its structure is one the kernels do not
 * compute, or this runtime cannot run them (the caller then uses TF.js).
 */
export function compileForward(model: tf.LayersModel, task: Task): ForwardPass | null {
  const shape = modelShape(model, task);
  if (typeof shape === 'string' || fusedUnavailableReason() !== null) return null;
  const p = plan(shape);
  const memory = sharedMemory(p.bytes);
  const k: Kernels = instantiateKernels(kernelModule(), memory);
  const floats = new Float32Array(memory.buffer);
  const ints = new Int32Array(memory.buffer);
  for (let i = 0; i < CHUNK_ROWS; i++) ints[p.order / 4 + i] = i;
  const weightsOf = (layer: string): Float32Array[] =>
    model
      .getLayer(layer)
      .getWeights()
      .map((w) => w.dataSync() as Float32Array);
  shape.inputs.forEach((input, i) => {
    if (input.kind === 'embedding') floats.set(weightsOf(input.layer)[0]!, p.tables[i]! / 4);
  });
  shape.dense.forEach((layer, l) => {
    const d = p.dense[l]!;
    const [kernel, bias] = weightsOf(layer.layer);
    // Row-major [k, units] into [k, m]: the padding columns stay zero, as do the padded rows of the next layer.
    const rows = kernel!.length / d.units;
    for (let r = 0; r < rows; r++) floats.set(kernel!.subarray(r * d.units, (r + 1) * d.units), d.kernel / 4 + r * d.m);
    floats.set(bias!, d.bias / 4);
  });
  const last = p.dense.at(-1)!;
  return (data) => {
    const out = new Float32Array(data.rows * last.units);
    for (let start = 0; start < data.rows; start += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, data.rows - start);
      shape.inputs.forEach((input, i) => {
        const column = data.inputs[i]!.subarray(start, start + n);
        if (input.kind === 'embedding') {
          for (let r = 0; r < n; r++) {
            const id = column[r]!;
            if (!(id >= 0 && id < input.vocabulary)) throw new Error(`input ${i}: category index ${id} is outside the embedding's ${input.vocabulary} rows`);
          }
          ints.set(column, p.columns[i]! / 4);
          k.gatherEmbedding(p.order, n, p.columns[i]!, p.tables[i]!, input.dim, p.x, p.width, p.offsets[i]!);
        } else {
          floats.set(column, p.columns[i]! / 4);
          k.gatherNumeric(p.order, n, p.columns[i]!, p.x, p.width, p.offsets[i]!);
        }
      });
      let x = p.x;
      for (const d of p.dense) {
        k.matmul(x, n, d.k, d.kernel, d.m, d.bias, d.y);
        if (d.activation !== ACTIVATIONS.linear) k.activate(d.activation, d.y, d.y, n * d.m);
        x = d.y;
      }
      for (let r = 0; r < n; r++) head(shape.head, floats, last.y / 4 + r * last.m, last.units, out, (start + r) * last.units);
    }
    return unscalePredictions(out, data.labelScale);
  };
}

/** The head's activation of the `units` logits at `z[from]`, written to `out[at]`. */
function head(kind: ModelShape['head'], z: Float32Array, from: number, units: number, out: Float32Array, at: number): void {
  if (kind === 'binary') out[at] = 1 / (1 + Math.exp(-z[from]!));
  else if (kind === 'squared') for (let j = 0; j < units; j++) out[at + j] = z[from + j]!;
  else {
    let max = -Infinity;
    for (let j = 0; j < units; j++) max = Math.max(max, z[from + j]!);
    let sum = 0;
    for (let j = 0; j < units; j++) sum += Math.exp(z[from + j]! - max);
    for (let j = 0; j < units; j++) out[at + j] = Math.exp(z[from + j]! - max) / sum;
  }
}
