/**
 * Temp repositories for end-to-end tests: the compiled `ct` binary (as `npx ct` runs it)
 * on a copy of some of the shipped flight partitions, with the shipped config made small.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';

export const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/ct.js');

/** Runs `ct` in `cwd`. */
export function ct(cwd: string, args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Starts `ct serve` in `repo`; resolves with its URL once it listens. */
export function startServe(repo: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [path.join(root, 'bin/ct.js'), 'serve', '--port', '0', ...args], {
    cwd: repo,
    env: { ...process.env, CI: 'true', ...env },
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const seen = (d: Buffer): void => {
      output += d.toString();
      const m = /listening on (http:\/\/[^\s)]+)/.exec(output);
      if (m !== null) resolve({ child, url: m[1]!, output: () => output });
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.on('exit', (code) => reject(new Error(`ct serve exited (${code}) before listening:\n${output}`)));
  });
}

/**
 * Runs a Node script without blocking this process (tests that serve a loopback GitHub
 * from here must keep answering while the child runs).
 */
export async function runNode(
  script: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<{ status: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [script, ...args], { cwd: options.cwd, env: options.env ?? process.env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const status = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  return { status, stdout, stderr };
}

/** The shipped partitions, oldest first. */
export function shippedPartitions(): string[] {
  return readdirSync(path.join(root, 'data/flights'))
    .filter((f) => /^\d{4}-\d{2}-\d{2}\.parquet$/.test(f))
    .sort();
}

export type Config = Record<string, unknown> & { data: Record<string, unknown>; training: Record<string, unknown> };

/** A latency bound no loaded machine reaches: the gate and the infra check run and report, the clock decides nothing. */
export const LOOSE_LATENCY_MS = 120_000;

/**
 * The shipped config, for `days` newest days, 1 evaluation day, 2 small epochs on cpu.
 * Its latency gate and the infra check's budget are LOOSE_LATENCY_MS: measured latency
 * depends on what else the machine runs, and a test must not; speed is `npm run bench`'s.
 */
export function smallConfig(days: number): Config {
  const config = parse(readFileSync(path.join(root, 'ct.config.yaml'), 'utf8')) as Config;
  config.data.window = { newestDays: days };
  config.data.split = { method: 'time', evaluationDays: 1 };
  // auto: ct's fused training step, as users get it (and several times faster than TF.js on cpu).
  config.training = { ...config.training, epochs: 2, maxRows: 20_000, backend: 'auto' };
  config.evaluation = { ...(config.evaluation as Record<string, unknown>), infraCheck: { latencyBudgetMs: LOOSE_LATENCY_MS } };
  config.gates = (config.gates as Array<Record<string, unknown>>).map((g) => (g.metric === 'latencyP95Ms' ? { ...g, upperBound: LOOSE_LATENCY_MS } : g));
  return config;
}

/** Writes a config file into the repository. */
export function writeConfig(repo: string, file: string, config: unknown): void {
  writeFileSync(path.join(repo, file), stringify(config));
}

/** A temp git repository holding `partitions` of the shipped data and `smallConfig(days)` as ct.config.yaml. */
export function tempRepo(partitions: readonly string[], days = partitions.length): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ct-e2e-'));
  for (const f of partitions) cpSync(path.join(root, 'data/flights', f), path.join(dir, 'data/flights', f));
  writeConfig(dir, 'ct.config.yaml', smallConfig(days));
  spawnSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'add', '.'], { cwd: dir });
  spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'data'], { cwd: dir });
  return dir;
}

/** vega-datasets' penguins (344 rows; multiclass label Species). */
export function penguinRows(): Array<Record<string, unknown>> {
  return JSON.parse(readFileSync(path.join(root, 'node_modules/vega-datasets/data/penguins.json'), 'utf8')) as Array<Record<string, unknown>>;
}

/**
 * A multiclass config of the penguins table written as `penguins.jsonl`: a hash split,
 * the four measurements and the island; `over` replaces whole sections.
 */
export function penguinsConfig(over: Record<string, unknown> = {}, seed = 42): Record<string, unknown> {
  return {
    name: 'penguins',
    task: 'multiclass',
    data: { path: 'penguins.jsonl', split: { method: 'hash', evaluationFraction: 0.3, seed: 1 } },
    label: 'Species',
    features: ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)', 'Island'].map((column) => ({ column })),
    model: { hidden: [16] },
    training: { backend: 'cpu', epochs: 30, batchSize: 32, learningRate: 0.01, seed, validationFraction: 0.1 },
    evaluation: { bootstrap: { samples: 0 }, slices: [], infraCheck: { latencyBudgetMs: LOOSE_LATENCY_MS } },
    gates: [{ metric: 'accuracy', lowerBound: 0.6 }],
    ...over,
  };
}

/** A temp folder holding the penguins table as `penguins.jsonl`. */
export function penguinsFolder(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  writeFileSync(
    path.join(dir, 'penguins.jsonl'),
    penguinRows()
      .map((r) => JSON.stringify(r))
      .join('\n'),
  );
  return dir;
}
