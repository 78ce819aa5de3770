/**
 * The one module in driftwatch that imports kafkajs (ESLint forbids it anywhere else): the CLI,
 * the stack, the demo, tests and benches reach the client and its types through the bus, so the
 * Kafka client is a detail of this package.
 */
import kafkajs from 'kafkajs';

export { AssignerProtocol, Kafka, logLevel, PartitionAssigners, Partitioners } from 'kafkajs';
/** kafkajs spreads its errors into its exports, which Node's ESM named-export detection misses. */
export const { KafkaJSError } = kafkajs;
export type {
  Admin,
  Consumer,
  ConsumerRunConfig,
  EachBatchPayload,
  ICustomPartitioner,
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
