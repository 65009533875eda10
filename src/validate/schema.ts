/**
 * The data schema (`data/<dataset>/schema.json`): inferred from reference statistics
 * on first use, then kept under version control and edited by people.
 *
 * Inferred facts (type, null allowance, range, domain) describe what was seen; user
 * constraints (`min`, `max`, `regex`, `unique`) say what must hold. Out-of-range values
 * against an inferred range are warnings by default, against a constraint errors.
 * Between the two, inferred `constraints` (non-negative, whole numbers, a tolerance band
 * around the range) are what held in every reference row: written into the file when the
 * schema is inferred, reviewed like code, and errors by default when a batch breaks them
 * in more than `tolerance` of its values.
 */
import { withColumnTypes } from '../data/infer.js';
import type { ColumnType, Table } from '../data/table.js';
import { UserError } from '../errors.js';
import { median } from './median.js';
import { QuantileSketch } from './sketch.js';
import { type ColumnStatistics, createStatistics, type DatasetStatistics, type NumericStatistics } from './statistics.js';

export type Severity = 'error' | 'warning';

export const ANOMALY_KINDS = [
  'empty_batch',
  'missing_column',
  'new_column',
  'type_mismatch',
  'unparseable_value',
  'all_null',
  'nulls_above_threshold',
  'out_of_range',
  'non_finite',
  'unseen_category',
  'regex_mismatch',
  'unique_violation',
  'row_count_out_of_range',
  'duplicate_rows',
  'outside_partition',
  'unreadable_file',
  'negative_value',
  'non_integer',
  'outside_band',
  'input_non_finite',
  'input_out_of_vocabulary',
  'input_far_from_training',
  'partition_rows',
  'partition_statistic',
  'label_rate',
  'label_relation',
  'columns_exchanged',
  'labels_misaligned',
  'missing_partition',
  'unread_file',
  'window_quarantined',
] as const;

export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

/** Default severity of each kind; config and schema may override. */
export const DEFAULT_SEVERITY: Record<AnomalyKind, Severity> = {
  empty_batch: 'error',
  missing_column: 'error',
  new_column: 'error',
  type_mismatch: 'error',
  unparseable_value: 'error',
  all_null: 'error',
  nulls_above_threshold: 'error',
  out_of_range: 'error',
  non_finite: 'error',
  unseen_category: 'error',
  regex_mismatch: 'error',
  unique_violation: 'error',
  row_count_out_of_range: 'warning',
  duplicate_rows: 'warning',
  outside_partition: 'warning',
  unreadable_file: 'error',
  negative_value: 'error',
  non_integer: 'error',
  outside_band: 'error',
  input_non_finite: 'error',
  input_out_of_vocabulary: 'error',
  input_far_from_training: 'error',
  partition_rows: 'error',
  partition_statistic: 'error',
  label_rate: 'error',
  label_relation: 'error',
  columns_exchanged: 'error',
  labels_misaligned: 'error',
  missing_partition: 'warning',
  unread_file: 'warning',
  window_quarantined: 'error',
};

/** The severity of `kind`: the config's override (`validation.severity`) where it has one, else its default. */
export function severityOf(kind: AnomalyKind, overrides: Partial<Record<AnomalyKind, Severity>> | undefined): Severity {
  return overrides?.[kind] ?? DEFAULT_SEVERITY[kind];
}

/** Share of a batch's non-null values that may break a constraint before it is an error. */
export const DEFAULT_CONSTRAINT_TOLERANCE = 0.001;
/** Constraints are inferred only from at least this many finite reference values: fewer prove little. */
export const MIN_CONSTRAINT_VALUES = 100;

/** Inferred hard constraints of a number column: what held in every reference row; reviewed like code. */
export interface ColumnConstraints {
  /** Every finite reference value was >= 0. */
  nonNegative?: boolean;
  /** Every finite reference value was a whole number. */
  integer?: boolean;
  /** Tolerance band around the observed range: values outside it are not plausible. */
  band?: { min: number; max: number };
  /**
   * Share of a batch's non-null values that may break a constraint before it is an error
   * (default 0.001); also the share of rows a column never null (`maxNullFraction` 0) may
   * hold nulls in as a warning. The one constraint of any column type.
   */
  tolerance?: number;
}

