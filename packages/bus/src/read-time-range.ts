import { randomUUID } from 'node:crypto';

import type { ConsumerRunConfig, Kafka } from './kafka.js';
import { toInputRecord, type InputRecord } from './records.js';
import { restartAbandonedConsumer } from './restart-abandoned-consumer.js';

/**
 * The committed records of a topic whose timestamps fall in [fromTs, toTs], in partition order:
 * how the trainer reads its training window. Offsets are looked up by time on the broker, so only
 * the window is read, not the topic from its beginning. Reads end where each partition ended
 * when the call began; records written later are not waited for. An aborted `signal` (say,
 * `AbortSignal.timeout(ms)`) stops the read and rejects with its reason.
 */
export async function readTimeRange(options: {
  kafka: Kafka;
  topic: string;
  fromTs: number;
  toTs: number;
  /** Keep only records this accepts (e.g. one model's), so memory holds just those. */
  filter?: (record: InputRecord) => boolean;
  signal?: AbortSignal;
}): Promise<InputRecord[]> {
  const { kafka, topic, fromTs, toTs, signal } = options;
  signal?.throwIfAborted();
  const admin = kafka.admin();
  await admin.connect();
  let starts: Map<number, bigint>;
  let ends: Map<number, bigint>;
  try {
    const [fromOffsets, latest] = await Promise.all([
      admin.fetchTopicOffsetsByTimestamp(topic, fromTs),
      admin.fetchTopicOffsets(topic),
    ]);
    starts = new Map(fromOffsets.map(({ partition, offset }) => [partition, BigInt(offset)]));
    // Read to each partition's end as of now; timestamps past toTs are filtered out below.
    ends = new Map(latest.map(({ partition, high }) => [partition, BigInt(high)]));
  } finally {
    await admin.disconnect();
  }
  const pending = new Map(
    [...ends].filter(([partition, end]) => (starts.get(partition) ?? end) < end),
  );
  if (pending.size === 0) return [];

  const records: InputRecord[] = [];
  /** The seek below may land after a first fetch; never keep a record twice. */
  const lastKept = new Map<number, bigint>();
  const groupId = `driftwatch-range-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 100 });
  let finish: () => void = () => undefined;
  let abort: () => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => {
    finish = resolve;
    abort = () => {
      reject(signal?.reason as Error);
    };
    fail = reject;
  });
  // A failure before the read is awaited must not count as unhandled.
  finished.catch(() => undefined);
  // A consumer kafkajs abandons (a broker restart as it joined) is started again: it seeks to the
  // window's start on its join and keeps no record twice. Without it the read waited for ever,
  // and the trainer's batch with it. What retrying cannot fix fails the read.
  const stopping = new AbortController();
  restartAbandonedConsumer(consumer, {
    run: () => consumer.run(runConfig),
    signal: stopping.signal,
    onRestart: () => undefined,
    fail,
  });
  // Like the topic follower: progress counts transaction markers, which eachBatch never sees.
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    if (payload.topic !== topic) return;
    const end = pending.get(payload.partition);
    if (end !== undefined && BigInt(payload.lastOffset) >= end - 1n) {
      pending.delete(payload.partition);
      if (pending.size === 0) finish();
    }
  });
  consumer.on(consumer.events.GROUP_JOIN, () => {
    for (const [partition, start] of starts)
      consumer.seek({ topic, partition, offset: start.toString() });
  });
  const runConfig: ConsumerRunConfig = {
    autoCommit: false,
    eachBatch: ({ batch }) => {
      const end = ends.get(batch.partition) ?? 0n;
      for (const message of batch.messages) {
        const offset = BigInt(message.offset);
        if (offset >= end) break;
        if (offset <= (lastKept.get(batch.partition) ?? -1n)) continue;
        lastKept.set(batch.partition, offset);
        const ts = Number(message.timestamp);
        if (ts < fromTs || ts > toTs) continue;
        const record = toInputRecord(batch.topic, batch.partition, message);
        if (!options.filter || options.filter(record)) records.push(record);
      }
      return Promise.resolve();
    },
  };
  await consumer.connect();
  try {
    // From the end, not the beginning: until the seek to the window's start lands, a first fetch
    // must not read a large topic from offset 0.
    await consumer.subscribe({ topic, fromBeginning: false });
    await consumer.run(runConfig);
    signal?.throwIfAborted();
    signal?.addEventListener('abort', abort, { once: true });
    await finished;
  } finally {
    stopping.abort();
    signal?.removeEventListener('abort', abort);
    await consumer.disconnect();
    const cleanup = kafka.admin();
    await cleanup.connect();
    await cleanup.deleteGroups([groupId]).catch(() => undefined);
    await cleanup.disconnect();
  }
  return records.sort((a, b) => Number(a.timestamp) - Number(b.timestamp));
}
