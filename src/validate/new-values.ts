/**
 * One warning for one fact: a value new to the schema's domain is, on the same rows, new to
 * the production model's vocabulary too (a new airport is both). Reported twice, a reviewer
 * reads four warnings a day about two airports.
 */
import type { Anomaly } from './checker.js';

/**
 * `anomalies` with each `input_out_of_vocabulary` warning folded into the `unseen_category`
 * warning of its column when both name the same rows (the same count and the same example
 * rows): the domain's warning keeps what to do with the schema and gains a sentence on what
 * production does with them. Errors are never folded, nor warnings about other rows.
 */
export function foldNewValueWarnings(anomalies: readonly Anomaly[]): Anomaly[] {
  const unseen = new Map<string, Anomaly>();
  for (const a of anomalies) if (a.kind === 'unseen_category' && a.severity === 'warning' && a.column !== null) unseen.set(a.column, a);
  const folded = new Set<Anomaly>();
  const model = new Set<string>();
  for (const a of anomalies) {
    if (a.kind !== 'input_out_of_vocabulary' || a.severity !== 'warning' || a.column === null) continue;
    const domain = unseen.get(a.column);
    if (domain === undefined || !sameRows(domain, a)) continue;
    folded.add(a);
    model.add(a.column);
  }
  return anomalies
    .filter((a) => !folded.has(a))
    .map((a) =>
      a.kind === 'unseen_category' && a.column !== null && model.has(a.column) && unseen.get(a.column) === a
        ? {
            ...a,
            message: `${a.message}. The model has not seen them either: it scores them as an unknown ${a.column} until a retrain takes them into its vocabulary`,
          }
        : a,
    );
}

/** Whether two anomalies count the same rows and show the same first ones. */
function sameRows(a: Anomaly, b: Anomaly): boolean {
  return (
    a.count === b.count &&
    a.examples.length === b.examples.length &&
    a.examples.every((e, i) => e.file === b.examples[i]!.file && e.row === b.examples[i]!.row && e.value === b.examples[i]!.value)
  );
}
