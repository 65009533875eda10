/**
 * The model registry, committed to the repository:
 *   models/<model>/<version>/      model files, evaluation.json, MODEL_CARD.md
 *   models/<model>/production.json the production version and the sha256 of each of its files
 *   models/<model>/history.jsonl   one line per change of production: which version, when, how
 * A change is first recorded in `.pending.json`; then the version folder is written under
 * a temp name and renamed, the history line comes next and the pointer last, and the
 * record is removed. A run killed half-way leaves the record, and the next writer (or
 * `ct registry check`) completes the change if its files are all in place, or undoes it:
 * the registry is the old one or the new one, never a mix. Writers hold the model's lock.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { faultPoint } from '../fault.js';
import { readJson, sha256File, writeFileAtomic, writeJson } from '../files.js';
import { withFolderLock } from './lock.js';
import { plainFileNames, plainName, refuseLinks } from './names.js';

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
  plainName(pointer.version, 'version', file);
  plainFileNames(pointer.files, file);
  if (pointer.model !== model) throw new UserError(`${file}: names the model ${JSON.stringify(pointer.model)}, not ${model}`);
  if (pointer.previous !== null && pointer.previous !== undefined) plainName(pointer.previous, 'previous version', file);
  return pointer;
}

/**
 * The folder of the production version after checking every file against the
 * pointer's checksums. A mismatch or missing file is an error: nothing is loaded
 * whose checksum does not match.
 */
export function verifiedProductionDir(registry: string, pointer: ProductionPointer): string {
  return verifiedVersionDir(registry, pointer.model, pointer.version, pointer.files, 'production.json');
}

/** Who or what made a version production. */
export interface Provenance {
  /** Pull request that carries the change (null for a local promotion). */
  pullRequest: number | null;
  /** Branch the change was committed on. */
  branch: string | null;
  /** Commit of the code and config the model was trained from. */
  commit: string | null;
  /** The workflow run that made the change, when it ran on GitHub Actions. */
  run: string | null;
}

/** One line of `history.jsonl`. */
export interface HistoryEntry {
  action: 'promote' | 'rollback';
  model: string;
  version: string;
  previous: string | null;
  at: string;
  /** File name -> sha256 of the version's files: what a later rollback verifies against. */
  files: Record<string, string>;
  by: Provenance;
}

/** The history of production changes of `model`, oldest first (empty when none). */
export function readHistory(registry: string, model: string): HistoryEntry[] {
  const file = path.join(modelDir(registry, model), 'history.jsonl');
  if (!existsSync(file)) return [];
  return parseHistory(readFileSync(file, 'utf8'), file);
}

/** The entries of history.jsonl text read from `source`, their names checked; a UserError names the line. */
export function parseHistory(text: string, source: string): HistoryEntry[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      let entry: HistoryEntry;
      try {
        entry = JSON.parse(line) as HistoryEntry;
      } catch {
        throw new UserError(`${source}: line ${i + 1} is not JSON`);
      }
      plainName(entry.version, 'version', `${source} line ${i + 1}`);
      plainFileNames(entry.files, `${source} line ${i + 1}`);
      return entry;
    });
}

/**
 * The history line that promoted `version` (with the checksums of its files), if any: the
 * first, since a later line (a rollback copies them) must not be able to replace them.
 */
export function promotionRecordOf(registry: string, model: string, version: string): HistoryEntry | undefined {
  return readHistory(registry, model).find((e) => e.action === 'promote' && e.version === version);
}

/** Appends `entry` to the history, unless it already is the last line (a completed change being finished again). */
function appendHistory(registry: string, entry: HistoryEntry): void {
  const file = path.join(modelDir(registry, entry.model), 'history.jsonl');
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const line = JSON.stringify(entry);
  if (before.trimEnd().split('\n').pop() === line) return;
  writeFileAtomic(file, `${before}${before === '' || before.endsWith('\n') ? '' : '\n'}${line}\n`);
}

/**
 * The checksums recorded for `version`: production.json's when it is production, else
 * those of the history line that promoted it; null when neither records it.
 */
export function recordedChecksums(
  registry: string,
  model: string,
  version: string,
  pointer: ProductionPointer | null = readProduction(registry, model),
): { files: Record<string, string>; source: 'production.json' | 'history.jsonl' } | null {
  if (pointer?.version === version) return { files: pointer.files, source: 'production.json' };
  const recorded = promotionRecordOf(registry, model, version);
  return recorded === undefined ? null : { files: recorded.files, source: 'history.jsonl' };
}

