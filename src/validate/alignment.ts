/**
 * Labels misaligned with their rows: an off-by-one join, a sort applied to the label column
 * only, a block of rows whose labels slid by a row or two. Every value stays real and every
 * column's statistics stay in their history; only the pairing is wrong.
 *
 * Each row's label is predicted from what is known about the row: the production model's
 * prediction (the day's label mean without one), sharpened by the labels of the day's other
 * rows in the same context (the same airport in the same hour: weather and congestion are
 * shared there). The day is then read as a walk: at each row, how much better the label of
 * the row `k` before or after fits than the row's own, in nats. On aligned data the walk
 * falls steadily, since a row's own label fits it best. A long stretch where it climbs is a
 * stretch whose labels belong to their neighbours.
 *
 * Two guards keep real days quiet. The climb must reach {@link MISALIGNED_NATS} (a
 * likelihood ratio of e^24 for the realigned stretch), and it must be at least the walk's
 * own chance excursion: a walk that barely falls (a day the model and the context predict
 * poorly) wanders far by chance, about variance / |drift| nats, and one that may not fall
 * at all (labels nothing predicts) about its spread times the root of its length.
 */
import { countAtMost, countBelow } from '../data/sorted.js';
import { findColumn, locateRow, type Table } from '../data/table.js';
import { labelColumnValues, type LabelEncoding } from '../features/label.js';
import { utcHourOfDay } from '../features/preprocessing.js';
import type { Anomaly } from './checker.js';
import { median } from './median.js';
import type { Severity } from './schema.js';

/** Offsets tried: each row's label compared with the label of the row 1, 2 or 3 before and after it. */
export const REALIGNMENT_OFFSETS: readonly number[] = [-1, 1, -2, 2, -3, 3];

/**
 * Nats by which a stretch's realigned labels must fit better than its own before the
 * stretch counts as misaligned. Measured on the 167 real days of flights-3m (January to
 * June, one production model): no aligned whole day's best stretch reached 19 nats at any
 * offset; on samples of a third or an eleventh of their rows, none passed both guards.
 */
export const MISALIGNED_NATS = 24;

/** The climb must be at least this many of the walk's chance climbs (see {@link largestClimb}). */
export const MISALIGNED_EXCURSIONS = 1;

/**
 * And the labels the stretch seems to belong to must follow what predicts its rows: their
 * correlation with the predictions over the stretch, as a z-score (r √n), at least this. A
 * label nothing predicts (a shop's sales channel) gives a walk that barely moves, and over
 * six offsets and months of days one of its chance climbs passes both guards above (2 of
 * 167 days; the neighbours' labels correlate at z 1.0 and 2.0 there, flights' blocks of a
 * tenth of the rows slid by a row at 8.3 to 10.1, whole days at 26 to 51). Labels that fit
 * their own rows worse than chance but their neighbours' no better (inverted) are not
 * misaligned either.
 */
export const MISALIGNED_SKILL_Z = 4;

/** A driftless walk's chance climb over n steps, in standard deviations times √n: beyond it by chance on few days. */
const DRIFTLESS_CLIMB = 3;

/**
 * Most a single row adds to or takes from a walk, in nats: a stretch that climbs is many rows
 * that each fit a neighbour's label, not a few wild labels. (A binary label under a
 * prediction between 0.02 and 0.98 cannot move more than 3.9 nats anyway.)
 */
const MAX_ROW_NATS = 4;

/** Weight of the row's prior prediction in its context rate, as a number of rows of the context. */
const CONTEXT_PRIOR_ROWS = 5;

/** The labelled rows of a day in file order, what predicts each, and where each came from. */
export interface AlignmentInput {
  /** Labels of the labelled rows, in file order (0/1 for binary, values for regression). */
  labels: Float64Array;
  /** Prior prediction of each label: the production model's, or the day's mean label. */
  prior: Float64Array;
  /** Whether `prior` is the production model's (it already knows each category's usual rate). */
  priorFromModel: boolean;
  /**
   * Contexts of the labelled rows, one per categorical input: the category (`coarse`) and the
   * category in the row's hour (`fine`); -1 where the row has none.
   */
  contexts: Array<{ coarse: Int32Array; fine: Int32Array }>;
  /** Table row index of each labelled row. */
  rows: Int32Array;
  task: 'binary' | 'regression';
}

