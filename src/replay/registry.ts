/**
 * The temporary registry a replay promotes into: created empty, read after each step
 * for the production model, and removed at the end with its history kept.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { modelDir, readProduction, verifiedProductionDir } from '../registry/registry.js';
import type { ServedModel } from './served.js';
import { makeFolder } from '../files.js';

/** Creates an empty registry in the system's temporary folder; returns its path. */
export function createReplayRegistry(): string {
  return mkdtempSync(path.join(tmpdir(), 'ct-replay-registry-'));
}

/** The production model of `model` in `registry` (checked against its checksums), or null. */
export function productionServed(registry: string, model: string): ServedModel | null {
  const pointer = readProduction(registry, model);
  return pointer === null ? null : { key: pointer.version, dir: verifiedProductionDir(registry, pointer) };
}

/**
 * Removes the temporary registry; its history of promotions stays with the report, as
 * `registry-history.jsonl` in `outDir`.
 */
export function removeReplayRegistry(registry: string, model: string, outDir: string): void {
  const history = path.join(modelDir(registry, model), 'history.jsonl');
  if (existsSync(history)) {
    makeFolder(outDir);
    copyFileSync(history, path.join(outDir, 'registry-history.jsonl'));
  }
  rmSync(registry, { recursive: true, force: true });
}
