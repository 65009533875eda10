/**
 * `ct report`: one self-contained HTML page of the config's model (src/report/site.ts),
 * gathered from what the other verbs left behind: the registry's history and each version's
 * evaluation, the monitor history, the newest drift results and the replay in `<out>`.
 * Reads only; what is missing is said on the page, not an error. Writes the page atomically.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { EvaluationRecord, ReplayResult, ValidationResult } from '../artifacts.js';
import { displayPath } from '../data/files.js';
import { UserError } from '../errors.js';
import { headlineMetric } from '../evaluate/metrics.js';
import { readJson, writeFileAtomic } from '../files.js';
import type { MonitorRecord } from '../monitor/decide.js';
import { MONITOR_HISTORY, parseMonitorHistory } from '../monitor/history.js';
import { refuseLinks } from '../registry/names.js';
import { POLICIES } from '../replay/schedule.js';
import { type HistoryEntry, listVersions, modelDir, readHistory, readProduction } from '../registry/registry.js';
import { type SiteData, type SiteDrift, type SiteMonitorRun, type SiteReplay, type SiteVersion, siteHtml } from '../report/site.js';
import type { DriftReport } from '../validate/drift.js';
import { registryPath, type StageContext } from './context.js';

export interface ReportOptions {
  /** The page to write (default `<out>/report.html`), already resolved. */
  output?: string;
}

/** What `ct report` wrote, and what the page holds. */
export interface ReportResult {
  file: string;
  bytes: number;
  versions: number;
  monitorRuns: number;
  /** Where the drift per column came from; null when there was none. */
  drift: string | null;
  /** The replay.json shown; null when there was none. */
  replay: string | null;
}

/** Builds the page of the config's model and writes it to `options.output` or `<out>/report.html`. */
export function runReport(ctx: StageContext, options: ReportOptions = {}): ReportResult {
  const { config } = ctx.loaded;
  const file = options.output ?? path.join(ctx.outDir, 'report.html');
  if (existsSync(file) && statSync(file).isDirectory())
    throw new UserError(`--output: ${displayPath(file)} is a folder; name the page's file (e.g. report.html)`);
  const registry = registryPath(ctx);
  const pointer = readProduction(registry, config.name);
  const monitor = monitorRuns(registry, config.name, (m) => ctx.logger.warning(m));
  const data: SiteData = {
    model: config.name,
    task: config.task,
    metric: headlineMetric(config.task),
    production: pointer === null ? null : { version: pointer.version, promotedAt: pointer.promotedAt },
    config: displayPath(ctx.loaded.file),
    generatedAt: new Date().toISOString(),
    ...productionHistory(registry, config.name, headlineMetric(config.task).name),
    monitor: monitor.map(siteRun),
    drift: driftPerColumn(ctx.outDir, monitor),
    replay: replayOf(ctx.outDir, config.name, (m) => ctx.logger.warning(m)),
    outDir: displayPath(ctx.outDir),
  };
  const page = siteHtml(data);
  writeFileAtomic(file, page);
  const bytes = Buffer.byteLength(page);
  ctx.logger.info(
    `wrote ${displayPath(file)} (${(bytes / 1024).toFixed(1)} KB): ${data.versions.length} production change(s), ${data.monitor.length} monitor run(s), ${
      data.drift === null ? 'no drift results' : `drift from ${data.drift.source}`
    }, ${data.replay === null ? 'no replay' : 'the replay'}`,
  );
  return {
    file,
    bytes,
    versions: data.versions.length,
    monitorRuns: data.monitor.length,
    drift: data.drift?.source ?? null,
    replay: data.replay?.file ?? null,
  };
}

/** Every change of production with its version's evaluation, and version folders the history does not name. */
function productionHistory(registry: string, model: string, headline: string): { versions: SiteVersion[]; unlisted: string[] } {
  const history = readHistory(registry, model);
  const evaluations = new Map<string, EvaluationRecord | null>();
  const evaluationOf = (version: string): EvaluationRecord | null => {
    if (!evaluations.has(version)) evaluations.set(version, readEvaluation(registry, model, version));
    return evaluations.get(version)!;
  };
  const named = new Set(history.map((e) => e.version));
  return {
    versions: history.map((entry) => siteVersion(entry, evaluationOf(entry.version), headline)),
    unlisted: listVersions(registry, model).filter((v) => !named.has(v)),
  };
}

/** `evaluation.json` of a registry version; null when the folder has none. */
function readEvaluation(registry: string, model: string, version: string): EvaluationRecord | null {
  const file = path.join(modelDir(registry, model), version, 'evaluation.json');
  if (!existsSync(file)) return null;
  // The version comes from history.jsonl (checked as a plain name); no link may lead out of the registry.
  refuseLinks(registry, file, 'registry');
  const record = readJson<EvaluationRecord>(file, 'evaluation record');
  if (typeof record.candidate?.metrics !== 'object' || record.candidate.metrics === null)
    throw new UserError(`${displayPath(file)}: evaluation record lacks candidate.metrics`);
  return record;
}

function siteVersion(entry: HistoryEntry, evaluation: EvaluationRecord | null, headline: string): SiteVersion {
  return {
    at: entry.at,
    action: entry.action,
    version: entry.version,
    previous: entry.previous,
    metrics: evaluation?.candidate.metrics ?? null,
    // Records written by older versions of ct may lack a field: the page shows a dash.
    baseline: evaluation?.baseline?.metrics?.[headline] ?? null,
    delta: evaluation?.deltas?.[headline] ?? null,
    rows: evaluation?.rows ?? null,
    days: Array.isArray(evaluation?.data?.parts) ? evaluation.data.parts : [],
    pullRequest: entry.by?.pullRequest ?? null,
  };
}

