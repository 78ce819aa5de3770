import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { checkProbabilities, ROW_SUM_TOLERANCE } from './check-probabilities.js';

describe('checkProbabilities', () => {
  it('accepts rows that sum to 1 within the tolerance, and refuses beyond it', () => {
    assert.equal(ROW_SUM_TOLERANCE, 1e-3);
    assert.ok(checkProbabilities([0.2, 0.3, 0.5009], 3).ok);
    const off = checkProbabilities([0.2, 0.3, 0.5, 0.2, 0.3, 0.502], 3);
    assert.equal(off.ok, false);
    assert.equal(off.firstBadRow, 1);
    assert.ok(Math.abs(off.maxRowSumError - 0.002) < 1e-12);
  });

  it('tolerates a rounding dip below 0, not a negative value', () => {
    assert.ok(checkProbabilities([-5e-7, 1 + 5e-7], 2).ok);
    assert.equal(checkProbabilities([-0.1, 1.1], 2).ok, false);
  });

  it('fails NaN and reports it as the row-sum error', () => {
    const check = checkProbabilities([0.5, 0.5, Number.NaN, 1, 0.3, 0.7], 2);
    assert.equal(check.ok, false);
    assert.equal(check.firstBadRow, 1);
    assert.ok(Number.isNaN(check.maxRowSumError));
  });

  it('passes zero rows', () => {
    assert.deepEqual(checkProbabilities([], 2), {
      ok: true,
      rows: 0,
      min: Infinity,
      max: -Infinity,
      maxRowSumError: 0,
      firstBadRow: -1,
    });
  });
});
