import { mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkConfig, loadConfig, parseLabel } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';
import { UserError } from '../../src/errors.js';
import { cpuTimeOf } from '../helpers.js';

const root = path.resolve(import.meta.dirname, '../..');

const minimal = {
  name: 'm',
  task: 'binary',
  data: { path: 'data/x' },
  label: 'delay > 15',
  features: [{ column: 'origin' }],
  gates: [{ metric: 'auc', lowerBound: 0.5 }],
};

function errorOf(raw: unknown): string {
  try {
    checkConfig('ct.config.yaml', raw);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error('expected a UserError');
}

function withChange(path: string[], value: unknown): Record<string, unknown> {
  const raw = structuredClone(minimal) as Record<string, unknown>;
  let node = raw;
  for (const key of path.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
  return raw;
}

describe('loadConfig', () => {
  it('loads the shipped flight-delay config with defaults filled in', () => {
    const { config, hash } = loadConfig(path.join(root, 'ct.config.yaml'));
    expect(config.name).toBe('flight-delay');
    expect(config.label).toMatchObject({ column: 'delay', op: '>', value: 15 });
    expect(config.features.map((f) => f.name)).toEqual([
      'origin',
      'destination',
      'hour',
      'day_of_week',
      'log_distance',
      'route',
      'hour_of_week',
      'origin_hour',
      'destination_hour',
    ]);
    expect(config.features.find((f) => f.name === 'route')).toMatchObject({
      transform: 'cross',
      cross: ['origin', 'destination'],
      hashBuckets: 4096,
      kind: 'categorical',
    });
    expect(config.features.find((f) => f.name === 'hour')?.kind).toBe('categorical');
    expect(config.data.split).toEqual({ method: 'time', evaluationDays: 3 });
    expect(config.registry.path).toBe('models');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('fills defaults for omitted sections', () => {
    const config = checkConfig('c.yaml', minimal);
    expect(config.training).toMatchObject({ backend: 'auto', optimizer: 'adam', batchSize: 512, epochs: 3, seed: 42 });
    expect(config.model).toEqual({ hidden: [64, 64], activation: 'relu', dropout: 0 });
    expect(config.data.window).toEqual({});
    expect(config.data.split).toEqual({ method: 'time', evaluationDays: 7 });
    expect(config.evaluation.threshold).toBe(0.5);
    expect(config.validation).toEqual({
      severity: {},
      maxDomainSize: 1000,
      rowCount: { minRatio: 0.5, maxRatio: 2 },
      duplicates: true,
      drift: { method: 'auto', correction: 'benjamini-hochberg', datasetDriftShare: 0.5, nullRateChange: 0.05, blocking: false },
      history: { enabled: true, cache: '.ct/history', minDays: 14, maxDays: 56, threshold: 16, labelThreshold: 8, maxRowDrop: 0.4, model: true },
    });
  });

  it('fills in the evaluation defaults and names slices after their column', () => {
    const config = checkConfig('ct.config.yaml', {
      ...minimal,
      evaluation: {
        slices: [
          { column: 'origin', top: 10 },
          { column: 'date', transform: 'hourOfDay', boundaries: [6, 12, 18] },
        ],
      },
      gates: [
        { metric: 'auc', slice: 'origin', change: { direction: 'higherIsBetter', absolute: -0.05 } },
        { metric: 'auc', slice: 'date.hourOfDay=[6,12)', significance: { test: 'nonInferiority' } },
      ],
    });
    expect(config.evaluation).toEqual({
      threshold: 0.5,
      calibrationBins: 10,
      bootstrap: { samples: 1000, seed: 42, confidence: 0.95 },
      slices: [
        { name: 'origin', column: 'origin', top: 10 },
        { name: 'date.hourOfDay', column: 'date', transform: 'hourOfDay', boundaries: [6, 12, 18] },
      ],
      minSliceRows: 200,
      latency: { batchRows: 1024, repeats: 20 },
      infraCheck: { enabled: true, sampleRows: 256, latencyBudgetMs: 5000 },
      importance: { enabled: true, repeats: 3, maxRows: 5000, seed: 42 },
    });
    expect(config.gates[1]!.significance).toEqual({ test: 'nonInferiority', margin: 0 });
  });

  it('names a missing file', () => {
    expect(() => loadConfig('/nonexistent/ct.config.yaml')).toThrow('config file not found: /nonexistent/ct.config.yaml');
  });

  it('names the line of a YAML syntax error', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ct-config-'));
    const file = path.join(dir, 'ct.config.yaml');
    writeFileSync(file, 'name: x\ntask: [binary\n');
    expect(() => loadConfig(file)).toThrow(/ct\.config\.yaml line \d: invalid YAML/);
  });

  it('rejects an empty file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ct-config-'));
    const file = path.join(dir, 'ct.config.yaml');
    writeFileSync(file, '# nothing\n');
    expect(() => loadConfig(file)).toThrow('the config file is empty');
  });
});

