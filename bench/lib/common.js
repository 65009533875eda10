/** Helpers shared by the benchmarks: medians, the machine description, table padding. */
import { cpus, platform, release, totalmem } from 'node:os';

/** Median of numbers (mean of the middle two for an even count). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The `machine` field of a results file. */
export function machine() {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`,
    node: process.version,
  };
}

/** `value` as text padded to `width` (right-aligned when `right`). */
export function pad(value, width, right = false) {
  const s = String(value);
  return right ? s.padStart(width) : s.padEnd(width);
}

/**
 * The whole number after `name` on the command line (`--runs 3`), or `fallback`;
 * anything else below `min` exits with code 2 and one line.
 */
export function intArgument(name, fallback, min = 1) {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < min) {
    console.error(`${name}: expected a whole number >= ${min}`);
    process.exit(2);
  }
  return value;
}
