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
import { workflowRunUrl, type PullRequest, type RetryOptions } from '../github/api.js';
import { commitToBranch } from '../github/git.js';
import { openGitHubSession } from './github-session.js';
import { hashFiles, lastRecordOf, modelDir, type ProductionPointer, type Provenance, publishVersion, readProduction, rollbackTo } from '../registry/registry.js';
import { evaluationMarkdown, modelCardMarkdown } from '../report/markdown.js';
import { sweepMarkdown } from '../report/sweep.js';
import type { SweepRecord } from './sweep.js';
import { CHECK_RUN_SUMMARY_LIMIT, fitToLimit, headlineDelta, pullRequestBody, pullRequestTitle } from '../report/pull-request.js';
import { artifactPaths, type EvaluationRecord, type PromotionRecord, type StageContext, type TrainingRecord, type ValidationResult } from './artifacts.js';
import { modelFiles, registryPath } from './evaluate.js';

/** The files that decide predictions; lineage (training.json) differs on every run. */
const PREDICTIVE_FILES = ['model.json', 'weights.bin', 'preprocessing.json'] as const;

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

/** Nothing to promote: production already is this model. Not an error. */
class Unchanged extends Error {
  constructor(readonly version: string) {
    super(`identical to production version ${version} (same weights and preprocessing)`);
  }
}

/**
 * Promotes the candidate of `<out>/model`. Not promoted when the gates failed, or
 * (`unchanged`) when production already is this very model.
 */
export async function runPromote(ctx: StageContext, options: PromoteOptions = {}): Promise<PromotionRecord> {
  const record = await decideAndPublish(ctx, options);
  writeJson(artifactPaths(ctx.outDir).promotion, record);
  if (record.promoted) {
    const where = record.pullRequest === null ? `registry: ${record.dir}` : `pull request #${record.pullRequest.number} ${record.pullRequest.created ? 'opened' : 'updated'}: ${record.pullRequest.url}`;
    ctx.logger.info(`${record.pullRequest === null ? 'promoted' : 'proposed'} ${record.model} ${record.version} (${record.reason}); ${where}`);
  } else if (record.unchanged) ctx.logger.info(`not promoted: ${record.reason}`);
  else ctx.logger.warning(`not promoted: ${record.reason}`);
  return record;
}

/** Says in the job summary why nothing was proposed (gates failed): no branch, no pull request. */
export function summariseFailedGates(env: NodeJS.ProcessEnv, evaluation: EvaluationRecord): void {
  appendJobSummary(env, [`## ct: ${evaluation.model} not promoted, the gates failed`, '', ...evaluation.failures.map((f) => `- ${f.message}`), '', 'No branch was pushed and no pull request was opened.'].join('\n'));
}

