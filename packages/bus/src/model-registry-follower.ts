import type { Logger } from '@driftwatch/service-kit';
import type { Codec, ModelVersion } from '@driftwatch/topics';

import { isRetriable } from './errors.js';
import type { Kafka } from './kafka.js';
import { ModelRegistry } from './model-registry.js';
import { followTopic, type TopicFollower } from './topic-follower.js';

export interface ModelRegistryFollower extends TopicFollower {
  readonly registry: ModelRegistry;
}

/**
 * A {@link ModelRegistry} kept current from the `model-versions` topic. `onVersion` sees each
 * version once, in topic order, after the registry has recorded it. An unreadable record is
 * logged and skipped: it can never be served, and a registry must not stop on it. A retriable
 * failure (schema registry unreachable) is thrown, so the record is read again.
 */
export async function followModelRegistry(options: {
  kafka: Kafka;
  topic: string;
  codec: Codec<ModelVersion>;
  logger: Logger;
  groupIdPrefix: string;
  onVersion?: (version: ModelVersion) => Promise<void> | void;
}): Promise<ModelRegistryFollower> {
  const registry = new ModelRegistry();
  const follower = await followTopic({
    kafka: options.kafka,
    topic: options.topic,
    logger: options.logger,
    groupIdPrefix: options.groupIdPrefix,
    onRecord: async (record) => {
      let version: ModelVersion;
      try {
        version = await options.codec.decode(record.value);
      } catch (error) {
        // A schema registry that is down is not a bad record: kafkajs retries the batch.
        if (isRetriable(error)) throw error;
        options.logger.error(
          {
            event: 'model.malformed',
            partition: record.partition,
            offset: record.offset,
            err: error,
          },
          'unreadable model-versions record; skipped',
        );
        return;
      }
      if (registry.apply(version)) await options.onVersion?.(version);
    },
  });
  return { ...follower, registry };
}
