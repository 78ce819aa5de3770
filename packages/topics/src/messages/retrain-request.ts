import { z } from 'zod';

import { alarmSettingsSchema } from './alarm-calibration.js';
import { identifier, modelName, timestampMs } from './common.js';

/** `retrain-requested`, key `model`: ask the trainer for a challenger over [fromTs, toTs]. */
export const retrainRequestSchema = z.object({
  requestId: identifier,
  model: modelName,
  /**
   * `edge_cases`: the serving version has collected enough labeled edge cases (events where its
   * reference was sparse) to learn from. An underscore, as an Avro enum symbol cannot hold a hyphen.
   */
  reason: z.enum(['drift', 'performance', 'schedule', 'volume', 'manual', 'edge_cases']),
  alertId: z.string().nullable(),
  fromTs: timestampMs,
  toTs: timestampMs,
  /**
   * The window by offset in `predictions-labeled`, when the detector asked on labeled evidence:
   * the model's partition, the first record the window holds (null: from `fromTs`) and the last.
   * A batch's records share a millisecond, so `fromTs`/`toTs` alone bound a window only to the
   * batch; null or absent when no labeled record bounds it (data drift, a manual request, older
   * requests).
   */
  labeledOffsets: z
    .object({
      partition: z.number().int().nonnegative(),
      fromOffset: z.number().int().nonnegative().nullable(),
      toOffset: z.number().int().nonnegative(),
    })
    .nullable()
    .optional(),
  requestedAt: timestampMs,
  /** The incident that asked, when alerts did (its first alert's id); absent in older requests. */
  incidentId: z.string().nullable().optional(),
  /**
   * The asking detector's false-alarm budget and rule settings: the trainer calibrates the
   * challenger's rules under them. Null when the detector runs raw thresholds (and in manual and
   * older requests).
   */
  alarmSettings: alarmSettingsSchema.nullable().optional(),
});
export type RetrainRequest = z.infer<typeof retrainRequestSchema>;
