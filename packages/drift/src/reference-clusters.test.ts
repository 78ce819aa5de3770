import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { fitKMeans } from './k-means.js';
import { quantileSorted } from './quantile.js';
import { ReferenceClusters, type ReferenceClustersState } from './reference-clusters.js';
import { Standardizer } from './standardizer.js';
import { assertDriftError } from './testing/assert-drift-error.js';
import { digits } from './testing/fixture-json.js';

const { rows, targets } = digits();
const seen = rows.filter((_, i) => (targets[i] as number) <= 6);
const withheld = rows.filter((_, i) => (targets[i] as number) > 6);
const reference = seen.slice(0, 1000);
const clusters = ReferenceClusters.fit(reference, { seed: 5 });

describe('ReferenceClusters', () => {
  it('profiles each cluster of the standardized reference: share and distance quantiles', () => {
    assert.equal(clusters.kMeans.k, 20);
    assert.equal(clusters.rows, 1000);
    assert.ok(Math.abs(clusters.shares.reduce((sum, share) => sum + share, 0) - 1) < 1e-12);
    // The same fit by hand, then numpy-style quantiles of each cluster's distances.
    const standardized = Standardizer.fit(reference).transformRows(reference);
    const { kMeans, labels } = fitKMeans(standardized, { seed: 5 });
    assert.deepEqual(kMeans.centroids, clusters.kMeans.centroids);
    kMeans.centroids.forEach((centroid, c) => {
      const distances = standardized
        .filter((_, i) => labels[i] === c)
        .map((row) => Math.hypot(...row.map((value, j) => value - (centroid[j] as number))))
        .sort((a, b) => a - b);
      assert.equal(clusters.shares[c], distances.length / 1000);
      const quantiles = clusters.distanceQuantiles[c];
      assert.ok(quantiles !== null && quantiles !== undefined);
      assert.ok(Math.abs(quantiles.p50 - quantileSorted(distances, 0.5)) < 1e-12);
      assert.ok(Math.abs(quantiles.p99 - quantileSorted(distances, 0.99)) < 1e-12);
      assert.ok(quantiles.p50 <= quantiles.p90 && quantiles.p90 <= quantiles.p99);
    });
  });

  it('interpolates quantiles as numpy does', () => {
    assert.equal(quantileSorted([1, 2, 3, 4], 0.5), 2.5);
    assert.equal(quantileSorted([1, 2, 3, 4], 0.9), 3.7);
    assert.equal(quantileSorted([7], 0.99), 7);
  });

  it('puts withheld digit classes far from every centroid', () => {
    const beyondP99 = (sample: number[][]): number =>
      sample.filter((row) => {
        const { index, distance } = clusters.nearestCentroid(row);
        return distance > (clusters.distanceQuantiles[index]?.p99 ?? Infinity);
      }).length / sample.length;
    const seenShare = beyondP99(seen.slice(1000));
    const withheldShare = beyondP99(withheld);
    // Unseen rows of the reference classes land beyond their cluster's p99 about as rarely as
    // the reference's own 1%, give or take; rows of classes never seen do so far more often.
    assert.ok(seenShare < 0.1, `seen classes: ${seenShare}`);
    assert.ok(withheldShare > 3 * seenShare, `withheld ${withheldShare} vs seen ${seenShare}`);
  });

  it('survives JSON bit for bit and rejects a bad snapshot', () => {
    const revived = ReferenceClusters.fromJSON(
      JSON.parse(JSON.stringify(clusters)) as ReferenceClustersState,
    );
    assert.deepEqual(revived.toJSON(), clusters.toJSON());
    for (const row of withheld.slice(0, 100)) {
      assert.deepEqual(revived.nearestCentroid(row), clusters.nearestCentroid(row));
    }
    const state = clusters.toJSON();
    for (const broken of [
      { ...state, shares: state.shares.slice(1) },
      { ...state, shares: state.shares.map(() => 2) },
      { ...state, distanceQuantiles: state.distanceQuantiles.slice(1) },
      {
        ...state,
        distanceQuantiles: state.distanceQuantiles.map(() => ({ p50: 2, p90: 1, p99: 3 })),
      },
      { ...state, rows: 0 },
      { ...state, kMeans: { centroids: [[1, 2]] } },
    ]) {
      assertDriftError('DW_DRIFT_INVALID_STATE', () => ReferenceClusters.fromJSON(broken));
    }
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => clusters.nearestCentroid([1, 2]));
  });
});
