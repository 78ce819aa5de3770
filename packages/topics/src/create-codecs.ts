import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';

import type { z } from 'zod';

import { avroCodec } from './avro-codec.js';
import type { Codec } from './codec.js';
import { jsonCodec } from './json-codec.js';
import { registryClientId } from './schema-registry-failure.js';
import { claimSubjectCompatibility } from './subject-compatibility.js';
import {
  topicCatalog,
  topicIds,
  type MessageOf,
  type TopicId,
  type TopicDefinition,
  type TopicNames,
} from './topic-catalog.js';

/** A codec for every topic, typed by the topic's message. */
export type Codecs = { readonly [Id in TopicId]: Codec<MessageOf<Id>> };

export interface CreateCodecsOptions {
  /** `''`: JSON codecs, no I/O. A URL: Avro in the Confluent wire format, schemas registered there. */
  schemaRegistryUrl: string;
  /** The deployment's topic names; subjects are `<topic name>-value` (TopicNameStrategy). */
  names: TopicNames;
  /**
   * Topics whose schemas are registered at start, so that a registry problem stops the service
   * before it consumes anything (default: every topic). Another topic's schema is registered on
   * its first encode; decoding never needs a registration.
   */
  topics?: readonly TopicId[];
  /** How long one registry request may take before it counts as unavailable (default 10 000). */
  registryTimeoutMs?: number;
}

const defaultRegistryTimeoutMs = 10_000;

type RegistryMiddleware = NonNullable<
  ConstructorParameters<typeof SchemaRegistry>[0]['middlewares']
>[number];

/**
 * Builds the codecs a service reads and writes with. With a Schema Registry, registers the schemas
 * of `topics` first and rejects with a {@link SchemaRegistryError} when it cannot: `retriable` when
 * the registry is unavailable, not when it rejects a schema (e.g. an incompatible change).
 */
export async function createCodecs(options: CreateCodecsOptions): Promise<Codecs> {
  if (options.schemaRegistryUrl === '') {
    return byTopic((_id, definition) => jsonCodec(definition)) as Codecs;
  }
  const registryUrl = options.schemaRegistryUrl;
  const timeoutMs = options.registryTimeoutMs ?? defaultRegistryTimeoutMs;
  const registry = new SchemaRegistry({
    host: registryUrl,
    clientId: registryClientId,
    middlewares: [requestTimeout(timeoutMs)],
  });
  const codecs = byTopic((id, definition) => {
    const subject = `${options.names[id]}-value`;
    return avroCodec(definition, {
      registry,
      subject,
      claimCompatibility: () => claimSubjectCompatibility({ registryUrl, subject, timeoutMs }),
    });
  });
  await Promise.all((options.topics ?? topicIds).map((id) => codecs[id].schemaId()));
  return codecs as Codecs;
}

/**
 * One codec per topic. Typed per topic only by the cast at the call sites, which is sound because
 * each codec is made from its own topic's definition.
 */
function byTopic<TopicCodec>(
  make: (id: TopicId, definition: TopicDefinition<z.ZodType>) => TopicCodec,
): Readonly<Record<TopicId, TopicCodec>> {
  return Object.fromEntries(topicIds.map((id) => [id, make(id, topicCatalog[id])])) as Record<
    TopicId,
    TopicCodec
  >;
}

/**
 * The client sets no timeout, so a registry that accepts connections but never answers would
 * stall a service at start or on its first record of a new schema id; a timed-out request fails
 * like an unreachable registry, retriably.
 */
function requestTimeout(timeoutMs: number): RegistryMiddleware {
  return () => ({
    async prepareRequest(next) {
      const request = await next();
      return request.timeout() ? request : request.enhance({ timeout: timeoutMs });
    },
  });
}
