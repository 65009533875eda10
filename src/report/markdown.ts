/**
 * The Markdown twins of the JSON artifacts: what a person reads in a job summary,
 * a pull request or the registry. What a clock measured on this machine (durations,
 * samples/s, latency) is shown only in a report's last section, "Timing", between the
 * two `TIMING_MARKDOWN` lines: the rest of a report is the same on a rerun.
 */
import type { CtConfig } from '../config/types.js';
import type { FeatureImportance } from '../evaluate/importance.js';
import { headlineMetric, type Metrics } from '../evaluate/metrics.js';
import { lineChart } from './charts.js';
import { code, text } from './escape.js';
import { acceptanceRebases, type EvaluationRecord, type EvaluationTiming, TIMING_MARKDOWN, type TrainingRecord, type ValidationResult } from '../artifacts.js';
import { percent } from '../words.js';

/**
 * A Markdown table; line breaks in cells become spaces, and pipes not already escaped are
 * escaped (inside code spans too: GitHub splits a row at pipes before it reads the cells).
 * Cells from data go through `code` or `text` first.
 */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const escape = (cell: string): string => cell.replace(/(?<!\\)\|/g, '\\|').replace(/\r\n|[\r\n]/g, ' ');
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(escape).join(' | ')} |`)].join('\n');
}

/** A number for a report: integers as they are, others to `digits` decimals; missing as an em dash. */
export function num(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  return Number.isInteger(x) ? String(x) : x.toFixed(digits);
}

/** A delta with its sign, 4 decimals; missing as an em dash. */
export function signed(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  return `${x >= 0 ? '+' : ''}${x.toFixed(4)}`;
}

/** `validation.md`. */
export function validationMarkdown(v: ValidationResult): string {
  const lines = [
    `# Data validation: ${v.ok ? 'passed' : 'failed'}`,
    '',
    `${v.rows} rows from ${v.files.length} file(s); fingerprint ${code(`${v.fingerprint.slice(0, 19)}…`)}.`,
    '',
  ];
  // A reviewer reading "passed" must also see at once what it passed without.
  const left = v.quarantined?.length ?? 0;
  if (left > 0) lines.push(`${left} partition(s) of the window left out (quarantined): see **Left out of this window** below.`, '');
  if (v.retrain?.needed === false) lines.push(`${text(v.retrain.reason)}.`, '');
  if (v.schemaInferred) lines.push(`The schema was inferred from this batch and written to ${code(v.schemaFile)}: review it and commit it.`, '');
  else lines.push(`Checked against ${code(v.schemaFile)}.`, '');
  lines.push('## Anomalies', '');
  if (v.anomalies.length === 0) lines.push('None.');
  else {
    lines.push(
      table(
        ['severity', 'column', 'kind', 'count', 'share', 'examples', 'message'],
        v.anomalies.map((a) => [
          a.severity === 'error' ? '**error**' : 'warning',
          a.column === null ? '—' : code(a.column),
          text(a.kind),
          String(a.count),
          // A finding about files or days, not rows (a file no run reads), has no share of rows to show.
          a.share === 0 && a.column === null ? '—' : percent(a.share),
          a.examples
            .slice(0, 3)
            .map((e) => `${text(e.file, 200)}:${e.row}${e.value === undefined ? '' : ` (${code(e.value, 60)})`}`)
            .join(', '),
          text(a.message),
        ]),
      ),
    );
  }
  lines.push('', '## Partition history', '');
  const history = v.history ?? { days: 0, skipped: 'not recorded' };
  if (history.skipped !== null) lines.push(`Not tested: ${text(history.skipped)}.`);
  else
    lines.push(
      `The newest partition was compared with ${history.days} earlier day(s): row count, null rates, numeric moments and quantiles, category mixes, the label rate, the model's derived inputs and, with a production model, its score on the labelled rows.`,
    );
  const quarantined = v.quarantined ?? [];
  if (quarantined.length > 0) {
    lines.push('', `**Left out of this window** (quarantined until the file is fixed or the change accepted with \`ct validate --accept <day>\`):`, '');
    for (const q of quarantined) lines.push(`- ${code(q.file, 200)}: ${q.reasons.map((r) => text(r)).join('; ')}`);
  }
  lines.push(...acceptedLines(v));
  lines.push('', '## Drift', '');
  const d = v.drift;
  if (d === null) lines.push('Not tested: there is no reference yet (no production model and no training days in this batch).');
  else {
    lines.push(
      `Against ${text(d.reference)}: ${d.driftedColumns} of ${d.columns.length} columns drifted (${(d.driftedShare * 100).toFixed(0)}%; dataset drift at ${(d.datasetDriftShare * 100).toFixed(0)}%): ${d.datasetDrift ? '**dataset drift**' : 'no dataset drift'}${d.datasetDrift && d.blocking ? ', which blocks training' : ''}. Correction for multiple tests: ${text(d.correction)}.`,
      '',
    );
    const rows = [
      ...d.columns.map((c) => ({ ...c, column: code(c.column) })),
      ...(d.label ? [{ ...d.label, column: `${code(d.label.column)} (label)` }] : []),
      ...(d.prediction ? [{ ...d.prediction, column: `${code(d.prediction.column)} (prediction)` }] : []),
    ];
    lines.push(
      table(
        ['column', 'test', 'statistic', 'p-value (adjusted)', 'threshold', 'drifted', 'null rate ref → cur'],
        rows.map((c) => [
          c.column,
          text(c.test),
          num(c.statistic),
          c.pValue === null ? '—' : `${num(c.pValue)} (${num(c.adjustedPValue)})`,
          String(c.threshold),
          c.drifted ? '**yes**' : 'no',
          `${(c.nullRate.reference * 100).toFixed(1)}% → ${(c.nullRate.current * 100).toFixed(1)}%${c.nullRate.changed ? ' (changed)' : ''}`,
        ]),
      ),
    );
    if (d.skipped.length > 0) lines.push('', `Not tested: ${d.skipped.map((s) => `${code(s.column)} (${text(s.reason)})`).join('; ')}.`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The last section of a report: measured values between the `TIMING_MARKDOWN` lines (the
 * heading stays outside, so a report cut at a heading drops the whole section).
 */
function timingSection(lines: readonly string[]): string[] {
  return [
    '',
    '## Timing',
    '',
    TIMING_MARKDOWN.start,
    '',
    'Measured on this machine: these values differ from run to run.',
    '',
    ...lines,
    '',
    TIMING_MARKDOWN.end,
  ];
}

/** The training time of a record, one sentence. */
function trainingTime(t: TrainingRecord): string {
  return `Trained in ${t.timing.durationSeconds.toFixed(1)} s (${Math.round(t.timing.samplesPerSecond)} samples/s).`;
}

/** `timing` of an evaluation record; undefined in records written before it existed. */
function evaluationTimingOf(e: EvaluationRecord): EvaluationTiming | undefined {
  return e.timing;
}

/** The measured guard metrics (latency) of an evaluation as a table; empty when there are none. */
function latencyTable(e: EvaluationRecord): string[] {
  const timing = evaluationTimingOf(e);
  if (timing === undefined) return [];
  const candidate: Metrics = timing.latency.candidate;
  const baseline = timing.latency.baseline;
  const names = Object.keys(candidate);
  if (names.length === 0) return [];
  return [
    table(
      ['guard metric', 'candidate', 'production', 'delta'],
      names.map((n) => [text(n), num(candidate[n]), num(baseline?.[n]), baseline?.[n] === undefined ? '—' : signed(candidate[n]! - baseline[n])]),
    ),
  ];
}

/** How a candidate was trained: ct's fused step and its threads, or TF.js on its backend. */
export function trainedWith(t: TrainingRecord): string {
  if (t.trainer?.name === 'fused') return `ct's fused step (${t.timing.threads ?? '?'} thread(s); TF.js on ${code(t.backend.name)} for the rest)`;
  return `TF.js on the ${code(t.backend.name)} backend${t.trainer?.reason ? ` (the fused step is not used: ${text(t.trainer.reason, 300)})` : ''}`;
}

/** `training.md`. */
export function trainingMarkdown(t: TrainingRecord): string {
  const epochTimes = new Map(t.timing.epochs.map((e) => [e.epoch, e]));
  return `${[
    `# Training: ${text(t.model)}`,
    '',
    `${t.data.rows.train} training rows, ${t.data.rows.validation} validation rows, ${t.epochs} epoch(s) with ${trainedWith(t)}, ${t.parameters} parameters.`,
    ...startLines(t),
    '',
    table(
      ['epoch', 'loss', 'validation loss', 'validation metric'],
      t.history.map((h) => [String(h.epoch), num(h.loss), num(h.validationLoss), num(h.validationMetric)]),
    ),
    ...imputedSection(t),
    ...timingSection([
      trainingTime(t),
      '',
      table(
        ['epoch', 'seconds', 'samples/s'],
        t.history.map((h) => [
          String(h.epoch),
          epochTimes.get(h.epoch)?.seconds.toFixed(1) ?? '—',
          String(Math.round(epochTimes.get(h.epoch)?.samplesPerSecond ?? Number.NaN)),
        ]),
      ),
    ]),
  ].join('\n')}\n`;
}

/** Where training started, for a reviewer: a warm start's parent, chain and what it grew; a full retrain's reason when warm starts are on. */
function startLines(t: TrainingRecord): string[] {
  const start = t.start;
  if (start === undefined || (start.mode === 'full' && start.reason === 'training.warmStart.enabled is false')) return [];
  if (start.mode === 'full') return ['', `Full retrain from scratch: ${text(start.reason)}.`];
  const grown = Object.entries(start.grown).map(([name, n]) => `${n} new ${text(name)} value(s)`);
  const changes = [...grown, ...start.rescaled.map((name) => `${text(name)} rescaled`)];
  return [
    '',
    `Warm start from production ${text(start.parent ?? '')} (${text(start.reason)}): a chain of ${start.chain.length} warm start(s) since the full retrain on data through ${text(start.fullRetrainDay ?? '?')}${changes.length === 0 ? '' : `; ${changes.join(', ')}`}. Chain: ${start.chain.map((v) => text(v)).join(' <- ')}.`,
  ];
}

/** Training rows the encoder filled in, per feature that has any (none: no section). */
function imputedSection(t: TrainingRecord): string[] {
  const imputed = t.data.imputed;
  const rows = (imputed?.features ?? []).filter((c) => c.missing + c.nonFinite + c.outOfVocabulary + c.far > 0);
  if (imputed === undefined || rows.length === 0) return [];
  return [
    '',
    '## Imputed training rows',
    '',
    `Of the ${imputed.rows} rows of the training window, the encoder filled these in before the model learned from them: missing and non-finite (after the transform) values as the training mean (numeric) or id 0 (categorical), values out of the vocabulary as id 0. Far: beyond the training range, kept as they are.`,
    '',
    table(
      ['feature', 'column', 'missing', 'non-finite', 'out of vocabulary', 'far'],
      rows.map((c) => [text(c.feature), text(c.column), String(c.missing), String(c.nonFinite), String(c.outOfVocabulary), String(c.far)]),
    ),
  ];
}

function interval(ci: [number, number] | null | undefined): string {
  return ci === null || ci === undefined ? '—' : `[${signed(ci[0])}, ${signed(ci[1])}]`;
}

function metricsTable(e: EvaluationRecord): string {
  const names = Object.keys(e.candidate.metrics);
  const level = e.bootstrap === null ? 'interval' : `${Math.round(e.bootstrap.confidence * 100)}% interval`;
  return table(
    ['metric', 'candidate', 'production', 'delta', level],
    names.map((n) => [text(n), num(e.candidate.metrics[n]), num(e.baseline?.metrics[n]), signed(e.deltas[n]?.value), interval(e.deltas[n]?.ci)]),
  );
}

function slicesTable(e: EvaluationRecord): string {
  const headline = headlineMetric(e.task).name;
  return table(
    ['slice', 'rows', `${text(headline)} candidate`, `${text(headline)} production`, 'delta', 'interval', 'note'],
    e.slices.map((s) => [
      text(s.key),
      String(s.rows),
      num(s.candidate[headline]),
      num(s.baseline?.[headline]),
      signed(s.deltas[headline]?.value),
      interval(s.deltas[headline]?.ci),
      s.skipped === null ? '' : `skipped: ${text(s.skipped)}`,
    ]),
  );
}

function gateMark(c: { passed: boolean; skipped: boolean }): string {
  return c.skipped ? '⏭️ skipped' : c.passed ? '✅ pass' : '❌ **fail**';
}

/** One row per check; checks of one gate skipped for the same reason on several slices share a row. */
function gateRows(checks: EvaluationRecord['checks']): string[][] {
  const rows: string[][] = [];
  for (let i = 0; i < checks.length;) {
    const c = checks[i]!;
    let j = i + 1;
    while (
      c.skipped &&
      c.slice !== null &&
      j < checks.length &&
      checks[j]!.skipped &&
      checks[j]!.slice !== null &&
      checks[j]!.threshold === c.threshold &&
      checks[j]!.message === c.message
    )
      j++;
    const slice =
      j - i > 1
        ? `${j - i} slices (${checks
            .slice(i, j)
            .map((x) => text(x.slice, 100))
            .join(', ')})`
        : c.slice === null
          ? 'all rows'
          : text(c.slice);
    rows.push([gateMark(c), text(c.threshold), slice, text(c.message)]);
    i = j;
  }
  return rows;
}

function chartsSection(e: EvaluationRecord): string[] {
  if (e.curves === null) return [];
  const withProduction = e.curves.roc.baseline !== null;
  const which = withProduction ? 'lines: candidate, production, chance' : 'lines: candidate, chance';
  const fprs = e.curves.roc.candidate.map((_, i, all) => (i / (all.length - 1)).toFixed(1));
  const roc = [e.curves.roc.candidate, ...(e.curves.roc.baseline === null ? [] : [e.curves.roc.baseline]), fprs.map(Number)];
  const bins = e.curves.calibration.candidate;
  const centres = bins.map((b) => ((b.bin + 0.5) / bins.length).toFixed(2));
  const calibration = [
    bins.map((b) => b.observed),
    ...(e.curves.calibration.baseline === null ? [] : [e.curves.calibration.baseline.map((b) => b.observed)]),
    centres.map(Number),
  ];
  const out = ['', '## Charts', ''];
  if (e.curves.roc.candidate.length > 0) out.push(lineChart(`ROC curve (${which})`, 'false positive rate', fprs, 'true positive rate', roc), '');
  out.push(
    lineChart(
      `Calibration: observed positive rate by predicted probability (${which.replace('chance', 'perfect')})`,
      'predicted probability (bin centre)',
      centres,
      'observed rate',
      calibration,
    ),
    '',
    `Empty probability bins are drawn at 0. Rows per bin (candidate): ${bins.map((b) => b.rows).join(', ')}.`,
  );
  return out;
}

function testsSection(e: EvaluationRecord): string[] {
  const lines: string[] = [];
  const d = e.tests.deLong;
  if (d !== null)
    lines.push(
      `- DeLong's test of the AUC difference: ${signed(d.difference)} (standard error ${num(d.standardError)}), z = ${d.z.toFixed(2)}, p = ${pValue(d.pValue)}.`,
    );
  const m = e.tests.mcNemar;
  if (m !== null) {
    lines.push(
      `- McNemar's test of accuracy (${m.method === 'exact' ? 'exact binomial' : `chi-square ${num(m.statistic)} with continuity correction`}): ${m.candidateOnlyRight} rows only the candidate gets right, ${m.baselineOnlyRight} only production; p = ${pValue(m.pValue)}.`,
    );
  }
  if (e.bootstrap !== null)
    lines.push(
      `- Intervals: paired bootstrap, ${e.bootstrap.samples} draws of the ${e.rows} rows (seed ${e.bootstrap.seed}), both models scored on each draw; ${Math.round(e.bootstrap.confidence * 100)}% percentile intervals.`,
    );
  return lines.length === 0 ? [] : ['', '## Is the difference real?', '', ...lines];
}

