/**
 * The rows behind a finding whose share counts particular rows — a pair the wrong way round,
 * groups that lost a label value, one value piled up, values gone, values the day before
 * held at the same rows: the anomaly counts those rows, and its
 * message and examples show them to a reviewer. Run on the newest partition's anomalies after
 * its history is judged.
 */
import type { CtConfig } from '../config/types.js';
import { alternatives, percent } from '../words.js';
import { findColumn, locateRow, type Table, valueAt } from '../data/table.js';
import { LABEL_COLUMN } from '../features/derived.js';
import { type Anomaly, rowHashes } from './checker.js';
import { type HistoryFinding, mixBeside, mixChanges, mixPool, vanishedValues } from './history.js';
import { columnTitle } from './history-words.js';
import type { PartitionProfile } from './profile.js';
import { absentLabels, labelGroupPool } from './label-groups.js';
import { frozenGroupPool, frozenGroups, type StuckGroup, stuckGroups, VARIED } from './frozen-groups.js';
import { columnNames, statisticOf } from './metric-names.js';
import { spikeIn } from './numeric-shape.js';
import { hoursOf, oppositeRows, reversedRows } from './orientation.js';
import { quietFoldedHours } from './twelve-hour.js';
import { repeatsOfRowAbove } from './repeats-above.js';
import { joinedRanges } from './ranges.js';
import { closestMatch, keyedPair, keyMatches, keySteps } from './row-matches.js';

/** `x` with thousands separated, as the messages write counts. */
const counted = (x: number): string => x.toLocaleString('en-US');

/** What a finding's anomaly reads to show the rows behind it: the profiles with their detail, the newest partition's rows. */
interface FindingContext {
  newest: () => Promise<PartitionProfile>;
  history: () => Promise<PartitionProfile[]>;
  readNewest: () => Promise<Table>;
  config: CtConfig;
}

/**
 * Counts and shows the rows behind each anomaly whose finding is one of these shares:
 * examples a reviewer can open, the groups or the value in its message. The profiles' detail
 * is completed only when a finding needs it.
 */
export async function showFindingRows(
  anomalies: Anomaly[],
  findings: readonly HistoryFinding[],
  summary: PartitionProfile,
  history: readonly PartitionProfile[],
  complete: (profile: PartitionProfile) => Promise<PartitionProfile>,
  readNewest: () => Promise<Table>,
  config: CtConfig,
): Promise<void> {
  let completed: Promise<PartitionProfile[]> | null = null;
  const context: FindingContext = {
    newest: () => complete(summary),
    history: () => (completed ??= Promise.all(history.map(complete))),
    readNewest,
    config,
  };
  // A mix's distance is shown by what moved only when no other finding of its column shows more (the values gone).
  const ordered = [...findings].sort((a, b) => Number(a.metric.endsWith('.divergence')) - Number(b.metric.endsWith('.divergence')));
  for (const anomaly of anomalies) {
    for (const finding of ordered) {
      const show = SHOW.get(statisticOf(finding.metric));
      if (show === undefined || finding.column !== anomaly.column || finding.kind !== anomaly.kind) continue;
      anomaly.share = finding.value;
      await show(anomaly, finding, context);
      break;
    }
  }
}

/** Groups a finding names at most. */
const SHOWN_GROUPS = 3;

/**
 * Groups that lack a label value: which groups, how many rows, and what each earlier day had
 * there, added to the message; the first row of the first group as the example.
 */
async function showAbsentLabels(anomaly: Anomaly, finding: HistoryFinding, context: FindingContext): Promise<void> {
  const profile = await context.newest();
  const column = columnNames(finding.column!)[1]!;
  const absent = absentLabels(profile, labelGroupPool(await context.history())).filter((a) => a.column === column);
  const described = absent.map(
    (a) =>
      `${JSON.stringify(a.group)}: ${counted(a.rows)} labelled rows, ${noneOf(a.label, profile.labelGroups!.label, context.config.label.text)}, ` +
      `where each of ${a.days} earlier days had at least ${(a.lowest * 100).toFixed(1)}% (about ${Math.round(a.rows * a.lowest)} rows)`,
  );
  await showGroups(anomaly, context, column, absent, described, absent[0] === undefined ? '' : `${column} ${absent[0].group}`);
}

