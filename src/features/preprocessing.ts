/**
 * Preprocessing belongs to the model: it is fitted on the training rows, saved as
 * `preprocessing.json` beside the weights, and applied by the very same code in
 * training, evaluation and prediction, so there is no training/serving skew.
 */
import { Moments } from './moments.js';
import type { CtConfig, FeatureConfig, FeatureTransform, LabelConfig, Task, TextTokens } from '../config/types.js';
import { UserError } from '../errors.js';
import { type Column, findColumn, type Table } from '../data/table.js';
import { countAtMost } from '../data/sorted.js';
import { fitLabelScale, labelColumnValues, type LabelEncoding, type LabelScale, labelScale, standardizeLabels } from './label.js';
import { isoWeekday, MS_PER_HOUR, MS_PER_DAY, timeOfDay, wallClock } from '../time.js';
import { dictionaryTokens, encodeTokens, fitTextVocabulary, RESERVED_IDS, textIndex } from './text.js';
import { encodeSequence, parseSequence } from './sequence.js';
import { mostFrequentFirst } from './tally.js';

/** A numeric input: transformed, then z-scored with training statistics. */
export interface NumericFeature {
  name: string;
  column: string;
  kind: 'numeric';
  transform: 'none' | 'log1p';
  mean: number;
  std: number;
  /**
   * Smallest and largest finite training value after `transform`, before z-scaling (for
   * log1p: log1p of the column's value): the range normalisation saw, which `farLimits`
   * widens into the input domain. Absent in models saved before ct recorded it, and when
   * no training value was finite.
   */
  min?: number;
  max?: number;
}

/** A categorical input: integer ids, 0 = missing or out of vocabulary. */
export interface CategoricalFeature {
  name: string;
  column: string;
  kind: 'categorical';
  transform: FeatureTransform;
  /** Number of ids including 0 (the embedding's input size). */
  cardinality: number;
  embedding: number;
  /** For vocabulary features: value of id k+1 is `vocabulary[k]`. */
  vocabulary?: string[];
  /**
   * For vocabulary features: the share of non-null training rows whose value is not in the
   * vocabulary (rare values cut by maxVocabulary / minCount; they trained as id 0), the
   * baseline new data is compared with. Absent in models saved before ct recorded it.
   */
  outOfVocabularyShare?: number;
  boundaries?: number[];
  /** For a hashed cross: the crossed features (earlier in the list) and the number of buckets. */
  cross?: string[];
  hashBuckets?: number;
  /** For hourOfDay and dayOfWeek: the IANA time zone whose clock they read (`data.timezone`); absent: UTC. */
  timeZone?: string;
}

/**
 * A text input: `length` token ids per row (text.ts: 0 pads, 1 is a token outside the
 * vocabulary, `vocabulary[k]` is id k + 2).
 */
export interface TextFeature {
  name: string;
  column: string;
  kind: 'text';
  transform: 'none';
  tokens: TextTokens;
  length: number;
  vocabulary: string[];
  /** Number of ids, padding and unknown included (the embedding's input size). */
  cardinality: number;
  embedding: number;
  /**
   * The share of non-null training rows of which the vocabulary knows no token (within
   * the length): the baseline new data is compared with, as a categorical feature's.
   */
  outOfVocabularyShare: number;
  /** The share of the training tokens outside the vocabulary. */
  unknownTokenShare: number;
}

/**
 * A sequence input: `length` numbers per row, each standardised with the mean and standard
 * deviation of every number of the training cells (one scale for all positions, as the
 * values of a series share their units).
 */
export interface SequenceFeature {
  name: string;
  column: string;
  kind: 'sequence';
  transform: 'none';
  length: number;
  mean: number;
  std: number;
  /** Smallest and largest finite training number: the range `farLimits` widens. */
  min?: number;
  max?: number;
}

export type FittedFeature = NumericFeature | CategoricalFeature | TextFeature | SequenceFeature;

/** Values per row a feature's encoded input holds: a text or sequence feature's length, else 1. */
export function inputWidth(f: FittedFeature): number {
  return f.kind === 'text' || f.kind === 'sequence' ? f.length : 1;
}

/** Contents of `preprocessing.json`. */
export interface Preprocessing {
  format: 'ct-preprocessing';
  version: 1;
  task: Task;
  label: LabelEncoding;
  features: FittedFeature[];
}

