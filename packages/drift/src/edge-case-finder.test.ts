import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { EdgeCaseFinder } from './edge-case-finder.js';
import { DriftError } from './errors.js';
import { mulberry32 } from './random.js';
import { ReferenceClusters } from './reference-clusters.js';

/** A common blob at the origin and a rare one (5%) at (6, 6). */
function rows(count: number, seed: number, rareShare = 0.05): number[][] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => {
    const centre = random() < rareShare ? 6 : 0;
    return [centre + random() - 0.5, centre + random() - 0.5];
  });
}

describe('EdgeCaseFinder', () => {
  const clusters = ReferenceClusters.fit(rows(4_000, 1), { k: 4, seed: 2 });

  it('flags about 1% of rows drawn like the reference, all far from their cluster', () => {
    const finder = new EdgeCaseFinder(clusters);
    const found = rows(20_000, 3).map((row) => finder.judge(row));
    const edgeCases = found.filter((edgeCase) => edgeCase !== null);
    // p99 of each cluster's reference distances: ~1% of fresh rows pass it (200 ± 14 expected).
    assert.ok(edgeCases.length > 100 && edgeCases.length < 320, `${edgeCases.length} edge cases`);
    for (const edgeCase of edgeCases) {
      assert.equal(edgeCase.rule, 'far-from-cluster');
      assert.ok(edgeCase.distance > edgeCase.threshold);
      assert.equal(edgeCase.threshold, clusters.distanceQuantiles[edgeCase.cluster]?.p99);
    }
  });

  it('flags every row of a rare cluster once it has grown past the factor, and points off the reference', () => {
    const finder = new EdgeCaseFinder(clusters, { window: 500 });
    rows(1_000, 4).forEach((row) => finder.judge(row));
    const rare = clusters.nearestCentroid([6, 6]).index;
    const grown = rows(2_000, 5, 0.5).map((row) => finder.judge(row));
    const inRare = grown.filter((edgeCase) => edgeCase?.cluster === rare);
    assert.ok(inRare.length > 600, `${inRare.length} rows of the rare cluster flagged`);
    assert.ok(inRare.some((edgeCase) => edgeCase?.rule === 'grown-cluster'));
    assert.ok(
      grown.every(
        (edgeCase) =>
          edgeCase === null || edgeCase.rule === 'far-from-cluster' || edgeCase.cluster === rare,
      ),
      'only the grown cluster is flagged for growth',
    );
    const far = finder.judge([30, -30]);
    assert.equal(far?.rule, 'far-from-cluster');
  });

  it('is off for growth with an infinite factor, and refuses bad options', () => {
    const finder = new EdgeCaseFinder(clusters, { window: 10, growthFactor: Infinity });
    const found = rows(2_000, 6, 1).map((row) => finder.judge(row));
    assert.ok(found.every((edgeCase) => edgeCase === null || edgeCase.rule === 'far-from-cluster'));
    for (const options of [{ growthFactor: 1 }, { window: 0 }, { distanceQuantile: 'p75' }]) {
      assert.throws(
        () => new EdgeCaseFinder(clusters, options as never),
        (error: unknown) => error instanceof DriftError && error.code === 'DW_DRIFT_INVALID_OPTION',
      );
    }
  });
});
