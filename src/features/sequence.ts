/**
 * Sequence features: a column holding a fixed number of numbers per row (a window of
 * readings, a short series), as a JSON array (`[0.1, 0.4, 2]`, which ct's JSON Lines
 * reader keeps as its text) or as numbers separated by spaces, commas or semicolons (a CSV
 * cell). Pure functions; preprocessing.ts wires them in.
 */

const SEPARATORS = /[\s,;]+/;

/**
 * The numbers of one cell; NaN for an element that is not a number (or a JSON null).
 * An empty cell has none.
 */
export function parseSequence(text: string): number[] {
  const trimmed = text.trim();
  const inner = trimmed.startsWith('[') && trimmed.endsWith(']') ? trimmed.slice(1, -1) : trimmed;
  if (inner.trim() === '') return [];
  return inner
    .trim()
    .split(SEPARATORS)
    .map((item) => (item === '' || item === 'null' ? Number.NaN : Number(item)));
}

/**
 * Writes a cell's numbers into `out` from `at`, standardised (`(x - mean) / std`), and
 * returns whether the cell is whole: exactly `length` finite numbers. A cell that is not
 * keeps its finite numbers in place and the training mean (0) elsewhere.
 */
export function encodeSequence(values: readonly number[], length: number, mean: number, std: number, out: Float32Array, at: number): boolean {
  let whole = values.length === length;
  for (let j = 0; j < length; j++) {
    const x = j < values.length ? values[j]! : Number.NaN;
    if (x - x !== 0) {
      whole = false;
      out[at + j] = 0;
    } else out[at + j] = (x - mean) / std;
  }
  return whole;
}
