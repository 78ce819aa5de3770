import { DriftError, option } from './errors.js';
import { requireRow, requireRows } from './input-checks.js';
import { toJsonNumber, type JsonNumber } from './json-number.js';
import { kMeansPlusPlus } from './k-means-plus-plus.js';
import { mulberry32, type Random } from './random.js';
import { squaredDistance } from './squared-distance.js';
import { StateReader } from './state-reader.js';

export interface KMeansOptions {
  /** Number of clusters. Default 20 (or the number of `initialCentres`). */
  k?: number;
  /** Seed of the default `random`. Default 42. */
  seed?: number;
  /** Source of the k-means++ draws. Default `mulberry32(seed)`. */
  random?: Random;
  /** Start Lloyd's iterations from these centres instead of k-means++ (as scikit-learn's `init`). */
  initialCentres?: readonly ArrayLike<number>[];
  /** Most Lloyd iterations to run. Default 300 (scikit-learn's `max_iter`). */
  maxIterations?: number;
  /**
   * Convergence tolerance, relative to the rows' mean column variance. Default 1e-4 (scikit-learn's
   * `tol`); 0 stops only when no row changes cluster (or at `maxIterations`).
   */
  tolerance?: number;
}

/** What {@link fitKMeans} found, beside the model. */
export interface KMeansFit {
  kMeans: KMeans;
  /** Each row's cluster: the index of its nearest centroid. */
  labels: Int32Array;
  /** Lloyd iterations run (scikit-learn's `n_iter_`). */
  iterations: number;
  /** Sum of squared distances of rows to their centroids (scikit-learn's `inertia_`). */
  inertia: number;
  /** Whether it stopped by the convergence rule rather than at `maxIterations`. */
  converged: boolean;
}

/** A row's nearest centroid. */
export interface NearestCentroid {
  index: number;
  /** Euclidean (not squared) distance to it. */
  distance: number;
}

/** The plain-JSON snapshot of a {@link KMeans} (`toJSON`, `KMeans.fromJSON`). */
export interface KMeansState {
  centroids: JsonNumber[][];
}

/**
 * Fitted k-means centroids; `nearestCentroid(point)` tells which one a point belongs to. Made by
 * {@link fitKMeans}, or revived from `toJSON()` with `KMeans.fromJSON`.
 *
 * @example
 * ```ts
 * const kMeans = KMeans.fromJSON({ centroids: [[0, 0], [10, 0]] });
 * kMeans.nearestCentroid([7, 4]); // => {"index":1,"distance":5}
 * ```
 */
export class KMeans {
  readonly centroids: readonly Float64Array[];

  private constructor(centroids: readonly Float64Array[]) {
    this.centroids = centroids;
  }

  get k(): number {
    return this.centroids.length;
  }

  /** Number of columns a point has. */
  get width(): number {
    return (this.centroids[0] as Float64Array).length;
  }

  /** @internal Wraps centroids {@link fitKMeans} computed (already validated). */
  static of(centroids: readonly Float64Array[]): KMeans {
    return new KMeans(centroids);
  }

  /** Revives a KMeans from {@link toJSON}'s output (`DW_DRIFT_INVALID_STATE` if invalid). */
  static fromJSON(state: KMeansState): KMeans {
    return KMeans.read(new StateReader('KMeans', state));
  }

  /** Reads a KMeans's state with `reader` (also from inside another class's state). */
  static read(reader: StateReader): KMeans {
    const centroids = reader.doubleRows('centroids', true).map((row) => Float64Array.from(row));
    reader.require(centroids.length > 0, `${reader.name('centroids')} must not be empty`);
    return new KMeans(centroids);
  }

  /** The centroids as plain JSON (see {@link KMeansState}), for `KMeans.fromJSON`. */
  toJSON(): KMeansState {
    return { centroids: this.centroids.map((centroid) => Array.from(centroid, toJsonNumber)) };
  }

  /** The nearest centroid to `point` and its distance; the lowest index wins a tie. */
  nearestCentroid(point: ArrayLike<number>): NearestCentroid {
    requireRow(point, 'point', this.width);
    const index = nearestIndex(this.centroids, point);
    return {
      index,
      distance: Math.sqrt(squaredDistance(point, this.centroids[index] as Float64Array)),
    };
  }
}

