import { randomUUID } from 'node:crypto';

import type { Kafka, KafkaMessage } from '@driftwatch/bus';

export interface RecordCounter {
  /** Committed records read so far. */
  readonly count: number;
  /** The offset of the last record read, per `topic/partition`: where a downstream consumer must commit past. */
  readonly lastOffsets: ReadonlyMap<string, bigint>;
  /** `performance.now()` when the count reached `count`. */
  reached(count: number): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Reads topics from their beginning (read_committed) and counts the records actually handed
 * over: with transactional producers the high watermark counts commit markers, so it cannot say
 * when a consumer is done. Resolves once its consumer has joined, before anything is produced.
 */
export async function countRecords(
  kafka: Kafka,
  topics: readonly string[],
  options: {
    groupIdPrefix: string;
    onRecord?: (topic: string, partition: number, message: KafkaMessage, readAt: number) => void;
  },
): Promise<RecordCounter> {
  const groupId = `${options.groupIdPrefix}bench-reader-${randomUUID().slice(0, 8)}`;
  const consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 100 });
  let count = 0;
  const lastOffsets = new Map<string, bigint>();
  const waiters: { count: number; resolve: (at: number) => void }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [...topics], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatch: ({ batch }) => {
      const readAt = performance.now();
      const last = batch.messages.at(-1);
      if (!last) return Promise.resolve();
      if (options.onRecord)
        for (const message of batch.messages)
          options.onRecord(batch.topic, batch.partition, message, readAt);
      count += batch.messages.length;
      lastOffsets.set(`${batch.topic}/${batch.partition}`, BigInt(last.offset));
      for (const waiter of [...waiters]) {
        if (count >= waiter.count) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(readAt);
        }
      }
      return Promise.resolve();
    },
  });
  return {
    get count() {
      return count;
    },
    lastOffsets,
    reached: (target) =>
      count >= target
        ? Promise.resolve(performance.now())
        : new Promise((resolve) => waiters.push({ count: target, resolve })),
    stop: () => consumer.disconnect(),
  };
}
