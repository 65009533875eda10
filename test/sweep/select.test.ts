/** `ct sweep select`'s pure parts: which leg wins, when legs compare, and the record. */
import type { EvaluationRecord } from '../../src/artifacts.js';
import { bestLeg, checkComparable, type LegOutcome, sweepRecord } from '../../src/sweep/select.js';
import { expectUserError } from '../helpers.js';

/** A leg's outcome evaluated on `fingerprint` against production `baseline`. */
function outcome(id: string, value: number, fingerprint = 'sha256:aaaaaaaaaaaaaaaaaaaaaaaa', baseline: string | null = 'v1'): LegOutcome {
  const evaluation = {
    rows: 100,
    data: { fingerprint, parts: ['d1'] },
    baseline: baseline === null ? null : { version: baseline },
  } as unknown as EvaluationRecord;
  return {
    id,
    params: { 'training.learningRate': value },
    value,
    delta: null,
    gatesPassed: true,
    failures: [],
    trainSeconds: 1,
    contentHash: `h-${id}`,
    dir: `/legs/${id}`,
    evaluation,
  };
}

test("the best leg by the metric's direction; ties go to the earlier leg", () => {
  const legs = [outcome('leg-1', 0.7), outcome('leg-2', 0.9), outcome('leg-3', 0.9), outcome('leg-4', 0.2)];
  expect(bestLeg(legs, true).id).toBe('leg-2');
  expect(bestLeg(legs, false).id).toBe('leg-4');
  expect(bestLeg([outcome('leg-1', 0.5), outcome('leg-2', 0.5)], false).id).toBe('leg-1');
});

test('legs compare only on the same rows against the same production model', () => {
  expect(() => checkComparable([outcome('leg-1', 1), outcome('leg-2', 2)])).not.toThrow();
  expectUserError(
    () => checkComparable([outcome('leg-1', 1), outcome('leg-2', 2, 'sha256:bbbbbbbbbbbbbbbbbbbbbbbb')]),
    /^leg-2 was evaluated on other rows or against another production model than leg-1 \(data sha256:bbbbbbbbbbbb vs sha256:aaaaaaaaaaaa, production v1 vs v1\)/,
  );
  expectUserError(
    () => checkComparable([outcome('leg-1', 1), outcome('leg-2', 2, undefined, null)]),
    /production none vs v1\): run all legs on the same data$/,
  );
});

test('the record lists every leg without its folder or evaluation, and the rows they share', () => {
  const record = sweepRecord({ model: 'm', metric: 'auc', higherIsBetter: true, selected: 'leg-2', run: null }, [outcome('leg-1', 0.7), outcome('leg-2', 0.9)]);
  expect(record).toMatchObject({
    format: 'ct-sweep',
    model: 'm',
    metric: 'auc',
    selected: 'leg-2',
    rows: 100,
    data: { fingerprint: expect.any(String), parts: ['d1'] },
    baseline: 'v1',
    run: null,
  });
  expect(Object.keys(record.legs[0]!)).toEqual(['id', 'params', 'value', 'delta', 'gatesPassed', 'failures', 'trainSeconds', 'contentHash']);
});
