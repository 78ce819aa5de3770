/**
 * Squared Euclidean distance between two rows of the same width, summed column by column.
 * scikit-learn's Lloyd step expands it as ‖c‖² − 2x·c instead (a matrix product); the direct sum is
 * more accurate and differs only in the last bits, which is far inside the goldens' 1e-9.
 */
export function squaredDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) {
    const difference = (a[j] as number) - (b[j] as number);
    sum += difference * difference;
  }
  return sum;
}
