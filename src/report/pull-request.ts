/**
 * What a reviewer reads in a promotion pull request: a title with the headline delta,
 * and a body with the evaluation report, the validation and drift summary, the lineage
 * and links to the model card and the full report, cut to GitHub's size limits.
 */
import { headlineMetric } from '../evaluate/metrics.js';
import type { EvaluationRecord, TrainingRecord, ValidationResult } from '../artifacts.js';
import { code, plain, text } from './escape.js';
import { acceptedLines, evaluationMarkdown, trainedWith } from './markdown.js';

/** GitHub's limits: pull request body 65,536 characters; check-run output summary 65,535. */
export const PULL_REQUEST_BODY_LIMIT = 65_536;
export const CHECK_RUN_SUMMARY_LIMIT = 65_535;

function signed(x: number): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(4)}`;
}

/** `auc +0.0060 [+0.0006, +0.0119]`, or `first model, auc 0.6841` without a production model. */
export function headlineDelta(e: EvaluationRecord): string {
  const name = headlineMetric(e.task).name;
  const value = e.candidate.metrics[name];
  const delta = e.deltas[name];
  if (delta === undefined) return `first model, ${name} ${value === undefined ? '—' : value.toFixed(4)}`;
  return `${name} ${signed(delta.value)}${delta.ci === null ? '' : ` [${signed(delta.ci[0])}, ${signed(delta.ci[1])}]`}`;
}

/** `Promote flight-delay 20261126T…-3fa9c2d1: auc +0.0060 [+0.0006, +0.0119]`. */
export function pullRequestTitle(model: string, version: string, e: EvaluationRecord): string {
  return plain(`Promote ${plain(model, 100)} ${plain(version, 100)}: ${headlineDelta(e)}`, 250);
}

/** Links the body points to. */
export interface ReportLinks {
  modelCard: string;
  fullReport: string;
  run: string | null;
}

/** Markdown headings one level down, so a report nests under the body's own sections. */
function demote(markdown: string): string {
  return markdown.replace(/^(#{1,5}) /gm, '#$1 ');
}

/** The pull request's data-validation section: result, anomalies, partitions left out, drift. */
export function validationSummary(v: ValidationResult | null): string[] {
  if (v === null) return ['No validation record was found for this run.'];
  const errors = v.anomalies.filter((a) => a.severity === 'error').length;
  const warnings = v.anomalies.length - errors;
  const lines = [
    `${v.rows} rows from ${v.files.length} file(s), fingerprint ${code(`${v.fingerprint.slice(0, 19)}…`)}: ${v.ok ? 'passed' : '**failed**'} with ${errors} error and ${warnings} warning anomalies.`,
  ];
  for (const a of v.anomalies.slice(0, 10)) lines.push(`- ${text(a.severity)}: ${text(a.message)}`);
  if (v.anomalies.length > 10) lines.push(`- … and ${v.anomalies.length - 10} more (validation.json)`);
  // A day left out is part of what a reviewer approves: the model was trained without it, and why.
  const quarantined = v.quarantined ?? [];
  if (quarantined.length > 0) {
    lines.push('', `**Left out of the training window** (quarantined until fixed or accepted with \`ct validate --accept <day>\`):`);
    for (const q of quarantined) lines.push(`- ${code(q.file, 200)}: ${q.reasons.map((r) => text(r)).join('; ')}`);
  }
  lines.push(...acceptedLines(v));
  const d = v.drift;
  if (d === null) lines.push('', 'Drift: not tested (no reference).');
  else {
    const drifted = d.columns.filter((c) => c.drifted).map((c) => code(c.column));
    lines.push(
      '',
      `Drift against ${text(d.reference)}: ${d.driftedColumns} of ${d.columns.length} columns drifted${drifted.length > 0 ? ` (${drifted.join(', ')})` : ''}; ${d.datasetDrift ? '**dataset drift**' : 'no dataset drift'}.`,
    );
  }
  return lines;
}