/** Groups stuck whole: which groups, each column's one value, their rows; the first row of the first group as the example. */
async function showStuck(anomaly: Anomaly, finding: HistoryFinding, context: FindingContext): Promise<void> {
  const stuck = stuckGroups(await context.newest(), frozenGroupPool(await context.history())).filter((s) => s.grouping === finding.column);
  const values = (s: StuckGroup): string => s.values.map((v) => `${v.column} ${v.value}`).join(', ');
  const described = stuck.map(
    (s) =>
      `${JSON.stringify(s.group)}: ${values(s)} on all ${counted(s.rows)} rows, where each of ${s.days} earlier days held ${VARIED} values or more of each`,
  );
  await showGroups(
    anomaly,
    context,
    finding.column!,
    stuck,
    described,
    stuck[0] === undefined ? '' : `${finding.column} ${stuck[0].group}, ${values(stuck[0])}`,
  );
}

/**
 * Groups whose values are all one: which groups, the value, their rows, and how many earlier
 * days each held many values, added to the message; the first row of the first group as the
 * example.
 */
async function showFrozen(anomaly: Anomaly, finding: HistoryFinding, context: FindingContext): Promise<void> {
  const frozen = frozenGroups(await context.newest(), frozenGroupPool(await context.history())).filter((f) => f.relation === finding.column);
  const [x, g] = columnNames(finding.column!) as [string, string];
  const described = frozen.map(
    (f) => `${JSON.stringify(f.group)}: ${x} ${f.value} on all ${counted(f.rows)} rows, where each of ${f.days} earlier days held ${VARIED} values or more`,
  );
  await showGroups(anomaly, context, g, frozen, described, frozen[0] === undefined ? '' : `${g} ${frozen[0].group}, ${x} ${frozen[0].value}`);
}

/**
 * The groups of `column` behind a finding (largest first, each `described`): their rows as
 * the anomaly's count, the first few named in its message before what to do, and the first
 * row of the first group as its example (`value`) when the groups are of a column of the
 * data, not a model input ct derives.
 */
async function showGroups(
  anomaly: Anomaly,
  { readNewest, config }: FindingContext,
  column: string,
  groups: ReadonlyArray<{ group: string; rows: number }>,
  described: readonly string[],
  value: string,
): Promise<void> {
  if (groups.length === 0) return;
  anomaly.count = groups.reduce((n, g) => n + g.rows, 0);
  const more = groups.length > SHOWN_GROUPS ? `; and ${groups.length - SHOWN_GROUPS} more` : '';
  anomaly.message = anomaly.message.replace(
    / Fix the data,/,
    ` Groups of ${columnTitle(column, config.label.text, 'the label', 'column ')}: ${described.slice(0, SHOWN_GROUPS).join('; ')}${more}. Fix the data,`,
  );
  const table = await readNewest();
  const groupColumn = table.columns.find((c) => c.name === column);
  if (groupColumn?.type !== 'string') return;
  const row = groupColumn.codes.indexOf(groupColumn.dictionary.indexOf(groups[0]!.group));
  if (row >= 0) anomaly.examples = [{ ...locateRow(table, row), value }];
}

/** "none where delay > 15" (a binary label's class 1), "none where not (delay > 15)", "none of class "sales"". */
function noneOf(label: string, labelColumn: string, labelText: string): string {
  if (labelColumn !== LABEL_COLUMN) return `none of class ${JSON.stringify(label)}`;
  return label === '1' ? `none where ${labelText}` : label === '0' ? `none where not (${labelText})` : `none labelled ${label}`;
}

/**
 * The value a column spikes at: its rows and its neighbours' in the message, the rows beyond
 * what its neighbours allow as the count, its first row as the example.
 */
