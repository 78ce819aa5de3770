import { randomUUID } from 'node:crypto';

import { toInputRecord, type InputRecord, type Kafka } from '@driftwatch/bus';

/**
 * Follows a topic until `signal` aborts, handing each committed record over once, in partition
 * order: what `alerts --follow` prints from. With `fromTs`, each partition starts at its first
 * record at or after that time, looked up on the broker, so an old topic is not read from its
 * beginning; without, it starts at the beginning. Its throwaway consumer group commits nothing
 * and is deleted when it stops.
 */
export async function tailTopic(options: {
  kafka: Kafka;
  topic: string;
  fromTs?: number;
  groupIdPrefix: string;
  signal: AbortSignal;
  onRecord: (record: InputRecord) => Promise<void> | void;
}): Promise<void> {
  const { kafka, topic, fromTs, signal } = options;
  const starts = new Map<number, bigint>();
  if (fromTs !== undefined) {
    const admin = kafka.admin();
    await admin.connect();
    try {
      for (const { partition, offset } of await admin.fetchTopicOffsetsByTimestamp(topic, fromTs))
        starts.set(partition, BigInt(offset));
    } finally {
      await admin.disconnect();
    }
  }
  /** The last offset handed over per partition: the seek may land after a first fetch. */
  const handedOver = new Map<number, bigint>();
  const groupId = `${options.groupIdPrefix}-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 250 });
  consumer.on(consumer.events.GROUP_JOIN, () => {
    for (const [partition, offset] of starts)
      consumer.seek({ topic, partition, offset: offset.toString() });
  });
  const crashed = new Promise<never>((_resolve, reject) => {
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) reject(payload.error);
    });
  });
  // Observed from here on, so a crash before the race below is not an unhandled rejection.
  crashed.catch(() => undefined);
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        const start = starts.get(batch.partition) ?? 0n;
        for (const message of batch.messages) {
          if (signal.aborted) return;
          const offset = BigInt(message.offset);
          if (offset < start || offset <= (handedOver.get(batch.partition) ?? -1n)) continue;
          handedOver.set(batch.partition, offset);
          await options.onRecord(toInputRecord(batch.topic, batch.partition, message));
          payload.resolveOffset(message.offset);
        }
        await payload.heartbeat();
      },
    });
    const stopped = new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else {
        signal.addEventListener(
          'abort',
          () => {
            resolve();
          },
          { once: true },
        );
      }
    });
    await Promise.race([stopped, crashed]);
  } finally {
    await consumer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
