import { setTimeout as sleep } from 'node:timers/promises';

import type { Logger } from '@driftwatch/service-kit';
import pLimit, { type LimitFunction } from 'p-limit';

import type { DeadLetterPolicy } from './dead-letter-policy.js';
import { noDiagnostics, type BusDiagnostics } from './diagnostics.js';
import { BusError, isFenced, isRebalance, isRetriable, isStuckTransaction } from './errors.js';
import { coPartitionedAssigner } from './co-partitioned-assigner.js';
import { createKeyPartitioner } from './key-partitioner.js';
import {
  KafkaJSError,
  PartitionAssigners,
  type ConsumerRunConfig,
  type EachBatchPayload,
  type Kafka,
} from './kafka.js';
import { deadLetterCodeHeader } from './dead-letter.js';
import { PartitionProducers, type PartitionClaim } from './partition-producers.js';
import { processBatch } from './process-batch.js';
import { restartAbandonedConsumer } from './restart-abandoned-consumer.js';
import {
  recordCoordinate,
  toInputRecord,
  type InputRecord,
  type OutputMessage,
} from './records.js';
import { defaultRetryPolicy, withRetry, type RetryPolicy } from './retry.js';

export interface RecordBatch {
  topic: string;
  partition: number;
  records: readonly InputRecord[];
}

/** What a handler gets besides its batch, for one attempt at it. */
export interface BatchContext {
  /** Aborted when the service stops. */
  readonly signal: AbortSignal;
  /**
   * Runs `effect` once this attempt's transaction has committed, and never if it does not: for
   * what must happen once per batch however often it is handled — counting it, or making state
   * staged while handling it current.
   */
  afterCommit(effect: () => void): void;
  /**
   * Tells the consumer group this member is alive, for a handler that runs longer than the
   * session timeout (30 s), such as a training program: without it the member is dropped from the
   * group mid-batch. Sends at most one heartbeat per heartbeat interval and never throws: a
   * rebalance it learns of is dealt with once the batch is done.
   */
  heartbeat(): void;
}

/**
 * The service's logic: given a batch of consumed records, the records to produce. It may be
 * called again for the same batch (after a retriable failure or a crash), so it must decide the
 * same way twice — its output is committed together with the batch's offsets, or not at all.
 */
export type BatchHandler = (batch: RecordBatch, context: BatchContext) => Promise<OutputMessage[]>;

export interface TransactionalProcessorOptions {
  kafka: Kafka;
  /**
   * Also names the transactional ids: `<groupId>-<topic>-<partition>`, one per input partition
   * whichever member owns it, so the next owner fences the last (see PartitionProducers).
   */
  groupId: string;
  topics: readonly string[];
  handle: BatchHandler;
  logger: Logger;
  diagnostics?: BusDiagnostics;
  retryPolicy?: RetryPolicy;
  maxBytesPerPartition?: number;
  /**
   * Called when this member (re)joins the group, before any batch of the new assignment: state a
   * handler keeps per partition may belong to another member now and must be reloaded.
   */
  onGroupJoin?: () => void;
  /**
   * Told whether the brokers answer: reached on every fetch, heartbeat, join and commit; lost on a
   * crash, on a batch retried for a Kafka error, and when nothing has answered for a while outside
   * a batch (service-kit's `HealthChecks.dependency`).
   */
  kafkaHealth?: { up(): void; down(reason: string): void };
  /** How long the group waits for a silent member (default 10 s; see defaultSessionTimeoutMs). */
  sessionTimeoutMs?: number;
  /** Isolates records too large or poisonous to handle onto the dead-letter topic. */
  deadLetters?: DeadLetterPolicy;
  /**
   * Partition p of every input topic to the same member (see `coPartitionedAssignment`), for a
   * handler that keeps state per key across topics keyed alike. Default: kafkajs' round-robin.
   */
  coPartitioned?: boolean;
  /**
   * How many partitions' batches of one fetch are handled at once (default 1: one after the
   * other). Each partition has its own transactional producer, so their transactions overlap
   * instead of queueing: a record waits for one transaction, not for one per partition fetched
   * with it. For a handler that keeps no state across batches, keeps it where each update is
   * atomic on its own (the joiner's Redis), or keeps it per partition: with `coPartitioned`,
   * batches of the same partition number (of any topic) still come one at a time, so a handler
   * whose state is per key and whose inputs are keyed alike (the detector) sees each key's
   * batches in turn.
   */
  partitionsConcurrently?: number;
}

