/**
 * The arithmetic of one training step of ct's model family, in AssemblyScript, compiled
 * to WebAssembly with 128-bit SIMD (scripts/build-wasm.mjs, `npm run wasm`).
 *
 * Every pointer is a byte offset into the memory the caller lays out (../layout.ts); these
 * functions allocate nothing, so two instances can work on one shared memory, one per
 * thread. Matrices are row-major float32. A width passed as `m` or `k` below is a multiple
 * of 4 (the layout pads the model's widths with zero columns that stay zero).
 */

// ---------------------------------------------------------------------------------------
// Products

/** y[n×m] = x[n×k] · w[k×m] (+ bias[m] when `bias` is not 0). `m` is a multiple of 4. */
export function matmul(x: usize, n: i32, k: i32, w: usize, m: i32, bias: usize, y: usize): void {
  const xRow = (<usize>k) << 2;
  const yRow = (<usize>m) << 2;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    rows4(x + <usize>i * xRow, k, xRow, w, m, yRow, bias, y + <usize>i * yRow);
  }
  for (; i < n; i++) {
    row1(x + <usize>i * xRow, k, w, m, yRow, bias, y + <usize>i * yRow);
  }
}

@inline
function start(bias: usize, byteOffset: usize): v128 {
  return bias == 0 ? f32x4.splat(0) : v128.load(bias + byteOffset);
}

function rows4(x: usize, k: i32, xRow: usize, w: usize, m: i32, yRow: usize, bias: usize, y: usize): void {
  let j = 0;
  for (; j + 8 <= m; j += 8) {
    const col = (<usize>j) << 2;
    let a00 = start(bias, col);
    let a01 = start(bias, col + 16);
    let a10 = a00;
    let a11 = a01;
    let a20 = a00;
    let a21 = a01;
    let a30 = a00;
    let a31 = a01;
    let wp = w + col;
    let xp = x;
    for (let p = 0; p < k; p++) {
      const w0 = v128.load(wp);
      const w1 = v128.load(wp, 16);
      const x0 = f32x4.splat(load<f32>(xp));
      const x1 = f32x4.splat(load<f32>(xp + xRow));
      const x2 = f32x4.splat(load<f32>(xp + 2 * xRow));
      const x3 = f32x4.splat(load<f32>(xp + 3 * xRow));
      a00 = f32x4.add(a00, f32x4.mul(x0, w0));
      a01 = f32x4.add(a01, f32x4.mul(x0, w1));
      a10 = f32x4.add(a10, f32x4.mul(x1, w0));
      a11 = f32x4.add(a11, f32x4.mul(x1, w1));
      a20 = f32x4.add(a20, f32x4.mul(x2, w0));
      a21 = f32x4.add(a21, f32x4.mul(x2, w1));
      a30 = f32x4.add(a30, f32x4.mul(x3, w0));
      a31 = f32x4.add(a31, f32x4.mul(x3, w1));
      wp += yRow;
      xp += 4;
    }
    const yp = y + col;
    v128.store(yp, a00);
    v128.store(yp, a01, 16);
    v128.store(yp + yRow, a10);
    v128.store(yp + yRow, a11, 16);
    v128.store(yp + 2 * yRow, a20);
    v128.store(yp + 2 * yRow, a21, 16);
    v128.store(yp + 3 * yRow, a30);
    v128.store(yp + 3 * yRow, a31, 16);
  }
  if (j < m) {
    const col = (<usize>j) << 2;
    let a0 = start(bias, col);
    let a1 = a0;
    let a2 = a0;
    let a3 = a0;
    let wp = w + col;
    let xp = x;
    for (let p = 0; p < k; p++) {
      const w0 = v128.load(wp);
      a0 = f32x4.add(a0, f32x4.mul(f32x4.splat(load<f32>(xp)), w0));
      a1 = f32x4.add(a1, f32x4.mul(f32x4.splat(load<f32>(xp + xRow)), w0));
      a2 = f32x4.add(a2, f32x4.mul(f32x4.splat(load<f32>(xp + 2 * xRow)), w0));
      a3 = f32x4.add(a3, f32x4.mul(f32x4.splat(load<f32>(xp + 3 * xRow)), w0));
      wp += yRow;
      xp += 4;
    }
    const yp = y + col;
    v128.store(yp, a0);
    v128.store(yp + yRow, a1);
    v128.store(yp + 2 * yRow, a2);
    v128.store(yp + 3 * yRow, a3);
  }
}

