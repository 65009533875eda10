/**
 * The statistics behind drift detection, as pure functions: two-sample tests
 * (Kolmogorov–Smirnov, chi-squared, two-proportion Z), distances (Wasserstein-1,
 * Jensen–Shannon, PSI), the special functions they need, and multiple-testing
 * corrections. Each follows the definition scipy / Evidently use, so a drift
 * report here can be checked against a Python notebook number for number.
 *
 * Distributions are passed as weighted atoms (ascending distinct values with
 * weights): an exact sample, exact value counts and a quantile sketch's buckets
 * all take that form, so one implementation serves all three.
 */

/** A discrete distribution: ascending distinct support points and their (positive) weights. */
export interface Atoms {
  readonly values: Float64Array;
  readonly weights: Float64Array;
}

/** Result of a test with a p-value. */
export interface TestResult {
  statistic: number;
  pValue: number;
}

// ---------------------------------------------------------------------------
// Special functions

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
  9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7: about 15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x); // reflection
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

const GAMMA_EPS = 1e-16;
const GAMMA_MAX_ITERATIONS = 10_000;

/**
 * Regularized lower incomplete gamma P(a, x) = γ(a, x) / Γ(a). Series below
 * x < a + 1, continued fraction above (each converges fast on its side), so
 * the small tail is computed directly, never as 1 − (something close to 1).
 */
export function regularizedGammaP(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return Number.NaN;
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

/** Regularized upper incomplete gamma Q(a, x) = 1 − P(a, x): the chi-squared survival function's core. */
export function regularizedGammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return Number.NaN;
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

function gammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < GAMMA_MAX_ITERATIONS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * GAMMA_EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** Q(a, x) by Lentz's continued fraction (x ≥ a + 1). */
function gammaContinuedFraction(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < GAMMA_MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < GAMMA_EPS) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** Complementary error function, via erfc(x) = Q(1/2, x²) for x ≥ 0 (accurate far into the tail). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  return x >= 0 ? regularizedGammaQ(0.5, x * x) : 1 + regularizedGammaP(0.5, x * x);
}