/** Checks every file of a version folder against `files` (name -> sha256); returns the folder. */
export function verifiedVersionDir(registry: string, model: string, version: string, files: Readonly<Record<string, string>>, source: string): string {
  return verifiedFolder(registry, path.join(modelDir(registry, plainName(model, 'model', source)), plainName(version, 'version', source)), files, source);
}

/** Checks every file of `dir` (inside `registry`, no link on the way) against `files`; returns `dir`. */
function verifiedFolder(registry: string, dir: string, files: Readonly<Record<string, string>>, source: string): string {
  plainFileNames(files, source);
  for (const [name, expected] of Object.entries(files)) {
    const file = path.join(dir, name);
    refuseLinks(registry, file, `registry (${source})`);
    if (!existsSync(file)) throw new UserError(`registry: ${file} is missing (listed in ${source})`);
    const actual = sha256File(file);
    if (actual !== expected) throw new UserError(`registry: checksum mismatch for ${file}: ${source} says ${expected}, the file is ${actual}`);
  }
  return dir;
}

/**
 * Checks the files of `version` against the checksums recorded for it (see
 * `recordedChecksums`): its folder when every file matches, else null; and what was found.
 */
export function checkRecordedChecksums(
  registry: string,
  model: string,
  version: string,
  pointer: ProductionPointer | null,
): { dir: string | null; message: string } {
  const recorded = recordedChecksums(registry, model, version, pointer);
  if (recorded === null) return { dir: null, message: `no checksums of ${version} are recorded in production.json or history.jsonl` };
  try {
    const dir = verifiedVersionDir(registry, model, version, recorded.files, recorded.source);
    return { dir, message: `${Object.keys(recorded.files).length} files match their recorded sha256` };
  } catch (error) {
    return { dir: null, message: (error as Error).message };
  }
}

/**
 * A sortable version id: UTC date and time of promotion plus a short hash of the
 * model's files, e.g. `20010228T120501Z-3fa9c2d1`.
 */
