/**
 * ct's TF.js: the core ops and the layers API on the cpu backend, the packages ct uses
 * (train/backend.ts adds wasm, or tfjs-node where a team installs it). Not the umbrella
 * `@tensorflow/tfjs`, which adds the converter, tf.data and webgl (about 190 MB that ct
 * never loads) to every install. Everything in ct, and the TF.js a model module receives
 * as `spec.tf`, comes from here.
 *
 * The umbrella also adds the chained ops (`x.mul(y)` for `tf.mul(x, y)`); a module's custom
 * layer may use them, so they are added here the same way: each a method calling its op.
 */
import * as core from '@tensorflow/tfjs-core';
// A binding, not a bare import: the package marks its Node build free of side effects, and a
// bundler would drop a bare import with the backend's registration.
import { version_cpu } from '@tensorflow/tfjs-backend-cpu';
import { version_layers } from '@tensorflow/tfjs-layers';

export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';

/** Versions of the TF.js packages ct runs on, as the umbrella's `tf.version` names them. */
export const version: Readonly<{ 'tfjs-core': string; 'tfjs-layers': string; 'tfjs-backend-cpu': string }> = {
  'tfjs-core': core.version_core,
  'tfjs-layers': version_layers,
  'tfjs-backend-cpu': version_cpu,
};

type Op = (...args: unknown[]) => unknown;

/** Methods whose op takes the tensor as its first argument and the method's arguments after it. */
const SAME_ARGUMENTS = [
  'abs acos acosh add all any argMax argMin asin asinh atan atan2 atanh batchToSpaceND batchNorm broadcastTo cast ceil clipByValue',
  'conv1d conv2d cos cosh cumprod cumsum depthToSpace div divNoNan dot elu equal erf euclideanNorm exp expandDims expm1 fft floor',
  'floorDiv gather greater greaterEqual ifft irfft isFinite isInf isNaN leakyRelu less lessEqual log log1p logSigmoid logSoftmax',
  'logSumExp logicalAnd logicalNot logicalOr logicalXor matMul max maximum mean min minimum mirrorPad mod mul neg norm notEqual',
  'oneHot onesLike pad pool pow prelu prod reciprocal relu relu6 reshape reverse rfft round rsqrt selu sigmoid sign sin sinh slice',
  'softmax softplus spaceToBatchND split sqrt square squaredDifference squeeze step stridedSlice sub sum tan tanh tile topk',
  'transpose unique unstack zerosLike',
]
  .join(' ')
  .split(' ');

/** Methods that are another op, or the same op with the arguments arranged otherwise. */
const ARRANGED: Record<string, (x: core.Tensor, ...args: never[]) => unknown> = {
  asScalar: (x) => core.reshape(x, []),
  as1D: (x) => core.reshape(x, [-1]),
  as2D: (x, rows: number, columns: number) => core.reshape(x, [rows, columns]),
  as3D: (x, rows: number, columns: number, depth: number) => core.reshape(x, [rows, columns, depth]),
  as4D: (x, rows: number, columns: number, depth: number, depth2: number) => core.reshape(x, [rows, columns, depth, depth2]),
  as5D: (x, rows: number, columns: number, depth: number, depth2: number, depth3: number) => core.reshape(x, [rows, columns, depth, depth2, depth3]),
  asType: (x, dtype: core.DataType) => core.cast(x, dtype),
  toBool: (x) => core.cast(x, 'bool'),
  toFloat: (x) => core.cast(x, 'float32'),
  toInt: (x) => core.cast(x, 'int32'),
  flatten: (x) => core.reshape(x, [x.size]),
  reshapeAs: (x, other: core.Tensor) => core.reshape(x, other.shape),
  concat: (x, others: core.Tensor | core.Tensor[], axis?: number) => core.concat([x, ...(Array.isArray(others) ? others : [others])], axis),
  stack: (x, others: core.Tensor | core.Tensor[], axis?: number) => core.stack([x, ...(Array.isArray(others) ? others : [others])], axis),
  where: (x, condition: core.Tensor, other: core.Tensor) => core.where(condition, x, other),
};

function addChainedOps(): void {
  const prototype = core.Tensor.prototype as unknown as Record<string, unknown>;
  const ops = core as unknown as Record<string, Op>;
  const define = (name: string, method: (this: core.Tensor, ...args: never[]) => unknown): void => {
    // Another copy of TF.js in the process (tfjs-node's umbrella) may have added them already.
    if (typeof prototype[name] !== 'function') prototype[name] = method;
  };
  for (const name of SAME_ARGUMENTS) {
    const op = ops[name];
    if (typeof op !== 'function') continue;
    define(name, function (this: core.Tensor, ...args: never[]) {
      this.throwIfDisposed();
      return op(this, ...args);
    });
  }
  for (const [name, arrange] of Object.entries(ARRANGED)) {
    define(name, function (this: core.Tensor, ...args: never[]) {
      this.throwIfDisposed();
      return arrange(this, ...args);
    });
  }
}

addChainedOps();
