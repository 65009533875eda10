#!/usr/bin/env node
/**
 * Bundles ct's GitHub Actions into actions/dist/: one ESM file per action (validate,
 * train, evaluate, promote, predict, monitor) plus the infra-check child, sharing chunks, with the
 * TF.js wasm binaries beside them, so an action runs without `npm ci`.
 *   node scripts/bundle-actions.mjs [--out <dir>]      (npm run bundle)
 * `@tensorflow/tfjs-node` stays outside: it is native and used only where installed.
 * Chunk names do not depend on content (see stableNames): a rebuild rewrites only the files
 * whose code changed.
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
  absWorkingDir: root,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['@tensorflow/tfjs-node'],
  // Provisional names (esbuild needs them unique); stableNames renames the chunks.
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'none',
  // CommonJS dependencies call require() for Node's built-ins, and read __dirname and __filename
  // (the wasm backend's emscripten glue does, as it starts); ESM has none of them. `define`
  // points the free __dirname/__filename at the banner's constants: each file's own location.
  banner: {
    js: [
      "import { createRequire as __ctCreateRequire } from 'node:module';",
      "import { dirname as __ctDirnameOf } from 'node:path';",
      "import { fileURLToPath as __ctFileURLToPath } from 'node:url';",
      'const require = __ctCreateRequire(import.meta.url);',
      'const __ctFilename = __ctFileURLToPath(import.meta.url);',
      'const __ctDirname = __ctDirnameOf(__ctFilename);',
    ].join(' '),
  },
  define: { __dirname: '__ctDirname', __filename: '__ctFilename' },
  logLevel: 'warning',
  metafile: true,
  write: false,
});
const names = stableNames(result.metafile.outputs);
const renamed = Object.fromEntries([...names].map(([from, to]) => [path.basename(from), path.basename(to)]));
const provisional = new RegExp(
  Object.keys(renamed)
    .sort((a, b) => b.length - a.length)
    .map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|'),
  'g',
);
let bytes = 0;
for (const file of result.outputFiles) {
  const target = names.get(file.path) ?? file.path;
  // Chunks import each other by file name (./chunks/<name>.js from an entry, ./<name>.js from a chunk).
  const text = Object.keys(renamed).length === 0 ? file.text : file.text.replace(provisional, (name) => renamed[name]);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, text);
  bytes += Buffer.byteLength(text);
}
const wasmDir = path.join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
for (const file of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'])
  copyFileSync(path.join(wasmDir, file), path.join(out, file));
// The chunks are ESM with .js names: Node needs to be told.
writeFileSync(path.join(out, 'package.json'), '{ "type": "module" }\n');
console.log(`bundled ${entries.length} actions into ${path.relative(process.cwd(), out) || out}: ${(bytes / 1e6).toFixed(1)} MB of JavaScript`);

/**
 * Names for the chunks that do not change with their content. With esbuild's content hashes,
 * one changed module renamed its chunk, which changed the files importing that chunk (they
 * name it), which renamed them in turn, up to every entry: most of actions/dist changed on
 * any rebuild. esbuild makes one shared chunk per set of entry points (the actions, and the
 * modules they import dynamically) that reach the same modules, so that set, in name order,
 * names the chunk: `chunks/evaluate+monitor+train.js`. A dynamically imported module's chunk
 * is named after the module: `chunks/tf-backend-wasm.node.js`. The name changes only when
 * the entries sharing the chunk do, which moves modules between chunks anyway.
 * @param outputs esbuild's metafile outputs (paths relative to `root`)
 * @returns absolute provisional path -> absolute stable path, for every chunk
 */
function stableNames(outputs) {
  const absolute = (file) => path.resolve(root, file);
  const entryName = (file) => path.basename(outputs[file].entryPoint).replace(/\.[cm]?[jt]s$/, '');
  const entries = Object.keys(outputs).filter((file) => outputs[file].entryPoint !== undefined);
  /** Chunk -> the entries that reach it through static imports (dynamic imports are entries of their own). */
  const reachedBy = new Map();
  for (const entry of entries) {
    const seen = new Set();
    const visit = (file) => {
      for (const i of outputs[file].imports) {
        if (i.external || i.kind !== 'import-statement' || seen.has(i.path)) continue;
        seen.add(i.path);
        reachedBy.set(i.path, [...(reachedBy.get(i.path) ?? []), entryName(entry)]);
        visit(i.path);
      }
    };
    visit(entry);
  }
  const names = new Map();
  for (const file of Object.keys(outputs)) {
    if (path.dirname(absolute(file)) !== path.join(out, 'chunks')) continue; // an action's entry: named after it already
    const entrySet = outputs[file].entryPoint !== undefined ? [entryName(file)] : (reachedBy.get(file) ?? []).sort();
    if (entrySet.length === 0) throw new Error(`bundle: ${file} is reached from no entry point: cannot name it`);
    const stable = path.join(out, 'chunks', `${entrySet.join('+')}.js`);
    const taken = [...names].find(([, name]) => name === stable);
    if (taken !== undefined) throw new Error(`bundle: ${file} and ${path.relative(root, taken[0])} would both be ${path.relative(root, stable)}`);
    names.set(absolute(file), stable);
  }
  return names;
}
