import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);

// src/evaluate/metrics.ts
var EPS = 1e-7;
function scoreRows(task, labels, preds, options) {
  const rows = labels.length;
  const classes = task === "multiclass" ? options.classes ?? 2 : 1;
  const bins = options.calibrationBins ?? 10;
  const loss = new Float64Array(rows);
  const predicted = new Int32Array(rows);
  let bin = new Uint16Array(0);
  let order = new Uint32Array(0);
  let groupStarts = new Uint32Array(0);
  let sortedLabels = new Uint8Array(0);
  if (task === "binary") {
    bin = new Uint16Array(rows);
    for (let i = 0; i < rows; i++) {
      const p = preds[i];
      const clipped = Math.min(1 - EPS, Math.max(EPS, p));
      loss[i] = labels[i] === 1 ? -Math.log(clipped) : -Math.log(1 - clipped);
      predicted[i] = p >= options.threshold ? 1 : 0;
      bin[i] = Math.min(bins - 1, Math.max(0, Math.floor(p * bins)));
    }
    order = new Uint32Array(rows);
    for (let i = 0; i < rows; i++) order[i] = i;
    order.sort((a, b) => preds[a] - preds[b]);
    const starts = [];
    for (let k = 0; k < rows; k++) if (k === 0 || preds[order[k]] !== preds[order[k - 1]]) starts.push(k);
    starts.push(rows);
    groupStarts = Uint32Array.from(starts);
    sortedLabels = Uint8Array.from(order, (i) => labels[i]);
  } else if (task === "multiclass") {
    for (let i = 0; i < rows; i++) {
      let best = 0;
      for (let k = 1; k < classes; k++) if (preds[i * classes + k] > preds[i * classes + best]) best = k;
      predicted[i] = best;
      loss[i] = -Math.log(Math.min(1 - EPS, Math.max(EPS, preds[i * classes + labels[i]])));
    }
  } else {
    for (let i = 0; i < rows; i++) loss[i] = (preds[i] - labels[i]) ** 2;
  }
  return { task, rows, labels, preds, classes, bins, loss, predicted, bin, order, groupStarts, sortedLabels, ones: new Uint32Array(rows).fill(1) };
}
function weightedMetrics(s, weights, only) {
  if (s.rows === 0) return {};
  const w = weights ?? s.ones;
  switch (s.task) {
    case "binary":
      if (only !== void 0 && only.every((m) => m === "auc" || m === "prAuc")) return rankOnlyMetrics(s, w);
      return binaryMetrics(s, w);
    case "multiclass":
      return multiclassMetrics(s, w);
    case "regression":
      return regressionMetrics(s, w);
  }
}
function binaryMetrics(s, weights) {
  const { rows, labels, preds, loss, predicted, bin, bins } = s;
  let total = 0;
  let positives = 0;
  let logLoss = 0;
  let brier = 0;
  let tp = 0;
  let fp = 0;
  const binWeight = new Float64Array(bins);
  const binLabel = new Float64Array(bins);
  const binProb = new Float64Array(bins);
  for (let i = 0; i < rows; i++) {
    const w = weights[i];
    const y = labels[i];
    const p = preds[i];
    const wy = w * y;
    const wCalled = w * predicted[i];
    total += w;
    positives += wy;
    logLoss += w * loss[i];
    brier += w * (p - y) * (p - y);
    tp += wCalled * y;
    fp += wCalled - wCalled * y;
    const b = bin[i];
    binWeight[b] += w;
    binLabel[b] += wy;
    binProb[b] += w * p;
  }
  const negatives = total - positives;
  const tn = negatives - fp;
  let ece = 0;
  for (let b = 0; b < bins; b++) if (binWeight[b] > 0) ece += Math.abs(binLabel[b] - binProb[b]) / total;
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = positives > 0 ? tp / positives : 0;
  const { auc, prAuc } = rankMetrics(s, weights, positives, negatives);
  return {
    auc,
    prAuc,
    logLoss: logLoss / total,
    brier: brier / total,
    accuracy: (tp + tn) / total,
    precision,
    recall,
    f1: precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0,
    ece,
    positiveRate: positives / total
  };
}
function rankOnlyMetrics(s, weights) {
  const { rows, labels } = s;
  let total = 0;
  let positives = 0;
  for (let i = 0; i < rows; i++) {
    const w = weights[i];
    total += w;
    positives += w * labels[i];
  }
  return rankMetrics(s, weights, positives, total - positives);
}
function rankMetrics(s, weights, positives, negatives) {
  if (positives === 0 || negatives === 0) return { auc: Number.NaN, prAuc: positives === 0 ? Number.NaN : 1 };
  const { order, groupStarts, sortedLabels, rows } = s;
  let negBelow = 0;
  let posBelow = 0;
  let aucSum = 0;
  let ap = 0;
  let wp = 0;
  let wn = 0;
  let g = 1;
  let next = groupStarts[1];
  for (let k = 0; k <= rows; k++) {
    if (k === next) {
      aucSum += wp * (negBelow + wn / 2);
      const tpAt = positives - posBelow;
      const fpAt = negatives - negBelow;
      if (wp > 0) ap += wp / positives * (tpAt / (tpAt + fpAt));
      negBelow += wn;
      posBelow += wp;
      wp = 0;
      wn = 0;
      if (k === rows) break;
      next = groupStarts[++g];
    }
    const w = weights[order[k]];
    const wy = w * sortedLabels[k];
    wp += wy;
    wn += w - wy;
  }
  return { auc: aucSum / (positives * negatives), prAuc: ap };
}
function multiclassMetrics(s, weights) {
  const { rows, labels, loss, predicted, classes } = s;
  const tp = new Float64Array(classes);
  const truth = new Float64Array(classes);
  const called = new Float64Array(classes);
  let total = 0;
  let logLoss = 0;
  for (let i = 0; i < rows; i++) {
    const w = weights[i];
    if (w === 0) continue;
    const y = labels[i];
    const p = predicted[i];
    total += w;
    logLoss += w * loss[i];
    truth[y] += w;
    called[p] += w;
    if (p === y) tp[y] += w;
  }
  let f1Sum = 0;
  let present = 0;
  let right = 0;
  for (let k = 0; k < classes; k++) {
    right += tp[k];
    if (truth[k] === 0 && called[k] === 0) continue;
    present++;
    const denominator = truth[k] + called[k];
    f1Sum += denominator > 0 ? 2 * tp[k] / denominator : 0;
  }
  return { accuracy: right / total, macroF1: present > 0 ? f1Sum / present : Number.NaN, logLoss: logLoss / total };
}
function regressionMetrics(s, weights) {
  const { rows, labels, preds, loss } = s;
  let total = 0;
  let sum = 0;
  let sumSquares = 0;
  let se = 0;
  let ae = 0;
  for (let i = 0; i < rows; i++) {
    const w = weights[i];
    if (w === 0) continue;
    const y = labels[i];
    total += w;
    sum += w * y;
    sumSquares += w * y * y;
    se += w * loss[i];
    ae += w * Math.abs(preds[i] - y);
  }
  const mean = sum / total;
  const totalSquares = Math.max(0, sumSquares - total * mean * mean);
  return { rmse: Math.sqrt(se / total), mae: ae / total, r2: totalSquares > 0 ? 1 - se / totalSquares : Number.NaN };
}
function computeMetrics(task, labels, preds, options) {
  return weightedMetrics(scoreRows(task, labels, preds, options), null);
}
var GUARD_METRICS = ["modelBytes", "latencyP50Ms", "latencyP95Ms"];
var MEASURED_METRICS = ["latencyP50Ms", "latencyP95Ms"];
function metricDirection(name) {
  if (["auc", "prAuc", "accuracy", "precision", "recall", "f1", "macroF1", "r2"].includes(name)) return "higherIsBetter";
  if (["logLoss", "brier", "ece", "rmse", "mae", "modelBytes", "latencyP50Ms", "latencyP95Ms"].includes(name)) return "lowerIsBetter";
  return void 0;
}
function headlineMetric(task) {
  return task === "binary" ? { name: "auc", higherIsBetter: true } : task === "multiclass" ? { name: "accuracy", higherIsBetter: true } : { name: "rmse", higherIsBetter: false };
}
function rocCurve(s, steps = 10) {
  const { order, groupStarts, labels } = s;
  let positives = 0;
  for (let i = 0; i < s.rows; i++) positives += labels[i];
  const negatives = s.rows - positives;
  if (positives === 0 || negatives === 0) return [];
  const fprs = [0];
  const tprs = [0];
  let tp = 0;
  let fp = 0;
  for (let g = groupStarts.length - 2; g >= 0; g--) {
    for (let k = groupStarts[g]; k < groupStarts[g + 1]; k++) {
      if (labels[order[k]] === 1) tp++;
      else fp++;
    }
    fprs.push(fp / negatives);
    tprs.push(tp / positives);
  }
  const out = [];
  let j = 0;
  for (let step = 0; step <= steps; step++) {
    const x = step / steps;
    while (j + 1 < fprs.length && fprs[j + 1] <= x) j++;
    const next = Math.min(j + 1, fprs.length - 1);
    const [x0, x1, y0, y1] = [fprs[j], fprs[next], tprs[j], tprs[next]];
    out.push(x1 > x0 && x > x0 ? y0 + (y1 - y0) * (x - x0) / (x1 - x0) : y0);
  }
  return out;
}
function calibrationCurve(s) {
  const rows = new Float64Array(s.bins);
  const predicted = new Float64Array(s.bins);
  const observed = new Float64Array(s.bins);
  for (let i = 0; i < s.rows; i++) {
    const b = s.bin[i];
    rows[b]++;
    predicted[b] += s.preds[i];
    observed[b] += s.labels[i];
  }
  return Array.from(rows, (n, b) => ({ bin: b, rows: n, predicted: n > 0 ? predicted[b] / n : Number.NaN, observed: n > 0 ? observed[b] / n : Number.NaN }));
}

export {
  scoreRows,
  weightedMetrics,
  computeMetrics,
  GUARD_METRICS,
  MEASURED_METRICS,
  metricDirection,
  headlineMetric,
  rocCurve,
  calibrationCurve
};
