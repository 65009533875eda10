import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);
import {
  holdout,
  mulberry32,
  sampleRows,
  workerScript
} from "./chunks/bootstrap-worker+evaluate+train.js";
import {
  deriveColumns
} from "./chunks/monitor+train+validate.js";
import {
  gitInfo
} from "./chunks/monitor+promote+train.js";
import {
  computeStatistics,
  imputedSummary
} from "./chunks/monitor+predict+train+validate.js";
import {
  artifactPaths,
  dataSource,
  displayPath,
  loadDataset,
  quarantinedDays,
  runAction,
  trainingMarkdown
} from "./chunks/evaluate+monitor+predict+promote+train+validate.js";
import {
  computeMetrics,
  headlineMetric
} from "./chunks/bootstrap-worker+evaluate+monitor+predict+promote+train+validate.js";
import {
  batchTensors,
  encodeTable,
  fileSaveHandler,
  fitPreprocessing,
  labelledRows,
  nativePackage,
  predictRows,
  selectBackend
} from "./chunks/evaluate+infra-child+monitor+predict+train+validate.js";
import {
  UserError,
  faultPoint,
  require_tf_node,
  takeRows,
  writeJson
} from "./chunks/evaluate+infra-child+monitor+predict+promote+train+validate.js";
import "./chunks/evaluate+infra-child+monitor+predict+promote+tf-backend-wasm.node+train+validate.js";
import {
  ACTIVATIONS,
  BETA1,
  BETA2,
  Command,
  controlViews,
  fusedUnavailableReason,
  instantiateKernels,
  kernelModule,
  planLayout,
  shardGradients,
  sharedMemory,
  updateParameters,
  waitWhile
} from "./chunks/fused-worker+train.js";
import {
  __toESM
} from "./chunks/bootstrap-worker+evaluate+fused-worker+infra-child+monitor+predict+promote+tf-backend-wasm.node+train+validate.js";

// src/pipeline/train.ts
var tf5 = __toESM(require_tf_node(), 1);
import { writeFileSync } from "node:fs";
import path3 from "node:path";

// src/train/data.ts
function encodeTrainingRows(dataset, config) {
  const table = takeRows(dataset.table, dataset.trainRows);
  if (table.rowCount === 0) throw new UserError("no training rows in the selected window (data.window, data.split)");
  const preprocessing = fitPreprocessing(table, config);
  return { table, preprocessing, encoded: encodeTable(table, preprocessing) };
}
function imputedLines(data) {
  const lines = [];
  for (const counts of data.encoded.imputed) {
    const feature = data.preprocessing.features.find((f) => f.name === counts.feature);
    const line = imputedSummary(feature, counts, data.encoded.rows);
    if (line !== null) lines.push({ line, warning: counts.nonFinite > 0 });
  }
  return lines;
}
function labelledTrainingRows(data, config, trainParts) {
  const { encoded, preprocessing } = data;
  const labelled = labelledRows(encoded);
  if (labelled.length === 0) throw new UserError(`label: every training row has a null "${config.label.column}"`);
  if (config.task !== "regression") {
    const seen = new Set(labelled.map((i) => encoded.labels[i]));
    if (seen.size < 2) {
      const only = config.task === "binary" ? seen.has(1) ? "true" : "false" : preprocessing.label.classes?.[Number([...seen][0])] ?? "?";
      const parts = trainParts.length > 2 ? `${trainParts[0]}..${trainParts.at(-1)}` : trainParts.join(", ");
      throw new UserError(
        `label "${config.label.text}" is ${only} for all ${labelled.length} training rows (${parts}): a classifier needs at least two classes`
      );
    }
  }
  return labelled;
}
function splitTrainingRows(labelled, training) {
  const rows = training.maxRows === void 0 ? labelled : sampleRows(labelled, training.maxRows, training.seed);
  return holdout(rows, training.validationFraction, training.seed);
}

// src/train/loop.ts
var tf3 = __toESM(require_tf_node(), 1);

