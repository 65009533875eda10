/**
 * Races: two `ct promote` runs at once. Locally they share one registry folder; with
 * `--pr` they share one origin (a real bare repository) and one GitHub (the loopback fake,
 * checked against GitHub's OpenAPI description). Whatever the interleaving: one change
 * wins whole, the other run succeeds after it or stops with one clean line, and
 * production.json, history.jsonl and the pull request agree.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ct, root, runNode, shippedPartitions, smallConfig, tempRepo, writeConfig } from '../pipeline/repo.js';
import { actionsEnvironment, startFakeGitHub } from '../github/fake-github.js';
import { bareRepository, branchSha, cloneOf, commitAndPush, showFile } from '../github/git-repos.js';

const bin = path.join(root, 'bin/ct.js');
const TOKEN = 'ghs_raceTEST0123456789abcdefghij';
const BRANCH = 'ct/promote/flight-delay';

/** Starts ct after `delayMs`, without blocking this process (the fake GitHub answers from here). */
async function later(
  delayMs: number,
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ status: number; stdout: string; stderr: string }> {
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  return runNode(bin, args, { cwd, env: { ...env, CI: 'true' } });
}

const cleanError = (stderr: string): boolean => stderr.trim().split('\n').length === 1 && /^ct: /.test(stderr.trim()) && !/internal error/.test(stderr);