/** A day's most misaligned-looking stretch. */
export interface Misalignment {
  /** The offset whose labels fit the stretch better: -1, the label of the row before. */
  offset: number;
  /** First and last labelled row of the stretch (indices into the labelled rows). */
  start: number;
  end: number;
  /** How much better the realigned labels fit the stretch, in nats. */
  nats: number;
  /** `nats` in chance climbs of the day's walk (variance / |drift|, at most a driftless walk's). */
  excursions: number;
  /** How closely the realigned labels follow the stretch's predictions: their correlation z-score, r √n (0 when not asked: the stretch failed the other guards). */
  skill: number;
  /** Labelled rows of the day. */
  rows: number;
}

/**
 * The labelled rows of `table` as the alignment check reads them: the label as configured,
 * the production model's predictions where given (by table row), and one context per
 * categorical input column, by itself and crossed with the hour of the partition's time column.
 */
export function alignmentInput(
  table: Table,
  label: LabelEncoding & { task: 'binary' | 'regression' },
  contextColumns: readonly string[],
  timeColumn: string | undefined,
  predictions: ReadonlyMap<number, number> | null,
): AlignmentInput {
  const all = labelColumnValues(table, label);
  const kept: number[] = [];
  for (let i = 0; i < all.length; i++) if (Number.isFinite(all[i]!)) kept.push(i);
  const rows = Int32Array.from(kept);
  const labels = Float64Array.from(rows, (i) => all[i]!);
  let mean = 0;
  for (const y of labels) mean += y / Math.max(1, labels.length);
  const prior = Float64Array.from(rows, (i) => {
    const p = predictions?.get(i);
    return p !== undefined && Number.isFinite(p) ? p : mean;
  });
  const time = timeColumn === undefined ? undefined : findColumn(table, timeColumn);
  const hourOf = (i: number): number => {
    if (time === undefined || time.type !== 'timestamp' || (time.nulls !== null && time.nulls[i] === 1)) return 0;
    const t = time.values[i]!;
    return Number.isFinite(t) ? utcHourOfDay(t) + 1 : 0;
  };
  const contexts: AlignmentInput['contexts'] = [];
  for (const name of contextColumns) {
    const column = findColumn(table, name);
    if (column === undefined || column.type !== 'string') continue;
    const coarse = Int32Array.from(rows, (i) => column.codes[i]!);
    contexts.push({ coarse, fine: Int32Array.from(rows, (i, k) => (coarse[k]! < 0 ? -1 : coarse[k]! * 25 + hourOf(i))) });
  }
  return { labels, prior, priorFromModel: predictions !== null, contexts, rows, task: label.task };
}

/**
 * Each label's prediction from its contexts: per context, the mean label of the day's other
 * rows of the row's category in its hour, pulled towards a prior by {@link CONTEXT_PRIOR_ROWS}
 * rows' weight; averaged over the row's contexts (the prior alone without any). The prior is
 * the production model's prediction, which knows each category's usual rate; without a
 * model, the day's other rows of the category (themselves pulled towards the day's mean), as
 * a category in one hour holds only a few rows.
 *
 * `predict(i, j)` leaves out row `j`'s label too: a row is compared with its neighbour's label
 * under a prediction that knows neither. Left in, a neighbour of the same group (a file
 * sorted by airport) would fit every row better than its own label, which the other rows'
 * mean always leans away from.
 */
export function contextPredictor(input: Pick<AlignmentInput, 'labels' | 'prior' | 'priorFromModel' | 'contexts'>): (i: number, j: number) => number {
  const { labels, prior, contexts } = input;
  if (contexts.length === 0) return (i) => prior[i]!;
  const sumsOf = (groups: Int32Array): Map<number, { sum: number; count: number }> => {
    const sums = new Map<number, { sum: number; count: number }>();
    for (let i = 0; i < labels.length; i++) {
      if (groups[i]! < 0) continue;
      const s = sums.get(groups[i]!) ?? { sum: 0, count: 0 };
      s.sum += labels[i]!;
      s.count++;
      sums.set(groups[i]!, s);
    }
    return sums;
  };
  // The mean label of the group's rows other than i and j, with `base` counted as CONTEXT_PRIOR_ROWS rows; `base` without a group.
  const othersMean = (groups: Int32Array, sums: Map<number, { sum: number; count: number }>, i: number, j: number, base: number): number => {
    if (groups[i]! < 0) return base;
    const s = sums.get(groups[i]!)!;
    const both = j >= 0 && j !== i && groups[j] === groups[i];
    return (s.sum - labels[i]! - (both ? labels[j]! : 0) + CONTEXT_PRIOR_ROWS * base) / (s.count - 1 - (both ? 1 : 0) + CONTEXT_PRIOR_ROWS);
  };
  const groups = contexts.map(({ coarse, fine }) => ({ coarse, fine, coarseSums: sumsOf(coarse), fineSums: sumsOf(fine) }));
  return (i, j) => {
    let total = 0;
    for (const { coarse, fine, coarseSums, fineSums } of groups) {
      const base = input.priorFromModel ? prior[i]! : othersMean(coarse, coarseSums, i, j, prior[i]!);
      total += othersMean(fine, fineSums, i, j, base);
    }
    return total / groups.length;
  };
}