// src/train/fused/trainer.ts
var tf2 = __toESM(require_tf_node(), 1);
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

// src/train/model.ts
var tf = __toESM(require_tf_node(), 1);
function outputUnits(prep) {
  return prep.task === "multiclass" ? prep.label.classes.length : 1;
}
function buildModel(prep, model2, seed) {
  let nextSeed = seed;
  const seeded = () => nextSeed++;
  const inputs = [];
  const parts = [];
  for (const f of prep.features) {
    if (f.kind === "categorical") {
      const input2 = tf.input({ shape: [1], dtype: "int32", name: f.name });
      const embedded = tf.layers.embedding({
        inputDim: f.cardinality,
        outputDim: f.embedding,
        embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: seeded() }),
        name: `${f.name}_embedding`
      }).apply(input2);
      inputs.push(input2);
      parts.push(tf.layers.flatten({ name: `${f.name}_flat` }).apply(embedded));
    } else {
      const input2 = tf.input({ shape: [1], dtype: "float32", name: f.name });
      inputs.push(input2);
      parts.push(input2);
    }
  }
  let x = parts.length === 1 ? parts[0] : tf.layers.concatenate({ name: "features" }).apply(parts);
  model2.hidden.forEach((units, i) => {
    x = tf.layers.dense({ units, activation: model2.activation, kernelInitializer: tf.initializers.glorotUniform({ seed: seeded() }), name: `hidden_${i + 1}` }).apply(x);
    if (model2.dropout > 0) x = tf.layers.dropout({ rate: model2.dropout, seed: seeded(), name: `dropout_${i + 1}` }).apply(x);
  });
  const output = tf.layers.dense({
    units: outputUnits(prep),
    activation: headActivation(prep.task),
    kernelInitializer: tf.initializers.glorotUniform({ seed: seeded() }),
    name: "output"
  }).apply(x);
  return tf.model({ inputs, outputs: output, name: "ct_model" });
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
  const optimizer = training.optimizer === "sgd" ? tf.train.sgd(training.learningRate) : training.optimizer === "rmsprop" ? tf.train.rmsprop(training.learningRate) : tf.train.adam(training.learningRate);
  model2.compile({ optimizer, loss: weights === null ? lossFor(task) : weightedLoss(task, weights) });
}
function candidateModel(prep, config, labels) {
  const { training } = config;
  const model2 = buildModel(prep, config.model, training.seed);
  const classNames = config.task === "binary" ? ["0", "1"] : prep.label.classes ?? [];
  const weights = classWeights(training, config.task, labels, classNames);
  compileModel(model2, config.task, training, weights);
  return { model: model2, classNames, weights };
}
function weightedLoss(task, weights) {
  const w = tf.keep(tf.tensor1d(weights));
  return (yTrue, yPred) => tf.tidy(() => {
    const classes = task === "multiclass" ? tf.argMax(yTrue, -1).toInt() : yTrue.reshape([-1]).toInt();
    const perRow = task === "binary" ? tf.metrics.binaryCrossentropy(yTrue, yPred) : tf.metrics.categoricalCrossentropy(tf.oneHot(classes, weights.length), yPred);
    return tf.mean(tf.mul(perRow.reshape([-1]), tf.gather(w, classes)));
  });
}

