import { z } from 'zod';

import {
  classIndex,
  className,
  featureValues,
  identifier,
  modelName,
  modelVersionNumber,
  timestampMs,
} from './common.js';
import { edgeCaseVerdictSchema } from './prediction.js';

/**
 * `edge-cases`, key `id`: an event that fell where the serving version's reference was sparse, as
 * inference scored it — the event, its prediction, its nearest reference cluster, its distance and
 * the rule that fired. Written in the same transaction as the event's prediction, so each edge case
 * is here exactly once; its label reaches it through `predictions-labeled`, whose record carries
 * the same `edgeCase`.
 */
export const edgeCaseSchema = z.object({
  id: identifier,
  model: modelName,
  modelVersion: modelVersionNumber,
  /** The event's own timestamp. */
  ts: timestampMs,
  scoredAt: timestampMs,
  features: featureValues,
  /** The predicted class, as an index into `classes`. */
  predicted: classIndex,
  classes: z.array(className).min(2),
  /** As the prediction's `score`. */
  score: z.number().min(0).max(1),
  edgeCase: edgeCaseVerdictSchema,
});
export type EdgeCaseRecord = z.infer<typeof edgeCaseSchema>;
