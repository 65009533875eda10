/**
 * Daily partitions: a dataset is a folder of files named by the day they
 * hold, `data/<dataset>/<YYYY-MM-DD>.<ext>`. Windows pick the days a run
 * reads: the newest N calendar days, or a date range.
 */
import { type Dirent, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { UserError } from '../errors.js';
import { DATA_EXTENSIONS, displayPath } from './files.js';
import { daysFromCivil } from './infer.js';
import { isoWeekday, MS_PER_DAY } from '../time.js';

/** One day of a dataset: the file holding that day's rows. */
export interface Partition {
  /** The day the file holds, `YYYY-MM-DD`. */
  readonly date: string;
  /** Path of the file (as `displayPath` shows it, so it matches `Table.sources`). */
  readonly file: string;
}

/**
 * Which days to read. `from`/`to` (inclusive) cut the range first; then
 * `newestDays` keeps the newest N calendar days ending at the newest
 * partition left (gaps count as days). `{}` selects everything.
 */
export interface Window {
  readonly newestDays?: number;
  readonly from?: string;
  readonly to?: string;
}

const PARTITION_NAME = /^(\d{4}-\d{2}-\d{2})(\.[A-Za-z]+)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The day a file name holds (`<YYYY-MM-DD>.<data extension>`), or null. */
function partitionDay(name: string): string | null {
  const match = PARTITION_NAME.exec(name);
  return match === null || !DATA_EXTENSIONS.includes(match[2]!.toLowerCase()) ? null : match[1]!;
}

/** The entries of a data folder; a missing folder, or a file given as one, is a `UserError`. */
function folderEntries(folder: string): Dirent[] {
  const shown = displayPath(folder);
  try {
    if (!statSync(folder).isDirectory()) throw new UserError(`not a data folder: ${shown} is a file`);
    return readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`data folder not found: ${shown}`, { cause: error });
  }
}

/**
 * The partitions of `folder`, oldest first. Files that are not named
 * `<YYYY-MM-DD>.<data extension>` (schema.json, README.md, …) are ignored.
 * A missing folder, a folder without partitions, an impossible date, two
 * files for one day, or a folder named as a partition (Spark writes a day's
 * part files so) are `UserError`s.
 */
