import type { Admin } from './kafka.js';
import { withRetry, type RetryPolicy } from './retry.js';

/** Admin members that are not requests to the cluster: passed through untouched. */
const notRequests = new Set<PropertyKey>(['on', 'logger', 'events']);

/**
 * An admin client whose every request goes through the bus's one retry: a retriable broker
 * answer — not the leader, leader not available, an unknown topic right after its creation,
 * coordinator loading — is waited out with backoff instead of reaching the caller raw. A new
 * topic's partitions have no leader for a moment after `createTopics`, and on a busy machine that
 * moment is long enough for the next call to hit it; services, the CLI and tests all met it.
 * Errors kafkajs marks not retriable (a topic that already exists, bad credentials) fail at once.
 */
export function retryingAdmin(
  admin: Admin,
  options: {
    policy?: RetryPolicy;
    onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  } = {},
): Admin {
  return new Proxy(admin, {
    get(target, property, receiver) {
      const member: unknown = Reflect.get(target, property, receiver);
      if (typeof member !== 'function' || notRequests.has(property)) return member;
      const request = member as (...args: unknown[]) => Promise<unknown>;
      return (...args: unknown[]) => withRetry(() => request.apply(target, args), options);
    },
  });
}
