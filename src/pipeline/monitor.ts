/**
 * `ct monitor`: is the production model still good? It scores production on the newest
 * labelled data that arrived after its training, compares with its promotion-time
 * metrics and the previous monitor runs, tests drift against its training statistics,
 * and decides: nothing to do, retrain, or alert. With `--github` it acts: dispatches the
 * retraining workflow, opens / updates / closes one issue per model, and commits the
 * monitor history to its branch. Without, the history goes to the working tree.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Dataset, type DatasetPlan, fingerprintFiles } from '../data/dataset.js';
import { displayPath } from '../data/files.js';
import { learnVersions } from '../data/remote.js';
import { headlineMetric, metricDirection } from '../evaluate/metrics.js';
import { appendJobSummary, makeFolder, readJson, writeJson } from '../files.js';
import type { RetryOptions } from '../github/api.js';
import { commitToBranch } from '../github/git.js';
import { decideMonitor, type MonitorRecord } from '../monitor/decide.js';
import { hasErrors, metricValue, monitorEvidence, scoreProduction } from '../monitor/evidence.js';
import { appendHistory, type HistoryBranch, MONITOR_HISTORY, type MonitorHistory, readMonitorHistory, withRecord } from '../monitor/history.js';
import { issueAction, issueMarker } from '../monitor/issue.js';
import { type NewData, newDataFiles, readNewData } from '../monitor/new-data.js';
import { lateLabelFiles, predictionLogFiles, readPredictionLog } from '../monitor/predictions.js';
import { monitorBase, nothingJudged, outcomeLine, unchangedSince } from '../monitor/record.js';
import { DEFAULT_WEBHOOK_RETRY, postWebhook, type WebhookRetry, webhookPayload } from '../monitor/webhook.js';
import { modelDir, readProduction, verifiedProductionDir } from '../registry/registry.js';
import { monitorIssueBody, monitorIssueComment, monitorIssueTitle, monitorMarkdown } from '../report/monitor.js';
import { selectBackend } from '../train/backend.js';
import type { EvaluationRecord, TrainingRecord } from '../artifacts.js';
import { dataSource, registryPath, type StageContext } from './context.js';
import { type GitHubSession, openGitHubSession } from './github-session.js';
import { runValidate } from './validate.js';

export interface MonitorOptions {
  /** Act on GitHub: dispatch the workflow, manage the issue, commit the history to its branch. */
  github?: boolean;
  env?: NodeJS.ProcessEnv;
  retry?: Partial<RetryOptions>;
}

