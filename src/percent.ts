/** Shares of rows as people read them in anomaly messages. */

/**
 * `share` (0..1) as a percentage: one decimal (8.0%), two under 1% (0.25%), and one
 * significant digit under 0.01% (0.003%), so one row among 30,000 does not read 0.00%.
 */
export function percent(share: number): string {
  const value = share * 100;
  if (share > 0 && share < 0.0001) return `${value.toPrecision(1)}%`;
  return `${value.toFixed(share > 0 && share < 0.01 ? 2 : 1)}%`;
}
