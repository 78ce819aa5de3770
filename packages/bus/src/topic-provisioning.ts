import { BusError } from './errors.js';
import type { Admin, ITopicConfig } from './kafka.js';

export interface TopicSpec {
  topic: string;
  partitions: number;
  replicationFactor: number;
  configs: Readonly<Record<string, string>>;
}

export interface ProvisioningReport {
  created: string[];
  existing: string[];
  /** Existing topics with fewer partitions than asked: left alone (growing them re-keys data). */
  underPartitioned: { topic: string; partitions: number; wanted: number }[];
}

/**
 * Creates the topics that are missing, idempotently: several services may start at once and race
 * to create the same topic, which is fine. Existing topics are never altered.
 */
export async function provisionTopics(
  admin: Admin,
  specs: readonly TopicSpec[],
): Promise<ProvisioningReport> {
  const existingNames = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !existingNames.has(spec.topic));
  if (missing.length > 0) {
    const topics: ITopicConfig[] = missing.map((spec) => ({
      topic: spec.topic,
      numPartitions: spec.partitions,
      replicationFactor: spec.replicationFactor,
      configEntries: Object.entries(spec.configs).map(([name, value]) => ({ name, value })),
    }));
    try {
      await admin.createTopics({ topics, waitForLeaders: true });
    } catch (error) {
      // Another instance won the race for some topic: fine. Anything else is not.
      const alreadyExists = (error as { type?: string }).type === 'TOPIC_ALREADY_EXISTS';
      const racedOnly =
        alreadyExists ||
        ((error as { errors?: { type?: string }[] }).errors ?? []).every(
          (e) => e.type === 'TOPIC_ALREADY_EXISTS',
        );
      if (!racedOnly) {
        throw new BusError(
          'DW_BUS_PROVISIONING_FAILED',
          `could not create topics: ${(error as Error).message}`,
          {
            retriable: true,
            cause: error,
          },
        );
      }
    }
  }
  const present = specs.filter((spec) => existingNames.has(spec.topic));
  const metadata =
    present.length > 0
      ? await admin.fetchTopicMetadata({ topics: present.map((s) => s.topic) })
      : { topics: [] };
  const underPartitioned = metadata.topics.flatMap((topic) => {
    const wanted = specs.find((spec) => spec.topic === topic.name)?.partitions ?? 0;
    return topic.partitions.length < wanted
      ? [{ topic: topic.name, partitions: topic.partitions.length, wanted }]
      : [];
  });
  return {
    created: missing.map((s) => s.topic),
    existing: present.map((s) => s.topic),
    underPartitioned,
  };
}
