/**
 * `ct init`'s decisions, as a pure function of column summaries: which columns become
 * features and how, which are left out and why, the task, the split, the gates and
 * training defaults sized to the data. No I/O here, so every rule is unit-tested;
 * `src/init/data.ts` reads the data, `summary.ts` summarises it, `src/pipeline/init.ts` writes the files.
 */
import { labelTypeMismatch, parseLabel } from '../config/load.js';
import { configSchema } from '../config/schema.js';
import type { LabelConfig, Task } from '../config/types.js';
import type { ColumnType } from '../data/table.js';
import { ID_NAME } from '../data/names.js';
import { UserError } from '../errors.js';
import { LABEL_COLUMN, PREDICTION_COLUMN } from '../features/derived.js';
import { labelComparator } from '../features/label.js';
import { MS_PER_DAY } from '../time.js';

/** What ct knows about one column of the data, computed by the caller. */
export interface ColumnSummary {
  name: string;
  type: ColumnType;
  /** Rows of the column (nulls included). */
  rows: number;
  nulls: number;
  /** Distinct non-null values (exact). */
  distinct: number;
  /** Strings and booleans: count per value (booleans as "true"/"false"). */
  frequencies?: Record<string, number>;
  /** Numbers: extremes, whether all values are whole, the standard deviation and the sample skewness. */
  numeric?: { min: number; max: number; integer: boolean; std: number; skewness: number };
  /** Timestamps: first and last instant (ms), distinct UTC days, and whether any value has a time of day. */
  time?: { min: number; max: number; distinctDays: number; hasTimeOfDay: boolean };
  /** Strings, booleans and numbers: the most rows any one value holds. */
  mostRows?: number;
}

/** The data as init found it. */
export interface DataSummary {
  rows: number;
  columns: ColumnSummary[];
  /** Daily partitions (a folder of YYYY-MM-DD files, or written by --partition); null for one file. */
  partitions: { count: number; first: string; last: string } | null;
}

/** What the user asked for on the command line. */
export interface SuggestRequest {
  /** Model name in the registry. */
  name: string;
  /** `--label`: a column or a comparison (`delay > 15`). */
  label: string;
  task?: Task;
  /** `--timestamp`: the time column (default: the only timestamp column, if there is one). */
  timestamp?: string;
  /** data.path as the config will hold it (relative to the repository). */
  dataPath: string;
}

/** One suggested feature, as it goes into the config, with the reason shown beside it. */
export interface SuggestedFeature {
  name: string;
  column: string;
  transform?: 'log1p' | 'hourOfDay' | 'dayOfWeek';
  /** Set for numbers read as categories (integer identifiers). */
  kind?: 'categorical';
  embedding?: number;
  maxVocabulary?: number;
  reason: string;
}

/** A column left out of the model, with the reason written into the config. */
export interface SkippedColumn {
  column: string;
  reason: string;
}

/** A gate as the config holds it, with its comment. */
export interface SuggestedGate {
  gate: Record<string, unknown>;
  reason: string;
}

/** The columns validation drift-tests (`validation.drift.columns`), with the reason shown beside them. */
export interface SuggestedDrift {
  columns: string[];
  reason: string;
}

/** One evaluation slice (`evaluation.slices[]`): the frequent values of a categorical input. */
export interface SuggestedSlice {
  /** Set only when the column is not a valid slice name (spaces, ...); else the loader names the slice after its column. */
  name?: string;
  column: string;
  /** The values scored, most frequent first (named, not `top: N`: the report then shows what the config says whatever the split holds). */
  values: string[];
  reason: string;
}

/** Everything `ct init` decided. */
export interface Suggestion {
  name: string;
  task: Task;
  taskReason: string;
  /** The label as text (a two-class string column becomes `col == "rarer class"`). */
  label: string;
  /** The label as the config holds it: the text when it reads back as the same label, else the object form (columns whose names have spaces). */
  labelConfig: string | Omit<LabelConfig, 'text'>;
  labelReason: string;
  /** Multiclass: the classes found, most frequent first. */
  classes?: string[];
  timestamp?: string;
  data: {
    path: string;
    /** Daily partitions beyond WINDOW_DAYS: train and evaluate on the newest days only. */
    window?: { newestDays: number };
    split: { method: 'time'; evaluationDays: number } | { method: 'hash'; evaluationFraction: number; seed: number };
    splitReason: string;
  };
  features: SuggestedFeature[];
  skipped: SkippedColumn[];
  model: { hidden: number[]; dropout: number };
  training: { epochs: number; batchSize: number; learningRate: number; earlyStoppingPatience: number; maxRows?: number };
  trainingReason: string;
  validation: { drift: SuggestedDrift };
  evaluation: {
    slices: SuggestedSlice[];
    /** `evaluation.minSliceRows` when the data is too small for ct's default; unset keeps the default. */
    minSliceRows?: { value: number; reason: string };
  };
  gates: SuggestedGate[];
}