/**
 * k-means by Lloyd's iterations, the way scikit-learn's `KMeans(algorithm='lloyd', n_init=1)`
 * runs them, so that from the same initial centres it finds the same centroids and labels.
 *
 * - **Initial centres**: `initialCentres` if given, else greedy k-means++ seeded from `random`
 *   (default `mulberry32(seed)`); see {@link kMeansPlusPlus}.
 * - **An iteration** assigns each row to its nearest centre (lowest index on a tie), then moves
 *   each centre to the mean of its rows.
 * - **Stopping** (scikit-learn's `_kmeans_single_lloyd`): after an iteration, stop if no row
 *   changed cluster ("strict convergence"), else if the squared centre shifts summed over all
 *   centres are ≤ `tolerance × mean column variance of the rows` (population variance; the
 *   tolerance is relative to the data, `_tolerance`), else at `maxIterations`. Unless it stopped
 *   strictly, rows are assigned once more to the final centres, so labels and centroids agree.
 *   `iterations` counts the iterations run, as `n_iter_` does.
 * - **An empty cluster** (no row nearest its centre) is given the row farthest from the centre of
 *   the cluster it was assigned to, which gives that row up, as scikit-learn's
 *   `_relocate_empty_clusters_dense` does; the row's label is left alone until the next
 *   assignment. With several empty clusters, the farthest rows go to them in decreasing distance
 *   (scikit-learn's order among them is `argpartition`'s, which is unspecified).
 * - Rows holding fewer than `k` distinct points are rejected (`DW_DRIFT_INVALID_INPUT`): some
 *   cluster would have to stay empty.
 *
 * @example
 * ```ts
 * const rows = [[0, 0], [0, 1], [10, 0], [10, 1], [0, 20]];
 * const fit = fitKMeans(rows, { k: 3, seed: 1 });
 * fit.kMeans.centroids.map((centroid) => Array.from(centroid)); // => [[10, 0.5], [0, 20], [0, 0.5]]
 * Array.from(fit.labels); // => [2, 2, 0, 0, 1]
 * fit.inertia; // => 1
 * ```
 *
 * @see S. Lloyd (1982), "Least squares quantization in PCM", IEEE Trans. Inf. Theory 28(2).
 * @see scikit-learn `sklearn/cluster/_kmeans.py` and `_k_means_lloyd.pyx`, `_k_means_common.pyx`.
 */
export function fitKMeans(
  rows: readonly ArrayLike<number>[],
  options: KMeansOptions = {},
): KMeansFit {
  const width = requireRows(rows, 'rows');
  const { initialCentres, seed = 42 } = options;
  const maxIterations = option.positiveInteger(options.maxIterations ?? 300, 'maxIterations');
  const tolerance = option.nonNegativeFinite(options.tolerance ?? 1e-4, 'tolerance');
  option.nonNegativeInteger(seed, 'seed');
  const k = option.positiveInteger(options.k ?? initialCentres?.length ?? 20, 'k');
  if (initialCentres !== undefined) {
    if (initialCentres.length !== k) {
      throw new DriftError(
        'DW_DRIFT_INVALID_OPTION',
        `option k is ${k} but ${initialCentres.length} initialCentres were given`,
      );
    }
    try {
      requireRows(initialCentres, 'initialCentres', width);
    } catch (error) {
      throw new DriftError('DW_DRIFT_INVALID_OPTION', (error as Error).message, { cause: error });
    }
  }
  if (rows.length < k) {
    throw new DriftError(
      'DW_DRIFT_INVALID_INPUT',
      `k = ${k} needs at least ${k} rows, got ${rows.length}`,
    );
  }

  let centres =
    initialCentres?.map((centre) => Float64Array.from(centre)) ??
    kMeansPlusPlus(rows, k, options.random ?? mulberry32(seed));
  const absoluteTolerance = tolerance * meanColumnVariance(rows, width);
  const labels = new Int32Array(rows.length).fill(-1);
  const previousLabels = new Int32Array(rows.length).fill(-1);
  let strictConvergence = false;
  let converged = false;
  let iterations = 0;
  while (iterations < maxIterations) {
    assign(rows, centres, labels);
    const moved = updateCentres(rows, centres, labels, width);
    let shift = 0;
    for (let c = 0; c < k; c++) {
      shift += squaredDistance(moved[c] as Float64Array, centres[c] as Float64Array);
    }
    centres = moved;
    iterations++;
    if (sameLabels(labels, previousLabels)) {
      strictConvergence = converged = true;
      break;
    }
    if (shift <= absoluteTolerance) {
      converged = true;
      break;
    }
    previousLabels.set(labels);
  }
  if (!strictConvergence) assign(rows, centres, labels);
  let inertia = 0;
  rows.forEach((row, i) => {
    inertia += squaredDistance(row, centres[labels[i] as number] as Float64Array);
  });
  return { kMeans: KMeans.of(centres), labels, iterations, inertia, converged };
}