export interface ColumnSchema {
  name: string;
  type: ColumnType;
  /** Largest share of nulls accepted in a batch (0 = always present). */
  maxNullFraction: number;
  /** Range seen in the reference data (inferred for numbers; a person may add one for timestamps, as ISO strings). */
  range?: { min: number | string; max: number | string };
  /** Values seen in the reference data, kept when there were few of them. */
  domain?: string[];
  /** Largest share of rows whose value is outside `domain` before it is an error; within it a warning (default 0; inferred with the domain, `unseenAllowance`). */
  maxUnseenShare?: number;
  /** Hard bounds a person sets, e.g. `min: 0` for an age. */
  min?: number | string;
  max?: number | string;
  /** Every non-null value must match (JavaScript syntax, whole value). */
  regex?: string;
  /** No value may repeat (a key). */
  unique?: boolean;
  /** Inferred hard constraints: what held in every reference row; reviewed like code. */
  constraints?: ColumnConstraints;
  /** Severity per anomaly kind for this column. */
  severity?: Partial<Record<AnomalyKind, Severity>>;
}

/** Contents of `schema.json`. */
export interface DataSchema {
  format: 'ct-schema';
  version: 2;
  columns: ColumnSchema[];
}

export interface InferOptions {
  /** Keep a categorical domain when the reference has at most this many distinct values. */
  maxDomainSize?: number;
  /** Per column, the highest null share of any one partition of the reference (`createPartitionNullShares`). */
  partitionNullShares?: Record<string, number>;
  /** Number columns that rise with the partitions (`createPartitionRanges`): no range or band. */
  increasing?: readonly string[];
  /** Per string column, how new values arrived over the partitions (`createPartitionDomains`): no domain where they kept arriving. */
  domainArrivals?: Readonly<Record<string, DomainArrival>>;
}

/** Partitions a column must rise across before it counts as increasing: two are a coincidence. */
const MIN_RISING_PARTITIONS = 3;

/**
 * `table` read as `schema` types its number and timestamp columns: a file whose writer typed
 * one as text (a Parquet export's strings, a CSV column with an "N/A") is summarised as its
 * numbers, the text that does not parse as nulls (the schema check reports it).
 */
export function asSchemaTypes(table: Table, schema: DataSchema): Table {
  return withColumnTypes(table, new Map(schema.columns.flatMap((c) => (c.type === 'number' || c.type === 'timestamp' ? [[c.name, c.type] as const] : []))));
}

/**
 * Tracks, file by file (in the order files first appear: the partitions' dates), each number
 * column's range, and tells which columns rise with the partitions (`increasing`): every
 * partition's lowest and highest value at least the previous one's, and the newest's lowest
 * above the oldest's highest. Ids and running numbers issued in order do; a quantity, whose
 * days overlap, never does. Their reference range says nothing of the next day.
 */
export function createPartitionRanges(): { add(table: Table): void; increasing(): string[] } {
  const perColumn = new Map<string, Map<string, { min: number; max: number }>>();
  return {
    add(table: Table): void {
      for (const c of table.columns) {
        if (c.type !== 'number') continue;
        let files = perColumn.get(c.name);
        if (files === undefined) perColumn.set(c.name, (files = new Map<string, { min: number; max: number }>()));
        for (const source of table.sources) {
          const range = files.get(source.file) ?? { min: Infinity, max: -Infinity };
          for (let i = source.start; i < source.start + source.rows; i++) {
            const v = c.values[i]!;
            if (!Number.isFinite(v) || (c.nulls !== null && c.nulls[i] === 1)) continue;
            if (v < range.min) range.min = v;
            if (v > range.max) range.max = v;
          }
          files.set(source.file, range);
        }
      }
    },
    increasing(): string[] {
      const out: string[] = [];
      for (const [column, files] of perColumn) {
        const ranges = [...files.values()].filter((r) => r.min <= r.max);
        if (ranges.length < MIN_RISING_PARTITIONS) continue;
        const rising = ranges.every((r, i) => i === 0 || (r.min >= ranges[i - 1]!.min && r.max >= ranges[i - 1]!.max));
        if (rising && ranges.at(-1)!.min > ranges[0]!.max) out.push(column);
      }
      return out;
    },
  };
}

