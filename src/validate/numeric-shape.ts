/**
 * Values changed in place while every one stays valid: a share of a numeric column filled
 * with one constant where something upstream failed (0 for a failed lookup, -1, a mean, a
 * cap), or rounded by a step that lost precision. The column's range and spread barely move;
 * its grain does.
 *
 * - `<column>.spikeShare`: the largest share of rows a value a fill would write (a default
 *   such as 0, -1 or 999, the day's lowest or highest value, a value finer than the column's
 *   resolution) holds beyond twice the count of its busier neighbour (the next smaller and
 *   next larger value seen). A smooth column has none; a column of discrete levels has a
 *   steady one; a fill or a cap adds its rows to it. In the label every value is looked at:
 *   its values are outcomes, and a pile on one of them (a cap on part of the rows, a default
 *   in the middle of the range) is a step that wrote it.
 * - `<column>.roundShare`: how many more of its nonzero values are round one decimal place
 *   above the column's own resolution (multiples of 10 for whole minutes, whole numbers for
 *   tenths of a degree) than end in any one other digit (11..19, 21..29), as a share of the
 *   values. Steady whatever the day's mix; rounding part of the rows moves values onto the
 *   round ones.
 * - `<column>.resolution`: the power of ten nearly every distinct value is a multiple of
 *   (0 for whole minutes, -1 for tenths): rounding every row makes it coarser.
 *
 * All three are measured against the column's history like a share of defective rows.
 */
import type { Table } from '../data/table.js';

/** Distinct values counted per column at most; beyond, values seen once are dropped (they are no spike). */
const MAX_VALUES = 50_000;
/** Distinct values a column needs before its grain means anything (fewer: codes, levels, flags). */
const MIN_DISTINCT = 20;
/** How many times its busier neighbour's count a value must exceed to count as a spike. */
const SPIKE_FACTOR = 2;
/** Finest and coarsest decimal places told apart: 10^-6 .. 10^6. */
const MIN_PLACE = -6;
const MAX_PLACE = 6;
/** Share of distinct nonzero values that must be multiples of a power of ten for it to be the column's resolution. */
const RESOLUTION_SHARE = 0.99;

/** Digits counted per place: a value's lowest nonzero digit (1..9) at the place where it sits. */
const DIGITS = 10;
/** Index of a value finer than `MIN_PLACE` (continuous) in a histogram of places. */
const FINER = 0;
/** Slots of the places and digits. */
const SLOTS = (MAX_PLACE - MIN_PLACE + 2) * DIGITS;
/** Offset of the slots of values of more than one digit at their place. */
const WIDE = SLOTS;

/**
 * The place of a nonzero `v`'s lowest nonzero decimal digit and `v` in units of that place
 * (21 -> 10^0, 21; 2.5 -> 10^-1, 25; 300 -> 10^2, 3); place `MIN_PLACE - 1` for a value
 * finer than 10^MIN_PLACE.
 */
function placeOf(v: number): { place: number; units: number } {
  const a = Math.abs(v);
  if (Number.isInteger(a)) {
    let place = 0;
    let units = a;
    for (; place < MAX_PLACE && units % 10 === 0; units /= 10) place++;
    return { place, units };
  }
  for (let place = -1; place >= MIN_PLACE; place--) {
    const units = a * 10 ** -place;
    if (Math.abs(units - Math.round(units)) <= 1e-9 * units) return { place, units: Math.round(units) };
  }
  return { place: MIN_PLACE - 1, units: 0 };
}

/** Index of a place in a histogram of places: 1 for 10^MIN_PLACE up, FINER below it. */
function placeIndex(place: number): number {
  return place < MIN_PLACE ? FINER : place - MIN_PLACE + 1;
}

/** Where in a histogram of places and last digits a nonzero `v` goes (FINER for a value finer than 10^MIN_PLACE). */
function slotOf(v: number): number {
  const { place, units } = placeOf(v);
  if (place < MIN_PLACE) return FINER;
  // Values of one digit (1..9 times their place) sit apart: near zero, where most mass may be, no round value is beside them.
  return (units >= 10 ? WIDE : 0) + placeIndex(place) * DIGITS + (units % 10);
}

interface ColumnGrain {
  counts: Map<number, number>;
  rows: number;
  /** Nonzero values per `slotOf`. */
  slots: Float64Array;
}

/** Value counts and decimal places per column, accumulated chunk by chunk. */
function createCounts(): { grains: Map<string, ColumnGrain>; add(table: Table, columns: ReadonlySet<string>): void } {
  const grains = new Map<string, ColumnGrain>();
  return {
    grains,
    add(table: Table, columns: ReadonlySet<string>): void {
      for (const column of table.columns) {
        if (column.type !== 'number' || !columns.has(column.name)) continue;
        let entry = grains.get(column.name);
        if (entry === undefined) grains.set(column.name, (entry = { counts: new Map(), rows: 0, slots: new Float64Array(2 * SLOTS) }));
        const { counts, slots } = entry;
        for (const v of column.values) {
          // Null numbers hold NaN.
          if (!Number.isFinite(v)) continue;
          entry.rows++;
          if (v !== 0) slots[slotOf(v)]!++;
          counts.set(v, (counts.get(v) ?? 0) + 1);
          if (counts.size > MAX_VALUES) for (const [value, count] of counts) if (count === 1) counts.delete(value);
        }
      }
    },
  };
}

/**
 * Accumulates, chunk by chunk, the value counts and decimal places of the numeric columns
 * named in `columns` (the model's numeric inputs and the label: where a fill or rounding
 * changes what the model learns; an id or a code is left out); `result` gives the metrics.
 * In `label`, a spike at any value counts, not only at a value a fill writes.
 */
