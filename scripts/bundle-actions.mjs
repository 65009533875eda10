#!/usr/bin/env node
/**
 * Bundles ct's GitHub Actions into actions/dist/: one ESM file per action (validate,
 * train, evaluate, promote, predict, monitor, models) plus the infra-check child and the worker threads
 * (fused training, bootstrap), sharing chunks, with the TF.js wasm binaries beside them, so an action runs without
 * `npm ci`, and THIRD_PARTY_NOTICES.md:
 * the licence of every npm package whose code is in the bundle (see thirdPartyNotices).
 *   node scripts/bundle-actions.mjs [--out <dir>] [--metafile <file>]      (npm run bundle)
 * --metafile writes esbuild's metafile (JSON) there, for test/actions/licenses.test.ts; keep it out of <dir>.
 * `@tensorflow/tfjs-node` stays outside: it is native and used only where installed.
 * Chunk names do not depend on content (see stableNames): a rebuild rewrites only the files
 * whose code changed.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

/** Standard licence texts, for packages that name their licence but ship no text of it. */
const LICENSE_TEXTS = [['Apache-2.0', 'scripts/licenses/Apache-2.0.txt']];

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: { out: { type: 'string', default: path.join(root, 'actions/dist') }, metafile: { type: 'string' } },
});
const out = path.resolve(values.out);

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const entries = ['validate', 'train', 'evaluate', 'promote', 'predict', 'monitor', 'models', 'verify', 'release', 'ct'];
const result = await build({
  entryPoints: {
    ...Object.fromEntries(entries.map((name) => [name, path.join(root, 'src/actions', `${name}.ts`)])),
    'infra-child': path.join(root, 'src/pipeline/infra-child.ts'),
    // Second threads, found by these names (src/workers.ts): fused training, a large bootstrap.
    'fused-worker': path.join(root, 'src/train/fused/fused-worker.ts'),
    'bootstrap-worker': path.join(root, 'src/evaluate/bootstrap-worker.ts'),
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
  // The licences are in THIRD_PARTY_NOTICES.md, whole and once. esbuild's legal comments are
  // only the /*! … */ and @license comments some authors write (most packages here have none,
  // TF.js's are a copyright line without the licence), and 'eof' repeats them in every chunk
  // that holds code of the package (or 'linked', in a .LEGAL.txt beside each of them).
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
const wasmPackage = 'node_modules/@tensorflow/tfjs-backend-wasm';
const wasmFiles = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];
for (const file of wasmFiles) copyFileSync(path.join(root, wasmPackage, 'dist', file), path.join(out, file));
writeFileSync(path.join(out, 'THIRD_PARTY_NOTICES.md'), thirdPartyNotices(result.metafile, { [wasmPackage]: wasmFiles }));
if (values.metafile !== undefined) writeFileSync(path.resolve(values.metafile), JSON.stringify(result.metafile));
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

/**
 * THIRD_PARTY_NOTICES.md: for every npm package with code in an output file (an input under
 * node_modules/ with bytes in the output; a module tree-shaken away to nothing does not count)
 * and every package files are copied from, its name, version, licence (package.json) and the
 * text of its LICENSE / LICENCE / COPYING / NOTICE files; a package without one says so.
 * Deterministic: sorted, no absolute paths, no dates, line endings normalised.
 * @param metafile esbuild's metafile
 * @param copied package directory (relative to `root`) -> the files copied from it into the bundle
 * @returns the file's text
 */
function thirdPartyNotices(metafile, copied) {
  /** Package directory relative to root (node_modules/@scope/name, nested node_modules kept) -> what of it the bundle holds. */
  const packages = new Map(Object.entries(copied).map(([dir, files]) => [dir, files]));
  for (const output of Object.values(metafile.outputs))
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const dir = packageDir(input);
      if (dir !== undefined && bytesInOutput > 0 && !packages.has(dir)) packages.set(dir, []);
    }
  const byKey = new Map();
  for (const [dir, files] of packages) {
    const json = JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8'));
    const key = `${json.name}@${json.version}`;
    // Two copies of one version (nested node_modules) are one entry.
    byKey.set(key, {
      ...byKey.get(key),
      name: json.name,
      version: json.version,
      license: licenseOf(json),
      repository: repositoryOf(json),
      dir,
      files: [...new Set([...(byKey.get(key)?.files ?? []), ...files])].sort(),
    });
  }
  const entries = [...byKey.values()].sort((a, b) => compare(a.name, b.name) || compareVersions(a.version, b.version));
  const cell = (text) => text.replace(/\|/g, '\\|');
  const lines = [
    '# Third-party notices',
    '',
    'The GitHub Actions bundled in this directory (`*.js`, `chunks/*.js`) contain code from the npm packages below, and',
    'the `.wasm` files are copied from one of them. ct itself is under the MIT licence (`LICENSE` at the root of the',
    'repository). Generated by `scripts/bundle-actions.mjs` (`npm run bundle`) from `node_modules/`: do not edit.',
    '',
    '| Package | Version | Licence |',
    '| --- | --- | --- |',
    ...entries.map((e) => `| ${cell(e.name)} | ${cell(e.version)} | ${cell(e.license)} |`),
  ];
  for (const e of entries) {
    lines.push('', `## ${e.name} ${e.version}`, '', `- Licence: ${e.license}`);
    if (e.repository !== undefined) lines.push(`- Source: ${e.repository}`);
    if (e.files.length > 0) lines.push(`- Copied into this directory: ${e.files.map((f) => `\`${f}\``).join(', ')}`);
    const files = licenseFiles(path.join(root, e.dir));
    if (files.length === 0)
      lines.push(
        '',
        `The package has no licence file: it is licensed under ${e.license} (SPDX), as its package.json says.` +
          (LICENSE_TEXTS.some(([id]) => spdxIds(e.license).includes(id)) ? ' The licence text is at the end of this file.' : ''),
      );
    for (const file of files) {
      const text = readFileSync(path.join(root, e.dir, file), 'utf8')
        .replace(/\r\n?/g, '\n')
        .replace(/^\uFEFF/, '')
        .trimEnd();
      const fence = '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
      lines.push('', `### ${file}`, '', `${fence}text`, text, fence);
    }
  }
  // A licence such as Apache-2.0 asks that recipients get its text: once, for the packages that ship none.
  for (const [id, file] of LICENSE_TEXTS) {
    if (!entries.some((e) => licenseFiles(path.join(root, e.dir)).length === 0 && spdxIds(e.license).includes(id))) continue;
    lines.push('', `## Licence text: ${id}`, '', '```text', readFileSync(path.join(root, file), 'utf8').replace(/\r\n?/g, '\n').trimEnd(), '```');
  }
  return `${lines.join('\n')}\n`;
}

