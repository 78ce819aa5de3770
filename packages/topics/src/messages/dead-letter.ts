import { z } from 'zod';

import { bytes, timestampMs } from './common.js';

/**
 * `dead-letter`, key = the original key: a record a service could not process, kept whole when
 * the letter fits under the broker's message limit. Otherwise `value` holds only a prefix, and
 * `valueTruncated`, `valueSize` and `valueSha256` say so and still identify the original, which
 * stays at `sourceTopic`/`partition`/`offset` until the topic's retention removes it.
 */
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
  /** Whether `value` is only the start of the original value. Absent in older letters: false. */
  valueTruncated: z.boolean().default(false),
  /** The original value's length in bytes; null for a tombstone and in older letters. */
  valueSize: z.number().int().nonnegative().nullable().default(null),
  /** SHA-256 of the original value, lowercase hex; null for a tombstone and in older letters. */
  valueSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable()
    .default(null),
});
export type DeadLetter = z.infer<typeof deadLetterSchema>;
