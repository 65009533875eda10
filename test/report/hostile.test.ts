import type { EvaluationRecord, PredictionRecord, TrainingRecord, ValidationResult } from '../../src/artifacts.js';
import type { MonitorRecord } from '../../src/monitor/decide.js';
import { issueMarker } from '../../src/monitor/issue.js';
import { evaluationMarkdown, validationMarkdown } from '../../src/report/markdown.js';
import { monitorIssueBody, monitorIssueComment, monitorIssueTitle, monitorMarkdown } from '../../src/report/monitor.js';
import { predictionMarkdown } from '../../src/report/prediction.js';
import { pullRequestBody, pullRequestTitle, validationSummary } from '../../src/report/pull-request.js';
import { ALL_HOSTILE, breaches, HOSTILE, HUGE } from './markdown-safety.js';

const VALUES = [...ALL_HOSTILE, HUGE];

/** ct's own sentence with a data value inside, as the checker writes them. */
const message = (v: string): string => `column "${v}": 3 values outside the domain: ${v} (3)`;

function validation(): ValidationResult {
  return {
    ok: false,
    rows: 100,
    fingerprint: 'sha256:0123456789abcdef0123456789',
    files: ['data/flights/2001-03-01.csv'],
    schemaFile: 'schema.yaml',
    schemaInferred: false,
    anomalies: VALUES.map((v) => ({
      column: v,
      kind: 'unseen_category',
      severity: 'error',
      count: 3,
      share: 0.03,
      examples: [{ file: `data/${v}.csv`, row: 2, value: v }],
      message: message(v),
    })),
    history: { days: 3, skipped: null },
    quarantined: VALUES.map((v) => ({ date: '2001-03-01', file: `data/${v}.csv`, fingerprint: 'sha256:x', reasons: [message(v)], metrics: ['rows'] })),
    accepted: VALUES.map((v) => ({ date: v, fingerprint: 'sha256:x', metrics: [v], reason: message(v) })),
    drift: {
      reference: 'training days of this window',
      driftedColumns: VALUES.length,
      driftedShare: 1,
      datasetDriftShare: 0.5,
      datasetDrift: true,
      blocking: false,
      correction: 'none',
      columns: VALUES.map((v) => ({
        column: v,
        test: 'chi-square',
        statistic: 1,
        pValue: 0.01,
        adjustedPValue: 0.01,
        threshold: 0.05,
        drifted: true,
        nullRate: { reference: 0, current: 0, changed: false },
      })),
      label: null,
      prediction: null,
      skipped: VALUES.map((v) => ({ column: v, reason: message(v) })),
    },
  } as unknown as ValidationResult;
}

function evaluation(): EvaluationRecord {
  return {
    ok: false,
    rubberStamp: false,
    model: 'flight-delay',
    task: 'binary',
    rows: 500,
    data: { fingerprint: 'sha256:x', parts: ['2001-03-01', '2001-03-02'] },
    candidate: { contentHash: 'h', metrics: { auc: 0.7 } },
    baseline: { version: '20010301T000000Z-abcdef01', metrics: { auc: 0.69 } },
    deltas: { auc: { value: 0.01, ci: [0.001, 0.02] } },
    bootstrap: null,
    tests: { deLong: null, mcNemar: null },
    slices: VALUES.map((v) => ({
      name: 'origin',
      key: `origin=${v}`,
      value: v,
      rows: 10,
      skipped: null,
      candidate: { auc: 0.7 },
      baseline: { auc: 0.69 },
      deltas: { auc: { value: 0.01, ci: null } },
    })),
    curves: null,
    infra: null,
    checks: VALUES.map((v) => ({
      metric: 'auc',
      slice: `origin=${v}`,
      threshold: 'auc: delta >= -0.05 (higherIsBetter)',
      value: 0.6,
      baselineValue: 0.69,
      delta: -0.09,
      ci: null,
      message: `auc on origin=${v} changed by -0.09`,
      passed: false,
      skipped: false,
    })),
    failures: VALUES.map((v) => ({
      metric: 'auc',
      slice: `origin=${v}`,
      threshold: 'x',
      value: 0.6,
      baselineValue: 0.69,
      delta: -0.09,
      ci: null,
      message: `auc on origin=${v} changed by -0.09`,
    })),
    guardMetrics: [],
  } as unknown as EvaluationRecord;
}

const training = {
  model: 'flight-delay',
  data: { trainParts: ['2001-02-01', '2001-02-28'], rows: { train: 1000, validation: 100 }, fingerprint: 'sha256:abc' },
  git: { commit: '0123456789abcdef', dirty: false },
  config: { file: 'ct.config.yaml', sha256: 'abcdef0123456789' },
  epochs: 2,
  backend: { name: 'cpu' },
  seed: 42,
  timing: { durationSeconds: 1, samplesPerSecond: 100, epochs: [] },
  parameters: 10,
} as unknown as TrainingRecord;