/** Each label's prediction from its contexts and the other rows' labels (`predict`, leaving out only the row itself). */
export function contextPredictions(
  input: Pick<AlignmentInput, 'labels' | 'prior' | 'priorFromModel' | 'contexts'>,
  predict = contextPredictor(input),
): Float64Array {
  return Float64Array.from(input.labels, (_, i) => predict(i, -1));
}

/**
 * Loss of label `y` under prediction `q`, in nats: log loss for binary labels; for regression,
 * a Gaussian's on rank scores, each value read as the share of the day's labels below it.
 * Amounts spread with their size and delays have long tails: on the values themselves, under
 * one Gaussian scale, their largest rows swamp the walk. A shop's basket values with a tenth
 * of the rows' labels slid by one row climbed 26 nats there and up to 18 on the 30 clean days
 * before, short of the walk's chance climb; on rank scores, 33 nats and 4.4 chance climbs,
 * where the clean days stay under 6. Flights' delays as a regression label: 46 of 155 real
 * days passed the first two guards on the values, one on rank scores.
 */
function lossOf(task: AlignmentInput['task'], labels: Float64Array, predicted: Float64Array): (q: number, y: number) => number {
  if (task === 'binary') {
    return (q, y) => {
      const p = Math.min(1 - 1e-6, Math.max(1e-6, q));
      return -Math.log(y >= 0.5 ? p : 1 - p);
    };
  }
  const rank = rankScore(labels);
  // The residuals' scale from their median absolute value: a few wild labels must not set it.
  const scale = 1.4826 * median(Float64Array.from(labels, (y, i) => Math.abs(rank(y) - rank(predicted[i]!)))) || 1;
  return (q, y) => (rank(y) - rank(q)) ** 2 / (2 * scale * scale);
}

/** The share of `values` below a value, ties counted half: 0 below the least, 1 above the greatest. */
function rankScore(values: Float64Array): (v: number) => number {
  const sorted = Float64Array.from(values).sort();
  return (v) => (countBelow(sorted, v) + countAtMost(sorted, v)) / (2 * sorted.length);
}

/**
 * The day's most misaligned-looking stretch over {@link REALIGNMENT_OFFSETS}: for each
 * offset, the stretch of rows where the labels `offset` rows away fit best in sum (the
 * walk's largest climb); the offset whose climb passes both guards by the most nats, else
 * the largest climb. Null with fewer than 10 labelled rows.
 */
export function findMisalignment(input: AlignmentInput): Misalignment | null {
  const n = input.labels.length;
  if (n < 10) return null;
  const predict = contextPredictor(input);
  const loss = lossOf(input.task, input.labels, contextPredictions(input, predict));
  const { labels } = input;
  let best: Misalignment | null = null;
  for (const offset of REALIGNMENT_OFFSETS) {
    const found = largestClimb(n, offset, (i) => {
      const q = predict(i, i + offset);
      return Math.max(-MAX_ROW_NATS, Math.min(MAX_ROW_NATS, loss(q, labels[i]!) - loss(q, labels[i + offset]!)));
    });
    if (found === null) continue;
    const climbs = found.nats >= MISALIGNED_NATS && found.excursions >= MISALIGNED_EXCURSIONS;
    const candidate: Misalignment = { offset, ...found, skill: climbs ? realignedSkill(found.start, found.end, offset, predict, labels) : 0, rows: n };
    if (best === null || rankOf(candidate) > rankOf(best)) best = candidate;
  }
  return best;
}

/** Misaligned stretches rank above the others, then by nats. */
const rankOf = (m: Misalignment): number => (isMisaligned(m) ? 1e9 : 0) + m.nats;

/** Whether a stretch passes the three guards. */
export function isMisaligned(m: Misalignment): boolean {
  return m.nats >= MISALIGNED_NATS && m.excursions >= MISALIGNED_EXCURSIONS && m.skill >= MISALIGNED_SKILL_Z;
}

/**
 * The correlation of each row's prediction with the label `offset` rows away over rows
 * `start..end`, as a z-score (r √n): about 0 where those labels do not belong to the rows, by
 * chance alone within a few units; 0 when either side is constant.
 */
