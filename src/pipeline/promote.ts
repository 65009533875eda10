/**
 * `ct promote` and `ct rollback`: change which version of a model is production.
 *
 * Locally (no `--pr`) the registry in the working tree changes. With `--pr` nothing local
 * changes: one commit with the version folder, the history line and the pointer goes on
 * the branch `<promotion.branchPrefix>/<model>`, made from the base branch's tip, and a
 * pull request carries it to a person who merges it (or not). A rerun updates the same
 * pull request in place. The gate verdict is reported on the pushed commit as the
 * `ct/gates` check run, since pull requests opened with GITHUB_TOKEN trigger no workflows.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { appendJobSummary, readJson, writeJson } from '../files.js';
import { faultPoint } from '../fault.js';
import { blobUrl, workflowRunUrl, type RetryOptions } from '../github/api.js';
import { commitToBranch } from '../github/git.js';
import { openOrUpdatePull, type PullText } from '../github/proposal.js';
import { openGitHubSession } from './github-session.js';
import { hashFiles, promotionRecordOf, type Provenance, readProduction, rollbackTo } from '../registry/registry.js';
import { notPromoted, type ProductionChange, publishCandidate, rollbackOnBranch, Unchanged, versionFolder } from '../registry/promotion.js';
import { code, text as markdownText } from '../report/escape.js';
import { evaluationMarkdown, modelCardMarkdown } from '../report/markdown.js';
import { sweepMarkdown } from '../report/sweep.js';
import {
  artifactPaths,
  type EvaluationRecord,
  modelFiles,
  type PromotionRecord,
  type SweepRecord,
  type TrainingRecord,
  type ValidationResult,
} from '../artifacts.js';
import {
  CHECK_RUN_SUMMARY_LIMIT,
  fitToLimit,
  headlineDelta,
  pullRequestBody,
  pullRequestTitle,
  type ReportLinks,
  rollbackPullRequestBody,
  rollbackPullRequestTitle,
} from '../report/pull-request.js';
import { registryPath, type StageContext } from './context.js';

/** Name of the check run (or commit status) that carries the gate verdict. */
export const VERDICT_NAME = 'ct/gates';

export interface PromoteOptions {
  /** Open or update a pull request instead of changing the working tree. */
  pr?: boolean;
  /** Base branch of the pull request (overrides promotion.base). */
  base?: string;
  /** Environment to read GitHub settings and the token from (default process.env). */
  env?: NodeJS.ProcessEnv;
  retry?: Partial<RetryOptions>;
}

/**
 * Promotes the candidate of `<out>/model`. Not promoted when the gates failed, or
 * (`unchanged`) when production already is this very model.
 */
export async function runPromote(ctx: StageContext, options: PromoteOptions = {}): Promise<PromotionRecord> {
  const record = await decideAndPublish(ctx, options);
  writeJson(artifactPaths(ctx.outDir).promotion, record);
  if (record.promoted) {
    const where =
      record.pullRequest === null
        ? `registry: ${record.dir}`
        : `pull request #${record.pullRequest.number} ${record.pullRequest.created ? 'opened' : 'updated'}: ${record.pullRequest.url}`;
    ctx.logger.info(`${record.pullRequest === null ? 'promoted' : 'proposed'} ${record.model} ${record.version} (${record.reason}); ${where}`);
  } else if (record.unchanged) ctx.logger.info(`not promoted: ${record.reason}`);
  else ctx.logger.warning(`not promoted: ${record.reason}`);
  return record;
}

/** Says in the job summary why nothing was proposed (gates failed): no branch, no pull request. */
export function summariseFailedGates(env: NodeJS.ProcessEnv, evaluation: EvaluationRecord): void {
  appendJobSummary(
    env,
    [
      `## ct: ${markdownText(evaluation.model, 100)} not promoted, the gates failed`,
      '',
      ...evaluation.failures.map((f) => `- ${markdownText(f.message)}`),
      '',
      'No branch was pushed and no pull request was opened.',
    ].join('\n'),
  );
}

