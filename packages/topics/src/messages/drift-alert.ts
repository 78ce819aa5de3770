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
  /**
   * With a false-alarm budget (`DETECTOR_FALSE_ALARM_EVERY`): the mean run length between false
   * alarms the rule's threshold was calibrated to, in the events it counts (labeled predictions
   * for concept rules, predictions for data rules); a lower bound, the events simulated, when the
   * simulation saw no false alarm at all. Null when the rule ran on a raw threshold, and in alerts
   * written before.
   */
  expectedRunLength: z.number().positive().nullable().default(null),
  /**
   * The incident the alert belongs to: the id of its first alert. Alerts of one model version
   * within `DETECTOR_INCIDENT_WINDOW_MS` of each other, from any rule, are one drift, one
   * incident, and at most one retrain request. Absent in alerts written before.
   */
  incidentId: identifier.nullable().optional(),
});
export type DriftAlert = z.infer<typeof driftAlertSchema>;
