/**
 * `ct verify --head`: the base branch's ct judges a promotion or rollback pull request by
 * reading its commit as git objects. A real repository: penguins promoted on main (v1),
 * then a promotion branch made by `ct run` with another training seed (v2), committed with
 * only models/ changed. The legitimate proposal passes; each attack from the security
 * review is a commit derived from it, and each fails the check that names it.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { root, penguinsConfig, penguinsFolder, writeConfig } from './repo.js';

type Json = Record<string, unknown>;
interface Verification {
  ok: boolean;
  version: string;
  checks: Array<{ check: string; ok: boolean; message: string }>;
}

const MODEL = 'penguins';
const BRANCH = `ct/promote/${MODEL}`;
const sha256 = (file: string): string => `sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;

describe('ct verify --head: a proposal judged by the base branch, read as git objects', () => {
  const dir = penguinsFolder('ct-verify-proposal-');
  const registry = path.join(dir, 'models', MODEL);
  const git = (...args: string[]): string => {
    const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };
  const ct = (args: string[], env: Json = {}): { status: number; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, [path.join(root, 'bin/ct.js'), ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true', GITHUB_EVENT_NAME: '', GITHUB_EVENT_PATH: '', ...env },
    });
    return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  const verify = (head: string, env: Json = {}): Verification => {
    const r = ct(['verify', '--head', head, '--out', 'verify-out', '--json'], env);
    expect(r.stderr).not.toMatch(/internal error|^ct: /m);
    const record = JSON.parse(r.stdout) as Verification;
    expect(r.status).toBe(record.ok ? 0 : 1);
    return record;
  };
  const failed = (v: Verification): string[] => v.checks.filter((c) => !c.ok).map((c) => c.check);
  const readJson = (file: string): Json => JSON.parse(readFileSync(file, 'utf8')) as Json;
  let v1 = '';
  let v2 = '';

  /** A branch from the legitimate proposal with `edit` applied to the working tree and committed. */
  const attack = (name: string, edit: () => void): string => {
    git('checkout', '-q', '-b', name, BRANCH);
    edit();
    git('add', '-A');
    git('commit', '-q', '-m', name);
    git('checkout', '-q', 'main');
    return name;
  };
  /** Rewrites the recorded checksums of `version` (production.json and the last history line) to the files as they are. */
  const rechecksum = (version: string): void => {
    const files = Object.fromEntries(
      readdirSync(path.join(registry, version))
        .sort()
        .map((f) => [f, sha256(path.join(registry, version, f))]),
    );
    const production = readJson(path.join(registry, 'production.json'));
    writeFileSync(path.join(registry, 'production.json'), JSON.stringify({ ...production, files }, null, 2) + '\n');
    const lines = readFileSync(path.join(registry, 'history.jsonl'), 'utf8').trimEnd().split('\n');
    lines[lines.length - 1] = JSON.stringify({ ...(JSON.parse(lines.at(-1)!) as Json), files });
    writeFileSync(path.join(registry, 'history.jsonl'), lines.join('\n') + '\n');
  };

  beforeAll(() => {
    writeConfig(dir, 'ct.config.yaml', penguinsConfig());
    writeFileSync(path.join(dir, '.gitignore'), 'out/\nverify-out/\n');
    git('init', '-q', '-b', 'main');
    expect(ct(['run', '--json']).status).toBe(0);
    v1 = (readJson(path.join(registry, 'production.json')) as { version: string }).version;
    git('add', '-A');
    git('commit', '-q', '-m', 'penguins and their first model');
    // The proposal: ct run with another training seed on the promotion branch; only models/ is committed.
    git('checkout', '-q', '-b', BRANCH);
    writeConfig(dir, 'ct.config.yaml', penguinsConfig({}, 43));
    expect(ct(['run', '--json']).status).toBe(0);
    v2 = (readJson(path.join(registry, 'production.json')) as { version: string }).version;
    git('checkout', '-q', '--', 'ct.config.yaml');
    git('add', 'models');
    git('commit', '-q', '-m', 'Promote penguins to production');
    git('checkout', '-q', 'main');
  }, 120_000);

  it('a legitimate promotion passes every check, re-scored from the commit with the base branch config', () => {
    expect(v2).not.toBe(v1);
    const v = verify(BRANCH);
    expect(failed(v)).toEqual([]);
    expect(v).toMatchObject({ ok: true, version: v2 });
    expect(v.checks.map((c) => c.check)).toEqual([
      'changed paths',
      'history is append-only',
      'production pointer',
      'one new version',
      'version files',
      `checksums of ${v2}`,
      'evaluation passed',
      'compared with production',
      'gates of the base branch',
      `metrics of ${v2}`,
      `metrics of ${v1} (the model it was compared with)`,
    ]);
    // Nothing was checked out: the work tree is still main's.
    expect(git('status', '--porcelain')).toBe('');
    expect((readJson(path.join(registry, 'production.json')) as { version: string }).version).toBe(v1);
  });

  it('backdoored weights with matching checksums: the re-score on the recorded rows gives other metrics', () => {
    const head = attack('forged-weights', () => {
      const weights = path.join(registry, v2, 'weights.bin');
      const bytes = readFileSync(weights);
      const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
      for (let i = 0; i < floats.length; i += 3) floats[i] = -floats[i]!;
      writeFileSync(weights, bytes);
      rechecksum(v2);
    });
    expect(failed(verify(head))).toEqual([`metrics of ${v2}`]);
  });

  it('a version that carries a model module the base branch does not have: the check fails and the module never runs', () => {
    const marker = path.join(mkdtempSync(path.join(tmpdir(), 'ct-module-ran-')), 'ran');
    const head = attack('module-from-pr', () => {
      writeFileSync(
        path.join(registry, v2, 'model-module.js'),
        `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'ran');\nexport function buildModel() {}\nexport function registerLayers() {}\n`,
      );
      rechecksum(v2);
    });
    const v = verify(head);
    expect(v.ok).toBe(false);
    expect(failed(v)).toContain('model module');
    expect(v.checks.find((c) => c.check === 'model module')!.message).toMatch(
      /the base branch's config names no model module: code from a pull request is never run/,
    );
    expect(existsSync(marker)).toBe(false);
  });

  it('a proposal that rewrites the verifier or its config fails before anything else', () => {
    const head = attack('rewrites-verifier', () => {
      writeConfig(dir, 'ct.config.yaml', penguinsConfig({ gates: [{ metric: 'accuracy', lowerBound: 0 }] }));
      writeFileSync(path.join(dir, 'verify.yml'), 'on: pull_request\n');
    });
    const v = verify(head);
    expect(failed(v)).toEqual(['changed paths']);
    expect(v.checks[0]!.message).toMatch(/outside models\/penguins\/: M ct\.config\.yaml, A verify\.yml/);
  });

  it("the history is append-only: rewriting an earlier version's checksums fails", () => {
    const head = attack('rewrites-history', () => {
      const lines = readFileSync(path.join(registry, 'history.jsonl'), 'utf8').trimEnd().split('\n');
      const first = JSON.parse(lines[0]!) as { files: Record<string, string> };
      first.files['weights.bin'] = `sha256:${'0'.repeat(64)}`;
      lines[0] = JSON.stringify(first);
      writeFileSync(path.join(registry, 'history.jsonl'), lines.join('\n') + '\n');
    });
    expect(failed(verify(head))).toEqual(['history is append-only']);
  });

  it('an evaluation that failed its gates, or compared with no model, files: {}, or an older version changed, is refused', () => {
    const evaluation = (change: (e: Json) => Json) => (): void => {
      const file = path.join(registry, v2, 'evaluation.json');
      writeFileSync(file, JSON.stringify(change(readJson(file)), null, 2));
      rechecksum(v2);
    };
    expect(
      failed(
        verify(
          attack(
            'not-ok',
            evaluation((e) => ({ ...e, ok: false })),
          ),
        ),
      ),
    ).toEqual(['evaluation passed']);
    expect(
      failed(
        verify(
          attack(
            'no-baseline',
            evaluation((e) => ({ ...e, baseline: null })),
          ),
        ),
      ),
    ).toEqual(['compared with production']);
    const noFiles = attack('no-files', () => {
      const production = readJson(path.join(registry, 'production.json'));
      writeFileSync(path.join(registry, 'production.json'), JSON.stringify({ ...production, files: {} }, null, 2) + '\n');
      const lines = readFileSync(path.join(registry, 'history.jsonl'), 'utf8').trimEnd().split('\n');
      lines[lines.length - 1] = JSON.stringify({ ...(JSON.parse(lines.at(-1)!) as Json), files: {} });
      writeFileSync(path.join(registry, 'history.jsonl'), lines.join('\n') + '\n');
    });
    expect(failed(verify(noFiles))).toEqual(['version files']);
    const older = attack('older-version', () => writeFileSync(path.join(registry, v1, 'evaluation.json'), '{}'));
    expect(failed(verify(older))).toEqual(['one new version']);
  });

  it("the base branch's gates decide, not the proposal's", () => {
    writeConfig(dir, 'ct.config.yaml', penguinsConfig({ gates: [{ metric: 'accuracy', lowerBound: 0.9999 }] }));
    git('commit', '-q', '-am', 'stricter gates');
    try {
      const v = verify(BRANCH);
      expect(failed(v)).toEqual(['gates of the base branch']);
      expect(v.checks.find((c) => c.check === 'gates of the base branch')!.message).toMatch(/accuracy/);
    } finally {
      git('reset', '-q', '--hard', 'HEAD~1');
    }
  });

  it('a pull request from a fork, or from another branch, fails the source check', () => {
    const event = (head: Json): Json => {
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'ct-event-')), 'event.json');
      writeFileSync(file, JSON.stringify({ pull_request: { head, base: { repo: { full_name: 'team/repo' } } } }));
      return { GITHUB_EVENT_NAME: 'pull_request_target', GITHUB_EVENT_PATH: file };
    };
    expect(failed(verify(BRANCH, event({ ref: BRANCH, repo: { full_name: 'team/repo' } })))).toEqual([]);
    expect(failed(verify(BRANCH, event({ ref: BRANCH, repo: { full_name: 'mallory/repo' } })))).toEqual(['source']);
    expect(failed(verify(BRANCH, event({ ref: 'feature', repo: { full_name: 'team/repo' } })))).toEqual(['source']);
  });

  it('a rollback to a version promoted before passes; one that names other files fails', () => {
    git('checkout', '-q', '-b', 'with-v2');
    git('merge', '-q', '--ff-only', BRANCH);
    git('checkout', '-q', '-b', 'rollback');
    expect(ct(['rollback', v1]).status).toBe(0);
    git('commit', '-q', '-am', 'Roll back penguins');
    git('checkout', '-q', 'with-v2');
    const ok = verify('rollback');
    expect(failed(ok)).toEqual([]);
    expect(ok.checks.map((c) => c.check)).toEqual([
      'changed paths',
      'history is append-only',
      'production pointer',
      'rollback changes only the pointer',
      'an earlier version',
      `checksums of ${v1}`,
    ]);

    git('checkout', '-q', '-b', 'forged-rollback', 'rollback');
    const lines = readFileSync(path.join(registry, 'history.jsonl'), 'utf8').trimEnd().split('\n');
    const last = JSON.parse(lines.at(-1)!) as { files: Record<string, string> };
    last.files['weights.bin'] = sha256(path.join(registry, v2, 'weights.bin'));
    lines[lines.length - 1] = JSON.stringify(last);
    writeFileSync(path.join(registry, 'history.jsonl'), lines.join('\n') + '\n');
    const production = readJson(path.join(registry, 'production.json'));
    writeFileSync(path.join(registry, 'production.json'), JSON.stringify({ ...production, files: last.files }, null, 2) + '\n');
    git('commit', '-q', '-am', 'forged rollback');
    git('checkout', '-q', 'with-v2');
    expect(failed(verify('forged-rollback'))).toEqual(['an earlier version']);
    git('checkout', '-q', 'main');
  });

  it('refuses what it cannot use with one line and exit code 2', () => {
    const r = ct(['verify', '--head', 'no-such-branch']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^ct: git: no commit "no-such-branch" in /);
    const both = ct(['verify', v1, '--head', BRANCH]);
    expect(both.status).toBe(2);
    expect(both.stderr).toBe('ct: ct verify: give [version] or --head, not both\n');
  });
});
