/**
 * The words of a history finding: what its statistic measures, what it was judged against,
 * and what to do. Kept apart from the rules (`history.ts`), which judge numbers only.
 */
import { DERIVED_PREFIX, LABEL_COLUMN } from '../features/derived.js';
import { ROW_MATCH_DAYS } from './row-matches.js';
import { columnNames, statisticOf } from './metric-names.js';
import { classOfShift, REFERENCE_WEEKS } from './class-shifts.js';
import type { MonthFactor } from './month-days.js';
import type { ScaleChange } from './scale-change.js';
import { BROKEN_SIGNAL, CHANCE, COPY_DAYS, type HistoryFinding, isModelError, isRelation, weekdayOf } from './history.js';

export const WEEKDAYS = ['', 'Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays', 'Sundays'];

/**
 * What a finding measures without its subject ("share of zeros", not `column "delay": share
 * of zeros`): for the statistics named beside the strongest finding of the same column.
 */
export function describeStatistic(finding: Pick<HistoryFinding, 'metric' | 'column'>, labelText: string): string {
  // The subject ends at the first ": " outside its quoted column names; the words after it may hold another.
  return describeMetric(finding, labelText).replace(/^(?:[^":]|"(?:[^"\\]|\\.)*"|:(?! ))*: /, '');
}

/** Which way a correlation moved says which defect: a relation gone is rows and labels parted; one far stronger, the outcome leaking in. */
function correlationCause(finding: Partial<Pick<HistoryFinding, 'value' | 'expected'>>): string {
  const weaker = finding.value !== undefined && finding.expected !== undefined && Math.abs(finding.value) < Math.abs(finding.expected);
  return weaker
    ? "a relation that held on every earlier day is gone: labels misaligned with their rows, or the input's values moved to other rows?"
    : 'an input that tells the label far better than on any earlier day holds the outcome: a value filled in from it, or computed after it?';
}

/** What each statistic of a column is, as a message names it. */
const STATISTIC_WORDS: Record<string, string> = {
  nullRate: 'share of nulls',
  mean: 'mean',
  levelShift:
    "mean less the mean of earlier days of its spread (standard deviation and interquartile range: every value moved by one amount, so the label's threshold reads another thing?)",
  std: 'standard deviation',
  q05: '5th percentile',
  q25: '25th percentile',
  q50: 'median',
  q75: '75th percentile',
  q95: '95th percentile',
  negativeShare: 'share of negative values',
  zeroShare: 'share of zeros',
  spikeShare: 'share of rows holding one value far more often than the values next to it (a default filled in, or a cap?)',
  roundShare: 'share of values rounder than its usual precision (multiples of ten times its resolution: rounded upstream?)',
  resolution: 'precision: the power of ten nearly every value is a multiple of (rounded upstream?)',
  repeatAboveShare: 'share of values equal to the row above, beyond those equal to the row two above (missing values filled from the row above?)',
  nonFiniteShare: 'share of NaN or infinite values',
  nonIntegerShare: 'share of values with a fraction',
  lowTailShare: 'share of extreme low values (below its first quartile by 3 interquartile ranges)',
  highTailShare: 'share of extreme high values (above its third quartile by 3 interquartile ranges)',
  midnightShare: 'share of times at exactly midnight (a date without its time)',
  foldedShare:
    "share of the afternoon's and evening's rows whose hour reads 12 hours early, the small hours holding them (times written on a 12-hour clock without AM or PM: 13:05 as 01:05?)",
  stuckShare:
    'share of rows in groups stuck whole: one value in every number that varied there on every earlier day (a sensor resending its last reading, a group copied from one row?)',
  keyRepeatShare: 'share of rows whose key is on another row too (rows appended twice, or keys assigned wrong?)',
  keyStepShare:
    'share of rows whose value moved from the one their key held in the partition before it by the step most moved by (rewritten on some rows, or joined on the wrong key?)',
  keyMatchShare: 'share of rows whose value is the one their key held in the partition before it (rewritten on some rows, joined on the wrong key, or stale?)',
  rowMatchShare: `share of rows whose value is the one a partition of the ${ROW_MATCH_DAYS} before it held at the same row number (joined from another day by row number?)`,
  distinct: 'number of distinct values',
  topShare: 'share of its most frequent value',
  divergence: 'distance of its value mix from the usual mix (Jensen-Shannon)',
  unseenShare: 'share of values no earlier day had',
  vanishedShare: 'usual share of the values every earlier day had and this day lacks',
  topEdge: 'span of its top 0.5% of values for that of the 0.5% below them',
  firstHour: 'time of its first row (hours after midnight, UTC or data.timezone)',
  lastHour: 'time of its last row (hours after midnight, UTC or data.timezone)',
};

/** A metric's name in words. */
export function describeMetric(
  finding: Pick<HistoryFinding, 'metric' | 'column'> & Partial<Pick<HistoryFinding, 'value' | 'expected'>>,
  labelText: string,
): string {
  const { metric, column } = finding;
  if (metric === 'rows') return 'row count';
  if (metric === 'duplicates.share') return 'share of rows that repeat an earlier row';
  if (metric === 'duplicates.inputShare')
    return `share of rows that repeat an earlier row in every column but the label, ${labelText} (the same example sent twice, with another label?)`;
  if (metric === 'copy.similarity') return `similarity of its rows to those of one of the ${COPY_DAYS} days before it (Jaccard, times left out)`;
  if (metric === 'copy.timedSimilarity')
    return `similarity of its rows, times of day included, to those of one of the ${COPY_DAYS} days before it (Jaccard: a share of the day served again from an earlier one?)`;
  if (metric.startsWith('model.')) return `production model's ${metric.slice('model.'.length)} on the labelled rows`;
  const statistic = statisticOf(metric);
  if (isRelation(metric) && column !== null) {
    const [x, g] = columnNames(column) as [string, string];
    const name = (c: string): string => columnTitle(c, labelText, 'the label', '');
    if (statistic === 'signal')
      return `relation of ${name(x)} to ${name(g)}: its strength above chance (F test as a z-score; below ${BROKEN_SIGNAL} is no relation)`;
    if (statistic === 'correlation') return `relation of ${name(x)} to ${name(g)}: correlation (${correlationCause(finding)})`;
    if (statistic === 'effectShift')
      return `relation of ${name(x)} to ${name(g)}: how far its groups' means moved from where each usually sits, as a share of how far they usually sit apart (values of ${name(g)} swapped or misfiled?)`;
    return `relation of ${name(x)} to ${name(g)}: share of its variance that ${name(g)} explains (η²)`;
  }
  if (statistic === 'mismatchShare' && column !== null) {
    const [target, ...keys] = columnNames(column) as [string, ...string[]];
    return `dependency of "${target}" on ${keys
      .map((k) => `"${k}"`)
      .join(' and ')}: share of rows whose ${target} is not the value their ${keys.join(' and ')} had on earlier days`;
  }
  if (statistic === 'unseenPairShare' && column !== null) {
    const [a, b] = columnNames(column) as [string, string];
    return `pairs of "${a}" and "${b}": share of rows whose pair of values no earlier day had (codes mapped wrong?)`;
  }
  if (statistic === 'absentLabelShare' && column !== null) {
    const [label, g] = columnNames(column) as [string, string];
    return `${columnTitle(label, labelText, 'the label', 'label ')} by ${columnTitle(g, labelText, 'the label', 'column ')}: share of rows in groups that hold none of a label value every earlier day had there in numbers (labels overwritten on part of the data?)`;
  }
  if (statistic === 'frozenShare' && column !== null) {
    const [x, g] = columnNames(column) as [string, string];
    return `${columnTitle(x, labelText, 'the label', 'column ')} by ${columnTitle(g, labelText, 'the label', 'column ')}: share of rows in groups whose values are all one value, where each held many on every earlier day (a stuck sensor, a default written for one group?)`;
  }
  if (statistic === 'reversedShare' && column !== null) {
    const [a, b] = columnNames(column) as [string, string];
    return `direction of "${a}" and "${b}": share of rows whose pair of values, at its hour, no earlier day had the same way round while the reverse was usual (the two columns exchanged on those rows?)`;
  }
  if (statistic === 'oppositeShare' && column !== null) {
    const [a, b] = columnNames(column) as [string, string];
    return `direction of "${a}" and "${b}": share of rows by which a pair of values gained one way round and lost the other from its usual rows (the two columns exchanged on those rows?)`;
  }
  const what = column === null ? 'the partition' : columnTitle(column, labelText, 'label', 'column ');
  const shifted = classOfShift(statistic);
  if (shifted !== null) return `${what}: share of class ${JSON.stringify(shifted)} less its median on the same weekday of the ${REFERENCE_WEEKS} weeks before`;
  return `${what}: ${STATISTIC_WORDS[statistic] ?? statistic}`;
}

/** How a message names a profiled column: the label, a model input ct derives, or a data column. */
export function columnTitle(column: string, labelText: string, label: string, plain: string): string {
  if (column === LABEL_COLUMN) return `${label} (${labelText})`;
  if (column.startsWith(DERIVED_PREFIX)) return `model input "${column.slice(DERIVED_PREFIX.length)}"`;
  return `${plain}"${column}"`;
}

function fmt(x: number): string {
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  const a = Math.abs(x);
  if (a >= 1000) return x.toLocaleString('en-US', { maximumFractionDigits: 1 });
  return a >= 100 ? x.toFixed(1) : a >= 1 ? x.toFixed(3) : x.toPrecision(3);
}

/** What the same day of earlier months held: "the last day of the month before held 2.7 times its weekday's rows, 1,099". */
function monthText(m: MonthFactor, range: { low: number; high: number }): string {
  return m.months === 1
    ? `the ${m.position} day of the month before held ${m.low.toFixed(1)} times its weekday's rows, ${fmt(range.low)}`
    : `the ${m.position} days of the ${m.months} months before held ${m.low.toFixed(1)} to ${m.high.toFixed(1)} times their weekday's rows, ${fmt(range.low)} to ${fmt(range.high)}`;
}

/** A scale change's statistics, each with what was expected: `standard deviation 1,006 (expected about 625), …`. */
function scaleText(change: ScaleChange): string {
  return change.statistics.map(({ statistic, value, expected }) => `${STATISTIC_WORDS[statistic]} ${fmt(value)} (expected about ${fmt(expected)})`).join(', ');
}

/** Why a row count is short: alike in every group (`kept`), rows lost on the way; else a partial upload. */
function rowsMissingCause(finding: HistoryFinding, labelText: string): string {
  const kept = finding.kept;
  if (kept === undefined) return ': a partial upload?';
  return `, and alike in every group: the values of ${columnTitle(kept.column, labelText, 'the label', 'column ')} hold ${Math.round(kept.least * 100)}% to ${Math.round(kept.kept * 100)}% of their usual rows (10th to 90th percentile, by rows), where a real fall, a storm or a holiday, leaves some groups whole: part of the partition never arrived, a part file or shard missing, or rows sampled upstream?`;
}

/**
 * One line a reviewer understands: the value, what the history shows, the other statistics
 * that moved with it (`others`, described), and what to do.
 */
export function findingMessage(finding: HistoryFinding, partition: string, date: string, labelText: string, others: readonly string[] = []): string {
  const weekdays = WEEKDAYS[weekdayOf(date)];
  const days =
    finding.weekdayRange !== undefined
      ? `${finding.weekdayRange} earlier ${finding.weekdayRange === 1 ? weekdays!.slice(0, -1) : weekdays} (of ${finding.days} earlier days)`
      : finding.sameWeekday
        ? `${finding.days} earlier days (same-weekday median: ${weekdays})`
        : `${finding.days} earlier days`;
  return (
    `${partition}: ${describeMetric(finding, labelText)} is ${fmt(finding.value)}, expected about ${fmt(finding.metric === 'rows' ? Math.round(finding.expected) : finding.expected)}; ` +
    (finding.month === undefined
      ? `the ${days} ranged ${fmt(finding.low)} to ${fmt(finding.high)} `
      : `${monthText(finding.month, finding)} on a ${weekdays!.slice(0, -1)} `) +
    (finding.metric.endsWith('.signal')
      ? `(a relation that held on every earlier day is gone). `
      : finding.metric.endsWith('.topEdge')
        ? `(its largest values end as densely as its body, where they thinned out on every earlier day: a file sorted by it and cut short, or its largest values filtered out?). `
        : finding.metric in CHANCE && finding.value <= CHANCE[finding.metric]!
          ? `(no better than chance, ${fmt(CHANCE[finding.metric]!)}, where it was well above on every earlier day: are the labels inverted or misaligned?). `
          : finding.chance !== undefined
            ? `(robust z ${finding.score.toFixed(1)}; within what a model without skill scores on this day's labels, up to ${fmt(finding.chance)}, where it was well above on every earlier day: are the labels shuffled or misaligned?). `
            : finding.scale !== undefined
              ? `(robust z ${finding.score.toFixed(1)}; its spread and quartiles all moved by about ×${finding.scale.factor.toFixed(2)}, each beyond every earlier day: ${scaleText(finding.scale)}: the column in other units?). `
              : finding.tailRise !== undefined
                ? `(robust z ${finding.score.toFixed(1)}; ${finding.tailRise.held} values, where the highest rate of any earlier day puts ${finding.tailRise.due.toFixed(1)} in a day of this size: a chance of ${finding.tailRise.chance.toExponential(0)}). `
                : finding.skillLow !== undefined
                  ? `(robust z ${finding.score.toFixed(1)}; under a third as far above chance, ${fmt(CHANCE[finding.metric]!)}, as its least skilled earlier day, ${fmt(finding.skillLow)}: are the labels shuffled or misaligned?). `
                  : isModelError(finding.metric) && finding.value > finding.expected
                    ? `(robust z ${finding.score.toFixed(1)}; the production model errs more on this day than on any earlier one: labels misaligned with their rows, or a column in other units?). `
                    : finding.metric === 'rows' && finding.value < finding.expected
                      ? `(robust z ${finding.score.toFixed(1)}; ${Math.round((1 - finding.value / finding.expected) * 100)}% of the expected rows missing${rowsMissingCause(finding, labelText)}). `
                      : `(robust z ${finding.score.toFixed(1)}). `) +
    (others.length === 0 ? '' : `Also beyond its history: ${others.join(', ')}. `) +
    (finding.hoursMoved === undefined
      ? ''
      : `Every hour holds what the hour ${finding.hoursMoved > 0 ? 'before' : 'after'} it held on earlier days, as times on the UTC clock do after a daylight-saving change: if these are instants of a place whose clocks changed, set data.timezone to its zone. `) +
    `Fix the data, or if this change is real, accept it: ct validate --accept ${date} (with --one-off for a one-time event)`
  );
}
