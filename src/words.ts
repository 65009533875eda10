/** Shares and lists as people read them in messages. */

/**
 * `share` (0..1) as a percentage: one decimal (8.0%), two under 1% (0.25%), and one
 * significant digit under 0.01% (0.003%), so one row among 30,000 does not read 0.00%.
 */
export function percent(share: number): string {
  const value = share * 100;
  if (share > 0 && share < 0.0001) return `${value.toPrecision(1)}%`;
  return `${value.toFixed(share > 0 && share < 0.01 ? 2 : 1)}%`;
}

/** `a`, `a or b`, `a, b or c` (`and` with `joiner`). */
export function alternatives(words: readonly string[], joiner = 'or'): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} ${joiner} ${words.at(-1)}`;
}