/** Standard normal CDF Φ(z). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Standard normal survival function 1 − Φ(z), without cancellation for large z. */
export function normalSurvival(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** Survival function of the chi-squared distribution with `df` degrees of freedom. */
export function chiSquareSurvival(x: number, df: number): number {
  if (!(df > 0)) return Number.NaN;
  if (x <= 0) return 1;
  return regularizedGammaQ(df / 2, x / 2);
}

/**
 * Survival function of the Kolmogorov distribution (scipy's `kstwobign.sf`):
 * P(√n·D > λ) as n → ∞. Two series, each used where it converges in a few terms.
 */
export function kolmogorovSurvival(lambda: number): number {
  if (Number.isNaN(lambda)) return Number.NaN;
  if (lambda <= 0) return 1;
  if (lambda < 1.18) {
    // Jacobi theta form of the CDF: fast for small λ, where the alternating series is slow.
    const w = (Math.PI * Math.PI) / (8 * lambda * lambda);
    let sum = 0;
    for (let k = 1; k <= 20; k++) {
      const term = Math.exp(-(2 * k - 1) * (2 * k - 1) * w);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    return 1 - (Math.sqrt(2 * Math.PI) / lambda) * sum;
  }
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += k % 2 === 1 ? term : -term;
    if (term < 1e-17 * Math.abs(sum)) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

// ---------------------------------------------------------------------------
// Distributions as weighted atoms

/** A sample as atoms: sorted, ties merged (NaN and ±Infinity dropped). */
export function atomsFromSample(sample: ArrayLike<number>): Atoms {
  const sorted = Float64Array.from(sample).filter(Number.isFinite).sort();
  const values: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const x = sorted[i]!;
    if (values.length > 0 && values[values.length - 1] === x) weights[weights.length - 1]!++;
    else {
      values.push(x);
      weights.push(1);
    }
  }
  return { values: Float64Array.from(values), weights: Float64Array.from(weights) };
}

/** Atoms from (value, count) pairs in any order; equal values are added up. */
export function atomsFromCounts(pairs: ReadonlyArray<readonly [number, number]>): Atoms {
  const sorted = pairs.filter(([v, c]) => Number.isFinite(v) && c > 0).sort((a, b) => a[0] - b[0]);
  const values: number[] = [];
  const weights: number[] = [];
  for (const [v, c] of sorted) {
    if (values.length > 0 && values[values.length - 1] === v) weights[weights.length - 1]! += c;
    else {
      values.push(v);
      weights.push(c);
    }
  }
  return { values: Float64Array.from(values), weights: Float64Array.from(weights) };
}

/** Total weight of `atoms`. */
export function totalWeight(atoms: Atoms): number {
  let total = 0;
  for (let i = 0; i < atoms.weights.length; i++) total += atoms.weights[i]!;
  return total;
}

/** Share of the weight at values ≤ x. NaN when empty. */
export function atomsCdf(atoms: Atoms, x: number): number {
  const total = totalWeight(atoms);
  if (total === 0) return Number.NaN;
  let below = 0;
  for (let i = 0; i < atoms.values.length && atoms.values[i]! <= x; i++) below += atoms.weights[i]!;
  return below / total;
}

/** The value at rank ⌊q·(n − 1)⌋ (0-based) of the sorted data the atoms stand for; NaN when empty. */
export function atomsQuantile(atoms: Atoms, q: number): number {
  const total = totalWeight(atoms);
  if (total === 0) return Number.NaN;
  const rank = Math.floor(q * (total - 1));
  let seen = 0;
  for (let i = 0; i < atoms.values.length; i++) {
    seen += atoms.weights[i]!;
    if (seen > rank) return atoms.values[i]!;
  }
  return atoms.values[atoms.values.length - 1]!;
}

/**
 * Weight in each bin (−∞, e₁], (e₁, e₂], …, (eₖ, ∞) for ascending inner edges
 * e₁ < … < eₖ: k + 1 counts.
 */
export function binCounts(atoms: Atoms, edges: ArrayLike<number>): Float64Array {
  const counts = new Float64Array(edges.length + 1);
  let bin = 0;
  for (let i = 0; i < atoms.values.length; i++) {
    const x = atoms.values[i]!;
    while (bin < edges.length && x > edges[bin]!) bin++;
    counts[bin]! += atoms.weights[i]!;
  }
  return counts;
}

// ---------------------------------------------------------------------------
// Kolmogorov–Smirnov

/**
 * Two-sample KS statistic D = sup |F_a − F_b| of two weighted distributions
 * (ties handled as scipy does: both CDFs are taken after all atoms at a value).
 */
export function ksStatistic(a: Atoms, b: Atoms): number {
  // NaN stays when either side has no weight (walkCdfs visits nothing).
  let d = Number.NaN;
  walkCdfs(a, b, (_x, fa, fb) => {
    const diff = Math.abs(fa - fb);
    if (Number.isNaN(d) || diff > d) d = diff;
  });
  return d;
}

/**
 * Walks the distinct values of two weighted distributions in ascending order and
 * calls `visit(x, Fa(x), Fb(x))` with both normalised CDFs taken after all atoms at x.
 * Does nothing when either side has no weight.
 */
function walkCdfs(a: Atoms, b: Atoms, visit: (x: number, fa: number, fb: number) => void): void {
  const wa = totalWeight(a);
  const wb = totalWeight(b);
  if (wa === 0 || wb === 0) return;
  let i = 0;
  let j = 0;
  let ca = 0;
  let cb = 0;
  while (i < a.values.length || j < b.values.length) {
    const x = Math.min(i < a.values.length ? a.values[i]! : Infinity, j < b.values.length ? b.values[j]! : Infinity);
    while (i < a.values.length && a.values[i]! <= x) ca += a.weights[i++]!;
    while (j < b.values.length && b.values[j]! <= x) cb += b.weights[j++]!;
    visit(x, ca / wa, cb / wb);
  }
}

/** Sample sizes up to which scipy's `ks_2samp(method='auto')` computes the exact p-value. */
export const KS_EXACT_MAX_N = 10_000;

/**
 * Two-sided p-value of the two-sample KS statistic `d` for sample sizes n1, n2.
 * `'auto'` follows scipy: exact when both sizes are ≤ 10,000, else asymptotic.
 *
 * Exact: the probability that a uniformly random interleaving of the two
 * samples (a lattice path) ever reaches |F₁ − F₂| ≥ d, by dynamic programming
 * over the path with hypergeometric step probabilities. The mass that leaves
 * the band is summed directly, so small p-values keep their precision.
 *
 * Asymptotic: the Kolmogorov distribution at (√nₑ + 0.12 + 0.11/√nₑ)·d with
 * nₑ = n1·n2/(n1 + n2) (Stephens' finite-sample correction). scipy evaluates
 * the exact one-sample distribution `kstwo(round(nₑ))` instead; both converge
 * to the same limit and agree to about 1% relative on p-values that matter.
 */
export function ksPValue(d: number, n1: number, n2: number, method: 'auto' | 'exact' | 'asymptotic' = 'auto'): number {
  if (Number.isNaN(d) || !(n1 >= 1) || !(n2 >= 1)) return Number.NaN;
  const exact = method === 'exact' || (method === 'auto' && Math.max(n1, n2) <= KS_EXACT_MAX_N);
  if (exact) return ksExactPValue(d, Math.round(n1), Math.round(n2));
  const en = (n1 * n2) / (n1 + n2);
  const root = Math.sqrt(en);
  return kolmogorovSurvival((root + 0.12 + 0.11 / root) * d);
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function ksExactPValue(d: number, n1: number, n2: number): number {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  // D is a multiple of 1/lcm; rounding absorbs the float error in d, as scipy does.
  const h = Math.round(d * lcm);
  if (h <= 0) return 1;
  // |i/n1 − j/n2| ≥ h/lcm  ⇔  |i·n2 − j·n1| ≥ h·g  (integers: exact comparisons).
  const bound = h * g;
  let row = new Float64Array(n2 + 1);
  let next = new Float64Array(n2 + 1);
  let outside = 0;
  row[0] = 1;
  for (let j = 1; j <= n2; j++) {
    const p = row[j - 1]! * ((n2 - j + 1) / (n1 + n2 - j + 1));
    if (Math.abs(-j * n1) >= bound) {
      outside += p;
      row[j] = 0;
    } else row[j] = p;
  }
  for (let i = 1; i <= n1; i++) {
    for (let j = 0; j <= n2; j++) {
      const remaining = n1 - i + 1 + n2 - j; // draws left before the step into (i, j) from (i − 1, j)
      let p = row[j]! * ((n1 - i + 1) / remaining);
      if (j > 0) p += next[j - 1]! * ((n2 - j + 1) / (n1 - i + n2 - j + 1));
      if (Math.abs(i * n2 - j * n1) >= bound) {
        outside += p;
        next[j] = 0;
      } else next[j] = p;
    }
    [row, next] = [next, row];
  }
  return Math.min(1, Math.max(0, outside));
}

/** Two-sample KS test of raw samples (NaN dropped): statistic and p-value (scipy `ks_2samp`, 'auto'). */
export function ksTest(a: ArrayLike<number>, b: ArrayLike<number>): TestResult {
  const atomsA = atomsFromSample(a);
  const atomsB = atomsFromSample(b);
  const statistic = ksStatistic(atomsA, atomsB);
  return { statistic, pValue: ksPValue(statistic, totalWeight(atomsA), totalWeight(atomsB)) };
}

// ---------------------------------------------------------------------------
// Categorical tests

/**
 * Pearson's chi-squared goodness-of-fit test (scipy `chisquare(f_obs, f_exp)`):
 * statistic Σ (o − e)²/e, df = categories − 1. Categories where both are 0 are
 * dropped; a category observed but not expected makes the statistic infinite
 * (p = 0), as in scipy. With one category there is nothing to test: p = 1.
 */
export function chiSquareTest(observed: ArrayLike<number>, expected: ArrayLike<number>): TestResult & { df: number } {
  if (observed.length !== expected.length) throw new RangeError(`chi-squared: ${observed.length} observed vs ${expected.length} expected categories`);
  let statistic = 0;
  let k = 0;
  for (let i = 0; i < observed.length; i++) {
    const o = observed[i]!;
    const e = expected[i]!;
    if (o === 0 && e === 0) continue;
    k++;
    statistic += e === 0 ? Infinity : ((o - e) * (o - e)) / e;
  }
  const df = k - 1;
  if (df < 1) return { statistic, pValue: 1, df: Math.max(df, 0) };
  return { statistic, pValue: statistic === Infinity ? 0 : chiSquareSurvival(statistic, df), df };
}

/**
 * Two-proportion Z test (pooled variance, two-sided), as Evidently's `z` test:
 * successes x1 of n1 against x2 of n2. When the pooled proportion is 0 or 1
 * both samples are identical: z = 0, p = 1.
 */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): TestResult {
  if (!(n1 > 0) || !(n2 > 0)) return { statistic: Number.NaN, pValue: Number.NaN };
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return { statistic: 0, pValue: 1 };
  const z = (p1 - p2) / se;
  return { statistic: z, pValue: Math.min(1, 2 * normalSurvival(Math.abs(z))) };
}

// ---------------------------------------------------------------------------
// Distances

/**
 * Wasserstein-1 (earth mover's) distance between two weighted distributions:
 * ∫ |F(x) − G(x)| dx, which equals ∫₀¹ |F⁻¹(q) − G⁻¹(q)| dq (scipy
 * `wasserstein_distance` with weights). Exact for atoms, so for sketches it is
 * the distance between their bucket representatives.
 */
export function wassersteinDistance(a: Atoms, b: Atoms): number {
  if (totalWeight(a) === 0 || totalWeight(b) === 0) return Number.NaN;
  let distance = 0;
  // Between consecutive values x0 < x1 both CDFs are flat at their values at x0.
  let previous: { x: number; gap: number } | null = null;
  walkCdfs(a, b, (x, fa, fb) => {
    if (previous !== null) distance += previous.gap * (x - previous.x);
    previous = { x, gap: Math.abs(fa - fb) };
  });
  return distance;
}

/**
 * Jensen–Shannon distance: √(JSD) with JSD = ½ KL(p‖m) + ½ KL(q‖m), m = (p + q)/2,
 * logarithms in `base` (Evidently uses base 2, so it lies in [0, 1]). `p` and
 * `q` are counts or shares over the same categories; each is normalised.
 */
export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>, base = 2): number {
  if (p.length !== q.length) throw new RangeError(`Jensen-Shannon: ${p.length} vs ${q.length} categories`);
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    sp += p[i]!;
    sq += q[i]!;
  }
  if (!(sp > 0) || !(sq > 0)) return Number.NaN;
  let divergence = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]! / sp;
    const qi = q[i]! / sq;
    const m = (pi + qi) / 2;
    if (pi > 0) divergence += pi * Math.log(pi / m);
    if (qi > 0) divergence += qi * Math.log(qi / m);
  }
  return Math.sqrt(Math.max(0, divergence / (2 * Math.log(base))));
}

