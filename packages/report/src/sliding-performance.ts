import { WindowedClassificationMetrics } from '@driftwatch/drift';

import type { PerformanceMetric } from './model-report.js';
import { rounded } from './rounded.js';
import { windowEnds } from './window-ends.js';

/** One labeled prediction, reduced to what the metrics read, in event-time order. */
export interface ScoredOutcome {
  ts: number;
  label: number;
  predicted: number;
  score: number;
}

/**
 * Accuracy, F1 and ROC-AUC (positive class 1) over sliding windows of `window` outcomes, the
 * detector's own windowed metrics, evaluated where {@link windowEnds} says: at most `maxPoints`
 * points, each at the event time of its window's last outcome.
 *
 * @example
 * ```ts
 * const outcomes = [1, 0, 1, 1].map((label, i) => ({
 *   ts: 1000 * i,
 *   label,
 *   predicted: 1,
 *   score: 0.6 + i / 10,
 * }));
 * const series = slidingPerformance(outcomes, 2, 10);
 * series.ts; // => [0, 1000, 2000, 3000]
 * series.metrics.accuracy; // => [1, 0.5, 0.5, 1]
 * series.metrics.rocAuc; // => [null, 0, 1, null]
 * ```
 */
export function slidingPerformance(
  outcomes: readonly ScoredOutcome[],
  window: number,
  maxPoints: number,
): { ts: number[]; metrics: Record<PerformanceMetric, (number | null)[]> } {
  const metrics = new WindowedClassificationMetrics({ window, positiveLabel: 1 });
  const ts: number[] = [];
  const series: Record<PerformanceMetric, (number | null)[]> = { accuracy: [], f1: [], rocAuc: [] };
  const ends = windowEnds(outcomes.length, window, maxPoints);
  let next = 0;
  outcomes.forEach((outcome, index) => {
    metrics.update(outcome);
    if (ends[next] !== index) return;
    next++;
    ts.push(outcome.ts);
    series.accuracy.push(rounded(metrics.accuracy));
    series.f1.push(rounded(metrics.f1));
    series.rocAuc.push(rounded(metrics.rocAuc));
  });
  return { ts, metrics: series };
}
