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
  /**
   * The Kafka record that completed the alert's evidence (a labeled prediction, or a batch of
   * features), so a reader can find it without knowing how the detector derives alert ids. Null
   * when the alert does not come from one record.
   */
  evidence: z
    .object({
      topic: z.string().min(1),
      partition: z.number().int().nonnegative(),
      /** Kafka offsets are 64-bit; kept as a decimal string. */
      offset: z.string().regex(/^\d+$/),
    })
    .nullable(),
  /**
   * For people: what changed, by how much, against what, since when ("sea v2: the error rate
   * rose from 10.2% to 31.0% …"). Empty in alerts written before alerts carried one.
   */
  summary: z.string().default(''),
});
export type DriftAlert = z.infer<typeof driftAlertSchema>;