// src/train/fused/trainer.ts
function modelShape(model2, task) {
  const consumers = /* @__PURE__ */ new Map();
  for (const layer2 of model2.layers) {
    for (const node of layer2.inboundNodes) {
      for (const inbound of node.inboundLayers) consumers.set(inbound.name, [...consumers.get(inbound.name) ?? [], layer2]);
    }
  }
  const only = (layer2) => {
    const next = consumers.get(layer2.name) ?? [];
    return next.length === 1 ? next[0] : void 0;
  };
  const inputs = [];
  const parts = [];
  for (const [i, input2] of model2.inputLayers.entries()) {
    const shape = model2.inputs[i].shape;
    if (shape.length !== 2 || shape[1] !== 1) return `input ${input2.name} has shape [${shape.join(", ")}], not one value per row`;
    const next = only(input2);
    if (next?.getClassName() === "Embedding") {
      const config = next.getConfig();
      const flat = only(next);
      if (flat?.getClassName() !== "Flatten") return `embedding ${next.name} is not followed by Flatten`;
      inputs.push({ kind: "embedding", layer: next.name, vocabulary: config.inputDim, dim: config.outputDim });
      parts.push(flat);
    } else if (model2.inputs[i].dtype === "float32") {
      inputs.push({ kind: "numeric" });
      parts.push(input2);
    } else return `input ${input2.name} is ${model2.inputs[i].dtype} without an embedding`;
  }
  let concatOrder = [0];
  let layer = only(parts[0]);
  if (parts.length > 1) {
    if (layer?.getClassName() !== "Concatenate") return "the inputs are not concatenated";
    concatOrder = layer.inboundNodes[0].inboundLayers.map((l) => parts.findIndex((p) => p.name === l.name));
    if (concatOrder.length !== parts.length || concatOrder.some((i) => i < 0)) return "the concatenation takes other layers than the inputs";
    layer = only(layer);
  }
  const dense = [];
  const outputLayer = model2.outputLayers[0];
  while (layer !== void 0) {
    if (layer.getClassName() !== "Dense") return `layer ${layer.name} (${layer.getClassName()}) is not Dense`;
    const config = layer.getConfig();
    if (!config.useBias || config.kernelRegularizer || config.biasRegularizer) return `dense layer ${layer.name} has no bias or a regularizer`;
    const isOutput = layer.name === outputLayer.name;
    if (isOutput && config.activation !== headActivation(task))
      return `the output's activation ${config.activation} is not the ${task} head's (${headActivation(task)})`;
    const activation = isOutput ? "linear" : config.activation;
    if (!(activation in ACTIVATIONS)) return `dense layer ${layer.name} has activation ${config.activation}`;
    dense.push({ layer: layer.name, units: config.units, activation, dropout: 0 });
    if (isOutput) break;
    layer = only(layer);
    if (layer?.getClassName() === "Dropout") {
      dense.at(-1).dropout = layer.getConfig().rate;
      layer = only(layer);
    }
  }
  if (dense.length === 0 || dense.at(-1).layer !== outputLayer.name || model2.outputs.length !== 1) return "the dense stack does not end in the output";
  return { inputs, concatOrder, dense, head: task === "binary" ? "binary" : task === "multiclass" ? "softmax" : "squared" };
}
var FusedTrainer = class _FusedTrainer {
  constructor(model2, layout, memory2, kernels, training, worker, info) {
    this.model = model2;
    this.layout = layout;
    this.memory = memory2;
    this.kernels = kernels;
    this.training = training;
    this.worker = worker;
    this.info = info;
    ({ words: this.words, floats: this.floats, loss: this.workerLoss } = controlViews(memory2, layout));
    this.orderView = new Int32Array(memory2.buffer, layout.order, layout.batchSize);
  }
  model;
  layout;
  memory;
  kernels;
  training;
  worker;
  info;
  step = 0;
  accBeta1 = Math.fround(BETA1);
  accBeta2 = Math.fround(BETA2);
  sequence = 0;
  words;
  floats;
  workerLoss;
  orderView;
  /**
   * Lays out the memory for `model` (of `shape`) and `data`, copies the data and the
   * model's current weights in, and starts the worker when `threads` is 2.
   */
  static async create(model2, shape, data, training, classWeights2, threads = Math.min(2, availableParallelism())) {
    const layout = planLayout(shape, training, data.rows, classWeights2);
    const memory2 = sharedMemory(layout.bytes);
    const module = kernelModule();
    const kernels = instantiateKernels(module, memory2);
    const buffer = memory2.buffer;
    data.inputs.forEach((column, i) => {
      const view = column instanceof Int32Array ? new Int32Array(buffer, layout.columns[i], data.rows) : new Float32Array(buffer, layout.columns[i], data.rows);
      view.set(column);
    });
    new Float32Array(buffer, layout.targets, data.rows).set(data.targets);
    if (classWeights2 !== null) new Float32Array(buffer, layout.classWeights, classWeights2.length).set(classWeights2);
    let worker = null;
    const info = { threads: 1, shards: 2 };
    const script = threads > 1 ? workerScript(import.meta.url, "fused-worker.js", "fused-worker") : void 0;
    if (threads > 1 && script === void 0) info.threadsReason = "the worker script is missing (dist not built)";
    else if (threads <= 1) info.threadsReason = availableParallelism() < 2 ? "one CPU available" : "one thread asked for";
    if (script !== void 0) {
      const setup = { module, memory: memory2, layout, seed: training.seed, optimizer: training.optimizer };
      worker = new Worker(script, { workerData: setup });
      await new Promise((ready, fail) => {
        worker.once("message", () => ready());
        worker.once("error", fail);
      });
      worker.unref();
      info.threads = 2;
    }
    const trainer = new _FusedTrainer(model2, layout, memory2, kernels, training, worker, info);
    copyWeightsIn(model2, layout, memory2);
    return trainer;
  }
  /** Trains on rows order[start..end) as one batch; returns the batch's mean loss. */
  trainBatch(order, start, end) {
    const n = end - start;
    this.orderView.set(order.subarray(start, end));
    const step = this.step++;
    const { kernels, layout } = this;
    const seed = this.training.seed;
    let loss;
    if (this.worker === null) {
      loss = shardGradients(kernels, layout, 0, n, step, seed) + shardGradients(kernels, layout, 1, n, step, seed);
      updateParameters(kernels, layout, 0, 1, this.constants());
    } else {
      this.command(Command.Gradients, n, step);
      const own = shardGradients(kernels, layout, 0, n, step, seed);
      this.awaitWorker();
      loss = own + this.workerLoss[0];
      const constants = this.constants();
      this.floats.set([constants.rate, constants.c1, constants.c2]);
      this.command(Command.Update, n, step);
      updateParameters(kernels, layout, 0, 2, constants);
      this.awaitWorker();
    }
    return loss / n;
  }
  /** This step's optimiser constants; advances Adam's accumulated betas as TF.js does (in float32). */
  constants() {
    const c = {
      optimizer: this.training.optimizer,
      rate: this.training.learningRate,
      c1: Math.fround(1 - this.accBeta1),
      c2: Math.fround(1 - this.accBeta2)
    };
    this.accBeta1 = Math.fround(this.accBeta1 * Math.fround(BETA1));
    this.accBeta2 = Math.fround(this.accBeta2 * Math.fround(BETA2));
    return c;
  }
  command(kind, rows, step) {
    const w = this.words;
    w[Command.Kind] = kind;
    w[Command.Rows] = rows;
    w[Command.Step] = step;
    Atomics.store(w, Command.Sequence, ++this.sequence);
    Atomics.notify(w, Command.Sequence);
  }
  awaitWorker() {
    const done = Atomics.load(this.words, Command.Done);
    if (done !== this.sequence) waitWhile(this.words, Command.Done, done);
    if (Atomics.load(this.words, Command.Failed) !== 0) throw new Error("fused training: the worker thread failed");
  }
  /** Writes the trained weights into the TF.js model. */
  writeWeights() {
    const buffer = this.memory.buffer;
    const byLayer = /* @__PURE__ */ new Map();
    for (const t of this.layout.tensors) {
      const [rows, cols] = matrixOf(t);
      const view = new Float32Array(buffer, t.ptr, rows * t.stride);
      const values = new Float32Array(rows * cols);
      for (let r = 0; r < rows; r++) values.set(view.subarray(r * t.stride, r * t.stride + cols), r * cols);
      const list = byLayer.get(t.layer) ?? [];
      list[t.index] = tf2.tensor(values, t.shape);
      byLayer.set(t.layer, list);
    }
    for (const [name, tensors] of byLayer) {
      this.model.getLayer(name).setWeights(tensors);
      tf2.dispose(tensors);
    }
  }
  /** Stops the worker. */
  async dispose() {
    if (this.worker === null) return;
    this.command(Command.Exit, 0, 0);
    await this.worker.terminate();
  }
};
function matrixOf(t) {
  return t.shape.length === 2 ? [t.shape[0], t.shape[1]] : [1, t.shape[0]];
}
function copyWeightsIn(model2, layout, memory2) {
  for (const t of layout.tensors) {
    const values = model2.getLayer(t.layer).getWeights()[t.index].dataSync();
    const [rows, cols] = matrixOf(t);
    const view = new Float32Array(memory2.buffer, t.ptr, rows * t.stride);
    for (let r = 0; r < rows; r++) view.set(values.subarray(r * cols, (r + 1) * cols), r * t.stride);
  }
}

