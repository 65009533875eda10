import type { MonitoringConfig } from '../../src/config/types.js';
import { decideMonitor, type MonitorEvidence, type MonitorRecord } from '../../src/monitor/decide.js';

const policy: MonitoringConfig = {
  newestDays: 7,
  minRows: 1000,
  retrainDrop: 0.02,
  alertDrop: 0.05,
  alertAfterRetrains: 2,
  retrainOnDrift: true,
  source: 'data',
  labelsPath: 'labels',
  driftWithoutLabels: true,
  webhook: { env: 'CT_MONITOR_WEBHOOK', on: ['alert'] },
  workflow: 'ct.yml',
  labels: ['ct', 'model-monitoring'],
  historyBranch: 'ct/monitor',
};

function evidence(over: Partial<MonitorEvidence> = {}): MonitorEvidence {
  return {
    production: 'v1',
    metric: 'auc',
    higherIsBetter: true,
    value: 0.68,
    reference: 0.69,
    rows: 5000,
    fingerprint: 'sha256:a',
    errors: [],
    drift: { dataset: false, label: false, prediction: false, columns: [] },
    ...over,
  };
}

function record(over: Partial<MonitorRecord>): MonitorRecord {
  const e = evidence();
  return {
    ...e,
    format: 'ct-monitor',
    at: '2001-01-01T00:00:00Z',
    model: 'm',
    window: null,
    drop: 0.03,
    outcome: 'retrain',
    retrain: true,
    reasons: [],
    retrainStreak: 1,
    actions: { dispatched: null, issue: null, history: null },
    ...over,
  };
}

describe('decideMonitor', () => {
  it('within retrainDrop and no drift: nothing to do', () => {
    const d = decideMonitor(evidence(), policy, []);
    expect(d).toMatchObject({ outcome: 'none', retrain: false, retrainStreak: 0 });
    expect(d.drop).toBeCloseTo(0.01, 10);
    expect(d.reasons[0]).toBe(
      'auc 0.6800 is 0.0100 worse than at promotion (0.6900 at promotion), within monitoring.retrainDrop 0.02; no dataset, label or prediction drift',
    );
  });

  it('better than at promotion is not decay', () => {
    const better = decideMonitor(evidence({ value: 0.75 }), policy, []);
    expect(better).toMatchObject({ outcome: 'none' });
    expect(better.reasons[0]).toBe('auc 0.7500 is 0.0600 better than at promotion (0.6900 at promotion); no dataset, label or prediction drift');
  });

  it('a drop of retrainDrop or more: retrain; of alertDrop or more: alert and retrain', () => {
    expect(decideMonitor(evidence({ value: 0.67 }), policy, [])).toMatchObject({ outcome: 'retrain', retrain: true, retrainStreak: 1 });
    const alert = decideMonitor(evidence({ value: 0.63 }), policy, []);
    expect(alert).toMatchObject({ outcome: 'alert', retrain: true });
    expect(alert.reasons[0]).toMatch(/at least monitoring\.alertDrop 0\.05$/);
  });

  it('lower-is-better metrics decay upwards', () => {
    const e = evidence({ metric: 'rmse', higherIsBetter: false, value: 10.5, reference: 10 });
    expect(decideMonitor(e, { ...policy, retrainDrop: 0.2, alertDrop: 1 }, [])).toMatchObject({ outcome: 'retrain', drop: 0.5 });
    expect(decideMonitor({ ...e, value: 9 }, { ...policy, retrainDrop: 0.2, alertDrop: 1 }, [])).toMatchObject({ outcome: 'none' });
  });

  it('drift alone asks to retrain, unless retrainOnDrift is off', () => {
    const drifted = evidence({ drift: { dataset: false, label: true, prediction: true, columns: [] } });
    const d = decideMonitor(drifted, policy, []);
    expect(d).toMatchObject({ outcome: 'retrain', retrain: true });
    expect(d.reasons[0]).toMatch(/the data moved: label drift, prediction drift$/);
    expect(decideMonitor(drifted, { ...policy, retrainOnDrift: false }, [])).toMatchObject({ outcome: 'none' });
    expect(decideMonitor(evidence({ drift: { dataset: true, label: false, prediction: false, columns: ['origin', 'hour'] } }), policy, []).reasons[0]).toMatch(
      /dataset drift \(origin, hour\)/,
    );
  });

  it('retraining asked for alertAfterRetrains runs in a row for the same production model: alert', () => {
    const decayed = evidence({ value: 0.66 });
    expect(decideMonitor(decayed, policy, [record({ retrainStreak: 1 })])).toMatchObject({ outcome: 'retrain', retrainStreak: 2 });
    const alert = decideMonitor(decayed, policy, [record({ retrainStreak: 1 }), record({ retrainStreak: 2 })]);
    expect(alert).toMatchObject({ outcome: 'alert', retrain: true, retrainStreak: 3 });
    expect(alert.reasons[0]).toMatch(/retraining was asked for in 2 run\(s\) in a row/);
    // A new production model starts the count again; so does a healthy run in between.
    expect(decideMonitor(decayed, policy, [record({ retrainStreak: 2, production: 'v0' })])).toMatchObject({ outcome: 'retrain', retrainStreak: 1 });
    expect(decideMonitor(decayed, policy, [record({ retrainStreak: 2 }), record({ outcome: 'none', retrain: false, retrainStreak: 0 })])).toMatchObject({
      outcome: 'retrain',
      retrainStreak: 1,
    });
  });

  it('error anomalies in the new data: alert without retraining (it would be refused)', () => {
    const d = decideMonitor(evidence({ errors: ['column "origin" is missing', 'b', 'c', 'd'] }), policy, []);
    expect(d).toMatchObject({ outcome: 'alert', retrain: false, retrainStreak: 0 });
    expect(d.reasons[0]).toBe('the new data has 4 error anomalies, so retraining on it would be refused: column "origin" is missing; b; c; ...');
  });

  it('too few labelled rows and no drift: nothing decided, whatever the metric', () => {
    expect(decideMonitor(evidence({ rows: 999, value: 0.5 }), policy, [])).toMatchObject({ outcome: 'none', retrain: false, judgedOn: 'nothing' });
    expect(decideMonitor(evidence({ rows: 0, value: null }), policy, []).reasons[0]).toBe(
      'only 0 labelled row(s) to judge (monitoring.minRows 1000); no drift either: nothing decided',
    );
  });

  it('labels scarce but the inputs or the predictions drifted: retrain on drift alone, and say so', () => {
    const drifted = evidence({ rows: 0, value: null, drift: { dataset: false, label: false, prediction: true, columns: [] } });
    const decision = decideMonitor(drifted, policy, []);
    expect(decision).toMatchObject({ outcome: 'retrain', retrain: true, judgedOn: 'drift' });
    expect(decision.reasons[0]).toBe(
      'only 0 labelled row(s) to judge (monitoring.minRows 1000); judged on drift alone (monitoring.driftWithoutLabels): prediction drift',
    );
    expect(decideMonitor(drifted, { ...policy, driftWithoutLabels: false }, [])).toMatchObject({ outcome: 'none', judgedOn: 'nothing' });
    expect(decideMonitor(drifted, { ...policy, retrainOnDrift: false }, [])).toMatchObject({ outcome: 'none' });
    // With enough labels the metric decides, drift beside it.
    expect(decideMonitor(evidence({ drift: drifted.drift }), policy, [])).toMatchObject({ outcome: 'retrain', judgedOn: 'labels' });
  });
});
