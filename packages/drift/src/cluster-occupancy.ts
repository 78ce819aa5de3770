// simple-statistics' chi-square table: the occupancy test only asks whether the statistic passes
// a critical value at a fixed level, which a table answers exactly as well as an incomplete gamma.
import { chiSquaredDistributionTable } from 'simple-statistics';

import { DriftError, option } from './errors.js';
import { psi, requireProportions } from './psi.js';
import { StateReader } from './state-reader.js';

/** Levels the table lists (upper-tail probabilities). */
export type ChiSquareLevel = 0.1 | 0.05 | 0.025 | 0.01 | 0.005;

export interface ClusterOccupancyOptions {
  /** Rows per tumbling window. */
  window: number;
  /** The chi-square test's level. Default 0.01. */
  level?: ChiSquareLevel;
  /**
   * Rows the reference shares were counted on. With it, the test compares two samples (the
   * reference's counts and the window's, Pearson's test of homogeneity), so a reference of a few
   * hundred rows is not held to shares it only estimated; without it, the shares are taken as
   * exact (goodness of fit).
   */
  referenceRows?: number;
}

/** How a full window's rows spread over the clusters, against the reference. */
export interface OccupancyWindow {
  /** PSI of the window's cluster shares against the reference shares. */
  psi: number;
  /** Pearson's chi-square statistic of the window's counts against the reference shares. */
  chiSquare: number;
  /** Clusters with a reference share, minus one. */
  degreesOfFreedom: number;
  /** The table's critical value at `level`; null where the table has no row for these degrees. */
  critical: number | null;
  /** Whether `chiSquare` passes `critical`: the counts are unlikely under the reference shares. */
  rejected: boolean;
  /** Each cluster's share of the window's rows. */
  shares: number[];
}

/** The plain-JSON snapshot of a {@link ClusterOccupancy}. */
export interface ClusterOccupancyState {
  window: number;
  level: ChiSquareLevel;
  counts: number[];
  filled: number;
}

const levels: readonly ChiSquareLevel[] = [0.1, 0.05, 0.025, 0.01, 0.005];

/**
 * Cluster occupancy over tumbling windows: each row arrives as the index of its nearest reference
 * centroid (`ReferenceClusters.nearestCentroid`), and every `window` rows the window's cluster
 * shares are compared with the reference's, by PSI (one bin per cluster, {@link psi}'s floor for
 * empty clusters) and by Pearson's chi-square goodness-of-fit test.
 *
 * The chi-square statistic leaves out clusters no row of either side fell in (goodness of fit: with
 * no reference share) and judges the rest against `k − 1` degrees of freedom, taken from
 * simple-statistics' table; where the table skips a degree (above 30 it lists every tenth) the next
 * listed one is used, which only raises the bar. Given `referenceRows`, it is the two-sample test of
 * homogeneity: the reference shares are themselves estimates, and taking them as exact would
 * inflate the statistic by about 1 + window / reference rows.
 *
 * @example
 * ```ts
 * const occupancy = new ClusterOccupancy([0.5, 0.25, 0.25], { window: 4 });
 * [0, 1, 0].map((cluster) => occupancy.add(cluster)); // => [null,null,null]
 * occupancy.add(2)?.psi; // => 0
 * [2, 2, 2, 1].map((cluster) => occupancy.add(cluster)?.shares ?? null).at(-1); // => [0,0.25,0.75]
 * ```
 */
export class ClusterOccupancy {
  readonly shares: readonly number[];
  readonly window: number;
  readonly level: ChiSquareLevel;
  readonly referenceRows: number | null;
  readonly #counts: Int32Array;
  #filled = 0;

  constructor(
    shares: ArrayLike<number>,
    options: ClusterOccupancyOptions,
    state?: ClusterOccupancyState,
  ) {
    this.shares = Array.from(requireProportions(shares, 'shares'));
    this.window = option.positiveInteger(options.window, 'window');
    this.level = options.level ?? 0.01;
    if (!levels.includes(this.level)) {
      throw new DriftError(
        'DW_DRIFT_INVALID_OPTION',
        `option level must be one of ${levels.join(', ')}, got ${String(this.level)}`,
      );
    }
    this.referenceRows =
      options.referenceRows === undefined
        ? null
        : option.positiveInteger(options.referenceRows, 'referenceRows');
    this.#counts = new Int32Array(this.shares.length);
    if (state) {
      const reader = new StateReader('ClusterOccupancy', state);
      reader.require(
        state.window === this.window && state.level === this.level,
        'the snapshot was taken with another window or level',
      );
      const counts = reader.integers('counts', 0);
      reader.require(
        counts.length === this.shares.length,
        'counts must hold one count per cluster',
      );
      const filled = reader.integer('filled', 0);
      reader.require(
        filled < this.window && counts.reduce((sum, count) => sum + count, 0) === filled,
        'counts must add up to filled, below the window',
      );
      this.#counts.set(counts);
      this.#filled = filled;
    }
  }

  /** Adds a row's cluster; returns the window's comparison when this row completes it, else null. */
  add(cluster: number): OccupancyWindow | null {
    if (!Number.isInteger(cluster) || cluster < 0 || cluster >= this.#counts.length) {
      throw new DriftError(
        'DW_DRIFT_INVALID_INPUT',
        `cluster must be an index below ${this.#counts.length}, got ${cluster}`,
      );
    }
    this.#counts[cluster] = (this.#counts[cluster] ?? 0) + 1;
    if (++this.#filled < this.window) return null;
    const counts = Array.from(this.#counts);
    this.#counts.fill(0);
    this.#filled = 0;
    return this.#compare(counts);
  }

  /** Rows of the window being filled. */
  get filled(): number {
    return this.#filled;
  }

  toJSON(): ClusterOccupancyState {
    return {
      window: this.window,
      level: this.level,
      counts: Array.from(this.#counts),
      filled: this.#filled,
    };
  }

  #compare(counts: number[]): OccupancyWindow {
    const shares = counts.map((count) => count / this.window);
    let chiSquare = 0;
    let populated = 0;
    const n = this.referenceRows;
    this.shares.forEach((share, i) => {
      const observed = counts[i] ?? 0;
      if (n === null) {
        if (share <= 0) return;
        populated++;
        const expected = share * this.window;
        chiSquare += (observed - expected) ** 2 / expected;
        return;
      }
      // Homogeneity of two samples: each side against its size times the pooled share.
      const reference = share * n;
      const pooled = (reference + observed) / (n + this.window);
      if (pooled <= 0) return;
      populated++;
      chiSquare +=
        (reference - n * pooled) ** 2 / (n * pooled) +
        (observed - this.window * pooled) ** 2 / (this.window * pooled);
    });
    const degreesOfFreedom = populated - 1;
    const critical = criticalValue(degreesOfFreedom, this.level);
    return {
      psi: psi(this.shares, shares),
      chiSquare,
      degreesOfFreedom,
      critical,
      rejected: critical !== null && chiSquare > critical,
      shares,
    };
  }
}

/** The table's critical value at `level` for the smallest listed degrees ≥ `degrees`; null if none. */
function criticalValue(degrees: number, level: ChiSquareLevel): number | null {
  if (degrees < 1) return null;
  const table = chiSquaredDistributionTable as unknown as Record<string, Record<string, number>>;
  const listed = Object.keys(table)
    .map(Number)
    .filter((listedDegrees) => listedDegrees >= degrees)
    .sort((a, b) => a - b)[0];
  return listed === undefined ? null : (table[String(listed)]?.[String(level)] ?? null);
}
