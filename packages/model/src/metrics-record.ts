import type { BinaryClassifierMetrics } from '@driftwatch/learn';

/**
 * Holdout metrics as the model-version message carries them (numbers only; NaN dropped).
 *
 * @example
 * ```ts
 * const holdout = { count: 10, accuracy: 0.9, precision: 1, recall: 0.8, f1: 0.9, rocAuc: NaN, logLoss: 0.3 };
 * metricsRecord(holdout); // => {"count":10,"accuracy":0.9,"precision":1,"recall":0.8,"f1":0.9,"logLoss":0.3}
 * ```
 */
export function metricsRecord(metrics: BinaryClassifierMetrics): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).filter(([, value]) => Number.isFinite(value)));
}
