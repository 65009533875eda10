/**
 * `ct init --upgrade`: the workflows of a repository pinned to another release of ct's
 * bundled actions. Pure: workflow text in, workflow text and what changed out.
 */

/** A commit of ct's bundled actions, as a workflow pins it. */
export interface ActionsPin {
  repo: string;
  sha: string;
  /** The release's version (`v1.2.3`), written as the pin's comment. */
  version: string;
}

/** The pins of one workflow before the upgrade (`owner/repo@sha # version`) and how many steps each had. */
export type ReplacedPins = Map<string, number>;

const PINNED = /^(\s*(?:-\s+)?uses:\s*)([\w.-]+\/[\w.-]+)\/actions\/([\w-]+)@([0-9a-f]{40})(?:[ \t]+#[ \t]*(\S+))?[ \t]*$/;

/**
 * `text` with every step that uses one of ct's `stages` from a repository at a commit
 * (`<owner>/<repo>/actions/<stage>@<sha> # <version>`) pinned to `target`, and the pins it
 * replaced. Other actions and ct's actions from node_modules stay as they are.
 */
export function repinWorkflow(text: string, stages: readonly string[], target: ActionsPin): { text: string; replaced: ReplacedPins } {
  const replaced: ReplacedPins = new Map();
  const lines = text.split('\n').map((line) => {
    const m = PINNED.exec(line);
    if (m === null || !stages.includes(m[3]!)) return line;
    const [, prefix, repo, stage, sha, version] = m;
    const from = `${repo}@${sha}${version === undefined ? '' : ` # ${version}`}`;
    replaced.set(from, (replaced.get(from) ?? 0) + 1);
    return `${prefix}${target.repo}/actions/${stage}@${target.sha} # ${target.version}`;
  });
  return { text: lines.join('\n'), replaced };
}
