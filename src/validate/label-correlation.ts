/**
 * An input that holds the outcome: a join that brings in a value computed after the fact (a
 * risk score rewritten once the chargeback came in, a status set when the case closed), a
 * column filled from the label on the rows where it was known. Every value stays in its
 * range; the label rate does not move. What changes is how well the input tells the label:
 * a model trained on that day learns to lean on it, scores well on the same rows, and fails
 * in production, where the input is what it always was.
 *
 * A profile keeps, per numeric input of the model, its correlation with the label the model
 * trains on (`<input>|<label>.correlation`; for a 0/1 label the point-biserial, whose square
 * is the share of the input's variance the label explains). Judged like any statistic
 * against its history, with a spread no smaller than chance gives a day of its rows: an
 * input far closer to the label than on any earlier day is an error.
 */
import type { NumberColumn, Table } from '../data/table.js';
import { joinColumns } from './metric-names.js';

/** Rows both values are needed on before a correlation means anything. */
const MIN_ROWS = 100;

/** Running sums of one pair of columns. */
interface Sums {
  n: number;
  x: number;
  y: number;
  xx: number;
  yy: number;
  xy: number;
}

/** Name of the correlation of `input` with `label`: `risk_score|ct:label`. */
export function correlationName(input: string, label: string): string {
  return joinColumns('|', input, label);
}

/**
 * Accumulates, chunk by chunk, the correlation of each numeric column in `inputs` with the
 * numeric `label` column; `result` gives `<input>|<label>.correlation` for every input with
 * at least `MIN_ROWS` rows where both are finite and both vary.
 */
export function createLabelCorrelations(label: string, inputs: ReadonlySet<string>): { add(table: Table): void; result(): Record<string, number> } {
  const sums = new Map<string, Sums>();
  return {
    add(table: Table): void {
      const y = table.columns.find((c): c is NumberColumn => c.name === label && c.type === 'number');
      if (y === undefined) return;
      for (const x of table.columns) {
        if (x.type !== 'number' || x.name === label || !inputs.has(x.name)) continue;
        let s = sums.get(x.name);
        if (s === undefined) sums.set(x.name, (s = { n: 0, x: 0, y: 0, xx: 0, yy: 0, xy: 0 }));
        for (let i = 0; i < table.rowCount; i++) {
          // Null numbers hold NaN.
          const a = x.values[i]!;
          const b = y.values[i]!;
          if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
          s.n++;
          s.x += a;
          s.y += b;
          s.xx += a * a;
          s.yy += b * b;
          s.xy += a * b;
        }
      }
    },
    result(): Record<string, number> {
      const out: Record<string, number> = {};
      for (const [input, s] of sums) {
        if (s.n < MIN_ROWS) continue;
        const vx = s.xx - (s.x * s.x) / s.n;
        const vy = s.yy - (s.y * s.y) / s.n;
        if (!(vx > 1e-12 * Math.max(1, s.xx)) || !(vy > 1e-12 * Math.max(1, s.yy))) continue;
        const r = (s.xy - (s.x * s.y) / s.n) / Math.sqrt(vx * vy);
        out[`${correlationName(input, label)}.correlation`] = Math.max(-1, Math.min(1, r));
      }
      return out;
    },
  };
}

/**
 * The spread chance alone gives a correlation of `r` over `rows` rows, (1 - r²) / √rows: a
 * small day's correlation wanders further, and no history of a few steady days makes a
 * chance move of it an incident.
 */
export function correlationNoise(r: number, rows: number): number {
  return (1 - Math.min(1, r * r)) / Math.sqrt(Math.max(1, rows));
}
