/**
 * ct as a user's repository gets it: the package `npm pack` makes (what npm installs from
 * ct's git repository after `prepare` built dist/), unpacked into node_modules/ct-train of a
 * clone of a bare origin. `ct init` from that package writes workflows whose every ct step
 * is an action of the package; run in order by the stand-in runner against the loopback
 * GitHub API they end in an open promotion pull request, which the written verify.yml
 * then re-checks with the same installed ct.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RunnerContext, readWorkflow, runJob, type StepResult } from '../actions/runner.js';
import { type FakeGitHub, startFakeGitHub } from '../github/fake-github.js';
import { bareRepository, branchSha, cloneOf, commitAndPush, git } from '../github/git-repos.js';
import { root, runNode } from '../pipeline/repo.js';

const TOKEN = 'ghs_installedTEST0123456789abcdef';
const penguins = path.join(root, 'node_modules/vega-datasets/data/penguins.json');

/** The steps' logs, shown when one failed. */
function expectAllPassed(results: StepResult[]): void {
  const failed = results.find((r) => r.status !== 0);
  if (failed !== undefined) throw new Error(`step ${failed.step} exited with ${failed.status}:\n${failed.log}`);
}

async function bash(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ status: number; log: string }> {
  const child = spawn('bash', ['-euo', 'pipefail', '-c', script], { cwd, env });
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const status = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  return { status, log };
}

/**
 * `installed`: the package as a git install or `--actions npm` leaves it, the workflows run
 * its actions from node_modules after `npm ci`. `released`: the package a release packs
 * (scripts/pack.mjs, release.json), the workflows pin the release's bundled actions, which
 * the runner fetches as a copy of that commit beside the workspace: no job installs anything.
 */
const RELEASE_COMMIT = 'c0ffee'.padEnd(40, '1');

