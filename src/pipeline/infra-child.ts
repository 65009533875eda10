/**
 * The fresh process of the infra check: `node infra-child.js <modelDir> <rows.json> <backend>`.
 * It knows nothing but the model's files and the sample rows, and prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as tf from '../tf.js';
import type { BackendPreference } from '../config/types.js';
import { encodeTable, type Preprocessing } from '../features/preprocessing.js';
import { selectBackend } from '../train/backend.js';
import { registerSavedModule } from '../train/module.js';
import { fileLoadHandler } from '../train/io.js';
import { predictRows } from '../train/predict.js';
import { deserializeTable, type InfraChildReport, type SerializedTable } from './infra-check.js';

async function main(): Promise<InfraChildReport> {
  const [modelDir, rowsFile, backend] = process.argv.slice(2);
  if (modelDir === undefined || rowsFile === undefined) return { error: 'usage: infra-child <modelDir> <rows.json> [backend]' };
  tf.enableProdMode();
  const info = await selectBackend((backend ?? 'auto') as BackendPreference);
  const table = deserializeTable(JSON.parse(readFileSync(rowsFile, 'utf8')) as SerializedTable);
  const started = performance.now();
  const preprocessing = JSON.parse(readFileSync(path.join(modelDir, 'preprocessing.json'), 'utf8')) as Preprocessing;
  await registerSavedModule(modelDir, 'candidate');
  const model = await tf.loadLayersModel(fileLoadHandler(modelDir));
  const loaded = performance.now();
  const preds = predictRows(model, encodeTable(table, preprocessing, { withLabels: false }));
  const predicted = performance.now();
  let nonFinite = 0;
  for (const p of preds) if (!Number.isFinite(p)) nonFinite++;
  const width = table.rowCount === 0 ? 0 : preds.length / table.rowCount;
  return { backend: info.name, rows: table.rowCount, shape: [table.rowCount, width], nonFinite, loadMs: loaded - started, predictMs: predicted - loaded };
}

main().then(
  (report) => process.stdout.write(`${JSON.stringify(report)}\n`),
  (error: unknown) => {
    process.stdout.write(`${JSON.stringify({ error: error instanceof Error ? error.message.split('\n')[0] : String(error) })}\n`);
    process.exitCode = 1;
  },
);
