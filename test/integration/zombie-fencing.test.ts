/**
 * Issue 18's zombie: a member that stops heartbeating in the middle of a batch (frozen, a long
 * GC pause, a batch slower than the session timeout) is evicted, its partitions go to another
 * member, which processes and commits them — and then the zombie wakes up and commits the same
 * batch. kafkajs sends no group generation with its offsets, so the broker used to accept that
 * commit: the batch was output twice. With a transactional id per input partition, the new owner
 * fenced the zombie when it claimed the partition, and the zombie's commit is refused.
 *
 * Every wait is for events (the handler entered, records committed), never for a time.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';

import {
  createKafkaClient,
  startTransactionalProcessor,
  type BatchHandler,
  type RunningProcessor,
} from '@driftwatch/bus';
import { createLogger } from '@driftwatch/service-kit';

import { kafkaBrokers, testKafka, uniqueName } from '../support/environment.js';
import { sendAll } from '../support/pipeline.js';
import { collectTopic } from '../support/topic-reader.js';

const partitions = 2;
const firstRecords = 200;
const laterRecords = 100;

/** Polls `condition` every 50 ms; the deadline is a safety net that names what is missing. */
async function until(condition: () => boolean, what: () => string): Promise<void> {
  const giveUpAt = Date.now() + 120_000;
  while (!condition()) {
    assert.ok(Date.now() < giveUpAt, what());
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('zombie fencing on the real broker', { timeout: 300_000 }, () => {
  const running: RunningProcessor[] = [];
  after(async () => {
    await Promise.all(running.map((processor) => processor.stop().catch(() => undefined)));
  });

  /**
   * The first member freezes in its `frozenBatch`-th batch: with 1, before it committed anything;
   * with 2, right after its first batch committed.
   */
  const zombieRun = async (frozenBatch: number): Promise<void> => {
    const prefix = uniqueName('zombie');
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

    const logger = createLogger('zombie-fencing', 'silent');
    const copy = (batch: Parameters<BatchHandler>[0]): ReturnType<BatchHandler> =>
      Promise.resolve(
        batch.records.map((record) => ({
          topic: output,
          key: record.key,
          value: Buffer.from(`${record.partition}:${record.offset}`),
        })),
      );
    const start = async (
      name: string,
      handle: BatchHandler,
    ): Promise<{ processor: RunningProcessor; failed: unknown[] }> => {
      const failed: unknown[] = [];
      const processor = await startTransactionalProcessor({
        kafka: createKafkaClient({ brokers: kafkaBrokers, clientId: `${prefix}-${name}`, logger }),
        groupId,
        topics: [input],
        logger,
        // The broker's minimum: the zombie is evicted as soon as the group allows.
        sessionTimeoutMs: 6000,
        handle,
      });
      processor.done.catch((error: unknown) => failed.push(error));
      running.push(processor);
      return { processor, failed };
    };

    // The zombie holds a batch until the new owner has committed everything else.
    let zombieHolding = false;
    let wakeZombie: () => void = () => undefined;
    const zombieWakes = new Promise<void>((resolve) => {
      wakeZombie = resolve;
    });
    let zombieCommitted = 0;
    let zombieBatches = 0;
    const zombie = await start('zombie', async (batch, context) => {
      zombieBatches += 1;
      if (zombieBatches === frozenBatch) {
        zombieHolding = true;
        await zombieWakes;
      }
      context.afterCommit(() => {
        zombieCommitted += batch.records.length;
      });
      return copy(batch);
    });

    const kafka = testKafka();
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const reader = await collectTopic(kafka, output);
    try {
      const records = (from: number, count: number): { key: string; value: Buffer }[] =>
        Array.from({ length: count }, (_, i) => ({
          key: `k${from + i}`,
          value: Buffer.from(String(from + i)),
        }));
      // One record per send until the zombie holds a batch, so it has several to take.
      let sent = 0;
      const holding = (): boolean => zombieHolding;
      while (!holding()) {
        assert.ok(sent < firstRecords, `the first member froze in none of ${sent} records`);
        await sendAll(producer, input, records(sent, 1));
        sent += 1;
        await until(
          () => holding() || zombieCommitted >= sent,
          () => `the first member handled ${zombieCommitted} of ${sent} records`,
        );
      }
      await sendAll(producer, input, records(sent, firstRecords - sent));

      let ownerCommitted = 0;
      const owner = await start('owner', async (batch, context) => {
        context.afterCommit(() => {
          ownerCommitted += batch.records.length;
        });
        return copy(batch);
      });
      // Everything but what the zombie committed before it froze is the owner's to do.
      const zombieBefore = zombieCommitted;
      await until(
        () => ownerCommitted + zombieBefore >= firstRecords,
        () => `the new owner committed ${ownerCommitted} of ${firstRecords - zombieBefore} records`,
      );

      wakeZombie();
      // The zombie's commit is refused; it rejoins and may be given partitions again. Records
      // sent now are processed once by whoever owns their partition.
      await sendAll(producer, input, records(firstRecords, laterRecords));
      const total = firstRecords + laterRecords;
      await until(
        () => ownerCommitted + zombieCommitted >= total,
        () => `${ownerCommitted + zombieCommitted} of ${total} records committed`,
      );
      await reader.waitFor(total, 120_000);
      await reader.settle();

      const coordinates = reader.records.map((record) => record.value?.toString());
      assert.equal(new Set(coordinates).size, total, 'every input record has an output');
      assert.equal(coordinates.length, total, 'no input record has two outputs');
      assert.equal(ownerCommitted + zombieCommitted, total, 'each record committed once');
      assert.deepEqual(zombie.failed, [], 'the fenced member keeps running');
      assert.deepEqual(owner.failed, [], 'the owner keeps running');
      assert.equal(
        zombieBefore,
        frozenBatch - 1,
        'the zombie committed its batches before the frozen one',
      );
    } finally {
      await reader.stop();
      await producer.disconnect();
    }
  };

  it("a member evicted mid-batch cannot commit it after the partition's new owner did", () =>
    zombieRun(1));
  it('nor can a member frozen right after a commit, in the batch after it', () => zombieRun(2));
});
