/**
 * Type inference for text formats (CSV, JSON Lines): recognisers and parsers
 * that work on UTF-8 bytes in place, so classifying millions of fields
 * allocates no strings.
 *
 * A column is a number when every non-null value is a number, else a boolean
 * when every value is true/false, else a timestamp when every value is an
 * ISO-8601 date or date-time, else a string. A column with no values at all
 * is a string column (nothing says otherwise).
 */
import { type Column, type ColumnType, columnLength, isNull, nullColumn, stringColumnOf, type Table, valueAt } from './table.js';
import { MS_PER_MINUTE, MS_PER_HOUR, MS_PER_DAY } from '../time.js';

/** Candidate types a column can still be, as bit flags. */
export const MAY_NUMBER = 1;
export const MAY_BOOLEAN = 2;
export const MAY_TIMESTAMP = 4;
export const MAY_ANY = MAY_NUMBER | MAY_BOOLEAN | MAY_TIMESTAMP;

/** The flags of `candidates` that the field bytes `[start, end)` still allow. */
export function narrowCandidates(candidates: number, bytes: Uint8Array, start: number, end: number): number {
  let c = candidates;
  if (c & MAY_NUMBER && !isNumberBytes(bytes, start, end)) c &= ~MAY_NUMBER;
  if (c & MAY_BOOLEAN && parseBooleanBytes(bytes, start, end) < 0) c &= ~MAY_BOOLEAN;
  if (c & MAY_TIMESTAMP && Number.isNaN(parseTimestampBytes(bytes, start, end))) c &= ~MAY_TIMESTAMP;
  return c;
}

/** The column type for the surviving candidates; `sawValue` false means the column was all null. */
export function resolveType(candidates: number, sawValue: boolean): ColumnType {
  if (!sawValue) return 'string';
  if (candidates & MAY_NUMBER) return 'number';
  if (candidates & MAY_BOOLEAN) return 'boolean';
  if (candidates & MAY_TIMESTAMP) return 'timestamp';
  return 'string';
}

const ZERO = 48;
const NINE = 57;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const LOWER_E = 101;
const UPPER_E = 69;

/** Powers of ten that are exact doubles: 10^0 .. 10^22. */
const EXACT_POWERS = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** True when the bytes are a decimal number or one of the NaN/Infinity spellings. */
export function isNumberBytes(bytes: Uint8Array, start: number, end: number): boolean {
  return !Number.isNaN(parseNumberBytes(bytes, start, end)) || isNanToken(bytes, start, end);
}

/**
 * Parses `[+-]digits[.digits][(e|E)[+-]digits]` (also `.5`, `5.`), or
 * `nan`/`inf`/`infinity` in any case; NaN when the bytes are not a number.
 * Short numbers (up to 15 significant digits, |exponent| <= 22) are computed
 * exactly with one multiplication or division of exact doubles, which rounds
 * correctly; anything longer falls back to `Number()`.
 */
export function parseNumberBytes(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  if (i >= end) return NaN;
  let negative = false;
  let c = bytes[i]!;
  if (c === PLUS || c === MINUS) {
    negative = c === MINUS;
    i++;
    if (i >= end) return NaN;
    c = bytes[i]!;
  }
  if ((c < ZERO || c > NINE) && c !== DOT) return parseSpecial(bytes, i, end, negative);
  let mantissa = 0;
  let digits = 0; // significant digits accumulated in `mantissa`
  let anyDigit = false;
  let scale = 0; // decimal exponent adjustment from the fraction and dropped digits
  let exact = true;
  while (i < end) {
    c = bytes[i]!;
    if (c < ZERO || c > NINE) break;
    anyDigit = true;
    if (digits < 15) {
      mantissa = mantissa * 10 + (c - ZERO);
      if (mantissa !== 0) digits++;
    } else {
      exact = false;
    }
    i++;
  }
  if (i < end && bytes[i] === DOT) {
    i++;
    while (i < end) {
      c = bytes[i]!;
      if (c < ZERO || c > NINE) break;
      anyDigit = true;
      if (digits < 15) {
        mantissa = mantissa * 10 + (c - ZERO);
        if (mantissa !== 0) digits++;
        scale--;
      } else {
        exact = false;
      }
      i++;
    }
  }
  if (!anyDigit) return NaN;
  if (i < end && (bytes[i] === LOWER_E || bytes[i] === UPPER_E)) {
    i++;
    let expNegative = false;
    if (i < end && (bytes[i] === PLUS || bytes[i] === MINUS)) {
      expNegative = bytes[i] === MINUS;
      i++;
    }
    let exponent = 0;
    let expDigits = 0;
    while (i < end) {
      c = bytes[i]!;
      if (c < ZERO || c > NINE) break;
      if (exponent < 100000) exponent = exponent * 10 + (c - ZERO);
      expDigits++;
      i++;
    }
    if (expDigits === 0) return NaN;
    scale += expNegative ? -exponent : exponent;
  }
  if (i !== end) return NaN;
  if (!exact || scale < -22 || scale > 22) return Number(asciiString(bytes, start, end));
  const magnitude = scale < 0 ? mantissa / EXACT_POWERS[-scale]! : mantissa * EXACT_POWERS[scale]!;
  return negative ? -magnitude : magnitude;
}

