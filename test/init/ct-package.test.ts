/**
 * Which ct `ct init` writes into a repository: a release's pinned bundled actions by
 * default when the installed ct was packed by a release (release.json), the installed
 * package's actions with `--actions npm` or from a checkout; and how to install it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { actionsSource, installSpec, lockfileInstallsNativeTfjs } from '../../src/init/ct-package.js';
import { repinWorkflow } from '../../src/init/upgrade.js';
import { ctRelease } from '../../src/package.js';
import { expectUserError } from '../helpers.js';

const sha = 'f'.repeat(40);
const release = { repository: 'acme/ct', commit: sha, version: 'v1.2.3' };

describe("ct's package as ct init sees it", () => {
  it('defaults to the release it was packed from; npm chooses the installed actions', () => {
    expect(actionsSource(undefined, release)).toEqual({ kind: 'remote', repo: 'acme/ct', sha, version: 'v1.2.3' });
    expect(actionsSource(undefined, null)).toEqual({ kind: 'installed' });
    expect(actionsSource('npm', release)).toEqual({ kind: 'installed' });
    expect(actionsSource(`other/fork@${'a'.repeat(40)}`, release)).toMatchObject({ kind: 'remote', repo: 'other/fork', sha: 'a'.repeat(40) });
    expectUserError(() => actionsSource('acme/ct@main', release), '--actions: expected npm or <owner>/<repo>@<full commit sha>');
  });

  it('reads release.json only when it names a repository, a full commit and a version', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ct-release-'));
    expect(ctRelease(dir)).toBeNull();
    writeFileSync(path.join(dir, 'release.json'), JSON.stringify(release));
    expect(ctRelease(dir)).toEqual(release);
    writeFileSync(path.join(dir, 'release.json'), JSON.stringify({ ...release, commit: 'v1.2.3' }));
    expect(ctRelease(dir)).toBeNull();
  });

  it('installs a release by its npm name and version', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ct-release-'));
    writeFileSync(path.join(dir, 'release.json'), JSON.stringify(release));
    expect(await installSpec(dir)).toBe('ct-train@1.2.3');
  });

  it('installs node_modules in a train job only for a lockfile that holds tfjs-node', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ct-lock-'));
    expect(lockfileInstallsNativeTfjs(dir)).toBe(false);
    writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify({ packages: { '': {}, 'node_modules/ct-train': {} } }));
    expect(lockfileInstallsNativeTfjs(dir)).toBe(false);
    writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify({ packages: { 'node_modules/@tensorflow/tfjs-node-gpu': {} } }));
    expect(lockfileInstallsNativeTfjs(dir)).toBe(true);
  });
});

describe('ct init --upgrade: repinning the workflows', () => {
  const old = 'a'.repeat(40);
  const workflow = [
    'jobs:',
    '  train:',
    '    steps:',
    '      - uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262 # v4.4.0',
    `      - uses: acme/ct/actions/train@${old} # v1.0.0`,
    '        with:',
    '          out: out',
    `      - uses: acme/ct/actions/promote@${old} # v1.0.0`,
    `      - uses: acme/other/actions/lint@${old} # v3`,
    '      - uses: ./node_modules/ct-train/actions/evaluate',
    '',
  ].join('\n');

  it("pins every step of ct's actions to the target, and leaves every other step as it was", () => {
    const { text, replaced } = repinWorkflow(workflow, ['train', 'promote', 'evaluate'], { repo: 'acme/ct', sha, version: 'v1.2.3' });
    expect(text).toBe(
      workflow
        .replace(`acme/ct/actions/train@${old} # v1.0.0`, `acme/ct/actions/train@${sha} # v1.2.3`)
        .replace(`acme/ct/actions/promote@${old} # v1.0.0`, `acme/ct/actions/promote@${sha} # v1.2.3`),
    );
    expect(Object.fromEntries(replaced)).toEqual({ [`acme/ct@${old} # v1.0.0`]: 2 });
    // Already there: the same text, the pins it found.
    expect(repinWorkflow(text, ['train', 'promote'], { repo: 'acme/ct', sha, version: 'v1.2.3' }).text).toBe(text);
  });
});
