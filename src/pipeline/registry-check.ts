/**
 * `ct registry check`: is the model's registry whole? Finishes or undoes a change a killed
 * run left behind, then checks production and every version in the history against the
 * checksums recorded for them.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { modelDir, readHistory, readProduction, recordedChecksums, recoverRegistry, type Recovery, verifiedVersionDir } from '../registry/registry.js';
import { registryPath, type StageContext } from './context.js';

export interface RegistryCheckRecord {
  ok: boolean;
  model: string;
  /** What was done with an interrupted change, if one was found. */
  recovery: Recovery;
  production: string | null;
  /** One line per version: its files against its recorded checksums. */
  checks: Array<{ version: string; ok: boolean; message: string }>;
}

/** Recovers and checks the registry of the config's model. */
export function runRegistryCheck(ctx: StageContext): RegistryCheckRecord {
  const model = ctx.loaded.config.name;
  const registry = registryPath(ctx);
  const recovery = recoverRegistry(registry, model);
  if (recovery !== null) {
    ctx.logger.warning(
      `registry: ${recovery.outcome === 'completed' ? 'completed' : 'undid'} the interrupted ${recovery.action} of ${model} ${recovery.version}`,
    );
  }
  const pointer = readProduction(registry, model);
  const record: RegistryCheckRecord = { ok: true, model, recovery, production: pointer?.version ?? null, checks: [] };
  const versions = [...new Set([...readHistory(registry, model).map((e) => e.version), ...(pointer === null ? [] : [pointer.version])])];
  for (const version of versions) {
    // Every version here is in production.json or history.jsonl, so its checksums are recorded.
    const recorded = recordedChecksums(registry, model, version, pointer)!;
    try {
      verifiedVersionDir(registry, model, version, recorded.files, recorded.source);
      record.checks.push({ version, ok: true, message: `${Object.keys(recorded.files).length} files match ${recorded.source}` });
    } catch (error) {
      record.ok = false;
      record.checks.push({ version, ok: false, message: (error as Error).message });
    }
  }
  const where = path.relative(process.cwd(), modelDir(registry, model)) || modelDir(registry, model);
  if (!existsSync(modelDir(registry, model))) ctx.logger.info(`registry: ${where} holds no model yet`);
  else if (record.ok)
    ctx.logger.info(`registry: ${where} is whole: production ${record.production ?? 'none'}, ${versions.length} version(s) match their checksums`);
  else for (const c of record.checks.filter((c) => !c.ok)) ctx.logger.warning(c.message);
  return record;
}