describe('two ct promote runs at once', () => {
  /** A repository with two candidates (seeds 1 and 2) evaluated against no production: out-a/, out-b/. */
  let prepared: string;

  beforeAll(async () => {
    prepared = tempRepo(shippedPartitions().slice(-2));
    const config = smallConfig(2);
    (config as Record<string, unknown>).gates = [{ metric: 'auc', lowerBound: 0.5 }];
    writeConfig(prepared, 'ct.config.yaml', config);
    writeFileSync(path.join(prepared, '.gitignore'), 'out*/\n');
    const seeds = { a: 1, b: 2 };
    await Promise.all(
      Object.entries(seeds).map(async ([name, seed]) => {
        writeConfig(prepared, `${name}.yaml`, { ...config, training: { ...config.training, seed } });
        for (const stage of ['validate', 'train', 'evaluate']) {
          const r = await runNode(bin, [stage, '--config', `${name}.yaml`, '--out', `out-${name}`], { cwd: prepared, env: { ...process.env, CI: 'true' } });
          expect([name, stage, r.status, r.stderr]).toEqual([name, stage, 0, expect.any(String)]);
        }
      }),
    );
  }, 180_000);

  it.each([0])(
    'locally, B starting %i ms after A: one promotion, one clean refusal, history and pointer agree',
    async (delay) => {
      const repo = mkdtempSync(path.join(tmpdir(), 'ct-race-'));
      cpSync(prepared, repo, { recursive: true });
      const [a, b] = await Promise.all([
        later(0, repo, ['promote', '--config', 'a.yaml', '--out', 'out-a', '--json']),
        later(delay, repo, ['promote', '--config', 'b.yaml', '--out', 'out-b', '--json']),
      ]);
      const results = [a, b];
      // Both were evaluated against "no production": once one is promoted, the other's gates say nothing about it.
      expect(results.map((r) => r.status).sort()).toEqual([0, 2]);
      const loser = results.find((r) => r.status === 2)!;
      expect(cleanError(loser.stderr)).toBe(true);
      expect(loser.stderr).toMatch(/production is \S+ but the candidate was evaluated against no production model/);
      const winner = JSON.parse(results.find((r) => r.status === 0)!.stdout) as { version: string };
      const history = readFileSync(path.join(repo, 'models/flight-delay/history.jsonl'), 'utf8').trim().split('\n');
      expect(history.map((l) => (JSON.parse(l) as { version: string }).version)).toEqual([winner.version]);
      const pointer = JSON.parse(readFileSync(path.join(repo, 'models/flight-delay/production.json'), 'utf8')) as { version: string; previous: null };
      expect(pointer).toMatchObject({ version: winner.version, previous: null });
      expect(ct(repo, ['registry', 'check']).status).toBe(0);
    },
    60_000,
  );

  /** A bare origin holding the data and configs, the fake GitHub, and one workspace per candidate. */
  async function pullRequestSetting(): Promise<{
    origin: string;
    env: NodeJS.ProcessEnv;
    workspaces: Record<'a' | 'b', string>;
    github: Awaited<ReturnType<typeof startFakeGitHub>>;
  }> {
    const origin = bareRepository();
    const seed = cloneOf(origin);
    for (const f of ['ct.config.yaml', 'a.yaml', 'b.yaml', '.gitignore', 'data']) cpSync(path.join(prepared, f), path.join(seed, f), { recursive: true });
    commitAndPush(seed, 'data and configs');
    const github = await startFakeGitHub({ owner: 'acme', repo: 'flights', token: TOKEN, headSha: (branch) => branchSha(origin, branch) });
    const summary = path.join(mkdtempSync(path.join(tmpdir(), 'ct-summary-')), 'summary.md');
    const workspace = (name: 'a' | 'b'): string => {
      const w = cloneOf(origin);
      cpSync(path.join(prepared, `out-${name}`), path.join(w, `out-${name}`), { recursive: true });
      return w;
    };
    return { origin, github, env: actionsEnvironment(github, TOKEN, summary), workspaces: { a: workspace('a'), b: workspace('b') } };
  }
  const promoteArgs = (name: 'a' | 'b'): string[] => ['promote', '--pr', '--config', `${name}.yaml`, '--out', `out-${name}`, '--json'];

  /** One open pull request, and its branch, body and history all name `version`. */
  function expectOneConsistentPullRequest(origin: string, github: Awaited<ReturnType<typeof startFakeGitHub>>): { version: string; number: number } {
    expect(github.violations).toEqual([]);
    const open = github.pulls.filter((p) => p.state === 'open');
    expect(open).toHaveLength(1);
    const pull = open[0]!;
    const pointer = JSON.parse(showFile(origin, BRANCH, 'models/flight-delay/production.json')) as { version: string; previous: string | null };
    const history = showFile(origin, BRANCH, 'models/flight-delay/history.jsonl')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { version: string });
    expect(history).toEqual([expect.objectContaining({ version: pointer.version, by: expect.objectContaining({ pullRequest: pull.number }) })]);
    expect(pointer.previous).toBeNull();
    expect(pull.title).toContain(pointer.version);
    expect(pull.body).toContain(pointer.version);
    return { version: pointer.version, number: pull.number };
  }

  it("by pull request, B runs whole while A waits just after its first push: B's proposal stands, A stops with one clean line", async () => {
    const { origin, github, env, workspaces } = await pullRequestSetting();
    try {
      const mainBefore = branchSha(origin, 'main');
      const gate = path.join(mkdtempSync(path.join(tmpdir(), 'ct-gate-')), 'go');
      const a = runNode(bin, promoteArgs('a'), {
        cwd: workspaces.a,
        env: { ...env, CI: 'true', CT_FAULT_PAUSE: 'promote: branch pushed', CT_FAULT_GATE: gate },
      });
      while (!existsSync(`${gate}.reached`)) await new Promise((resolve) => setTimeout(resolve, 50));
      const b = await runNode(bin, promoteArgs('b'), { cwd: workspaces.b, env: { ...env, CI: 'true' } });
      expect([b.status, b.stderr]).toEqual([0, expect.any(String)]);
      writeFileSync(gate, '');
      const resumed = await a;
      // A would otherwise replace the proposal B has just reported as opened.
      expect(resumed.status).toBe(2);
      expect(cleanError(resumed.stderr)).toBe(true);
      expect(resumed.stderr).toMatch(/^ct: another run pushed ct\/promote\/flight-delay to origin while this one was preparing it/);
      const proposed = expectOneConsistentPullRequest(origin, github);
      expect(JSON.parse(b.stdout)).toMatchObject({ version: proposed.version, pullRequest: { number: proposed.number } });
      expect(branchSha(origin, 'main')).toBe(mainBefore);
      for (const r of [resumed, b]) expect(r.stderr + r.stdout).not.toContain(TOKEN);
    } finally {
      await github.close();
    }
  }, 90_000);

  it('by pull request, both started at once: one pull request, and what it says is what its branch holds', async () => {
    const { origin, github, env, workspaces } = await pullRequestSetting();
    try {
      const results = await Promise.all(
        (['a', 'b'] as const).map((name) => runNode(bin, promoteArgs(name), { cwd: workspaces[name], env: { ...env, CI: 'true' } })),
      );
      for (const r of results) expect([r.status === 0 || (r.status === 2 && cleanError(r.stderr))]).toEqual([true]);
      const proposed = expectOneConsistentPullRequest(origin, github);
      expect(results.filter((r) => r.status === 0).map((r) => (JSON.parse(r.stdout) as { version: string }).version)).toContain(proposed.version);
    } finally {
      await github.close();
    }
  }, 90_000);
});
