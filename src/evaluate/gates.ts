/**
 * Promotion gates with TFX Evaluator's semantics:
 * - value threshold: lowerBound <= value <= upperBound (inclusive; unset = unbounded);
 * - change threshold on delta = candidate - baseline: higherIsBetter passes when
 *   delta >= absolute, lowerIsBetter when delta <= absolute; relative uses delta / |baseline|;
 * - no baseline: change thresholds are skipped and the result is a rubber stamp;
 * - no gates at all: fail closed; a missing or NaN metric fails with its reason.
 */
import type { GateConfig } from '../config/types.js';
import type { Metrics } from './metrics.js';

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

export interface GateCheck {
  metric: string;
  threshold: string;
  value: number | null;
  baselineValue: number | null;
  delta: number | null;
  passed: boolean;
  skipped: boolean;
  message: string;
}

export interface GateResult {
  ok: boolean;
  rubberStamp: boolean;
  checks: GateCheck[];
  failures: GateFailure[];
}

/** Relative change is undefined for a baseline this close to 0: such a gate fails with a message. */
const RELATIVE_EPSILON = 1e-12;

/** Applies `gates` to the candidate's metrics, comparing with the baseline's when there is one. */
export function applyGates(gates: readonly GateConfig[], candidate: Metrics, baseline: Metrics | null): GateResult {
  const checks: GateCheck[] = [];
  if (gates.length === 0) {
    const message = 'no gates are configured: nothing can be promoted until the config lists at least one (fail closed)';
    return { ok: false, rubberStamp: false, checks, failures: [failure('(none)', 'gates', null, null, null, message)] };
  }
  for (const gate of gates) {
    const value = candidate[gate.metric];
    const present = value !== undefined && !Number.isNaN(value);
    if (gate.lowerBound !== undefined || gate.upperBound !== undefined) {
      const threshold = `${gate.lowerBound ?? '-inf'} <= ${gate.metric} <= ${gate.upperBound ?? '+inf'}`;
      if (!present) {
        checks.push(check(gate.metric, threshold, null, null, false, false, missingReason(gate.metric, value, 'candidate')));
      } else {
        const passed = (gate.lowerBound === undefined || value >= gate.lowerBound) && (gate.upperBound === undefined || value <= gate.upperBound);
        checks.push(check(gate.metric, threshold, value, null, passed, false, passed ? `${gate.metric} = ${fmt(value)} is within bounds` : `${gate.metric} = ${fmt(value)} is outside ${threshold}`));
      }
    }
    if (gate.change !== undefined) {
      const { direction, absolute, relative } = gate.change;
      const parts = [absolute === undefined ? null : `delta ${direction === 'higherIsBetter' ? '>=' : '<='} ${absolute}`, relative === undefined ? null : `relative delta ${direction === 'higherIsBetter' ? '>=' : '<='} ${relative}`];
      const threshold = `${gate.metric}: ${parts.filter((p) => p !== null).join(' and ')} (${direction})`;
      if (baseline === null) {
        checks.push(check(gate.metric, threshold, present ? value : null, null, true, true, 'no production model: change threshold skipped (rubber stamp)'));
        continue;
      }
      const base = baseline[gate.metric];
      if (!present || base === undefined || Number.isNaN(base)) {
        const reason = !present ? missingReason(gate.metric, value, 'candidate') : missingReason(gate.metric, base, 'production model');
        checks.push(check(gate.metric, threshold, present ? value : null, base ?? null, false, false, reason));
        continue;
      }
      const delta = value - base;
      const better = (d: number, limit: number): boolean => (direction === 'higherIsBetter' ? d >= limit : d <= limit);
      let passed = true;
      let message = `delta ${fmtSigned(delta)} (${fmt(value)} vs ${fmt(base)})`;
      if (absolute !== undefined && !better(delta, absolute)) {
        passed = false;
        message = `${gate.metric} changed by ${fmtSigned(delta)} (${fmt(value)} vs production ${fmt(base)}); the gate needs ${direction === 'higherIsBetter' ? '>=' : '<='} ${absolute}`;
      }
      if (passed && relative !== undefined) {
        if (Math.abs(base) < RELATIVE_EPSILON) {
          passed = false;
          message = `${gate.metric}: production value ${base} is too close to 0 for a relative threshold`;
        } else if (!better(delta / Math.abs(base), relative)) {
          passed = false;
          message = `${gate.metric} changed by ${fmtSigned((delta / Math.abs(base)) * 100)}% relative; the gate needs ${direction === 'higherIsBetter' ? '>=' : '<='} ${relative * 100}%`;
        }
      }
      checks.push({ ...check(gate.metric, threshold, value, base, passed, false, message), delta });
    }
  }
  const failures = checks.filter((c) => !c.passed).map((c) => failure(c.metric, c.threshold, c.value, c.baselineValue, c.delta, c.message));
  const rubberStamp = baseline === null;
  return { ok: failures.length === 0, rubberStamp, checks, failures };
}

function check(metric: string, threshold: string, value: number | null, baselineValue: number | null, passed: boolean, skipped: boolean, message: string): GateCheck {
  return { metric, threshold, value, baselineValue, delta: null, passed, skipped, message };
}

function failure(metric: string, threshold: string, value: number | null, baselineValue: number | null, delta: number | null, message: string): GateFailure {
  return { metric, slice: null, threshold, value, baselineValue, delta, ci: null, message };
}

function missingReason(metric: string, value: number | undefined, whose: string): string {
  return value === undefined ? `metric "${metric}" is not computed for the ${whose} (unknown metric for this task?)` : `metric "${metric}" of the ${whose} is NaN (e.g. only one class in the evaluation rows)`;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(4);
}

function fmtSigned(x: number): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(4)}`;
}
