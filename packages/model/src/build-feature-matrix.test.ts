import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { buildFeatureMatrix } from './build-feature-matrix.js';

describe('buildFeatureMatrix', () => {
  it('lays rows out in model column order and ignores features the model does not use', () => {
    const { matrix, accepted, rejected } = buildFeatureMatrix(
      [{ features: { c: 3, a: 1, b: 2, unused: 7 } }, { features: { b: 5, c: 6, a: 4 } }],
      ['a', 'b', 'c'],
    );
    assert.deepEqual(Array.from(matrix), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(accepted, [0, 1]);
    assert.deepEqual(rejected, []);
  });

  it('rejects events with a missing or non-finite feature, naming it, and keeps input order', () => {
    const events = [
      { features: { x1: 1, x2: 2 } },
      { features: { x1: 1 } },
      { features: { x1: Number.NaN, x2: 2 } },
      { features: { x1: Infinity, x2: 2 } },
      { features: { x1: 1, x2: -Infinity } },
      { features: { x1: 3, x2: 4 } },
      { features: { x1: 1e39, x2: 0 } },
      { features: { x1: null, x2: 0 } as unknown as Record<string, number> },
      { features: { x1: '1', x2: 0 } as unknown as Record<string, number> },
      { features: { x2: Number.NaN } },
      { features: null as unknown as Record<string, number> },
      { features: { x1: 5, x2: 6 } },
    ];
    const { matrix, accepted, rejected } = buildFeatureMatrix(events, ['x1', 'x2']);
    assert.deepEqual(Array.from(matrix), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(accepted, [0, 5, 11]);
    assert.deepEqual(rejected, [
      { index: 1, code: 'DW_MISSING_FEATURE', reason: 'feature "x2" is missing' },
      { index: 2, code: 'DW_NON_FINITE_FEATURE', reason: 'feature "x1" is NaN' },
      { index: 3, code: 'DW_NON_FINITE_FEATURE', reason: 'feature "x1" is Infinity' },
      { index: 4, code: 'DW_NON_FINITE_FEATURE', reason: 'feature "x2" is -Infinity' },
      {
        index: 6,
        code: 'DW_NON_FINITE_FEATURE',
        reason: 'feature "x1" is 1e+39, beyond float32 range',
      },
      { index: 7, code: 'DW_MISSING_FEATURE', reason: 'feature "x1" is missing' },
      { index: 8, code: 'DW_NON_FINITE_FEATURE', reason: 'feature "x1" is not a number (string)' },
      // The first problem in model column order is the one reported.
      { index: 9, code: 'DW_MISSING_FEATURE', reason: 'feature "x1" is missing' },
      { index: 10, code: 'DW_MISSING_FEATURE', reason: 'features is not an object' },
    ]);
  });

  it('reads own properties only, so feature names like "constructor" are not found on the prototype', () => {
    const { accepted, rejected } = buildFeatureMatrix(
      [{ features: { toString: 1 } }, { features: {} }],
      ['constructor', 'toString'],
    );
    assert.deepEqual(accepted, []);
    assert.deepEqual(
      rejected.map(({ reason }) => reason),
      ['feature "constructor" is missing', 'feature "constructor" is missing'],
    );
  });

  it('rounds values to float32, the model input type, and keeps the largest float32', () => {
    const largest = 3.4028234663852886e38;
    const { matrix, rejected } = buildFeatureMatrix(
      [{ features: { x: 0.1, y: largest } }],
      ['x', 'y'],
    );
    assert.deepEqual(rejected, []);
    assert.deepEqual(Array.from(matrix), [Math.fround(0.1), largest]);
  });

  it('returns an empty matrix for no events or when every event is rejected', () => {
    for (const events of [[], [{ features: {} }]]) {
      const { matrix, accepted } = buildFeatureMatrix(events, ['x']);
      assert.equal(matrix.length, 0);
      assert.deepEqual(accepted, []);
    }
  });
});
