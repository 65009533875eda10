/**
 * A team's own model (`model.module`), end to end: the wide-and-deep example of
 * examples/wide-and-deep (with a custom layer) goes from config to a promoted version that
 * carries the module's source; the version is verified, scores and predicts with its own
 * copy of the module even after the config's file changes, and a copy that was changed is
 * refused. Modules that cannot build a model ct can train are refused before training with
 * one line and exit code 2. A model.json topology that TF.js saved is trained afresh the same way.
 */
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '../../src/tf.js';
import { fileSaveHandler } from '../../src/train/io.js';
import { ct, root, shippedPartitions, smallConfig, tempRepo, writeConfig } from './repo.js';

type Json = Record<string, unknown>;
const EXAMPLE = path.join(root, 'examples/wide-and-deep');

describe('model.module: the wide-and-deep example', () => {
  const repo = tempRepo(shippedPartitions().slice(-3));
  cpSync(path.join(EXAMPLE, 'models-src'), path.join(repo, 'models-src'), { recursive: true });
  const config = smallConfig(3);
  config.model = { ...(config.model as object), module: './models-src/wide-deep.js', hidden: [32, 16] };
  writeConfig(repo, 'ct.config.yaml', config);
  const registry = path.join(repo, 'models/flight-delay');
  let version: string;

  it('trains, evaluates and promotes it; the version carries the module and lineage names it', () => {
    const r = ct(repo, ['run', '--json']);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: expect.not.stringMatching(/internal error|FAILED/) as unknown });
    const result = JSON.parse(r.stdout) as { promotion: Json; training?: Json };
    expect(result.promotion).toMatchObject({ promoted: true });
    version = result.promotion.version as string;
    const source = readFileSync(path.join(repo, 'models-src/wide-deep.js'), 'utf8');
    expect(readFileSync(path.join(registry, version, 'model-module.js'), 'utf8')).toBe(source);
    const pointer = JSON.parse(readFileSync(path.join(registry, 'production.json'), 'utf8')) as { files: Record<string, string> };
    expect(Object.keys(pointer.files)).toContain('model-module.js');
    const training = JSON.parse(readFileSync(path.join(registry, version, 'training.json'), 'utf8')) as Json;
    expect(training.module).toEqual({ path: expect.stringMatching(/models-src\/wide-deep\.js$/), sha256: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    // The network is the module's: its custom layer and wide part are in the saved topology.
    const topology = readFileSync(path.join(registry, version, 'model.json'), 'utf8');
    expect(topology).toContain('WideDeepTemperature');
    expect(topology).toContain('origin_wide');
    const evaluation = JSON.parse(readFileSync(path.join(registry, version, 'evaluation.json'), 'utf8')) as {
      candidate: { metrics: { auc: number } };
      infra: Json;
    };
    expect(evaluation.candidate.metrics.auc).toBeGreaterThan(0.55);
    expect(evaluation.infra).toMatchObject({ ok: true });
  }, 180_000);

  it("verifies and predicts with the version's own copy of the module, whatever the config's file says now", () => {
    writeFileSync(path.join(repo, 'models-src/wide-deep.js'), 'throw new Error("edited after promotion");\n');
    const verify = ct(repo, ['verify', version, '--json']);
    expect({ status: verify.status, stderr: verify.stderr }).toEqual({ status: 0, stderr: expect.not.stringMatching(/internal error/) as unknown });
    const predict = ct(repo, ['predict', '--json']);
    expect({ status: predict.status, stderr: predict.stderr }).toEqual({ status: 0, stderr: expect.not.stringMatching(/internal error/) as unknown });
    expect((JSON.parse(predict.stdout) as Json).version).toBe(version);
  }, 120_000);

  it('refuses a version whose copy of the module was changed', () => {
    const copy = path.join(registry, version, 'model-module.js');
    writeFileSync(copy, `${readFileSync(copy, 'utf8')}\n// changed\n`);
    const verify = ct(repo, ['verify', version]);
    expect(verify.status).not.toBe(0);
    expect(verify.stdout + verify.stderr).toMatch(/model-module\.js/);
    const predict = ct(repo, ['predict']);
    expect(predict.status).toBe(2);
    expect(predict.stderr).toMatch(/^ct: .*checksum mismatch for .*model-module\.js/);
  }, 60_000);
});

