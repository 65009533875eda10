/**
 * The bundled actions run the way the runner runs them: `node actions/<name>/index.mjs`
 * with INPUT_* variables, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_EVENT_PATH and a
 * workspace that is a clone of a bare origin, against the loopback GitHub API. In the
 * order ct.yml wires them, they end with an open promotion pull request.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import type { TrainingRecord } from '../../src/artifacts.js';
import { type FakeGitHub, startFakeGitHub } from '../github/fake-github.js';
import { bareRepository, branchSha, cloneOf, commitAndPush } from '../github/git-repos.js';
import { root, runNode, shippedPartitions, smallConfig } from '../pipeline/repo.js';
import { parseOutputs } from './runner.js';

const TOKEN = 'ghs_actionsTEST0123456789abcdef';

interface Step {
  status: number;
  stdout: string;
  outputs: Record<string, string>;
}

/** A step that exits 0; otherwise the failure shows the step's log. */
function expectSuccess(s: Step): void {
  if (s.status !== 0) throw new Error(`step exited with ${s.status}:\n${s.stdout}`);
}

describe('bundled actions, in the order of ct.yml', () => {
  let origin: string;
  let workspace: string;
  let github: FakeGitHub;
  let temp: string;
  let summary: string;

  beforeAll(async () => {
    origin = bareRepository();
    const seed = cloneOf(origin);
    for (const f of shippedPartitions().slice(-3)) cpSync(path.join(root, 'data/flights', f), path.join(seed, 'data/flights', f));
    writeFileSync(path.join(seed, 'ct.config.yaml'), stringify(smallConfig(3)));
    writeFileSync(path.join(seed, '.gitignore'), 'out*/\n');
    commitAndPush(seed, 'flights');
    workspace = cloneOf(origin);
    temp = mkdtempSync(path.join(tmpdir(), 'ct-runner-'));
    summary = path.join(temp, 'summary.md');
    writeFileSync(summary, '');
    // A real-shaped push event (the fields a push of data carries).
    writeFileSync(
      path.join(temp, 'event.json'),
      JSON.stringify({
        ref: 'refs/heads/main',
        before: '0'.repeat(40),
        after: branchSha(origin, 'main'),
        repository: { full_name: 'acme/flights', default_branch: 'main' },
        pusher: { name: 'someone' },
        commits: [{ id: branchSha(origin, 'main'), message: 'flights', added: ['data/flights/2001-02-28.parquet'] }],
      }),
    );
    github = await startFakeGitHub({ owner: 'acme', repo: 'flights', token: TOKEN, headSha: (b) => branchSha(origin, b) });
  });
  afterAll(async () => {
    await github.close();
  });

  /** Runs action `name` (its index.mjs, or `script`, e.g. a copy of its bundle) as the runner does. */
  async function step(name: string, inputs: Record<string, string>, event = 'push', script = path.join(root, 'actions', name, 'index.mjs')): Promise<Step> {
    const outputFile = path.join(temp, `${name}.out`);
    writeFileSync(outputFile, '');
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_EVENT_NAME: event,
      GITHUB_EVENT_PATH: path.join(temp, 'event.json'),
      GITHUB_REPOSITORY: 'acme/flights',
      GITHUB_API_URL: github.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: '77',
      RUNNER_TEMP: temp,
    };
    for (const [key, value] of Object.entries(inputs)) env[`INPUT_${key.toUpperCase()}`] = value;
    const run = await runNode(script, [], { cwd: workspace, env });
    const { status } = run;
    const stdout = run.stdout + run.stderr;
    // The token reaches the runner only in its mask command (the runner hides it in logs).
    expect(
      stdout
        .split('\n')
        .filter((l) => l !== `::add-mask::${TOKEN}`)
        .join('\n'),
    ).not.toContain(TOKEN);
    return { status, stdout, outputs: parseOutputs(readFileSync(outputFile, 'utf8')) };
  }

  it('validate -> train -> evaluate -> promote ends with an open promotion pull request', async () => {
    const common = { config: 'ct.config.yaml', out: 'out', backend: 'cpu' };
    const validate = await step('validate', common);
    expectSuccess(validate);
    expect(validate.outputs).toMatchObject({ ok: 'true', errors: '0', 'drift-detected': 'false', 'retrain-needed': 'true' });
    expect(validate.stdout).toContain('::group::ct validate');
    // The duplicate-row warning is an annotation on the data file.
    expect(validate.stdout).toMatch(/::warning title=ct%3A duplicate_rows,file=data\/flights\/\d{4}-\d{2}-\d{2}\.parquet::/);

    const train = await step('train', common);
    expectSuccess(train);
    expect(train.outputs).toMatchObject({ 'model-dir': path.join(workspace, 'out/model'), backend: 'cpu', epochs: '2' });
    expect(train.stdout.match(/^epoch \d\/2 /gm)).toHaveLength(2);

    const evaluate = await step('evaluate', common);
    expectSuccess(evaluate);
    expect(evaluate.outputs).toMatchObject({ passed: 'true', 'rubber-stamp': 'true', metric: 'auc' });

    const promote = await step('promote', { ...common, token: TOKEN, 'pull-request': 'true' });
    expectSuccess(promote);
    expect(promote.outputs).toMatchObject({ promoted: 'true', 'pr-number': '1', 'pr-url': 'https://github.com/acme/flights/pull/1' });
    expect(promote.stdout.split('\n')).toContain(`::add-mask::${TOKEN}`);
    expect(github.pulls).toEqual([expect.objectContaining({ number: 1, state: 'open', head: 'ct/promote/flight-delay', base: 'main' })]);
    expect(github.violations).toEqual([]);

    const text = readFileSync(summary, 'utf8');
    expect(text).toContain('# Data validation: passed');
    expect(text).toContain('# Training: flight-delay');
    expect(text).toContain('# Evaluation of flight-delay: gates passed');
    expect(text).toContain('Pull request [#1](https://github.com/acme/flights/pull/1) opened.');
  });

  it('the bundled train action trains on wasm (the backend package is loaded from inside the bundle)', async () => {
    const train = await step('train', { config: 'ct.config.yaml', out: 'out-wasm', backend: 'wasm' });
    expectSuccess(train);
    expect(train.outputs).toMatchObject({ backend: 'wasm', epochs: '2' });
  });

  it('the bundled train action trains with the fused step, its worker thread from the bundle', async () => {
    const train = await step('train', { config: 'ct.config.yaml', out: 'out-fused', backend: 'fused' });
    expectSuccess(train);
    expect(train.stdout).toContain(`training with ct's fused WebAssembly SIMD step on ${Math.min(2, availableParallelism())} thread`);
    const record = JSON.parse(readFileSync(path.join(workspace, 'out-fused/model/training.json'), 'utf8')) as TrainingRecord;
    expect(record.trainer).toEqual({ name: 'fused', shards: 2, reason: null });
    expect(record.timing.threads).toBe(Math.min(2, availableParallelism()));
  });

  it('a checkout of the action without node_modules (as on a runner) trains on wasm with the binaries its bundle ships', async () => {
    // The runner checks out the action's repository, package.json and actions/dist included, and runs no `npm ci`.
    const checkout = mkdtempSync(path.join(tmpdir(), 'ct-action-'));
    cpSync(path.join(root, 'package.json'), path.join(checkout, 'package.json'));
    cpSync(path.join(root, 'actions/dist'), path.join(checkout, 'actions/dist'), { recursive: true });
    // Nothing to fall back on: the bundle has to find its own .wasm files (beside its entries, not its chunks).
    expect(() => createRequire(path.join(checkout, 'actions/dist/chunks/x.js')).resolve('@tensorflow/tfjs-backend-wasm')).toThrow();
    const train = await step(
      'train',
      { config: 'ct.config.yaml', out: 'out-wasm-checkout', backend: 'wasm' },
      'push',
      path.join(checkout, 'actions/dist/train.js'),
    );
    expectSuccess(train);
    expect(train.outputs).toMatchObject({ backend: 'wasm', epochs: '2' });
  });

  it.each([
    ['schedule', { schedule: '17 6 * * *', repository: { full_name: 'acme/flights', default_branch: 'main' } }],
    [
      'workflow_dispatch',
      {
        inputs: { 'dry-run': 'true', model: 'ct.config.yaml' },
        ref: 'refs/heads/main',
        repository: { full_name: 'acme/flights', default_branch: 'main' },
        sender: { login: 'someone' },
      },
    ],
  ])('validate runs the same on a %s event', async (event, payload) => {
    writeFileSync(path.join(temp, 'event.json'), JSON.stringify(payload));
    const r = await step('validate', { config: 'ct.config.yaml', out: `out-${event}` }, event);
    expectSuccess(r);
    expect(r.outputs).toMatchObject({ ok: 'true', errors: '0' });
  });

  it('a bad input fails the step with one line', async () => {
    const r = await step('train', { config: 'missing.yaml', out: 'out' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^::error::ct train: config file not found: .*missing\.yaml$/m);
  });

  it("the root action (the Marketplace's) runs the stage its input names, from the same bundles", async () => {
    const rootAction = parse(readFileSync(path.join(root, 'action.yml'), 'utf8')) as { runs: { using: string; main: string }; branding: object };
    expect(rootAction.runs).toEqual({ using: 'node24', main: 'actions/dist/ct.js' });
    const script = path.join(root, rootAction.runs.main);
    const validated = await step('ct', { stage: 'validate', config: 'ct.config.yaml', out: 'out-root' }, 'push', script);
    expect(validated.status).toBe(0);
    expect(validated.outputs).toMatchObject({ ok: 'true' });
    const wrong = await step('ct', { stage: 'deploy' }, 'push', script);
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toMatch(/^::error::input stage: expected one of validate, train, .*, got "deploy"$/m);
  });

  it('action.yml at the root is what scripts/root-action.mjs writes from the stage actions', () => {
    const r = spawnSync(process.execPath, [path.join(root, 'scripts/root-action.mjs'), '--check'], { encoding: 'utf8' });
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
  });

  it('predict scores with the production model and refuses, annotated, data that breaks the schema', async () => {
    const common = { config: 'ct.config.yaml', out: 'out', backend: 'cpu' };
    // The promotion pull request above is not merged: no production model in this workspace yet.
    const none = await step('predict', common);
    expect(none.status).toBe(1);
    expect(none.stdout).toMatch(/^::error::ct predict: no production model "flight-delay" in models\/: promote one first \(ct run\)$/m);
    expectSuccess(await step('promote', { ...common, 'pull-request': 'false' }));
    const { version } = JSON.parse(readFileSync(path.join(workspace, 'models/flight-delay/production.json'), 'utf8')) as { version: string };

    const predict = await step('predict', { ...common, keep: 'origin', output: 'scored/predictions.csv' });
    expectSuccess(predict);
    const lines = readFileSync(path.join(workspace, 'scored/predictions.csv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('file,row,origin,model,version,probability,predicted');
    expect(predict.outputs).toEqual({
      ok: 'true',
      rows: String(lines.length - 1),
      version,
      predictions: path.join(workspace, 'scored/predictions.csv'),
      report: path.join(workspace, 'out/prediction.md'),
    });
    expect(readFileSync(summary, 'utf8')).toContain(`# Prediction with flight-delay ${version}: ${lines.length - 1} rows scored`);

    writeFileSync(path.join(workspace, 'bad.csv'), 'date,distance,origin,destination\n2001-02-28T10:00:00Z,far,ORD,LGA\n');
    const bad = await step('predict', { ...common, data: 'bad.csv', out: 'out-bad' });
    expect(bad.status).toBe(1);
    expect(bad.outputs).toMatchObject({ ok: 'false', predictions: '' });
    expect(bad.stdout).toMatch(/^::error title=ct%3A unparseable_value,file=bad\.csv,line=2::column "distance": 1 value is not a number: far/m);
    expect(bad.stdout).toMatch(/^::error::refusing to score bad\.csv: 1 error anomaly \(see the job summary\)$/m);
    // One annotation per finding, on its file; the log names it an error once more, as a plain line.
    expect(bad.stdout.match(/^::(error|warning)[^\n]*column "distance": 1 value is not a number/gm)).toHaveLength(1);
    expect(bad.stdout).toMatch(/^error: column "distance": 1 value is not a number: far/m);
  });
});

describe('tfjs-node (or tfjs-node-gpu on a GPU runner) installed in the workspace', () => {
  it.each(['tfjs-node', 'tfjs-node-gpu'])(
    'the bundled train action trains on %s: its own tfjs-core registers the backend in the engine every copy shares',
    async (name) => {
      // A stand-in for tfjs-node / tfjs-node-gpu (they need libtensorflow, not installable here):
      // a package of the same name whose own copy of tfjs-core registers a `tensorflow` backend.
      const workspace = mkdtempSync(path.join(tmpdir(), 'ct-tfjs-node-'));
      const pkg = path.join(workspace, 'node_modules/@tensorflow');
      mkdirSync(path.join(pkg, name), { recursive: true });
      for (const name of ['tfjs-core', 'tfjs-backend-cpu']) symlinkSync(path.join(root, 'node_modules/@tensorflow', name), path.join(pkg, name));
      writeFileSync(path.join(pkg, name, 'package.json'), JSON.stringify({ name: `@tensorflow/${name}`, version: '4.22.0', main: 'index.js' }));
      writeFileSync(
        path.join(pkg, name, 'index.js'),
        [
          "const tf = require('@tensorflow/tfjs-core');",
          "const cpu = require('@tensorflow/tfjs-backend-cpu');",
          "tf.registerBackend('tensorflow', () => new cpu.MathBackendCPU(), 3);",
          "for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: 'tensorflow' });",
          "exports.version = { 'tfjs-core': tf.version_core };",
        ].join('\n'),
      );
      writeFileSync(path.join(workspace, 'package.json'), '{}');
      for (const f of shippedPartitions().slice(-2)) cpSync(path.join(root, 'data/flights', f), path.join(workspace, 'data/flights', f));
      const config = smallConfig(2);
      config.training = { ...config.training, backend: 'tensorflow', maxRows: 300, epochs: 1 };
      writeFileSync(path.join(workspace, 'ct.config.yaml'), stringify(config));
      const output = path.join(workspace, 'github-output');
      writeFileSync(output, '');
      const { status, stdout: log } = await runNode(path.join(root, 'actions/train/index.mjs'), [], {
        cwd: workspace,
        env: { ...process.env, GITHUB_WORKSPACE: workspace, GITHUB_OUTPUT: output, INPUT_CONFIG: 'ct.config.yaml', INPUT_OUT: 'out' },
      });
      expectSuccess({ status, stdout: log, outputs: {} });
      expect(parseOutputs(readFileSync(output, 'utf8'))).toMatchObject({ backend: 'tensorflow', epochs: '1' });
      expect(log).toContain(`TF.js backend: tensorflow (@tensorflow/${name})`);
      expect(JSON.parse(readFileSync(path.join(workspace, 'out/model/training.json'), 'utf8')).backend).toMatchObject({
        name: 'tensorflow',
        nativePackage: `@tensorflow/${name}`,
      });
    },
  );
});

describe('actions/dist', () => {
  const list = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
      .sort();
  const committed = path.join(root, 'actions/dist');

  it('is what `npm run bundle` builds from the current sources (commit it after changing src/)', async () => {
    const fresh = mkdtempSync(path.join(tmpdir(), 'ct-bundle-'));
    expect((await runNode(path.join(root, 'scripts/bundle-actions.mjs'), ['--out', fresh], { cwd: root })).status).toBe(0);
    expect(list(fresh)).toEqual(list(committed));
    for (const file of list(fresh)) expect([file, readFileSync(path.join(fresh, file)).equals(readFileSync(path.join(committed, file)))]).toEqual([file, true]);
  });

  it('holds one entry per stage action, plus the root action, which dispatches to exactly those stages', () => {
    const stages = readdirSync(path.join(root, 'actions'), { withFileTypes: true })
      .filter((e) => e.isDirectory() && e.name !== 'dist')
      .map((e) => e.name)
      .sort();
    const dispatched = [...readFileSync(path.join(root, 'src/actions/ct.ts'), 'utf8').matchAll(/^\s+(\w+): \(\) => import\('\.\/(\w+)\.js'\)/gm)];
    expect(dispatched.map(([, name, file]) => [name, file]).sort()).toEqual(stages.map((s) => [s, s]));
    const files = new Set(list(committed));
    expect([...stages, 'ct'].filter((entry) => !files.has(`${entry}.js`))).toEqual([]);
  });

  it('names each shared chunk after the entries that import it, not after its content (a rebuild touches only changed code)', () => {
    const chunks = list(committed).filter((file) => file.startsWith('chunks/'));
    expect(chunks.length).toBeGreaterThan(0);
    // esbuild's content hash: 8 characters of upper-case base32 before .js.
    expect(chunks.filter((file) => /-[A-Z2-7]{8}\.js$/.test(file))).toEqual([]);
    const entries = new Set(
      list(committed)
        .filter((file) => !file.includes('/') && file.endsWith('.js'))
        .map((file) => file.slice(0, -3)),
    );
    // A shared chunk (its name joins two or more entries) is named after actions and the modules they import dynamically.
    const dynamic = new Set(chunks.map((file) => path.basename(file, '.js')).filter((name) => !name.includes('+')));
    for (const file of chunks.filter((f) => f.includes('+'))) {
      expect([
        file,
        path
          .basename(file, '.js')
          .split('+')
          .filter((name) => !entries.has(name) && !dynamic.has(name)),
      ]).toEqual([file, []]);
    }
  });
});
