import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TrainingRecord, ValidationResult } from '../../src/artifacts.js';
import { scoreRows } from '../../src/evaluate/metrics.js';
import type { MonitorRecord } from '../../src/monitor/decide.js';
import { metricValue, monitorEvidence } from '../../src/monitor/evidence.js';
import { appendHistory, parseMonitorHistory, readMonitorHistory, withRecord } from '../../src/monitor/history.js';
import { issueAction, issueMarker } from '../../src/monitor/issue.js';
import { newDataFiles } from '../../src/monitor/new-data.js';
import { monitorBase, nothingJudged, outcomeLine, unchangedSince } from '../../src/monitor/record.js';
import { expectUserError } from '../helpers.js';

const base = () => monitorBase('m', '2001-02-01T00:00:00Z');

function record(over: Partial<MonitorRecord> = {}): MonitorRecord {
  return {
    ...nothingJudged(base(), 'v1', 'auc', true, 'x'),
    value: 0.7,
    reference: 0.72,
    rows: 5000,
    fingerprint: 'sha256:a',
    drop: 0.02,
    outcome: 'retrain',
    retrain: true,
    reasons: ['decayed'],
    retrainStreak: 1,
    ...over,
  };
}

const tmp = mkdtempSync(path.join(tmpdir(), 'ct-monitor-record-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('monitor records', () => {
  it('a run that judged nothing keeps the record shape, nothing to do', () => {
    const r = nothingJudged(base(), '', 'auc', true, 'no production model yet');
    expect(Object.keys(r)).toEqual([
      'format',
      'at',
      'model',
      'window',
      'actions',
      'production',
      'metric',
      'higherIsBetter',
      'value',
      'reference',
      'rows',
      'fingerprint',
      'errors',
      'drift',
      'drop',
      'outcome',
      'retrain',
      'reasons',
      'retrainStreak',
    ]);
    expect(r).toMatchObject({
      format: 'ct-monitor',
      model: 'm',
      production: '',
      outcome: 'none',
      retrain: false,
      reasons: ['no production model yet'],
      retrainStreak: 0,
      actions: { dispatched: null, issue: null, history: null },
    });
  });

  it('nothing new since the last run: its evidence again, at this time, nothing to do', () => {
    const last = record({ at: '2001-01-31T00:00:00Z', actions: { dispatched: 'ct.yml@main', issue: null, history: 'b@1' } });
    const again = unchangedSince(last, base());
    expect(again).toMatchObject({
      at: '2001-02-01T00:00:00Z',
      value: 0.7,
      outcome: 'none',
      retrain: false,
      retrainStreak: 1,
      actions: { dispatched: null, issue: null, history: null },
    });
    expect(again.reasons).toEqual(['nothing new since the monitor run of 2001-01-31T00:00:00Z, which decided: retrain']);
  });

  it('says the outcome in words', () => {
    expect(outcomeLine(record({ outcome: 'none', reasons: ['a', 'b'] }))).toBe('nothing to do: a; b');
    expect(outcomeLine(record())).toBe('retrain: decayed');
    expect(outcomeLine(record({ outcome: 'alert', reasons: ['bad'] }))).toBe('alert: bad');
  });
});

