import type { Logger } from '@driftwatch/service-kit';

import { logLevel, type LogEntry } from './kafka.js';

/**
 * kafkajs logs a protocol-level "[Connection] Response …" error for every retriable broker answer
 * (coordinator loading, concurrent transactions) and then retries it. Those are noise to an
 * operator; the failures that matter surface again from the operation that gave up.
 */
function isRetriedProtocolNoise(entry: LogEntry): boolean {
  if (entry.namespace === 'Connection' && entry.log.message.startsWith('Response ')) return true;
  // A consumer's "Crash: …" carries a retry count too (even an undefined one), but it says the
  // consumer stopped: hidden, a chaos run's detector hung for minutes with no line saying why.
  if (entry.namespace === 'Consumer') return false;
  // "Failed to send messages: … concurrent operation on the same transaction …" with a retry
  // count: kafkajs is retrying, as the broker asked; only the final failure matters.
  return 'retryCount' in entry.log;
}

/** One line per kind of kafkajs warning per this long; the next says how many were held back. */
const repeatWindowMs = 30_000;

/**
 * kafkajs through the service's logger. Retried protocol answers go to debug; other warnings and
 * errors are logged once per kind per `repeatWindowMs`, with the count held back since: a broker
 * that is away makes kafkajs warn on every reconnect attempt, and one detector once wrote 482 such
 * lines out of 491, burying what happened to records.
 */
export function kafkajsLogCreator(logger: Logger, now: () => number = Date.now) {
  const lastLogged = new Map<string, { at: number; heldBack: number }>();
  const firstInWindow = (kind: string): { repeated?: number } | undefined => {
    const seen = lastLogged.get(kind);
    const at = now();
    if (seen && at - seen.at < repeatWindowMs) {
      seen.heldBack += 1;
      return undefined;
    }
    lastLogged.set(kind, { at, heldBack: 0 });
    return seen && seen.heldBack > 0 ? { repeated: seen.heldBack } : {};
  };
  return () =>
    (entry: LogEntry): void => {
      const { message, timestamp, logger: kafkajsLogger, ...fields } = entry.log;
      const context = { kafkajs: entry.namespace, ...fields };
      if (entry.level === logLevel.INFO) {
        logger.info(context, message);
        return;
      }
      if (entry.level !== logLevel.WARN && entry.level !== logLevel.ERROR) {
        logger.debug(context, message);
        return;
      }
      if (isRetriedProtocolNoise(entry)) {
        logger.debug(context, message);
        return;
      }
      const repeats = firstInWindow(`${entry.level} ${entry.namespace} ${message}`);
      if (repeats === undefined) return;
      if (entry.level === logLevel.ERROR) logger.error({ ...context, ...repeats }, message);
      else logger.warn({ ...context, ...repeats }, message);
    };
}
