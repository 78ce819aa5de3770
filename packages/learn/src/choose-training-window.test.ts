import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { mulberry32 } from '@driftwatch/drift';

import { chooseTrainingWindow } from './choose-training-window.js';

/** Two noisy features; the class is x0 + x1 > 0 (or < 0 after `flipAt`), 20% of labels flipped. */
function stream(length: number, flipAt: number, seed = 3) {
  const random = mulberry32(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < length; i++) {
    const x = [random() * 2 - 1, random() * 2 - 1];
    const positive = (x[0] ?? 0) + (x[1] ?? 0) > 0;
    const label = (i < flipAt ? positive : !positive) ? 1 : 0;
    rows.push(x);
    labels.push(random() < 0.2 ? 1 - label : label);
  }
  return { rows, labels };
}

const base = {
  family: 'logistic' as const,
  training: {},
  classCount: 2,
  featureNames: ['x0', 'x1'],
  sizes: [2000, 5000],
  validationRows: 200,
};

describe('chooseTrainingWindow', () => {
  it('after an abrupt change, chooses the rows since the change', () => {
    const { rows, labels } = stream(6000, 5400);
    const choice = chooseTrainingWindow({ ...base, rows, labels, changeAt: 5400 });
    assert.equal(choice.chosen.window, 'since-change');
    assert.equal(choice.finalFrom, 5400);
    assert.deepEqual(
      choice.candidates.map((c) => [c.window, c.trainRows]),
      [
        ['since-change', 400],
        ['2000', 2000],
        ['5000', 5000],
      ],
    );
    // The windows reaching into the old concept learned it and score worse.
    for (const candidate of choice.candidates.slice(1))
      assert.ok(candidate.validationAccuracy < choice.chosen.validationAccuracy);
  });

  it('on a stationary noisy stream, chooses more rows than a few hundred since a false alarm', () => {
    const { rows, labels } = stream(6000, Infinity);
    const choice = chooseTrainingWindow({ ...base, rows, labels, changeAt: 5750 });
    assert.equal(choice.candidates[0]?.trainRows, 50);
    assert.notEqual(choice.chosen.window, 'since-change');
    assert.equal(choice.finalFrom, 6000 - choice.chosen.trainRows);
  });

  it('is deterministic, and a window that cannot train is left out', () => {
    const { rows, labels } = stream(3000, 2500);
    const oneClass = labels.map((label, i) => (i >= 2700 && i < 2800 ? 1 : label));
    const options = { ...base, rows, labels: oneClass, changeAt: 2700, validationRows: 200 };
    // Rows 2700–2799 since the change, all of class 1: no model.
    const first = chooseTrainingWindow(options);
    assert.deepEqual(chooseTrainingWindow(options), first);
    assert.deepEqual(
      first.candidates.map((c) => c.window),
      ['2000', '5000'],
    );
  });

  it('refuses a validation slice that leaves nothing to train on', () => {
    const { rows, labels } = stream(100, Infinity);
    for (const validationRows of [0, 100, 150]) {
      assert.throws(
        () => chooseTrainingWindow({ ...base, rows, labels, changeAt: 50, validationRows }),
        { code: 'DW_LEARN_INVALID_OPTION' },
      );
    }
  });
});
