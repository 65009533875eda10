/**
 * Charts GitHub renders inside Markdown: Mermaid `xychart-beta` blocks. Its line series
 * carry no names, so each chart says in its title which line is which.
 */

/**
 * One Mermaid line chart over categorical x labels; each series a list of y values
 * in `range` (default [0, 1]). A missing value (NaN) is drawn at the bottom of the range.
 */
export function lineChart(
  title: string,
  xLabel: string,
  xs: readonly string[],
  yLabel: string,
  series: ReadonlyArray<readonly number[]>,
  range: readonly [number, number] = [0, 1],
): string {
  const values = (ys: readonly number[]): string => `[${ys.map((y) => (Number.isFinite(y) ? Number(y.toFixed(4)) : range[0])).join(', ')}]`;
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${title.replace(/"/g, "'")}"`,
    `  x-axis "${xLabel}" [${xs.map((x) => `"${x}"`).join(', ')}]`,
    `  y-axis "${yLabel}" ${range[0]} --> ${range[1]}`,
    ...series.map((ys) => `  line ${values(ys)}`),
    '```',
  ].join('\n');
}
