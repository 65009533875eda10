/**
 * The model's alert issue: how it is found, and what a run does to it. Pure: the
 * monitor acts on GitHub as decided here.
 */
import type { MonitorRecord } from './decide.js';

/**
 * The hidden marker that finds a model's alert issue even if someone renames it. A model
 * name cannot end the comment early: line breaks and `<`, `>` become spaces (names the
 * config accepts have none, so their markers are as they always were).
 */
export function issueMarker(model: string): string {
  return `<!-- ct-monitor:${model.replace(/[<>\r\n]/g, ' ').slice(0, 200)} -->`;
}

/**
 * What a run does to the issue: `open` one (alert, none open); `update` it with a comment
 * (alert, one open); `close` it with a comment (judged healthy on enough rows: the alert is
 * over); `comment` on it (the outcome changed since the `last` run, or retraining was
 * asked for); nothing (null).
 */
export type IssueAction = 'open' | 'update' | 'close' | 'comment' | null;

/** The {@link IssueAction} of `record`, given whether an issue is open and the `last` run. */
export function issueAction(
  record: Pick<MonitorRecord, 'outcome' | 'value' | 'retrain'>,
  open: boolean,
  last: Pick<MonitorRecord, 'outcome'> | undefined,
): IssueAction {
  if (record.outcome === 'alert') return open ? 'update' : 'open';
  if (!open) return null;
  if (record.outcome === 'none' && record.value !== null) return 'close';
  if (last === undefined || last.outcome !== record.outcome || record.retrain) return 'comment';
  return null;
}
