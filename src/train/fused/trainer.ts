/**
 * Fused training: each batch is one forward pass, backward pass and optimiser update in
 * ct's WebAssembly SIMD kernels, outside TF.js's op-by-op engine, on two threads that share
 * the memory. The weights start from and end in the TF.js model, which stays the model
 * ct saves, evaluates and serves.
 *
 * Determinism: a batch is always cut into the same two shards, whose gradients are summed
 * in a fixed order, and the update is element-wise; one thread or two give the same bytes.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import * as tf from '../../tf.js';
import type { Task, TrainingConfig } from '../../config/types.js';
import type { EncodedData } from '../../features/preprocessing.js';
import { workerScript } from '../../workers.js';
import { headActivation } from '../model.js';
import { Command, controlViews, waitWhile, type WorkerSetup } from './control.js';
import { instantiateKernels, kernelModule, sharedMemory, type Kernels } from './kernels.js';
import { ACTIVATIONS, planLayout, type FusedLayout, type ModelShape, type TensorSlot } from './layout.js';
import { BETA1, BETA2, shardGradients, updateParameters, type UpdateConstants } from './step.js';

/** How a fused run is set up, for the training record. */
export interface FusedInfo {
  threads: number;
  shards: number;
  /** Why it runs on fewer threads than the machine offers, if it does. */
  threadsReason?: string;
}

/** Layers whose class the structure walk below accepts. */
type Layer = tf.layers.Layer;

/**
 * The structure of `model` when the fused step can train it: inputs of shape [1] each
 * (int32 into an Embedding and Flatten, or float32), concatenated (or a single one), then
 * Dense layers (each optionally followed by Dropout) with biases and a supported activation,
 * and an output whose activation is `task`'s head. Otherwise a reason, for the record.
 */
export function modelShape(model: tf.LayersModel, task: Task): ModelShape | string {
  const consumers = new Map<string, Layer[]>();
  for (const layer of model.layers) {
    for (const node of layer.inboundNodes) {
      for (const inbound of node.inboundLayers) consumers.set(inbound.name, [...(consumers.get(inbound.name) ?? []), layer]);
    }
  }
  const only = (layer: Layer): Layer | undefined => {
    const next = consumers.get(layer.name) ?? [];
    return next.length === 1 ? next[0] : undefined;
  };
  const inputs: ModelShape['inputs'] = [];
  const parts: Layer[] = [];
  for (const [i, input] of model.inputLayers.entries()) {
    const shape = model.inputs[i]!.shape;
    if (shape.length !== 2 || shape[1] !== 1) return `input ${input.name} has shape [${shape.join(', ')}], not one value per row`;
    const next = only(input);
    if (next?.getClassName() === 'Embedding') {
      const config = next.getConfig() as { inputDim: number; outputDim: number };
      const flat = only(next);
      if (flat?.getClassName() !== 'Flatten') return `embedding ${next.name} is not followed by Flatten`;
      inputs.push({ kind: 'embedding', layer: next.name, vocabulary: config.inputDim, dim: config.outputDim });
      parts.push(flat);
    } else if (model.inputs[i]!.dtype === 'float32') {
      inputs.push({ kind: 'numeric' });
      parts.push(input);
    } else return `input ${input.name} is ${model.inputs[i]!.dtype} without an embedding`;
  }
  let concatOrder = [0];
  let layer = only(parts[0]!);
  if (parts.length > 1) {
    if (layer?.getClassName() !== 'Concatenate') return 'the inputs are not concatenated';
    concatOrder = layer.inboundNodes[0]!.inboundLayers.map((l) => parts.findIndex((p) => p.name === l.name));
    if (concatOrder.length !== parts.length || concatOrder.some((i) => i < 0)) return 'the concatenation takes other layers than the inputs';
    layer = only(layer);
  }
  const dense: ModelShape['dense'] = [];
  const outputLayer = model.outputLayers[0]!;
  while (layer !== undefined) {
    if (layer.getClassName() !== 'Dense') return `layer ${layer.name} (${layer.getClassName()}) is not Dense`;
    const config = layer.getConfig() as { units: number; activation: string; useBias: boolean; kernelRegularizer?: unknown; biasRegularizer?: unknown };
    if (!config.useBias || config.kernelRegularizer || config.biasRegularizer) return `dense layer ${layer.name} has no bias or a regularizer`;
    const isOutput = layer.name === outputLayer.name;
    // The output's activation is the head's, applied by the loss kernels: linear before it.
    if (isOutput && config.activation !== headActivation(task))
      return `the output's activation ${config.activation} is not the ${task} head's (${headActivation(task)})`;
    const activation = isOutput ? 'linear' : config.activation;
    if (!(activation in ACTIVATIONS)) return `dense layer ${layer.name} has activation ${config.activation}`;
    dense.push({ layer: layer.name, units: config.units, activation: activation as keyof typeof ACTIVATIONS, dropout: 0 });
    if (isOutput) break;
    layer = only(layer);
    if (layer?.getClassName() === 'Dropout') {
      dense.at(-1)!.dropout = (layer.getConfig() as { rate: number }).rate;
      layer = only(layer);
    }
  }
  if (dense.length === 0 || dense.at(-1)!.layer !== outputLayer.name || model.outputs.length !== 1) return 'the dense stack does not end in the output';
  return { inputs, concatOrder, dense, head: task === 'binary' ? 'binary' : task === 'multiclass' ? 'softmax' : 'squared' };
}

