/**
 * Where everything of a fused training run lives in the shared WebAssembly memory: the
 * data columns, the batch's row numbers, the parameters with their gradients (one copy per
 * shard) and optimiser state, and each shard's activations. Pure and serialisable: the
 * main thread plans it once and hands the same object to the worker.
 */
import type { TrainingConfig } from '../../config/types.js';

/** Fixed number of gradient shards per batch, whatever the number of threads: the sum g0 + g1 is always taken in that order, so one thread and two give identical weights. */
export const SHARDS = 2;

/** The kernels' activation codes (assembly/kernels.ts). */
export const ACTIVATIONS = { linear: 0, relu: 1, elu: 2, tanh: 3, gelu: 4 } as const;

/** One weight tensor of the TF.js model, padded to the kernels' widths. */
export interface TensorSlot {
  /** TF.js layer that holds it, and its index among the layer's weights. */
  layer: string;
  index: number;
  /** Shape in TF.js ([rows, cols], or [cols] for a bias). */
  shape: number[];
  /** Columns in memory (cols padded to a multiple of 4; embeddings are not padded). */
  stride: number;
  /** Byte offset of the parameters; gradient of shard s at ptr + (1 + s) · paramBytes. */
  ptr: number;
}

/** One model input and where it goes in the first layer's input row. */
export interface InputSlot {
  kind: 'embedding' | 'numeric';
  /** Byte offset of the encoded column (int32 ids or float32 values), all data rows. */
  column: number;
  /** Floats it takes in the input row, and where they start. */
  dim: number;
  offset: number;
  /** The embedding table (index into `tensors`). */
  table: number;
}

/** A dense layer: padded widths, its kernel and bias, and its activation code. */
export interface LayerSlot {
  in: number;
  out: number;
  kernel: number;
  bias: number;
  activation: number;
  dropout: number;
}

/** The activations of one shard: per layer, pre-activation, output and dropout mask. */
export interface ShardBuffers {
  x: number;
  pre: number[];
  post: number[];
  mask: number[];
  /** Two gradient buffers used in turn, and a transposed-kernel scratch. */
  d: [number, number];
  transposed: number;
}

export interface FusedLayout {
  bytes: number;
  /** int32 control words for the worker (see trainer.ts), and float32 step constants. */
  control: number;
  batchSize: number;
  /** Byte offset of each encoded column, in the model's input order (all data rows). */
  columns: number[];
  /** The batch's row numbers (int32), written before each step. */
  order: number;
  targets: number;
  /** Class weights of the loss (float32 per class), or 0. */
  classWeights: number;
  inputs: InputSlot[];
  /** First layer's input width (padded). */
  width: number;
  layers: LayerSlot[];
  head: 'binary' | 'softmax' | 'squared';
  classes: number;
  tensors: TensorSlot[];
  /** All parameters: one contiguous block of `paramBytes` at `params`; then SHARDS gradient blocks, then optimiser state blocks. */
  params: number;
  paramBytes: number;
  shards: ShardBuffers[];
}

const pad4 = (n: number): number => Math.ceil(n / 4) * 4;

/** A bump allocator of 16-byte aligned blocks. */
export class Arena {
  constructor(public end: number) {}
  take(bytes: number): number {
    const at = this.end;
    this.end += Math.ceil(bytes / 16) * 16;
    return at;
  }
}

/** Where the kernels' own static data ends (tables of their exp and tanh): a layout starts above it. */
export const RESERVED = 65_536;

/**
 * The structure of a model the fused step can train, read from the TF.js model: its
 * inputs in the model's input order (the order of the encoded columns), the order in
 * which they are concatenated, and the dense stack with its activations and dropout.
 */
export interface ModelShape {
  inputs: Array<{ kind: 'embedding'; layer: string; vocabulary: number; dim: number } | { kind: 'numeric' }>;
  /** Model input indices in the order of the first layer's input row. */
  concatOrder: number[];
  /** The dense layers, the last one the output (linear here: its activation is the head's). */
  dense: Array<{ layer: string; units: number; activation: keyof typeof ACTIVATIONS; dropout: number }>;
  head: FusedLayout['head'];
}

