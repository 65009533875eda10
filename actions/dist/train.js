import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);
import {
  holdout,
  mulberry32,
  sampleRows
} from "./chunks/evaluate+train.js";
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
  computeMetrics,
  dataSource,
  displayPath,
  headlineMetric,
  loadDataset,
  quarantinedDays,
  runAction,
  trainingMarkdown
} from "./chunks/evaluate+monitor+predict+promote+train+validate.js";
import {
  batchTensors,
  encodeTable,
  fileSaveHandler,
  fitPreprocessing,
  labelledRows,
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
import {
  __toESM
} from "./chunks/evaluate+infra-child+monitor+predict+promote+tf-backend-wasm.node+train+validate.js";

// src/pipeline/train.ts
var tf4 = __toESM(require_tf_node(), 1);
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
var tf = __toESM(require_tf_node(), 1);
async function fitModel(model2, data, trainRows, validationRows, options) {
  const { training } = options;
  const random = mulberry32(training.seed);
  const order = Int32Array.from(trainRows);
  const labelsBuf = new Float32Array(training.batchSize);
  const history = [];
  let best = null;
  let sinceBest = 0;
  let stoppedEarly = false;
  const started = performance.now();
  const reportEvery = (options.batchProgressSeconds ?? 0.5) * 1e3;
  for (let epoch = 1; epoch <= training.epochs; epoch++) {
    const epochStart = performance.now();
    shuffle(order, random);
    let lossSum = 0;
    let lossRows = 0;
    let lastReport = epochStart;
    for (let start = 0; start < order.length; start += training.batchSize) {
      const end = Math.min(order.length, start + training.batchSize);
      const n = end - start;
      const xs = batchTensors(data, order, start, end);
      for (let i = 0; i < n; i++) labelsBuf[i] = data.targets[order[start + i]];
      const ys = tf.tensor2d(labelsBuf.subarray(0, n), [n, 1]);
      const loss = await model2.trainOnBatch(xs, ys);
      tf.dispose([...xs, ys]);
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
        if (best !== null) tf.dispose(best.weights);
        best = { epoch, score: validation.loss, weights: model2.getWeights().map((w) => w.clone()) };
        sinceBest = 0;
      } else if (++sinceBest >= training.earlyStoppingPatience) {
        stoppedEarly = epoch < training.epochs;
        break;
      }
    }
  }
  let bestEpoch = history.length;
  if (best !== null) {
    if (best.epoch !== history.length) model2.setWeights(best.weights);
    bestEpoch = best.epoch;
    tf.dispose(best.weights);
  }
  const seconds = (performance.now() - started) / 1e3;
  const trainingSeconds = history.reduce((s, h) => s + h.seconds, 0);
  return { history, epochs: history.length, bestEpoch, stoppedEarly, seconds, samplesPerSecond: order.length * history.length / trainingSeconds };
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

// src/train/model.ts
var tf2 = __toESM(require_tf_node(), 1);
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
      const input2 = tf2.input({ shape: [1], dtype: "int32", name: f.name });
      const embedded = tf2.layers.embedding({
        inputDim: f.cardinality,
        outputDim: f.embedding,
        embeddingsInitializer: tf2.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: seeded() }),
        name: `${f.name}_embedding`
      }).apply(input2);
      inputs.push(input2);
      parts.push(tf2.layers.flatten({ name: `${f.name}_flat` }).apply(embedded));
    } else {
      const input2 = tf2.input({ shape: [1], dtype: "float32", name: f.name });
      inputs.push(input2);
      parts.push(input2);
    }
  }
  let x = parts.length === 1 ? parts[0] : tf2.layers.concatenate({ name: "features" }).apply(parts);
  model2.hidden.forEach((units, i) => {
    x = tf2.layers.dense({ units, activation: model2.activation, kernelInitializer: tf2.initializers.glorotUniform({ seed: seeded() }), name: `hidden_${i + 1}` }).apply(x);
    if (model2.dropout > 0) x = tf2.layers.dropout({ rate: model2.dropout, seed: seeded(), name: `dropout_${i + 1}` }).apply(x);
  });
  const output = tf2.layers.dense({
    units: outputUnits(prep),
    activation: headActivation(prep.task),
    kernelInitializer: tf2.initializers.glorotUniform({ seed: seeded() }),
    name: "output"
  }).apply(x);
  return tf2.model({ inputs, outputs: output, name: "ct_model" });
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
  const optimizer = training.optimizer === "sgd" ? tf2.train.sgd(training.learningRate) : training.optimizer === "rmsprop" ? tf2.train.rmsprop(training.learningRate) : tf2.train.adam(training.learningRate);
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
  const w = tf2.keep(tf2.tensor1d(weights));
  return (yTrue, yPred) => tf2.tidy(() => {
    const classes = yTrue.reshape([-1]).toInt();
    const perRow = task === "binary" ? tf2.metrics.binaryCrossentropy(yTrue, yPred) : tf2.metrics.categoricalCrossentropy(tf2.oneHot(classes, weights.length), yPred);
    return tf2.mean(tf2.mul(perRow.reshape([-1]), tf2.gather(w, classes)));
  });
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
      epochs: fit.history.map((h) => ({ epoch: h.epoch, seconds: h.seconds, samplesPerSecond: h.samplesPerSecond }))
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
var tf3 = __toESM(require_tf_node(), 1);
import { readFileSync } from "node:fs";
var ctVersion;
function packageVersions() {
  ctVersion ??= JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version;
  const versions = { ct: ctVersion, node: process.versions.node };
  for (const [name, version2] of Object.entries(tf3.version)) versions[`@tensorflow/${name}`] = version2;
  return versions;
}