/** Share of the later half's rows that values first seen there must hold for a column's domain to count as growing. */
const GROWING_DOMAIN_SHARE = 0.005;
/** Partitions a reference needs before its halves tell a growing domain from one seen whole. */
const MIN_DOMAIN_PARTITIONS = 4;
/** Distinct values a column may hold per partition before it is not tracked (it gets no domain anyway). */
const MAX_TRACKED_VALUES = 5_000;

/**
 * How new values of a string column arrived over the reference's partitions: `share` of
 * the later half's rows held values no partition of the first half had, in partitions of
 * `partitionRows` values (the later half's median).
 */
export interface DomainArrival {
  share: number;
  partitionRows: number;
}

/**
 * Tracks, file by file (in the order files first appear: the partitions' dates), the rows
 * each string column's values hold, and tells how new values arrived (`arrivals`); a
 * domain grows (`isGrowing`) where values no partition of the reference's first half had
 * hold at least 0.5% of its second half's rows. Support agents join every week, products
 * launch, stores open: a domain inferred from the reference would make each newcomer an
 * error on every later day, so it gets none, and the history's share of values no earlier
 * day had watches it instead. A rare value first met late (one airport's few flights)
 * holds less, and the domain stays, with room for as many newcomers (`unseenAllowance`).
 */
export function createPartitionDomains(): { add(table: Table): void; arrivals(): Record<string, DomainArrival> } {
  const perColumn = new Map<string, Map<string, Map<string, number>>>();
  // Columns a partition held too many values of (ids): they get no domain anyway, and are no longer counted.
  const untracked = new Set<string>();
  const arrivals = (): Record<string, DomainArrival> => {
    const out: Record<string, DomainArrival> = {};
    for (const [column, files] of perColumn) {
      const partitions = [...files.values()];
      if (partitions.length < MIN_DOMAIN_PARTITIONS) continue;
      const half = partitions.length >> 1;
      const seen = new Set(partitions.slice(0, half).flatMap((p) => [...p.keys()]));
      let rows = 0;
      let newcomers = 0;
      const sizes: number[] = [];
      for (const p of partitions.slice(half)) {
        let size = 0;
        for (const [value, n] of p) {
          size += n;
          if (!seen.has(value)) newcomers += n;
        }
        rows += size;
        sizes.push(size);
      }
      if (rows > 0) out[column] = { share: newcomers / rows, partitionRows: median(sizes) };
    }
    return out;
  };
  return {
    add(table: Table): void {
      for (const c of table.columns) {
        if (c.type !== 'string' || untracked.has(c.name)) continue;
        let files = perColumn.get(c.name);
        if (files === undefined) perColumn.set(c.name, (files = new Map<string, Map<string, number>>()));
        for (const source of table.sources) {
          const counts = files.get(source.file) ?? new Map<string, number>();
          files.set(source.file, counts);
          for (let i = source.start; i < source.start + source.rows && counts.size <= MAX_TRACKED_VALUES; i++) {
            const code = c.codes[i]!;
            if (code < 0) continue;
            const value = c.dictionary[code]!;
            counts.set(value, (counts.get(value) ?? 0) + 1);
          }
          if (counts.size > MAX_TRACKED_VALUES) {
            untracked.add(c.name);
            perColumn.delete(c.name);
            break;
          }
        }
      }
    },
    arrivals,
  };
}

/** Whether a column's values arrived at a rate that makes its domain a growing one (it gets none). */
export function isGrowing(arrival: DomainArrival): boolean {
  return arrival.share >= GROWING_DOMAIN_SHARE;
}

