import { randomUUID } from 'node:crypto';

import type { Logger } from '@driftwatch/service-kit';

import type { Admin, ConsumerRunConfig, Kafka } from './kafka.js';
import { toInputRecord, type InputRecord } from './records.js';
import { restartAbandonedConsumer } from './restart-abandoned-consumer.js';
import { withRetry } from './retry.js';

export interface TopicFollower {
  /** Resolves once every record that existed when following began has been handed over. */
  readonly caughtUp: Promise<void>;
  /**
   * Resolves once every record committed to the topic before this call has been handed over:
   * read-your-own-writes after producing to the topic, or a fresh view after a rebalance.
   */
  catchUp(): Promise<void>;
  /**
   * Rejects once the follower can follow no more (kafkajs gave up on its consumer for a reason
   * retrying cannot fix): a service then stops, rather than serve on from a registry that no
   * longer moves.
   */
  readonly failed: Promise<never>;
  stop(): Promise<void>;
}

/**
 * Where each partition must be read to: its last offset now, for partitions with anything in them.
 * The last offset may be a transaction marker that is never handed to `eachBatch`.
 */
async function lastOffsets(admin: Admin, topic: string): Promise<Map<number, bigint>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(
    offsets
      .filter(({ high, low }) => BigInt(high) > BigInt(low))
      .map(({ partition, high }) => [partition, BigInt(high) - 1n]),
  );
}

/**
 * Reads a (typically compacted) topic from its beginning, every time, and keeps following it:
 * how a service rebuilds state such as the model registry. It reads committed records only and
 * commits nothing; its throwaway consumer group is deleted on stop.
 */
export async function followTopic(options: {
  kafka: Kafka;
  topic: string;
  logger: Logger;
  groupIdPrefix: string;
  onRecord: (record: InputRecord) => Promise<void> | void;
}): Promise<TopicFollower> {
  const { kafka, topic } = options;
  const admin = kafka.admin();
  await admin.connect();

  /** The last offset read per partition, control records and aborted records included. */
  const position = new Map<number, bigint>();
  const waiters = new Set<{
    targets: Map<number, bigint>;
    resolve: () => void;
    reject: (error: unknown) => void;
  }>();
  /** Set once the follower can follow no more: every wait then fails instead of hanging. */
  let failure: { error: unknown } | undefined;
  const reached = (targets: Map<number, bigint>): boolean =>
    [...targets].every(([partition, last]) => (position.get(partition) ?? -1n) >= last);
  const advance = (partition: number, lastOffset: string): void => {
    const offset = BigInt(lastOffset);
    if (offset <= (position.get(partition) ?? -1n)) return;
    position.set(partition, offset);
    for (const waiter of waiters) {
      if (reached(waiter.targets)) {
        waiters.delete(waiter);
        waiter.resolve();
      }
    }
  };
  const throwIfFailed = (): void => {
    if (failure) throw failure.error;
  };
  const catchUp = async (): Promise<void> => {
    throwIfFailed();
    const targets = await lastOffsets(admin, topic);
    // Failed meanwhile: nothing will move the position any more.
    throwIfFailed();
    if (reached(targets)) return;
    await new Promise<void>((resolve, reject) => waiters.add({ targets, resolve, reject }));
  };
  const stopping = new AbortController();
  let rejectFailed: (error: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    rejectFailed = reject;
  });
  // Observed by the service when it wants to; never an unhandled rejection meanwhile.
  failed.catch(() => undefined);
  const fail = (error: unknown): void => {
    if (stopping.signal.aborted) return;
    failure ??= { error };
    rejectFailed(error);
    options.logger.error(
      { event: 'follower.failed', topic, err: error },
      `following ${topic} failed; waits for it fail too`,
    );
    for (const waiter of waiters) waiter.reject(error);
    waiters.clear();
  };

  const groupId = `${options.groupIdPrefix}-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 100 });
  // kafkajs skips `eachBatch` for a batch of only transaction markers or aborted records, but
  // still reports how far it read here: without it a follower would never see the end of a topic
  // that a transactional producer writes.
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    if (payload.topic === topic) advance(payload.partition, payload.lastOffset);
  });
  // A consumer restarted reads from the beginning again (it commits nothing): harmless, as
  // what followers rebuild (registries, snapshots) only moves forward.
  restartAbandonedConsumer(consumer, {
    run: () => consumer.run(runConfig),
    signal: stopping.signal,
    onRestart: (error) => {
      options.logger.warn(
        { event: 'follower.consumer_restart', topic, err: error },
        `the Kafka client gave up following ${topic}; starting its consumer again`,
      );
    },
    fail,
  });
  await withRetry(() => consumer.connect());
  await withRetry(() => consumer.subscribe({ topic, fromBeginning: true }));
  const caughtUp = catchUp();
  // Awaited by the caller later: a failure meanwhile must not count as unhandled.
  caughtUp.catch(() => undefined);
  const runConfig: ConsumerRunConfig = {
    autoCommit: false,
    eachBatch: async (payload) => {
      const { batch } = payload;
      for (const message of batch.messages) {
        await options.onRecord(toInputRecord(batch.topic, batch.partition, message));
        payload.resolveOffset(message.offset);
      }
      await payload.heartbeat();
    },
  };
  await consumer.run(runConfig);

  return {
    caughtUp,
    catchUp,
    failed,
    stop: async () => {
      stopping.abort();
      await consumer.disconnect();
      await admin.deleteGroups([groupId]).catch((error: unknown) => {
        options.logger.debug({ err: error, groupId }, 'could not delete follower group');
      });
      await admin.disconnect();
    },
  };
}
