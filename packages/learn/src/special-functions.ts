/**
 * The two distribution tails McNemar's test needs, to near machine precision: the binomial CDF at
 * p = ½ (exact test) and the χ²₁ survival function (asymptotic test).
 */

const LOG_SQRT_2PI = 0.9189385332046728; // ln √(2π)

/** ln n! − ln(√(2πn) (n/e)ⁿ): Stirling's error, small and accurate where ln n! itself is not. */
function stirlingError(n: number): number {
  if (n > 15) {
    const nn = n * n;
    return (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - 1 / (1188 * nn)) / nn) / nn) / nn) / n;
  }
  let logFactorial = 0;
  for (let k = 2; k <= n; k++) logFactorial += Math.log(k);
  return logFactorial - (n + 0.5) * Math.log(n) + n - LOG_SQRT_2PI;
}

/** x ln(x / m) + m − x, the binomial deviance term, by its series when x ≈ m (no cancellation). */
function deviance(x: number, m: number): number {
  if (Math.abs(x - m) < 0.1 * (x + m)) {
    const v = (x - m) / (x + m);
    let sum = (x - m) * v;
    let term = 2 * x * v;
    const v2 = v * v;
    for (let j = 1; j < 1000; j++) {
      term *= v2;
      const next = sum + term / (2 * j + 1);
      if (next === sum) return sum;
      sum = next;
    }
    return sum;
  }
  return x * Math.log(x / m) + m - x;
}

/**
 * P(X = k) for X ~ Binomial(n, ½), by Loader's saddle-point expansion: relative error near 1e-15
 * even for n in the millions, where C(n, k) / 2ⁿ over- and underflows.
 */
function binomialHalfProbability(k: number, n: number): number {
  if (k === 0 || k === n) return 2 ** -n;
  const half = n / 2;
  const logRatio =
    stirlingError(n) -
    stirlingError(k) -
    stirlingError(n - k) -
    deviance(k, half) -
    deviance(n - k, half);
  return Math.exp(logRatio) * Math.sqrt(n / (2 * Math.PI * k * (n - k)));
}

/**
 * P(X ≤ k) for X ~ Binomial(n, ½). Sums downwards from k with the exact ratio of neighbouring
 * terms, stopping once they no longer change the sum. Above the median it uses the symmetry
 * P(X ≤ k) = 1 − P(X ≤ n − k − 1), so the sum always starts from the tail's largest term.
 *
 * @see Catherine Loader, "Fast and Accurate Computation of Binomial Probabilities", 2000.
 */
export function binomialHalfCdf(k: number, n: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  if (2 * k >= n) return 1 - binomialHalfCdf(n - k - 1, n);
  let term = binomialHalfProbability(k, n);
  let sum = term;
  for (let i = k; i > 0; i--) {
    // P(i − 1) / P(i) = i / (n − i + 1)
    term *= i / (n - i + 1);
    const next = sum + term;
    if (next === sum) break;
    sum = next;
  }
  return Math.min(1, sum);
}

/**
 * P(χ²₁ > x) = erfc(√(x/2)) = Q(½, x/2), the regularized upper incomplete gamma function: by its
 * power series below a + 1 and by a continued fraction (modified Lentz) above.
 *
 * @see Press et al., "Numerical Recipes", 3rd ed., §6.2 (incomplete gamma function).
 */
export function chiSquareSurvivalOneDof(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  const a = 0.5;
  const t = x / 2;
  // ln Γ(½) = ln √π
  const logPrefactor = -t + a * Math.log(t) - 0.5723649429247001;
  if (t < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000; n++) {
      term *= t / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * Number.EPSILON) break;
    }
    return 1 - sum * Math.exp(logPrefactor);
  }
  const tiny = 1e-300;
  let b = t + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < Number.EPSILON) break;
  }
  return Math.exp(logPrefactor) * h;
}
