/** Row sums may miss 1 by this much: float32 softmax and tree averages round. */
export const ROW_SUM_TOLERANCE = 1e-3;
/** Values may dip this far below 0: a probability computed as 1 - p can round just under. */
const NEGATIVE_TOLERANCE = 1e-6;

export interface ProbabilityCheck {
  /** Every row is non-negative and sums to 1 ± `ROW_SUM_TOLERANCE`. */
  readonly ok: boolean;
  readonly rows: number;
  readonly min: number;
  readonly max: number;
  /** The largest |row sum - 1| (NaN when a row has a NaN). */
  readonly maxRowSumError: number;
  /** Index of the first row that fails, or -1. */
  readonly firstBadRow: number;
}

/**
 * Checks that row-major `values`, `width` per row, are probabilities: non-negative rows summing to
 * 1. A classifier's [N, K] output and a regressor's (bad-regressor.onnx) can have the same shape;
 * only the values on real rows tell them apart. NaN fails.
 *
 * @example
 * ```ts
 * checkProbabilities([0.2, 0.8, 0.5, 0.5], 2).ok; // => true
 * checkProbabilities([0.5, 0.5, 1.5, -0.5, 3, 1], 2); // => {"ok":false,"rows":3,"min":-0.5,"max":3,"maxRowSumError":3,"firstBadRow":1}
 * ```
 */
export function checkProbabilities(values: ArrayLike<number>, width: number): ProbabilityCheck {
  const rows = Math.floor(values.length / width);
  let min = Infinity;
  let max = -Infinity;
  let maxRowSumError = 0;
  let firstBadRow = -1;
  for (let row = 0; row < rows; row++) {
    let sum = 0;
    let nonNegative = true;
    for (let column = 0; column < width; column++) {
      const value = values[row * width + column] ?? NaN;
      sum += value;
      if (value < min) min = value;
      if (value > max) max = value;
      // Written so that NaN fails: every comparison with NaN is false.
      if (!(value >= -NEGATIVE_TOLERANCE)) nonNegative = false;
    }
    const sumError = Math.abs(sum - 1);
    // A NaN row sum stays the answer: no later row can be further from 1 than that.
    if (sumError > maxRowSumError || Number.isNaN(sumError)) maxRowSumError = sumError;
    if ((!nonNegative || !(sumError <= ROW_SUM_TOLERANCE)) && firstBadRow < 0) firstBadRow = row;
  }
  return { ok: firstBadRow < 0, rows, min, max, maxRowSumError, firstBadRow };
}
