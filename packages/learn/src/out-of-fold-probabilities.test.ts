import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { mulberry32 } from '@driftwatch/drift';

import { LearnError } from './errors.js';
import { outOfFoldProbabilities } from './out-of-fold-probabilities.js';
import { predictClassProbabilities } from './predict-class-probabilities.js';
import { trainModel } from './train-model.js';

const random = mulberry32(5);
const rows = Array.from({ length: 103 }, () => [random() * 4 - 2, random() * 4 - 2]);
const labels = rows.map(([x = 0, y = 0]) => (x + y + random() - 0.5 > 0 ? 1 : 0));
const names = ['x', 'y'];

describe('outOfFoldProbabilities', () => {
  it('scores each contiguous block with the model trained on the other blocks', () => {
    const oof = outOfFoldProbabilities({
      family: 'logistic',
      rows,
      labels,
      featureNames: names,
      folds: 4,
    });
    assert.equal(oof.length, rows.length * 2);
    // 103 rows in 4 blocks: 0–24, 25–50, 51–76, 77–102.
    const blocks = [0, 25, 51, 77, 103];
    for (let fold = 0; fold < 4; fold += 1) {
      const from = blocks[fold] ?? 0;
      const to = blocks[fold + 1] ?? 0;
      const model = trainModel(
        'logistic',
        [...rows.slice(0, from), ...rows.slice(to)],
        [...labels.slice(0, from), ...labels.slice(to)],
        names,
      );
      assert.deepEqual(
        oof.subarray(from * 2, to * 2),
        predictClassProbabilities(model, rows.slice(from, to)),
        `fold ${fold}`,
      );
    }
  });

  it('gives K columns for a multiclass family', () => {
    const three = rows.map(([x = 0]) => (x < -0.7 ? 0 : x < 0.7 ? 1 : 2));
    const oof = outOfFoldProbabilities({
      family: 'logistic',
      rows,
      labels: three,
      featureNames: names,
      classCount: 3,
      folds: 3,
    });
    assert.equal(oof.length, rows.length * 3);
    for (let i = 0; i < rows.length; i += 1) {
      const sum = (oof[3 * i] ?? 0) + (oof[3 * i + 1] ?? 0) + (oof[3 * i + 2] ?? 0);
      assert.ok(Math.abs(sum - 1) < 1e-12);
    }
  });

  it('refuses fewer than 2 folds or more folds than rows, and a fold that sees one class', () => {
    for (const folds of [1, 104, 2.5]) {
      assert.throws(
        () =>
          outOfFoldProbabilities({ family: 'logistic', rows, labels, featureNames: names, folds }),
        (error: unknown) => error instanceof LearnError && error.code === 'DW_LEARN_INVALID_OPTION',
      );
    }
    const sorted = rows.map((_, i) => (i < 50 ? 0 : 1));
    assert.throws(
      () =>
        outOfFoldProbabilities({
          family: 'logistic',
          rows,
          labels: sorted,
          featureNames: names,
          folds: 2,
        }),
      (error: unknown) => error instanceof LearnError && error.code === 'DW_LEARN_ONE_CLASS',
    );
  });
});
