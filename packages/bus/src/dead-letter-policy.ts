import type { Codec, DeadLetter } from '@driftwatch/topics';

/**
 * How the bus dead-letters records a handler must not or could not process: those over the size
 * limit, and those a handler throws on (see `processBatch`). The handler's own letters (a record
 * that does not decode) are its business.
 */
export interface DeadLetterPolicy {
  /** Named in each letter: the service that gave up. */
  service: string;
  /** The dead-letter topic. */
  topic: string;
  codec: Codec<DeadLetter>;
  /**
   * The largest record (key plus value bytes) handed to the handler, per input topic: a larger
   * one is dead-lettered unread (`DW_RECORD_TOO_LARGE`).
   */
  maxRecordBytes: (topic: string) => number;
  /** The largest record the broker takes on the dead-letter topic; larger letters are cut down. */
  maxMessageBytes: number;
  /** Stamps the letters' `failedAt`. */
  now: () => number;
}
