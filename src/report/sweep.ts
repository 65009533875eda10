/** `sweep.md`: every leg of a sweep, the selected one first in words. */
import type { SweepRecord } from '../artifacts.js';
import { describeLeg } from '../sweep/plan.js';
import { text } from './escape.js';
import { num, signed, table } from './markdown.js';

/** The sweep's legs as a table, for the job summary and the promotion pull request. */
export function sweepMarkdown(r: SweepRecord, missing: readonly string[] = []): string {
  const selected = r.legs.find((l) => l.id === r.selected)!;
  const metric = text(r.metric, 60);
  const rows = r.legs.map((l) => [
    l.id === r.selected ? `**${text(l.id, 60)}** (selected)` : text(l.id, 60),
    text(describeLeg(l)),
    num(l.value),
    l.delta === null ? '—' : `${signed(l.delta.value)}${l.delta.ci === null ? '' : ` [${signed(l.delta.ci[0])}, ${signed(l.delta.ci[1])}]`}`,
    l.gatesPassed ? '✅' : `❌ ${text(l.failures[0] ?? '')}`,
    l.trainSeconds.toFixed(1),
  ]);
  return [
    `## Sweep: ${r.legs.length} legs, best by ${metric}`,
    '',
    `Every leg was trained on the same window and scored on the same ${r.rows} evaluation rows${r.baseline === null ? '' : ` against production ${text(r.baseline, 100)}`}. The best by ${metric} (${r.higherIsBetter ? 'higher' : 'lower'} is better) is ${text(r.selected, 60)} (${text(describeLeg(selected))}); its gates decide the promotion. Choosing the best of ${r.legs.length} on these rows flatters it a little: its delta is an upper estimate.`,
    '',
    table(['leg', 'parameters', metric, `delta vs production [95% CI]`, 'gates', 'train s'], rows),
    ...(missing.length > 0 ? ['', `Not evaluated (failed or not run): ${missing.map((m) => text(m, 60)).join(', ')}.`] : []),
    ...(r.run === null ? [] : ['', `Run locally: ${r.legs.length + missing.length} legs, ${r.run.parallel} at a time, in ${r.run.seconds.toFixed(1)} s.`]),
    '',
  ].join('\n');
}
