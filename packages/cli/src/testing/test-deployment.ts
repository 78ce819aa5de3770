import { randomUUID } from 'node:crypto';

import {
  catalogTopicSpecs,
  createSilentKafkaClient,
  provisionTopics,
  readTimeRange,
  type InputRecord,
  type Kafka,
} from '@driftwatch/bus';
import {
  createCodecs,
  topicNames,
  type Codecs,
  type TopicId,
  type TopicNames,
} from '@driftwatch/topics';

import { withinDeadline } from '../deadline.js';

/** The local stack's broker, or the one the environment names. */
export const testBrokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');

/**
 * A deployment of its own on the shared local broker: a unique TOPIC_PREFIX, so tests run
 * concurrently with each other and with other people's, and its topics deleted afterwards.
 */
export interface TestDeployment {
  prefix: string;
  names: TopicNames;
  kafka: Kafka;
  /** JSON codecs, as the CLI uses without a Schema Registry. */
  codecs: Codecs;
  /** The environment a CLI child process needs to work on this deployment. */
  env: Record<string, string>;
  provision(ids: readonly TopicId[]): Promise<void>;
  /** Every committed record of a topic now, by timestamp; fails after 30 s. */
  readTopic(topic: string): Promise<InputRecord[]>;
  cleanup(): Promise<void>;
}

export async function testDeployment(label: string): Promise<TestDeployment> {
  const prefix = `test-cli-${label}-${randomUUID().slice(0, 8)}.`;
  const names = topicNames(prefix);
  const kafka = createSilentKafkaClient({ brokers: testBrokers, clientId: 'driftwatch-cli-test' });
  const codecs = await createCodecs({ schemaRegistryUrl: '', names });
  return {
    prefix,
    names,
    kafka,
    codecs,
    env: {
      KAFKA_BROKERS: testBrokers.join(','),
      TOPIC_PREFIX: prefix,
      SCHEMA_REGISTRY_URL: '',
      KAFKA_TOPIC_PARTITIONS: '3',
      KAFKA_REPLICATION_FACTOR: '1',
    },
    provision: async (ids) => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        await provisionTopics(
          admin,
          catalogTopicSpecs(names, ids, { partitions: 3, replicationFactor: 1 }),
        );
      } finally {
        await admin.disconnect();
      }
    },
    // Bounded, so a stalled read fails the test instead of holding the run.
    readTopic: (topic) =>
      withinDeadline(30_000, `reading ${topic}`, (signal) =>
        readTimeRange({ kafka, topic, fromTs: 0, toTs: Number.MAX_SAFE_INTEGER, signal }),
      ),
    cleanup: async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
        if (topics.length > 0) await admin.deleteTopics({ topics });
        // Groups the test (or a service it ran) left behind, named after the prefix.
        const { groups } = await admin.listGroups();
        const groupIds = groups.map((g) => g.groupId).filter((id) => id.startsWith(prefix));
        if (groupIds.length > 0) await admin.deleteGroups(groupIds).catch(() => undefined);
      } finally {
        await admin.disconnect();
      }
    },
  };
}