/** Chance that a partition brings more new values than its allowance at the reference's rate: one in 10,000. */
const UNSEEN_QUANTILE = 0.9999;
/** The standard normal's 0.9999 quantile, for large means. */
const UNSEEN_Z = 3.719;

/**
 * The share of a partition's rows an inferred domain leaves to values outside it
 * (`maxUnseenShare`): the constraints' tolerance (0.1%), or more where the reference met new
 * values at a rate that, in partitions of its size, would bring more rows of them now and
 * then (the 0.9999 Poisson quantile). Flights sampled at 2,000 a day met an airport of one
 * flight a week on one day in two, against a domain from 28,000 rows: those are the new
 * airports a person expects, not a defect. Rounded up to 0.01%.
 */
export function unseenAllowance(arrival: DomainArrival | undefined): number {
  if (arrival === undefined || arrival.partitionRows <= 0) return DEFAULT_CONSTRAINT_TOLERANCE;
  const rows = poissonBound(arrival.share * arrival.partitionRows);
  return Math.max(DEFAULT_CONSTRAINT_TOLERANCE, Math.ceil((rows / arrival.partitionRows) * 10_000) / 10_000);
}

/** The smallest k whose Poisson(mean) cumulative probability reaches `UNSEEN_QUANTILE` (a normal bound past a mean of 100). */
function poissonBound(mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 100) return Math.ceil(mean + UNSEEN_Z * Math.sqrt(mean));
  let p = Math.exp(-mean);
  let cumulative = p;
  let k = 0;
  while (cumulative < UNSEEN_QUANTILE) {
    k++;
    p *= mean / k;
    cumulative += p;
  }
  return k;
}

/** Headroom of an inferred null allowance over the highest share seen: nulls wander from day to day. */
const NULL_HEADROOM = 1.2;

/**
 * Tracks, file by file (each of a table's row sources), each column's highest null share in
 * any one partition: a null allowance is judged per partition, so it is inferred from the
 * partitions, not the pool.
 */
export function createPartitionNullShares(): { add(table: Table): void; result(): Record<string, number> } {
  const perFile = new Map<string, Map<string, { nulls: number; rows: number }>>();
  return {
    add(table: Table): void {
      for (const c of table.columns) {
        let files = perFile.get(c.name);
        if (files === undefined) perFile.set(c.name, (files = new Map<string, { nulls: number; rows: number }>()));
        for (const source of table.sources) {
          const entry = files.get(source.file) ?? { nulls: 0, rows: 0 };
          if (c.nulls !== null) for (let i = source.start; i < source.start + source.rows; i++) entry.nulls += c.nulls[i]!;
          entry.rows += source.rows;
          files.set(source.file, entry);
        }
      }
    },
    result(): Record<string, number> {
      const out: Record<string, number> = {};
      for (const [column, files] of perFile) out[column] = Math.max(0, ...[...files.values()].map((f) => (f.rows === 0 ? 0 : f.nulls / f.rows)));
      return out;
    },
  };
}

/**
 * The one way a schema is inferred from reference data (`ct validate` on first use, `ct
 * init`): `add` the tables (a partition, a chunk of one, or the whole pool with its row
 * sources), then `result` is `inferSchema` of their statistics with each column's null
 * allowance from its worst partition, no range for numbers that rise with the partitions,
 * and no domain for strings whose values kept arriving.
 */
export function createSchemaInference(options: Pick<InferOptions, 'maxDomainSize'> = {}): {
  add(table: Table): void;
  result(): { schema: DataSchema; rows: number };
} {
  const statistics = createStatistics();
  const nullShares = createPartitionNullShares();
  const ranges = createPartitionRanges();
  const domains = createPartitionDomains();
  return {
    add(table: Table): void {
      statistics.add(table);
      nullShares.add(table);
      ranges.add(table);
      domains.add(table);
    },
    result() {
      const pooled = statistics.result();
      const schema = inferSchema(pooled, {
        ...options,
        partitionNullShares: nullShares.result(),
        increasing: ranges.increasing(),
        domainArrivals: domains.arrivals(),
      });
      return { schema, rows: pooled.rows };
    },
  };
}