/** Fewest rows a class needs: fewer cannot be split into training and evaluation rows usefully. */
export const MIN_CLASS_ROWS = 5;
/** Most classes inferred as multiclass from a string label. */
export const MAX_CLASSES = 50;
/** Days of daily partitions a run reads when there are more: recent data, bounded training time. */
export const WINDOW_DAYS = 28;
/** Rows the window's days must hold (estimated) for a window to be suggested: smaller data keeps every day. */
export const WINDOW_MIN_ROWS = 100_000;
/** Rows a week of evaluation must hold for the evaluation to be only the newest week. */
export const EVALUATION_WEEK_ROWS = 2_000;
/** Rows a batch needs per value of a categorical for its drift to be tested (the chi-square rule of thumb). */
export const DRIFT_ROWS_PER_VALUE = 5;
/** Largest vocabulary a suggested categorical keeps. */
export const MAX_VOCABULARY = 1000;
/** Most slices suggested: a report to read, not a table of every column. */
export const MAX_SLICES = 3;
/** Most distinct values of a column suggested as a slice: more make a long table of small segments. */
export const MAX_SLICE_VALUES = 12;
/** Fewest evaluation rows a suggested slice value needs: fewer make its metric mostly noise. */
export const MIN_SLICE_ROWS = 10;
/** A slice value must be expected to hold this many times minSliceRows, so the luck of the split rarely leaves it short. */
export const SLICE_ROWS_MARGIN = 1.5;
/** ct's `evaluation.minSliceRows` when the config does not set it. */
export const DEFAULT_MIN_SLICE_ROWS: number = configSchema.properties.evaluation.properties.minSliceRows.default;

/** Names of integer codes from a fixed list (a merchant category, a postal or industry code): categories, never quantities. */
const CODE_NAME = /(^|[^a-z])(code|zip|zipcode|postcode|mcc|naics|sic|fips)$/i;

/** Embedding width for `n` distinct values: min(16, ceil(1.6 n^0.56)), Google's rule of thumb shrunk for small tables. */
export function embeddingWidth(n: number): number {
  return Math.max(2, Math.min(16, Math.ceil(1.6 * Math.max(1, n) ** 0.56)));
}

/** Nonnull share of a column. */
function present(c: ColumnSummary): number {
  return c.rows - c.nulls;
}

/**
 * Decides the config from the data's column summaries. Throws a `UserError` (one line,
 * naming the option or column) for a label the data cannot support.
 */
export function suggestConfig(data: DataSummary, request: SuggestRequest): Suggestion {
  const parsed = parseLabelRequest(
    request.label,
    data.columns.map((c) => c.name),
  );
  const byName = new Map(data.columns.map((c) => [c.name, c]));
  const labelColumn = byName.get(parsed.column);
  if (labelColumn === undefined)
    throw new UserError(`--label: column "${parsed.column}" is not in the data (columns: ${data.columns.map((c) => c.name).join(', ')})`);
  const labelled = present(labelColumn);
  if (labelled === 0) throw new UserError(`--label: column "${parsed.column}" holds no values`);

  const { task, taskReason, label, labelReason, classes } = decideTask(parsed, labelColumn, request.task);
  const timestamp = decideTimestamp(data, request.timestamp, parsed.column);

  const features: SuggestedFeature[] = [];
  const skipped: SkippedColumn[] = [];
  for (const c of data.columns) {
    if (c.name === parsed.column) continue; // the label is never a feature
    const decision = decideColumn(c, data.rows, c.name === timestamp, data.partitions?.count ?? null);
    if ('skip' in decision) skipped.push({ column: c.name, reason: decision.skip });
    else features.push(...decision.features);
  }
  if (features.length === 0)
    throw new UserError(
      `--data: no column besides the label "${parsed.column}" is usable as a feature (${skipped.map((s) => `${s.column}: ${s.reason}`).join('; ')})`,
    );

  const timeColumn = timestamp === undefined ? undefined : byName.get(timestamp);
  const dataDecision = decideSplit(data, timeColumn);
  const evaluationShareOfRows = evaluationShare(dataDecision.split, data, timeColumn);
  return {
    name: request.name,
    task,
    taskReason,
    label: label.text,
    labelConfig: labelForConfig(label),
    labelReason,
    ...(classes === undefined ? {} : { classes }),
    ...(timestamp === undefined ? {} : { timestamp }),
    data: { path: request.dataPath, ...dataDecision },
    features,
    skipped,
    ...decideTraining(labelled),
    validation: { drift: decideDriftColumns(features, byName, parsed.column, task, Math.round(data.rows * evaluationShareOfRows)) },
    evaluation: decideSlices(features, byName, labelled * evaluationShareOfRows),
    gates: decideGates(task, labelColumn, classes, labelled * evaluationShareOfRows),
  };
}

