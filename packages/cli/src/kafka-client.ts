import {
  deploymentNames,
  createKeyPartitioner,
  createSilentKafkaClient,
  kafkaCredentialsRefused,
  type Admin,
  type Kafka,
  type Producer,
} from '@driftwatch/bus';

import type { ConfigError } from '@driftwatch/service-kit';

import type { CliConfig } from './cli-config.js';
import { CliError } from './errors.js';

/**
 * The CLI's kafkajs client: silent (a person reads the output, not kafkajs' logs) and quick to give
 * up, so a command against a broker that is down fails in seconds instead of retrying for a
 * minute as a service would.
 */
export function cliKafka(
  { brokers, kafkaSecurity }: Pick<CliConfig, 'brokers' | 'kafkaSecurity'>,
  { retries = 3 } = {},
): Kafka {
  return createSilentKafkaClient({
    ...kafkaSecurity,
    brokers: [...brokers],
    clientId: deploymentNames('').clientId('cli'),
    connectionTimeout: 3000,
    requestTimeout: 10_000,
    retry: { initialRetryTime: 200, maxRetryTime: 1000, retries },
  });
}

/** A connected admin client, or a CliError saying which brokers did not answer. */
export async function connectAdmin(kafka: Kafka, brokers: readonly string[]): Promise<Admin> {
  const admin = kafka.admin();
  try {
    await admin.connect();
  } catch (error) {
    await admin.disconnect().catch(() => undefined);
    throw unreachable(brokers, error);
  }
  return admin;
}

/**
 * A connected idempotent producer: a retried batch is written once, so a replay never duplicates
 * an event. It retries longer than the client's default, as a broken send loses data.
 */
export async function connectProducer(kafka: Kafka, brokers: readonly string[]): Promise<Producer> {
  const producer = kafka.producer({
    idempotent: true,
    createPartitioner: createKeyPartitioner,
    retry: { initialRetryTime: 200, maxRetryTime: 5000, retries: 8 },
  });
  try {
    await producer.connect();
  } catch (error) {
    await producer.disconnect().catch(() => undefined);
    throw unreachable(brokers, error);
  }
  return producer;
}

/** Of `topics`, those that do not exist: the stack does not create topics on first use. */
export async function missingTopics(admin: Admin, topics: readonly string[]): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  return topics.filter((topic) => !existing.has(topic));
}

export function unreachable(brokers: readonly string[], cause: unknown): CliError | ConfigError {
  // A refused password is the operator's to fix, not a broker to wait for: exit 2, naming it.
  const refused = kafkaCredentialsRefused(cause);
  if (refused) return refused;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new CliError(
    'DW_CLI_KAFKA_UNREACHABLE',
    `cannot reach Kafka at ${brokers.join(',')} (${reason}); is it running? (npm run stack:up; KAFKA_BROKERS sets the address)`,
    { retriable: true, cause },
  );
}
