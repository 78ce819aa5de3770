import type { z } from 'zod';

import { DecodeError } from './errors.js';

/** Turns one topic's messages into record values and back. */
export interface Codec<Message> {
  encode(message: Message): Promise<Buffer>;
  /** Rejects with a DecodeError naming what is wrong, for the dead-letter topic. */
  decode(value: Buffer | null): Promise<Message>;
  /**
   * `decode`, and the message as JSON text, for a store that keeps messages as JSON (the
   * joiner's Redis): the record's own bytes where the codec took them as they were, so the
   * message is not encoded again; otherwise the message, stringified. Bytes fields have no JSON
   * form that parses back: for topics without them.
   */
  decodeWithJson(value: Buffer | null): Promise<{ message: Message; json: Buffer | string }>;
}

/** Validates a decoded value against the topic's schema; the reason names the failing field. */
export function validate<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const reasons = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  throw new DecodeError('DW_SCHEMA_VIOLATION', reasons.join('; '));
}
