import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '../../src/tf.js';
import { selectBackend } from '../../src/train/backend.js';
import { MODEL_JSON, WEIGHTS_BIN, fileLoadHandler, fileSaveHandler } from '../../src/train/io.js';
import { expectUserErrorAsync as expectUserError } from '../helpers.js';

const created: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ct-io-'));
  created.push(dir);
  return dir;
}
afterAll(() => created.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** An embedding + dense model with every kind of weight the reference model has. */
function smallModel(): tf.LayersModel {
  const id = tf.input({ shape: [1], dtype: 'int32', name: 'origin' });
  const num = tf.input({ shape: [1], name: 'distance' });
  const embedded = tf.layers.flatten().apply(tf.layers.embedding({ inputDim: 12, outputDim: 4, name: 'origin_embedding' }).apply(id));
  const joined = tf.layers.concatenate().apply([embedded, num] as tf.SymbolicTensor[]);
  const hidden = tf.layers.dense({ units: 8, activation: 'relu' }).apply(joined);
  const out = tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(hidden);
  return tf.model({ inputs: [id, num], outputs: out as tf.SymbolicTensor });
}

function inputs(): tf.Tensor[] {
  return [tf.tensor2d([0, 3, 7, 11, 5], [5, 1], 'int32'), tf.tensor2d([0.1, -2, 3.5, 0, 1], [5, 1])];
}

/** All weights of a model, concatenated as TF.js lays them out in weights.bin. */
function weightBytes(model: tf.LayersModel): Buffer {
  return Buffer.concat(model.getWeights().map((w) => Buffer.from(w.dataSync().buffer)));
}

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('file IOHandler', () => {
  test('save then tf.loadLayersModel gives identical predictions and identical weight bytes', async () => {
    const dir = join(tempDir(), 'nested', 'model');
    const model = smallModel();
    model.setUserDefinedMetadata({ ct: { backend: 'cpu', seed: 7 } });
    const result = await model.save(fileSaveHandler(dir));
    expect(result.modelArtifactsInfo.modelTopologyType).toBe('JSON');

    expect(readdirSync(dir).sort()).toEqual([MODEL_JSON, WEIGHTS_BIN]); // no temp files left
    const json = JSON.parse(readFileSync(join(dir, MODEL_JSON), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.generatedBy).toBe(`TensorFlow.js tfjs-layers v${tf.version['tfjs-layers']}`);
    expect(json.convertedBy).toBeNull();
    expect(json.userDefinedMetadata).toEqual({ ct: { backend: 'cpu', seed: 7 } });
    expect(json.weightsManifest).toHaveLength(1);
    expect(json.weightsManifest[0].paths).toEqual([WEIGHTS_BIN]);
    expect(json.weightsManifest[0].weights.map((w: { name: string }) => w.name)).toContain('origin_embedding/embeddings');
    expect(json.modelTopology.class_name).toBe('Model');

    const bytes = readFileSync(join(dir, WEIGHTS_BIN));
    expect(bytes.equals(weightBytes(model))).toBe(true);

    const loaded = await tf.loadLayersModel(fileLoadHandler(dir));
    expect(loaded.getUserDefinedMetadata()).toEqual({ ct: { backend: 'cpu', seed: 7 } });
    expect(weightBytes(loaded).equals(bytes)).toBe(true);
    const x = inputs();
    const before = (model.predict(x) as tf.Tensor).dataSync();
    const after = (loaded.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(after)).toEqual(Array.from(before));

    // Saving the loaded model again writes the same weights and manifest. (The topology
    // may gain defaults TF.js fills in when it deserialises, e.g. a layer's dtype.)
    const again = tempDir();
    await loaded.save(fileSaveHandler(again));
    expect(readFileSync(join(again, WEIGHTS_BIN)).equals(bytes)).toBe(true);
    const json2 = JSON.parse(readFileSync(join(again, MODEL_JSON), 'utf8'));
    expect(json2.weightsManifest).toEqual(json.weightsManifest);
    expect(json2.userDefinedMetadata).toEqual(json.userDefinedMetadata);
    tf.dispose(x);
    model.dispose();
    loaded.dispose();
  });

  test('a model saved on wasm loads on cpu with the same predictions', async () => {
    await selectBackend('wasm');
    const dir = tempDir();
    const model = smallModel();
    const x = inputs();
    const expected = Array.from((model.predict(x) as tf.Tensor).dataSync());
    await model.save(fileSaveHandler(dir));
    await selectBackend('cpu');
    const loaded = await tf.loadLayersModel(fileLoadHandler(join(dir, MODEL_JSON)));
    const actual = Array.from((loaded.predict(inputs()) as tf.Tensor).dataSync());
    actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
    model.dispose();
    loaded.dispose();
  });

  test('overwriting keeps the directory to the two files', async () => {
    const dir = tempDir();
    const model = smallModel();
    await model.save(fileSaveHandler(dir));
    await model.save(fileSaveHandler(dir));
    expect(readdirSync(dir).sort()).toEqual([MODEL_JSON, WEIGHTS_BIN]);
    model.dispose();
  });

  test('a missing model.json is a UserError naming the file', async () => {
    const dir = tempDir();
    await expectUserError(tf.loadLayersModel(fileLoadHandler(dir)), `cannot read model file ${join(dir, MODEL_JSON)}: file not found`);
  });

  test('a corrupt model.json is a UserError naming the file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, MODEL_JSON), '{"modelTopology": {"class_name": "Mod');
    await expectUserError(tf.loadLayersModel(fileLoadHandler(dir)), `model file ${join(dir, MODEL_JSON)} is not valid JSON`);
    writeFileSync(join(dir, MODEL_JSON), '[1, 2]');
    await expectUserError(tf.loadLayersModel(fileLoadHandler(dir)), 'is not a TF.js model: expected a JSON object');
    writeFileSync(join(dir, MODEL_JSON), '{"weightsManifest": []}');
    await expectUserError(tf.loadLayersModel(fileLoadHandler(dir)), 'is not a TF.js layers model: no modelTopology');
    writeFileSync(join(dir, MODEL_JSON), '{"modelTopology": {}, "weightsManifest": [{"paths": "weights.bin"}]}');
    await expectUserError(tf.loadLayersModel(fileLoadHandler(dir)), 'weightsManifest is missing or malformed');
  });

  test('a missing, truncated or escaping weights file is a UserError', async () => {
    const dir = tempDir();
    const model = smallModel();
    await model.save(fileSaveHandler(dir));
    const weights = join(dir, WEIGHTS_BIN);
    const bytes = readFileSync(weights);
    writeFileSync(weights, bytes.subarray(0, bytes.length - 4));
    await expectUserError(
      tf.loadLayersModel(fileLoadHandler(dir)),
      `weights file ${WEIGHTS_BIN} in ${dir} has ${bytes.length - 4} bytes but ${join(dir, MODEL_JSON)} declares ${bytes.length}`,
    );
    const json = JSON.parse(readFileSync(join(dir, MODEL_JSON), 'utf8'));
    json.weightsManifest[0].paths = ['../elsewhere.bin'];
    writeFileSync(join(dir, MODEL_JSON), JSON.stringify(json));
    await expectUserError(tf.loadLayersModel(fileLoadHandler(dir)), 'refers to a weights file outside its directory: ../elsewhere.bin');
    json.weightsManifest[0].paths = ['gone.bin'];
    writeFileSync(join(dir, MODEL_JSON), JSON.stringify(json));
    await expectUserError(tf.loadLayersModel(fileLoadHandler(dir)), `cannot read weights file ${join(dir, 'gone.bin')}: file not found`);
    model.dispose();
  });

  test('a directory that cannot be written is a UserError naming the file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), 'not a directory');
    const model = smallModel();
    await expectUserError(model.save(fileSaveHandler(join(dir, 'file', 'model'))), /^cannot write model file /);
    model.dispose();
  });
});
