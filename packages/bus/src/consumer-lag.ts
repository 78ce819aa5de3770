/** A partition's offsets as `admin.fetchTopicOffsets` gives them: decimal strings. */
export interface PartitionWatermarks {
  partition: number;
  low: string;
  high: string;
}

/** A group's committed offsets per topic, as `admin.fetchOffsets` gives them (`-1`: none). */
export interface CommittedOffsets {
  topic: string;
  partitions: { partition: number; offset: string }[];
}

/**
 * How many records a consumer group has yet to read, summed over the partitions it has committed
 * offsets for: high watermark − committed offset. A partition with nothing committed counts from
 * its low watermark (everything still there is unread). `null` when the group has committed
 * nothing at all, so "never ran" is not shown as "caught up".
 *
 * With transactional producers the last offset of a partition may be a commit marker no consumer
 * ever reads, so an idle group can show a lag of 1 per such partition.
 *
 * @example
 * ```ts
 * const committed = [
 *   { topic: 'events', partitions: [{ partition: 0, offset: '40' }, { partition: 1, offset: '-1' }] },
 * ];
 * const marks = [{ partition: 0, low: '0', high: '50' }, { partition: 1, low: '5', high: '8' }];
 * groupLag(committed, new Map([['events', marks]])); // => 13
 * groupLag([], new Map([['events', marks]])); // => null
 * ```
 */
export function groupLag(
  committed: readonly CommittedOffsets[],
  watermarks: ReadonlyMap<string, readonly PartitionWatermarks[]>,
): number | null {
  let lag = 0;
  let anyCommitted = false;
  for (const { topic, partitions } of committed) {
    // Only the partitions the group committed, and that still exist.
    const marks = (watermarks.get(topic) ?? []).filter((mark) =>
      partitions.some(({ partition }) => partition === mark.partition),
    );
    anyCommitted ||= marks.some((mark) =>
      partitions.some((p) => p.partition === mark.partition && BigInt(p.offset) >= 0n),
    );
    lag += unreadRecords(topic, committed, marks);
  }
  return anyCommitted ? lag : null;
}

/**
 * How many records of `topic` a group has yet to read: over every partition `watermarks` lists,
 * high watermark − the group's committed offset, or − the low watermark where it committed
 * nothing. Unlike {@link groupLag} a group that never ran is behind by everything, which is what
 * a producer waiting for its consumers needs to know.
 *
 * @example
 * ```ts
 * const committed = [{ topic: 'events', partitions: [{ partition: 0, offset: '40' }] }];
 * const marks = [{ partition: 0, low: '0', high: '50' }, { partition: 1, low: '5', high: '8' }];
 * unreadRecords('events', committed, marks); // => 13
 * unreadRecords('events', [], marks); // => 53
 * ```
 */
export function unreadRecords(
  topic: string,
  committed: readonly CommittedOffsets[],
  watermarks: readonly PartitionWatermarks[],
): number {
  const offsets = committed.find((c) => c.topic === topic)?.partitions ?? [];
  let unread = 0n;
  for (const mark of watermarks) {
    const offset = BigInt(offsets.find((o) => o.partition === mark.partition)?.offset ?? -1);
    const from = offset >= 0n ? offset : BigInt(mark.low);
    const behind = BigInt(mark.high) - from;
    if (behind > 0n) unread += behind;
  }
  return Number(unread);
}