/** Model-ready columns: one typed array per input, plus the label. */
export interface EncodedData {
  rows: number;
  /** Same order as `Preprocessing.features`; row-major, `widths[i]` values per row. */
  inputs: Array<Int32Array | Float32Array>;
  /** Values per row of each input (`inputWidth`): 1, or a text or sequence feature's length. */
  widths: number[];
  /** Binary: 0/1; multiclass: class index; regression: the value. NaN where unknown. */
  labels: Float32Array;
  /**
   * What the model is trained on: `labels` as they are for classification, standardised
   * with `labelScale` for regression. NaN where unknown.
   */
  targets: Float32Array;
  /** The label's scale (`label.scale` of the preprocessing; identity unless regression): predictions are un-scaled with it. */
  labelScale: LabelScale;
  /**
   * Per feature read from a column (crosses derive from other features and are left out),
   * in `Preprocessing.features` order: the rows the model could not take as given.
   */
  imputed: ImputedCounts[];
}

/**
 * Rows of one feature the model cannot take as they are. `missing`, `nonFinite` and
 * `outOfVocabulary` rows are imputed: a numeric feature's at the training mean (0 after
 * scaling), a categorical feature's as id 0 (the missing / out-of-vocabulary id). `far`
 * rows are encoded as given, but lie beyond `farLimits`: the model never saw such values.
 */
export interface ImputedCounts {
  feature: string;
  column: string;
  /** Null in the data. */
  missing: number;
  /**
   * Not null, but not finite after the transform: a NaN or infinite number, log1p of a
   * value <= -1; for hourOfDay / dayOfWeek / bucketize a NaN or infinite timestamp / NaN number;
   * for a sequence a cell that is not exactly `length` finite numbers.
   */
  nonFinite: number;
  /** Vocabulary features: not null and not in the vocabulary (text: not one token the vocabulary knows). */
  outOfVocabulary: number;
  /** Numeric and sequence features: finite but beyond `farLimits` (a sequence: any of its numbers; not imputed: counted). */
  far: number;
}

/** Why a row of a feature was not taken as given (a null is `missing`, counted only). */
export type ImputedReason = 'nonFinite' | 'outOfVocabulary' | 'far';

/**
 * Told of every non-null row of a feature that `encodeFeatureColumn` imputes or finds far;
 * `transformed` is the value after the transform for numeric features. Called in the
 * encoder's loop for those rows only, so clean data costs nothing.
 */
export type ImputedRowObserver = (row: number, reason: ImputedReason, transformed: number) => void;

/**
 * Far from training, for models that recorded the training range: beyond the range by more
 * than this fraction of its span, on either side.
 */
export const FAR_SPAN_FRACTION = 0.5;
/** Far from training, for models saved without the range (or a constant feature): |z| above this. */
export const FAR_Z = 10;

/** UTC hour of day, 0-23, of an instant in milliseconds since the epoch. */
export function utcHourOfDay(t: number): number {
  return Math.floor(timeOfDay(t) / MS_PER_HOUR);
}

/** ISO day of week (Monday = 1 .. Sunday = 7), UTC. */
export function utcDayOfWeek(t: number): number {
  return isoWeekday(Math.floor(t / MS_PER_DAY));
}

/**
 * The hour of day (0-23) or ISO day of week (1 = Monday .. 7) of an instant, on the clock of
 * `timeZone` (`data.timezone`; UTC without one): what the model's encoder, the history's
 * derived inputs, slices and pairs' hours all read.
 */
export function timePart(transform: 'hourOfDay' | 'dayOfWeek', timeZone: string | undefined): (t: number) => number {
  const part = transform === 'hourOfDay' ? utcHourOfDay : utcDayOfWeek;
  const clock = wallClock(timeZone);
  return (t) => part(clock(t));
}

/** Fits vocabularies, normalisation and the label encoding on the training table. */
export function fitPreprocessing(table: Table, config: CtConfig): Preprocessing {
  const label = fitLabel(table, config.label, config.task);
  const features: FittedFeature[] = [];
  for (const f of config.features) features.push(f.transform === 'cross' ? fitCross(f, features) : fitFeature(table, f, config.data.timezone));
  return { format: 'ct-preprocessing', version: 1, task: config.task, label, features };
}