async function decideAndPublish(ctx: StageContext, options: PromoteOptions): Promise<PromotionRecord> {
  const { config } = ctx.loaded;
  const env = options.env ?? process.env;
  const paths = artifactPaths(ctx.outDir);
  const evaluation = readJson<EvaluationRecord>(paths.evaluation, 'evaluation (run `ct evaluate` first)');
  const base = notPromoted(config.name, null);
  if (evaluation.model !== config.name) throw new UserError(`${paths.evaluation} is about model "${evaluation.model}", the config names "${config.name}"`);
  if (!evaluation.ok) {
    if (options.pr === true) summariseFailedGates(env, evaluation);
    return { ...base, reason: `gates failed: ${evaluation.failures.map((f) => f.message).join('; ')}` };
  }
  const candidate = modelFiles(paths.modelDir);
  if (hashFiles(candidate) !== evaluation.candidate.contentHash) {
    throw new UserError(`${paths.modelDir} changed since it was evaluated: run \`ct evaluate\` again before promoting`);
  }
  const training = readJson<TrainingRecord>(candidate['training.json']!, 'training record');
  const files = versionFiles(ctx, candidate, training, evaluation);
  const reason = evaluation.rubberStamp
    ? 'first model: rubber stamp, there was no production model to compare with'
    : `gates passed against production ${evaluation.baseline?.version}`;
  const when = new Date();
  /** Publishes into the registry folder `registry` (the working tree's, or a worktree's). */
  const publish = (registry: string, by: Provenance, where: string): ProductionChange =>
    publishCandidate({ registry, model: config.name, candidate, files, evaluatedAgainst: evaluation.baseline?.version ?? null, when, by, where });

  try {
    if (options.pr !== true) {
      const by: Provenance = { pullRequest: null, branch: null, commit: training.git?.commit ?? null, run: workflowRunUrl(env) };
      const { version, previous } = publish(registryPath(ctx), by, '');
      return { ...base, promoted: true, version, dir: versionFolder(registryPath(ctx), config.name, version), previous, reason };
    }
    const change = await proposeByPullRequest(ctx, options, promotionProposal(ctx, evaluation, training, publish));
    return { ...base, promoted: true, ...change, reason };
  } catch (error) {
    if (error instanceof Unchanged) return { ...base, unchanged: true, version: error.version, reason: error.message };
    throw error;
  }
}

/** The files of the new version folder: the candidate, its evaluation (record and report) and its model card. */
function versionFiles(ctx: StageContext, candidate: Record<string, string>, training: TrainingRecord, evaluation: EvaluationRecord): Record<string, string> {
  const paths = artifactPaths(ctx.outDir);
  const cardFile = path.join(ctx.outDir, 'MODEL_CARD.md');
  writeFileSync(cardFile, modelCardMarkdown(ctx.loaded.config, training, evaluation));
  return {
    ...candidate,
    'evaluation.json': paths.evaluation,
    'evaluation.md': reportFile(paths.evaluationReport, evaluation),
    'MODEL_CARD.md': cardFile,
  };
}

/** What a promotion pull request carries and says: the evaluation, validation, lineage and sweep of the candidate. */
function promotionProposal(ctx: StageContext, evaluation: EvaluationRecord, training: TrainingRecord, publish: ProposedChange['apply']): ProposedChange {
  const model = ctx.loaded.config.name;
  return {
    kind: 'promote',
    apply: (registry, by, where) => publish(registry, by, where),
    title: (version) => pullRequestTitle(model, version, evaluation),
    body: (version, previous, links) =>
      pullRequestBody({
        model,
        version,
        previous,
        evaluation,
        validation: readValidation(artifactPaths(ctx.outDir).validation),
        training,
        links,
        sweep: sweepOf(ctx.outDir, evaluation),
      }),
    verdict: { passed: true, title: `gates passed: ${headlineDelta(evaluation)}`, summary: evaluationMarkdown(evaluation) },
    trainingCommit: training.git?.commit ?? null,
  };
}

/** `ct rollback <version>`: production points back at an earlier version (locally, or by pull request). */
export async function runRollback(ctx: StageContext, version: string, options: PromoteOptions = {}): Promise<PromotionRecord> {
  const { config } = ctx.loaded;
  const env = options.env ?? process.env;
  const registry = registryPath(ctx);
  const base = notPromoted(config.name, version);
  const reason = `rollback to ${version}`;
  let record: PromotionRecord;
  if (options.pr !== true && readProduction(registry, config.name)?.version === version) {
    record = { ...base, unchanged: true, reason: `${version} already is production` };
  } else if (options.pr !== true) {
    const pointer = rollbackTo(registry, config.name, version, { by: { pullRequest: null, branch: null, commit: null, run: workflowRunUrl(env) } });
    record = { ...base, promoted: true, dir: versionFolder(registry, config.name, version), previous: pointer.previous, reason };
  } else {
    const promotedAt = promotionRecordOf(registry, config.name, version)?.at ?? 'an unrecorded time';
    const change = await proposeByPullRequest(ctx, options, {
      kind: 'rollback',
      apply: (tree, by, where) => rollbackOnBranch(tree, config.name, version, by, where),
      title: () => rollbackPullRequestTitle(config.name, version),
      body: (_v, previous, links) => rollbackPullRequestBody({ model: config.name, version, promotedAt, previous, links }),
      verdict: {
        passed: true,
        title: `rollback to ${version}`,
        summary: `Production of ${markdownText(config.name, 100)} goes back to ${code(version)}; no new model is involved.`,
      },
      trainingCommit: null,
    }).catch((error: unknown) => {
      if (error instanceof Unchanged) return null;
      throw error;
    });
    record = change === null ? { ...base, unchanged: true, reason: `${version} already is production` } : { ...base, promoted: true, ...change, reason };
  }
  writeJson(artifactPaths(ctx.outDir).promotion, record);
  ctx.logger.info(
    record.unchanged
      ? `not rolled back: ${record.reason}`
      : record.pullRequest === null
        ? `rolled back ${config.name} to ${version} (was ${record.previous})`
        : `rollback of ${config.name} to ${version} proposed: ${record.pullRequest.url}`,
  );
  return record;
}