/**
 * `--label` as given: a column of the data by its exact name (spaces and all), a comparison
 * on such a column (`IMDB Rating > 7`), or anything ct's config accepts (`delay > 15`).
 */
export function parseLabelRequest(text: string, columns: readonly string[]): LabelConfig {
  const trimmed = text.trim();
  if (columns.includes(trimmed)) return { column: trimmed, text: trimmed };
  // The longest column name the text starts with, then an operator: names with spaces or brackets.
  for (const column of [...columns].sort((a, b) => b.length - a.length)) {
    if (!trimmed.startsWith(column)) continue;
    const m = /^\s*(>=|<=|==|!=|>|<)\s*(.+)$/.exec(trimmed.slice(column.length));
    if (m === null) continue;
    const { op, value } = parseLabel('--label', `x ${m[1]} ${m[2]}`);
    return { column, op: op!, value: value!, text: trimmed };
  }
  return parseLabel('--label', text);
}

/** The text form when ct's config parses it back to the same label, else the object form. */
function labelForConfig(label: LabelConfig): string | Omit<LabelConfig, 'text'> {
  const { text, ...fields } = label;
  try {
    const back = parseLabel('label', text);
    if (back.column === label.column && back.op === label.op && back.value === label.value) return text;
  } catch {
    // not expressible as text
  }
  return fields;
}

/** The task of a comparison label: binary, when it can tell the column's rows apart. */
function comparisonTask(parsed: LabelConfig, column: ColumnSummary, given: Task | undefined): ReturnType<typeof decideTask> {
  const text = parsed.text;
  if (given !== undefined && given !== 'binary') throw new UserError(`--task ${given}: the label "${text}" is a comparison, which makes a binary label`);
  const mismatch = labelTypeMismatch(parsed, column.type);
  if (mismatch !== null) throw new UserError(`--label: ${mismatch}`);
  const same = sameOutcome(parsed, column);
  if (same !== null) throw new UserError(`--label: "${text}" is ${same}: there is nothing to predict (a threshold in other units, a label not joined yet?)`);
  return {
    task: 'binary',
    taskReason: 'the label is a comparison: true or false',
    label: parsed,
    labelReason: 'declarative comparison, parsed, never evaluated as code',
  };
}

function decideTask(
  parsed: LabelConfig,
  column: ColumnSummary,
  given: Task | undefined,
): { task: Task; taskReason: string; label: LabelConfig; labelReason: string; classes?: string[] } {
  if (parsed.op !== undefined) return comparisonTask(parsed, column, given);
  const freq = Object.entries(column.frequencies ?? {}).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (column.type === 'boolean') {
    if (given !== undefined && given !== 'binary') throw new UserError(`--task ${given}: label column "${column.name}" is true/false, a binary label`);
    if (freq.length < 2) throw new UserError(`--label: column "${column.name}" is ${freq[0]?.[0] ?? 'null'} in every row; there is nothing to predict`);
    return { task: 'binary', taskReason: `"${column.name}" is true/false`, label: parsed, labelReason: 'a true/false column' };
  }
  if (column.type === 'string') {
    if (given === 'regression') throw new UserError(`--task regression: label column "${column.name}" holds strings; regression needs numbers`);
    if (freq.length < 2) throw new UserError(`--label: column "${column.name}" has only one value (${freq[0]?.[0] ?? 'none'}); there is nothing to predict`);
    if (freq.length === 2 && given !== 'multiclass') {
      // ct's binary label is a comparison: the rarer class is the positive one, as is usual.
      const positive = freq[1]![0];
      return {
        task: 'binary',
        taskReason: `"${column.name}" has 2 values`,
        label: { column: column.name, op: '==', value: positive, text: `${column.name} == ${JSON.stringify(positive)}` },
        labelReason: `positive class: the rarer value "${positive}" (${freq[1]![1]} of ${freq[0]![1] + freq[1]![1]} rows)`,
      };
    }
    if (freq.length > MAX_CLASSES && given !== 'multiclass') {
      throw new UserError(
        `--label: column "${column.name}" has ${freq.length} distinct values (more than ${MAX_CLASSES} classes); pass --task multiclass to insist, or label with a comparison`,
      );
    }
    const rare = freq.find(([, n]) => n < MIN_CLASS_ROWS);
    if (rare !== undefined) {
      throw new UserError(
        `--label: class "${rare[0]}" of column "${column.name}" has ${rare[1]} row${rare[1] === 1 ? '' : 's'}; each class needs at least ${MIN_CLASS_ROWS} (merge or drop it)`,
      );
    }
    return {
      task: 'multiclass',
      taskReason: `"${column.name}" has ${freq.length} classes`,
      label: parsed,
      labelReason: `classes (from the data, most frequent first): ${freq.map(([v, n]) => `${v} ${n}`).join(', ')}`,
      classes: freq.map(([v]) => v),
    };
  }
  if (column.type === 'number') {
    const zeroOne = column.distinct <= 2 && column.numeric !== undefined && column.numeric.min >= 0 && column.numeric.max <= 1 && column.numeric.integer;
    if (given === 'multiclass') throw new UserError(`--task multiclass: label column "${column.name}" holds numbers; multiclass needs a string column`);
    if (zeroOne && column.distinct < 2 && given !== 'regression')
      throw new UserError(`--label: column "${column.name}" is ${column.numeric!.min} in every row; there is nothing to predict`);
    if (zeroOne && given !== 'regression')
      return { task: 'binary', taskReason: `"${column.name}" holds only 0 and 1`, label: parsed, labelReason: '1 is the positive class' };
    if (given === 'binary')
      throw new UserError(
        `--task binary: label column "${column.name}" holds ${column.distinct} distinct numbers; write a comparison such as "${column.name} > ..."`,
      );
    if (column.distinct < 3)
      throw new UserError(
        `--label: column "${column.name}" has ${column.distinct} distinct value${column.distinct === 1 ? '' : 's'}; there is nothing to regress`,
      );
    return {
      task: 'regression',
      taskReason: `"${column.name}" holds numbers (${column.distinct} distinct values)`,
      label: parsed,
      labelReason: 'predicted in its own units (standardised during training, scaled back)',
    };
  }
  throw new UserError(`--label: column "${column.name}" is a timestamp; label with a column of numbers, strings or true/false, or a comparison`);
}

