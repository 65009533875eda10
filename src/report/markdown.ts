/**
 * The Markdown twins of the JSON artifacts: what a person reads in a job summary,
 * a pull request or the registry.
 */
import type { CtConfig } from '../config/types.js';
import type { EvaluationRecord, TrainingRecord } from '../pipeline/artifacts.js';
import type { ValidationResult } from '../pipeline/artifacts.js';

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const escape = (cell: string): string => cell.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(escape).join(' | ')} |`)].join('\n');
}

function num(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  return Number.isInteger(x) ? String(x) : x.toFixed(digits);
}

function signed(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  return `${x >= 0 ? '+' : ''}${x.toFixed(4)}`;
}

/** `validation.md`. */
export function validationMarkdown(v: ValidationResult): string {
  const lines = [`# Data validation: ${v.ok ? 'passed' : 'failed'}`, '', `${v.rows} rows from ${v.files.length} file(s); fingerprint \`${v.fingerprint.slice(0, 19)}…\`.`, ''];
  if (v.schemaInferred) lines.push(`The schema was inferred from this batch and written to \`${v.schemaFile}\`: review it and commit it.`, '');
  else lines.push(`Checked against \`${v.schemaFile}\`.`, '');
  lines.push('## Anomalies', '');
  if (v.anomalies.length === 0) lines.push('None.');
  else {
    lines.push(
      table(
        ['severity', 'column', 'kind', 'count', 'share', 'examples', 'message'],
        v.anomalies.map((a) => [
          a.severity === 'error' ? '**error**' : 'warning',
          a.column ?? '—',
          a.kind,
          String(a.count),
          `${(a.share * 100).toFixed(2)}%`,
          a.examples
            .slice(0, 3)
            .map((e) => `${e.file}:${e.row}${e.value === undefined ? '' : ` (${e.value})`}`)
            .join(', '),
          a.message,
        ]),
      ),
    );
  }
  lines.push('', '## Drift', '');
  const d = v.drift;
  if (d === null) lines.push('Not tested: there is no reference yet (no production model and no training days in this batch).');
  else {
    lines.push(
      `Against ${d.reference}: ${d.driftedColumns} of ${d.columns.length} columns drifted (${(d.driftedShare * 100).toFixed(0)}%; dataset drift at ${(d.datasetDriftShare * 100).toFixed(0)}%): ${d.datasetDrift ? '**dataset drift**' : 'no dataset drift'}${d.datasetDrift && d.blocking ? ', which blocks training' : ''}. Correction for multiple tests: ${d.correction}.`,
      '',
    );
    const rows = [...d.columns, ...(d.label ? [{ ...d.label, column: `${d.label.column} (label)` }] : []), ...(d.prediction ? [{ ...d.prediction, column: `${d.prediction.column} (prediction)` }] : [])];
    lines.push(
      table(
        ['column', 'test', 'statistic', 'p-value (adjusted)', 'threshold', 'drifted', 'null rate ref → cur'],
        rows.map((c) => [
          c.column,
          c.test,
          num(c.statistic),
          c.pValue === null ? '—' : `${num(c.pValue)} (${num(c.adjustedPValue)})`,
          String(c.threshold),
          c.drifted ? '**yes**' : 'no',
          `${(c.nullRate.reference * 100).toFixed(1)}% → ${(c.nullRate.current * 100).toFixed(1)}%${c.nullRate.changed ? ' (changed)' : ''}`,
        ]),
      ),
    );
    if (d.skipped.length > 0) lines.push('', `Not tested: ${d.skipped.map((s) => `${s.column} (${s.reason})`).join('; ')}.`);
  }
  return `${lines.join('\n')}\n`;
}