/**
 * Infers a schema from reference statistics: observed types, a null allowance of the
 * highest share seen (in the pool, or in any one partition) with a fifth more headroom,
 * rounded up to whole percents (0 when none), the observed range of
 * numbers (not of those that rise with the partitions), the `constraints` of numbers (see
 * `inferConstraints`; no band for a rising one), and the domain of categoricals with few
 * distinct values (not of those whose values kept arriving).
 */
export function inferSchema(statistics: DatasetStatistics, options: InferOptions = {}): DataSchema {
  const maxDomain = options.maxDomainSize ?? 1000;
  const columns = statistics.columns.map((c): ColumnSchema => {
    const share = Math.max(c.count === 0 ? 0 : c.nulls / c.count, options.partitionNullShares?.[c.name] ?? 0);
    const column: ColumnSchema = { name: c.name, type: c.type, maxNullFraction: Math.min(1, Math.ceil(share * NULL_HEADROOM * 100) / 100) };
    // No inferred range for timestamps, nor for numbers that rise with the partitions: new data is always later than the reference.
    const increasing = options.increasing?.includes(c.name) === true;
    if (c.type === 'number' && !increasing && c.numeric !== undefined && Number.isFinite(c.numeric.min) && Number.isFinite(c.numeric.max)) {
      column.range = { min: c.numeric.min, max: c.numeric.max };
    }
    const constraints = inferConstraints(c);
    if (constraints !== undefined && increasing) delete constraints.band;
    if (constraints !== undefined) column.constraints = constraints;
    const arrival = options.domainArrivals?.[c.name];
    const growing = arrival !== undefined && isGrowing(arrival);
    if (c.type === 'string' && c.categorical !== undefined && !c.categorical.distinctIsLowerBound && c.categorical.distinct <= maxDomain && !growing) {
      column.domain = Object.keys(c.categorical.frequencies).sort();
      column.maxUnseenShare = unseenAllowance(arrival);
    }
    return column;
  });
  return { format: 'ct-schema', version: 2, columns };
}

/**
 * The constraints that held in every finite reference value of a `number` column, or
 * undefined when there are fewer than `MIN_CONSTRAINT_VALUES` such values. A constraint
 * that did not hold is left out (an empty object still records that the column was looked
 * at, so `widenSchema` does not propose constraints the reference broke):
 * - `nonNegative`: no value was below 0;
 * - `integer`: every value was a whole number (needs the `nonIntegers` count, which
 *   statistics written by older versions lack: then not inferred);
 * - `band`: the observed [min, max] widened by half its span on each side, or on a side
 *   whose tail reaches farther, by its reach past the 1st or 99th percentile (response
 *   times of 0.1 to 1,370 minutes, 99th percentile 260: up to 2,480, where 2,100 left a
 *   new day's 2,209 implausible); clamped at 0
 *   when `nonNegative` (a negative value is then reported once, as negative_value). The
 *   edges are rounded outward to a multiple of the power of ten at most a tenth of the
 *   span (two significant digits of the span: 21..4962 gives 0..7500), so a person reads
 *   round numbers. No band when every value was the same: there is no span to scale from.
 * `tolerance` is never inferred: the default (0.001) applies until a person sets one.
 */
export function inferConstraints(column: ColumnStatistics): ColumnConstraints | undefined {
  const m = column.numeric;
  if (column.type !== 'number' || m === undefined || m.sketch.count < MIN_CONSTRAINT_VALUES) return undefined;
  const out: ColumnConstraints = {};
  if (m.negatives === 0) out.nonNegative = true;
  if (m.nonIntegers === 0) out.integer = true;
  const span = m.max - m.min;
  if (Number.isFinite(span) && span > 0) {
    // A heavy tail reaches past its 1st or 99th percentile farther than half the span: its next extreme may too.
    // Each percentile is taken at the end of the sketch's error that reaches least (values far from 0 are known loosely).
    const sketch = QuantileSketch.fromJSON(m.sketch);
    const low = sketch.quantile(TAIL_QUANTILE);
    const high = sketch.quantile(1 - TAIL_QUANTILE);
    const below = Math.max(span / 2, low - Math.abs(low) * sketch.relativeAccuracy - m.min);
    const above = Math.max(span / 2, m.max - high - Math.abs(high) * sketch.relativeAccuracy);
    const band = roundOutward(m.min - below, m.max + above, span);
    out.band = out.nonNegative === true ? { min: Math.max(0, band.min), max: band.max } : band;
  }
  return out;
}

