/** One row of a classifier's output as inference serves it. */
export interface ServedRow {
  /** The row's probabilities, each clamped to [0, 1]: a model's float error never leaves it. */
  probabilities: number[];
  /**
   * The prediction's score: for two classes the positive class's (`classes[1]`) probability, for
   * more the predicted class's, the model's confidence.
   */
  score: number;
}

/**
 * Row `row` of row-major `probabilities` (`rowCount × classCount`) as inference serves it, given
 * its predicted class (`predictClasses`); null when one of its probabilities is not finite (or
 * `predicted` is not one of its classes), a row inference serves no prediction for (it
 * dead-letters the event). Inference, its shadows and the
 * report's never-retrained line all score a row this way.
 *
 * @example
 * ```ts
 * servedRow([0.3, 0.7, -1e-9, 1.000001], 1, 2, 1); // => {"probabilities": [0, 1], "score": 1}
 * servedRow([0.2, 0.5, 0.3], 0, 3, 1); // => {"probabilities": [0.2, 0.5, 0.3], "score": 0.5}
 * servedRow([NaN, 1], 0, 2, 1); // => null
 * ```
 */
export function servedRow(
  probabilities: ArrayLike<number>,
  row: number,
  classCount: number,
  predicted: number,
): ServedRow | null {
  // A plain loop: this runs once per event, and `Array.from(subarray(…))` with `every` and `map`
  // cost inference about 2% of its CPU in a profile.
  const clamped = new Array<number>(classCount);
  for (let k = 0; k < classCount; k++) {
    const p = probabilities[row * classCount + k] ?? Number.NaN;
    if (!Number.isFinite(p)) return null;
    clamped[k] = Math.min(1, Math.max(0, p));
  }
  const score = classCount === 2 ? clamped[1] : clamped[predicted];
  return score === undefined ? null : { probabilities: clamped, score };
}
