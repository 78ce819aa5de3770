import type { Transaction } from './kafka.js';

import { produceRequests } from './produce-requests.js';
import type { OutputMessage } from './records.js';
import { withRetry, type RetryPolicy } from './retry.js';
import type { BatchHandler, RecordBatch } from './transactional-processor.js';

/** What a batch's transaction needs of a kafkajs transactional producer. */
export interface TransactionalProducer {
  transaction(): Promise<Pick<Transaction, 'sendBatch' | 'sendOffsets' | 'commit' | 'abort'>>;
}

export interface ProcessBatchOptions {
  producer: TransactionalProducer;
  groupId: string;
  batch: RecordBatch;
  handle: BatchHandler;
  /** Whether the batch's partition has moved to another member since it was fetched. */
  isStale: () => boolean;
  /** The consumer's heartbeat, for handlers that run long (see `BatchContext.heartbeat`). */
  heartbeat?: () => Promise<void>;
  policy: RetryPolicy;
  /** Aborted when the service stops: handed to the handler, and ends the retries. */
  signal: AbortSignal;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

export interface ProcessedBatch {
  outcome: 'committed' | 'stale';
  /** Output records of the attempt that ended it. */
  produced: number;
}

/**
 * One batch, exactly once: handle it, send its output and its input offsets in one transaction,
 * commit. A retriable failure aborts the transaction and handles the batch again, per `policy`;
 * any other failure aborts and rejects. A handler's `afterCommit` effects run only for the attempt
 * whose transaction committed. A batch whose partition moved away is aborted before its offsets
 * are sent (`stale`): the partition's new owner will handle it.
 */
export async function processBatch(options: ProcessBatchOptions): Promise<ProcessedBatch> {
  const { producer, groupId, batch, signal } = options;
  let produced = 0;
  const outcome = await withRetry(
    async () => {
      // Effects of this attempt only: a failed attempt's are dropped with it.
      const effects: (() => void)[] = [];
      const outputs = await options.handle(batch, {
        signal,
        afterCommit: (effect) => effects.push(effect),
        heartbeat: () => {
          void options.heartbeat?.().catch(() => undefined);
        },
      });
      produced = outputs.length;
      const outcome = await commitInTransaction(producer, groupId, batch, outputs, options.isStale);
      if (outcome === 'committed') for (const effect of effects) effect();
      return outcome;
    },
    { policy: options.policy, signal, ...(options.onRetry ? { onRetry: options.onRetry } : {}) },
  );
  return { outcome, produced };
}

async function commitInTransaction(
  producer: TransactionalProducer,
  groupId: string,
  batch: RecordBatch,
  outputs: readonly OutputMessage[],
  isStale: () => boolean,
): Promise<'committed' | 'stale'> {
  const lastOffset = batch.records.at(-1)?.offset ?? '0';
  const transaction = await producer.transaction();
  try {
    for (const topicMessages of produceRequests(outputs)) {
      await transaction.sendBatch({ topicMessages });
    }
    // The partition moved to another member during the batch: it will redo the batch; we must
    // not commit offsets for a partition we no longer own.
    if (isStale()) {
      await transaction.abort();
      return 'stale';
    }
    await transaction.sendOffsets({
      consumerGroupId: groupId,
      topics: [
        {
          topic: batch.topic,
          partitions: [
            { partition: batch.partition, offset: (BigInt(lastOffset) + 1n).toString() },
          ],
        },
      ],
    });
    await transaction.commit();
    return 'committed';
  } catch (error) {
    await transaction.abort().catch(() => undefined);
    throw error;
  }
}
