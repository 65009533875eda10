/**
 * `ct verify`: does a version in the registry hold what its pull request claims? Its
 * files must match the recorded checksums, it must load, and scoring it (and the model
 * it was compared with) again on the recorded evaluation days must give the metrics in
 * its `evaluation.json`. Run by verify.yml on every pull request that touches models/.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { listPartitions } from '../data/partitions.js';
import { readTables } from '../data/read.js';
import type { Table } from '../data/table.js';
import { UserError } from '../errors.js';
import { readJson, writeJson } from '../files.js';
import { GUARD_METRICS, type Metrics, weightedMetrics } from '../evaluate/metrics.js';
import { modelDir, readProduction, recordedChecksums, verifiedVersionDir } from '../registry/registry.js';
import { selectBackend } from '../train/backend.js';
import type { EvaluationRecord, StageContext } from './artifacts.js';
import { loadModel, registryPath, scoreSameRows } from './evaluate.js';

/** Largest difference between a recorded and a recomputed metric that counts as equal. */
export const VERIFY_TOLERANCE = 1e-6;

export interface VerificationRecord {
  ok: boolean;
  model: string;
  version: string;
  /** One line per check, passed or not. */
  checks: Array<{ check: string; ok: boolean; message: string }>;
}

/** Verifies `version` (default: the production version) of the config's model. */
export async function runVerify(ctx: StageContext, version?: string): Promise<VerificationRecord> {
  const { config } = ctx.loaded;
  const registry = registryPath(ctx);
  const pointer = readProduction(registry, config.name);
  const target = version ?? pointer?.version;
  if (target === undefined) throw new UserError(`registry: ${config.name} has no production model to verify`);
  const record: VerificationRecord = { ok: true, model: config.name, version: target, checks: [] };
  const check = (name: string, ok: boolean, message: string): void => {
    record.checks.push({ check: name, ok, message });
    if (!ok) record.ok = false;
  };

  const verified = (v: string): string | null => {
    const recorded = recordedChecksums(registry, config.name, v, pointer);
    if (recorded === null) {
      check(`checksums of ${v}`, false, `no checksums of ${v} are recorded in production.json or history.jsonl`);
      return null;
    }
    try {
      const dir = verifiedVersionDir(registry, config.name, v, recorded.files, recorded.source);
      check(`checksums of ${v}`, true, `${Object.keys(recorded.files).length} files match their recorded sha256`);
      return dir;
    } catch (error) {
      check(`checksums of ${v}`, false, (error as Error).message);
      return null;
    }
  };

  const dir = verified(target);
  if (dir !== null) {
    const evaluation = readJson<EvaluationRecord>(path.join(dir, 'evaluation.json'), `evaluation of ${target}`);
    const baselineDir = evaluation.baseline === null ? null : existsSync(path.join(modelDir(registry, config.name), evaluation.baseline.version)) ? verified(evaluation.baseline.version) : null;
    if (evaluation.baseline !== null && baselineDir === null && !record.checks.some((c) => c.check === `checksums of ${evaluation.baseline!.version}`)) {
      check('baseline', false, `the model it was compared with, ${evaluation.baseline.version}, is not in the registry`);
    }
    if (evaluation.data.parts.length === 0) {
      check('evaluation data', false, 'the evaluation recorded no partitions (single-file data): it cannot be reproduced by day');
    } else {
      await selectBackend(ctx.backend ?? config.training.backend, ctx.logger);
      const folder = path.resolve(ctx.loaded.baseDir, config.data.path);
      const byDay = new Map(listPartitions(folder).map((p) => [p.date, p.file]));
      const missing = evaluation.data.parts.filter((d) => !byDay.has(d));
      if (missing.length > 0) check('evaluation data', false, `partitions ${missing.join(', ')} of the evaluation are not in ${config.data.path}`);
      else {
        const table = await readTables(evaluation.data.parts.map((d) => byDay.get(d)!), config.data.format === undefined ? {} : { format: config.data.format });
        const scored = await rescore(dir, baselineDir, table, evaluation);
        compare(check, `metrics of ${target}`, evaluation.candidate.metrics, scored.candidate, scored.rows, evaluation.rows);
        if (evaluation.baseline !== null && scored.baseline !== null) compare(check, `metrics of ${evaluation.baseline.version} (the model it was compared with)`, evaluation.baseline.metrics, scored.baseline, scored.rows, evaluation.rows);
      }
    }
  }
  writeJson(path.join(ctx.outDir, 'verification.json'), record);
  for (const c of record.checks) {
    if (c.ok) ctx.logger.info(`ok: ${c.check}: ${c.message}`);
    else ctx.logger.warning(`FAILED: ${c.check}: ${c.message}`);
  }
  return record;
}

/** Scores the version (and its baseline) as `ct evaluate` did: the version's labels for both. */
async function rescore(dir: string, baselineDir: string | null, table: Table, evaluation: EvaluationRecord): Promise<{ rows: number; candidate: Metrics; baseline: Metrics | null }> {
  const candidate = await loadModel(dir, 'model');
  const baseline = baselineDir === null ? null : await loadModel(baselineDir, 'baseline model');
  try {
    const options = { threshold: evaluation.settings?.threshold ?? 0.5, calibrationBins: evaluation.settings?.calibrationBins ?? 10, classes: candidate.width };
    const scored = scoreSameRows(table, candidate, baseline, options, `the model it was compared with, ${evaluation.baseline?.version},`);
    return { rows: scored.selected.length, candidate: weightedMetrics(scored.candidate, null), baseline: scored.production === null ? null : weightedMetrics(scored.production, null) };
  } finally {
    candidate.model.dispose();
    baseline?.model.dispose();
  }
}

function compare(check: (name: string, ok: boolean, message: string) => void, name: string, recorded: Metrics, recomputed: Metrics, rows: number, recordedRows: number): void {
  if (rows !== recordedRows) {
    check(name, false, `${rows} labelled evaluation rows now, ${recordedRows} recorded`);
    return;
  }
  const differences: string[] = [];
  for (const [metric, value] of Object.entries(recorded)) {
    if (GUARD_METRICS.includes(metric)) continue; // measured on the machine that evaluated, not reproducible
    const again = recomputed[metric];
    const same = again !== undefined && (Number.isNaN(value) ? Number.isNaN(again) : Math.abs(again - value) <= VERIFY_TOLERANCE);
    if (!same) differences.push(`${metric}: recorded ${value}, re-scored ${again}`);
  }
  check(name, differences.length === 0, differences.length === 0 ? `${Object.keys(recorded).filter((m) => !GUARD_METRICS.includes(m)).length} metrics reproduce on ${rows} rows` : differences.join('; '));
}
