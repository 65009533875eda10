/** The median of `values` (the mean of the two middle ones for an even count). */
export function median(values: ArrayLike<number>): number {
  // A typed array sorts numbers without a comparator call per step: medians run per key of every pooled day.
  const s = Float64Array.from(values).sort();
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