function realignedSkill(start: number, end: number, offset: number, predict: (i: number, j: number) => number, labels: Float64Array): number {
  const n = end - start + 1;
  // Each prediction made once: the context predictor is the costly part.
  const q = Float64Array.from({ length: n }, (_, k) => predict(start + k, start + k + offset));
  let sq = 0;
  let sy = 0;
  for (let k = 0; k < n; k++) {
    sq += q[k]!;
    sy += labels[start + k + offset]!;
  }
  const mq = sq / n;
  const my = sy / n;
  let qy = 0;
  let qq = 0;
  let yy = 0;
  for (let k = 0; k < n; k++) {
    const dq = q[k]! - mq;
    const dy = labels[start + k + offset]! - my;
    qy += dq * dy;
    qq += dq * dq;
    yy += dy * dy;
  }
  return qq > 0 && yy > 0 ? (qy / Math.sqrt(qq * yy)) * Math.sqrt(n) : 0;
}

/** The largest climb of the walk of `gain(i)` over rows where row i + offset exists (Kadane), in nats and in the walk's chance climbs. */
function largestClimb(n: number, offset: number, gain: (i: number) => number): Omit<Misalignment, 'offset' | 'rows' | 'skill'> | null {
  const first = Math.max(0, -offset);
  const last = Math.min(n, n - offset);
  if (last - first < 2) return null;
  let sum = 0;
  let squares = 0;
  let climb = 0;
  let climbStart = first;
  let best = { nats: 0, start: first, end: first };
  for (let i = first; i < last; i++) {
    const g = gain(i);
    sum += g;
    squares += g * g;
    if (climb <= 0) {
      climb = 0;
      climbStart = i;
    }
    climb += g;
    if (climb > best.nats) best = { nats: climb, start: climbStart, end: i };
  }
  const count = last - first;
  const drift = sum / count;
  const variance = squares / count - drift * drift;
  if (!(variance > 0)) return { ...best, excursions: 0 };
  // The walk's chance climb: variance / |drift| for a walk that surely falls, judged at the
  // least steep fall its drift allows (two standard errors up); a walk that may not fall
  // (labels the contexts cannot predict) climbs by chance as far as a driftless one over its
  // length, a few standard deviations times the square root of its steps.
  const spread = Math.sqrt(variance);
  const leastFall = drift + (2 * spread) / Math.sqrt(count);
  const chance = Math.min(leastFall < 0 ? variance / -leastFall : Infinity, DRIFTLESS_CLIMB * spread * Math.sqrt(count));
  return { ...best, excursions: best.nats / chance };
}

/** A misaligned-looking stretch placed in its file, as the cache keeps it and the anomaly names it. */
export interface LocatedMisalignment extends Misalignment {
  /** 1-based data rows of the stretch's first and last row in the file. */
  firstRow: number;
  lastRow: number;
  /** What predicted the labels: "production v1 and the day's labels by origin, destination and hour". */
  judgedBy: string;
}

/** `m` with the file rows of its stretch (`input.rows` index `table`). */
export function locateMisalignment(m: Misalignment, input: AlignmentInput, table: Table, judgedBy: string): LocatedMisalignment {
  return { ...m, firstRow: locateRow(table, input.rows[m.start]!).row, lastRow: locateRow(table, input.rows[m.end]!).row, judgedBy };
}

/** The `labels_misaligned` anomaly of a stretch of `file` (the partition of `date`) that passes every guard, or null. */
export function misalignmentAnomaly(m: LocatedMisalignment, file: string, date: string, labelText: string, severity: Severity): Anomaly | null {
  if (!isMisaligned(m)) return null;
  const length = m.end - m.start + 1;
  const distance = Math.abs(m.offset);
  const neighbour = `the row ${distance === 1 ? '' : `${distance} rows `}${m.offset < 0 ? 'before' : 'after'} it`;
  return {
    kind: 'labels_misaligned',
    severity,
    column: null,
    count: length,
    share: length / Math.max(1, m.rows),
    examples: [
      { file, row: m.firstRow },
      { file, row: m.lastRow },
    ],
    message:
      `${file}: rows ${m.firstRow}..${m.lastRow} look misaligned with their labels (${labelText}): ` +
      `over these ${length} rows each row fits the label of ${neighbour} better than its own, by ${m.nats.toFixed(1)} nats in all ` +
      `(${m.excursions.toFixed(1)} times what chance gives on this day), judged by ${m.judgedBy}, whose predictions follow those labels ` +
      `(correlation z ${m.skill.toFixed(1)}); ` +
      `on aligned data a row's own label fits it best. Fix the join or sort that attaches labels to rows upstream; ` +
      `if these labels are right, accept the day: ct validate --accept ${date} (validation.severity.labels_misaligned: warning lets every such day through)`,
  };
}
