/** The `validate` action: `ct validate` with annotations on the data files and rows. */
import * as core from '@actions/core';
import { artifactPaths } from '../artifacts.js';
import { runValidate } from '../pipeline/validate.js';
import { annotateAnomalies, runAction } from './run-action.js';

await runAction('validate', async (ctx) => {
  const { result } = await runValidate(ctx, undefined, { updateSchema: core.getInput('update-schema') === 'true' });
  annotateAnomalies(result.anomalies);
  const errors = result.anomalies.filter((a) => a.severity === 'error').length;
  const paths = artifactPaths(ctx.outDir);
  return {
    outputs: {
      ok: result.ok,
      anomalies: result.anomalies.length,
      errors,
      'retrain-needed': result.retrain?.needed ?? true,
      'drift-detected': result.drift?.datasetDrift ?? false,
      rows: result.rows,
      fingerprint: result.fingerprint,
      report: paths.validationReport,
    },
    summaryFile: paths.validationReport,
    ...(result.ok
      ? {}
      : {
          failure: `validation failed: ${errors} error anomal${errors === 1 ? 'y' : 'ies'}${result.drift?.datasetDrift && result.drift.blocking ? ' and blocking dataset drift' : ''} (see the job summary)`,
        }),
  };
});
