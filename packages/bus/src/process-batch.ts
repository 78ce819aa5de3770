import type { DeadLetterPolicy } from './dead-letter-policy.js';
import { deadLetterMessage, type DeadLetterReason } from './dead-letter.js';
import { isRetriable } from './errors.js';
import type { Transaction } from './kafka.js';
import { produceRequests } from './produce-requests.js';
import type { InputRecord, OutputMessage } from './records.js';
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
  /**
   * Where records go that the handler cannot be trusted with: over the size limit, or throwing
   * in a way retrying cannot fix. Without it such a record fails the batch.
   */
  deadLetters?: DeadLetterPolicy;
  /** Each letter the bus itself wrote (not the handler), once its transaction has committed. */
  onDeadLetter?: (record: InputRecord, why: DeadLetterReason) => void;
}

export interface ProcessedBatch {
  outcome: 'committed' | 'stale';
  /** Output records of the committed attempts, dead letters included. */
  produced: number;
}

/** A handler threw on a part of a batch, not retriably: one of its records is to blame. */
class HandlerFailure extends Error {
  override readonly name = 'HandlerFailure';
}

/**
 * Why a handler failed, for the letter: `TypeError: x is undefined`, cut short since an error
 * may quote a whole record.
 */
function failureReason(error: unknown): string {
  const described =
    error instanceof Error ? `${error.name}: ${error.message}` : `thrown: ${String(error)}`;
  return `the service failed on this record: ${described}`;
}

/** kafkajs's codes for a produce the broker refused for its size: the output of one record. */
function isTooLargeForBroker(error: unknown): boolean {
  const type = (error as { type?: unknown } | null)?.type;
  return type === 'MESSAGE_TOO_LARGE' || type === 'RECORD_LIST_TOO_LARGE';
}

/**
 * One batch, exactly once: handle it, send its output and its input offsets in one transaction,
 * commit. A retriable failure aborts the transaction and handles the batch again, per `policy`;
 * any other failure aborts and rejects. A handler's `afterCommit` effects run only for the attempt
 * whose transaction committed. A batch whose partition moved away is aborted before its offsets
 * are sent (`stale`): the partition's new owner will handle it.
 *
 * With `deadLetters`, no record can fail its batch for good. A record over the size limit is
 * dead-lettered without being handed to the handler. When the handler throws a non-retriable
 * error, the batch is split in halves, each handled and committed on its own, down to the one
 * record to blame, which is dead-lettered (`DW_HANDLER_FAILED`) in a transaction with its offset;
 * the records after it are handled as usual. A poison record costs about log₂(batch) attempts.
 */
export async function processBatch(options: ProcessBatchOptions): Promise<ProcessedBatch> {
  const { batch, deadLetters } = options;
  if (!deadLetters) return attemptPart(options, batch.records, []);
  let produced = 0;
  // Parts still to do, in offset order; each commits its own offsets when it succeeds.
  const pending: (readonly InputRecord[])[] = [batch.records];
  for (let part = pending.shift(); part; part = pending.shift()) {
    try {
      const done = await attemptPart(options, part, []);
      produced += done.produced;
      if (done.outcome === 'stale') return { outcome: 'stale', produced };
    } catch (error) {
      if (!(error instanceof HandlerFailure)) throw error;
      const [only] = part;
      if (!only) throw error;
      if (part.length > 1) {
        const half = Math.ceil(part.length / 2);
        pending.unshift(part.slice(0, half), part.slice(half));
        continue;
      }
      const why: DeadLetterReason = {
        code: 'DW_HANDLER_FAILED',
        reason: failureReason(error.cause),
      };
      const done = await attemptPart(options, [], [{ record: only, why }]);
      produced += done.produced;
      if (done.outcome === 'stale') return { outcome: 'stale', produced };
    }
  }
  return { outcome: 'committed', produced };
}

/**
 * Handles `records` (a run of the batch, in order) and commits their output and offsets, retrying
 * per policy; `lettered` are records given up on already, whose letters and offsets go in the
 * same transaction. Rejects with a HandlerFailure when the handler throws for good.
 */