/** The model's monitor runs from `monitor.jsonl` in its registry folder, oldest first (none: empty). */
function monitorRuns(registry: string, model: string, warn: (m: string) => void): MonitorRecord[] {
  const file = path.join(modelDir(registry, model), MONITOR_HISTORY);
  if (!existsSync(file)) return [];
  return parseMonitorHistory(readFileSync(file, 'utf8'), displayPath(file), warn).filter((r) => r.model === model);
}

function siteRun(r: MonitorRecord): SiteMonitorRun {
  return {
    at: r.at,
    production: r.production,
    metric: r.metric,
    window: r.window,
    rows: r.rows,
    value: r.value,
    reference: r.reference,
    drop: r.drop,
    outcome: r.outcome,
    drift: r.drift === null || !Array.isArray(r.drift?.columns) ? null : r.drift,
    reasons: Array.isArray(r.reasons) ? r.reasons : [],
  };
}

/**
 * Drift per column: the newest monitor run that tested drift (with its scores when
 * `<out>/monitor/validation.json` is that run's, by the data's fingerprint; else the names
 * of the columns that drifted), failing that the newest validation in `<out>`.
 */
function driftPerColumn(outDir: string, runs: readonly MonitorRecord[]): SiteDrift | null {
  const monitorValidation = path.join(outDir, 'monitor', 'validation.json');
  const newest = [...runs].reverse().find((r) => Array.isArray(r.drift?.columns));
  if (newest?.drift) {
    const same = readValidation(monitorValidation);
    const source = `the monitor run of ${String(newest.at).slice(0, 16).replace('T', ' ')} UTC`;
    if (same?.drift && same.fingerprint === newest.fingerprint) return scoredDrift(same.drift, `${source} (${displayPath(monitorValidation)})`);
    const { columns, label, prediction, dataset } = newest.drift;
    return {
      source: `${source} (monitor.jsonl)`,
      scored: false,
      columns: [
        ...columns.map((column) => ({ column, role: 'feature' as const, test: null, statistic: null, pValue: null, threshold: null, drifted: true })),
        ...(label ? [{ column: 'label', role: 'label' as const, test: null, statistic: null, pValue: null, threshold: null, drifted: true }] : []),
        ...(prediction
          ? [{ column: 'prediction', role: 'prediction' as const, test: null, statistic: null, pValue: null, threshold: null, drifted: true }]
          : []),
      ],
      datasetDrift: dataset,
      driftedShare: null,
    };
  }
  for (const file of [path.join(outDir, 'validation.json'), monitorValidation]) {
    const validation = readValidation(file);
    if (validation?.drift) return scoredDrift(validation.drift, displayPath(file));
  }
  return null;
}

/** A validation result, or null when the file is not there. */
function readValidation(file: string): Partial<ValidationResult> | null {
  if (!existsSync(file)) return null;
  const validation = readJson<Partial<ValidationResult>>(file, 'validation result');
  if (validation.drift && !Array.isArray(validation.drift.columns)) throw new UserError(`${displayPath(file)}: drift.columns is not a list`);
  return validation;
}

/** The drift report's columns (input columns, then the label and the prediction) with their scores. */
function scoredDrift(drift: DriftReport, source: string): SiteDrift {
  const column = (c: DriftReport['columns'][number], role: 'feature' | 'label' | 'prediction') => ({
    column: c.column,
    role,
    test: c.test,
    statistic: c.statistic,
    pValue: c.adjustedPValue ?? c.pValue,
    threshold: c.threshold,
    drifted: c.drifted,
  });
  return {
    source,
    scored: true,
    columns: [
      ...drift.columns.map((c) => column(c, 'feature')),
      ...(drift.label === null ? [] : [column(drift.label, 'label')]),
      ...(drift.prediction === null ? [] : [column(drift.prediction, 'prediction')]),
    ],
    datasetDrift: drift.datasetDrift,
    driftedShare: drift.driftedShare,
  };
}

/** `<out>/replay/replay.json` as the page shows it; null when there is none, or it replayed another model. */
function replayOf(outDir: string, model: string, warn: (m: string) => void): SiteReplay | null {
  const file = path.join(outDir, 'replay', 'replay.json');
  if (!existsSync(file)) return null;
  const r = readJson<ReplayResult>(file, 'replay result');
  const complete = Array.isArray(r.steps) && POLICIES.every((p) => typeof r.policies?.[p] === 'object' && r.steps.every((s) => typeof s.scores === 'object'));
  if (r.format !== 'ct-replay' || !complete)
    throw new UserError(`${displayPath(file)}: not a complete result of ct replay (format "ct-replay", steps with scores, policies)`);
  if (r.model !== model) {
    warn(`${displayPath(file)} replays ${r.model}, not ${model}: left out of the page`);
    return null;
  }
  return {
    file: displayPath(file),
    from: r.from,
    to: r.to,
    everyDays: r.everyDays,
    metric: r.metric,
    higherIsBetter: r.higherIsBetter,
    update: r.update,
    steps: r.steps.map((s) => ({ date: s.date, scores: s.scores, promoted: s.promoted, stoppedAt: s.stoppedAt })),
    policies: r.policies,
  };
}
