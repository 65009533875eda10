/**
 * Where ct's worker-thread scripts are. Compiled, each sits beside the module that starts
 * it (`dist/.../<name>.js`); bundled (the GitHub Actions), scripts/bundle-actions.mjs
 * writes it as `<bundle name>.js` beside the entry files, whose shared chunks sit in
 * `chunks/` under them; run from source (tests), the compiled copy in `dist/` serves.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The script of worker `file` (e.g. `worker.js`) of the module at `moduleUrl`, bundled as
 * `bundleName`; undefined when none is there (the caller then runs on one thread).
 */
export function workerScript(moduleUrl: string, file: string, bundleName: string): string | undefined {
  const here = dirname(fileURLToPath(moduleUrl));
  const srcRoot = resolve(dirname(fileURLToPath(import.meta.url)));
  const candidates = [join(here, file), join(here, `${bundleName}.js`), join(dirname(here), `${bundleName}.js`)];
  // From src/ (tests, without a build step of their own): the same file under dist/.
  const fromSource = relative(srcRoot, here);
  if (!fromSource.startsWith('..')) candidates.push(join(srcRoot, '..', 'dist', fromSource, file));
  return candidates.find((candidate) => existsSync(candidate));
}
