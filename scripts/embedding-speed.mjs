#!/usr/bin/env node
/**
 * Training speed of the reference flights MLP (SPEC.md) on the JS-side TF.js backends,
 * with TF.js's own kernels and with ct's fast kernels (src/train/kernels.ts):
 *
 *   embeddings origin 16, destination 16, hour 8, day of week 4, + log distance
 *   -> dense 64 relu -> dense 64 relu -> dense 1 sigmoid; Adam 1e-3, batch 512
 *
 * on synthetic ids (230 airports), so it needs no data. Prints samples per second
 * (median of --repeats runs of --samples samples, after a warm-up).
 *
 *   npx tsc -p tsconfig.build.json && node scripts/embedding-speed.mjs
 *   node scripts/embedding-speed.mjs --backends cpu,wasm,tensorflow --samples 16384
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import * as tf from '../dist/tf.js';
import { selectBackend } from '../dist/train/backend.js';
import { mulberry32 } from '../dist/train/random.js';

const { values: args } = parseArgs({
  options: {
    backends: { type: 'string', default: 'cpu,wasm' },
    samples: { type: 'string', default: '8192' },
    // TF.js's cpu kernels need ~1 ms per sample: fewer samples keep the run short.
    'reference-samples': { type: 'string', default: '2048' },
    repeats: { type: 'string', default: '3' },
    batch: { type: 'string', default: '512' },
    json: { type: 'boolean', default: false },
  },
});
const AIRPORTS = 230;
const batchSize = Number(args.batch);
const repeats = Number(args.repeats);

/** Deterministic uniform numbers: every run sees the same data. */
const random = mulberry32;

/** Synthetic flights: skewed airport ids (a few hubs), hours, days, distances, ~21% delayed. */
function syntheticData(n, seed) {
  const rand = random(seed);
  const airport = () => Math.min(AIRPORTS - 1, Math.floor(AIRPORTS * rand() ** 2));
  const origin = Int32Array.from({ length: n }, airport);
  const destination = Int32Array.from({ length: n }, airport);
  const hour = Int32Array.from({ length: n }, () => Math.floor(rand() * 24));
  const dow = Int32Array.from({ length: n }, () => Math.floor(rand() * 7));
  const logDistance = Float32Array.from({ length: n }, () => Math.log(100 + rand() * 2500) - 6.5);
  const delayed = Float32Array.from(hour, (h, i) => (rand() < 0.1 + h / 80 + (origin[i] % 7) / 60 ? 1 : 0));
  return {
    xs: [
      tf.tensor2d(origin, [n, 1], 'int32'),
      tf.tensor2d(destination, [n, 1], 'int32'),
      tf.tensor2d(hour, [n, 1], 'int32'),
      tf.tensor2d(dow, [n, 1], 'int32'),
      tf.tensor2d(logDistance, [n, 1]),
    ],
    y: tf.tensor2d(delayed, [n, 1]),
  };
}

/** The reference MLP, with seeded initialisers so every configuration starts equal. */
function referenceModel() {
  let seed = 1;
  const uniform = () => tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: seed++ });
  const glorot = () => tf.initializers.glorotUniform({ seed: seed++ });
  const inputs = [];
  const parts = [];
  for (const [name, vocabulary, dim] of [
    ['origin', AIRPORTS, 16],
    ['destination', AIRPORTS, 16],
    ['hour', 24, 8],
    ['dow', 7, 4],
  ]) {
    const input = tf.input({ shape: [1], dtype: 'int32', name });
    const embedding = tf.layers.embedding({ inputDim: vocabulary, outputDim: dim, embeddingsInitializer: uniform() });
    inputs.push(input);
    parts.push(tf.layers.flatten().apply(embedding.apply(input)));
  }
  const distance = tf.input({ shape: [1], name: 'log_distance' });
  inputs.push(distance);
  parts.push(distance);
  let x = tf.layers.concatenate().apply(parts);
  x = tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: glorot() }).apply(x);
  x = tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: glorot() }).apply(x);
  const output = tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: glorot() }).apply(x);
  const model = tf.model({ inputs, outputs: output });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy' });
  return model;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Trains one epoch over `samples` rows `repeats` times; samples per second and last loss. */
async function measure(backend, fastKernels, samples) {
  const info = await selectBackend(backend, undefined, { fastKernels });
  const model = referenceModel();
  const data = syntheticData(samples, 42);
  const warm = syntheticData(2 * batchSize, 7);
  try {
    // Warm-up: lets V8 optimise the kernels and TF.js set up the optimizer's slots.
    await model.fit(warm.xs, warm.y, { epochs: 1, batchSize, shuffle: false, verbose: 0 });
    const rates = [];
    let loss = NaN;
    for (let r = 0; r < repeats; r++) {
      const start = performance.now();
      const history = await model.fit(data.xs, data.y, { epochs: 1, batchSize, shuffle: false, verbose: 0 });
      rates.push(samples / ((performance.now() - start) / 1000));
      loss = history.history.loss[0];
    }
    const kernels = fastKernels ? 'ct fast' : 'TF.js';
    return { backend: info.name, kernels, samples, samplesPerSecond: Math.round(median(rates)), runs: rates.map(Math.round), loss };
  } catch (error) {
    return { backend: info.name, kernels: fastKernels ? 'ct fast' : 'TF.js', error: error.message.split('\n')[0] };
  } finally {
    tf.dispose([...data.xs, data.y, ...warm.xs, warm.y]);
    model.dispose();
  }
}

const results = [];
for (const backend of args.backends.split(',')) {
  for (const fast of [false, true]) {
    const samples = Number(fast || backend !== 'cpu' ? args.samples : args['reference-samples']);
    try {
      results.push(await measure(backend, fast, samples));
    } catch (error) {
      results.push({ backend, kernels: fast ? 'ct fast' : 'TF.js', error: error.message });
    }
  }
}

if (args.json) {
  console.log(JSON.stringify({ batchSize, repeats, results }, null, 2));
} else {
  console.log(`reference MLP, batch ${batchSize}, median of ${repeats} runs`);
  console.log('backend     kernels   samples/s   loss (epoch size)        runs');
  for (const r of results) {
    const rate = r.error ? `fails: ${r.error}` : String(r.samplesPerSecond).padStart(9);
    const rest = r.error ? '' : `   ${r.loss.toFixed(4)} (${r.samples})`.padEnd(25) + `   ${r.runs.join(' / ')}`;
    console.log(`${r.backend.padEnd(11)} ${r.kernels.padEnd(9)} ${rate}${rest}`);
  }
}
