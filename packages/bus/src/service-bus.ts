import { kafkaSecurity, type KafkaSecurityVars, type Logger } from '@driftwatch/service-kit';
import {
  createCodecs,
  topicCatalog,
  topicIds,
  topicNames,
  type Codecs,
  type ModelVersion,
  type TopicId,
  type TopicNames,
} from '@driftwatch/topics';

import { catalogTopicSpecs } from './catalog-topics.js';
import { defaultMaxMessageBytes } from './dead-letter.js';
import {
  deploymentNames,
  type DeploymentMember,
  type DeploymentNames,
} from './deployment-names.js';
import type { Kafka } from './kafka.js';
import { createKafkaClient } from './kafka-client.js';
import { kafkaCredentialsRefused } from './kafka-credentials-refused.js';
import { followModelRegistry, type ModelRegistryFollower } from './model-registry-follower.js';
import { withRetry } from './retry.js';
import { BusError } from './errors.js';
import { provisionTopics, type TopicSpec } from './topic-provisioning.js';
import {
  startTransactionalProcessor,
  type RunningProcessor,
  type TransactionalProcessorOptions,
} from './transactional-processor.js';

/** The variables of a service's configuration the bus needs (service-kit's `commonEnv`). */
export interface ServiceBusConfig extends Partial<KafkaSecurityVars> {
  KAFKA_BROKERS: string[];
  TOPIC_PREFIX: string;
  SCHEMA_REGISTRY_URL: string;
  INSTANCE_ID: string;
  KAFKA_TOPIC_PARTITIONS: number;
  KAFKA_REPLICATION_FACTOR: number;
  /** Records of catalog topics larger than this are dead-lettered unread (default 512 KiB). */
  MAX_RECORD_BYTES?: number;
  /** The broker's limit a dead letter must fit under (default 1 000 000). */
  KAFKA_MAX_MESSAGE_BYTES?: number;
  /** How long the group waits for a silent member before handing its partitions on. */
  KAFKA_SESSION_TIMEOUT?: number;
}

/**
 * The size limit per input topic: `MAX_RECORD_BYTES` for the catalog's topics, or the topic's own
 * `max.message.bytes` where the catalog raises it (`model-versions`); none for a service's
 * internal topics, whose records the service wrote itself.
 */
function recordLimits(names: TopicNames, maxRecordBytes: number): (topic: string) => number {
  const limits = new Map<string, number>();
  for (const id of topicIds) {
    const own = (topicCatalog[id].configs as Record<string, string>)['max.message.bytes'];
    limits.set(names[id], Math.max(maxRecordBytes, own === undefined ? 0 : Number(own)));
  }
  return (topic) => limits.get(topic) ?? Infinity;
}

export interface ServiceBus {
  kafka: Kafka;
  names: TopicNames;
  codecs: Codecs;
  /** Every Kafka name of the deployment (follower groups, internal topics). */
  deployment: DeploymentNames;
  /** The consumer group: the override, or `<TOPIC_PREFIX>driftwatch-<service>`. */
  groupId: string;
  /** Follows `model-versions` into a registry, in a follower group named for this service. */
  followRegistry(options?: {
    onVersion?: (version: ModelVersion) => Promise<void> | void;
  }): Promise<ModelRegistryFollower>;
  /** Starts the service's exactly-once processor in its consumer group. */
  startProcessor(
    options: Omit<TransactionalProcessorOptions, 'kafka' | 'groupId'>,
  ): Promise<RunningProcessor>;
}

/**
 * What every service does first: a Kafka client logging through the service's logger, the
 * topics it reads and writes created if missing (`extraTopics`: its internal ones), and its
 * codecs — retried while a schema registry is unreachable, so services may start before it.
 */
export async function connectServiceBus(options: {
  service: DeploymentMember;
  config: ServiceBusConfig;
  logger: Logger;
  topics: readonly TopicId[];
  extraTopics?: readonly TopicSpec[];
  /**
   * Topics the service keeps one state per key across, the first a catalog topic: they must have
   * as many partitions each, or one key's records would reach different members. Those of
   * `extraTopics` are created with the first's count; an existing one that differs stops the
   * service with `DW_BUS_NOT_CO_PARTITIONED`.
   */
  coPartitioned?: readonly string[];
  /** The service's `*_GROUP_ID` variable; empty means the default. */
  groupId?: string;
  signal?: AbortSignal;
}): Promise<ServiceBus> {
  const { config, logger } = options;
  const names = topicNames(config.TOPIC_PREFIX);
  const deployment = deploymentNames(config.TOPIC_PREFIX);
  const kafka = createKafkaClient({
    brokers: config.KAFKA_BROKERS,
    clientId: deployment.clientId(options.service, config.INSTANCE_ID),
    logger,
    security: kafkaSecurity(config),
  });
  const admin = kafka.admin();
  await admin.connect().catch((error: unknown) => {
    throw kafkaCredentialsRefused(error) ?? error;
  });
  try {
    const sizing = {
      partitions: config.KAFKA_TOPIC_PARTITIONS,
      replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    };
    await provisionTopics(admin, catalogTopicSpecs(names, options.topics, sizing));
    // The service's own topics that must be co-partitioned with the first named are created
    // with its partition count, as Kafka Streams sizes a repartition topic after its source.
    const [leader, ...followers] = options.coPartitioned ?? [];
    const partitionsOf = async (topics: string[]) =>
      (await admin.fetchTopicMetadata({ topics })).topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.length,
      }));
    const leaderPartitions = leader ? (await partitionsOf([leader]))[0]?.partitions : undefined;
    await provisionTopics(
      admin,
      (options.extraTopics ?? []).map((spec) =>
        leaderPartitions !== undefined && followers.includes(spec.topic)
          ? { ...spec, partitions: leaderPartitions }
          : spec,
      ),
    );
    if (leader && followers.length > 0) {
      const counts = await partitionsOf([leader, ...followers]);
      const unequal = counts.filter((t) => t.partitions !== leaderPartitions);
      if (unequal.length > 0) {
        throw new BusError(
          'DW_BUS_NOT_CO_PARTITIONED',
          `${unequal.map((t) => `${t.name} has ${t.partitions} partitions`).join(', ')}, ${leader} ${leaderPartitions ?? 0}: ${options.service} keeps state per key across them and needs them equal — delete ${unequal.map((t) => t.name).join(', ')} (${options.service} recreates it to match) or add partitions to it (kafka-topics.sh --alter --partitions)`,
          { retriable: false },
        );
      }
    }
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
  const groupId = options.groupId || deployment.consumerGroup(options.service);
  return {
    kafka,
    names,
    codecs,
    deployment,
    groupId,
    followRegistry: (follow = {}) =>
      followModelRegistry({
        kafka,
        topic: names.modelVersions,
        codec: codecs.modelVersions,
        logger,
        groupIdPrefix: deployment.followerGroupPrefix(options.service, 'registry'),
        ...follow,
      }),
    startProcessor: (processor) =>
      startTransactionalProcessor({
        kafka,
        groupId,
        ...(config.KAFKA_SESSION_TIMEOUT ? { sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT } : {}),
        deadLetters: {
          service: options.service,
          topic: names.deadLetter,
          codec: codecs.deadLetter,
          maxRecordBytes: recordLimits(names, config.MAX_RECORD_BYTES ?? 512 * 1024),
          maxMessageBytes: config.KAFKA_MAX_MESSAGE_BYTES ?? defaultMaxMessageBytes,
          now: Date.now,
        },
        ...processor,
      }),
  };
}