/** Runs the monitor; writes `<out>/monitor/monitor.json` and `monitor.md`. */
export async function runMonitor(ctx: StageContext, options: MonitorOptions = {}): Promise<MonitorRecord> {
  const started = performance.now();
  const { config } = ctx.loaded;
  const env = options.env ?? process.env;
  const policy = config.monitoring;
  const outDir = path.join(ctx.outDir, 'monitor');
  makeFolder(outDir);
  const registry = registryPath(ctx);
  const localHistory = path.join(modelDir(registry, config.name), MONITOR_HISTORY);
  const session = options.github === true ? await openGitHubSession(ctx, env, options.retry) : null;
  const history = await readMonitorHistory(localHistory, session === null ? null : historyOnBranch(session, config), config.name, (m) => ctx.logger.warning(m));

  const metric = policy.metric ?? headlineMetric(config.task).name;
  const higherIsBetter = metricDirection(metric) !== 'lowerIsBetter';
  const base = monitorBase(config.name, new Date().toISOString());
  const finish = (record: MonitorRecord): MonitorRecord => finishMonitor(ctx, outDir, record, history.records, started);

  const pointer = readProduction(registry, config.name);
  if (pointer === null)
    return finish(nothingJudged(base, '', metric, higherIsBetter, `no production model of ${config.name} in ${displayPath(registry)} yet: nothing to monitor`));
  const productionDir = verifiedProductionDir(registry, pointer);
  const training = readJson<TrainingRecord>(path.join(productionDir, 'training.json'), 'production training record');
  const evaluation = readJson<EvaluationRecord>(path.join(productionDir, 'evaluation.json'), 'production evaluation record');

  const judging = judgedData(ctx, training);
  const { files } = judging;
  if (files.files.length === 0) {
    const why =
      judging.source === 'predictions'
        ? 'the prediction log holds no day yet'
        : `no new data since production ${pointer.version} was trained (its data ends ${files.trainedThrough})`;
    return finish(nothingJudged(base, pointer.version, metric, higherIsBetter, why));
  }
  await learnVersions(files.files);
  const fingerprint = fingerprintFiles([...files.files, ...judging.labelFiles]);
  const last = history.records.at(-1);
  if (last !== undefined && last.fingerprint === fingerprint && last.production === pointer.version) return finish(unchangedSince(last, base));
  ctx.logger.info(
    `judging production ${pointer.version} on ${files.files.length} file(s) ${files.days === null ? '' : `(${files.days.first}..${files.days.last}) `}of ${judging.source === 'predictions' ? `its prediction log, with ${judging.labelFiles.length} file(s) of late labels` : 'new data'}`,
  );

  const judged = await judging.read(fingerprint);
  // Schema and drift of the new rows against production's training statistics.
  const { result: validation } = await runValidate({ ...ctx, outDir }, judged.dataset, { plan: judged.plan, predictionLog: judging.source === 'predictions' });
  await selectBackend(ctx.backend ?? config.training.backend, ctx.logger);
  const scored = await scoreProduction(judged.dataset.table, productionDir, pointer.version, config.evaluation, hasErrors(validation));
  const value = metricValue(scored, metric, config.task);
  const reference = evaluation.candidate.metrics[metric] ?? null;
  const evidence = monitorEvidence({ production: pointer.version, metric, higherIsBetter, value, reference, rows: scored?.rows ?? 0, fingerprint, validation });
  evidence.source = judged.source;
  const record: MonitorRecord = { ...base, ...evidence, window: files.days, ...decideMonitor(evidence, policy, history.records) };

  if (session !== null) await actOnGitHub(ctx, session, record, history.records, last);
  await tellWebhook(ctx, record, env, session?.target.runUrl ?? null);
  appendHistory(record, localHistory);
  if (session !== null) await publishHistory(ctx, session, record, history, env);
  return finish(record);
}

/**
 * The data a run judges and how to read it: with `monitoring.source: data`, an explicit
 * batch or the newest days after production's training data; with `predictions`, the
 * newest days of ct serve's prediction log (`--data`: another log folder) and the late
 * labels to join to it.
 */
function judgedData(
  ctx: StageContext,
  training: TrainingRecord,
): {
  source: 'data' | 'predictions';
  files: NewData;
  labelFiles: string[];
  read: (fingerprint: string) => Promise<{ dataset: Dataset; plan: DatasetPlan; source: NonNullable<MonitorRecord['source']> }>;
} {
  const { config } = ctx.loaded;
  const policy = config.monitoring;
  if (policy.source === 'data') {
    const files = newDataFiles(ctx.data, dataSource(ctx), training, policy.newestDays);
    return {
      source: 'data',
      files,
      labelFiles: [],
      read: async (fingerprint) => ({ ...(await readNewData(files, fingerprint, config.data.format)), source: { kind: 'data' } }),
    };
  }
  const folder = ctx.data ?? path.resolve(ctx.loaded.baseDir, config.serving.log.path, config.name);
  const files = predictionLogFiles(folder, policy.newestDays);
  const labelFiles = lateLabelFiles(path.resolve(ctx.loaded.baseDir, policy.labelsPath, config.name));
  return {
    source: 'predictions',
    files,
    labelFiles,
    read: async (fingerprint) => {
      const log = await readPredictionLog(files, labelFiles, config.label.column, fingerprint, undefined);
      ctx.logger.info(`prediction log: ${log.logged} row(s), ${log.labelled} with a late label`);
      return { dataset: log.dataset, plan: log.plan, source: { kind: 'predictions', logged: log.logged, labelled: log.labelled } };
    },
  };
}