/**
 * "true in every row" or "false in every row" when the summary shows that comparison
 * `label` cannot tell `column`'s rows apart: a threshold beyond the column's range (in other
 * units), a value no row holds; null when some rows may differ.
 */
function sameOutcome(label: LabelConfig, column: ColumnSummary): string | null {
  const holds = labelComparator(label);
  const outcome = (v: boolean): string => `${v} in every row`;
  if (column.type === 'number' && column.numeric !== undefined) {
    const { min, max } = column.numeric;
    const atMin = holds(min);
    // Equality may hold inside the range; an ordering holds at both ends or changes between them.
    if (label.op === '==' || label.op === '!=') return (label.value as number) < min || (label.value as number) > max || min === max ? outcome(atMin) : null;
    return atMin === holds(max) ? outcome(atMin) : null;
  }
  if (column.frequencies !== undefined && (column.type === 'string' || column.type === 'boolean')) {
    const values = Object.keys(column.frequencies).map((v) => (column.type === 'boolean' ? v === 'true' : v));
    const outcomes = new Set(values.map(holds));
    return outcomes.size === 1 ? outcome([...outcomes][0]!) : null;
  }
  return null;
}

function decideTimestamp(data: DataSummary, given: string | undefined, label: string): string | undefined {
  if (given !== undefined) {
    const c = data.columns.find((x) => x.name === given);
    if (c === undefined) throw new UserError(`--timestamp: column "${given}" is not in the data`);
    if (c.type !== 'timestamp')
      throw new UserError(`--timestamp: column "${given}" is ${c.type}, expected timestamps (ISO 8601 strings, or a Parquet timestamp)`);
    return given;
  }
  const candidates = data.columns.filter((c) => c.type === 'timestamp' && c.name !== label && present(c) > 0);
  return candidates.length === 1 ? candidates[0]!.name : undefined;
}

type ColumnDecision = { skip: string } | { features: SuggestedFeature[] };

function featureName(column: string): string {
  const name = column
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
  return name === '' ? 'feature' : name;
}

/** A date in some text form ("Jun 12 1998", "12/06/1998"): a four-digit year and a value Date.parse accepts. */
function looksLikeDate(value: string): boolean {
  return /\b(1[89]|20)\d{2}\b/.test(value) && /[A-Za-z/. -]/.test(value) && !Number.isNaN(Date.parse(value));
}

/**
 * Whether `c` names one row of each of `partitions` daily partitions: each value on at most
 * one row a day (a customer in a daily snapshot of customers), and about a row's worth of
 * them a day. Over all days such an id repeats, so its distinct count alone looks like a
 * category's.
 */
function keyOfEachPartition(c: ColumnSummary, n: number, partitions: number | null): boolean {
  return partitions !== null && partitions > 1 && c.mostRows !== undefined && c.mostRows <= partitions && c.distinct >= 0.5 * (n / partitions);
}

