/**
 * The registry side of `ct promote` and `ct rollback`: a candidate is published only while
 * production is the model it was evaluated against and not this very model; a rollback on
 * a promotion branch refuses when there is nothing to change. Also the promotion record
 * both commands start from.
 */
import path from 'node:path';
import { MODULE_FILE, type PromotionRecord } from '../artifacts.js';
import { UserError } from '../errors.js';
import { hashFiles, modelDir, type ProductionPointer, type Provenance, publishVersion, readProduction, rollbackTo } from './registry.js';

/** The files that decide predictions; lineage (training.json) differs on every run. */
const PREDICTIVE_FILES = ['model.json', 'weights.bin', 'preprocessing.json'] as const;

/** Nothing to promote: production already is this model. Not an error. */
export class Unchanged extends Error {
  constructor(readonly version: string) {
    super(`identical to production version ${version} (same weights and preprocessing)`);
  }
}

/** The version that becomes production and the one it replaces. */
export interface ProductionChange {
  version: string;
  previous: string | null;
}

/** The record of a promotion or rollback of `model` that changed nothing (yet); callers fill in what happened. */
export function notPromoted(model: string, version: string | null): PromotionRecord {
  return { promoted: false, unchanged: false, model, version, dir: null, previous: null, reason: '', pullRequest: null, branch: null, commit: null };
}

/** The folder of `version`, relative to the working directory (absolute when that is the folder itself). */
export function versionFolder(registry: string, model: string, version: string): string {
  const dir = path.join(modelDir(registry, model), version);
  return path.relative(process.cwd(), dir) || dir;
}

export interface CandidateInput {
  registry: string;
  model: string;
  /** The candidate's model files (name -> path): what is compared with production. */
  candidate: Record<string, string>;
  /** Everything the version folder holds (name -> path). */
  files: Record<string, string>;
  /** The production version the gates compared the candidate with (null: none). */
  evaluatedAgainst: string | null;
  when: Date;
  by: Provenance;
  /** Where production is, for messages: '' for the working tree, ` on <base>` for a branch. */
  where: string;
}

/**
 * Publishes a candidate into `registry`. Throws `Unchanged` when production already is
 * this very model, and refuses when production is not the version the gates compared
 * the candidate with.
 */
export function publishCandidate(input: CandidateInput): ProductionChange {
  const { registry, model, candidate, evaluatedAgainst, where } = input;
  // Checked while the model is locked: no other run can promote between the check and the change.
  const check = (production: ProductionPointer | null): void => {
    if (production !== null && sameModel(candidate, path.join(modelDir(registry, model), production.version))) throw new Unchanged(production.version);
    // The gates compared with one production model; if another has been promoted since, they say nothing about it.
    if ((production?.version ?? null) !== evaluatedAgainst) {
      throw new UserError(
        `production${where} is ${production?.version ?? 'empty'} but the candidate was evaluated against ${evaluatedAgainst ?? 'no production model'}: run \`ct evaluate\` again before promoting`,
      );
    }
  };
  const published = publishVersion({ registry, model, files: input.files, when: input.when, by: input.by, check });
  return { version: published.version, previous: published.pointer.previous };
}

/**
 * Rolls production of `model` in `registry` (a promotion branch's worktree) back to
 * `version`. Throws `Unchanged` when it already is production; refuses when there was
 * no production before it to replace (`where` names the branch).
 */
export function rollbackOnBranch(registry: string, model: string, version: string, by: Provenance, where: string): ProductionChange {
  const current = readProduction(registry, model);
  if (current?.version === version) throw new Unchanged(version);
  const pointer = rollbackTo(registry, model, version, { by });
  if (pointer.previous === null) throw new UserError(`nothing to roll back on${where}`);
  return { version, previous: pointer.previous };
}

function sameModel(candidate: Record<string, string>, productionDir: string): boolean {
  // A model module decides predictions too: a candidate with one is compared with it.
  const names = MODULE_FILE in candidate ? [...PREDICTIVE_FILES, MODULE_FILE] : PREDICTIVE_FILES;
  const pick = (locate: (name: string) => string): Record<string, string> => Object.fromEntries(names.map((n) => [n, locate(n)]));
  try {
    return hashFiles(pick((n) => candidate[n]!)) === hashFiles(pick((n) => path.join(productionDir, n)));
  } catch {
    // A production folder with missing files cannot be the same model.
    return false;
  }
}
