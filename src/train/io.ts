/**
 * Saving and loading models as files without tfjs-node: `model.save('file://…')` and
 * `tf.loadLayersModel('file://…')` exist only there. These IOHandlers write and read
 * the standard TF.js layers format, so the result is the same whichever backend
 * trained the model:
 *
 *   model.json   { modelTopology, format: 'layers-model', generatedBy, convertedBy: null,
 *                  weightsManifest: [{ paths: ['weights.bin'], weights: [...] }],
 *                  userDefinedMetadata? }
 *   weights.bin  all weights, concatenated in manifest order
 *
 * Usage: `await model.save(fileSaveHandler(dir))`,
 *        `await tf.loadLayersModel(fileLoadHandler(dir))`.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import * as tf from '../tf.js';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../files.js';

/** File name of the topology and weights manifest. */
export const MODEL_JSON = 'model.json';
/** File name of the weights. */
export const WEIGHTS_BIN = 'weights.bin';

/** The message of a file-system error, without the path Node repeats in it. */
function fsReason(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'ENOTDIR') return 'a parent is not a directory';
  if (code === 'ENOSPC') return 'no space left on the device (ENOSPC)';
  return error instanceof Error ? error.message : String(error);
}

/** One buffer with all of `weightData`, which TF.js may hand over in parts. */
function weightBytes(weightData: tf.io.WeightData | undefined): Uint8Array {
  if (weightData === undefined) return new Uint8Array(0);
  const parts = Array.isArray(weightData) ? weightData : [weightData];
  return Buffer.concat(parts.map((part) => new Uint8Array(part)));
}

/**
 * An IOHandler that saves a model to `dir` as `model.json` + `weights.bin`, creating
 * `dir` if needed. Writes the weights first and `model.json` last, each atomically,
 * so a reader never finds a `model.json` whose weights file is still being written.
 *
 * @param dir The model directory.
 */
export function fileSaveHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer || artifacts.modelTopology == null) {
        throw new Error('fileSaveHandler saves layers models only (JSON topology)');
      }
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version['tfjs-layers']}`,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
      };
      // Present only when model.save({ includeOptimizer: true }) was asked for.
      if (artifacts.trainingConfig != null) modelJson.trainingConfig = artifacts.trainingConfig;
      if (artifacts.userDefinedMetadata != null) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;

      const target = resolve(dir);
      let current = target;
      try {
        await mkdir(target, { recursive: true });
        current = join(target, WEIGHTS_BIN);
        writeFileAtomic(current, weightBytes(artifacts.weightData));
        current = join(target, MODEL_JSON);
        writeFileAtomic(current, JSON.stringify(modelJson));
      } catch (error) {
        throw new UserError(`cannot write model file ${current}: ${fsReason(error)}`, { cause: error });
      }
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

/** Bytes one weight takes in the weights file (undefined for variable-length strings). */
function specBytes(spec: tf.io.WeightsManifestEntry): number | undefined {
  const size = tf.util.sizeFromShape(spec.shape);
  const quantized = spec.quantization?.dtype;
  if (quantized !== undefined) return size * (quantized === 'uint8' ? 1 : 2);
  if (spec.dtype === 'string') return undefined;
  return size * (spec.dtype === 'complex64' ? 8 : spec.dtype === 'bool' ? 1 : 4);
}

/** Reads and checks `model.json`: it must parse and look like a layers model. */
async function readModelJson(path: string): Promise<tf.io.ModelJSON> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read model file ${path}: ${fsReason(error)}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UserError(`model file ${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const json = parsed as Partial<tf.io.ModelJSON> | null;
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new UserError(`model file ${path} is not a TF.js model: expected a JSON object`);
  }
  if (json.modelTopology == null || typeof json.modelTopology !== 'object') {
    throw new UserError(`model file ${path} is not a TF.js layers model: no modelTopology`);
  }
  const manifest = json.weightsManifest;
  const manifestOk = Array.isArray(manifest) && manifest.every((group) => Array.isArray(group?.paths) && Array.isArray(group?.weights));
  if (!manifestOk) {
    throw new UserError(`model file ${path} is not a TF.js layers model: weightsManifest is missing or malformed`);
  }
  return json as tf.io.ModelJSON;
}

/** Reads the weights files of `manifest`, which live beside `model.json` in `dir`. */
async function readWeights(dir: string, modelPath: string, manifest: tf.io.WeightsManifestConfig): Promise<[tf.io.WeightsManifestEntry[], ArrayBuffer]> {
  const specs = manifest.flatMap((group) => group.weights);
  const parts: Uint8Array[] = [];
  for (const group of manifest) {
    for (const file of group.paths) {
      const path = resolve(dir, file);
      // model.json comes from a repository: it may not point outside its directory.
      const inside = relative(dir, path);
      if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
        throw new UserError(`model file ${modelPath} refers to a weights file outside its directory: ${file}`);
      }
      try {
        parts.push(await readFile(path));
      } catch (error) {
        throw new UserError(`cannot read weights file ${path}: ${fsReason(error)}`, { cause: error });
      }
    }
  }
  const total = parts.reduce((sum, part) => sum + part.byteLength, 0);
  const sizes = specs.map(specBytes);
  if (sizes.every((size) => size !== undefined)) {
    const expected = sizes.reduce((a, b) => a + b, 0);
    if (expected !== total) {
      const files = manifest.flatMap((group) => group.paths).join(', ');
      throw new UserError(`weights file ${files} in ${dir} has ${total} bytes but ${modelPath} declares ${expected}`);
    }
  }
  // Copy into one exact-size ArrayBuffer: a Node Buffer may be a view into a larger
  // pooled ArrayBuffer, and TF.js reads weights by offset from the buffer's start.
  const buffer = new ArrayBuffer(total);
  const view = new Uint8Array(buffer);
  let offset = 0;
  for (const part of parts) {
    view.set(part, offset);
    offset += part.byteLength;
  }
  return [specs, buffer];
}

/**
 * An IOHandler that loads a model saved by {@link fileSaveHandler} (or any TF.js
 * layers model in files): `tf.loadLayersModel(fileLoadHandler(dir))`. A missing or
 * corrupt `model.json` or weights file is a {@link UserError} naming the file.
 *
 * @param path The model directory, or the path of its `model.json`.
 */
export function fileLoadHandler(path: string): tf.io.IOHandler {
  const modelPath = path.endsWith('.json') ? resolve(path) : resolve(path, MODEL_JSON);
  const dir = dirname(modelPath);
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      const json = await readModelJson(modelPath);
      return tf.io.getModelArtifactsForJSON(json, (manifest) => readWeights(dir, modelPath, manifest));
    },
  };
}
