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
    const marks = watermarks.get(topic);
    if (marks === undefined) continue;
    for (const { partition, offset } of partitions) {
      const mark = marks.find((m) => m.partition === partition);
      if (mark === undefined) continue;
      const position = BigInt(offset);
      if (position >= 0n) anyCommitted = true;
      const from = position >= 0n ? position : BigInt(mark.low);
      const behind = BigInt(mark.high) - from;
      if (behind > 0n) lag += Number(behind);
    }
  }
  return anyCommitted ? lag : null;
}
