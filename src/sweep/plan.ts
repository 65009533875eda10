/**
 * Hyperparameter sweeps: the config's `sweep.parameters` (dotted paths into the
 * `model` and `training` sections, each with a list of values) span a grid; each
 * combination is one leg. Legs are planned here, run as separate jobs (a GitHub Actions
 * matrix) or processes, and the best one is selected on the same evaluation rows.
 * Pure functions over the parsed config.
 */
import { UserError } from '../errors.js';

/** The `sweep` section of the config. */
export interface SweepConfig {
  /** Metric that picks the winner; default the task's headline metric. */
  metric?: string;
  /** `training.learningRate: [0.001, 0.003]`, `model.hidden: [[64, 64], [128, 64]]`. */
  parameters: Record<string, unknown[]>;
  /** More combinations than this is a mistake, not a plan. */
  maxLegs: number;
  /** Legs running at once (the matrix's max-parallel; local processes). */
  maxParallel: number;
}

/** One combination of the grid. */
export interface Leg {
  /** `leg-1`, `leg-2`, ...: stable for a given config (grid order). */
  id: string;
  /** Dotted path -> value. */
  params: Record<string, unknown>;
}

/** Sections a sweep may change: the model and its training, never the data, label or gates. */
const SWEEPABLE = /^(model|training)\.[A-Za-z][A-Za-z0-9]*$/;

/**
 * The legs of the grid, in order: the last parameter varies fastest. A `UserError`
 * naming `sweep.parameters` for a path outside model/training, an empty list, or a
 * grid larger than `maxLegs`.
 */
export function planLegs(sweep: SweepConfig, file: string): Leg[] {
  const entries = Object.entries(sweep.parameters);
  if (entries.length === 0) throw new UserError(`${file}: sweep.parameters: list at least one parameter and its values`);
  for (const [key, values] of entries) {
    if (!SWEEPABLE.test(key)) throw new UserError(`${file}: sweep.parameters.${key}: only model.<field> and training.<field> can be swept`);
    if (!Array.isArray(values) || values.length === 0) throw new UserError(`${file}: sweep.parameters.${key}: expected a non-empty list of values`);
  }
  const size = entries.reduce((n, [, values]) => n * values.length, 1);
  if (size > sweep.maxLegs)
    throw new UserError(
      `${file}: sweep.parameters: ${entries.map(([k, v]) => `${v.length} ${k}`).join(' x ')} make ${size} legs, more than sweep.maxLegs ${sweep.maxLegs}`,
    );
  const legs: Leg[] = [];
  for (let index = 0; index < size; index++) {
    const params: Record<string, unknown> = {};
    let rest = index;
    for (let k = entries.length - 1; k >= 0; k--) {
      const [key, values] = entries[k]!;
      params[key] = values[rest % values.length];
      rest = Math.floor(rest / values.length);
    }
    legs.push({ id: `leg-${index + 1}`, params: Object.fromEntries(entries.map(([key]) => [key, params[key]])) });
  }
  return legs;
}

/** `training.learningRate=0.003 model.hidden=[128,64]`: a leg in one line. */
export function describeLeg(leg: Leg): string {
  return Object.entries(leg.params)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' ');
}

/** The raw config with the leg's values set (the input is not changed). */
export function applyLeg(raw: Record<string, unknown>, leg: Leg): Record<string, unknown> {
  const out = structuredClone(raw);
  for (const [key, value] of Object.entries(leg.params)) {
    const [section, field] = key.split('.') as [string, string];
    const current = out[section];
    out[section] = { ...(typeof current === 'object' && current !== null ? current : {}), [field]: structuredClone(value) };
  }
  return out;
}

/** The `strategy.matrix` of a workflow: `{"include": [{"leg": "leg-1", "params": "..."}]}`. */
export function matrixOf(legs: readonly Leg[]): { include: Array<{ leg: string; params: string }> } {
  return { include: legs.map((leg) => ({ leg: leg.id, params: describeLeg(leg) })) };
}
