/** Lineage facts recorded with every model: the git commit and package versions. */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { simpleGit } from 'simple-git';

/** The commit, branch and dirtiness of the repository holding `dir`; null outside a repository. */
export async function gitInfo(dir: string): Promise<{ commit: string; branch: string | null; dirty: boolean } | null> {
  try {
    const git = simpleGit({ baseDir: dir });
    if (!(await git.checkIsRepo())) return null;
    const commit = (await git.revparse(['HEAD'])).trim();
    const status = await git.status();
    return { commit, branch: status.current ?? null, dirty: !status.isClean() };
  } catch {
    // No git binary, or a repository without commits: lineage without a commit.
    return null;
  }
}

let ctVersion: string | undefined;

/** Versions of ct and of the TF.js packages in use. */
export function packageVersions(): Record<string, string> {
  ctVersion ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  const versions: Record<string, string> = { ct: ctVersion, node: process.versions.node };
  for (const [name, version] of Object.entries(tf.version)) versions[`@tensorflow/${name}`] = version;
  return versions;
}