/**
 * A member killed with `kill -9` holds its partitions until the group stops waiting for it: with
 * kafkajs' 30 s, a chaos run's groups committed again a median 86 s after a kill (two rebalances:
 * the eviction, then the restarted member's join). 10 s with a heartbeat a second keeps a member
 * that is only busy (a batch of a few seconds on a loaded machine) and hands a dead one's work on
 * three times sooner. The trainer, whose batches run for minutes, heartbeats from inside them.
 */
export const defaultSessionTimeoutMs = 10_000;

/** Outside a batch the consumer fetches every 250 ms and heartbeats every 3 s: silence this long means the brokers do not answer. */
const silenceMeansUnreachableMs = 10_000;

export interface RunningProcessor {
  /** Finishes the batch in hand (its transaction commits or aborts), then disconnects. */
  stop(): Promise<void>;
  /** Rejects if processing fails in a way retrying cannot fix; the service should then exit. */
  readonly done: Promise<void>;
  readonly healthy: () => boolean;
}

/**
 * Consume → handle → produce, exactly once: each batch's output and its input offsets are
 * committed in one Kafka transaction, so after any crash the batch is either fully visible
 * downstream (read_committed) and never re-read, or not visible and read again.
 */
export async function startTransactionalProcessor(
  options: TransactionalProcessorOptions,
): Promise<RunningProcessor> {
  const { kafka, groupId, logger } = options;
  const diagnostics = options.diagnostics ?? noDiagnostics;
  const policy = options.retryPolicy ?? { ...defaultRetryPolicy, retries: Infinity };
  const sessionTimeoutMs = options.sessionTimeoutMs ?? defaultSessionTimeoutMs;
  const stopping = new AbortController();
  const consumer = kafka.consumer({
    groupId,
    readUncommitted: false,
    sessionTimeout: sessionTimeoutMs,
    // A tenth of the session: a member misses several before the group gives up on it.
    heartbeatInterval: Math.max(500, Math.round(sessionTimeoutMs / 10)),
    // The broker answers a fetch as soon as it has one byte past the last stable offset (kafkajs'
    // minBytes 1), so this only bounds an idle poll; it is not added to a record's latency.
    // read_committed: a record becomes readable when its producer's transaction commits, which
    // is why the upstream service's commit time, not this wait, is what a record waits for.
    maxWaitTimeInMs: 250,
    ...(options.coPartitioned
      ? { partitionAssigners: [coPartitionedAssigner, PartitionAssigners.roundRobin] }
      : {}),
    ...(options.maxBytesPerPartition ? { maxBytesPerPartition: options.maxBytesPerPartition } : {}),
  });
  const producerOptions = {
    idempotent: true,
    maxInFlightRequests: 1,
    transactionTimeout: 30_000,
    createPartitioner: createKeyPartitioner,
    // Idempotence needs unlimited retries of a produce; the batch as a whole is retried above.
    // Starting small matters: right after a commit the broker answers CONCURRENT_TRANSACTIONS
    // until its markers are written (milliseconds), and a 300 ms first wait was most of the
    // alert latency. (Patched kafkajs retries that answer itself for up to 62 ms first; this
    // is for what outlasts it.) The backoff still grows to 10 s for a broker that is away.
    retry: { initialRetryTime: 25, maxRetryTime: 10_000, retries: Number.MAX_SAFE_INTEGER },
  };
  const admin = kafka.admin();
  const producers = new PartitionProducers({
    transactionalIdPrefix: groupId,
    create: async (transactionalId) => {
      const producer = kafka.producer({ ...producerOptions, transactionalId });
      await producer.connect();
      return producer;
    },
    committedOffsets: async (topic, partitions) => {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return new Map(
        (offsets?.partitions ?? [])
          .filter(({ partition }) => partitions.includes(partition))
          .map(({ partition, offset }) => [partition, BigInt(offset)]),
      );
    },
  });

  let healthy = true;
  let rejectDone: (error: unknown) => void = () => undefined;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  // The service awaits `done`; an unobserved rejection must not crash the process before that.
  done.catch(() => undefined);

  let failure: { error: unknown } | undefined;
  let stopPromise: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopPromise ??= (async () => {
      stopping.abort();
      clearInterval(watchdog);
      try {
        await consumer.stop();
        await consumer.disconnect();
        await producers.closeAll();
        await admin.disconnect();
      } finally {
        // A processor that stopped because it failed must say so: the service then exits 1.
        if (failure) rejectDone(failure.error);
        else resolveDone();
      }
    })();
    return stopPromise;
  };
  const fail = (error: unknown): void => {
    healthy = false;
    failure ??= { error };
    logger.error({ event: 'processor.failed', err: error }, 'batch processing failed; stopping');
    // Not awaited: stop() waits for the batch in hand, which is the one calling fail().
    void stop().catch(() => undefined);
  };

  const kafkaHealth = options.kafkaHealth;
  let lastAnswerAt = Date.now();
  /** Batches in hand: several at once with `partitionsConcurrently`. */
  let inBatches = 0;
  const answered = (): void => {
    lastAnswerAt = Date.now();
    kafkaHealth?.up();
  };
  for (const event of [consumer.events.FETCH, consumer.events.HEARTBEAT])
    consumer.on(event, answered);
  const watchdog = setInterval(() => {
    const silentMs = Date.now() - lastAnswerAt;
    if (inBatches === 0 && silentMs > silenceMeansUnreachableMs) {
      kafkaHealth?.down(`no fetch or heartbeat answered for ${Math.round(silentMs / 1000)} s`);
    }
  }, 1000);
  watchdog.unref();

  consumer.on(consumer.events.CRASH, ({ payload }) => {
    healthy = payload.restart;
    kafkaHealth?.down(payload.error.message);
  });
  restartAbandonedConsumer(consumer, {
    run: () => consumer.run(runConfig),
    signal: stopping.signal,
    onRestart: (error) => {
      logger.warn(
        { event: 'processor.consumer_restart', err: error },
        'the Kafka client gave up on the brokers; starting the consumer again',
      );
    },
    fail,
  });
  let memberId: string | undefined;
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    healthy = true;
    answered();
    // A new member id means this member was out of the group (evicted, or its consumer
    // restarted): others may have owned any of its partitions meanwhile, so it claims them all.
    producers.assign(payload.memberAssignment, { newMember: payload.memberId !== memberId });
    memberId = payload.memberId;
    options.onGroupJoin?.();
  });

  // Started means consuming: a caller that starts feeding the topics next (a demo, a test, a
  // deploy's smoke check) must not race the first group join, which on a fresh broker takes
  // seconds. A join that does not come in time is not fatal: kafkajs keeps trying.
  const joined = new Promise<void>((resolve) => {
    consumer.on(consumer.events.GROUP_JOIN, () => {
      resolve();
    });
  });
  // Retriable answers at start (a coordinator still loading, a new topic without a leader yet)
  // are waited out, not a crash on a cold start.
  const startUp = { signal: stopping.signal };
  await withRetry(() => admin.connect(), startUp);
  await withRetry(() => consumer.connect(), startUp);
  await withRetry(
    () => consumer.subscribe({ topics: [...options.topics], fromBeginning: true }),
    startUp,
  );
  const handleBatch = async (payload: EachBatchPayload): Promise<void> => {
    const { batch } = payload;
    const isStopping = (): boolean => stopping.signal.aborted;
    if (batch.messages.length === 0 || isStopping()) return;
    const started = performance.now();
    inBatches++;
    let claim: PartitionClaim | undefined;
    try {
      // Before any batch of a new assignment: fence every old owner of our new partitions.
      await withRetry(() => producers.claimAssigned(), {
        policy,
        signal: stopping.signal,
        onRetry: (error, attempt, delayMs) => {
          if (isUnreachable(error)) kafkaHealth?.down((error as Error).message);
          logger.warn(
            { event: 'partitions.claim_retry', attempt, delayMs, err: error },
            'retrying the claim of newly assigned partitions',
          );
        },
      });
      claim = producers.claim(batch.topic, batch.partition);
    } catch (error) {
      inBatches--;
      payload.pause();
      if (isStopping()) return;
      fail(
        new BusError(
          'DW_BUS_PROCESSOR_FAILED',
          `could not claim the partitions assigned to this member (transactional ids ${groupId}-<topic>-<partition>)`,
          { retriable: false, cause: error },
        ),
      );
      return;
    }
    // Fetched for an assignment this member no longer has, or fenced: the owner handles it.
    if (!claim) {
      inBatches--;
      return;
    }
    const { committedOffset } = claim;
    const records = batch.messages
      .filter((message) => BigInt(message.offset) >= committedOffset)
      .map((message) => toInputRecord(batch.topic, batch.partition, message));
    if (records.length === 0) {
      // All of it committed by the partition's previous owner after our consumer fetched it.
      inBatches--;
      payload.resolveOffset(batch.lastOffset());
      return;
    }
    const recordBatch: RecordBatch = { topic: batch.topic, partition: batch.partition, records };
    /** The output of the attempt that ended the batch. */
    let outputs: readonly OutputMessage[] = [];
    try {
      const { outcome, produced } = await processBatch({
        producer: claim.producer,
        groupId,
        batch: recordBatch,
        handle: async (handled, context) => {
          const produced = await options.handle(handled, context);
          outputs = produced;
          return produced;
        },
        isStale: () => payload.isStale(),
        heartbeat: () => payload.heartbeat(),
        policy,
        signal: stopping.signal,
        ...(options.deadLetters ? { deadLetters: options.deadLetters } : {}),
        onDeadLetter: (record, why) => {
          logger.warn(
            { event: 'record.dead_lettered', record: recordCoordinate(record), ...why },
            `record dead-lettered: ${why.code}`,
          );
        },
        onRetry: (error, attempt, delayMs) => {
          if (isUnreachable(error)) kafkaHealth?.down((error as Error).message);
          diagnostics.batchRetried({
            topic: batch.topic,
            partition: batch.partition,
            attempt,
            error,
          });
          logger.warn(
            {
              event: 'batch.retry',
              topic: batch.topic,
              partition: batch.partition,
              attempt,
              delayMs,
              err: error,
            },
            'retrying batch',
          );
        },
      });
      if (outcome === 'committed') {
        answered();
        logDeadLetters(logger, recordBatch, outputs);
        payload.resolveOffset(batch.lastOffset());
        diagnostics.batchProcessed({
          topic: batch.topic,
          partition: batch.partition,
          records: recordBatch.records.length,
          produced,
          durationMs: performance.now() - started,
          lag: Math.max(0, Number(batch.offsetLag())),
        });
      }
    } catch (error) {
      if (isFenced(error) && !isStopping()) {
        // Another member claimed the partition (it was assigned to it while this batch was in
        // hand): this batch's transaction is void. Rejoin to learn the current assignment.
        producers.fenced(batch.topic, batch.partition);
        logger.warn(
          { event: 'processor.fenced', topic: batch.topic, partition: batch.partition },
          'another member owns this partition now; the batch in hand is dropped; rejoining the group',
        );
        throw rebalanceNeeded(error);
      }
      if (isStuckTransaction(error) && !isStopping()) {
        // An abort failed while the broker was away; this producer refuses every transaction
        // from now on. A new one with the partition's id aborts the open transaction, and the
        // rejoin resets every position to the committed offsets, so nothing fetched after this
        // batch can commit past it.
        producers.replace(batch.topic, batch.partition);
        logger.warn(
          {
            event: 'processor.producer_replaced',
            topic: batch.topic,
            partition: batch.partition,
          },
          'the transactional producer is stuck after a failed abort; replacing it and rejoining the group',
        );
        throw rebalanceNeeded(error);
      }
      if (isRebalance(error) && !isStopping()) {
        // The transaction was aborted; kafkajs rejoins on this error, and the batch is read
        // again by whoever owns its partition after the rebalance.
        logger.info(
          { event: 'processor.rebalance', topic: batch.topic, partition: batch.partition },
          'group rebalancing during a batch; rejoining, the batch will be read again',
        );
        throw error;
      }
      // Nothing of this batch was committed. Stop consuming this partition so no later batch
      // commits past it; a restart (or the next owner) processes it again.
      payload.pause();
      if (isStopping()) return;
      fail(
        isRetriable(error)
          ? error
          : new BusError(
              'DW_BUS_PROCESSOR_FAILED',
              `batch ${batch.topic}/${batch.partition} failed`,
              {
                retriable: false,
                cause: error,
              },
            ),
      );
      return;
    } finally {
      inBatches--;
      // Time spent in the handler was not silence from the brokers.
      lastAnswerAt = Math.max(lastAnswerAt, Date.now() - silenceMeansUnreachableMs / 2);
    }
    // The batch is committed whatever the heartbeat says. A rebalance it learns of is thrown to
    // kafkajs, which rejoins the group; any other trouble the next heartbeat meets again.
    await payload.heartbeat().catch((error: unknown) => {
      if (isRebalance(error)) throw error;
      logger.warn({ event: 'processor.heartbeat_failed', err: error }, 'heartbeat failed');
    });
  };
  // Co-partitioned inputs: partition p of every topic holds the same keys, so their batches are
  // handled one after the other (one at a time per partition number), and only batches of
  // different partition numbers overlap.
  const serialByPartition = new Map<number, LimitFunction>();
  const inPartitionOrder = (payload: EachBatchPayload): Promise<void> => {
    const partition = payload.batch.partition;
    let limit = serialByPartition.get(partition);
    if (!limit) {
      limit = pLimit(1);
      serialByPartition.set(partition, limit);
    }
    return limit(() => handleBatch(payload));
  };
  const runConfig: ConsumerRunConfig = {
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: Math.max(1, options.partitionsConcurrently ?? 1),
    eachBatch: options.coPartitioned ? inPartitionOrder : handleBatch,
  };
  await consumer.run(runConfig);

  const joinTimeoutMs = 60_000;
  const stopWaiting = new AbortController();
  const timedOut = await Promise.race([
    joined.then(() => false),
    sleep(joinTimeoutMs, true, { signal: stopWaiting.signal }).catch(() => false),
  ]);
  stopWaiting.abort();
  if (timedOut) {
    logger.warn(
      { event: 'processor.join_slow', groupId, timeoutMs: joinTimeoutMs },
      'consumer group not joined yet; starting anyway',
    );
  }
  return { stop, done, healthy: () => healthy };
}

