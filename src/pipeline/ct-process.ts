/** Running `ct` itself in a child process: the legs of a sweep, the groups of `ct stats run`. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The `ct` command of this installation (bin/ct.js beside dist/). */
export function ctBinary(): string {
  return fileURLToPath(new URL('../../bin/ct.js', import.meta.url));
}

/** Runs `ct <args>` and resolves with its exit code and stderr (stdout is dropped). */
export function runCtProcess(args: readonly string[], bin = ctBinary()): Promise<{ status: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ status: code ?? -1, stderr }));
  });
}
