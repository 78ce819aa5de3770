import type { z } from 'zod';

import { validate, type Codec } from './codec.js';
import { DecodeError } from './errors.js';
import { exactOutputCheck } from './exact-output-check.js';
import type { TopicDefinition } from './topic-catalog.js';

/** JSON values, bytes fields as base64: readable with any Kafka tool, the default. */
export function jsonCodec<Schema extends z.ZodType>(
  definition: TopicDefinition<Schema>,
): Codec<z.output<Schema>> {
  const { schema, bytesFields } = definition;
  /**
   * The message, and whether it is the record's JSON exactly as parsed. Throws a DecodeError;
   * synchronous, so that `decode` stays one promise.
   */
  const decodeRecord = (value: Buffer | null): { message: z.output<Schema>; asItWas: boolean } => {
    if (value === null || value.length === 0) {
      throw new DecodeError('DW_EMPTY_MESSAGE', 'the record has no value');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(value.toString('utf8'));
    } catch (error) {
      throw new DecodeError('DW_MALFORMED_JSON', `not JSON: ${(error as Error).message}`, {
        cause: error,
      });
    }
    // Bytes fields become Buffers after parsing, which no JSON Schema describes: zod decides.
    // The check is compiled on a topic's first decode, as a service makes every topic's codec
    // and reads two or three, and kept per schema.
    if (bytesFields.length === 0 && exactOutputCheck(schema)?.(parsed)) {
      return { message: parsed as z.output<Schema>, asItWas: true };
    }
    if (bytesFields.length > 0 && parsed !== null && typeof parsed === 'object') {
      const record = parsed as Record<string, unknown>;
      for (const field of bytesFields) {
        const encoded = record[field];
        if (typeof encoded === 'string') record[field] = Buffer.from(encoded, 'base64');
      }
    }
    return { message: validate(schema, parsed), asItWas: false };
  };
  return {
    encode(message) {
      let plain: unknown = message;
      if (bytesFields.length > 0) {
        const copy: Record<string, unknown> = { ...(message as Record<string, unknown>) };
        for (const field of bytesFields) {
          const value = copy[field];
          if (value instanceof Uint8Array) copy[field] = Buffer.from(value).toString('base64');
        }
        plain = copy;
      }
      return Promise.resolve(Buffer.from(JSON.stringify(plain)));
    },
    decode(value) {
      try {
        return Promise.resolve(decodeRecord(value).message);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
    decodeWithJson(value) {
      try {
        const { message, asItWas } = decodeRecord(value);
        // As it was: JSON.parse of these bytes is the message.
        const json = asItWas && value ? value : JSON.stringify(message);
        return Promise.resolve({ message, json });
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
  };
}
