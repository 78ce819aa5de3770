import { deploymentNames, featureSketchTopic } from '@driftwatch/bus';

/**
 * The topics the detector reads or writes beyond the catalog's.
 *
 * - `<prefix>driftwatch-inference-feature-sketches`, key model: inference's feature sketches
 *   (`@driftwatch/topics` FeatureSketch), one per batch and model version, written in the same
 *   transaction as the predictions they sum up. Keyed by model, so each model's data drift is
 *   judged by exactly one consumer, whatever the number of detector instances, without the
 *   detector reading `predictions` (keyed by event id) and re-keying them itself.
 * - `<prefix>driftwatch-detector-state-changelog`, compacted, key a `StateKey` (`concept/<model>`
 *   or `data/<model>`): the state of each model's monitors, written in the same transaction as the
 *   alerts and offsets of the batch that produced it, so a restarted detector resumes exactly.
 *   Always JSON: only the detector reads it.
 */
export interface InternalTopicNames {
  sketches: string;
  state: string;
}

export function internalTopicNames(prefix: string): InternalTopicNames {
  return {
    sketches: featureSketchTopic(prefix),
    state: deploymentNames(prefix).internalTopic('detector', 'state-changelog'),
  };
}
