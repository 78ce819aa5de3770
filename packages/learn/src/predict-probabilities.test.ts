import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { LearnError } from './errors.js';
import { predictProbabilities } from './predict-probabilities.js';
import type { LogisticModel, MlpModel } from './trained-model.js';

const logistic: LogisticModel = {
  family: 'logistic',
  featureNames: ['a', 'b'],
  standardization: { mean: [1, -2], scale: [2, 0.5] },
  weights: [0.7, -1.1],
  bias: 0.3,
};

function mlp(activation: 'tanh' | 'relu'): MlpModel {
  return {
    family: 'mlp',
    featureNames: ['a', 'b'],
    standardization: { mean: [1, -2], scale: [2, 0.5] },
    activation,
    hidden: {
      weights: [
        [0.5, -0.25],
        [-1.5, 2],
      ],
      bias: [0.1, -0.2],
    },
    output: { weights: [1.25, -0.75], bias: 0.05 },
  };
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

describe('predictProbabilities', () => {
  const rows = [
    [1, -2],
    [3, -1.5],
    [-5, 0],
    [1e6, -1e6],
  ];

  it('computes σ(w·z + b) on standardized features for logistic models', () => {
    const expected = rows.map(([a, b]) =>
      sigmoid(0.7 * ((a! - 1) / 2) - 1.1 * ((b! + 2) / 0.5) + 0.3),
    );
    const actual = predictProbabilities(logistic, rows);
    assert.ok(actual instanceof Float64Array);
    expected.forEach((p, i) => {
      assert.ok(Math.abs(actual[i]! - p) <= 1e-15, `row ${i}`);
    });
    // The last row's logit is about +2.2e6: saturated, not NaN.
    assert.equal(actual[3], 1);
  });

  for (const activation of ['tanh', 'relu'] as const) {
    it(`computes the hidden layer and sigmoid output for MLP models (${activation})`, () => {
      const f = activation === 'tanh' ? Math.tanh : (x: number) => Math.max(0, x);
      const expected = rows.map(([a, b]) => {
        const za = (a! - 1) / 2;
        const zb = (b! + 2) / 0.5;
        const h0 = f(0.5 * za - 0.25 * zb + 0.1);
        const h1 = f(-1.5 * za + 2 * zb - 0.2);
        return sigmoid(1.25 * h0 - 0.75 * h1 + 0.05);
      });
      const actual = predictProbabilities(mlp(activation), rows);
      expected.forEach((p, i) => {
        assert.ok(Math.abs(actual[i]! - p) <= 1e-15, `row ${i}`);
      });
    });
  }

  it('returns an empty array for no rows', () => {
    assert.equal(predictProbabilities(logistic, []).length, 0);
  });

  it('rejects rows of the wrong width or with non-finite values', () => {
    for (const bad of [[[1]], [[1, 2, 3]], [[1, Number.NaN]], [[Infinity, 0]]]) {
      assert.throws(
        () => predictProbabilities(logistic, bad),
        (error: unknown) => error instanceof LearnError && error.code === 'DW_LEARN_INVALID_INPUT',
      );
    }
  });
});
