/**
 * A warm start's initial weights: the parent model's, laid out for the grown
 * preprocessing. Known ids keep their embedding rows; a new vocabulary value starts as
 * the parent's out-of-vocabulary row (what the parent made of it before it had a row);
 * refreshed normalisation is folded into the first layer, so the starting model
 * computes exactly what the parent did.
 */
import * as tf from '../tf.js';
import type { ScaleChange } from '../features/warm.js';
import type { Preprocessing } from '../features/preprocessing.js';

/**
 * Sets `model`'s weights (built by `buildModel` from `prep`) from `parent` (built from the
 * parent's preprocessing, which `prep` grows). Throws when a layer's shape differs in
 * any other way: the caller checked the preprocessing and the model body.
 */
export function seedFromParent(model: tf.LayersModel, parent: tf.LayersModel, prep: Preprocessing, rescaled: readonly ScaleChange[]): void {
  const firstDense = firstDenseName(model);
  for (const layer of model.layers) {
    const own = layer.getWeights();
    if (own.length === 0) continue;
    const from = parent.getLayer(layer.name).getWeights();
    const values = from.map((w) => w.dataSync() as Float32Array);
    let next: Float32Array[];
    if (layer.name.endsWith('_embedding')) next = [grownRows(values[0]!, own[0]!.shape as [number, number])];
    else if (layer.name === firstDense && rescaled.length > 0) next = foldedScales(values, own[0]!.shape as [number, number], prep, rescaled);
    else next = values.map((v) => v.slice());
    own.forEach((w, i) => {
      if (next[i]!.length !== w.size) throw new Error(`warm start: layer ${layer.name} weight ${i} has ${w.size} values, the parent's ${next[i]!.length}`);
    });
    const tensors = next.map((v, i) => tf.tensor(v, own[i]!.shape));
    layer.setWeights(tensors);
    tf.dispose(tensors);
  }
}

/** The first dense layer: the one reading the concatenated features. */
function firstDenseName(model: tf.LayersModel): string {
  return model.layers.some((l) => l.name === 'hidden_1') ? 'hidden_1' : 'output';
}

/** An embedding matrix of `rows` x `width`: the parent's rows, then copies of its row 0 (out of vocabulary). */
function grownRows(parent: Float32Array, [rows, width]: [number, number]): Float32Array {
  const out = new Float32Array(rows * width);
  const known = Math.min(rows, parent.length / width);
  out.set(parent.subarray(0, known * width));
  for (let r = known; r < rows; r++) out.set(parent.subarray(0, width), r * width);
  return out;
}

/**
 * The first layer's kernel and bias with refreshed scales folded in. The parent saw
 * z = (t - m1) / s1, the model sees z' = (t - m2) / s2, so z = (s2 z' + m2 - m1) / s1:
 * the feature's kernel row scales by s2 / s1 and the bias takes row x (m2 - m1) / s1.
 */
function foldedScales(values: Float32Array[], [inputs, units]: [number, number], prep: Preprocessing, rescaled: readonly ScaleChange[]): Float32Array[] {
  const kernel = values[0]!.slice();
  const bias = values[1]!.slice();
  let offset = 0;
  for (const f of prep.features) {
    const change = rescaled.find((c) => c.feature === f.name);
    if (change !== undefined) {
      const ratio = change.to.std / change.from.std;
      const shift = (change.to.mean - change.from.mean) / change.from.std;
      for (let u = 0; u < units; u++) {
        const w = kernel[offset * units + u]!;
        kernel[offset * units + u] = w * ratio;
        bias[u] = bias[u]! + w * shift;
      }
    }
    offset += f.kind === 'categorical' ? f.embedding : 1;
  }
  if (offset !== inputs) throw new Error(`warm start: the features make ${offset} inputs, the first layer reads ${inputs}`);
  return [kernel, bias, ...values.slice(2).map((v) => v.slice())];
}
