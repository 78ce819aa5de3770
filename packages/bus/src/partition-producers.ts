import type { TransactionalProducer } from './process-batch.js';

/** What fencing needs of a kafkajs transactional producer. */
export interface FencingProducer extends TransactionalProducer {
  disconnect(): Promise<void>;
}

/** A topic-partition's producer, and where its committed work ends. */
export interface PartitionClaim {
  producer: FencingProducer;
  /**
   * The group's committed offset when the partition was claimed: records below it were committed
   * by the partition's previous owner (a batch fetched before its last commit) and are skipped.
   */
  committedOffset: bigint;
}

export interface PartitionProducersOptions {
  /** Shared by every instance of a service: a partition's id is the same whoever owns it. */
  transactionalIdPrefix: string;
  /** A connected transactional producer with this id. */
  create(transactionalId: string): Promise<FencingProducer>;
  /** The group's committed offsets of some of a topic's partitions (absent: none committed). */
  committedOffsets(topic: string, partitions: readonly number[]): Promise<Map<number, bigint>>;
}

/**
 * Zombie fencing without KIP-447, as Kafka Streams did before it: one transactional producer per
 * input partition, its id derived from the partition, not the instance.
 *
 * Why: kafkajs sends TxnOffsetCommit without the group generation, so the broker accepts offsets
 * from a member the group has already evicted (frozen past its session timeout, a long GC pause, a
 * rebalance while a slow batch was in hand). With an id per instance, the partition's new owner
 * cannot fence the old one, and both commit the same input: a chaos run joined 2,207 labels twice
 * after one SIGSTOP, and CI joined 8 twice after plain kills.
 *
 * With an id per partition, the new owner's InitProducerId (the claim) bumps the id's epoch: the
 * broker first completes or aborts the old owner's open transaction, then refuses everything it
 * sends (INVALID_PRODUCER_EPOCH). Only then does the new owner read the committed offset, so a
 * batch its consumer fetched from an older position is trimmed of what the old owner committed.
 * Every partition newly assigned is claimed before the first batch after a join, so a handler that
 * restores state on a join (the detector) reads it after every old owner was fenced.
 *
 * The cost is one producer (its own connections) per input partition a member holds.
 */
export class PartitionProducers {
  readonly #options: PartitionProducersOptions;
  readonly #claims = new Map<string, PartitionClaim>();
  /** The member's partitions in the group's current generation. */
  #assigned = new Map<string, { topic: string; partition: number }>();
  /** Assigned, not yet claimed. */
  #unclaimed = new Map<string, { topic: string; partition: number }>();
  /** Fenced by another owner: left alone until the next assignment says otherwise. */
  readonly #fenced = new Set<string>();
  /** The claim in flight, shared by every batch that asks meanwhile. */
  #claiming: Promise<void> | undefined;

  constructor(options: PartitionProducersOptions) {
    this.#options = options;
  }

  transactionalId(topic: string, partition: number): string {
    return `${this.#options.transactionalIdPrefix}-${topic}-${partition}`;
  }

  /**
   * The group gave this member a new assignment (kafkajs' GROUP_JOIN). Partitions that left are
   * released; partitions that arrived are claimed before the next batch. A partition this member
   * kept keeps its producer: no one else was assigned it in between — unless the member is
   * `newMember` (it was out of the group, evicted or restarted), when every partition is claimed
   * again.
   */
  assign(
    assignment: Readonly<Record<string, readonly number[]>>,
    { newMember = false }: { newMember?: boolean } = {},
  ): void {
    const assigned = new Map<string, { topic: string; partition: number }>();
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) assigned.set(key(topic, partition), { topic, partition });
    }
    for (const name of [...this.#claims.keys()]) {
      if (newMember || !assigned.has(name)) this.#release(name);
    }
    this.#fenced.clear();
    this.#assigned = assigned;
    this.#unclaimed = new Map([...assigned].filter(([name]) => !this.#claims.has(name)));
  }

  /** Claims every partition assigned and not yet claimed: fences their old owners, reads their committed offsets. */
  claimAssigned(): Promise<void> {
    // Batches of several partitions may ask at once: they share one claim, or each would open a
    // producer per transactional id, and the later would fence the earlier.
    this.#claiming ??= this.#claimUnclaimed().finally(() => {
      this.#claiming = undefined;
    });
    return this.#claiming;
  }

  async #claimUnclaimed(): Promise<void> {
    if (this.#unclaimed.size === 0) return;
    const unclaimed = [...this.#unclaimed];
    const settled = await Promise.allSettled(
      unclaimed.map(async ([, { topic, partition }]) => {
        const producer = await this.#options.create(this.transactionalId(topic, partition));
        try {
          // The first transaction() sends InitProducerId: the fence. Nothing was sent in it, so
          // abort() ends it on the client alone.
          await (await producer.transaction()).abort();
        } catch (error) {
          await producer.disconnect().catch(() => undefined);
          throw error;
        }
        return producer;
      }),
    );
    const producers = settled.flatMap((result) =>
      result.status === 'fulfilled' ? [result.value] : [],
    );
    const failed = settled.find((result) => result.status === 'rejected');
    if (failed) {
      // One partition failed to claim: none is claimed, and no producer is left open.
      await Promise.all(producers.map((producer) => producer.disconnect().catch(() => undefined)));
      throw failed.reason;
    }
    const byTopic = new Map<string, number[]>();
    for (const [, { topic, partition }] of unclaimed) {
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
    }
    const committed = new Map<string, bigint>();
    try {
      for (const [topic, partitions] of byTopic) {
        const offsets = await this.#options.committedOffsets(topic, partitions);
        for (const partition of partitions)
          committed.set(key(topic, partition), offsets.get(partition) ?? -1n);
      }
    } catch (error) {
      await Promise.all(producers.map((producer) => producer.disconnect().catch(() => undefined)));
      throw error;
    }
    unclaimed.forEach(([name], index) => {
      const producer = producers[index];
      if (!producer) return;
      this.#claims.set(name, { producer, committedOffset: committed.get(name) ?? -1n });
      this.#unclaimed.delete(name);
    });
  }

  /**
   * The partition's claim, if this member may commit for it: undefined when the partition is not
   * in the current assignment, was fenced, or is not claimed yet.
   */
  claim(topic: string, partition: number): PartitionClaim | undefined {
    const name = key(topic, partition);
    if (this.#fenced.has(name)) return undefined;
    return this.#claims.get(name);
  }

  /** Another owner fenced this partition's producer: never use it again, nor claim it back until the group says so. */
  fenced(topic: string, partition: number): void {
    const name = key(topic, partition);
    this.#release(name);
    this.#fenced.add(name);
  }

  /** This partition's producer is unusable (see isStuckTransaction): claim it again with a new one before the next batch. */
  replace(topic: string, partition: number): void {
    const name = key(topic, partition);
    this.#release(name);
    const assigned = this.#assigned.get(name);
    if (assigned && !this.#fenced.has(name)) this.#unclaimed.set(name, assigned);
  }

  /** How many partitions hold a producer now. */
  get size(): number {
    return this.#claims.size;
  }

  async closeAll(): Promise<void> {
    const producers = [...this.#claims.values()].map(({ producer }) => producer);
    this.#claims.clear();
    this.#unclaimed = new Map(this.#assigned);
    await Promise.all(producers.map((producer) => producer.disconnect().catch(() => undefined)));
  }

  #release(name: string): void {
    const claim = this.#claims.get(name);
    this.#claims.delete(name);
    // Not awaited: a disconnect waits for nothing the batch loop needs.
    void claim?.producer.disconnect().catch(() => undefined);
  }
}

function key(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
