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

  it('does not take a tiny cluster’s chance triple for growth: it counts from 5 expected rows', () => {
    // One cluster of 2 rows in 1,000 (0.2%): a window of 1,000 expects 2 of it, and often sees 7.
    const reference = [...rows(998, 8, 0), [60, 60], [60.1, 60]];
    const tiny = ReferenceClusters.fit(reference, { k: 2, seed: 2 });
    const rare = tiny.nearestCentroid([60, 60]).index;
    assert.equal(tiny.shares[rare], 0.002);
    const traffic = (random: () => number) =>
      random() < 0.007 ? [60.05, 60] : [random() - 0.5, random() - 0.5];
    const judged = (options: { minExpected?: number }) => {
      const finder = new EdgeCaseFinder(tiny, { ...options });
      const random = mulberry32(9);
      return Array.from({ length: 5_000 }, () => finder.judge(traffic(random))).filter(
        (edgeCase) => edgeCase?.rule === 'grown-cluster',
      ).length;
    };
    // 0.7% of the traffic: 3.5 times its 0.2%, but about 7 rows a window, not 5 × 3 = 15.
    assert.ok(judged({ minExpected: 0 }) > 0);
    assert.equal(judged({}), 0);
  });

  it('widens the quantile by distanceScale', () => {
    const finder = new EdgeCaseFinder(clusters, { distanceScale: 1.5, growthFactor: Infinity });
    const plain = new EdgeCaseFinder(clusters, { growthFactor: Infinity });
    const fresh = rows(20_000, 7);
    const widened = fresh.map((row) => finder.judge(row)).filter((edgeCase) => edgeCase !== null);
    const narrow = fresh.map((row) => plain.judge(row)).filter((edgeCase) => edgeCase !== null);
    assert.ok(widened.length < narrow.length, `${widened.length} vs ${narrow.length}`);
    for (const edgeCase of widened) {
      const p99 = clusters.distanceQuantiles[edgeCase.cluster]?.p99 ?? NaN;
      assert.equal(edgeCase.threshold, p99 * 1.5);
      assert.ok(edgeCase.distance > p99 * 1.5);
    }
  });

  it('is off for growth with an infinite factor, and refuses bad options', () => {
    const finder = new EdgeCaseFinder(clusters, { window: 10, growthFactor: Infinity });
    const found = rows(2_000, 6, 1).map((row) => finder.judge(row));
    assert.ok(found.every((edgeCase) => edgeCase === null || edgeCase.rule === 'far-from-cluster'));
    for (const options of [
      { growthFactor: 1 },
      { window: 0 },
      { distanceQuantile: 'p75' },
      { distanceScale: 0.9 },
      { distanceScale: Infinity },
    ]) {
      assert.throws(
        () => new EdgeCaseFinder(clusters, options as never),
        (error: unknown) => error instanceof DriftError && error.code === 'DW_DRIFT_INVALID_OPTION',
      );
    }
  });
});
