/**
 * Anomaly detection against a data schema, fed one chunk of rows at a time so a
 * batch of any size is checked in bounded memory. Kinds and severities follow TFDV,
 * plus what its users asked for (ranges, duplicates, row counts), plus the hard
 * constraints inferred into the schema (sign, whole numbers, a tolerance band).
 */
import { parseTextAs } from '../data/infer.js';
import { hashText, mixHash } from '../data/hash.js';
import { type Column, findColumn, locateRow, stringColumnOf, type Table } from '../data/table.js';
import { type AnomalyKind, boundValue, type ColumnSchema, DEFAULT_CONSTRAINT_TOLERANCE, type DataSchema, DEFAULT_SEVERITY, type Severity } from './schema.js';
import { MS_PER_DAY } from '../time.js';
import { percent } from '../words.js';

export interface AnomalyExample {
  file: string;
  /** 1-based data row within the file (the header is not counted). */
  row: number;
  /** The offending value, as text, when there is one. */
  value?: string;
}

export interface Anomaly {
  column: string | null;
  kind: AnomalyKind;
  severity: Severity;
  count: number;
  /** `count` as a share of the batch's rows; for the constraint kinds (negative_value, non_integer, outside_band), of the column's non-null values, as compared with the tolerance. */
  share: number;
  examples: AnomalyExample[];
  message: string;
}

/**
 * The anomaly's message and, where the message does not already name its file, where it
 * was first seen: ` (first at data/x.csv row 8,002: date)`.
 */
export function anomalyText(a: Anomaly): string {
  const e = a.examples[0];
  if (e === undefined || a.message.includes(e.file)) return a.message;
  return `${a.message} (first at ${e.file} row ${e.row.toLocaleString('en-US')}${e.value === undefined ? '' : `: ${e.value}`})`;
}

export interface CheckerOptions {
  /** Severity per kind, overriding the defaults (the schema's per-column severities win). */
  severity?: Partial<Record<AnomalyKind, Severity>>;
  /** Accepted number of rows of the batch; outside it: row_count_out_of_range. */
  expectedRows?: { min?: number; max?: number; reason: string };
  /** Check for duplicate rows (default true). */
  duplicates?: boolean;
  /**
   * The time column of a batch of daily partitions (`YYYY-MM-DD.<ext>` files): rows whose
   * UTC day is not the day their file is named for are `outside_partition`.
   */
  partitionTime?: string;
}

export interface AnomalyChecker {
  /** Checks one chunk of rows; chunks arrive in file order. */
  add(chunk: Table): void;
  /** All anomalies found, errors first. */
  result(): Anomaly[];
  /** Rows seen so far. */
  readonly rows: number;
  /**
   * Forgets every chunk added, so the checker can check another batch (`ct serve` keeps one
   * per model instead of building one per request). Anomalies already returned are kept as
   * they were.
   */
  reset(): void;
}

const MAX_EXAMPLES = 20;
/** Duplicate detection keeps one 52-bit hash per distinct row, up to this many rows (32 MB). */
const DUPLICATE_CAPACITY_LOG2 = 22;

/** One finding being counted across chunks. */
class Finding {
  count = 0;
  examples: AnomalyExample[] = [];
  /** Counts by value, made at the first tally (most findings of a served request never see one). */
  private values: Map<string, number> | null = null;
  /** Lowest and highest value hit (numbers only: `see`). */
  low = Infinity;
  high = -Infinity;
  /** Hits per file, where a file's share matters (the inferred constraints' tolerance is per partition). */
  byFile: Map<string, number> | null = null;
  hit(chunk: Table, row: number, value?: string): void {
    this.count++;
    if (this.byFile !== null) {
      const file = locateRow(chunk, row).file;
      this.byFile.set(file, (this.byFile.get(file) ?? 0) + 1);
    }
    if (this.examples.length < MAX_EXAMPLES) this.examples.push(value === undefined ? locateRow(chunk, row) : { ...locateRow(chunk, row), value });
  }
  /** Counts by value, for messages like "unseen values: XNA (12), YZZ (3)". */
  tally(value: string, n = 1): void {
    this.values ??= new Map();
    if (this.values.size < 1000 || this.values.has(value)) this.values.set(value, (this.values.get(value) ?? 0) + n);
  }
  /** Back to no hits; an untouched finding costs nothing (returned anomalies keep their examples). */
  reset(): void {
    if (this.count === 0 && this.values === null) return;
    this.count = 0;
    this.examples = [];
    this.values = null;
    this.low = Infinity;
    this.high = -Infinity;
    this.byFile?.clear();
  }
  /** Records the value of a numeric hit, for messages like "lowest -12". */
  see(x: number): void {
    if (x < this.low) this.low = x;
    if (x > this.high) this.high = x;
  }
  topValues(k = 5): string {
    return [...(this.values ?? new Map<string, number>()).entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([v, n]) => `${v} (${n})`)
      .join(', ');
  }
}