interface ProposedChange {
  kind: 'promote' | 'rollback';
  /** Changes the registry folder of a worktree; returns the version that becomes production and the one it replaces. */
  apply: (registry: string, by: Provenance, where: string) => ProductionChange;
  title: (version: string) => string;
  body: (version: string, previous: string | null, links: ReportLinks) => string;
  verdict: { passed: boolean; title: string; summary: string };
  trainingCommit: string | null;
}

type ChangeRecord = Pick<PromotionRecord, 'version' | 'previous' | 'dir' | 'pullRequest' | 'branch' | 'commit'>;

/** Commits `change` on the model's promotion branch, pushes it, and opens or updates its pull request. */
async function proposeByPullRequest(ctx: StageContext, options: PromoteOptions, change: ProposedChange): Promise<ChangeRecord> {
  const { config } = ctx.loaded;
  const env = options.env ?? process.env;
  const promotion = config.promotion;
  const { root, target, api, auth, registryInRepo } = await openGitHubSession(ctx, env, options.retry);
  const base = options.base ?? promotion.base ?? (await api.defaultBranch());
  const branch = `${promotion.branchPrefix}/${config.name}`;

  const existing = await api.findOpenPull(branch, base);
  let applied: ProductionChange | null = null;
  /** Commits and pushes; `branchAt`: the branch must still be where this run pushed it. */
  const commit = async (pullRequest: number | null, branchAt?: string): Promise<string> => {
    const result = await commitToBranch({
      ...(branchAt === undefined ? {} : { branchAt }),
      repoDir: root,
      remote: promotion.remote,
      base,
      branch,
      message: change.kind === 'promote' ? `Promote ${config.name} to production` : `Roll back ${config.name}`,
      author: promotion.author,
      committer: promotion.committer ?? promotion.author,
      auth,
      apply: (worktree) => {
        applied = change.apply(path.join(worktree, registryInRepo), { pullRequest, branch, commit: change.trainingCommit, run: target.runUrl }, ` on ${base}`);
      },
      logger: ctx.logger,
    });
    return result.sha;
  };

  const pushed = await commit(existing?.number ?? null);
  faultPoint('promote: branch pushed');
  const done = (): ProductionChange => {
    if (applied === null) throw new Error('promotion commit made without applying the change');
    return applied;
  };
  const links = (commitSha: string): ReportLinks => {
    const folder = blobUrl(target, commitSha, `${registryInRepo.split(path.sep).join('/')}/${config.name}/${done().version}`);
    return { modelCard: `${folder}/MODEL_CARD.md`, fullReport: `${folder}/evaluation.md`, run: target.runUrl };
  };
  const text = (commitSha: string): PullText => ({ title: change.title(done().version), body: change.body(done().version, done().previous, links(commitSha)) });
  const { pull, created, sha } = await openOrUpdatePull(api, { existing, head: branch, base, sha: pushed, text, recommit: commit });
  await api.addLabels(pull.number, promotion.labels);
  const how = await api.reportVerdict(sha, {
    name: VERDICT_NAME,
    passed: change.verdict.passed,
    title: change.verdict.title,
    summary: fitToLimit(change.verdict.summary, CHECK_RUN_SUMMARY_LIMIT, links(sha).fullReport),
    detailsUrl: target.runUrl,
  });
  ctx.logger.debug(`gate verdict reported on ${sha} as a ${how}`);
  appendJobSummary(
    env,
    `## ct: ${markdownText(change.title(done().version))}\n\nPull request [#${pull.number}](${pull.url}) ${created ? 'opened' : 'updated'}.`,
  );
  return { version: done().version, previous: done().previous, dir: null, pullRequest: { number: pull.number, url: pull.url, created }, branch, commit: sha };
}

/** evaluation.md of the out folder, written again from the record if it is missing. */
function reportFile(file: string, evaluation: EvaluationRecord): string {
  if (!existsSync(file)) writeFileSync(file, evaluationMarkdown(evaluation));
  return file;
}

/** The sweep table, when the candidate of `outDir` is the leg `ct sweep select` chose (not a stale sweep). */
function sweepOf(outDir: string, evaluation: EvaluationRecord): string | null {
  const file = path.join(outDir, 'sweep.json');
  if (!existsSync(file)) return null;
  const sweep = readJson<SweepRecord>(file, 'sweep record');
  const selected = sweep.legs.find((l) => l.id === sweep.selected);
  return selected?.contentHash === evaluation.candidate.contentHash ? sweepMarkdown(sweep) : null;
}

function readValidation(file: string): ValidationResult | null {
  return existsSync(file) ? readJson<ValidationResult>(file, 'validation record') : null;
}
