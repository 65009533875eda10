/**
 * `ct promote` (local): copy the evaluated candidate into the registry and point
 * production at it — only when its evaluation passed the gates and is about this
 * very candidate (same content hash).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { readJson, writeJson } from '../files.js';
import { hashFiles, modelDir, publishVersion, readProduction } from '../registry/registry.js';
import { modelCardMarkdown } from '../report/markdown.js';
import { artifactPaths, type EvaluationRecord, type PromotionRecord, type StageContext, type TrainingRecord } from './artifacts.js';
import { modelFiles, registryPath } from './evaluate.js';

/** The files that decide predictions; lineage (training.json) differs on every run. */
const PREDICTIVE_FILES = ['model.json', 'weights.bin', 'preprocessing.json'] as const;

/**
 * Promotes the candidate of `<out>/model`. Not promoted when the gates failed, or
 * (`unchanged`) when production already is this very model.
 */
export function runPromote(ctx: StageContext): PromotionRecord {
  const record = decideAndPublish(ctx);
  writeJson(artifactPaths(ctx.outDir).promotion, record);
  if (record.promoted) ctx.logger.info(`promoted ${record.model} ${record.version} to production (${record.reason}); registry: ${record.dir}`);
  else if (record.unchanged) ctx.logger.info(`not promoted: ${record.reason}`);
  else ctx.logger.warning(`not promoted: ${record.reason}`);
  return record;
}

function decideAndPublish(ctx: StageContext): PromotionRecord {
  const { config } = ctx.loaded;
  const paths = artifactPaths(ctx.outDir);
  const evaluation = readJson<EvaluationRecord>(paths.evaluation, 'evaluation (run `ct evaluate` first)');
  const notPromoted = { promoted: false, model: config.name, dir: null, previous: null };
  if (evaluation.model !== config.name) throw new UserError(`${paths.evaluation} is about model "${evaluation.model}", the config names "${config.name}"`);
  if (!evaluation.ok) {
    return { ...notPromoted, unchanged: false, version: null, reason: `gates failed: ${evaluation.failures.map((f) => f.message).join('; ')}` };
  }
  const files = modelFiles(paths.modelDir);
  if (hashFiles(files) !== evaluation.candidate.contentHash) {
    throw new UserError(`${paths.modelDir} changed since it was evaluated: run \`ct evaluate\` again before promoting`);
  }
  const registry = registryPath(ctx);
  const production = readProduction(registry, config.name);
  if (production !== null && sameModel(files, path.join(modelDir(registry, config.name), production.version))) {
    return { ...notPromoted, unchanged: true, version: production.version, reason: `identical to production version ${production.version} (same weights and preprocessing)` };
  }
  // The gates compared with one production model; if another has been promoted since, they say nothing about it.
  const evaluatedAgainst = evaluation.baseline?.version ?? null;
  if ((production?.version ?? null) !== evaluatedAgainst) {
    throw new UserError(
      `production is ${production?.version ?? 'empty'} but the candidate was evaluated against ${evaluatedAgainst ?? 'no production model'}: run \`ct evaluate\` again before promoting`,
    );
  }
  const training = readJson<TrainingRecord>(files['training.json']!, 'training record');
  const cardFile = path.join(ctx.outDir, 'MODEL_CARD.md');
  writeFileSync(cardFile, modelCardMarkdown(config, training, evaluation));
  const published = publishVersion({
    registry,
    model: config.name,
    files: { ...files, 'evaluation.json': paths.evaluation, 'MODEL_CARD.md': cardFile },
  });
  return {
    promoted: true,
    unchanged: false,
    model: config.name,
    version: published.version,
    dir: path.relative(process.cwd(), published.dir) || published.dir,
    previous: published.pointer.previous,
    reason: evaluation.rubberStamp ? 'first model: rubber stamp, there was no production model to compare with' : `gates passed against production ${evaluation.baseline?.version}`,
  };
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
