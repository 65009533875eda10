/**
 * `ct predict` end to end: batch scoring with the production model of the registry, one
 * output row per input row, the same scores the model gives; data without labels scores
 * fine, data that breaks the schema (or lacks a column the model reads) is refused with
 * exit code 1 and no predictions file; bad input is one line and exit code 2.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '../../src/tf.js';
import { stringify } from 'yaml';
import { readTable } from '../../src/data/read.js';
import { type Table, valueAt } from '../../src/data/table.js';
import { encodeTable, type Preprocessing } from '../../src/features/preprocessing.js';
import { selectBackend } from '../../src/train/backend.js';
import { fileLoadHandler } from '../../src/train/io.js';
import { predictRows } from '../../src/train/predict.js';
import { ct, penguinRows, penguinsConfig, penguinsFolder, root, shippedPartitions, smallConfig, tempRepo, writeConfig } from './repo.js';

/** Rows of a CSV without quoted fields (ct's output for the flights), as objects. */
function readSimpleCsv(file: string): Array<Record<string, string>> {
  const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const names = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((v, k) => [names[k]!, v])));
}

/** The rows of a table as plain objects (timestamps as ISO strings), for writing JSON Lines. */
function plainRows(table: Table): Array<Record<string, unknown>> {
  const rows: Array<Record<string, unknown>> = [];
  for (let i = 0; i < table.rowCount; i++) rows.push(Object.fromEntries(table.columns.map((c) => [c.name, valueAt(c, i)])));
  return rows;
}

/** Runs ct with fault-injection settings (`CT_FAULT`, `CT_FAULT_TRACE`); reports the signal that ended it, if any. */
function ctFault(cwd: string, args: string[], fault: Record<string, string>): { status: number | null; signal: string | null; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/ct.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true', ...fault } });
  return { status: r.status, signal: r.signal, stderr: r.stderr };
}

function writeJsonLines(file: string, rows: ReadonlyArray<Record<string, unknown>>): void {
  writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
}

/** Scores of the registry version, computed here from its files: model.json, weights.bin, preprocessing.json. */
async function registryScores(dir: string, table: Table): Promise<Float32Array> {
  tf.enableProdMode(); // no "install tfjs-node" banner, as in the CLI
  await selectBackend('cpu');
  const model = await tf.loadLayersModel(fileLoadHandler(dir));
  const preprocessing = JSON.parse(readFileSync(path.join(dir, 'preprocessing.json'), 'utf8')) as Preprocessing;
  try {
    return predictRows(model, encodeTable(table, preprocessing, { withLabels: false }));
  } finally {
    model.dispose();
  }
}

