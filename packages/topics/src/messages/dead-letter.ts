import { z } from 'zod';

import { bytes, timestampMs } from './common.js';

/** `dead-letter`, key = the original key: a record a service could not process, kept whole. */
export const deadLetterSchema = z.object({
  service: z.string().min(1),
  sourceTopic: z.string().min(1),
  partition: z.number().int().nonnegative(),
  /** Kafka offsets are 64-bit; kept as a decimal string. */
  offset: z.string().regex(/^\d+$/),
  /**
   * A `DeadLetterCode` for dashboards, and the human reason. Read as any string: a reader
   * must not refuse a letter written by a newer service that knows one more code.
   */
  code: z.string().min(1),
  reason: z.string().min(1),
  key: bytes.nullable(),
  value: bytes.nullable(),
  failedAt: timestampMs,
});
export type DeadLetter = z.infer<typeof deadLetterSchema>;
