import { createRequire as __ctCreateRequire } from 'node:module'; import { dirname as __ctDirnameOf } from 'node:path'; import { fileURLToPath as __ctFileURLToPath } from 'node:url'; const require = __ctCreateRequire(import.meta.url); const __ctFilename = __ctFileURLToPath(import.meta.url); const __ctDirname = __ctDirnameOf(__ctFilename);

// src/validate/hypothesis.ts
var LANCZOS = [
  0.9999999999998099,
  676.5203681218851,
  -1259.1392167224028,
  771.3234287776531,
  -176.6150291621406,
  12.507343278686905,
  -0.13857109526572012,
  9984369578019572e-21,
  15056327351493116e-23
];
function logGamma(x) {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}
var GAMMA_EPS = 1e-16;
var GAMMA_MAX_ITERATIONS = 1e4;
function regularizedGammaP(a, x) {
  if (!(a > 0) || !(x >= 0)) return Number.NaN;
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}
function regularizedGammaQ(a, x) {
  if (!(a > 0) || !(x >= 0)) return Number.NaN;
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}
function gammaSeries(a, x) {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < GAMMA_MAX_ITERATIONS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * GAMMA_EPS) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}
function gammaContinuedFraction(a, x) {
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
function erfc(x) {
  if (Number.isNaN(x)) return Number.NaN;
  return x >= 0 ? regularizedGammaQ(0.5, x * x) : 1 + regularizedGammaP(0.5, x * x);
}
function normalSurvival(z) {
  return 0.5 * erfc(z / Math.SQRT2);
}
function chiSquareSurvival(x, df) {
  if (!(df > 0)) return Number.NaN;
  if (x <= 0) return 1;
  return regularizedGammaQ(df / 2, x / 2);
}
function kolmogorovSurvival(lambda) {
  if (Number.isNaN(lambda)) return Number.NaN;
  if (lambda <= 0) return 1;
  if (lambda < 1.18) {
    const w = Math.PI * Math.PI / (8 * lambda * lambda);
    let sum2 = 0;
    for (let k = 1; k <= 20; k++) {
      const term = Math.exp(-(2 * k - 1) * (2 * k - 1) * w);
      sum2 += term;
      if (term < 1e-17 * sum2) break;
    }
    return 1 - Math.sqrt(2 * Math.PI) / lambda * sum2;
  }
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += k % 2 === 1 ? term : -term;
    if (term < 1e-17 * Math.abs(sum)) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}
function atomsFromSample(sample) {
  const sorted = Float64Array.from(sample).filter(Number.isFinite).sort();
  const values = [];
  const weights = [];
  for (let i = 0; i < sorted.length; i++) {
    const x = sorted[i];
    if (values.length > 0 && values[values.length - 1] === x) weights[weights.length - 1]++;
    else {
      values.push(x);
      weights.push(1);
    }
  }
  return { values: Float64Array.from(values), weights: Float64Array.from(weights) };
}
function atomsFromCounts(pairs) {
  const sorted = pairs.filter(([v, c]) => Number.isFinite(v) && c > 0).sort((a, b) => a[0] - b[0]);
  const values = [];
  const weights = [];
  for (const [v, c] of sorted) {
    if (values.length > 0 && values[values.length - 1] === v) weights[weights.length - 1] += c;
    else {
      values.push(v);
      weights.push(c);
    }
  }
  return { values: Float64Array.from(values), weights: Float64Array.from(weights) };
}
function totalWeight(atoms) {
  let total = 0;
  for (let i = 0; i < atoms.weights.length; i++) total += atoms.weights[i];
  return total;
}
function atomsQuantile(atoms, q) {
  const total = totalWeight(atoms);
  if (total === 0) return Number.NaN;
  const rank = Math.floor(q * (total - 1));
  let seen = 0;
  for (let i = 0; i < atoms.values.length; i++) {
    seen += atoms.weights[i];
    if (seen > rank) return atoms.values[i];
  }
  return atoms.values[atoms.values.length - 1];
}
function binCounts(atoms, edges) {
  const counts = new Float64Array(edges.length + 1);
  let bin = 0;
  for (let i = 0; i < atoms.values.length; i++) {
    const x = atoms.values[i];
    while (bin < edges.length && x > edges[bin]) bin++;
    counts[bin] += atoms.weights[i];
  }
  return counts;
}
function ksStatistic(a, b) {
  let d = Number.NaN;
  walkCdfs(a, b, (_x, fa, fb) => {
    const diff = Math.abs(fa - fb);
    if (Number.isNaN(d) || diff > d) d = diff;
  });
  return d;
}
function walkCdfs(a, b, visit) {
  const wa = totalWeight(a);
  const wb = totalWeight(b);
  if (wa === 0 || wb === 0) return;
  let i = 0;
  let j = 0;
  let ca = 0;
  let cb = 0;
  while (i < a.values.length || j < b.values.length) {
    const x = Math.min(i < a.values.length ? a.values[i] : Infinity, j < b.values.length ? b.values[j] : Infinity);
    while (i < a.values.length && a.values[i] <= x) ca += a.weights[i++];
    while (j < b.values.length && b.values[j] <= x) cb += b.weights[j++];
    visit(x, ca / wa, cb / wb);
  }
}
var KS_EXACT_MAX_N = 1e4;
function ksPValue(d, n1, n2, method = "auto") {
  if (Number.isNaN(d) || !(n1 >= 1) || !(n2 >= 1)) return Number.NaN;
  const exact = method === "exact" || method === "auto" && Math.max(n1, n2) <= KS_EXACT_MAX_N;
  if (exact) return ksExactPValue(d, Math.round(n1), Math.round(n2));
  const en = n1 * n2 / (n1 + n2);
  const root = Math.sqrt(en);
  return kolmogorovSurvival((root + 0.12 + 0.11 / root) * d);
}
function gcd(a, b) {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
function ksExactPValue(d, n1, n2) {
  const g = gcd(n1, n2);
  const lcm = n1 / g * n2;
  const h = Math.round(d * lcm);
  if (h <= 0) return 1;
  const bound = h * g;
  let row = new Float64Array(n2 + 1);
  let next = new Float64Array(n2 + 1);
  let outside = 0;
  row[0] = 1;
  for (let j = 1; j <= n2; j++) {
    const p = row[j - 1] * ((n2 - j + 1) / (n1 + n2 - j + 1));
    if (Math.abs(-j * n1) >= bound) {
      outside += p;
      row[j] = 0;
    } else row[j] = p;
  }
  for (let i = 1; i <= n1; i++) {
    for (let j = 0; j <= n2; j++) {
      const remaining = n1 - i + 1 + n2 - j;
      let p = row[j] * ((n1 - i + 1) / remaining);
      if (j > 0) p += next[j - 1] * ((n2 - j + 1) / (n1 - i + n2 - j + 1));
      if (Math.abs(i * n2 - j * n1) >= bound) {
        outside += p;
        next[j] = 0;
      } else next[j] = p;
    }
    [row, next] = [next, row];
  }
  return Math.min(1, Math.max(0, outside));
}
function chiSquareTest(observed, expected) {
  if (observed.length !== expected.length) throw new RangeError(`chi-squared: ${observed.length} observed vs ${expected.length} expected categories`);
  let statistic = 0;
  let k = 0;
  for (let i = 0; i < observed.length; i++) {
    const o = observed[i];
    const e = expected[i];
    if (o === 0 && e === 0) continue;
    k++;
    statistic += e === 0 ? Infinity : (o - e) * (o - e) / e;
  }
  const df = k - 1;
  if (df < 1) return { statistic, pValue: 1, df: Math.max(df, 0) };
  return { statistic, pValue: statistic === Infinity ? 0 : chiSquareSurvival(statistic, df), df };
}
function twoProportionZTest(x1, n1, x2, n2) {
  if (!(n1 > 0) || !(n2 > 0)) return { statistic: Number.NaN, pValue: Number.NaN };
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const pooled = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return { statistic: 0, pValue: 1 };
  const z = (p1 - p2) / se;
  return { statistic: z, pValue: Math.min(1, 2 * normalSurvival(Math.abs(z))) };
}
function wassersteinDistance(a, b) {
  if (totalWeight(a) === 0 || totalWeight(b) === 0) return Number.NaN;
  let distance = 0;
  let previous = null;
  walkCdfs(a, b, (x, fa, fb) => {
    if (previous !== null) distance += previous.gap * (x - previous.x);
    previous = { x, gap: Math.abs(fa - fb) };
  });
  return distance;
}
function jensenShannonDistance(p, q, base = 2) {
  if (p.length !== q.length) throw new RangeError(`Jensen-Shannon: ${p.length} vs ${q.length} categories`);
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    sp += p[i];
    sq += q[i];
  }
  if (!(sp > 0) || !(sq > 0)) return Number.NaN;
  let divergence = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] / sp;
    const qi = q[i] / sq;
    const m = (pi + qi) / 2;
    if (pi > 0) divergence += pi * Math.log(pi / m);
    if (qi > 0) divergence += qi * Math.log(qi / m);
  }
  return Math.sqrt(Math.max(0, divergence / (2 * Math.log(base))));
}
var PSI_EPSILON = 1e-4;
function populationStabilityIndex(reference, current, epsilon = PSI_EPSILON) {
  if (reference.length !== current.length) throw new RangeError(`PSI: ${reference.length} vs ${current.length} bins`);
  let sr = 0;
  let sc = 0;
  for (let i = 0; i < reference.length; i++) {
    sr += reference[i];
    sc += current[i];
  }
  if (!(sr > 0) || !(sc > 0)) return Number.NaN;
  let psi = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i] / sr || epsilon;
    const c = current[i] / sc || epsilon;
    psi += (r - c) * Math.log(r / c);
  }
  return psi;
}
function bonferroni(pValues) {
  const m = pValues.filter((p) => !Number.isNaN(p)).length;
  return pValues.map((p) => Number.isNaN(p) ? p : Math.min(1, p * m));
}
function benjaminiHochberg(pValues) {
  const order = pValues.map((p, i) => ({ p, i })).filter((e) => !Number.isNaN(e.p)).sort((a, b) => a.p - b.p || a.i - b.i);
  const m = order.length;
  const adjusted = pValues.slice();
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const e = order[rank - 1];
    running = Math.min(running, e.p * m / rank);
    adjusted[e.i] = running;
  }
  return adjusted;
}

export {
  regularizedGammaP,
  normalSurvival,
  chiSquareSurvival,
  atomsFromSample,
  atomsFromCounts,
  atomsQuantile,
  binCounts,
  ksStatistic,
  ksPValue,
  chiSquareTest,
  twoProportionZTest,
  wassersteinDistance,
  jensenShannonDistance,
  populationStabilityIndex,
  bonferroni,
  benjaminiHochberg
};
