import { z } from 'zod';

import { identifier, labelValue, modelName, timestampMs } from './common.js';

/** `labels`, key `id`: the ground truth for an event, arriving later — or never. */
export const labelEventSchema = z.object({
  id: identifier,
  model: modelName,
  ts: timestampMs,
  /** A class name, or an integer naming the class "<integer>"; see `labelClassName`. */
  label: labelValue,
});
export type LabelEvent = z.infer<typeof labelEventSchema>;
