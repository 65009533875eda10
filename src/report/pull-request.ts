/**
 * What a reviewer reads in a promotion pull request: a title with the headline delta,
 * and a body with the evaluation report, the validation and drift summary, the lineage
 * and links to the model card and the full report, cut to GitHub's size limits.
 */
import { headlineMetric } from '../evaluate/metrics.js';
import type { EvaluationRecord, TrainingRecord, ValidationResult } from '../artifacts.js';
import { evaluationMarkdown } from './markdown.js';

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
  return `Promote ${model} ${version}: ${headlineDelta(e)}`;
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
    `${v.rows} rows from ${v.files.length} file(s), fingerprint \`${v.fingerprint.slice(0, 19)}…\`: ${v.ok ? 'passed' : '**failed**'} with ${errors} error and ${warnings} warning anomalies.`,
  ];
  for (const a of v.anomalies.slice(0, 10)) lines.push(`- ${a.severity}: ${a.message}`);
  if (v.anomalies.length > 10) lines.push(`- … and ${v.anomalies.length - 10} more (validation.json)`);
  // A day left out is part of what a reviewer approves: the model was trained without it, and why.
  const quarantined = v.quarantined ?? [];
  if (quarantined.length > 0) {
    lines.push('', `**Left out of the training window** (quarantined until fixed or accepted with \`ct validate --accept <day>\`):`);
    for (const q of quarantined) lines.push(`- \`${q.file}\`: ${q.reasons.join('; ')}`);
  }
  const d = v.drift;
  if (d === null) lines.push('', 'Drift: not tested (no reference).');
  else {
    const drifted = d.columns.filter((c) => c.drifted).map((c) => c.column);
    lines.push(
      '',
      `Drift against ${d.reference}: ${d.driftedColumns} of ${d.columns.length} columns drifted${drifted.length > 0 ? ` (${drifted.join(', ')})` : ''}; ${d.datasetDrift ? '**dataset drift**' : 'no dataset drift'}.`,
    );
  }
  return lines;
}

function lineage(t: TrainingRecord): string[] {
  const days = t.data.trainParts.length === 0 ? '—' : `${t.data.trainParts[0]} .. ${t.data.trainParts[t.data.trainParts.length - 1]}`;
  return [
    `- Training data: ${days} (${t.data.trainParts.length} partitions), ${t.data.rows.train} rows + ${t.data.rows.validation} validation; fingerprint \`${t.data.fingerprint.slice(0, 19)}…\``,
    `- Code: ${t.git === null ? 'not a git repository' : `commit \`${t.git.commit.slice(0, 12)}\`${t.git.dirty ? ' (uncommitted changes)' : ''}`}; config \`${t.config.file}\` sha256 \`${t.config.sha256.slice(0, 12)}…\``,
    `- Training: ${t.epochs} epoch(s) on \`${t.backend.name}\`, seed ${t.seed}, ${t.timing.durationSeconds.toFixed(1)} s, ${Math.round(t.timing.samplesPerSecond)} samples/s, ${t.parameters} parameters`,
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
  const { model, version, previous, evaluation, links } = input;
  const what =
    previous === null
      ? `Merging this pull request makes \`${version}\` the first production model of **${model}**.`
      : `Merging this pull request replaces production \`${previous}\` of **${model}** with \`${version}\`.`;
  const body = [
    `## ct: promote ${model} \`${version}\``,
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
  return `Roll back ${model} to ${version}`;
}

/** The body of a rollback pull request: which version comes back (promoted when), which one it replaces. */
export function rollbackPullRequestBody(input: { model: string; version: string; promotedAt: string; previous: string | null; links: ReportLinks }): string {
  const { model, version, links } = input;
  return [
    `## ct: roll back ${model} to \`${version}\``,
    '',
    `Merging this pull request makes \`${version}\` (promoted ${input.promotedAt}) the production model of **${model}** again, replacing \`${input.previous}\`. Its files are verified against the checksums recorded when it was promoted.`,
    '',
    `[Model card of ${version}](${links.modelCard}) · [its evaluation report](${links.fullReport})${links.run === null ? '' : ` · [workflow run](${links.run})`}`,
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
