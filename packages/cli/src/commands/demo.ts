import { randomUUID } from 'node:crypto';

import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';

export interface DemoOptions {
  brokers: string[];
  redisUrl: string;
  events: number;
}

export interface DemoSummary {
  topic: string;
  produced: number;
  consumed: number;
  redisRoundTrip: boolean;
}

/**
 * The end-to-end demo. At this stage it proves the stack: a batch of events through Kafka and
 * back, and a Redis round trip.
 */
export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  const kafka = new Kafka({
    brokers: options.brokers,
    clientId: 'driftwatch-demo',
    logLevel: logLevel.NOTHING,
  });
  const topic = `demo-stack-check-${randomUUID().slice(0, 8)}`;
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true });
  const consumer = kafka.consumer({ groupId: `${topic}-reader` });
  await Promise.all([admin.connect(), producer.connect(), consumer.connect()]);
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    const messages = Array.from({ length: options.events }, (_, i) => ({
      key: `event-${i}`,
      value: JSON.stringify({ id: `event-${i}`, features: { x: i } }),
    }));
    await producer.send({ topic, messages });
    await consumer.subscribe({ topic, fromBeginning: true });
    let consumed = 0;
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachBatch: ({ batch }) => {
            consumed += batch.messages.length;
            if (consumed >= options.events) resolve();
            return Promise.resolve();
          },
        })
        .catch(reject);
    });
    const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1 });
    const key = `${topic}:check`;
    await redis.set(key, 'ok', 'EX', 60);
    const redisRoundTrip = (await redis.get(key)) === 'ok';
    await redis.del(key);
    redis.disconnect();
    return { topic, produced: messages.length, consumed, redisRoundTrip };
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}