/** The quantile on each side from which a tail's reach is measured. */
const TAIL_QUANTILE = 0.01;

/** [lo, hi] rounded outward to multiples of 10^(⌊log10 span⌋ − 1); never inward, whatever the rounding of floats. */
function roundOutward(lo: number, hi: number, span: number): { min: number; max: number } {
  const exponent = Math.floor(Math.log10(span)) - 1;
  // k / 10^d for fractional steps: one correctly rounded division, so 0.1 steps print as 0.3, not 0.30000000000000004.
  const at = (k: number): number => (exponent < 0 ? k / 10 ** -exponent : k * 10 ** exponent) + 0; // + 0: no -0
  const scaled = (x: number): number => (exponent < 0 ? x * 10 ** -exponent : x / 10 ** exponent);
  const min = at(Math.floor(scaled(lo)));
  const max = at(Math.ceil(scaled(hi)));
  return { min: Number.isFinite(min) && min <= lo ? min : lo, max: Number.isFinite(max) && max >= hi ? max : hi };
}

const TYPES: readonly ColumnType[] = ['number', 'string', 'timestamp', 'boolean'];
const CONSTRAINT_FIELDS = ['nonNegative', 'integer', 'band', 'tolerance'];

/** Checks the `constraints` of a column; `at` names them (`columns[2] ("distance").constraints`). */
function checkConstraints(raw: unknown, at: string, type: unknown, fail: (what: string) => never): void {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(`${at} must be an object with some of the fields ${CONSTRAINT_FIELDS.join(', ')}`);
  const k = raw as Record<string, unknown>;
  for (const key of Object.keys(k)) if (!CONSTRAINT_FIELDS.includes(key)) fail(`${at}: unknown field "${key}" (fields: ${CONSTRAINT_FIELDS.join(', ')})`);
  // The tolerance also holds a column never null to its share; the rest are of numbers.
  const numeric = Object.keys(k).filter((key) => key !== 'tolerance');
  if (type !== 'number' && numeric.length > 0)
    fail(`${at}: ${numeric.join(', ')} apply to number columns only (this column is ${String(type)}; tolerance applies to any)`);
  for (const key of ['nonNegative', 'integer']) if (k[key] !== undefined && typeof k[key] !== 'boolean') fail(`${at}.${key} must be true or false`);
  const tolerance = k.tolerance;
  if (tolerance !== undefined && (typeof tolerance !== 'number' || !(tolerance >= 0 && tolerance <= 1)))
    fail(`${at}.tolerance must be a number from 0 to 1 (a share of the batch's values)`);
  if (k.band === undefined) return;
  const band = k.band as Record<string, unknown>;
  if (typeof band !== 'object' || band === null || Array.isArray(band)) fail(`${at}.band must be an object { "min": number, "max": number }`);
  for (const key of Object.keys(band)) if (key !== 'min' && key !== 'max') fail(`${at}.band: unknown field "${key}" (fields: min, max)`);
  for (const key of ['min', 'max']) if (typeof band[key] !== 'number' || !Number.isFinite(band[key])) fail(`${at}.band.${key} must be a number`);
  if ((band.min as number) > (band.max as number)) fail(`${at}.band.min (${String(band.min)}) must not be above band.max (${String(band.max)})`);
}

/**
 * Checks the `min` and `max` of `bounds` (a column's own constraints, or its inferred
 * `range`): of the column's type (a number, or an ISO time for a timestamp), min not above max.
 */
