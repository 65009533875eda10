/**
 * Training/evaluation splits. By time: the newest days of the window are
 * for evaluation, as they would be in production. By hash: a seeded,
 * deterministic share of rows; with key columns the hash is over the key
 * values, so a row's side does not depend on file order, and rows sharing
 * a key (one customer, one flight number) land on the same side.
 */
import { UserError } from '../errors.js';
import { checkedDays, newestDays, type Partition } from './partitions.js';
import { type Column, findColumn, type Table } from './table.js';

/**
 * Splits a window's partitions: evaluation holds the newest
 * `evaluationDays` calendar days (ending at the newest partition, gaps
 * count), training everything before. A `UserError` when no training day is left.
 */
export function timeSplit(
  partitions: readonly Partition[],
  evaluationDays: number,
): { train: Partition[]; evaluation: Partition[] } {
  const days = checkedDays(evaluationDays, 'data.split.evaluationDays');
  const evaluation = newestDays(partitions, days);
  const train = partitions.slice(0, partitions.length - evaluation.length);
  if (train.length === 0) {
    const range = partitions.length === 0 ? 'no partitions' : `${partitions[0]!.date}..${partitions.at(-1)!.date}`;
    throw new UserError(`data.split.evaluationDays: the newest ${days} days take the whole window (${range}); no days are left to train on`);
  }
  return { train, evaluation };
}

/** Options of `hashSplit`. */
export interface HashSplitOptions {
  /** Share of rows that go to evaluation, 0 < fraction < 1. */
  readonly fraction: number;
  /** Same seed, same split. Used as a 32-bit integer. */
  readonly seed: number;
  /** Columns whose values decide a row's side; without them, the row index does. */
  readonly key?: readonly string[];
}

/**
 * Splits rows by a seeded hash (murmur3-style, 32 bits): a row goes to
 * evaluation when its hash, scaled to [0, 1), is below `fraction`.
 * Deterministic; with `key`, independent of row order. Returns row indices,
 * ascending.
 */
export function hashSplit(table: Table, options: HashSplitOptions): { train: Int32Array; evaluation: Int32Array } {
  const { fraction } = options;
  if (!(fraction > 0 && fraction < 1)) throw new UserError(`data.split.evaluationFraction: expected a number between 0 and 1, got ${fraction}`);
  if (!Number.isFinite(options.seed)) throw new UserError(`data.split.seed: expected a number, got ${options.seed}`);
  const seed = Math.trunc(options.seed) | 0;
  const keys = (options.key ?? []).map((name) => {
    const column = findColumn(table, name);
    if (column === undefined) throw new UserError(`data.split.key: no column "${name}" in the data`);
    return keyHasher(column);
  });
  const threshold = fraction * 4294967296;
  const n = table.rowCount;
  const side = new Uint8Array(n);
  let evaluationCount = 0;
  for (let i = 0; i < n; i++) {
    let h = seed;
    if (keys.length === 0) h = mix(h, i);
    else for (const hashKey of keys) h = hashKey(h, i);
    if (finish(h, keys.length) < threshold) {
      side[i] = 1;
      evaluationCount++;
    }
  }
  const train = new Int32Array(n - evaluationCount);
  const evaluation = new Int32Array(evaluationCount);
  for (let i = 0, t = 0, e = 0; i < n; i++) {
    if (side[i] === 1) evaluation[e++] = i;
    else train[t++] = i;
  }
  return { train, evaluation };
}

/** Folds the value of row `i` of `column` into the running hash `h`. */
type KeyHasher = (h: number, i: number) => number;

const NULL_WORD = 0x9e3779b9 | 0;

function keyHasher(column: Column): KeyHasher {
  const nulls = column.nulls;
  switch (column.type) {
    case 'string': {
      // Hash each distinct string once; codes depend on file order, strings do not.
      const hashes = Int32Array.from(column.dictionary, (s) => hashString(s));
      const codes = column.codes;
      return (h, i) => {
        const code = codes[i]!;
        return code < 0 ? mix(h, NULL_WORD) : mix(mix(h, 1), hashes[code]!);
      };
    }
    case 'boolean': {
      const values = column.values;
      return (h, i) => (nulls !== null && nulls[i] === 1 ? mix(h, NULL_WORD) : mix(h, values[i]! + 2));
    }
    default: {
      const values = column.values;
      const float = new Float64Array(1);
      const words = new Int32Array(float.buffer);
      return (h, i) => {
        if (nulls !== null && nulls[i] === 1) return mix(h, NULL_WORD);
        const v = values[i]!;
        float[0] = v === 0 ? 0 : v; // -0 and 0 are one value
        if (v !== v) float[0] = NaN; // one NaN bit pattern
        return mix(mix(h, words[0]!), words[1]!);
      };
    }
  }
}

/** murmur3_32 over the UTF-16 code units of `s`, two per 32-bit word. */
export function hashString(s: string, seed = 0): number {
  let h = seed | 0;
  const n = s.length;
  let i = 0;
  for (; i + 1 < n; i += 2) h = mix(h, s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
  if (i < n) {
    let k = Math.imul(s.charCodeAt(i), 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
  }
  return finish(h, n) | 0;
}

/** One murmur3_32 block step. */
function mix(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** murmur3_32 finalisation: avalanche, as an unsigned 32-bit number. */
function finish(h: number, length: number): number {
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