/** One column's fate (of `partitions` daily partitions, null for one file): left out with a reason, or the features it becomes. */
export function decideColumn(c: ColumnSummary, rows: number, isTimestamp: boolean, partitions: number | null = null): ColumnDecision {
  const n = present(c);
  if (n === 0) return { skip: 'always empty' };
  if (c.distinct <= 1) return { skip: `constant (${c.distinct === 1 ? 'one value' : 'no values'}): carries no information` };
  if (n < 0.05 * rows) return { skip: `${Math.round((100 * c.nulls) / rows)}% empty: too sparse to learn from` };
  const name = featureName(c.name);
  const idName = ID_NAME.test(c.name);
  if (c.type === 'timestamp') {
    const t = c.time!;
    const spanDays = Math.floor(t.max / MS_PER_DAY) - Math.floor(t.min / MS_PER_DAY) + 1;
    const features: SuggestedFeature[] = [];
    if (t.hasTimeOfDay)
      features.push({
        name: `${name}_hour`,
        column: c.name,
        transform: 'hourOfDay',
        embedding: 8,
        reason: 'hour of the day (UTC): the values have times of day',
      });
    // Day of week only when the days are dense: 12 New Year's Days in 12 years have a weekday, but no weekly pattern.
    if (t.distinctDays >= 14 && t.distinctDays >= 0.5 * spanDays)
      features.push({
        name: `${name}_day_of_week`,
        column: c.name,
        transform: 'dayOfWeek',
        embedding: 4,
        reason: `day of the week (UTC): ${t.distinctDays} distinct days`,
      });
    if (features.length > 0) return { features };
    return {
      skip: `timestamps without a daily or weekly pattern (${t.distinctDays} distinct days over ${spanDays}, no times of day)${isTimestamp ? '; kept as data.timestamp' : ''}`,
    };
  }
  const eachPartition = keyOfEachPartition(c, n, partitions);
  const onceADay = `${c.distinct} distinct values, none on more rows than the ${partitions} partitions`;
  if (c.type === 'string') {
    if (idName && c.distinct >= 0.5 * n)
      return { skip: `identifier-like (name, ${c.distinct} distinct values in ${n} rows): would not generalise to new rows` };
    if (eachPartition) return { skip: `identifier-like (one row each a day: ${onceADay}): would not generalise to new rows` };
    const sample = Object.keys(c.frequencies ?? {}).slice(0, 200);
    if (sample.length >= 5 && sample.filter(looksLikeDate).length >= 0.9 * sample.length) {
      return {
        skip: `dates written as text (e.g. ${JSON.stringify(sample[0])}), which ct does not read as times: write them as ISO 8601 (2024-03-01 or 2024-03-01T12:00:00Z) to use the column as data.timestamp or for time features`,
      };
    }
    if (n >= 20 && c.distinct >= 0.5 * n)
      return { skip: `nearly one value per row (${c.distinct} distinct in ${n} rows): an identifier or free text, would not generalise` };
    return { features: [categoricalFeature(name, c, 'categorical,')] };
  }
  if (c.type === 'boolean')
    return { features: [{ name, column: c.name, reason: `true/false, as 0/1${c.nulls > 0 ? `; ${pct(c.nulls, c.rows)} empty` : ''}` }] };
  // Numbers.
  const m = c.numeric!;
  const sequence = m.integer && c.distinct === n && m.max - m.min + 1 === n;
  if (n >= 20 && ((idName && c.distinct >= 0.9 * n) || sequence))
    return { skip: `identifier-like (${sequence ? 'a running number' : 'name'}, ${c.distinct} distinct values in ${n} rows): would not generalise` };
  // A number that is one row each a day is an id only by its name: a measurement to four decimals may be too.
  if (idName && m.integer && eachPartition) return { skip: `identifier-like (name, one row each a day: ${onceADay}): would not generalise` };
  // Integers named as identifiers (store_id, product_id) or codes (mcc, zip) are categories: store 12 is not twice store 6.
  if ((idName || CODE_NAME.test(c.name)) && m.integer)
    return {
      features: [{ ...categoricalFeature(name, c, `integer ${idName ? 'identifiers' : 'codes'} (by name), categories, not quantities:`), kind: 'categorical' }],
    };
  // A number of two values is a flag (returned: 0 or 1): a rare one is skewed, yet a log only rescales it.
  const flag = c.distinct === 2;
  const skewed = !flag && m.min >= 0 && m.skewness > 2;
  const what = flag ? `a flag of two values (${m.min} and ${m.max}), as is` : 'number, normalised';
  return {
    features: [
      {
        name: skewed ? `log_${name}` : name,
        column: c.name,
        ...(skewed ? { transform: 'log1p' as const } : {}),
        reason: `${what}${skewed ? `; log1p: non-negative and right-skewed (skewness ${m.skewness.toFixed(1)})` : ''}${c.nulls > 0 ? `; ${pct(c.nulls, c.rows)} empty` : ''}`,
      },
    ],
  };
}

