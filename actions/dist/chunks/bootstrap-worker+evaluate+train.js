import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);

// src/train/random.ts
function mulberry32(seed, skip = 0) {
  let a = seed + Math.imul(skip, 1831565813) >>> 0;
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

// src/workers.ts
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
function workerScript(moduleUrl, file, bundleName) {
  const here = dirname(fileURLToPath(moduleUrl));
  const srcRoot = resolve(dirname(fileURLToPath(import.meta.url)));
  const candidates = [join(here, file), join(here, `${bundleName}.js`), join(dirname(here), `${bundleName}.js`)];
  const fromSource = relative(srcRoot, here);
  if (!fromSource.startsWith("..")) candidates.push(join(srcRoot, "..", "dist", fromSource, file));
  return candidates.find((candidate) => existsSync(candidate));
}

export {
  mulberry32,
  holdout,
  sampleRows,
  workerScript
};