async function showSpike(anomaly: Anomaly, finding: HistoryFinding, { readNewest, config }: FindingContext): Promise<void> {
  const column = finding.column!;
  const table = await readNewest();
  const spike = spikeIn(table, column, column === config.label.column);
  if (spike === null) return;
  anomaly.count = spike.excess;
  const count = (rows: number): string => `${counted(rows)} row${rows === 1 ? '' : 's'}`;
  const beside = [spike.below, spike.above].flatMap((n) => (n === null ? [] : [`${n.value} in ${count(n.rows)}`]));
  anomaly.message = anomaly.message.replace(
    / Fix the data,/,
    ` The value ${spike.value} is in ${count(spike.rows)}${beside.length === 0 ? '' : `; beside it, ${beside.join(' and ')}`}. Fix the data,`,
  );
  const values = table.columns.find((c) => c.name === column);
  const row = values?.type === 'number' ? values.values.indexOf(spike.value) : -1;
  if (row >= 0) anomaly.examples = [{ ...locateRow(table, row), value: `${column} ${spike.value}` }];
}

/** Values a finding of vanished values names at most. */
const VANISHED_VALUES = 5;

/** Values every earlier day had and the newest lacks: which, and their usual share, in the message. */
async function showVanished(anomaly: Anomaly, finding: HistoryFinding, { newest, history }: FindingContext): Promise<void> {
  const day = await newest();
  const usual = vanishedValues(day, await history(), finding.column!);
  if (usual.length === 0) return;
  const ofDay = (share: number): string => `${percent(share)} of an earlier day's rows`;
  const gone =
    day.categories[finding.column!]?.ranges === true
      ? joinedRanges(usual).map(({ low, high, share }) => `values from ${low} to ${high} (${ofDay(share)})`)
      : usual.sort((a, b) => b[1] - a[1]).map(([value, share]) => `${value} (${ofDay(share)})`);
  const told = gone.slice(0, VANISHED_VALUES);
  anomaly.message = anomaly.message.replace(/ Fix the data,/, ` Gone: ${told.join(', ')}${gone.length > VANISHED_VALUES ? ', …' : ''}. Fix the data,`);
}

/** Values a mix's finding names at most. */
const MOVED_VALUES = 3;

/** A mix far from its usual one: the values whose shares moved most, today and usually, in the message. */
async function showMixChanges(anomaly: Anomaly, finding: HistoryFinding, { newest, history }: FindingContext): Promise<void> {
  // An hour mix moved by a clock change already says what moved.
  if (finding.hoursMoved !== undefined) return;
  const moved = mixChanges(await newest(), await history(), finding.column!, MOVED_VALUES);
  if (moved.length === 0) return;
  const told = moved.map(({ value, share, usual }) => `${value} in ${percent(share)} of the rows (usually ${percent(usual)})`);
  anomaly.message = anomaly.message.replace(/ Fix the data,/, ` Moved most: ${told.join(', ')}. Fix the data,`);
}

/** Rows shown for an afternoon folded back by 12 hours. */
const FOLDED_EXAMPLES = 5;

/**
 * An afternoon folded back by 12 hours: what the small hours it filled usually hold and hold
 * today, and the first of their rows, whose times a reviewer can compare with the source.
 */
