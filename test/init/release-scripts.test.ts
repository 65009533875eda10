/**
 * The scripts release.yml runs: the notes of a release are its CHANGELOG.md section (a tag
 * without one fails), and the npm package is packed with no script and with release.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { root } from '../pipeline/repo.js';

function run(script: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', script), ...args], { cwd: root, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('release scripts', () => {
  const changelog = path.join(mkdtempSync(path.join(tmpdir(), 'ct-changelog-')), 'CHANGELOG.md');
  writeFileSync(
    changelog,
    '# Changelog\n\n## [Unreleased]\n\n- next\n\n## [1.2.0] - 2026-12-01\n\n### Added\n\n- `ct --version`.\n\n## [1.1.0]\n\n## [1.0.0]\n\n- first\n',
  );

  it("prints a release's section of the changelog, and nothing else", () => {
    expect(run('changelog-section.mjs', ['v1.2.0', changelog])).toEqual({ status: 0, stdout: '### Added\n\n- `ct --version`.\n', stderr: '' });
    expect(run('changelog-section.mjs', ['v1.0.0', changelog]).stdout).toBe('- first\n');
  });

  it('fails in one line for a version without a section, an empty section, or a tag that is no version', () => {
    expect(run('changelog-section.mjs', ['v9.9.9', changelog])).toMatchObject({
      status: 1,
      stderr: expect.stringMatching(/has no "## \[9\.9\.9\]" section: add one before tagging v9\.9\.9\n$/),
    });
    expect(run('changelog-section.mjs', ['v1.1.0', changelog])).toMatchObject({
      status: 1,
      stderr: expect.stringMatching(/the "## \[1\.1\.0\]" section of .* is empty\n$/),
    });
    expect(run('changelog-section.mjs', ['latest', changelog])).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/expected a version tag such as v1\.2\.3, got "latest"\n$/),
    });
  });

  it('the changelog has a section for the version package.json declares', () => {
    const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    expect(run('changelog-section.mjs', [`v${version}`]).status).toBe(0);
  });

  it('refuses a release pin that is not a full commit', () => {
    expect(run('pack.mjs', ['--release', 'acme/ct@main'])).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(/--release: expected <owner>\/<repo>@<full commit sha>/),
    });
  });
});
