import { commonEnv, integer, recordLimitsEnv, redisEnv, text } from '@driftwatch/service-kit';

/** Every environment variable the joiner service reads, with its default. */
export const joinerEnv = {
  ...commonEnv,
  ...recordLimitsEnv,
  ...redisEnv,
  /** Default: `<TOPIC_PREFIX>driftwatch-joiner`. */
  JOINER_GROUP_ID: text(''),
  /** How long a prediction waits for its label (and a label for its prediction). 7 days. */
  JOIN_TTL_SECONDS: integer(7 * 24 * 3600, { min: 1 }),
  /** How often expired pairs are counted and forgotten. */
  JOIN_SWEEP_INTERVAL_MS: integer(10_000, { min: 100 }),
  /**
   * Partitions whose batches are joined at once (bus `partitionsConcurrently`): a label waits for
   * one transaction, not one per partition fetched with it. Safe because each pair's transition
   * is atomic in Redis whichever batch brings it. 1: one batch after the other.
   */
  JOINER_CONCURRENT_PARTITIONS: integer(6, { min: 1, max: 64 }),
  /** Redis keys start with this, then TOPIC_PREFIX. */
  REDIS_KEY_PREFIX: text('driftwatch:'),
};