function row1(x: usize, k: i32, w: usize, m: i32, yRow: usize, bias: usize, y: usize): void {
  for (let j = 0; j < m; j += 4) {
    const col = (<usize>j) << 2;
    let a = start(bias, col);
    let wp = w + col;
    for (let p = 0; p < k; p++) {
      a = f32x4.add(a, f32x4.mul(f32x4.splat(load<f32>(x + ((<usize>p) << 2))), v128.load(wp)));
      wp += yRow;
    }
    v128.store(y + col, a);
  }
}

/**
 * The weight gradient of a dense layer, added: dw[k×m] += xᵀ · dy for x[n×k], dy[n×m],
 * and db[m] += the column sums of dy. `k` and `m` are multiples of 4.
 */
export function weightGradient(x: usize, dy: usize, n: i32, k: i32, m: i32, dw: usize, db: usize): void {
  const xRow = (<usize>k) << 2;
  const yRow = (<usize>m) << 2;
  for (let p = 0; p < k; p += 4) {
    const dwRow = dw + <usize>p * yRow;
    let j = 0;
    for (; j + 8 <= m; j += 8) {
      const col = (<usize>j) << 2;
      const d = dwRow + col;
      let a00 = v128.load(d);
      let a01 = v128.load(d, 16);
      let a10 = v128.load(d + yRow);
      let a11 = v128.load(d + yRow, 16);
      let a20 = v128.load(d + 2 * yRow);
      let a21 = v128.load(d + 2 * yRow, 16);
      let a30 = v128.load(d + 3 * yRow);
      let a31 = v128.load(d + 3 * yRow, 16);
      let xp = x + ((<usize>p) << 2);
      let yp = dy + col;
      for (let i = 0; i < n; i++) {
        const y0 = v128.load(yp);
        const y1 = v128.load(yp, 16);
        const x0 = f32x4.splat(load<f32>(xp));
        const x1 = f32x4.splat(load<f32>(xp, 4));
        const x2 = f32x4.splat(load<f32>(xp, 8));
        const x3 = f32x4.splat(load<f32>(xp, 12));
        a00 = f32x4.add(a00, f32x4.mul(x0, y0));
        a01 = f32x4.add(a01, f32x4.mul(x0, y1));
        a10 = f32x4.add(a10, f32x4.mul(x1, y0));
        a11 = f32x4.add(a11, f32x4.mul(x1, y1));
        a20 = f32x4.add(a20, f32x4.mul(x2, y0));
        a21 = f32x4.add(a21, f32x4.mul(x2, y1));
        a30 = f32x4.add(a30, f32x4.mul(x3, y0));
        a31 = f32x4.add(a31, f32x4.mul(x3, y1));
        xp += xRow;
        yp += yRow;
      }
      v128.store(d, a00);
      v128.store(d, a01, 16);
      v128.store(d + yRow, a10);
      v128.store(d + yRow, a11, 16);
      v128.store(d + 2 * yRow, a20);
      v128.store(d + 2 * yRow, a21, 16);
      v128.store(d + 3 * yRow, a30);
      v128.store(d + 3 * yRow, a31, 16);
    }
    if (j < m) {
      const col = (<usize>j) << 2;
      const d = dwRow + col;
      let a0 = v128.load(d);
      let a1 = v128.load(d + yRow);
      let a2 = v128.load(d + 2 * yRow);
      let a3 = v128.load(d + 3 * yRow);
      let xp = x + ((<usize>p) << 2);
      let yp = dy + col;
      for (let i = 0; i < n; i++) {
        const y0 = v128.load(yp);
        a0 = f32x4.add(a0, f32x4.mul(f32x4.splat(load<f32>(xp)), y0));
        a1 = f32x4.add(a1, f32x4.mul(f32x4.splat(load<f32>(xp, 4)), y0));
        a2 = f32x4.add(a2, f32x4.mul(f32x4.splat(load<f32>(xp, 8)), y0));
        a3 = f32x4.add(a3, f32x4.mul(f32x4.splat(load<f32>(xp, 12)), y0));
        xp += xRow;
        yp += yRow;
      }
      v128.store(d, a0);
      v128.store(d + yRow, a1);
      v128.store(d + 2 * yRow, a2);
      v128.store(d + 3 * yRow, a3);
    }
  }
  for (let j = 0; j < m; j += 4) {
    const col = (<usize>j) << 2;
    let a = v128.load(db + col);
    let yp = dy + col;
    for (let i = 0; i < n; i++) {
      a = f32x4.add(a, v128.load(yp));
      yp += yRow;
    }
    v128.store(db + col, a);
  }
}