export function versionId(when: Date, contentHash: string): string {
  const stamp = when
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${contentHash.replace(/^sha256:/, '').slice(0, 8)}`;
}

/** Whether two checksum maps (file name -> sha256) name the same files with the same sums, in any order. */
export function sameFiles(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => b[k] === a[k]);
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
  by?: Provenance;
  /**
   * Checks the current production (null: none) while the model is locked, so no other
   * writer can change it before this one does; throws to refuse.
   */
  check?: (production: ProductionPointer | null) => void;
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
  return withFolderLock(root, () => {
    recoverModel(input.registry, input.model);
    const previous = readProduction(input.registry, input.model);
    input.check?.(previous);
    const dir = path.join(root, version);
    if (existsSync(dir)) throw new UserError(`registry: version ${version} already exists in ${root}`);
    const files: Record<string, string> = {};
    for (const name of names) files[name] = sha256File(input.files[name]!);
    const entry: HistoryEntry = {
      action: 'promote',
      model: input.model,
      version,
      previous: previous?.version ?? null,
      at: when.toISOString(),
      files,
      by: input.by ?? LOCAL,
    };
    const staging = path.join(root, `.staging-${version}`);
    writeJson(path.join(root, PENDING_FILE), { entry, staging: path.basename(staging) } satisfies PendingChange);
    faultPoint('registry: change recorded');

    // Build the version under a temp name, then rename: it appears whole or not at all.
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging);
    for (const name of names) {
      faultPoint(`copy ${name}`, 'write', path.join(staging, name));
      copyFileSync(input.files[name]!, path.join(staging, name));
    }
    // What was copied is what was recorded (a source changed meanwhile, or a bad disk).
    verifiedFolder(input.registry, staging, files, 'the files being promoted');
    faultPoint('registry: version staged');
    renameSync(staging, dir);
    faultPoint('registry: version in place');
    return { version, dir, pointer: commitChange(input.registry, entry) };
  });
}

const LOCAL: Provenance = { pullRequest: null, branch: null, commit: null, run: null };

/** The record of a change in progress (`models/<model>/.pending.json`). */
interface PendingChange {
  entry: HistoryEntry;
  /** Temp folder the new version is built in (promotions only). */
  staging: string | null;
}

const PENDING_FILE = '.pending.json';

/** Records `entry` in the history, then points production at its version, then drops the pending record. */
function commitChange(registry: string, entry: HistoryEntry): ProductionPointer {
  appendHistory(registry, entry);
  faultPoint('registry: history written');
  const pointer: ProductionPointer = { model: entry.model, version: entry.version, promotedAt: entry.at, files: entry.files, previous: entry.previous };
  writeJson(path.join(modelDir(registry, entry.model), 'production.json'), pointer);
  faultPoint('registry: production written');
  rmSync(path.join(modelDir(registry, entry.model), PENDING_FILE), { force: true });
  return pointer;
}

/** What recovery did with a change a killed run left behind. */
export type Recovery = { outcome: 'completed' | 'undone'; action: HistoryEntry['action']; version: string } | null;

/**
 * Finishes or undoes the change a killed run left in `model`'s folder: completed when
 * every file of its version is in place with its recorded checksum, undone otherwise.
 * Also removes temp files of interrupted writes. The caller holds the model's lock.
 */
function recoverModel(registry: string, model: string): Recovery {
  const root = modelDir(registry, model);
  if (!existsSync(root)) return null;
  refuseLinks(registry, root, 'registry');
  const pendingFile = path.join(root, PENDING_FILE);
  let recovery: Recovery = null;
  if (existsSync(pendingFile)) {
    const { entry, staging } = readJson<PendingChange>(pendingFile, 'pending registry change');
    // The record is a file in the repository: its names must stay plain before anything is deleted by them.
    plainName(entry.version, 'version', pendingFile);
    plainFileNames(entry.files, pendingFile);
    if (staging !== null && !/^\.staging-[A-Za-z0-9._-]+$/.test(path.basename(staging)))
      throw new UserError(`${pendingFile}: staging ${JSON.stringify(staging)} is not a staging folder`);
    let complete = true;
    try {
      verifiedVersionDir(registry, model, entry.version, entry.files, PENDING_FILE);
    } catch {
      complete = false;
    }
    if (complete) {
      commitChange(registry, entry);
    } else {
      // Only a promotion creates its folder, and a folder other lines refer to is never removed.
      const referenced = readHistory(registry, model).some((e) => e.version === entry.version) || readProduction(registry, model)?.version === entry.version;
      if (entry.action === 'promote' && !referenced) rmSync(path.join(root, entry.version), { recursive: true, force: true });
      rmSync(pendingFile, { force: true });
    }
    if (staging !== null) rmSync(path.join(root, path.basename(staging)), { recursive: true, force: true });
    recovery = { outcome: complete ? 'completed' : 'undone', action: entry.action, version: entry.version };
  }
  for (const name of readdirSync(root)) {
    // rmSync does not follow a link it is given: a linked temp name loses the link only.
    if (/^\.staging-/.test(name) || /^\..+\.tmp$/.test(name)) rmSync(path.join(root, name), { recursive: true, force: true });
  }
  return recovery;
}

/**
 * Takes the model's lock and finishes or undoes a change a killed run left behind
 * (see `recoverModel`); null when there was none.
 */
export function recoverRegistry(registry: string, model: string): Recovery {
  if (!existsSync(modelDir(registry, model))) return null;
  return withFolderLock(modelDir(registry, model), () => recoverModel(registry, model));
}

/**
 * Points production back at an earlier `version`, after verifying its files against the
 * checksums recorded when it was promoted. `check` sees the current production first.
 */
export function rollbackTo(
  registry: string,
  model: string,
  version: string,
  options: { when?: Date; by?: Provenance; check?: (production: ProductionPointer) => void } = {},
): ProductionPointer {
  if (readProduction(registry, model) === null) throw new UserError(`registry: ${model} has no production model to roll back`);
  return withFolderLock(modelDir(registry, model), () => {
    recoverModel(registry, model);
    const current = readProduction(registry, model);
    if (current === null) throw new UserError(`registry: ${model} has no production model to roll back`);
    options.check?.(current);
    if (current.version === version) throw new UserError(`registry: ${version} already is the production version of ${model}`);
    const record = promotionRecordOf(registry, model, version);
    if (record === undefined) {
      const known = listVersions(registry, model);
      throw new UserError(
        `registry: no promotion of ${model} ${version} is recorded in history.jsonl${known.includes(version) ? ' (its checksums cannot be verified)' : known.length > 0 ? `; versions: ${known.join(', ')}` : ''}`,
      );
    }
    verifiedVersionDir(registry, model, version, record.files, 'history.jsonl');
    const entry: HistoryEntry = {
      action: 'rollback',
      model,
      version,
      previous: current.version,
      at: (options.when ?? new Date()).toISOString(),
      files: record.files,
      by: options.by ?? LOCAL,
    };
    writeJson(path.join(modelDir(registry, model), PENDING_FILE), { entry, staging: null } satisfies PendingChange);
    faultPoint('registry: change recorded');
    return commitChange(registry, entry);
  });
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
