import { requireRow, requireRows } from './input-checks.js';
import { toJsonNumber, type JsonNumber } from './json-number.js';
import { StateReader } from './state-reader.js';

/** The plain-JSON snapshot of a {@link Standardizer} (`toJSON`, `Standardizer.fromJSON`). */
export interface StandardizerState {
  /** Each column's mean over the rows it was fitted on. */
  mean: JsonNumber[];
  /** Each column's population standard deviation, or 1 for a constant column. */
  scale: JsonNumber[];
}

/**
 * Centres and scales each column to mean 0 and standard deviation 1, with the statistics of the
 * rows it was fitted on: scikit-learn's `StandardScaler`, so that k-means and PCA see the same
 * numbers as the Python reference does.
 *
 * - The standard deviation is the population one (divide by n), as `StandardScaler` has it.
 * - The variance is computed in two passes with the correction term `StandardScaler` uses,
 *   (Σ(x − m)² − (Σ(x − m))² / n) / n, which cancels most of the rounding in m.
 * - A column scikit-learn judges constant, variance ≤ n·ε·var + (n·m·ε)² (its
 *   `_is_constant_feature`, which also catches a constant column whose variance rounding made
 *   tiny but positive), is scaled by 1, so it becomes 0 rather than NaN or noise.
 *
 * @example
 * ```ts
 * const standardizer = Standardizer.fit([[1, 10], [3, 10], [5, 10]]);
 * standardizer.mean; // => [3, 10]
 * standardizer.scale; // => [1.632993161855452, 1]
 * Array.from(standardizer.transform([6, 12])); // => [1.8371173070873836, 2]
 * ```
 *
 * @see scikit-learn `sklearn/preprocessing/_data.py` (`StandardScaler`, `_is_constant_feature`)
 * and `sklearn/utils/extmath.py` (`_incremental_mean_and_var`).
 */
export class Standardizer {
  readonly mean: readonly number[];
  readonly scale: readonly number[];

  private constructor(mean: readonly number[], scale: readonly number[]) {
    this.mean = mean;
    this.scale = scale;
  }

  /** Number of columns. */
  get width(): number {
    return this.mean.length;
  }

  /** Fits means and scales on `rows` (non-empty, one width, finite: else `DW_DRIFT_INVALID_INPUT`). */
  static fit(rows: readonly ArrayLike<number>[]): Standardizer {
    const width = requireRows(rows, 'rows');
    const n = rows.length;
    const mean: number[] = [];
    const scale: number[] = [];
    for (let j = 0; j < width; j++) {
      let sum = 0;
      for (const row of rows) sum += row[j] as number;
      const columnMean = sum / n;
      let deviationSum = 0;
      let squareSum = 0;
      for (const row of rows) {
        const deviation = (row[j] as number) - columnMean;
        deviationSum += deviation;
        squareSum += deviation * deviation;
      }
      const variance = (squareSum - (deviationSum * deviationSum) / n) / n;
      const constantBound = n * Number.EPSILON * variance + (n * columnMean * Number.EPSILON) ** 2;
      mean.push(columnMean);
      scale.push(variance <= constantBound ? 1 : Math.sqrt(variance));
    }
    return new Standardizer(mean, scale);
  }

  /** Revives a Standardizer from {@link toJSON}'s output (`DW_DRIFT_INVALID_STATE` if invalid). */
  static fromJSON(state: StandardizerState): Standardizer {
    return Standardizer.read(new StateReader('Standardizer', state));
  }

  /** Reads a Standardizer's state with `reader` (also from inside another class's state). */
  static read(reader: StateReader): Standardizer {
    const mean = reader.doubles('mean', true);
    const scale = reader.doubles('scale', true);
    reader.require(mean.length > 0, 'mean must not be empty');
    reader.require(scale.length === mean.length, 'scale must be as long as mean');
    reader.require(
      scale.every((value) => value > 0),
      'every scale must be > 0',
    );
    return new Standardizer(mean, scale);
  }

  /** Means and scales as plain JSON (see {@link StandardizerState}), for `Standardizer.fromJSON`. */
  toJSON(): StandardizerState {
    return { mean: this.mean.map(toJsonNumber), scale: this.scale.map(toJsonNumber) };
  }

  /** `(row − mean) / scale`, column by column. */
  transform(row: ArrayLike<number>): Float64Array {
    requireRow(row, 'row', this.width);
    return this.#transform(row);
  }

  /** {@link transform} of every row. */
  transformRows(rows: readonly ArrayLike<number>[]): Float64Array[] {
    requireRows(rows, 'rows', this.width);
    return rows.map((row) => this.#transform(row));
  }

  #transform(row: ArrayLike<number>): Float64Array {
    const standardized = new Float64Array(this.width);
    for (let j = 0; j < this.width; j++) {
      standardized[j] = ((row[j] as number) - (this.mean[j] as number)) / (this.scale[j] as number);
    }
    return standardized;
  }
}
