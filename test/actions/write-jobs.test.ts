/**
 * A job that writes runs no code it did not pin: no cache is restored into it (a poisoned
 * cache would get the write token), its installs are `npm ci --ignore-scripts` from the
 * lockfile (integrity-checked, no install script runs), nothing is installed by name, and
 * `npx` runs only a bin the lockfile pins, never a download. Checked on every workflow of
 * this repository and on every workflow `ct init` writes, in each of its modes.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { silentLogger } from '../../src/logger.js';
import { runInit } from '../../src/pipeline/init.js';
import { root } from '../pipeline/repo.js';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  permissions?: unknown;
  steps?: Step[];
}
interface Workflow {
  on?: unknown;
  permissions?: unknown;
  jobs: Record<string, Job>;
}

/** Whether the workflow runs on pull_request_target: the base branch's token and cache scope, a pull request's input (held to the same rules). */
function onPullRequestTarget(w: Workflow): boolean {
  const on = w.on;
  if (typeof on === 'string') return on === 'pull_request_target';
  if (Array.isArray(on)) return on.includes('pull_request_target');
  return on !== null && typeof on === 'object' && 'pull_request_target' in on;
}

/** Whether a permissions value grants any write (`write-all`, or any scope `: write`, `id-token` included). */
export function grantsWrite(permissions: unknown): boolean {
  if (typeof permissions === 'string') return permissions === 'write-all';
  if (permissions === null || typeof permissions !== 'object') return false;
  return Object.values(permissions as Record<string, unknown>).some((v) => v === 'write');
}

/** The command names the lockfile pins a bin for (the root package's and its dependencies'). */
function lockfileBins(lockfile: string): Set<string> {
  const lock = JSON.parse(readFileSync(lockfile, 'utf8')) as { packages: Record<string, { bin?: Record<string, string> | string; name?: string }> };
  const bins = new Set<string>();
  for (const [key, pkg] of Object.entries(lock.packages)) {
    if (typeof pkg.bin === 'string') bins.add(pkg.name ?? key.replace(/^.*node_modules\//, ''));
    else for (const name of Object.keys(pkg.bin ?? {})) bins.add(name);
  }
  return bins;
}

/** The shell commands of a run script: split at newlines, `&&`, `||`, `;` and pipes. */
const commands = (script: string): string[] =>
  script
    .replace(/\\\n/g, ' ')
    .split(/\n|&&|\|\||;|\|/)
    .map((c) => c.trim())
    .filter((c) => c !== '');

/**
 * The violations of "a job that writes runs no code it did not pin" in one workflow, as
 * text (empty: none). A job's permissions replace the workflow's; with neither, the token
 * may write everything.
 */
export function writeJobProblems(name: string, text: string, bins: Set<string>): string[] {
  const w = parse(text) as Workflow;
  const problems: string[] = [];
  for (const [id, job] of Object.entries(w.jobs)) {
    if (!grantsWrite(job.permissions ?? w.permissions ?? 'write-all') && !onPullRequestTarget(w)) continue;
    const at = `${name} ${id}`;
    for (const step of job.steps ?? []) {
      const uses = step.uses ?? '';
      if (/^actions\/cache(\/[\w-]+)?@/.test(uses)) problems.push(`${at}: restores a cache (${uses.replace(/@.*/, '')})`);
      if (/^actions\/setup-node@/.test(uses) && step.with?.cache !== undefined && step.with.cache !== '')
        problems.push(`${at}: setup-node restores a cache (cache: ${JSON.stringify(step.with.cache)})`);
      for (const command of commands(step.run ?? '')) {
        const words = command.split(/\s+/);
        const npm = words.indexOf('npm');
        if (npm >= 0) {
          const verb = words[npm + 1];
          const args = words.slice(npm + 2);
          if (['install', 'i', 'add', 'isntall', 'in'].includes(verb ?? '') && args.some((a) => !a.startsWith('-')))
            problems.push(`${at}: installs a package by name, not from the lockfile: ${command}`);
          if (['ci', 'install', 'i', 'add', 'isntall', 'in', 'rebuild'].includes(verb ?? '') && !args.includes('--ignore-scripts'))
            problems.push(`${at}: runs install scripts: ${command}`);
        }
        const npx = words.findIndex((word) => word === 'npx' || word === 'pnpx');
        const exec = words.findIndex((word, i) => word === 'exec' && words[i - 1] === 'npm');
        const runner = npx >= 0 ? npx : exec;
        if (runner >= 0) {
          const args = words.slice(runner + 1);
          const bin = args.find((a) => !a.startsWith('-'));
          if (!args.includes('--no-install') && !args.includes('--no')) problems.push(`${at}: npx may download a package: ${command}`);
          if (bin === undefined || !bins.has(bin)) problems.push(`${at}: npx runs ${bin ?? '(nothing)'}, which the lockfile does not pin`);
        }
      }
    }
  }
  return problems;
}

const workflowDir = path.join(root, '.github/workflows');
const own = readdirSync(workflowDir).filter((f) => /\.ya?ml$/.test(f));
const bins = lockfileBins(path.join(root, 'package-lock.json'));

/** The workflows `ct init` writes into a fresh repository, by mode. */
async function generated(mode: 'installed' | 'remote' | 'remote+lockfile'): Promise<Array<[string, string]>> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'ct-write-jobs-'));
  if (mode === 'remote+lockfile')
    writeFileSync(path.join(cwd, 'package-lock.json'), `${JSON.stringify({ packages: { 'node_modules/@tensorflow/tfjs-node': { version: '4.22.0' } } })}\n`);
  const actions = mode === 'installed' ? undefined : `acme/ct@${'a'.repeat(40)}`;
  await runInit(
    { data: path.join(root, 'node_modules/vega-datasets/data/penguins.json'), label: 'Species', cwd, ...(actions === undefined ? {} : { actions }) },
    silentLogger,
  );
  const dir = path.join(cwd, '.github/workflows');
  return readdirSync(dir).map((f) => [`${mode}/${f}`, readFileSync(path.join(dir, f), 'utf8')]);
}

