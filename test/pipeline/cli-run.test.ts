/**
 * End to end: the `ct` binary (compiled, as `npx ct` runs it) on a temp copy of the
 * repository with a small window of the shipped flight partitions, real TF.js training,
 * a real registry, and a second run that compares against the first model.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '../../src/tf.js';
import { parse, stringify } from 'yaml';
import { readTable } from '../../src/data/read.js';
import { takeRows, valueAt } from '../../src/data/table.js';
import { sha256File } from '../../src/files.js';
import { fileLoadHandler } from '../../src/train/io.js';
import { ct, shippedPartitions, tempRepo } from './repo.js';

describe('ct run on flight data', () => {
  const repo = tempRepo(shippedPartitions().slice(-3));

  it('first run: validates, trains, evaluates (rubber stamp) and promotes into models/', async () => {
    const r = ct(repo, ['run', '--json']);
    expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout) as { ok: boolean; promotion: { version: string } };
    expect(result.ok).toBe(true);

    const validation = JSON.parse(readFileSync(path.join(repo, 'out/validation.json'), 'utf8'));
    expect(validation).toMatchObject({ ok: true, schemaInferred: true, retrain: { needed: true, reason: 'no production model yet' } });
    expect(validation.anomalies.filter((a: { severity: string }) => a.severity === 'error')).toEqual([]);
    // No production model yet: the newest day is tested for drift against the training days.
    expect(validation.drift.reference).toBe('training days of this window');
    expect(validation.drift.columns.map((c: { column: string }) => c.column).sort()).toEqual(['delay', 'destination', 'distance', 'origin']);
    expect(validation.drift.label).toMatchObject({ column: 'ct:label' });
    expect(validation.rows).toBeGreaterThan(30_000);
    expect(validation.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    const schema = JSON.parse(readFileSync(path.join(repo, 'data/flights/schema.json'), 'utf8'));
    expect(schema.columns.map((c: { name: string; type: string }) => `${c.name}:${c.type}`)).toEqual([
      'date:timestamp',
      'delay:number',
      'distance:number',
      'origin:string',
      'destination:string',
    ]);

    const training = JSON.parse(readFileSync(path.join(repo, 'out/model/training.json'), 'utf8'));
    // backend auto: ct's fused step trains this model; TF.js runs on what this machine has.
    expect(training).toMatchObject({ model: 'flight-delay', seed: 42, epochs: 2, trainer: { name: 'fused' }, backend: { name: expect.any(String) } });
    expect(training.data.rows.train + training.data.rows.validation).toBe(20_000);
    expect(training.git.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(training.history).toHaveLength(2);
    expect(training.data.trainParts).toHaveLength(2);

    const evaluation = JSON.parse(readFileSync(path.join(repo, 'out/evaluation.json'), 'utf8'));
    expect(evaluation).toMatchObject({ ok: true, rubberStamp: true, baseline: null });
    expect(evaluation.candidate.metrics.auc).toBeGreaterThan(0.5);
    // Latency is measured, reported and gated (under a bound no machine reaches, see smallConfig);
    // how fast it is belongs to the benchmarks, not to a test on a machine others share.
    expect(evaluation.checks.filter((c: { metric: string }) => c.metric === 'latencyP95Ms').map((c: { passed: boolean }) => c.passed)).toEqual([true]);
    const measured = { ...evaluation.timing.latency.candidate, predictMs: evaluation.timing.infra.predictMs };
    expect(Object.keys(measured).sort()).toEqual(['latencyP50Ms', 'latencyP95Ms', 'predictMs']);
    for (const [name, ms] of Object.entries(measured)) expect([name, Number.isFinite(ms) && (ms as number) > 0]).toEqual([name, true]);
    expect(evaluation.candidate.metrics.logLoss).toBeGreaterThan(0);
    expect(evaluation.data.parts).toHaveLength(1);

    const version = result.promotion.version;
    const pointer = JSON.parse(readFileSync(path.join(repo, 'models/flight-delay/production.json'), 'utf8'));
    expect(pointer).toMatchObject({ model: 'flight-delay', version, previous: null });
    const files = Object.keys(pointer.files).sort();
    expect(files).toEqual([
      'MODEL_CARD.md',
      'evaluation.json',
      'evaluation.md',
      'model.json',
      'preprocessing.json',
      'statistics.json',
      'training.json',
      'weights.bin',
    ]);
    for (const name of files) expect(sha256File(path.join(repo, 'models/flight-delay', version, name))).toBe(pointer.files[name]);

    // The promoted model loads with TF.js's own loader and predicts probabilities.
    const model = await tf.loadLayersModel(fileLoadHandler(path.join(repo, 'models/flight-delay', version)));
    const inputs = model.inputs.map((i) => (i.dtype === 'int32' ? tf.tensor2d([[1]], [1, 1], 'int32') : tf.tensor2d([[0]], [1, 1])));
    const p = (model.predict(inputs) as tf.Tensor).dataSync()[0]!;
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1);
    tf.dispose(inputs);
    model.dispose();
  });

  it('second run: re-scores the production model on the same rows and compares', () => {
    const first = JSON.parse(readFileSync(path.join(repo, 'models/flight-delay/production.json'), 'utf8'));
    const r = ct(repo, ['run', '--json']);
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout);
    const evaluation = result.evaluation;
    // Drift is now measured against the production model's training statistics, predictions included.
    expect(result.validation.drift.reference).toBe(`production ${first.version}`);
    // Same files and config as production's training: a scheduled run could skip this (ct.yml does).
    expect(result.validation.retrain).toEqual({
      needed: false,
      reason: `no new data since production ${first.version} was trained (same files and config): retraining would change nothing`,
    });
    expect(result.validation.drift.prediction).toMatchObject({ column: 'ct:prediction' });
    expect(result.validation.drift.label.test).toBeDefined();
    expect(evaluation.rubberStamp).toBe(false);
    expect(evaluation.baseline.version).toBe(first.version);
    expect(evaluation.baseline.metrics.auc).toBeGreaterThan(0.5);
    // Same data, config and seed give the same model: delta 0, and nothing new to promote.
    expect(evaluation.deltas.auc.value).toBe(0);
    const withoutLatency = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).filter(([k]) => !k.startsWith('latency')));
    expect(withoutLatency(evaluation.candidate.metrics)).toEqual(withoutLatency(evaluation.baseline.metrics));
    // An identical model is never "significantly" different: zero-width intervals, DeLong p = 1.
    expect(evaluation.deltas.auc.ci).toEqual([0, 0]);
    expect(evaluation.tests.deLong).toMatchObject({ difference: 0, pValue: 1 });
    expect(evaluation.slices.filter((s: { skipped: string | null }) => s.skipped === null).length).toBeGreaterThan(0);
    expect(evaluation.infra).toMatchObject({ ok: true });
    // Permutation importance of both models, on the same rows and shuffles: the same model relies on the same features.
    const features = ['origin', 'destination', 'hour', 'day_of_week', 'log_distance', 'route', 'hour_of_week', 'origin_hour', 'destination_hour'];
    expect(evaluation.importance).toMatchObject({ metric: 'auc', repeats: 3, shifts: [] });
    expect(evaluation.importance.candidate.map((f: { feature: string }) => f.feature).sort()).toEqual([...features].sort());
    expect(evaluation.importance.production).toEqual(evaluation.importance.candidate);
    expect(evaluation.importance.candidate[0].mean).toBeGreaterThan(0.005);
    expect(evaluation.timing.importanceSeconds).toBeGreaterThan(0);
    const report = readFileSync(path.join(repo, 'out/evaluation.md'), 'utf8');
    expect(report).toMatch(/## What the model relies on\n\nThe fall in auc when a feature's values are shuffled across \d+ evaluation rows/);
    expect(report).toContain('| feature | candidate | production |');
    expect(result.promotion).toMatchObject({ promoted: false, unchanged: true, version: first.version });
    expect(JSON.parse(readFileSync(path.join(repo, 'models/flight-delay/production.json'), 'utf8'))).toEqual(first);
  });

  it('a different candidate that passes the gates becomes production; the old version stays', () => {
    const first = JSON.parse(readFileSync(path.join(repo, 'models/flight-delay/production.json'), 'utf8'));
    const config = parse(readFileSync(path.join(repo, 'ct.config.yaml'), 'utf8')) as Record<string, unknown> & { training: Record<string, unknown> };
    config.training.seed = 7;
    config.gates = [
      { metric: 'auc', lowerBound: 0.5 },
      { metric: 'logLoss', change: { direction: 'lowerIsBetter', absolute: 1 } },
    ];
    writeFileSync(path.join(repo, 'seed7.yaml'), stringify(config));
    const r = ct(repo, ['run', '--config', 'seed7.yaml', '--out', 'out-seed7', '--json']);
    expect(r.status).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.evaluation.baseline.version).toBe(first.version);
    expect(result.validation.retrain).toEqual({ needed: true, reason: 'the config changed' });
    expect(result.evaluation.deltas.auc.value).not.toBe(0);
    expect(result.promotion).toMatchObject({ promoted: true, previous: first.version });
    const pointer = JSON.parse(readFileSync(path.join(repo, 'models/flight-delay/production.json'), 'utf8'));
    expect(pointer.version).toBe(result.promotion.version);
    expect(existsSync(path.join(repo, 'models/flight-delay', first.version, 'weights.bin'))).toBe(true);
  });

  it('refuses to promote a candidate evaluated against a production model that has since changed', () => {
    // out/ holds the second run's candidate, evaluated against the first version; the seed-7 model is production now.
    const before = readFileSync(path.join(repo, 'models/flight-delay/production.json'), 'utf8');
    const r = ct(repo, ['promote']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^ct: production is \S+ but the candidate was evaluated against \S+: run `ct evaluate` again before promoting$/);
    expect(readFileSync(path.join(repo, 'models/flight-delay/production.json'), 'utf8')).toBe(before);
  });

  it('refuses to promote when the gates fail, leaving production untouched', () => {
    const before = readFileSync(path.join(repo, 'models/flight-delay/production.json'), 'utf8');
    const config = parse(readFileSync(path.join(repo, 'ct.config.yaml'), 'utf8')) as Record<string, unknown>;
    config.gates = [{ metric: 'auc', lowerBound: 0.99 }];
    writeFileSync(path.join(repo, 'strict.yaml'), stringify(config));
    const r = ct(repo, ['run', '--config', 'strict.yaml', '--out', 'out-strict']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('gate failed');
    expect(readFileSync(path.join(repo, 'models/flight-delay/production.json'), 'utf8')).toBe(before);
    expect(existsSync(path.join(repo, 'out-strict/evaluation.json'))).toBe(true);
  });

  it('a bad batch: anomalies name the file and row, exit code 1, and --update-schema proposes a diff', () => {
    mkdirSync(path.join(repo, 'incoming'), { recursive: true });
    writeFileSync(
      path.join(repo, 'incoming/2001-03-01.csv'),
      [
        'date,delay,distance,origin,destination',
        '2001-03-01T06:00,5,-300,ATL,LAX',
        '2001-03-01T07:00,20,500,QQQ,SFO',
        '2001-03-01T08:00,,700,ATL,ORD',
        '2001-03-02T09:00,12,800,ATL,SFO',
      ].join('\n'),
    );
    const r = ct(repo, ['validate', '--data', 'incoming', '--json', '--update-schema', '--out', 'out-bad']);
    expect(r.status).toBe(1);
    const v = JSON.parse(r.stdout);
    const kinds = v.anomalies.map((a: { kind: string; column: string }) => `${a.kind}:${a.column}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'nulls_above_threshold:delay',
        'unseen_category:origin',
        'negative_value:distance',
        'row_count_out_of_range:null',
        'outside_partition:date',
      ]),
    );
    // A row of the next day in the file of 2001-03-01: the window and the split would count it as of the 1st.
    expect(v.anomalies.find((a: { kind: string }) => a.kind === 'outside_partition')).toMatchObject({
      severity: 'warning',
      count: 1,
      examples: [{ file: 'incoming/2001-03-01.csv', row: 4, value: '2001-03-02T09:00:00.000Z' }],
    });
    const unseen = v.anomalies.find((a: { kind: string }) => a.kind === 'unseen_category');
    expect(unseen.examples).toEqual([{ file: 'incoming/2001-03-01.csv', row: 2, value: 'QQQ' }]);
    const proposed = JSON.parse(readFileSync(path.join(repo, 'out-bad/schema.proposed.json'), 'utf8'));
    expect(proposed.columns.find((c: { name: string }) => c.name === 'origin').domain).toContain('QQQ');
  });

  it('--update-schema proposes the change for a newest partition its own schema check refused', () => {
    // Refused on its own, the newest day stops validation before the window is read; the proposal still needs its rows.
    const newest = path.join(repo, 'data/flights/2001-03-01.csv');
    writeFileSync(newest, ['date,delay,distance,origin,destination', '2001-03-01T06:00,5,300,QQQ,LAX', '2001-03-01T07:00,20,500,ATL,SFO'].join('\n'));
    try {
      const r = ct(repo, ['validate', '--update-schema', '--out', 'out-newest']);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/proposed schema change \(written to out-newest\/schema\.proposed\.json/);
      const proposed = JSON.parse(readFileSync(path.join(repo, 'out-newest/schema.proposed.json'), 'utf8'));
      expect(proposed.columns.find((c: { name: string }) => c.name === 'origin').domain).toContain('QQQ');
    } finally {
      rmSync(newest);
    }
  });

  it('dataset drift blocks validation only when the config says so', async () => {
    // One day of flights leaving Atlanta only: origin, destination and distance shift.
    const day = readdirSync(path.join(repo, 'data/flights'))
      .filter((f) => f.endsWith('.parquet'))
      .sort()[0]!;
    const table = await readTable(path.join(repo, 'data/flights', day));
    const origin = table.columns.find((c) => c.name === 'origin')!;
    const rows: number[] = [];
    for (let i = 0; i < table.rowCount; i++) if (valueAt(origin, i) === 'ATL') rows.push(i);
    const atl = takeRows(table, rows);
    const lines = ['date,delay,distance,origin,destination'];
    for (let i = 0; i < atl.rowCount; i++)
      lines.push(atl.columns.map((c) => (c.type === 'timestamp' ? String(valueAt(c, i)).slice(0, 16) : String(valueAt(c, i)))).join(','));
    mkdirSync(path.join(repo, 'hub'), { recursive: true });
    writeFileSync(path.join(repo, 'hub', day.replace('.parquet', '.csv')), `${lines.join('\n')}\n`);

    const warn = ct(repo, ['validate', '--data', 'hub', '--json', '--out', 'out-hub']);
    const report = JSON.parse(warn.stdout);
    expect(report.drift.datasetDrift).toBe(true);
    expect(report.drift.columns.find((c: { column: string }) => c.column === 'origin').drifted).toBe(true);
    expect(report.anomalies.some((a: { severity: string }) => a.severity === 'error')).toBe(false);
    expect(warn.status).toBe(0);

    const config = parse(readFileSync(path.join(repo, 'ct.config.yaml'), 'utf8')) as Record<string, unknown>;
    config.validation = { drift: { blocking: true } };
    writeFileSync(path.join(repo, 'blocking.yaml'), stringify(config));
    const blocked = ct(repo, ['validate', '--config', 'blocking.yaml', '--data', 'hub', '--out', 'out-hub']);
    expect(blocked.status).toBe(1);
    expect(blocked.stderr).toContain('validation.drift.blocking is set');
  });

  it('unreadable data is one clear line and exit code 2', () => {
    mkdirSync(path.join(repo, 'corrupt'), { recursive: true });
    writeFileSync(path.join(repo, 'corrupt/2001-03-01.parquet'), 'PAR1 this is not parquet');
    const r = ct(repo, ['validate', '--data', 'corrupt']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('corrupt/2001-03-01.parquet');
  });

  it('bad config and missing data give one clear line and exit code 2', () => {
    writeFileSync(path.join(repo, 'bad.yaml'), readFileSync(path.join(repo, 'ct.config.yaml'), 'utf8').replace('batchSize: 512', 'batchSize: -4'));
    const bad = ct(repo, ['validate', '--config', 'bad.yaml']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe('ct: bad.yaml: training.batchSize: must be >= 1');

    const missing = ct(repo, ['validate', '--data', 'data/nowhere']);
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('data/nowhere');

    const noConfig = ct(repo, ['run', '--config', 'absent.yaml']);
    expect(noConfig.status).toBe(2);
    expect(noConfig.stderr.trim()).toBe('ct: config file not found: absent.yaml');
  });

  it('rollback points production back at an earlier version, verified against the checksums in history.jsonl', () => {
    const registry = path.join(repo, 'models/flight-delay');
    const history = readFileSync(path.join(registry, 'history.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(history.map((h) => h.action)).toEqual(['promote', 'promote']);
    const [first, second] = history;
    expect(JSON.parse(readFileSync(path.join(registry, 'production.json'), 'utf8')).version).toBe(second.version);

    const r = ct(repo, ['rollback', first.version, '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ promoted: true, version: first.version, previous: second.version });
    expect(JSON.parse(readFileSync(path.join(registry, 'production.json'), 'utf8'))).toMatchObject({
      version: first.version,
      previous: second.version,
      files: first.files,
    });
    const last = JSON.parse(readFileSync(path.join(registry, 'history.jsonl'), 'utf8').trim().split('\n').pop()!);
    expect(last).toMatchObject({ action: 'rollback', version: first.version, previous: second.version });

    // A tampered file of the target version is refused; production stays.
    writeFileSync(path.join(registry, second.version, 'weights.bin'), 'not the weights');
    const tampered = ct(repo, ['rollback', second.version]);
    expect(tampered.status).toBe(2);
    expect(tampered.stderr.trim()).toMatch(
      /^ct: registry: checksum mismatch for .*weights\.bin: history\.jsonl says sha256:[0-9a-f]{64}, the file is sha256:[0-9a-f]{64}$/,
    );
    expect(JSON.parse(readFileSync(path.join(registry, 'production.json'), 'utf8')).version).toBe(first.version);
  });
});
