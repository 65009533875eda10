/**
 * Columns mapped the wrong way round: two columns of one domain (origin and destination,
 * home and away team, sender and receiver) exchanged by an upstream mapping. Every value
 * stays valid and every column's statistics stay in their history, since each column now
 * holds what the other always held. The production model tells them apart: it learnt what
 * each column means, so on a day delivered correctly it scores far worse with the two
 * exchanged, and on a day delivered exchanged it scores better with them exchanged back.
 */
import type { Column, Table } from '../data/table.js';
import type { Preprocessing } from '../features/preprocessing.js';
import type { Anomaly } from './checker.js';
import type { Severity } from './schema.js';

/** Share of two vocabularies' values in common (Jaccard) from which their columns count as one domain. */
const SAME_DOMAIN = 0.5;

/**
 * How much better the model must score with a pair exchanged back before the day counts as
 * exchanged: 0.02 of AUC or accuracy, or 2% of an error such as RMSE. A model that ignores
 * the pair scores the same either way; on correct data exchanging costs far more than this.
 */
export const EXCHANGE_MARGIN = 0.02;

/**
 * Pairs of raw columns the model reads through vocabularies that mostly coincide: the
 * columns a mapping error can exchange unnoticed. Sorted, each pair once.
 */
export function exchangeablePairs(preprocessing: Preprocessing): Array<[string, string]> {
  const vocabularies = new Map<string, Set<string>>();
  for (const f of preprocessing.features) {
    if (f.kind !== 'categorical' || f.vocabulary === undefined || f.vocabulary.length === 0) continue;
    const values = vocabularies.get(f.column) ?? new Set<string>();
    for (const v of f.vocabulary) values.add(v);
    vocabularies.set(f.column, values);
  }
  const columns = [...vocabularies.keys()].sort();
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < columns.length; i++) {
    for (let j = i + 1; j < columns.length; j++) {
      if (sameDomain(vocabularies.get(columns[i]!)!, vocabularies.get(columns[j]!)!)) pairs.push([columns[i]!, columns[j]!]);
    }
  }
  return pairs;
}

/** Whether two sets of values mostly coincide (Jaccard share at least {@link SAME_DOMAIN}): two columns of one domain. */
export function sameDomain(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  let common = 0;
  for (const v of a) if (b.has(v)) common++;
  return common / Math.max(1, a.size + b.size - common) >= SAME_DOMAIN;
}

/** The table with the data of columns `a` and `b` exchanged (each name now holds the other's values). */
export function exchangeColumns(table: Table, a: string, b: string): Table {
  const columnA = table.columns.find((c) => c.name === a);
  const columnB = table.columns.find((c) => c.name === b);
  if (columnA === undefined || columnB === undefined) return table;
  const renamed = (c: Column, name: string): Column => ({ ...c, name });
  return { ...table, columns: table.columns.map((c) => (c === columnA ? renamed(columnB, a) : c === columnB ? renamed(columnA, b) : c)) };
}

/**
 * How much better the model scores with the pair exchanged than as delivered, in the
 * metric's own direction: a difference for scores (AUC, accuracy), a relative one for
 * errors (RMSE).
 */
export function exchangeGain(asDelivered: number, exchanged: number, higherIsBetter: boolean): number {
  if (higherIsBetter) return exchanged - asDelivered;
  return asDelivered === 0 ? 0 : (asDelivered - exchanged) / Math.abs(asDelivered);
}

/** The production model's scores of one partition, as delivered and with columns `a` and `b` exchanged. */
export interface ExchangeScores {
  file: string;
  /** The partition's day (what `ct validate --accept` takes). */
  date: string;
  columns: readonly [string, string];
  model: string;
  metric: string;
  higherIsBetter: boolean;
  asDelivered: number;
  exchanged: number;
  /** The model's lowest and highest score on the days before (the same metric). */
  usual: { low: number; high: number };
  rows: number;
  /** On the newest days before (at most {@link EXCHANGE_REFERENCE_DAYS}), what exchanging the pair gained and the rows scored. */
  before: ReadonlyArray<{ gain: number; rows: number }>;
}

/** Days before the newest on which the model's cost of exchanging the pair is measured. */
export const EXCHANGE_REFERENCE_DAYS = 3;

/** The gain a day's exchange must reach to count: the margin, and a small day's chance wobble (1/√rows). */
function neededGain(rows: number): number {
  return Math.max(EXCHANGE_MARGIN, 1 / Math.sqrt(Math.max(1, rows)));
}

/**
 * The `columns_exchanged` anomaly the scores show, or null: exchanging the pair must gain
 * {@link EXCHANGE_MARGIN}, and more than a small day's chance wobble (1/√rows: 0.026 of AUC
 * on 1,500 rows), and land within what the model scored on the days before. A day whose
 * labels broke scores badly either way (exchanging may scramble an inverted label a little
 * towards chance): that is not a mapping the exchange repairs. And the model must tell the
 * two apart: on most of the days before, exchanging them cost it as much. A model trained
 * on 2,000 flights a day learnt origin and destination so alike that exchanging them gained
 * 0.03 to 0.05 of AUC on correct days; its gain says nothing of the mapping.
 */
export function exchangeAnomaly(s: ExchangeScores, severity: Severity): Anomaly | null {
  if (!(exchangeGain(s.asDelivered, s.exchanged, s.higherIsBetter) >= neededGain(s.rows))) return null;
  if (!(s.higherIsBetter ? s.exchanged >= s.usual.low : s.exchanged <= s.usual.high)) return null;
  const costly = s.before.filter((d) => -d.gain >= neededGain(d.rows));
  if (costly.length * 2 <= s.before.length) return null;
  const [a, b] = s.columns;
  const f = (x: number): string => x.toFixed(3);
  const costs = costly.map((d) => -d.gain);
  const cost = `${f(Math.min(...costs))}${costs.length > 1 ? ` to ${f(Math.max(...costs))}` : ''}`;
  return {
    kind: 'columns_exchanged',
    severity,
    column: `${a}+${b}`,
    count: s.rows,
    share: 1,
    examples: [{ file: s.file, row: 1 }],
    message:
      `${s.file}: columns "${a}" and "${b}" look exchanged: production ${s.model} scores ${s.metric} ${f(s.asDelivered)} on the day as delivered ` +
      `and ${f(s.exchanged)} with the two exchanged back, as on the days before (${f(s.usual.low)} to ${f(s.usual.high)}); ` +
      `on ${costly.length} of the ${s.before.length} days before, exchanging them cost it ${cost}. Fix the column mapping upstream; ` +
      `if the columns changed meaning for good, accept the day (ct validate --accept ${s.date}) and retrain on data that has it ` +
      `(validation.severity.columns_exchanged: warning lets every such day through)`,
  };
}