async function decideAndPublish(ctx: StageContext, options: PromoteOptions): Promise<PromotionRecord> {
  const { config } = ctx.loaded;
  const env = options.env ?? process.env;
  const paths = artifactPaths(ctx.outDir);
  const evaluation = readJson<EvaluationRecord>(paths.evaluation, 'evaluation (run `ct evaluate` first)');
  const notPromoted: PromotionRecord = { promoted: false, unchanged: false, model: config.name, version: null, dir: null, previous: null, reason: '', pullRequest: null, branch: null, commit: null };
  if (evaluation.model !== config.name) throw new UserError(`${paths.evaluation} is about model "${evaluation.model}", the config names "${config.name}"`);
  if (!evaluation.ok) {
    if (options.pr === true) summariseFailedGates(env, evaluation);
    return { ...notPromoted, reason: `gates failed: ${evaluation.failures.map((f) => f.message).join('; ')}` };
  }
  const candidate = modelFiles(paths.modelDir);
  if (hashFiles(candidate) !== evaluation.candidate.contentHash) {
    throw new UserError(`${paths.modelDir} changed since it was evaluated: run \`ct evaluate\` again before promoting`);
  }
  const training = readJson<TrainingRecord>(candidate['training.json']!, 'training record');
  const cardFile = path.join(ctx.outDir, 'MODEL_CARD.md');
  writeFileSync(cardFile, modelCardMarkdown(config, training, evaluation));
  const files = { ...candidate, 'evaluation.json': paths.evaluation, 'evaluation.md': reportFile(paths.evaluationReport, evaluation), 'MODEL_CARD.md': cardFile };
  const reason = evaluation.rubberStamp ? 'first model: rubber stamp, there was no production model to compare with' : `gates passed against production ${evaluation.baseline?.version}`;
  const when = new Date();

  /** Publishes into the registry folder `registry` (the working tree's, or a worktree's). */
  const publish = (registry: string, by: Provenance, where: string): { version: string; previous: string | null } => {
    // Checked while the model is locked: no other run can promote between the check and the change.
    const check = (production: ProductionPointer | null): void => {
      if (production !== null && sameModel(candidate, path.join(modelDir(registry, config.name), production.version))) throw new Unchanged(production.version);
      // The gates compared with one production model; if another has been promoted since, they say nothing about it.
      const evaluatedAgainst = evaluation.baseline?.version ?? null;
      if ((production?.version ?? null) !== evaluatedAgainst) {
        throw new UserError(`production${where} is ${production?.version ?? 'empty'} but the candidate was evaluated against ${evaluatedAgainst ?? 'no production model'}: run \`ct evaluate\` again before promoting`);
      }
    };
    const published = publishVersion({ registry, model: config.name, files, when, by, check });
    return { version: published.version, previous: published.pointer.previous };
  };

  try {
    if (options.pr !== true) {
      const by: Provenance = { pullRequest: null, branch: null, commit: training.git?.commit ?? null, run: workflowRunUrl(env) };
      const { version, previous } = publish(registryPath(ctx), by, '');
      const dir = path.join(modelDir(registryPath(ctx), config.name), version);
      return { ...notPromoted, promoted: true, version, dir: path.relative(process.cwd(), dir) || dir, previous, reason };
    }
    const change = await proposeByPullRequest(ctx, options, {
      kind: 'promote',
      apply: (registry, by, where) => publish(registry, by, where),
      title: (version) => pullRequestTitle(config.name, version, evaluation),
      body: (version, previous, links) => pullRequestBody({ model: config.name, version, previous, evaluation, validation: readValidation(paths.validation), training, links, sweep: sweepOf(ctx.outDir, evaluation) }),
      verdict: { passed: true, title: `gates passed: ${headlineDelta(evaluation)}`, summary: evaluationMarkdown(evaluation) },
      trainingCommit: training.git?.commit ?? null,
    });
    return { ...notPromoted, promoted: true, ...change, reason };
  } catch (error) {
    if (error instanceof Unchanged) return { ...notPromoted, unchanged: true, version: error.version, reason: error.message };
    throw error;
  }
}

/** `ct rollback <version>`: production points back at an earlier version (locally, or by pull request). */
export async function runRollback(ctx: StageContext, version: string, options: PromoteOptions = {}): Promise<PromotionRecord> {
  const { config } = ctx.loaded;
  const env = options.env ?? process.env;
  const registry = registryPath(ctx);
  const base: PromotionRecord = { promoted: false, unchanged: false, model: config.name, version, dir: null, previous: null, reason: '', pullRequest: null, branch: null, commit: null };
  const reason = `rollback to ${version}`;
  let record: PromotionRecord;
  if (options.pr !== true && readProduction(registry, config.name)?.version === version) {
    record = { ...base, unchanged: true, reason: `${version} already is production` };
  } else if (options.pr !== true) {
    const pointer = rollbackTo(registry, config.name, version, { by: { pullRequest: null, branch: null, commit: null, run: workflowRunUrl(env) } });
    const dir = path.join(modelDir(registry, config.name), version);
    record = { ...base, promoted: true, dir: path.relative(process.cwd(), dir) || dir, previous: pointer.previous, reason };
  } else {
    const promotedAt = lastRecordOf(registry, config.name, version)?.at ?? 'an unrecorded time';
    const change = await proposeByPullRequest(ctx, options, {
      kind: 'rollback',
      apply: (tree, by, where) => {
        const current = readProduction(tree, config.name);
        if (current?.version === version) throw new Unchanged(version);
        const pointer = rollbackTo(tree, config.name, version, { by });
        if (pointer.previous === null) throw new UserError(`nothing to roll back on${where}`);
        return { version, previous: pointer.previous };
      },
      title: () => `Roll back ${config.name} to ${version}`,
      body: (_v, previous, links) =>
        [
          `## ct: roll back ${config.name} to \`${version}\``,
          '',
          `Merging this pull request makes \`${version}\` (promoted ${promotedAt}) the production model of **${config.name}** again, replacing \`${previous}\`. Its files are verified against the checksums recorded when it was promoted.`,
          '',
          `[Model card of ${version}](${links.modelCard}) · [its evaluation report](${links.fullReport})${links.run === null ? '' : ` · [workflow run](${links.run})`}`,
        ].join('\n'),
      verdict: { passed: true, title: `rollback to ${version}`, summary: `Production of ${config.name} goes back to ${version}; no new model is involved.` },
      trainingCommit: null,
    }).catch((error: unknown) => {
      if (error instanceof Unchanged) return null;
      throw error;
    });
    record = change === null ? { ...base, unchanged: true, reason: `${version} already is production` } : { ...base, promoted: true, ...change, reason };
  }
  writeJson(artifactPaths(ctx.outDir).promotion, record);
  ctx.logger.info(
    record.unchanged ? `not rolled back: ${record.reason}` : record.pullRequest === null ? `rolled back ${config.name} to ${version} (was ${record.previous})` : `rollback of ${config.name} to ${version} proposed: ${record.pullRequest.url}`,
  );
  return record;
}

