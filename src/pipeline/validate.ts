/**
 * `ct validate`: read the batch, check it against the data schema (inferred and
 * written on first use), write `validation.json` and its Markdown twin.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Dataset, loadDataset } from '../data/dataset.js';
import { readJson, writeJson } from '../files.js';
import { validationMarkdown } from '../report/markdown.js';
import { inferSchema, parseSchema } from '../validate/schema.js';
import { findAnomalies, type ValidationResult } from '../validate/validate.js';
import { artifactPaths, type StageContext } from './artifacts.js';

/** Resolved location of the data the stage reads (the `--data` override wins). */
export function dataSource(ctx: StageContext): string {
  return ctx.data ?? path.resolve(ctx.loaded.baseDir, ctx.loaded.config.data.path);
}

/** Where the data schema lives: data.schema, or schema.json in the configured data folder. */
export function schemaPath(ctx: StageContext): string {
  const { config, baseDir } = ctx.loaded;
  if (config.data.schema !== undefined) return path.resolve(baseDir, config.data.schema);
  const configured = path.resolve(baseDir, config.data.path);
  const folder = path.extname(configured) === '' ? configured : path.dirname(configured);
  return path.join(folder, 'schema.json');
}

export interface ValidateOutput {
  result: ValidationResult;
  dataset: Dataset;
}

/** Runs validation; `result.ok` is false when an error-severity anomaly was found. */
export async function runValidate(ctx: StageContext): Promise<ValidateOutput> {
  const dataset = await loadDataset(ctx.loaded.config.data, dataSource(ctx));
  const file = schemaPath(ctx);
  const schemaInferred = !existsSync(file);
  let schema;
  if (schemaInferred) {
    schema = inferSchema(dataset.table);
    writeJson(file, schema);
    ctx.logger.info(`schema inferred from ${dataset.table.rowCount} rows and written to ${path.relative(process.cwd(), file)}: review it and commit it`);
  } else {
    schema = parseSchema(file, readJson(file, 'data schema'));
  }
  const anomalies = findAnomalies(dataset.table, schema);
  const result: ValidationResult = {
    ok: !anomalies.some((a) => a.severity === 'error'),
    rows: dataset.table.rowCount,
    fingerprint: dataset.fingerprint,
    files: dataset.files.map((f) => path.relative(process.cwd(), f) || f),
    schemaFile: path.relative(process.cwd(), file),
    schemaInferred,
    anomalies,
    drift: null,
  };
  const paths = artifactPaths(ctx.outDir);
  writeJson(paths.validation, result);
  writeFileSync(paths.validationReport, validationMarkdown(result));
  for (const a of anomalies) {
    if (a.severity === 'error') ctx.logger.warning(`error: ${a.message}`);
    else ctx.logger.info(`warning: ${a.message}`);
  }
  ctx.logger.info(`validated ${result.rows} rows from ${result.files.length} file(s): ${result.ok ? 'ok' : 'errors found'}`);
  return { result, dataset };
}