/**
 * The domain of a schema column as a set, built once per domain list: `ct serve` makes a
 * checker per request, and a domain of a few hundred airports is not rebuilt each time.
 * A list that changed length (a schema updated in place) gets a new set.
 */
const domainSets = new WeakMap<readonly string[], { length: number; set: Set<string> }>();
function domainSet(domain: readonly string[]): Set<string> {
  let cached = domainSets.get(domain);
  if (cached?.length !== domain.length) {
    cached = { length: domain.length, set: new Set(domain) };
    domainSets.set(domain, cached);
  }
  return cached.set;
}

/** Per-column state across chunks. */
class ColumnState {
  rows = 0;
  present = 0;
  /** Files of the rows without the column: where to look. */
  readonly absentFrom = new Set<string>();
  nulls = Object.assign(new Finding(), { byFile: new Map<string, number>() });
  typeMismatch = new Finding();
  unparseable = new Finding();
  nonFinite = new Finding();
  belowConstraint = new Finding();
  aboveConstraint = new Finding();
  outsideInferred = new Finding();
  negative = Object.assign(new Finding(), { byFile: new Map<string, number>() });
  nonInteger = Object.assign(new Finding(), { byFile: new Map<string, number>() });
  outsideBand = Object.assign(new Finding(), { byFile: new Map<string, number>() });
  /**
   * Rows per file where the column is present: a share of one partition (nulls of its rows,
   * broken constraints of its values, `valuesIn`) is judged on that partition, not diluted by the window.
   */
  rowsByFile = new Map<string, number>();
  unseen = Object.assign(new Finding(), { byFile: new Map<string, number>() });
  regex = new Finding();
  unique = new Finding();
  seen: Set<string> | null;
  seenTypes = new Set<string>();
  readonly min: number | undefined;
  readonly max: number | undefined;
  readonly rangeMin: number | undefined;
  readonly rangeMax: number | undefined;
  /** Inferred constraints of a number column (inactive otherwise: false, ±Infinity). */
  readonly nonNegative: boolean;
  readonly integer: boolean;
  readonly bandMin: number;
  readonly bandMax: number;
  readonly tolerance: number;
  readonly domain: Set<string> | null;
  readonly pattern: RegExp | null;
  constructor(readonly schema: ColumnSchema) {
    this.min = boundValue(schema, schema.min);
    this.max = boundValue(schema, schema.max);
    this.rangeMin = boundValue(schema, schema.range?.min);
    this.rangeMax = boundValue(schema, schema.range?.max);
    const k = schema.type === 'number' ? schema.constraints : undefined;
    this.nonNegative = k?.nonNegative === true;
    this.integer = k?.integer === true;
    this.bandMin = k?.band?.min ?? -Infinity;
    this.bandMax = k?.band?.max ?? Infinity;
    // The tolerance is the one constraint of any column type (it also holds a column never null).
    this.tolerance = schema.constraints?.tolerance ?? DEFAULT_CONSTRAINT_TOLERANCE;
    this.domain = schema.domain === undefined ? null : domainSet(schema.domain);
    this.pattern = schema.regex === undefined ? null : new RegExp(`^(?:${schema.regex})$`);
    this.seen = schema.unique === true ? new Set() : null;
  }

  /** The column's non-null values in `file`: its rows there less its nulls. */
  valuesIn(file: string): number {
    return (this.rowsByFile.get(file) ?? 0) - (this.nulls.byFile.get(file) ?? 0);
  }

  /** Back to no rows seen. */
  reset(): void {
    this.rows = 0;
    this.present = 0;
    this.absentFrom.clear();
    for (const f of [this.nulls, this.typeMismatch, this.unparseable, this.nonFinite, this.belowConstraint, this.aboveConstraint, this.outsideInferred])
      f.reset();
    for (const f of [this.negative, this.nonInteger, this.outsideBand, this.unseen, this.regex, this.unique]) f.reset();
    if (this.rowsByFile.size > 0) this.rowsByFile.clear();
    this.seen?.clear();
    if (this.seenTypes.size > 0) this.seenTypes.clear();
  }
}

/** Field separators an export may use instead of a comma. */
const OTHER_DELIMITERS = [';', '\t', '|'];

/** The separator (as a message names it) `name` splits at into at least two of the `known` columns: a header read with the wrong delimiter. */
function otherDelimiter(name: string, known: ReadonlySet<string>): string | null {
  for (const d of OTHER_DELIMITERS) {
    const parts = name.split(d);
    if (parts.length >= 2 && parts.filter((p) => known.has(p.trim())).length >= 2) return d === '\t' ? 'tabs' : `"${d}"`;
  }
  return null;
}

