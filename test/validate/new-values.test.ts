import type { Anomaly } from '../../src/validate/checker.js';
import { foldNewValueWarnings } from '../../src/validate/new-values.js';

const rows = (values: string[]): Anomaly['examples'] => values.map((value, i) => ({ file: 'data/flights/2001-04-12.csv', row: 100 + i, value }));

function anomaly(kind: Anomaly['kind'], column: string, examples: Anomaly['examples'], severity: Anomaly['severity'] = 'warning'): Anomaly {
  return { kind, column, severity, count: examples.length, share: examples.length / 17_000, examples, message: `${kind} of ${column}` };
}

describe('foldNewValueWarnings', () => {
  test('a new airport is one warning: the domain says what to do, and what production does with it', () => {
    const domain = anomaly('unseen_category', 'origin', rows(['MQT', 'MQT', 'ACY']));
    const vocabulary = anomaly('input_out_of_vocabulary', 'origin', rows(['MQT', 'MQT', 'ACY']));
    const other = anomaly('duplicate_rows', 'origin', rows(['x']));
    const folded = foldNewValueWarnings([domain, vocabulary, other]);
    expect(folded.map((a) => a.kind)).toEqual(['unseen_category', 'duplicate_rows']);
    expect(folded[0]!.message).toBe(
      'unseen_category of origin. The model has not seen them either: it scores them as an unknown origin until a retrain takes them into its vocabulary',
    );
    expect(folded[0]!.examples).toEqual(domain.examples);
  });

  test('warnings about other rows, another column or an error stay apart', () => {
    const domain = anomaly('unseen_category', 'origin', rows(['MQT']));
    // The vocabulary lacks a rare value the domain has: more rows than the domain's.
    const more = anomaly('input_out_of_vocabulary', 'origin', rows(['MQT', 'PIR']));
    expect(foldNewValueWarnings([domain, more])).toEqual([domain, more]);
    const elsewhere = anomaly('input_out_of_vocabulary', 'destination', rows(['MQT']));
    expect(foldNewValueWarnings([domain, elsewhere])).toEqual([domain, elsewhere]);
    const error = anomaly('input_out_of_vocabulary', 'origin', rows(['MQT']), 'error');
    expect(foldNewValueWarnings([domain, error])).toEqual([domain, error]);
    const domainError = anomaly('unseen_category', 'origin', rows(['MQT']), 'error');
    const vocabulary = anomaly('input_out_of_vocabulary', 'origin', rows(['MQT']));
    expect(foldNewValueWarnings([domainError, vocabulary])).toEqual([domainError, vocabulary]);
    // A column without a domain: the model's warning is the only one.
    expect(foldNewValueWarnings([vocabulary])).toEqual([vocabulary]);
  });
});
