import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Cbpe, StreamingCbpe, WindowedClassificationMetrics } from '@driftwatch/drift';

import { performanceFromChangelog } from './performance-from-changelog.js';

const record = (key: string, state: unknown) => ({
  key: Buffer.from(key),
  value: Buffer.from(JSON.stringify({ partition: 0, offset: '1', state })),
});

describe('performanceFromChangelog', () => {
  it("reads each model's realized and estimated accuracy from its latest snapshots", () => {
    const window = new WindowedClassificationMetrics({ window: 10, positiveLabel: 1 });
    for (const [label, score] of [
      [1, 0.9],
      [0, 0.2],
      [1, 0.3],
      [0, 0.1],
    ] as const) {
      window.update({ label, predicted: score >= 0.5 ? 1 : 0, score });
    }
    const cbpe = new StreamingCbpe({
      cbpe: Cbpe.fromJSON({ threshold: 0.5, calibrator: null }),
      window: 3,
    });
    for (const score of [0.9, 0.2, 0.6, 0.6]) cbpe.update(score);
    const performance = performanceFromChangelog([
      record('concept/sea', { version: 1, monitor: { metrics: window.toJSON() } }),
      record('concept/sea', { version: 2, monitor: { metrics: window.toJSON() } }),
      record('data/sea', { version: 3, monitor: { estimate: { cbpe: cbpe.toJSON() } } }),
      record('data/elec2', { version: 1, monitor: { estimate: null } }),
      record('policy/sea', { anything: true }),
      { key: Buffer.from('data/broken'), value: Buffer.from('{') },
      { key: Buffer.from('concept/gone'), value: null },
    ]);
    assert.deepEqual(performance, [
      {
        model: 'sea',
        realized: { version: 2, accuracy: 0.75, labeled: 4 },
        estimated: { version: 3, accuracy: cbpe.accuracy, predictions: 3 },
        observed: null,
      },
    ]);
  });

  it('reads how many predictions the data monitor observed of the version last served', () => {
    const performance = performanceFromChangelog([
      record('data/sea', { version: 1, monitor: { observed: 5_000, estimate: null } }),
      record('data/sea', { version: 2, monitor: { observed: 11_840, estimate: null } }),
      // Before its first prediction, and a snapshot from a release that did not count: nothing.
      record('data/elec2', { version: 1, monitor: { observed: 0, estimate: null } }),
      record('data/orientation', { version: 4, monitor: { estimate: null } }),
    ]);
    assert.deepEqual(performance, [
      {
        model: 'sea',
        realized: null,
        estimated: null,
        observed: { version: 2, predictions: 11_840 },
      },
    ]);
  });
});
