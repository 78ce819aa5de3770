import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { LabeledPrediction } from '@driftwatch/topics';

import { splitTrainingRows } from './split-training-rows.js';

const labeled = (
  id: string,
  features: Record<string, number>,
  label: 0 | 1,
): LabeledPrediction => ({
  id,
  model: 'm',
  modelVersion: 1,
  ts: 0,
  scoredAt: 0,
  score: 0.5,
  predicted: 0,
  features,
  label,
  labelTs: 0,
  labelDelayMs: 0,
});

describe('splitTrainingRows', () => {
  it('holds out the most recent share, counts each id once, drops rows lacking a feature', () => {
    const records = [
      labeled('a', { x: 1, y: 10 }, 0),
      labeled('b', { x: 2, y: 20 }, 1),
      labeled('a', { x: 9, y: 90 }, 1),
      labeled('c', { x: 3 }, 0),
      labeled('d', { x: 4, y: 40, z: 7 }, 1),
      labeled('e', { x: 5, y: 50 }, 0),
    ];
    const split = splitTrainingRows(records, {
      featureNames: ['y', 'x'],
      holdoutFraction: 0.25,
      maxRows: 100,
    });
    assert.deepEqual(split.featureNames, ['y', 'x']);
    assert.deepEqual(split.train, {
      rows: [
        [10, 1],
        [20, 2],
        [40, 4],
      ],
      labels: [0, 1, 1],
    });
    assert.deepEqual(split.holdout, { rows: [[50, 5]], labels: [0] });
    assert.equal(split.dropped, 2);
  });

  it('without a champion, uses every feature the rows carry, sorted; keeps only the most recent maxRows', () => {
    const records = Array.from({ length: 10 }, (_, i) =>
      labeled(`e${i}`, { b: i, a: -i }, (i % 2) as 0 | 1),
    );
    const split = splitTrainingRows(records, {
      featureNames: null,
      holdoutFraction: 0.5,
      maxRows: 4,
    });
    assert.deepEqual(split.featureNames, ['a', 'b']);
    assert.deepEqual(split.train.rows, [
      [-6, 6],
      [-7, 7],
    ]);
    assert.deepEqual(split.holdout.rows, [
      [-8, 8],
      [-9, 9],
    ]);
    assert.equal(split.dropped, 6);
  });
});