function monitorRecord(): MonitorRecord {
  return {
    format: 'ct-monitor',
    at: '2001-03-02T06:00:00Z',
    model: 'flight-delay',
    production: '20010301T000000Z-abcdef01',
    metric: 'auc',
    higherIsBetter: true,
    value: 0.6,
    reference: 0.7,
    rows: 500,
    fingerprint: null,
    errors: VALUES.map(message),
    drift: { dataset: true, label: false, prediction: false, columns: [...VALUES] },
    window: { first: '2001-03-01', last: '2001-03-02' },
    drop: 0.1,
    outcome: 'alert',
    retrain: false,
    reasons: [`the new data has error anomalies: ${VALUES.map(message).join('; ')}`],
    retrainStreak: 0,
    actions: { dispatched: null, issue: null, history: null },
  };
}

describe('hostile data values in the Markdown ct writes', () => {
  it('validation.md: a column, a category value and a file name cannot make a link, mention, heading, cell or element', () => {
    const md = validationMarkdown(validation());
    expect(breaches(md)).toEqual([]);
    // The values are still there to read, in code spans or escaped.
    expect(md).toContain('```` ``` x ````');
    expect(md).toContain('`[click](https://evil.example)`');
    expect(md).toContain('column "\\[click\\](https:\u200d//evil.example)"');
    expect(md).toContain('`x');
    expect(md).toContain('…');
  });

  it('evaluation.md: slice keys and gate messages stay in their cells', () => {
    const md = evaluationMarkdown(evaluation());
    expect(breaches(md)).toEqual([]);
    expect(md).toContain('| origin=\\| ok \\| passed \\| |');
  });

  it('the pull request body and title', () => {
    const body = pullRequestBody({
      model: 'flight-delay',
      version: '20010302T000000Z-abcdef02',
      previous: '20010301T000000Z-abcdef01',
      evaluation: evaluation(),
      validation: validation(),
      training,
      links: { modelCard: 'https://github.com/o/r/blob/c/MODEL_CARD.md', fullReport: 'https://github.com/o/r/blob/c/evaluation.md', run: null },
    });
    expect(breaches(body)).toEqual([]);
    expect(breaches(validationSummary(validation()).join('\n'))).toEqual([]);
    expect(body).toContain('[Model card](https://github.com/o/r/blob/c/MODEL_CARD.md)');
    const title = pullRequestTitle(`flight${HOSTILE.heading}${HUGE}`, 'v1', evaluation());
    expect(title).not.toContain('\n');
    expect(title.length).toBeLessThanOrEqual(250);
  });

  it('the monitor issue: title, body, comment and job summary', () => {
    const record = monitorRecord();
    const body = monitorIssueBody(record, [], issueMarker(record.model), 'https://github.com/o/r/actions/runs/1');
    expect(breaches(body)).toEqual([]);
    expect(body.startsWith('<!-- ct-monitor:flight-delay -->\n')).toBe(true);
    expect(body).toContain('input columns drifted: `| ok | passed |`, `[click](https://evil.example)`');
    expect(breaches(monitorMarkdown(record, [record]))).toEqual([]);
    expect(breaches(monitorIssueComment({ ...record, outcome: 'retrain' }, null))).toEqual([]);
    const title = monitorIssueTitle({ ...record, model: `m${HOSTILE.heading}${HUGE}`, metric: HOSTILE.link });
    expect(title).not.toContain('\n');
    expect(title.length).toBeLessThanOrEqual(250);
  });

  it('the issue marker cannot be closed early by a model name', () => {
    expect(issueMarker('flight-delay')).toBe('<!-- ct-monitor:flight-delay -->');
    const marker = issueMarker('a --> <img src=x onerror=alert(1)>\n# b');
    expect(marker.match(/-->/g)).toHaveLength(1);
    expect(marker.endsWith(' -->')).toBe(true);
    expect(marker).not.toMatch(/<img|\n/);
  });

  it('prediction.md: file names, columns and anomaly messages', () => {
    const v = validation();
    const record = {
      ok: false,
      model: 'flight-delay',
      version: '20010301T000000Z-abcdef01',
      rows: 10,
      files: VALUES.map((x) => `data/${x}.csv`),
      durationSeconds: 1,
      rowsPerSecond: 10,
      backend: 'cpu',
      output: null,
      schemaFile: 'schema.yaml',
      fingerprint: 'sha256:x',
      anomalies: v.anomalies,
      imputed: { rows: 10, features: VALUES.map((x) => ({ feature: x, column: x, missing: 1, nonFinite: 0, outOfVocabulary: 0, far: 0 })) },
    } as unknown as PredictionRecord;
    expect(breaches(predictionMarkdown(record))).toEqual([]);
  });
});
