/**
 * The compiled training kernels (assembly/kernels.ts) and their typed interface: one
 * module, instantiated once per thread over one shared memory.
 */
import { KERNELS_WASM_BASE64 } from './kernels-wasm.js';

/** The exports of assembly/kernels.ts; pointers are byte offsets into the shared memory. */
export interface Kernels {
  matmul(x: number, n: number, k: number, w: number, m: number, bias: number, y: number): void;
  weightGradient(x: number, dy: number, n: number, k: number, m: number, dw: number, db: number): void;
  transpose(w: number, k: number, m: number, t: number): void;
  gatherEmbedding(order: number, n: number, column: number, table: number, dim: number, x: number, xWidth: number, offset: number): void;
  gatherNumeric(order: number, n: number, column: number, x: number, xWidth: number, offset: number): void;
  scatterEmbedding(order: number, n: number, column: number, grad: number, dim: number, dx: number, xWidth: number, offset: number): void;
  activate(kind: number, pre: number, post: number, count: number): void;
  activationGradient(kind: number, pre: number, post: number, d: number, count: number): void;
  dropout(post: number, mask: number, count: number, rate: number, seed: number, first: number): void;
  multiply(d: number, mask: number, count: number): void;
  binaryHead(z: number, width: number, order: number, n: number, targets: number, weights: number, scale: number, dz: number): number;
  softmaxHead(z: number, width: number, classes: number, order: number, n: number, targets: number, weights: number, scale: number, dz: number): number;
  squaredErrorHead(z: number, width: number, order: number, n: number, targets: number, scale: number, dz: number): number;
  adam(
    w: number,
    m: number,
    v: number,
    g0: number,
    g1: number,
    count: number,
    rate: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    c1: number,
    c2: number,
  ): void;
  sgd(w: number, g0: number, g1: number, count: number, rate: number): void;
  rmsprop(w: number, ms: number, g0: number, g1: number, count: number, rate: number, decay: number, epsilon: number): void;
}

let compiled: WebAssembly.Module | undefined;

/** The compiled module (compiled once per process); throws where WebAssembly SIMD or threads are missing. */
export function kernelModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(Buffer.from(KERNELS_WASM_BASE64, 'base64'));
  return compiled;
}

/** A shared memory of at least `bytes`, which never grows (views of it stay valid). */
export function sharedMemory(bytes: number): WebAssembly.Memory {
  const pages = Math.ceil(bytes / 65_536);
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
}

/** The kernels of `module` over `memory`. */
export function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): Kernels {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports as unknown as Kernels;
}

/** Null when this runtime can run the fused kernels, else why not (no SIMD, no shared memory). */
export function fusedUnavailableReason(): string | null {
  try {
    instantiateKernels(kernelModule(), sharedMemory(65_536));
    return null;
  } catch (error) {
    return `the fused WebAssembly kernels cannot run here: ${error instanceof Error ? error.message : String(error)}`;
  }
}
