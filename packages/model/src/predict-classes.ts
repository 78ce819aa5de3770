/**
 * The predicted class of each row of row-major `probabilities` (`rowCount × classCount`): for two
 * classes, class 1 when its probability is at least `threshold`; for more, the most probable
 * class, the lowest index on a tie (as `evaluateClassifier` decides).
 *
 * @example
 * ```ts
 * predictClasses([0.3, 0.7, 0.6, 0.4], 2, 0.65); // => [1, 0]
 * predictClasses([0.2, 0.5, 0.3, 0.4, 0.2, 0.4], 3, 0.5); // => [1, 0]
 * ```
 */
export function predictClasses(
  probabilities: ArrayLike<number>,
  classCount: number,
  threshold: number,
): number[] {
  const rowCount = Math.floor(probabilities.length / classCount);
  return Array.from({ length: rowCount }, (_, i) => {
    const row = i * classCount;
    if (classCount === 2) return (probabilities[row + 1] ?? 0) >= threshold ? 1 : 0;
    let best = 0;
    for (let k = 1; k < classCount; k++) {
      if ((probabilities[row + k] ?? 0) > (probabilities[row + best] ?? 0)) best = k;
    }
    return best;
  });
}