/** An embedded categorical input of column `c`, its reason starting with `what`. */
function categoricalFeature(name: string, c: ColumnSummary, what: string): SuggestedFeature {
  const vocabulary = Math.min(c.distinct, MAX_VOCABULARY);
  return {
    name,
    column: c.name,
    embedding: embeddingWidth(vocabulary),
    // Written only when it cuts: a vocabulary capped at the values seen so far would cut one the day a new one arrives (a store opens).
    ...(c.distinct > MAX_VOCABULARY ? { maxVocabulary: MAX_VOCABULARY } : {}),
    reason: `${what} ${c.distinct} distinct value${c.distinct === 1 ? '' : 's'}${c.distinct > MAX_VOCABULARY ? ` (the ${MAX_VOCABULARY} most frequent kept)` : ''}${c.nulls > 0 ? `, ${pct(c.nulls, c.rows)} empty (own bucket)` : ''}`,
  };
}

function pct(part: number, whole: number): string {
  const p = (100 * part) / whole;
  return `${p < 1 ? p.toFixed(1) : Math.round(p)}%`;
}

function decideSplit(data: DataSummary, timestamp: ColumnSummary | undefined): Omit<Suggestion['data'], 'path'> {
  // A time split evaluates on the newest days, as production will see them; it needs enough days.
  const allDays = data.partitions?.count ?? timestamp?.time?.distinctDays ?? 0;
  const rowsPerDay = allDays > 0 ? data.rows / allDays : 0;
  // A window bounds training time on large data; small data keeps every day.
  const windowed = data.partitions !== null && data.partitions.count > WINDOW_DAYS && rowsPerDay * WINDOW_DAYS >= WINDOW_MIN_ROWS;
  const days = windowed ? WINDOW_DAYS : allDays;
  const dense =
    data.partitions !== null ||
    (timestamp?.time !== undefined && timestamp.time.distinctDays >= 0.5 * ((timestamp.time.max - timestamp.time.min) / MS_PER_DAY + 1));
  if (days >= 14 && dense) {
    // A fifth of the days; only a week when a week already holds plenty of rows (the newest
    // week is what production meets next), so a few rows a day still give a real evaluation.
    const fifth = Math.max(1, Math.round(days * 0.2));
    const evaluationDays = rowsPerDay * 7 >= EVALUATION_WEEK_ROWS ? Math.min(7, fifth) : fifth;
    const rows = Math.round(rowsPerDay * evaluationDays);
    return {
      ...(windowed ? { window: { newestDays: WINDOW_DAYS } } : {}),
      split: { method: 'time', evaluationDays },
      splitReason: `evaluate on the newest ${evaluationDays} day${evaluationDays === 1 ? '' : 's'} of ${days} (~${rows} rows), as production will meet new days${windowed ? ` (the window: the newest ${WINDOW_DAYS} of ${data.partitions!.count} daily partitions)` : ''}`,
    };
  }
  return {
    split: { method: 'hash', evaluationFraction: 0.2, seed: 42 },
    splitReason: days > 0 ? `only ${days} distinct days (or sparse ones): a seeded 20% of rows evaluates` : 'no time column: a seeded 20% of rows evaluates',
  };
}

/**
 * Share of the rows the evaluation split holds: the hash split's fraction, or the newest
 * days' share of all days (rows assumed spread evenly over the days; a window keeps the share).
 */
export function evaluationShare(split: Suggestion['data']['split'], data: DataSummary, timestamp: ColumnSummary | undefined): number {
  if (split.method === 'hash') return split.evaluationFraction;
  const days = data.partitions?.count ?? timestamp?.time?.distinctDays ?? 0;
  return days > 0 ? Math.min(1, split.evaluationDays / days) : 0;
}

/**
 * What validation drift-tests: each input column of the model once, and the label as
 * validate tests it. Binary and regression: the label and prediction columns validate
 * derives (`ct:label`, `ct:prediction`), which it reports apart from the inputs; the label's
 * own column is left out, as it would be tested again as an input and counted toward dataset
 * drift. Multiclass: validate derives neither, so the label's column is listed, the only test
 * of the class mix. Left-out columns are not inputs: an identifier "drifts" with every batch
 * of new rows. Timestamps never: time always moves (validate would list them as skipped).
 * Categorical inputs with more values than a batch of `batchRows` rows can fill (fewer than
 * DRIFT_ROWS_PER_VALUE rows a value) neither: two samples of the same data differ by a large
 * distance there, so they would be reported as drifted on every batch.
 */
