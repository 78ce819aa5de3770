import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { LearnError } from './errors.js';
import { Mlp } from './mlp.js';
import { modelClassCount, parseTrainedModel } from './trained-model.js';
import { trainModel } from './train-model.js';

const rows = [
  [0, 1],
  [1, 0],
  [2, 2],
  [3, 1],
];
const labels = [0, 0, 1, 1];

describe('parseTrainedModel', () => {
  it('round-trips trained models through JSON', () => {
    const logistic = trainModel('logistic', rows, labels, ['a', 'b']);
    const mlp = new Mlp({ hiddenUnits: 3, epochs: 2 }).fit(rows, labels, ['a', 'b']);
    for (const model of [logistic, mlp]) {
      assert.deepEqual(parseTrainedModel(JSON.parse(JSON.stringify(model))), model);
    }
  });

  it('rejects malformed models, naming the field', () => {
    const logistic = trainModel('logistic', rows, labels, ['a', 'b']);
    const mlp = new Mlp({ hiddenUnits: 3, epochs: 1 }).fit(rows, labels, ['a', 'b']);
    const cases: [unknown, RegExp][] = [
      [null, /not an object/],
      [{ ...logistic, family: 'forest' }, /family must be/],
      [{ ...logistic, featureNames: ['a', 'a'] }, /repeats "a"/],
      [{ ...logistic, featureNames: 'a' }, /featureNames must be an array/],
      [{ ...logistic, weights: [1] }, /weights must be an array of 2 finite numbers/],
      [{ ...logistic, weights: [1, null] }, /weights must be an array of 2/],
      [{ ...logistic, bias: 'x' }, /bias must be a finite number/],
      [{ ...logistic, standardization: { mean: [0, 0], scale: [1, 0] } }, /scale must be positive/],
      [{ ...logistic, standardization: null }, /standardization must be an object/],
      [{ ...mlp, activation: 'sigmoid' }, /activation must be/],
      [{ ...mlp, hidden: { weights: [], bias: [] } }, /hidden.weights must be a non-empty/],
      [{ ...mlp, hidden: { ...mlp.hidden, weights: [[1], [1], [1]] } }, /hidden.weights\[0\]/],
      [{ ...mlp, hidden: { ...mlp.hidden, bias: [0] } }, /hidden.bias must be an array of 3/],
      [{ ...mlp, output: { weights: [1, 2], bias: 0 } }, /output.weights must be an array of 3/],
      [{ ...mlp, output: null }, /output must be an object/],
    ];
    for (const [json, message] of cases) {
      assert.throws(
        () => parseTrainedModel(json),
        (error: unknown) =>
          error instanceof LearnError &&
          error.code === 'DW_LEARN_INVALID_INPUT' &&
          message.test(error.message),
        String(message),
      );
    }
  });

  it('round-trips multiclass models through JSON, and counts their classes', () => {
    const classes = [0, 1, 2, 2];
    const softmax = trainModel('logistic', rows, classes, ['a', 'b'], {}, 3);
    const mlp = trainModel('mlp', rows, classes, ['a', 'b'], { mlp: { hiddenUnits: 2 } }, 3);
    for (const model of [softmax, mlp]) {
      assert.deepEqual(parseTrainedModel(JSON.parse(JSON.stringify(model))), model);
      assert.equal(modelClassCount(model), 3);
    }
    assert.equal(modelClassCount(trainModel('logistic', rows, labels, ['a', 'b'])), 2);
  });

  it('rejects malformed multiclass models, naming the field', () => {
    const classes = [0, 1, 2, 2];
    const softmax = trainModel('logistic', rows, classes, ['a', 'b'], {}, 3);
    const mlp = trainModel('mlp', rows, classes, ['a', 'b'], { mlp: { hiddenUnits: 2 } }, 3);
    const cases: [unknown, RegExp][] = [
      [{ ...softmax, classCount: 2 }, /classCount must be an integer ≥ 3/],
      [{ ...softmax, classCount: '3' }, /classCount must be an integer ≥ 3/],
      [{ ...softmax, classCount: 4 }, /weights must be an array of 4 rows/],
      [{ ...softmax, weights: [[1, 2], [3, 4], [5]] }, /weights\[2\] must be an array of 2/],
      [{ ...softmax, bias: [0, 0] }, /bias must be an array of 3 finite numbers/],
      [{ ...softmax, family: 'forest' }, /family must be/],
      [
        { ...mlp, output: { weights: [[1, 2]], bias: [0, 0, 0] } },
        /output.weights must be an array of 3 rows/,
      ],
      [
        { ...mlp, output: { weights: [[1], [2], [3]], bias: [0, 0, 0] } },
        /output.weights\[0\] must be an array of 2/,
      ],
      [
        {
          ...mlp,
          output: {
            weights: [
              [1, 2],
              [3, 4],
              [5, 6],
            ],
            bias: 0,
          },
        },
        /output.bias must be an array of 3/,
      ],
      [{ ...mlp, activation: 'sigmoid' }, /activation must be/],
    ];
    for (const [json, message] of cases) {
      assert.throws(
        () => parseTrainedModel(json),
        (error: unknown) =>
          error instanceof LearnError &&
          error.code === 'DW_LEARN_INVALID_INPUT' &&
          message.test(error.message),
        String(message),
      );
    }
  });
});
