import type { Logger } from '@driftwatch/service-kit';

import { Kafka, logLevel, type Admin, type KafkaConfig, type LogEntry } from './kafka.js';
import { retryingAdmin } from './retrying-admin.js';

/**
 * kafkajs logs a protocol-level "[Connection] Response …" error for every retriable broker answer
 * (coordinator loading, concurrent transactions) and then retries it. Those are noise to an
 * operator; the failures that matter surface again from the operation that gave up.
 */
function isRetriedProtocolNoise(entry: LogEntry): boolean {
  if (entry.namespace === 'Connection' && entry.log.message.startsWith('Response ')) return true;
  // "Failed to send messages: … concurrent operation on the same transaction …" with a retry
  // count: kafkajs is retrying, as the broker asked; only the final failure matters.
  return 'retryCount' in entry.log;
}

function kafkajsToPino(logger: Logger) {
  return () =>
    (entry: LogEntry): void => {
      const { message, timestamp, logger: kafkajsLogger, ...fields } = entry.log;
      const context = { kafkajs: entry.namespace, ...fields };
      if (entry.level === logLevel.ERROR && !isRetriedProtocolNoise(entry))
        logger.error(context, message);
      else if (entry.level === logLevel.WARN || entry.level === logLevel.ERROR)
        logger.warn(context, message);
      else if (entry.level === logLevel.INFO) logger.info(context, message);
      else logger.debug(context, message);
    };
}

type AdminConfig = Parameters<Kafka['admin']>[0];
type AdminRetryListener = (error: unknown, attempt: number, delayMs: number) => void;

/** kafkajs' client, except that its admin clients retry every request (see retryingAdmin). */
class RetryingAdminKafka extends Kafka {
  readonly #onAdminRetry: AdminRetryListener | undefined;

  constructor(config: KafkaConfig, onAdminRetry?: AdminRetryListener) {
    super(config);
    this.#onAdminRetry = onAdminRetry;
  }

  override admin(config?: AdminConfig): Admin {
    return retryingAdmin(
      super.admin(config),
      this.#onAdminRetry ? { onRetry: this.#onAdminRetry } : {},
    );
  }
}

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
}

/** One kafkajs client per process, logging through the service's logger. */
export function createKafkaClient(options: KafkaClientOptions): Kafka {
  const { logger } = options;
  return new RetryingAdminKafka(
    {
      brokers: options.brokers,
      clientId: options.clientId,
      logLevel: logLevel.INFO,
      logCreator: kafkajsToPino(logger.child({ component: 'kafkajs' })),
      // Ride out a broker restart (tens of seconds) instead of crashing the service.
      retry: { initialRetryTime: 300, maxRetryTime: 10_000, retries: 12 },
    },
    (error, attempt, delayMs) => {
      logger.warn(
        { event: 'kafka.admin_retry', attempt, delayMs, err: error },
        'Kafka admin request failed retriably; retrying',
      );
    },
  );
}

/**
 * A client that logs nothing, for the tools around the services (CLI, stack, tests, benches):
 * a person reads their output, and a failure reaches them as the error of the call that failed.
 * Timeouts and retries are kafkajs' defaults unless the caller sets them.
 */
export function createSilentKafkaClient(
  options: Omit<KafkaConfig, 'logLevel' | 'logCreator'>,
): Kafka {
  return new RetryingAdminKafka({ ...options, logLevel: logLevel.NOTHING });
}
