import * as tf from '../../src/tf.js';
import { selectBackend } from '../../src/train/backend.js';
import { mulberry32 } from '../../src/train/random.js';
import { isFastKernelRegistered, registerFastKernels, unregisterFastKernels } from '../../src/train/kernels.js';

/** Seeded numbers, so failures reproduce. */
const random = mulberry32;

function randomFloats(rand: () => number, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rand() * 2 - 1);
}

/** Runs `f` on `cpu` with TF.js's own kernels, and returns plain arrays. */
function reference<T>(f: () => T): T {
  const backend = tf.getBackend();
  unregisterFastKernels(backend);
  try {
    return f();
  } finally {
    registerFastKernels(backend);
  }
}

/** The values and shape of a tensor (disposed), for comparisons across backends. */
function read(t: tf.Tensor): { shape: number[]; values: number[] } {
  const out = { shape: t.shape, values: Array.from(t.dataSync()) };
  t.dispose();
  return out;
}

function expectClose(actual: { shape: number[]; values: number[] }, expected: { shape: number[]; values: number[] }, tol = 1e-5) {
  expect(actual.shape).toEqual(expected.shape);
  expect(actual.values.length).toBe(expected.values.length);
  const worst = actual.values.reduce((m, v, i) => Math.max(m, Math.abs(v - (expected.values[i] as number))), 0);
  expect(worst).toBeLessThanOrEqual(tol);
}

/** A plain-JS UnsortedSegmentSum with TF.js's rule: ids outside [0, numSegments) are dropped. */
function loopSegmentSum(x: Float32Array, ids: Int32Array, numSegments: number, inner: number): number[] {
  const out = new Float32Array(numSegments * inner);
  ids.forEach((id, i) => {
    if (id < 0 || id >= numSegments) return;
    for (let j = 0; j < inner; j++) out[id * inner + j]! += x[i * inner + j]!;
  });
  return Array.from(out);
}

