/**
 * Days of scheduled flights between 24 airports (orientation.test.ts, screening.test.ts):
 * every route flies at its own hours, its return at others, a few minutes off schedule, so
 * a flight from A to B at seven is on every day and one from B to A at seven on none.
 */
import { dateOf } from './history-days.js';

/** A uniform number in [0, 1) from an integer (murmur3's finaliser): neighbouring inputs give unrelated outputs. */
function uniform(x: number): number {
  let h = x ^ (x >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

const airports = Array.from({ length: 24 }, (_, i) => `A${i}`);

/** Rows of day `i`: every ordered route departs at hours set by its pair, a few minutes late or early. */
export function flights(i: number): Array<{ time: number; origin: string; destination: string; delay: number }> {
  const midnight = Date.parse(`${dateOf(i)}T00:00:00Z`);
  const rows: Array<{ time: number; origin: string; destination: string; delay: number }> = [];
  for (let o = 0; o < airports.length; o++) {
    for (let d = 0; d < airports.length; d++) {
      if (o === d) continue;
      // The outbound leg in the morning, the return in the evening; busier pairs fly more often.
      const base = o < d ? 6 + ((o * 7 + d) % 5) : 15 + ((d * 7 + o) % 5);
      for (const extra of [0, 2, 4].slice(0, 1 + ((o + d) % 3))) {
        // Four flights in the hour, at minutes that move from day to day.
        for (let f = 0; f < 4; f++) {
          const minute = (i * 13 + o * 7 + d * 3 + f * 11) % 50;
          rows.push({
            time: midnight + (base + extra) * 3_600_000 + minute * 60_000,
            origin: airports[o]!,
            destination: airports[d]!,
            // Mostly on time; one flight in ten late, at random.
            delay: uniform(o * 1_009 + d * 97 + f * 13 + i * 7_919) < 0.1 ? 40 : (o + f) % 9,
          });
        }
      }
    }
  }
  return rows;
}

/** Rows as a CSV partition (date as YYYY-MM-DDTHH:MM, then delay, origin, destination). */
export function flightsCsv(rows: ReturnType<typeof flights>): string {
  return `date,delay,origin,destination\n${rows.map((r) => `${new Date(r.time).toISOString().slice(0, 16)},${r.delay},${r.origin},${r.destination}`).join('\n')}\n`;
}
