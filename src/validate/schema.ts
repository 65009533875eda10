/**
 * The data schema (`data/<dataset>/schema.json`): inferred from the data on first
 * use, then kept under version control and edited by people.
 */
import type { ColumnType, Table } from '../data/table.js';
import { nullCount } from '../data/table.js';
import { UserError } from '../errors.js';

export interface ColumnSchema {
  name: string;
  type: ColumnType;
  /** Largest share of nulls accepted in a batch (0 = the column must always be present). */
  maxNullFraction: number;
}

/** Contents of `schema.json`. */
export interface DataSchema {
  format: 'ct-schema';
  version: 1;
  columns: ColumnSchema[];
}

/**
 * Infers a schema from reference data: the observed types, and a null allowance of
 * the observed null share rounded up to whole percents (0 when there were none).
 */
export function inferSchema(table: Table): DataSchema {
  return {
    format: 'ct-schema',
    version: 1,
    columns: table.columns.map((c) => {
      const share = table.rowCount === 0 ? 0 : nullCount(c) / table.rowCount;
      return { name: c.name, type: c.type, maxNullFraction: Math.min(1, Math.ceil(share * 100) / 100) };
    }),
  };
}

const TYPES: readonly ColumnType[] = ['number', 'string', 'timestamp', 'boolean'];

/** Checks a parsed `schema.json`; `file` names it in errors. */
export function parseSchema(file: string, raw: unknown): DataSchema {
  const fail = (what: string): never => {
    throw new UserError(`${file}: ${what}`);
  };
  if (typeof raw !== 'object' || raw === null) fail('not a JSON object');
  const s = raw as Partial<DataSchema>;
  if (s.format !== 'ct-schema') fail('"format" must be "ct-schema"');
  if (!Array.isArray(s.columns) || s.columns.length === 0) fail('"columns" must be a non-empty array');
  s.columns!.forEach((c, i) => {
    if (typeof c?.name !== 'string' || c.name === '') fail(`columns[${i}].name must be a string`);
    if (!TYPES.includes(c.type)) fail(`columns[${i}].type must be one of ${TYPES.join(', ')}`);
    if (typeof c.maxNullFraction !== 'number' || c.maxNullFraction < 0 || c.maxNullFraction > 1) {
      fail(`columns[${i}].maxNullFraction must be a number from 0 to 1`);
    }
  });
  return s as DataSchema;
}