/** `nan`, `inf`, `infinity` (any case, inf with a sign); NaN otherwise. */
function parseSpecial(bytes: Uint8Array, start: number, end: number, negative: boolean): number {
  const word = lowerAscii(bytes, start, end, 8);
  if (word === 'inf' || word === 'infinity') return negative ? -Infinity : Infinity;
  return NaN;
}

/** True for `nan` in any case (the spelling `parseNumberBytes` returns NaN for). */
export function isNanToken(bytes: Uint8Array, start: number, end: number): boolean {
  return lowerAscii(bytes, start, end, 3) === 'nan';
}

/** Lower-cased ASCII text of a short field, or '' when it is longer than `max`. */
function lowerAscii(bytes: Uint8Array, start: number, end: number, max: number): string {
  if (end - start > max) return '';
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]! | 0x20);
  return s;
}

function asciiString(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

/** 1 for `true`, 0 for `false` (any case), -1 for anything else. */
export function parseBooleanBytes(bytes: Uint8Array, start: number, end: number): number {
  const n = end - start;
  if (n === 4) {
    return (bytes[start]! | 0x20) === 116 && (bytes[start + 1]! | 0x20) === 114 &&
      (bytes[start + 2]! | 0x20) === 117 && (bytes[start + 3]! | 0x20) === 101 ? 1 : -1;
  }
  if (n === 5) {
    return (bytes[start]! | 0x20) === 102 && (bytes[start + 1]! | 0x20) === 97 &&
      (bytes[start + 2]! | 0x20) === 108 && (bytes[start + 3]! | 0x20) === 115 &&
      (bytes[start + 4]! | 0x20) === 101 ? 0 : -1;
  }
  return -1;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Two ASCII digits at `i` as a number, or -1. */
function twoDigits(bytes: Uint8Array, i: number): number {
  const a = bytes[i]! - ZERO;
  const b = bytes[i + 1]! - ZERO;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Parses an ISO-8601 date or date-time to epoch milliseconds (UTC), or NaN.
 * Accepted: `YYYY-MM-DD`, then optionally `T` (or a space) and `HH:MM`,
 * `:SS`, a fraction of a second, and a zone `Z`, `±HH`, `±HHMM` or `±HH:MM`.
 * Without a zone the wall-clock time is taken as UTC, so results do not
 * depend on the machine's time zone. Impossible dates (2001-02-30) are NaN.
 */
export function parseTimestampBytes(bytes: Uint8Array, start: number, end: number): number {
  const n = end - start;
  if (n < 10 || bytes[start + 4] !== MINUS || bytes[start + 7] !== MINUS) return NaN;
  const hi = twoDigits(bytes, start);
  const lo = twoDigits(bytes, start + 2);
  const month = twoDigits(bytes, start + 5);
  const day = twoDigits(bytes, start + 8);
  if (hi < 0 || lo < 0 || month < 1 || month > 12 || day < 1) return NaN;
  const year = hi * 100 + lo;
  const leap = month === 2 && (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 1 : 0;
  if (day > DAYS_IN_MONTH[month - 1]! + leap) return NaN;
  let ms = daysFromCivil(year, month, day) * MS_PER_DAY;
  if (n === 10) return ms;

  let i = start + 10;
  const sepChar = bytes[i];
  if ((sepChar !== 84 && sepChar !== 116 && sepChar !== 32) || end - i < 6) return NaN; // T, t or space
  const hour = twoDigits(bytes, i + 1);
  const minute = twoDigits(bytes, i + 4);
  if (bytes[i + 3] !== 58 || hour < 0 || hour > 23 || minute < 0 || minute > 59) return NaN;
  ms += hour * MS_PER_HOUR + minute * MS_PER_MINUTE;
  i += 6;
  if (i < end && bytes[i] === 58) {
    const second = end - i >= 3 ? twoDigits(bytes, i + 1) : -1;
    if (second < 0 || second > 59) return NaN;
    ms += second * 1000;
    i += 3;
    if (i < end && (bytes[i] === DOT || bytes[i] === 44)) {
      i++;
      let scale = 100;
      const fractionStart = i;
      while (i < end && bytes[i]! >= ZERO && bytes[i]! <= NINE) {
        ms += (bytes[i]! - ZERO) * scale;
        scale /= 10;
        i++;
      }
      if (i === fractionStart) return NaN;
    }
  }
  if (i === end) return ms;
  const zone = bytes[i];
  if (zone === 90 || zone === 122) return i + 1 === end ? ms : NaN; // Z or z
  if (zone !== PLUS && zone !== MINUS) return NaN;
  const rest = end - i - 1;
  const zh = twoDigits(bytes, i + 1);
  let zm = 0;
  if (rest === 4) zm = twoDigits(bytes, i + 3);
  else if (rest === 5 && bytes[i + 3] === 58) zm = twoDigits(bytes, i + 4);
  else if (rest !== 2) return NaN;
  if (zh < 0 || zh > 23 || zm < 0 || zm > 59) return NaN;
  const offset = (zh * 60 + zm) * MS_PER_MINUTE;
  return zone === PLUS ? ms - offset : ms + offset;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** `parseTimestampBytes` for a JS string (non-ASCII text is never a timestamp). */
export function parseTimestampString(s: string): number {
  if (s.length < 10 || s.length > 40) return NaN;
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 127) return NaN;
    bytes[i] = c;
  }
  return parseTimestampBytes(bytes, 0, bytes.length);
}

/**
 * A text value read as the `type` a schema gives its column (a number column that a reader
 * typed as text because some of its values are not numbers): NaN where it is not one.
 */
export function parseTextAs(type: 'number' | 'timestamp', text: string): number {
  if (type === 'timestamp') return parseTimestampString(text);
  const t = text.trim();
  return t === '' ? NaN : Number(t);
}

/**
 * `table` with each text column named in `types` read as that type, values that do not
 * parse as nulls: so the statistics of a number column with a few bad values (a header
 * line repeated mid-file, an "N/A") stay those of its numbers.
 */
export function withColumnTypes(table: Table, types: ReadonlyMap<string, 'number' | 'timestamp'>): Table {
  if (!table.columns.some((c) => c.type === 'string' && types.has(c.name))) return table;
  const columns = table.columns.map((column): Column => {
    const type = types.get(column.name);
    return column.type !== 'string' || type === undefined ? column : columnAs(column, type);
  });
  return { ...table, columns };
}

/**
 * `column` as `type`, for a file whose reader typed a column otherwise than the other files'
 * did (a Parquet export that wrote numbers as text, a code column read as numbers): text
 * parsed as `type`, null where it does not parse; anything written as text for a text
 * column; numbers and times of the other kind, whose units are unknown, as nulls.
 */
export function columnAs(column: Column, type: ColumnType): Column {
  if (column.type === type) return column;
  const rows = columnLength(column);
  if (type === 'string') return stringColumnOf(column.name, rows, (i) => (isNull(column, i) ? null : String(valueAt(column, i))));
  if (column.type !== 'string') return nullColumn(column.name, type, rows);
  const parsed = column.dictionary.map((text) => (type === 'boolean' ? parseBooleanText(text) : parseTextAs(type, text)));
  const values = type === 'boolean' ? new Uint8Array(rows) : new Float64Array(rows).fill(NaN);
  const nulls = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const code = column.codes[i]!;
    const x = code < 0 ? NaN : parsed[code]!;
    if (Number.isNaN(x)) nulls[i] = 1;
    else values[i] = x;
  }
  return { type, name: column.name, values, nulls } as Column;
}

/** 1 for "true", 0 for "false" (any case, as the readers take them), NaN otherwise. */
function parseBooleanText(text: string): number {
  const bytes = Buffer.from(text.trim());
  const b = parseBooleanBytes(bytes, 0, bytes.length);
  return b < 0 ? NaN : b;
}
