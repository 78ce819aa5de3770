import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { Admin, Consumer, Producer } from '@driftwatch/bus';

import { testKafka, uniqueName } from '../support/environment.js';

const messageCount = 10_000;
const keyCount = 97;

describe('Kafka round trip on the real local broker', { timeout: 120_000 }, () => {
  const kafka = testKafka();
  const topic = uniqueName('round-trip');
  const groupId = uniqueName('round-trip-group');
  let admin: Admin;
  let producer: Producer;
  let consumer: Consumer;

  before(async () => {
    admin = kafka.admin();
    producer = kafka.producer({ idempotent: true });
    consumer = kafka.consumer({ groupId });
    await Promise.all([admin.connect(), producer.connect(), consumer.connect()]);
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  });

  after(async () => {
    await Promise.all([consumer.disconnect(), producer.disconnect()]);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('delivers 10,000 keyed messages to a consumer group, in order per key, and commits their offsets', async () => {
    const messages = Array.from({ length: messageCount }, (_, sequence) => ({
      key: `key-${sequence % keyCount}`,
      value: JSON.stringify({ sequence }),
    }));
    for (let start = 0; start < messageCount; start += 1000) {
      await producer.send({ topic, messages: messages.slice(start, start + 1000) });
    }

    const received: { key: string; sequence: number; partition: number; offset: bigint }[] = [];
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: ({ message, partition }) => {
            const { sequence } = JSON.parse(message.value?.toString() ?? '{}') as {
              sequence: number;
            };
            received.push({
              key: message.key?.toString() ?? '',
              sequence,
              partition,
              offset: BigInt(message.offset),
            });
            if (received.length === messageCount) resolve();
            return Promise.resolve();
          },
        })
        .catch(reject);
    });
    await consumer.stop();

    assert.equal(received.length, messageCount);
    assert.deepEqual(
      new Set(received.map((r) => r.sequence)).size,
      messageCount,
      'every message exactly once',
    );

    const partitionOfKey = new Map<string, number>();
    const lastSequenceOfKey = new Map<string, number>();
    for (const record of received) {
      const partition = partitionOfKey.get(record.key) ?? record.partition;
      assert.equal(record.partition, partition, `key ${record.key} stays on one partition`);
      partitionOfKey.set(record.key, partition);
      const last = lastSequenceOfKey.get(record.key) ?? -1;
      assert.ok(record.sequence > last, `key ${record.key}: ${record.sequence} after ${last}`);
      lastSequenceOfKey.set(record.key, record.sequence);
    }
    assert.equal(new Set(partitionOfKey.values()).size, 3, 'keys spread over all 3 partitions');

    const endOffsets = await admin.fetchTopicOffsets(topic);
    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const committedByPartition = new Map(
      committed[0]?.partitions.map((p) => [p.partition, p.offset]) ?? [],
    );
    let total = 0n;
    for (const { partition, high } of endOffsets) {
      assert.equal(
        committedByPartition.get(partition),
        high,
        `partition ${partition} committed to its end`,
      );
      total += BigInt(high);
    }
    assert.equal(total, BigInt(messageCount));
  });
});