/** Encodes a table with fitted preprocessing. Rows whose label is unknown keep NaN. */
export function encodeTable(table: Table, prep: Preprocessing, options: { withLabels?: boolean } = {}): EncodedData {
  const inputs: Array<Int32Array | Float32Array> = [];
  const imputed: ImputedCounts[] = [];
  for (const f of prep.features) {
    if (f.transform === 'cross') {
      inputs.push(encodeCross(f, prep.features, inputs, table.rowCount));
      continue;
    }
    const encoded = encodeFeatureColumn(table, f);
    inputs.push(encoded.values);
    imputed.push(encoded.counts);
  }
  const labels = options.withLabels === false ? new Float32Array(table.rowCount).fill(Number.NaN) : labelColumnValues(table, prep.label);
  const scale = labelScale(prep.label);
  return { rows: table.rowCount, inputs, widths: prep.features.map(inputWidth), labels, targets: standardizeLabels(labels, scale), labelScale: scale, imputed };
}

/**
 * The transformed values a numeric feature takes as within its domain, `low..high`
 * (after the transform, before z-scaling). `range`: the training range widened by
 * FAR_SPAN_FRACTION of its span on each side; `z`, for models saved without the range (or
 * whose training values were all equal): |z| <= FAR_Z.
 */
export function farLimits(f: Pick<NumericFeature, 'mean' | 'std' | 'min' | 'max'>): { low: number; high: number; rule: 'range' | 'z' } {
  const { min, max } = f;
  if (typeof min === 'number' && typeof max === 'number' && Number.isFinite(min) && Number.isFinite(max) && max > min) {
    const margin = (max - min) * FAR_SPAN_FRACTION;
    return { low: min - margin, high: max + margin, rule: 'range' };
  }
  return { low: f.mean - FAR_Z * f.std, high: f.mean + FAR_Z * f.std, rule: 'z' };
}

/** The rows `order` of an encoded input of `width` values per row, in that order. */
export function gatherRows(column: Int32Array | Float32Array, width: number, order: Int32Array): Int32Array | Float32Array {
  const out = column instanceof Int32Array ? new Int32Array(order.length * width) : new Float32Array(order.length * width);
  for (let k = 0; k < order.length; k++) {
    if (width === 1) out[k] = column[order[k]!]!;
    else out.set(column.subarray(order[k]! * width, (order[k]! + 1) * width), k * width);
  }
  return out;
}

/** Row indices whose label is known (rows with a null label cannot be trained or scored). */
export function labelledRows(data: EncodedData): Int32Array {
  const keep: number[] = [];
  for (let i = 0; i < data.rows; i++) if (!Number.isNaN(data.labels[i]!)) keep.push(i);
  return Int32Array.from(keep);
}

function requireColumn(table: Table, name: string, role: string): Column {
  const column = findColumn(table, name);
  if (column === undefined) {
    const have = table.columns.map((c) => c.name).join(', ');
    throw new UserError(`${role}: column "${name}" is not in the data (columns: ${have})`);
  }
  return column;
}

function fitLabel(table: Table, label: LabelConfig, task: Task): LabelEncoding {
  const column = requireColumn(table, label.column, 'label');
  if (task === 'multiclass') {
    if (label.op !== undefined) throw new UserError(`label: a multiclass label is a column, not a comparison ("${label.text}")`);
    if (column.type !== 'string') throw new UserError(`label: multiclass label column "${label.column}" must hold strings, found ${column.type}`);
    const counts = new Map<number, number>();
    for (let i = 0; i < column.codes.length; i++) {
      const code = column.codes[i]!;
      if (code >= 0) counts.set(code, (counts.get(code) ?? 0) + 1);
    }
    const classes = [...counts.keys()].map((k) => column.dictionary[k]!).sort();
    if (classes.length < 2)
      throw new UserError(`label: column "${label.column}" has ${classes.length} class(es) in the training rows; multiclass needs at least 2`);
    return { ...label, task, classes };
  }
  if (task === 'regression') {
    if (label.op !== undefined) throw new UserError(`label: a regression label is a numeric column, not a comparison ("${label.text}")`);
    if (column.type !== 'number') throw new UserError(`label: regression label column "${label.column}" must be numeric, found ${column.type}`);
    // The target is standardised with the training rows' statistics (see `LabelEncoding.scale`).
    return { ...label, task, scale: fitLabelScale(labelColumnValues(table, { ...label, task })) };
  }
  if (label.op === undefined && column.type === 'string') {
    throw new UserError(`label: binary label column "${label.column}" holds strings; write a comparison such as "${label.column} == \\"yes\\""`);
  }
  if (label.op !== undefined && typeof label.value === 'number' && column.type !== 'number') {
    throw new UserError(`label: "${label.text}" compares with a number but column "${label.column}" is ${column.type}`);
  }
  return { ...label, task };
}