async function showFolded(anomaly: Anomaly, finding: HistoryFinding, { newest, history, readNewest, config }: FindingContext): Promise<void> {
  const mix = mixBeside(await newest(), await history(), finding.column!);
  if (mix === null) return;
  const hours = quietFoldedHours((hour) => mix.usual(String(hour)));
  if (hours.length === 0) return;
  const total = (shareOf: (value: string) => number): number => hours.reduce((sum, hour) => sum + shareOf(String(hour)), 0);
  const [named, hold] = hours.length === 1 ? [`The hour ${hours[0]}`, 'holds'] : [`The hours ${alternatives(hours.map(String), 'and')}`, 'hold'];
  anomaly.message = anomaly.message.replace(
    / Fix the data,/,
    ` ${named} usually ${hold} ${percent(total(mix.usual))} of the rows and ${hold} ${percent(total(mix.share))}. Fix the data,`,
  );
  const table = await readNewest();
  const time = findColumn(table, config.data.timestamp ?? '') ?? table.columns.find((c) => c.type === 'timestamp');
  if (time === undefined) return;
  const quiet = new Set(hours);
  const rowHours = hoursOf(table, time.name, config.data.timezone);
  const rows: number[] = [];
  for (let i = 0; i < table.rowCount && rows.length < FOLDED_EXAMPLES; i++) if (quiet.has(rowHours[i]!)) rows.push(i);
  anomaly.examples = rows.map((i) => ({ ...locateRow(table, i), value: `${time.name} ${valueAt(time, i)}` }));
}

/** Rows shown for a pair found the wrong way round. */
const REVERSED_EXAMPLES = 5;

/** A pair found the wrong way round: how many rows, and the first of them with their values. */
async function showReversedRows(anomaly: Anomaly, finding: HistoryFinding, context: FindingContext): Promise<void> {
  const pair = await pairOf(anomaly, finding, context);
  if (pair === null) return;
  const { columns, table } = pair;
  const rows = reversedRows(
    table,
    columns,
    await context.history(),
    { column: context.config.data.timestamp, zone: context.config.data.timezone },
    REVERSED_EXAMPLES,
  );
  if (rows.length === 0) return;
  anomaly.examples = rows.map((i) => ({ ...locateRow(table, i), value: pair.valuesAt(i) }));
}

/**
 * The pair of columns of a finding on a pair (`origin+destination`), with the anomaly's count
 * set from its share: the newest partition's table, and a row's two values as text.
 */
async function pairOf(
  anomaly: Anomaly,
  finding: HistoryFinding,
  { newest, readNewest }: FindingContext,
): Promise<{ columns: [string, string]; table: Table; valuesAt: (row: number) => string } | null> {
  const pair = (await newest()).orientations?.[anomaly.column!];
  if (pair === undefined) return null;
  const { columns } = pair;
  anomaly.count = Math.round(finding.value * pair.rows);
  const table = await readNewest();
  const [a, b] = columns.map((name) => table.columns.find((c) => c.name === name)!);
  return { columns, table, valuesAt: (row) => `${columns[0]} ${valueAt(a!, row)}, ${columns[1]} ${valueAt(b!, row)}` };
}

/** A pair's rows, with its usual rows when they differ: "12 (usually 20)". */
function rowsBeside(rows: number, usual: number): string {
  return rows === usual ? `${rows}` : `${rows} (usually ${usual})`;
}

/** The first row of each pair whose directions moved opposite ways, the pairs that moved most first, with both directions' rows. */
async function showOppositeRows(anomaly: Anomaly, finding: HistoryFinding, context: FindingContext): Promise<void> {
  const pair = await pairOf(anomaly, finding, context);
  if (pair === null) return;
  const { columns, table } = pair;
  const rows = oppositeRows(table, columns, mixPool((await context.newest()).date, await context.history()), REVERSED_EXAMPLES);
  anomaly.examples = rows.map(({ row, rows, usual, reverse, usualReverse }) => ({
    ...locateRow(table, row),
    value: `${pair.valuesAt(row)}: ${rowsBeside(rows, usual)} rows this way round, ${rowsBeside(reverse, usualReverse)} the other`,
  }));
}

/** Rows shown for inputs sent twice. */
const REPEATED_EXAMPLES = 5;

/** Rows that repeat an earlier row but for the label: the first of them, each with the row it repeats and both labels. */
async function showRepeatedInputs(anomaly: Anomaly, finding: HistoryFinding, { readNewest, config }: FindingContext): Promise<void> {
  const table = await readNewest();
  const label = table.columns.find((c) => c.name === config.label.column);
  if (label === undefined) return;
  anomaly.count = Math.round(finding.value * table.rowCount);
  const hashes = rowHashes(table, new Set([label.name]));
  anomaly.examples = repeatedRows(table.rowCount, (i) => hashes[i]!, REPEATED_EXAMPLES).map(([i, earlier]) => ({
    ...locateRow(table, i),
    value: `${label.name} ${valueAt(label, i)}; as row ${counted(locateRow(table, earlier).row)}, ${label.name} ${valueAt(label, earlier)}`,
  }));
}

