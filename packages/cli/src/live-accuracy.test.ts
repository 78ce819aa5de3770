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
});
