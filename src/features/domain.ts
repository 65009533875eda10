/**
 * The model's input domain: what a model's preprocessing (`preprocessing.json`) can take.
 * The encoder never fails on a value it cannot use: a non-finite transformed value sits
 * at the training mean, an unknown category becomes id 0, a value far outside the training
 * range is extrapolated. That keeps scoring total, and makes it silent. This checker,
 * fed the raw chunks of a batch as they are read (memory bounded), says when a batch
 * leans on those fallbacks more than training did, with the same code the encoder runs.
 *
 * Rules (shares of the rows where the feature's column was read):
 * - `input_non_finite`: a non-null value whose transform is not finite (log1p of a
 *   value <= -1, NaN or infinite numbers; a NaN timestamp or bucketized number).
 *   Share above `tolerance`: the kind's severity (error by default); above 0: a warning.
 * - `input_out_of_vocabulary`: the share of non-null rows outside the vocabulary exceeds
 *   the training share (`outOfVocabularyShare`) by more than
 *   max(tolerance, 3 binomial standard errors + a continuity correction of 0.5/n, a
 *   quarter of the training share), so a small batch is not flagged for noise, nor a long
 *   tail the vocabulary cut for meeting more of itself. Training saw none and the batch has a few
 *   (within that margin): a warning. Models saved without the training share: the share
 *   must stay within LEGACY_OUT_OF_VOCABULARY_SHARE instead.
 * - `input_far_from_training`: finite transformed values beyond the training min/max by
 *   more than half the training span (`farLimits`; |z| > 10 for models saved without
 *   the range). Share above `tolerance`: the kind's severity; above 0: a warning.
 * Crosses derive from other features: findings are reported on their source features.
 * A column that is missing or of the wrong type is left to the schema check.
 */
import { findColumn, locateRow, type Table, valueAt } from '../data/table.js';
import { UserError } from '../errors.js';
import type { Anomaly, AnomalyExample } from '../validate/checker.js';
import { type AnomalyKind, type Severity, severityOf } from '../validate/schema.js';
import { mostFrequentFirst } from './tally.js';
import {
  type CategoricalFeature,
  encodeFeatureColumn,
  FAR_Z,
  farLimits,
  featureColumnMismatch,
  type FittedFeature,
  type ImputedCounts,
  type NumericFeature,
  type Preprocessing,
  type SequenceFeature,
  type TextFeature,
  textTokenCounts,
} from './preprocessing.js';
import { dictionaryTokens } from './text.js';
import { percent } from '../words.js';