function fitFeature(table: Table, f: FeatureConfig, timeZone: string | undefined): FittedFeature {
  const column = requireColumn(table, f.column, `feature "${f.name}"`);
  const where = `feature "${f.name}"`;
  switch (f.transform) {
    case 'hourOfDay':
    case 'dayOfWeek': {
      if (column.type !== 'timestamp') throw new UserError(`${where}: ${f.transform} needs a timestamp column, "${f.column}" is ${column.type}`);
      const cardinality = (f.transform === 'hourOfDay' ? 24 : 7) + 1;
      return timeZone === undefined ? categorical(f, cardinality) : { ...categorical(f, cardinality), timeZone };
    }
    case 'bucketize':
      if (column.type !== 'number') throw new UserError(`${where}: bucketize needs a numeric column, "${f.column}" is ${column.type}`);
      return { ...categorical(f, f.boundaries!.length + 2), boundaries: f.boundaries! };
    case 'cross':
      throw new Error(`feature "${f.name}": crosses are fitted by fitCross`);
    case 'log1p':
    case 'none': {
      if (f.kind === 'text') return fitText(f, column);
      if (f.kind === 'sequence') return fitSequence(f, column);
      const kind = f.kind ?? (column.type === 'string' || column.type === 'boolean' ? 'categorical' : 'numeric');
      if (kind === 'categorical') {
        if (f.transform === 'log1p') throw new UserError(`${where}: log1p applies to numeric features only`);
        const { vocabulary, outOfVocabularyShare } = fitVocabulary(column, f.maxVocabulary ?? 1000, f.minCount ?? 1);
        return { ...categorical(f, vocabulary.length + 1), vocabulary, outOfVocabularyShare };
      }
      if (column.type !== 'number') throw new UserError(`${where}: a numeric feature needs a numeric column, "${f.column}" is ${column.type}`);
      return fitNumeric(f, column.values, column.nulls, f.transform);
    }
  }
}

/** A hashed cross of earlier categorical features: `hashBuckets` ids plus 0. */
function fitCross(f: FeatureConfig, earlier: readonly FittedFeature[]): CategoricalFeature {
  for (const name of f.cross!) {
    const source = earlier.find((e) => e.name === name);
    if (source === undefined) throw new UserError(`feature "${f.name}": crosses "${name}", which must be a feature listed before it`);
    if (source.kind !== 'categorical')
      throw new UserError(`feature "${f.name}": crosses "${name}", which is ${source.kind}; only categorical features can be crossed`);
  }
  return { ...categorical(f, f.hashBuckets! + 1), cross: f.cross!, hashBuckets: f.hashBuckets! };
}

/**
 * Ids of a hashed cross: a seeded 32-bit mix of the crossed features' ids, modulo the
 * buckets, plus 1. Rows where every crossed id is 0 (all missing) stay 0.
 */
function encodeCross(f: CategoricalFeature, features: readonly FittedFeature[], inputs: ReadonlyArray<Int32Array | Float32Array>, rows: number): Int32Array {
  const sources = f.cross!.map((name) => inputs[features.findIndex((e) => e.name === name)] as Int32Array);
  const out = new Int32Array(rows);
  const buckets = f.hashBuckets!;
  for (let i = 0; i < rows; i++) {
    let h = 0x9e3779b9;
    let any = 0;
    for (const ids of sources) {
      const id = ids[i]!;
      any |= id;
      h = Math.imul(h ^ id, 0x85ebca6b);
      h ^= h >>> 13;
      h = Math.imul(h, 0xc2b2ae35);
      h ^= h >>> 16;
    }
    out[i] = any === 0 ? 0 : ((h >>> 0) % buckets) + 1;
  }
  return out;
}

function categorical(f: FeatureConfig, cardinality: number): CategoricalFeature {
  return { name: f.name, column: f.column, kind: 'categorical', transform: f.transform, cardinality, embedding: embeddingWidth(f, cardinality) };
}

