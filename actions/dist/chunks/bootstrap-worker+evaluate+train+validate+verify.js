import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);
import {
  chiSquareSurvival,
  normalSurvival
} from "./bootstrap-worker+evaluate+monitor+predict+train+validate+verify.js";
import {
  weightedMetrics
} from "./bootstrap-worker+evaluate+infra-child+models+monitor+predict+promote+release+train+validate+verify.js";

// src/evaluate/significance.ts
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

// src/train/random.ts
function mulberry32(seed, skip = 0) {
  let a = seed + Math.imul(skip, 1831565813) >>> 0;
  return () => {
    a = a + 1831565813 >>> 0;
    let t = a;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}
function holdout(rows, fraction, seed) {
  if (fraction <= 0) return { keep: rows, held: new Int32Array(0) };
  const random = mulberry32(seed ^ 2654435769);
  const keep = [];
  const held = [];
  for (let i = 0; i < rows.length; i++) (random() < fraction ? held : keep).push(rows[i]);
  return { keep: Int32Array.from(keep), held: Int32Array.from(held) };
}
function sampleRows(rows, max, seed) {
  if (rows.length <= max) return rows;
  return holdout(rows, max / rows.length, seed).held.slice(0, max);
}

// src/workers.ts
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
function workerScript(moduleUrl, file, bundleName) {
  const here = dirname(fileURLToPath(moduleUrl));
  const srcRoot = resolve(dirname(fileURLToPath(import.meta.url)));
  const candidates = [join(here, file), join(here, `${bundleName}.js`), join(dirname(here), `${bundleName}.js`)];
  const fromSource = relative(srcRoot, here);
  if (!fromSource.startsWith("..")) candidates.push(join(srcRoot, "..", "dist", fromSource, file));
  return candidates.find((candidate) => existsSync(candidate));
}

// src/evaluate/significance.ts
function pairedBootstrap(candidate, baseline, options) {
  const n = candidate.rows;
  if (baseline.rows !== n) throw new Error(`paired bootstrap needs the same rows: ${n} vs ${baseline.rows}`);
  const out = {};
  if (n === 0 || options.samples <= 0) return out;
  const names = options.metrics ?? Object.keys(weightedMetrics(candidate, null));
  const draws = new Float64Array(new SharedArrayBuffer(8 * names.length * options.samples));
  const work = { candidate, baseline, names, samples: options.samples, seed: options.seed, draws };
  if (n * options.samples < PARALLEL_MIN_WORK || !drawOnTwoThreads(work)) bootstrapDraws(work, 0, options.samples);
  const tail = (1 - options.confidence) / 2;
  names.forEach((name, m) => {
    const defined = draws.subarray(m * options.samples, (m + 1) * options.samples).filter((d) => !Number.isNaN(d));
    const sorted = defined.sort();
    out[name] = { ci: [quantileSorted(sorted, tail), quantileSorted(sorted, 1 - tail)], draws: defined.length };
  });
  return out;
}
var PARALLEL_MIN_WORK = 5e6;
function bootstrapDraws(work, from, to) {
  const { candidate, baseline, names, samples, draws } = work;
  const n = candidate.rows;
  const random = mulberry32(work.seed, from * n);
  const counts = new Uint32Array(n);
  for (let b = from; b < to; b++) {
    counts.fill(0);
    for (let k = 0; k < n; k++) counts[Math.floor(random() * n)]++;
    const c = weightedMetrics(candidate, counts, names);
    const p = weightedMetrics(baseline, counts, names);
    names.forEach((name, m) => {
      draws[m * samples + b] = c[name] - p[name];
    });
  }
}
function drawOnTwoThreads(work) {
  const script = availableParallelism() < 2 ? void 0 : workerScript(import.meta.url, "bootstrap-worker.js", "bootstrap-worker");
  if (script === void 0) return false;
  const state = new Int32Array(new SharedArrayBuffer(8));
  const half = Math.floor(work.samples / 2);
  const worker = new Worker(script, { workerData: { work, from: half, to: work.samples, state } });
  worker.unref();
  bootstrapDraws(work, 0, half);
  const deadline = Date.now() + 5e3;
  while (Atomics.load(state, 0) !== WorkerState.Done) {
    if (Atomics.load(state, 0) === WorkerState.Failed || Atomics.load(state, 0) === WorkerState.Starting && Date.now() > deadline) {
      void worker.terminate();
      bootstrapDraws(work, half, work.samples);
      return true;
    }
    Atomics.wait(state, 0, Atomics.load(state, 0), 100);
  }
  void worker.terminate();
  return true;
}
var WorkerState = { Starting: 0, Running: 1, Done: 2, Failed: 3 };
function quantileSorted(sorted, q) {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
function deLongTest(candidate, baseline) {
  const a = placements(candidate);
  const b = placements(baseline);
  if (a === null || b === null) return null;
  const m = a.positive.length;
  const n = a.negative.length;
  if (m < 2 || n < 2) return null;
  const varianceOfDifference = (x, y) => covariance(x, x) + covariance(y, y) - 2 * covariance(x, y);
  const variance = varianceOfDifference(a.positive, b.positive) / m + varianceOfDifference(a.negative, b.negative) / n;
  const difference = a.auc - b.auc;
  const standardError = Math.sqrt(Math.max(0, variance));
  const z = standardError > 0 ? difference / standardError : 0;
  return { aucCandidate: a.auc, aucBaseline: b.auc, difference, standardError, z, pValue: standardError > 0 ? 2 * normalSurvival(Math.abs(z)) : 1 };
}
function placements(s) {
  const { order, groupStarts, labels, rows } = s;
  let positives = 0;
  for (let i = 0; i < rows; i++) positives += labels[i];
  const negatives = rows - positives;
  if (positives === 0 || negatives === 0) return null;
  const positiveIndex = new Int32Array(rows);
  const negativeIndex = new Int32Array(rows);
  for (let i = 0, p = 0, q = 0; i < rows; i++) {
    if (labels[i] === 1) positiveIndex[i] = p++;
    else negativeIndex[i] = q++;
  }
  const positive = new Float64Array(positives);
  const negative = new Float64Array(negatives);
  let negBelow = 0;
  let posBelow = 0;
  let sum = 0;
  for (let g = 0; g + 1 < groupStarts.length; g++) {
    let wp = 0;
    let wn = 0;
    for (let k = groupStarts[g]; k < groupStarts[g + 1]; k++) {
      if (labels[order[k]] === 1) wp++;
      else wn++;
    }
    const v10 = (negBelow + wn / 2) / negatives;
    const v01 = (positives - posBelow - wp + wp / 2) / positives;
    for (let k = groupStarts[g]; k < groupStarts[g + 1]; k++) {
      const i = order[k];
      if (labels[i] === 1) positive[positiveIndex[i]] = v10;
      else negative[negativeIndex[i]] = v01;
    }
    sum += wp * v10;
    negBelow += wn;
    posBelow += wp;
  }
  return { auc: sum / positives, positive, negative };
}
function covariance(x, y) {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (x[i] - mx) * (y[i] - my);
  return s / (n - 1);
}
var MCNEMAR_EXACT_BELOW = 25;
function mcNemarTest(candidate, baseline) {
  let b = 0;
  let c = 0;
  for (let i = 0; i < candidate.rows; i++) {
    const y = candidate.labels[i];
    const candidateRight = candidate.predicted[i] === y;
    const baselineRight = baseline.predicted[i] === y;
    if (candidateRight && !baselineRight) b++;
    else if (!candidateRight && baselineRight) c++;
  }
  const n = b + c;
  if (n < MCNEMAR_EXACT_BELOW) {
    return {
      candidateOnlyRight: b,
      baselineOnlyRight: c,
      method: "exact",
      statistic: null,
      pValue: n === 0 ? 1 : Math.min(1, 2 * binomialCdfHalf(Math.min(b, c), n))
    };
  }
  const statistic = (Math.abs(b - c) - 1) ** 2 / n;
  return { candidateOnlyRight: b, baselineOnlyRight: c, method: "chi-square", statistic, pValue: chiSquareSurvival(statistic, 1) };
}
function binomialCdfHalf(k, n) {
  let term = 0.5 ** n;
  let sum = term;
  for (let i = 1; i <= k; i++) {
    term *= (n - i + 1) / i;
    sum += term;
  }
  return sum;
}

export {
  mulberry32,
  holdout,
  sampleRows,
  workerScript,
  pairedBootstrap,
  bootstrapDraws,
  WorkerState,
  quantileSorted,
  deLongTest,
  mcNemarTest
};