/** t[m×k] = wᵀ for w[k×m]. */
export function transpose(w: usize, k: i32, m: i32, t: usize): void {
  for (let p = 0; p < k; p++) {
    for (let j = 0; j < m; j++) {
      store<f32>(t + ((<usize>j * k + p) << 2), load<f32>(w + ((<usize>p * m + j) << 2)));
    }
  }
}

// ---------------------------------------------------------------------------------------
// Inputs: embedding lookups and numeric columns into the first layer's input, and back

/**
 * For the `n` rows listed at `order` (int32 row numbers): x[i, offset + c] = table[id, c]
 * with id = column[row] (int32), c < dim; rows of x are `xWidth` floats.
 */
export function gatherEmbedding(order: usize, n: i32, column: usize, table: usize, dim: i32, x: usize, xWidth: i32, offset: i32): void {
  const bytes = (<usize>dim) << 2;
  for (let i = 0; i < n; i++) {
    const row = load<i32>(order + ((<usize>i) << 2));
    const id = load<i32>(column + ((<usize>row) << 2));
    memory.copy(x + ((<usize>i * xWidth + offset) << 2), table + <usize>id * bytes, bytes);
  }
}

/** x[i, offset] = column[order[i]] (float32) for the `n` rows listed at `order`. */
export function gatherNumeric(order: usize, n: i32, column: usize, x: usize, xWidth: i32, offset: i32): void {
  for (let i = 0; i < n; i++) {
    const row = load<i32>(order + ((<usize>i) << 2));
    store<f32>(x + ((<usize>i * xWidth + offset) << 2), load<f32>(column + ((<usize>row) << 2)));
  }
}

/** The embedding gradient, added: grad[id, c] += dx[i, offset + c], rows in order. */
export function scatterEmbedding(order: usize, n: i32, column: usize, grad: usize, dim: i32, dx: usize, xWidth: i32, offset: i32): void {
  for (let i = 0; i < n; i++) {
    const row = load<i32>(order + ((<usize>i) << 2));
    const id = load<i32>(column + ((<usize>row) << 2));
    const g = grad + ((<usize>id * dim) << 2);
    const d = dx + ((<usize>i * xWidth + offset) << 2);
    for (let c = 0; c < dim; c++) {
      const at = (<usize>c) << 2;
      store<f32>(g + at, load<f32>(g + at) + load<f32>(d + at));
    }
  }
}

// ---------------------------------------------------------------------------------------
// Activations and dropout, element-wise over `count` floats