/** The configured embedding width, else about twice the fourth root of the cardinality (2..32). */
function embeddingWidth(f: FeatureConfig, cardinality: number): number {
  return f.embedding ?? Math.max(2, Math.min(32, Math.round(2 * Math.pow(cardinality, 0.25))));
}

/** A text feature's vocabulary of tokens, fitted on the training rows of a string column. */
function fitText(f: FeatureConfig, column: Column): TextFeature {
  if (column.type !== 'string') throw new UserError(`feature "${f.name}": a text feature needs a string column, "${f.column}" is ${column.type}`);
  // The config completed both (config/load.ts).
  const tokens = f.tokens!;
  const length = f.length!;
  const counts = occurrencesByCode(column);
  const tokensOf = dictionaryTokens(column.dictionary, tokens);
  const texts: Array<readonly [readonly string[], number]> = [];
  counts.forEach((count, code) => {
    if (count > 0) texts.push([tokensOf(code), count]);
  });
  const { vocabulary, unknownTokenShare } = fitTextVocabulary(texts, f.maxVocabulary ?? 1000, f.minCount ?? 1);
  const index = textIndex(vocabulary);
  const ids = new Int32Array(length);
  let present = 0;
  let unknown = 0;
  counts.forEach((count, code) => {
    if (count === 0) return;
    present += count;
    const { known, seen } = encodeTokens(tokensOf(code), index, ids, 0, length);
    if (seen > 0 && known === 0) unknown += count;
  });
  const cardinality = vocabulary.length + RESERVED_IDS;
  return {
    name: f.name,
    column: f.column,
    kind: 'text',
    transform: 'none',
    tokens,
    length,
    vocabulary,
    cardinality,
    embedding: f.embedding ?? Math.max(8, embeddingWidth(f, cardinality)),
    outOfVocabularyShare: present === 0 ? 0 : unknown / present,
    unknownTokenShare,
  };
}

/** A sequence feature's scale: every finite number of the training cells, each cell parsed once. */
function fitSequence(f: FeatureConfig, column: Column): SequenceFeature {
  if (column.type !== 'string') throw new UserError(sequenceColumnProblem(f.name, f.column, column.type));
  const counts = occurrencesByCode(column);
  // Each distinct cell parsed once, its numbers weighted by how often it occurs.
  const moments = new Moments();
  counts.forEach((count, code) => {
    if (count > 0) for (const x of parseSequence(column.dictionary[code]!)) moments.add(x, count);
  });
  const fitted: SequenceFeature = { name: f.name, column: f.column, kind: 'sequence', transform: 'none', length: f.length!, ...moments.scale() };
  return moments.n > 0 ? { ...fitted, min: moments.min, max: moments.max } : fitted;
}

function sequenceColumnProblem(feature: string, column: string, type: string): string {
  return `feature "${feature}": column "${column}" is ${type}, a sequence feature reads arrays or lists of numbers (strings such as "[1, 2, 3]" or "1 2 3")`;
}

/** How many non-null rows of a string column hold each dictionary entry, by its code. */
function occurrencesByCode(column: Extract<Column, { type: 'string' }>): Float64Array {
  const counts = new Float64Array(column.dictionary.length);
  for (const code of column.codes) if (code >= 0) counts[code]!++;
  return counts;
}

/**
 * Most frequent values first; ties broken by value so the vocabulary is deterministic.
 * Also the share of non-null rows whose value did not make it (0 when all rows are null).
 */
