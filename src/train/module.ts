/**
 * A team's own model: `model.module` names an ES module whose `buildModel(spec)` returns a
 * `tf.LayersModel` for ct's encoded inputs, or `model.topology` a model.json whose layers
 * are built afresh. ct still owns preprocessing, training,
 * evaluation, gates, registry and serving; the module only builds the network.
 *
 * The module receives ct's own TF.js as `spec.tf` (it imports none: in a bundled action
 * there is no node_modules to import from) and may export `registerLayers(tf)` to register
 * custom layer classes, which ct calls before building and before every load. The module's
 * source is saved beside the model as `model-module.js`: a saved model is loaded with the
 * copy it was trained with, covered by the version's checksums, never with the file the
 * config names now.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '../tf.js';
import { MODULE_FILE } from '../artifacts.js';
import type { CtConfig, Task } from '../config/types.js';
import { UserError } from '../errors.js';
import { sha256File } from '../files.js';
import { inputWidth, type Preprocessing } from '../features/preprocessing.js';
import { headActivation, outputUnits } from './model.js';

/** One input the model receives, in input order: shape [batch, length] (length 1 but for text and sequences). */
export interface ModelInputSpec {
  name: string;
  /**
   * `categorical`: int32 ids in [0, vocabulary) (0: missing, out of vocabulary); `numeric`:
   * standardised float32; `text`: `length` int32 token ids per row in [0, vocabulary) (0
   * pads, 1 is an unknown token); `sequence`: `length` standardised float32 numbers per row.
   */
  kind: 'categorical' | 'numeric' | 'text' | 'sequence';
  dtype: 'int32' | 'float32';
  /** Values per row: 1, or a text input's tokens, or a sequence's numbers. */
  length: number;
  vocabulary?: number;
  /** ct's suggested embedding width for a categorical input. */
  embedding?: number;
}

/** What `buildModel` receives. */
export interface ModelSpec {
  tf: typeof tf;
  task: Task;
  inputs: ModelInputSpec[];
  /** Units and activation the output layer must have for the task's loss. */
  output: { units: number; activation: 'sigmoid' | 'softmax' | 'linear' };
  /** The config's `model` section (hidden, activation, dropout), for modules that read it. */
  model: { hidden: number[]; activation: string; dropout: number };
  seed: number;
}

export interface ModelModule {
  buildModel: (spec: ModelSpec) => unknown;
  registerLayers?: (tfjs: typeof tf) => void;
}

/** The module file the config names, resolved against the config's folder; null when none. */
export function configuredModule(config: CtConfig, baseDir: string): string | null {
  return config.model.module === undefined ? null : path.resolve(baseDir, config.model.module);
}

/** The topology file the config names, resolved against the config's folder; null when none. */
export function configuredTopology(config: CtConfig, baseDir: string): string | null {
  if (config.model.topology !== undefined && config.model.module !== undefined) {
    throw new UserError('model.module and model.topology: name one (a module builds the network in code, a topology file describes it)');
  }
  return config.model.topology === undefined ? null : path.resolve(baseDir, config.model.topology);
}

/** A network the team brings instead of ct's MLP: how to build it, and what lineage records of it. */
export interface TeamNetwork {
  /** The file a model module's source is copied from into the model folder; null for a topology. */
  module: string | null;
  /** What `training.json` records: `module` or `topology`, with the file's path and sha256. */
  lineage: { module: { path: string; sha256: string } } | { topology: { path: string; sha256: string } };
  build(spec: ModelSpec): Promise<tf.LayersModel>;
}

/**
 * The network the config names instead of ct's MLP (`model.module` or `model.topology`),
 * a module imported and checked now, before any data is read; null for ct's own.
 */
export async function teamNetwork(config: CtConfig, baseDir: string, display: (file: string) => string): Promise<TeamNetwork | null> {
  const topology = configuredTopology(config, baseDir);
  if (topology !== null) {
    return { module: null, lineage: { topology: { path: display(topology), sha256: sha256File(topology) } }, build: (spec) => topologyModel(topology, spec) };
  }
  const file = configuredModule(config, baseDir);
  if (file === null) return null;
  const code = await importModelModule(file, 'model.module');
  return { module: file, lineage: { module: { path: display(file), sha256: sha256File(file) } }, build: async (spec) => buildModuleModel(code, spec, file) };
}

/** Imports `file` (once per content) and registers its layers; `what` names it in errors. */
export async function importModelModule(file: string, what: string): Promise<ModelModule> {
  if (!existsSync(file)) throw new UserError(`${what}: ${file} does not exist`);
  let loaded: Partial<ModelModule> & { default?: unknown };
  try {
    // The content's hash in the URL: an edited module is imported again, an unchanged one once.
    loaded = (await import(`${pathToFileURL(file).href}?${sha256File(file).slice(7, 23)}`)) as typeof loaded;
  } catch (error) {
    throw new UserError(`${what}: ${file} cannot be imported: ${firstLine(error)}`, { cause: error });
  }
  const buildModel = loaded.buildModel ?? loaded.default;
  if (typeof buildModel !== 'function') throw new UserError(`${what}: ${file} exports no buildModel(spec) function (a named or the default export)`);
  const registerLayers = loaded.registerLayers;
  if (registerLayers !== undefined && typeof registerLayers !== 'function') throw new UserError(`${what}: ${file}: registerLayers is not a function`);
  try {
    registerLayers?.(tf);
  } catch (error) {
    throw new UserError(`${what}: ${file}: registerLayers(tf) threw: ${firstLine(error)}`, { cause: error });
  }
  return { buildModel: buildModel as ModelModule['buildModel'], ...(registerLayers === undefined ? {} : { registerLayers }) };
}

