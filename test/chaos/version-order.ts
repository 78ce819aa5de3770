/** One record of `model-versions`, as read back: where it sits and which version it names. */
export interface VersionRecord {
  partition: number;
  /** Kafka offset, as a decimal string. */
  offset: string;
  model: string;
  version: number;
}

export interface VersionOrderCheck {
  /** A version published after a higher one of its model in the same partition. */
  backwards: { partition: number; offset: string; model: string; version: number; after: number }[];
  /** A model's version number published more than once. */
  reused: { model: string; version: number; copies: number }[];
}

/**
 * Versions of a model never go backwards within a partition (in offset order), and no version
 * number is published twice anywhere in the topic.
 *
 * @example
 * ```ts
 * checkVersionOrder([
 *   { partition: 0, offset: '0', model: 'sea', version: 2 },
 *   { partition: 0, offset: '1', model: 'sea', version: 1 },
 * ]);
 * // { backwards: [{ partition: 0, offset: '1', model: 'sea', version: 1, after: 2 }], reused: [] }
 * ```
 */
export function checkVersionOrder(records: readonly VersionRecord[]): VersionOrderCheck {
  const sorted = [...records].sort(
    (a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)),
  );
  const highest = new Map<string, number>();
  const copies = new Map<string, { model: string; version: number; copies: number }>();
  const backwards: VersionOrderCheck['backwards'] = [];
  for (const record of sorted) {
    const place = `${record.partition}\u0000${record.model}`;
    const before = highest.get(place);
    if (before !== undefined && record.version < before) {
      backwards.push({ ...record, after: before });
    }
    highest.set(place, Math.max(before ?? 0, record.version));
    const key = `${record.model}\u0000${record.version}`;
    const seen = copies.get(key) ?? { model: record.model, version: record.version, copies: 0 };
    seen.copies++;
    copies.set(key, seen);
  }
  return { backwards, reused: [...copies.values()].filter((entry) => entry.copies > 1) };
}
