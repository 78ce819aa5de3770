import { topicCatalog, type TopicId, type TopicNames } from '@driftwatch/topics';

import type { TopicSpec } from './topic-provisioning.js';

/** Provisioning specs for catalog topics, with the deployment's names and sizing. */
export function catalogTopicSpecs(
  names: TopicNames,
  ids: readonly TopicId[],
  sizing: { partitions: number; replicationFactor: number },
): TopicSpec[] {
  return ids.map((id) => {
    const definition = topicCatalog[id];
    return {
      topic: names[id],
      partitions: definition.partitions === 1 ? 1 : sizing.partitions,
      replicationFactor: sizing.replicationFactor,
      configs: definition.configs,
    };
  });
}