export const LINEAR = 0;
export const RELU = 1;
export const ELU = 2;
export const TANH = 3;
export const GELU = 4;

const SQRT1_2: f32 = 0.7071067811865476;
const INV_SQRT_2PI: f32 = 0.3989422804014327;

/** erf as TF.js computes it (Abramowitz and Stegun 7.1.26), so the two paths agree. */
function erf(v: f32): f32 {
  const sign: f32 = v < 0 ? -1 : 1;
  const a = Mathf.abs(v);
  const t: f32 = 1 / (1 + 0.3275911 * a);
  const poly: f32 = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return sign * (1 - poly * Mathf.exp(-a * a));
}

/** post = activation(pre). */
export function activate(kind: i32, pre: usize, post: usize, count: i32): void {
  const end = pre + ((<usize>count) << 2);
  if (kind == RELU) {
    const zero = f32x4.splat(0);
    for (let p = pre, q = post; p < end; p += 16, q += 16) v128.store(q, f32x4.max(v128.load(p), zero));
    return;
  }
  for (let p = pre, q = post; p < end; p += 4, q += 4) {
    const v = load<f32>(p);
    let y: f32 = v;
    if (kind == ELU) y = v > 0 ? v : Mathf.exp(v) - 1;
    else if (kind == TANH) y = Mathf.tanh(v);
    else if (kind == GELU) y = v * (0.5 * (1 + erf(v * SQRT1_2)));
    store<f32>(q, y);
  }
}

/** d *= activation'(pre) in place, from the layer's input `pre` and output `post`. */
export function activationGradient(kind: i32, pre: usize, post: usize, d: usize, count: i32): void {
  const end = d + ((<usize>count) << 2);
  if (kind == LINEAR) return;
  if (kind == RELU) {
    const zero = f32x4.splat(0);
    for (let g = d, q = post; g < end; g += 16, q += 16) v128.store(g, v128.and(v128.load(g), f32x4.gt(v128.load(q), zero)));
    return;
  }
  for (let g = d, p = pre, q = post; g < end; g += 4, p += 4, q += 4) {
    const x = load<f32>(p);
    const y = load<f32>(q);
    let slope: f32 = 1;
    if (kind == ELU) slope = x > 0 ? 1 : y + 1;
    else if (kind == TANH) slope = 1 - y * y;
    else if (kind == GELU) slope = 0.5 * (1 + erf(x * SQRT1_2)) + x * INV_SQRT_2PI * Mathf.exp(-0.5 * x * x);
    store<f32>(g, load<f32>(g) * slope);
  }
}

/**
 * Inverted dropout: each of `count` values is kept with probability 1 - rate and scaled by
 * 1 / (1 - rate), else zeroed; the factor goes to `mask` for the backward pass. The draw of
 * value j is a hash of (seed, first + j), so it does not depend on which thread computes it.
 */
export function dropout(post: usize, mask: usize, count: i32, rate: f32, seed: u32, first: u32): void {
  const scale: f32 = 1 / (1 - rate);
  for (let j = 0; j < count; j++) {
    const u = <f32>(mix(seed, first + <u32>j) >>> 8) * (1.0 / 16777216.0);
    const f: f32 = u < rate ? 0 : scale;
    const at = (<usize>j) << 2;
    store<f32>(mask + at, f);
    store<f32>(post + at, load<f32>(post + at) * f);
  }
}

/** d *= mask, element-wise (the backward pass of dropout). */
export function multiply(d: usize, mask: usize, count: i32): void {
  const end = d + ((<usize>count) << 2);
  for (let g = d, q = mask; g < end; g += 16, q += 16) v128.store(g, f32x4.mul(v128.load(g), v128.load(q)));
}

/** A 32-bit hash of (seed, index): murmur3's finaliser over a golden-ratio step. */
function mix(seed: u32, index: u32): u32 {
  let h = seed ^ (index * 0x9e3779b9);
  h ^= h >>> 16;
  h *= 0x85ebca6b;
  h ^= h >>> 13;
  h *= 0xc2b2ae35;
  h ^= h >>> 16;
  return h;
}

