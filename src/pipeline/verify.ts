/**
 * `ct verify`: does a version in the registry hold what its pull request claims? Its
 * files must match the recorded checksums, it must load, and scoring it (and the model
 * it was compared with) again on the recorded evaluation rows (the evaluation days of a
 * time split; the same files, split again, for a hash split or one file) must give the
 * metrics in its `evaluation.json`. Run by verify.yml on every pull request that touches models/.
 */
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fingerprintFiles, hashSplitRows, loadDataset } from '../data/dataset.js';
import { displayPath } from '../data/files.js';
import { listPartitions } from '../data/partitions.js';
import { readTables } from '../data/read.js';
import { type Table, takeRows } from '../data/table.js';
import { UserError } from '../errors.js';
import { makeFolder, readJson, sha256File, sha256Of, writeJson } from '../files.js';
import { GUARD_METRICS, type Metrics, weightedMetrics } from '../evaluate/metrics.js';
import { checkRecordedChecksums, modelDir, readProduction } from '../registry/registry.js';
import { changedPaths, mergeBase, type RegistryTree, registryTree, repositoryRoot, resolveCommit } from '../registry/git-tree.js';
import { checkProposal } from '../registry/proposal.js';
import { regateRecord } from '../evaluate/compare.js';
import { selectBackend } from '../train/backend.js';
import { type EvaluationRecord, MODULE_FILE } from '../artifacts.js';
import { configuredModule } from '../train/module.js';
import { dataSource, registryPath, type StageContext } from './context.js';
import { loadModel, scoreSameRows } from '../evaluate/score.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Largest difference between a recorded and a recomputed metric that counts as equal. */
export const VERIFY_TOLERANCE = 1e-6;

export interface VerificationRecord {
  ok: boolean;
  model: string;
  version: string;
  /** One line per check, passed or not. */
  checks: Array<{ check: string; ok: boolean; message: string }>;
}

/** Records one check, passed or not. */
type Check = (name: string, ok: boolean, message: string) => void;

/** An empty verification of `version` and the function that records its checks. */
function startVerification(model: string, version: string): { record: VerificationRecord; check: Check } {
  const record: VerificationRecord = { ok: true, model, version, checks: [] };
  const check: Check = (name, ok, message) => {
    record.checks.push({ check: name, ok, message });
    if (!ok) record.ok = false;
  };
  return { record, check };
}

/** Verifies `version` (default: the production version) of the config's model. */
export async function runVerify(ctx: StageContext, version?: string): Promise<VerificationRecord> {
  const { config } = ctx.loaded;
  const registry = registryPath(ctx);
  const pointer = readProduction(registry, config.name);
  const target = version ?? pointer?.version;
  if (target === undefined) throw new UserError(`registry: ${config.name} has no production model to verify`);
  const { record, check } = startVerification(config.name, target);
  /** The folder of `v` when its files match their recorded checksums, else null. */
  const verified = (v: string): string | null => {
    const { dir, message } = checkRecordedChecksums(registry, config.name, v, pointer);
    check(`checksums of ${v}`, dir !== null, message);
    return dir;
  };

  const dir = verified(target);
  if (dir !== null) {
    const evaluation = readJson<EvaluationRecord>(path.join(dir, 'evaluation.json'), `evaluation of ${target}`);
    const baselineDir =
      evaluation.baseline === null
        ? null
        : existsSync(path.join(modelDir(registry, config.name), evaluation.baseline.version))
          ? verified(evaluation.baseline.version)
          : null;
    if (evaluation.baseline !== null && baselineDir === null && !record.checks.some((c) => c.check === `checksums of ${evaluation.baseline!.version}`)) {
      check('baseline', false, `the model it was compared with, ${evaluation.baseline.version}, is not in the registry`);
    }
    await checkMetrics(ctx, check, { version: target, dir, baselineDir, evaluation });
  }
  return finishVerification(ctx, record);
}

/** Where the pull request under verification comes from, by the Actions event; null outside one. */
interface ProposalSource {
  headRepository: string;
  baseRepository: string;
  headRef: string;
}

/** The pull request of the Actions event in `env` (pull_request or pull_request_target), or null. */
export function proposalSource(env: NodeJS.ProcessEnv): ProposalSource | null {
  if (!['pull_request', 'pull_request_target'].includes(env.GITHUB_EVENT_NAME ?? '') || env.GITHUB_EVENT_PATH === undefined) return null;
  const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as {
    pull_request?: { head?: { ref?: string; repo?: { full_name?: string } | null }; base?: { repo?: { full_name?: string } } };
  };
  const pr = event.pull_request;
  return { headRepository: pr?.head?.repo?.full_name ?? '(deleted)', baseRepository: pr?.base?.repo?.full_name ?? '', headRef: pr?.head?.ref ?? '' };
}

