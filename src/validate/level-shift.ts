/**
 * A classification label read off a number by a threshold (`delay > 15`) changes its meaning
 * when the number moves as a whole: delays counted from another reference point, 15 minutes
 * later on every row, turn a fifth of a day's flights late while every value stays plausible.
 * The number's own statistics do not show it — its level follows the weather, and a storm
 * raises a day's mean delay by 20 minutes — but weather moves a day's level together with its
 * spread (some flights very late, the rest on time), where a shift moves the level alone.
 *
 * So a day's mean is measured from the mean of days of its spread: the residual of a
 * least-squares fit of the mean on the standard deviation and the interquartile range over
 * the history days (`<column>.levelShift`), each history day's own residual from the fit
 * without it. On flights' real days the residual stays within 5 of its spreads; 15 minutes
 * added to every delay moves it by 14.
 */

/** The statistics of a day the fit reads. */
type DayMetrics = Readonly<Record<string, number>>;

/** Days the fit needs beyond its three coefficients before a residual means anything. */
const MIN_FIT_DAYS = 10;

/** Name of the level-for-spread residual of `column`. */
export function levelShiftMetric(column: string): string {
  return `${column}.levelShift`;
}

/** The fit's inputs of one day: [1, std, iqr] and the mean; null when one is missing. */
function point(metrics: DayMetrics, column: string): { x: number[]; y: number } | null {
  const mean = metrics[`${column}.mean`];
  const std = metrics[`${column}.std`];
  const q25 = metrics[`${column}.q25`];
  const q75 = metrics[`${column}.q75`];
  if (![mean, std, q25, q75].every((v) => v !== undefined && Number.isFinite(v))) return null;
  return { x: [1, std!, q75! - q25!], y: mean! };
}

/** Least-squares coefficients of `y` on `x` (normal equations, solved by Gaussian elimination); null when singular. */
function fit(points: ReadonlyArray<{ x: readonly number[]; y: number }>): number[] | null {
  const k = points[0]!.x.length;
  const a = Array.from({ length: k }, () => new Array<number>(k + 1).fill(0));
  for (const { x, y } of points) {
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) a[i]![j]! += x[i]! * x[j]!;
      a[i]![k]! += x[i]! * y;
    }
  }
  // A pivot this small against the largest diagonal is a regressor the others already make (a spread that never moved).
  const tolerance = 1e-9 * Math.max(...a.map((row, i) => Math.abs(row[i]!)));
  for (let c = 0; c < k; c++) {
    let pivot = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[pivot]![c]!)) pivot = r;
    if (!(Math.abs(a[pivot]![c]!) > tolerance)) return null;
    [a[c], a[pivot]] = [a[pivot]!, a[c]!];
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / a[c]![c]!;
      for (let j = c; j <= k; j++) a[r]![j]! -= f * a[c]![j]!;
    }
  }
  return a.map((row, i) => row[k]! / row[i]!);
}

function residual(p: { x: readonly number[]; y: number }, b: readonly number[]): number {
  return p.y - p.x.reduce((s, v, i) => s + v * b[i]!, 0);
}

/**
 * `column`'s level-for-spread residual of the newest day (fit on every history day) and of
 * each history day (fit on the others), by position; a day without the statistics gets none.
 * Null when fewer than {@link MIN_FIT_DAYS} history days have them, or the fit is singular
 * (a column whose spread never moved).
 */
export function levelShifts(newest: DayMetrics, history: readonly DayMetrics[], column: string): { newest: number; history: Array<number | undefined> } | null {
  const own = point(newest, column);
  const points = history.map((h) => point(h, column));
  const usable = points.filter((p): p is NonNullable<typeof p> => p !== null);
  if (own === null || usable.length < MIN_FIT_DAYS + 3) return null;
  // Both measures of spread, else the one that moved (a discrete column's interquartile range may sit still).
  for (const keep of REGRESSORS) {
    const pick = (p: { x: number[]; y: number }): { x: number[]; y: number } => ({ x: keep.map((k) => p.x[k]!), y: p.y });
    const picked = usable.map(pick);
    const all = fit(picked);
    if (all === null) continue;
    const history = points.map((p): number | undefined => {
      if (p === null) return undefined;
      const left = usable.indexOf(p);
      const b = fit(picked.filter((_, j) => j !== left));
      return b === null ? undefined : residual(picked[left]!, b);
    });
    return { newest: residual(pick(own), all), history };
  }
  return null;
}

/** The regressors tried, in order: intercept with both spreads, with the standard deviation, with the interquartile range. */
const REGRESSORS = [
  [0, 1, 2],
  [0, 1],
  [0, 2],
];