describe('model.module: modules ct cannot train', () => {
  const repo = tempRepo(shippedPartitions().slice(-2), 2);
  const cases: Array<[string, string, RegExp]> = [
    ['missing.js', '', /(^|\n)ct: model\.module: .*missing\.js does not exist\n$/],
    ['syntax.js', 'export function buildModel( {\n', /(^|\n)ct: model\.module: .*syntax\.js cannot be imported: /],
    ['no-export.js', 'export const x = 1;\n', /(^|\n)ct: model\.module: .*no-export\.js exports no buildModel\(spec\) function/],
    [
      'not-a-model.js',
      'export function buildModel() { return { layers: [] }; }\n',
      /(^|\n)ct: model\.module: .*not-a-model\.js: buildModel returned an object \(Object\), not a tf\.LayersModel/,
    ],
    [
      'one-input.js',
      "export function buildModel({ tf }) { const x = tf.input({ shape: [1] }); return tf.model({ inputs: x, outputs: tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(x) }); }\n",
      /(^|\n)ct: model\.module: .*one-input\.js: the model has 1 inputs; ct feeds \d+, one per feature in spec\.inputs order \(origin, destination, /,
    ],
    [
      'two-outputs.js',
      `import { buildModel as wideAndDeep } from ${JSON.stringify(path.join(EXAMPLE, 'models-src/wide-deep.js'))};\nexport { registerLayers } from ${JSON.stringify(path.join(EXAMPLE, 'models-src/wide-deep.js'))};\nexport function buildModel(spec) { return wideAndDeep({ ...spec, output: { units: 2, activation: 'softmax' } }); }\n`,
      /(^|\n)ct: model\.module: .*two-outputs\.js: the output has shape \[batch, 2\]; a binary model gives \[batch, 1\] \(spec\.output\)\n$/,
    ],
    [
      'throws.js',
      "export function buildModel() { throw new Error('no GPU here'); }\n",
      /(^|\n)ct: model\.module: .*throws\.js: buildModel threw: no GPU here\n$/,
    ],
  ];

  it('a custom layer the module does not register: trained and saved, then it cannot be loaded to evaluate: one line, nothing promoted', () => {
    writeFileSync(
      path.join(repo, 'unregistered.js'),
      [
        'export function buildModel({ tf, inputs, output }) {',
        '  class Doubling extends tf.layers.Layer {',
        "    static className = 'UnregisteredDoubling';",
        '    call(x) { return tf.mul(Array.isArray(x) ? x[0] : x, 2); }',
        '  }',
        '  const xs = inputs.map((i) => tf.input({ shape: [1], dtype: i.dtype }));',
        "  const parts = inputs.map((i, k) => i.kind === 'categorical' ? tf.layers.flatten().apply(tf.layers.embedding({ inputDim: i.vocabulary, outputDim: 2 }).apply(xs[k])) : xs[k]);",
        '  const joined = tf.layers.concatenate().apply(parts);',
        '  const out = tf.layers.dense({ units: output.units, activation: output.activation }).apply(new Doubling().apply(joined));',
        '  return tf.model({ inputs: xs, outputs: out });',
        '}',
        '',
      ].join('\n'),
    );
    const config = smallConfig(2);
    config.model = { ...(config.model as object), module: './unregistered.js' };
    writeConfig(repo, 'ct.config.yaml', config);
    const r = ct(repo, ['run']);
    expect([r.status, r.stderr]).toEqual([
      2,
      expect.stringMatching(
        /\nct: candidate model in out\/model cannot be loaded: Unknown layer: UnregisteredDoubling\. \(a custom layer of a model module must be registered in its registerLayers\(tf\)\)\n$/,
      ),
    ]);
    expect(existsSync(path.join(repo, 'models'))).toBe(false);
  }, 120_000);

  it.each(cases)(
    '%s: one line, exit 2, no model written',
    (file, source, message) => {
      rmSync(path.join(repo, 'out'), { recursive: true, force: true });
      if (source !== '') writeFileSync(path.join(repo, file), source);
      const config = smallConfig(2);
      config.model = { ...(config.model as object), module: `./${file}` };
      writeConfig(repo, 'ct.config.yaml', config);
      const r = ct(repo, ['train']);
      expect([r.status, r.stderr]).toEqual([2, expect.stringMatching(message)]);
      // A module that cannot be imported is refused before any data is read; the others once the inputs are known.
      if (['missing.js', 'syntax.js', 'no-export.js'].includes(file)) expect(r.stderr).not.toMatch(/training on/);
      expect(existsSync(path.join(repo, 'out/model/model.json'))).toBe(false);
    },
    60_000,
  );
});

describe('model.topology: a model.json that TF.js saved, trained afresh on the repository', () => {
  const repo = tempRepo(shippedPartitions().slice(-3));
  /** A topology for the features origin (categorical, 50 + 1 ids) and log_distance, saved by TF.js into `<repo>/<name>/model.json`. */
  const saveTopology = async (name: string, originRows: number): Promise<string> => {
    const origin = tf.input({ shape: [1], dtype: 'int32', name: 'origin' });
    const distance = tf.input({ shape: [1], dtype: 'float32', name: 'log_distance' });
    const embedded = tf.layers.flatten().apply(tf.layers.embedding({ inputDim: originRows, outputDim: 4, name: 'team_origin_embedding' }).apply(origin));
    const joined = tf.layers.concatenate().apply([embedded as tf.SymbolicTensor, distance]);
    const hidden = tf.layers.dense({ units: 16, activation: 'relu', name: 'team_hidden' }).apply(joined);
    const out = tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'team_output' }).apply(hidden) as tf.SymbolicTensor;
    const model = tf.model({ inputs: [origin, distance], outputs: out });
    await model.save(fileSaveHandler(path.join(repo, name)));
    model.dispose();
    return `./${name}/model.json`;
  };
  const configWith = (model: Record<string, unknown>): void => {
    const config = smallConfig(3);
    config.features = [
      { name: 'origin', column: 'origin', maxVocabulary: 50 },
      { name: 'log_distance', column: 'distance', transform: 'log1p' },
    ];
    config.model = { ...(config.model as object), ...model };
    (config.evaluation as Record<string, unknown>).slices = [];
    // The plumbing is under test, not the quality of a two-feature model: any auc passes.
    config.gates = [{ metric: 'auc', lowerBound: 0 }];
    writeConfig(repo, 'ct.config.yaml', config);
  };

  it('trains, evaluates and promotes the topology; lineage records the file', async () => {
    configWith({ topology: await saveTopology('topology', 64) });
    const r = ct(repo, ['run', '--json']);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: expect.not.stringMatching(/internal error/) as unknown });
    const version = (JSON.parse(r.stdout) as { promotion: Json }).promotion.version as string;
    const dir = path.join(repo, 'models/flight-delay', version);
    expect(readFileSync(path.join(dir, 'model.json'), 'utf8')).toContain('team_origin_embedding');
    expect(existsSync(path.join(dir, 'model-module.js'))).toBe(false);
    const training = JSON.parse(readFileSync(path.join(dir, 'training.json'), 'utf8')) as Json;
    expect(training.topology).toEqual({ path: expect.stringMatching(/topology\/model\.json$/), sha256: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
  }, 120_000);

  it('refuses a topology that does not fit, is not one, or is named beside a module: one line, exit 2', async () => {
    const small = await saveTopology('small', 8);
    writeFileSync(path.join(repo, 'not-json.json'), 'model');
    writeFileSync(path.join(repo, 'no-topology.json'), '{"weightsManifest": []}');
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ topology: small }, /(^|\n)ct: model\.topology: .*small\/model\.json: input 1 \(origin\) feeds an embedding of 8 rows; its ids go up to 50 /],
      [{ topology: './not-json.json' }, /(^|\n)ct: model\.topology: .*not-json\.json is not JSON/],
      [{ topology: './no-topology.json' }, /(^|\n)ct: model\.topology: .*no-topology\.json holds no model topology/],
      [{ topology: small, module: './x.js' }, /(^|\n)ct: model\.module and model\.topology: name one/],
    ];
    for (const [model, message] of cases) {
      configWith(model);
      const r = ct(repo, ['train']);
      expect([JSON.stringify(model), r.status, r.stderr]).toEqual([JSON.stringify(model), 2, expect.stringMatching(message)]);
    }
  }, 120_000);
});