export function decideDriftColumns(
  features: SuggestedFeature[],
  columns: ReadonlyMap<string, ColumnSummary>,
  label: string,
  task: Task,
  batchRows: number,
): SuggestedDrift {
  const sparse = (c: string): boolean => {
    const summary = columns.get(c);
    return (summary?.type === 'string' || summary?.type === 'boolean') && summary.distinct * DRIFT_ROWS_PER_VALUE > batchRows;
  };
  const candidates = [...new Set(features.map((f) => f.column))].filter((c) => columns.get(c)?.type !== 'timestamp');
  const inputs = candidates.filter((c) => !sparse(c));
  const tooMany = candidates.filter(sparse).map((c) => `${c} (${columns.get(c)!.distinct})`);
  const times = [...columns.values()].filter((c) => c.type === 'timestamp').map((c) => c.name);
  const notTimes = times.length === 0 ? '' : `, ${times.length === 1 ? `the timestamp ${times[0]}` : `the timestamps ${times.join(', ')}`} (time always moves)`;
  const notSparse =
    tooMany.length === 0
      ? ''
      : `, ${tooMany.join(', ')}: too many values for a batch of ~${batchRows} rows (fewer than ${DRIFT_ROWS_PER_VALUE} a value; two samples of the same data would seem to drift)`;
  const notTested = `Not tested: the left-out columns (not inputs of the model)${notTimes}${notSparse}.`;
  if (task === 'multiclass') {
    return { columns: [...inputs, label], reason: `the model's inputs and the label ${label} (its class mix). ${notTested}` };
  }
  return {
    columns: [...inputs, LABEL_COLUMN, PREDICTION_COLUMN],
    reason: `the model's inputs, then the label as trained on and production's predictions, which validate derives and reports apart. ${notTested}`,
  };
}

/**
 * `evaluation.minSliceRows` for `evaluationRows` expected labelled evaluation rows: a tenth
 * of them, at least MIN_SLICE_ROWS, at most ct's default. On a small table the default
 * would skip every slice; on a large one it stands.
 */
export function suggestedMinSliceRows(evaluationRows: number): number {
  return Math.min(DEFAULT_MIN_SLICE_ROWS, Math.max(MIN_SLICE_ROWS, Math.round(evaluationRows / 10)));
}

/** A value as a comment shows it: quoted unless it reads as a word (`"."`, `" "`). */
function shownValue(v: string): string {
  return /^[\p{L}\p{N}][\p{L}\p{N} _.-]*$/u.test(v) ? v : JSON.stringify(v);
}

/** A slice name the config accepts (letters, digits, `_.()-`), made from a column name. */
function sliceName(column: string): string {
  const name = column.replace(/[^A-Za-z0-9_.()-]+/g, '_').replace(/^_+|_+$/g, '');
  return name === '' ? 'slice' : name;
}

/**
 * Slices on the user's own segments: string and true/false inputs with 2..MAX_SLICE_VALUES
 * values, cut to the values expected to hold SLICE_ROWS_MARGIN times minSliceRows labelled
 * evaluation rows (at least 2: one value alone is most of the whole); at most
 * MAX_SLICES, fewest values first. Reported, never gated: see the config's comment.
 * `evaluationRows`: the labelled rows the evaluation split is expected to hold.
 */
export function decideSlices(features: SuggestedFeature[], columns: ReadonlyMap<string, ColumnSummary>, evaluationRows: number): Suggestion['evaluation'] {
  const minRows = suggestedMinSliceRows(evaluationRows);
  const candidates: Array<SuggestedSlice & { distinct: number }> = [];
  for (const column of new Set(features.map((f) => f.column))) {
    const c = columns.get(column);
    if (c === undefined || (c.type !== 'string' && c.type !== 'boolean') || c.distinct < 2 || c.distinct > MAX_SLICE_VALUES) continue;
    // A value's expected evaluation rows: its rows, at the evaluation split's share of all rows.
    const expected = (n: number): number => (n * evaluationRows) / c.rows;
    const values = Object.entries(c.frequencies ?? {}).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const kept = values.filter(([, n]) => expected(n) >= SLICE_ROWS_MARGIN * minRows);
    if (kept.length < 2) continue;
    const list = (entries: Array<[string, number]>): string => entries.map(([v, n]) => `${shownValue(v)} ${n}`).join(', ');
    const rare = values.slice(kept.length);
    candidates.push({
      column,
      values: kept.map(([v]) => v),
      distinct: c.distinct,
      reason:
        `${rare.length === 0 ? `all ${kept.length} values` : `${kept.length} of ${values.length} values`}, each ≥ ${Math.floor(expected(kept.at(-1)![1]))} evaluation rows expected ` +
        `(${list(kept)} of ${c.rows} rows${rare.length === 0 ? '' : `; too few: ${list(rare.slice(0, 3))}${rare.length > 3 ? ', ...' : ''}`})`,
    });
  }
  // A stable sort: columns with as many values keep the data's order.
  const chosen = candidates.sort((a, b) => a.distinct - b.distinct).slice(0, MAX_SLICES);
  const names = new Set<string>();
  const slices = chosen.map(({ distinct: _distinct, ...slice }): SuggestedSlice => {
    let name = sliceName(slice.column);
    for (let k = 2; names.has(name); k++) name = `${sliceName(slice.column)}_${k}`;
    names.add(name);
    return name === slice.column ? slice : { name, ...slice };
  });
  if (slices.length === 0 || minRows >= DEFAULT_MIN_SLICE_ROWS) return { slices };
  const reason = `~${Math.round(evaluationRows)} labelled evaluation rows expected: a slice is scored from ${minRows} rows (a tenth, at least ${MIN_SLICE_ROWS}; the default ${DEFAULT_MIN_SLICE_ROWS} suits larger tables)`;
  return { slices, minSliceRows: { value: minRows, reason } };
}