/** Ids including negative and too-large ones, which TF.js drops. */
function segmentCase(seed: number, rows: number, inner: number, numSegments: number) {
  const rand = random(seed);
  const x = randomFloats(rand, rows * inner);
  const ids = Int32Array.from({ length: rows }, () => Math.floor(rand() * (numSegments + 6)) - 3);
  return { x, ids, numSegments, inner, rows };
}

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('UnsortedSegmentSum', () => {
  const cases = [segmentCase(1, 512, 16, 230), segmentCase(2, 100, 1, 7), segmentCase(3, 33, 5, 1)];

  test.each(cases.map((c, i) => [i, c] as const))('cpu fast kernel equals TF.js reference (case %i)', async (_i, c) => {
    await selectBackend('cpu');
    expect(isFastKernelRegistered('UnsortedSegmentSum', 'cpu')).toBe(true);
    const run = () => {
      const x = c.inner === 1 ? tf.tensor1d(c.x) : tf.tensor2d(c.x, [c.rows, c.inner]);
      const ids = tf.tensor1d(c.ids, 'int32');
      const result = read(tf.unsortedSegmentSum(x, ids, c.numSegments));
      tf.dispose([x, ids]);
      return result;
    };
    const expected = reference(run);
    const actual = run();
    expectClose(actual, expected);
    expect(actual.values).toEqual(loopSegmentSum(c.x, c.ids, c.numSegments, c.inner));
  });

  test('numSegments 0 gives an empty result (TF.js cpu throws inside its pack)', async () => {
    for (const backend of ['cpu', 'wasm'] as const) {
      await selectBackend(backend);
      const x = tf.ones([4, 3]);
      const ids = tf.tensor1d([0, 1, 2, 3], 'int32');
      const out = tf.unsortedSegmentSum(x, ids, 0);
      expect(out.shape).toEqual([0, 3]);
      tf.dispose([x, ids, out]);
    }
    await selectBackend('cpu');
  });

  test('int32 input sums exactly and keeps int32 (TF.js cpu would return float32)', async () => {
    await selectBackend('cpu');
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [4, 2], 'int32');
    const ids = tf.tensor1d([2, 0, 2, 5], 'int32');
    const out = tf.unsortedSegmentSum(x, ids, 3);
    expect(out.dtype).toBe('int32');
    expect(out.arraySync()).toEqual([
      [3, 4],
      [0, 0],
      [6, 8],
    ]);
    tf.dispose([x, ids, out]);
  });

  test('2-D segment ids (outside the op contract) still go to the reference kernel on cpu', async () => {
    await selectBackend('cpu');
    const make = () => {
      const x = tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]);
      const ids = tf.tensor2d([0, 1, 1, 0], [2, 2], 'int32');
      const result = read(tf.unsortedSegmentSum(x, ids as unknown as tf.Tensor1D, 2));
      tf.dispose([x, ids]);
      return result;
    };
    expect(make()).toEqual(reference(make));
  });

  test.each(cases.map((c, i) => [i, c] as const))('wasm kernel equals TF.js cpu reference (case %i)', async (_i, c) => {
    const expected = reference(() => read(tf.unsortedSegmentSum(tf.tensor2d(c.x, [c.rows, c.inner]), tf.tensor1d(c.ids, 'int32'), c.numSegments)));
    await selectBackend('wasm');
    const before = tf.memory().numTensors;
    const x = tf.tensor2d(c.x, [c.rows, c.inner]);
    const ids = tf.tensor1d(c.ids, 'int32');
    const actual = read(tf.unsortedSegmentSum(x, ids, c.numSegments));
    tf.dispose([x, ids]);
    expect(tf.memory().numTensors).toBe(before);
    expectClose(actual, expected);
    await selectBackend('cpu');
  });

  test('wasm: works after the heap grew (views are taken after allocation)', async () => {
    await selectBackend('wasm');
    // A 64 MB tensor forces the WASM memory to grow between our calls.
    const big = tf.zeros([16 * 1024 * 1024]);
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
    const ids = tf.tensor1d([1, 1, 0], 'int32');
    const out = tf.unsortedSegmentSum(x, ids, 2);
    expect(out.arraySync()).toEqual([
      [5, 6],
      [4, 6],
    ]);
    tf.dispose([big, x, ids, out]);
    await selectBackend('cpu');
  });
});

/** A seeded random product `op(a) x op(b)`, as a function that runs it on the current backend. */
function matMulOfRandom(
  aShape: readonly number[],
  bShape: readonly number[],
  ta: boolean,
  tb: boolean,
  seed: number,
): () => { shape: number[]; values: number[] } {
  const rand = random(seed);
  const size = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);
  const a = randomFloats(rand, size(aShape));
  const b = randomFloats(rand, size(bShape));
  return () => {
    const ta_ = tf.tensor(a, [...aShape]);
    const tb_ = tf.tensor(b, [...bShape]);
    const out = read(tf.matMul(ta_, tb_, ta, tb));
    tf.dispose([ta_, tb_]);
    return out;
  };
}