// src/pipeline/train.ts
async function runTrain(ctx, given) {
  const { config } = ctx.loaded;
  const { training } = config;
  const startedAt = /* @__PURE__ */ new Date();
  const dataset = given ?? await loadDataset(config.data, dataSource(ctx), quarantinedDays(ctx));
  const backend = await selectBackend(ctx.backend ?? training.backend, ctx.logger);
  const data = encodeTrainingRows(dataset, config);
  for (const { line, warning } of imputedLines(data)) {
    if (warning) ctx.logger.warning(`training data: ${line}`);
    else ctx.logger.info(`training data: ${line}`);
  }
  const labelled = labelledTrainingRows(data, config, dataset.trainParts);
  const split = splitTrainingRows(labelled, training);
  ctx.logger.info(`training on ${split.keep.length} rows (${split.held.length} held out for validation) with the ${backend.name} backend`);
  const keptLabels = Float32Array.from(split.keep, (i) => data.encoded.labels[i]);
  const candidate = candidateModel(data.preprocessing, config, keptLabels);
  if (candidate.weights !== null) ctx.logger.info(classWeightsLine(candidate.classNames, candidate.weights));
  const classes = data.preprocessing.label.classes?.length;
  const metricName = headlineMetric(config.task).name;
  const fit = await fitModel(candidate.model, data.encoded, split.keep, split.held, {
    task: config.task,
    training,
    threshold: config.evaluation.threshold,
    ...classes === void 0 ? {} : { classes },
    onEpoch: (record2, total, eta) => ctx.logger.progress(epochLine(record2, total, eta, metricName)),
    onBatch: (progress) => ctx.logger.progress(batchLine(progress), { transient: true })
  });
  const finishedAt = /* @__PURE__ */ new Date();
  const lineage = { git: await gitInfo(ctx.loaded.baseDir), packages: packageVersions() };
  const record = trainingRecord({
    loaded: ctx.loaded,
    dataset,
    data,
    labelled: labelled.length,
    split,
    backend,
    candidate,
    fit,
    ...lineage,
    startedAt,
    finishedAt
  });
  const paths = artifactPaths(ctx.outDir);
  try {
    await saveCandidate(paths.modelDir, candidate.model, { preprocessing: data.preprocessing, record, table: data.table, config });
  } finally {
    candidate.model.dispose();
  }
  writeFileSync(paths.trainingReport, trainingMarkdown(record));
  ctx.logger.info(
    `trained in ${record.timing.durationSeconds.toFixed(1)} s (${Math.round(record.timing.samplesPerSecond)} samples/s on ${backend.name}); model written to ${path3.relative(process.cwd(), paths.modelDir)}`
  );
  if (tf4.memory().numTensors > 0) ctx.logger.debug(`tensors alive after training: ${tf4.memory().numTensors}`);
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
