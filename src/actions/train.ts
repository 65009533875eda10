/** The `train` action: `ct train` (with `update: true`, `ct train --update`), one log line per epoch. */
import * as core from '@actions/core';
import { artifactPaths } from '../artifacts.js';
import { runTrain } from '../pipeline/train.js';
import { trainUpdate } from '../pipeline/update.js';
import { runAction } from './run-action.js';
import type { ActionResult } from './step.js';

await runAction('train', async (ctx): Promise<ActionResult> => {
  const paths = artifactPaths(ctx.outDir);
  let record;
  if (core.getInput('update') === 'true') {
    const { scope, output } = await trainUpdate(ctx);
    if (output === null) return { outputs: { trained: false, start: '', 'model-dir': '' }, summary: scope.reason };
    record = output.record;
  } else record = (await runTrain(ctx)).record;
  return {
    outputs: {
      trained: true,
      start: record.start?.mode ?? 'full',
      'model-dir': paths.modelDir,
      backend: record.backend.name,
      epochs: record.epochs,
      'samples-per-second': Math.round(record.timing.samplesPerSecond),
      'data-fingerprint': record.data.fingerprint,
    },
    summaryFile: paths.trainingReport,
  };
});
