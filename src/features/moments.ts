/**
 * Running mean, standard deviation and range of numbers — what a numeric input, a sequence
 * input and a regression label are scaled by. Welford's update, weighted: stable for
 * millions of values, and a value seen `weight` times is added once.
 */
export class Moments {
  /** Values added (weights summed). */
  n = 0;
  mean = 0;
  min = Infinity;
  max = -Infinity;
  private m2 = 0;

  /** Adds `x`, `weight` times; non-finite values are skipped. */
  add(x: number, weight = 1): void {
    if (x - x !== 0 || weight <= 0) return;
    this.n += weight;
    const d = x - this.mean;
    this.mean += (d * weight) / this.n;
    this.m2 += weight * d * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  /**
   * The scale to standardise with: the mean (0 with no values) and the sample standard
   * deviation (n − 1), 1 where it would be 0 so a constant column divides safely.
   */
  scale(): { mean: number; std: number } {
    const std = this.n > 1 ? Math.sqrt(this.m2 / (this.n - 1)) : 0;
    return { mean: this.n > 0 ? this.mean : 0, std: std > 0 ? std : 1 };
  }
}