/** Registers the layers of the module saved in the model folder `dir`, if it holds one (before loading its model). */
export async function registerSavedModule(dir: string, role: string): Promise<void> {
  const file = path.join(dir, MODULE_FILE);
  if (existsSync(file)) await importModelModule(file, `${role}: its model module`);
}

/** The spec ct hands the module for a model of `prep`. */
export function modelSpec(prep: Preprocessing, config: CtConfig): ModelSpec {
  return {
    tf,
    task: prep.task,
    inputs: prep.features.map((f) =>
      f.kind === 'numeric' || f.kind === 'sequence'
        ? { name: f.name, kind: f.kind, dtype: 'float32', length: inputWidth(f) }
        : { name: f.name, kind: f.kind, dtype: 'int32', length: inputWidth(f), vocabulary: f.cardinality, embedding: f.embedding },
    ),
    output: { units: outputUnits(prep), activation: headActivation(prep.task) },
    model: { hidden: config.model.hidden, activation: config.model.activation, dropout: config.model.dropout },
    seed: config.training.seed,
  };
}

/**
 * The module's model for `spec`, checked against what ct feeds it and trains it for.
 *
 * @throws UserError naming the module for a build that throws or a model that does not fit
 */
export function buildModuleModel(module: ModelModule, spec: ModelSpec, file: string): tf.LayersModel {
  let model: unknown;
  try {
    model = module.buildModel(spec);
  } catch (error) {
    throw new UserError(`model.module: ${file}: buildModel threw: ${firstLine(error)}`, { cause: error });
  }
  if (!(model instanceof tf.LayersModel)) {
    throw new UserError(`model.module: ${file}: buildModel returned ${describe(model)}, not a tf.LayersModel (build it with spec.tf, ct's TF.js)`);
  }
  return fitting(model, spec, `model.module: ${file}`);
}

/**
 * The model of a topology file — a `model.json` as TF.js saves it (or as Keras models are
 * converted to it), or the bare topology — with its layers newly initialised, to be trained
 * on the repository's data. Its weights, if any, are not read.
 *
 * @throws UserError naming the file for one that is not a topology, cannot be built, or does not fit
 */
export async function topologyModel(file: string, spec: ModelSpec): Promise<tf.LayersModel> {
  const what = `model.topology: ${file}`;
  if (!existsSync(file)) throw new UserError(`${what} does not exist`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`${what} is not JSON (${firstLine(error)})`);
  }
  const topology = isRecord(json) && 'modelTopology' in json ? json.modelTopology : json;
  if (!isRecord(topology) || typeof topology.class_name !== 'string') {
    throw new UserError(`${what} holds no model topology (a model.json as TF.js saves it, with "modelTopology", or the topology itself)`);
  }
  let model: tf.LayersModel;
  try {
    model = await tf.models.modelFromJSON({ modelTopology: topology as tf.io.ModelJSON['modelTopology'] });
  } catch (error) {
    throw new UserError(`${what} cannot be built: ${firstLine(error)}`, { cause: error });
  }
  return fitting(model, spec, what);
}

/** `model` when it takes ct's inputs and gives the task's output; else disposed and a UserError after `what`. */
function fitting(model: tf.LayersModel, spec: ModelSpec, what: string): tf.LayersModel {
  const problem = shapeProblem(model, spec);
  if (problem !== null) {
    model.dispose();
    throw new UserError(`${what}: ${problem}`);
  }
  return model;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Why `model` does not take ct's inputs or give the task's output; null when it does. */
function shapeProblem(model: tf.LayersModel, spec: ModelSpec): string | null {
  if (model.inputs.length !== spec.inputs.length) {
    return `the model has ${model.inputs.length} inputs; ct feeds ${spec.inputs.length}, one per feature in spec.inputs order (${spec.inputs.map((i) => i.name).join(', ')})`;
  }
  for (const [i, input] of model.inputs.entries()) {
    const want = spec.inputs[i]!;
    if (input.shape.length !== 2 || input.shape[1] !== want.length)
      return `input ${i + 1} (${want.name}) has shape ${shapeText(input.shape)}; ct feeds [batch, ${want.length}]`;
    if (input.dtype !== want.dtype) return `input ${i + 1} (${want.name}) is ${input.dtype}; ct feeds ${want.dtype}`;
    const rows = embeddingRows(model, i);
    if (want.vocabulary !== undefined && rows !== null && rows < want.vocabulary) {
      return `input ${i + 1} (${want.name}) feeds an embedding of ${rows} rows; its ids go up to ${want.vocabulary - 1} (spec.inputs[${i}].vocabulary is ${want.vocabulary})`;
    }
  }
  if (model.outputs.length !== 1) return `the model has ${model.outputs.length} outputs; ct trains one`;
  const shape = model.outputs[0]!.shape;
  if (shape.length !== 2 || shape[1] !== spec.output.units) {
    return `the output has shape ${shapeText(shape)}; a ${spec.task} model gives [batch, ${spec.output.units}] (spec.output)`;
  }
  return null;
}

/** The smallest `inputDim` of the Embedding layers input `index` feeds directly; null when it feeds none. */
function embeddingRows(model: tf.LayersModel, index: number): number | null {
  const input = model.inputLayers[index]!;
  let rows: number | null = null;
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Embedding' || !layer.inboundNodes.some((node) => node.inboundLayers.includes(input))) continue;
    const dim = (layer.getConfig() as { inputDim: number }).inputDim;
    rows = rows === null ? dim : Math.min(rows, dim);
  }
  return rows;
}

const shapeText = (shape: ReadonlyArray<number | null>): string => `[${shape.map((d) => d ?? 'batch').join(', ')}]`;

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'Object'})`;
  return typeof value;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
