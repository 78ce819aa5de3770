import { commonEnv } from '@driftwatch/service-kit';

/** Every environment variable the detector service reads, with its default. */
export const detectorEnv = {
  ...commonEnv,
};
