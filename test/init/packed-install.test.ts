/**
 * ct as a team installs it from npm: the tarball a release publishes (scripts/pack.mjs, as
 * release.yml runs it), installed into an empty project as `npm install -D ct-train`
 * installs it. The project's lockfile resolves
 * ct-train to the tarball and its dependencies to the registry versions ct's own lockfile
 * pins; `npm ci` takes them from the npm cache that ct's own `npm ci` filled, so nothing
 * is downloaded. Only ct's dependencies arrive (no devDependency, not the TF.js umbrella,
 * not the optional tfjs-node), no lifecycle script of ct's runs, and `ct init` plus
 * `ct run` from the installed package promote a model. The workflows it writes take the
 * release's bundled actions, pinned to its commit, and install nothing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { root } from '../pipeline/repo.js';

const RELEASE_COMMIT = 'c0ffee'.padEnd(40, '0');

type LockEntry = Record<string, unknown> & { dev?: boolean; devOptional?: boolean };

/** Bytes under `dir`, symlinks not followed. */
function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) total += bytesUnder(file);
    else if (entry.isFile()) total += statSync(file).size;
  }
  return total;
}

/** A lockfile for `project` with ct-train from `tarball` and ct's production dependencies as ct's lockfile pins them. */
function projectLockfile(tarball: string, manifest: Record<string, unknown>): unknown {
  const own = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const production = Object.entries(own.packages).filter(([key, entry]) => key !== '' && entry.dev !== true && entry.devOptional !== true);
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  const ct = {
    version: manifest.version,
    resolved: `file:${path.basename(tarball)}`,
    integrity,
    dev: true,
    license: manifest.license,
    dependencies: manifest.dependencies,
    bin: manifest.bin,
    engines: manifest.engines,
    peerDependencies: manifest.peerDependencies,
    peerDependenciesMeta: manifest.peerDependenciesMeta,
  };
  return {
    name: 'penguin-lab',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'penguin-lab', devDependencies: { 'ct-train': `file:${path.basename(tarball)}` } },
      'node_modules/ct-train': ct,
      ...Object.fromEntries(production.map(([key, entry]) => [key, { ...entry, dev: true }])),
    },
  };
}

