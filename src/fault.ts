/**
 * Fault injection for the reliability tests, at named points of the code that changes
 * files (every atomic write, each step of a registry change, each training epoch).
 *
 * - `CT_FAULT_TRACE=<file>` appends one line per point reached: `<n> <kind> <name>`.
 * - `CT_FAULT=kill@<n>` sends SIGKILL to this process at the n-th point: nothing after
 *   it runs, as when a runner is cancelled or the machine dies.
 * - `CT_FAULT=enospc@<n>` makes the n-th point, if it is a write, fail as a full disk does.
 * - `CT_FAULT_PAUSE=<name>` with `CT_FAULT_GATE=<file>`: at the first point of that name,
 *   creates `<file>.reached` and waits until `<file>` exists, so a test can run another
 *   process at exactly that moment (races).
 *
 * Both are unset in normal use; a point then costs one environment lookup.
 */
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { sleepSync } from './sleep.js';

/** What happens at a point: a file write (which can fail) or a step between writes. */
export type FaultKind = 'write' | 'step';

let reached = 0;

/**
 * Marks a fault point named `name`; `file` is the file a write point is about to write.
 * Kills the process or throws ENOSPC when `CT_FAULT` asks for it here.
 */
export function faultPoint(name: string, kind: FaultKind = 'step', file?: string): void {
  const fault = process.env.CT_FAULT;
  const trace = process.env.CT_FAULT_TRACE;
  if (process.env.CT_FAULT_PAUSE === name) pauseHere(process.env.CT_FAULT_GATE);
  if (fault === undefined && trace === undefined) return;
  reached += 1;
  if (trace !== undefined && trace !== '') appendFileSync(trace, `${reached} ${kind} ${name}\n`);
  const match = /^(kill|enospc)@(\d+)$/.exec(fault ?? '');
  if (match === null || Number(match[2]) !== reached) return;
  if (match[1] === 'kill') process.kill(process.pid, 'SIGKILL');
  if (match[1] === 'enospc' && kind === 'write') {
    throw Object.assign(new Error(`ENOSPC: no space left on device, write '${file ?? name}'`), { code: 'ENOSPC', syscall: 'write', path: file ?? name });
  }
}

let paused = false;

/** Waits (at most a minute) for the gate file, once per process. */
function pauseHere(gate: string | undefined): void {
  if (paused || gate === undefined || gate === '') return;
  paused = true;
  writeFileSync(`${gate}.reached`, String(process.pid));
  const deadline = Date.now() + 60_000;
  while (!existsSync(gate) && Date.now() < deadline) sleepSync(25);
}
