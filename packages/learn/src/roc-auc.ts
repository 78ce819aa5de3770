/**
 * ROC AUC of `scores` against 0/1 `labels`: the Mann–Whitney U over P·N, with tied scores given
 * their average rank (so a tie counts half, as scikit-learn's trapezoids do). NaN when the labels
 * hold one class only (no pair to rank).
 */
export function rocAuc(y: Float64Array, p: Float64Array): number {
  const n = y.length;
  let positives = 0;
  for (const label of y) positives += label;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return NaN;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (p[a] ?? 0) - (p[b] ?? 0));
  let positiveRankSum = 0;
  for (let start = 0; start < n;) {
    const score = p[order[start] ?? 0];
    let end = start + 1;
    while (end < n && p[order[end] ?? 0] === score) end++;
    // Ranks start + 1 … end share their mean.
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) positiveRankSum += (y[order[k] ?? 0] ?? 0) * rank;
    start = end;
  }
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