describe('config errors name the field and what is expected', () => {
  it.each([
    [withChange(['training', 'batchSize'], 0), 'ct.config.yaml: training.batchSize: must be >= 1'],
    [withChange(['training', 'batchsize'], 64), 'ct.config.yaml: training.batchsize: unknown field (did you mean batchSize?)'],
    [withChange(['task'], 'ranking'), 'ct.config.yaml: task: must be one of "binary", "multiclass", "regression"'],
    [withChange(['features', '0', 'embedding'], 'big'), 'ct.config.yaml: features[0].embedding: must be integer'],
    [withChange(['data', 'split'], { method: 'time' }), 'ct.config.yaml: data.split.evaluationDays: is required'],
    [withChange(['data', 'split'], { method: 'random', evaluationFraction: 0.2 }), 'ct.config.yaml: data.split.method: must be one of "time", "hash"'],
    [withChange(['data', 'window'], { from: '2001-02-01', to: '2001-01-01' }), 'data.window: from (2001-02-01) is after to (2001-01-01)'],
    [withChange(['data', 'window'], { from: '1 Jan 2001' }), 'data.window.from: must match pattern'],
    [withChange(['gates', '0'], { metric: 'auc' }), 'gates[0] (auc): set lowerBound, upperBound, change or significance'],
    [
      withChange(['gates', '0'], { metric: 'auc', slice: 'origin', lowerBound: 0.5 }),
      'gates[0].slice: "origin" names no slice of evaluation.slices (none is configured)',
    ],
    [
      withChange(['gates', '0'], { metric: 'positiveRate', significance: { test: 'improvement' } }),
      'gates[0].significance.direction: "positiveRate" has no natural direction',
    ],
    [
      withChange(['gates', '0'], { metric: 'latencyP95Ms', significance: { test: 'improvement', direction: 'lowerIsBetter' } }),
      'gates[0].significance: latencyP95Ms is measured once, not per row',
    ],
    [
      withChange(['gates', '0'], { metric: 'auc', significance: { test: 'better' } }),
      'gates[0].significance.test: must be one of "improvement", "nonInferiority"',
    ],
    [withChange(['evaluation', 'slices'], [{ column: 'origin', top: 5, values: ['ATL'] }]), 'evaluation.slices[0]: give one of top, values or boundaries'],
    [withChange(['evaluation', 'slices'], [{ column: 'distance', boundaries: [500, 100] }]), 'evaluation.slices[0].boundaries: must be strictly ascending'],
    [
      withChange(
        ['evaluation', 'slices'],
        [
          { column: 'origin', top: 5 },
          { column: 'origin', values: ['ATL'] },
        ],
      ),
      'evaluation.slices[1].name: "origin" is used twice',
    ],
    [withChange(['evaluation', 'bootstrap', 'confidence'], 95), 'evaluation.bootstrap.confidence: must be < 1'],
    [withChange(['label'], 'delay >> 15'), 'label: in "delay >> 15", > 15 is not a number'],
    [withChange(['features', '1'], { column: 'origin' }), 'features[1].name: "origin" is used twice'],
    [withChange(['validation', 'severity'], { nulls: 'error' }), 'validation.severity.nulls: unknown key, must be one of "empty_batch"'],
    [withChange(['validation', 'severity'], { out_of_range: 'fatal' }), 'validation.severity.out_of_range: must be one of "error", "warning"'],
    [
      withChange(['features', '1'], { name: 'route', cross: ['origin', 'destination'], column: 'origin' }),
      'features[1]: a cross names features in "cross", not a "column"',
    ],
    [withChange(['features', '1'], { name: 'route', cross: ['origin'] }), 'features[1].cross: must NOT have fewer than 2 items'],
    [withChange(['validation', 'drift'], { method: 'ks' }), 'validation.drift.method: must be one of "auto", "psi"'],
    [withChange(['data', 'timezone'], 'Eastern'), 'data.timezone: "Eastern" is not an IANA time zone (e.g. America/New_York, Europe/Berlin, UTC)'],
  ])('%#: %s', (raw, message) => {
    expect(errorOf(raw)).toContain(message);
  });

  it('requires the top-level sections', () => {
    const { gates: _gates, ...rest } = minimal;
    expect(errorOf(rest)).toBe('ct.config.yaml: gates: is required');
  });
});