function lineage(t: TrainingRecord): string[] {
  const parts = t.data.trainParts;
  const window = parts.length === 0 ? '—' : `${text(parts[0], 100)} .. ${text(parts[parts.length - 1], 100)}`;
  return [
    `- Training data: ${window} (${parts.length} partitions), ${t.data.rows.train} rows + ${t.data.rows.validation} validation; fingerprint ${code(`${t.data.fingerprint.slice(0, 19)}…`)}`,
    `- Code: ${t.git === null ? 'not a git repository' : `commit ${code(t.git.commit.slice(0, 12))}${t.git.dirty ? ' (uncommitted changes)' : ''}`}; config ${code(t.config.file)} sha256 ${code(`${t.config.sha256.slice(0, 12)}…`)}`,
    `- Training: ${t.epochs} epoch(s) with ${trainedWith(t)}, seed ${t.seed}, ${t.timing.durationSeconds.toFixed(1)} s, ${Math.round(t.timing.samplesPerSecond)} samples/s, ${t.parameters} parameters`,
    ...(t.start?.mode === 'warm'
      ? [
          `- Warm start from production ${code(t.start.parent ?? '')}: ${t.start.chain.length} update(s) since the full retrain on data through ${text(t.start.fullRetrainDay ?? '?', 40)}`,
        ]
      : []),
  ];
}

/** The pull request body, at most `limit` characters. */
export function pullRequestBody(input: {
  model: string;
  version: string;
  previous: string | null;
  evaluation: EvaluationRecord;
  validation: ValidationResult | null;
  training: TrainingRecord;
  links: ReportLinks;
  /** `sweep.md` when the candidate is the selected leg of a sweep. */
  sweep?: string | null;
  limit?: number;
}): string {
  const { previous, evaluation, links } = input;
  const model = text(input.model, 100);
  const version = code(input.version);
  const what =
    previous === null
      ? `Merging this pull request makes ${version} the first production model of **${model}**.`
      : `Merging this pull request replaces production ${code(previous)} of **${model}** with ${version}.`;
  const body = [
    `## ct: promote ${model} ${version}`,
    '',
    what,
    `[Model card](${links.modelCard}) · [full evaluation report](${links.fullReport})${links.run === null ? '' : ` · [workflow run](${links.run})`}`,
    '',
    demote(evaluationMarkdown(evaluation)).trim(),
    '',
    ...(input.sweep === undefined || input.sweep === null ? [] : [input.sweep.trim(), '']),
    '## Data validation',
    '',
    ...validationSummary(input.validation),
    '',
    '## Lineage',
    '',
    ...lineage(input.training),
    '',
    '---',
    '_Opened by ct. Review the gates and slices above; merge to promote, close to keep production as it is._',
  ].join('\n');
  return fitToLimit(body, input.limit ?? PULL_REQUEST_BODY_LIMIT, links.fullReport);
}

/** `Roll back flight-delay to 20261126T…-3fa9c2d1`. */
export function rollbackPullRequestTitle(model: string, version: string): string {
  return plain(`Roll back ${plain(model, 100)} to ${plain(version, 100)}`, 250);
}

/** The body of a rollback pull request: which version comes back (promoted when), which one it replaces. */
export function rollbackPullRequestBody(input: { model: string; version: string; promotedAt: string; previous: string | null; links: ReportLinks }): string {
  const { links } = input;
  const model = text(input.model, 100);
  const version = code(input.version);
  return [
    `## ct: roll back ${model} to ${version}`,
    '',
    `Merging this pull request makes ${version} (promoted ${text(input.promotedAt, 40)}) the production model of **${model}** again, replacing ${code(input.previous ?? 'null')}. Its files are verified against the checksums recorded when it was promoted.`,
    '',
    `[Model card of ${text(input.version, 100)}](${links.modelCard}) · [its evaluation report](${links.fullReport})${links.run === null ? '' : ` · [workflow run](${links.run})`}`,
  ].join('\n');
}

/**
 * `markdown` if it fits in `limit` characters; else its leading sections (cut where a
 * `##` or `###` heading starts) followed by a note linking to the full report.
 */
export function fitToLimit(markdown: string, limit: number, fullReport: string): string {
  if (markdown.length <= limit) return markdown;
  const note = `\n\n---\n_The report is longer than GitHub shows here; the rest is in the [full report](${fullReport})._\n`;
  const budget = limit - note.length;
  const boundaries = [...markdown.matchAll(/\n(?=#{2,3} )/g)].map((m) => m.index).filter((i) => i > 0 && i <= budget);
  let cut = boundaries.length > 0 ? boundaries[boundaries.length - 1]! : markdown.lastIndexOf('\n', budget);
  if (cut <= 0) cut = Math.max(0, budget);
  return `${markdown.slice(0, cut).trimEnd()}${note}`;
}