/**
 * @param expression an SPDX expression
 * @returns the licence ids it names
 */
function spdxIds(expression) {
  return expression.split(/[\s()]+/).filter((t) => t !== '' && !['AND', 'OR', 'WITH'].includes(t));
}

/**
 * @param input a metafile input path, relative to root
 * @returns the directory of the npm package it belongs to (the innermost node_modules/<name> or node_modules/@scope/<name>), or undefined
 */
function packageDir(input) {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input.replace(/\\/g, '/'));
  return match?.[1];
}

/**
 * @param json a package.json
 * @returns its licence as an SPDX expression: `license` (a string, or the old `{ type }`), or the old `licenses` array (joined with OR); "UNKNOWN" without one
 */
function licenseOf(json) {
  const type = (l) => (typeof l === 'string' ? l : l?.type);
  if (json.license !== undefined) return type(json.license) ?? 'UNKNOWN';
  if (Array.isArray(json.licenses) && json.licenses.length > 0) {
    const types = json.licenses.map(type);
    return types.length === 1 ? types[0] : `(${types.join(' OR ')})`;
  }
  return 'UNKNOWN';
}

/**
 * @param json a package.json
 * @returns where its source is, as the package says (`repository`, a string or `{ url }`), or undefined
 */
function repositoryOf(json) {
  const repository = typeof json.repository === 'string' ? json.repository : json.repository?.url;
  return repository ?? json.homepage;
}

/**
 * @param dir a package's directory
 * @returns the names of its licence files (LICENSE, LICENCE, UNLICENSE, COPYING, NOTICE, with any suffix), sorted
 */
function licenseFiles(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && /^(un)?licen[cs]e|^copying|^notice/i.test(e.name))
    .map((e) => e.name)
    .sort(compare);
}

/** Code-point order (not the locale's): the same on every machine. */
function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Versions in numeric order of their dot-separated parts (2.10.0 after 2.9.1), ties by code point. */
function compareVersions(a, b) {
  const [x, y] = [a, b].map((v) => v.split(/[.+-]/));
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const [m, n] = [Number(x[i]), Number(y[i])];
    const order = Number.isNaN(m) || Number.isNaN(n) ? compare(x[i], y[i]) : m - n;
    if (order !== 0) return order;
  }
  return compare(a, b);
}
