/**
 * `ct release` and `ct deploy`: after a promotion is merged, the production version leaves
 * the repository as a release (src/registry/release.ts), and a serving host installs it
 * into the registry `ct serve` reads, which swaps it in as it does any change of production.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EvaluationRecord } from '../artifacts.js';
import { displayPath } from '../data/files.js';
import { UserError } from '../errors.js';
import { headlineMetric } from '../evaluate/metrics.js';
import { type DeployResult, folderSource, installRelease, type ReleaseManifest, releaseTag, urlSource, writeRelease } from '../registry/release.js';
import { registryPath, type StageContext } from './context.js';

/** What `ct release` wrote. */
export interface ReleaseResult extends ReleaseManifest {
  /** The tag to publish it under: `<model>-<version>`. */
  tag: string;
  /** The folder of the release's files (every file in it is an asset). */
  dir: string;
  /** Release notes in Markdown, beside the folder. */
  notes: string;
}

/** `ct release`: the config's production version as release files in `<out>/release/`, notes in `<out>/release-notes.md`. */
export function runRelease(ctx: StageContext): ReleaseResult {
  const { config } = ctx.loaded;
  const registry = registryPath(ctx);
  const dir = path.join(ctx.outDir, 'release');
  // ct's own output folder: last run's release goes, so every file in it belongs to this one.
  rmSync(dir, { recursive: true, force: true });
  const manifest = writeRelease(registry, config.name, dir);
  const notes = path.join(ctx.outDir, 'release-notes.md');
  writeFileSync(notes, releaseNotes(manifest, evaluationOf(path.join(dir, 'evaluation.json'))));
  const tag = releaseTag(manifest);
  ctx.logger.info(`release ${tag}: ${Object.keys(manifest.files).length} files and their sha256 in ${displayPath(dir)}`);
  return { ...manifest, tag, dir, notes };
}

function evaluationOf(file: string): EvaluationRecord | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as EvaluationRecord;
  } catch {
    return null;
  }
}

/** The release's notes: what it is, where it came from, and its headline metric against the production it replaced. */
export function releaseNotes(m: ReleaseManifest, evaluation: EvaluationRecord | null): string {
  const lines = [`Production version of **${m.model}**: \`${m.version}\`, promoted ${m.promotedAt}.`, ''];
  if (m.previous !== null) lines.push(`It replaces \`${m.previous}\`.`, '');
  const by = [
    m.by.pullRequest === null ? null : `pull request #${m.by.pullRequest}`,
    m.by.commit === null ? null : `trained from ${m.by.commit.slice(0, 12)}`,
    m.by.run === null ? null : `[workflow run](${m.by.run})`,
  ].filter((x) => x !== null);
  if (by.length > 0) lines.push(`Promoted by ${by.join(', ')}.`, '');
  if (evaluation !== null) {
    const metric = headlineMetric(evaluation.task).name;
    const value = evaluation.candidate.metrics[metric];
    const delta = evaluation.deltas[metric];
    if (typeof value === 'number') {
      lines.push(
        `${metric} ${value.toFixed(4)} on ${evaluation.rows} evaluation rows` +
          (evaluation.baseline === null || delta === undefined
            ? ' (no production model to compare).'
            : `, ${delta.value >= 0 ? '+' : ''}${delta.value.toFixed(4)} against ${evaluation.baseline.version}.`),
        '',
      );
    }
  }
  lines.push(
    '`release.json` records the sha256 of every file; check them with `sha256sum -c SHA256SUMS`, or install the release with `ct deploy <folder or URL>`.',
  );
  return `${lines.join('\n')}\n`;
}

/**
 * `ct deploy <source>`: installs the release in a folder or at an http(s) base URL into the
 * config's registry (see `installRelease`).
 */
export async function runDeploy(ctx: StageContext, source: string): Promise<DeployResult> {
  const registry = registryPath(ctx);
  let from;
  if (/^https?:\/\//.test(source)) from = urlSource(source);
  else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) throw new UserError(`ct deploy: ${source}: expected a folder or an http(s) URL`);
  else from = folderSource(path.resolve(source));
  const result = await installRelease(registry, from);
  ctx.logger.info(
    result.outcome === 'unchanged'
      ? `${result.model} ${result.version} already is production in ${displayPath(registry)}`
      : `${result.model} ${result.version} is production in ${displayPath(registry)} (${result.outcome}; was ${result.previous ?? 'none'}); ct serve swaps it in at its next look`,
  );
  return result;
}
