/** `sweep.md`: every leg of a sweep, the selected one first in words. */
import type { SweepRecord } from '../artifacts.js';
import { describeLeg } from '../sweep/plan.js';
import { num, signed, table } from './markdown.js';

/** The sweep's legs as a table, for the job summary and the promotion pull request. */
export function sweepMarkdown(r: SweepRecord, missing: readonly string[] = []): string {
  const selected = r.legs.find((l) => l.id === r.selected)!;
  const rows = r.legs.map((l) => [
    l.id === r.selected ? `**${l.id}** (selected)` : l.id,
    describeLeg(l),
    num(l.value),
    l.delta === null ? '—' : `${signed(l.delta.value)}${l.delta.ci === null ? '' : ` [${signed(l.delta.ci[0])}, ${signed(l.delta.ci[1])}]`}`,
    l.gatesPassed ? '✅' : `❌ ${l.failures[0] ?? ''}`,
    l.trainSeconds.toFixed(1),
  ]);
  return [
    `## Sweep: ${r.legs.length} legs, best by ${r.metric}`,
    '',
    `Every leg was trained on the same window and scored on the same ${r.rows} evaluation rows${r.baseline === null ? '' : ` against production ${r.baseline}`}. The best by ${r.metric} (${r.higherIsBetter ? 'higher' : 'lower'} is better) is ${r.selected} (${describeLeg(selected)}); its gates decide the promotion. Choosing the best of ${r.legs.length} on these rows flatters it a little: its delta is an upper estimate.`,
    '',
    table(['leg', 'parameters', r.metric, `delta vs production [95% CI]`, 'gates', 'train s'], rows),
    ...(missing.length > 0 ? ['', `Not evaluated (failed or not run): ${missing.join(', ')}.`] : []),
    ...(r.run === null ? [] : ['', `Run locally: ${r.legs.length + missing.length} legs, ${r.run.parallel} at a time, in ${r.run.seconds.toFixed(1)} s.`]),
    '',
  ].join('\n');
}
