/** `replay.md` and `replay.csv`: what a backtest of the continuous-training policy showed. */
import type { ReplayResult, ReplayStep } from '../artifacts.js';
import { POLICIES, POLICY_DESCRIPTIONS } from '../replay/schedule.js';
import { lineChart } from './charts.js';
import { csvLine } from './csv.js';
import { text } from './escape.js';
import { num, signed, table } from './markdown.js';

/** One row per step: the dates, what the gated pipeline did, and each policy's score. */
export function replayCsv(r: ReplayResult): string {
  const header = [
    'step',
    'window_first',
    'window_last',
    'next_first',
    'next_last',
    'next_rows',
    'stopped_at',
    'promoted',
    `delta_${r.metric}`,
    'delta_ci_low',
    'delta_ci_high',
    ...POLICIES.map((p) => `${p}_${r.metric}`),
    ...POLICIES.map((p) => `${p}_model`),
    'seconds',
    'candidate_start',
    'validate_seconds',
    'train_seconds',
    'evaluate_seconds',
    'reasons',
    'retry_date',
    'retry_stopped_at',
    'retry_promoted',
  ];
  let out = csvLine(header);
  for (const s of r.steps) {
    out += csvLine([
      s.date,
      s.window?.first,
      s.window?.last,
      s.next.first,
      s.next.last,
      s.next.rows,
      s.stoppedAt ?? '',
      s.promoted,
      s.delta?.value,
      s.delta?.ci?.[0],
      s.delta?.ci?.[1],
      ...POLICIES.map((p) => s.scores[p]),
      ...POLICIES.map((p) => s.served[p]),
      Number(s.seconds.toFixed(1)),
      s.start ?? '',
      Number(s.cost.validate.toFixed(1)),
      Number(s.cost.train.toFixed(1)),
      Number(s.cost.evaluate.toFixed(1)),
      s.reasons.join('; '),
      s.retry?.date,
      s.retry === undefined ? undefined : (s.retry.stoppedAt ?? ''),
      s.retry?.promoted,
    ]);
  }
  return out;
}

/** The y range of the chart: the scores' span, padded and rounded to 0.01. */
function chartRange(values: readonly number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  const low = Math.floor((Math.min(...finite) - 0.005) * 100) / 100;
  const high = Math.ceil((Math.max(...finite) + 0.005) * 100) / 100;
  return [Math.max(0, Number(low.toFixed(2))), Number(high.toFixed(2))];
}

/** `replay.md`: the policies' means, a chart of the three curves, and the steps. */
export function replayMarkdown(r: ReplayResult): string {
  const better = r.higherIsBetter ? 'higher is better' : 'lower is better';
  const metric = text(r.metric, 60);
  const summary = table(
    ['policy', `mean next-period ${metric}`, 'min', 'max', 'steps scored', 'model changes', 'runner minutes'],
    POLICIES.map((p) => {
      const s = r.policies[p];
      return [POLICY_DESCRIPTIONS[p], num(s.mean), num(s.min), num(s.max), String(s.steps), String(s.changes), (s.runnerSeconds / 60).toFixed(1)];
    }),
  );
  const gated = r.policies.gated.mean;
  const never = r.policies.never.mean;
  const gain =
    gated !== null && never !== null
      ? `The gated policy's mean is ${signed(gated - never)} against never retraining`
      : 'There is no gain to state: a policy served no model';
  const series = POLICIES.map((p) => r.steps.map((s) => s.scores[p] ?? NaN));
  const chart = lineChart(
    `Next-period ${r.metric}: never (1st line), always (2nd), gated (3rd)`,
    'step',
    r.steps.map((s) => s.date.slice(5)),
    r.metric,
    series,
    chartRange(series.flat()),
  );
  const steps = table(
    ['step', 'window', 'next period (rows)', 'candidate', 'gated pipeline', `delta ${metric} [95% CI]`, ...POLICIES.map((p) => `${p}`), 'seconds'],
    r.steps.map((s) => [
      text(s.date, 40),
      s.window === null ? '—' : `${text(s.window.first, 40)}..${text(s.window.last, 40)}`,
      `${text(s.next.first, 40)}..${text(s.next.last, 40)} (${s.next.rows})`,
      s.start === 'warm' ? 'warm start' : s.start === 'full' ? 'full retrain' : '—',
      s.stoppedAt === null
        ? s.promoted
          ? '✅ promoted'
          : '✅ unchanged'
        : `❌ ${text(s.stoppedAt)}: ${text(s.reasons[0] ?? '')}${s.reasons.length > 1 ? ` (+${s.reasons.length - 1} more)` : ''}${retried(s)}`,
      s.delta === null ? '—' : `${signed(s.delta.value)}${s.delta.ci === null ? '' : ` [${signed(s.delta.ci[0])}, ${signed(s.delta.ci[1])}]`}`,
      ...POLICIES.map((p) => num(s.scores[p])),
      s.seconds.toFixed(0),
    ]),
  );
  return [
    `# Replay of ${text(r.model, 100)}: ${text(r.from, 40)}..${text(r.to, 40)}, every ${r.everyDays} day(s)`,
    '',
    `At each step, the data before the step date has arrived. The configured pipeline (${text(r.config.file, 200)}${r.update ? ', as `ct update` after the first step: an online update of production on the new partitions, a full retrain when one is due' : ''}) validates, trains on the newest ${r.windowDays} days${r.evaluationDays === null ? '' : ` (the newest ${r.evaluationDays} of them held out for evaluation)`}, evaluates against production, applies the gates and promotes into a temporary registry. The model each policy serves is then scored on the period that follows (${metric}, ${better}). Data: ${text(r.data, 200)}.`,
    '',
    summary,
    '',
    `${gain}; ${r.policies.gated.changes} promotion(s) after the first model, ${r.policies.always.changes} retrained model(s) served by "always". Runner minutes are the stage times measured here: gated validates, trains, evaluates and promotes at every step, always validates and trains, never runs the first step only.`,
    '',
    chart,
    '',
    '## Steps',
    '',
    steps,
    '',
    `Replay took ${(r.durationSeconds / 60).toFixed(1)} minutes (${text(r.startedAt, 40)}).`,
    '',
  ].join('\n');
}

/** How a step stopped at validation fared when it ran again, in words ('' when it did not). */
function retried(s: ReplayStep): string {
  if (s.retry === undefined) return '';
  const outcome = s.retry.stoppedAt === null ? (s.retry.promoted ? '✅ promoted' : '✅ unchanged') : `❌ ${text(s.retry.stoppedAt)}`;
  return `; retried ${text(s.retry.date, 40)}, bad day quarantined: ${outcome}`;
}
