/**
 * The root action (action.yml at the repository's root, the one the Marketplace lists):
 * runs the stage action its `stage` input names, with the same inputs.
 */
import * as core from '@actions/core';

/** Each stage action's entry; importing one runs it. */
const STAGES: Record<string, () => Promise<unknown>> = {
  validate: () => import('./validate.js'),
  train: () => import('./train.js'),
  evaluate: () => import('./evaluate.js'),
  promote: () => import('./promote.js'),
  predict: () => import('./predict.js'),
  monitor: () => import('./monitor.js'),
  models: () => import('./models.js'),
  verify: () => import('./verify.js'),
  release: () => import('./release.js'),
};

const stage = core.getInput('stage');
const run = STAGES[stage];
if (run === undefined) core.setFailed(`input stage: expected one of ${Object.keys(STAGES).join(', ')}, got "${stage}"`);
else await run();