// ---------------------------------------------------------------------------------------
// Heads: the loss of `n` rows and its gradient with respect to the logits z[n×width]

const EPSILON: f32 = 1e-7;

/** Class weight of class `c`; 1 when `weights` is 0 (unweighted). */
@inline
function weightOf(weights: usize, c: i32): f32 {
  return weights == 0 ? 1 : load<f32>(weights + ((<usize>c) << 2));
}

/**
 * Sigmoid and binary cross-entropy on column 0 of z (TF.js's: the probability clipped to
 * [1e-7, 1 - 1e-7], whose gradient is zero where it clips). Writes dz = w (p - y) · scale
 * and returns the sum of the rows' weighted losses.
 */
export function binaryHead(z: usize, width: i32, order: usize, n: i32, targets: usize, weights: usize, scale: f32, dz: usize): f64 {
  let loss: f64 = 0;
  const row = (<usize>width) << 2;
  for (let i = 0; i < n; i++) {
    const y = load<f32>(targets + ((<usize>load<i32>(order + ((<usize>i) << 2))) << 2));
    const p: f32 = 1 / (1 + Mathf.exp(-load<f32>(z + <usize>i * row)));
    memory.fill(dz + <usize>i * row, 0, row);
    const w = weightOf(weights, <i32>y);
    const clipped = Mathf.min(Mathf.max(p, EPSILON), 1 - EPSILON);
    loss += <f64>(-w * (y * Mathf.log(clipped) + (1 - y) * Mathf.log(1 - clipped)));
    store<f32>(dz + <usize>i * row, clipped == p ? w * (p - y) * scale : 0);
  }
  return loss;
}

/**
 * Softmax over the first `classes` columns of z and sparse categorical cross-entropy
 * (TF.js's: the probability clipped to [1e-7, 1 - 1e-7]). dz = w (p - onehot) · scale.
 */
export function softmaxHead(z: usize, width: i32, classes: i32, order: usize, n: i32, targets: usize, weights: usize, scale: f32, dz: usize): f64 {
  let loss: f64 = 0;
  const row = (<usize>width) << 2;
  for (let i = 0; i < n; i++) {
    const zi = z + <usize>i * row;
    const di = dz + <usize>i * row;
    memory.fill(di, 0, row);
    const c = <i32>load<f32>(targets + ((<usize>load<i32>(order + ((<usize>i) << 2))) << 2));
    let max = load<f32>(zi);
    for (let j = 1; j < classes; j++) max = Mathf.max(max, load<f32>(zi + ((<usize>j) << 2)));
    let sum: f32 = 0;
    for (let j = 0; j < classes; j++) {
      const e = Mathf.exp(load<f32>(zi + ((<usize>j) << 2)) - max);
      store<f32>(di + ((<usize>j) << 2), e);
      sum += e;
    }
    const w = weightOf(weights, c);
    for (let j = 0; j < classes; j++) {
      const at = di + ((<usize>j) << 2);
      const p = load<f32>(at) / sum;
      if (j == c) loss += <f64>(-w * Mathf.log(Mathf.min(Mathf.max(p, EPSILON), 1 - EPSILON)));
      store<f32>(at, w * (p - (j == c ? 1 : 0)) * scale);
    }
  }
  return loss;
}

/** Mean squared error on column 0 of z: dz = 2 (z - y) · scale; returns the sum of squares. */
export function squaredErrorHead(z: usize, width: i32, order: usize, n: i32, targets: usize, scale: f32, dz: usize): f64 {
  let loss: f64 = 0;
  const row = (<usize>width) << 2;
  for (let i = 0; i < n; i++) {
    const y = load<f32>(targets + ((<usize>load<i32>(order + ((<usize>i) << 2))) << 2));
    const e = load<f32>(z + <usize>i * row) - y;
    memory.fill(dz + <usize>i * row, 0, row);
    loss += <f64>(e * e);
    store<f32>(dz + <usize>i * row, 2 * e * scale);
  }
  return loss;
}