describe('cpu SplitV and BatchMatMul', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  test.each([
    [[512, 45], [16, 16, 8, 4, 1], 1],
    [[7, 9, 5], [2, -1, 3], 1],
    [[6, 4], 3, 0],
    [[3, 4, 10], [5, 5], -1],
  ] as const)('split %j into %j along %i equals the reference', (shape, splits, axis) => {
    const rand = random(7);
    const values = randomFloats(
      rand,
      shape.reduce((a, b) => a * b, 1),
    );
    const run = () => {
      const x = tf.tensor(values, [...shape]);
      const parts = tf.split(x, typeof splits === 'number' ? splits : [...splits], axis).map(read);
      x.dispose();
      return parts;
    };
    expect(run()).toEqual(reference(run));
  });

  test('split of int32 and bool tensors equals the reference', () => {
    const run = () =>
      [tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32'), tf.tensor2d([1, 0, 1, 0, 0, 1], [2, 3], 'bool')].flatMap((x) => {
        const parts = tf.split(x, [2, 1], 1);
        const out = parts.map((p) => ({ dtype: p.dtype, ...read(p) }));
        x.dispose();
        return out;
      });
    expect(run()).toEqual(reference(run));
  });

  test.each([
    [[512, 45], [45, 64], false, false],
    [[512, 45], [512, 64], true, false],
    [[512, 64], [64, 64], false, true],
    [[64, 512], [64, 33], true, false],
    [[13, 7], [11, 7], false, true],
    [[3, 6, 5], [3, 5, 9], false, false],
    [[3, 5, 6], [5, 9], true, false],
    [[6, 5], [2, 9, 5], false, true],
    [[2, 1, 4, 5], [1, 3, 5, 4], false, false],
    [[512, 64], [512, 1], true, false],
  ] as const)('matMul %j x %j (transposeA %s, transposeB %s) equals the reference', (aShape, bShape, ta, tb) => {
    const run = matMulOfRandom(aShape, bShape, ta, tb, 11);
    // Both accumulate in float64 and round once; only the summation order differs.
    expectClose(run(), reference(run), 1e-5);
  });

  test('a shape mismatch still gives TF.js error message', () => {
    const a = tf.ones([3, 4]);
    const b = tf.ones([5, 6]);
    expect(() => tf.matMul(a, b)).toThrow(/inner shapes/);
    tf.dispose([a, b]);
  });
});

describe('wasm BatchMatMul', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });
  afterAll(async () => {
    await selectBackend('cpu');
  });

  test.each([
    [[512, 45], [512, 64], true, false],
    [[512, 64], [64, 64], false, true],
    [[64, 512], [33, 64], true, true],
    [[3, 5, 6], [3, 5, 9], true, false],
    [[512, 64], [512, 1], true, false],
    [[8, 6], [6, 4], false, false],
  ] as const)('matMul %j x %j (transposeA %s, transposeB %s) equals the reference, without leaking', (aShape, bShape, ta, tb) => {
    expect(isFastKernelRegistered('BatchMatMul', 'wasm')).toBe(true);
    const run = matMulOfRandom(aShape, bShape, ta, tb, 13);
    const before = tf.memory().numTensors;
    const bytes = (tf.memory() as { numBytesInWASM?: number }).numBytesInWASM;
    const actual = run();
    expect(tf.memory().numTensors).toBe(before);
    // The transposed copies are freed: the heap's tensor bytes are back where they were.
    expect((tf.memory() as { numBytesInWASM?: number }).numBytesInWASM).toBe(bytes);
    // float32 sums over up to 512 products in another order (XNNPACK's): a few ulps of ~20.
    expectClose(actual, reference(run), 1e-4);
  });
});

describe('wasm GatherV2', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });
  afterAll(async () => {
    await selectBackend('cpu');
  });

  test.each([
    [[40, 6], [512, 1], 'float32'],
    [[9, 3, 2], [7], 'float32'],
    [[400, 16], [3, 5], 'int32'],
  ] as const)('gather of a %j table at %j ids (%s) equals the reference, exactly', (tableShape, idsShape, dtype) => {
    expect(isFastKernelRegistered('GatherV2', 'wasm')).toBe(true);
    const rand = random(5);
    const size = (tableShape as readonly number[]).reduce((a, b) => a * b, 1);
    const values = dtype === 'int32' ? Int32Array.from({ length: size }, () => Math.floor(rand() * 1000)) : randomFloats(rand, size);
    const count = (idsShape as readonly number[]).reduce((a, b) => a * b, 1);
    const ids = Int32Array.from({ length: count }, () => Math.floor(rand() * tableShape[0]));
    const run = () => tf.tidy(() => read(tf.gather(tf.tensor(values, [...tableShape], dtype), tf.tensor(ids, [...idsShape], 'int32'))));
    expect(run()).toEqual(reference(run));
  });

  test('an id out of range throws as TF.js does; another axis goes to TF.js', () => {
    const table = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    expect(() => tf.gather(table, tf.tensor1d([2], 'int32'))).toThrow('GatherV2: the index value 2 is not in [0, 1]');
    expect(read(tf.gather(table, tf.tensor1d([1, 1, 0], 'int32'), 1))).toEqual({ shape: [2, 3], values: [2, 2, 1, 4, 4, 3] });
    table.dispose();
  });
});

