import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { binomialHalfCdf, chiSquareSurvivalOneDof } from './special-functions.js';

/** P(X ≤ k), X ~ Binomial(n, ½): Σ C(n, i) summed exactly in BigInt, rounded once at the end. */
function exactCdf(k: number, n: number): number {
  let sum = 0n;
  let coefficient = 1n;
  for (let i = 0; i <= k; i++) {
    sum += coefficient;
    coefficient = (coefficient * BigInt(n - i)) / BigInt(i + 1);
  }
  // Keep the division by 2ⁿ within double range: drop low bits that cannot matter.
  const shift = Math.max(0, n - 1000);
  return Number(sum >> BigInt(shift)) * 2 ** -(n - shift);
}

describe('binomialHalfCdf', () => {
  it('equals the exact sum of binomial coefficients', () => {
    for (const n of [1, 2, 7, 16, 17, 60, 333, 1500]) {
      for (let k = 0; k < n; k += Math.max(1, Math.floor(n / 25))) {
        const exact = exactCdf(k, n);
        if (exact < 1e-290) continue;
        const actual = binomialHalfCdf(k, n);
        assert.ok(
          Math.abs(actual - exact) <= 1e-12 * exact,
          `k=${k} n=${n}: ${actual} vs ${exact}`,
        );
      }
    }
  });

  it('is complementary by symmetry for large n: P(X ≤ k) + P(X ≤ n − k − 1) = 1', () => {
    for (const [k, n] of [
      [49_800, 100_000],
      [499_000, 1_000_000],
      [2_000_000, 4_000_001],
    ] as const) {
      const total = binomialHalfCdf(k, n) + binomialHalfCdf(n - k - 1, n);
      assert.ok(Math.abs(total - 1) <= 1e-12, `k=${k} n=${n}: ${total}`);
    }
  });

  it('handles the ends', () => {
    assert.equal(binomialHalfCdf(-1, 10), 0);
    assert.equal(binomialHalfCdf(10, 10), 1);
    assert.equal(binomialHalfCdf(0, 0), 1);
    assert.equal(binomialHalfCdf(0, 3), 0.125);
  });
});

describe('chiSquareSurvivalOneDof', () => {
  it('matches erfc(√(x/2)) at known points', () => {
    // scipy: chi2.isf(0.05, 1) = 3.8414588206941285; Python: math.erfc(1/√2) = 0.31731050786291415.
    assert.ok(Math.abs(chiSquareSurvivalOneDof(3.8414588206941285) - 0.05) <= 1e-14);
    assert.ok(Math.abs(chiSquareSurvivalOneDof(1) - 0.31731050786291415) <= 1e-14);
    // Far tail, relative: math.erfc(10) = 2.088487583762545e-45.
    const tail = chiSquareSurvivalOneDof(200);
    assert.ok(Math.abs(tail - 2.088487583762545e-45) <= 1e-13 * 2.088487583762545e-45, `${tail}`);
  });

  it('is 1 at and below 0 and NaN for NaN', () => {
    assert.equal(chiSquareSurvivalOneDof(0), 1);
    assert.equal(chiSquareSurvivalOneDof(-1), 1);
    assert.ok(Number.isNaN(chiSquareSurvivalOneDof(Number.NaN)));
  });
});
