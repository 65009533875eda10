/** File helpers shared by the stages: atomic writes and JSON reads with clear errors. */
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from './errors.js';
import { faultPoint } from './fault.js';

/**
 * Writes `data` to `file` atomically: to a temp file in the same folder (same file
 * system, so the rename is atomic), flushed to disk, then renamed over `file`.
 * Readers see the old file or the new one, never half of one. Creates the folder.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = openSync(temp, 'w');
    try {
      faultPoint(`write ${path.basename(file)}`, 'write', temp);
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    faultPoint(`rename ${path.basename(file)}`);
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
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
  return `sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;
}

/** Appends Markdown to the job summary when running on GitHub Actions (`GITHUB_STEP_SUMMARY` of `env`). */
export function appendJobSummary(env: NodeJS.ProcessEnv, markdown: string): void {
  const file = env.GITHUB_STEP_SUMMARY;
  if (file !== undefined && file !== '') appendFileSync(file, `${markdown.trimEnd()}\n\n`);
}
