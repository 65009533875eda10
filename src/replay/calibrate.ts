/**
 * `ct replay --calibrate`: which gate thresholds would have served the best model the
 * week after each step, judged on the replay's own candidates (none is trained again).
 * Each step's evaluation record is gated again under every variant; a variant that
 * promotes serves the candidate's next-period score, one that blocks serves the production
 * model the step started from. Decisions are re-judged along the replayed path: a variant
 * that promotes differently would also have met other production models later, which the
 * replay did not train against (the report says so). Pure.
 */
import type { EvaluationRecord } from '../artifacts.js';
import type { GateConfig } from '../config/types.js';
import { regateRecord } from '../evaluate/compare.js';
import { mulberry32 } from '../train/random.js';

/** What calibration reads of one replay step. */
export interface CalibrationStep {
  date: string;
  /** The step's evaluation of its candidate against production; null when it stopped before (or had no production). */
  evaluation: EvaluationRecord | null;
  /** Next-period metric of the step's candidate, of the production model it started from, and of what the configured policy served. */
  candidate: number | null;
  kept: number | null;
  served: number | null;
}

/** A set of gates to try: its name in the report and the gates. */
export interface GateVariant {
  name: string;
  gates: GateConfig[];
}

/** One variant's result over the replay. */
export interface VariantResult {
  name: string;
  gates: GateConfig[];
  /** Mean next-period metric of what the variant would have served. */
  mean: number;
  /** Candidates it would have promoted and blocked, of those evaluated against production. */
  promoted: number;
  blocked: number;
}

/** Contents of `calibration.json`. */
export interface CalibrationResult {
  metric: string;
  higherIsBetter: boolean;
  /** Steps whose decision the variants re-judge (an evaluation against production and both scores). */
  judgedSteps: number;
  variants: VariantResult[];
  best: string;
  configured: string;
  /**
   * How stable the choice is: the share of `resamples` bootstrap resamples of the steps in
   * which the best variant is still best (ties count), and the best of each half of the replay.
   */
  stability: { resamples: number; bestShare: number; firstHalf: string; secondHalf: string };
  seconds: number;
}

const CONFIGURED = 'as configured';

/**
 * The variants: the configured gates, then every combination of a test on the headline
 * metric over all rows (non-inferiority or noHarm at a few margins, or none) with one on
 * its slices (the configured slice gates, noHarm at a few margins, a point change, or none).
 * Gates on other metrics stay as configured.
 */
export function gateVariants(configured: readonly GateConfig[], metric: string): GateVariant[] {
  const overall = (g: GateConfig): boolean => g.metric === metric && g.slice === undefined && (g.significance !== undefined || g.change !== undefined);
  const sliced = (g: GateConfig): boolean => g.metric === metric && g.slice !== undefined && (g.significance !== undefined || g.change !== undefined);
  const others = configured.filter((g) => !overall(g) && !sliced(g));
  const sliceNames = [...new Set(configured.filter(sliced).map((g) => g.slice!))];
  const overallOptions: Array<{ name: string; gates: GateConfig[] }> = [
    { name: 'overall as configured', gates: configured.filter(overall) },
    { name: 'no overall change gate', gates: [] },
  ];
  for (const test of ['nonInferiority', 'noHarm'] as const) {
    for (const margin of [0, 0.0025, 0.005, 0.01]) overallOptions.push({ name: `${test} ${margin}`, gates: [{ metric, significance: { test, margin } }] });
  }
  const sliceOptions: Array<{ name: string; gates: GateConfig[] }> = [{ name: 'slices as configured', gates: configured.filter(sliced) }];
  if (sliceNames.length > 0) {
    sliceOptions.push({ name: 'no slice gate', gates: [] });
    for (const margin of [0.02, 0.05, 0.1])
      sliceOptions.push({ name: `slices noHarm ${margin}`, gates: sliceNames.map((slice) => ({ metric, slice, significance: { test: 'noHarm', margin } })) });
    sliceOptions.push({
      name: 'slices delta >= -0.05',
      gates: sliceNames.map((slice) => ({ metric, slice, change: { direction: 'higherIsBetter', absolute: -0.05 } })),
    });
  }
  const variants: GateVariant[] = [{ name: CONFIGURED, gates: [...configured] }];
  // A combination that is the configured set again (or another one already listed) is left out.
  const seen = new Set([gateSetKey(configured)]);
  for (const o of overallOptions) {
    for (const s of sliceOptions) {
      const gates = [...others, ...o.gates, ...s.gates];
      const key = gateSetKey(gates);
      if (seen.has(key)) continue;
      seen.add(key);
      variants.push({ name: `${o.name}; ${s.name}`, gates });
    }
  }
  return variants;
}

