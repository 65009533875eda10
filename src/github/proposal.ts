/**
 * The pull request of a promotion branch: opened once, then updated in place by every
 * rerun. Its text names the commit it carries (links into the tree at that commit).
 */
import type { GitHubApi, PullRequest } from './api.js';

/** Title and body of a pull request. */
export interface PullText {
  title: string;
  body: string;
}

/**
 * Opens the pull request of `head` into `base`, or updates `existing`, with the text for
 * the pushed commit `sha`. A new pull request has a number only once opened: `recommit`
 * makes the commit again with it (refusing if the branch is no longer at `sha`), and the
 * text is updated for that commit. Returns the pull request and the commit it ends on.
 */
export async function openOrUpdatePull(
  api: GitHubApi,
  input: {
    existing: PullRequest | null;
    head: string;
    base: string;
    sha: string;
    text: (sha: string) => PullText;
    recommit: (pullRequest: number, branchAt: string) => Promise<string>;
  },
): Promise<{ pull: PullRequest; created: boolean; sha: string }> {
  const { existing, head, base, text } = input;
  if (existing !== null) {
    await api.updatePull(existing.number, text(input.sha));
    return { pull: existing, created: false, sha: input.sha };
  }
  const opened = await api.createPull({ ...text(input.sha), head, base });
  // The history line names the pull request: now that it has a number, commit again with it
  // (unless another run has pushed the branch since: then that run's proposal stands).
  const sha = await input.recommit(opened.pull.number, input.sha);
  await api.updatePull(opened.pull.number, text(sha));
  return { pull: opened.pull, created: opened.created, sha };
}
