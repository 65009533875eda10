/**
 * One shard's part of a training step (forward pass, loss, backward pass into the shard's
 * gradient block) and one thread's part of the optimiser update. Both run in the main
 * thread and in the worker, on the same memory and layout.
 */
import type { Kernels } from './kernels.js';
import { SHARDS, type FusedLayout, type ShardBuffers } from './layout.js';

/** Rows of a batch of `n` that shard `shard` computes: [first, first + count). */
export function shardRows(n: number, shard: number): { first: number; count: number } {
  const size = Math.ceil(n / SHARDS);
  const first = Math.min(n, shard * size);
  return { first, count: Math.min(n, first + size) - first };
}

/** Dropout's hash seed for a step: independent of the thread that draws it. */
function dropoutSeed(seed: number, step: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x01000193) ^ Math.imul(step + 1, 0x9e3779b1)) >>> 0;
}

/**
 * The forward pass of `count` rows listed at `order` into shard `s`'s buffers; returns
 * the logits' pointer (rows of `l.layers.at(-1).out` floats). With `dropout`, hidden
 * layers drop as in training (`first`: the rows' position in the batch, for the masks).
 */
function forward(k: Kernels, l: FusedLayout, s: ShardBuffers, order: number, count: number, dropout: { seed: number; first: number } | null): number {
  for (const input of l.inputs) {
    if (input.kind === 'embedding') k.gatherEmbedding(order, count, input.column, l.tensors[input.table]!.ptr, input.dim, s.x, l.width, input.offset);
    else k.gatherNumeric(order, count, input.column, s.x, l.width, input.offset);
  }
  const last = l.layers.length - 1;
  let x = s.x;
  l.layers.forEach((layer, i) => {
    k.matmul(x, count, layer.in, l.tensors[layer.kernel]!.ptr, layer.out, l.tensors[layer.bias]!.ptr, s.pre[i]!);
    if (i === last) return;
    k.activate(layer.activation, s.pre[i]!, s.post[i]!, count * layer.out);
    if (layer.dropout > 0 && dropout !== null) {
      k.dropout(s.post[i]!, s.mask[i]!, count * layer.out, layer.dropout, mixSeed(dropout.seed, i), dropout.first * layer.out);
    }
    x = s.post[i]!;
  });
  return s.pre[last]!;
}

/** The seed of a layer's dropout masks in a step, from the step's seed. */
function mixSeed(seed: number, layer: number): number {
  return (seed ^ Math.imul(layer + 1, 0x85ebca77)) >>> 0;
}

/**
 * Adds shard `shard`'s gradient of the mean loss over the batch's `n` rows (at
 * `layout.order`) to its gradient block; returns the sum of its rows' losses.
 */
export function shardGradients(k: Kernels, l: FusedLayout, shard: number, n: number, step: number, seed: number): number {
  const { first, count } = shardRows(n, shard);
  if (count === 0) return 0;
  const s = l.shards[shard]!;
  const order = l.order + first * 4;
  const gradOffset = (1 + shard) * l.paramBytes;
  const z = forward(k, l, s, order, count, { seed: dropoutSeed(seed, step), first });
  const last = l.layers.length - 1;
  const width = l.layers[last]!.out;
  let d = s.d[0];
  const scale = 1 / n;
  const loss =
    l.head === 'binary'
      ? k.binaryHead(z, width, order, count, l.targets, l.classWeights, scale, d)
      : l.head === 'softmax'
        ? k.softmaxHead(z, width, l.classes, order, count, l.targets, l.classWeights, scale, d)
        : k.squaredErrorHead(z, width, order, count, l.targets, scale, d);

  const embeddings = l.inputs.some((input) => input.kind === 'embedding');
  for (let i = last; i >= 0; i--) {
    const layer = l.layers[i]!;
    const kernel = l.tensors[layer.kernel]!;
    const input = i === 0 ? s.x : s.post[i - 1]!;
    k.weightGradient(input, d, count, layer.in, layer.out, kernel.ptr + gradOffset, l.tensors[layer.bias]!.ptr + gradOffset);
    if (i === 0 && !embeddings) break;
    const below = d === s.d[0] ? s.d[1] : s.d[0];
    k.transpose(kernel.ptr, layer.in, layer.out, s.transposed);
    k.matmul(d, count, layer.out, s.transposed, layer.in, 0, below);
    d = below;
    if (i > 0) {
      const prev = l.layers[i - 1]!;
      if (prev.dropout > 0) k.multiply(d, s.mask[i - 1]!, count * prev.out);
      k.activationGradient(prev.activation, s.pre[i - 1]!, s.post[i - 1]!, d, count * prev.out);
    }
  }
  for (const input of l.inputs) {
    if (input.kind === 'embedding') {
      k.scatterEmbedding(order, count, input.column, l.tensors[input.table]!.ptr + gradOffset, input.dim, d, l.width, input.offset);
    }
  }
  return loss;
}

/** The optimiser's constants of one step, as TF.js's optimisers hold them. */
export interface UpdateConstants {
  optimizer: 'adam' | 'sgd' | 'rmsprop';
  rate: number;
  /** Adam: 1 - beta1^t and 1 - beta2^t. */
  c1: number;
  c2: number;
}

/** TF.js's defaults: Adam's betas, RMSprop's decay, and the float32 backends' epsilon. */
export const BETA1 = 0.9;
export const BETA2 = 0.999;
export const DECAY = 0.9;
export const EPSILON = 1e-7;

/**
 * Updates part `part` of `parts` of the parameters (split on 16-byte boundaries) from
 * the sum of the shards' gradients, and zeroes those gradients. Element-wise, so any
 * split gives the same weights.
 */
export function updateParameters(k: Kernels, l: FusedLayout, part: number, parts: number, c: UpdateConstants): void {
  const vectors = l.paramBytes / 16;
  const from = Math.floor((vectors * part) / parts) * 16;
  const to = Math.floor((vectors * (part + 1)) / parts) * 16;
  if (to <= from) return;
  const count = (to - from) / 4;
  const w = l.params + from;
  const g0 = w + l.paramBytes;
  const g1 = w + 2 * l.paramBytes;
  const state = w + (1 + SHARDS) * l.paramBytes;
  if (c.optimizer === 'adam') k.adam(w, state, state + l.paramBytes, g0, g1, count, c.rate, BETA1, BETA2, EPSILON, c.c1, c.c2);
  else if (c.optimizer === 'rmsprop') k.rmsprop(w, state, g0, g1, count, c.rate, DECAY, EPSILON);
  else k.sgd(w, g0, g1, count, c.rate);
}