/** Share given to an empty bin by PSI (Evidently's classic `sub_psi`), so the logarithm stays finite. */
export const PSI_EPSILON = 0.0001;

/**
 * Population stability index Σ (rᵢ − cᵢ)·ln(rᵢ/cᵢ) over bins, with rᵢ and cᵢ the
 * shares of reference and current in bin i (counts are normalised), an empty
 * bin counting as `epsilon`. Rule of thumb: < 0.1 stable, ≥ 0.1 drift, ≥ 0.25 major.
 */
export function populationStabilityIndex(reference: ArrayLike<number>, current: ArrayLike<number>, epsilon = PSI_EPSILON): number {
  if (reference.length !== current.length) throw new RangeError(`PSI: ${reference.length} vs ${current.length} bins`);
  let sr = 0;
  let sc = 0;
  for (let i = 0; i < reference.length; i++) {
    sr += reference[i]!;
    sc += current[i]!;
  }
  if (!(sr > 0) || !(sc > 0)) return Number.NaN;
  let psi = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i]! / sr || epsilon;
    const c = current[i]! / sc || epsilon;
    psi += (r - c) * Math.log(r / c);
  }
  return psi;
}

// ---------------------------------------------------------------------------
// Multiple testing

/** Bonferroni-adjusted p-values: min(1, p·m), m the number of (non-NaN) tests. NaN stays NaN. */
export function bonferroni(pValues: readonly number[]): number[] {
  const m = pValues.filter((p) => !Number.isNaN(p)).length;
  return pValues.map((p) => (Number.isNaN(p) ? p : Math.min(1, p * m)));
}

/**
 * Benjamini–Hochberg adjusted p-values (false discovery rate; statsmodels
 * `fdr_bh`): p₍ᵢ₎·m/i made monotone from the largest down, capped at 1.
 * Comparing them with α controls the FDR at α. NaN stays NaN.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const order = pValues
    .map((p, i) => ({ p, i }))
    .filter((e) => !Number.isNaN(e.p))
    .sort((a, b) => a.p - b.p || a.i - b.i);
  const m = order.length;
  const adjusted = pValues.slice();
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const e = order[rank - 1]!;
    running = Math.min(running, (e.p * m) / rank);
    adjusted[e.i] = running;
  }
  return adjusted;
}
