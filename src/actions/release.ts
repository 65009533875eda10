/**
 * The `release` action: `ct release`, the production version as release files (with their
 * sha256) and notes, for a job that publishes them.
 */
import { runRelease } from '../pipeline/deploy.js';
import { runAction } from './run-action.js';

await runAction('release', async (ctx) => {
  const release = runRelease(ctx);
  return {
    outputs: { tag: release.tag, dir: release.dir, notes: release.notes },
    summaryFile: release.notes,
  };
});