/** Posts the run to the webhook of `monitoring.webhook` when its outcome is one it names and its URL is set. */
async function tellWebhook(ctx: StageContext, record: MonitorRecord, env: NodeJS.ProcessEnv, runUrl: string | null): Promise<void> {
  const { webhook } = ctx.loaded.config.monitoring;
  const url = env[webhook.env];
  if (url === undefined || url === '' || !webhook.on.includes(record.outcome)) return;
  ctx.logger.secret?.(url);
  const result = await postWebhook(url, webhookPayload(record, runUrl), webhookRetry(env));
  record.actions.webhook = result.sent ? 'sent' : `failed after ${result.attempts} attempt(s): ${result.reason}`;
  if (result.sent) ctx.logger.info(`webhook (${webhook.env}): sent`);
  else ctx.logger.warning(`webhook (${webhook.env}): ${record.actions.webhook}`);
}

/** Retry waits: the defaults, or shorter ones a test sets through CT_WEBHOOK_RETRY_MS. */
function webhookRetry(env: NodeJS.ProcessEnv): WebhookRetry {
  const ms = Number(env.CT_WEBHOOK_RETRY_MS);
  return Number.isFinite(ms) && ms > 0 ? { ...DEFAULT_WEBHOOK_RETRY, delayMs: ms } : DEFAULT_WEBHOOK_RETRY;
}

/** Where the monitoring history lives on its branch of the repository. */
function historyOnBranch(session: GitHubSession, config: StageContext['loaded']['config']): HistoryBranch {
  const file = path.join(session.registryInRepo, config.name, MONITOR_HISTORY);
  return { repoDir: session.root, remote: config.promotion.remote, branch: config.monitoring.historyBranch, file, auth: session.auth };
}

/** Commits the record to the history branch, notes the commit in the record, and writes the job summary. */
async function publishHistory(
  ctx: StageContext,
  session: GitHubSession,
  record: MonitorRecord,
  history: MonitorHistory,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const commit = await commitHistory(ctx, session, record, history.text, history.branchExists);
  record.actions.history = `${ctx.loaded.config.monitoring.historyBranch}@${commit.slice(0, 12)}`;
  appendJobSummary(env, monitorMarkdown(record, history.records));
}

/** Writes the run's record and report, and says the outcome (a warning for an alert). */
function finishMonitor(ctx: StageContext, outDir: string, record: MonitorRecord, history: readonly MonitorRecord[], started: number): MonitorRecord {
  writeJson(path.join(outDir, 'monitor.json'), record);
  writeFileSync(path.join(outDir, 'monitor.md'), monitorMarkdown(record, history));
  if (record.outcome === 'alert') ctx.logger.warning(outcomeLine(record));
  else ctx.logger.info(outcomeLine(record));
  ctx.logger.debug(`monitor took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return record;
}

/** Dispatches retraining and opens, updates or closes the model's issue, as decided. */
async function actOnGitHub(
  ctx: StageContext,
  session: GitHubSession,
  record: MonitorRecord,
  history: readonly MonitorRecord[],
  last: MonitorRecord | undefined,
): Promise<void> {
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
  const action = issueAction(record, open !== null, last);
  if (action === null) return;
  if (open === null) {
    const issue = await api.createIssue({
      title: monitorIssueTitle(record),
      body: monitorIssueBody(record, history, marker, target.runUrl),
      labels: policy.labels,
      marker,
    });
    record.actions.issue = { number: issue.number, url: issue.url, action: 'opened' };
    ctx.logger.warning(`opened issue #${issue.number}: ${issue.url}`);
    return;
  }
  if (action === 'update')
    await api.updateIssue(open.number, { title: monitorIssueTitle(record), body: monitorIssueBody(record, history, marker, target.runUrl) });
  await api.commentOnIssue(open.number, monitorIssueComment(record, target.runUrl));
  if (action === 'close') await api.updateIssue(open.number, { state: 'closed', stateReason: 'completed' });
  record.actions.issue = { number: open.number, url: open.url, action: action === 'close' ? 'closed' : 'updated' };
  if (action === 'update') ctx.logger.warning(`updated issue #${open.number}: ${open.url}`);
  if (action === 'close') ctx.logger.info(`closed issue #${open.number}: ${config.name} recovered`);
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
      makeFolder(path.dirname(target));
      // On a retry the branch moved: append to what is there now, not to what was read before.
      const current = existsSync(target) ? readFileSync(target, 'utf8') : before;
      writeFileSync(target, withRecord(current, record));
    },
    logger: ctx.logger,
  });
  return result.sha;
}
