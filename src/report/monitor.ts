/** The monitor's words: `monitor.md`, the alert issue's title, body and comments. */
import { lineChart } from './charts.js';
import type { MonitorRecord } from '../monitor/decide.js';
import { code, plain, text } from './escape.js';
import { num, signed, table } from './markdown.js';

const OUTCOME_WORDS: Record<MonitorRecord['outcome'], string> = { none: 'nothing to do', retrain: 'retrain', alert: 'alert' };

/** The last `n` runs and this one, as a trend table (oldest first). */
function trendTable(record: MonitorRecord, history: readonly MonitorRecord[], n = 10): string {
  const runs = [...history.slice(-n), record];
  return table(
    ['run', 'production', 'new data', 'rows', text(record.metric, 60), 'vs promotion', 'decision'],
    runs.map((r) => [
      text(r.at.slice(0, 16).replace('T', ' ')),
      r.production === '' ? '—' : text(r.production, 100),
      r.window === null ? '—' : windowText(r.window),
      String(r.rows),
      num(r.value),
      r.drop === null ? '—' : signed(-r.drop * (r.higherIsBetter ? 1 : -1)),
      OUTCOME_WORDS[r.outcome],
    ]),
  );
}

/**
 * The watched metric and the share of drifted columns over the last `n` judged runs and
 * this one, as charts GitHub draws in the job summary and the issue; empty with fewer
 * than two judged runs.
 */
function trendCharts(record: MonitorRecord, history: readonly MonitorRecord[], n = 30): string {
  const runs = [...history, record].filter((r) => r.production !== '' && r.metric === record.metric).slice(-n);
  if (runs.length < 2) return '';
  const xs = runs.map((r) => r.at.slice(5, 16).replace('T', ' '));
  const values = runs.map((r) => r.value ?? Number.NaN);
  const finite = values.filter(Number.isFinite);
  const low = finite.length === 0 ? 0 : Math.min(...finite, ...runs.map((r) => r.reference ?? Number.POSITIVE_INFINITY));
  const high = finite.length === 0 ? 1 : Math.max(...finite, ...runs.map((r) => r.reference ?? Number.NEGATIVE_INFINITY));
  const pad = Math.max((high - low) * 0.1, 0.005);
  const range: [number, number] = [Number((low - pad).toFixed(4)), Number((high + pad).toFixed(4))];
  const metric = lineChart(
    `${record.metric} on new labelled rows per monitor run (first line) and at promotion (second)`,
    'monitor run (UTC)',
    xs,
    record.metric,
    [values, runs.map((r) => r.reference ?? Number.NaN)],
    range,
  );
  const drift = lineChart('share of columns that drifted per monitor run', 'monitor run (UTC)', xs, 'share', [runs.map((r) => r.drift?.share ?? Number.NaN)]);
  return `${metric}

${drift}`;
}

/** `2001-03-01..2001-03-07`. */
function windowText(w: { first: string; last: string }): string {
  return `${text(w.first, 40)}..${text(w.last, 40)}`;
}

function driftLine(record: MonitorRecord): string {
  if (record.drift === null) return 'Drift: not tested (no reference statistics).';
  const parts = [
    record.drift.columns.length === 0 ? 'no input column drifted' : `input columns drifted: ${record.drift.columns.map((c) => code(c)).join(', ')}`,
    record.drift.label ? 'the label drifted' : 'the label did not drift',
    record.drift.prediction ? 'the predictions drifted' : 'the predictions did not drift',
  ];
  return `Drift against the production model's training statistics: ${parts.join('; ')}${record.drift.dataset ? ' (dataset drift)' : ''}.`;
}

const JUDGED_ON: Record<NonNullable<MonitorRecord['judgedOn']>, string> = {
  labels: 'the labelled rows (and drift beside them)',
  drift: 'drift alone: too few labels yet (monitoring.driftWithoutLabels)',
  nothing: 'nothing: too few labels and no drift, or data that cannot be judged',
};

/** What was judged, in words: new data, or the prediction log with its late labels. */
function sourceText(record: MonitorRecord): string {
  const s = record.source;
  return s === undefined || s.kind === 'data' ? 'new data' : `the prediction log (${s.logged} rows logged, ${s.labelled} with a late label)`;
}

/** `monitor.md` and the job summary. */
export function monitorMarkdown(record: MonitorRecord, history: readonly MonitorRecord[]): string {
  const lines = [`## ct monitor: ${text(record.model, 100)}: ${OUTCOME_WORDS[record.outcome]}`, '', ...record.reasons.map((r) => `- ${text(r)}`), ''];
  if (record.production !== '') {
    lines.push(
      `Production ${text(record.production, 100)}: ${text(record.metric, 60)} ${num(record.value)} on ${record.rows} labelled rows of ${sourceText(record)}${record.window === null ? '' : ` (${windowText(record.window)})`}; ${num(record.reference)} at promotion.`,
      '',
      ...(record.judgedOn === undefined ? [] : [`Judged on: ${JUDGED_ON[record.judgedOn]}.`, '']),
      driftLine(record),
      '',
    );
    if (record.errors.length > 0) lines.push('Error anomalies in the new data:', '', ...record.errors.map((e) => `- ${text(e)}`), '');
    lines.push(trendTable(record, history), '');
    const charts = trendCharts(record, history);
    if (charts !== '') lines.push(charts, '');
  }
  const acted = [
    record.actions.dispatched === null ? null : `dispatched ${text(record.actions.dispatched, 100)} to retrain`,
    record.actions.issue === null ? null : `${record.actions.issue.action} issue [#${record.actions.issue.number}](${record.actions.issue.url})`,
    record.actions.history === null ? null : `history committed to ${text(record.actions.history, 200)}`,
    record.actions.webhook === undefined ? null : `webhook ${text(record.actions.webhook, 200)}`,
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
        : `${plain(record.metric, 60)} ${num(record.value)}, ${num(record.reference)} at promotion`;
  return plain(`ct monitor: ${plain(record.model, 100)} ${what}`, 250);
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
      ? `Recovered: ${text(record.metric, 60)} ${num(record.value)} on ${record.rows} rows of new data; closing.`
      : `Still ${OUTCOME_WORDS[record.outcome]}: ${record.reasons.map((r) => text(r)).join('; ')}`;
  return [head, record.actions.dispatched === null ? '' : `Retraining dispatched (${text(record.actions.dispatched, 100)}).`, runUrl === null ? '' : runUrl]
    .filter((l) => l !== '')
    .join('\n\n');
}