/** The first `limit` rows of `rows` whose `keyOf` an earlier row had, each with that earlier row. */
function repeatedRows(rows: number, keyOf: (i: number) => unknown, limit: number): Array<[number, number]> {
  const first = new Map<unknown, number>();
  const out: Array<[number, number]> = [];
  for (let i = 0; i < rows && out.length < limit; i++) {
    const earlier = first.get(keyOf(i));
    if (earlier === undefined) first.set(keyOf(i), i);
    else out.push([i, earlier]);
  }
  return out;
}

/** A key on more than one row: the first rows that repeat one, with the row that held it first. */
async function showRepeatedKeys(anomaly: Anomaly, finding: HistoryFinding, { readNewest }: FindingContext): Promise<void> {
  const table = await readNewest();
  const key = table.columns.find((c) => c.name === finding.column);
  if (key === undefined) return;
  anomaly.count = Math.round(finding.value * table.rowCount);
  anomaly.examples = repeatedRows(table.rowCount, (i) => valueAt(key, i), REPEATED_EXAMPLES).map(([i, earlier]) => ({
    ...locateRow(table, i),
    value: `${key.name} ${valueAt(key, i)}, as row ${counted(locateRow(table, earlier).row)}`,
  }));
}

/** Rows shown for a column joined from another day by row number. */
const MATCHED_EXAMPLES = 5;

/**
 * A column that holds an earlier day's values at their row numbers: which day, how many of
 * the rows sampled on both days match, and the first of them with their values.
 */
async function showRowMatches(anomaly: Anomaly, finding: HistoryFinding, { newest, history, readNewest }: FindingContext): Promise<void> {
  const own = await newest();
  const column = finding.column!;
  const match = closestMatch(own, await history(), column);
  if (match === null || match.matched.length === 0) return;
  const { date, compared, matched } = match;
  anomaly.count = Math.round(Math.max(0, finding.value - finding.expected) * own.rows);
  anomaly.message = anomaly.message.replace(
    / Fix the data,/,
    ` Of ${counted(compared)} rows sampled at the same row numbers on both days, ${counted(matched.length)} hold the value ${date} held there. Fix the data,`,
  );
  const table = await readNewest();
  const values = table.columns.find((c) => c.name === column);
  if (values === undefined) return;
  anomaly.examples = matched
    .slice(0, MATCHED_EXAMPLES)
    .filter((i) => i < table.rowCount)
    .map((i) => ({ ...locateRow(table, i), value: `${column} ${valueAt(values, i)}, as the same row of ${date}` }));
}

/**
 * Shows keyed rows behind a share: the count of rows beyond what the history expects, the
 * sentence `said` (of the key column) before "Fix the data", and the first of `rows` with
 * their value and key, each described by `describe(value, keyValue)`.
 */
async function showKeyedRows(
  anomaly: Anomaly,
  finding: HistoryFinding,
  { newest, readNewest }: FindingContext,
  key: string,
  rows: readonly number[],
  said: string,
  describe: (value: string, keyValue: string) => string,
): Promise<void> {
  const column = finding.column!;
  anomaly.count = Math.round(Math.abs(finding.value - finding.expected) * (await newest()).rows);
  anomaly.message = anomaly.message.replace(/ Fix the data,/, ` ${said} Fix the data,`);
  const table = await readNewest();
  const values = table.columns.find((c) => c.name === column);
  const keys = table.columns.find((c) => c.name === key);
  if (values === undefined || keys === undefined) return;
  anomaly.examples = rows
    .slice(0, MATCHED_EXAMPLES)
    .filter((i) => i < table.rowCount)
    .map((i) => ({ ...locateRow(table, i), value: describe(`${column} ${valueAt(values, i)}`, `${key} ${valueAt(keys, i)}`) }));
}

