/**
 * Members joining and leaving a consumer group under load are normal group life. A heartbeat
 * after a committed batch used to throw REBALANCE_IN_PROGRESS out of the processor, which took it
 * for a failure and stopped: each exit caused the next rebalance. Here members come and go at
 * fixed points of the stream (counted in committed records, not in time) while records flow; no
 * member may stop on its own, and every record is processed exactly once.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';

import {
  createKafkaClient,
  startTransactionalProcessor,
  type RunningProcessor,
} from '@driftwatch/bus';
import { createLogger } from '@driftwatch/service-kit';

import { kafkaBrokers, testKafka, uniqueName } from '../support/environment.js';
import { sendAll } from '../support/pipeline.js';
import { collectTopic } from '../support/topic-reader.js';

const partitions = 6;
const chunks = 8;
const chunkSize = 1500;

describe('a rebalance storm on the real broker', { timeout: 300_000 }, () => {
  const members: { processor: RunningProcessor; failed: unknown[] }[] = [];
  after(async () => {
    await Promise.all(members.map(({ processor }) => processor.stop().catch(() => undefined)));
  });

  it('no member stops on its own, and every record is processed exactly once', async () => {
    const prefix = uniqueName('storm');
    const input = `${prefix}.in`;
    const output = `${prefix}.out`;
    const groupId = `${prefix}.group`;
    const admin = testKafka().admin();
    await admin.connect();
    await admin.createTopics({
      topics: [input, output].map((topic) => ({ topic, numPartitions: partitions })),
      waitForLeaders: true,
    });
    await admin.disconnect();

    let committed = 0;
    let joins = 0;
    const logger = createLogger('rebalance-storm', 'silent');
    const startMember = async (index: number): Promise<void> => {
      const failed: unknown[] = [];
      const processor = await startTransactionalProcessor({
        kafka: createKafkaClient({
          brokers: kafkaBrokers,
          clientId: `${prefix}-${index}`,
          logger,
        }),
        groupId,
        topics: [input],
        logger,
        maxBytesPerPartition: 8 * 1024,
        onGroupJoin: () => {
          joins += 1;
        },
        handle: (batch, context) => {
          context.afterCommit(() => {
            committed += batch.records.length;
          });
          return Promise.resolve(
            batch.records.map((record) => ({
              topic: output,
              key: record.key,
              value: Buffer.from(`${record.partition}:${record.offset}`),
            })),
          );
        },
      });
      processor.done.catch((error: unknown) => failed.push(error));
      members.push({ processor, failed });
    };

    const kafka = testKafka();
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const reader = await collectTopic(kafka, output);
    try {
      await startMember(0);
      await startMember(1);
      let started = 2;
      let stopped = 0;
      for (let chunk = 0; chunk < chunks; chunk++) {
        const records = Array.from({ length: chunkSize }, (_, i) => ({
          key: `k${chunk * chunkSize + i}`,
          value: Buffer.from(String(chunk * chunkSize + i)),
        }));
        await sendAll(producer, input, records);
        // Change the group while this chunk is being processed: a member joins on even chunks,
        // the oldest running one leaves on odd ones.
        if (chunk % 2 === 0) {
          void startMember(started++);
        } else {
          const leaving = members[stopped++];
          void leaving?.processor.stop();
        }
        const target = (chunk + 1) * chunkSize;
        // A safety net only: progress is what the loop waits for, however slow the machine.
        const giveUpAt = Date.now() + 120_000;
        while (committed < target) {
          assert.ok(Date.now() < giveUpAt, `stuck at ${committed} of ${target} committed records`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      await reader.waitFor(chunks * chunkSize, 120_000);
      await reader.settle();
      const coordinates = reader.records.map((record) => record.value?.toString());
      assert.equal(coordinates.length, chunks * chunkSize, 'one output per input record');
      assert.equal(new Set(coordinates).size, chunks * chunkSize, 'no input record twice');
      assert.ok(joins >= chunks, `the group rebalanced at every change (${joins} joins)`);
      for (const [index, member] of members.entries()) {
        assert.deepEqual(member.failed, [], `member ${index} stopped on its own`);
      }
    } finally {
      await reader.stop();
      await producer.disconnect();
    }
  });
});
