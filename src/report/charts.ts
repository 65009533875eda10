/**
 * Charts GitHub renders inside Markdown: Mermaid `xychart-beta` blocks. Its line series
 * carry no names, so each chart says in its title which line is which.
 */
import { plain } from './escape.js';

/**
 * One Mermaid line chart over categorical x labels; each series a list of y values
 * in `range` (default [0, 1]). A missing value (NaN) is drawn at the bottom of the range.
 * Labels are one line, capped, without quotes or backticks (they cannot end the string or the block).
 */
export function lineChart(
  title: string,
  xLabel: string,
  xs: readonly string[],
  yLabel: string,
  series: ReadonlyArray<readonly number[]>,
  range: readonly [number, number] = [0, 1],
): string {
  const label = (x: string, maxLength = 80): string => `"${plain(x, maxLength).replace(/["`]/g, "'").replace(/[<>]/g, ' ')}"`;
  const values = (ys: readonly number[]): string => `[${ys.map((y) => (Number.isFinite(y) ? Number(y.toFixed(4)) : range[0])).join(', ')}]`;
  return [
    '```mermaid',
    'xychart-beta',
    `  title ${label(title, 200)}`,
    `  x-axis ${label(xLabel)} [${xs.map((x) => label(x)).join(', ')}]`,
    `  y-axis ${label(yLabel)} ${range[0]} --> ${range[1]}`,
    ...series.map((ys) => `  line ${values(ys)}`),
    '```',
  ].join('\n');
}
