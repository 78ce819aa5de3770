export { attemptBatch } from './attempt-batch.js';
export {
  deploymentNames,
  featureSketchTopic,
  type DeploymentMember,
  type DeploymentNames,
} from './deployment-names.js';
export { deadLetterMessage, defaultMaxMessageBytes, type DeadLetterReason } from './dead-letter.js';
export type { DeadLetterPolicy } from './dead-letter-policy.js';
export { InMemoryTransactionalProducer } from './in-memory-transactional-producer.js';
export { messageBytes } from './message-bytes.js';
export {
  processBatch,
  type ProcessBatchOptions,
  type ProcessedBatch,
  type TransactionalProducer,
} from './process-batch.js';
export { noDiagnostics, type BusDiagnostics } from './diagnostics.js';
export { BusError, isRetriable, type BusErrorCode } from './errors.js';
export { catalogTopicSpecs } from './catalog-topics.js';
export { connectServiceBus, type ServiceBus, type ServiceBusConfig } from './service-bus.js';
export { kafkaCredentialsRefused } from './kafka-credentials-refused.js';
export { createKeyPartitioner } from './key-partitioner.js';
export {
  createKafkaClient,
  createSilentKafkaClient,
  type KafkaClientOptions,
} from './kafka-client.js';
export {
  Kafka,
  logLevel,
  type Admin,
  type Consumer,
  type IHeaders,
  type ITopicConfig,
  type KafkaConfig,
  type KafkaMessage,
  type LogEntry,
  type Message,
  type Producer,
  type TopicMessages,
} from './kafka.js';
export {
  recordCoordinate,
  toInputRecord,
  type InputRecord,
  type OutputMessage,
} from './records.js';
export { backoffDelayMs, defaultRetryPolicy, withRetry, type RetryPolicy } from './retry.js';
export { coPartitionedAssignment } from './co-partitioned-assigner.js';
export {
  groupLag,
  unreadRecords,
  type CommittedOffsets,
  type PartitionWatermarks,
} from './consumer-lag.js';
export { followTopic, type TopicFollower } from './topic-follower.js';
export { ModelRegistry } from './model-registry.js';
export { untilCommitted } from './until-committed.js';
export { readTimeRange } from './read-time-range.js';
export { followModelRegistry, type ModelRegistryFollower } from './model-registry-follower.js';
export { provisionTopics, type ProvisioningReport, type TopicSpec } from './topic-provisioning.js';
export {
  startTransactionalProcessor,
  type BatchContext,
  type BatchHandler,
  type RecordBatch,
  type RunningProcessor,
  type TransactionalProcessorOptions,
} from './transactional-processor.js';
