/**
 * The `models` action: the plan job of ct.yml. It lists the repository's models and
 * chooses the ones this run retrains — on a push, each whose config, data, schema or model
 * source the push changed; on a schedule or a dispatch, all of them (or the one named) —
 * as a JSON list the next job fans out as a matrix. With `watch: production` (deploy.yml)
 * it chooses the models whose production pointer changed instead.
 */
import { readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { listOf, oneOf, WATCHES } from '../cli/options.js';
import { type ModelsRequest, planModels } from '../pipeline/models.js';
import { runStep } from './step.js';

/** `before` and `after` of a push event; null for any other event or a payload without them. */
function pushedChange(env: NodeJS.ProcessEnv): { from: string; to: string } | null {
  if (env.GITHUB_EVENT_NAME !== 'push' || env.GITHUB_EVENT_PATH === undefined) return null;
  const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as { before?: unknown; after?: unknown };
  const commit = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{40,64}$/.test(v);
  return commit(event.before) && commit(event.after) ? { from: event.before, to: event.after } : null;
}

await runStep('models', async () => {
  const change = pushedChange(process.env);
  const request: ModelsRequest = {
    dir: process.env.GITHUB_WORKSPACE ?? process.cwd(),
    configs: listOf(core.getInput('configs')),
    model: core.getInput('model'),
    shared: listOf(core.getInput('shared')),
    watch: oneOf(WATCHES)(core.getInput('watch') || 'inputs', 'input watch'),
    ...(change === null ? {} : { change }),
  };
  const plan = await planModels(request);
  const rows = plan.all.map((m) => {
    const chosen = plan.chosen.find((c) => c.config === m.config);
    return `| ${m.name} | \`${m.config}\` | ${chosen === undefined ? 'no' : 'yes'} | ${chosen === undefined || chosen.because.startsWith('every') || chosen.because === 'named' ? '' : `\`${chosen.because}\``} |`;
  });
  core.info(plan.reason);
  return {
    outputs: {
      models: JSON.stringify(plan.chosen.map((m) => ({ config: m.config, name: m.name }))),
      count: plan.chosen.length,
    },
    summary: [`# Models of this run`, '', `${plan.reason}.`, '', '| model | config | runs | changed file |', '|---|---|---|---|', ...rows].join('\n'),
  };
});
