import { commonEnv } from '@driftwatch/service-kit';

/** Every environment variable the trainer service reads, with its default. */
export const trainerEnv = {
  ...commonEnv,
};