export interface InputDomainOptions {
  /** Share of rows a finding may reach before it takes its kind's severity (default 0.001). */
  tolerance?: number;
  /** Severity per kind, overriding the defaults (errors). */
  severity?: Partial<Record<AnomalyKind, Severity>>;
  /** The model in words, for messages: "production 20010228-abc", "the candidate". */
  model: string;
  /**
   * Columns the schema lists no domain for (strings whose values kept arriving, such as
   * support agents joining; too many values to list; numbers read as categories): values
   * new to the model are what such a column holds, so they are a warning, and the partition
   * history judges how many arrive.
   */
  openColumns?: ReadonlySet<string>;
  /**
   * Per column, the values its schema's domain lists: a person reviewed them as valid. A
   * value there that the model's vocabulary lacks (a store that opened after the model was
   * trained) is new to the model, not to the data: a retrain teaches it, so only the rows
   * whose values neither know are judged against the accepted share, and the rest are a
   * warning. Stopping the run for them would stop the retrain that is their fix.
   */
  reviewedValues?: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface InputDomainChecker {
  /** Checks one chunk of raw rows (as read; chunks in file order). */
  add(table: Table): void;
  /** The findings so far, errors first, then in feature order. */
  result(): Anomaly[];
  /**
   * Per feature read from a column, in preprocessing order: rows imputed (or far) over
   * everything added, as the encoder would count them. Features whose column was never
   * read (missing, wrong type) count 0.
   */
  imputed(): ImputedCounts[];
  /** Rows added so far. */
  readonly rows: number;
  /** Forgets every chunk added, to check another batch (`ct serve` keeps one per model); anomalies already returned are kept. */
  reset(): void;
}

/** Default share of rows a finding may reach before it is an error. */
export const DEFAULT_INPUT_TOLERANCE = 0.001;
/** Out-of-vocabulary share allowed for models saved without the training share. */
export const LEGACY_OUT_OF_VOCABULARY_SHARE = 0.01;
/** Standard errors of the training share a batch may exceed it by (one-sided, ~0.1% false alarms). */
const STANDARD_ERRORS = 3;
/**
 * Share of training's own unknown share a batch may add: a vocabulary that cut a long tail
 * (merchants, products) meets more of that tail as days pass (42.6% of rows unknown at
 * training, 44% three weeks later), and a retrain, not a stopped run, is the fix. A mangled
 * column is unknown on most of its rows, far beyond.
 */
const TAIL_GROWTH = 0.25;

/**
 * The highest share of unknown values (or tokens) accepted in a batch of `n` when training
 * had `base`: training's share plus the largest of the tolerance, 3 binomial standard errors
 * with a continuity correction (a small batch is not flagged for noise) and `TAIL_GROWTH`
 * of training's share.
 */
function acceptedUnknownShare(base: number, n: number, tolerance: number): number {
  const noise = STANDARD_ERRORS * Math.sqrt((base * (1 - base)) / n) + 0.5 / n;
  return base + Math.max(tolerance, noise, TAIL_GROWTH * base);
}
const MAX_EXAMPLES = 20;
/** Distinct out-of-vocabulary values tallied for the message. */
const MAX_TALLIED = 1000;

/** One source feature across chunks. */
class FeatureState {
  /** Rows where the column was read (present, of a usable type). */
  rows = 0;
  counts: ImputedCounts;
  /** Non-finite rows whose input was finite (log1p of a value <= -1). */
  transformDomain = 0;
  farBelow = 0;
  farAbove = 0;
  /** The far value furthest from the limits, transformed and as text. */
  furthest: { distance: number; value: string } | null = null;
  nonFinite: AnomalyExample[] = [];
  outOfVocabulary: AnomalyExample[] = [];
  far: AnomalyExample[] = [];
  readonly values = new Map<string, number>();
  /** Out-of-vocabulary rows whose value the schema's domain lists (`reviewedValues`). */
  reviewed = 0;
  /** Text features: the tokens the model reads in non-null rows, those outside the vocabulary, and the most frequent of those. */
  tokens = 0;
  unknownTokens = 0;
  readonly unknownTop = new Map<string, number>();
  readonly limits: ReturnType<typeof farLimits> | null;
  /** Per file read: its rows and its non-finite and far rows, so a bad day is not diluted by a window of good ones. */
  readonly files = new Map<string, { rows: number; nonFinite: number; far: number }>();
  constructor(
    readonly feature: FittedFeature,
    /** The values of the feature's column the schema's domain lists, if it lists any. */
    readonly domain?: ReadonlySet<string>,
  ) {
    this.counts = { feature: feature.name, column: feature.column, missing: 0, nonFinite: 0, outOfVocabulary: 0, far: 0 };
    this.limits = feature.kind === 'numeric' || feature.kind === 'sequence' ? farLimits(feature) : null;
  }