function decideTraining(rows: number): Pick<Suggestion, 'model' | 'training' | 'trainingReason'> {
  const r = (
    reason: string,
    hidden: number[],
    dropout: number,
    training: Suggestion['training'],
  ): Pick<Suggestion, 'model' | 'training' | 'trainingReason'> => ({
    model: { hidden, dropout },
    training,
    trainingReason: `${rows} labelled rows: ${reason}`,
  });
  if (rows < 2_000)
    return r('a small net, many small batches and a higher learning rate', [16], 0, {
      epochs: 40,
      batchSize: 32,
      learningRate: 0.01,
      earlyStoppingPatience: 8,
    });
  if (rows < 50_000) return r('a medium net and batches', [32, 16], 0.1, { epochs: 20, batchSize: 128, learningRate: 0.003, earlyStoppingPatience: 4 });
  if (rows < 1_000_000)
    return r('a larger net, few epochs over large batches', [64, 32], 0.1, { epochs: 5, batchSize: 512, learningRate: 0.001, earlyStoppingPatience: 2 });
  return r('a larger net, a sample of 2M rows per training', [64, 64], 0.1, {
    epochs: 3,
    batchSize: 1024,
    learningRate: 0.001,
    earlyStoppingPatience: 1,
    maxRows: 2_000_000,
  });
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Standard errors above the majority class's share a multiclass model's accuracy must stand: clearly no chance. */
const MAJORITY_ERRORS = 3;

/**
 * The gates of a task. A multiclass model must beat always answering the most frequent
 * class by three standard errors of that share on the `evaluationRows` expected: support
 * tickets' four priorities (majority 0.487 on ~3,900 rows) give 0.511, where a fixed 0.05
 * failed a model at 0.518 on its first run; a small evaluation needs more, a large one less.
 */
function decideGates(task: Task, label: ColumnSummary, classes: string[] | undefined, evaluationRows: number): SuggestedGate[] {
  if (task === 'binary') {
    return [
      { gate: { metric: 'auc', lowerBound: 0.6 }, reason: 'a useful model at all: clearly better than chance (0.5)' },
      {
        gate: { metric: 'auc', significance: { test: 'nonInferiority', margin: 0.01 } },
        reason: 'not worse than production, allowing for noise: the 95% interval of the delta above -0.01',
      },
    ];
  }
  if (task === 'multiclass') {
    // Better than always answering the most frequent class.
    const counts = Object.values(label.frequencies ?? {});
    const total = counts.reduce((s, x) => s + x, 0);
    const majority = total === 0 ? 0 : Math.max(...counts) / total;
    const rows = Math.max(1, Math.round(evaluationRows));
    const margin = Math.max(0.01, MAJORITY_ERRORS * Math.sqrt((majority * (1 - majority)) / rows));
    const bound = round(Math.min(0.99, majority + margin), 3);
    return [
      {
        gate: { metric: 'accuracy', lowerBound: bound },
        reason:
          `better than always answering the most frequent class${classes?.[0] === undefined ? '' : ` (${classes[0]})`}, ${round(majority, 3)}, ` +
          `by ${MAJORITY_ERRORS} standard errors on ~${rows} evaluation rows`,
      },
      {
        gate: { metric: 'accuracy', significance: { test: 'nonInferiority', margin: 0.02 } },
        reason: 'not worse than production, allowing for noise: the 95% interval of the delta above -0.02',
      },
    ];
  }
  // A useful model's rmse is below the label's standard deviation (r2 0.3: 0.84 of it), so 1% of that is a few
  // percent of the rmse; 1% of the range let a model with four times production's error pass on fares.
  const std = label.numeric?.std ?? 0;
  return [
    { gate: { metric: 'r2', lowerBound: 0.3 }, reason: 'explains at least 30% of the variance: clearly better than predicting the mean (r2 0)' },
    {
      gate: { metric: 'rmse', significance: { test: 'nonInferiority', margin: round(std > 0 ? std * 0.01 : 1e-6, 6) } },
      reason: "rmse not worse than production's beyond noise: the 95% interval of the delta below 1% of the label's standard deviation",
    },
  ];
}
