// ml-matrix (mljs) for the eigendecomposition: a symmetric eigensolver is easy to get subtly wrong
// (convergence, ordering, near-equal eigenvalues), and ml-matrix's is JAMA's Householder
// tridiagonalisation + QL, long used and tested, in plain JavaScript with no native build or I/O.
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

import { DriftError, option } from './errors.js';
import { requireRow, requireRows } from './input-checks.js';
import { toJsonNumber, type JsonNumber } from './json-number.js';
import { Standardizer, type StandardizerState } from './standardizer.js';
import { StateReader } from './state-reader.js';

export interface PcaReconstructionOptions {
  /**
   * Share of the standardized reference's variance the kept components must explain, in (0, 1):
   * the fewest leading components whose explained-variance ratios add up to more than it (as
   * scikit-learn's `PCA(n_components=<float>)`). Default 0.65, NannyML's default.
   */
  varianceShare?: number;
  /**
   * Rows per reference chunk, for the thresholds: consecutive runs of this many rows, the leftover
   * rows (if any) making one last, smaller chunk (NannyML's `SizeBasedChunker`, `incomplete='keep'`).
   * Default: a tenth of the reference rows, rounded down (NannyML's `DefaultChunker`).
   */
  chunkSize?: number;
}

/** The plain-JSON snapshot of a {@link PcaReconstruction} (`toJSON`, `PcaReconstruction.fromJSON`). */
export interface PcaReconstructionState {
  varianceShare: number;
  chunkSize: number;
  standardizer: StandardizerState;
  /** The PCA's centre, in standardized units (≈ 0, but as fitted). */
  centre: JsonNumber[];
  /** The kept principal axes, one unit row per component, in standardized units. */
  components: JsonNumber[][];
  /** Every component's explained-variance ratio, largest first (the kept ones lead). */
  explainedVarianceRatio: JsonNumber[];
  /** The mean reconstruction error of each reference chunk. */
  referenceChunkErrors: JsonNumber[];
  lowerThreshold: JsonNumber | null;
  upperThreshold: JsonNumber;
}

/**
 * Multivariate drift by PCA reconstruction error, as NannyML's `DataReconstructionDriftCalculator`
 * defines it. Fitting on the reference rows: standardize each column ({@link Standardizer}, as
 * scikit-learn's `StandardScaler`), fit a PCA on the standardized rows keeping the components that
 * explain `varianceShare` of the variance. A row's reconstruction error is the Euclidean distance
 * between its standardized self and its projection onto those components, mapped back. A window's
 * (NannyML's chunk's) statistic is the mean error of its rows.
 *
 * Thresholds come from the reference itself, chunked by `chunkSize`: the mean of the reference
 * chunks' mean errors ± 3 of their standard deviations (population, `np.nanstd`). Errors are never
 * negative, so a lower threshold at or below 0 is dropped (`lowerThreshold` is `null`), as NannyML
 * does. `alert(meanError)` is true unless lower < meanError < upper.
 *
 * The PCA is the eigendecomposition of the covariance of the standardized rows (divided by n − 1),
 * which is what scikit-learn's `PCA(svd_solver='auto')` does for NannyML's usual shapes (n ≥ 10 ×
 * columns); the error does not depend on the signs of the axes. NannyML imputes missing values by
 * the reference mean; the rows here must be finite (NaN is `DW_DRIFT_INVALID_INPUT`), so a caller
 * with gaps imputes them first. Only continuous columns: NannyML's count encoding of categorical
 * columns is not part of this.
 *
 * @example
 * ```ts
 * const random = mulberry32(4);
 * const rows = Array.from({ length: 200 }, () => {
 *   const x = random();
 *   return [x, 2 * x + 0.1 * random(), random()];
 * });
 * const pca = fitPcaReconstruction(rows);
 * pca.componentCount; // => 1
 * pca.alert(pca.meanError(rows.slice(0, 20))); // => false
 * pca.alert(pca.meanError(rows.slice(0, 20).map(([x = 0, , z = 0]) => [x, 1 - 2 * x, z]))); // => true
 * ```
 *
 * @see NannyML `nannyml/drift/multivariate/data_reconstruction/calculator.py` and
 * `nannyml/thresholds.py` (`StandardDeviationThreshold`); scikit-learn `PCA`.
 */
export class PcaReconstruction {
  readonly varianceShare: number;
  readonly chunkSize: number;
  readonly standardizer: Standardizer;
  readonly centre: Float64Array;
  readonly components: readonly Float64Array[];
  readonly explainedVarianceRatio: readonly number[];
  readonly referenceChunkErrors: readonly number[];
  /** `null` when mean − 3σ of the reference chunks is ≤ 0. */
  readonly lowerThreshold: number | null;
  readonly upperThreshold: number;

