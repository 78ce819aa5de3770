import { mkdir } from 'node:fs/promises';

import { kafkaStatus, prepareKafka, startKafka, stopKafka } from './kafka-broker.js';
import { checkRedisCanStart, redisStatus, startRedis, stopRedis } from './redis-server.js';
import type { ServerStatus, StartOutcome, StopOutcome } from './server-status.js';
import type { StackConfig } from './stack-config.js';

export interface StackReport<Outcome> {
  kafka: Outcome;
  redis: Outcome;
}

/** Starts whatever is not running; what already runs is left alone (re-running is a no-op). */
export async function stackUp(
  config: StackConfig,
  log: (message: string) => void = () => undefined,
): Promise<StackReport<StartOutcome>> {
  await checkRedisCanStart(config);
  await prepareKafka(config, log);
  await mkdir(config.stackDir, { recursive: true });
  const redis = await startRedis(config, log);
  const kafka = await startKafka(config, log);
  return { kafka, redis };
}

export async function stackDown(
  config: StackConfig,
  { wipe = false }: { wipe?: boolean } = {},
): Promise<StackReport<StopOutcome>> {
  // The broker first: a service still running may flush to Kafka while it shuts down.
  const kafka = await stopKafka(config, { wipe });
  const redis = await stopRedis(config, { wipe });
  return { kafka, redis };
}

export async function stackStatus(config: StackConfig): Promise<StackReport<ServerStatus>> {
  const [kafka, redis] = await Promise.all([kafkaStatus(config), redisStatus(config)]);
  return { kafka, redis };
}
