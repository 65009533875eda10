/**
 * Request bodies of `ct serve` as tables: JSON (one object, or an array of objects) and
 * CSV (a header and rows). Pure: bytes and the column types the schema expects in, a
 * table or a `RequestError` naming what is wrong out.
 */
import { tableOfRecords } from '../data/jsonl.js';
import type { Table } from '../data/table.js';
import type { DataSchema } from '../validate/schema.js';

/** A request ct serve refuses: the HTTP status, one line that names the field, and the field. */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/** A parsed request: its rows, and whether it was one object (answered with one prediction). */
export interface ParsedRequest {
  table: Table;
  single: boolean;
}

/** Parses a body by its content type (`application/json` unless it says CSV); at most `maxRows` rows. */
export function parseRequest(body: Buffer, contentType: string | undefined, schema: DataSchema | null, maxRows: number): ParsedRequest {
  const type = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  if (type === 'text/csv') return { table: tableOfRecords(csvRecords(body.toString('utf8'), schema, maxRows), 'request'), single: false };
  // Anything else is read as JSON: clients such as curl -d label JSON as a form.
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    const sent = type === 'application/json' || type === '' ? '' : ` (sent as ${type})`;
    throw new RequestError(400, `body is not valid JSON${sent}: ${(error as Error).message}; send a JSON object, an array of objects, or text/csv`);
  }
  const single = !Array.isArray(parsed);
  const records = single ? [parsed] : (parsed as unknown[]);
  if (records.length === 0) throw new RequestError(400, 'no rows: send an object, or an array of at least one object');
  if (records.length > maxRows) throw new RequestError(413, `${records.length} rows in one request; at most ${maxRows} (serve.maxRows)`);
  records.forEach((r, i) => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) {
      throw new RequestError(
        400,
        `${single ? 'body' : `row ${i + 1}`}: expected a JSON object of column -> value, found ${Array.isArray(r) ? 'an array' : JSON.stringify(r)}`,
      );
    }
  });
  return { table: tableOfRecords(records as Array<Record<string, unknown>>, 'request'), single };
}

/**
 * Records of a CSV body (RFC 4180: quoted fields, doubled quotes, CRLF or LF). A field is
 * typed as the schema types its column: numbers and booleans parsed, an empty field null,
 * and a field that does not parse kept as text (so the schema check names it).
 */
export function csvRecords(text: string, schema: DataSchema | null, maxRows: number): Array<Record<string, unknown>> {
  const rows = csvFields(text.replace(/^\uFEFF/, ''));
  if (rows.length < 2) throw new RequestError(400, 'CSV body: expected a header row and at least one row');
  if (rows.length - 1 > maxRows) throw new RequestError(413, `${rows.length - 1} rows in one request; at most ${maxRows} (serve.maxRows)`);
  const header = rows[0]!;
  const types = new Map((schema?.columns ?? []).map((c) => [c.name, c.type]));
  return rows.slice(1).map((fields, i) => {
    if (fields.length !== header.length) throw new RequestError(400, `CSV body row ${i + 1}: expected ${header.length} fields, found ${fields.length}`);
    const record: Record<string, unknown> = {};
    header.forEach((name, k) => (record[name] = typedField(fields[k]!, types.get(name))));
    return record;
  });
}

function typedField(field: string, type: string | undefined): unknown {
  if (field === '') return null;
  if (type === 'number' || (type === undefined && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(field.trim()))) {
    const x = Number(field);
    return field.trim() !== '' && !Number.isNaN(x) ? x : field;
  }
  if (type === 'boolean' && /^(true|false)$/i.test(field)) return field.toLowerCase() === 'true';
  return field;
}

/** The rows of a CSV text as arrays of fields; a blank line ends nothing and is skipped. */
function csvFields(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endRow = (): void => {
    row.push(field);
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    row = [];
    field = '';
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      endRow();
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else field += c;
    i++;
  }
  if (quoted) throw new RequestError(400, 'CSV body: a quoted field is not closed');
  if (field !== '' || row.length > 0) endRow();
  return rows;
}