function checkBounds(column: Partial<ColumnSchema>, bounds: Record<string, unknown>, at: string, fail: (what: string) => never): void {
  const isTime = column.type === 'timestamp';
  const values: number[] = [];
  for (const key of ['min', 'max'] as const) {
    const v = bounds[key];
    if (v === undefined) continue;
    const value = isTime ? (typeof v === 'string' ? Date.parse(v) : Number.NaN) : typeof v === 'number' ? v : Number.NaN;
    if (Number.isNaN(value)) fail(`${at}.${key} must be ${isTime ? 'an ISO date or time' : 'a number'}`);
    values.push(value);
  }
  if (values.length === 2 && values[0]! > values[1]!) fail(`${at}.min (${String(bounds.min)}) must not be above max (${String(bounds.max)})`);
}

/** Checks a parsed `schema.json`; `file` names it in errors. Version 1 files are read as version 2. */
export function parseSchema(file: string, raw: unknown): DataSchema {
  const fail = (what: string): never => {
    throw new UserError(`${file}: ${what}`);
  };
  if (typeof raw !== 'object' || raw === null) fail('not a JSON object');
  const s = raw as { format?: unknown; version?: unknown; columns?: unknown };
  if (s.format !== 'ct-schema') fail('"format" must be "ct-schema"');
  if (s.version !== 1 && s.version !== 2) fail('"version" must be 2');
  if (!Array.isArray(s.columns) || s.columns.length === 0) fail('"columns" must be a non-empty array');
  const names = new Set<string>();
  const columns = (s.columns as unknown[]).map((raw, i) => {
    const c = raw as Partial<ColumnSchema> & Record<string, unknown>;
    const at = `columns[${i}]`;
    if (typeof c !== 'object' || c === null) fail(`${at} must be an object`);
    if (typeof c.name !== 'string' || c.name === '') fail(`${at}.name must be a non-empty string`);
    if (names.has(c.name!)) fail(`${at}.name: column "${c.name}" is listed twice`);
    names.add(c.name!);
    const where = `${at} ("${c.name}")`;
    if (!TYPES.includes(c.type as ColumnType)) fail(`${where}.type must be one of ${TYPES.join(', ')}`);
    if (typeof c.maxNullFraction !== 'number' || c.maxNullFraction < 0 || c.maxNullFraction > 1) fail(`${where}.maxNullFraction must be a number from 0 to 1`);
    if (c.maxUnseenShare !== undefined && (typeof c.maxUnseenShare !== 'number' || c.maxUnseenShare < 0 || c.maxUnseenShare > 1))
      fail(`${where}.maxUnseenShare must be a number from 0 to 1`);
    if (c.domain !== undefined && (!Array.isArray(c.domain) || c.domain.some((v) => typeof v !== 'string')))
      fail(`${where}.domain must be an array of strings`);
    checkBounds(c, c, where, fail);
    if (c.range !== undefined) {
      if (typeof c.range !== 'object' || c.range === null || Array.isArray(c.range) || c.range.min === undefined || c.range.max === undefined)
        fail(`${where}.range must be an object { "min": …, "max": … }`);
      checkBounds(c, c.range, `${where}.range`, fail);
    }
    if (c.regex !== undefined) {
      if (typeof c.regex !== 'string') fail(`${where}.regex must be a string`);
      try {
        new RegExp(c.regex);
      } catch (error) {
        fail(`${where}.regex is not a valid regular expression: ${(error as Error).message}`);
      }
    }
    if (c.unique !== undefined && typeof c.unique !== 'boolean') fail(`${where}.unique must be true or false`);
    if (c.severity !== undefined) {
      for (const [kind, level] of Object.entries(c.severity)) {
        if (!(ANOMALY_KINDS as readonly string[]).includes(kind))
          fail(`${where}.severity: unknown anomaly kind "${kind}" (kinds: ${ANOMALY_KINDS.join(', ')})`);
        if (level !== 'error' && level !== 'warning') fail(`${where}.severity.${kind} must be "error" or "warning"`);
      }
    }
    if (c.constraints !== undefined) checkConstraints(c.constraints, `${where}.constraints`, c.type, fail);
    const known = new Set(['name', 'type', 'maxNullFraction', 'range', 'constraints', 'domain', 'maxUnseenShare', 'min', 'max', 'regex', 'unique', 'severity']);
    for (const key of Object.keys(c)) if (!known.has(key)) fail(`${where}: unknown field "${key}"`);
    return c as ColumnSchema;
  });
  return { format: 'ct-schema', version: 2, columns };
}

