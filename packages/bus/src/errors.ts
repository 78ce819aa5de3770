import { DriftwatchError } from '@driftwatch/errors';

export type BusErrorCode =
  | 'DW_BUS_PROVISIONING_FAILED'
  /** Topics a service keeps state across, keyed alike, have different partition counts. */
  | 'DW_BUS_NOT_CO_PARTITIONED'
  | 'DW_BUS_PROCESSOR_FAILED'
  | 'DW_BUS_RETRIES_EXHAUSTED'
  | 'DW_BUS_STOPPED';

/**
 * Errors of the bus layer. `retriable` says whether trying the same thing again later may work
 * (a broker restart, a rebalance) — kept apart from `code`, which says what happened.
 */
export class BusError extends DriftwatchError<BusErrorCode> {
  override readonly name = 'BusError';
  /** Every bus error says whether it is retriable: the caller must not assume either way. */
  declare readonly retriable: boolean;
}

/** Whether an error from a handler, Redis or kafkajs says "try again" (they all use `retriable`). */
export function isRetriable(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const candidate = error as {
    retriable?: unknown;
    name?: unknown;
    code?: unknown;
    cause?: unknown;
  };
  if (candidate.retriable === true) return true;
  // kafkajs gives up on its own retries with a non-retriable wrapper, and calls a coordinator it
  // could not find for a while non-retriable: both are a broker away, which a restart brings back.
  if (
    (candidate.name === 'KafkaJSNumberOfRetriesExceeded' ||
      candidate.name === 'KafkaJSNonRetriableError') &&
    candidate.cause !== undefined &&
    candidate.cause !== error
  ) {
    return isRetriable(candidate.cause);
  }
  if (candidate.name === 'KafkaJSGroupCoordinatorNotFound') return true;
  // ioredis and node sockets signal transient trouble by error code rather than a flag.
  return (
    typeof candidate.code === 'string' &&
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN'].includes(candidate.code)
  );
}

/**
 * kafkajs' answers that mean "the group is changing hands": part of normal group life, never a
 * reason to stop. Thrown out of `eachBatch`, kafkajs rejoins the group; whatever was not committed
 * is read again by the partition's owner after the rebalance.
 */
const rebalanceAnswers = new Set([
  'REBALANCE_IN_PROGRESS',
  'NOT_COORDINATOR_FOR_GROUP',
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
]);

export function isRebalance(error: unknown): boolean {
  const type = (error as { type?: unknown } | null)?.type;
  return typeof type === 'string' && rebalanceAnswers.has(type);
}

/**
 * The broker refused our transactional producer's epoch: another producer with the same
 * transactional id, a partition's new owner, has claimed it (or the broker expired the
 * transaction). Kafka answers old clients INVALID_PRODUCER_EPOCH for PRODUCER_FENCED; kafkajs
 * may wrap it in its own errors.
 */
export function isFenced(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const candidate = error as { type?: unknown; cause?: unknown; errors?: unknown };
  if (candidate.type === 'INVALID_PRODUCER_EPOCH' || candidate.type === 'PRODUCER_FENCED')
    return true;
  if (candidate.cause !== undefined && candidate.cause !== error && isFenced(candidate.cause))
    return true;
  return Array.isArray(candidate.errors) && candidate.errors.some((inner) => isFenced(inner));
}

/**
 * kafkajs' transactional producer is stuck in a state it cannot leave: an abort failed (the
 * broker was away), and every later transaction() is refused. Only a new producer with the same
 * transactional id, which aborts the open transaction on the broker, is usable again.
 */
export function isStuckTransaction(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const candidate = error as { message?: unknown; cause?: unknown };
  if (
    typeof candidate.message === 'string' &&
    candidate.message.startsWith('Transaction state exception:')
  )
    return true;
  return (
    candidate.cause !== undefined &&
    candidate.cause !== error &&
    isStuckTransaction(candidate.cause)
  );
}
