/**
 * Synthetic days for the alignment check (alignment.test.ts, checker.test.ts): departures in
 * time order from 40 airports, each airport and hour with its own delay rate (weather,
 * congestion), as on real days.
 */

/** A seeded uniform generator (LCG): the same day on every run. */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface DelayDay {
  /** Departure times (ms), ascending through the day (UTC). */
  times: number[];
  origins: string[];
  /** Delays in minutes, after any slide. */
  delays: number[];
  /** The production model's prediction of each row (the true rate, blurred). */
  predictions: Map<number, number>;
}

export interface DelayDayOptions {
  rows?: number;
  /** False: every airport and hour has the same rate, and the prediction is that rate. */
  informative?: boolean;
  /** Delays of rows [from, to) moved by `by` rows, rotating within the block. */
  slide?: { from: number; to: number; by: number };
  /** Delays proportional to the rate, with noise, for a regression label. */
  regression?: boolean;
  /** With `regression`: positive amounts with a long tail instead (log-normal around a level the rate sets, as a basket's value). */
  amounts?: boolean;
  /** The day (default 2001-03-01). */
  date?: string;
}

const airports = Array.from({ length: 40 }, (_, i) => `A${i}`);

/** One synthetic day of `rows` departures (8,000 by default). */
export function delayDay(seed: number, options: DelayDayOptions = {}): DelayDay {
  const n = options.rows ?? 8000;
  const rand = uniform(seed);
  const start = Date.parse(`${options.date ?? '2001-03-01'}T00:00Z`);
  const rate = new Map<string, number>();
  const rateOf = (airport: string, hour: number): number => {
    const key = `${airport} ${hour}`;
    if (!rate.has(key)) rate.set(key, options.informative === false ? 0.2 : 0.03 + 0.75 * rand() ** 2);
    return rate.get(key)!;
  };
  const times: number[] = [];
  const origins: string[] = [];
  const delays: number[] = [];
  const predictions = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const t = start + Math.floor((i / n) * 24 * 3600_000);
    const origin = airports[Math.floor(rand() * airports.length)]!;
    const r = rateOf(origin, Math.floor((t - start) / 3600_000));
    times.push(t);
    origins.push(origin);
    const level = 20 + 100 * r;
    // Box-Muller: a standard normal from two uniforms.
    const normal = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    delays.push(
      options.regression !== true
        ? rand() < r
          ? 30 + Math.floor(rand() * 60)
          : Math.floor(rand() * 10)
        : options.amounts === true
          ? Math.round(level * Math.exp(1.0 * normal()) * 100) / 100
          : r * 100 + (rand() - 0.5) * 40,
    );
    predictions.set(
      i,
      options.informative === false
        ? 0.2
        : options.regression === true
          ? options.amounts === true
            ? level
            : r * 100 + (rand() - 0.5) * 20
          : Math.min(0.95, Math.max(0.02, r + (rand() - 0.5) * 0.2)),
    );
  }
  const slid = delays.slice();
  if (options.slide !== undefined) {
    const { from, to, by } = options.slide;
    for (let i = from; i < to; i++) slid[i] = delays[from + ((i - from + by + (to - from)) % (to - from))]!;
  }
  return { times, origins, delays: slid, predictions };
}

/** A day as CSV (date, delay, origin), minutes of ISO time as in the flights partitions. */
export function delayDayCsv(d: DelayDay): string {
  const lines = d.times.map((t, i) => `${new Date(t).toISOString().slice(0, 16)},${d.delays[i]},${d.origins[i]}`);
  return `date,delay,origin\n${lines.join('\n')}\n`;
}
