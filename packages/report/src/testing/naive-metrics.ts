/**
 * Accuracy, F1 and ROC-AUC written the slow, obvious way (ROC-AUC as the share of
 * positive–negative pairs ranked right, ties half): what tests check the report's series against.
 */
export function naiveMetrics(
  window: readonly { label: number; predicted: number; score: number }[],
): { accuracy: number; f1: number; rocAuc: number } {
  const correct = window.filter((o) => o.label === o.predicted).length;
  const tp = window.filter((o) => o.label === 1 && o.predicted === 1).length;
  const fp = window.filter((o) => o.label === 0 && o.predicted === 1).length;
  const fn = window.filter((o) => o.label === 1 && o.predicted === 0).length;
  const f1 = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  const positives = window.filter((o) => o.label === 1).map((o) => o.score);
  const negatives = window.filter((o) => o.label === 0).map((o) => o.score);
  let ranked = 0;
  for (const p of positives) for (const n of negatives) ranked += p > n ? 1 : p === n ? 0.5 : 0;
  const rocAuc =
    positives.length === 0 || negatives.length === 0
      ? NaN
      : ranked / (positives.length * negatives.length);
  return { accuracy: correct / window.length, f1, rocAuc };
}

/** A metric to 4 decimals as the report stores it; null for NaN. */
export function fourDecimals(value: number): number | null {
  return Number.isFinite(value) ? Math.round(value * 1e4) / 1e4 : null;
}
