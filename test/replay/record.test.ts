import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ReplayStep, ValidationResult } from '../../src/artifacts.js';
import { planReplay } from '../../src/replay/plan.js';
import { stepLine, stepLogger, stepStatus } from '../../src/replay/progress.js';
import { addedCost, emptyStep, partitionDate, type StepRun, stepOutcome } from '../../src/replay/record.js';
import { nextServed, NOTHING_SERVED, servedDirs, servedKeys } from '../../src/replay/served.js';
import { expectUserError, recordingLogger } from '../helpers.js';

type Anomaly = ValidationResult['anomalies'][number];
const anomaly = (severity: 'error' | 'warning', message: string) => ({ severity, message }) as Anomaly;

function run(overrides: Partial<StepRun> = {}): StepRun {
  return {
    stoppedAt: null,
    validation: { files: ['data/2001-01-01.parquet', 'data/2001-01-07.parquet'], anomalies: [] },
    training: { timing: { durationSeconds: 4 } } as StepRun['training'],
    evaluation: { failures: [], deltas: { auc: { value: 0.01, ci: [-0.002, 0.02] } }, timing: { durationSeconds: 2 } } as unknown as StepRun['evaluation'],
    promotion: { promoted: true, reason: 'gates passed' },
    ...overrides,
  };
}

describe('replay step record', () => {
  it('starts with nothing read, served or scored, and the next period as scheduled', () => {
    const step = emptyStep('2001-02-05', 7);
    expect(step).toMatchObject({
      date: '2001-02-05',
      window: null,
      next: { first: '2001-02-05', last: '2001-02-11', rows: 0 },
      stoppedAt: null,
      reasons: [],
      promoted: false,
    });
    expect(Object.keys(step)).toEqual([
      'date',
      'window',
      'next',
      'stoppedAt',
      'reasons',
      'delta',
      'promoted',
      'served',
      'scores',
      'seconds',
      'trainSeconds',
      'evaluateSeconds',
      'cost',
      'start',
    ]);
  });

  it('records a promotion: the window read, the delta of the headline metric, the stage times', () => {
    expect(stepOutcome(run(), 'auc')).toEqual({
      window: { first: '2001-01-01', last: '2001-01-07' },
      stoppedAt: null,
      promoted: true,
      trainSeconds: 4,
      evaluateSeconds: 2,
      reasons: [],
      delta: { value: 0.01, ci: [-0.002, 0.02] },
      start: 'full',
    });
    const warm = run({ training: { timing: { durationSeconds: 1 }, start: { mode: 'warm' } } as StepRun['training'] });
    expect(stepOutcome(warm, 'auc').start).toBe('warm');
    expect(stepOutcome(run(), 'rmse').delta).toBeNull();
  });

  it('says why a step stopped: error anomalies or drift, failed gates, promotion', () => {
    const validation = { files: [], anomalies: [anomaly('warning', 'w'), anomaly('error', 'bad column')] };
    expect(stepOutcome(run({ stoppedAt: 'validate', validation, training: null, evaluation: null, promotion: null }), 'auc')).toMatchObject({
      window: null,
      reasons: ['bad column'],
      promoted: false,
      trainSeconds: null,
      evaluateSeconds: null,
      delta: null,
    });
    expect(
      stepOutcome(run({ stoppedAt: 'validate', validation: { files: [], anomalies: [] }, training: null, evaluation: null, promotion: null }), 'auc').reasons,
    ).toEqual(['dataset drift (validation.drift.blocking)']);
    const failed = run({
      stoppedAt: 'evaluate',
      promotion: null,
      evaluation: { failures: [{ message: 'auc below 0.7' }], deltas: {}, timing: { durationSeconds: 1 } } as unknown as StepRun['evaluation'],
    });
    expect(stepOutcome(failed, 'auc').reasons).toEqual(['auc below 0.7']);
    expect(stepOutcome(run({ stoppedAt: 'promote', promotion: { promoted: false, reason: 'pull request failed' } }), 'auc').reasons).toEqual([
      'pull request failed',
    ]);
  });

  it('adds the stage seconds of each pipeline run of a step', () => {
    const once = addedCost(emptyStep('2001-02-05', 7).cost, { validate: 1.5, train: 4, evaluate: 2, promote: null });
    expect(addedCost(once, { validate: 1, train: null, evaluate: null, promote: null })).toEqual({ validate: 2.5, train: 4, evaluate: 2, promote: 0 });
  });

  it('dates a partition by its file name', () => {
    expect(partitionDate('/data/flights/2001-01-29.parquet')).toBe('2001-01-29');
  });
});

