import { followModelRegistry, type Kafka, type ModelRegistry } from '@driftwatch/bus';
import type { Codec, ModelVersion } from '@driftwatch/topics';

import { withinDeadline } from './deadline.js';
import { silentLogger } from './silent-logger.js';

/**
 * Every version of every model on the `model-versions` topic now: the topic read to its end with
 * the services' own follower (which sees past transaction markers), then let go.
 */
export async function readModelRegistry(options: {
  kafka: Kafka;
  topic: string;
  codec: Codec<ModelVersion>;
  groupIdPrefix: string;
  timeoutMs?: number;
}): Promise<ModelRegistry> {
  const follower = await followModelRegistry({
    kafka: options.kafka,
    topic: options.topic,
    codec: options.codec,
    logger: silentLogger,
    groupIdPrefix: options.groupIdPrefix,
  });
  try {
    // The follower stops below whether or not it caught up in time.
    await withinDeadline(
      options.timeoutMs ?? 30_000,
      `reading ${options.topic} to its end`,
      () => follower.caughtUp,
    );
  } finally {
    await follower.stop();
  }
  return follower.registry;
}
