/**
 * Batch prediction over encoded data, in chunks so memory stays flat on millions of rows.
 */
import * as tf from '../tf.js';
import { unscalePredictions } from '../features/label.js';
import { type EncodedData, gatherRows } from '../features/preprocessing.js';

const CHUNK = 16_384;

/** Copies the listed rows of each input into model-ready tensors ([n, width] each: width 1, or a text feature's length). */
export function batchTensors(data: EncodedData, rows: Int32Array, start: number, end: number): tf.Tensor[] {
  const n = end - start;
  const order = rows.subarray(start, end);
  return data.inputs.map((column, c) => {
    const width = data.widths[c]!;
    return tf.tensor2d(gatherRows(column, width, order), [n, width], column instanceof Int32Array ? 'int32' : 'float32');
  });
}

/** All row indices 0..n-1. */
export function allRows(n: number): Int32Array {
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

/**
 * Predictions for the listed rows (default: all), row-major ([rows] for
 * binary/regression, [rows x classes] for multiclass). The one place where model output
 * becomes a prediction: regression outputs are un-scaled to label units with the
 * preprocessing's label scale (`data.labelScale`).
 */
export function predictRows(model: tf.LayersModel, data: EncodedData, rows: Int32Array = allRows(data.rows)): Float32Array {
  const units = (model.outputs[0]!.shape[1] as number | null) ?? 1;
  const out = new Float32Array(rows.length * units);
  for (let start = 0; start < rows.length; start += CHUNK) {
    const end = Math.min(rows.length, start + CHUNK);
    const values = tf.tidy(() => {
      // One forward pass per chunk: predict() would otherwise cut it into batches of 32.
      const prediction = model.predict(batchTensors(data, rows, start, end), { batchSize: end - start }) as tf.Tensor;
      return prediction.dataSync() as Float32Array;
    });
    out.set(values, start * units);
  }
  return unscalePredictions(out, data.labelScale);
}