/** A header name that is a value: a number or a date, as the first row of a file without a header holds. */
const VALUE_NAME = /^\s*(?:[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|\d{4}-\d{2}-\d{2}\b.*)\s*$/i;

/**
 * Files whose header explains every schema column they lack, each with the line that says
 * how: a header whose one name is the schema's columns joined by another delimiter, or no
 * header at all (as many names as the schema has columns, lacking all of them, some of the
 * names values). Their columns are then not reported one by one as missing and new.
 */
function misreadHeaders(
  newColumns: ReadonlyMap<string, { files: ReadonlySet<string> }>,
  states: readonly ColumnState[],
  known: ReadonlySet<string>,
): Map<string, string> {
  const namesOf = new Map<string, string[]>();
  for (const [name, { files }] of newColumns) for (const file of files) namesOf.set(file, [...(namesOf.get(file) ?? []), name]);
  const out = new Map<string, string>();
  for (const [file, names] of namesOf) {
    const lacked = states.filter((s) => s.absentFrom.has(file));
    if (lacked.length === 0) continue;
    const joined = names.length === 1 ? otherDelimiter(names[0]!, known) : null;
    if (joined !== null) {
      out.set(
        file,
        `${file}: its header "${names[0]}" is the schema's columns joined by ${joined}, so the file separates its fields with ${joined}, not commas. Export it with commas`,
      );
    } else if (lacked.length === states.length && names.length === states.length && names.some((n) => VALUE_NAME.test(n))) {
      const first = names.map((n) => n.trim()).join(', ');
      const columns = states.map((s) => s.schema.name).join(', ');
      out.set(
        file,
        `${file} has no header row: its first row (${first}) was read as the column names, and every column of the schema is missing. Put a header row naming its columns first (the schema's: ${columns})`,
      );
    }
  }
  return out;
}

/** Creates a checker for batches that should follow `schema`. */
export function createAnomalyChecker(schema: DataSchema, options: CheckerOptions = {}): AnomalyChecker {
  const states = schema.columns.map((c) => new ColumnState(c));
  const known = new Set(schema.columns.map((c) => c.name));
  const newColumns = new Map<string, { type: string; rows: number; files: Set<string> }>();
  const duplicates = options.duplicates === false ? null : new RowHashSet(DUPLICATE_CAPACITY_LOG2);
  const duplicateFinding = new Finding();
  const outsideFinding = new Finding();
  let rows = 0;
  const fileRows = new Map<string, number>();

  return {
    get rows() {
      return rows;
    },
    reset(): void {
      rows = 0;
      fileRows.clear();
      for (const state of states) state.reset();
      newColumns.clear();
      duplicates?.clear();
      duplicateFinding.reset();
      outsideFinding.reset();
    },
    add(chunk: Table): void {
      rows += chunk.rowCount;
      for (const source of chunk.sources) fileRows.set(source.file, (fileRows.get(source.file) ?? 0) + source.rows);
      for (const state of states) checkColumn(state, chunk);
      for (const column of chunk.columns) {
        if (known.has(column.name)) continue;
        const entry = newColumns.get(column.name) ?? { type: column.type, rows: 0, files: new Set<string>() };
        entry.rows += chunk.rowCount;
        for (const source of chunk.sources) entry.files.add(source.file);
        newColumns.set(column.name, entry);
      }
      if (duplicates !== null) findDuplicates(chunk, duplicates, duplicateFinding);
      if (options.partitionTime !== undefined) findOutsidePartition(chunk, options.partitionTime, outsideFinding);
    },
    result(): Anomaly[] {
      const out: Anomaly[] = [];
      const severityOf = (kind: AnomalyKind, column?: ColumnSchema, fallback?: Severity): Severity =>
        column?.severity?.[kind] ?? options.severity?.[kind] ?? fallback ?? DEFAULT_SEVERITY[kind];
      const push: Push = (kind, column, f, message, how = {}) => {
        out.push({
          column: column?.name ?? null,
          kind,
          severity: how.severity ?? severityOf(kind, column ?? undefined, how.fallback),
          count: f.count,
          share: how.share ?? (rows === 0 ? 0 : f.count / rows),
          examples: f.examples,
          message,
        });
      };
      if (rows === 0) push('empty_batch', null, { count: 0, examples: [] }, 'the batch has no rows');
      if (options.expectedRows !== undefined && rows > 0) {
        const { min, max, reason } = options.expectedRows;
        if ((min !== undefined && rows < min) || (max !== undefined && rows > max)) {
          push('row_count_out_of_range', null, { count: rows, examples: [] }, `the batch has ${rows} rows, expected ${min ?? 0}..${max ?? '∞'} (${reason})`);
        }
      }
      const misread = misreadHeaders(newColumns, states, known);
      const explained = (files: ReadonlySet<string>): boolean => files.size > 0 && [...files].every((f) => misread.has(f));
      for (const [file, message] of misread) push('missing_column', null, { count: fileRows.get(file) ?? 0, examples: [] }, message);
      for (const s of states) reportColumn(s, rows, push, explained(s.absentFrom));
      for (const [name, info] of newColumns) {
        if (explained(info.files)) continue;
        const delimiter = otherDelimiter(name, known);
        push(
          'new_column',
          null,
          { count: info.rows, examples: [] },
          delimiter === null
            ? `column "${name}" (${info.type})${inFiles(info.files)} is not in the schema: the export changed. If the column is meant to be there, add it (ct validate --update-schema shows the change), else fix the export`
            : `column "${name}" (${info.type})${inFiles(info.files)} is not in the schema: its name is the schema's columns joined by ${delimiter}, so the file separates its fields with ${delimiter}, not commas. Export it with commas`,
        );
        out[out.length - 1]!.column = name;
      }
      if (duplicateFinding.count > 0 || duplicates?.full === true) {
        const coverage = duplicates?.full === true ? ` (checked the first ${duplicates.size} distinct rows only)` : '';
        if (duplicateFinding.count > 0)
          push('duplicate_rows', null, duplicateFinding, `${duplicateFinding.count} rows repeat an earlier row exactly${coverage}`);
      }
      if (outsideFinding.count > 0) {
        const time = states.find((st) => st.schema.name === options.partitionTime)?.schema ?? null;
        push(
          'outside_partition',
          time,
          outsideFinding,
          `${outsideFinding.count} rows have a "${options.partitionTime}" on another day than the one their partition file is named for (late or misfiled rows; the window and the time split go by file names)`,
        );
        out[out.length - 1]!.column = options.partitionTime!;
      }
      return out.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
    },
  };
}

const PARTITION_FILE = /(?:^|[/\\])(\d{4})-(\d{2})-(\d{2})\.[A-Za-z]+$/;

/** Rows of each `YYYY-MM-DD.<ext>` source whose time falls on another UTC day. */
function findOutsidePartition(chunk: Table, name: string, finding: Finding): void {
  const column = findColumn(chunk, name);
  if (column === undefined || column.type !== 'timestamp') return; // reported as missing or mistyped by its own check
  for (const source of chunk.sources) {
    const m = PARTITION_FILE.exec(source.file);
    if (m === null) continue;
    const day = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / MS_PER_DAY;
    for (let row = source.start; row < source.start + source.rows; row++) {
      const t = column.values[row]!;
      if (Number.isNaN(t) || (column.nulls !== null && column.nulls[row] === 1)) continue;
      if (Math.floor(t / MS_PER_DAY) !== day) finding.hit(chunk, row, new Date(t).toISOString());
    }
  }
}

/**
 * Records an anomaly. `how.fallback`: the severity when neither config nor schema sets one
 * (instead of the kind's default); `how.severity`: this severity whatever they set;
 * `how.share`: the share to report (default: of the batch's rows).
 */
type Push = (
  kind: AnomalyKind,
  column: ColumnSchema | null,
  f: { count: number; examples: AnomalyExample[] },
  message: string,
  how?: { fallback?: Severity; severity?: Severity; share?: number },
) => void;

/** What to do about a broken schema constraint: fix the data, or if `real`, change the schema (`change`). */
const schemaAdvice = (real: string, change: string): string =>
  `Fix the data, or if ${real}, ${change} in the schema (ct validate --update-schema proposes the change)`;

/** Files named in a message at most; the rest are counted. */
const SHOWN_FILES = 3;

/** " in <file>", " in 2 files: <a>, <b>", " in 12 files: <a>, <b>, <c> and 9 more"; empty without files (rows read from no file). */
export function inFiles(files: ReadonlySet<string>): string {
  const list = [...files];
  if (list.length === 0) return '';
  if (list.length === 1) return ` in ${list[0]}`;
  const more = list.length > SHOWN_FILES ? ` and ${list.length - SHOWN_FILES} more` : '';
  return ` in ${list.length} files: ${list.slice(0, SHOWN_FILES).join(', ')}${more}`;
}

/** `n` values, or 1 value. */
function nValues(n: number): string {
  return n === 1 ? '1 value' : `${n} values`;
}

/** `share` as a percentage with the digits that tell it apart from the `limit` it exceeds (8.01%, not 8.0%). */
function percentAbove(share: number, limit: number): string {
  for (let digits = 1; digits < 6; digits++) if ((share * 100).toFixed(digits) !== (limit * 100).toFixed(digits)) return `${(share * 100).toFixed(digits)}%`;
  return percent(share);
}

/** Reports one column's findings; `absenceExplained`: the files it is missing from have a misread header, reported once for each. */
function reportColumn(s: ColumnState, rows: number, push: Push, absenceExplained: boolean): void {
  const c = s.schema;
  const name = `column "${c.name}"`;
  if (!absenceExplained && (s.present < s.rows || (s.present === 0 && rows > 0))) {
    const missing = rows - s.present;
    const where = s.present > 0 ? ` from ${missing} of ${rows} rows` : '';
    push('missing_column', c, { count: missing, examples: [] }, `${name} (${c.type}) is missing${where}${inFiles(s.absentFrom)}`);
  }
  if (s.present === 0) return;
  if (s.typeMismatch.count > 0) {
    push('type_mismatch', c, s.typeMismatch, `${name} is ${[...s.seenTypes].join('/')} in ${s.typeMismatch.count} rows, the schema says ${c.type}`);
  }
  if (s.unparseable.count > 0) {
    push(
      'unparseable_value',
      c,
      s.unparseable,
      `${name}: ${s.unparseable.count === 1 ? `1 value is not a ${c.type === 'timestamp' ? 'date or time' : c.type}` : `${s.unparseable.count} values are not ${c.type === 'timestamp' ? 'dates or times' : `${c.type}s`}`}: ${s.unparseable.topValues()}`,
    );
  }
  if (s.nulls.count === s.present) {
    push('all_null', c, s.nulls, `${name} is null in every row`);
  } else if (c.maxNullFraction === 0 && s.nulls.count > 0) {
    // Never null in the reference: a hard constraint like the sign, so a few nulls within the tolerance (a join that missed a row) are a warning.
    const judged = judgedShare(s, s.nulls, s.present, 'rows');
    const within = judged.share <= s.tolerance;
    push(
      'nulls_above_threshold',
      c,
      s.nulls,
      `${name}: ${judged.counted} are null, where the schema allows none (maxNullFraction 0). ${
        within ? withinTolerance(s.tolerance, 'rows') : schemaAdvice('the values are really missing', 'raise maxNullFraction')
      }`,
      within ? { severity: 'warning', share: judged.share } : { share: judged.share },
    );
  } else if (s.nulls.count / s.present > c.maxNullFraction) {
    push(
      'nulls_above_threshold',
      c,
      s.nulls,
      `${name} is null in ${percentAbove(s.nulls.count / s.present, c.maxNullFraction)} of rows (${s.nulls.count}), the schema allows ${percent(c.maxNullFraction)}. ${schemaAdvice('the values are really missing', 'raise maxNullFraction')}`,
    );
  }
  if (s.nonFinite.count > 0) push('non_finite', c, s.nonFinite, `${name} holds ${s.nonFinite.count} NaN or infinite values`);
  const show = (v: number | undefined): string => (v === undefined ? '' : c.type === 'timestamp' ? new Date(v).toISOString() : String(v));
  if (s.belowConstraint.count > 0)
    push(
      'out_of_range',
      c,
      s.belowConstraint,
      `${name}: ${nValues(s.belowConstraint.count)} below the minimum ${show(s.min)}. ${schemaAdvice('they are valid', 'lower min')}`,
    );
  if (s.aboveConstraint.count > 0)
    push(
      'out_of_range',
      c,
      s.aboveConstraint,
      `${name}: ${nValues(s.aboveConstraint.count)} above the maximum ${show(s.max)}. ${schemaAdvice('they are valid', 'raise max')}`,
    );
  if (s.outsideInferred.count > 0) {
    push(
      'out_of_range',
      c,
      s.outsideInferred,
      `${name}: ${nValues(s.outsideInferred.count)} outside the range seen in the reference data, ${show(s.rangeMin)}..${show(s.rangeMax)} (widen "range" in the schema if they are valid)`,
      { fallback: 'warning' },
    );
  }
  reportConstraints(s, push);
  if (s.unseen.count > 0) {
    // Within maxUnseenShare new values are plausibly real (a new airport): a warning a person reads, not a stopped run.
    const allowed = c.maxUnseenShare ?? 0;
    const judged = judgedShare(s, s.unseen, s.present - s.nulls.count);
    const within = judged.share <= allowed;
    push(
      'unseen_category',
      c,
      s.unseen,
      `${name}: ${judged.counted} are outside the domain, allowed ${percent(allowed)} (maxUnseenShare)${
        judged.partOfBatch ? `; in all the batch's ${s.unseen.count} such rows` : ''
      }: ${s.unseen.topValues()}. ${
        within
          ? 'Within the allowance new values are plausibly real, so only a warning: if they are valid, add them to the domain in the schema (ct validate --update-schema proposes the change)'
          : schemaAdvice('they are valid values', 'add them to the domain')
      }`,
      within ? { severity: 'warning', share: judged.share } : { share: judged.share },
    );
  }
  if (s.regex.count > 0)
    push(
      'regex_mismatch',
      c,
      s.regex,
      `${name}: ${nValues(s.regex.count)} ${s.regex.count === 1 ? 'does' : 'do'} not match /${c.regex}/: ${s.regex.topValues()}`,
    );
  if (s.unique.count > 0)
    push(
      'unique_violation',
      c,
      s.unique,
      `${name} should be unique, ${nValues(s.unique.count)} ${s.unique.count === 1 ? 'repeats' : 'repeat'}: ${s.unique.topValues()}`,
    );
}

/**
 * The anomalies of a column's inferred constraints. The share is of the column's non-null
 * values; above `tolerance` the kind's severity applies (error unless config or schema say
 * otherwise), within it the finding is only a warning: a few odd rows in a large batch
 * should be looked at, not stop a run.
 */
function reportConstraints(s: ColumnState, push: Push): void {
  const c = s.schema;
  const values = s.present - s.nulls.count;
  const tolerance = s.tolerance;
  const report = (kind: AnomalyKind, f: Finding, what: string, why: string, field: string, relax: string): void => {
    if (f.count === 0) return;
    const share = values === 0 ? 0 : f.count / values;
    const judged = judgedShare(s, f, values);
    // A band is inferred from a tail's extremes, and a heavy tail's next extreme may land past it: one value beyond it in a
    // partition is an extreme (a delay of 636 minutes on a day of 300 flights, where 4,200 reference rows reached 381); more are a defect.
    const oneExtreme = field === 'band' && Math.max(0, ...(f.byFile?.values() ?? [f.count])) <= 1;
    const withinShare = judged.share <= tolerance;
    const within = withinShare || oneExtreme;
    const todo = withinShare
      ? withinTolerance(tolerance, 'values')
      : oneExtreme
        ? "One value beyond the band in a partition may be a heavy tail's next extreme, so only a warning: check the example row; two or more in a partition, above the tolerance, are an error"
        : `Fix the data, or if ${relax}, ${field === 'band' ? 'widen' : 'remove'} constraints.${field} (ct validate --update-schema proposes the change)`;
    push(kind, c, f, `column "${c.name}": ${judged.counted} ${what}; ${why}. ${todo}`, within ? { severity: 'warning', share } : { share: judged.share });
  };
  const spread = (f: Finding): string => (f.low === f.high ? String(f.low) : `${f.low} to ${f.high}`);
  report(
    'negative_value',
    s.negative,
    `are negative (${s.negative.low === s.negative.high ? s.negative.low : `lowest ${s.negative.low}`})`,
    'every one of the reference values was >= 0 (constraints.nonNegative in the schema)',
    'nonNegative',
    'negative values are now valid',
  );
  report(
    'outside_band',
    s.outsideBand,
    `are outside ${s.bandMin}..${s.bandMax} (${spread(s.outsideBand)})`,
    `that band (constraints.band in the schema) is the range of the reference values${c.range === undefined ? '' : `, ${String(c.range.min)}..${String(c.range.max)},`} widened by half its span on each side (more on a side whose tail reaches farther): values beyond it are implausible, not just new`,
    'band',
    'such values are now valid',
  );
  report(
    'non_integer',
    s.nonInteger,
    `are not whole numbers (e.g. ${s.nonInteger.examples[0]?.value ?? s.nonInteger.low})`,
    'every one of the reference values was a whole number (constraints.integer in the schema)',
    'integer',
    'fractional values are now valid',
  );
}

/** What to do about a finding within its tolerance, a share of the column's `noun`. */
function withinTolerance(tolerance: number, noun: 'values' | 'rows'): string {
  return `That is within the tolerance of ${percent(tolerance)} of ${noun} (constraints.tolerance), so only a warning: check the example rows; above the tolerance it is an error`;
}

/**
 * The share by which a finding is judged: of the column's `values` in the batch (its rows
 * with `noun` "rows"), or of one partition's where that is larger (one bad day in a window
 * of good ones is still a bad day), with the words that count it.
 */
function judgedShare(s: ColumnState, f: Finding, values: number, noun: 'values' | 'rows' = 'values'): { share: number; counted: string; partOfBatch: boolean } {
  const share = values === 0 ? 0 : f.count / values;
  let worst: { file: string; count: number; values: number; share: number } | null = null;
  for (const [file, count] of f.byFile ?? []) {
    const n = noun === 'rows' ? (s.rowsByFile.get(file) ?? 0) : s.valuesIn(file);
    if (n > 0 && (worst === null || count / n > worst.share)) worst = { file, count, values: n, share: count / n };
  }
  if (worst !== null && s.rowsByFile.size > 1 && worst.share > share)
    return { share: worst.share, counted: `${worst.count} of ${worst.values} ${noun} (${percent(worst.share)}) in ${worst.file}`, partOfBatch: true };
  return { share, counted: `${f.count} of ${values} ${noun} (${percent(share)})`, partOfBatch: false };
}

/** Checks one column of one chunk against its schema. */
function checkColumn(s: ColumnState, chunk: Table): void {
  const n = chunk.rowCount;
  s.rows += n;
  const column = findColumn(chunk, s.schema.name);
  if (column === undefined) {
    for (const source of chunk.sources) s.absentFrom.add(source.file);
    return;
  }
  s.present += n;
  for (const source of chunk.sources) s.rowsByFile.set(source.file, (s.rowsByFile.get(source.file) ?? 0) + source.rows);
  const isNullAt = (i: number): boolean => column.nulls !== null && column.nulls[i] === 1;
  const want = s.schema.type;

  // An all-null column carries no type information: readers may type it anything.
  let allNull = column.nulls !== null;
  if (allNull) for (let i = 0; i < n && allNull; i++) allNull = column.nulls![i] === 1;
  if (allNull) {
    for (let i = 0; i < n; i++) s.nulls.hit(chunk, i);
    return;
  }

  if (want === 'number' || want === 'timestamp') {
    const values = numericView(s, column, chunk, want);
    if (values === null) return;
    for (let i = 0; i < n; i++) {
      if (isNullAt(i)) {
        s.nulls.hit(chunk, i);
        continue;
      }
      const x = values[i]!;
      if (Number.isNaN(x)) continue; // unparseable, already counted
      if (!Number.isFinite(x)) {
        s.nonFinite.hit(chunk, i, String(x));
        continue;
      }
      // One report per value, the firmest first: a person's bound, the sign, the band, then the inferred range.
      if (s.min !== undefined && x < s.min) s.belowConstraint.hit(chunk, i, show(x, want));
      else if (s.max !== undefined && x > s.max) s.aboveConstraint.hit(chunk, i, show(x, want));
      else if (s.nonNegative && x < 0) {
        s.negative.hit(chunk, i, String(x));
        s.negative.see(x);
      } else if (x < s.bandMin || x > s.bandMax) {
        s.outsideBand.hit(chunk, i, String(x));
        s.outsideBand.see(x);
      } else if ((s.rangeMin !== undefined && x < s.rangeMin) || (s.rangeMax !== undefined && x > s.rangeMax)) s.outsideInferred.hit(chunk, i, show(x, want));
      // Integrality is a property of its own: -2.5 is both negative and not whole.
      if (s.integer && Math.trunc(x) !== x) {
        s.nonInteger.hit(chunk, i, String(x));
        s.nonInteger.see(x);
      }
    }
    if (column.type === 'number' || column.type === 'timestamp') {
      // NaN in a numeric column is a value (non-finite), not a parse failure.
      for (let i = 0; i < n; i++) if (!isNullAt(i) && Number.isNaN(column.values[i]!)) s.nonFinite.hit(chunk, i, 'NaN');
    }
    return;
  }

  if (want === 'boolean') {
    if (column.type === 'boolean') {
      for (let i = 0; i < n; i++) if (isNullAt(i)) s.nulls.hit(chunk, i);
      return;
    }
    if (column.type !== 'string') return mismatch(s, column, chunk);
    const ok = column.dictionary.map((v) => /^(true|false)$/i.test(v));
    for (let i = 0; i < n; i++) {
      const code = column.codes[i]!;
      if (code < 0) s.nulls.hit(chunk, i);
      else if (!ok[code]) {
        s.unparseable.hit(chunk, i, column.dictionary[code]);
        s.unparseable.tally(column.dictionary[code]!);
      }
    }
    return;
  }

  // Strings: numbers, timestamps and booleans read from text are accepted as their text.
  const { codes, dictionary } = stringView(column);
  const inDomain = s.domain === null ? null : dictionary.map((v) => s.domain!.has(v));
  const matches = s.pattern === null ? null : dictionary.map((v) => s.pattern!.test(v));
  for (let i = 0; i < n; i++) {
    const code = codes[i]!;
    if (code < 0) {
      s.nulls.hit(chunk, i);
      continue;
    }
    if (inDomain !== null && !inDomain[code]) {
      s.unseen.hit(chunk, i, dictionary[code]);
      s.unseen.tally(dictionary[code]!);
    }
    if (matches !== null && !matches[code]) {
      s.regex.hit(chunk, i, dictionary[code]);
      s.regex.tally(dictionary[code]!);
    }
    if (s.seen !== null) {
      const v = dictionary[code]!;
      if (s.seen.has(v)) {
        s.unique.hit(chunk, i, v);
        s.unique.tally(v);
      } else s.seen.add(v);
    }
  }
}

function show(x: number, type: string): string {
  return type === 'timestamp' ? new Date(x).toISOString() : String(x);
}

function mismatch(s: ColumnState, column: Column, chunk: Table): void {
  s.seenTypes.add(column.type);
  for (let i = 0; i < chunk.rowCount; i++) {
    if (column.nulls !== null && column.nulls[i] === 1) s.nulls.hit(chunk, i);
    else s.typeMismatch.hit(chunk, i);
  }
}

/**
 * The column's values as numbers for a numeric or timestamp schema column. Text is
 * parsed (failures counted as unparseable, NaN in the result); other types are a
 * type mismatch (null result).
 */
function numericView(s: ColumnState, column: Column, chunk: Table, want: 'number' | 'timestamp'): Float64Array | null {
  if (column.type === want) return column.values;
  if (column.type !== 'string') {
    mismatch(s, column, chunk);
    return null;
  }
  const parsed = column.dictionary.map((v) => parseTextAs(want, v));
  const values = new Float64Array(chunk.rowCount);
  for (let i = 0; i < chunk.rowCount; i++) {
    const code = column.codes[i]!;
    if (code < 0) continue;
    const x = parsed[code]!;
    values[i] = x;
    if (!Number.isNaN(x)) continue;
    const text = column.dictionary[code]!;
    if (/^nan$/i.test(text.trim())) s.nonFinite.hit(chunk, i, text);
    else {
      s.unparseable.hit(chunk, i, text);
      s.unparseable.tally(text);
    }
  }
  return values;
}

/** Any column as dictionary-encoded text, the way a string schema column sees it. */
function stringView(column: Column): { codes: Int32Array; dictionary: readonly string[] } {
  if (column.type === 'string') return column;
  return stringColumnOf(column.name, column.values.length, (i) => {
    if (column.nulls !== null && column.nulls[i] === 1) return null;
    const v = column.values[i]!;
    return column.type === 'boolean' ? (v === 1 ? 'true' : 'false') : column.type === 'timestamp' ? new Date(v).toISOString() : String(v);
  });
}

/**
 * A set of 52-bit row hashes in one open-addressing table that grows up to a fixed
 * capacity, so memory stays bounded however many rows arrive.
 */
class RowHashSet {
  private table = new Float64Array(1 << 16);
  size = 0;
  full = false;
  constructor(private readonly maxLog2: number) {}
  /** Empty again, at the smallest size. */
  clear(): void {
    this.table = new Float64Array(1 << 16);
    this.size = 0;
    this.full = false;
  }
  /** Adds `h`; true when it was already present. */
  addOrHas(h: number): boolean {
    if ((this.size + 1) * 4 > this.table.length * 3) this.grow();
    const mask = this.table.length - 1;
    // 0 marks an empty slot: shift hashes to be >= 1.
    const key = h + 1;
    let slot = (key % this.table.length) & mask;
    for (;;) {
      const v = this.table[slot]!;
      if (v === 0) {
        if (this.full) return false;
        this.table[slot] = key;
        this.size++;
        return false;
      }
      if (v === key) return true;
      slot = (slot + 1) & mask;
    }
  }
  private grow(): void {
    if (this.table.length >= 1 << this.maxLog2) {
      this.full = true;
      return;
    }
    const old = this.table;
    this.table = new Float64Array(old.length * 2);
    const mask = this.table.length - 1;
    for (const key of old) {
      if (key === 0) continue;
      let slot = (key % this.table.length) & mask;
      while (this.table[slot] !== 0) slot = (slot + 1) & mask;
      this.table[slot] = key;
    }
  }
}

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);

/**
 * Counts the rows that repeat an earlier row in every column but the label's (`label`): the
 * same example sent twice, with the same label or another (a correction appended instead of
 * applied, another day's rows mixed in). `result` is null when no chunk held the label
 * column: then every column is compared, as the duplicate check does. Memory is bounded as
 * that check's.
 */
export function createInputRepeats(label: string): { add(chunk: Table): void; result(): number | null } {
  const seen = new RowHashSet(DUPLICATE_CAPACITY_LOG2);
  const skip = new Set([label]);
  let repeats = 0;
  let labelled = false;
  return {
    add(chunk: Table): void {
      labelled ||= chunk.columns.some((c) => c.name === label);
      const hashes = rowHashes(chunk, skip);
      for (let i = 0; i < chunk.rowCount; i++) if (seen.addOrHas(hashes[i]!)) repeats++;
    },
    result: () => (labelled ? repeats : null),
  };
}

function findDuplicates(chunk: Table, set: RowHashSet, finding: Finding): void {
  const hashes = rowHashes(chunk);
  for (let i = 0; i < chunk.rowCount; i++) if (set.addOrHas(hashes[i]!)) finding.hit(chunk, i);
}

/**
 * A 52-bit hash of each row's values (exact in a float64), by column name so files with the
 * same columns in another order hash rows alike; columns named in `skip` are left out.
 */
export function rowHashes(chunk: Table, skip: ReadonlySet<string> = new Set()): Float64Array {
  const n = chunk.rowCount;
  const h1 = new Uint32Array(n).fill(0x9e3779b9);
  const h2 = new Uint32Array(n).fill(0x7f4a7c15);
  const columns = [...chunk.columns].filter((c) => !skip.has(c.name)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const column of columns) {
    if (column.type === 'string') {
      // Hash each dictionary entry once; chunks have their own dictionaries, so hash text, not codes.
      const a = column.dictionary.map((s) => hashText(s));
      const b = column.dictionary.map((s) => hashText(s, 0x01000193));
      for (let i = 0; i < n; i++) {
        const code = column.codes[i]!;
        h1[i] = mixHash(h1[i]!, code < 0 ? 0xdeadbeef : a[code]!);
        h2[i] = mixHash(h2[i]!, code < 0 ? 0xfeedface : b[code]!);
      }
    } else {
      for (let i = 0; i < n; i++) {
        const isNull = column.nulls !== null && column.nulls[i] === 1;
        scratch[0] = isNull ? Number.NaN : column.values[i]!;
        h1[i] = mixHash(h1[i]!, isNull ? 0xdeadbeef : scratchWords[0]! ^ scratchWords[1]!);
        h2[i] = mixHash(h2[i]!, isNull ? 0xfeedface : scratchWords[1]! + scratchWords[0]!);
      }
    }
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (h1[i]! & 0xfffff) * 4294967296 + h2[i]!;
  return out;
}
