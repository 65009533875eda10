/**
 * `ct monitor`: is the production model still good? It scores production on the newest
 * labelled data that arrived after its training, compares with its promotion-time
 * metrics and the previous monitor runs, tests drift against its training statistics,
 * and decides: nothing to do, retrain, or alert. With `--github` it acts: dispatches the
 * retraining workflow, opens / updates / closes one issue per model, and commits the
 * monitor history to its branch. Without, the history goes to the working tree.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Dataset } from '../data/dataset.js';
import { fingerprintFiles, planBatch } from '../data/dataset.js';
import { displayPath } from '../data/files.js';
import { listPartitions, newestDays } from '../data/partitions.js';
import { readTables } from '../data/read.js';
import { isRemote, learnVersions } from '../data/remote.js';
import { UserError } from '../errors.js';
import { headlineMetric, metricDirection, type ScoredRows, weightedMetrics } from '../evaluate/metrics.js';
import { appendJobSummary, readJson, writeJson } from '../files.js';
import type { RetryOptions } from '../github/api.js';
import { commitToBranch, readRemoteFile } from '../github/git.js';
import { decideMonitor, type MonitorEvidence, type MonitorRecord } from '../monitor/decide.js';
import { modelDir, readProduction, verifiedProductionDir } from '../registry/registry.js';
import { monitorIssueBody, monitorIssueComment, monitorIssueTitle, monitorMarkdown } from '../report/monitor.js';
import { selectBackend } from '../train/backend.js';
import { allRows } from '../train/predict.js';
import type { EvaluationRecord, StageContext, TrainingRecord } from './artifacts.js';
import { loadModel, registryPath, scoreLabelledRows } from './evaluate.js';
import { type GitHubSession, openGitHubSession } from './github-session.js';
import { dataSource, runValidate } from './validate.js';

export interface MonitorOptions {
  /** Act on GitHub: dispatch the workflow, manage the issue, commit the history to its branch. */
  github?: boolean;
  env?: NodeJS.ProcessEnv;
  retry?: Partial<RetryOptions>;
}

/** Name of the monitor history file in a model's registry folder. */
export const MONITOR_HISTORY = 'monitor.jsonl';

/** The hidden marker that finds a model's alert issue even if someone renames it. */
export function issueMarker(model: string): string {
  return `<!-- ct-monitor:${model} -->`;
}

/** Parses monitor.jsonl text; unreadable lines are skipped with a warning. */
export function parseMonitorHistory(text: string, source: string, warn: (m: string) => void): MonitorRecord[] {
  const out: MonitorRecord[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const record = JSON.parse(line) as MonitorRecord;
      if (record.format === 'ct-monitor') out.push(record);
    } catch {
      warn(`${source} line ${i + 1} is not JSON: skipped`);
    }
  });
  return out;
}

