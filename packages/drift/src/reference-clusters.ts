import {
  fitKMeans,
  KMeans,
  type KMeansOptions,
  type KMeansState,
  type NearestCentroid,
} from './k-means.js';
import { toJsonNumber, type JsonNumber } from './json-number.js';
import { quantileSorted } from './quantile.js';
import { squaredDistance } from './squared-distance.js';
import { Standardizer, type StandardizerState } from './standardizer.js';
import { StateReader } from './state-reader.js';

/** Quantiles of the distances from a cluster's reference rows to its centroid. */
export interface ClusterDistanceQuantiles {
  p50: number;
  p90: number;
  p99: number;
}

/** Options of {@link ReferenceClusters.fit}: those of `fitKMeans`, in standardized units. */
export type ReferenceClustersOptions = KMeansOptions;

/** The plain-JSON snapshot of a {@link ReferenceClusters} (`toJSON`, `ReferenceClusters.fromJSON`). */
export interface ReferenceClustersState {
  /** How raw rows are standardized before they meet a centroid. */
  standardizer: StandardizerState;
  /** Centroids in standardized units. */
  kMeans: KMeansState;
  /** Number of reference rows the profile was fitted on. */
  rows: number;
  /** Each cluster's share of the reference rows; they add up to 1. */
  shares: JsonNumber[];
  /** Each cluster's distance quantiles, `null` for a cluster that ended up with no rows. */
  distanceQuantiles: ({ p50: JsonNumber; p90: JsonNumber; p99: JsonNumber } | null)[];
}

/**
 * The cluster part of a version's reference profile: the reference rows standardized
 * ({@link Standardizer}), clustered by k-means ({@link fitKMeans}, default k = 20, k-means++
 * seeded), and for each cluster its share of the rows and the p50, p90 and p99 of its rows'
 * Euclidean distances to its centroid. A window can then be compared cluster by cluster: how its
 * rows spread over the clusters, and how far they fall from their centroids against the reference.
 *
 * Quantiles interpolate linearly between order statistics (numpy's default, Hyndman & Fan type 7).
 *
 * @example
 * ```ts
 * const rows = [[1, 100], [2, 110], [1, 105], [9, 300], [10, 310], [9, 290], [10, 300]];
 * const clusters = ReferenceClusters.fit(rows, { k: 2, seed: 3 });
 * clusters.shares; // => [0.5714285714285714, 0.42857142857142855]
 * clusters.nearestCentroid([9.5, 301]).index; // => 0
 * ```
 */
export class ReferenceClusters {
  readonly standardizer: Standardizer;
  readonly kMeans: KMeans;
  readonly rows: number;
  readonly shares: readonly number[];
  readonly distanceQuantiles: readonly (ClusterDistanceQuantiles | null)[];

  private constructor(
    standardizer: Standardizer,
    kMeans: KMeans,
    rows: number,
    shares: readonly number[],
    distanceQuantiles: readonly (ClusterDistanceQuantiles | null)[],
  ) {
    this.standardizer = standardizer;
    this.kMeans = kMeans;
    this.rows = rows;
    this.shares = shares;
    this.distanceQuantiles = distanceQuantiles;
  }

  /** Standardizes `referenceRows`, clusters them and profiles each cluster. */
  static fit(
    referenceRows: readonly ArrayLike<number>[],
    options: ReferenceClustersOptions = {},
  ): ReferenceClusters {
    const standardizer = Standardizer.fit(referenceRows);
    const standardized = standardizer.transformRows(referenceRows);
    const { kMeans, labels } = fitKMeans(standardized, options);
    const distances: number[][] = kMeans.centroids.map(() => []);
    standardized.forEach((row, i) => {
      const cluster = labels[i] as number;
      (distances[cluster] as number[]).push(
        Math.sqrt(squaredDistance(row, kMeans.centroids[cluster] as Float64Array)),
      );
    });
    const shares = distances.map((members) => members.length / standardized.length);
    const quantiles = distances.map((members) => {
      if (members.length === 0) return null;
      const sorted = Float64Array.from(members).sort();
      return {
        p50: quantileSorted(sorted, 0.5),
        p90: quantileSorted(sorted, 0.9),
        p99: quantileSorted(sorted, 0.99),
      };
    });
    return new ReferenceClusters(standardizer, kMeans, standardized.length, shares, quantiles);
  }

  /** Revives a profile from {@link toJSON}'s output (`DW_DRIFT_INVALID_STATE` if invalid). */
  static fromJSON(state: ReferenceClustersState): ReferenceClusters {
    const reader = new StateReader('ReferenceClusters', state);
    const standardizer = Standardizer.read(reader.object('standardizer'));
    const kMeans = KMeans.read(reader.object('kMeans'));
    reader.require(
      kMeans.width === standardizer.width,
      'kMeans centroids must be as wide as the standardizer',
    );
    const rows = reader.integer('rows', 1);
    const shares = reader.doubles('shares', true);
    reader.require(shares.length === kMeans.k, 'shares must hold one share per centroid');
    reader.require(
      shares.every((share) => share >= 0 && share <= 1),
      'every share must be in [0, 1]',
    );
    const quantileReaders = reader.array('distanceQuantiles');
    reader.require(
      quantileReaders.length === kMeans.k,
      'distanceQuantiles must hold one entry per centroid',
    );
    const distanceQuantiles = quantileReaders.map((entry, i) => {
      if (entry === null) return null;
      const quantiles = new StateReader('ReferenceClusters', entry, `distanceQuantiles[${i}].`);
      const value = {
        p50: quantiles.finiteDouble('p50'),
        p90: quantiles.finiteDouble('p90'),
        p99: quantiles.finiteDouble('p99'),
      };
      reader.require(
        value.p50 >= 0 && value.p50 <= value.p90 && value.p90 <= value.p99,
        `distanceQuantiles[${i}] must satisfy 0 ≤ p50 ≤ p90 ≤ p99`,
      );
      return value;
    });
    return new ReferenceClusters(standardizer, kMeans, rows, shares, distanceQuantiles);
  }

  /** The whole profile as plain JSON (see {@link ReferenceClustersState}). */
  toJSON(): ReferenceClustersState {
    return {
      standardizer: this.standardizer.toJSON(),
      kMeans: this.kMeans.toJSON(),
      rows: this.rows,
      shares: this.shares.map(toJsonNumber),
      distanceQuantiles: this.distanceQuantiles.map((quantiles) =>
        quantiles === null
          ? null
          : {
              p50: toJsonNumber(quantiles.p50),
              p90: toJsonNumber(quantiles.p90),
              p99: toJsonNumber(quantiles.p99),
            },
      ),
    };
  }

  /** The nearest centroid to a raw (unstandardized) row, with its distance in standardized units. */
  nearestCentroid(row: ArrayLike<number>): NearestCentroid {
    return this.kMeans.nearestCentroid(this.standardizer.transform(row));
  }
}
