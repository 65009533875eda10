/**
 * Where each group of a near-determined relation sits: a machine's speed, a product's
 * price. η² measures how strongly a categorical column separates a numeric one,
 * and stays the same when the groups trade places — two machines' names swapped upstream,
 * stores filed under each other's ids after a migration. Their effects (each group's mean
 * less the day's mean) do not: a day is measured by how far its group effects moved from
 * their usual places, as a share of how far the groups usually sit apart. A common shift (a
 * warm day warms every machine) moves no effect. Pure: profiles in, metrics out.
 */

/** Per relation (`<x>|<g>`), per group value: its rows and the mean of x on them. */
export type GroupEffects = Record<string, Record<string, [number, number]>>;

/**
 * Share of a number's variance its groups must explain for their effects to be kept: a
 * near-determined relation (a machine's set speed, a product's price, a site's altitude).
 * Where the groups explain less, their means wander with the day (an airport's delays with
 * its weather, a destination's distance with the routes flown to it), and a move is no swap.
 */
export const EFFECT_ETA2 = 0.9;

/** Groups a relation keeps its effects for at most; beyond, none are kept (an id with thousands of values). */
export const EFFECT_GROUPS = 500;

/** Per relation, per group: rows and the sum of x over the pooled days. */
export type EffectPool = Map<string, Map<string, [number, number]>>;

/** The group sums of `profiles`' effects, for {@link effectMetrics}. */
export function effectPool(profiles: ReadonlyArray<{ effects?: GroupEffects }>): EffectPool {
  const pool: EffectPool = new Map();
  for (const p of profiles) {
    for (const [relation, groups] of Object.entries(p.effects ?? {})) {
      let sums = pool.get(relation);
      if (sums === undefined) pool.set(relation, (sums = new Map<string, [number, number]>()));
      for (const [group, [n, mean]] of Object.entries(groups)) {
        const s = sums.get(group);
        if (s === undefined) sums.set(group, [n, n * mean]);
        else {
          s[0] += n;
          s[1] += n * mean;
        }
      }
    }
  }
  return pool;
}

/**
 * `<x>|<g>.effectShift` for each relation of `own` the pool has: over the groups both have,
 * weighted by the day's rows, √(Σ n ((m − m̄) − (M − M̄))² / Σ n (M − M̄)²), where m are the
 * day's group means and M the pool's: the groups' typical move as a share of how far they
 * usually sit from their mean. 0 when every group sits where it usually does; 2 when
 * two groups of a two-group relation traded places. With `leaveOut`, `own` is one of the
 * pooled days and its rows are taken out of the pool first, so a history day is measured
 * as the newest is.
 */
export function effectMetrics(own: GroupEffects | undefined, pool: EffectPool, leaveOut: boolean): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [relation, groups] of Object.entries(own ?? {})) {
    const sums = pool.get(relation);
    if (sums === undefined) continue;
    const common: Array<[number, number, number]> = [];
    for (const [group, [n, mean]] of Object.entries(groups)) {
      const s = sums.get(group);
      if (s === undefined) continue;
      const rows = s[0] - (leaveOut ? n : 0);
      if (rows <= 0) continue;
      common.push([n, mean, (s[1] - (leaveOut ? n * mean : 0)) / rows]);
    }
    if (common.length < 2) continue;
    let weight = 0;
    let dayMean = 0;
    let usualMean = 0;
    for (const [n, m, usual] of common) {
      weight += n;
      dayMean += n * m;
      usualMean += n * usual;
    }
    dayMean /= weight;
    usualMean /= weight;
    let moved = 0;
    let apart = 0;
    for (const [n, m, usual] of common) {
      moved += n * (m - dayMean - (usual - usualMean)) ** 2;
      apart += n * (usual - usualMean) ** 2;
    }
    // The root: under sampling noise alone the ratio of squares has a long upper tail (chi-square on
    // one degree of freedom for two groups) that a median and MAD would take for an outlier; its root does not.
    if (apart > 1e-12 * weight * Math.max(1, usualMean * usualMean)) out[`${relation}.effectShift`] = Math.sqrt(moved / apart);
  }
  return out;
}
