import { join } from 'node:path';

import type { Kafka } from '@driftwatch/bus';
import { repoRoot, startService, type ServiceName, type ServiceProcess } from '@driftwatch/demo';
import { Redis } from 'ioredis';

import { kafkaBrokers, redisUrl } from '../../test/support/environment.js';
import { createTestPipeline, type TestPipeline } from '../../test/support/pipeline.js';

export interface BenchPipeline extends TestPipeline {
  kafka: Kafka;
  /** Topics of the bench's own (passthrough outputs, …), 3 partitions, under the same prefix. */
  createTopics(baseNames: readonly string[]): Promise<string[]>;
  /** Starts a service from its build, as production runs it, on this pipeline's topics. */
  startService(name: ServiceName, env?: Record<string, string>): Promise<ServiceProcess>;
  /** Deletes every topic and consumer group under the prefix and the pipeline's Redis keys. */
  cleanup(): Promise<void>;
}

export const partitions = 3;

/** A fresh prefix with every catalog topic (see test/support/pipeline.ts), and its cleanup. */
export async function createBenchPipeline(kafka: Kafka): Promise<BenchPipeline> {
  const pipeline = await createTestPipeline(kafka);
  const { prefix } = pipeline;
  const services: ServiceProcess[] = [];
  return {
    ...pipeline,
    kafka,
    createTopics: async (baseNames) => {
      const topics = baseNames.map((name) => `${prefix}${name}`);
      const admin = kafka.admin();
      await admin.connect();
      try {
        await admin.createTopics({
          waitForLeaders: true,
          topics: topics.map((topic) => ({
            topic,
            numPartitions: partitions,
            replicationFactor: 1,
          })),
        });
      } finally {
        await admin.disconnect();
      }
      return topics;
    },
    startService: async (name, env = {}) => {
      const service = await startService(name, {
        env: {
          KAFKA_BROKERS: kafkaBrokers.join(','),
          REDIS_URL: redisUrl,
          ...pipeline.env,
          ...env,
        },
        logDir: join(repoRoot, '.cache', 'bench-logs'),
        from: 'dist',
      });
      services.push(service);
      return service;
    },
    cleanup: async () => {
      await Promise.all(services.map((service) => service.stop()));
      const admin = kafka.admin();
      await admin.connect();
      try {
        const { groups } = await admin.listGroups();
        const ourGroups = groups.map((g) => g.groupId).filter((id) => id.startsWith(prefix));
        if (ourGroups.length > 0) await admin.deleteGroups(ourGroups).catch(() => undefined);
        const ourTopics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
        if (ourTopics.length > 0) await admin.deleteTopics({ topics: ourTopics });
      } finally {
        await admin.disconnect();
      }
      await forgetRedisKeys(`${pipeline.env['REDIS_KEY_PREFIX'] ?? prefix}*`);
    },
  };
}

async function forgetRedisKeys(pattern: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}
