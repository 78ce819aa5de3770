/**
 * Survival functions of the one-sample Kolmogorov–Smirnov statistics for a sample of size `n`:
 * two-sided `D_n = sup |F_n − F|` and one-sided `D+_n = sup (F_n − F)`. The two-sample test uses
 * them for its large-sample p-value. Which method serves which `(n, x)` follows Simard & L'Ecuyer
 * (2011) with the cut-offs scipy uses, so that p-values agree with scipy's `kstwo.sf` and
 * `special.smirnov` (the methods themselves are exact or, for Pelz–Good, the same approximation).
 */

/** exp() of anything below this underflows to 0 (log of the smallest subnormal). */
const MIN_LOG = -745.1332191019412;

/** P(D_n ≥ x), two-sided: scipy's `kstwo.sf(x, n)`. */
export function kolmogorovSurvival(n: number, x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    // Ruben & Gambino: for 1/2n < x ≤ 1/n, P(D_n ≤ x) = n!/n^n · (2t − 1)^n.
    if (t <= 0.5) return 1;
    return clipProbability(1 - Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1)));
  }
  // Ruben & Gambino: for x ≥ 1 − 1/n, P(D_n ≥ x) = 2(1 − x)^n.
  if (t >= n - 1) return clipProbability(2 * (1 - x) ** n);
  // For x ≥ 1/2 the two one-sided events are disjoint.
  if (x >= 0.5) return clipProbability(2 * smirnovSurvival(n, x));
  const nxSquared = t * x;
  if (n <= 140) {
    // Simard & L'Ecuyer use Durbin's matrix up to nx² = 0.754693 and Pomeranz's recursion up to
    // 4. Both are exact; Durbin's serves the whole range here (they agree to ~1e-11 relative).
    if (nxSquared <= 4) return clipProbability(1 - durbinCdf(n, x));
    return clipProbability(2 * smirnovSurvival(n, x));
  }
  if (nxSquared >= 370) return 0;
  if (nxSquared >= 2.2) return clipProbability(2 * smirnovSurvival(n, x));
  const cdf = n <= 100_000 && n * x ** 1.5 <= 1.4 ? durbinCdf(n, x) : pelzGoodCdf(n, x);
  return clipProbability(1 - cdf);
}

/**
 * P(D+_n ≥ x), one-sided: scipy's `special.smirnov(n, x)`, by the Birnbaum–Tingey sum
 * `x Σ_{j=0}^{⌊n(1−x)⌋} C(n, j) (1 − x − j/n)^(n−j) (x + j/n)^(j−1)`, evaluated in logs.
 * Beyond n = 10^6 the sum is replaced by van Mulbregt's `exp(−(6nx + 1)² / 18n)`, as in scipy.
 */
export function smirnovSurvival(n: number, x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  if (n === 1) return 1 - x;
  const { floor: nxFloor, fraction, high: nxHigh, low: nxLow } = splitProduct(n, x);
  if (nxFloor === 0 || (nxFloor === 1 && fraction === 0)) return 1 - x * (1 + x) ** (n - 1);
  if (-2 * n * x * x < MIN_LOG) return 0;
  if (nxFloor >= n - 1) return (1 - x) ** n;
  if (n > 1_000_000) return Math.exp(-((6 * n * x + 1) ** 2) / 18 / n);
  // Terms j ≥ n − ⌊nx⌋ vanish (the first factor is ≤ 0 there).
  const lastTerm = n - nxFloor - 1;
  // log C(n, j), accumulated over up to n steps: compensated, or its rounding would reach 1e-9.
  let logBinomial = 0;
  let logBinomialError = 0;
  let sum = 0;
  for (let j = 0; j <= lastTerm; j++) {
    // 1 − x − j/n and x + j/n, from the exact n·x = nxHigh + nxLow to avoid cancellation.
    const below = (n - j - nxHigh - nxLow) / n;
    const above = (j + nxHigh + nxLow) / n;
    // log(1 − x − j/n) from whichever of the two is not near 1, so its rounding stays relative.
    const logBelow = below < 0.5 ? Math.log(below) : Math.log1p(-above);
    const logTerm = logBinomial + logBinomialError + (n - j) * logBelow + (j - 1) * Math.log(above);
    const term = Math.exp(logTerm);
    sum += term;
    // Terms are unimodal in j: once one is negligible against what remains, stop.
    if (term > 0 ? 4 * (lastTerm - j + 1) * term < Number.EPSILON * sum : j > n / 2) break;
    const increment = Math.log((n - j) / (j + 1));
    const next = logBinomial + increment;
    logBinomialError +=
      Math.abs(logBinomial) >= Math.abs(increment)
        ? logBinomial - next + increment
        : increment - next + logBinomial;
    logBinomial = next;
  }
  return clipProbability(x * sum);
}

