/** File helpers shared by the stages: atomic writes and JSON reads with clear errors. */
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { displayPath } from './data/files.js';
import { UserError } from './errors.js';
import { faultPoint } from './fault.js';

/** A file being written atomically (`openFileAtomic`): nothing is at its path until `commit`. */
export interface AtomicFile {
  /** Appends `data` to the temp file; each call is a `write <name>` fault point. */
  write(data: string | Uint8Array): void;
  /** Flushes the temp file to disk and renames it over the file (a `rename <name>` fault point first). */
  commit(): void;
  /** Closes and removes the temp file, leaving the file as it was; safe after a failed write or commit. */
  abort(): void;
}

/** Why a folder cannot be created, by the error's code: what a person can fix. */
const FOLDER_FAILURES: Readonly<Record<string, string>> = {
  ENOTDIR: 'a file stands where one of the folders of its path should be',
  EEXIST: 'a file stands where it should be',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
};

/**
 * Creates `folder` and those above it; a cause a person can fix (a file in the way, no
 * permission, a read-only disk) is a `UserError` naming the folder.
 */
export function makeFolder(folder: string): void {
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    const why = FOLDER_FAILURES[(error as NodeJS.ErrnoException).code ?? ''];
    if (why === undefined) throw error;
    throw new UserError(`cannot create the folder ${displayPath(folder)}: ${why}`, { cause: error });
  }
}

/**
 * Opens `file` for an atomic write in pieces: the pieces go to a temp file in the same
 * folder (same file system, so the rename is atomic), and `commit` flushes it to disk and
 * renames it over `file`. Readers see the old file or the new one, never half of one; a
 * process killed before `commit` leaves `file` untouched. Creates the folder.
 */
export function openFileAtomic(file: string): AtomicFile {
  makeFolder(path.dirname(file));
  const name = path.basename(file);
  const temp = path.join(path.dirname(file), `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | null = openSync(temp, 'w');
  const close = (): void => {
    if (fd === null) return;
    const open = fd;
    fd = null;
    closeSync(open);
  };
  return {
    write(data) {
      if (fd === null) throw new Error(`${temp}: written after commit or abort`);
      faultPoint(`write ${name}`, 'write', temp);
      writeFileSync(fd, data);
    },
    commit() {
      if (fd === null) throw new Error(`${temp}: committed after commit or abort`);
      fsyncSync(fd);
      close();
      faultPoint(`rename ${name}`);
      renameSync(temp, file);
    },
    abort() {
      try {
        close();
      } finally {
        rmSync(temp, { force: true });
      }
    },
  };
}

/**
 * Writes `data` to `file` atomically (`openFileAtomic` in one piece): readers see the old
 * file or the new one, never half of one. Creates the folder.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const out = openFileAtomic(file);
  try {
    out.write(data);
    out.commit();
  } catch (error) {
    out.abort();
    throw error;
  }
}

/** Writes `value` as pretty JSON (trailing newline), atomically. */
export function writeJson(file: string, value: unknown): void {
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Reads JSON from `file`; a missing or malformed file is a UserError naming it and `what` it should be. */
export function readJson<T>(file: string, what: string): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `${what} not found: ${file}` : `cannot read ${what} ${file}: ${code}`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new UserError(`${file}: ${what} is not valid JSON (${(error as Error).message})`);
  }
}

/** sha256 of a file's bytes, as `sha256:<hex>`. */
export function sha256File(file: string): string {
  return sha256Of(readFileSync(file));
}

/** sha256 of bytes, as `sha256:<hex>` (the form the registry records). */
export function sha256Of(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Appends Markdown to the job summary when running on GitHub Actions (`GITHUB_STEP_SUMMARY` of `env`). */
export function appendJobSummary(env: NodeJS.ProcessEnv, markdown: string): void {
  const file = env.GITHUB_STEP_SUMMARY;
  if (file !== undefined && file !== '') appendFileSync(file, `${markdown.trimEnd()}\n\n`);
}

/**
 * The root of the git repository holding `dir` (the nearest folder with a `.git` entry,
 * a folder or a worktree's file), symbolic links resolved; null outside a repository.
 */
export function findRepositoryRoot(dir: string): string | null {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (existsSync(path.join(d, '.git'))) return realpathSync(d);
    if (path.dirname(d) === d) return null;
  }
}
