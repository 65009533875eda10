/**
 * Two models in one repository, as examples/two-models builds them: `ct init` for one
 * table, `ct init` again for another adds a model (its own config, ct.yml's push paths
 * widened, a README section) without touching the first; each goes from config to its own
 * promoted model; `ct models` and the bundled models action choose, from a push's real git
 * history, only the model whose files the push changed.
 */
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { parseOutputs } from '../actions/runner.js';
import { bareRepository, cloneOf, commitAndPush, git } from '../github/git-repos.js';
import { ct, root, runNode } from './repo.js';

const vega = (file: string): string => path.join(root, 'node_modules/vega-datasets/data', file);
type Json = Record<string, unknown>;

/** Runs the bundled models action as the runner would, on a push event from `before` to `after`. */
async function modelsAction(
  workspace: string,
  event: Json,
  inputs: Record<string, string> = {},
): Promise<{ status: number; log: string; outputs: Record<string, string> }> {
  const temp = mkdtempSync(path.join(tmpdir(), 'ct-models-action-'));
  writeFileSync(path.join(temp, 'event.json'), JSON.stringify(event));
  writeFileSync(path.join(temp, 'out'), '');
  writeFileSync(path.join(temp, 'summary.md'), '');
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: path.join(temp, 'event.json'),
    GITHUB_OUTPUT: path.join(temp, 'out'),
    GITHUB_STEP_SUMMARY: path.join(temp, 'summary.md'),
    RUNNER_TEMP: temp,
  };
  for (const [key, value] of Object.entries(inputs)) env[`INPUT_${key.toUpperCase()}`] = value;
  const r = await runNode(path.join(root, 'actions/models/index.mjs'), [], { cwd: workspace, env });
  return {
    status: r.status,
    log: r.stdout + r.stderr + readFileSync(path.join(temp, 'summary.md'), 'utf8'),
    outputs: parseOutputs(readFileSync(path.join(temp, 'out'), 'utf8')),
  };
}