interface ProposedChange {
  kind: 'promote' | 'rollback';
  /** Changes the registry folder of a worktree; returns the version that becomes production and the one it replaces. */
  apply: (registry: string, by: Provenance, where: string) => { version: string; previous: string | null };
  title: (version: string) => string;
  body: (version: string, previous: string | null, links: { modelCard: string; fullReport: string; run: string | null }) => string;
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
  let applied: { version: string; previous: string | null } | null = null;
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

  let sha = await commit(existing?.number ?? null);
  faultPoint('promote: branch pushed');
  let pull: PullRequest;
  let created = false;
  const done = (): { version: string; previous: string | null } => {
    if (applied === null) throw new Error('promotion commit made without applying the change');
    return applied;
  };
  const links = (commitSha: string) => {
    const folder = `${target.serverUrl}/${target.owner}/${target.repo}/blob/${commitSha}/${registryInRepo.split(path.sep).join('/')}/${config.name}/${done().version}`;
    return { modelCard: `${folder}/MODEL_CARD.md`, fullReport: `${folder}/evaluation.md`, run: target.runUrl };
  };
  if (existing === null) {
    const opened = await api.createPull({ title: change.title(done().version), body: change.body(done().version, done().previous, links(sha)), head: branch, base });
    pull = opened.pull;
    created = opened.created;
    // The history line names the pull request: now that it has a number, commit again with it
    // (unless another run has pushed the branch since: then that run's proposal stands).
    sha = await commit(pull.number, sha);
    await api.updatePull(pull.number, { title: change.title(done().version), body: change.body(done().version, done().previous, links(sha)) });
  } else {
    pull = existing;
    await api.updatePull(pull.number, { title: change.title(done().version), body: change.body(done().version, done().previous, links(sha)) });
  }
  await api.addLabels(pull.number, promotion.labels);
  const how = await api.reportVerdict(sha, {
    name: VERDICT_NAME,
    passed: change.verdict.passed,
    title: change.verdict.title,
    summary: fitToLimit(change.verdict.summary, CHECK_RUN_SUMMARY_LIMIT, links(sha).fullReport),
    detailsUrl: target.runUrl,
  });
  ctx.logger.debug(`gate verdict reported on ${sha} as a ${how}`);
  appendJobSummary(env, `## ct: ${change.title(done().version)}\n\nPull request [#${pull.number}](${pull.url}) ${created ? 'opened' : 'updated'}.`);
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

function sameModel(candidate: Record<string, string>, productionDir: string): boolean {
  const pick = (locate: (name: string) => string): Record<string, string> => Object.fromEntries(PREDICTIVE_FILES.map((n) => [n, locate(n)]));
  try {
    return hashFiles(pick((n) => candidate[n]!)) === hashFiles(pick((n) => path.join(productionDir, n)));
  } catch {
    // A production folder with missing files cannot be the same model.
    return false;
  }
}
