import type { Message, ProducerBatch, TopicOffsets } from './kafka.js';
import type { TransactionalProducer } from './process-batch.js';

/** A record as a read_committed consumer of the output topic would see it. */
export interface CommittedMessage {
  topic: string;
  key: Message['key'];
  value: Message['value'];
  headers: Message['headers'];
}

/**
 * A transactional producer without a broker, for running a handler through `processBatch` in a
 * test: what a committed transaction sent becomes visible in `committed`, an aborted one's never;
 * `offsets` holds each partition's committed consumer offset, as the group coordinator would.
 */
export class InMemoryTransactionalProducer implements TransactionalProducer {
  readonly committed: CommittedMessage[] = [];
  /** `topic/partition` → the next offset the group would read from. */
  readonly offsets = new Map<string, string>();
  transactions = 0;
  aborted = 0;

  transaction(): ReturnType<TransactionalProducer['transaction']> {
    this.transactions++;
    const sent: CommittedMessage[] = [];
    const offsets: TopicOffsets[] = [];
    let open = true;
    const ensureOpen = (step: string): void => {
      if (!open) throw new Error(`${step} on a finished transaction`);
    };
    return Promise.resolve({
      sendBatch: (batch: ProducerBatch) => {
        ensureOpen('sendBatch');
        for (const { topic, messages } of batch.topicMessages ?? [])
          for (const { key, value, headers } of messages) sent.push({ topic, key, value, headers });
        return Promise.resolve([]);
      },
      sendOffsets: ({ topics }) => {
        ensureOpen('sendOffsets');
        offsets.push(...topics);
        return Promise.resolve();
      },
      commit: () => {
        ensureOpen('commit');
        open = false;
        this.committed.push(...sent);
        for (const { topic, partitions } of offsets)
          for (const { partition, offset } of partitions)
            this.offsets.set(`${topic}/${partition}`, offset);
        return Promise.resolve();
      },
      abort: () => {
        ensureOpen('abort');
        open = false;
        this.aborted++;
        return Promise.resolve();
      },
    });
  }
}
