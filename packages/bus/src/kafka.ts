/**
 * The one module in driftwatch that imports kafkajs (ESLint forbids it anywhere else): the CLI,
 * the stack, the demo, tests and benches reach the client and its types through the bus, so the
 * Kafka client is a detail of this package.
 */
export { Kafka, logLevel, Partitioners } from 'kafkajs';
export type {
  Admin,
  Consumer,
  IHeaders,
  ITopicConfig,
  KafkaConfig,
  KafkaMessage,
  LogEntry,
  Message,
  Producer,
  ProducerBatch,
  TopicMessages,
  TopicOffsets,
  Transaction,
} from 'kafkajs';
