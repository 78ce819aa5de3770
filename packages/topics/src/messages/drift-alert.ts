import { z } from 'zod';

import { identifier, modelName, modelVersionNumber, timestampMs } from './common.js';

/** `drift-alerts`, key `model`: one per drift, not one per event (the detector debounces). */
export const driftAlertSchema = z.object({
  alertId: identifier,
  model: modelName,
  modelVersion: modelVersionNumber,
  kind: z.enum(['concept', 'data', 'performance']),
  /** Which rule fired: adwin, block-accuracy, psi, ks, window-accuracy, … */
  detector: z.string().min(1),
  feature: z.string().nullable(),
  statistic: z.number(),
  threshold: z.number(),
  windowStart: timestampMs,
  windowEnd: timestampMs,
  observedAt: timestampMs,
  severity: z.enum(['info', 'warning', 'critical']),
});
export type DriftAlert = z.infer<typeof driftAlertSchema>;