// src/train/loop.ts
async function fitModel(model2, data, trainRows, validationRows, options) {
  const { training } = options;
  const random = mulberry32(training.seed);
  const order = Int32Array.from(trainRows);
  const history = [];
  let best = null;
  let sinceBest = 0;
  let stoppedEarly = false;
  const started = performance.now();
  const reportEvery = (options.batchProgressSeconds ?? 0.5) * 1e3;
  const step = await batchStep(model2, data, options);
  options.onStart?.(step.info);
  try {
    for (let epoch = 1; epoch <= training.epochs; epoch++) {
      const epochStart = performance.now();
      shuffle(order, random);
      let lossSum = 0;
      let lossRows = 0;
      let lastReport = epochStart;
      for (let start = 0; start < order.length; start += training.batchSize) {
        const end = Math.min(order.length, start + training.batchSize);
        const n = end - start;
        const loss = await step.train(order, start, end);
        lossSum += loss * n;
        lossRows += n;
        if (options.onBatch !== void 0 && performance.now() - lastReport >= reportEvery) {
          lastReport = performance.now();
          const rate = lossRows / ((lastReport - epochStart) / 1e3);
          const remaining = order.length - lossRows + order.length * (training.epochs - epoch);
          options.onBatch({
            epoch,
            totalEpochs: training.epochs,
            done: lossRows / order.length,
            loss: lossSum / lossRows,
            samplesPerSecond: rate,
            etaSeconds: remaining / rate
          });
        }
      }
      const seconds2 = (performance.now() - epochStart) / 1e3;
      step.sync();
      const validation = validationRows.length > 0 ? validate(model2, data, validationRows, options) : null;
      const record = {
        epoch,
        loss: lossSum / Math.max(1, lossRows),
        validationLoss: validation?.loss ?? null,
        validationMetric: validation?.metric ?? null,
        seconds: seconds2,
        samplesPerSecond: order.length / seconds2
      };
      history.push(record);
      options.onEpoch?.(record, training.epochs, seconds2 * (training.epochs - epoch));
      faultPoint(`train: epoch ${epoch}`);
      if (training.earlyStoppingPatience > 0 && validation !== null) {
        if (best === null || validation.loss < best.score) {
          if (best !== null) tf3.dispose(best.weights);
          best = { epoch, score: validation.loss, weights: model2.getWeights().map((w) => w.clone()) };
          sinceBest = 0;
        } else if (++sinceBest >= training.earlyStoppingPatience) {
          stoppedEarly = epoch < training.epochs;
          break;
        }
      }
    }
  } finally {
    await step.dispose();
  }
  let bestEpoch = history.length;
  if (best !== null) {
    if (best.epoch !== history.length) model2.setWeights(best.weights);
    bestEpoch = best.epoch;
    tf3.dispose(best.weights);
  }
  const seconds = (performance.now() - started) / 1e3;
  const trainingSeconds = history.reduce((s, h) => s + h.seconds, 0);
  return {
    history,
    epochs: history.length,
    bestEpoch,
    stoppedEarly,
    seconds,
    samplesPerSecond: order.length * history.length / trainingSeconds,
    trainer: step.info
  };
}
async function batchStep(model2, data, options) {
  const preference = options.training.backend;
  if (preference === "auto" && tf3.getBackend() === "tensorflow" && nativePackage === "@tensorflow/tfjs-node-gpu") {
    return tfjsStep(model2, data, options, "the GPU build of TF.js (@tensorflow/tfjs-node-gpu) is installed: TF.js trains on it");
  }
  if (preference === "auto" || preference === "fused") {
    const shape = modelShape(model2, options.task);
    const reason = typeof shape === "string" ? `the model is outside the fused step's family: ${shape}` : fusedUnavailableReason();
    if (reason === null && typeof shape !== "string") {
      const trainer = await FusedTrainer.create(model2, shape, data, options.training, options.classWeights, options.threads);
      return {
        info: { name: "fused", ...trainer.info },
        train: (order, start, end) => Promise.resolve(trainer.trainBatch(order, start, end)),
        sync: () => trainer.writeWeights(),
        dispose: () => trainer.dispose()
      };
    }
    if (preference === "fused") throw new UserError(`training.backend: fused was requested but cannot be used: ${reason}`);
    return tfjsStep(model2, data, options, reason);
  }
  return tfjsStep(model2, data, options);
}
function tfjsStep(model2, data, options, reason) {
  const labelsBuf = new Float32Array(options.training.batchSize);
  const oneHot3 = options.task === "multiclass" && options.classWeights !== null ? options.classWeights.length : 0;
  return {
    info: { name: "tfjs", shards: null, threads: 1, ...reason === void 0 ? {} : { reason } },
    async train(order, start, end) {
      const n = end - start;
      const xs = batchTensors(data, order, start, end);
      for (let i = 0; i < n; i++) labelsBuf[i] = data.targets[order[start + i]];
      const ys = oneHot3 > 0 ? tf3.tidy(() => tf3.oneHot(tf3.tensor1d(labelsBuf.subarray(0, n), "int32"), oneHot3).toFloat()) : tf3.tensor2d(labelsBuf.subarray(0, n), [n, 1]);
      const loss = await model2.trainOnBatch(xs, ys);
      tf3.dispose([...xs, ys]);
      return loss;
    },
    sync: () => void 0,
    dispose: () => Promise.resolve()
  };
}
function validate(model2, data, rows, options) {
  const preds = predictRows(model2, data, rows);
  const labels = new Float32Array(rows.length);
  for (let i = 0; i < rows.length; i++) labels[i] = data.labels[rows[i]];
  const metrics2 = computeMetrics(options.task, labels, preds, {
    threshold: options.threshold,
    ...options.classes === void 0 ? {} : { classes: options.classes }
  });
  const loss = options.task === "regression" ? (metrics2.rmse / data.labelScale.std) ** 2 : metrics2.logLoss;
  return { loss, metric: metrics2[headlineMetric(options.task).name] ?? Number.NaN };
}
function shuffle(a, random) {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

// src/train/progress.ts
function epochLine(record, totalEpochs, etaSeconds, metricName) {
  const validation = record.validationMetric === null ? "" : ` val_loss ${record.validationLoss.toFixed(4)} val_${metricName} ${record.validationMetric.toFixed(4)}`;
  return `epoch ${record.epoch}/${totalEpochs} loss ${record.loss.toFixed(4)}${validation} ${Math.round(record.samplesPerSecond)} samples/s ETA ${Math.round(etaSeconds)} s`;
}
function batchLine(progress) {
  const bar = "=".repeat(Math.round(progress.done * 20)).padEnd(20, " ");
  return `epoch ${progress.epoch}/${progress.totalEpochs} [${bar}] ${Math.round(progress.done * 100)}% loss ${progress.loss.toFixed(4)} ${Math.round(progress.samplesPerSecond)} samples/s ETA ${Math.round(progress.etaSeconds)} s`;
}
function classWeightsLine(classNames, weights) {
  return `class weights: ${classNames.map((c, k) => `${c} ${weights[k].toFixed(3)}`).join(", ")}`;
}
function trainerLine(trainer, backend) {
  if (trainer.name === "fused") {
    const threads = `${trainer.threads} thread${trainer.threads === 1 ? "" : "s"}`;
    return `training with ct's fused WebAssembly SIMD step on ${threads}${trainer.threadsReason === void 0 ? "" : ` (${trainer.threadsReason})`}`;
  }
  return `training with TF.js on the ${backend} backend${trainer.reason === void 0 ? "" : ` (the fused step is not used: ${trainer.reason})`}`;
}

// src/train/record.ts
import path from "node:path";
function trainingRecord(run) {
  const { loaded, dataset, data, split, backend, fit, startedAt, finishedAt } = run;
  const { config } = loaded;
  const { training } = config;
  return {
    format: "ct-training",
    version: 1,
    model: config.name,
    task: config.task,
    data: {
      fingerprint: dataset.fingerprint,
      files: dataset.files.map(displayPath),
      trainParts: dataset.trainParts,
      evaluationParts: dataset.evaluationParts,
      label: config.label.text,
      rows: { train: split.keep.length, validation: split.held.length, unlabelled: data.encoded.rows - run.labelled },
      imputed: { rows: data.encoded.rows, features: data.encoded.imputed }
    },
    git: run.git,
    config: { file: path.relative(process.cwd(), loaded.file) || loaded.file, sha256: loaded.hash },
    seed: training.seed,
    backend: {
      requested: backend.requested,
      name: backend.name,
      nativePackage: backend.nativePackage ?? null,
      fastKernels: backend.fastKernels,
      fallbackReason: backend.fallbackReason ?? null
    },
    trainer: { name: fit.trainer.name, shards: fit.trainer.shards, reason: fit.trainer.reason ?? null },
    packages: run.packages,
    hyperparameters: { model: config.model, training, classWeights: run.candidate.weights },
    leg: loaded.leg ?? null,
    parameters: run.candidate.model.countParams(),
    epochs: fit.epochs,
    bestEpoch: fit.bestEpoch,
    stoppedEarly: fit.stoppedEarly,
    // What the seed decides here; how long it took, in `timing` (the only field a rerun changes).
    history: fit.history.map(({ seconds: _s, samplesPerSecond: _r, ...epoch }) => epoch),
    timing: {
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationSeconds: (finishedAt.getTime() - startedAt.getTime()) / 1e3,
      samplesPerSecond: fit.samplesPerSecond,
      epochs: fit.history.map((h) => ({ epoch: h.epoch, seconds: h.seconds, samplesPerSecond: h.samplesPerSecond })),
      threads: fit.trainer.threads,
      threadsReason: fit.trainer.threadsReason ?? null
    }
  };
}

// src/train/save.ts
import { renameSync, rmSync } from "node:fs";
import path2 from "node:path";
async function saveCandidate(dir, model2, files) {
  const building = `${dir}.partial`;
  rmSync(building, { recursive: true, force: true });
  try {
    await model2.save(fileSaveHandler(building));
    writeJson(path2.join(building, "preprocessing.json"), files.preprocessing);
    writeJson(path2.join(building, "statistics.json"), await referenceStatistics(files.table, files.config, model2, files.preprocessing));
    writeJson(path2.join(building, "training.json"), files.record);
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    throw error;
  }
  rmSync(dir, { recursive: true, force: true });
  faultPoint("train: old candidate removed");
  renameSync(building, dir);
}
async function referenceStatistics(table, config, model2, preprocessing) {
  return computeStatistics(await deriveColumns(table, config, { model: async () => model2, preprocessing }));
}

// src/pipeline/lineage.ts
var tf4 = __toESM(require_tf_node(), 1);
import { readFileSync } from "node:fs";
var ctVersion;
function packageVersions() {
  ctVersion ??= JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version;
  const versions = { ct: ctVersion, node: process.versions.node };
  for (const [name, version2] of Object.entries(tf4.version)) versions[`@tensorflow/${name}`] = version2;
  return versions;
}

// src/pipeline/train.ts
async function runTrain(ctx, given) {
  const { config } = ctx.loaded;
  const { training } = config;
  const startedAt = /* @__PURE__ */ new Date();
  const dataset = given ?? await loadDataset(config.data, dataSource(ctx), quarantinedDays(ctx));
  const preference = ctx.backend ?? training.backend;
  const backend = await selectBackend(preference, ctx.logger);
  const data = encodeTrainingRows(dataset, config);
  for (const { line, warning } of imputedLines(data)) {
    if (warning) ctx.logger.warning(`training data: ${line}`);
    else ctx.logger.info(`training data: ${line}`);
  }
  const labelled = labelledTrainingRows(data, config, dataset.trainParts);
  const split = splitTrainingRows(labelled, training);
  ctx.logger.info(`training on ${split.keep.length} rows (${split.held.length} held out for validation)`);
  const keptLabels = Float32Array.from(split.keep, (i) => data.encoded.labels[i]);
  const candidate = candidateModel(data.preprocessing, config, keptLabels);
  if (candidate.weights !== null) ctx.logger.info(classWeightsLine(candidate.classNames, candidate.weights));
  const classes = data.preprocessing.label.classes?.length;
  const metricName = headlineMetric(config.task).name;
  const fit = await fitModel(candidate.model, data.encoded, split.keep, split.held, {
    task: config.task,
    training: { ...training, backend: preference },
    threshold: config.evaluation.threshold,
    ...classes === void 0 ? {} : { classes },
    classWeights: candidate.weights,
    onStart: (trainer) => ctx.logger.info(trainerLine(trainer, backend.name)),
    onEpoch: (record2, total, eta) => ctx.logger.progress(epochLine(record2, total, eta, metricName)),
    onBatch: (progress) => ctx.logger.progress(batchLine(progress), { transient: true })
  });
  const finishedAt = /* @__PURE__ */ new Date();
  const lineage = { git: await gitInfo(ctx.loaded.baseDir), packages: packageVersions() };
  const run = { loaded: ctx.loaded, dataset, data, labelled: labelled.length, split, backend, candidate, fit, startedAt, finishedAt };
  const record = trainingRecord({ ...run, ...lineage });
  const paths = artifactPaths(ctx.outDir);
  try {
    await saveCandidate(paths.modelDir, candidate.model, { preprocessing: data.preprocessing, record, table: data.table, config });
  } finally {
    candidate.model.dispose();
  }
  writeFileSync(paths.trainingReport, trainingMarkdown(record));
  ctx.logger.info(
    `trained in ${record.timing.durationSeconds.toFixed(1)} s (${Math.round(record.timing.samplesPerSecond)} samples/s, ${fit.trainer.name === "fused" ? "fused step" : `TF.js on ${backend.name}`}); model written to ${path3.relative(process.cwd(), paths.modelDir)}`
  );
  if (tf5.memory().numTensors > 0) ctx.logger.debug(`tensors alive after training: ${tf5.memory().numTensors}`);
  return { record, modelDir: paths.modelDir, preprocessing: data.preprocessing };
}

// src/actions/train.ts
await runAction("train", async (ctx) => {
  const { record } = await runTrain(ctx);
  const paths = artifactPaths(ctx.outDir);
  return {
    outputs: {
      "model-dir": paths.modelDir,
      backend: record.backend.name,
      epochs: record.epochs,
      "samples-per-second": Math.round(record.timing.samplesPerSecond),
      "data-fingerprint": record.data.fingerprint
    },
    summaryFile: paths.trainingReport
  };
});