function nearestIndex(centres: readonly Float64Array[], point: ArrayLike<number>): number {
  let best = 0;
  let bestDistance = Infinity;
  centres.forEach((centre, c) => {
    const distance = squaredDistance(point, centre);
    if (distance < bestDistance) {
      best = c;
      bestDistance = distance;
    }
  });
  return best;
}

function assign(
  rows: readonly ArrayLike<number>[],
  centres: readonly Float64Array[],
  labels: Int32Array,
): void {
  rows.forEach((row, i) => {
    labels[i] = nearestIndex(centres, row);
  });
}

/** Each cluster's mean, after moving the farthest rows into empty clusters. */
function updateCentres(
  rows: readonly ArrayLike<number>[],
  centres: readonly Float64Array[],
  labels: Int32Array,
  width: number,
): Float64Array[] {
  const sums = centres.map(() => new Float64Array(width));
  const counts = new Float64Array(centres.length);
  rows.forEach((row, i) => {
    const sum = sums[labels[i] as number] as Float64Array;
    for (let j = 0; j < width; j++) sum[j] = (sum[j] as number) + (row[j] as number);
    counts[labels[i] as number] = (counts[labels[i] as number] as number) + 1;
  });
  const empty = [...counts.keys()].filter((c) => counts[c] === 0);
  if (empty.length > 0) {
    const distances = rows.map((row, i) =>
      squaredDistance(row, centres[labels[i] as number] as Float64Array),
    );
    const farthest = [...distances.keys()].sort(
      (a, b) => (distances[b] as number) - (distances[a] as number) || a - b,
    );
    if (distances[farthest[0] as number] === 0) {
      throw new DriftError(
        'DW_DRIFT_INVALID_INPUT',
        `rows hold fewer distinct points than k = ${centres.length}`,
      );
    }
    empty.forEach((cluster, e) => {
      const far = farthest[e] as number;
      const row = rows[far] as ArrayLike<number>;
      const from = labels[far] as number;
      const fromSum = sums[from] as Float64Array;
      for (let j = 0; j < width; j++) fromSum[j] = (fromSum[j] as number) - (row[j] as number);
      sums[cluster] = Float64Array.from(row);
      counts[from] = (counts[from] as number) - 1;
      counts[cluster] = 1;
    });
  }
  // A cluster emptied by giving up its only row keeps a zero sum, as in scikit-learn, where the
  // zero lands at the data's mean because it clusters centred data.
  const mean = counts.some((count) => count === 0) ? columnMeans(rows, width) : undefined;
  return sums.map((sum, c) =>
    counts[c] === 0 ? (mean as Float64Array) : sum.map((value) => value / (counts[c] as number)),
  );
}

function columnMeans(rows: readonly ArrayLike<number>[], width: number): Float64Array {
  const mean = new Float64Array(width);
  for (const row of rows)
    for (let j = 0; j < width; j++) mean[j] = (mean[j] as number) + (row[j] as number);
  return mean.map((sum) => sum / rows.length);
}

/** numpy's `var(rows, axis=0).mean()`: population variance per column, averaged. */
function meanColumnVariance(rows: readonly ArrayLike<number>[], width: number): number {
  const mean = columnMeans(rows, width);
  let total = 0;
  for (const row of rows) {
    for (let j = 0; j < width; j++) total += ((row[j] as number) - (mean[j] as number)) ** 2;
  }
  return total / rows.length / width;
}

function sameLabels(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
