/**
 * What every ct action does around its work: run it inside a log group, set the outputs,
 * write the Markdown report to the job summary, and fail the step with one line. Kept
 * apart from the config-loading stage actions so that an action that runs no model (the
 * models plan) loads no TF.js.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { explainFileSystemError, isUserError } from '../errors.js';
import { appendJobSummary } from '../files.js';

/** The step's verdict: outputs to set, a report for the job summary, and failure if any. */
export interface ActionResult {
  outputs: Record<string, string | number | boolean>;
  /** Markdown file appended to the job summary. */
  summaryFile?: string;
  /** Markdown for the job summary when there is no report file. */
  summary?: string;
  /** One line; the step fails with it. */
  failure?: string;
}

/**
 * Runs the work of action `name`. User errors (bad inputs among them) fail the step with
 * their one line; anything else also prints the stack in the debug log.
 */
export async function runStep(name: string, work: () => Promise<ActionResult>): Promise<void> {
  try {
    const result = await core.group(`ct ${name}`, work);
    for (const [key, value] of Object.entries(result.outputs)) core.setOutput(key, value);
    if (result.summaryFile !== undefined && existsSync(result.summaryFile)) appendJobSummary(process.env, readFileSync(result.summaryFile, 'utf8'));
    if (result.summary !== undefined) appendJobSummary(process.env, `${result.summary}\n`);
    if (result.failure !== undefined) core.setFailed(result.failure);
  } catch (thrown) {
    const error = explainFileSystemError(thrown);
    if (isUserError(error)) core.setFailed(`ct ${name}: ${error.message}`);
    else {
      core.setFailed(`ct ${name}: internal error: ${(error as Error).message}`);
      core.debug((error as Error).stack ?? '');
    }
  }
}
