import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { solveSymmetricPositiveDefinite } from './cholesky.js';

describe('solveSymmetricPositiveDefinite', () => {
  it('solves a positive-definite system', () => {
    const a = Float64Array.from([4, 2, 0.4, 2, 5, 1, 0.4, 1, 3]);
    const x = [1, -2, 0.5];
    const b = Float64Array.from([0, 1, 2], (i) =>
      x.reduce((sum, xj, j) => sum + a[i * 3 + j]! * xj, 0),
    );
    const solved = solveSymmetricPositiveDefinite(a, b, 3);
    assert.ok(solved);
    solved.forEach((value, i) => {
      assert.ok(Math.abs(value - x[i]!) < 1e-14, `x[${i}] = ${value}`);
    });
  });

  it('returns undefined for a matrix that is not positive definite', () => {
    assert.equal(
      solveSymmetricPositiveDefinite(Float64Array.from([1, 2, 2, 1]), Float64Array.from([1, 1]), 2),
      undefined,
    );
    assert.equal(
      solveSymmetricPositiveDefinite(Float64Array.from([0]), Float64Array.from([1]), 1),
      undefined,
    );
  });
});
