/**
 * Promotion gates with TFX Evaluator's semantics:
 * - value threshold: lowerBound <= value <= upperBound (inclusive; unset = unbounded);
 * - change threshold on delta = candidate - baseline: higherIsBetter passes when
 *   delta >= absolute, lowerIsBetter when delta <= absolute; relative uses delta / |baseline|;
 * - no baseline: change thresholds are skipped and the result is a rubber stamp;
 * - no gates at all: fail closed; a missing or NaN metric, or a missing slice, fails with its reason.
 * Beyond TFX, a significance threshold judges the paired-bootstrap interval of the delta:
 * - improvement: the whole interval is better than +margin (higherIsBetter: lower > margin);
 * - nonInferiority: the whole interval is better than -margin (higherIsBetter: lower > -margin);
 * - noHarm: fails only when the whole interval is worse than -margin (higherIsBetter:
 *   upper < -margin): the burden of proof on the loss, for slices too small to prove
 *   non-inferiority (their intervals are wider than any useful margin).
 * The comparisons are strict, so a candidate identical to production (interval [0, 0]) is
 * never a significant improvement.
 * Metrics measured with a clock (`options.measured`: latency) differ from run to run: a
 * check on one that passes records no value and names none in its message, so the
 * checks stay the same on a rerun; a failed one shows the values (its verdict depends on
 * the machine anyway).
 */
import type { GateConfig } from '../config/types.js';
import { metricDirection, type Metrics } from './metrics.js';
import type { DeltaInterval } from './significance.js';

export interface GateFailure {
  metric: string;
  slice: string | null;
  threshold: string;
  value: number | null;
  baselineValue: number | null;
  delta: number | null;
  ci: [number, number] | null;
  message: string;
}

export interface GateCheck extends GateFailure {
  passed: boolean;
  /** Not applied (no production model, or the slice is below the minimum size): does not fail. */
  skipped: boolean;
}

export interface GateResult {
  ok: boolean;
  rubberStamp: boolean;
  checks: GateCheck[];
  failures: GateFailure[];
}

/** What gates look at: the metrics of one set of rows (all evaluation rows, or one slice). */
export interface GateScope {
  /** Slice key (`origin=ORD`); null for all evaluation rows. */
  slice: string | null;
  rows: number;
  /** Why the slice was not scored (too few rows); null when it was. */
  skipped: string | null;
  candidate: Metrics;
  baseline: Metrics | null;
  intervals: Record<string, DeltaInterval>;
}

export interface GateOptions {
  /** Metrics measured on this machine (latency): passed checks on them record no values. */
  measured?: readonly string[];
}

/** Relative change is undefined for a baseline this close to 0: such a gate fails with a message. */
const RELATIVE_EPSILON = 1e-12;

/**
 * Applies `gates` to the overall scope and the slices they name. `baselineExists` is
 * false for the first model: change and significance thresholds are then skipped.
 */
export function applyGates(gates: readonly GateConfig[], overall: GateScope, slices: readonly GateScope[] = [], options: GateOptions = {}): GateResult {
  const rubberStamp = overall.baseline === null;
  if (gates.length === 0) {
    const message = 'no gates are configured: nothing can be promoted until the config lists at least one (fail closed)';
    const failure: GateFailure = { metric: '(none)', slice: null, threshold: 'gates', value: null, baselineValue: null, delta: null, ci: null, message };
    return { ok: false, rubberStamp, checks: [{ ...failure, passed: false, skipped: false }], failures: [failure] };
  }
  const checks: GateCheck[] = [];
  for (const gate of gates) {
    const scopes = gate.slice === undefined ? [overall] : slices.filter((s) => s.slice === gate.slice || s.slice?.startsWith(`${gate.slice}=`));
    if (scopes.length === 0) {
      checks.push(
        result(gate.metric, gate.slice ?? null, describeGate(gate), null, null, false, false, `slice "${gate.slice}" has no rows in the evaluation data`),
      );
      continue;
    }
    for (const scope of scopes) checks.push(...checkScope(gate, scope, rubberStamp, options.measured?.includes(gate.metric) === true));
  }
  const failures = checks.filter((c) => !c.passed).map(({ passed: _p, skipped: _s, ...f }) => f);
  return { ok: failures.length === 0, rubberStamp, checks, failures };
}