describe('ct installed from its npm package into an empty project', () => {
  const project = mkdtempSync(path.join(tmpdir(), 'ct-packed-'));
  let install: { status: number | null; output: string };

  beforeAll(() => {
    const tarball = execFileSync(process.execPath, [path.join(root, 'scripts/pack.mjs'), '--release', `acme/ct@${RELEASE_COMMIT}`, '--out', project], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
    const pack = { filename: path.basename(tarball) };
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(
      path.join(project, 'package.json'),
      `${JSON.stringify({ name: 'penguin-lab', private: true, devDependencies: { 'ct-train': `file:${pack.filename}` } }, null, 2)}\n`,
    );
    writeFileSync(path.join(project, 'package-lock.json'), `${JSON.stringify(projectLockfile(tarball, manifest), null, 2)}\n`);
    const r = spawnSync('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--foreground-scripts'], { cwd: project, encoding: 'utf8' });
    install = { status: r.status, output: r.stdout + r.stderr };
  }, 300_000);

  it('installs ct and its dependencies only, and runs no script of ct', () => {
    // npm prints "> ct-train@x prepare" for a script it runs, and names one it holds back for approval.
    expect(install).toEqual({
      status: 0,
      output: expect.not.stringMatching(/> ct-train@|ct-train@\S+ \((pre|post)?install|ct-train@\S+ \(prepare/) as unknown,
    });
    const installed = JSON.parse(readFileSync(path.join(project, 'node_modules/ct-train/package.json'), 'utf8')) as Record<string, unknown>;
    expect(installed.scripts).toBeUndefined();
    expect(JSON.parse(readFileSync(path.join(project, 'node_modules/ct-train/release.json'), 'utf8'))).toEqual({
      repository: 'acme/ct',
      commit: RELEASE_COMMIT,
      version: `v${installed.version as string}`,
    });
    const modules = path.join(project, 'node_modules');
    expect(existsSync(path.join(modules, 'ct-train/dist/cli/main.js'))).toBe(true);
    expect(existsSync(path.join(modules, 'ct-train/actions/dist/train.js'))).toBe(true);
    for (const absent of [
      'typescript',
      'jest',
      'esbuild',
      '@duckdb',
      'prettier',
      '@tensorflow/tfjs',
      '@tensorflow/tfjs-node',
      '@tensorflow/tfjs-converter',
      '@tensorflow/tfjs-backend-webgl',
    ]) {
      expect([absent, existsSync(path.join(modules, absent))]).toEqual([absent, false]);
    }
    // The TF.js packages ct uses: about 100 MB, where the umbrella package made 286 MB.
    expect(bytesUnder(path.join(modules, '@tensorflow')) / 1e6).toBeLessThan(150);
  });

  it('runs ct init and ct run from the installed package, to a promoted model', () => {
    const ct = (args: string[]): { status: number | null; stdout: string; stderr: string } =>
      spawnSync(path.join(project, 'node_modules/.bin/ct'), args, { cwd: project, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    expect(ct(['--version']).stdout).toBe(`${manifest.version}\n`);
    copyFileSync(path.join(root, 'node_modules/vega-datasets/data/penguins.json'), path.join(project, 'penguins.json'));
    spawnSync('git', ['init', '-q', '-b', 'main'], { cwd: project });
    const init = ct(['init', '--data', 'penguins.json', '--label', 'Species']);
    expect({ status: init.status, stderr: init.stderr }).toEqual({
      status: 0,
      stderr: expect.not.stringMatching(/not a dependency|internal error/) as unknown,
    });
    for (const file of ['ct.yml', 'ct-model.yml', 'verify.yml', 'deploy.yml', 'deploy-model.yml']) {
      const text = readFileSync(path.join(project, '.github/workflows', file), 'utf8');
      // The release's bundled actions, pinned: no job installs node_modules to run ct.
      expect([file, /run: npm|node_modules\//.test(text)]).toEqual([file, false]);
    }
    expect(readFileSync(path.join(project, '.github/workflows/ct-model.yml'), 'utf8')).toContain(
      `uses: acme/ct/actions/train@${RELEASE_COMMIT} # v${manifest.version}\n`,
    );
    writeFileSync(path.join(project, '.gitignore'), 'node_modules/\nout/\n');
    spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'add', '.'], { cwd: project });
    spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'ct init'], { cwd: project });
    // A later release: --upgrade repins every ct step and says so; the files change nowhere else.
    const next = 'beef'.padEnd(40, '2');
    const before = readFileSync(path.join(project, '.github/workflows/ct-model.yml'), 'utf8');
    const upgrade = ct(['init', '--upgrade', '--actions', `acme/ct@${next}`]);
    expect(upgrade.status).toBe(0);
    expect(upgrade.stderr).toMatch(
      new RegExp(`^\\.github/workflows/ct-model\\.yml: 4 steps from acme/ct@${RELEASE_COMMIT} # v[\\d.]+ -> acme/ct@${next} # v[\\d.]+$`, 'm'),
    );
    const after = readFileSync(path.join(project, '.github/workflows/ct-model.yml'), 'utf8');
    expect(after).toBe(before.replaceAll(RELEASE_COMMIT, next));
    // Back to the installed release, the default; then nothing is left to change.
    expect(ct(['init', '--upgrade']).status).toBe(0);
    expect(readFileSync(path.join(project, '.github/workflows/ct-model.yml'), 'utf8')).toBe(before);
    expect(ct(['init', '--upgrade']).stderr).toMatch(/the workflows already pin acme\/ct@/);
    expect(ct(['init', '--upgrade', '--data', 'penguins.json'])).toMatchObject({ status: 2, stderr: 'ct: ct init: --upgrade takes no --data\n' });

    const run = ct(['run', '--json']);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: expect.not.stringMatching(/internal error|FAILED/) as unknown });
    expect((JSON.parse(run.stdout) as { promotion: { promoted: boolean } }).promotion.promoted).toBe(true);
  }, 240_000);
});
