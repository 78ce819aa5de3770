import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { PcaReconstruction, ReferenceClusters, mulberry32 } from '@driftwatch/drift';
import { embeddingColumns, multivariateReferenceSchema } from '@driftwatch/topics';

import { buildReferenceProfile } from './build-reference-profile.js';
import { fitMultivariateReference, minimumMultivariateRows } from './fit-multivariate-reference.js';

/** Two blobs in three dimensions, the third column a copy of the first with noise. */
function blobs(count: number, seed: number): number[][] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, (_, i) => {
    const centre = i % 4 === 0 ? 5 : 0;
    const x = centre + random();
    return [x, centre + random(), x + 0.1 * random()];
  });
}

describe('fitMultivariateReference', () => {
  it('clusters and projects the rows into a profile the version schema and the drift package read back', () => {
    const reference = fitMultivariateReference(['a', 'b', 'c'], blobs(1_000, 1));
    assert.ok(reference);
    assert.deepEqual(multivariateReferenceSchema.parse(reference), reference);
    const clusters = ReferenceClusters.fromJSON(reference.clusters);
    assert.equal(clusters.kMeans.k, 20);
    assert.ok(Math.abs(clusters.shares.reduce((sum, share) => sum + share, 0) - 1) < 1e-9);
    assert.ok(reference.reconstruction);
    const pca = PcaReconstruction.fromJSON(reference.reconstruction);
    assert.equal(pca.chunkSize, 100);
    assert.equal(pca.alert(pca.meanError(blobs(500, 2))), false, 'the same distribution');
    const shifted = blobs(500, 3).map(([a = 0, b = 0]) => [a, b, -a]);
    assert.equal(pca.alert(pca.meanError(shifted)), true, 'the third column no longer follows a');
  });

  it('is deterministic, and spreads at most maxRows rows evenly over a long reference', () => {
    const rows = blobs(3_000, 4);
    const once = fitMultivariateReference(['a', 'b', 'c'], rows, { maxRows: 1_000 });
    assert.deepEqual(fitMultivariateReference(['a', 'b', 'c'], rows, { maxRows: 1_000 }), once);
    assert.ok(once);
    assert.equal(once.clusters.rows, 1_000);
    assert.equal(once.reconstruction?.chunkSize, 100);
  });

  it('caps k at a tenth of the rows and the PCA chunks at 500 rows', () => {
    assert.equal(
      fitMultivariateReference(['a', 'b', 'c'], blobs(250, 5))?.clusters.kMeans.centroids.length,
      20,
    );
    const small = fitMultivariateReference(['a', 'b', 'c'], blobs(250, 5), { k: 40 });
    assert.equal(small?.clusters.kMeans.centroids.length, 25);
    assert.equal(
      fitMultivariateReference(['a', 'b', 'c'], blobs(8_000, 6))?.reconstruction?.chunkSize,
      500,
    );
  });

  it('leaves out rows with a gap, and gives null for one feature or too few usable rows', () => {
    const rows = blobs(minimumMultivariateRows, 7);
    assert.ok(fitMultivariateReference(['a', 'b', 'c'], rows));
    const gap = rows.map((row, i) => (i === 0 ? [Number.NaN, 1, 2] : row));
    assert.equal(fitMultivariateReference(['a', 'b', 'c'], gap), null);
    assert.equal(
      fitMultivariateReference(
        ['a'],
        blobs(1_000, 8).map(([a = 0]) => [a]),
      ),
      null,
    );
  });

  it('has no reconstruction under 10 rows per column', () => {
    const wide = Array.from({ length: 300 }, (_, i) =>
      Array.from({ length: 40 }, (_, j) => Math.sin(i * (j + 1))),
    );
    const reference = fitMultivariateReference(wide[0]?.map((_, j) => `f${j}`) ?? [], wide);
    assert.ok(reference);
    assert.equal(reference.reconstruction, null);
  });

  it('carries held-out distance scales, each at least 1, and leaves out rows of another width', () => {
    const reference = fitMultivariateReference(['a', 'b', 'c'], blobs(1_000, 9));
    assert.ok(reference?.distanceScales);
    const { p50, p90, p99 } = reference.distanceScales;
    assert.ok(p50 >= 1 && p90 >= 1 && p99 >= 1, JSON.stringify(reference.distanceScales));
    const rows = blobs(minimumMultivariateRows, 7);
    const ragged = rows.map((row, i) => (i === 0 ? [...row, 4] : row));
    assert.equal(fitMultivariateReference(['a', 'b', 'c'], ragged), null);
  });
});

describe('buildReferenceProfile with an embedding', () => {
  const random = mulberry32(11);
  const vectors = Array.from({ length: 400 }, (_, i) =>
    Array.from({ length: 4 }, (_, j) => (i % 3 === 0 ? 3 : 0) + random() + j),
  );
  const profile = (featureNames: string[], rows: number[][], embeddingRows?: number[][]) =>
    buildReferenceProfile({
      featureNames,
      rows,
      classes: ['0', '1'],
      probabilities: rows.flatMap((_, i) => [i % 2 ? 0.3 : 0.6, i % 2 ? 0.7 : 0.4]),
      bins: 5,
      ...(embeddingRows ? { embeddingRows } : {}),
    });

  it('the model takes it: the scalar features are binned, the vector clustered and projected', () => {
    const names = ['age', ...embeddingColumns(4)];
    // The vector's columns in another order than its positions: the reference puts them in order.
    const shuffled = ['age', 'embedding[2]', 'embedding[0]', 'embedding[3]', 'embedding[1]'];
    const rows = vectors.map((vector, i) => [
      i % 50,
      vector[2]!,
      vector[0]!,
      vector[3]!,
      vector[1]!,
    ]);
    const built = profile(shuffled, rows);
    assert.deepEqual(
      built.features.map((distribution) => distribution.name),
      ['age'],
    );
    assert.deepEqual(built.multivariate?.features, embeddingColumns(4));
    const inOrder = profile(
      names,
      vectors.map((vector, i) => [i % 50, ...vector]),
    );
    assert.deepEqual(inOrder.multivariate, built.multivariate);
  });

  it('the model does not take it: the features are binned, and the vector given beside them is clustered', () => {
    const rows = vectors.map((_, i) => [i % 50, i % 7]);
    const built = profile(['age', 'tenure'], rows, vectors);
    assert.deepEqual(
      built.features.map((distribution) => distribution.name),
      ['age', 'tenure'],
    );
    assert.deepEqual(built.multivariate?.features, embeddingColumns(4));
    assert.deepEqual(profile(['age', 'tenure'], rows).multivariate?.features, ['age', 'tenure']);
  });
});
