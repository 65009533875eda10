/**
 * commitToBranch against a real bare repository: one commit on the promotion branch from
 * the base tip, pushed atomically with a lease on the base; a moved base means one retry
 * on the new tip, then a clear error.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../src/errors.js';
import { authEnvironment, commitToBranch } from '../../src/github/git.js';
import { silentLogger } from '../../src/logger.js';
import { bareRepository, branchSha, cloneOf, commitAndPush, filesContaining, git, showFile } from './git-repos.js';

const bot = { name: 'ct-bot', email: 'bot@example.com' };

/** The options of a promotion branch pushed from `workspace` to its origin, without credentials. */
const promoteBranch = (workspace: string) =>
  ({
    repoDir: workspace,
    remote: 'origin',
    base: 'main',
    branch: 'ct/promote/m',
    message: 'Promote m',
    author: bot,
    committer: bot,
    auth: null,
    logger: silentLogger,
  }) as const;

function setup(): { origin: string; workspace: string; other: string } {
  const origin = bareRepository();
  const workspace = cloneOf(origin);
  writeFileSync(path.join(workspace, 'README.md'), 'hello\n');
  commitAndPush(workspace, 'first');
  const other = cloneOf(origin);
  return { origin, workspace, other };
}

/** Another person pushes a commit to main. */
function moveMain(other: string, n: number): void {
  git(other, ['pull', '-q', 'origin', 'main']);
  writeFileSync(path.join(other, `change-${n}.txt`), `${n}\n`);
  commitAndPush(other, `change ${n}`);
}

const writeVersion = (name: string) => (worktree: string) => {
  mkdirSync(path.join(worktree, 'models'), { recursive: true });
  writeFileSync(path.join(worktree, 'models', 'production.json'), `${JSON.stringify({ version: name })}\n`);
};

describe('commitToBranch', () => {
  it('pushes one commit on top of the base tip, leaves the working tree alone, and force-updates the branch on a rerun', async () => {
    const { origin, workspace } = setup();
    const base = branchSha(origin, 'main')!;
    const options = promoteBranch(workspace);
    const first = await commitToBranch({ ...options, apply: writeVersion('v1') });
    expect(first).toMatchObject({ baseSha: base, rebased: false });
    expect(branchSha(origin, 'ct/promote/m')).toBe(first.sha);
    expect(git(origin, ['rev-parse', `${first.sha}^`])).toBe(base);
    expect(git(origin, ['log', '-1', '--format=%an <%ae> / %cn <%ce>', first.sha])).toBe('ct-bot <bot@example.com> / ct-bot <bot@example.com>');
    expect(JSON.parse(showFile(origin, first.sha, 'models/production.json'))).toEqual({ version: 'v1' });
    expect(existsSync(path.join(workspace, 'models'))).toBe(false);
    expect(git(workspace, ['status', '--porcelain'])).toBe('');
    expect(git(workspace, ['worktree', 'list']).split('\n')).toHaveLength(1);

    const second = await commitToBranch({ ...options, apply: writeVersion('v2') });
    expect(branchSha(origin, 'ct/promote/m')).toBe(second.sha);
    expect(git(origin, ['rev-parse', `${second.sha}^`])).toBe(base);
    expect(JSON.parse(showFile(origin, second.sha, 'models/production.json'))).toEqual({ version: 'v2' });
  });

  it('when the base moves before the push, commits again on the new tip and pushes once more', async () => {
    const { origin, workspace, other } = setup();
    let calls = 0;
    const result = await commitToBranch({
      ...promoteBranch(workspace),
      apply: (worktree) => {
        calls++;
        if (calls === 1) moveMain(other, 1);
        writeVersion('v1')(worktree);
      },
    });
    expect(calls).toBe(2);
    expect(result.rebased).toBe(true);
    expect(result.baseSha).toBe(branchSha(origin, 'main'));
    expect(git(origin, ['rev-parse', `${result.sha}^`])).toBe(branchSha(origin, 'main'));
  });

  it('a base that keeps moving is a clear error after one retry; the branch is not pushed', async () => {
    const { origin, workspace, other } = setup();
    let calls = 0;
    const attempt = commitToBranch({
      ...promoteBranch(workspace),
      apply: (worktree) => {
        moveMain(other, ++calls);
        writeVersion('v1')(worktree);
      },
    });
    await expect(attempt).rejects.toBeInstanceOf(UserError);
    await expect(attempt).rejects.toThrow(/^git push of ct\/promote\/m to origin was rejected twice: /);
    expect(branchSha(origin, 'ct/promote/m')).toBeNull();
  });

  it('an error in apply (e.g. production changed on the base) stops before any push and cleans the worktree', async () => {
    const { origin, workspace } = setup();
    const attempt = commitToBranch({
      ...promoteBranch(workspace),
      message: 'x',
      apply: () => {
        throw new UserError('production on main changed');
      },
    });
    await expect(attempt).rejects.toThrow('production on main changed');
    expect(branchSha(origin, 'ct/promote/m')).toBeNull();
    expect(git(workspace, ['worktree', 'list']).split('\n')).toHaveLength(1);
  });

  it('the token goes to git only as a per-process header: never in the remote URL or any file under .git', async () => {
    const { origin, workspace } = setup();
    const token = 'ghs_secretTOKEN0123456789';
    expect(authEnvironment({ serverUrl: 'https://github.com', token })).toEqual({
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_0: 'http.https://github.com/.extraheader',
      GIT_CONFIG_VALUE_0: '',
      GIT_CONFIG_KEY_1: 'http.https://github.com/.extraheader',
      GIT_CONFIG_VALUE_1: `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`,
    });
    // Git reads the header from the environment, after (and replacing) any header in .git/config.
    git(workspace, ['config', 'http.https://github.com/.extraheader', 'AUTHORIZATION: basic c3RhbGU=']);
    const seen = execFileSync('git', ['config', '--get-all', 'http.https://github.com/.extraheader'], {
      cwd: workspace,
      encoding: 'utf8',
      env: { ...process.env, ...authEnvironment({ serverUrl: 'https://github.com', token }) },
    });
    expect(seen.split('\n').slice(0, -1)).toEqual([
      'AUTHORIZATION: basic c3RhbGU=',
      '',
      `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`,
    ]);
    git(workspace, ['config', '--unset-all', 'http.https://github.com/.extraheader']);
    await commitToBranch({
      ...promoteBranch(workspace),
      message: 'x',
      auth: { serverUrl: 'https://github.com', token },
      logger: silentLogger,
      apply: writeVersion('v1'),
    });
    const encoded = Buffer.from(`x-access-token:${token}`).toString('base64');
    for (const needle of [token, encoded]) {
      expect(filesContaining(path.join(workspace, '.git'), needle)).toEqual([]);
      expect(filesContaining(origin, needle)).toEqual([]);
    }
    expect(git(workspace, ['remote', 'get-url', 'origin'])).toBe(origin);
  });
});
