import { randomUUID } from 'node:crypto';

import { createSilentKafkaClient, type Kafka } from '@driftwatch/bus';

/** The local stack `npm test` brings up; the same variables the services read. */
export const kafkaBrokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
export const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Names unique to one test run, so tests can share the broker and run concurrently. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export function testKafka(brokers: string[] = kafkaBrokers): Kafka {
  return createSilentKafkaClient({ brokers, clientId: 'driftwatch-test' });
}
