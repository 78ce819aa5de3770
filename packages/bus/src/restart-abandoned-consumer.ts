import { setTimeout as sleep } from 'node:timers/promises';

import { isRetriable } from './errors.js';
import type { Consumer } from './kafka.js';
import { backoffDelayMs, defaultRetryPolicy, withRetry, type RetryPolicy } from './retry.js';

/** Restarts of a consumer kafkajs gave up on: soon at first, at most every 10 s. */
const restartPolicy: RetryPolicy = {
  ...defaultRetryPolicy,
  initialDelayMs: 500,
  maxDelayMs: 10_000,
};

/**
 * Keeps a consumer running when kafkajs abandons it. kafkajs does not restart a consumer whose
 * join found no group coordinator because no broker answered: it calls that not retriable, says
 * "Stopped" and never consumes again. A broker restart while a group was joining used to stop a
 * service's processor this way, and a follower silently: the detector, restarted while the
 * broker restarted, waited for its changelog follower to catch up for ever. The brokers being
 * away is retriable for us: the consumer is started again, with backoff reset by each join.
 * An error retrying cannot fix, or a crash while stopping, goes to `fail`.
 */
export function restartAbandonedConsumer(
  consumer: Consumer,
  options: {
    /** Starts consuming again: `consumer.run` with the config it first ran with. */
    run: () => Promise<void>;
    signal: AbortSignal;
    onRestart: (error: Error) => void;
    fail: (error: unknown) => void;
  },
): void {
  const { signal } = options;
  let crashes = 0;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    crashes = 0;
  });
  // A function, not the property: TypeScript would take `aborted` for unchanged across awaits.
  const stopped = (): boolean => signal.aborted;
  const restart = async (): Promise<void> => {
    const delayMs = backoffDelayMs(crashes++, restartPolicy, Math.random);
    await sleep(delayMs, undefined, { signal }).catch(() => undefined);
    if (stopped()) return;
    await withRetry(() => consumer.connect(), { signal });
    if (stopped()) return;
    await options.run();
  };
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (payload.restart) return;
    if (isRetriable(payload.error) && !signal.aborted) {
      options.onRestart(payload.error);
      restart().catch(options.fail);
      return;
    }
    options.fail(payload.error);
  });
}
