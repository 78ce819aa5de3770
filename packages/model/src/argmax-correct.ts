/**
 * Per row of row-major `probabilities` (`labels.length × classCount`), whether its most probable
 * class (the lowest index on a tie, as `evaluateClassifier` and inference decide) is the label.
 */
export function argmaxCorrect(
  probabilities: ArrayLike<number>,
  labels: readonly number[],
  classCount: number,
): boolean[] {
  return labels.map((label, i) => {
    let best = 0;
    for (let k = 1; k < classCount; k++) {
      if ((probabilities[i * classCount + k] ?? 0) > (probabilities[i * classCount + best] ?? 0)) {
        best = k;
      }
    }
    return best === label;
  });
}
