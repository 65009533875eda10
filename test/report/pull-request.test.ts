import { fitToLimit, headlineDelta, pullRequestTitle, validationSummary } from '../../src/report/pull-request.js';
import type { EvaluationRecord, ValidationResult } from '../../src/artifacts.js';

const sections = (n: number, size: number): string => Array.from({ length: n }, (_, i) => `## Section ${i}\n\n${'x'.repeat(size)}\n`).join('\n');

describe('pull request text', () => {
  it('fits a long report under the limit by cutting at a section boundary, with a link to the full report', () => {
    const report = `# Title\n\n${sections(10, 1000)}`;
    const cut = fitToLimit(report, 4000, 'https://github.com/o/r/blob/abc/models/m/v/evaluation.md');
    expect(cut.length).toBeLessThanOrEqual(4000);
    expect(cut).toContain('## Section 2');
    expect(cut).not.toContain('## Section 3\n');
    expect(cut.trimEnd().endsWith('the rest is in the [full report](https://github.com/o/r/blob/abc/models/m/v/evaluation.md)._')).toBe(true);
    // The cut falls where a section starts: the kept text ends with a whole section.
    expect(cut.split('\n---\n')[0]!.trimEnd().endsWith('x'.repeat(1000))).toBe(true);
  });

  it('leaves a report that fits unchanged, and cuts one huge section at a line', () => {
    expect(fitToLimit('## a\n\nshort', 100, 'u')).toBe('## a\n\nshort');
    const huge = `## only\n\n${Array.from({ length: 500 }, () => 'a line of text').join('\n')}`;
    const cut = fitToLimit(huge, 2000, 'u');
    expect(cut.length).toBeLessThanOrEqual(2000);
    expect(cut).toContain('full report');
  });

  it('titles name the model, version and headline delta with its interval', () => {
    const e = {
      task: 'binary',
      candidate: { metrics: { auc: 0.6841 } },
      deltas: { auc: { value: 0.006, ci: [0.0006, 0.0119] } },
    } as unknown as EvaluationRecord;
    expect(pullRequestTitle('flight-delay', '20261126T081956Z-e7bd9e1f', e)).toBe(
      'Promote flight-delay 20261126T081956Z-e7bd9e1f: auc +0.0060 [+0.0006, +0.0119]',
    );
    expect(headlineDelta({ ...e, deltas: {} })).toBe('first model, auc 0.6841');
  });

  /** A passed validation of 2001-03-02 with `fields` over it. */
  const passed = (fields: Partial<ValidationResult>): ValidationResult =>
    ({
      ok: true,
      rows: 214_895,
      fingerprint: 'sha256:0123456789abcdef0123456789',
      files: ['data/flights/2001-03-02.parquet'],
      anomalies: [],
      drift: null,
      quarantined: [],
      ...fields,
    }) as unknown as ValidationResult;

  it('the validation section names every partition left out of the training window, and why', () => {
    const v = passed({
      quarantined: [
        {
          date: '2001-03-01',
          file: 'data/flights/2001-03-01.csv',
          fingerprint: 'sha256:x',
          reasons: ['data/flights/2001-03-01.csv: row count is 2,000, expected about 16,800'],
          metrics: ['rows'],
        },
      ],
    });
    const text = validationSummary(v).join('\n');
    expect(text).toContain('passed with 0 error and 0 warning anomalies');
    expect(text).toMatch(/\*\*Left out of the training window\*\*[^\n]*ct validate --accept <day>/);
    expect(text).toContain('- `data/flights/2001-03-01.csv`: data/flights/2001-03-01.csv: row count is 2,000, expected about 16,800');
    expect(validationSummary({ ...v, quarantined: [] }).join('\n')).not.toContain('Left out');
  });

  it("the validation section shows each acceptance that held: a person's word over the history's", () => {
    const v = passed({
      accepted: [
        { date: '2001-02-20', fingerprint: 'sha256:a', metrics: ['rows'], reason: 'new schedule: the hub moved to DEN' },
        { date: '2001-03-01', fingerprint: 'sha256:b', metrics: ['rows', 'delay.mean'], reason: 'a snowstorm', oneOff: true },
        { date: '2001-03-08', fingerprint: 'sha256:c', metrics: ['labels_misaligned'], reason: 'checked against the source: the labels are right' },
      ],
    });
    const text = validationSummary(v).join('\n');
    expect(text).toContain(
      "**Accepted by a person** (`accepted.json`: these days' flagged statistics and checks are not errors):\n\n" +
        '- 2001-02-20, a lasting change (the new level is the reference): new schedule: the hub moved to DEN (`rows`)\n' +
        '- 2001-03-01, a one-off (later days are judged without it): a snowstorm (`rows`, `delay.mean`)\n' +
        // The model's checks of a day have no level to re-base: accepting them re-bases nothing.
        '- 2001-03-08, trained on as delivered: checked against the source: the labels are right (`labels_misaligned`)',
    );
    expect(validationSummary({ ...v, accepted: [] }).join('\n')).not.toContain('Accepted by a person');
  });
});
