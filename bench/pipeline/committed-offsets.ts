import { setTimeout as sleep } from 'node:timers/promises';

import type { Kafka } from '@driftwatch/bus';

/**
 * `performance.now()` once consumer group `groupId` has committed past every record in
 * `lastOffsets` (`topic/partition` → offset of the last record read there): it has processed them
 * all. Polled every `intervalMs`, so the answer is that late at most.
 */
export async function committedPast(
  kafka: Kafka,
  groupId: string,
  lastOffsets: ReadonlyMap<string, bigint>,
  options: { timeoutMs: number; intervalMs?: number },
): Promise<number> {
  const targets = new Map<string, Map<number, bigint>>();
  for (const [coordinate, offset] of lastOffsets) {
    const slash = coordinate.lastIndexOf('/');
    const topic = coordinate.slice(0, slash);
    const partitions = targets.get(topic) ?? new Map<number, bigint>();
    partitions.set(Number(coordinate.slice(slash + 1)), offset);
    targets.set(topic, partitions);
  }
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      const committed = await admin.fetchOffsets({ groupId, topics: [...targets.keys()] });
      const done = committed.every(({ topic, partitions }) =>
        [...(targets.get(topic) ?? [])].every(([partition, last]) => {
          const offset = partitions.find((p) => p.partition === partition)?.offset ?? '-1';
          return BigInt(offset) > last;
        }),
      );
      if (done) return performance.now();
      if (Date.now() > deadline)
        throw new Error(
          `group ${groupId} did not commit past the last records in ${String(options.timeoutMs)} ms`,
        );
      await sleep(options.intervalMs ?? 50);
    }
  } finally {
    await admin.disconnect();
  }
}
