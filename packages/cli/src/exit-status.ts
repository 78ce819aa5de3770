import { ConfigError } from '@driftwatch/service-kit';
import { CommanderError } from 'commander';

export interface ExitStatus {
  exitCode: number;
  /** One line for stderr; empty when it was printed already (commander prints its own). */
  message: string;
}

/** Error classes of this repository's packages whose messages are written for people. */
const expectedErrorNames = new Set([
  'CliError',
  'DemoError',
  'DatasetError',
  'StackError',
  'BusError',
  'DecodeError',
  'EncodeError',
  'SchemaRegistryError',
  'ReportError',
]);

/**
 * How a failed command ends: a ConfigError (bad environment) or a usage error exits 2; a typed
 * error of ours, or Kafka refusing something, exits 1 with its message and no stack trace.
 * Anything else is a bug: `undefined`, so the caller lets it crash with its stack.
 */
export function exitStatus(error: unknown): ExitStatus | undefined {
  if (error instanceof ConfigError) return { exitCode: 2, message: error.message };
  if (error instanceof CommanderError) {
    // --help and --version end this way too, with 0.
    return { exitCode: error.exitCode === 0 ? 0 : 2, message: '' };
  }
  if (!(error instanceof Error)) return undefined;
  if (expectedErrorNames.has(error.name)) return { exitCode: 1, message: error.message };
  // kafkajs' errors (KafkaJSProtocolError, KafkaJSNumberOfRetriesExceeded, …): the broker's say.
  if (error.name.startsWith('KafkaJS')) return { exitCode: 1, message: `Kafka: ${error.message}` };
  return undefined;
}
