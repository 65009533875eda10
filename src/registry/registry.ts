/**
 * The model registry, committed to the repository:
 *   models/<model>/<version>/      model files, evaluation.json, MODEL_CARD.md
 *   models/<model>/production.json the production version and the sha256 of each of its files
 * Version folders are written under a temp name and renamed; the pointer is written
 * last, so a crash never leaves production pointing at half a model.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { readJson, sha256File, writeJson } from '../files.js';

/** Contents of `production.json`. */
export interface ProductionPointer {
  model: string;
  version: string;
  promotedAt: string;
  /** File name -> `sha256:<hex>`, for every file of the version folder. */
  files: Record<string, string>;
  /** The version that was production before this one, if any. */
  previous: string | null;
}

/** Folder of a model in the registry. */
export function modelDir(registry: string, model: string): string {
  return path.join(registry, model);
}

/** The production pointer of `model`, or null when nothing was promoted yet. */
export function readProduction(registry: string, model: string): ProductionPointer | null {
  const file = path.join(modelDir(registry, model), 'production.json');
  if (!existsSync(file)) return null;
  const pointer = readJson<ProductionPointer>(file, 'production pointer');
  if (typeof pointer.version !== 'string' || typeof pointer.files !== 'object' || pointer.files === null) {
    throw new UserError(`${file}: production pointer lacks "version" or "files"`);
  }
  return pointer;
}

/**
 * The folder of the production version after checking every file against the
 * pointer's checksums. A mismatch or missing file is an error: nothing is loaded
 * whose checksum does not match.
 */
export function verifiedProductionDir(registry: string, pointer: ProductionPointer): string {
  const dir = path.join(modelDir(registry, pointer.model), pointer.version);
  for (const [name, expected] of Object.entries(pointer.files)) {
    const file = path.join(dir, name);
    if (!existsSync(file)) throw new UserError(`registry: ${file} is missing (listed in production.json)`);
    const actual = sha256File(file);
    if (actual !== expected) throw new UserError(`registry: checksum mismatch for ${file}: production.json says ${expected}, the file is ${actual}`);
  }
  return dir;
}

/**
 * A sortable version id: UTC date and time of promotion plus a short hash of the
 * model's files, e.g. `20010228T120501Z-3fa9c2d1`.
 */
export function versionId(when: Date, contentHash: string): string {
  const stamp = when.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${contentHash.replace(/^sha256:/, '').slice(0, 8)}`;
}

/** Hash over names and bytes of files (name -> path), in name order: identifies a model's content. */
export function hashFiles(files: Readonly<Record<string, string>>): string {
  const hash = createHash('sha256');
  for (const name of Object.keys(files).sort()) {
    hash.update(name);
    hash.update('\0');
    hash.update(readFileSync(files[name]!));
  }
  return `sha256:${hash.digest('hex')}`;
}

export interface PublishInput {
  registry: string;
  model: string;
  /** Files to place in the version folder: name -> source path. */
  files: Record<string, string>;
  when?: Date;
}

export interface PublishResult {
  version: string;
  dir: string;
  pointer: ProductionPointer;
}

/** Writes a new version folder and points production at it. */
export function publishVersion(input: PublishInput): PublishResult {
  const when = input.when ?? new Date();
  const names = Object.keys(input.files).sort();
  for (const name of names) {
    if (name.includes('/') || name.includes('\\') || name.startsWith('.')) throw new Error(`registry file name not allowed: ${name}`);
    const source = input.files[name]!;
    if (!existsSync(source) || !statSync(source).isFile()) throw new UserError(`cannot promote: ${source} is missing`);
  }
  const version = versionId(when, hashFiles(input.files));
  const root = modelDir(input.registry, input.model);
  const dir = path.join(root, version);
  if (existsSync(dir)) throw new UserError(`registry: version ${version} already exists in ${root}`);
  const previous = readProduction(input.registry, input.model);

  // Build the version under a temp name, then rename: it appears whole or not at all.
  mkdirSync(root, { recursive: true });
  const staging = path.join(root, `.staging-${version}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  try {
    for (const name of names) copyFileSync(input.files[name]!, path.join(staging, name));
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  const files: Record<string, string> = {};
  for (const name of names) files[name] = sha256File(path.join(dir, name));
  const pointer: ProductionPointer = {
    model: input.model,
    version,
    promotedAt: when.toISOString(),
    files,
    previous: previous?.version ?? null,
  };
  writeJson(path.join(root, 'production.json'), pointer);
  return { version, dir, pointer };
}

/** Versions present in the registry for `model`, oldest first. */
export function listVersions(registry: string, model: string): string[] {
  const root = modelDir(registry, model);
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}
