import { SchemaType, type SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { z } from 'zod';

import { readAvroSchema } from './avro-schema-file.js';
import { validate, type Codec } from './codec.js';
import { DecodeError, EncodeError } from './errors.js';
import { registrationFailure, schemaLookupFailure } from './schema-registry-failure.js';
import type { TopicDefinition } from './topic-catalog.js';

/** Confluent wire format header: magic byte 0, then the schema id as a big-endian int32. */
const wireHeaderLength = 5;
const magicByte = 0;

export interface AvroCodec<Message> extends Codec<Message> {
  /**
   * Registers the topic's schema under its subject and resolves its id. Registers once; after a
   * failure the next call tries again.
   */
  schemaId(): Promise<number>;
}

/**
 * Avro in the Confluent wire format, for one topic. Encodes with the id the topic's schema is
 * registered under; decodes a record written with any registered schema (the client fetches and
 * caches it by id), then checks the result against the topic's zod schema, as the JSON codec does.
 */
export function avroCodec<Schema extends z.ZodType>(
  definition: TopicDefinition<Schema>,
  options: {
    registry: SchemaRegistry;
    subject: string;
    /** Runs before each registration attempt: gives a new subject its compatibility level. */
    claimCompatibility: () => Promise<void>;
  },
): AvroCodec<z.output<Schema>> {
  const { registry, subject, claimCompatibility } = options;
  const { schema, bytesFields, baseName } = definition;
  let registration: Promise<number> | undefined;

  const register = async (): Promise<number> => {
    const avroSchema = await readAvroSchema(definition);
    await claimCompatibility();
    try {
      const { id } = await registry.register(
        { type: SchemaType.AVRO, schema: avroSchema },
        { subject },
      );
      return id;
    } catch (error) {
      throw registrationFailure(error, subject);
    }
  };

  const schemaId = (): Promise<number> => {
    if (registration) return registration;
    const pending = register();
    registration = pending;
    pending.catch(() => {
      if (registration === pending) registration = undefined;
    });
    return pending;
  };

  const codec: AvroCodec<z.output<Schema>> = {
    schemaId,
    async encode(message) {
      const id = await schemaId();
      try {
        return await registry.encode(id, withBufferFields(message, bytesFields));
      } catch (error) {
        throw unencodable(error, baseName);
      }
    },
    async decode(value) {
      if (value === null || value.length === 0) {
        throw new DecodeError('DW_EMPTY_MESSAGE', 'the record has no value');
      }
      if (value.length < wireHeaderLength || value[0] !== magicByte) {
        throw new DecodeError(
          'DW_MALFORMED_AVRO',
          `not in the Confluent wire format (magic byte 0, then a 4-byte schema id): the record starts with 0x${value.subarray(0, wireHeaderLength).toString('hex')}`,
        );
      }
      const writerSchemaId = value.readInt32BE(1);
      // Fetched apart from decoding so that a registry failure is never mistaken for bad bytes.
      try {
        await registry.getSchema(writerSchemaId);
      } catch (error) {
        throw schemaLookupFailure(error, writerSchemaId);
      }
      let decoded: unknown;
      try {
        decoded = await registry.decode(value);
      } catch (error) {
        throw new DecodeError(
          'DW_MALFORMED_AVRO',
          `not an Avro record of schema id ${writerSchemaId}: ${messageOf(error)}`,
          { cause: error },
        );
      }
      return validate(schema, decoded);
    },
    async decodeWithJson(value) {
      const message = await codec.decode(value);
      return { message, json: JSON.stringify(message) };
    },
  };
  return codec;
}

/** avsc writes `bytes` only from Buffers; the zod schemas accept any Uint8Array. */
function withBufferFields(message: unknown, bytesFields: readonly string[]): unknown {
  if (bytesFields.length === 0 || message === null || typeof message !== 'object') return message;
  const copy: Record<string, unknown> = { ...(message as Record<string, unknown>) };
  for (const field of bytesFields) {
    const value = copy[field];
    if (value instanceof Uint8Array && !Buffer.isBuffer(value)) {
      copy[field] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    }
  }
  return copy;
}

/** Names the fields that do not fit, from the paths the registry client collects. */
function unencodable(error: unknown, topic: string): EncodeError {
  const paths = (error as { paths?: unknown } | null)?.paths;
  const fields = Array.isArray(paths)
    ? paths.map((path) => (Array.isArray(path) ? path.map(String).join('.') : String(path)))
    : [];
  const where = fields.length > 0 ? ` (at ${fields.map((field) => field || '.').join(', ')})` : '';
  return new EncodeError(
    'DW_TOPICS_UNENCODABLE_MESSAGE',
    `cannot encode a ${topic} message as Avro${where}: ${messageOf(error)}`,
    { cause: error },
  );
}

/** An error's message, cut short: avsc quotes the offending value, which may be a whole model. */
function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 200 ? `${message.slice(0, 200)}…` : message;
}
