import { z } from 'zod';

import {
  classLabel,
  featureValues,
  identifier,
  modelName,
  modelVersionNumber,
  timestampMs,
} from './common.js';

/** `predictions`, key `id`: one per scored event, naming the model version that scored it. */
export const predictionSchema = z.object({
  id: identifier,
  model: modelName,
  modelVersion: modelVersionNumber,
  /** The event's own timestamp. */
  ts: timestampMs,
  scoredAt: timestampMs,
  /** The model's probability of the positive class. */
  score: z.number().min(0).max(1),
  predicted: classLabel,
  features: featureValues,
});
export type Prediction = z.infer<typeof predictionSchema>;

/** `predictions-labeled`, key `model`: a prediction joined with its label. */
export const labeledPredictionSchema = predictionSchema.extend({
  label: classLabel,
  labelTs: timestampMs,
  /** labelTs − ts: how long the truth took to arrive, in event time. */
  labelDelayMs: z.number().int(),
});
export type LabeledPrediction = z.infer<typeof labeledPredictionSchema>;
