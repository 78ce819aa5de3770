import { integer } from './env.js';

/**
 * Variables bounding the records a service reads and the dead letters it writes; every service
 * that consumes spreads them into its environment.
 */
export const recordLimitsEnv = {
  /**
   * A record of an input topic with more key and value bytes than this is dead-lettered unread
   * (`DW_RECORD_TOO_LARGE`), so its output cannot outgrow the broker's limit either. 512 KiB;
   * `model-versions`, whose topic allows 16 MiB models, is bounded by its topic instead.
   */
  MAX_RECORD_BYTES: integer(512 * 1024, { min: 1024, max: 64 * 1024 * 1024 }),
  /**
   * The largest record the broker accepts on the dead-letter topic (`message.max.bytes`, 1 048 588
   * by default): a letter that would be larger keeps only a prefix of the record's value.
   */
  KAFKA_MAX_MESSAGE_BYTES: integer(1_000_000, { min: 65_536, max: 64 * 1024 * 1024 }),
};