/**
 * Plans the memory of a run over `rows` data rows for a model of `shape`, trained with
 * `training`'s batch size and optimiser; `classWeights` weight the loss per class.
 */
export function planLayout(
  shape: ModelShape,
  training: Pick<TrainingConfig, 'batchSize' | 'optimizer'>,
  rows: number,
  classWeights: readonly number[] | null,
): FusedLayout {
  const arena = new Arena(RESERVED);
  const control = arena.take(256);
  const columns = shape.inputs.map(() => arena.take(rows * 4));
  const targets = arena.take(rows * 4);
  const order = arena.take(training.batchSize * 4);
  const weights = classWeights === null ? 0 : arena.take(classWeights.length * 4);

  const tensors: TensorSlot[] = [];
  let paramBytes = 0;
  /** A tensor of `dims` (TF.js shape) taking `rowsInMemory` rows of `stride` floats. */
  const tensor = (layer: string, index: number, dims: number[], stride: number, rowsInMemory: number): number => {
    tensors.push({ layer, index, shape: dims, stride, ptr: paramBytes });
    paramBytes += Math.ceil((rowsInMemory * stride * 4) / 16) * 16;
    return tensors.length - 1;
  };
  const inputs: InputSlot[] = [];
  let offset = 0;
  for (const i of shape.concatOrder) {
    const input = shape.inputs[i]!;
    if (input.kind === 'embedding') {
      const table = tensor(input.layer, 0, [input.vocabulary, input.dim], input.dim, input.vocabulary);
      inputs.push({ kind: 'embedding', column: columns[i]!, dim: input.dim, offset, table });
      offset += input.dim;
    } else {
      inputs.push({ kind: 'numeric', column: columns[i]!, dim: 1, offset, table: -1 });
      offset += 1;
    }
  }
  const width = pad4(offset);
  const layers: LayerSlot[] = [];
  let inReal = offset;
  let inPadded = width;
  for (const d of shape.dense) {
    const out = pad4(d.units);
    // Rows past inReal and columns past units stay zero: padded inputs contribute nothing.
    const kernel = tensor(d.layer, 0, [inReal, d.units], out, inPadded);
    const bias = tensor(d.layer, 1, [d.units], out, 1);
    layers.push({ in: inPadded, out, kernel, bias, activation: ACTIVATIONS[d.activation], dropout: d.dropout });
    inReal = d.units;
    inPadded = out;
  }

  const stateBlocks = training.optimizer === 'adam' ? 2 : training.optimizer === 'rmsprop' ? 1 : 0;
  const params = arena.take(paramBytes * (1 + SHARDS + stateBlocks));
  for (const t of tensors) t.ptr += params;

  const shardRows = Math.ceil(training.batchSize / SHARDS);
  const widest = Math.max(width, ...layers.map((l) => l.out));
  const shards = Array.from({ length: SHARDS }, (): ShardBuffers => ({
    x: arena.take(shardRows * width * 4),
    pre: layers.map((l) => arena.take(shardRows * l.out * 4)),
    post: layers.map((l) => arena.take(shardRows * l.out * 4)),
    mask: layers.map((l) => (l.dropout > 0 ? arena.take(shardRows * l.out * 4) : 0)),
    d: [arena.take(shardRows * widest * 4), arena.take(shardRows * widest * 4)],
    transposed: arena.take(widest * widest * 4),
  }));
  return {
    bytes: arena.end,
    control,
    batchSize: training.batchSize,
    columns,
    order,
    targets,
    classWeights: weights,
    inputs,
    width,
    layers,
    head: shape.head,
    classes: shape.dense.at(-1)!.units,
    tensors,
    params,
    paramBytes,
    shards,
  };
}
