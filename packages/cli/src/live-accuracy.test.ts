import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { liveAccuracyByVersion, liveKey } from './live-accuracy.js';

describe('liveAccuracyByVersion', () => {
  it('counts right over labeled per model and version, each on its own records', () => {
    const record = (model: string, modelVersion: number, predicted: number, label: number) => ({
      model,
      modelVersion,
      predicted,
      label,
    });
    const live = liveAccuracyByVersion([
      record('sea', 1, 1, 1),
      record('sea', 1, 0, 1),
      record('sea', 2, 2, 2),
      record('iris', 1, 0, 0),
      record('sea', 1, 1, 1),
    ]);
    assert.deepEqual(live.get(liveKey('sea', 1)), { labeled: 3, accuracy: 2 / 3 });
    assert.deepEqual(live.get(liveKey('sea', 2)), { labeled: 1, accuracy: 1 });
    assert.deepEqual(live.get(liveKey('iris', 1)), { labeled: 1, accuracy: 1 });
    assert.equal(live.get(liveKey('sea', 3)), undefined);
    assert.equal(liveAccuracyByVersion([]).size, 0);
  });

  it("counts a shadow's predictions against the same labels as the serving version's", () => {
    const live = liveAccuracyByVersion([
      {
        model: 'sea',
        modelVersion: 1,
        predicted: 0,
        label: 1,
        shadows: [{ modelVersion: 3, score: 0.9, predicted: 1 }],
      },
      {
        model: 'sea',
        modelVersion: 1,
        predicted: 1,
        label: 1,
        shadows: [{ modelVersion: 3, score: 0.8, predicted: 1 }],
      },
      { model: 'sea', modelVersion: 1, predicted: 1, label: 0, shadows: [] },
    ]);
    assert.deepEqual(live.get(liveKey('sea', 1)), { labeled: 3, accuracy: 1 / 3 });
    assert.deepEqual(live.get(liveKey('sea', 3)), { labeled: 2, accuracy: 1 });
  });
});
