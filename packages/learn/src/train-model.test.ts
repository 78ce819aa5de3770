import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { LearnError } from './errors.js';
import { LogisticRegression } from './logistic-regression.js';
import { Mlp } from './mlp.js';
import { SoftmaxMlp } from './softmax-mlp.js';
import { SoftmaxRegression } from './softmax-regression.js';
import { trainModel } from './train-model.js';
import type { ModelFamily } from './trained-model.js';

const rows = [
  [0, 1],
  [1, 0],
  [2, 2],
  [3, 1],
  [1.5, 0.5],
];
const labels = [0, 0, 1, 1, 0];
const names = ['a', 'b'];

describe('trainModel', () => {
  it('trains the family it is given, with that family’s options', () => {
    const options = { logistic: { l2: 0.5 }, mlp: { hiddenUnits: 3, epochs: 4, seed: 2 } };
    assert.deepEqual(
      trainModel('logistic', rows, labels, names, options),
      new LogisticRegression({ l2: 0.5 }).fit(rows, labels, names).model,
    );
    assert.deepEqual(
      trainModel('mlp', rows, labels, names, options),
      new Mlp({ hiddenUnits: 3, epochs: 4, seed: 2 }).fit(rows, labels, names),
    );
  });

  it('uses each family’s defaults without options', () => {
    assert.deepEqual(trainModel('mlp', rows, labels, names), new Mlp().fit(rows, labels, names));
  });

  it('trains the binary model for two classes, the same as without a class count', () => {
    const options = { mlp: { hiddenUnits: 3, epochs: 4, seed: 2 } };
    for (const family of ['logistic', 'mlp'] as const) {
      assert.deepEqual(
        trainModel(family, rows, labels, names, options, 2),
        trainModel(family, rows, labels, names, options),
      );
    }
  });

  it('trains the family’s softmax form for three or more classes, with its options', () => {
    const classes = [0, 2, 1, 1, 0];
    const options = { logistic: { l2: 0.5 }, mlp: { hiddenUnits: 3, epochs: 4, seed: 2 } };
    assert.deepEqual(
      trainModel('logistic', rows, classes, names, options, 3),
      new SoftmaxRegression({ l2: 0.5 }).fit(rows, classes, names, 3).model,
    );
    assert.deepEqual(
      trainModel('mlp', rows, classes, names, options, 3),
      new SoftmaxMlp({ hiddenUnits: 3, epochs: 4, seed: 2 }).fit(rows, classes, names, 3),
    );
  });

  it('rejects a class count below 2 or not an integer', () => {
    for (const classCount of [1, 0, 2.5, Number.NaN]) {
      assert.throws(
        () => trainModel('logistic', rows, labels, names, {}, classCount),
        (error: unknown) => error instanceof LearnError && error.code === 'DW_LEARN_INVALID_OPTION',
      );
    }
  });

  it('rejects an unknown family, which can only come from configuration', () => {
    assert.throws(
      () => trainModel('forest' as ModelFamily, rows, labels, names),
      (error: unknown) => error instanceof LearnError && error.code === 'DW_LEARN_INVALID_OPTION',
    );
  });
});
