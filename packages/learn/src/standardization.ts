import type { Standardization } from './trained-model.js';

/**
 * Column means and population standard deviations of row-major `values` (`rowCount × width`),
 * two-pass with compensated sums so a column far from zero (timestamps, amounts in cents) keeps
 * its digits. A constant column gets scale 1 and its value as mean, so it standardizes to exactly
 * 0 and cannot divide by zero: the same convention as scikit-learn's `StandardScaler`.
 */
export function fitStandardization(
  values: Float64Array,
  rowCount: number,
  width: number,
): Standardization {
  const mean: number[] = [];
  const scale: number[] = [];
  for (let j = 0; j < width; j++) {
    const first = values[j] ?? 0;
    let constant = true;
    let sum = 0;
    let compensation = 0;
    for (let i = 0; i < rowCount; i++) {
      const x = values[i * width + j] ?? 0;
      if (x !== first) constant = false;
      const total = sum + x;
      compensation += Math.abs(sum) >= Math.abs(x) ? sum - total + x : x - total + sum;
      sum = total;
    }
    if (constant) {
      mean.push(first);
      scale.push(1);
      continue;
    }
    const columnMean = (sum + compensation) / rowCount;
    let squares = 0;
    for (let i = 0; i < rowCount; i++) {
      const deviation = (values[i * width + j] ?? 0) - columnMean;
      squares += deviation * deviation;
    }
    const std = Math.sqrt(squares / rowCount);
    mean.push(columnMean);
    // Values that differ only in their last bits can round to a zero deviation sum.
    scale.push(std > 0 ? std : 1);
  }
  return { mean, scale };
}

/** `(x − mean) / scale` for every cell of row-major `values`, into a new array. */
export function standardize(
  values: Float64Array,
  rowCount: number,
  width: number,
  { mean, scale }: Standardization,
): Float64Array {
  const z = new Float64Array(rowCount * width);
  for (let j = 0; j < width; j++) {
    const m = mean[j] ?? 0;
    const s = scale[j] ?? 1;
    for (let i = 0; i < rowCount; i++) z[i * width + j] = ((values[i * width + j] ?? 0) - m) / s;
  }
  return z;
}
