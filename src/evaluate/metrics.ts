/**
 * Model quality metrics over typed arrays. Pure functions: the same code scores the
 * candidate and the production model, and the per-epoch validation in training.
 */
import type { Task } from '../config/types.js';

/** Metric values by name (`auc`, `logLoss`, ...). NaN when undefined (e.g. AUC of one class). */
export type Metrics = Record<string, number>;

const EPS = 1e-7;

/**
 * ROC AUC by ranking with ties averaged (the Mann-Whitney U statistic),
 * the value scikit-learn's `roc_auc_score` gives.
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = labels.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const meanRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]!] === 1) {
        positives++;
        rankSum += meanRank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean binary cross-entropy, probabilities clipped to [1e-7, 1 - 1e-7] as Keras does. */
export function binaryLogLoss(labels: ArrayLike<number>, probs: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(1 - EPS, Math.max(EPS, probs[i]!));
    sum -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / labels.length;
}

/** Share of rows where `prob >= threshold` agrees with the label. */
export function binaryAccuracy(labels: ArrayLike<number>, probs: ArrayLike<number>, threshold: number): number {
  let right = 0;
  for (let i = 0; i < labels.length; i++) if ((probs[i]! >= threshold ? 1 : 0) === labels[i]) right++;
  return right / labels.length;
}

/** Multiclass accuracy and log loss; `probs` is row-major [rows x classes]. */
export function multiclassMetrics(labels: ArrayLike<number>, probs: ArrayLike<number>, classes: number): Metrics {
  let right = 0;
  let loss = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (probs[i * classes + k]! > probs[i * classes + best]!) best = k;
    if (best === labels[i]) right++;
    loss -= Math.log(Math.min(1 - EPS, Math.max(EPS, probs[i * classes + labels[i]!]!)));
  }
  return { accuracy: right / labels.length, logLoss: loss / labels.length };
}

/** RMSE, MAE and R² of a regression. */
export function regressionMetrics(labels: ArrayLike<number>, preds: ArrayLike<number>): Metrics {
  const n = labels.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += labels[i]!;
  mean /= n;
  let se = 0;
  let ae = 0;
  let tot = 0;
  for (let i = 0; i < n; i++) {
    const e = preds[i]! - labels[i]!;
    se += e * e;
    ae += Math.abs(e);
    tot += (labels[i]! - mean) ** 2;
  }
  return { rmse: Math.sqrt(se / n), mae: ae / n, r2: tot > 0 ? 1 - se / tot : Number.NaN };
}

/** The metrics of a task, computed on labelled rows. */
export function computeMetrics(task: Task, labels: ArrayLike<number>, preds: ArrayLike<number>, options: { threshold: number; classes?: number }): Metrics {
  if (labels.length === 0) return {};
  switch (task) {
    case 'binary': {
      let positives = 0;
      for (let i = 0; i < labels.length; i++) positives += labels[i]!;
      return {
        auc: rocAuc(labels, preds),
        logLoss: binaryLogLoss(labels, preds),
        accuracy: binaryAccuracy(labels, preds, options.threshold),
        positiveRate: positives / labels.length,
      };
    }
    case 'multiclass':
      return multiclassMetrics(labels, preds, options.classes ?? 2);
    case 'regression':
      return regressionMetrics(labels, preds);
  }
}

/** The metric that summarises an epoch on validation rows, and whether higher is better. */
export function headlineMetric(task: Task): { name: string; higherIsBetter: boolean } {
  return task === 'binary' ? { name: 'auc', higherIsBetter: true } : task === 'multiclass' ? { name: 'accuracy', higherIsBetter: true } : { name: 'rmse', higherIsBetter: false };
}