function fitVocabulary(column: Column, maxSize: number, minCount: number): { vocabulary: string[]; outOfVocabularyShare: number } {
  const counts = new Map<string, number>();
  const n = column.type === 'string' ? column.codes.length : column.values.length;
  if (column.type === 'string') {
    occurrencesByCode(column).forEach((count, code) => {
      if (count > 0) counts.set(column.dictionary[code]!, (counts.get(column.dictionary[code]!) ?? 0) + count);
    });
  } else {
    for (let i = 0; i < n; i++) {
      if (column.nulls !== null && column.nulls[i] === 1) continue;
      const key = categoryKey(column, i);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const kept = mostFrequentFirst(counts, maxSize, minCount);
  let total = 0;
  for (const c of counts.values()) total += c;
  let inVocabulary = 0;
  for (const [, c] of kept) inVocabulary += c;
  return { vocabulary: kept.map(([k]) => k), outOfVocabularyShare: total === 0 ? 0 : (total - inVocabulary) / total };
}

/** The vocabulary key of a non-string value: its text form. */
function categoryKey(column: Column, i: number): string {
  switch (column.type) {
    case 'string':
      return column.dictionary[column.codes[i]!]!;
    case 'boolean':
      return column.values[i] === 1 ? 'true' : 'false';
    case 'timestamp':
      return new Date(column.values[i]!).toISOString();
    case 'number':
      return String(column.values[i]);
  }
}

function fitNumeric(f: FeatureConfig, values: Float64Array, nulls: Uint8Array | null, transform: 'none' | 'log1p'): NumericFeature {
  const moments = new Moments();
  for (let i = 0; i < values.length; i++) if (nulls === null || nulls[i] !== 1) moments.add(applyNumeric(values[i]!, transform));
  const fitted: NumericFeature = { name: f.name, column: f.column, kind: 'numeric', transform, ...moments.scale() };
  return moments.n > 0 ? { ...fitted, min: moments.min, max: moments.max } : fitted;
}

function applyNumeric(x: number, transform: 'none' | 'log1p'): number {
  return transform === 'log1p' ? Math.log1p(x) : x;
}

/**
 * Why `column` cannot feed feature `f` (a type the feature cannot read), or null when it
 * can. Vocabulary features read any type (values are matched by their text form).
 */
export function featureColumnMismatch(f: FittedFeature, column: Column): string | null {
  const wrong = (expects: string): string => `feature "${f.name}": column "${f.column}" is ${column.type}, the model expects ${expects}`;
  if (f.kind === 'numeric' || f.transform === 'bucketize') return column.type === 'number' ? null : wrong('numbers');
  if (f.kind === 'text') return column.type === 'string' ? null : wrong('text (strings)');
  if (f.kind === 'sequence') return column.type === 'string' ? null : sequenceColumnProblem(f.name, f.column, column.type);
  if (f.transform === 'hourOfDay' || f.transform === 'dayOfWeek') return column.type === 'timestamp' ? null : wrong('a timestamp');
  return null;
}

/**
 * Encodes one feature read from a column (not a cross) and counts the rows it could not
 * take as given (see `ImputedCounts`); `observe` hears of each such non-null row.
 *
 * @throws UserError when the column is missing or of a type the feature cannot read
 */
export function encodeFeatureColumn(
  table: Table,
  f: FittedFeature,
  observe?: ImputedRowObserver,
  textTokens?: (code: number) => readonly string[],
): { values: Int32Array | Float32Array; counts: ImputedCounts } {
  if (f.transform === 'cross') throw new Error(`feature "${f.name}": crosses are encoded from other features`);
  const column = requireColumn(table, f.column, `feature "${f.name}"`);
  const mismatch = featureColumnMismatch(f, column);
  if (mismatch !== null) throw new UserError(mismatch);
  const counts: ImputedCounts = { feature: f.name, column: f.column, missing: 0, nonFinite: 0, outOfVocabulary: 0, far: 0 };
  const n = table.rowCount;
  const nulls = column.nulls;
  // Counters live in locals inside the loops and are stored once: the loops run over millions of rows.
  if (f.kind === 'numeric') {
    const values = (column as { values: Float64Array }).values;
    const out = new Float32Array(n);
    const { low, high } = farLimits(f);
    const { mean, std } = f;
    const log = f.transform === 'log1p';
    let missing = 0;
    let nonFinite = 0;
    let far = 0;
    for (let i = 0; i < n; i++) {
      if (nulls !== null && nulls[i] === 1) {
        missing++;
        continue; // imputed at the training mean: 0 after scaling
      }
      const x = log ? Math.log1p(values[i]!) : values[i]!;
      // x - x is 0 for finite x, NaN for NaN and ±Infinity: one test for both.
      if (x - x !== 0) {
        nonFinite++;
        observe?.(i, 'nonFinite', x);
        continue;
      }
      if (x < low || x > high) {
        far++;
        observe?.(i, 'far', x);
      }
      out[i] = (x - mean) / std;
    }
    Object.assign(counts, { missing, nonFinite, far });
    return { values: out, counts };
  }
  if (f.kind === 'text') {
    const texts = column as Extract<Column, { type: 'string' }>;
    return encodeTextColumn(f, texts, counts, textTokens ?? dictionaryTokens(texts.dictionary, f.tokens), observe);
  }
  if (f.kind === 'sequence') return encodeSequenceColumn(f, column as Extract<Column, { type: 'string' }>, counts, observe);
  const out = new Int32Array(n);
  let missing = 0;
  let nonFinite = 0;
  switch (f.transform) {
    case 'hourOfDay':
    case 'dayOfWeek': {
      const values = (column as { values: Float64Array }).values;
      const hour = f.transform === 'hourOfDay';
      const part = timePart(f.transform, f.timeZone);
      for (let i = 0; i < n; i++) {
        if (nulls !== null && nulls[i] === 1) {
          missing++;
          continue;
        }
        const t = values[i]!;
        if (t - t !== 0) {
          nonFinite++;
          observe?.(i, 'nonFinite', t);
          continue;
        }
        // Ids start at 1: 0 is the missing-value bucket.
        out[i] = hour ? part(t) + 1 : part(t);
      }
      Object.assign(counts, { missing, nonFinite });
      return { values: out, counts };
    }
    case 'bucketize': {
      const values = (column as { values: Float64Array }).values;
      const edges = f.boundaries!;
      for (let i = 0; i < n; i++) {
        if (nulls !== null && nulls[i] === 1) {
          missing++;
          continue;
        }
        const x = values[i]!;
        // ±Infinity has a bucket (the first or the last); only NaN has none.
        if (Number.isNaN(x)) {
          nonFinite++;
          observe?.(i, 'nonFinite', x);
          continue;
        }
        out[i] = countAtMost(edges, x) + 1;
      }
      Object.assign(counts, { missing, nonFinite });
      return { values: out, counts };
    }
    default: {
      const index = vocabularyIndex(f.vocabulary ?? []);
      let outOfVocabulary = 0;
      if (column.type === 'string') {
        // Map each dictionary entry once, then rows by code: no string work per row.
        const byCode = Int32Array.from(column.dictionary, (s) => index.get(s) ?? 0);
        const codes = column.codes;
        for (let i = 0; i < n; i++) {
          const code = codes[i]!;
          if (code < 0) {
            missing++;
            continue;
          }
          const id = byCode[code]!;
          if (id === 0) {
            outOfVocabulary++;
            observe?.(i, 'outOfVocabulary', Number.NaN);
          }
          out[i] = id;
        }
      } else {
        for (let i = 0; i < n; i++) {
          if (nulls !== null && nulls[i] === 1) {
            missing++;
            continue;
          }
          const id = index.get(categoryKey(column, i)) ?? 0;
          if (id === 0) {
            outOfVocabulary++;
            observe?.(i, 'outOfVocabulary', Number.NaN);
          }
          out[i] = id;
        }
      }
      Object.assign(counts, { missing, outOfVocabulary });
      return { values: out, counts };
    }
  }
}

/** A text column's ids, `f.length` per row: each distinct text tokenised once. */
function encodeTextColumn(
  f: TextFeature,
  column: Extract<Column, { type: 'string' }>,
  counts: ImputedCounts,
  tokensOf: (code: number) => readonly string[],
  observe?: ImputedRowObserver,
): { values: Int32Array; counts: ImputedCounts } {
  const { length } = f;
  const index = textIndexOf(f.vocabulary);
  const byCode = new Int32Array(column.dictionary.length * length);
  const noneKnown = column.dictionary.map((_, code) => {
    const { known, seen } = encodeTokens(tokensOf(code), index, byCode, code * length, length);
    return seen > 0 && known === 0;
  });
  // Missing rows stay all padding.
  const out = new Int32Array(column.codes.length * length);
  let outOfVocabulary = 0;
  const missing = copyCellsByCode(column.codes, byCode, length, out, (i, code) => {
    if (noneKnown[code] === true) {
      outOfVocabulary++;
      observe?.(i, 'outOfVocabulary', Number.NaN);
    }
  });
  Object.assign(counts, { missing, outOfVocabulary });
  return { values: out, counts };
}

/**
 * A sequence column's numbers, `f.length` per row: each distinct cell parsed once. A cell
 * that is not whole (`encodeSequence`) is `nonFinite`; one with a number beyond
 * `farLimits` is `far` (told with its furthest number).
 */
function encodeSequenceColumn(
  f: SequenceFeature,
  column: Extract<Column, { type: 'string' }>,
  counts: ImputedCounts,
  observe?: ImputedRowObserver,
): { values: Float32Array; counts: ImputedCounts } {
  const { length } = f;
  const { low, high } = farLimits(f);
  const byCode = new Float32Array(column.dictionary.length * length);
  // Per distinct cell: whole, and its number furthest beyond the limits (NaN when none is).
  const whole = new Uint8Array(column.dictionary.length);
  const furthest = new Float64Array(column.dictionary.length).fill(Number.NaN);
  column.dictionary.forEach((text, code) => {
    const values = parseSequence(text);
    whole[code] = encodeSequence(values, length, f.mean, f.std, byCode, code * length) ? 1 : 0;
    let distance = 0;
    for (const x of values) {
      const beyond = x < low ? low - x : x > high ? x - high : 0;
      if (beyond > distance) {
        distance = beyond;
        furthest[code] = x;
      }
    }
  });
  // Missing rows stay zeros: the training mean at every position.
  const out = new Float32Array(column.codes.length * length);
  let nonFinite = 0;
  let far = 0;
  const missing = copyCellsByCode(column.codes, byCode, length, out, (i, code) => {
    if (whole[code] === 0) {
      nonFinite++;
      observe?.(i, 'nonFinite', Number.NaN);
    }
    if (!Number.isNaN(furthest[code]!)) {
      far++;
      observe?.(i, 'far', furthest[code]!);
    }
  });
  Object.assign(counts, { missing, nonFinite, far });
  return { values: out, counts };
}

/**
 * Fills `out` with each row's `length` values, encoded once per dictionary entry in
 * `byCode`, and tells `each` of every non-null row; returns the null rows (left as they are).
 */
function copyCellsByCode<T extends Int32Array | Float32Array>(
  codes: Int32Array,
  byCode: T,
  length: number,
  out: T,
  each: (row: number, code: number) => void,
): number {
  let missing = 0;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    if (code < 0) {
      missing++;
      continue;
    }
    out.set(byCode.subarray(code * length, (code + 1) * length), i * length);
    each(i, code);
  }
  return missing;
}

/**
 * The tokens of a text column's non-null rows within each row's `length` (the ones the
 * model reads), how many of them the vocabulary lacks, and the most frequent of those
 * (up to `keep`, with their counts). Each distinct text is tokenised once, and not again
 * when `tokensOf` is the accessor encoding used.
 */
export function textTokenCounts(
  f: TextFeature,
  column: Extract<Column, { type: 'string' }>,
  tokensOf = dictionaryTokens(column.dictionary, f.tokens),
  keep = 20,
): { tokens: number; unknown: number; top: Map<string, number> } {
  const occurs = occurrencesByCode(column);
  const index = textIndexOf(f.vocabulary);
  const missing = new Map<string, number>();
  let tokens = 0;
  let unknown = 0;
  occurs.forEach((count, code) => {
    if (count === 0) return;
    const read = tokensOf(code).slice(-f.length);
    tokens += count * read.length;
    for (const token of read) {
      if (index.has(token)) continue;
      unknown += count;
      missing.set(token, (missing.get(token) ?? 0) + count);
    }
  });
  const top = new Map(mostFrequentFirst(missing, keep));
  return { tokens, unknown, top };
}

/** Token -> id of a text vocabulary, built once per list (as `vocabularyIndex`). */
const textIndexes = new WeakMap<readonly string[], Map<string, number>>();
function textIndexOf(vocabulary: readonly string[]): Map<string, number> {
  let index = textIndexes.get(vocabulary);
  if (index?.size !== vocabulary.length) {
    index = textIndex(vocabulary);
    textIndexes.set(vocabulary, index);
  }
  return index;
}

/**
 * Category -> id (1-based; 0 is out of vocabulary), built once per vocabulary list: a
 * served request encodes a row or a few, and a vocabulary of hundreds is not rebuilt each
 * time. A list that grew (a warm start extends it) gets a new index.
 */
const vocabularyIndexes = new WeakMap<readonly string[], { length: number; index: Map<string, number> }>();
function vocabularyIndex(vocabulary: readonly string[]): Map<string, number> {
  let cached = vocabularyIndexes.get(vocabulary);
  if (cached?.length !== vocabulary.length) {
    cached = { length: vocabulary.length, index: new Map(vocabulary.map((v, k) => [v, k + 1])) };
    vocabularyIndexes.set(vocabulary, cached);
  }
  return cached.index;
}
