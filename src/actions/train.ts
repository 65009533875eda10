/** The `train` action: `ct train`, one log line per epoch. */
import { artifactPaths } from '../artifacts.js';
import { runTrain } from '../pipeline/train.js';
import { runAction } from './run-action.js';

await runAction('train', async (ctx) => {
  const { record } = await runTrain(ctx);
  const paths = artifactPaths(ctx.outDir);
  return {
    outputs: {
      'model-dir': paths.modelDir,
      backend: record.backend.name,
      epochs: record.epochs,
      'samples-per-second': Math.round(record.timing.samplesPerSecond),
      'data-fingerprint': record.data.fingerprint,
    },
    summaryFile: paths.trainingReport,
  };
});
