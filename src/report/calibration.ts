/** `calibration.md`, `calibration.yaml` and the log line of `ct replay --calibrate`. */
import { stringify } from 'yaml';
import type { ReplayResult } from '../artifacts.js';
import type { CalibrationResult, VariantResult } from '../replay/calibrate.js';
import { code, text } from './escape.js';
import { num, signed, table } from './markdown.js';

/** "best in 74% of 1000 resamples of the steps". */
function stabilityText(c: CalibrationResult): string {
  return `best in ${Math.round(c.stability.bestShare * 100)}% of ${c.stability.resamples} resamples of the steps`;
}

function variantOf(c: CalibrationResult, name: string): VariantResult {
  return c.variants.find((v) => v.name === name)!;
}

/** The best variant against the configured gates, in one line. */
export function calibrationLine(c: CalibrationResult, report: string): string {
  const best = variantOf(c, c.best);
  const configured = variantOf(c, c.configured);
  return best === configured
    ? `calibration: the configured gates are the best of ${c.variants.length} variants (mean ${c.metric} ${num(best.mean)}; ${stabilityText(c)}); report ${report}`
    : `calibration: "${best.name}" would have served ${signed(best.mean - configured.mean)} ${c.metric} over the configured gates (${num(best.mean)} vs ${num(configured.mean)}; ${stabilityText(c)}); report ${report}`;
}

/** `calibration.yaml`: the best variant's gates, as the config's `gates:` section. */
export function calibrationYaml(c: CalibrationResult): string {
  const best = variantOf(c, c.best);
  const header = [
    `# ct replay --calibrate: the gates that would have served the best next-period ${c.metric}`,
    `# ("${best.name}", mean ${num(best.mean)}; the configured gates ${num(variantOf(c, c.configured).mean)}; ${stabilityText(c)}).`,
    '# Review calibration.md, then replace the gates of the config with these.',
  ];
  return `${header.join('\n')}\n${stringify({ gates: best.gates })}`;
}

/** `calibration.md`: the variants ranked, the stability of the choice, and what the numbers assume. */
export function calibrationMarkdown(c: CalibrationResult, replay: ReplayResult): string {
  const ranked = [...c.variants].sort((a, b) => (c.higherIsBetter ? b.mean - a.mean : a.mean - b.mean));
  const configured = variantOf(c, c.configured);
  const rows = ranked
    .slice(0, 15)
    .map((v, i) => [String(i + 1), text(v.name, 120), num(v.mean), signed(v.mean - configured.mean), String(v.promoted), String(v.blocked)]);
  if (!ranked.slice(0, 15).includes(configured)) {
    rows.push([
      String(ranked.indexOf(configured) + 1),
      text(configured.name),
      num(configured.mean),
      signed(0),
      String(configured.promoted),
      String(configured.blocked),
    ]);
  }
  return [
    `# Calibration of ${text(replay.model, 100)}'s gates: ${text(replay.from, 40)}..${text(replay.to, 40)}`,
    '',
    `Every step's evaluation of its candidate against production was gated again under ${c.variants.length} variants of the gates on ${code(c.metric)} (all rows, and its slices; the other gates as configured). A variant that promotes serves the candidate on the next period, one that blocks the production model the step started from; the table ranks them by the mean ${text(c.metric)} they would have served over the ${replay.steps.length} steps (${c.judgedSteps} steps judged: the others stopped before an evaluation against production). No model was trained again: the decisions are re-judged along the replayed path, so a variant that promotes differently is credited as if the later steps had met the same production models.`,
    '',
    table(['rank', 'gates', `mean next-period ${text(c.metric)}`, 'vs configured', 'promoted', 'blocked'], rows),
    '',
    `Best: **${text(c.best, 120)}** (${stabilityText(c)}; best in the first half of the replay: ${text(c.stability.firstHalf, 120)}; in the second half: ${text(c.stability.secondHalf, 120)}). Its gates are in \`calibration.yaml\`.`,
    '',
    `Calibration took ${c.seconds.toFixed(1)} s after the replay.`,
    '',
  ].join('\n');
}
