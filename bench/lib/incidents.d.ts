/** Types of bench/lib/incidents.js (plain ESM JavaScript), for the TypeScript tests that import it. */

/** A row of a daily flights partition; `null` is a missing value. Incidents may add, drop or retype columns. */
export type Row = Record<string, string | number | null>;

export interface IncidentOptions {
  /** Share of rows touched: one of the kind's `severities`. */
  severity: number;
  seed: number;
  /** The clean rows of the day before (stale copies). */
  previousDayRows: Row[];
  /** The clean rows of the same weekday two weeks before (a stale copy of an older extract). */
  twoWeeksBeforeRows?: Row[];
}

export type IncidentResult = { rows: Row[]; columns?: string[]; description: string } | { text: string; encoding?: 'utf16le'; description: string };

export interface Incident {
  severities: number[];
  summary: string;
  needs?: string;
  apply(rows: Row[], options: IncidentOptions): IncidentResult;
}

export const COLUMNS: string[];
export const INCIDENTS: Record<string, Incident>;
export const KINDS: string[];
/** The severities of most kinds: the share of rows touched. */
export const STANDARD: number[];
export function random(seed: number): () => number;
export function seedOf(...parts: Array<string | number>): number;
export function parseCsv(text: string): Row[];
export function toCsv(rows: Row[], columns?: string[]): string;
export function dayOf(rows: Row[]): string | undefined;
/** The bytes of the partition; `rows` written (null for byte-level incidents); `touched`: clean rows the incident changed. */
export function incidentFile(kind: string, rows: Row[], options: IncidentOptions): { bytes: Buffer; description: string; rows: number | null; touched: number };
/** Clean rows changed, dropped or added by an incident (multiset difference, the larger side). */
export function touchedRows(clean: Row[], out: Row[], columns?: string[]): number;
