/** A consumer group's committed offset for one partition, from the moment it was seen. */
export interface CommitSample {
  /** Epoch ms when the monitor saw this offset first. */
  at: number;
  group: string;
  topic: string;
  partition: number;
  offset: bigint;
}

/** A kill, and the partitions of its group the killed member held. */
export interface KillMoment {
  at: number;
  group: string;
  owned: readonly { topic: string; partition: number }[];
}

/**
 * Milliseconds from a kill until the group commits again on a partition the killed member held:
 * the first sample after the kill whose offset is beyond that partition's offset at the kill.
 * Undefined when it never did (nothing more arrived there, or the run ended first).
 *
 * @example
 * ```ts
 * recoveryMs(
 *   [
 *     { at: 0, group: 'g', topic: 't', partition: 0, offset: 10n },
 *     { at: 9000, group: 'g', topic: 't', partition: 0, offset: 25n },
 *   ],
 *   { at: 1000, group: 'g', owned: [{ topic: 't', partition: 0 }] },
 * ); // 8000
 * ```
 */
export function recoveryMs(samples: readonly CommitSample[], kill: KillMoment): number | undefined {
  let first: number | undefined;
  for (const { topic, partition } of kill.owned) {
    const ofPartition = samples
      .filter((s) => s.group === kill.group && s.topic === topic && s.partition === partition)
      .sort((a, b) => a.at - b.at);
    const atKill = ofPartition.filter((s) => s.at <= kill.at).at(-1)?.offset ?? -1n;
    const next = ofPartition.find((s) => s.at > kill.at && s.offset > atKill);
    if (next && (first === undefined || next.at < first)) first = next.at;
  }
  return first === undefined ? undefined : first - kill.at;
}

/** The median and the maximum, or undefined for no values. */
export function medianAndMax(
  values: readonly number[],
): { median: number; max: number } | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? (sorted[middle] ?? 0)
      : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return { median, max: sorted.at(-1) ?? 0 };
}
