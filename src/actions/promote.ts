/** The `promote` action: `ct promote --pr` (or local with `pull-request: false`). */
import * as core from '@actions/core';
import { runPromote } from '../pipeline/promote.js';
import { runAction } from './run-action.js';

await runAction('promote', async (ctx) => {
  // Masked by the pipeline (logger.secret) as soon as it is used.
  const token = core.getInput('token');
  const pr = core.getInput('pull-request') !== 'false';
  const base = core.getInput('base');
  const record = await runPromote(ctx, { pr, ...(base === '' ? {} : { base }), env: { ...process.env, ...(token === '' ? {} : { GITHUB_TOKEN: token }) } });
  return {
    outputs: {
      promoted: record.promoted,
      unchanged: record.unchanged,
      version: record.version ?? '',
      'pr-number': record.pullRequest?.number ?? '',
      'pr-url': record.pullRequest?.url ?? '',
      commit: record.commit ?? '',
    },
    ...(record.promoted || record.unchanged ? {} : { failure: `not promoted: ${record.reason}` }),
  };
});
