import type { BinaryClassifierMetrics, ClassifierMetrics } from '@driftwatch/learn';
import type { ScoreCalibration } from '@driftwatch/topics';

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

/**
 * The holdout's expected calibration error before and after calibration, as metrics entries
 * (`calibrationErrorBefore`, `calibrationErrorAfter`); none without a calibration.
 *
 * @example
 * ```ts
 * const scores = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 0.2 : 0.9));
 * const labels = scores.map((score) => (score > 0.5 ? 1 : 0));
 * const calibration = fitScoreCalibration({ scores, labels, threshold: 0.5 });
 * calibrationMetrics(calibration); // => {"calibrationErrorBefore":0.15,"calibrationErrorAfter":0.15}
 * calibrationMetrics(null); // => {}
 * ```
 */
export function calibrationMetrics(calibration: ScoreCalibration | null): Record<string, number> {
  return calibration
    ? {
        calibrationErrorBefore: calibration.calibrationErrorBefore,
        calibrationErrorAfter: calibration.calibrationErrorAfter,
      }
    : {};
}
