import type { Logger } from '@driftwatch/service-kit';
import {
  createCodecs,
  topicNames,
  type Codecs,
  type TopicId,
  type TopicNames,
} from '@driftwatch/topics';

import { catalogTopicSpecs } from './catalog-topics.js';
import type { Kafka } from './kafka.js';
import { createKafkaClient } from './kafka-client.js';
import { withRetry } from './retry.js';
import { provisionTopics, type TopicSpec } from './topic-provisioning.js';

/** The variables of a service's configuration the bus needs (service-kit's `commonEnv`). */
export interface ServiceBusConfig {
  KAFKA_BROKERS: string[];
  TOPIC_PREFIX: string;
  SCHEMA_REGISTRY_URL: string;
  INSTANCE_ID: string;
  KAFKA_TOPIC_PARTITIONS: number;
  KAFKA_REPLICATION_FACTOR: number;
}

export interface ServiceBus {
  kafka: Kafka;
  names: TopicNames;
  codecs: Codecs;
  /** The consumer group: the override, or `<TOPIC_PREFIX>driftwatch-<service>`. */
  groupId: string;
  /** Stable across restarts of one instance, unique per instance: a restart fences its predecessor. */
  transactionalId: string;
}

/**
 * What every service does first: a Kafka client logging through the service's logger, the
 * topics it reads and writes created if missing (`extraTopics`: its internal ones), and its
 * codecs — retried while a schema registry is unreachable, so services may start before it.
 */
export async function connectServiceBus(options: {
  service: string;
  config: ServiceBusConfig;
  logger: Logger;
  topics: readonly TopicId[];
  extraTopics?: readonly TopicSpec[];
  /** The service's `*_GROUP_ID` variable; empty means the default. */
  groupId?: string;
  signal?: AbortSignal;
}): Promise<ServiceBus> {
  const { config, logger } = options;
  const names = topicNames(config.TOPIC_PREFIX);
  const kafka = createKafkaClient({
    brokers: config.KAFKA_BROKERS,
    clientId: `driftwatch-${options.service}-${config.INSTANCE_ID}`,
    logger,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const sizing = {
      partitions: config.KAFKA_TOPIC_PARTITIONS,
      replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    };
    await provisionTopics(admin, [
      ...catalogTopicSpecs(names, options.topics, sizing),
      ...(options.extraTopics ?? []),
    ]);
  } finally {
    await admin.disconnect();
  }
  const codecs = await withRetry(
    () =>
      createCodecs({
        schemaRegistryUrl: config.SCHEMA_REGISTRY_URL,
        names,
        topics: options.topics,
      }),
    {
      ...(options.signal ? { signal: options.signal } : {}),
      onRetry: (error, attempt, delayMs) => {
        logger.warn(
          { event: 'schema_registry.retry', attempt, delayMs, err: error },
          'schema registry unreachable; retrying',
        );
      },
    },
  );
  return {
    kafka,
    names,
    codecs,
    groupId: options.groupId || `${config.TOPIC_PREFIX}driftwatch-${options.service}`,
    transactionalId: `${config.TOPIC_PREFIX}driftwatch-${options.service}-${config.INSTANCE_ID}`,
  };
}