async function attemptPart(
  options: ProcessBatchOptions,
  records: readonly InputRecord[],
  lettered: readonly { record: InputRecord; why: DeadLetterReason }[],
): Promise<ProcessedBatch> {
  const { producer, groupId, batch, signal, deadLetters } = options;
  const last = [...records, ...lettered.map(({ record }) => record)].reduce<
    InputRecord | undefined
  >(
    (latest, record) =>
      latest === undefined || BigInt(record.offset) > BigInt(latest.offset) ? record : latest,
    undefined,
  );
  let produced = 0;
  const outcome = await withRetry(
    async () => {
      // Effects of this attempt only: a failed attempt's are dropped with it.
      const effects: (() => void)[] = [];
      const letters = [...lettered];
      let toHandle = records;
      if (deadLetters) {
        const fitting: InputRecord[] = [];
        toHandle = fitting;
        for (const record of records) {
          const bytes = (record.key?.length ?? 0) + (record.value?.length ?? 0);
          const limit = deadLetters.maxRecordBytes(record.topic);
          if (bytes <= limit) fitting.push(record);
          else {
            letters.push({
              record,
              why: {
                code: 'DW_RECORD_TOO_LARGE',
                reason: `the record is ${bytes} bytes, over the service's MAX_RECORD_BYTES (${limit}); not read`,
              },
            });
          }
        }
      }
      const outputs: OutputMessage[] = [];
      if (deadLetters) {
        const now = deadLetters.now();
        for (const { record, why } of letters) {
          outputs.push(
            await deadLetterMessage({
              service: deadLetters.service,
              record,
              why,
              deadLetterTopic: deadLetters.topic,
              codec: deadLetters.codec,
              now,
              maxMessageBytes: deadLetters.maxMessageBytes,
            }),
          );
          effects.push(() => options.onDeadLetter?.(record, why));
        }
      }
      if (toHandle.length > 0 || !deadLetters) {
        try {
          const handled = await options.handle(
            { ...batch, records: toHandle },
            {
              signal,
              afterCommit: (effect) => effects.push(effect),
              heartbeat: () => {
                void options.heartbeat?.().catch(() => undefined);
              },
            },
          );
          outputs.push(...handled);
        } catch (error) {
          // Retriable: try the same again. Stopping: the batch is redone after the restart.
          if (!deadLetters || isRetriable(error) || signal.aborted) throw error;
          throw new HandlerFailure('the handler failed', { cause: error });
        }
      }
      produced = outputs.length;
      const at = last ?? batch.records.at(-1);
      const outcome = await commitInTransaction(
        producer,
        groupId,
        { topic: batch.topic, partition: batch.partition, lastOffset: at?.offset ?? '0' },
        outputs,
        options.isStale,
        deadLetters !== undefined,
      );
      if (outcome === 'committed') for (const effect of effects) effect();
      return outcome;
    },
    {
      policy: options.policy,
      signal,
      ...(options.onRetry ? { onRetry: options.onRetry } : {}),
    },
  );
  return { outcome, produced };
}

async function commitInTransaction(
  producer: TransactionalProducer,
  groupId: string,
  batch: { topic: string; partition: number; lastOffset: string },
  outputs: readonly OutputMessage[],
  isStale: () => boolean,
  isolating: boolean,
): Promise<'committed' | 'stale'> {
  const { lastOffset } = batch;
  const transaction = await producer.transaction();
  try {
    // The offsets go to the transaction while the outputs are sent, not after them: the two
    // request chains (AddPartitionsToTxn, Produce; AddOffsetsToTxn, TxnOffsetCommit) do not wait on
    // each other, and a commit needs both. Both settle before the commit or the abort (each in an
    // async function, so that even a step that throws instead of rejecting leaves none running).
    const sending = (async () => {
      for (const topicMessages of produceRequests(outputs)) {
        await transaction.sendBatch({ topicMessages });
      }
    })();
    const addingOffsets = (async () => {
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
    })();
    const [sent, offsetsAdded] = await Promise.allSettled([sending, addingOffsets]);
    if (sent.status === 'rejected') throw sent.reason;
    if (offsetsAdded.status === 'rejected') throw offsetsAdded.reason;
    // The partition moved to another member during the batch: it will redo the batch; we must
    // not commit offsets for a partition we no longer own. The abort discards them.
    if (isStale()) {
      await transaction.abort();
      return 'stale';
    }
    await transaction.commit();
    return 'committed';
  } catch (error) {
    await transaction.abort().catch(() => undefined);
    // Output too large for the broker comes from some record of the part: isolate it like a throw.
    if (isolating && isTooLargeForBroker(error))
      throw new HandlerFailure('the broker refused the output', { cause: error });
    throw error;
  }
}
