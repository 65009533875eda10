/** FNV-1a over a string's UTF-16 code units, 32 bits: fast, stable across runs and machines (hashed features depend on it). */
export function hashText(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
