import { commonEnv } from '@driftwatch/service-kit';

/** Every environment variable the inference service reads, with its default. */
export const inferenceEnv = {
  ...commonEnv,
};