/**
 * A keyed column whose values left the ones their keys held the day before (rewritten, or
 * joined on the wrong key), or kept them where they usually move (stale): the partition
 * compared with, how many keys both hold, and the first rows of the side that moved.
 */
async function showKeyMatches(anomaly: Anomaly, finding: HistoryFinding, context: FindingContext): Promise<void> {
  const pair = keyedPair(await context.newest(), await context.history());
  const match = pair === null ? null : keyMatches(pair, finding.column!);
  if (pair === null || match === null) return;
  const { date, key } = pair;
  const fell = finding.value < finding.expected;
  const rows = fell ? match.changed : match.same;
  const said = `Of ${counted(match.compared)} values of "${key}" sampled on both days, ${counted(rows.length)} hold ${fell ? 'another value than' : 'the value'} the same ${key} held on ${date}.`;
  await showKeyedRows(anomaly, finding, context, key, rows, said, (value, keyValue) => `${value}, ${fell ? 'not' : 'as'} what ${keyValue} held on ${date}`);
}

/** A number most keys moved by one step (a tenure, a day more) that some did not: the first of those rows. */
async function showKeySteps(anomaly: Anomaly, finding: HistoryFinding, context: FindingContext): Promise<void> {
  const pair = keyedPair(await context.newest(), await context.history());
  const steps = pair === null ? null : keySteps(pair, finding.column!);
  if (pair === null || steps === null) return;
  const { date, key } = pair;
  const { step, compared, offStep } = steps;
  const by = `${step > 0 ? '+' : ''}${step}`;
  const said = `Of ${counted(compared)} values of "${key}" sampled on both days, ${counted(offStep.length)} did not move by ${by} from what the same ${key} held on ${date}.`;
  await showKeyedRows(anomaly, finding, context, key, offStep, said, (value, keyValue) => `${value}, not ${by} from what ${keyValue} held on ${date}`);
}

/**
 * Values equal to the row above beyond those equal to the row two above (filled from above):
 * how many repeat the row above, and the first of them. Which repeats a fill wrote and which
 * the data had is not told apart; the count beyond the history's is.
 */
async function showRepeatsAbove(anomaly: Anomaly, finding: HistoryFinding, { readNewest }: FindingContext): Promise<void> {
  const column = finding.column!;
  const table = await readNewest();
  const values = findColumn(table, column);
  if (values === undefined || (values.type !== 'number' && values.type !== 'string')) return;
  const { rows, pairs } = repeatsOfRowAbove(values);
  anomaly.count = Math.round(Math.max(0, finding.value - finding.expected) * table.rowCount);
  anomaly.message = anomaly.message.replace(/ Fix the data,/, ` ${counted(rows.length)} of ${counted(pairs)} values repeat the row above. Fix the data,`);
  anomaly.examples = rows.slice(0, MATCHED_EXAMPLES).map((i) => ({ ...locateRow(table, i), value: `${column} ${valueAt(values, i)}, as the row above` }));
}

/** How the rows behind each kind of share are shown, by the metric's statistic. */
const SHOW = new Map<string, (anomaly: Anomaly, finding: HistoryFinding, context: FindingContext) => Promise<void>>([
  ['reversedShare', showReversedRows],
  ['oppositeShare', showOppositeRows],
  ['absentLabelShare', showAbsentLabels],
  ['frozenShare', showFrozen],
  ['stuckShare', showStuck],
  ['spikeShare', showSpike],
  ['repeatAboveShare', showRepeatsAbove],
  ['vanishedShare', showVanished],
  ['divergence', showMixChanges],
  ['foldedShare', showFolded],
  ['inputShare', showRepeatedInputs],
  ['rowMatchShare', showRowMatches],
  ['keyMatchShare', showKeyMatches],
  ['keyRepeatShare', showRepeatedKeys],
  ['keyStepShare', showKeySteps],
]);