/**
 * Verifies a proposed registry change at commit `head` with the code, config and gates of
 * the checkout (the base branch): the pull request's files are read as git objects and
 * never executed. Where it comes from (same repository, the model's promotion branch), what
 * it changes (registry.proposal), the base branch's gates on its recorded evaluation, and
 * the re-score of the new version and of the base branch's production on the recorded rows.
 */
export async function runVerifyProposal(ctx: StageContext, head: string, env: NodeJS.ProcessEnv = process.env): Promise<VerificationRecord> {
  const { config } = ctx.loaded;
  const { record, check } = startVerification(config.name, '(none)');
  const registry = registryPath(ctx);
  const repo = repositoryRoot(ctx.loaded.baseDir);
  // Both real paths: a temporary folder may be reached through a link (/tmp on macOS).
  const within = path.relative(realpathSync(repo), realpathSync(ctx.loaded.baseDir));
  const folder = path
    .normalize(path.join(within, path.relative(ctx.loaded.baseDir, registry), config.name))
    .split(path.sep)
    .join('/');
  if (folder.startsWith('..')) throw new UserError(`registry ${displayPath(registry)} is outside the git repository ${repo}: a pull request cannot propose it`);
  const baseCommit = resolveCommit(repo, 'HEAD');
  const headCommit = resolveCommit(repo, head);
  const source = proposalSource(env);
  const branch = `${config.promotion.branchPrefix}/${config.name}`;
  if (source !== null) {
    const same = source.headRepository === source.baseRepository;
    check(
      'source',
      same && source.headRef === branch,
      same ? `branch ${source.headRef}; promotions come from ${branch}` : `from ${source.headRepository}, a fork`,
    );
  }
  const base = registryTree(repo, baseCommit, folder);
  const proposed = registryTree(repo, headCommit, folder);
  const verdict = checkProposal({
    model: config.name,
    folder,
    changed: changedPaths(repo, mergeBase(repo, baseCommit, headCommit), headCommit),
    base,
    head: proposed,
  });
  for (const c of verdict.checks) check(c.check, c.ok, c.message);
  record.version = verdict.version ?? '(none)';
  if (verdict.version !== null) checkProposedModule(ctx, check, proposed, verdict.version);
  if (record.ok && verdict.evaluation !== null && verdict.version !== null) {
    const gates = regateRecord(config.gates, verdict.evaluation);
    check('gates of the base branch', gates.ok, gates.ok ? `${gates.checks.length} checks pass` : gates.failures.map((f) => f.message).join('; '));
    const scratch = mkdtempSync(path.join(tmpdir(), 'ct-verify-'));
    try {
      const dir = materialise(proposed, verdict.version, path.join(scratch, 'proposed'));
      const baselineDir = verdict.baseProduction === null ? null : materialise(base, verdict.baseProduction, path.join(scratch, 'production'));
      await checkMetrics(ctx, check, { version: verdict.version, dir, baselineDir, evaluation: verdict.evaluation });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return finishVerification(ctx, record);
}

/**
 * Scoring a version that carries a model module runs it: only a module byte for byte the
 * base branch's own (the file its config names) may run. Code from a pull request never does.
 */
function checkProposedModule(ctx: StageContext, check: Check, tree: RegistryTree, version: string): void {
  const name = `${version}/${MODULE_FILE}`;
  if (!tree.files.has(name)) return;
  const proposed = sha256Of(tree.read(name));
  const module = configuredModule(ctx.loaded.config, ctx.loaded.baseDir);
  if (module === null || !existsSync(module)) {
    check(
      'model module',
      false,
      `${version} carries ${MODULE_FILE}, but the base branch's config names no model module: code from a pull request is never run`,
    );
    return;
  }
  const base = sha256File(module);
  check(
    'model module',
    proposed === base,
    proposed === base
      ? `${MODULE_FILE} is the base branch's ${displayPath(module)}`
      : `${MODULE_FILE} differs from the base branch's ${displayPath(module)} (${proposed.slice(0, 19)}… vs ${base.slice(0, 19)}…): code from a pull request is never run`,
  );
}

/** The files of `version` in `tree` written to `dir` (their names were checked as plain names), for loading. */
function materialise(tree: RegistryTree, version: string, dir: string): string {
  makeFolder(dir);
  for (const name of tree.files.keys()) if (name.startsWith(`${version}/`)) writeFileSync(path.join(dir, name.slice(version.length + 1)), tree.read(name));
  return dir;
}

/** Writes verification.json and logs each check. */
function finishVerification(ctx: StageContext, record: VerificationRecord): VerificationRecord {
  writeJson(path.join(ctx.outDir, 'verification.json'), record);
  for (const c of record.checks) {
    if (c.ok) ctx.logger.info(`ok: ${c.check}: ${c.message}`);
    else ctx.logger.warning(`FAILED: ${c.check}: ${c.message}`);
  }
  return record;
}

/**
 * Scores `version` (in `dir`) and the model it was compared with (in `baselineDir`) again
 * on the recorded evaluation rows and checks the metrics against the recorded ones; rows
 * that cannot be read again are a failed check.
 */
async function checkMetrics(
  ctx: StageContext,
  check: Check,
  { version, dir, baselineDir, evaluation }: { version: string; dir: string; baselineDir: string | null; evaluation: EvaluationRecord },
): Promise<void> {
  let rows: Table | null = null;
  try {
    rows = await recordedEvaluationRows(ctx, evaluation);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    check('evaluation data', false, error.message);
  }
  if (rows === null) return;
  await selectBackend(ctx.backend ?? ctx.loaded.config.training.backend, ctx.logger);
  const scored = await rescore(dir, baselineDir, rows, evaluation);
  compare(check, `metrics of ${version}`, evaluation.candidate.metrics, scored.candidate, scored.rows, evaluation.rows);
  if (evaluation.baseline !== null && scored.baseline !== null)
    compare(
      check,
      `metrics of ${evaluation.baseline.version} (the model it was compared with)`,
      evaluation.baseline.metrics,
      scored.baseline,
      scored.rows,
      evaluation.rows,
    );
}

/**
 * The evaluation rows of a recorded evaluation, read again. A `UserError` says why they
 * cannot be (the caller records it as a failed check):
 * - a time split of a folder: the recorded evaluation days, every row (newer days may have
 *   arrived since; they are not read);
 * - a hash split of a folder: the recorded days, split again by the config's seed and
 *   fraction, when the files are the bytes the evaluation read (same fingerprint);
 * - one file: split again as the evaluation did, when its bytes are unchanged.
 */
async function recordedEvaluationRows(ctx: StageContext, evaluation: EvaluationRecord): Promise<Table> {
  const { data } = ctx.loaded.config;
  const source = dataSource(ctx);
  const parts = evaluation.data.parts;
  if (parts.length > 0 && parts.every((p) => DAY.test(p))) {
    const byDay = new Map(listPartitions(source).map((p) => [p.date, p.file]));
    const missing = parts.filter((d) => !byDay.has(d));
    if (missing.length > 0) throw new UserError(`partitions ${missing.join(', ')} of the evaluation are not in ${data.path}`);
    const files = parts.map((d) => byDay.get(d)!);
    const table = await readTables(files, data.format === undefined ? {} : { format: data.format });
    if (data.split.method === 'time') return table;
    if (fingerprintFiles(files) !== evaluation.data.fingerprint)
      throw new UserError(`the partitions of ${data.path} the evaluation read (${parts[0]} .. ${parts.at(-1)}) have changed since`);
    return takeRows(table, hashSplitRows(table, data.split).evaluation);
  }
  if (parts.length !== 1) throw new UserError('the evaluation recorded no data it read');
  const dataset = await loadDataset(data, source);
  if (dataset.fingerprint !== evaluation.data.fingerprint)
    throw new UserError(`${displayPath(source)} has changed since the evaluation read it (its fingerprint differs)`);
  return takeRows(dataset.table, dataset.evaluationRows);
}

/** Scores the version (and its baseline) as `ct evaluate` did: the version's labels for both. */
async function rescore(
  dir: string,
  baselineDir: string | null,
  table: Table,
  evaluation: EvaluationRecord,
): Promise<{ rows: number; candidate: Metrics; baseline: Metrics | null }> {
  const candidate = await loadModel(dir, 'model');
  const baseline = baselineDir === null ? null : await loadModel(baselineDir, 'baseline model');
  try {
    const options = { threshold: evaluation.settings?.threshold ?? 0.5, calibrationBins: evaluation.settings?.calibrationBins ?? 10, classes: candidate.width };
    const scored = scoreSameRows(table, candidate, baseline, options, `the model it was compared with, ${evaluation.baseline?.version},`);
    return {
      rows: scored.selected.length,
      candidate: weightedMetrics(scored.candidate, null),
      baseline: scored.production === null ? null : weightedMetrics(scored.production, null),
    };
  } finally {
    candidate.model.dispose();
    baseline?.model.dispose();
  }
}

function compare(check: Check, name: string, recorded: Metrics, recomputed: Metrics, rows: number, recordedRows: number): void {
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
  check(
    name,
    differences.length === 0,
    differences.length === 0
      ? `${Object.keys(recorded).filter((m) => !GUARD_METRICS.includes(m)).length} metrics reproduce on ${rows} rows`
      : differences.join('; '),
  );
}
