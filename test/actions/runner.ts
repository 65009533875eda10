/**
 * A small stand-in for the Actions runner: runs the steps of a workflow's job in one
 * workspace the way the runner does for JavaScript actions — `node <action>/<runs.main>`
 * with INPUT_* for every input (the step's `with:`, else the action's default),
 * GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and the event. Steps of other repositories' actions
 * (checkout, cache, artifacts) are left to the test: the workspace is already checked out
 * and jobs share it, so artifacts stay where the previous job wrote them.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { runNode } from '../pipeline/repo.js';

/** Parses the GITHUB_OUTPUT file format (`name<<delimiter` blocks, as @actions/core writes them). */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (m === null) continue;
    const value: string[] = [];
    while (++i < lines.length && lines[i] !== m[2]) value.push(lines[i]!);
    out[m[1]!] = value.join('\n');
  }
  return out;
}

interface WorkflowStep {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string | number | boolean>;
}

/** A workflow file as parsed YAML (only what the runner here reads). */
export interface Workflow {
  jobs: Record<string, { steps: WorkflowStep[] }>;
}

/** What one step did. */
export interface StepResult {
  step: string;
  status: number;
  log: string;
  outputs: Record<string, string>;
}

/** Where and how jobs run. */
export interface RunnerContext {
  workspace: string;
  /** RUNNER_TEMP; also holds the output files. */
  temp: string;
  /** GITHUB_* and other variables every step sees (GITHUB_EVENT_PATH, GITHUB_API_URL, ...). */
  env: Record<string, string>;
  /** Values of the `${{ … }}` expressions the workflow uses, by their text; any other expression fails the test. */
  expressions: Record<string, string>;
  /**
   * The runner's copies of other repositories whose actions the workflow runs, by
   * `owner/repo@sha` (as it downloads them beside the workspace). Other actions of other
   * repositories (checkout, cache, artifacts) are skipped.
   */
  actions?: Record<string, string>;
  /** Runs a `run:` step with the step's own `env:`, evaluated; returns null to skip it (e.g. `npm ci` when node_modules is in place). */
  shell: (script: string, env: Record<string, string>) => Promise<{ status: number; log: string } | null>;
}

/** Reads a workflow file. */
export function readWorkflow(file: string): Workflow {
  return parse(readFileSync(file, 'utf8')) as Workflow;
}

function evaluate(value: string, expressions: Record<string, string>): string {
  return value.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression: string) => {
    const v = expressions[expression];
    if (v === undefined) throw new Error(`runner: no value for the expression \${{ ${expression} }}`);
    return v;
  });
}

/** Where the action a step uses lives: `./path` in the workspace, `owner/repo/path@sha` in `ctx.actions`; null to skip it. */
function actionDirectory(uses: string | undefined, ctx: RunnerContext): string | null {
  if (uses === undefined) return null;
  if (uses.startsWith('./')) return path.join(ctx.workspace, uses);
  const remote = /^([\w.-]+\/[\w.-]+)\/([\w./-]+)@([0-9a-f]{40})$/.exec(uses);
  const copy = remote === null ? undefined : ctx.actions?.[`${remote[1]}@${remote[3]}`];
  return copy === undefined ? null : path.join(copy, remote![2]!);
}

/**
 * Runs the steps of `job` in order, stopping at the first that fails. `uses: ./path`
 * actions must exist in the workspace with a node20/node24 `runs.main`, as the runner
 * requires.
 */
export async function runJob(workflow: Workflow, job: string, ctx: RunnerContext): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const [index, step] of workflow.jobs[job]!.steps.entries()) {
    const name = step.id ?? step.uses ?? step.run ?? String(index);
    if (step.run !== undefined) {
      const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, evaluate(String(v), ctx.expressions)]));
      const r = await ctx.shell(evaluate(step.run, ctx.expressions), env);
      if (r === null) continue;
      results.push({ step: name, status: r.status, log: r.log, outputs: {} });
      if (r.status !== 0) break;
      continue;
    }
    const dir = actionDirectory(step.uses, ctx);
    if (dir === null) continue;
    const metadata = path.join(dir, 'action.yml');
    if (!existsSync(metadata)) throw new Error(`runner: ${step.uses}: no action.yml in ${dir}`);
    const action = parse(readFileSync(metadata, 'utf8')) as { inputs?: Record<string, { default?: string }>; runs: { using: string; main: string } };
    if (!/^node(20|24)$/.test(action.runs.using)) throw new Error(`runner: ${step.uses}: runs.using ${action.runs.using}`);
    const outputFile = path.join(ctx.temp, `${job}-${index}.out`);
    writeFileSync(outputFile, '');
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      ...ctx.env,
      GITHUB_WORKSPACE: ctx.workspace,
      GITHUB_OUTPUT: outputFile,
      RUNNER_TEMP: ctx.temp,
    };
    for (const [input, spec] of Object.entries(action.inputs ?? {})) if (spec.default !== undefined) env[`INPUT_${input.toUpperCase()}`] = spec.default;
    for (const [input, value] of Object.entries(step.with ?? {})) {
      if (action.inputs?.[input] === undefined) throw new Error(`runner: ${step.uses} has no input "${input}"`);
      env[`INPUT_${input.toUpperCase()}`] = evaluate(String(value), ctx.expressions);
    }
    const r = await runNode(path.join(dir, action.runs.main), [], { cwd: ctx.workspace, env });
    results.push({ step: name, status: r.status, log: r.stdout + r.stderr, outputs: parseOutputs(readFileSync(outputFile, 'utf8')) });
    if (r.status !== 0) break;
  }
  return results;
}
