import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Kafka, KafkaMessage } from '@driftwatch/bus';

export interface ReadRecord {
  partition: number;
  offset: string;
  /** Kafka timestamp, epoch ms as a decimal string. */
  timestamp: string;
  key: string | null;
  value: Buffer | null;
  headers: KafkaMessage['headers'];
}

/**
 * Keeps every record of a topic (read_committed) as it arrives, from the beginning, so a test can
 * wait for a count and then check that nothing more comes.
 */
export async function collectTopic(
  kafka: Kafka,
  topic: string,
): Promise<{
  records: ReadRecord[];
  waitFor(count: number, timeoutMs: number): Promise<void>;
  /** Waits `quietMs` for anything beyond what is there: a test that expects exact counts. */
  settle(quietMs?: number): Promise<void>;
  stop(): Promise<void>;
}> {
  const groupId = `test-reader-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 200 });
  const records: ReadRecord[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: ({ partition, message }) => {
      records.push({
        partition,
        offset: message.offset,
        timestamp: message.timestamp,
        key: message.key?.toString() ?? null,
        value: message.value,
        headers: message.headers,
      });
      return Promise.resolve();
    },
  });
  return {
    records,
    waitFor: async (count, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      while (records.length < count) {
        if (Date.now() > deadline) {
          throw new Error(`${topic}: ${records.length} of ${count} records after ${timeoutMs} ms`);
        }
        await sleep(100);
      }
    },
    settle: async (quietMs = 3000) => {
      let seen = -1;
      while (seen !== records.length) {
        seen = records.length;
        await sleep(quietMs);
      }
    },
    stop: async () => {
      await consumer.disconnect();
    },
  };
}
