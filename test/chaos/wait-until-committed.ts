import { setTimeout as sleep } from 'node:timers/promises';

import type { Kafka } from '@driftwatch/bus';

import type { ReadRecord } from '../support/topic-reader.js';

/**
 * Waits until `group` has committed past the last of `records` (read back read_committed) in each
 * partition: everything that arrived there has been processed. Fails after `timeoutMs`, naming
 * what is missing — a safety net, not a bound on how fast the group is.
 */
export async function waitUntilCommitted(
  kafka: Kafka,
  group: string,
  topic: string,
  records: readonly ReadRecord[],
  timeoutMs: number,
): Promise<void> {
  const needed = new Map<number, bigint>();
  for (const record of records) {
    const next = BigInt(record.offset) + 1n;
    if (next > (needed.get(record.partition) ?? 0n)) needed.set(record.partition, next);
  }
  if (needed.size === 0) return;
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    let behind = '';
    for (;;) {
      const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      const committed = new Map(
        (offsets?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]),
      );
      const lagging = [...needed].filter(([p, next]) => (committed.get(p) ?? -1n) < next);
      if (lagging.length === 0) return;
      behind = lagging
        .map(([p, next]) => `partition ${p} at ${String(committed.get(p) ?? -1n)} of ${next}`)
        .join(', ');
      if (Date.now() > deadline) {
        throw new Error(`${group} has not committed ${topic} after ${timeoutMs} ms: ${behind}`);
      }
      await sleep(500);
    }
  } finally {
    await admin.disconnect();
  }
}
