import { setTimeout as sleep } from 'node:timers/promises';

import { BusError, isRetriable } from './errors.js';

export interface RetryPolicy {
  /** Attempts after the first; `Infinity` retries until the signal aborts. */
  retries: number;
  initialDelayMs: number;
  maxDelayMs: number;
  factor: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  retries: 8,
  initialDelayMs: 200,
  maxDelayMs: 30_000,
  factor: 2,
};

/**
 * Exponential backoff with full jitter ("Exponential Backoff And Jitter", AWS Architecture Blog,
 * 2015): the delay before attempt n is uniform in [0, min(max, initial·factorⁿ)], so many
 * instances that failed together do not retry together.
 */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** attempt);
  return Math.round(random() * ceiling);
}

/**
 * Runs `work` until it succeeds. Only retriable errors are retried; a programmer error or bad
 * input fails at once. Stops waiting when `signal` aborts (shutdown).
 */
export async function withRetry<T>(
  work: (attempt: number) => Promise<T>,
  options: {
    policy?: RetryPolicy;
    signal?: AbortSignal;
    random?: () => number;
    onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  } = {},
): Promise<T> {
  const policy = options.policy ?? defaultRetryPolicy;
  const random = options.random ?? Math.random;
  for (let attempt = 0; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      if (!isRetriable(error)) throw error;
      if (attempt >= policy.retries) {
        throw new BusError('DW_BUS_RETRIES_EXHAUSTED', `gave up after ${attempt + 1} attempts`, {
          retriable: false,
          cause: error,
        });
      }
      if (options.signal?.aborted) {
        throw new BusError('DW_BUS_STOPPED', 'stopped while retrying', {
          retriable: false,
          cause: error,
        });
      }
      const delayMs = backoffDelayMs(attempt, policy, random);
      options.onRetry?.(error, attempt, delayMs);
      await sleep(delayMs, undefined, options.signal ? { signal: options.signal } : {}).catch(
        () => undefined,
      );
    }
  }
}
