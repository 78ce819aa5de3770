import { z } from 'zod';

import { identifier, modelName, timestampMs } from './common.js';

/** `retrain-requested`, key `model`: ask the trainer for a challenger over [fromTs, toTs]. */
export const retrainRequestSchema = z.object({
  requestId: identifier,
  model: modelName,
  reason: z.enum(['drift', 'performance', 'schedule', 'volume', 'manual']),
  alertId: z.string().nullable(),
  fromTs: timestampMs,
  toTs: timestampMs,
  requestedAt: timestampMs,
});
export type RetrainRequest = z.infer<typeof retrainRequestSchema>;
