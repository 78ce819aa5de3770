import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { fitKMeans, KMeans, type KMeansState } from './k-means.js';
import { mulberry32 } from './random.js';
import { Standardizer } from './standardizer.js';
import { assertDriftError } from './testing/assert-drift-error.js';
import { digits, fixtureJson } from './testing/fixture-json.js';

interface KMeansGolden {
  name: string;
  rows?: number[][];
  source?: { dataset: 'digits'; rows: [number, number] };
  standardize: boolean;
  scalerMean?: number[];
  scalerScale?: number[];
  k: number;
  tol: number;
  maxIter: number;
  initialCentres: number[][];
  centroids: number[][];
  labels: number[];
  nIter: number;
  inertia: number;
}

const goldens = (fixtureJson('sklearn/kmeans-goldens.json') as { cases: KMeansGolden[] }).cases;

function goldenRows(golden: KMeansGolden): number[][] {
  if (golden.rows !== undefined) return golden.rows;
  const [start, end] = (golden.source as { rows: [number, number] }).rows;
  return digits().rows.slice(start, end);
}

const maxDifference = (a: ArrayLike<number>[], b: ArrayLike<number>[]): number =>
  Math.max(
    ...a.flatMap((row, i) => Array.from(row, (value, j) => Math.abs(value - (b[i]?.[j] ?? NaN)))),
  );

describe('fitKMeans', () => {
  describe("equals scikit-learn's KMeans (lloyd, n_init=1) from the same initial centres", () => {
    for (const golden of goldens) {
      it(golden.name, () => {
        const raw = goldenRows(golden);
        let rows: ArrayLike<number>[] = raw;
        if (golden.standardize) {
          const standardizer = Standardizer.fit(raw);
          assert.ok(maxDifference([standardizer.mean], [golden.scalerMean ?? []]) <= 1e-12);
          assert.ok(maxDifference([standardizer.scale], [golden.scalerScale ?? []]) <= 1e-12);
          rows = standardizer.transformRows(raw);
        }
        const fit = fitKMeans(rows, {
          initialCentres: golden.initialCentres,
          tolerance: golden.tol,
          maxIterations: golden.maxIter,
        });
        const difference = maxDifference([...fit.kMeans.centroids], golden.centroids);
        assert.ok(difference <= 1e-9, `centroids differ by ${difference}`);
        assert.deepEqual(Array.from(fit.labels), golden.labels);
        assert.equal(fit.iterations, golden.nIter);
        assert.ok(
          Math.abs(fit.inertia - golden.inertia) <= 1e-9 * Math.max(1, golden.inertia),
          `inertia ${fit.inertia} vs ${golden.inertia}`,
        );
        assert.equal(fit.converged, golden.nIter < golden.maxIter || golden.name.includes('tol-0'));
      });
    }
  });

  it('seeds k-means++ from the generator: same seed, same fit; centres start on rows', () => {
    const rows = (goldens[1] as KMeansGolden).rows as number[][];
    const first = fitKMeans(rows, { k: 6, seed: 7 });
    const again = fitKMeans(rows, { k: 6, random: mulberry32(7) });
    assert.deepEqual(first.kMeans.toJSON(), again.kMeans.toJSON());
    assert.deepEqual(first.labels, again.labels);
    const other = fitKMeans(rows, { k: 6, seed: 8, maxIterations: 1, tolerance: 0 });
    assert.notDeepEqual(other.kMeans.toJSON(), first.kMeans.toJSON());
    // Six well-separated blobs: k-means++ from any seed finds them, so inertia is the blobs' own.
    const golden = goldens[1] as KMeansGolden;
    assert.ok(Math.abs(first.inertia - golden.inertia) <= 1e-9 * golden.inertia);
  });

  it('defaults to k = 20', () => {
    const random = mulberry32(3);
    const rows = Array.from({ length: 100 }, () => [random(), random()]);
    assert.equal(fitKMeans(rows).kMeans.k, 20);
  });

  it('rejects bad rows, options and fewer distinct rows than k', () => {
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => fitKMeans([]));
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => fitKMeans([[1, 2], [3]], { k: 1 }));
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => fitKMeans([[1, NaN]], { k: 1 }));
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => fitKMeans([[1], [2]], { k: 3 }));
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => fitKMeans([[1], [1], [1], [2]], { k: 3 }));
    assertDriftError('DW_DRIFT_INVALID_INPUT', () =>
      fitKMeans([[1], [1], [2]], { initialCentres: [[1], [2], [3]] }),
    );
    assertDriftError('DW_DRIFT_INVALID_OPTION', () => fitKMeans([[1], [2]], { k: 0 }));
    assertDriftError('DW_DRIFT_INVALID_OPTION', () => fitKMeans([[1], [2]], { maxIterations: 0 }));
    assertDriftError('DW_DRIFT_INVALID_OPTION', () => fitKMeans([[1], [2]], { tolerance: -1 }));
    assertDriftError('DW_DRIFT_INVALID_OPTION', () =>
      fitKMeans([[1], [2]], { k: 2, initialCentres: [[1]] }),
    );
    assertDriftError('DW_DRIFT_INVALID_OPTION', () =>
      fitKMeans([[1], [2]], { initialCentres: [[1, 2]] }),
    );
  });
});

describe('KMeans', () => {
  it('finds the nearest centroid and its Euclidean distance, the lowest index on a tie', () => {
    const kMeans = KMeans.fromJSON({
      centroids: [
        [0, 0],
        [2, 0],
      ],
    });
    assert.deepEqual(kMeans.nearestCentroid([1, 0]), { index: 0, distance: 1 });
    assert.deepEqual(kMeans.nearestCentroid([5, 4]), { index: 1, distance: 5 });
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => kMeans.nearestCentroid([1]));
    assertDriftError('DW_DRIFT_INVALID_INPUT', () => kMeans.nearestCentroid([1, Infinity]));
  });

  it('survives JSON bit for bit and rejects a bad snapshot', () => {
    const golden = goldens[0] as KMeansGolden;
    const { kMeans } = fitKMeans(golden.rows as number[][], {
      initialCentres: golden.initialCentres,
    });
    const revived = KMeans.fromJSON(JSON.parse(JSON.stringify(kMeans)) as KMeansState);
    assert.deepEqual(revived.centroids, kMeans.centroids);
    for (const row of (golden.rows as number[][]).slice(0, 50)) {
      assert.deepEqual(revived.nearestCentroid(row), kMeans.nearestCentroid(row));
    }
    for (const state of [
      {},
      { centroids: [] },
      { centroids: [[1, 2], [3]] },
      { centroids: [[1, 'NaN']] },
      { centroids: [[]] },
    ]) {
      assertDriftError('DW_DRIFT_INVALID_STATE', () => KMeans.fromJSON(state as never));
    }
  });
});