export function createNumericShape(columns: ReadonlySet<string>, label: string | null = null): { add(table: Table): void; result(): Record<string, number> } {
  const counts = createCounts();
  const { grains } = counts;
  return {
    add: (table: Table): void => counts.add(table, columns),
    result(): Record<string, number> {
      const out: Record<string, number> = {};
      for (const [name, { counts, rows, slots }] of grains) {
        if (counts.size < MIN_DISTINCT || rows === 0) continue;
        const resolution = resolutionOf(counts);
        out[`${name}.spikeShare`] = (largestSpike(counts, resolution, name === label)?.excess ?? 0) / rows;
        if (resolution !== null && resolution < SLOTS / DIGITS - 1) out[`${name}.roundShare`] = roundShare(slots, resolution);
        // Every value rounded coarser (distances to hundreds) leaves the round share as it was, one place up.
        if (resolution !== null) out[`${name}.resolution`] = resolution + MIN_PLACE - 1;
      }
      return out;
    },
  };
}

/** Values a failed step writes in place of the real one: zero, -1, runs of nines (9, 99, -999, ...). */
const DEFAULT_VALUES = new Set([0, -1, ...[9, 99, 999, 9_999, 99_999, 999_999].flatMap((n) => [n, -n])]);

/** The most spiking value of a column, its rows, and the rows it holds beyond `SPIKE_FACTOR` times its busier neighbour. */
export interface Spike {
  value: number;
  rows: number;
  excess: number;
  /** The next smaller and next larger value seen, with their rows (null at an end of the range or for a value finer than the resolution). */
  below: { value: number; rows: number } | null;
  above: { value: number; rows: number } | null;
}

/**
 * The most spiking value among those a fill or a cap writes: a default (`DEFAULT_VALUES`),
 * the day's lowest and highest value (a floor or a cap), and a value finer than the column's
 * resolution (a mean imputed into whole numbers). Any other value of an input may be popular
 * for real reasons (a price on sale, a busy route); with `anyValue` (the label) every value
 * is looked at. Null when no value holds more than its neighbours allow.
 */
function largestSpike(counts: ReadonlyMap<number, number>, resolution: number | null, anyValue: boolean): Spike | null {
  const values = [...counts.keys()].sort((a, b) => a - b);
  const finer = (v: number): boolean => resolution !== null && v !== 0 && placeIndex(placeOf(v).place) < resolution;
  const at = (i: number): { value: number; rows: number } | null => (i >= 0 && i < values.length ? { value: values[i]!, rows: counts.get(values[i]!)! } : null);
  let largest: Spike | null = null;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const rows = counts.get(v)!;
    // A value finer than the resolution has no neighbours at its own precision.
    const alone = finer(v);
    if (!(alone || anyValue || DEFAULT_VALUES.has(v) || i === 0 || i === values.length - 1)) continue;
    const neighbour = alone ? 0 : Math.max(i > 0 ? counts.get(values[i - 1]!)! : 0, i + 1 < values.length ? counts.get(values[i + 1]!)! : 0);
    const excess = rows - SPIKE_FACTOR * neighbour;
    // Only the winner is described: the label looks at every one of up to MAX_VALUES values.
    if (excess > (largest?.excess ?? 0)) largest = { value: v, rows, excess, below: alone ? null : at(i - 1), above: alone ? null : at(i + 1) };
  }
  return largest;
}

/**
 * The spike `<column>.spikeShare` measures in one column of a table: the value, its rows and
 * its neighbours', to show a reviewer (`anyValue` as for the label). Null for a column with
 * too few distinct values or no spike.
 */
export function spikeIn(table: Table, column: string, anyValue: boolean): Spike | null {
  const shape = createCounts();
  shape.add(table, new Set([column]));
  const grain = shape.grains.get(column);
  if (grain === undefined || grain.counts.size < MIN_DISTINCT) return null;
  return largestSpike(grain.counts, resolutionOf(grain.counts), anyValue);
}

/**
 * The column's resolution as an index of its places (place - MIN_PLACE + 1): the coarsest
 * place at or above which nearly every distinct nonzero value sits (distinct, so a value
 * filled into many rows does not move it); null for continuous values.
 */
function resolutionOf(counts: ReadonlyMap<number, number>): number | null {
  const atPlace = new Float64Array(SLOTS / DIGITS);
  let total = 0;
  for (const v of counts.keys()) {
    if (v === 0) continue;
    atPlace[placeIndex(placeOf(v).place)]!++;
    total++;
  }
  let atLeast = 0;
  for (let p = atPlace.length - 1; p >= 1; p--) {
    atLeast += atPlace[p]!;
    if (total > 0 && atLeast >= RESOLUTION_SHARE * total) return p;
  }
  return null;
}

/**
 * Values round one place above the resolution (index `p`), less the mean count of each
 * other last digit at the resolution (among values of more than one digit: 11..19, 21..29,
 * as 10 and 20 are), as a share of the nonzero values.
 */
function roundShare(slots: Float64Array, p: number): number {
  const total = slots.reduce((a, b) => a + b, 0);
  let round = 0;
  for (let i = (p + 1) * DIGITS; i < SLOTS; i++) round += slots[i]! + slots[WIDE + i]!;
  let beside = 0;
  for (let d = 1; d < DIGITS; d++) beside += slots[WIDE + p * DIGITS + d]!;
  return (round - beside / (DIGITS - 1)) / total;
}