describe('gate metrics', () => {
  it.each([
    [
      { metric: 'AUC', lowerBound: 0.5 },
      'binary',
      'gates[0].metric: "AUC" is not a metric of a binary model (auc, prAuc, logLoss, brier, accuracy, precision, recall, f1, ece, positiveRate, modelBytes, latencyP50Ms, latencyP95Ms)',
    ],
    [{ metric: 'macroF1', lowerBound: 0.5 }, 'binary', 'gates[0].metric: "macroF1" is not a metric of a binary model'],
    [
      { metric: 'auc', lowerBound: 0.5 },
      'regression',
      'gates[0].metric: "auc" is not a metric of a regression model (rmse, mae, r2, modelBytes, latencyP50Ms, latencyP95Ms)',
    ],
  ])('refuses %j for a %s model when the config is loaded', (gate, task, message) => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'ct-gates-')), 'ct.config.yaml');
    writeFileSync(file, JSON.stringify({ ...minimal, task, gates: [gate] }));
    expect(() => loadConfig(file)).toThrow(`${file}: ${message}`);
  });

  it('accepts every metric of the task and the guard metrics', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'ct-gates-')), 'ct.config.yaml');
    writeFileSync(
      file,
      JSON.stringify({ ...minimal, task: 'multiclass', gates: ['accuracy', 'macroF1', 'logLoss', 'modelBytes'].map((metric) => ({ metric, lowerBound: 0 })) }),
    );
    expect(loadConfig(file).config.gates).toHaveLength(4);
  });
});

describe('YAML a config may use', () => {
  /** The message of the UserError loading `yaml` as a config gives. */
  function yamlError(yaml: string): string {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'ct-yaml-')), 'ct.config.yaml');
    writeFileSync(file, yaml);
    try {
      loadConfig(file);
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      return (error as Error).message.replace(file, 'ct.config.yaml');
    }
    throw new Error('expected a UserError');
  }
  const valid = 'name: m\ntask: binary\ndata: { path: data/x }\nlabel: delay > 15\nfeatures: [{ column: origin }]\n';

  it.each([
    ['gates: !!js/function "function () { return [] }"', 'ct.config.yaml line 6: the YAML tag !!js/function is not allowed'],
    ['gates: !foo [{ metric: auc, lowerBound: 0.5 }]', 'ct.config.yaml line 6: the YAML tag !foo is not allowed'],
    ['gates: [{ metric: !!binary YXVj, lowerBound: 0.5 }]', 'ct.config.yaml line 6: the YAML tag !!binary is not allowed'],
    ['gates: [{ metric: *auc, lowerBound: 0.5 }]', 'ct.config.yaml: invalid YAML: Unresolved alias'],
  ])('refuses %s', (line, message) => {
    expect(yamlError(`${valid}${line}\n`)).toContain(message);
  });

  it('accepts the core tags and plain anchors and aliases', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ct-yaml-'));
    writeFileSync(path.join(dir, 'ct.config.yaml'), `${valid}gates: [{ metric: &m !!str auc, lowerBound: !!float 0.5 }, { metric: *m, upperBound: 1 }]\n`);
    expect(loadConfig(path.join(dir, 'ct.config.yaml')).config.gates.map((g) => g.metric)).toEqual(['auc', 'auc']);
  });

  it('refuses a "billion laughs" of nested aliases without expanding it', async () => {
    const levels = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let k = 1; k < 10; k++)
      levels.push(
        `a${k}: &a${k} [${Array(10)
          .fill(`*a${k - 1}`)
          .join(', ')}]`,
      );
    const { value: message, cpuMs } = await cpuTimeOf(() => yamlError(`${valid}${levels.join('\n')}\n`));
    expect(message).toBe('ct.config.yaml: invalid YAML: Excessive alias count indicates a resource exhaustion attack');
    // 10^10 strings: expanding them would take minutes of CPU time; refusing them takes milliseconds.
    expect(cpuMs).toBeLessThan(2000);
  });
});

