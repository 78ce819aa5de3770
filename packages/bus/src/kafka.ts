/**
 * The one module in driftwatch that imports kafkajs (ESLint forbids it anywhere else): the CLI,
 * the stack, the demo, tests and benches reach the client and its types through the bus, so the
 * Kafka client is a detail of this package.
 */
export { AssignerProtocol, Kafka, logLevel, PartitionAssigners, Partitioners } from 'kafkajs';
export type {
  Admin,
  Consumer,
  IHeaders,
  ITopicConfig,
  KafkaConfig,
  KafkaMessage,
  LogEntry,
  Message,
  PartitionAssigner,
  Producer,
  ProducerBatch,
  TopicMessages,
  TopicOffsets,
  Transaction,
} from 'kafkajs';
