/** Lengths of time in milliseconds, the unit of ct's timestamps (UTC epoch milliseconds). */
export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

/** Milliseconds since UTC midnight of an instant in milliseconds since the epoch (before 1970 too). */
export function timeOfDay(t: number): number {
  return ((t % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
}

/** ISO weekday (1 = Monday .. 7 = Sunday) of a day counted from 1970-01-01 (a Thursday). */
export function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** Width of the slots whose UTC offset is looked up once: every transition of every zone falls on a quarter hour. */
const OFFSET_SLOT = 15 * MS_PER_MINUTE;

/** Whether `name` is an IANA time zone this runtime knows (America/New_York, Europe/Berlin, UTC). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * The wall clock of `timeZone`: a function from an instant (epoch milliseconds) to the time
 * the zone's clocks show then, as epoch milliseconds read as UTC, so the hour and the
 * weekday of the result are local ones. Without a zone, the identity: ct's timestamps are
 * read as UTC. A shop's 08:00 opening is 13:00 UTC in winter and 12:00 in summer; on its
 * own clock it stays 08:00, and a daylight-saving change is no shift of its day.
 */
export function wallClock(timeZone: string | undefined): (t: number) => number {
  if (timeZone === undefined) return (t) => t;
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  });
  const offsets = new Map<number, number>();
  const offsetAt = (slot: number): number => {
    let offset = offsets.get(slot);
    if (offset === undefined) {
      const at = slot * OFFSET_SLOT;
      const part: Record<string, number> = {};
      for (const p of format.formatToParts(at)) if (p.type !== 'literal') part[p.type] = Number(p.value);
      offset = Date.UTC(part.year!, part.month! - 1, part.day, part.hour, part.minute) - at;
      offsets.set(slot, offset);
    }
    return offset;
  };
  return (t) => (Number.isFinite(t) ? t + offsetAt(Math.floor(t / OFFSET_SLOT)) : t);
}

/** A local hour a daylight-saving change skipped (clocks went forward through it) or repeated (clocks went back through it). */
export interface ClockChange {
  hour: number;
  kind: 'skipped' | 'repeated';
}

/** Clocks of the zones looked at, made once: each holds a formatter and its offsets. */
const zoneClocks = new Map<string, (t: number) => number>();
/** Changes per day and zone (`''`: any zone), found once. */
const changesByDay = new Map<string, ClockChange[]>();

/**
 * The local hours a daylight-saving change skipped or repeated on `date` (YYYY-MM-DD, a
 * local day) in `timeZone`, or in any time zone this runtime knows when none is given:
 * timestamps written without an offset are some zone's wall clock, and which one is not
 * written down. New York's clocks skip 02:00-03:00 on 2026-03-08 and repeat 01:00-02:00 on
 * 2026-11-01, so a day of local readings has no 2 o'clock or two of them.
 */
export function clockChanges(date: string, timeZone?: string): ClockChange[] {
  const key = `${date}|${timeZone ?? ''}`;
  const known = changesByDay.get(key);
  if (known !== undefined) return known;
  const midnight = Date.parse(`${date}T00:00:00Z`);
  const out: ClockChange[] = [];
  if (Number.isFinite(midnight)) {
    for (const zone of timeZone === undefined ? Intl.supportedValuesOf('timeZone') : [timeZone]) {
      let clock = zoneClocks.get(zone);
      if (clock === undefined) zoneClocks.set(zone, (clock = wallClock(zone)));
      for (const change of zoneChanges(clock, midnight)) if (!out.some((c) => c.hour === change.hour && c.kind === change.kind)) out.push(change);
    }
  }
  changesByDay.set(key, out);
  return out;
}

/** The hours one zone's `clock` skipped or repeated within the local day from `midnight` (its date at 00:00, read as UTC). */
function zoneChanges(clock: (t: number) => number, midnight: number): ClockChange[] {
  const offset = (t: number): number => clock(t) - t;
  // Every zone's offset lies within -12..+14 hours: these instants bound its local day.
  let before = midnight - 14 * MS_PER_HOUR;
  let after = midnight + MS_PER_DAY + 12 * MS_PER_HOUR;
  const first = offset(before);
  const last = offset(after);
  if (first === last) return [];
  // Changes fall on quarter hours: halve the slots until `after` is the first on the new offset.
  while (after - before > OFFSET_SLOT) {
    const middle = before + Math.floor((after - before) / OFFSET_SLOT / 2) * OFFSET_SLOT;
    if (offset(middle) === first) before = middle;
    else after = middle;
  }
  // The wall-clock times shown twice (going back) or never (going forward).
  const from = after + Math.min(first, last) - midnight;
  const to = after + Math.max(first, last) - midnight;
  if (from < 0 || from >= MS_PER_DAY) return [];
  const kind = last > first ? 'skipped' : 'repeated';
  const out: ClockChange[] = [];
  for (let hour = Math.floor(from / MS_PER_HOUR); hour * MS_PER_HOUR < to && hour < 24; hour++) out.push({ hour, kind });
  return out;
}