function checkScope(gate: GateConfig, scope: GateScope, rubberStamp: boolean, measured: boolean): GateCheck[] {
  const { metric } = gate;
  const where = scope.slice === null ? metric : `${metric} on ${scope.slice}`;
  // A passed check of a measured metric names no value (see the module comment).
  const shown = (x: number): string => (measured ? '' : ` ${fmt(x)}`);
  if (scope.skipped !== null) return [result(metric, scope.slice, describeGate(gate), null, null, true, true, `${where}: not gated, ${scope.skipped}`)];
  const out: GateCheck[] = [];
  const value = scope.candidate[metric];
  const present = value !== undefined && !Number.isNaN(value);
  const base = scope.baseline?.[metric];
  const basePresent = base !== undefined && !Number.isNaN(base);
  // A comparison gate fails when either side has no value for the metric.
  const missingComparison = (threshold: string): GateCheck =>
    result(
      metric,
      scope.slice,
      threshold,
      present ? value : null,
      basePresent ? base : null,
      false,
      false,
      !present ? missingReason(where, value, 'candidate') : missingReason(where, base, 'production model'),
    );

  if (gate.lowerBound !== undefined || gate.upperBound !== undefined) {
    const threshold = `${gate.lowerBound ?? '-inf'} <= ${metric} <= ${gate.upperBound ?? '+inf'}`;
    if (!present) out.push(result(metric, scope.slice, threshold, null, null, false, false, missingReason(where, value, 'candidate')));
    else {
      const low = gate.lowerBound !== undefined && value < gate.lowerBound;
      const high = gate.upperBound !== undefined && value > gate.upperBound;
      const message = low
        ? `${where} ${fmt(value)} is below the lower bound ${gate.lowerBound}`
        : high
          ? `${where} ${fmt(value)} is above the upper bound ${gate.upperBound}`
          : `${where}${shown(value)} is within bounds`;
      out.push(result(metric, scope.slice, threshold, value, basePresent ? base : null, !low && !high, false, message));
    }
  }

  if (gate.change !== undefined) {
    const { direction, absolute, relative } = gate.change;
    const sign = direction === 'higherIsBetter' ? '>=' : '<=';
    const parts = [absolute === undefined ? null : `delta ${sign} ${absolute}`, relative === undefined ? null : `relative delta ${sign} ${relative}`];
    const threshold = `${metric}: ${parts.filter((p) => p !== null).join(' and ')} (${direction})`;
    if (rubberStamp)
      out.push(
        result(metric, scope.slice, threshold, present ? value : null, null, true, true, 'no production model: change threshold skipped (rubber stamp)'),
      );
    else if (!present || !basePresent) {
      out.push(missingComparison(threshold));
    } else {
      const delta = value - base;
      const better = (d: number, limit: number): boolean => (direction === 'higherIsBetter' ? d >= limit : d <= limit);
      let passed = true;
      let message = measured
        ? `${where}: the change from production is within the threshold`
        : `${where} ${fmt(value)} vs production ${fmt(base)}: delta ${fmtSigned(delta)}`;
      if (absolute !== undefined && !better(delta, absolute)) {
        passed = false;
        message = `${where} changed by ${fmtSigned(delta)} (${fmt(value)} vs production ${fmt(base)}); the gate needs a delta ${sign} ${absolute}`;
      }
      if (passed && relative !== undefined) {
        if (Math.abs(base) < RELATIVE_EPSILON) {
          passed = false;
          message = `${where}: production value ${base} is too close to 0 for a relative threshold`;
        } else if (!better(delta / Math.abs(base), relative)) {
          passed = false;
          message = `${where} changed by ${fmtSigned((delta / Math.abs(base)) * 100)}% relative to production ${fmt(base)}; the gate needs ${sign} ${relative * 100}%`;
        }
      }
      out.push({ ...result(metric, scope.slice, threshold, value, base, passed, false, message), delta });
    }
  }

  if (gate.significance !== undefined) {
    const { test, margin } = gate.significance;
    const direction = gate.significance.direction ?? metricDirection(metric) ?? 'higherIsBetter';
    const limit = test === 'improvement' ? margin : -margin;
    // noHarm judges the other end of the interval: the one nearest to "no loss".
    const bound = (direction === 'higherIsBetter') === (test !== 'noHarm') ? 'lower' : 'upper';
    const threshold =
      test === 'noHarm'
        ? direction === 'higherIsBetter'
          ? `${metric}: upper bound of the delta's interval >= ${limit} (noHarm)`
          : `${metric}: lower bound of the delta's interval <= ${-limit} (noHarm)`
        : direction === 'higherIsBetter'
          ? `${metric}: lower bound of the delta's interval > ${limit} (${test})`
          : `${metric}: upper bound of the delta's interval < ${-limit} (${test})`;
    const interval = scope.intervals[metric];
    if (rubberStamp)
      out.push(
        result(metric, scope.slice, threshold, present ? value : null, null, true, true, 'no production model: significance threshold skipped (rubber stamp)'),
      );
    else if (!present || !basePresent) {
      out.push(missingComparison(threshold));
    } else if (interval === undefined || Number.isNaN(interval.ci[0]) || Number.isNaN(interval.ci[1])) {
      out.push(result(metric, scope.slice, threshold, value, base, false, false, `${where}: no bootstrap interval of the delta could be computed`));
    } else {
      const [lo, hi] = interval.ci;
      const shown = `${where} delta ${fmtSigned(value - base)}, interval [${fmtSigned(lo)}, ${fmtSigned(hi)}]`;
      // The bound that decided, and the edge it was held to, with the digits that tell them apart.
      const [boundText, edgeText] = apart(bound === 'lower' ? lo : hi, direction === 'higherIsBetter' ? limit : -limit);
      let passed: boolean;
      let message: string;
      if (test === 'noHarm') {
        passed = direction === 'higherIsBetter' ? hi >= limit : lo <= -limit;
        message = passed
          ? `${shown}: no loss beyond ${margin} that the interval is sure of`
          : `${shown}: its ${bound} bound ${boundText} is beyond ${edgeText}, so the candidate is worse by more than ${margin}`;
      } else {
        passed = direction === 'higherIsBetter' ? lo > limit : hi < -limit;
        const what =
          test === 'improvement'
            ? margin === 0
              ? 'a significant improvement'
              : `a significant improvement by more than ${margin}`
            : `non-inferior within a margin of ${margin}`;
        message = passed ? `${shown}: ${what}` : `${shown}: its ${bound} bound ${boundText} does not clear ${edgeText}, so this is not ${what}`;
      }
      out.push({ ...result(metric, scope.slice, threshold, value, base, passed, false, message), delta: value - base, ci: interval.ci });
    }
  }
  return measured ? out.map((c) => (c.passed ? { ...c, value: null, baselineValue: null, delta: null } : c)) : out;
}