/** Runs the monitor; writes `<out>/monitor/monitor.json` and `monitor.md`. */
export async function runMonitor(ctx: StageContext, options: MonitorOptions = {}): Promise<MonitorRecord> {
  const started = performance.now();
  const { config } = ctx.loaded;
  const env = options.env ?? process.env;
  const policy = config.monitoring;
  const outDir = path.join(ctx.outDir, 'monitor');
  mkdirSync(outDir, { recursive: true });
  const registry = registryPath(ctx);
  const localHistory = path.join(modelDir(registry, config.name), MONITOR_HISTORY);
  const session = options.github === true ? await openGitHubSession(ctx, env, options.retry) : null;
  const historyFile = session === null ? null : path.join(session.registryInRepo, config.name, MONITOR_HISTORY);
  const remote = session === null ? null : await readRemoteFile({ repoDir: session.root, remote: config.promotion.remote, branch: policy.historyBranch, file: historyFile!, auth: session.auth });
  const historyText = remote?.exists === true ? (remote.content ?? '') : existsSync(localHistory) ? readFileSync(localHistory, 'utf8') : '';
  const history = parseMonitorHistory(historyText, remote?.exists === true ? `${policy.historyBranch}:${historyFile}` : displayPath(localHistory), ctx.logger.warning).filter((r) => r.model === config.name);

  const headline = headlineMetric(config.task);
  const metric = policy.metric ?? headline.name;
  const direction = metricDirection(metric);
  const base: Omit<MonitorRecord, keyof MonitorEvidence | 'outcome' | 'retrain' | 'reasons' | 'drop' | 'retrainStreak'> = {
    format: 'ct-monitor',
    at: new Date().toISOString(),
    model: config.name,
    window: null,
    actions: { dispatched: null, issue: null, history: null },
  };
  const finish = (record: MonitorRecord): MonitorRecord => {
    writeJson(path.join(outDir, 'monitor.json'), record);
    writeFileSync(path.join(outDir, 'monitor.md'), monitorMarkdown(record, history));
    const line = `${record.outcome === 'none' ? 'nothing to do' : record.outcome === 'retrain' ? 'retrain' : 'alert'}: ${record.reasons.join('; ')}`;
    if (record.outcome === 'alert') ctx.logger.warning(line);
    else ctx.logger.info(line);
    ctx.logger.debug(`monitor took ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return record;
  };
  const nothing = (production: string, reason: string): MonitorRecord =>
    finish({ ...base, production, metric, higherIsBetter: direction !== 'lowerIsBetter', value: null, reference: null, rows: 0, fingerprint: null, errors: [], drift: null, drop: null, outcome: 'none', retrain: false, reasons: [reason], retrainStreak: 0 });

  const pointer = readProduction(registry, config.name);
  if (pointer === null) return nothing('', `no production model of ${config.name} in ${displayPath(registry)} yet: nothing to monitor`);
  const productionDir = verifiedProductionDir(registry, pointer);
  const training = readJson<TrainingRecord>(path.join(productionDir, 'training.json'), 'production training record');
  const evaluation = readJson<EvaluationRecord>(path.join(productionDir, 'evaluation.json'), 'production evaluation record');

  // The data judged: an explicit batch, or the newest days after production's training data.
  const files = newDataFiles(ctx, training, policy.newestDays);
  if (files.files.length === 0) return nothing(pointer.version, `no new data since production ${pointer.version} was trained (its data ends ${files.trainedThrough})`);
  await learnVersions(files.files);
  const fingerprint = fingerprintFiles(files.files);
  const last = history.at(-1);
  if (last !== undefined && last.fingerprint === fingerprint && last.production === pointer.version) {
    return finish({ ...last, at: base.at, outcome: 'none', retrain: false, reasons: [`nothing new since the monitor run of ${last.at}, which decided: ${last.outcome}`], actions: base.actions, retrainStreak: last.retrainStreak });
  }
  ctx.logger.info(`judging production ${pointer.version} on ${files.files.length} file(s) ${files.days === null ? '' : `(${files.days.first}..${files.days.last}) `}of new data`);

  const table = await readTables(files.files, config.data.format === undefined ? {} : { format: config.data.format });
  const dataset: Dataset = { files: files.files, trainParts: [], evaluationParts: files.files, table, trainRows: new Int32Array(0), evaluationRows: allRows(table.rowCount), fingerprint };
  // Schema and drift of the new rows against production's training statistics.
  const { result: validation } = await runValidate({ ...ctx, outDir }, dataset, { plan: { partitioned: files.days !== null, files: files.files, evaluationFiles: files.files, trainParts: [], evaluationParts: files.files } });

  await selectBackend(ctx.backend ?? config.training.backend, ctx.logger);
  const model = await loadModel(productionDir, `production model ${pointer.version}`);
  let scored: ScoredRows | null = null;
  try {
    scored = scoreLabelledRows(table, model, { threshold: config.evaluation.threshold, classes: model.width, calibrationBins: config.evaluation.calibrationBins }).scored;
  } catch (error) {
    // Data the model cannot read at all is reported through validation's anomalies.
    if (validation.anomalies.every((a) => a.severity !== 'error')) throw error;
  } finally {
    model.model.dispose();
  }
  const labelled = scored?.rows ?? 0;
  let value: number | null = null;
  if (scored !== null && labelled > 0) {
    const metrics = weightedMetrics(scored, null);
    if (metrics[metric] === undefined) throw new UserError(`monitoring.metric: "${metric}" is not a metric of a ${config.task} model (${Object.keys(metrics).join(', ')})`);
    value = metrics[metric]!;
  }

  const drifted = validation.drift?.columns.filter((c) => c.drifted).map((c) => c.column) ?? [];
  const evidence: MonitorEvidence = {
    production: pointer.version,
    metric,
    higherIsBetter: direction !== 'lowerIsBetter',
    value,
    reference: evaluation.candidate.metrics[metric] ?? null,
    rows: labelled,
    fingerprint,
    errors: validation.anomalies.filter((a) => a.severity === 'error').map((a) => a.message),
    drift:
      validation.drift === null
        ? null
        : {
            dataset: validation.drift.datasetDrift,
            // The label and the prediction are reported apart from the input columns.
            label: validation.drift.label?.drifted === true,
            prediction: validation.drift.prediction?.drifted === true,
            columns: drifted,
          },
  };
  const decision = decideMonitor(evidence, policy, history);
  const record: MonitorRecord = { ...base, ...evidence, window: files.days, ...decision };

  if (session !== null) await actOnGitHub(ctx, session, record, history, last);
  appendHistory(record, localHistory);
  if (session !== null) {
    const commit = await commitHistory(ctx, session, record, historyText, remote?.exists === true);
    record.actions.history = `${policy.historyBranch}@${commit.slice(0, 12)}`;
    appendJobSummary(env, monitorMarkdown(record, history));
  }
  return finish(record);
}

/** The files of new data to judge, and the last day production was trained or evaluated on. */
function newDataFiles(ctx: StageContext, training: TrainingRecord, days: number): { files: string[]; days: { first: string; last: string } | null; trainedThrough: string } {
  const seen = [...training.data.trainParts, ...training.data.evaluationParts].filter((p) => /^\d{4}-\d{2}-\d{2}$/.test(p)).sort();
  const trainedThrough = seen.at(-1) ?? 'unknown';
  if (ctx.data !== undefined) {
    // An explicit batch: a folder of partitions, or one file, all of it new.
    const plan = planBatch(ctx.data);
    const parts = plan.partitioned ? plan.evaluationParts : [];
    return { files: plan.files, days: parts.length === 0 ? null : { first: parts[0]!, last: parts.at(-1)! }, trainedThrough };
  }
  const source = dataSource(ctx);
  if (isRemote(source) || (existsSync(source) && statSync(source).isFile())) throw new UserError(`data.path ${displayPath(source)} is one file: monitoring needs daily partitions to tell new data from old, or a batch of new labelled data with --data`);
  if (seen.length === 0) throw new UserError(`production's training record names no partition days (data.path ${displayPath(source)}): give the new labelled data with --data`);
  const after = listPartitions(source).filter((p) => p.date > trainedThrough);
  const chosen = newestDays(after, days);
  return { files: chosen.map((p) => p.file), days: chosen.length === 0 ? null : { first: chosen[0]!.date, last: chosen.at(-1)!.date }, trainedThrough };
}

/** Dispatches retraining and opens, updates or closes the model's issue, as decided. */
async function actOnGitHub(ctx: StageContext, session: GitHubSession, record: MonitorRecord, history: readonly MonitorRecord[], last: MonitorRecord | undefined): Promise<void> {
  const { config } = ctx.loaded;
  const policy = config.monitoring;
  const { api, target } = session;
  if (record.retrain) {
    const ref = policy.ref ?? (await api.defaultBranch());
    const configInRepo = path.relative(session.root, path.resolve(ctx.loaded.file)).split(path.sep).join('/');
    await api.dispatchWorkflow(policy.workflow, ref, { 'force-retrain': 'true', model: configInRepo });
    record.actions.dispatched = `${policy.workflow}@${ref}`;
    ctx.logger.info(`dispatched ${policy.workflow} on ${ref} to retrain ${config.name}`);
  }
  const marker = issueMarker(config.name);
  // Labels may be dropped for tokens without push access: then the marker alone finds the issue.
  const open = (await api.findOpenIssue(policy.labels, marker)) ?? (await api.findOpenIssue([], marker));
  const title = monitorIssueTitle(record);
  const body = monitorIssueBody(record, history, marker, target.runUrl);
  if (record.outcome === 'alert') {
    if (open === null) {
      const issue = await api.createIssue({ title, body, labels: policy.labels, marker });
      record.actions.issue = { number: issue.number, url: issue.url, action: 'opened' };
      ctx.logger.warning(`opened issue #${issue.number}: ${issue.url}`);
    } else {
      await api.updateIssue(open.number, { title, body });
      await api.commentOnIssue(open.number, monitorIssueComment(record, target.runUrl));
      record.actions.issue = { number: open.number, url: open.url, action: 'updated' };
      ctx.logger.warning(`updated issue #${open.number}: ${open.url}`);
    }
  } else if (open !== null && record.outcome === 'none' && record.value !== null) {
    // Judged healthy on enough rows: the alert is over.
    await api.commentOnIssue(open.number, monitorIssueComment(record, target.runUrl));
    await api.updateIssue(open.number, { state: 'closed', stateReason: 'completed' });
    record.actions.issue = { number: open.number, url: open.url, action: 'closed' };
    ctx.logger.info(`closed issue #${open.number}: ${config.name} recovered`);
  } else if (open !== null && (last === undefined || last.outcome !== record.outcome || record.retrain)) {
    await api.commentOnIssue(open.number, monitorIssueComment(record, target.runUrl));
    record.actions.issue = { number: open.number, url: open.url, action: 'updated' };
  }
}

/** Appends the record to the working tree's history (the checkout's copy, in Actions). */
function appendHistory(record: MonitorRecord, file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(record)}\n`);
}

/** Commits the history with the new record to the history branch (created from the default branch). */
async function commitHistory(ctx: StageContext, session: GitHubSession, record: MonitorRecord, before: string, branchExists: boolean): Promise<string> {
  const { config } = ctx.loaded;
  const policy = config.monitoring;
  const base = branchExists ? policy.historyBranch : await session.api.defaultBranch();
  const file = path.join(session.registryInRepo, config.name, MONITOR_HISTORY);
  const result = await commitToBranch({
    repoDir: session.root,
    remote: config.promotion.remote,
    base,
    branch: policy.historyBranch,
    message: `ct monitor: ${config.name} ${record.outcome}${record.value === null ? '' : ` (${record.metric} ${record.value.toFixed(4)})`}`,
    author: config.promotion.author,
    committer: config.promotion.committer ?? config.promotion.author,
    auth: session.auth,
    apply: (worktree) => {
      const target = path.join(worktree, file);
      mkdirSync(path.dirname(target), { recursive: true });
      // On a retry the branch moved: append to what is there now, not to what was read before.
      const current = existsSync(target) ? readFileSync(target, 'utf8') : before;
      writeFileSync(target, `${current}${current === '' || current.endsWith('\n') ? '' : '\n'}${JSON.stringify(record)}\n`);
    },
    logger: ctx.logger,
  });
  return result.sha;
}