function pValue(p: number): string {
  return p < 1e-4 ? p.toExponential(1) : p.toFixed(4);
}

/** `evaluation.md`. */
export function evaluationMarkdown(e: EvaluationRecord): string {
  const verdict = e.ok ? (e.rubberStamp ? 'passed (rubber stamp: no production model yet)' : 'passed') : 'failed';
  const against =
    e.baseline === null
      ? 'There is no production model: change and significance thresholds were skipped.'
      : `Compared with production version ${code(e.baseline.version)}, re-scored on the same rows.`;
  const lines = [`# Evaluation of ${text(e.model)}: gates ${verdict}`, '', `${e.rows} evaluation rows (${days(e.data.parts)}). ${against}`];
  if (e.failures.length > 0) lines.push('', '## Why it failed', '', ...e.failures.map((f) => `- ${text(f.message)}`));
  lines.push('', '## Gates', '', table(['result', 'gate', 'slice', 'detail'], gateRows(e.checks)));
  if (e.infra !== null) lines.push('', `${e.infra.ok ? '✅' : '❌'} ${text(e.infra.message)}.`);
  lines.push(
    '',
    '## Metrics',
    '',
    metricsTable(e),
    '',
    `Guard metrics (${e.guardMetrics.map((m) => text(m)).join(', ')}) are measured once per model on this machine, without intervals; latency is under Timing.`,
  );
  lines.push(...testsSection(e));
  if (e.slices.length > 0) lines.push('', '## Slices', '', slicesTable(e));
  lines.push(...chartsSection(e));
  lines.push(...importanceSection(e, '##'));
  lines.push(...evaluationTiming(e));
  return `${lines.join('\n')}\n`;
}

