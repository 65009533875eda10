import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);
import {
  runInfraCheck
} from "./evaluate+infra-child+train+validate.js";
import {
  ACTIVATIONS,
  Arena,
  BETA1,
  BETA2,
  Command,
  RESERVED,
  controlViews,
  fusedUnavailableReason,
  instantiateKernels,
  kernelModule,
  planLayout,
  shardGradients,
  sharedMemory,
  updateParameters,
  waitWhile
} from "./evaluate+fused-worker+train+validate.js";
import {
  deriveColumns,
  runValidate
} from "./evaluate+monitor+train+validate.js";
import {
  imputedSummary
} from "./evaluate+monitor+predict+train+validate.js";
import {
  evaluationMarkdown,
  trainingMarkdown
} from "./evaluate+monitor+predict+promote+train+validate.js";
import {
  gitInfo
} from "./evaluate+models+monitor+promote+train+validate.js";
import {
  compareModels,
  evaluationRecord,
  judgeComparison
} from "./evaluate+train+validate+verify.js";
import {
  holdout,
  mulberry32,
  sampleRows,
  workerScript
} from "./bootstrap-worker+evaluate+train+validate+verify.js";
import {
  loadLayersModel,
  loadModel,
  scoreSameRows
} from "./evaluate+monitor+predict+train+validate+verify.js";
import {
  allRows,
  batchTensors,
  candidateModel,
  encodeTable,
  fileSaveHandler,
  fitPreprocessing,
  gatherRows,
  headActivation,
  labelledRows,
  modelSpec,
  nativePackage,
  predictRows,
  selectBackend,
  teamNetwork,
  unscalePredictions
} from "./evaluate+infra-child+monitor+predict+train+validate+verify.js";
import {
  dataSource,
  hashFiles,
  loadDataset,
  planDataset,
  quarantinedDays,
  readProduction,
  registryPath,
  verifiedProductionDir
} from "./evaluate+monitor+predict+promote+release+train+validate+verify.js";
import {
  MODULE_FILE,
  artifactPaths,
  modelFiles,
  tf_exports,
  version
} from "./evaluate+infra-child+monitor+predict+promote+release+train+validate+verify.js";
import {
  computeStatistics,
  dateOfDay,
  dayNumber,
  listPartitions
} from "./evaluate+models+monitor+predict+promote+release+train+validate+verify.js";
import {
  UserError,
  displayPath,
  faultPoint,
  isRemote,
  readJson,
  takeRows,
  writeJson
} from "./evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";
import {
  computeMetrics,
  headlineMetric,
  scoreRows,
  weightedMetrics
} from "./bootstrap-worker+evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";

// src/pipeline/evaluate.ts
import { writeFileSync } from "node:fs";
import { performance as performance2 } from "node:perf_hooks";

