/**
 * `ct serve` keeps one schema checker and one input-domain checker per model and resets them
 * for each request: a reset checker must say exactly what a new one says, whatever the
 * requests before it found (a negative distance, an unknown airport, a new column, a null),
 * and anomalies it returned earlier must not change when it checks the next request.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { readTables } from '../../src/data/read.js';
import { type Table, takeRows } from '../../src/data/table.js';
import { createInputDomainChecker } from '../../src/features/domain.js';
import { fitPreprocessing } from '../../src/features/preprocessing.js';
import { createAnomalyChecker } from '../../src/validate/checker.js';
import { parseSchema } from '../../src/validate/schema.js';

const root = path.resolve(import.meta.dirname, '../..');

/** `table` with one column's values changed row by row. */
function changed(table: Table, name: string, change: (column: Table['columns'][number]) => Table['columns'][number]): Table {
  return { ...table, columns: table.columns.map((c) => (c.name === name ? change(c) : c)) };
}

describe('checkers reset between requests', () => {
  let requests: Table[];
  let schemaText: string;
  let table: Table;

  beforeAll(async () => {
    const file = readdirSync(path.join(root, 'data/flights'))
      .filter((f) => f.endsWith('.parquet'))
      .sort()
      .at(-1)!;
    table = await readTables([path.join(root, 'data/flights', file)]);
    schemaText = readFileSync(path.join(root, 'data/flights/schema.json'), 'utf8');
    const few = (first: number, n: number): Table =>
      takeRows(
        table,
        Int32Array.from({ length: n }, (_, i) => first + i),
      );
    const negative = changed(few(0, 5), 'distance', (c) => (c.type === 'number' ? { ...c, values: c.values.map((v) => -v) } : c));
    const unknown = changed(few(5, 3), 'origin', (c) => (c.type === 'string' ? { ...c, dictionary: c.dictionary.map(() => 'QQQ') } : c));
    const extra = { ...few(8, 2), columns: [...few(8, 2).columns, { ...few(8, 2).columns.find((c) => c.name === 'origin')!, name: 'request_note' }] };
    const nulls = changed(few(10, 4), 'destination', (c) => ({ ...c, nulls: Uint8Array.from({ length: 4 }, (_, i) => (i % 2 === 0 ? 1 : 0)) }));
    requests = [negative, few(20, 1), unknown, extra, nulls, few(30, 64), negative, few(40, 1)];
  });

  it('the schema checker: after any request, the same anomalies as a new checker; earlier answers unchanged', () => {
    const schema = parseSchema('schema.json', JSON.parse(schemaText));
    const severity = { new_column: 'warning' as const, unseen_category: 'warning' as const };
    const reused = createAnomalyChecker(schema, { severity, duplicates: false });
    const earlier: Array<{ given: unknown; snapshot: string }> = [];
    for (const request of requests) {
      reused.reset();
      reused.add(request);
      const fresh = createAnomalyChecker(schema, { severity, duplicates: false });
      fresh.add(request);
      const given = reused.result();
      expect(given).toEqual(fresh.result());
      expect(reused.rows).toBe(request.rowCount);
      earlier.push({ given, snapshot: JSON.stringify(given) });
    }
    expect(earlier.some((e) => (e.given as unknown[]).length > 0)).toBe(true);
    for (const e of earlier) expect(JSON.stringify(e.given)).toBe(e.snapshot);
  });

  it('the input-domain checker: the same findings and imputed counts as a new one', () => {
    const { config } = loadConfig(path.join(root, 'ct.config.yaml'));
    const prep = fitPreprocessing(table, config);
    const options = { model: 'production', tolerance: 0 };
    const reused = createInputDomainChecker(prep, options);
    for (const request of requests) {
      reused.reset();
      reused.add(request);
      const fresh = createInputDomainChecker(prep, options);
      fresh.add(request);
      expect(reused.result()).toEqual(fresh.result());
      expect(reused.imputed()).toEqual(fresh.imputed());
    }
  });
});
