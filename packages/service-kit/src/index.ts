export { ConfigError, type ConfigProblem } from './errors.js';
export {
  brokerList,
  commonEnv,
  decimal,
  duration,
  flag,
  integer,
  mlflowEnv,
  oneOf,
  optionalHttpUrl,
  parseEnv,
  port,
  redisEnv,
  redisUrl,
  text,
  type EnvConfig,
  type EnvShape,
} from './env.js';
export {
  startOpsServer,
  type HealthReport,
  type MetricsSource,
  type OpsServer,
} from './http-server.js';
export {
  kafkaSecurity,
  kafkaSecurityEnv,
  type KafkaSecurity,
  type KafkaSecurityVars,
  type ReadTextFile,
  type SaslMechanism,
} from './kafka-security.js';
export { redisTls } from './redis-tls.js';
export { createLogger, type Logger } from './logger.js';
export { labelDelayBuckets, latencyBuckets } from './metric-buckets.js';
export { recordLimitsEnv } from './record-limits-env.js';
export { createShutdown, type Shutdown } from './shutdown.js';
export { HealthChecks } from './health.js';
export { runService, type RunningService, type ServiceContext } from './run-service.js';
export { textTable } from './text-table.js';
