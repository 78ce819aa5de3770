import { z } from 'zod';

import { classLabel, identifier, modelName, timestampMs } from './common.js';

/** `labels`, key `id`: the ground truth for an event, arriving later — or never. */
export const labelEventSchema = z.object({
  id: identifier,
  model: modelName,
  ts: timestampMs,
  label: classLabel,
});
export type LabelEvent = z.infer<typeof labelEventSchema>;
