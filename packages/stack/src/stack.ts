import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { kafkaStatus, prepareKafka, startKafka, stopKafka } from './kafka-broker.js';
import { checkRedisCanStart, redisStatus, startRedis, stopRedis } from './redis-server.js';
import {
  prepareSchemaRegistry,
  schemaRegistryStatus,
  startSchemaRegistry,
  stopSchemaRegistry,
} from './schema-registry-server.js';
import type { ServerStatus, StartOutcome, StopOutcome } from './server-status.js';
import type { StackConfig } from './stack-config.js';
import { ensureStackSecrets, type StackSecrets } from './stack-secrets.js';

export interface StackReport<Outcome> {
  kafka: Outcome;
  redis: Outcome;
  schemaRegistry: Outcome;
}

export interface StackUpReport {
  kafka: StartOutcome;
  redis: StartOutcome;
  /** Absent when the schema registry is not enabled. */
  schemaRegistry?: StartOutcome;
  /** Absent unless the stack is secured. */
  secrets?: StackSecrets;
}

/** Starts whatever is not running; what already runs is left alone (re-running is a no-op). */
export async function stackUp(
  config: StackConfig,
  log: (message: string) => void = () => undefined,
): Promise<StackUpReport> {
  await checkRedisCanStart(config);
  await prepareKafka(config, log);
  if (config.schemaRegistry.enabled) await prepareSchemaRegistry(config, log);
  await mkdir(config.stackDir, { recursive: true });
  const secrets = config.secure ? await ensureStackSecrets(config, config.secure) : undefined;
  const redis = await startRedis(config, log, secrets);
  // Side by side: the registry keeps its schemas in its own database, not in Kafka.
  const [kafka, schemaRegistry] = await Promise.all([
    startKafka(config, log, secrets),
    config.schemaRegistry.enabled ? startSchemaRegistry(config, log) : undefined,
  ]);
  return {
    kafka,
    redis,
    ...(schemaRegistry ? { schemaRegistry } : {}),
    ...(secrets ? { secrets } : {}),
  };
}

/** Stops everything, the schema registry too whether or not it is enabled now. */
export async function stackDown(
  config: StackConfig,
  { wipe = false }: { wipe?: boolean } = {},
): Promise<StackReport<StopOutcome>> {
  // The broker first: a service still running may flush to Kafka while it shuts down.
  const kafka = await stopKafka(config, { wipe });
  const [redis, schemaRegistry] = await Promise.all([
    stopRedis(config, { wipe }),
    stopSchemaRegistry(config, { wipe }),
  ]);
  // Certificates and passwords go with the data: a new broker gets a new SCRAM user anyway.
  if (wipe) await rm(join(config.stackDir, 'secure'), { recursive: true, force: true });
  return { kafka, redis, schemaRegistry };
}

export async function stackStatus(config: StackConfig): Promise<StackReport<ServerStatus>> {
  const [kafka, redis, schemaRegistry] = await Promise.all([
    kafkaStatus(config),
    redisStatus(config),
    schemaRegistryStatus(config),
  ]);
  return { kafka, redis, schemaRegistry };
}
