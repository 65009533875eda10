/** The `validate` action: `ct validate` with annotations on the data files and rows. */
import * as core from '@actions/core';
import { artifactPaths, type ValidationResult } from '../artifacts.js';
import { validateUpdate } from '../pipeline/update.js';
import { runValidate } from '../pipeline/validate.js';
import { annotateAnomalies, runAction } from './run-action.js';

await runAction('validate', async (ctx) => {
  const options = { updateSchema: core.getInput('update-schema') === 'true' };
  const paths = artifactPaths(ctx.outDir);
  if (core.getInput('update') === 'true') {
    const { scope, output } = await validateUpdate(ctx, options);
    // Nothing arrived since production's training data: nothing to validate or train.
    if (output === null)
      return {
        outputs: { ok: true, anomalies: 0, errors: 0, 'retrain-needed': false, 'drift-detected': false, rows: 0, fingerprint: '', report: '' },
        summary: scope.reason,
      };
    return validationOutputs(output.result, paths);
  }
  const { result } = await runValidate(ctx, undefined, options);
  return validationOutputs(result, paths);
});

/** The action's outputs and summary for a validation result. */
function validationOutputs(result: ValidationResult, paths: ReturnType<typeof artifactPaths>) {
  annotateAnomalies(result.anomalies);
  const errors = result.anomalies.filter((a) => a.severity === 'error').length;
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
}