// ---------------------------------------------------------------------------------------
// Optimisers: `count` parameters (a multiple of 4) updated from the sum of two shards'
// gradients g0 + g1 (in that order), which are zeroed for the next step. Each follows
// TF.js's order of operations.

/** Adam; c1 = 1 - beta1^t and c2 = 1 - beta2^t. */
export function adam(w: usize, m: usize, v: usize, g0: usize, g1: usize, count: i32, rate: f32, beta1: f32, beta2: f32, epsilon: f32, c1: f32, c2: f32): void {
  const zero = f32x4.splat(0);
  const b1 = f32x4.splat(beta1);
  const b2 = f32x4.splat(beta2);
  const rb1 = f32x4.splat(1 - beta1);
  const rb2 = f32x4.splat(1 - beta2);
  const vc1 = f32x4.splat(c1);
  const vc2 = f32x4.splat(c2);
  const eps = f32x4.splat(epsilon);
  const step = f32x4.splat(-rate);
  const bytes = (<usize>count) << 2;
  for (let o: usize = 0; o < bytes; o += 16) {
    const g = f32x4.add(v128.load(g0 + o), v128.load(g1 + o));
    v128.store(g0 + o, zero);
    v128.store(g1 + o, zero);
    const m1 = f32x4.add(f32x4.mul(v128.load(m + o), b1), f32x4.mul(g, rb1));
    const v1 = f32x4.add(f32x4.mul(v128.load(v + o), b2), f32x4.mul(f32x4.mul(g, g), rb2));
    v128.store(m + o, m1);
    v128.store(v + o, v1);
    const update = f32x4.div(f32x4.div(m1, vc1), f32x4.add(f32x4.sqrt(f32x4.div(v1, vc2)), eps));
    v128.store(w + o, f32x4.add(f32x4.mul(update, step), v128.load(w + o)));
  }
}

/** Plain gradient descent: w = -rate · g + w. */
export function sgd(w: usize, g0: usize, g1: usize, count: i32, rate: f32): void {
  const zero = f32x4.splat(0);
  const step = f32x4.splat(-rate);
  const bytes = (<usize>count) << 2;
  for (let o: usize = 0; o < bytes; o += 16) {
    const g = f32x4.add(v128.load(g0 + o), v128.load(g1 + o));
    v128.store(g0 + o, zero);
    v128.store(g1 + o, zero);
    v128.store(w + o, f32x4.add(f32x4.mul(g, step), v128.load(w + o)));
  }
}

/** RMSprop without momentum or centring (TF.js's defaults): ms = decay·ms + (1-decay)·g². */
export function rmsprop(w: usize, ms: usize, g0: usize, g1: usize, count: i32, rate: f32, decay: f32, epsilon: f32): void {
  const zero = f32x4.splat(0);
  const d = f32x4.splat(decay);
  const rd = f32x4.splat(1 - decay);
  const lr = f32x4.splat(rate);
  const eps = f32x4.splat(epsilon);
  const bytes = (<usize>count) << 2;
  for (let o: usize = 0; o < bytes; o += 16) {
    const g = f32x4.add(v128.load(g0 + o), v128.load(g1 + o));
    v128.store(g0 + o, zero);
    v128.store(g1 + o, zero);
    const s = f32x4.add(f32x4.mul(v128.load(ms + o), d), f32x4.mul(f32x4.mul(g, g), rd));
    v128.store(ms + o, s);
    v128.store(w + o, f32x4.sub(v128.load(w + o), f32x4.div(f32x4.mul(g, lr), f32x4.sqrt(f32x4.add(s, eps)))));
  }
}