/** Trains a TF.js model in ct's family with the fused kernels. Create with {@link FusedTrainer.create}. */
export class FusedTrainer {
  private step = 0;
  private accBeta1 = Math.fround(BETA1);
  private accBeta2 = Math.fround(BETA2);
  private sequence = 0;
  private readonly words: Int32Array;
  private readonly floats: Float32Array;
  private readonly workerLoss: Float64Array;
  private readonly orderView: Int32Array;

  private constructor(
    private readonly model: tf.LayersModel,
    private readonly layout: FusedLayout,
    private readonly memory: WebAssembly.Memory,
    private readonly kernels: Kernels,
    private readonly training: TrainingConfig,
    private readonly worker: Worker | null,
    readonly info: FusedInfo,
  ) {
    ({ words: this.words, floats: this.floats, loss: this.workerLoss } = controlViews(memory, layout));
    this.orderView = new Int32Array(memory.buffer, layout.order, layout.batchSize);
  }

  /**
   * Lays out the memory for `model` (of `shape`) and `data`, copies the data and the
   * model's current weights in, and starts the worker when `threads` is 2.
   */
  static async create(
    model: tf.LayersModel,
    shape: ModelShape,
    data: EncodedData,
    training: TrainingConfig,
    classWeights: readonly number[] | null,
    threads = Math.min(2, availableParallelism()),
  ): Promise<FusedTrainer> {
    const layout = planLayout(shape, training, data.rows, classWeights);
    const memory = sharedMemory(layout.bytes);
    const module = kernelModule();
    const kernels = instantiateKernels(module, memory);
    const buffer = memory.buffer;
    data.inputs.forEach((column, i) => {
      const view = column instanceof Int32Array ? new Int32Array(buffer, layout.columns[i], data.rows) : new Float32Array(buffer, layout.columns[i], data.rows);
      view.set(column);
    });
    new Float32Array(buffer, layout.targets, data.rows).set(data.targets);
    if (classWeights !== null) new Float32Array(buffer, layout.classWeights, classWeights.length).set(classWeights);
    let worker: Worker | null = null;
    const info: FusedInfo = { threads: 1, shards: 2 };
    const script = threads > 1 ? workerScript(import.meta.url, 'fused-worker.js', 'fused-worker') : undefined;
    if (threads > 1 && script === undefined) info.threadsReason = 'the worker script is missing (dist not built)';
    else if (threads <= 1) info.threadsReason = availableParallelism() < 2 ? 'one CPU available' : 'one thread asked for';
    if (script !== undefined) {
      const setup: WorkerSetup = { module, memory, layout, seed: training.seed, optimizer: training.optimizer };
      worker = new Worker(script, { workerData: setup });
      await new Promise<void>((ready, fail) => {
        worker!.once('message', () => ready());
        worker!.once('error', fail);
      });
      worker.unref();
      info.threads = 2;
    }
    const trainer = new FusedTrainer(model, layout, memory, kernels, training, worker, info);
    copyWeightsIn(model, layout, memory);
    return trainer;
  }

