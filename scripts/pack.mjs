#!/usr/bin/env node
/**
 * Packs ct for npm as a release publishes it:
 *   node scripts/pack.mjs [--release <owner>/<repo>@<commit sha>] [--out <dir>]
 * The files package.json lists (build dist/ and the action bundles first), with a manifest
 * that holds no script: `prepare` builds dist/ for installs from git only, and an installed
 * package has it built, so `npm install -D ct-train` runs nothing of ct's. With --release,
 * release.json names the repository and commit whose bundled actions `ct init` pins.
 * Prints the tarball's path.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { release: { type: 'string' }, out: { type: 'string', default: '.' } } });

const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const listed = JSON.parse(
  execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
)[0];
if (!listed.files.some((f) => f.path === 'dist/cli/main.js')) {
  console.error('pack: dist/ is not built: run npm run build first');
  process.exit(2);
}

let release = null;
if (values.release !== undefined) {
  // The form `ct init --upgrade --actions` reads and release.json holds, parsed by the same code.
  const { parseActionsSource } = await import(pathToFileURL(path.join(root, 'dist/package.js')).href);
  const source = parseActionsSource(values.release);
  if (source === null) {
    console.error(`pack: --release: expected <owner>/<repo>@<full commit sha>, got "${values.release}"`);
    process.exit(2);
  }
  release = { repository: source.repo, commit: source.sha, version: `v${manifest.version}` };
}
const staging = mkdtempSync(path.join(tmpdir(), 'ct-pack-'));
try {
  for (const { path: file } of listed.files) cpSync(path.join(root, file), path.join(staging, file));
  const { scripts: _scripts, devDependencies: _dev, ...published } = manifest;
  if (release !== null) {
    writeFileSync(path.join(staging, 'release.json'), `${JSON.stringify(release, null, 2)}\n`);
    published.files = [...published.files, 'release.json'];
  }
  writeFileSync(path.join(staging, 'package.json'), `${JSON.stringify(published, null, 2)}\n`);
  const out = path.resolve(values.out);
  mkdirSync(out, { recursive: true });
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], {
      cwd: staging,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  );
  console.log(path.join(out, packed.filename));
} finally {
  rmSync(staging, { recursive: true, force: true });
}
