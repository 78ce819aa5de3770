import type { BinaryClassifierMetrics } from '@driftwatch/learn';

/** Holdout metrics as the model-version message carries them (numbers only; NaN dropped). */
export function metricsRecord(metrics: BinaryClassifierMetrics): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).filter(([, value]) => Number.isFinite(value)));
}