/**
 * What happened to records, in the log: one info line per committed batch that dead-lettered
 * any, with the count per code (the metrics count them too; this says where and when).
 */
function logDeadLetters(
  logger: Logger,
  batch: RecordBatch,
  outputs: readonly OutputMessage[],
): void {
  const byCode: Record<string, number> = {};
  for (const output of outputs) {
    const code = output.headers?.[deadLetterCodeHeader];
    if (code !== undefined) byCode[code] = (byCode[code] ?? 0) + 1;
  }
  const deadLettered = Object.values(byCode).reduce((sum, count) => sum + count, 0);
  if (deadLettered === 0) return;
  logger.info(
    {
      event: 'batch.dead_lettered',
      topic: batch.topic,
      partition: batch.partition,
      records: batch.records.length,
      deadLettered,
      byCode,
    },
    `${deadLettered} of ${batch.records.length} records dead-lettered`,
  );
}

/**
 * kafkajs errors that mean the brokers did not answer, as opposed to answers it retries (a
 * transaction still finishing, a leader moving), which are normal traffic and must not flap the
 * health check.
 */
const unreachableErrors = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSBrokerNotFound',
]);

function isUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    unreachableErrors.has(error.name) ||
    (error.cause !== undefined && error.cause !== error && isUnreachable(error.cause))
  );
}

/** Thrown out of `eachBatch`, an error kafkajs answers by rejoining the group (it reads `type`). */
function rebalanceNeeded(cause: unknown): Error {
  const error = new KafkaJSError('this member must rejoin its group', {
    retriable: false,
  });
  return Object.assign(error, { type: 'REBALANCE_IN_PROGRESS', cause });
}