describe('ct predict on flights', () => {
  const partitions = shippedPartitions().slice(-3);
  const newest = partitions.at(-1)!;
  const repo = tempRepo(partitions);
  let table: Table;
  let rows: Array<Record<string, unknown>>;
  const production = (): { version: string } => JSON.parse(readFileSync(path.join(repo, 'models/flight-delay/production.json'), 'utf8'));

  beforeAll(async () => {
    table = await readTable(path.join(repo, 'data/flights', newest));
    rows = plainRows(table);
  });

  it('without a production model: exit 2 with one line', () => {
    const r = ct(repo, ['predict']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['ct: no production model "flight-delay" in models/: promote one first (ct run)']);
  });

  it("after ct run: the newest partition, one row per input row, the production version, the model's own scores", async () => {
    expect(ct(repo, ['run', '--quiet']).status).toBe(0);
    const r = ct(repo, ['predict', '--keep', 'origin', '--json']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.status).toBe(0);
    const { version } = production();
    const record = JSON.parse(r.stdout);
    expect(record).toMatchObject({
      ok: true,
      model: 'flight-delay',
      version,
      task: 'binary',
      files: [`data/flights/${newest}`],
      rows: table.rowCount,
      output: 'out/predictions.csv',
      format: 'csv',
      anomalies: [],
    });
    expect(record.rowsPerSecond).toBeGreaterThan(0);
    // The model's input domain was checked too: every row of every feature taken as given.
    expect(record.imputed).toEqual({ rows: table.rowCount, features: expect.any(Array) });
    expect(
      record.imputed.features.map((c: { feature: string; missing: number; nonFinite: number; far: number }) => [c.feature, c.missing + c.nonFinite + c.far]),
    ).toEqual([
      ['origin', 0],
      ['destination', 0],
      ['hour', 0],
      ['day_of_week', 0],
      ['log_distance', 0],
    ]);
    expect(JSON.parse(readFileSync(path.join(repo, 'out/prediction.json'), 'utf8'))).toEqual(record);
    // Training recorded what it saw: the imputed counts, and the input domain in preprocessing.json.
    const trained = JSON.parse(readFileSync(path.join(repo, 'models/flight-delay', version, 'training.json'), 'utf8'));
    expect(trained.data.imputed.features.map((c: { feature: string }) => c.feature)).toEqual(['origin', 'destination', 'hour', 'day_of_week', 'log_distance']);
    const prep = JSON.parse(readFileSync(path.join(repo, 'models/flight-delay', version, 'preprocessing.json'), 'utf8')) as Preprocessing;
    expect(prep.features.find((f) => f.name === 'log_distance')).toMatchObject({ min: expect.any(Number), max: expect.any(Number) });
    expect(prep.features.find((f) => f.name === 'origin')).toMatchObject({ outOfVocabularyShare: 0 });

    const out = readSimpleCsv(path.join(repo, 'out/predictions.csv'));
    expect(Object.keys(out[0]!)).toEqual(['file', 'row', 'origin', 'model', 'version', 'probability', 'predicted']);
    expect(out).toHaveLength(table.rowCount);
    const expected = await registryScores(path.join(repo, 'models/flight-delay', version), table);
    let worst = 0;
    out.forEach((row, i) => {
      expect(row.file).toBe(`data/flights/${newest}`);
      expect(row.row).toBe(String(i));
      expect(row.origin).toBe(rows[i]!.origin);
      expect(row.model).toBe('flight-delay');
      expect(row.version).toBe(version);
      worst = Math.max(worst, Math.abs(Number(row.probability) - expected[i]!));
      expect(row.predicted).toBe(expected[i]! >= 0.5 ? '1' : '0');
    });
    expect(worst).toBeLessThanOrEqual(1e-6);
    expect(readdirSync(path.join(repo, 'out')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('--data <folder> scores every partition in order; a .jsonl output is JSON Lines', () => {
    const r = ct(repo, ['predict', '--data', 'data/flights', '--output', 'scored/all.jsonl', '--out', 'out-all']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`predict: scoring 3 files (${partitions.map((p) => `data/flights/${p}`).join(', ')}) with flight-delay`);
    const lines = readFileSync(path.join(repo, 'scored/all.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    const record = JSON.parse(readFileSync(path.join(repo, 'out-all/prediction.json'), 'utf8'));
    expect(record.files).toEqual(partitions.map((p) => `data/flights/${p}`));
    expect(lines).toHaveLength(record.rows);
    expect(Object.keys(lines[0])).toEqual(['file', 'row', 'model', 'version', 'probability', 'predicted']);
    expect(lines[0]).toMatchObject({ file: `data/flights/${partitions[0]}`, row: 0, version: production().version });
    // The newest file's rows are scored as on their own, numbered from 0 within the file.
    const tail = lines.slice(-table.rowCount);
    const single = readSimpleCsv(path.join(repo, 'out/predictions.csv'));
    expect(tail.map((l) => [l.file, l.row, l.probability, l.predicted])).toEqual(
      single.map((s) => [s.file, Number(s.row), Number(s.probability), Number(s.predicted)]),
    );
  });

  it("a day's file no run reads (compressed) is named: the newest day read is scored, with a warning; as an error, nothing is", () => {
    const next = new Date(Date.parse(newest.slice(0, 10)) + 86_400_000).toISOString().slice(0, 10);
    const unread = path.join(repo, 'data/flights', `${next}.csv.gz`);
    writeFileSync(unread, 'not read');
    try {
      const r = ct(repo, ['predict', '--json', '--out', 'out-unread', '--output', 'scored/unread.csv']);
      expect(r.status).toBe(0);
      const record = JSON.parse(r.stdout);
      expect(record.files).toEqual([`data/flights/${newest}`]);
      expect(record.anomalies).toEqual([expect.objectContaining({ kind: 'unread_file', severity: 'warning', count: 1 })]);
      // In the log, and when every partition of the folder is scored.
      for (const data of [[], ['--data', 'data/flights']]) {
        const logged = ct(repo, ['predict', ...data, '--out', 'out-unread', '--output', 'scored/unread.csv']);
        expect(logged.stderr).toContain(`warning: data/flights: ${next}.csv.gz is not read: a run reads the uncompressed files named for their day`);
      }
      const config = smallConfig(partitions.length);
      config.validation = { ...(config.validation as Record<string, unknown>), severity: { unread_file: 'error' } };
      writeConfig(repo, 'ct.unread.yaml', config);
      const refused = ct(repo, ['predict', '--config', 'ct.unread.yaml', '--out', 'out-unread', '--output', 'scored/unread.csv']);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain('refusing to score');
      expect(existsSync(path.join(repo, 'scored/unread.csv'))).toBe(false);
    } finally {
      rmSync(unread);
    }
  });

  it('data without the label column scores fine, with the same scores; kept text is quoted per RFC 4180', () => {
    writeJsonLines(
      path.join(repo, 'unlabelled.jsonl'),
      rows.map(({ delay: _, ...rest }, i) => ({ ...rest, note: i === 0 ? 'said "late",\nagain' : 'ok' })),
    );
    const r = ct(repo, ['predict', '--data', 'unlabelled.jsonl', '--out', 'out-unlabelled', '--keep', 'note']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('warning: column "delay" (number) is missing in unlabelled.jsonl (the label: not needed to predict)');
    const text = readFileSync(path.join(repo, 'out-unlabelled/predictions.csv'), 'utf8');
    expect(text.split('\n').slice(0, 3).join('\n')).toMatch(
      /^file,row,note,model,version,probability,predicted\nunlabelled\.jsonl,0,"said ""late"",\nagain",flight-delay,/,
    );
    const scored = readSimpleCsv(path.join(repo, 'out-unlabelled/predictions.csv')).slice(2);
    const single = readSimpleCsv(path.join(repo, 'out/predictions.csv')).slice(1);
    expect(scored.map((s) => s.probability)).toEqual(single.map((s) => s.probability));
    expect(scored[0]).toMatchObject({ file: 'unlabelled.jsonl', row: '1', note: 'ok' });
  });

  it('a wrong-typed feature column: exit 1, the anomaly on stderr, no predictions file (a stale one is removed)', () => {
    writeJsonLines(
      path.join(repo, 'bad-type.jsonl'),
      rows.map((row, i) => ({ ...row, distance: i % 2 === 0 ? 'near' : 'far' })),
    );
    mkdirSync(path.join(repo, 'out-bad'), { recursive: true });
    writeFileSync(path.join(repo, 'out-bad/predictions.csv'), 'stale predictions of another batch\n');
    const r = ct(repo, ['predict', '--data', 'bad-type.jsonl', '--out', 'out-bad']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error: column "distance": \d+ values are not numbers: near \(\d+\), far \(\d+\) \(first at bad-type\.jsonl row 1: near\)/);
    expect(r.stderr.trim().split('\n').pop()).toBe('warning: refusing to score bad-type.jsonl: 1 error anomaly (see out-bad/prediction.json)');
    expect(readdirSync(path.join(repo, 'out-bad')).sort()).toEqual(['prediction.json', 'prediction.md']);
    const record = JSON.parse(readFileSync(path.join(repo, 'out-bad/prediction.json'), 'utf8'));
    expect(record).toMatchObject({ ok: false, output: null, rows: table.rowCount, rowsPerSecond: 0 });
    expect(record.anomalies.filter((a: { severity: string }) => a.severity === 'error')).toEqual([
      expect.objectContaining({ column: 'distance', severity: 'error' }),
    ]);
  });

  it('negative distances (log1p gives NaN, which the model would score as an average distance): exit 1, input_non_finite, no predictions', () => {
    // Every 10th flight flies -50 miles: the schema may flag the range too; the model's input domain must.
    writeJsonLines(
      path.join(repo, 'negative.jsonl'),
      rows.map((row, i) => (i % 10 === 3 ? { ...row, distance: -50 } : row)),
    );
    const negatives = rows.filter((_, i) => i % 10 === 3).length;
    mkdirSync(path.join(repo, 'out-negative'), { recursive: true });
    writeFileSync(path.join(repo, 'out-negative/predictions.csv'), 'stale predictions of another batch\n');
    const r = ct(repo, ['predict', '--data', 'negative.jsonl', '--out', 'out-negative']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.status).toBe(1);
    const share = ((negatives / rows.length) * 100).toFixed(1);
    expect(r.stderr).toContain(
      `error: feature "log_distance" (log1p of column "distance"): ${negatives} of ${rows.length} rows (${share}%) give a non-finite value (log1p of a value <= -1); flight-delay ${production().version} would silently score them as an average distance`,
    );
    expect(r.stderr).toContain('(first at negative.jsonl row 4: -50)');
    expect(r.stderr.trim().split('\n').pop()).toMatch(
      /^warning: refusing to score negative\.jsonl: \d+ error anomal(y|ies) \(see out-negative\/prediction\.json\)$/,
    );
    expect(readdirSync(path.join(repo, 'out-negative')).sort()).toEqual(['prediction.json', 'prediction.md']);
    const record = JSON.parse(readFileSync(path.join(repo, 'out-negative/prediction.json'), 'utf8'));
    expect(record).toMatchObject({ ok: false, output: null, rows: rows.length, rowsPerSecond: 0 });
    const nonFinite = record.anomalies.filter((a: { kind: string }) => a.kind === 'input_non_finite');
    expect(nonFinite).toEqual([
      expect.objectContaining({
        column: 'distance',
        severity: 'error',
        count: negatives,
        share: negatives / rows.length,
        examples: expect.arrayContaining([{ file: 'negative.jsonl', row: 4, value: '-50' }]),
      }),
    ]);
    expect(record.imputed.rows).toBe(rows.length);
    expect(record.imputed.features.find((c: { feature: string }) => c.feature === 'log_distance')).toEqual({
      feature: 'log_distance',
      column: 'distance',
      missing: 0,
      nonFinite: negatives,
      outOfVocabulary: 0,
      far: 0,
    });
    expect(record.imputed.features.map((c: { feature: string }) => c.feature)).toEqual(['origin', 'destination', 'hour', 'day_of_week', 'log_distance']);
    expect(readFileSync(path.join(repo, 'out-negative/prediction.md'), 'utf8')).toMatch(
      /\| error \| input_non_finite \| distance \| \d+ \| feature "log_distance"/,
    );
  });

  it('ct train on those rows is not silent: a warning per feature, the counts in training.json and training.md', () => {
    const config = smallConfig(3);
    config.data = { path: 'negative.jsonl', timestamp: 'date', split: { method: 'hash', evaluationFraction: 0.2, seed: 1 } };
    writeConfig(repo, 'negative.yaml', config);
    const r = ct(repo, ['train', '--config', 'negative.yaml', '--out', 'out-train-negative']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.status).toBe(0);
    const line =
      /^warning: training data: feature "log_distance" \(column "distance"\): (\d+) of (\d+) rows \([\d.]+%\) imputed as the training mean: (\d+) non-finite after log1p$/m.exec(
        r.stderr,
      );
    expect(line).not.toBeNull();
    const training = JSON.parse(readFileSync(path.join(repo, 'out-train-negative/model/training.json'), 'utf8'));
    expect(training.data.imputed.rows).toBe(Number(line![2]));
    expect(training.data.imputed.features.find((c: { feature: string }) => c.feature === 'log_distance')).toEqual({
      feature: 'log_distance',
      column: 'distance',
      missing: 0,
      nonFinite: Number(line![1]),
      outOfVocabulary: 0,
      far: 0,
    });
    // About a tenth of the training rows (the hash split keeps about 80% of every tenth row).
    expect(Number(line![1]) / Number(line![2])).toBeGreaterThan(0.08);
    expect(readFileSync(path.join(repo, 'out-train-negative/training.md'), 'utf8')).toContain(`| log_distance | distance | 0 | ${line![1]} | 0 | 0 |`);
    // Only features with imputed rows are logged.
    expect(r.stderr).not.toMatch(/training data: feature "origin"/);
  });

  it('a feature column the file lacks: exit 1, named on stderr, even when the schema does not list it', () => {
    writeJsonLines(
      path.join(repo, 'no-distance.jsonl'),
      rows.map(({ distance: _, ...rest }) => rest),
    );
    const r = ct(repo, ['predict', '--data', 'no-distance.jsonl', '--out', 'out-missing']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error: column "distance" (number) is missing in no-distance.jsonl; the model reads it');
    expect(existsSync(path.join(repo, 'out-missing/predictions.csv'))).toBe(false);

    // A schema without the column (edited by someone) does not let it through.
    const schema = JSON.parse(readFileSync(path.join(repo, 'data/flights/schema.json'), 'utf8'));
    schema.columns = schema.columns.filter((c: { name: string }) => c.name !== 'distance');
    writeFileSync(path.join(repo, 'schema-without-distance.json'), JSON.stringify(schema));
    const config = smallConfig(3);
    config.data.schema = 'schema-without-distance.json';
    writeConfig(repo, 'lax.yaml', config);
    const lax = ct(repo, ['predict', '--config', 'lax.yaml', '--data', 'no-distance.jsonl', '--out', 'out-lax']);
    expect(lax.status).toBe(1);
    expect(lax.stderr).toContain('error: column "distance" is missing in no-distance.jsonl; the model reads it');
    expect(existsSync(path.join(repo, 'out-lax/predictions.csv'))).toBe(false);
  });

  it('bad input is one line and exit 2: an unknown --keep column, an unknown --model-version, no schema', () => {
    const keep = ct(repo, ['predict', '--keep', 'origin,tail_number']);
    expect(keep.status).toBe(2);
    expect(keep.stderr.trim().split('\n').pop()).toMatch(
      /^ct: --keep: no column "tail_number" in data\/flights\/2001-02-28\.parquet \(columns: date, delay, distance, origin, destination\)$/,
    );

    const version = ct(repo, ['predict', '--model-version', '20010101T000000Z-00000000']);
    expect(version.status).toBe(2);
    expect(version.stderr.trim().split('\n')).toEqual([
      `ct: --model-version: no promotion of "flight-delay" 20010101T000000Z-00000000 is recorded in models/flight-delay/history.jsonl; versions: ${production().version}`,
    ]);

    const config = smallConfig(3);
    config.data.schema = 'nowhere/schema.json';
    writeConfig(repo, 'no-schema.yaml', config);
    const schema = ct(repo, ['predict', '--config', 'no-schema.yaml']);
    expect(schema.status).toBe(2);
    expect(schema.stderr.trim().split('\n')).toEqual([
      'ct: data schema not found: nowhere/schema.json: run `ct validate` first (it infers the schema on first use), review and commit it',
    ]);
  });

  it('--model-version of the production version scores with it; the log says what is scored', () => {
    const { version } = production();
    const r = ct(repo, ['predict', '--model-version', version, '--out', 'out-version']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`predict: scoring data/flights/${newest} (the newest data of data/flights) with flight-delay ${version}`);
    expect(r.stderr).toMatch(
      new RegExp(`^predicted ${table.rowCount} rows with flight-delay ${version} in [\\d.]+ s \\(\\d+ rows/s\\) -> out-version/predictions\\.csv$`, 'm'),
    );
    expect(JSON.parse(readFileSync(path.join(repo, 'out-version/prediction.json'), 'utf8'))).toMatchObject({ ok: true, version });
  });

  it('killed at any fault point of the predictions file (SIGKILL): the output path still holds the earlier file, whole', () => {
    const output = path.join(repo, 'out-kill/predictions.csv');
    const args = ['predict', '--out', 'out-kill'];
    const trace = path.join(repo, 'out-kill-trace.txt');
    expect(ctFault(repo, args, { CT_FAULT_TRACE: trace }).status).toBe(0);
    const points = readFileSync(trace, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(' '))
      .filter((p) => p.at(-1) === 'predictions.csv')
      .map(([n, kind, ...name]) => ({ n: Number(n), kind, name: name.join(' ') }));
    // The header, each chunk of rows, then the rename: the points writeFileAtomic has.
    expect(points.at(-1)).toMatchObject({ kind: 'step', name: 'rename predictions.csv' });
    expect(points.slice(0, -1).map((p) => [p.kind, p.name])).toEqual(points.slice(0, -1).map(() => ['write', 'write predictions.csv']));
    expect(points.length).toBeGreaterThanOrEqual(3);
    for (const point of points) {
      writeFileSync(output, 'earlier predictions\n');
      expect([point.name, ctFault(repo, args, { CT_FAULT: `kill@${point.n}` }).signal]).toEqual([point.name, 'SIGKILL']);
      expect(readFileSync(output, 'utf8')).toBe('earlier predictions\n');
    }
    // A run that is not killed replaces it.
    expect(ct(repo, args).status).toBe(0);
    expect(readFileSync(output, 'utf8')).toMatch(/^file,row,model,version,probability,predicted\n/);
  });
});

describe('ct predict on a multiclass model (penguins)', () => {
  const dir = penguinsFolder('ct-predict-penguins-');
  const rows = penguinRows();
  writeFileSync(path.join(dir, 'ct.config.yaml'), stringify(penguinsConfig()));

  it("one probability column per class in the model's order, and the predicted class", () => {
    expect(ct(dir, ['run', '--quiet']).status).toBe(0);
    writeJsonLines(
      path.join(dir, 'new.jsonl'),
      rows.map(({ Species: _, ...rest }) => rest),
    );
    const r = ct(dir, ['predict', '--data', 'new.jsonl', '--keep', 'Island', '--output', 'new-scored.jsonl']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.status).toBe(0);
    const lines = readFileSync(path.join(dir, 'new-scored.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(rows.length);
    expect(Object.keys(lines[0])).toEqual([
      'file',
      'row',
      'Island',
      'model',
      'version',
      'probability_Adelie',
      'probability_Chinstrap',
      'probability_Gentoo',
      'predicted',
    ]);
    const classes = ['Adelie', 'Chinstrap', 'Gentoo'];
    let correct = 0;
    lines.forEach((l, i) => {
      const p = classes.map((c) => l[`probability_${c}`] as number);
      expect(Math.abs(p.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-5);
      expect(l.predicted).toBe(classes[p.indexOf(Math.max(...p))]);
      expect(l.Island).toBe(rows[i]!.Island);
      if (l.predicted === rows[i]!.Species) correct++;
    });
    expect(correct / rows.length).toBeGreaterThan(0.6);
  });
});
