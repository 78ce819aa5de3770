import { z } from 'zod';

import { featureValues, identifier, modelName, timestampMs } from './common.js';

/** `events`, key `id`: what a user's application produces to have it scored. */
export const featureEventSchema = z.object({
  id: identifier,
  model: modelName,
  ts: timestampMs,
  features: featureValues,
});
export type FeatureEvent = z.infer<typeof featureEventSchema>;