function clipProbability(p: number): number {
  return Math.min(1, Math.max(0, p));
}

/** log(n! / n^n) by Stirling's series (only used where the result is far below 1e-16). */
function logFactorialOverPower(n: number): number {
  if (n <= 140) {
    let sum = 0;
    for (let i = 1; i <= n; i++) sum += Math.log(i / n);
    return sum;
  }
  return Math.log(n) / 2 - n + Math.log(2 * Math.PI) / 2 + 1 / (12 * n) - 1 / (360 * n ** 3);
}

/** n·x as an exact sum `high + low`, with `⌊n·x⌋` and the fractional part. */
function splitProduct(
  n: number,
  x: number,
): { high: number; low: number; floor: number; fraction: number } {
  const high = n * x;
  const low = twoProductError(n, x, high);
  let floor = Math.floor(high);
  if (high === floor && low < 0) floor -= 1;
  let fraction = high - floor + low;
  if (fraction >= 1) {
    floor += 1;
    fraction = 0;
  }
  return { high, low, floor, fraction };
}

/** The rounding error of `a * b` (Dekker's two-product with Veltkamp splitting). */
function twoProductError(a: number, b: number, product: number): number {
  const split = (value: number): [number, number] => {
    const scaled = 134217729 * value; // 2^27 + 1
    const high = scaled - (scaled - value);
    return [high, value - high];
  };
  const [aHigh, aLow] = split(a);
  const [bHigh, bLow] = split(b);
  return aHigh * bHigh - product + aHigh * bLow + aLow * bHigh + aLow * bLow;
}

/**
 * P(D_n ≤ d) by Durbin's matrix formula as Marsaglia, Tsang & Wang (2003) compute it: with
 * k = ⌈nd⌉, h = k − nd and an m×m matrix H (m = 2k − 1), P = n!/n^n · (H^n)[k−1][k−1].
 * Powers of two are factored out as the matrix grows, so nothing overflows.
 */
function durbinCdf(n: number, d: number): number {
  const nd = n * d;
  if (nd <= 0.5) return 0;
  if (d >= 1) return 1;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const matrix = new Float64Array(m * m);
  const inverseFactorial = [1];
  for (let i = 1; i <= m; i++) inverseFactorial.push((inverseFactorial[i - 1] ?? 0) / i);
  const at = (i: number): number => inverseFactorial[i] ?? 0;
  for (let row = 0; row < m; row++) {
    for (let column = 0; column <= Math.min(row + 1, m - 1); column++) {
      matrix[row * m + column] = at(row - column + 1);
    }
  }
  for (let i = 0; i < m; i++) {
    matrix[i * m] = (matrix[i * m] ?? 0) - h ** (i + 1) * at(i + 1);
    const last = (m - 1) * m + i;
    matrix[last] = (matrix[last] ?? 0) - h ** (m - i) * at(m - i);
  }
  if (2 * h - 1 > 0) matrix[(m - 1) * m] = (matrix[(m - 1) * m] ?? 0) + (2 * h - 1) ** m * at(m);

  const { matrix: power, exponent } = scaledPower(matrix, m, n);
  let p = power[(k - 1) * m + (k - 1)] ?? NaN;
  let scale = exponent;
  for (let i = 1; i <= n; i++) {
    p = (p * i) / n;
    if (p !== 0 && Math.abs(p) < 2 ** -128) {
      p *= 2 ** 128;
      scale -= 128;
    }
  }
  return clipProbability(timesPowerOfTwo(p, scale));
}

/** `matrix^power` as `result · 2^exponent`, by repeated squaring. */
function scaledPower(
  matrix: Float64Array,
  size: number,
  power: number,
): { matrix: Float64Array; exponent: number } {
  let base = matrix;
  let baseExponent = 0;
  let result: Float64Array | undefined;
  let resultExponent = 0;
  for (let remaining = power; remaining > 0; remaining = Math.floor(remaining / 2)) {
    if (remaining % 2 === 1) {
      result = result === undefined ? base.slice() : multiply(result, base, size);
      resultExponent += baseExponent;
      resultExponent += rescale(result);
    }
    if (remaining > 1) {
      base = multiply(base, base, size);
      baseExponent = 2 * baseExponent + rescale(base);
    }
  }
  return { matrix: result ?? identity(size), exponent: resultExponent };
}