describe('a job that writes runs no code it did not pin', () => {
  it.each(own)('.github/workflows/%s', (file) => {
    expect(writeJobProblems(file, readFileSync(path.join(workflowDir, file), 'utf8'), bins)).toEqual([]);
  });

  it('a pull_request_target job is held to the same rules, whatever its permissions: verify.yml with a cache fails', () => {
    const text = readFileSync(path.join(workflowDir, 'verify.yml'), 'utf8');
    const cached = text.replace(
      '      - uses: ./actions/verify',
      '      - uses: actions/setup-node@v4\n        with:\n          cache: npm\n      - uses: ./actions/verify',
    );
    expect(writeJobProblems('cached.yml', cached, bins)).toEqual(['cached.yml verify: setup-node restores a cache (cache: "npm")']);
  });

  it.each(['installed', 'remote', 'remote+lockfile'] as const)('the workflows ct init writes (%s actions)', async (mode) => {
    const files = await generated(mode);
    expect(files.map(([f]) => f).sort()).toEqual(['ct-model.yml', 'ct.yml', 'deploy-model.yml', 'deploy.yml', 'verify.yml'].map((f) => `${mode}/${f}`));
    for (const [file, text] of files) expect(writeJobProblems(file, text, bins)).toEqual([]);
    // ct-model.yml's promote writes, and (installed) installs ct with no scripts and no cache.
    const ct = parse(files.find(([f]) => f.endsWith('/ct-model.yml'))![1]) as Workflow;
    expect(grantsWrite(ct.jobs.promote!.permissions)).toBe(true);
    const runs = ct.jobs.promote!.steps!.flatMap((s) => (s.run === undefined ? [] : [s.run]));
    expect(runs).toEqual(mode === 'installed' ? ['npm ci --ignore-scripts --no-audit --no-fund'] : []);
  });

  it('the ct-model.yml train job may keep its cache: it does not write', async () => {
    const ct = parse((await generated('installed')).find(([f]) => f.endsWith('/ct-model.yml'))![1]) as Workflow;
    expect(grantsWrite(ct.jobs.train!.permissions ?? ct.permissions)).toBe(false);
    expect(ct.jobs.train!.steps!.some((s) => s.uses?.startsWith('actions/cache@') === true)).toBe(true);
  });

  it('catches each way a writing job runs fetched code', () => {
    const hostile = [
      'on: workflow_dispatch',
      'permissions: { contents: read }',
      'jobs:',
      '  reads:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/cache@0057852bfaa89a56745cba8c7296529d2fc39830 # v4.3.0',
      '        with: { path: node_modules, key: k }',
      '      - run: npm ci',
      '  writes:',
      '    runs-on: ubuntu-latest',
      '    permissions: { contents: read, id-token: write }',
      '    steps:',
      '      - uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020 # v4.4.0',
      '        with: { node-version: 20, cache: npm }',
      '      - uses: actions/cache/restore@0057852bfaa89a56745cba8c7296529d2fc39830 # v4.3.0',
      '        with: { path: node_modules, key: k }',
      '      - run: |',
      '          npm ci --no-audit',
      '          npm install --ignore-scripts left-pad',
      '          npx --no-install ct promote && npx cowsay hi',
      '      - run: npm ci --ignore-scripts && npx --no-install ct promote',
    ].join('\n');
    expect(writeJobProblems('hostile.yml', hostile, bins)).toEqual([
      'hostile.yml writes: setup-node restores a cache (cache: "npm")',
      'hostile.yml writes: restores a cache (actions/cache/restore)',
      'hostile.yml writes: runs install scripts: npm ci --no-audit',
      'hostile.yml writes: installs a package by name, not from the lockfile: npm install --ignore-scripts left-pad',
      'hostile.yml writes: npx may download a package: npx cowsay hi',
      'hostile.yml writes: npx runs cowsay, which the lockfile does not pin',
    ]);
    // Without permissions anywhere the token may write everything; read-all writes nothing.
    const job = 'jobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm install\n';
    expect(writeJobProblems('default.yml', `on: push\n${job}`, bins)).toEqual(['default.yml t: runs install scripts: npm install']);
    expect(writeJobProblems('all.yml', `on: push\npermissions: write-all\n${job}`, bins)).toEqual(['all.yml t: runs install scripts: npm install']);
    expect(writeJobProblems('read.yml', `on: push\npermissions: read-all\n${job}`, bins)).toEqual([]);
  });
});