describe.each(['installed', 'released'] as const)('ct installed from its package in a user repository (%s)', (mode) => {
  let origin: string;
  let workspace: string;
  let temp: string;
  let github: FakeGitHub;
  let packed: string[];
  let actions: string;

  beforeAll(async () => {
    temp = mkdtempSync(path.join(tmpdir(), 'ct-installed-'));
    const tarball =
      mode === 'installed'
        ? path.join(
            temp,
            (
              JSON.parse(
                execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', temp], {
                  cwd: root,
                  encoding: 'utf8',
                  stdio: ['ignore', 'pipe', 'ignore'],
                }),
              ) as Array<{ filename: string }>
            )[0]!.filename,
          )
        : execFileSync(process.execPath, [path.join(root, 'scripts/pack.mjs'), '--release', `acme/ct@${RELEASE_COMMIT}`, '--out', temp], {
            encoding: 'utf8',
          }).trim();
    packed = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((f) => f.replace(/^package\//, ''));
    origin = bareRepository();
    workspace = cloneOf(origin);
    const ctDir = path.join(workspace, 'node_modules/ct-train');
    mkdirSync(ctDir, { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', ctDir, '--strip-components=1']);
    // The runner's copy of the release commit's actions (the repository's files, as it fetches them): no node_modules near it.
    actions = path.join(temp, '_actions/acme/ct', RELEASE_COMMIT);
    mkdirSync(actions, { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', actions, '--strip-components=1']);
    // ct's own dependencies, where npm would have installed them; and its bin link.
    symlinkSync(path.join(root, 'node_modules'), path.join(ctDir, 'node_modules'));
    mkdirSync(path.join(workspace, 'node_modules/.bin'));
    chmodSync(path.join(ctDir, 'bin/ct.js'), 0o755);
    symlinkSync('../ct-train/bin/ct.js', path.join(workspace, 'node_modules/.bin/ct'));
    writeFileSync(
      path.join(workspace, 'package.json'),
      `${JSON.stringify({ name: 'penguin-lab', private: true, devDependencies: { 'ct-train': `github:acme/ct#${'c'.repeat(40)}` } }, null, 2)}\n`,
    );
    writeFileSync(path.join(workspace, '.gitignore'), 'node_modules/\n');
    github = await startFakeGitHub({ owner: 'acme', repo: 'penguin-lab', token: TOKEN, headSha: (b) => branchSha(origin, b) });
  });
  afterAll(async () => {
    await github.close();
  });

  /** How the written workflows refer to ct's action `stage`. */
  const actionRef = (stage: string): string =>
    mode === 'installed' ? `./node_modules/ct-train/actions/${stage}` : `acme/ct/actions/${stage}@${RELEASE_COMMIT}`;

  it('the package holds the CLI, the actions with their bundles, the config schema and the workflow templates, and no tests or data', () => {
    for (const stage of ['validate', 'train', 'evaluate', 'promote', 'models', 'verify', 'release']) {
      expect(packed).toEqual(expect.arrayContaining([`actions/${stage}/action.yml`, `actions/${stage}/index.mjs`, `actions/dist/${stage}.js`]));
    }
    expect(packed).toEqual(
      expect.arrayContaining([
        'bin/ct.js',
        'dist/cli/main.js',
        'docs/ct.config.schema.json',
        '.github/workflows/ct.yml',
        '.github/workflows/ct-model.yml',
        '.github/workflows/verify.yml',
        '.github/workflows/deploy.yml',
        '.github/workflows/deploy-model.yml',
        'package.json',
        'README.md',
      ]),
    );
    expect(packed.filter((f) => /^(test|data|bench|src)\//.test(f))).toEqual([]);
    // A release's package names the commit of its bundled actions.
    expect(packed.includes('release.json')).toBe(mode === 'released');
  });

  it("an install whose build did not run (npm refused ct's prepare script) says so in one line, exit 2", async () => {
    const unbuilt = mkdtempSync(path.join(tmpdir(), 'ct-unbuilt-'));
    cpSync(path.join(workspace, 'node_modules/ct-train/bin'), path.join(unbuilt, 'bin'), { recursive: true });
    cpSync(path.join(workspace, 'node_modules/ct-train/package.json'), path.join(unbuilt, 'package.json'));
    const r = await runNode(path.join(unbuilt, 'bin/ct.js'), ['run'], { cwd: unbuilt });
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/^ct: the compiled CLI \(dist\/\) is missing: .*npm install-scripts approve ct-train, then install ct again\)\n$/);
  });

  it('init, then the written ct.yml and ct-model.yml run job by job, end in a promotion pull request that verify.yml re-checks', async () => {
    const init = await runNode(path.join(workspace, 'node_modules/ct-train/bin/ct.js'), ['init', '--data', penguins, '--label', 'Species'], { cwd: workspace });
    // ct is a dependency here: no warning, and the README's steps do not ask to install it.
    expect(init.stderr).toBe('');
    expect(init.status).toBe(0);
    const config = readFileSync(path.join(workspace, 'ct.config.yaml'), 'utf8');
    const schemaLink = /^# yaml-language-server: \$schema=(\S+)$/m.exec(config)![1]!;
    expect(existsSync(path.join(workspace, schemaLink))).toBe(true);
    expect(readFileSync(path.join(workspace, 'README.md'), 'utf8')).not.toMatch(/npm install/);
    commitAndPush(workspace, 'ct init');

    writeFileSync(
      path.join(temp, 'event.json'),
      JSON.stringify({ ref: 'refs/heads/main', after: branchSha(origin, 'main'), repository: { full_name: 'acme/penguin-lab', default_branch: 'main' } }),
    );
    const summary = path.join(temp, 'summary.md');
    writeFileSync(summary, '');
    const installs: string[] = [];
    const ctx: RunnerContext = {
      workspace,
      temp,
      actions: { [`acme/ct@${RELEASE_COMMIT}`]: actions },
      env: {
        GITHUB_ACTIONS: 'true',
        GITHUB_EVENT_NAME: 'push',
        GITHUB_EVENT_PATH: path.join(temp, 'event.json'),
        GITHUB_REPOSITORY: 'acme/penguin-lab',
        GITHUB_API_URL: github.url,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_RUN_ID: '5',
        GITHUB_STEP_SUMMARY: summary,
      },
      // No GitHub App configured: the app-token step is skipped, and promote gets the workflow's token.
      expressions: {
        // A push: no dispatch input names a model.
        'inputs.model': '',
        'github.token': TOKEN,
        'steps.app-token.outputs.token || github.token': TOKEN,
      },
      // node_modules is already in place, as the cached `npm ci` leaves it (installed); nothing is installed (released).
      shell: async (script) => {
        if (mode === 'released' || !/^npm ci\b/.test(script)) throw new Error(`unexpected run step in ct.yml: ${script}`);
        installs.push(script);
        return null;
      },
    };
    // ct.yml's plan chooses the models; each runs ct-model.yml with its matrix values as inputs.
    const plan = await runJob(readWorkflow(path.join(workspace, '.github/workflows/ct.yml')), 'plan', ctx);
    expectAllPassed(plan);
    expect(plan.map((r) => r.step)).toEqual(['plan']);
    const legs = JSON.parse(plan[0]!.outputs.models!) as Array<{ config: string; name: string }>;
    expect(legs).toEqual([{ config: 'ct.config.yaml', name: 'penguins' }]);
    const modelYml = readWorkflow(path.join(workspace, '.github/workflows/ct-model.yml'));
    // No CT_UPDATE variable and no dispatch input: full retrains.
    const legCtx: RunnerContext = { ...ctx, expressions: { ...ctx.expressions, 'inputs.config': legs[0]!.config, 'inputs.update': 'false' } };
    const byJob: Record<string, StepResult[]> = {};
    for (const job of ['validate', 'train', 'evaluate', 'promote']) {
      byJob[job] = await runJob(modelYml, job, legCtx);
      expectAllPassed(byJob[job]);
      // Each job ran exactly one ct action, from node_modules/ct-train or the release (named by its id where it has one).
      expect(byJob[job].map((r) => r.step)).toEqual([job === 'validate' || job === 'train' ? job : actionRef(job)]);
    }
    expect(installs).toHaveLength(mode === 'installed' ? 5 : 0);
    expect(byJob.validate![0]!.outputs).toMatchObject({ ok: 'true', 'retrain-needed': 'true' });
    expect(byJob.evaluate![0]!.outputs).toMatchObject({ passed: 'true' });
    expect(byJob.promote![0]!.outputs).toMatchObject({ promoted: 'true', 'pr-number': '1' });
    expect(github.pulls).toEqual([expect.objectContaining({ number: 1, state: 'open', head: 'ct/promote/penguins', base: 'main' })]);
    expect(github.violations).toEqual([]);
    expect(readFileSync(summary, 'utf8')).toContain('# Evaluation of penguins: gates passed');

    // verify.yml on the pull request (pull_request_target): the base branch checked out, the pull
    // request's head fetched as data from refs/pull/1/head, which GitHub keeps for every pull request.
    git(origin, ['update-ref', 'refs/pull/1/head', 'refs/heads/ct/promote/penguins']);
    git(workspace, ['checkout', '-q', 'main']);
    git(workspace, ['pull', '-q', '--ff-only', 'origin', 'main']);
    const prEvent = path.join(temp, 'pull-request.json');
    writeFileSync(
      prEvent,
      JSON.stringify({
        number: 1,
        pull_request: {
          number: 1,
          head: { ref: 'ct/promote/penguins', repo: { full_name: 'acme/penguin-lab' } },
          base: { ref: 'main', repo: { full_name: 'acme/penguin-lab' } },
        },
      }),
    );
    const verifyCtx = (ran: string[]): RunnerContext => ({
      ...ctx,
      env: { ...ctx.env, GITHUB_EVENT_NAME: 'pull_request_target', GITHUB_EVENT_PATH: prEvent },
      expressions: { ...ctx.expressions, 'github.event.pull_request.number': '1' },
      shell: async (script, env) => {
        ran.push(script);
        if (mode === 'released' && /^npm\b/.test(script)) throw new Error(`released workflows install nothing: ${script}`);
        return /^npm ci\b/.test(script)
          ? null
          : bash(script, workspace, { ...process.env, CI: 'true', ...env, GITHUB_EVENT_NAME: 'pull_request_target', GITHUB_EVENT_PATH: prEvent });
      },
    });
    const ran: string[] = [];
    const verify = await runJob(readWorkflow(path.join(workspace, '.github/workflows/verify.yml')), 'verify', verifyCtx(ran));
    expectAllPassed(verify);
    expect(ran).toEqual([
      'git -c "http.extraheader=AUTHORIZATION: basic $(printf \'x-access-token:%s\' "$TOKEN" | base64 -w0)" fetch --no-tags origin "+refs/pull/${PR_NUMBER}/head:refs/ct/proposal"',
      ...(mode === 'installed' ? ['npm ci --ignore-scripts --no-audit --no-fund'] : []),
    ]);
    expect(verify.at(-1)!.step).toBe(actionRef('verify'));
    expect(verify.at(-1)!.log).toMatch(/^ok: source: branch ct\/promote\/penguins; promotions come from ct\/promote\/penguins$/m);
    expect(verify.at(-1)!.log).toMatch(/^ok: metrics of \S+: \d+ metrics reproduce on 69 rows$/m);
    // The work tree is the base branch's, untouched.
    expect(git(workspace, ['status', '--porcelain', '--untracked-files=no'])).toBe('');

    // The same check when the base branch's data no longer matches what the evaluation read.
    const data = path.join(workspace, 'data/penguins/penguins.jsonl');
    writeFileSync(data, readFileSync(data, 'utf8').split('\n').slice(1).join('\n'));
    const changed = await runJob(readWorkflow(path.join(workspace, '.github/workflows/verify.yml')), 'verify', verifyCtx([]));
    expect(changed.at(-1)!.status).toBe(1);
    expect(changed.at(-1)!.log).toMatch(/^::error::1 check failed: evaluation data$/m);
    expect(changed.at(-1)!.log).toMatch(
      /^::warning::FAILED: evaluation data: data\/penguins\/penguins\.jsonl has changed since the evaluation read it \(its fingerprint differs\)$/m,
    );
  });
});