describe('two models in one repository', () => {
  const origin = bareRepository();
  const repo = cloneOf(origin);
  let first: string;

  it('ct init twice: the second adds a model beside the first, widening only ct.yml', () => {
    const penguins = ct(repo, ['init', '--data', vega('penguins.json'), '--label', 'Species']);
    expect(penguins.status).toBe(0);
    const before = readFileSync(path.join(repo, '.github/workflows/ct.yml'), 'utf8');
    const model = readFileSync(path.join(repo, '.github/workflows/ct-model.yml'), 'utf8');
    const cars = ct(repo, ['init', '--data', vega('cars.json'), '--label', 'Miles_per_Gallon']);
    expect({ status: cars.status, stderr: cars.stderr }).toEqual({ status: 0, stderr: expect.not.stringMatching(/error/) as unknown });
    expect(cars.stdout.trim().split('\n')).toEqual([
      'wrote data/cars/cars.jsonl',
      'wrote data/cars/schema.json',
      'wrote ct.cars.yaml',
      'wrote .github/workflows/ct.yml',
      'wrote README.md',
      'next: npx ct run --config ct.cars.yaml',
    ]);
    const after = readFileSync(path.join(repo, '.github/workflows/ct.yml'), 'utf8');
    expect((parse(after) as { on: { push: { paths: string[] } } }).on.push.paths).toEqual([
      'ct.*.yaml',
      'data/penguins/schema.json',
      'data/penguins/penguins.jsonl',
      'data/cars/schema.json',
      'data/cars/cars.jsonl',
    ]);
    // Only the paths changed; the per-model workflow is the same for every model.
    expect(after.replace(/^ {4}paths: .*$/m, '')).toBe(before.replace(/^ {4}paths: .*$/m, ''));
    expect(readFileSync(path.join(repo, '.github/workflows/ct-model.yml'), 'utf8')).toBe(model);
    const readme = readFileSync(path.join(repo, 'README.md'), 'utf8');
    expect(readme).toContain('## Continuous training with ct');
    expect(readme).toMatch(/<!-- ct init: cars -->\n### Model `cars`\n/);

    // Again for a model the repository has: its own files are the ones to write, refused without --force.
    const again = ct(repo, ['init', '--data', vega('cars.json'), '--label', 'Miles_per_Gallon']);
    expect([again.status, again.stderr]).toEqual([2, 'ct: data/cars/cars.jsonl exists; pass --force to overwrite it\n']);
    const forced = ct(repo, ['init', '--data', vega('cars.json'), '--label', 'Miles_per_Gallon', '--force', '--json']);
    expect((JSON.parse(forced.stdout) as { written: string[] }).written).toEqual([
      'data/cars/cars.jsonl',
      'data/cars/schema.json',
      'ct.cars.yaml',
      'README.md',
    ]);
    expect(readFileSync(path.join(repo, 'README.md'), 'utf8').match(/<!-- ct init: cars -->/g)).toHaveLength(1);
    // Another config of the same name is refused, naming the one that holds it.
    const clash = ct(repo, ['init', '--data', vega('cars.json'), '--label', 'Horsepower', '--config', 'ct.horsepower.yaml']);
    expect([clash.status, clash.stderr]).toEqual([2, 'ct: ct.cars.yaml already holds a model named cars; pass --name with another name\n']);
    commitAndPush(repo, 'two models');
    first = git(repo, ['rev-parse', 'HEAD']).trim();
  });

  it('a ct.yml edited by hand is not rewritten to add a model: the error names it and the paths to add', () => {
    const copy = mkdtempSync(path.join(tmpdir(), 'ct-two-models-edited-'));
    git(copy, ['init', '-q']);
    expect(ct(copy, ['init', '--data', vega('penguins.json'), '--label', 'Species']).status).toBe(0);
    appendFileSync(path.join(copy, '.github/workflows/ct.yml'), '# ours\n');
    const r = ct(copy, ['init', '--data', vega('cars.json'), '--label', 'Miles_per_Gallon']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      "ct: .github/workflows/ct.yml differs from what ct init wrote for this repository's models; pass --force to rewrite it, or add the new model's paths (ct.*.yaml, data/penguins/schema.json, data/penguins/penguins.jsonl, data/cars/schema.json, data/cars/cars.jsonl) to its push paths yourself\n",
    );
    expect(existsSync(path.join(copy, 'ct.cars.yaml'))).toBe(false);
  });

  it('each model goes from its config to its own promoted model', () => {
    for (const [config, name] of [
      ['ct.config.yaml', 'penguins'],
      ['ct.cars.yaml', 'cars'],
    ]) {
      const r = ct(repo, ['run', '--config', config!, '--json']);
      expect({ config, status: r.status, stderr: r.stderr }).toEqual({ config, status: 0, stderr: expect.not.stringMatching(/internal error/) as unknown });
      const result = JSON.parse(r.stdout) as { promotion: { promoted: boolean; model: string } };
      expect(result.promotion).toMatchObject({ promoted: true });
      expect(existsSync(path.join(repo, 'models', name!, 'production.json'))).toBe(true);
    }
  }, 240_000);

  it('ct models lists both and, for a change, chooses the model whose files it touched', () => {
    const list = ct(repo, ['models']);
    expect(list.stdout.split('\n').slice(0, 3)).toEqual([
      'every model runs',
      'penguins  ct.config.yaml  run; reads ct.config.yaml, data/penguins/schema.json, data/penguins/penguins.jsonl',
      'cars      ct.cars.yaml    run; reads ct.cars.yaml, data/cars/schema.json, data/cars/cars.jsonl',
    ]);
    appendFileSync(path.join(repo, 'data/cars/cars.jsonl'), `${readFileSync(path.join(repo, 'data/cars/cars.jsonl'), 'utf8').split('\n')[0]}\n`);
    git(repo, ['add', 'data/cars/cars.jsonl']);
    git(repo, ['commit', '-q', '-m', 'a car']);
    const planned = ct(repo, ['models', '--since', first, '--json']);
    expect(planned.status).toBe(0);
    const plan = JSON.parse(planned.stdout) as { reason: string; chosen: Array<{ name: string; because: string }> };
    expect(plan.reason).toBe('1 changed file touches cars');
    expect(plan.chosen.map((m) => [m.name, m.because])).toEqual([['cars', 'data/cars/cars.jsonl']]);
    // ct's own source, in ct's repository, is every model's input.
    mkdirSync(path.join(repo, 'src'));
    writeFileSync(path.join(repo, 'src/shared.ts'), 'export {};\n');
    git(repo, ['add', 'src']);
    git(repo, ['commit', '-q', '-m', 'shared code']);
    const shared = JSON.parse(ct(repo, ['models', '--since', first, '--shared', 'src/', '--json']).stdout) as { chosen: Array<{ name: string }> };
    expect(shared.chosen.map((m) => m.name)).toEqual(['penguins', 'cars']);
    const unknown = ct(repo, ['models', '--model', 'ct.nothing.yaml']);
    expect([unknown.status, unknown.stderr]).toEqual([
      2,
      'ct: model: ct.nothing.yaml is not a model config of this repository (ct.config.yaml, ct.cars.yaml)\n',
    ]);
  });

  it('the models action plans a push from its git history: one model, both, or all when the history cannot tell', async () => {
    const head = git(repo, ['rev-parse', 'HEAD']).trim();
    const carsOnly = git(repo, ['rev-parse', 'HEAD~1']).trim();
    const one = await modelsAction(repo, { before: first, after: carsOnly });
    expect(one.status).toBe(0);
    expect(JSON.parse(one.outputs.models!)).toEqual([{ config: 'ct.cars.yaml', name: 'cars' }]);
    expect(one.outputs.count).toBe('1');
    expect(one.log).toContain('| cars | `ct.cars.yaml` | yes | `data/cars/cars.jsonl` |');
    expect(one.log).toContain('| penguins | `ct.config.yaml` | no |  |');
    // A push of code only touches no model (outside ct's own repository, src/ is no model's input).
    const none = await modelsAction(repo, { before: carsOnly, after: head });
    expect(JSON.parse(none.outputs.models!)).toEqual([]);
    // A push that created the branch, or whose `before` this clone does not have (a force-push): every model.
    for (const before of ['0'.repeat(40), 'f'.repeat(40)]) {
      const all = await modelsAction(repo, { before, after: head });
      expect(JSON.parse(all.outputs.models!)).toEqual([
        { config: 'ct.config.yaml', name: 'penguins' },
        { config: 'ct.cars.yaml', name: 'cars' },
      ]);
    }
    // deploy.yml's plan: the models whose production pointer changed, here both (promoted since `first`).
    git(repo, ['add', 'models']);
    git(repo, ['commit', '-q', '-m', 'promotions']);
    const deploy = await modelsAction(repo, { before: head, after: git(repo, ['rev-parse', 'HEAD']).trim() }, { watch: 'production' });
    expect(JSON.parse(deploy.outputs.models!).map((m: Json) => m.name)).toEqual(['penguins', 'cars']);
    const bad = await modelsAction(repo, { before: head, after: head }, { watch: 'everything' });
    expect(bad.status).toBe(1);
    expect(bad.log).toMatch(/^::error::ct models: input watch: /m);
  }, 60_000);
});
