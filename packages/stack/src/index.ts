export { StackError, type StackErrorCode } from './errors.js';
export {
  answersMetadata,
  kafkaStatus,
  serverProperties,
  startKafka,
  stopKafka,
} from './kafka-broker.js';
export { mavenFailure } from './kafka-classpath.js';
export { parseJavaMajor, requireJava } from './java.js';
export { ensurePrometheus, type PrometheusPrograms } from './prometheus-install.js';
export { answersPing, redisStatus, startRedis, stopRedis } from './redis-server.js';
export { schemaRegistryBuildFailure } from './schema-registry-build.js';
export {
  answersReady,
  schemaRegistryStatus,
  stackCompatibility,
  startSchemaRegistry,
  stopSchemaRegistry,
} from './schema-registry-server.js';
export type { ServerStatus, StartOutcome, StopOutcome } from './server-status.js';
export { stackDown, stackStatus, stackUp, type StackReport, type StackUpReport } from './stack.js';
export {
  apicurioVersion,
  confluentApiPath,
  readStackConfig,
  repoRoot,
  stackEnv,
  type StackConfig,
  type StackConfigOverrides,
} from './stack-config.js';
