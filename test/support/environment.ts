import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';

import { createSilentKafkaClient, type Kafka } from '@driftwatch/bus';

/** The local stack `npm test` brings up; the same variables the services read. */
export const kafkaBrokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
export const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/**
 * Names unique to one test run, so tests can share the broker and run concurrently. Under
 * scripts/run-tests.mjs each is also noted in its file, and the topics named after it that are
 * still there when the run ends are deleted: a developer's broker lives for many runs, and
 * thousands of leftover partitions slowed its tests and benches.
 */
export function uniqueName(prefix: string): string {
  const name = `${prefix}-${randomUUID().slice(0, 8)}`;
  const namesFile = process.env['DRIFTWATCH_TEST_NAMES_FILE'];
  if (namesFile) appendFileSync(namesFile, `${name}\n`);
  return name;
}

export function testKafka(brokers: string[] = kafkaBrokers): Kafka {
  return createSilentKafkaClient({ brokers, clientId: 'driftwatch-test' });
}
