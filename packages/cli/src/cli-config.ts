import {
  alarmSettingsOf,
  checkFalseAlarmBudget,
  detectorEnv,
  detectorOptions,
} from '@driftwatch/detector';
import {
  commonEnv,
  kafkaSecurity,
  kafkaSecurityEnv,
  mlflowEnv,
  parseEnv,
  type KafkaSecurity,
} from '@driftwatch/service-kit';
import { topicNames, type AlarmSettings, type TopicNames } from '@driftwatch/topics';

/**
 * The environment variables the CLI reads: the services' own, so that a shell set up to run a
 * service drives the same deployment. Validated with the services' rules; a bad value is a
 * ConfigError naming the variable.
 */
export const cliEnv = {
  KAFKA_BROKERS: commonEnv.KAFKA_BROKERS,
  TOPIC_PREFIX: commonEnv.TOPIC_PREFIX,
  SCHEMA_REGISTRY_URL: commonEnv.SCHEMA_REGISTRY_URL,
  KAFKA_TOPIC_PARTITIONS: commonEnv.KAFKA_TOPIC_PARTITIONS,
  KAFKA_REPLICATION_FACTOR: commonEnv.KAFKA_REPLICATION_FACTOR,
  ...kafkaSecurityEnv,
  ...mlflowEnv,
};

export interface CliConfig {
  brokers: string[];
  /** TLS and SASL for every Kafka connection, from the services' KAFKA_SECURITY_* variables. */
  kafkaSecurity: KafkaSecurity;
  topicPrefix: string;
  /** `''`: JSON messages; a URL: Avro through that Schema Registry. */
  schemaRegistryUrl: string;
  /** For topics the CLI creates before writing to them, as a service would. */
  topicSizing: { partitions: number; replicationFactor: number };
  names: TopicNames;
  /** `''`: off; a URL: `models register` logs the version there too (the trainer does anyway). */
  mlflowTrackingUri: string;
}

export function readCliConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): CliConfig {
  const vars = parseEnv(cliEnv, env);
  return {
    brokers: vars.KAFKA_BROKERS,
    kafkaSecurity: kafkaSecurity(vars),
    topicPrefix: vars.TOPIC_PREFIX,
    schemaRegistryUrl: vars.SCHEMA_REGISTRY_URL,
    topicSizing: {
      partitions: vars.KAFKA_TOPIC_PARTITIONS,
      replicationFactor: vars.KAFKA_REPLICATION_FACTOR,
    },
    names: topicNames(vars.TOPIC_PREFIX),
    mlflowTrackingUri: vars.MLFLOW_TRACKING_URI,
  };
}

/**
 * The detectors' false-alarm budget and rule settings, from the same DETECTOR_* variables the
 * detector reads (with its defaults): what `models register` calibrates a version under. Null
 * when they give raw thresholds.
 */
export function readAlarmSettings(
  env: Readonly<Record<string, string | undefined>> = process.env,
): AlarmSettings | null {
  const config = parseEnv(detectorEnv, env);
  checkFalseAlarmBudget(config);
  return alarmSettingsOf(detectorOptions(config));
}
