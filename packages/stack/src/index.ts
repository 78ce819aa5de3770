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
export { answersPing, redisStatus, startRedis, stopRedis } from './redis-server.js';
export type { ServerStatus, StartOutcome, StopOutcome } from './server-status.js';
export { stackDown, stackStatus, stackUp, type StackReport } from './stack.js';
export { readStackConfig, repoRoot, stackEnv, type StackConfig } from './stack-config.js';
