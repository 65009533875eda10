/** The `predict` action: `ct predict` with annotations on the data files and rows of anomalies that stop it. */
import path from 'node:path';
import * as core from '@actions/core';
import { artifactPaths } from '../artifacts.js';
import { names } from '../cli/options.js';
import { runPredict } from '../pipeline/predict.js';
import { annotateAnomalies, runAction } from './run-action.js';

await runAction('predict', async (ctx) => {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const output = core.getInput('output');
  const keep = names(core.getInput('keep'), 'input keep');
  const modelVersion = core.getInput('model-version');
  const record = await runPredict(ctx, {
    ...(output === '' ? {} : { output: path.resolve(workspace, output) }),
    ...(keep.length === 0 ? {} : { keep }),
    ...(modelVersion === '' ? {} : { modelVersion }),
  });
  annotateAnomalies(record.anomalies);
  const errors = record.anomalies.filter((a) => a.severity === 'error').length;
  const paths = artifactPaths(ctx.outDir);
  return {
    outputs: {
      ok: record.ok,
      rows: record.rows,
      version: record.version,
      predictions: record.output === null ? '' : path.resolve(record.output),
      report: paths.predictionReport,
    },
    summaryFile: paths.predictionReport,
    ...(record.ok
      ? {}
      : {
          failure: `refusing to score ${record.files.length === 1 ? record.files[0] : `${record.files.length} files`}: ${errors} error anomal${errors === 1 ? 'y' : 'ies'} (see the job summary)`,
        }),
  };
});
