/**
 * `ct models`: the models of a repository, and which of them a change should retrain.
 * The workflow's plan job runs it (as the `models` action) and fans the chosen models out
 * as a matrix; a schedule or a dispatch without a model runs them all.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type ChosenModel, changedModels, type ModelWatch, type RepositoryModel, repositoryModels } from '../config/models.js';
import { UserError } from '../errors.js';
import { findRepositoryRoot } from '../files.js';
import { gitAt } from '../github/git.js';

/** What decides the models of a run. */
export interface ModelsRequest {
  /** The repository (or a folder in it). */
  dir: string;
  /** The model configs (relative to the repository); default: every model config at its root. */
  configs?: string[];
  /** One model, by its config file (relative to the repository): a dispatch that names it. */
  model?: string;
  /** The change to plan for: the files between these two commits. Absent: every model. */
  change?: { from: string; to: string };
  /** Paths every model depends on (ct's own source, in ct's repository). */
  shared?: string[];
  /** Models whose inputs changed (to retrain them, the default), or whose production pointer did (to release them). */
  watch?: ModelWatch;
}

/** The models chosen, each with why. */
export interface ModelsPlan {
  root: string;
  all: RepositoryModel[];
  chosen: ChosenModel[];
  /** One line on how the models were chosen. */
  reason: string;
}

/** A commit id that names no commit: the `before` of a push that created its branch. */
const NO_COMMIT = /^0+$/;

/** The repository's models and the ones `request` runs. */
export async function planModels(request: ModelsRequest): Promise<ModelsPlan> {
  const root = findRepositoryRoot(request.dir) ?? path.resolve(request.dir);
  const watch = request.watch ?? 'inputs';
  // Only a model in production has a version to release.
  const all = repositoryModels(root, request.configs).filter((m) => watch === 'inputs' || existsSync(path.join(root, m.production)));
  if (all.length === 0 && watch === 'production') return { root, all, chosen: [], reason: 'no model has a production version' };
  if (all.length === 0) throw new UserError(`${root}: no model config (ct.config.yaml or ct.<model>.yaml) at the repository's root; ct init writes one`);
  if (request.model !== undefined && request.model !== '') {
    const wanted = request.model.replace(/^\.\//, '');
    const model = all.find((m) => m.config === wanted);
    if (model === undefined) throw new UserError(`model: ${request.model} is not a model config of this repository (${all.map((m) => m.config).join(', ')})`);
    return { root, all, chosen: [{ ...model, because: 'named' }], reason: `the model ${model.name} was named` };
  }
  const every = (reason: string): ModelsPlan => ({ root, all, chosen: all.map((m) => ({ ...m, because: reason })), reason });
  if (request.change === undefined) return every('every model runs');
  const { from, to } = request.change;
  if (NO_COMMIT.test(from)) return every('every model runs: the push created the branch');
  let changed: string[];
  try {
    const diff = await gitAt(root).raw(['diff', '--name-only', '--no-renames', '-z', from, to, '--']);
    changed = diff.split('\0').filter((f) => f !== '');
  } catch {
    // A force-push can leave `from` unknown here; retraining too much is safe, too little is not.
    return every(`every model runs: the change ${from.slice(0, 12)}..${to.slice(0, 12)} cannot be listed`);
  }
  const chosen = changedModels(all, changed, request.shared ?? [], watch);
  const counted = `${changed.length} changed file${changed.length === 1 ? '' : 's'}`;
  const touch = changed.length === 1 ? 'touches' : 'touch';
  return { root, all, chosen, reason: `${counted} ${touch} ${chosen.length === 0 ? 'no model' : chosen.map((m) => m.name).join(', ')}` };
}

/** Lines that show a plan to a person: each model, whether it runs, and why. */
export function describePlan(plan: ModelsPlan): string[] {
  const width = Math.max(...plan.all.map((m) => m.name.length));
  const configWidth = Math.max(...plan.all.map((m) => m.config.length));
  return [
    plan.reason,
    ...plan.all.map((m) => {
      const chosen = plan.chosen.find((c) => c.config === m.config);
      const verdict =
        chosen === undefined ? 'skip' : chosen.because === 'named' || chosen.because.startsWith('every') ? 'run' : `run (${chosen.because} changed)`;
      return `${m.name.padEnd(width)}  ${m.config.padEnd(configWidth)}  ${verdict}; reads ${m.reads.join(', ')}`;
    }),
  ];
}
