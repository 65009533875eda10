/**
 * What every ct action does around its stage: read the inputs, load the config, run the
 * stage inside a log group, set the outputs, write the Markdown report to the job
 * summary, and fail the step with one line. Each action's entry is a few lines on top.
 */
import path from 'node:path';
import * as core from '@actions/core';
import * as tf from '../tf.js';
import { BACKENDS, DEFAULT_CONFIG, DEFAULT_OUT, oneOf } from '../cli/options.js';
import { loadConfig } from '../config/load.js';
import { isRemote } from '../data/remote.js';
import type { BackendPreference } from '../config/types.js';
import type { StageContext } from '../pipeline/context.js';
import { type Anomaly, anomalyText } from '../validate/checker.js';
import { actionsLogger } from './logger.js';
import { type ActionResult, runStep } from './step.js';

/** Inputs every ct action takes. */
export interface CommonInputs {
  config: string;
  out: string;
  data?: string;
  backend?: BackendPreference;
  /** A leg of the config's sweep (train and evaluate in a sweep's matrix). */
  leg?: string;
}

/** Reads the inputs shared by all actions; paths are resolved against the workspace. */
export function commonInputs(): CommonInputs {
  const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
  const resolve = (p: string): string => path.resolve(workspace, p);
  const data = core.getInput('data');
  const backend = core.getInput('backend');
  const leg = core.getInput('leg');
  return {
    config: resolve(core.getInput('config') || DEFAULT_CONFIG),
    out: resolve(core.getInput('out') || DEFAULT_OUT),
    ...(data === '' ? {} : { data: isRemote(data) ? data : resolve(data) }),
    ...(backend === '' ? {} : { backend: oneOf(BACKENDS)(backend, 'input backend') }),
    ...(leg === '' ? {} : { leg }),
  };
}

/** The stage context of the inputs. */
export function stageContext(inputs: CommonInputs): StageContext {
  return {
    loaded: loadConfig(inputs.config, inputs.leg === undefined ? {} : { leg: inputs.leg }),
    outDir: inputs.out,
    logger: actionsLogger,
    ...(inputs.data === undefined ? {} : { data: inputs.data }),
    ...(inputs.backend === undefined ? {} : { backend: inputs.backend }),
  };
}

/**
 * Runs one action: `stage` gets the context and returns its result. User errors (bad
 * inputs among them) fail the step with their one line; anything else also prints the stack.
 */
export async function runAction(name: string, stage: (ctx: StageContext, inputs: CommonInputs) => Promise<ActionResult>): Promise<void> {
  tf.enableProdMode();
  await runStep(name, () => {
    const inputs = commonInputs();
    return stage(stageContext(inputs), inputs);
  });
}

/** Annotates each anomaly on its data file (and line, for text formats): errors as errors, the rest as warnings. */
export function annotateAnomalies(anomalies: readonly Anomaly[]): void {
  for (const a of anomalies) {
    const example = a.examples[0];
    const where =
      example === undefined
        ? {}
        : { file: example.file, ...(/\.(csv|jsonl?)$/i.test(example.file) ? { startLine: example.row + (/\.csv$/i.test(example.file) ? 1 : 0) } : {}) };
    const text = anomalyText(a);
    if (a.severity === 'error') core.error(text, { title: `ct: ${a.kind}`, ...where });
    else core.warning(text, { title: `ct: ${a.kind}`, ...where });
  }
}
