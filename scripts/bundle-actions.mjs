#!/usr/bin/env node
/**
 * Bundles ct's GitHub Actions into actions/dist/: one ESM file per action (validate,
 * train, evaluate, promote, predict, monitor) plus the infra-check child, sharing chunks, with the
 * TF.js wasm binaries beside them, so an action runs without `npm ci`.
 *   node scripts/bundle-actions.mjs [--out <dir>]      (npm run bundle)
 * `@tensorflow/tfjs-node` stays outside: it is native and used only where installed.
 */
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { out: { type: 'string', default: path.join(root, 'actions/dist') } } });
const out = path.resolve(values.out);

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const entries = ['validate', 'train', 'evaluate', 'promote', 'predict', 'monitor'];
const result = await build({
  entryPoints: {
    ...Object.fromEntries(entries.map((name) => [name, path.join(root, 'src/actions', `${name}.ts`)])),
    'infra-child': path.join(root, 'src/pipeline/infra-child.ts'),
  },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['@tensorflow/tfjs-node'],
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  // CommonJS dependencies call require() for Node's built-ins; ESM has none.
  banner: { js: "import { createRequire as __ctCreateRequire } from 'node:module'; const require = __ctCreateRequire(import.meta.url);" },
  logLevel: 'warning',
  metafile: true,
});
const wasmDir = path.join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
for (const file of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) copyFileSync(path.join(wasmDir, file), path.join(out, file));
// The chunks are ESM with .js names: Node needs to be told.
writeFileSync(path.join(out, 'package.json'), '{ "type": "module" }\n');
const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
console.log(`bundled ${entries.length} actions into ${path.relative(process.cwd(), out) || out}: ${(bytes / 1e6).toFixed(1)} MB of JavaScript`);
