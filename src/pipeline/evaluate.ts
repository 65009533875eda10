/**
 * `ct evaluate`: score the candidate and the production model on the same evaluation
 * rows, each through its own saved preprocessing, measure how sure the difference is,
 * slice it, check that the candidate loads on its own, and apply the gates.
 * The production model is loaded from the registry (checksums verified) and
 * re-scored: its stored numbers are never trusted.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { type Dataset, loadDataset } from '../data/dataset.js';
import { takeRows } from '../data/table.js';
import { UserError } from '../errors.js';
import { readJson, writeJson } from '../files.js';
import { hashFiles, readProduction, verifiedProductionDir } from '../registry/registry.js';
import { evaluationMarkdown } from '../report/markdown.js';
import { selectBackend } from '../train/backend.js';
import { artifactPaths, type EvaluationRecord, modelFiles } from '../artifacts.js';
import { dataSource, quarantinedDays, registryPath, type StageContext } from './context.js';
import { runInfraCheck } from './infra-check.js';
import { compareModels, evaluationRecord, judgeComparison } from '../evaluate/compare.js';
import { evaluationImportance } from '../evaluate/importance.js';
import { headlineMetric, type MetricOptions } from '../evaluate/metrics.js';
import { type LoadedModel, loadModel, type SameRowScores, scoreSameRows } from '../evaluate/score.js';

/** Evaluates the candidate in `<out>/model` against production; `record.ok` says whether the gates passed. */
export async function runEvaluate(ctx: StageContext, given?: Dataset): Promise<EvaluationRecord> {
  const started = performance.now();
  const { config } = ctx.loaded;
  const { evaluation: options } = config;
  const paths = artifactPaths(ctx.outDir);
  const candidateFiles = modelFiles(paths.modelDir);
  readJson(candidateFiles['model.json']!, 'candidate model (run `ct train` first)');
  const dataset = given ?? (await loadDataset(config.data, dataSource(ctx), quarantinedDays(ctx)));
  const backend = await selectBackend(ctx.backend ?? config.training.backend, ctx.logger);
  const table = takeRows(dataset.table, dataset.evaluationRows);
  if (table.rowCount === 0) throw new UserError('no evaluation rows in the selected window (data.window, data.split)');

  const registry = registryPath(ctx);
  const pointer = readProduction(registry, config.name);
  const candidate = await loadModel(paths.modelDir, 'candidate model');
  let production: LoadedModel | null = null;
  try {
    production = pointer === null ? null : await loadModel(verifiedProductionDir(registry, pointer), `production model ${pointer.version}`);
    const metricOptions = { threshold: options.threshold, classes: candidate.width, calibrationBins: options.calibrationBins };
    const pair = scoreSameRows(table, candidate, production, metricOptions, `production model ${pointer?.version}`);
    if (pair.selected.length === 0) throw new UserError(`no evaluation row has a label (${config.label.text})`);
    const comparison = compareModels(table, pair, { candidate, production }, config, metricOptions);
    for (const w of comparison.warnings) ctx.logger.warning(w);

    const infra = options.infraCheck.enabled
      ? await runInfraCheck(paths.modelDir, takeRows(table, pair.selected.subarray(0, options.infraCheck.sampleRows)), {
          backend: backend.name === 'tensorflow' || backend.name === 'wasm' || backend.name === 'cpu' ? backend.name : 'auto',
          latencyBudgetMs: options.infraCheck.latencyBudgetMs,
          expectedWidth: candidate.width,
        })
      : null;
    const record = evaluationRecord(comparison, judgeComparison(config, comparison, infra), {
      config,
      dataset,
      candidateHash: hashFiles(candidateFiles),
      baselineVersion: production === null ? null : pointer!.version,
      infra,
      backend: backend.name,
      durationSeconds: (performance.now() - started) / 1000,
    });
    if (options.importance.enabled) addImportance(ctx, record, { candidate, production, pair, metricOptions });
    writeJson(paths.evaluation, record);
    writeFileSync(paths.evaluationReport, evaluationMarkdown(record));
    const against = production === null ? 'no production model yet (rubber stamp)' : `production ${pointer!.version}`;
    ctx.logger.info(
      `evaluated on ${record.rows} rows against ${against} in ${record.timing.durationSeconds.toFixed(1)} s: gates ${record.ok ? 'passed' : 'failed'}`,
    );
    for (const f of record.failures) ctx.logger.warning(`gate failed: ${f.message}`);
    return record;
  } finally {
    candidate.model.dispose();
    production?.model.dispose();
  }
}

/**
 * Permutation importance of both models on the evaluation rows into `record.importance`,
 * its cost into `record.timing` (what a clock measured lives there).
 */
function addImportance(
  ctx: StageContext,
  record: EvaluationRecord,
  { candidate, production, pair, metricOptions }: { candidate: LoadedModel; production: LoadedModel | null; pair: SameRowScores; metricOptions: MetricOptions },
): void {
  const { config } = ctx.loaded;
  const began = performance.now();
  record.importance = evaluationImportance(
    {
      candidate: { model: candidate, encoded: pair.encoded },
      production: production === null || pair.productionEncoded === null ? null : { model: production, encoded: pair.productionEncoded },
      selected: pair.selected,
      labels: pair.labels,
    },
    config.evaluation.importance,
    { task: config.task, metric: headlineMetric(config.task), metricOptions },
  );
  record.timing.importanceSeconds = (performance.now() - began) / 1000;
  ctx.logger.info(
    `permutation importance: ${record.importance.candidate.length} features on ${record.importance.rows} rows in ${record.timing.importanceSeconds.toFixed(1)} s`,
  );
}