/** The same gates in any order, their fields in any order, give the same key. */
function gateSetKey(gates: readonly GateConfig[]): string {
  const canonical = (value: unknown): unknown =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(
          Object.entries(value)
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([k, v]) => [k, canonical(v)]),
        )
      : value;
  return gates
    .map((g) => JSON.stringify(canonical(g)))
    .sort()
    .join('\n');
}

/**
 * Each variant's mean next-period metric over `steps`, the best, and how stable that
 * choice is (`resamples` seeded bootstrap resamples of the steps, and each half).
 */
export function calibrate(
  steps: readonly CalibrationStep[],
  variants: readonly GateVariant[],
  options: { metric: string; higherIsBetter: boolean; resamples?: number; seed?: number; seconds?: number },
): CalibrationResult {
  const better = (a: number, b: number): boolean => (options.higherIsBetter ? a > b : a < b);
  // values[v][s]: what variant v would have served at step s (NaN where nothing was scored).
  const judged = steps.filter((s) => s.evaluation !== null && !s.evaluation.rubberStamp && s.candidate !== null && s.kept !== null).length;
  const decided = variants.map((v) => steps.map((s) => decide(v, s)));
  const values = decided.map((d) => d.map((x) => x.value));
  const meanOf = (v: number, rows: readonly number[]): number => {
    let sum = 0;
    let n = 0;
    for (const r of rows) {
      const x = values[v]![r]!;
      if (!Number.isNaN(x)) {
        sum += x;
        n++;
      }
    }
    return n === 0 ? Number.NaN : sum / n;
  };
  const bestOf = (rows: readonly number[]): number[] => {
    const means = variants.map((_, v) => meanOf(v, rows));
    let top = means[0]!;
    for (const m of means) if (better(m, top)) top = m;
    return means.flatMap((m, v) => (Math.abs(m - top) < 1e-12 ? [v] : []));
  };
  const all = steps.map((_, i) => i);
  const results = variants.map((v, i) => ({
    name: v.name,
    gates: v.gates,
    mean: meanOf(i, all),
    promoted: decided[i]!.filter((x) => x.decision === 'promote').length,
    blocked: decided[i]!.filter((x) => x.decision === 'block').length,
  }));
  // The configured variant wins ties: a change needs a gain.
  const best = bestOf(all).sort((a, b) => (a === 0 ? -1 : b === 0 ? 1 : a - b))[0]!;
  const resamples = options.resamples ?? 1000;
  const random = mulberry32(options.seed ?? 42);
  let kept = 0;
  for (let r = 0; r < resamples; r++) {
    const rows = all.map(() => Math.floor(random() * all.length));
    if (bestOf(rows).includes(best)) kept++;
  }
  const half = Math.floor(all.length / 2);
  return {
    metric: options.metric,
    higherIsBetter: options.higherIsBetter,
    judgedSteps: judged,
    variants: results,
    best: variants[best]!.name,
    configured: CONFIGURED,
    stability: {
      resamples,
      bestShare: resamples === 0 ? 1 : kept / resamples,
      firstHalf: variants[bestOf(all.slice(0, half))[0]!]!.name,
      secondHalf: variants[bestOf(all.slice(half))[0]!]!.name,
    },
    seconds: options.seconds ?? 0,
  };
}

/** What `variant` decides at `step` and the score of what it then serves. */
function decide(variant: GateVariant, step: CalibrationStep): { decision: 'promote' | 'block' | 'none'; value: number } {
  const { evaluation, candidate, kept, served } = step;
  if (evaluation === null || evaluation.rubberStamp || candidate === null || kept === null) return { decision: 'none', value: served ?? Number.NaN };
  return regateRecord(variant.gates, evaluation).ok ? { decision: 'promote', value: candidate } : { decision: 'block', value: kept };
}
