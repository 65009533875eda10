/** The Markdown report of `ct predict`. */
import type { PredictionRecord } from '../artifacts.js';

/** The Markdown twin of `prediction.json`, for people and the job summary. */
export function predictionMarkdown(r: PredictionRecord): string {
  const lines = [
    `# Prediction with ${r.model} ${r.version}: ${r.ok ? `${r.rows} rows scored` : 'refused'}`,
    '',
    r.ok
      ? `Scored ${r.rows} rows from ${r.files.length} file(s) in ${r.durationSeconds.toFixed(2)} s (${Math.round(r.rowsPerSecond)} rows/s, backend ${r.backend}); predictions in \`${r.output}\`.`
      : `Nothing was scored: the batch has ${r.anomalies.filter((a) => a.severity === 'error').length} error anomalies against \`${r.schemaFile}\` (the label may be missing; every other column is checked as \`ct validate\` checks it) or against the model's input domain (\`input_*\`: values its preprocessing would silently impute or extrapolate).`,
    '',
    '| file |',
    '|---|',
    ...r.files.map((f) => `| \`${f}\` |`),
    '',
    `Data fingerprint: \`${r.fingerprint}\``,
  ];
  if (r.anomalies.length > 0) {
    lines.push('', '## Anomalies', '', '| severity | kind | column | count | message |', '|---|---|---|---|---|');
    for (const a of r.anomalies) lines.push(`| ${a.severity} | ${a.kind} | ${a.column ?? ''} | ${a.count} | ${a.message.replaceAll('|', '\\|')} |`);
  }
  const imputed = (r.imputed?.features ?? []).filter((c) => c.missing + c.nonFinite + c.outOfVocabulary + c.far > 0);
  if (imputed.length > 0) {
    lines.push(
      '',
      '## Imputed rows',
      '',
      `Rows of the ${r.imputed!.rows} the model's encoder fills in (missing, non-finite after the transform: the training mean or id 0; out of vocabulary: id 0) or finds far from the training range (scored as they are).`,
      '',
      '| feature | column | missing | non-finite | out of vocabulary | far |',
      '|---|---|---|---|---|---|',
      ...imputed.map((c) => `| ${c.feature} | ${c.column} | ${c.missing} | ${c.nonFinite} | ${c.outOfVocabulary} | ${c.far} |`),
    );
  }
  return `${lines.join('\n')}\n`;
}
