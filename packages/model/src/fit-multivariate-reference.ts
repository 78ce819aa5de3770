import { fitEdgeDistanceScales, fitPcaReconstruction, ReferenceClusters } from '@driftwatch/drift';
import type { FeatureRows } from '@driftwatch/learn';
import type { MultivariateReference } from '@driftwatch/topics';

import { evenRows } from './even-rows.js';

export interface MultivariateReferenceOptions {
  /** Clusters. Default 20; fewer when the reference has under 10 rows per cluster. */
  readonly k?: number;
  /** Seed of k-means++. Default 42 (scikit-learn's usual `random_state` in our goldens). */
  readonly seed?: number;
  /** Share of the standardized variance the PCA keeps. Default 0.65 (NannyML's). */
  readonly varianceShare?: number;
  /** Rows fitted on at most, spread evenly over the reference. Default 5,000. */
  readonly maxRows?: number;
}

/** Fewer reference rows than this say too little about how the rows spread to judge a window by. */
export const minimumMultivariateRows = 200;

/**
 * The multivariate part of a version's reference profile: the reference rows standardized and
 * clustered by k-means (`ReferenceClusters`: each cluster's share and distance quantiles, for
 * cluster occupancy and edge cases), and a PCA of them (`PcaReconstruction`, NannyML's data
 * reconstruction drift). Null for one feature (PSI per feature already says everything) or under
 * {@link minimumMultivariateRows} usable rows; rows with a missing or non-finite value, or of
 * another width, are left out. The reconstruction needs 10 rows per column and is null below that. The edge-case bounds are
 * widened by factors measured on held-out rows (`fitEdgeDistanceScales`), so that traffic like
 * the reference's passes a cluster's p99 about 1% of the time rather than the 2–4% its in-sample
 * quantiles give.
 *
 * The PCA's thresholds are NannyML's: mean ± 3σ of the reference's chunk means. Chunks are at most
 * 500 rows, so a detector window at least that long (the default is 1,000) is judged against
 * thresholds that are wider than its own spread, never narrower: the rule errs to silence.
 *
 * Deterministic: the same rows and options give the same numbers.
 *
 * @example
 * ```ts
 * const rows = Array.from({ length: 400 }, (_, i) => [i % 2 ? 10 + (i % 7) : i % 5, i % 3]);
 * const reference = fitMultivariateReference(['x', 'y'], rows, { k: 4 });
 * reference?.features; // => ["x","y"]
 * reference?.clusters.shares.length; // => 4
 * reference?.reconstruction?.chunkSize; // => 40
 * fitMultivariateReference(['x'], rows.map(([x = 0]) => [x])); // => null
 * ```
 */
export function fitMultivariateReference(
  featureNames: readonly string[],
  rows: FeatureRows,
  options: MultivariateReferenceOptions = {},
): MultivariateReference | null {
  if (featureNames.length < 2) return null;
  const usable = rows.filter((row) => {
    if (row.length !== featureNames.length) return false;
    for (let column = 0; column < featureNames.length; column++) {
      if (!Number.isFinite(row[column])) return false;
    }
    return true;
  });
  if (usable.length < minimumMultivariateRows) return null;
  const sample = evenRows(usable, options.maxRows ?? 5_000);
  const k = Math.max(2, Math.min(options.k ?? 20, Math.floor(sample.length / 10)));
  const clusterOptions = { k, seed: options.seed ?? 42 };
  const clusters = ReferenceClusters.fit(sample, clusterOptions);
  // Each fold is fitted on four fifths of the sample: still 8 rows or more per cluster.
  const distanceScales = fitEdgeDistanceScales(sample, clusterOptions);
  const reconstruction =
    sample.length >= 10 * featureNames.length
      ? fitPcaReconstruction(sample, {
          varianceShare: options.varianceShare ?? 0.65,
          chunkSize: Math.min(500, Math.floor(sample.length / 10)),
        }).toJSON()
      : null;
  return {
    features: [...featureNames],
    clusters: clusters.toJSON(),
    reconstruction,
    distanceScales,
  };
}
