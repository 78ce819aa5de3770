import { setTimeout as sleep } from 'node:timers/promises';

import type { Kafka } from '@driftwatch/bus';

import type { CommitSample } from './recovery-times.js';

/** A consumer group and the topics whose committed offsets are watched. */
export interface WatchedGroup {
  group: string;
  topics: readonly string[];
}

/**
 * Polls the committed offsets of consumer groups and keeps each change with the time it was
 * first seen: what recovery times are measured from. A broker that is away only pauses it.
 */
export class CommitMonitor {
  readonly samples: CommitSample[] = [];
  readonly #kafka: Kafka;
  readonly #groups: readonly WatchedGroup[];
  readonly #last = new Map<string, bigint>();
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(kafka: Kafka, groups: readonly WatchedGroup[]) {
    this.#kafka = kafka;
    this.#groups = groups;
  }

  start(intervalMs = 500): void {
    this.#running = this.#poll(intervalMs);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#running;
  }

  async #poll(intervalMs: number): Promise<void> {
    const admin = this.#kafka.admin();
    let connected = false;
    while (!this.#stopped) {
      try {
        if (!connected) {
          await admin.connect();
          connected = true;
        }
        for (const { group, topics } of this.#groups) {
          const offsets = await admin.fetchOffsets({ groupId: group, topics: [...topics] });
          const at = Date.now();
          for (const { topic, partitions } of offsets) {
            for (const { partition, offset } of partitions) {
              const key = `${group}\u0000${topic}\u0000${partition}`;
              const value = BigInt(offset);
              if (this.#last.get(key) === value) continue;
              this.#last.set(key, value);
              this.samples.push({ at, group, topic, partition, offset: value });
            }
          }
        }
      } catch {
        // The broker restarting: try again next round.
      }
      await sleep(intervalMs);
    }
    if (connected) await admin.disconnect().catch(() => undefined);
  }
}
