/**
 * `ct evaluate`: score the candidate and the production model on the same
 * evaluation rows, each through its own saved preprocessing, and apply the gates.
 * The production model is loaded from the registry (checksums verified) and
 * re-scored: its stored numbers are never trusted.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { type Dataset, loadDataset } from '../data/dataset.js';
import { takeRows, type Table } from '../data/table.js';
import { UserError } from '../errors.js';
import { readJson, writeJson } from '../files.js';
import { applyGates } from '../evaluate/gates.js';
import { computeMetrics, type Metrics } from '../evaluate/metrics.js';
import { encodeTable, labelledRows, type Preprocessing } from '../features/preprocessing.js';
import { hashFiles, readProduction, verifiedProductionDir } from '../registry/registry.js';
import { evaluationMarkdown } from '../report/markdown.js';
import { selectBackend } from '../train/backend.js';
import { fileLoadHandler } from '../train/io.js';
import { predictRows } from '../train/predict.js';
import { artifactPaths, type EvaluationRecord, MODEL_FILES, type StageContext } from './artifacts.js';
import { dataSource } from './validate.js';

/** Absolute path of the registry folder of the config. */
export function registryPath(ctx: StageContext): string {
  return path.resolve(ctx.loaded.baseDir, ctx.loaded.config.registry.path);
}

/** The model files of a folder as name -> path, for hashing and promotion. */
export function modelFiles(dir: string): Record<string, string> {
  return Object.fromEntries(MODEL_FILES.map((name) => [name, path.join(dir, name)]));
}

/** Scores the model saved in `dir` on every labelled row of `table`. */
export async function scoreModel(dir: string, table: Table, threshold: number): Promise<{ metrics: Metrics; rows: number }> {
  const preprocessing = readJson<Preprocessing>(path.join(dir, 'preprocessing.json'), 'model preprocessing');
  const model = await tf.loadLayersModel(fileLoadHandler(dir));
  try {
    const encoded = encodeTable(table, preprocessing);
    const selected = labelledRows(encoded);
    const preds = predictRows(model, encoded, selected);
    const labels = Float32Array.from(selected, (i) => encoded.labels[i]!);
    const classes = preprocessing.label.classes?.length;
    return { metrics: computeMetrics(preprocessing.task, labels, preds, { threshold, ...(classes === undefined ? {} : { classes }) }), rows: selected.length };
  } finally {
    model.dispose();
  }
}

/** Evaluates the candidate in `<out>/model` against production; `record.ok` says whether the gates passed. */
export async function runEvaluate(ctx: StageContext, given?: Dataset): Promise<EvaluationRecord> {
  const { config } = ctx.loaded;
  const paths = artifactPaths(ctx.outDir);
  const candidateFiles = modelFiles(paths.modelDir);
  readJson(candidateFiles['model.json']!, 'candidate model (run `ct train` first)');
  const dataset = given ?? (await loadDataset(config.data, dataSource(ctx)));
  const backend = await selectBackend(ctx.backend ?? config.training.backend, ctx.logger);
  const table = takeRows(dataset.table, dataset.evaluationRows);
  if (table.rowCount === 0) throw new UserError('no evaluation rows in the selected window (data.window, data.split)');

  const candidate = await scoreModel(paths.modelDir, table, config.evaluation.threshold);
  const registry = registryPath(ctx);
  const pointer = readProduction(registry, config.name);
  let baseline: EvaluationRecord['baseline'] = null;
  if (pointer !== null) {
    const dir = verifiedProductionDir(registry, pointer);
    baseline = { version: pointer.version, metrics: (await scoreModel(dir, table, config.evaluation.threshold)).metrics };
  }
  const gates = applyGates(config.gates, candidate.metrics, baseline?.metrics ?? null);
  const deltas: EvaluationRecord['deltas'] = {};
  if (baseline !== null) {
    for (const [name, value] of Object.entries(candidate.metrics)) {
      const base = baseline.metrics[name];
      if (base !== undefined) deltas[name] = { value: value - base, ci: null };
    }
  }
  const record: EvaluationRecord = {
    ok: gates.ok,
    rubberStamp: gates.rubberStamp,
    model: config.name,
    task: config.task,
    rows: candidate.rows,
    data: { fingerprint: dataset.fingerprint, parts: dataset.evaluationParts },
    candidate: { contentHash: hashFiles(candidateFiles), metrics: candidate.metrics },
    baseline,
    deltas,
    slices: [],
    checks: gates.checks,
    failures: gates.failures,
    backend: backend.name,
  };
  writeJson(paths.evaluation, record);
  writeFileSync(paths.evaluationReport, evaluationMarkdown(record));
  const against = baseline === null ? 'no production model yet (rubber stamp)' : `production ${baseline.version}`;
  ctx.logger.info(`evaluated on ${record.rows} rows against ${against}: gates ${record.ok ? 'passed' : 'failed'}`);
  for (const f of record.failures) ctx.logger.warning(`gate failed: ${f.message}`);
  return record;
}
