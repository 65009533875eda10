import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);

// src/train/random.ts
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = a + 1831565813 >>> 0;
    let t = a;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}
function holdout(rows, fraction, seed) {
  if (fraction <= 0) return { keep: rows, held: new Int32Array(0) };
  const random = mulberry32(seed ^ 2654435769);
  const keep = [];
  const held = [];
  for (let i = 0; i < rows.length; i++) (random() < fraction ? held : keep).push(rows[i]);
  return { keep: Int32Array.from(keep), held: Int32Array.from(held) };
}
function sampleRows(rows, max, seed) {
  if (rows.length <= max) return rows;
  return holdout(rows, max / rows.length, seed).held.slice(0, max);
}

export {
  mulberry32,
  holdout,
  sampleRows
};
