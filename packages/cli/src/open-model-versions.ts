import {
  catalogTopicSpecs,
  deploymentNames,
  provisionTopics,
  type Kafka,
  type ModelRegistry,
} from '@driftwatch/bus';
import { createCodecs, type Codec, type ModelVersion } from '@driftwatch/topics';

import type { CliConfig } from './cli-config.js';
import { connectAdmin } from './kafka-client.js';
import { readModelRegistry } from './read-model-registry.js';

/**
 * What a command that publishes a model version needs: `model-versions` created if it is not
 * there yet (a new deployment), its codec, and every version on it now, to number the next one
 * after. `command` names the CLI's follower group.
 */
export async function openModelVersions(
  config: CliConfig,
  kafka: Kafka,
  command: string,
): Promise<{ codec: Codec<ModelVersion>; registry: ModelRegistry }> {
  const admin = await connectAdmin(kafka, config.brokers);
  try {
    await provisionTopics(
      admin,
      catalogTopicSpecs(config.names, ['modelVersions'], config.topicSizing),
    );
  } finally {
    await admin.disconnect();
  }
  const codecs = await createCodecs({
    schemaRegistryUrl: config.schemaRegistryUrl,
    names: config.names,
    topics: ['modelVersions'],
  });
  const registry = await readModelRegistry({
    kafka,
    topic: config.names.modelVersions,
    codec: codecs.modelVersions,
    groupIdPrefix: deploymentNames(config.topicPrefix).followerGroupPrefix('cli', command),
  });
  return { codec: codecs.modelVersions, registry };
}
