/**
 * Tallies of values (categories, tokens) put in the order vocabularies and messages use.
 */

/**
 * The entries of `counts` seen at least `minCount` times, most frequent first, ties by
 * value so the order is deterministic, at most `max` of them.
 */
export function mostFrequentFirst(counts: Iterable<readonly [string, number]>, max = Infinity, minCount = 1): Array<[string, number]> {
  return [...counts]
    .filter(([, c]) => c >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, max)
    .map(([value, c]) => [value, c]);
}
