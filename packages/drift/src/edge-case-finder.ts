import { DriftError, option } from './errors.js';
import type { ReferenceClusters } from './reference-clusters.js';

/** Which rule made a row an edge case. */
export type EdgeCaseRule = 'far-from-cluster' | 'grown-cluster';

export interface EdgeCaseFinderOptions {
  /**
   * A row farther from its nearest centroid than this quantile of that cluster's reference
   * distances is an edge case. Default `'p99'`.
   */
  distanceQuantile?: 'p50' | 'p90' | 'p99';
  /**
   * The quantile is widened by this factor, at least 1: the reference's own held-out rows pass the
   * widened bound as rarely as the quantile promises (`fitEdgeDistanceScales`). Default 1.
   */
  distanceScale?: number;
  /**
   * A row landing in a cluster whose share of the last `window` rows has grown past this many times
   * its reference share is an edge case. Default 3; `Infinity` turns the rule off.
   */
  growthFactor?: number;
  /** Rows the shares are counted over, sliding. Default 1,000. */
  window?: number;
  /**
   * Growth is measured from at least this many rows a window: a cluster whose reference share
   * expects fewer (0.2% of 1,000 is 2) is judged as if it expected this many, since a count that
   * small triples by chance alone (Poisson(2) reaches 7 in about 1 window of 200). Default 5, the
   * chi-square test's usual floor on an expected count.
   */
  minExpected?: number;
}

/** Why a row is an edge case. */
export interface EdgeCase {
  /** Its nearest reference centroid. */
  cluster: number;
  /** Its distance to that centroid, in standardized units. */
  distance: number;
  rule: EdgeCaseRule;
  /**
   * `far-from-cluster`: the cluster's reference distance quantile it passed; `grown-cluster`: the
   * share of the window the cluster had reached.
   */
  threshold: number;
}

/**
 * Finds the rows that fall where the reference was sparse: farther from their nearest reference
 * centroid than the cluster's own rows mostly are (`far-from-cluster`), or in a cluster that was
 * rare in the reference and has since grown (`grown-cluster`: its share of the last `window` rows
 * past `growthFactor` × its reference share, or × `minExpected` rows for a cluster that expected
 * fewer, once a window has filled). These are the rows a retrained model most needs labels for.
 *
 * A cluster with no reference rows has no distance quantiles: every row landing in it is far from
 * the reference. The sliding shares are the finder's own, over the rows it was shown.
 *
 * @example
 * ```ts
 * const clusters = ReferenceClusters.fit(
 *   [[0, 0], [0.1, 0], [0, 0.1], [0.1, 0.1], [5, 5], [5.1, 5]],
 *   { k: 2, seed: 1 },
 * );
 * const finder = new EdgeCaseFinder(clusters, { window: 4, growthFactor: 1.4, minExpected: 1 });
 * finder.judge([0.05, 0.05]); // => null
 * finder.judge([9, 9])?.rule; // => "far-from-cluster"
 * [[5, 5], [5.1, 5], [5, 5]].map((row) => finder.judge(row)?.rule ?? null); // => [null,"grown-cluster","grown-cluster"]
 * ```
 */
export class EdgeCaseFinder {
  readonly #clusters: ReferenceClusters;
  readonly #quantile: 'p50' | 'p90' | 'p99';
  readonly #distanceScale: number;
  readonly #growthFactor: number;
  readonly #window: number;
  /** The least share growth is measured from: `minExpected / window`. */
  readonly #floorShare: number;
  readonly #ring: Int32Array;
  readonly #counts: Int32Array;
  #seen = 0;

  constructor(clusters: ReferenceClusters, options: EdgeCaseFinderOptions = {}) {
    this.#clusters = clusters;
    this.#quantile = options.distanceQuantile ?? 'p99';
    if (!['p50', 'p90', 'p99'].includes(this.#quantile)) {
      throw new DriftError(
        'DW_DRIFT_INVALID_OPTION',
        `option distanceQuantile must be p50, p90 or p99, got ${this.#quantile}`,
      );
    }
    const distanceScale = options.distanceScale ?? 1;
    if (!(distanceScale >= 1 && Number.isFinite(distanceScale))) {
      throw new DriftError(
        'DW_DRIFT_INVALID_OPTION',
        `option distanceScale must be a finite number ≥ 1, got ${String(distanceScale)}`,
      );
    }
    this.#distanceScale = distanceScale;
    const growthFactor = options.growthFactor ?? 3;
    if (!(growthFactor > 1)) {
      throw new DriftError(
        'DW_DRIFT_INVALID_OPTION',
        `option growthFactor must be a number > 1, got ${String(growthFactor)}`,
      );
    }
    this.#growthFactor = growthFactor;
    this.#window = option.positiveInteger(options.window ?? 1_000, 'window');
    this.#floorShare =
      option.nonNegativeFinite(options.minExpected ?? 5, 'minExpected') / this.#window;
    this.#ring = new Int32Array(this.#window);
    this.#counts = new Int32Array(clusters.kMeans.k);
  }

  /** Whether `row` (raw, in the reference's column order) is an edge case, and why; null if not. */
  judge(row: ArrayLike<number>): EdgeCase | null {
    const { index: cluster, distance } = this.#clusters.nearestCentroid(row);
    const slot = this.#seen % this.#window;
    if (this.#seen >= this.#window) {
      const leaving = this.#ring[slot] ?? 0;
      this.#counts[leaving] = (this.#counts[leaving] ?? 0) - 1;
    }
    this.#ring[slot] = cluster;
    this.#counts[cluster] = (this.#counts[cluster] ?? 0) + 1;
    this.#seen++;
    const quantiles = this.#clusters.distanceQuantiles[cluster];
    const bound = quantiles ? quantiles[this.#quantile] * this.#distanceScale : 0;
    if (distance > bound) return { cluster, distance, rule: 'far-from-cluster', threshold: bound };
    if (this.#seen >= this.#window) {
      const share = (this.#counts[cluster] ?? 0) / this.#window;
      const reference = Math.max(this.#clusters.shares[cluster] ?? 0, this.#floorShare);
      if (share > this.#growthFactor * reference) {
        return { cluster, distance, rule: 'grown-cluster', threshold: share };
      }
    }
    return null;
  }
}