/**
 * What the models rely on: each feature's permutation importance for the candidate and
 * production, most important first, and the features whose importance moved (`heading`: the
 * section's level). Empty when it was not computed.
 */
function importanceSection(e: EvaluationRecord, heading: string): string[] {
  const imp = e.importance;
  if (imp === undefined) return [];
  const production = new Map((imp.production ?? []).map((f) => [f.feature, f]));
  const cell = (f: FeatureImportance | undefined): string => (f === undefined ? '—' : `${signed(f.mean)} (${signed(f.low)} .. ${signed(f.high)})`);
  const rows = imp.candidate.map((f) => [code(f.feature), cell(f), ...(imp.production === null ? [] : [cell(production.get(f.feature))])]);
  const moved =
    imp.shifts.length === 0
      ? imp.production === null
        ? []
        : ['', 'No feature moved by more than its shuffles vary.']
      : [
          '',
          `**What the model relies on changed:** ${imp.shifts.map((s) => `${code(s.feature)} ${signed(s.production)} → ${signed(s.candidate)}`).join(', ')}.`,
        ];
  return [
    '',
    `${heading} What the model relies on`,
    '',
    `The fall in ${text(imp.metric)} when a feature's values are shuffled across ${imp.rows} evaluation rows: the mean of ${imp.repeats} shuffles (lowest .. highest). The same rows and shuffles for both models.`,
    '',
    table(['feature', 'candidate', ...(imp.production === null ? [] : ['production'])], rows),
    ...moved,
  ];
}