// src/train/fused/trainer.ts
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
function modelShape(model, task) {
  const consumers = /* @__PURE__ */ new Map();
  for (const layer2 of model.layers) {
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
  for (const [i, input] of model.inputLayers.entries()) {
    const shape = model.inputs[i].shape;
    if (shape.length !== 2 || shape[1] !== 1) return `input ${input.name} has shape [${shape.join(", ")}], not one value per row`;
    const next = only(input);
    if (next?.getClassName() === "Embedding") {
      const config = next.getConfig();
      const flat = only(next);
      if (flat?.getClassName() !== "Flatten") return `embedding ${next.name} is not followed by Flatten`;
      inputs.push({ kind: "embedding", layer: next.name, vocabulary: config.inputDim, dim: config.outputDim });
      parts.push(flat);
    } else if (model.inputs[i].dtype === "float32") {
      inputs.push({ kind: "numeric" });
      parts.push(input);
    } else return `input ${input.name} is ${model.inputs[i].dtype} without an embedding`;
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
  const outputLayer = model.outputLayers[0];
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
  if (dense.length === 0 || dense.at(-1).layer !== outputLayer.name || model.outputs.length !== 1) return "the dense stack does not end in the output";
  return { inputs, concatOrder, dense, head: task === "binary" ? "binary" : task === "multiclass" ? "softmax" : "squared" };
}
var FusedTrainer = class _FusedTrainer {
  constructor(model, layout, memory2, kernels, training, worker, info) {
    this.model = model;
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
  static async create(model, shape, data, training, classWeights, threads = Math.min(2, availableParallelism())) {
    const layout = planLayout(shape, training, data.rows, classWeights);
    const memory2 = sharedMemory(layout.bytes);
    const module = kernelModule();
    const kernels = instantiateKernels(module, memory2);
    const buffer = memory2.buffer;
    data.inputs.forEach((column, i) => {
      const view = column instanceof Int32Array ? new Int32Array(buffer, layout.columns[i], data.rows) : new Float32Array(buffer, layout.columns[i], data.rows);
      view.set(column);
    });
    new Float32Array(buffer, layout.targets, data.rows).set(data.targets);
    if (classWeights !== null) new Float32Array(buffer, layout.classWeights, classWeights.length).set(classWeights);
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
    const trainer = new _FusedTrainer(model, layout, memory2, kernels, training, worker, info);
    copyWeightsIn(model, layout, memory2);
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
      list[t.index] = tf_exports.tensor(values, t.shape);
      byLayer.set(t.layer, list);
    }
    for (const [name, tensors] of byLayer) {
      this.model.getLayer(name).setWeights(tensors);
      tf_exports.dispose(tensors);
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
function copyWeightsIn(model, layout, memory2) {
  for (const t of layout.tensors) {
    const values = model.getLayer(t.layer).getWeights()[t.index].dataSync();
    const [rows, cols] = matrixOf(t);
    const view = new Float32Array(memory2.buffer, t.ptr, rows * t.stride);
    for (let r = 0; r < rows; r++) view.set(values.subarray(r * cols, (r + 1) * cols), r * t.stride);
  }
}

// src/train/forward.ts
var CHUNK_ROWS = 256;
var ceil4 = (n) => Math.ceil(n / 4) * 4;
function plan(shape) {
  const arena = new Arena(RESERVED);
  const take = (bytes) => arena.take(bytes);
  const order = take(CHUNK_ROWS * 4);
  const columns = shape.inputs.map(() => take(CHUNK_ROWS * 4));
  const tables = shape.inputs.map((input) => input.kind === "embedding" ? take(input.vocabulary * input.dim * 4) : null);
  const widths = shape.inputs.map((input) => input.kind === "embedding" ? input.dim : 1);
  const offsets = new Array(shape.inputs.length);
  let width = 0;
  for (const index of shape.concatOrder) {
    offsets[index] = width;
    width += widths[index];
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
      y: take(CHUNK_ROWS * m * 4)
    };
    k = m;
    return placed;
  });
  return { bytes: arena.end, order, columns, tables, x, width, offsets, dense };
}
function compileForward(model, task) {
  const shape = modelShape(model, task);
  if (typeof shape === "string" || fusedUnavailableReason() !== null) return null;
  const p = plan(shape);
  const memory2 = sharedMemory(p.bytes);
  const k = instantiateKernels(kernelModule(), memory2);
  const floats = new Float32Array(memory2.buffer);
  const ints = new Int32Array(memory2.buffer);
  for (let i = 0; i < CHUNK_ROWS; i++) ints[p.order / 4 + i] = i;
  const weightsOf = (layer) => model.getLayer(layer).getWeights().map((w) => w.dataSync());
  shape.inputs.forEach((input, i) => {
    if (input.kind === "embedding") floats.set(weightsOf(input.layer)[0], p.tables[i] / 4);
  });
  shape.dense.forEach((layer, l) => {
    const d = p.dense[l];
    const [kernel, bias] = weightsOf(layer.layer);
    const rows = kernel.length / d.units;
    for (let r = 0; r < rows; r++) floats.set(kernel.subarray(r * d.units, (r + 1) * d.units), d.kernel / 4 + r * d.m);
    floats.set(bias, d.bias / 4);
  });
  const last = p.dense.at(-1);
  return (data) => {
    const out = new Float32Array(data.rows * last.units);
    for (let start = 0; start < data.rows; start += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, data.rows - start);
      shape.inputs.forEach((input, i) => {
        const column = data.inputs[i].subarray(start, start + n);
        if (input.kind === "embedding") {
          for (let r = 0; r < n; r++) {
            const id = column[r];
            if (!(id >= 0 && id < input.vocabulary)) throw new Error(`input ${i}: category index ${id} is outside the embedding's ${input.vocabulary} rows`);
          }
          ints.set(column, p.columns[i] / 4);
          k.gatherEmbedding(p.order, n, p.columns[i], p.tables[i], input.dim, p.x, p.width, p.offsets[i]);
        } else {
          floats.set(column, p.columns[i] / 4);
          k.gatherNumeric(p.order, n, p.columns[i], p.x, p.width, p.offsets[i]);
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
function head(kind, z, from, units, out, at) {
  if (kind === "binary") out[at] = 1 / (1 + Math.exp(-z[from]));
  else if (kind === "squared") for (let j = 0; j < units; j++) out[at + j] = z[from + j];
  else {
    let max = -Infinity;
    for (let j = 0; j < units; j++) max = Math.max(max, z[from + j]);
    let sum = 0;
    for (let j = 0; j < units; j++) sum += Math.exp(z[from + j] - max);
    for (let j = 0; j < units; j++) out[at + j] = Math.exp(z[from + j] - max) / sum;
  }
}

// src/evaluate/importance.ts
var SHIFT = 5e-3;
function featureImportance(model, rows, labels, options) {
  const n = rows.length;
  const subset = {
    ...model.encoded,
    rows: n,
    inputs: model.encoded.inputs.map((column, c) => gatherRows(column, model.encoded.widths[c], rows))
  };
  const score = () => {
    const metrics = weightedMetrics(scoreRows(options.task, labels, model.predict(subset), options.metricOptions), null, [options.metric.name]);
    return metrics[options.metric.name];
  };
  const base = score();
  const shuffles = Array.from({ length: options.repeats }, (_, r) => shuffled(n, options.seed + r));
  const result = model.features.map((feature, i) => {
    const original = subset.inputs[i];
    const falls = shuffles.map((order) => {
      subset.inputs[i] = gatherRows(original, subset.widths[i], order);
      const value = score();
      return options.metric.higherIsBetter ? base - value : value - base;
    });
    subset.inputs[i] = original;
    return { feature, mean: falls.reduce((a, b) => a + b, 0) / falls.length, low: Math.min(...falls), high: Math.max(...falls) };
  });
  return result.sort((a, b) => b.mean - a.mean);
}
function importanceShifts(candidate, production) {
  const before = new Map(production.map((f) => [f.feature, f]));
  return candidate.flatMap((c) => {
    const p = before.get(c.feature);
    if (p === void 0 || Math.abs(c.mean - p.mean) < SHIFT || c.low <= p.high && p.low <= c.high) return [];
    return [{ feature: c.feature, candidate: c.mean, production: p.mean }];
  });
}
function shuffled(n, seed) {
  const random = mulberry32(seed);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}
function evaluationImportance(models, settings, options) {
  const positions = sampleRows(allRows(models.selected.length), settings.maxRows, settings.seed);
  const rows = Int32Array.from(positions, (p) => models.selected[p]);
  const labels = Float32Array.from(positions, (p) => models.labels[p]);
  const all = { ...options, repeats: settings.repeats, seed: settings.seed };
  const side = ({ model, encoded }) => {
    const forward = compileForward(model.model, model.preprocessing.task);
    const predict = forward ?? ((data) => predictRows(model.model, data));
    return featureImportance({ features: model.preprocessing.features.map((f) => f.name), encoded, predict }, rows, labels, all);
  };
  const candidate = side(models.candidate);
  const production = models.production === null ? null : side(models.production);
  return {
    metric: options.metric.name,
    rows: rows.length,
    repeats: settings.repeats,
    candidate,
    production,
    shifts: production === null ? [] : importanceShifts(candidate, production)
  };
}

// src/pipeline/evaluate.ts
async function runEvaluate(ctx, given) {
  const started = performance2.now();
  const { config } = ctx.loaded;
  const { evaluation: options } = config;
  const paths = artifactPaths(ctx.outDir);
  const candidateFiles = modelFiles(paths.modelDir);
  readJson(candidateFiles["model.json"], "candidate model (run `ct train` first)");
  const dataset = given ?? await loadDataset(config.data, dataSource(ctx), quarantinedDays(ctx));
  const backend = await selectBackend(ctx.backend ?? config.training.backend, ctx.logger);
  const table = takeRows(dataset.table, dataset.evaluationRows);
  if (table.rowCount === 0) throw new UserError("no evaluation rows in the selected window (data.window, data.split)");
  const registry = registryPath(ctx);
  const pointer = readProduction(registry, config.name);
  const candidate = await loadModel(paths.modelDir, "candidate model");
  let production = null;
  try {
    production = pointer === null ? null : await loadModel(verifiedProductionDir(registry, pointer), `production model ${pointer.version}`);
    const metricOptions = { threshold: options.threshold, classes: candidate.width, calibrationBins: options.calibrationBins };
    const pair = scoreSameRows(table, candidate, production, metricOptions, `production model ${pointer?.version}`);
    if (pair.selected.length === 0) throw new UserError(`no evaluation row has a label (${config.label.text})`);
    const comparison = compareModels(table, pair, { candidate, production }, config, metricOptions);
    for (const w of comparison.warnings) ctx.logger.warning(w);
    const infra = options.infraCheck.enabled ? await runInfraCheck(paths.modelDir, takeRows(table, pair.selected.subarray(0, options.infraCheck.sampleRows)), {
      backend: backend.name === "tensorflow" || backend.name === "wasm" || backend.name === "cpu" ? backend.name : "auto",
      latencyBudgetMs: options.infraCheck.latencyBudgetMs,
      expectedWidth: candidate.width
    }) : null;
    const record = evaluationRecord(comparison, judgeComparison(config, comparison, infra), {
      config,
      dataset,
      candidateHash: hashFiles(candidateFiles),
      baselineVersion: production === null ? null : pointer.version,
      infra,
      backend: backend.name,
      durationSeconds: (performance2.now() - started) / 1e3
    });
    if (options.importance.enabled) addImportance(ctx, record, { candidate, production, pair, metricOptions });
    writeJson(paths.evaluation, record);
    writeFileSync(paths.evaluationReport, evaluationMarkdown(record));
    const against = production === null ? "no production model yet (rubber stamp)" : `production ${pointer.version}`;
    ctx.logger.info(
      `evaluated on ${record.rows} rows against ${against} in ${record.timing.durationSeconds.toFixed(1)} s: gates ${record.ok ? "passed" : "failed"}`
    );
    for (const f of record.failures) ctx.logger.warning(`gate failed: ${f.message}`);
    return record;
  } finally {
    candidate.model.dispose();
    production?.model.dispose();
  }
}
function addImportance(ctx, record, { candidate, production, pair, metricOptions }) {
  const { config } = ctx.loaded;
  const began = performance2.now();
  record.importance = evaluationImportance(
    {
      candidate: { model: candidate, encoded: pair.encoded },
      production: production === null || pair.productionEncoded === null ? null : { model: production, encoded: pair.productionEncoded },
      selected: pair.selected,
      labels: pair.labels
    },
    config.evaluation.importance,
    { task: config.task, metric: headlineMetric(config.task), metricOptions }
  );
  record.timing.importanceSeconds = (performance2.now() - began) / 1e3;
  ctx.logger.info(
    `permutation importance: ${record.importance.candidate.length} features on ${record.importance.rows} rows in ${record.timing.importanceSeconds.toFixed(1)} s`
  );
}

// src/pipeline/train.ts
import { copyFileSync, writeFileSync as writeFileSync2 } from "node:fs";
import path5 from "node:path";

// src/train/data.ts
function encodeTrainingRows(dataset, config, adapt) {
  const table = takeRows(dataset.table, dataset.trainRows);
  if (table.rowCount === 0) throw new UserError("no training rows in the selected window (data.window, data.split)");
  const fitted = fitPreprocessing(table, config);
  const preprocessing = adapt === void 0 ? fitted : adapt(fitted);
  const encoded = encodeTable(table, preprocessing);
  return { table, preprocessing: adapt === void 0 ? preprocessing : withMeasuredOutOfVocabulary(preprocessing, encoded), encoded };
}
function withMeasuredOutOfVocabulary(prep, encoded) {
  const features = prep.features.map((f) => {
    const counts = encoded.imputed.find((c) => c.feature === f.name);
    if (f.kind !== "categorical" || f.vocabulary === void 0 || counts === void 0) return f;
    const present = encoded.rows - counts.missing;
    return { ...f, outOfVocabularyShare: present === 0 ? 0 : counts.outOfVocabulary / present };
  });
  return { ...prep, features };
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
async function fitModel(model, data, trainRows, validationRows, options) {
  const { training } = options;
  const random = mulberry32(training.seed);
  const order = Int32Array.from(trainRows);
  const history = [];
  let best = null;
  let sinceBest = 0;
  let stoppedEarly = false;
  const started = performance.now();
  const reportEvery = (options.batchProgressSeconds ?? 0.5) * 1e3;
  const step = await batchStep(model, data, options);
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
      const validation = validationRows.length > 0 ? validate(model, data, validationRows, options) : null;
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
          if (best !== null) tf_exports.dispose(best.weights);
          best = { epoch, score: validation.loss, weights: model.getWeights().map((w) => w.clone()) };
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
    if (best.epoch !== history.length) model.setWeights(best.weights);
    bestEpoch = best.epoch;
    tf_exports.dispose(best.weights);
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
async function batchStep(model, data, options) {
  const preference = options.training.backend;
  if (preference === "auto" && tf_exports.getBackend() === "tensorflow" && nativePackage === "@tensorflow/tfjs-node-gpu") {
    return tfjsStep(model, data, options, "the GPU build of TF.js (@tensorflow/tfjs-node-gpu) is installed: TF.js trains on it");
  }
  if (preference === "auto" || preference === "fused") {
    const shape = modelShape(model, options.task);
    const reason = typeof shape === "string" ? `the model is outside the fused step's family: ${shape}` : fusedUnavailableReason();
    if (reason === null && typeof shape !== "string") {
      const trainer = await FusedTrainer.create(model, shape, data, options.training, options.classWeights, options.threads);
      return {
        info: { name: "fused", ...trainer.info },
        train: (order, start, end) => Promise.resolve(trainer.trainBatch(order, start, end)),
        sync: () => trainer.writeWeights(),
        dispose: () => trainer.dispose()
      };
    }
    if (preference === "fused") throw new UserError(`training.backend: fused was requested but cannot be used: ${reason}`);
    return tfjsStep(model, data, options, reason);
  }
  return tfjsStep(model, data, options);
}
function tfjsStep(model, data, options, reason) {
  const labelsBuf = new Float32Array(options.training.batchSize);
  const oneHot2 = options.task === "multiclass" && options.classWeights !== null ? options.classWeights.length : 0;
  return {
    info: { name: "tfjs", shards: null, threads: 1, ...reason === void 0 ? {} : { reason } },
    async train(order, start, end) {
      const n = end - start;
      const xs = batchTensors(data, order, start, end);
      for (let i = 0; i < n; i++) labelsBuf[i] = data.targets[order[start + i]];
      const ys = oneHot2 > 0 ? tf_exports.tidy(() => tf_exports.cast(tf_exports.oneHot(tf_exports.tensor1d(labelsBuf.subarray(0, n), "int32"), oneHot2), "float32")) : tf_exports.tensor2d(labelsBuf.subarray(0, n), [n, 1]);
      const loss = await model.trainOnBatch(xs, ys);
      tf_exports.dispose([...xs, ys]);
      return loss;
    },
    sync: () => void 0,
    dispose: () => Promise.resolve()
  };
}
function validate(model, data, rows, options) {
  const preds = predictRows(model, data, rows);
  const labels = new Float32Array(rows.length);
  for (let i = 0; i < rows.length; i++) labels[i] = data.labels[rows[i]];
  const metrics = computeMetrics(options.task, labels, preds, {
    threshold: options.threshold,
    ...options.classes === void 0 ? {} : { classes: options.classes }
  });
  const loss = options.task === "regression" ? (metrics.rmse / data.labelScale.std) ** 2 : metrics.logLoss;
  return { loss, metric: metrics[headlineMetric(options.task).name] ?? Number.NaN };
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
    ...run.start === void 0 ? {} : { start: run.start },
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
async function saveCandidate(dir, model, files) {
  const building = `${dir}.partial`;
  rmSync(building, { recursive: true, force: true });
  try {
    await model.save(fileSaveHandler(building));
    writeJson(path2.join(building, "preprocessing.json"), files.preprocessing);
    writeJson(path2.join(building, "statistics.json"), await referenceStatistics(files.table, files.config, model, files.preprocessing));
    writeJson(path2.join(building, "training.json"), files.record);
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    throw error;
  }
  rmSync(dir, { recursive: true, force: true });
  faultPoint("train: old candidate removed");
  renameSync(building, dir);
}
async function referenceStatistics(table, config, model, preprocessing) {
  return computeStatistics(await deriveColumns(table, config, { model: async () => model, preprocessing }));
}

// src/package.ts
import { existsSync, readFileSync } from "node:fs";
import path3 from "node:path";
var CT_ROOT = path3.resolve(import.meta.dirname, "..");
var version2;
function ctVersion() {
  if (version2 !== void 0) return version2;
  for (let dir = import.meta.dirname; ; dir = path3.dirname(dir)) {
    const file = path3.join(dir, "package.json");
    if (existsSync(file)) {
      const named = JSON.parse(readFileSync(file, "utf8")).version;
      if (typeof named === "string") return version2 = named;
    }
    if (path3.dirname(dir) === dir) return version2 = "unknown";
  }
}

// src/pipeline/lineage.ts
function packageVersions() {
  const versions = { ct: ctVersion(), node: process.versions.node };
  for (const [name, version3] of Object.entries(version)) versions[`@tensorflow/${name}`] = version3;
  return versions;
}

// src/features/warm.ts
function warmStartMismatch(parent, fresh) {
  if (parent.task !== fresh.task) return `the task changed (${parent.task} -> ${fresh.task})`;
  if (parent.label.column !== fresh.label.column || parent.label.text !== fresh.label.text) return "the label changed";
  const classes = (p) => JSON.stringify(p.label.classes ?? null);
  if (classes(parent) !== classes(fresh)) return `the classes changed (${classes(parent)} -> ${classes(fresh)})`;
  const names = (p) => p.features.map((f) => f.name).join(", ");
  if (names(parent) !== names(fresh)) return `the features changed (${names(parent)} -> ${names(fresh)})`;
  for (const [i, f] of fresh.features.entries()) {
    const before = parent.features[i];
    const why = featureMismatch(before, f);
    if (why !== null) return `feature "${f.name}": ${why}`;
  }
  return null;
}
function featureMismatch(before, after) {
  if (before.kind !== after.kind) return `${before.kind} -> ${after.kind}`;
  if (before.column !== after.column) return `column ${before.column} -> ${after.column}`;
  if (before.transform !== after.transform) return `transform ${before.transform} -> ${after.transform}`;
  if (before.kind === "numeric" || after.kind === "numeric") return null;
  if (before.kind === "text" || after.kind === "text") return "a text feature, whose vocabulary is not grown in a warm start";
  if (before.kind === "sequence" || after.kind === "sequence") return "a sequence feature, whose scale is not carried in a warm start";
  if (before.embedding !== after.embedding) return `embedding ${before.embedding} -> ${after.embedding}`;
  if (before.vocabulary === void 0 !== (after.vocabulary === void 0)) return "vocabulary added or removed";
  if (before.vocabulary === void 0 && before.cardinality !== after.cardinality) return `cardinality ${before.cardinality} -> ${after.cardinality}`;
  if (JSON.stringify(before.boundaries ?? null) !== JSON.stringify(after.boundaries ?? null)) return "bucket boundaries changed";
  if (JSON.stringify(before.cross ?? null) !== JSON.stringify(after.cross ?? null) || before.hashBuckets !== after.hashBuckets) return "the cross changed";
  if (before.timeZone !== after.timeZone) return `time zone ${before.timeZone ?? "UTC"} -> ${after.timeZone ?? "UTC"}`;
  return null;
}
function warmPreprocessing(parent, fresh, statistics) {
  const grown = {};
  const rescaled = [];
  const features = fresh.features.map((f, i) => {
    const before = parent.features[i];
    if (before.kind === "numeric" && f.kind === "numeric") {
      const merged = mergedNumeric(before, f, statistics);
      if (merged.mean !== before.mean || merged.std !== before.std) {
        rescaled.push({ feature: f.name, from: { mean: before.mean, std: before.std }, to: { mean: merged.mean, std: merged.std } });
      }
      return merged;
    }
    const cat = before;
    if (cat.vocabulary === void 0) return cat;
    const known = new Set(cat.vocabulary);
    const added = (f.vocabulary ?? []).filter((v) => !known.has(v));
    if (added.length > 0) grown[f.name] = added;
    const vocabulary = [...cat.vocabulary, ...added];
    return { ...cat, vocabulary, cardinality: vocabulary.length + 1, outOfVocabularyShare: f.outOfVocabularyShare ?? 0 };
  });
  return { preprocessing: { ...parent, features }, grown, rescaled };
}
function mergedNumeric(before, after, statistics) {
  const scale = statistics === "refresh" ? { mean: after.mean, std: after.std } : { mean: before.mean, std: before.std };
  const merged = { ...before, ...scale };
  delete merged.min;
  delete merged.max;
  const mins = [before.min, after.min].filter((v) => typeof v === "number");
  const maxes = [before.max, after.max].filter((v) => typeof v === "number");
  return mins.length === 0 || maxes.length === 0 ? merged : { ...merged, min: Math.min(...mins), max: Math.max(...maxes) };
}

// src/train/start.ts
function lastTrainingDay(record) {
  const last = record.data.trainParts.at(-1);
  return last !== void 0 && dayNumber(last) !== void 0 ? last : null;
}
function decideStart(input) {
  const { warmStart, parent } = input;
  if (input.full !== void 0) return { mode: "full", reason: input.full };
  if (!input.update && !warmStart.enabled) return { mode: "full", reason: "training.warmStart.enabled is false" };
  if (parent === null) return { mode: "full", reason: "no production model to start from" };
  const body = modelChange(parent.record.hyperparameters.model, input.model);
  if (body !== null) return { mode: "full", reason: `the model changed since production ${parent.version} (${body})` };
  const parentStart = parent.record.start;
  const fullRetrainDay = parentStart?.mode === "warm" ? parentStart.fullRetrainDay : lastTrainingDay(parent.record);
  if (warmStart.fullRetrainDays > 0 && fullRetrainDay !== null && input.newestDay !== null) {
    const age = dayNumber(input.newestDay) - dayNumber(fullRetrainDay);
    if (age >= warmStart.fullRetrainDays) {
      return {
        mode: "full",
        reason: `the last full retrain trained through ${fullRetrainDay}, ${age} days before ${input.newestDay} (training.warmStart.fullRetrainDays: ${warmStart.fullRetrainDays})`
      };
    }
  }
  if (input.drift && warmStart.fullOnDrift) return { mode: "full", reason: "validation found dataset drift (training.warmStart.fullOnDrift)" };
  const chain = [parent.version, ...parentStart?.mode === "warm" ? parentStart.chain : []];
  const why = input.update ? "ct update" : "training.warmStart.enabled";
  return { mode: "warm", parent, chain, fullRetrainDay, reason: `${why}: from production ${parent.version}` };
}
function modelChange(before, after) {
  if (JSON.stringify(before.hidden) !== JSON.stringify(after.hidden)) return `model.hidden ${JSON.stringify(before.hidden)} -> ${JSON.stringify(after.hidden)}`;
  if (before.activation !== after.activation) return `model.activation ${before.activation} -> ${after.activation}`;
  return null;
}
function startRecord(plan2, epochs, grown = {}, rescaled = []) {
  if (plan2.mode === "full") return { mode: "full", reason: plan2.reason, parent: null, chain: [], fullRetrainDay: null, epochs, grown: {}, rescaled: [] };
  const counts = Object.fromEntries(Object.entries(grown).map(([name, values]) => [name, values.length]));
  return {
    mode: "warm",
    reason: plan2.reason,
    parent: plan2.parent.version,
    chain: plan2.chain,
    fullRetrainDay: plan2.fullRetrainDay,
    epochs,
    grown: counts,
    rescaled
  };
}

// src/train/warm.ts
function seedFromParent(model, parent, prep, rescaled) {
  const firstDense = firstDenseName(model);
  for (const layer of model.layers) {
    const own = layer.getWeights();
    if (own.length === 0) continue;
    const from = parent.getLayer(layer.name).getWeights();
    const values = from.map((w) => w.dataSync());
    let next;
    if (layer.name.endsWith("_embedding")) next = [grownRows(values[0], own[0].shape)];
    else if (layer.name === firstDense && rescaled.length > 0) next = foldedScales(values, own[0].shape, prep, rescaled);
    else next = values.map((v) => v.slice());
    own.forEach((w, i) => {
      if (next[i].length !== w.size) throw new Error(`warm start: layer ${layer.name} weight ${i} has ${w.size} values, the parent's ${next[i].length}`);
    });
    const tensors = next.map((v, i) => tf_exports.tensor(v, own[i].shape));
    layer.setWeights(tensors);
    tf_exports.dispose(tensors);
  }
}
function firstDenseName(model) {
  return model.layers.some((l) => l.name === "hidden_1") ? "hidden_1" : "output";
}
function grownRows(parent, [rows, width]) {
  const out = new Float32Array(rows * width);
  const known = Math.min(rows, parent.length / width);
  out.set(parent.subarray(0, known * width));
  for (let r = known; r < rows; r++) out.set(parent.subarray(0, width), r * width);
  return out;
}
function foldedScales(values, [inputs, units], prep, rescaled) {
  const kernel = values[0].slice();
  const bias = values[1].slice();
  let offset = 0;
  for (const f of prep.features) {
    const change = rescaled.find((c) => c.feature === f.name);
    if (change !== void 0) {
      const ratio = change.to.std / change.from.std;
      const shift = (change.to.mean - change.from.mean) / change.from.std;
      for (let u = 0; u < units; u++) {
        const w = kernel[offset * units + u];
        kernel[offset * units + u] = w * ratio;
        bias[u] = bias[u] + w * shift;
      }
    }
    offset += f.kind === "categorical" ? f.embedding : 1;
  }
  if (offset !== inputs) throw new Error(`warm start: the features make ${offset} inputs, the first layer reads ${inputs}`);
  return [kernel, bias, ...values.slice(2).map((v) => v.slice())];
}

// src/pipeline/update-scope.ts
import path4 from "node:path";
function updateScope(ctx, drift = false) {
  const { config } = ctx.loaded;
  const source = dataSource(ctx);
  if (isRemote(source) || config.data.split.method !== "time") {
    throw new UserError("an update (ct update, --update) needs a folder of daily partitions and a time split (data.path, data.split.method: time)");
  }
  const parent = readProductionParent(ctx);
  if (parent === null) return { kind: "full", reason: "no production model yet: a full retrain on the configured window" };
  const trainedThrough = lastTrainingDay(parent.record);
  if (trainedThrough === null) return { kind: "full", reason: `production ${parent.version} did not train on daily partitions: a full retrain` };
  const next = dateOfDay(dayNumber(trainedThrough) + 1);
  const window = { ...config.data.window, from: config.data.window.from !== void 0 && config.data.window.from > next ? config.data.window.from : next };
  const arrived = listPartitions(source).filter((p) => p.date >= window.from && (window.to === void 0 || p.date <= window.to));
  const evaluationDays = config.data.split.evaluationDays;
  if (arrived.length <= evaluationDays) {
    const only = arrived.length === 0 ? "" : `; ${arrived.map((p) => p.date).join(", ")} would be evaluation days only (data.split.evaluationDays: ${evaluationDays})`;
    return { kind: "nothing", reason: `nothing new to train on: production ${parent.version} trained through ${trainedThrough}${only}` };
  }
  const plan2 = planDataset({ ...config.data, window }, source);
  const decision = decideStart({ warmStart: config.training.warmStart, update: true, parent, model: config.model, newestDay: plan2.trainParts.at(-1), drift });
  if (decision.mode === "full") return { kind: "full", reason: `${decision.reason}: a full retrain on the configured window` };
  const loaded = { ...ctx.loaded, config: { ...config, data: { ...config.data, window } } };
  return {
    kind: "update",
    ctx: { ...ctx, loaded },
    parent: parent.version,
    trainedThrough,
    days: { from: plan2.trainParts[0], to: plan2.evaluationParts.at(-1) ?? plan2.trainParts.at(-1) },
    reason: decision.reason
  };
}
function readProductionParent(ctx) {
  const registry = registryPath(ctx);
  const pointer = readProduction(registry, ctx.loaded.config.name);
  if (pointer === null) return null;
  const dir = verifiedProductionDir(registry, pointer);
  const role = `production model ${pointer.version}`;
  return {
    version: pointer.version,
    dir,
    record: readJson(path4.join(dir, "training.json"), `${role} training record`),
    preprocessing: readJson(path4.join(dir, "preprocessing.json"), `${role} preprocessing`)
  };
}

// src/pipeline/train.ts
async function runTrain(ctx, given, options = {}) {
  const { config } = ctx.loaded;
  const { training } = config;
  const startedAt = /* @__PURE__ */ new Date();
  const network = await teamNetwork(config, ctx.loaded.baseDir, displayPath);
  const dataset = given ?? await loadDataset(config.data, dataSource(ctx), quarantinedDays(ctx));
  const preference = ctx.backend ?? training.backend;
  const backend = await selectBackend(preference, ctx.logger);
  const { plan: plan2, warm, data } = startAndEncode(ctx, dataset, options);
  for (const { line, warning } of imputedLines(data)) {
    if (warning) ctx.logger.warning(`training data: ${line}`);
    else ctx.logger.info(`training data: ${line}`);
  }
  const labelled = labelledTrainingRows(data, config, dataset.trainParts);
  const split = splitTrainingRows(labelled, training);
  ctx.logger.info(`training on ${split.keep.length} rows (${split.held.length} held out for validation)`);
  const keptLabels = Float32Array.from(split.keep, (i) => data.encoded.labels[i]);
  const candidate = candidateModel(data.preprocessing, config, keptLabels, await network?.build(modelSpec(data.preprocessing, config)));
  if (plan2.mode === "warm") await seedCandidate(candidate.model, plan2.parent, data.preprocessing, warm);
  const epochs = plan2.mode === "warm" ? training.warmStart.epochs : training.epochs;
  if (candidate.weights !== null) ctx.logger.info(classWeightsLine(candidate.classNames, candidate.weights));
  const classes = data.preprocessing.label.classes?.length;
  const metricName = headlineMetric(config.task).name;
  const fit = await fitModel(candidate.model, data.encoded, split.keep, split.held, {
    task: config.task,
    training: { ...training, backend: preference, epochs },
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
  const start = startRecord(
    plan2,
    epochs,
    warm?.grown,
    warm?.rescaled.map((r) => r.feature)
  );
  const record = { ...trainingRecord({ ...run, ...lineage, start }), ...network?.lineage };
  const paths = artifactPaths(ctx.outDir);
  await writeCandidate(ctx, paths.modelDir, candidate.model, { data, record, module: network?.module ?? null });
  writeFileSync2(paths.trainingReport, trainingMarkdown(record));
  ctx.logger.info(
    `trained in ${record.timing.durationSeconds.toFixed(1)} s (${Math.round(record.timing.samplesPerSecond)} samples/s, ${fit.trainer.name === "fused" ? "fused step" : `TF.js on ${backend.name}`}); model written to ${path5.relative(process.cwd(), paths.modelDir)}`
  );
  if (tf_exports.memory().numTensors > 0) ctx.logger.debug(`tensors alive after training: ${tf_exports.memory().numTensors}`);
  return { record, modelDir: paths.modelDir, preprocessing: data.preprocessing };
}
async function writeCandidate(ctx, dir, model, { data, record, module }) {
  try {
    await saveCandidate(dir, model, { preprocessing: data.preprocessing, record, table: data.table, config: ctx.loaded.config }).catch((error) => {
      if (module === null || error instanceof UserError) throw error;
      throw new UserError(
        `model.module: ${displayPath(module)}: the trained model cannot be saved: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
        {
          cause: error
        }
      );
    });
    if (module !== null) copyFileSync(module, path5.join(dir, MODULE_FILE));
  } finally {
    model.dispose();
  }
}
function startAndEncode(ctx, dataset, options) {
  const { config } = ctx.loaded;
  const { warmStart } = config.training;
  const asked = (warmStart.enabled || options.update === true) && config.model.module === void 0 && config.model.topology === void 0;
  let plan2 = decideStart({
    warmStart,
    update: options.update === true,
    parent: asked ? readProductionParent(ctx) : null,
    model: config.model,
    newestDay: dataset.trainParts.at(-1) ?? null,
    drift: options.drift === true,
    ...options.fullRetrain === void 0 ? {} : { full: options.fullRetrain }
  });
  let warm = null;
  const data = encodeTrainingRows(dataset, config, (fitted) => {
    if (plan2.mode === "full") return fitted;
    const mismatch = warmStartMismatch(plan2.parent.preprocessing, fitted);
    if (mismatch !== null) {
      plan2 = { mode: "full", reason: `the preprocessing changed since production ${plan2.parent.version}: ${mismatch}` };
      return fitted;
    }
    warm = warmPreprocessing(plan2.parent.preprocessing, fitted, warmStart.statistics);
    return warm.preprocessing;
  });
  if (asked) ctx.logger.info(startLine(plan2, warm));
  return { plan: plan2, warm, data };
}
async function seedCandidate(model, parent, prep, warm) {
  const parentModel = await loadLayersModel(parent.dir, `production model ${parent.version}`);
  try {
    seedFromParent(model, parentModel, prep, warm?.rescaled ?? []);
  } finally {
    parentModel.dispose();
  }
}
function startLine(plan2, warm) {
  if (plan2.mode === "full") return `full retrain: ${plan2.reason}`;
  const grown = Object.entries(warm?.grown ?? {}).map(([name, values]) => `${values.length} new ${name} value(s)`);
  const rescaled = (warm?.rescaled ?? []).map((r) => `${r.feature} rescaled`);
  const changes = [...grown, ...rescaled];
  return `warm start (${plan2.reason}; chain of ${plan2.chain.length})${changes.length === 0 ? "" : `: ${changes.join(", ")}`}`;
}

// src/pipeline/update.ts
import { existsSync as existsSync2 } from "node:fs";
import path6 from "node:path";
async function validateUpdate(ctx, options = {}) {
  const scope = updateScope(ctx);
  ctx.logger.info(scope.kind === "update" ? `validating the update's days ${scope.days.from}..${scope.days.to}` : scope.reason);
  if (scope.kind === "nothing") return { scope, output: null };
  return { scope, output: await runValidate(scope.kind === "update" ? scope.ctx : ctx, void 0, options) };
}
async function trainUpdate(ctx) {
  const validation = artifactPaths(ctx.outDir).validation;
  const drift = existsSync2(validation) && readJson(validation, "validation result").drift?.datasetDrift === true;
  const scope = updateScope(ctx, drift);
  ctx.logger.info(scope.kind === "update" ? `update of production ${scope.parent} on ${scope.days.from}..${scope.days.to}` : scope.reason);
  if (scope.kind === "nothing") return { scope, output: null };
  if (scope.kind === "full") return { scope, output: await runTrain(ctx, void 0, { update: true, fullRetrain: scope.reason, drift }) };
  return { scope, output: await runTrain(scope.ctx, void 0, { update: true }) };
}
async function evaluateUpdate(ctx) {
  const record = readJson(path6.join(artifactPaths(ctx.outDir).modelDir, "training.json"), "candidate training record (run `ct train` first)");
  if (record.start?.mode !== "warm") return runEvaluate(ctx);
  const scope = updateScope(ctx);
  if (scope.kind !== "update" || scope.parent !== record.start.parent) {
    throw new UserError(
      `the candidate is an update of production ${record.start.parent ?? "?"}, which is no longer what an update would start from (${scope.kind === "update" ? `production is ${scope.parent}` : scope.reason}); train it again`
    );
  }
  return runEvaluate(scope.ctx);
}

export {
  runEvaluate,
  runTrain,
  validateUpdate,
  trainUpdate,
  evaluateUpdate
};
