/** The `monitor` action: `ct monitor --github` (or, with `github: false`, decide and record only). */
import * as core from '@actions/core';
import { runMonitor } from '../pipeline/monitor.js';
import { runAction } from './run-action.js';

await runAction('monitor', async (ctx) => {
  // Masked by the pipeline (logger.secret) as soon as it is used.
  const token = core.getInput('token');
  const github = core.getInput('github') !== 'false';
  const record = await runMonitor(ctx, { github, env: { ...process.env, ...(token === '' ? {} : { GITHUB_TOKEN: token }) } });
  return {
    outputs: {
      decision: record.outcome,
      retrain: record.retrain,
      metric: record.metric,
      value: record.value ?? '',
      reference: record.reference ?? '',
      rows: record.rows,
      dispatched: record.actions.dispatched ?? '',
      'issue-number': record.actions.issue?.number ?? '',
      'issue-url': record.actions.issue?.url ?? '',
      report: `${ctx.outDir}/monitor/monitor.md`,
    },
    // The pipeline wrote the summary itself when it acted on GitHub.
    ...(github ? {} : { summaryFile: `${ctx.outDir}/monitor/monitor.md` }),
    ...(record.outcome === 'alert' ? { failure: `alert: ${record.reasons.join('; ')}` } : {}),
  };
});
