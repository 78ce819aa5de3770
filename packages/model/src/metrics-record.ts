import type { BinaryClassifierMetrics, ClassifierMetrics } from '@driftwatch/learn';

/**
 * Holdout metrics as the model-version message carries them (numbers only; NaN dropped). A
 * multiclass evaluation's per-class recall becomes one entry per class, `classRecall.<index>`.
 *
 * @example
 * ```ts
 * const holdout = { count: 10, accuracy: 0.9, precision: 1, recall: 0.8, f1: 0.9, rocAuc: NaN, logLoss: 0.3 };
 * metricsRecord(holdout); // => {"count":10,"accuracy":0.9,"precision":1,"recall":0.8,"f1":0.9,"logLoss":0.3}
 * const multiclass = { ...holdout, classCount: 3, classRecall: [1, NaN, 0.5] };
 * metricsRecord(multiclass)['classRecall.2']; // => 0.5
 * 'classRecall.1' in metricsRecord(multiclass); // => false
 * ```
 */
export function metricsRecord(
  metrics: BinaryClassifierMetrics | ClassifierMetrics,
): Record<string, number> {
  const entries: [string, unknown][] = Object.entries(metrics).flatMap(([name, value]) =>
    Array.isArray(value)
      ? value.map((item, index): [string, unknown] => [`${name}.${index}`, item])
      : [[name, value]],
  );
  return Object.fromEntries(
    entries.filter((entry): entry is [string, number] => Number.isFinite(entry[1])),
  );
}