describe('config paths stay inside the repository', () => {
  const config = (data: Record<string, unknown>, registry?: string): string =>
    JSON.stringify({ ...minimal, data: { ...minimal.data, ...data }, ...(registry === undefined ? {} : { registry: { path: registry } }) });

  /** A repository (a folder with .git) in a temp folder, with `outside` beside it. */
  function repository(): { repo: string; outside: string } {
    const parent = realpathSync(mkdtempSync(path.join(tmpdir(), 'ct-paths-')));
    const repo = path.join(parent, 'repo');
    mkdirSync(path.join(repo, '.git'), { recursive: true });
    mkdirSync(path.join(repo, 'configs'));
    mkdirSync(path.join(parent, 'outside'));
    return { repo, outside: path.join(parent, 'outside') };
  }
  function load(file: string, text: string): () => unknown {
    writeFileSync(file, text);
    return () => loadConfig(file);
  }

  it('accepts paths inside the repository, from a config in a subfolder, missing or not, and URLs', () => {
    const { repo } = repository();
    symlinkSync(path.join(repo, 'data'), path.join(repo, 'linked'));
    expect(load(path.join(repo, 'configs/ct.yaml'), config({ path: '../data/x', schema: '../linked/schema.json' }, '../models/new'))).not.toThrow();
    expect(load(path.join(repo, 'ct.yaml'), config({ path: path.join(repo, 'data') }))).not.toThrow();
    expect(load(path.join(repo, 'ct.yaml'), config({ path: 'https://example.com/data/flights.parquet' }))).not.toThrow();
  });

  it.each([
    [{ path: '../outside' }, undefined, 'data.path: "../outside" resolves to <outside>, outside the repository <repo> (for a batch elsewhere, use --data)'],
    [
      { path: '<outside>/2001-01-01.csv' },
      undefined,
      'data.path: "<outside>/2001-01-01.csv" resolves to <outside>/2001-01-01.csv, outside the repository <repo>',
    ],
    [{ schema: '/etc/passwd' }, undefined, 'data.schema: "/etc/passwd" resolves to /etc/passwd, outside the repository <repo>'],
    [{}, '../outside/models', 'registry.path: "../outside/models" resolves to <outside>/models, outside the repository <repo>'],
    [{ path: 'out-link' }, undefined, 'data.path: "out-link" resolves to <outside>, outside the repository <repo>'],
    [{}, 'dangling/models', 'registry.path: "dangling/models" resolves to <outside>/later/models, outside the repository <repo>'],
  ])('refuses %j (registry %s)', (data, registry, message) => {
    const { repo, outside } = repository();
    symlinkSync(outside, path.join(repo, 'out-link'));
    symlinkSync(path.join(outside, 'later'), path.join(repo, 'dangling'));
    const fill = (s: string): string => s.replaceAll('<outside>', outside).replaceAll('<repo>', repo);
    const filled = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, fill(v)]));
    expect(load(path.join(repo, 'ct.yaml'), config(filled, registry))).toThrow(`${path.join(repo, 'ct.yaml')}: ${fill(message)}`);
  });

  it("without a .git folder, the config's folder is the boundary", () => {
    const parent = realpathSync(mkdtempSync(path.join(tmpdir(), 'ct-paths-')));
    mkdirSync(path.join(parent, 'sub'));
    expect(load(path.join(parent, 'sub/ct.yaml'), config({ path: 'data' }))).not.toThrow();
    expect(load(path.join(parent, 'sub/ct.yaml'), config({ path: '../data' }))).toThrow(
      `data.path: "../data" resolves to ${path.join(parent, 'data')}, outside the repository ${path.join(parent, 'sub')}`,
    );
  });
});

describe('parseLabel', () => {
  it('parses comparisons declaratively', () => {
    expect(parseLabel('f', 'delay > 15')).toEqual({ column: 'delay', op: '>', value: 15, text: 'delay > 15' });
    expect(parseLabel('f', 'status == "late"')).toMatchObject({ column: 'status', op: '==', value: 'late' });
    expect(parseLabel('f', 'cancelled == true')).toMatchObject({ value: true });
    expect(parseLabel('f', 'species')).toEqual({ column: 'species', text: 'species' });
  });

  it('refuses anything that is not a column compared with a literal', () => {
    expect(() => parseLabel('f', 'process.exit(1)')).toThrow(UserError);
    expect(() => parseLabel('f', 'delay > other_column')).toThrow('is not a number, true/false or a quoted string');
  });
});

describe('published JSON Schema', () => {
  it('docs/ct.config.schema.json is the schema ct checks with (run `npm run schema`)', () => {
    const published = JSON.parse(readFileSync(path.join(root, 'docs/ct.config.schema.json'), 'utf8')) as unknown;
    expect(published).toEqual(JSON.parse(JSON.stringify(configSchema)));
  });
});
