/**
 * What a replay shows while it runs: the status of the current step, the stages' own
 * messages inside it, one line per step done, and the last line.
 */
import type { ReplayResult, ReplayStep } from '../artifacts.js';
import type { Logger } from '../logger.js';
import { signed } from '../report/markdown.js';
import { formatDuration, POLICIES, progressBar } from './schedule.js';

/**
 * The status line of step `index` (0-based) of `total` at `date`, `elapsedSeconds` into
 * the replay, as a function of what the step is doing.
 */
export function stepStatus(index: number, total: number, date: string, elapsedSeconds: number): (what: string) => string {
  const eta = index === 0 ? '?' : formatDuration((elapsedSeconds / index) * (total - index));
  return (what) => `${progressBar(index, total)} step ${index + 1}/${total} ${date} ${what}, ETA ${eta}`;
}

/**
 * The stages' own messages go to debug inside a replay (one line per step is the
 * replay's log); their transient progress (training epochs) shows after the bar.
 */
export function stepLogger(outer: Logger, status: (what: string) => string): Logger {
  return {
    info: (m) => outer.debug(m),
    warning: (m) => outer.debug(`warning: ${m}`),
    error: (m) => outer.debug(`error: ${m}`),
    debug: (m) => outer.debug(m),
    progress: (m) => outer.progress(status(m), { transient: true }),
  };
}

/** One line per step: what happened and how each policy scored. */
export function stepLine(index: number, total: number, step: ReplayStep, metric: string, elapsedSeconds: number): string {
  const outcome =
    step.stoppedAt === null
      ? step.promoted
        ? `promoted ${step.served.gated}`
        : 'production already is the candidate'
      : `not promoted (${step.stoppedAt === 'error' ? 'error' : `${step.stoppedAt} said no`}: ${step.reasons[0] ?? ''})`;
  const delta =
    step.delta === null
      ? ''
      : ` ${metric} ${signed(step.delta.value)}${step.delta.ci === null ? '' : ` [${signed(step.delta.ci[0])}, ${signed(step.delta.ci[1])}]`};`;
  const scores = POLICIES.map((p) => `${p} ${step.scores[p]?.toFixed(4) ?? 'n/a'}`).join(' ');
  const eta = formatDuration((elapsedSeconds / (index + 1)) * (total - index - 1));
  return `${progressBar(index + 1, total)} ${index + 1}/${total} ${step.date}:${delta} ${outcome} | next ${step.next.rows} rows ${metric}: ${scores} | ${step.seconds.toFixed(0)}s, ETA ${eta}`;
}

/** The last line: how long, each policy's mean next-period metric, where the report is. */
export function doneLine(result: ReplayResult, report: string): string {
  const means = POLICIES.map((p) => `${p} ${result.policies[p].mean?.toFixed(4) ?? 'n/a'}`).join(', ');
  return `replay done in ${formatDuration(result.durationSeconds)}: mean next-period ${result.metric}: ${means}; report ${report}`;
}
