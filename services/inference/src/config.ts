import { commonEnv, decimal, text } from '@driftwatch/service-kit';

/** Every environment variable the inference service reads, with its default. */
export const inferenceEnv = {
  ...commonEnv,
  /** Default: `<TOPIC_PREFIX>driftwatch-inference`. */
  INFERENCE_GROUP_ID: text(''),
  /** A score at or above it predicts class 1. */
  INFERENCE_THRESHOLD: decimal(0.5, { min: 0, max: 1 }),
};
