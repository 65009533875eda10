/**
 * The infra check loads a saved model in a fresh Node process (the compiled
 * dist/pipeline/infra-child.js, as `ct evaluate` runs it) and predicts sample rows.
 */
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '../../src/tf.js';
import { checkConfig } from '../../src/config/load.js';
import { takeRows } from '../../src/data/table.js';
import { fitPreprocessing } from '../../src/features/preprocessing.js';
import { deserializeTable, runInfraCheck, serializeTable } from '../../src/pipeline/infra-check.js';
import { selectBackend } from '../../src/train/backend.js';
import { fileSaveHandler } from '../../src/train/io.js';
import { buildModel } from '../../src/train/model.js';
import { numberColumn, stringColumn, tableOf } from '../helpers.js';

const rows = 40;
const table = tableOf([
  stringColumn(
    'origin',
    Array.from({ length: rows }, (_, i) => ['ATL', 'ORD', 'LAX', null][i % 4]!),
  ),
  numberColumn(
    'distance',
    Array.from({ length: rows }, (_, i) => 100 + 37 * i),
  ),
  numberColumn(
    'delay',
    Array.from({ length: rows }, (_, i) => (i * 7) % 40),
  ),
  numberColumn(
    'date',
    Array.from({ length: rows }, (_, i) => Date.UTC(2001, 0, 1, i % 24)),
    'timestamp',
  ),
]);
const config = checkConfig('test.yaml', {
  name: 'm',
  task: 'binary',
  data: { path: 'x' },
  label: 'delay > 15',
  features: [
    { name: 'origin', column: 'origin', embedding: 3 },
    { name: 'log_distance', column: 'distance', transform: 'log1p' },
    { name: 'hour', column: 'date', transform: 'hourOfDay' },
  ],
  gates: [{ metric: 'auc', lowerBound: 0.5 }],
});
const dirs: string[] = [];

/** Saves a freshly built model (optionally with every weight replaced) and its preprocessing. */
async function savedModel(weights?: (w: tf.Tensor) => tf.Tensor): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ct-infra-test-'));
  dirs.push(dir);
  const prep = fitPreprocessing(table, config);
  const model = buildModel(prep, config.model, 1);
  if (weights !== undefined) model.setWeights(model.getWeights().map(weights));
  await model.save(fileSaveHandler(dir));
  writeFileSync(path.join(dir, 'preprocessing.json'), JSON.stringify(prep));
  model.dispose();
  return dir;
}
const options = { backend: 'cpu' as const, latencyBudgetMs: 30_000, expectedWidth: 1 };

beforeAll(async () => {
  await selectBackend('cpu');
});
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('infra check in a fresh process', () => {
  it('a sound model loads from its files alone and predicts finite values of the right shape', async () => {
    const r = await runInfraCheck(await savedModel(), table, options);
    expect(r).toMatchObject({ ok: true, shape: [rows, 1], nonFinite: 0, backend: 'cpu', rows });
    expect(r.predictMs).toBeGreaterThan(0);
    expect(r.message).toMatch(/^infra check: loaded in a fresh process in \d+ ms, predicted 40 rows in \d+ ms \(budget 30000 ms\) on cpu$/);
  });

  it('fails on NaN predictions, the wrong shape, and a blown latency budget', async () => {
    const nan = await runInfraCheck(await savedModel((w) => tf.fill(w.shape, Number.NaN)), table, options);
    expect(nan).toMatchObject({ ok: false, nonFinite: rows, message: `infra check: ${rows} of ${rows} predictions are NaN or infinite` });
    const dir = await savedModel();
    expect((await runInfraCheck(dir, table, { ...options, expectedWidth: 3 })).message).toBe(
      `infra check: predictions have shape [${rows}, 1], expected [${rows}, 3]`,
    );
    expect((await runInfraCheck(dir, table, { ...options, latencyBudgetMs: 1e-6 })).message).toMatch(
      /^infra check: predicting 40 rows took \d+ ms, over the budget of 0.000001 ms$/,
    );
  });

  it('fails with the reason when the files do not load or the rows lack a feature column', async () => {
    const dir = await savedModel();
    const noDistance = { ...table, columns: table.columns.filter((c) => c.name !== 'distance') };
    const missing = await runInfraCheck(dir, noDistance, options);
    expect(missing.ok).toBe(false);
    expect(missing.message).toContain('infra check: the saved candidate does not load and predict in a fresh process:');
    expect(missing.message).toContain('distance');
    truncateSync(path.join(dir, 'weights.bin'), 10);
    const truncated = await runInfraCheck(dir, table, options);
    expect(truncated.ok).toBe(false);
    expect(truncated.message).toContain('weights.bin');
  });

  it('sample rows survive the trip to the child process unchanged', () => {
    const sample = takeRows(table, [0, 3, 5]);
    const back = deserializeTable(JSON.parse(JSON.stringify(serializeTable(sample))));
    expect(back.columns).toEqual(sample.columns);
    expect(back.rowCount).toBe(3);
  });
});
