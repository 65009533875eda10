/**
 * The Logger of ct's GitHub Actions: library code logs through it and never imports
 * `@actions/core` itself. Epoch progress becomes one log line per epoch; secrets are
 * registered so the runner masks them.
 */
import * as core from '@actions/core';
import type { Logger } from '../logger.js';

export const actionsLogger: Logger = {
  info: (message) => core.info(message),
  warning: (message) => core.warning(message),
  // A plain line: the actions annotate each finding on its file themselves (annotateAnomalies).
  error: (message) => core.info(`error: ${message}`),
  debug: (message) => core.debug(message),
  progress: (message, options) => {
    // Within-epoch updates would flood the job log: only whole epochs are printed.
    if (options?.transient !== true) core.info(message);
  },
  secret: (value) => core.setSecret(value),
};
