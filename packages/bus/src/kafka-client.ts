import type { KafkaSecurity, Logger } from '@driftwatch/service-kit';

import { Kafka, logLevel, type KafkaConfig, type LogEntry } from './kafka.js';

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

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** TLS and SASL (service-kit's `kafkaSecurity`); absent: PLAINTEXT. */
  security?: KafkaSecurity;
}

/** One kafkajs client per process, logging through the service's logger. */
export function createKafkaClient(options: KafkaClientOptions): Kafka {
  return new Kafka({
    brokers: options.brokers,
    clientId: options.clientId,
    ...options.security,
    logLevel: logLevel.INFO,
    logCreator: kafkajsToPino(options.logger.child({ component: 'kafkajs' })),
    // Ride out a broker restart (tens of seconds) instead of crashing the service.
    retry: { initialRetryTime: 300, maxRetryTime: 10_000, retries: 12 },
  });
}

/**
 * A client that logs nothing, for the tools around the services (CLI, stack, tests, benches):
 * a person reads their output, and a failure reaches them as the error of the call that failed.
 * Timeouts and retries are kafkajs' defaults unless the caller sets them.
 */
export function createSilentKafkaClient(
  options: Omit<KafkaConfig, 'logLevel' | 'logCreator'>,
): Kafka {
  return new Kafka({ ...options, logLevel: logLevel.NOTHING });
}
