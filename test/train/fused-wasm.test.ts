/**
 * The committed WebAssembly of the fused training kernels is what its AssemblyScript
 * source compiles to (as the action bundles are checked against their sources).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

test('src/train/fused/kernels-wasm.ts is fresh: `npm run wasm` after changing assembly/kernels.ts', () => {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'ct-wasm-')), 'kernels-wasm.ts');
  execFileSync(process.execPath, [path.join(root, 'scripts/build-wasm.mjs'), '--out', out], { cwd: root, stdio: 'pipe' });
  expect(readFileSync(out, 'utf8')).toBe(readFileSync(path.join(root, 'src/train/fused/kernels-wasm.ts'), 'utf8'));
});
