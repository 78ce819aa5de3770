/**
 * The detector keeps one retrain policy per model, fed from two topics keyed by model. With
 * kafkajs' round-robin assignment, partition p of one topic and partition p of the other may go
 * to different members, and a model's policy would then live twice. Here three members of one
 * co-partitioned group read two topics keyed alike: every key's records, from both topics, reach
 * one member only. And with batches handled concurrently, batches of one partition number (from
 * either topic) still come one at a time: the detector's state per model relies on it.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import {
  createKafkaClient,
  startTransactionalProcessor,
  type RunningProcessor,
} from '@driftwatch/bus';
import { createLogger } from '@driftwatch/service-kit';

import { kafkaBrokers, testKafka, uniqueName } from '../support/environment.js';

// Four partitions for three members: round-robin would deal partition 0 of the two topics to
// different members (the test fails with `coPartitioned: false`).
const partitions = 4;
const keys = Array.from({ length: 60 }, (_, i) => `model-${i}`);

/** Two fresh topics of `partitions` partitions each, as the detector's inputs are. */
async function twoTopicsKeyedAlike(name: string) {
  const prefix = uniqueName(name);
  const topics = [`${prefix}.features`, `${prefix}.labeled`];
  const kafka = testKafka();
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: topics.map((topic) => ({ topic, numPartitions: partitions })),
    waitForLeaders: true,
  });
  await admin.disconnect();
  return { prefix, topics, kafka };
}

describe('co-partitioned consumption on the real broker', { timeout: 180_000 }, () => {
  const members: RunningProcessor[] = [];
  after(async () => {
    await Promise.all(members.map((member) => member.stop().catch(() => undefined)));
  });

  it('partition p of both topics goes to one member, so a key has one owner', async () => {
    const { prefix, topics, kafka } = await twoTopicsKeyedAlike('copart');
    const groupId = `${prefix}.group`;

    const logger = createLogger('co-partitioned', 'silent');
    // key → the members that handled a record of it, per topic
    const owners = new Map<string, Set<number>>();
    let handled = 0;
    for (let index = 0; index < 3; index++) {
      members.push(
        await startTransactionalProcessor({
          kafka: createKafkaClient({
            brokers: kafkaBrokers,
            clientId: `${prefix}-${index}`,
            logger,
          }),
          groupId,
          topics,
          coPartitioned: true,
          logger,
          handle: (batch, context) => {
            context.afterCommit(() => {
              for (const record of batch.records) {
                const key = record.key?.toString() ?? '';
                const seen = owners.get(key) ?? new Set<number>();
                seen.add(index);
                owners.set(key, seen);
                handled++;
              }
            });
            return Promise.resolve([]);
          },
        }),
      );
    }
    // Every member has joined before the records go out: the assignment they share is the test,
    // not the moves of a rebalance.
    const groups = kafka.admin();
    await groups.connect();
    try {
      const joined = Date.now() + 60_000;
      for (;;) {
        const [group] = (await groups.describeGroups([groupId])).groups;
        if (group?.state === 'Stable' && group.members.length === 3) break;
        assert.ok(
          Date.now() < joined,
          `group ${group?.state} with ${group?.members.length} members`,
        );
        await sleep(200);
      }
    } finally {
      await groups.disconnect();
    }
    const producer = kafka.producer();
    await producer.connect();
    await producer.sendBatch({
      topicMessages: topics.map((topic) => ({
        topic,
        messages: keys.map((key) => ({ key, value: Buffer.from(topic) })),
      })),
    });
    await producer.disconnect();

    const expected = keys.length * topics.length;
    const deadline = Date.now() + 120_000;
    while (handled < expected && Date.now() < deadline) await sleep(200);
    assert.equal(handled, expected, 'every record handled once');
    const split = [...owners].filter(([, seen]) => seen.size > 1);
    assert.deepEqual(split, [], 'keys read by two members');
    assert.ok(new Set([...owners.values()].flatMap((seen) => [...seen])).size > 1, 'work shared');
  });

  it('handled concurrently, batches of one partition number never overlap; of different ones, they do', async () => {
    const { prefix, topics, kafka } = await twoTopicsKeyedAlike('copart-concurrent');
    // Written before the member starts: its first fetch brings batches of every partition.
    const producer = kafka.producer();
    await producer.connect();
    for (let round = 0; round < 5; round++) {
      await producer.sendBatch({
        topicMessages: topics.map((topic) => ({
          topic,
          messages: keys.map((key) => ({ key, value: Buffer.from(`${topic} ${round}`) })),
        })),
      });
    }
    await producer.disconnect();

    const logger = createLogger('co-partitioned', 'silent');
    const inHand = new Map<number, number>();
    let inHandAll = 0;
    let mostAtOnce = 0;
    const overlaps: string[] = [];
    let handled = 0;
    members.push(
      await startTransactionalProcessor({
        kafka: createKafkaClient({ brokers: kafkaBrokers, clientId: prefix, logger }),
        groupId: `${prefix}.group`,
        topics,
        coPartitioned: true,
        partitionsConcurrently: 2 * partitions,
        logger,
        handle: async (batch, context) => {
          const same = (inHand.get(batch.partition) ?? 0) + 1;
          inHand.set(batch.partition, same);
          if (same > 1) overlaps.push(`${batch.topic}/${batch.partition}`);
          mostAtOnce = Math.max(mostAtOnce, ++inHandAll);
          // Long enough for the other partitions' batches of the fetch to start meanwhile.
          await sleep(50);
          inHand.set(batch.partition, (inHand.get(batch.partition) ?? 1) - 1);
          inHandAll--;
          context.afterCommit(() => {
            handled += batch.records.length;
          });
          return [];
        },
      }),
    );
    const expected = 5 * keys.length * topics.length;
    const deadline = Date.now() + 120_000;
    while (handled < expected && Date.now() < deadline) await sleep(200);
    assert.equal(handled, expected, 'every record handled once');
    assert.deepEqual(overlaps, [], 'batches of one partition number in hand at once');
    assert.ok(mostAtOnce > 1, `batches of different partition numbers overlapped (${mostAtOnce})`);
  });
});