function evaluationTiming(e: EvaluationRecord): string[] {
  const timing = evaluationTimingOf(e);
  if (timing === undefined) return [];
  const infra = timing.infra;
  const infraTimes =
    infra === null || infra.loadMs === null
      ? ''
      : ` Infra check: loaded in ${infra.loadMs.toFixed(0)} ms${infra.predictMs === null ? '' : `, predicted ${e.infra?.rows ?? '?'} rows in ${infra.predictMs.toFixed(0)} ms`}.`;
  const latency = latencyTable(e);
  const importance = timing.importanceSeconds === undefined ? '' : ` Permutation importance: ${timing.importanceSeconds.toFixed(1)} s.`;
  return timingSection([`Evaluated in ${timing.durationSeconds.toFixed(1)} s.${infraTimes}${importance}`, ...(latency.length === 0 ? [] : ['', ...latency])]);
}

/** A window of partitions (their names: days, or files): first .. last. */
function days(parts: readonly string[]): string {
  if (parts.length === 0) return '—';
  const first = text(parts[0], 100);
  return parts.length === 1 ? first : `${first} .. ${text(parts[parts.length - 1], 100)}, ${parts.length} days`;
}

/** `MODEL_CARD.md` of a promoted version. */
export function modelCardMarkdown(config: CtConfig, t: TrainingRecord, e: EvaluationRecord): string {
  const features = config.features.map(
    (f) =>
      `- ${code(f.name)}: column ${code(f.column)}${f.transform === 'none' ? '' : `, ${text(f.transform)}`}${f.kind === undefined ? '' : `, ${text(f.kind)}`}`,
  );
  return `${[
    `# Model card: ${text(config.name)}`,
    '',
    '## Intended use',
    '',
    `A ${text(config.task)} model predicting ${code(config.label.text)} from the features below, retrained continuously by ct. It is only as good as the data window it was trained on; check the evaluation below before relying on it elsewhere.`,
    '',
    '## Data',
    '',
    `- Training: ${days(t.data.trainParts)}, ${t.data.rows.train} rows (+${t.data.rows.validation} validation)`,
    `- Evaluation: ${days(e.data.parts)}, ${e.rows} rows`,
    `- Fingerprint: ${code(t.data.fingerprint)}`,
    '',
    '## Features',
    '',
    ...features,
    '',
    '## Evaluation',
    '',
    metricsTable(e),
    ...(e.slices.length > 0 ? ['', '### By slice', '', slicesTable(e)] : []),
    ...importanceSection(e, '###'),
    '',
    `Gates: ${e.ok ? 'passed' : 'failed'}${e.rubberStamp ? ' (rubber stamp: first model)' : ''}. ${e.checks.filter((c) => !c.skipped).length} checks applied: ${e.checks
      .filter((c) => !c.skipped)
      .map((c) => `${text(c.threshold)}${c.slice === null ? '' : ` on ${text(c.slice)}`}`)
      .join('; ')}.`,
    '',
    '## Lineage',
    '',
    `- Git commit: ${t.git === null ? 'none (not a git repository)' : `${code(t.git.commit)}${t.git.dirty ? ' (uncommitted changes)' : ''}`}`,
    `- Config: ${code(t.config.file)} sha256 ${code(`${t.config.sha256.slice(0, 16)}…`)}`,
    `- Trained with: ${trainedWith(t)}; seed ${t.seed}; ${t.epochs} epoch(s)`,
    `- Packages: ${Object.entries(t.packages)
      .map(([k, v]) => `${text(k, 100)} ${text(v, 100)}`)
      .join(', ')}`,
    '',
    '## Limitations',
    '',
    '- Metrics are measured on the evaluation days above; on other periods, routes or hours they can differ (see the slices in evaluation.json).',
    '- The model knows only the features listed; causes outside them (weather, incidents) are invisible to it.',
    ...timingSection([trainingTime(t), ...(latencyTable(e).length === 0 ? [] : ['', ...latencyTable(e)])]),
  ].join('\n')}\n`;
}

/** Acceptances shown in a report; the rest are counted. */
const SHOWN_ACCEPTED = 10;

/**
 * The acceptances that held in a validation, newest last: where a person's word overrode the
 * history's, which whoever reviews the model should see (empty when there were none).
 */
export function acceptedLines(v: ValidationResult): string[] {
  const accepted = v.accepted ?? [];
  if (accepted.length === 0) return [];
  const shown = accepted.slice(-SHOWN_ACCEPTED);
  const metrics = (m: readonly string[]): string =>
    `${m
      .slice(0, 5)
      .map((x) => code(x, 100))
      .join(', ')}${m.length > 5 ? ` and ${m.length - 5} more` : ''}`;
  return [
    '',
    "**Accepted by a person** (`accepted.json`: these days' flagged statistics and checks are not errors):",
    '',
    ...(accepted.length > shown.length ? [`- … ${accepted.length - shown.length} earlier (accepted.json)`] : []),
    ...shown.map(
      (a) =>
        `- ${text(a.date, 20)}, ${a.oneOff === true ? 'a one-off (later days are judged without it)' : acceptanceRebases(a) ? 'a lasting change (the new level is the reference)' : 'trained on as delivered'}: ${text(a.reason, 300)} (${metrics(a.metrics)})`,
    ),
  ];
}