describe('monitor evidence', () => {
  const validation = (over: Partial<ValidationResult> = {}) => ({ anomalies: [], drift: null, ...over }) as Pick<ValidationResult, 'anomalies' | 'drift'>;

  it('gathers the error anomalies and the drift in short', () => {
    const drift = {
      datasetDrift: true,
      columns: [
        { column: 'a', drifted: true },
        { column: 'b', drifted: false },
      ],
      label: { drifted: true },
      prediction: null,
    } as unknown as ValidationResult['drift'];
    const anomalies = [
      { severity: 'warning', message: 'w' },
      { severity: 'error', message: 'e' },
    ] as ValidationResult['anomalies'];
    const evidence = monitorEvidence({
      production: 'v1',
      metric: 'auc',
      higherIsBetter: true,
      value: 0.7,
      reference: 0.72,
      rows: 10,
      fingerprint: 'f',
      validation: validation({ anomalies, drift }),
    });
    expect(evidence).toEqual({
      production: 'v1',
      metric: 'auc',
      higherIsBetter: true,
      value: 0.7,
      reference: 0.72,
      rows: 10,
      fingerprint: 'f',
      errors: ['e'],
      drift: { dataset: true, label: true, prediction: false, columns: ['a'], share: 0.5 },
    });
    expect(
      monitorEvidence({
        production: 'v1',
        metric: 'auc',
        higherIsBetter: true,
        value: null,
        reference: null,
        rows: 0,
        fingerprint: 'f',
        validation: validation(),
      }).drift,
    ).toBeNull();
  });

  it('the metric on the scored rows; none without rows; a metric the task lacks is an error', () => {
    const scored = scoreRows('binary', Float32Array.from([0, 1, 0, 1]), Float32Array.from([0.1, 0.9, 0.2, 0.8]), { threshold: 0.5 });
    expect(metricValue(scored, 'auc', 'binary')).toBeCloseTo(1, 10);
    expect(metricValue(null, 'auc', 'binary')).toBeNull();
    expect(metricValue(scoreRows('binary', new Float32Array(0), new Float32Array(0), { threshold: 0.5 }), 'auc', 'binary')).toBeNull();
    expectUserError(() => metricValue(scored, 'rmse', 'binary'), /^monitoring.metric: "rmse" is not a metric of a binary model \(/);
  });
});

describe('the alert issue', () => {
  it('is found by a marker', () => {
    expect(issueMarker('flight-delay')).toBe('<!-- ct-monitor:flight-delay -->');
  });

  it('opens on an alert, updates an open one; closes when healthy; comments when the outcome changed or retraining was asked for', () => {
    expect(issueAction(record({ outcome: 'alert' }), false, undefined)).toBe('open');
    expect(issueAction(record({ outcome: 'alert' }), true, record({ outcome: 'alert' }))).toBe('update');
    expect(issueAction(record({ outcome: 'none', retrain: false }), true, record())).toBe('close');
    expect(issueAction(record({ outcome: 'none', retrain: false, value: null }), true, record({ outcome: 'none' }))).toBeNull();
    expect(issueAction(record({ outcome: 'none', retrain: false, value: null }), true, record())).toBe('comment');
    expect(issueAction(record(), true, record())).toBe('comment');
    expect(issueAction(record(), true, undefined)).toBe('comment');
    expect(issueAction(record(), false, undefined)).toBeNull();
  });
});

describe('monitor history', () => {
  it('parses the model runs, skipping lines that are not JSON with a warning', () => {
    const warnings: string[] = [];
    const text = `${JSON.stringify(record())}\nnot json\n\n${JSON.stringify({ format: 'other' })}\n`;
    expect(parseMonitorHistory(text, 'h.jsonl', (m) => warnings.push(m))).toHaveLength(1);
    expect(warnings).toEqual(['h.jsonl line 2 is not JSON: skipped']);
  });

  it('reads the working tree copy when not on a branch; appends one line per record', async () => {
    const file = path.join(tmp, 'models', 'm', 'monitor.jsonl');
    expect(await readMonitorHistory(file, null, 'm', () => {})).toEqual({ text: '', branchExists: false, records: [] });
    appendHistory(record(), file);
    appendHistory(record({ model: 'other' }), file);
    const history = await readMonitorHistory(file, null, 'm', () => {});
    expect(history.text).toBe(readFileSync(file, 'utf8'));
    expect(history.records).toEqual([record()]);
  });

  it('appends a record to text with or without a final newline', () => {
    const line = JSON.stringify(record());
    expect(withRecord('', record())).toBe(`${line}\n`);
    expect(withRecord('a\n', record())).toBe(`a\n${line}\n`);
    expect(withRecord('a', record())).toBe(`a\n${line}\n`);
  });
});

describe('new data to judge', () => {
  const folder = path.join(tmp, 'data');
  const training = { data: { trainParts: ['2001-01-01', '2001-01-02'], evaluationParts: ['2001-01-03'] } } as TrainingRecord;

  beforeAll(() => {
    mkdirSync(folder, { recursive: true });
    for (const day of ['2001-01-01', '2001-01-02', '2001-01-03', '2001-01-04', '2001-01-05', '2001-01-06'])
      writeFileSync(path.join(folder, `${day}.parquet`), '');
  });

  it("the newest days after production's data, or all of a batch", () => {
    const newest = newDataFiles(undefined, folder, training, 2);
    expect(newest.days).toEqual({ first: '2001-01-05', last: '2001-01-06' });
    expect(newest.trainedThrough).toBe('2001-01-03');
    expect(newest.files.map((f) => path.basename(f))).toEqual(['2001-01-05.parquet', '2001-01-06.parquet']);
    const batch = newDataFiles(folder, '/elsewhere', training, 2);
    expect(batch.days).toEqual({ first: '2001-01-01', last: '2001-01-06' });
    expect(batch.files).toHaveLength(6);
  });

  it('refuses one file as the data source, and a production record without days', () => {
    const file = path.join(tmp, 'all.csv');
    writeFileSync(file, 'a\n1\n');
    expectUserError(() => newDataFiles(undefined, file, training, 2), /is one file: monitoring needs daily partitions/);
    const noDays = { data: { trainParts: ['all.csv'], evaluationParts: [] } } as unknown as TrainingRecord;
    expectUserError(() => newDataFiles(undefined, folder, noDays, 2), /production's training record names no partition days/);
  });
});