  private constructor(fields: {
    varianceShare: number;
    chunkSize: number;
    standardizer: Standardizer;
    centre: Float64Array;
    components: readonly Float64Array[];
    explainedVarianceRatio: readonly number[];
    referenceChunkErrors: readonly number[];
    lowerThreshold: number | null;
    upperThreshold: number;
  }) {
    this.varianceShare = fields.varianceShare;
    this.chunkSize = fields.chunkSize;
    this.standardizer = fields.standardizer;
    this.centre = fields.centre;
    this.components = fields.components;
    this.explainedVarianceRatio = fields.explainedVarianceRatio;
    this.referenceChunkErrors = fields.referenceChunkErrors;
    this.lowerThreshold = fields.lowerThreshold;
    this.upperThreshold = fields.upperThreshold;
  }

  /** Number of principal components kept. */
  get componentCount(): number {
    return this.components.length;
  }

  /** @internal See {@link fitPcaReconstruction}. */
  static fit(
    referenceRows: readonly ArrayLike<number>[],
    options: PcaReconstructionOptions = {},
  ): PcaReconstruction {
    const varianceShare = option.inOpenInterval(
      options.varianceShare ?? 0.65,
      'varianceShare',
      0,
      1,
    );
    if (options.chunkSize !== undefined) option.positiveInteger(options.chunkSize, 'chunkSize');
    const width = requireRows(referenceRows, 'referenceRows');
    const n = referenceRows.length;
    const chunkSize = options.chunkSize ?? Math.floor(n / 10);
    if (n < 2 || chunkSize === 0) {
      throw new DriftError(
        'DW_DRIFT_INVALID_INPUT',
        `referenceRows must hold at least 2 rows, and 10 without a chunkSize; got ${n}`,
      );
    }
    const standardizer = Standardizer.fit(referenceRows);
    const standardized = standardizer.transformRows(referenceRows);
    const centre = new Float64Array(width);
    for (const row of standardized)
      for (let j = 0; j < width; j++) centre[j] = (centre[j] as number) + (row[j] as number);
    centre.forEach((sum, j) => (centre[j] = sum / n));
    const covariance = new Matrix(width, width);
    for (const row of standardized) {
      for (let a = 0; a < width; a++) {
        const da = (row[a] as number) - (centre[a] as number);
        for (let b = a; b < width; b++) {
          covariance.set(
            a,
            b,
            covariance.get(a, b) + da * ((row[b] as number) - (centre[b] as number)),
          );
        }
      }
    }
    for (let a = 0; a < width; a++) {
      for (let b = a; b < width; b++) {
        covariance.set(a, b, covariance.get(a, b) / (n - 1));
        covariance.set(b, a, covariance.get(a, b));
      }
    }
    const decomposition = new EigenvalueDecomposition(covariance, { assumeSymmetric: true });
    // Largest first; rounding can leave a zero eigenvalue slightly negative, as scikit-learn clips.
    const order = decomposition.realEigenvalues
      .map((value, index) => ({ value: Math.max(value, 0), index }))
      .sort((a, b) => b.value - a.value);
    const totalVariance = order.reduce((sum, { value }) => sum + value, 0);
    const explainedVarianceRatio = order.map(({ value }) => value / totalVariance);
    // scikit-learn: searchsorted(cumsum(ratios), share, side='right') + 1, i.e. the first count
    // whose cumulative ratio exceeds the share.
    let componentCount = 0;
    let cumulative = 0;
    while (componentCount < width && cumulative <= varianceShare) {
      cumulative += explainedVarianceRatio[componentCount] as number;
      componentCount++;
    }
    const vectors = decomposition.eigenvectorMatrix;
    const components = order
      .slice(0, componentCount)
      .map(({ index }) => Float64Array.from(vectors.getColumn(index)));

    const shell = new PcaReconstruction({
      varianceShare,
      chunkSize,
      standardizer,
      centre,
      components,
      explainedVarianceRatio,
      referenceChunkErrors: [],
      lowerThreshold: null,
      upperThreshold: Infinity,
    });
    const referenceChunkErrors: number[] = [];
    for (let start = 0; start < n; start += chunkSize) {
      const chunk = standardized.slice(start, start + chunkSize);
      referenceChunkErrors.push(
        chunk.reduce((sum, row) => sum + shell.#standardizedError(row), 0) / chunk.length,
      );
    }
    const { lower, upper } = thresholds(referenceChunkErrors);
    return new PcaReconstruction({
      ...shell.#fields(),
      referenceChunkErrors,
      lowerThreshold: lower,
      upperThreshold: upper,
    });
  }

  /** Revives a fitted reconstruction from {@link toJSON}'s output (`DW_DRIFT_INVALID_STATE`). */
  static fromJSON(state: PcaReconstructionState): PcaReconstruction {
    const reader = new StateReader('PcaReconstruction', state);
    const varianceShare = reader.finite('varianceShare');
    reader.require(varianceShare > 0 && varianceShare < 1, 'varianceShare must be in (0, 1)');
    const chunkSize = reader.integer('chunkSize', 1);
    const standardizer = Standardizer.read(reader.object('standardizer'));
    const width = standardizer.width;
    const centre = Float64Array.from(reader.doubles('centre', true));
    reader.require(centre.length === width, 'centre must be as wide as the standardizer');
    const components = reader.doubleRows('components', true).map((row) => Float64Array.from(row));
    reader.require(
      components.length > 0 &&
        components.length <= width &&
        components.every((c) => c.length === width),
      'components must be 1 to width rows as wide as the standardizer',
    );
    const explainedVarianceRatio = reader.doubles('explainedVarianceRatio', true);
    reader.require(
      explainedVarianceRatio.length === width,
      'explainedVarianceRatio must hold one ratio per column',
    );
    const referenceChunkErrors = reader.doubles('referenceChunkErrors', true);
    reader.require(referenceChunkErrors.length > 0, 'referenceChunkErrors must not be empty');
    const lowerThreshold =
      reader.raw('lowerThreshold') === null ? null : reader.finiteDouble('lowerThreshold');
    const upperThreshold = reader.finiteDouble('upperThreshold');
    return new PcaReconstruction({
      varianceShare,
      chunkSize,
      standardizer,
      centre,
      components,
      explainedVarianceRatio,
      referenceChunkErrors,
      lowerThreshold,
      upperThreshold,
    });
  }

  /** The fitted state as plain JSON (see {@link PcaReconstructionState}). */
  toJSON(): PcaReconstructionState {
    return {
      varianceShare: this.varianceShare,
      chunkSize: this.chunkSize,
      standardizer: this.standardizer.toJSON(),
      centre: Array.from(this.centre, toJsonNumber),
      components: this.components.map((component) => Array.from(component, toJsonNumber)),
      explainedVarianceRatio: this.explainedVarianceRatio.map(toJsonNumber),
      referenceChunkErrors: this.referenceChunkErrors.map(toJsonNumber),
      lowerThreshold: this.lowerThreshold === null ? null : toJsonNumber(this.lowerThreshold),
      upperThreshold: toJsonNumber(this.upperThreshold),
    };
  }

  /** A raw row's reconstruction error: ‖z − ẑ‖ with z the standardized row, ẑ its PCA projection. */
  error(row: ArrayLike<number>): number {
    requireRow(row, 'row', this.standardizer.width);
    return this.#standardizedError(this.standardizer.transform(row));
  }

  /** The mean reconstruction error of `rows` (a window, NannyML's chunk). */
  meanError(rows: readonly ArrayLike<number>[]): number {
    const standardized = this.standardizer.transformRows(rows);
    return standardized.reduce((sum, row) => sum + this.#standardizedError(row), 0) / rows.length;
  }

  /**
   * The bounds at another spread than NannyML's 3σ: the reference chunks' mean ± `spread` of
   * their (population) standard deviations, no lower bound when that is ≤ 0. A false-alarm budget
   * picks the spread.
   */
  boundsAt(spread: number): { lower: number | null; upper: number } {
    return thresholds(this.referenceChunkErrors, spread);
  }

  /** Whether a window's mean error falls outside (lowerThreshold, upperThreshold). */
  alert(meanError: number): boolean {
    return !((this.lowerThreshold ?? -Infinity) < meanError && meanError < this.upperThreshold);
  }

  #standardizedError(row: Float64Array): number {
    const width = row.length;
    const centred = row.map((value, j) => value - (this.centre[j] as number));
    const residual = Float64Array.from(centred);
    for (const component of this.components) {
      let score = 0;
      for (let j = 0; j < width; j++) score += (centred[j] as number) * (component[j] as number);
      for (let j = 0; j < width; j++)
        residual[j] = (residual[j] as number) - score * (component[j] as number);
    }
    let sum = 0;
    for (const value of residual) sum += value * value;
    return Math.sqrt(sum);
  }

  #fields() {
    return {
      varianceShare: this.varianceShare,
      chunkSize: this.chunkSize,
      standardizer: this.standardizer,
      centre: this.centre,
      components: this.components,
      explainedVarianceRatio: this.explainedVarianceRatio,
      referenceChunkErrors: this.referenceChunkErrors,
      lowerThreshold: this.lowerThreshold,
      upperThreshold: this.upperThreshold,
    };
  }
}

