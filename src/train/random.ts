/** Seeded randomness: reruns with the same seed must give the same model. */

/**
 * Mulberry32: a small, fast 32-bit generator; returns floats in [0, 1). Its state moves
 * by a constant per draw, so `skip` starts it `skip` draws in at no cost (how a second
 * thread takes over the second half of a stream and draws exactly what one thread would).
 */
export function mulberry32(seed: number, skip = 0): () => number {
  let a = (seed + Math.imul(skip, 0x6d2b79f5)) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Splits `rows` into a seeded holdout of about `fraction` of them and the rest.
 * Each row's side depends only on the seed and the row's position, not on the others.
 */
export function holdout(rows: Int32Array, fraction: number, seed: number): { keep: Int32Array; held: Int32Array } {
  if (fraction <= 0) return { keep: rows, held: new Int32Array(0) };
  const random = mulberry32(seed ^ 0x9e3779b9);
  const keep: number[] = [];
  const held: number[] = [];
  for (let i = 0; i < rows.length; i++) (random() < fraction ? held : keep).push(rows[i]!);
  return { keep: Int32Array.from(keep), held: Int32Array.from(held) };
}

/** A seeded sample of at most `max` rows, in their original order. */
export function sampleRows(rows: Int32Array, max: number, seed: number): Int32Array {
  if (rows.length <= max) return rows;
  return holdout(rows, max / rows.length, seed).held.slice(0, max);
}
