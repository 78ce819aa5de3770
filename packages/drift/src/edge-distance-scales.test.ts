import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { EdgeCaseFinder } from './edge-case-finder.js';
import { fitEdgeDistanceScales } from './edge-distance-scales.js';
import { DriftError } from './errors.js';
import { mulberry32 } from './random.js';
import { ReferenceClusters } from './reference-clusters.js';

/** Six correlated columns in three blobs of unequal size: few rows per cluster at k = 20. */
function rows(count: number, seed: number): number[][] {
  const random = mulberry32(seed);
  const gaussian = (): number => {
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  return Array.from({ length: count }, () => {
    const blob = random() < 0.6 ? 0 : random() < 0.75 ? 4 : -5;
    const a = blob + gaussian();
    const b = 0.5 * a + gaussian();
    return [a, b, a - b + gaussian(), gaussian(), blob + 0.3 * gaussian(), b + gaussian()];
  });
}

const edgeShare = (clusters: ReferenceClusters, distanceScale: number, fresh: number[][]) => {
  const finder = new EdgeCaseFinder(clusters, { distanceScale, growthFactor: Infinity });
  return fresh.filter((row) => finder.judge(row) !== null).length / fresh.length;
};

describe('fitEdgeDistanceScales', () => {
  const reference = rows(1_600, 1);
  const options = { k: 20, seed: 42 };
  const clusters = ReferenceClusters.fit(reference, options);
  const fresh = rows(40_000, 2);

  it('widens the in-sample p99 so that fresh rows like the reference pass it about 1% of the time', () => {
    const scales = fitEdgeDistanceScales(reference, options);
    const raw = edgeShare(clusters, 1, fresh);
    const calibrated = edgeShare(clusters, scales.p99, fresh);
    // 80 rows a cluster: the in-sample p99 lies between the two largest distances, passed by 2–3%
    // of fresh rows. Calibrated on clusters fitted on four fifths of the rows, the scale errs wide:
    // over reference seeds 1, 5, 7 and 11 it was passed by 0.4–1.3%, never the in-sample 2–3%.
    assert.ok(raw > 0.015, `in-sample p99 passed by ${raw}`);
    assert.ok(calibrated > 0.003 && calibrated < 0.014, `calibrated p99 passed by ${calibrated}`);
    assert.ok(scales.p99 > 1 && scales.p90 >= 1 && scales.p50 >= 1, JSON.stringify(scales));
  });

  it('is deterministic and never narrows a quantile', () => {
    const plenty = rows(6_000, 3);
    const first = fitEdgeDistanceScales(plenty, { k: 3, seed: 1 });
    assert.deepEqual(fitEdgeDistanceScales(plenty, { k: 3, seed: 1 }), first);
    assert.ok(first.p50 >= 1 && first.p90 >= 1 && first.p99 >= 1);
  });

  it('refuses fewer than two folds, or folds of fewer than two rows', () => {
    for (const [folds, count] of [
      [1, 100],
      [5, 9],
    ] as const) {
      assert.throws(
        () => fitEdgeDistanceScales(rows(count, 4), { k: 2, folds }),
        (error) => error instanceof DriftError && error.code === 'DW_DRIFT_INVALID_OPTION',
      );
    }
  });
});
