/** The monitor's words: `monitor.md`, the alert issue's title, body and comments. */
import type { MonitorRecord } from '../monitor/decide.js';
import { num, signed, table } from './markdown.js';

const OUTCOME_WORDS: Record<MonitorRecord['outcome'], string> = { none: 'nothing to do', retrain: 'retrain', alert: 'alert' };

/** The last `n` runs and this one, as a trend table (oldest first). */
function trendTable(record: MonitorRecord, history: readonly MonitorRecord[], n = 10): string {
  const runs = [...history.slice(-n), record];
  return table(
    ['run', 'production', 'new data', 'rows', record.metric, 'vs promotion', 'decision'],
    runs.map((r) => [
      r.at.slice(0, 16).replace('T', ' '),
      r.production === '' ? '—' : r.production,
      r.window === null ? '—' : `${r.window.first}..${r.window.last}`,
      String(r.rows),
      num(r.value),
      r.drop === null ? '—' : signed(-r.drop * (r.higherIsBetter ? 1 : -1)),
      OUTCOME_WORDS[r.outcome],
    ]),
  );
}

function driftLine(record: MonitorRecord): string {
  if (record.drift === null) return 'Drift: not tested (no reference statistics).';
  const parts = [
    record.drift.columns.length === 0 ? 'no input column drifted' : `input columns drifted: ${record.drift.columns.join(', ')}`,
    record.drift.label ? 'the label drifted' : 'the label did not drift',
    record.drift.prediction ? 'the predictions drifted' : 'the predictions did not drift',
  ];
  return `Drift against the production model's training statistics: ${parts.join('; ')}${record.drift.dataset ? ' (dataset drift)' : ''}.`;
}

/** `monitor.md` and the job summary. */
export function monitorMarkdown(record: MonitorRecord, history: readonly MonitorRecord[]): string {
  const lines = [`## ct monitor: ${record.model}: ${OUTCOME_WORDS[record.outcome]}`, '', ...record.reasons.map((r) => `- ${r}`), ''];
  if (record.production !== '') {
    lines.push(
      `Production ${record.production}: ${record.metric} ${num(record.value)} on ${record.rows} labelled rows of new data${record.window === null ? '' : ` (${record.window.first}..${record.window.last})`}; ${num(record.reference)} at promotion.`,
      '',
      driftLine(record),
      '',
    );
    if (record.errors.length > 0) lines.push('Error anomalies in the new data:', '', ...record.errors.map((e) => `- ${e}`), '');
    lines.push(trendTable(record, history), '');
  }
  const acted = [
    record.actions.dispatched === null ? null : `dispatched ${record.actions.dispatched} to retrain`,
    record.actions.issue === null ? null : `${record.actions.issue.action} issue [#${record.actions.issue.number}](${record.actions.issue.url})`,
    record.actions.history === null ? null : `history committed to ${record.actions.history}`,
  ].filter((a) => a !== null);
  if (acted.length > 0) lines.push(`ct ${acted.join('; ')}.`, '');
  return lines.join('\n');
}

/** The alert issue's title: the model and what is wrong, in a line. */
export function monitorIssueTitle(record: MonitorRecord): string {
  const what =
    record.errors.length > 0
      ? 'new data has error anomalies'
      : record.value === null
        ? 'needs attention'
        : `${record.metric} ${num(record.value)}, ${num(record.reference)} at promotion`;
  return `ct monitor: ${record.model} ${what}`;
}

/** The alert issue's body: the marker that finds it again, the evidence, the trend, and what to do. */
export function monitorIssueBody(record: MonitorRecord, history: readonly MonitorRecord[], marker: string, runUrl: string | null): string {
  return [
    marker,
    monitorMarkdown(record, history).replace(/^## /, '### '),
    '### What to do',
    '',
    record.errors.length > 0
      ? '- Fix the data, or accept the change in the schema (`ct validate --update-schema` proposes it); until then retraining is refused.'
      : '- Review the retraining pull request ct opens when a candidate passes the gates; if none passes, look at the evaluation report of the latest `ct` run.',
    '- ct closes this issue by itself when a monitor run finds the production model healthy again.',
    '',
    runUrl === null ? '' : `Latest monitor run: ${runUrl}`,
  ].join('\n');
}

/** A comment for each monitor run that changes or confirms the issue's state. */
export function monitorIssueComment(record: MonitorRecord, runUrl: string | null): string {
  const head =
    record.outcome === 'none'
      ? `Recovered: ${record.metric} ${num(record.value)} on ${record.rows} rows of new data; closing.`
      : `Still ${OUTCOME_WORDS[record.outcome]}: ${record.reasons.join('; ')}`;
  return [head, record.actions.dispatched === null ? '' : `Retraining dispatched (${record.actions.dispatched}).`, runUrl === null ? '' : runUrl]
    .filter((l) => l !== '')
    .join('\n\n');
}