/** Divides by 2^128 while the largest entry exceeds 2^128; returns the powers of two removed. */
function rescale(matrix: Float64Array): number {
  let largest = 0;
  for (const value of matrix) largest = Math.max(largest, Math.abs(value));
  let removed = 0;
  while (largest > 2 ** 128) {
    for (let i = 0; i < matrix.length; i++) matrix[i] = (matrix[i] ?? 0) * 2 ** -128;
    largest *= 2 ** -128;
    removed += 128;
  }
  return removed;
}

function multiply(left: Float64Array, right: Float64Array, size: number): Float64Array {
  const product = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let k = 0; k < size; k++) {
      const factor = left[i * size + k] ?? 0;
      if (factor === 0) continue;
      for (let j = 0; j < size; j++) {
        product[i * size + j] = (product[i * size + j] ?? 0) + factor * (right[k * size + j] ?? 0);
      }
    }
  }
  return product;
}

function identity(size: number): Float64Array {
  const matrix = new Float64Array(size * size);
  for (let i = 0; i < size; i++) matrix[i * size + i] = 1;
  return matrix;
}

/** value · 2^exponent without overflowing the intermediate power of two. */
function timesPowerOfTwo(value: number, exponent: number): number {
  let result = value;
  let remaining = exponent;
  while (remaining > 1000) {
    result *= 2 ** 1000;
    remaining -= 1000;
  }
  while (remaining < -1000) {
    result *= 2 ** -1000;
    remaining += 1000;
  }
  return result * 2 ** remaining;
}

/**
 * Pelz & Good's (1976) approximation of P(D_n ≤ x): the Li-Chien/Korolyuk expansion
 * K0(z) + K1(z)/√n + K2(z)/n + K3(z)/n^(3/2) at z = x√n, with each K written through Jacobi
 * theta functions so that it converges fast for small z. Simard & L'Ecuyer (2011), section 2.
 */
function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const logQ = -(Math.PI ** 2) / 8 / z2;
  if (logQ < -708) return 0;
  const pi2 = Math.PI ** 2;
  const pi4 = pi2 * pi2;
  const pi6 = pi4 * pi2;
  const sqrt2Pi = Math.sqrt(2 * Math.PI);
  // Sums over odd m = 2k − 1 of polynomials in m², weighted by q^(m²) = exp(−π²m²/8z²) …
  let k0 = 0;
  let k1 = 0;
  let k2 = 0;
  let k3 = 0;
  // … and over all k of polynomials in k², weighted by r^(k²) = exp(−π²k²/2z²).
  let k2Extra = 0;
  let k3Extra = 0;
  const terms = Math.ceil((16 * z) / Math.PI);
  for (let k = terms; k >= 1; k--) {
    const m2 = (2 * k - 1) ** 2;
    const weight = Math.exp(logQ * m2);
    k0 += weight;
    k1 += ((pi2 * m2) / 4 - z2) * weight;
    k2 +=
      (6 * z6 + 2 * z4 + ((2 * z4 - 5 * z2) * pi2 * m2) / 4 + (pi4 * (1 - 2 * z2) * m2 * m2) / 16) *
      weight;
    k3 +=
      (-30 * z6 -
        90 * z6 * z2 +
        ((135 * z4 - 96 * z6) * pi2 * m2) / 4 +
        ((212 * z4 - 60 * z2) * pi4 * m2 * m2) / 16 +
        ((5 - 30 * z2) * pi6 * m2 * m2 * m2) / 64) *
      weight;
    const rWeight = Math.exp((-pi2 * k * k) / 2 / z2);
    k2Extra += k * k * rWeight;
    k3Extra += (3 * z2 - pi2 * k * k) * k * k * rWeight;
  }
  const cdf0 = (sqrt2Pi / z) * k0;
  const cdf1 = (sqrt2Pi / (6 * z4)) * k1;
  const cdf2 = (sqrt2Pi / (72 * z6 * z)) * k2 - ((pi2 * sqrt2Pi) / (36 * z2 * z)) * k2Extra;
  const cdf3 = (sqrt2Pi / (6480 * z6 * z4)) * k3 + ((pi2 * sqrt2Pi) / (216 * z6)) * k3Extra;
  return cdf0 + cdf1 / Math.sqrt(n) + cdf2 / n + cdf3 / n ** 1.5;
}