/** A bound of a column as a number (timestamps are ISO strings in the file). */
export function boundValue(column: ColumnSchema, value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'number' ? value : Date.parse(value);
}

/**
 * The smallest change to `schema` that accepts a batch with these statistics:
 * ranges widened to the batch's min/max, unseen values added to domains (the domain
 * is dropped when it would pass `maxDomainSize`), null allowances raised, new columns
 * added as inferred. Inferred `constraints`: a number column without the key gets those
 * inferred from the batch; a constraint the batch breaks at all (even within its
 * tolerance, so the batch passes clean) is relaxed: `nonNegative` or `integer` removed,
 * `band` widened to the batch's min/max; `tolerance` is kept. User constraints (min, max,
 * regex, unique) are never loosened: they are for a person to change.
 */
export function widenSchema(schema: DataSchema, statistics: DatasetStatistics, options: InferOptions = {}): DataSchema {
  const inferred = inferSchema(statistics, options);
  const maxDomain = options.maxDomainSize ?? 1000;
  const byName = new Map(inferred.columns.map((c) => [c.name, c]));
  const columns = schema.columns.map((c): ColumnSchema => {
    const seen = byName.get(c.name);
    if (seen === undefined || seen.type !== c.type) return c;
    const next: ColumnSchema = { ...c, maxNullFraction: Math.max(c.maxNullFraction, seen.maxNullFraction) };
    if (c.range !== undefined && seen.range !== undefined) {
      const lo = Math.min(boundValue(c, c.range.min)!, boundValue(seen, seen.range.min)!);
      const hi = Math.max(boundValue(c, c.range.max)!, boundValue(seen, seen.range.max)!);
      next.range = c.type === 'timestamp' ? { min: new Date(lo).toISOString(), max: new Date(hi).toISOString() } : { min: lo, max: hi };
    }
    if (c.type === 'number') {
      if (c.constraints === undefined) {
        if (seen.constraints !== undefined) next.constraints = seen.constraints;
      } else {
        next.constraints = relaxConstraints(c.constraints, statistics.columns.find((s) => s.name === c.name)?.numeric);
      }
    }
    if (c.domain !== undefined) {
      const stats = statistics.columns.find((s) => s.name === c.name);
      const values = new Set([...c.domain, ...Object.keys(stats?.categorical?.frequencies ?? {})]);
      if (values.size > maxDomain || stats?.categorical?.distinctIsLowerBound === true) delete next.domain;
      else next.domain = [...values].sort();
    }
    return next;
  });
  const known = new Set(schema.columns.map((c) => c.name));
  for (const c of inferred.columns) if (!known.has(c.name)) columns.push(c);
  return { ...schema, columns };
}

/** `constraints` relaxed just enough to accept a batch with numeric statistics `m` (key order kept, for a readable diff). */
function relaxConstraints(constraints: ColumnConstraints, m: NumericStatistics | undefined): ColumnConstraints {
  if (m === undefined || m.sketch.count === 0) return constraints;
  const out: ColumnConstraints = { ...constraints };
  if (out.nonNegative === true && m.negatives > 0) delete out.nonNegative;
  if (out.integer === true && (m.nonIntegers ?? 0) > 0) delete out.integer;
  const band = out.band;
  if (band !== undefined && (m.min < band.min || m.max > band.max)) out.band = { min: Math.min(band.min, m.min), max: Math.max(band.max, m.max) };
  return out;
}
