/**
 * What each policy of a replay serves as the steps go: "never retrain" keeps the first
 * production model, "always retrain" the newest candidate, "gated" what production is.
 * Pure: the replay reads production from its registry and passes it in.
 */
import { POLICIES, type Policy } from './schedule.js';

/** A model a policy serves: its name in the report and its folder. */
export interface ServedModel {
  key: string;
  dir: string;
}

/** The model of each policy; null: none yet. */
export type Served = Record<Policy, ServedModel | null>;

/** Before the first step nothing is served. */
export const NOTHING_SERVED: Served = { never: null, always: null, gated: null };

/**
 * What the policies serve after a step: `production` as the step left it, and the step's
 * `candidate` when it trained one (null when it stopped before training).
 */
export function nextServed(before: Served, production: ServedModel | null, candidate: ServedModel | null): Served {
  return { never: before.never ?? production, always: candidate ?? before.always, gated: production };
}

/** The served models by name, as the step record keeps them. */
export function servedKeys(served: Served): Record<Policy, string | null> {
  return { never: served.never?.key ?? null, always: served.always?.key ?? null, gated: served.gated?.key ?? null };
}

/** The folders of the served models (a folder serving several policies once per policy). */
export function servedDirs(served: Served): string[] {
  return POLICIES.flatMap((policy) => {
    const model = served[policy];
    return model === null ? [] : [model.dir];
  });
}
