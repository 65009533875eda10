/**
 * What every stage is given and where it finds things: the config, the output folder,
 * the logger, and the locations the config names (data, schema, registry).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { artifactPaths, type ValidationResult } from '../artifacts.js';
import type { BackendPreference, LoadedConfig } from '../config/types.js';
import { schemaFileOf } from '../config/models.js';
import { fingerprintFiles } from '../data/dataset.js';
import { isRemote } from '../data/remote.js';
import { readJson } from '../files.js';
import type { Logger } from '../logger.js';

/** What every stage needs: the config, where to write, how to talk. */
export interface StageContext {
  loaded: LoadedConfig;
  /** `--data` override, already resolved; default: the configured data.path. */
  data?: string;
  outDir: string;
  logger: Logger;
  /** `--backend` override of training.backend. */
  backend?: BackendPreference;
}

/** Absolute path of the registry folder of the config. */
export function registryPath(ctx: StageContext): string {
  return path.resolve(ctx.loaded.baseDir, ctx.loaded.config.registry.path);
}

/** Resolved location of the data the stage reads (the `--data` override wins). */
export function dataSource(ctx: StageContext): string {
  const configured = ctx.loaded.config.data.path;
  return ctx.data ?? (isRemote(configured) ? configured : path.resolve(ctx.loaded.baseDir, configured));
}

/** Where the data schema lives: data.schema, or schema.json in the configured data folder. */
export function schemaPath(ctx: StageContext): string {
  return schemaFileOf(ctx.loaded);
}

/**
 * The days the last validation in `<out>` left out of the window (quarantined), so that
 * `ct train` and `ct evaluate` read the same window as it did; a day whose file has
 * changed since (fixed) is read again.
 */
export function quarantinedDays(ctx: StageContext): Set<string> {
  const file = artifactPaths(ctx.outDir).validation;
  if (ctx.data !== undefined || !existsSync(file)) return new Set();
  const validation = readJson<Partial<ValidationResult>>(file, 'validation result');
  const days = new Set<string>();
  for (const q of validation.quarantined ?? []) {
    const partition = path.join(dataSource(ctx), path.basename(q.file));
    if (existsSync(partition) && fingerprintFiles([partition]) === q.fingerprint) days.add(q.date);
  }
  return days;
}
