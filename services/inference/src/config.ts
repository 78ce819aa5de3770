import { commonEnv, decimal, recordLimitsEnv, text } from '@driftwatch/service-kit';

/** Every environment variable the inference service reads, with its default. */
export const inferenceEnv = {
  ...commonEnv,
  ...recordLimitsEnv,
  /** Default: `<TOPIC_PREFIX>driftwatch-inference`. */
  INFERENCE_GROUP_ID: text(''),
  /**
   * Overrides every binary version's own threshold (a probability of its second class at or
   * above it predicts that class). 0, the default, keeps each version's (0.5 unless registered
   * with another).
   */
  INFERENCE_THRESHOLD: decimal(0, { min: 0, max: 1 }),
};