/** `training.md`. */
export function trainingMarkdown(t: TrainingRecord): string {
  return `${[
    `# Training: ${t.model}`,
    '',
    `${t.data.rows.train} training rows, ${t.data.rows.validation} validation rows, ${t.epochs} epoch(s) on the \`${t.backend.name}\` backend in ${t.durationSeconds.toFixed(1)} s (${Math.round(t.samplesPerSecond)} samples/s), ${t.parameters} parameters.`,
    '',
    table(
      ['epoch', 'loss', 'validation loss', 'validation metric', 'seconds', 'samples/s'],
      t.history.map((h) => [String(h.epoch), num(h.loss), num(h.validationLoss), num(h.validationMetric), h.seconds.toFixed(1), String(Math.round(h.samplesPerSecond))]),
    ),
  ].join('\n')}\n`;
}

function metricsTable(e: EvaluationRecord): string {
  const names = Object.keys(e.candidate.metrics);
  return table(
    ['metric', 'candidate', 'production', 'delta'],
    names.map((n) => [n, num(e.candidate.metrics[n]), num(e.baseline?.metrics[n]), signed(e.deltas[n]?.value)]),
  );
}

/** `evaluation.md`. */
export function evaluationMarkdown(e: EvaluationRecord): string {
  const verdict = e.ok ? (e.rubberStamp ? 'passed (rubber stamp: no production model yet)' : 'passed') : 'failed';
  const against = e.baseline === null ? 'There is no production model: change thresholds were skipped.' : `Compared with production version \`${e.baseline.version}\`, re-scored on the same rows.`;
  return `${[
    `# Evaluation of ${e.model}: gates ${verdict}`,
    '',
    `${e.rows} evaluation rows (${e.data.parts.join(', ')}). ${against}`,
    '',
    metricsTable(e),
    '',
    '## Gates',
    '',
    table(
      ['gate', 'result', 'detail'],
      e.checks.map((c) => [c.threshold, c.skipped ? 'skipped' : c.passed ? 'pass' : '**fail**', c.message]),
    ),
    ...(e.failures.length > 0 && e.checks.length === 0 ? ['', ...e.failures.map((f) => `- ${f.message}`)] : []),
  ].join('\n')}\n`;
}

/** `MODEL_CARD.md` of a promoted version. */
export function modelCardMarkdown(config: CtConfig, t: TrainingRecord, e: EvaluationRecord): string {
  const features = config.features.map((f) => `- \`${f.name}\`: column \`${f.column}\`${f.transform === 'none' ? '' : `, ${f.transform}`}${f.kind === undefined ? '' : `, ${f.kind}`}`);
  const days = (parts: string[]): string => (parts.length === 0 ? '—' : parts.length === 1 ? parts[0]! : `${parts[0]} .. ${parts[parts.length - 1]} (${parts.length})`);
  return `${[
    `# Model card: ${config.name}`,
    '',
    '## Intended use',
    '',
    `A ${config.task} model predicting \`${config.label.text}\` from the features below, retrained continuously by ct. It is only as good as the data window it was trained on; check the evaluation below before relying on it elsewhere.`,
    '',
    '## Data',
    '',
    `- Training: ${days(t.data.trainParts)}, ${t.data.rows.train} rows (+${t.data.rows.validation} validation)`,
    `- Evaluation: ${days(e.data.parts)}, ${e.rows} rows`,
    `- Fingerprint: \`${t.data.fingerprint}\``,
    '',
    '## Features',
    '',
    ...features,
    '',
    '## Evaluation',
    '',
    metricsTable(e),
    '',
    `Gates: ${e.ok ? 'passed' : 'failed'}${e.rubberStamp ? ' (rubber stamp: first model)' : ''}.`,
    '',
    '## Lineage',
    '',
    `- Git commit: ${t.git === null ? 'none (not a git repository)' : `\`${t.git.commit}\`${t.git.dirty ? ' (uncommitted changes)' : ''}`}`,
    `- Config: \`${t.config.file}\` sha256 \`${t.config.sha256.slice(0, 16)}…\``,
    `- Backend: \`${t.backend.name}\`; seed ${t.seed}; ${t.epochs} epoch(s); ${Math.round(t.samplesPerSecond)} samples/s`,
    `- Packages: ${Object.entries(t.packages).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    '',
    '## Limitations',
    '',
    '- Slices and confidence intervals of the deltas are not computed yet: a small overall gain can hide a loss on a segment.',
    '- Drift against the training statistics is not checked yet.',
  ].join('\n')}\n`;
}
