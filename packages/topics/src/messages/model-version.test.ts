import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { binnedDistributionSchema } from './model-version.js';

/** What the drift package's `PsiReference.fit([1, …, 9], { bins: 4 }).toJSON()` gives, named. */
const fitted = {
  name: 'age',
  edges: [1, 3, 5, 7, 9],
  proportions: [2 / 9, 2 / 9, 2 / 9, 3 / 9],
};

function issues(value: unknown): string[] {
  const result = binnedDistributionSchema.safeParse(value);
  if (result.success) assert.fail('accepted');
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('binnedDistributionSchema', () => {
  it('accepts a PSI reference as the drift package writes it, with an empty sample by default', () => {
    assert.deepEqual(binnedDistributionSchema.parse(fitted), { ...fitted, sample: [] });
    const withSample = { ...fitted, sample: [2, 4, 8] };
    assert.deepEqual(binnedDistributionSchema.parse(withSample), withSample);
  });

  it('wants numpy histogram edges: one more than there are bins', () => {
    // The old shape: interior edges only.
    assert.deepEqual(issues({ ...fitted, edges: [3, 5, 7] }), [
      'edges: must hold proportions.length + 1 = 5 histogram edges, got 3',
    ]);
    assert.deepEqual(issues({ ...fitted, edges: [1, 3, 5, 7, 9, 11] }), [
      'edges: must hold proportions.length + 1 = 5 histogram edges, got 6',
    ]);
  });

  it('wants strictly ascending edges', () => {
    assert.deepEqual(issues({ ...fitted, edges: [1, 3, 3, 7, 9] }), [
      'edges.2: edges must be strictly ascending, but 3 follows 3',
    ]);
    assert.deepEqual(issues({ ...fitted, edges: [9, 7, 5, 3, 1] }), [
      'edges.1: edges must be strictly ascending, but 7 follows 9',
    ]);
  });

  it('wants at least one bin', () => {
    assert.deepEqual(issues({ name: 'age', edges: [1], proportions: [] }), [
      'proportions: must hold at least one bin',
    ]);
  });
});
