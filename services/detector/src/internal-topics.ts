import { deploymentNames } from '@driftwatch/bus';
import { z } from 'zod';

/**
 * The detector's own topics, in the manner of Kafka Streams' internal topics. Always JSON: only
 * the detector reads them.
 *
 * - `<prefix>driftwatch-detector-features-repartition`, key model: the predictions of one input
 *   batch for one model version, as columns. `predictions` is keyed by event id, so one model's
 *   predictions are spread over every partition; re-keyed by model, each model's data drift is
 *   judged by exactly one consumer, whatever the number of detector instances.
 * - `<prefix>driftwatch-detector-state-changelog`, compacted, key a `StateKey` (`concept/<model>`
 *   or `data/<model>`): the state of each model's monitors, written in the same transaction as the
 *   alerts and offsets of the batch that produced it, so a restarted detector resumes exactly.
 */
export interface InternalTopicNames {
  features: string;
  state: string;
}

export function internalTopicNames(prefix: string): InternalTopicNames {
  const deployment = deploymentNames(prefix);
  return {
    features: deployment.internalTopic('detector', 'features-repartition'),
    state: deployment.internalTopic('detector', 'state-changelog'),
  };
}

export const featureBatchSchema = z.object({
  model: z.string().min(1),
  modelVersion: z.number().int().positive(),
  /** Kafka timestamp of each prediction. */
  timestamps: z.array(z.number()),
  scores: z.array(z.number()),
  /** Multiclass: each class's probability column, in class order; empty for binary models. */
  classProbabilities: z.array(z.array(z.number())).default([]),
  /** Feature name → its value in each prediction (null where a prediction lacked it). */
  features: z.record(z.string(), z.array(z.number().nullable())),
});
export type FeatureBatch = z.infer<typeof featureBatchSchema>;
