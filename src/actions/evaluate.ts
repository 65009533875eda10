/** The `evaluate` action: `ct evaluate`; the step fails when the gates do. */
import { headlineMetric } from '../evaluate/metrics.js';
import { artifactPaths } from '../artifacts.js';
import * as core from '@actions/core';
import { runEvaluate } from '../pipeline/evaluate.js';
import { evaluateUpdate } from '../pipeline/update.js';
import { runAction } from './run-action.js';

await runAction('evaluate', async (ctx) => {
  const record = core.getInput('update') === 'true' ? await evaluateUpdate(ctx) : await runEvaluate(ctx);
  const paths = artifactPaths(ctx.outDir);
  const headline = headlineMetric(record.task).name;
  return {
    outputs: {
      passed: record.ok,
      'rubber-stamp': record.rubberStamp,
      metric: headline,
      value: record.candidate.metrics[headline] ?? '',
      delta: record.deltas[headline]?.value ?? '',
      'production-version': record.baseline?.version ?? '',
      report: paths.evaluationReport,
    },
    summaryFile: paths.evaluationReport,
    ...(record.ok ? {} : { failure: `gates failed: ${record.failures.map((f) => f.message).join('; ')}` }),
  };
});
