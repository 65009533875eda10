/** The Markdown report of `ct predict`. */
import type { PredictionRecord } from '../artifacts.js';
import { code, text } from './escape.js';
import { table } from './markdown.js';

/** The Markdown twin of `prediction.json`, for people and the job summary. */
export function predictionMarkdown(r: PredictionRecord): string {
  const lines = [
    `# Prediction with ${text(r.model, 100)} ${text(r.version, 100)}: ${r.ok ? `${r.rows} rows scored` : 'refused'}`,
    '',
    r.ok
      ? `Scored ${r.rows} rows from ${r.files.length} file(s) in ${r.durationSeconds.toFixed(2)} s (${Math.round(r.rowsPerSecond)} rows/s, backend ${text(r.backend, 60)}); predictions in ${code(r.output, 200)}.`
      : `Nothing was scored: the batch has ${r.anomalies.filter((a) => a.severity === 'error').length} error anomalies against ${code(r.schemaFile, 200)} (the label may be missing; every other column is checked as \`ct validate\` checks it) or against the model's input domain (\`input_*\`: values its preprocessing would silently impute or extrapolate).`,
    '',
    table(
      ['file'],
      r.files.map((f) => [code(f, 200)]),
    ),
    '',
    `Data fingerprint: ${code(r.fingerprint)}`,
  ];
  if (r.anomalies.length > 0) {
    lines.push(
      '',
      '## Anomalies',
      '',
      table(
        ['severity', 'kind', 'column', 'count', 'message'],
        r.anomalies.map((a) => [text(a.severity), text(a.kind), a.column === null ? '' : text(a.column, 100), String(a.count), text(a.message)]),
      ),
    );
  }
  const imputed = (r.imputed?.features ?? []).filter((c) => c.missing + c.nonFinite + c.outOfVocabulary + c.far > 0);
  if (imputed.length > 0) {
    lines.push(
      '',
      '## Imputed rows',
      '',
      `Rows of the ${r.imputed!.rows} the model's encoder fills in (missing, non-finite after the transform: the training mean or id 0; out of vocabulary: id 0) or finds far from the training range (scored as they are).`,
      '',
      table(
        ['feature', 'column', 'missing', 'non-finite', 'out of vocabulary', 'far'],
        imputed.map((c) => [text(c.feature, 100), text(c.column, 100), String(c.missing), String(c.nonFinite), String(c.outOfVocabulary), String(c.far)]),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