export function listPartitions(folder: string): Partition[] {
  const byDate = new Map<string, Partition>();
  for (const entry of folderEntries(folder)) {
    const date = partitionDay(entry.name);
    if (date === null) continue;
    const file = displayPath(join(folder, entry.name));
    if (dayNumber(date) === undefined) throw new UserError(`${file}: ${date} is not a calendar date`);
    if (entry.isDirectory())
      throw new UserError(`${file} is a folder, not a file: ct reads one file per day (Spark writes a day as a folder of part files: coalesce(1), then move its part file to ${file})`);
    const other = byDate.get(date);
    if (other !== undefined) throw new UserError(`two partitions for ${date}: ${other.file} and ${file}`);
    byDate.set(date, { date, file });
  }
  if (byDate.size === 0) {
    throw new UserError(`${displayPath(folder)} holds no daily partitions (files named YYYY-MM-DD${DATA_EXTENSIONS[0]} etc.)`);
  }
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** Suffixes of compressed files: ct reads data files uncompressed. */
const COMPRESSED = /\.(gz|bz2|xz|zst|zip)$/i;

/**
 * Data files of `folder` that no run reads, sorted: a data extension (`.csv`, `.parquet`,
 * …) on a name that is not a day (`latest.csv`, `2026-04-10-part2.csv`), or a data file
 * compressed (`2026-04-10.csv.gz`). A person put them there to be read, most likely, and
 * their rows never are. Hidden files (`.name`) are left alone.
 */
export function unreadDataFiles(folder: string): string[] {
  const isData = (name: string): boolean => DATA_EXTENSIONS.includes(extname(name.replace(COMPRESSED, '')).toLowerCase());
  return folderEntries(folder)
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.') && partitionDay(entry.name) === null && isData(entry.name))
    .map((entry) => displayPath(join(folder, entry.name)))
    .sort();
}

/**
 * The partitions inside `window`, oldest first. An empty selection is a
 * `UserError` that says which days the folder does hold.
 */
export function selectWindow(partitions: readonly Partition[], window: Window): Partition[] {
  if (partitions.length === 0) throw new UserError('no partitions to choose a window from');
  const from = window.from === undefined ? undefined : checkedDate(window.from, 'window.from');
  const to = window.to === undefined ? undefined : checkedDate(window.to, 'window.to');
  if (from !== undefined && to !== undefined && from > to) {
    throw new UserError(`window: from ${window.from} is after to ${window.to}`);
  }
  let selected = partitions.filter((p) => (from === undefined || p.date >= window.from!) && (to === undefined || p.date <= window.to!));
  if (window.newestDays !== undefined) selected = newestDays(selected, checkedDays(window.newestDays, 'window.newestDays'));
  if (selected.length === 0) {
    throw new UserError(`no partitions in ${describeWindow(window)}: ${describePartitions(partitions)}`);
  }
  return selected;
}

/** The partitions of the newest `days` calendar days, ending at the newest one (gaps count). */
export function newestDays(partitions: readonly Partition[], days: number): Partition[] {
  const newest = partitions.at(-1);
  if (newest === undefined) return [];
  const first = dayNumber(newest.date)! - days + 1;
  return partitions.filter((p) => dayNumber(p.date)! >= first);
}

/** "data/flights holds 2001-01-01..2001-02-28 (59 days)", for messages. */
export function describePartitions(partitions: readonly Partition[]): string {
  const first = partitions[0];
  const last = partitions.at(-1);
  if (first === undefined || last === undefined) return 'there are no partitions';
  const folder = dirname(first.file);
  const count = `${partitions.length} partition${partitions.length === 1 ? '' : 's'}`;
  return `${folder} holds ${first.date}..${last.date} (${count})`;
}

function describeWindow(window: Window): string {
  const parts: string[] = [];
  if (window.from !== undefined || window.to !== undefined) parts.push(`${window.from ?? '…'}..${window.to ?? '…'}`);
  if (window.newestDays !== undefined) parts.push(`the newest ${window.newestDays} days`);
  return parts.length === 0 ? 'the window' : `the window ${parts.join(', ')}`;
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date, or undefined when it is not a calendar date. */
export function dayNumber(date: string): number | undefined {
  if (!DATE.test(date)) return undefined;
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  const days = daysFromCivil(year, month, day);
  return month >= 1 && month <= 12 && day >= 1 && dateOfDay(days) === date ? days : undefined;
}

/** The `YYYY-MM-DD` date of a day number (inverse of `dayNumber`). */
export function dateOfDay(days: number): string {
  return new Date(days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** A date `YYYY-MM-DD` as a day number; a `UserError` naming `what` otherwise. */
export function checkedDate(value: string, what: string): number {
  const days = dayNumber(value);
  if (days === undefined) throw new UserError(`${what}: expected a date YYYY-MM-DD, got "${value}"`);
  return days;
}

/** A positive whole number of days, or a `UserError` naming the setting. */
export function checkedDays(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) throw new UserError(`${what}: expected a whole number of days >= 1, got ${value}`);
  return value;
}

/** A day missing from a folder of daily partitions, where its weekday nearly always has one. */
export interface MissingDay {
  date: string;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  /** Days of that weekday from `since` to the newest partition, and how many of them have a partition. */
  weekdays: number;
  present: number;
}

/** Share of a weekday's other days that must have a partition for a day of it without one to count as missing. */
const REGULAR_WEEKDAY = 0.75;
/** Other days of its weekday a day needs before it is judged. */
const MIN_OTHER_DAYS = 2;

/**
 * The days from `from` to the newest partition (inclusive) that have no partition while
 * their weekday has one on at least three in four of its other days since `since` (and
 * two or more such days): a folder of
 * weekdays only (no Saturdays or Sundays) misses nothing on weekends, a daily one misses the
 * day an upload never arrived. Dates are `YYYY-MM-DD`; `partitions` oldest first.
 */
export function missingDays(partitions: readonly Partition[], from: string, since: string): MissingDay[] {
  const newest = partitions.at(-1);
  if (newest === undefined) return [];
  const last = dayNumber(newest.date)!;
  const first = Math.min(dayNumber(since)!, dayNumber(from)!);
  const present = new Set(partitions.map((p) => dayNumber(p.date)!));
  // Per ISO weekday (index 1..7): days in the span, and days with a partition.
  const days = new Array<number>(8).fill(0);
  const held = new Array<number>(8).fill(0);
  for (let day = first; day <= last; day++) {
    const w = isoWeekday(day);
    days[w]!++;
    if (present.has(day)) held[w]!++;
  }
  const missing: MissingDay[] = [];
  for (let day = dayNumber(from)!; day <= last; day++) {
    const w = isoWeekday(day);
    // Judged by the other days of its weekday: this one is absent either way.
    const others = days[w]! - 1;
    if (present.has(day) || others < MIN_OTHER_DAYS || held[w]! < REGULAR_WEEKDAY * others) continue;
    missing.push({ date: dateOfDay(day), weekday: w, weekdays: days[w]!, present: held[w]! });
  }
  return missing;
}