describe('what the policies serve', () => {
  const v1 = { key: 'v1', dir: '/r/v1' };
  const v2 = { key: 'v2', dir: '/r/v2' };
  const c1 = { key: 'candidate 2001-01-29', dir: '/out/steps/2001-01-29/model' };

  it('never keeps the first production model, always the newest candidate, gated production', () => {
    const first = nextServed(NOTHING_SERVED, null, c1);
    expect(first).toEqual({ never: null, always: c1, gated: null });
    const second = nextServed(first, v1, null);
    expect(second).toEqual({ never: v1, always: c1, gated: v1 });
    const third = nextServed(second, v2, null);
    expect(third).toEqual({ never: v1, always: c1, gated: v2 });
    expect(servedKeys(third)).toEqual({ never: 'v1', always: 'candidate 2001-01-29', gated: 'v2' });
    expect(servedKeys(NOTHING_SERVED)).toEqual({ never: null, always: null, gated: null });
    expect(servedDirs(first)).toEqual([c1.dir]);
  });
});

describe('replay progress', () => {
  it('shows the step and the time left; the stages speak at debug', () => {
    expect(stepStatus(0, 4, '2001-01-29', 0)('starting')).toBe('[--------------------] step 1/4 2001-01-29 starting, ETA ?');
    const status = stepStatus(2, 4, '2001-02-12', 60);
    expect(status('scoring the next period')).toBe('[##########----------] step 3/4 2001-02-12 scoring the next period, ETA 1m 00s');
    const outer = recordingLogger();
    const inner = stepLogger(outer, status);
    inner.info('validated');
    inner.warning('odd');
    expect(outer.lines.join('\n')).toContain('validated');
    expect(outer.lines.join('\n')).toContain('warning: odd');
  });

  it('says in one line what a step did and how each policy scored', () => {
    const step: ReplayStep = {
      ...emptyStep('2001-02-05', 7),
      ...stepOutcome(run(), 'auc'),
      served: { never: 'v1', always: 'candidate 2001-02-05', gated: 'v2' },
      scores: { never: 0.6, always: 0.7, gated: null },
      seconds: 12,
    };
    step.next.rows = 500;
    expect(stepLine(1, 4, step, 'auc', 30)).toBe(
      '[##########----------] 2/4 2001-02-05: auc +0.0100 [-0.0020, +0.0200]; promoted v2 | next 500 rows auc: never 0.6000 always 0.7000 gated n/a | 12s, ETA 30s',
    );
  });
});

describe('replay plan', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'ct-replay-plan-'));
  for (const day of ['2001-01-01', '2001-01-02', '2001-01-03']) writeFileSync(path.join(folder, `${day}.parquet`), '');
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('steps over the folder with the configured window, or the one given', () => {
    expect(planReplay({ from: '2001-01-02', to: '2001-01-03', every: '1d' }, 7, folder)).toMatchObject({
      everyDays: 1,
      windowDays: 7,
      schedule: ['2001-01-02', '2001-01-03'],
      folder,
    });
    expect(planReplay({ from: '2001-01-02', to: '2001-01-03', every: '1d', windowDays: 2 }, 7, folder).windowDays).toBe(2);
  });

  it('refuses an unknown or short window, and a first step with nothing before it', () => {
    expectUserError(() => planReplay({ from: '2001-01-02', to: '2001-01-03', every: '1d' }, undefined, folder), 'give the training window with --window-days');
    expectUserError(
      () => planReplay({ from: '2001-01-02', to: '2001-01-03', every: '1d', windowDays: 1 }, 7, folder),
      '--window-days: expected a whole number of days >= 2, got 1',
    );
    expectUserError(
      () => planReplay({ from: '2001-01-01', to: '2001-01-03', every: '1d' }, 7, folder),
      /^--from 2001-01-01: .* starts on 2001-01-01; the first step needs days before it to train on$/,
    );
  });
});