/** Two embeddings and a number, concatenated, then an MLP: the reference model in small. */
function embeddingModel(seed: number): tf.LayersModel {
  const init = (s: number) => tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: seed + s });
  const a = tf.input({ shape: [1], dtype: 'int32', name: 'a' });
  const b = tf.input({ shape: [1], dtype: 'int32', name: 'b' });
  const num = tf.input({ shape: [1], name: 'num' });
  const ea = tf.layers.flatten().apply(tf.layers.embedding({ inputDim: 40, outputDim: 6, embeddingsInitializer: init(1) }).apply(a));
  const eb = tf.layers.flatten().apply(tf.layers.embedding({ inputDim: 9, outputDim: 3, embeddingsInitializer: init(2) }).apply(b));
  const joined = tf.layers.concatenate().apply([ea, eb, num] as tf.SymbolicTensor[]);
  const hidden = tf.layers.dense({ units: 8, activation: 'relu', kernelInitializer: init(3) }).apply(joined);
  const out = tf.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: init(4) }).apply(hidden);
  return tf.model({ inputs: [a, b, num], outputs: out as tf.SymbolicTensor });
}

/** Inputs whose label depends on the ids, so a model can learn it. */
function embeddingData(seed: number, n: number) {
  const rand = random(seed);
  const a = Int32Array.from({ length: n }, () => Math.floor(rand() * 40));
  const b = Int32Array.from({ length: n }, () => Math.floor(rand() * 9));
  const num = randomFloats(rand, n);
  const y = Float32Array.from(a, (v, i) => ((v % 3 === 0) !== b[i]! < 3 ? 1 : 0));
  return {
    xs: [tf.tensor2d(a, [n, 1], 'int32'), tf.tensor2d(b, [n, 1], 'int32'), tf.tensor2d(num, [n, 1])],
    y: tf.tensor2d(y, [n, 1]),
  };
}

describe('embedding model', () => {
  test('gradients on cpu are the same with and without the fast kernels', async () => {
    await selectBackend('cpu');
    const model = embeddingModel(1);
    const { xs, y } = embeddingData(2, 256);
    const gradients = () => {
      const { value, grads } = tf.variableGrads(() => tf.losses.sigmoidCrossEntropy(y, model.apply(xs, { training: true }) as tf.Tensor));
      const out = Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, read(g)]));
      return { loss: read(value), grads: out };
    };
    const expected = reference(gradients);
    const actual = gradients();
    expect(Object.keys(actual.grads).sort()).toEqual(Object.keys(expected.grads).sort());
    expect(Object.keys(actual.grads).length).toBe(6);
    for (const [name, g] of Object.entries(expected.grads)) expectClose(actual.grads[name]!, g, 1e-6);
    expectClose(actual.loss, expected.loss, 1e-6);
    tf.dispose([...xs, y]);
    model.dispose();
  });

  test('trains on wasm: a few epochs lower the loss', async () => {
    await selectBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const model = embeddingModel(5);
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'binaryCrossentropy' });
    const { xs, y } = embeddingData(6, 1024);
    const history = await model.fit(xs, y, { epochs: 8, batchSize: 128, shuffle: false, verbose: 0 });
    const losses = history.history['loss'] as number[];
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! * 0.9);
    tf.dispose([...xs, y]);
    model.dispose();
    await selectBackend('cpu');
  });
});
