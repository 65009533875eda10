import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkConfig, loadConfig, parseLabel } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';
import { UserError } from '../../src/errors.js';

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
    expect(config.features.map((f) => f.name)).toEqual(['origin', 'destination', 'hour', 'day_of_week', 'log_distance', 'route', 'hour_of_week', 'origin_hour', 'destination_hour']);
    expect(config.features.find((f) => f.name === 'route')).toMatchObject({ transform: 'cross', cross: ['origin', 'destination'], hashBuckets: 4096, kind: 'categorical' });
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
    });
  });

  it('fills in the evaluation defaults and names slices after their column', () => {
    const config = checkConfig('ct.config.yaml', {
      ...minimal,
      evaluation: { slices: [{ column: 'origin', top: 10 }, { column: 'date', transform: 'hourOfDay', boundaries: [6, 12, 18] }] },
      gates: [{ metric: 'auc', slice: 'origin', change: { direction: 'higherIsBetter', absolute: -0.05 } }, { metric: 'auc', slice: 'date.hourOfDay=[6,12)', significance: { test: 'nonInferiority' } }],
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
    [withChange(['gates', '0'], { metric: 'auc', slice: 'origin', lowerBound: 0.5 }), 'gates[0].slice: "origin" names no slice of evaluation.slices (none is configured)'],
    [withChange(['gates', '0'], { metric: 'positiveRate', significance: { test: 'improvement' } }), 'gates[0].significance.direction: "positiveRate" has no natural direction'],
    [withChange(['gates', '0'], { metric: 'latencyP95Ms', significance: { test: 'improvement', direction: 'lowerIsBetter' } }), 'gates[0].significance: latencyP95Ms is measured once, not per row'],
    [withChange(['gates', '0'], { metric: 'auc', significance: { test: 'better' } }), 'gates[0].significance.test: must be one of "improvement", "nonInferiority"'],
    [withChange(['evaluation', 'slices'], [{ column: 'origin', top: 5, values: ['ATL'] }]), 'evaluation.slices[0]: give one of top, values or boundaries'],
    [withChange(['evaluation', 'slices'], [{ column: 'distance', boundaries: [500, 100] }]), 'evaluation.slices[0].boundaries: must be strictly ascending'],
    [withChange(['evaluation', 'slices'], [{ column: 'origin', top: 5 }, { column: 'origin', values: ['ATL'] }]), 'evaluation.slices[1].name: "origin" is used twice'],
    [withChange(['evaluation', 'bootstrap', 'confidence'], 95), 'evaluation.bootstrap.confidence: must be < 1'],
    [withChange(['label'], 'delay >> 15'), 'label: in "delay >> 15", > 15 is not a number'],
    [withChange(['features', '1'], { column: 'origin' }), 'features[1].name: "origin" is used twice'],
    [withChange(['validation', 'severity'], { nulls: 'error' }), 'validation.severity.nulls: unknown key, must be one of "empty_batch"'],
    [withChange(['validation', 'severity'], { out_of_range: 'fatal' }), 'validation.severity.out_of_range: must be one of "error", "warning"'],
    [withChange(['features', '1'], { name: 'route', cross: ['origin', 'destination'], column: 'origin' }), 'features[1]: a cross names features in "cross", not a "column"'],
    [withChange(['features', '1'], { name: 'route', cross: ['origin'] }), 'features[1].cross: must NOT have fewer than 2 items'],
    [withChange(['validation', 'drift'], { method: 'ks' }), 'validation.drift.method: must be one of "auto", "psi"'],
  ])('%#: %s', (raw, message) => {
    expect(errorOf(raw)).toContain(message);
  });

  it('requires the top-level sections', () => {
    const { gates: _gates, ...rest } = minimal;
    expect(errorOf(rest)).toBe('ct.config.yaml: gates: is required');
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
