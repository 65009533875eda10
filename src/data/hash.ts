/** FNV-1a over a string's UTF-16 code units, 32 bits: fast, stable across runs and machines (hashed features depend on it). */
export function hashText(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Folds a 32-bit word into a running 32-bit hash (xor, then a multiply-shift finaliser). */
export function mixHash(h: number, x: number): number {
  h ^= x;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  return Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
}