/**
 * Fits a {@link PcaReconstruction} on the reference rows (options: `varianceShare`, default 0.65;
 * `chunkSize`, default a tenth of the rows).
 *
 * @example
 * ```ts
 * const random = mulberry32(9);
 * const rows = Array.from({ length: 100 }, () => [random(), random()]);
 * const pca = fitPcaReconstruction(rows, { varianceShare: 0.4, chunkSize: 25 });
 * pca.componentCount; // => 1
 * pca.referenceChunkErrors.length; // => 4
 * ```
 */
export function fitPcaReconstruction(
  referenceRows: readonly ArrayLike<number>[],
  options: PcaReconstructionOptions = {},
): PcaReconstruction {
  return PcaReconstruction.fit(referenceRows, options);
}

/**
 * NannyML's `StandardDeviationThreshold` (mean ± 3 population σ) with its limit of 0 below.
 * Written out rather than simple-statistics' `standardDeviation` (the same two-pass formula) so
 * the bounds stay exact against NannyML's numbers as they were pinned.
 */
function thresholds(
  values: readonly number[],
  spread = 3,
): { lower: number | null; upper: number } {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
  const width = spread * Math.sqrt(variance);
  const lower = mean - width;
  return { lower: lower <= 0 ? null : lower, upper: mean + width };
}
