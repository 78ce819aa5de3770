import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { predictClassProbabilities } from './predict-class-probabilities.js';
import { predictProbabilities } from './predict-probabilities.js';
import type { MlpModel, SoftmaxMlpModel, SoftmaxRegressionModel } from './trained-model.js';

const standardization = { mean: [1, -2], scale: [2, 0.5] };

describe('predictClassProbabilities', () => {
  it('gives [1 − p, p] per row for a binary model', () => {
    const model: MlpModel = {
      family: 'mlp',
      featureNames: ['a', 'b'],
      standardization,
      activation: 'tanh',
      hidden: {
        weights: [
          [0.5, -1],
          [2, 0.25],
        ],
        bias: [0.1, -0.2],
      },
      output: { weights: [1.5, -0.7], bias: 0.3 },
    };
    const rows = [
      [0, 0],
      [3, -2],
      [-1, 4],
    ];
    const p = predictProbabilities(model, rows);
    assert.deepEqual(
      Array.from(predictClassProbabilities(model, rows)),
      Array.from(p).flatMap((x) => [1 - x, x]),
    );
  });

  it('computes a softmax regression by its formula, row-major, rows summing to 1', () => {
    const model: SoftmaxRegressionModel = {
      family: 'logistic',
      classCount: 3,
      featureNames: ['a', 'b'],
      standardization,
      weights: [
        [1, 0],
        [0, 1],
        [-1, -1],
      ],
      bias: [0.5, 0, -0.5],
    };
    const rows = [
      [1, -2],
      [3, -1.5],
      [-5, 10],
    ];
    const p = predictClassProbabilities(model, rows);
    assert.equal(p.length, 9);
    rows.forEach(([a = 0, b = 0], i) => {
      const z = [(a - 1) / 2, (b + 2) / 0.5];
      const logits = model.weights.map((w, k) => w[0]! * z[0]! + w[1]! * z[1]! + model.bias[k]!);
      const e = logits.map(Math.exp);
      const sum = e.reduce((s, x) => s + x, 0);
      e.forEach((x, k) => {
        assert.ok(Math.abs(p[i * 3 + k]! - x / sum) < 1e-15);
      });
      assert.ok(Math.abs(p[i * 3]! + p[i * 3 + 1]! + p[i * 3 + 2]! - 1) < 1e-15);
    });
  });

  it('computes a softmax MLP by its formula, without overflow for huge logits', () => {
    const model: SoftmaxMlpModel = {
      family: 'mlp',
      classCount: 3,
      featureNames: ['a', 'b'],
      standardization,
      activation: 'relu',
      hidden: {
        weights: [
          [1, 0],
          [0, 1],
        ],
        bias: [0, 0.5],
      },
      output: {
        weights: [
          [1, 0],
          [0, 1],
          [1, 1],
        ],
        bias: [0, 0, -1],
      },
    };
    const [p0, p1, p2] = predictClassProbabilities(model, [[1, -2]]);
    // z = [0, 0]: h = [0, 0.5]; logits [0, 0.5, −0.5].
    const e = [1, Math.exp(0.5), Math.exp(-0.5)];
    const sum = e[0]! + e[1]! + e[2]!;
    assert.ok(Math.abs(p0! - e[0]! / sum) < 1e-15);
    assert.ok(Math.abs(p1! - e[1]! / sum) < 1e-15);
    assert.ok(Math.abs(p2! - e[2]! / sum) < 1e-15);
    const huge = predictClassProbabilities(model, [[1e6, -2]]);
    assert.ok(Array.from(huge).every(Number.isFinite));
    assert.ok(Math.abs(huge[0]! + huge[2]! - 1) < 1e-12);
  });
});
