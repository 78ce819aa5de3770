import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { fitStandardization, standardize } from './standardization.js';

describe('fitStandardization', () => {
  it('uses the population standard deviation and scale 1 for a constant column', () => {
    const values = Float64Array.from([1, 5, 2, 5, 3, 5, 4, 5]);
    const { mean, scale } = fitStandardization(values, 4, 2);
    assert.deepEqual(mean, [2.5, 5]);
    assert.deepEqual(scale, [Math.sqrt(1.25), 1]);
    assert.deepEqual(
      Array.from(standardize(values, 4, 2, { mean, scale })),
      [-1.5, 0, -0.5, 0, 0.5, 0, 1.5, 0].map((z, k) => (k % 2 === 0 ? z / Math.sqrt(1.25) : z)),
    );
  });

  it('keeps the digits of a column far from zero', () => {
    // Epoch milliseconds: a naive Σx² − n·mean² would cancel every digit of the spread.
    const base = 1.7e12;
    const values = Float64Array.from([base + 1, base + 2, base + 3, base + 4]);
    const { mean, scale } = fitStandardization(values, 4, 1);
    assert.equal(mean[0], base + 2.5);
    assert.equal(scale[0], Math.sqrt(1.25));
  });
});