  /** Back to no rows (new example lists: anomalies already returned keep theirs). */
  reset(): void {
    this.rows = 0;
    this.counts = { ...this.counts, missing: 0, nonFinite: 0, outOfVocabulary: 0, far: 0 };
    this.transformDomain = 0;
    this.farBelow = 0;
    this.farAbove = 0;
    this.furthest = null;
    if (this.nonFinite.length > 0) this.nonFinite = [];
    if (this.outOfVocabulary.length > 0) this.outOfVocabulary = [];
    if (this.far.length > 0) this.far = [];
    if (this.values.size > 0) this.values.clear();
    this.reviewed = 0;
    this.tokens = 0;
    this.unknownTokens = 0;
    if (this.unknownTop.size > 0) this.unknownTop.clear();
    this.files.clear();
  }
}

/** The counts of `file` in `s`, made on first use. */
function fileCounts(s: FeatureState, file: string): { rows: number; nonFinite: number; far: number } {
  let counts = s.files.get(file);
  if (counts === undefined) s.files.set(file, (counts = { rows: 0, nonFinite: 0, far: 0 }));
  return counts;
}

/** Rows of one kind a file needs before its own share is judged: a few odd values in a small file are no incident. */
const MIN_FILE_ROWS = 10;

/**
 * The file whose share of rows of `kind` is highest, when the rows came from several files
 * and it holds at least `MIN_FILE_ROWS` of them: a tenth of one day's distances in other
 * units is a tenth of that day, however many good days the window holds.
 */
function worstFile(s: FeatureState, kind: 'nonFinite' | 'far'): { file: string; count: number; rows: number; share: number } | null {
  if (s.files.size < 2) return null;
  let worst: { file: string; count: number; rows: number; share: number } | null = null;
  for (const [file, counts] of s.files) {
    const count = counts[kind];
    if (count < MIN_FILE_ROWS) continue;
    const share = count / counts.rows;
    if (worst === null || share > worst.share) worst = { file, count, rows: counts.rows, share };
  }
  return worst;
}

/** Whether `share` of the rows, and of the worst file's, is within `tolerance`; and the words on that file. */
function judgedShare(s: FeatureState, kind: 'nonFinite' | 'far', share: number, tolerance: number): { within: boolean; inFile: string } {
  const worst = worstFile(s, kind);
  const fileBeyond = worst !== null && worst.share > tolerance && worst.share > share;
  return {
    within: share <= tolerance && !fileBeyond,
    inFile: fileBeyond ? `; in ${worst.file}, ${worst.count} of ${worst.rows} rows (${percent(worst.share)})` : '',
  };
}

/**
 * Creates a checker of batches against the input domain of the model whose preprocessing
 * is `prep`. Pure: it reads the chunks it is given and nothing else.
 *
 * @throws UserError for a tolerance outside [0, 1)
 */
export function createInputDomainChecker(prep: Preprocessing, options: InputDomainOptions): InputDomainChecker {
  const tolerance = options.tolerance ?? DEFAULT_INPUT_TOLERANCE;
  if (!(tolerance >= 0 && tolerance < 1)) throw new UserError(`input domain: tolerance must be a share in [0, 1), got ${tolerance}`);
  const states = prep.features.filter((f) => f.transform !== 'cross').map((f) => new FeatureState(f, options.reviewedValues?.get(f.column)));
  let rows = 0;
  return {
    get rows() {
      return rows;
    },
    reset(): void {
      rows = 0;
      for (const state of states) state.reset();
    },
    add(table: Table): void {
      rows += table.rowCount;
      for (const state of states) addChunk(state, table);
    },
    imputed(): ImputedCounts[] {
      return states.map((s) => ({ ...s.counts }));
    },
    result(): Anomaly[] {
      const out: Anomaly[] = [];
      for (const s of states) {
        const f = s.feature;
        if (s.rows === 0) continue;
        if (s.counts.nonFinite > 0) out.push(nonFiniteAnomaly(s, tolerance, severityOf('input_non_finite', options.severity), options.model));
        if ((f.kind === 'categorical' || f.kind === 'text') && f.vocabulary !== undefined && s.counts.outOfVocabulary > 0) {
          const open = options.openColumns?.has(f.column) === true;
          const a = outOfVocabularyAnomaly(s, f, tolerance, open ? 'warning' : severityOf('input_out_of_vocabulary', options.severity), options.model);
          if (a !== null)
            out.push(open ? { ...a, message: `${a.message} (a warning: the schema lists no domain for column "${f.column}", so new values are expected)` } : a);
        }
        // Rows that hold some known token pass the row check: the share of unknown tokens is its own test.
        if (f.kind === 'text' && !out.some((a) => a.column === f.column && a.kind === 'input_out_of_vocabulary' && a.severity === 'error')) {
          const a = unknownTokensAnomaly(s, f, tolerance, severityOf('input_out_of_vocabulary', options.severity), options.model);
          if (a !== null) out.push(a);
        }
        if ((f.kind === 'numeric' || f.kind === 'sequence') && s.counts.far > 0)
          out.push(farAnomaly(s, f, tolerance, severityOf('input_far_from_training', options.severity), options.model));
      }
      // Stable: errors first, features in preprocessing order within each severity.
      return out.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
    },
  };
}

/** Runs the encoder over one chunk's column of a feature and keeps counts and examples. */
function addChunk(s: FeatureState, table: Table): void {
  const f = s.feature;
  const column = findColumn(table, f.column);
  // Missing or mistyped columns are the schema check's (and ct predict's) to report.
  if (column === undefined || featureColumnMismatch(f, column) !== null) return;
  s.rows += table.rowCount;
  const text = (row: number): string => String(valueAt(column, row));
  const limits = s.limits;
  const log = f.kind === 'numeric' && f.transform === 'log1p';
  const raw = column.type === 'number' ? column.values : null;
  // A text column is tokenised once for both the encoding and the count of unknown tokens below.
  const tokensOf = f.kind === 'text' && column.type === 'string' ? dictionaryTokens(column.dictionary, f.tokens) : undefined;
  for (const source of table.sources) fileCounts(s, source.file).rows += source.rows;
  const { counts } = encodeFeatureColumn(
    table,
    f,
    (row, reason, transformed) => {
      if (reason === 'nonFinite' || reason === 'far') fileCounts(s, locateRow(table, row).file)[reason]++;
      if (reason === 'nonFinite') {
        if (log && raw !== null && Number.isFinite(raw[row]!)) s.transformDomain++;
        if (s.nonFinite.length < MAX_EXAMPLES) s.nonFinite.push({ ...locateRow(table, row), value: text(row) });
      } else if (reason === 'outOfVocabulary') {
        const value = text(row);
        if (s.outOfVocabulary.length < MAX_EXAMPLES) s.outOfVocabulary.push({ ...locateRow(table, row), value });
        if (s.values.size < MAX_TALLIED || s.values.has(value)) s.values.set(value, (s.values.get(value) ?? 0) + 1);
        if (s.domain?.has(value) === true) s.reviewed++;
      } else {
        const below = transformed < limits!.low;
        if (below) s.farBelow++;
        else s.farAbove++;
        const distance = below ? limits!.low - transformed : transformed - limits!.high;
        if (s.furthest === null || distance > s.furthest.distance) s.furthest = { distance, value: text(row) };
        if (s.far.length < MAX_EXAMPLES) s.far.push({ ...locateRow(table, row), value: text(row) });
      }
    },
    tokensOf,
  );
  if (f.kind === 'text' && column.type === 'string') {
    const t = textTokenCounts(f, column, tokensOf);
    s.tokens += t.tokens;
    s.unknownTokens += t.unknown;
    for (const [token, n] of t.top) if (s.unknownTop.size < MAX_TALLIED || s.unknownTop.has(token)) s.unknownTop.set(token, (s.unknownTop.get(token) ?? 0) + n);
  }
  s.counts.missing += counts.missing;
  s.counts.nonFinite += counts.nonFinite;
  s.counts.outOfVocabulary += counts.outOfVocabulary;
  s.counts.far += counts.far;
}

/**
 * One line on the rows of a feature the encoder did not take as given, for logs:
 * `feature "origin" (column "origin"): 1203 of 200000 rows (0.60%) imputed as id 0: 3 missing, 1200 out of vocabulary`;
 * null when there are none.
 */
export function imputedSummary(f: FittedFeature, c: ImputedCounts, rows: number): string | null {
  const imputed = c.missing + c.nonFinite + c.outOfVocabulary;
  if (imputed === 0 && c.far === 0) return null;
  const reasons = [
    c.missing > 0 ? `${c.missing} missing` : '',
    c.nonFinite > 0
      ? f.kind === 'sequence'
        ? `${c.nonFinite} not ${f.length} numbers`
        : `${c.nonFinite} non-finite${f.kind === 'numeric' && f.transform === 'log1p' ? ' after log1p' : ''}`
      : '',
    c.outOfVocabulary > 0 ? `${c.outOfVocabulary} out of vocabulary` : '',
  ].filter((r) => r !== '');
  const as = f.kind === 'numeric' || f.kind === 'sequence' ? 'the training mean' : f.kind === 'text' ? 'padding and unknown tokens' : 'id 0';
  const parts = imputed > 0 ? [`${imputed} of ${rows} rows (${percent(imputed / Math.max(rows, 1))}) imputed as ${as}: ${reasons.join(', ')}`] : [];
  if (c.far > 0) parts.push(`${c.far} of ${rows} rows far from the training range (kept as they are)`);
  return `feature "${f.name}" (column "${f.column}"): ${parts.join('; ')}`;
}

function nonFiniteAnomaly(s: FeatureState, tolerance: number, severity: Severity, model: string): Anomaly {
  const f = s.feature;
  const count = s.counts.nonFinite;
  const share = count / s.rows;
  const inputs = count - s.transformDomain;
  const why =
    f.kind === 'numeric' && f.transform === 'log1p'
      ? inputs === 0
        ? 'log1p of a value <= -1'
        : s.transformDomain === 0
          ? 'NaN or infinite values in the data'
          : `log1p of a value <= -1 in ${s.transformDomain} rows, NaN or infinite values in the data in ${inputs}`
      : f.kind === 'sequence'
        ? `cells that are not exactly ${f.length} numbers`
        : f.transform === 'hourOfDay' || f.transform === 'dayOfWeek'
          ? 'NaN or infinite timestamps'
          : f.transform === 'bucketize'
            ? 'NaN values: no bucket'
            : 'NaN or infinite values in the data';
  const as =
    f.kind === 'numeric'
      ? `an average ${f.column} (the training mean${f.transform === 'log1p' ? ` of log1p, ${num(f.mean)}` : `, ${num(f.mean)}`})`
      : f.kind === 'sequence'
        ? `a ${f.column} padded with the training mean (${num(f.mean)}) where numbers are missing`
        : `a missing ${f.column} (id 0)`;
  const todo = f.kind === 'numeric' && f.transform === 'log1p' ? "Fix the data, or change the feature's transform" : 'Fix the data';
  const { within, inFile } = judgedShare(s, 'nonFinite', share, tolerance);
  const scope = within ? ` That is within the tolerance of ${percent(tolerance)} of rows, so a warning` : ` (tolerance: ${percent(tolerance)} of rows)`;
  return {
    column: f.column,
    kind: 'input_non_finite',
    severity: within ? 'warning' : severity,
    count,
    share,
    examples: s.nonFinite,
    message: `${describe(f)}: ${count} of ${s.rows} rows (${percent(share)}${inFile}) give a non-finite value (${why}); ${model} would silently score them as ${as}. ${todo}${within ? `.${scope}` : `${scope}`}`,
  };
}

function outOfVocabularyAnomaly(s: FeatureState, f: CategoricalFeature | TextFeature, tolerance: number, severity: Severity, model: string): Anomaly | null {
  const count = s.counts.outOfVocabulary;
  const n = s.rows - s.counts.missing;
  const share = count / n;
  const recorded = typeof f.outOfVocabularyShare === 'number' && Number.isFinite(f.outOfVocabularyShare);
  const base = recorded ? f.outOfVocabularyShare! : 0;
  const limit = acceptedUnknownShare(base, n, recorded ? tolerance : LEGACY_OUT_OF_VOCABULARY_SHARE);
  const flagged = share > limit;
  // Within the margin it is noise around training's share, unless training saw none at all.
  if (!flagged && !(recorded && base === 0)) return null;
  // Values a person listed in the schema are the model's to learn: only the others can stop the run.
  const reviewedOnly = flagged && s.reviewed > 0 && (count - s.reviewed) / n <= limit;
  const text = f.kind === 'text';
  const training = recorded
    ? `training had ${percent(base)}${base > 0 ? ` (rare ${text ? 'tokens' : 'values'} cut by maxVocabulary / minCount)` : ''}`
    : `training's share is not recorded (preprocessing.json from an older ct), so up to ${percent(LEGACY_OUT_OF_VOCABULARY_SHARE)} is accepted`;
  const tail = reviewedOnly
    ? `more than the ${percent(limit)} accepted, but ${s.reviewed} of them hold values the schema's domain for column "${f.column}" lists, valid values newer than the model, so a warning`
    : flagged
      ? `more than the ${percent(limit)} accepted (training's share plus a margin for its tail and for a batch of this size)`
      : `within the ${percent(limit)} accepted for a batch of this size, so a warning`;
  const top = mostFrequent(s.values);
  return {
    column: f.column,
    kind: 'input_out_of_vocabulary',
    severity: flagged && !reviewedOnly ? severity : 'warning',
    count,
    share,
    examples: s.outOfVocabulary,
    message:
      `${describe(f)}: ${count} of ${n} non-null rows (${percent(share)}) hold ${text ? 'no token the vocabulary knows' : 'values not in the vocabulary'}, ${training}; ${tail}. ` +
      `Most frequent: ${top}. ${model} would silently score them as ${text ? `a ${f.column} of unknown tokens (id 1)` : `an unknown ${f.column} (id 0)`}. ` +
      'If the values are valid, retrain so the vocabulary includes them (or raise maxVocabulary / lower minCount); else fix the data',
  };
}

/** The five most frequent of `tally`, ties by value: `SFO (12), LAX (3)`. */
function mostFrequent(tally: ReadonlyMap<string, number>): string {
  return mostFrequentFirst(tally, 5)
    .map(([v, k]) => `${v} (${k})`)
    .join(', ');
}

/**
 * A text feature whose share of unknown tokens (id 1) is beyond training's by more than
 * the tolerance and the noise of a batch of this many tokens: rows keep a known word or
 * two while the rest of their text is new to the model (another language, a new product
 * line). Null when it is within.
 */
function unknownTokensAnomaly(s: FeatureState, f: TextFeature, tolerance: number, severity: Severity, model: string): Anomaly | null {
  const n = s.tokens;
  if (n === 0 || s.unknownTokens === 0) return null;
  const share = s.unknownTokens / n;
  const base = f.unknownTokenShare;
  const limit = acceptedUnknownShare(base, n, tolerance);
  if (share <= limit) return null;
  const top = mostFrequent(s.unknownTop);
  return {
    column: f.column,
    kind: 'input_out_of_vocabulary',
    severity,
    count: s.unknownTokens,
    share,
    examples: s.outOfVocabulary,
    message:
      `${describe(f)}: ${s.unknownTokens} of ${n} ${f.tokens} the model reads (${percent(share)}) are not in the vocabulary, training had ${percent(base)}; ` +
      `more than the ${percent(limit)} accepted (training's share plus a margin for its tail and for this many ${f.tokens}). Most frequent: ${top}. ` +
      `${model} would read each of them as the one unknown token (id 1). If the text is valid, retrain so the vocabulary includes it (or raise maxVocabulary / lower minCount); else fix the data`,
  };
}

function farAnomaly(s: FeatureState, f: NumericFeature | SequenceFeature, tolerance: number, severity: Severity, model: string): Anomaly {
  const count = s.counts.far;
  const share = count / s.rows;
  const limits = s.limits!;
  const log = f.kind === 'numeric' && f.transform === 'log1p';
  // Values in the column's units too: a reviewer knows miles, not log1p(miles).
  const both = (x: number): string => (log ? `${num(x)} (${f.column} ${num(Math.expm1(x))})` : num(x));
  const unit = log ? `log1p(${f.column})` : f.column;
  const training =
    limits.rule === 'range'
      ? `training's ${unit} ranged ${both(f.min!)} .. ${both(f.max!)}, and values more than half that span beyond either end (below ${both(limits.low)} or above ${both(limits.high)}) are far`
      : `${typeof f.min === 'number' ? "training's values were all equal" : "training's range is not recorded (preprocessing.json from an older ct)"}, so values more than ${FAR_Z} standard deviations from the training mean (${unit} below ${both(limits.low)} or above ${both(limits.high)}) count as far`;
  const sides = [s.farBelow > 0 ? `${s.farBelow} below` : '', s.farAbove > 0 ? `${s.farAbove} above` : ''].filter((x) => x !== '').join(', ');
  const { within, inFile } = judgedShare(s, 'far', share, tolerance);
  return {
    column: f.column,
    kind: 'input_far_from_training',
    severity: within ? 'warning' : severity,
    count,
    share,
    examples: s.far,
    message:
      `${describe(f)}: ${count} of ${s.rows} rows (${percent(share)}; ${sides}${inFile}) are far from the values training saw: ${training}; the furthest is ${f.column} ${s.furthest?.value ?? '?'}. ` +
      `${model} never learned what such values mean and would extrapolate. Check the data (units, sentinels such as 99999); if the values are real, retrain on data that holds them` +
      (within ? `. That is within the tolerance of ${percent(tolerance)} of rows, so a warning` : ` (tolerance: ${percent(tolerance)} of rows)`),
  };
}

/** `feature "log_distance" (log1p of column "distance")`. */
function describe(f: FittedFeature): string {
  const column = `column "${f.column}"`;
  const how =
    f.kind === 'numeric'
      ? f.transform === 'log1p'
        ? `log1p of ${column}`
        : column
      : f.kind === 'text'
        ? `${f.tokens} of ${column}, a vocabulary of ${f.vocabulary.length}`
        : f.kind === 'sequence'
          ? `${f.length} numbers per row of ${column}`
          : f.transform === 'hourOfDay'
            ? `hour of day of ${column}`
            : f.transform === 'dayOfWeek'
              ? `day of week of ${column}`
              : f.transform === 'bucketize'
                ? `buckets of ${column}`
                : `vocabulary of ${f.vocabulary?.length ?? 0} values of ${column}`;
  return `feature "${f.name}" (${how})`;
}

/** A number for a message: 4 significant digits, integers as they are. */
function num(x: number): string {
  return Number.isInteger(x) || !Number.isFinite(x) ? String(x) : String(Number(x.toPrecision(4)));
}