  /** Trains on rows order[start..end) as one batch; returns the batch's mean loss. */
  trainBatch(order: Int32Array, start: number, end: number): number {
    const n = end - start;
    this.orderView.set(order.subarray(start, end));
    const step = this.step++;
    const { kernels, layout } = this;
    const seed = this.training.seed;
    let loss: number;
    if (this.worker === null) {
      loss = shardGradients(kernels, layout, 0, n, step, seed) + shardGradients(kernels, layout, 1, n, step, seed);
      updateParameters(kernels, layout, 0, 1, this.constants());
    } else {
      this.command(Command.Gradients, n, step);
      const own = shardGradients(kernels, layout, 0, n, step, seed);
      this.awaitWorker();
      loss = own + this.workerLoss[0]!;
      const constants = this.constants();
      this.floats.set([constants.rate, constants.c1, constants.c2]);
      this.command(Command.Update, n, step);
      updateParameters(kernels, layout, 0, 2, constants);
      this.awaitWorker();
    }
    return loss / n;
  }

  /** This step's optimiser constants; advances Adam's accumulated betas as TF.js does (in float32). */
  private constants(): UpdateConstants {
    const c: UpdateConstants = {
      optimizer: this.training.optimizer,
      rate: this.training.learningRate,
      c1: Math.fround(1 - this.accBeta1),
      c2: Math.fround(1 - this.accBeta2),
    };
    this.accBeta1 = Math.fround(this.accBeta1 * Math.fround(BETA1));
    this.accBeta2 = Math.fround(this.accBeta2 * Math.fround(BETA2));
    return c;
  }

  private command(kind: number, rows: number, step: number): void {
    const w = this.words;
    w[Command.Kind] = kind;
    w[Command.Rows] = rows;
    w[Command.Step] = step;
    Atomics.store(w, Command.Sequence, ++this.sequence);
    Atomics.notify(w, Command.Sequence);
  }

  private awaitWorker(): void {
    const done = Atomics.load(this.words, Command.Done);
    if (done !== this.sequence) waitWhile(this.words, Command.Done, done);
    if (Atomics.load(this.words, Command.Failed) !== 0) throw new Error('fused training: the worker thread failed');
  }

  /** Writes the trained weights into the TF.js model. */
  writeWeights(): void {
    const buffer = this.memory.buffer;
    const byLayer = new Map<string, tf.Tensor[]>();
    for (const t of this.layout.tensors) {
      const [rows, cols] = matrixOf(t);
      const view = new Float32Array(buffer, t.ptr, rows * t.stride);
      const values = new Float32Array(rows * cols);
      for (let r = 0; r < rows; r++) values.set(view.subarray(r * t.stride, r * t.stride + cols), r * cols);
      const list = byLayer.get(t.layer) ?? [];
      list[t.index] = tf.tensor(values, t.shape);
      byLayer.set(t.layer, list);
    }
    for (const [name, tensors] of byLayer) {
      this.model.getLayer(name).setWeights(tensors);
      tf.dispose(tensors);
    }
  }

  /** Stops the worker. */
  async dispose(): Promise<void> {
    if (this.worker === null) return;
    this.command(Command.Exit, 0, 0);
    await this.worker.terminate();
  }
}

/** A weight tensor as [rows, cols]: a bias is one row. */
function matrixOf(t: TensorSlot): [number, number] {
  return t.shape.length === 2 ? [t.shape[0]!, t.shape[1]!] : [1, t.shape[0]!];
}

/** Copies the TF.js model's weights into the memory of `layout` (padding stays zero). */
function copyWeightsIn(model: tf.LayersModel, layout: FusedLayout, memory: WebAssembly.Memory): void {
  for (const t of layout.tensors) {
    const values = model.getLayer(t.layer).getWeights()[t.index]!.dataSync() as Float32Array;
    const [rows, cols] = matrixOf(t);
    const view = new Float32Array(memory.buffer, t.ptr, rows * t.stride);
    for (let r = 0; r < rows; r++) view.set(values.subarray(r * cols, (r + 1) * cols), r * t.stride);
  }
}
