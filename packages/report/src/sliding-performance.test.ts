import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { mulberry32 } from '@driftwatch/drift';

import { slidingPerformance, type ScoredOutcome } from './sliding-performance.js';
import { fourDecimals, naiveMetrics } from './testing/naive-metrics.js';
import { windowEnds } from './window-ends.js';

describe('slidingPerformance', () => {
  it('equals the metrics computed from scratch over each window it reports', () => {
    const random = mulberry32(3);
    const outcomes = Array.from({ length: 700 }, (_, i): ScoredOutcome => {
      const label = random() < 0.4 ? 1 : 0;
      const score = Math.round((label * 0.3 + random() * 0.7) * 20) / 20; // ties on purpose
      return { ts: 1000 + i, label, predicted: score >= 0.5 ? 1 : 0, score };
    });
    const window = 100;
    const series = slidingPerformance(outcomes, window, 50);
    const ends = windowEnds(outcomes.length, window, 50);
    assert.deepEqual(
      series.ts,
      ends.map((end) => outcomes[end]!.ts),
    );
    ends.forEach((end, k) => {
      const expected = naiveMetrics(outcomes.slice(Math.max(0, end - window + 1), end + 1));
      assert.equal(series.metrics.accuracy[k], fourDecimals(expected.accuracy), `accuracy @${end}`);
      assert.equal(series.metrics.f1[k], fourDecimals(expected.f1), `f1 @${end}`);
      assert.equal(series.metrics.rocAuc[k], fourDecimals(expected.rocAuc), `rocAuc @${end}`);
    });
  });

  it('is empty for no outcomes', () => {
    assert.deepEqual(slidingPerformance([], 10, 10), {
      ts: [],
      metrics: { accuracy: [], f1: [], rocAuc: [] },
    });
  });
});