function describeGate(gate: GateConfig): string {
  const parts: string[] = [];
  if (gate.lowerBound !== undefined || gate.upperBound !== undefined)
    parts.push(`${gate.lowerBound ?? '-inf'} <= ${gate.metric} <= ${gate.upperBound ?? '+inf'}`);
  if (gate.change !== undefined) parts.push(`change of ${gate.metric}`);
  if (gate.significance !== undefined) parts.push(`${gate.significance.test} of ${gate.metric}`);
  return parts.join(', ');
}

function result(
  metric: string,
  slice: string | null,
  threshold: string,
  value: number | null,
  baselineValue: number | null,
  passed: boolean,
  skipped: boolean,
  message: string,
): GateCheck {
  return { metric, slice, threshold, value, baselineValue, delta: null, ci: null, message, passed, skipped };
}

function missingReason(where: string, value: number | undefined, whose: string): string {
  return value === undefined
    ? `${where}: the metric is not computed for the ${whose} (unknown metric for this task?)`
    : `${where} of the ${whose} is NaN (e.g. only one class in these rows)`;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(4);
}

function fmtSigned(x: number, digits = 4): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;
}

/** `x` and `edge` signed, with as many digits (4 to 8) as it takes to tell them apart: never "-0.0050 is beyond -0.0050". */
export function apart(x: number, edge: number): [string, string] {
  for (let digits = 4; digits < 8; digits++) {
    const [a, b] = [fmtSigned(x, digits), fmtSigned(edge, digits)];
    if (a !== b) return [a, b];
  }
  return [fmtSigned(x, 8), fmtSigned(edge, 8)];
}
