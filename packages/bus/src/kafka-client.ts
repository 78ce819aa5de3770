import type { KafkaSecurity, Logger } from '@driftwatch/service-kit';

import { Kafka, logLevel, type Admin, type KafkaConfig } from './kafka.js';
import { kafkajsLogCreator } from './kafkajs-log-creator.js';
import { retryingAdmin } from './retrying-admin.js';

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
  /** TLS and SASL (service-kit's `kafkaSecurity`); absent: PLAINTEXT. */
  security?: KafkaSecurity;
}

/** One kafkajs client per process, logging through the service's logger. */
export function createKafkaClient(options: KafkaClientOptions): Kafka {
  const { logger } = options;
  return new RetryingAdminKafka(
    {
      brokers: options.brokers,
      clientId: options.clientId,
      ...options.security,
      logLevel: logLevel.INFO,
      logCreator: kafkajsLogCreator(logger.child({ component: 'kafkajs' })),
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
