import type { MultivariateReference } from '@driftwatch/topics';

/**
 * A multivariate reference the schema accepts: two features, two clusters, no PCA. What a version
 * needs for inference to look for its edge cases, when only whether it has one matters.
 */
export function fakeMultivariateReference(): MultivariateReference {
  const standardizer = { mean: [5, 5], scale: [2.9, 2.9] };
  return {
    features: ['x1', 'x2'],
    clusters: {
      standardizer,
      kMeans: {
        centroids: [
          [-0.9, 0.4],
          [0.8, -0.3],
        ],
      },
      rows: 400,
      shares: [0.52, 0.48],
      distanceQuantiles: [
        { p50: 0.7, p90: 1.3, p99: 2.2 },
        { p50: 0.6, p90: 1.2, p99: 2.0 },
      ],
    },
    reconstruction: null,
    distanceScales: null,
  };
}
