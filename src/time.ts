/** Lengths of time in milliseconds, the unit of ct's timestamps (UTC epoch milliseconds). */
export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

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
