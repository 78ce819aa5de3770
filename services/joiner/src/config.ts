import { commonEnv, redisEnv } from '@driftwatch/service-kit';

/** Every environment variable the joiner service reads, with its default. */
export const joinerEnv = {
  ...commonEnv,
  ...redisEnv,
};
