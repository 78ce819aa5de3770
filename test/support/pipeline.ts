import { catalogTopicSpecs, provisionTopics, type Kafka, type Producer } from '@driftwatch/bus';
import { seaStream, type SeaConcept } from '@driftwatch/datasets';
import {
  createCodecs,
  modelVersionKey,
  topicIds,
  topicNames,
  type Codecs,
  type ModelVersion,
  type TopicNames,
} from '@driftwatch/topics';
import { bootstrapVersion } from '@driftwatch/model';

import { uniqueName } from './environment.js';

export interface TestPipeline {
  prefix: string;
  names: TopicNames;
  codecs: Codecs;
  /** Environment for service processes of this pipeline: its topics, its Redis keys. */
  env: Record<string, string>;
}

/**
 * Every catalog topic under a fresh prefix (3 partitions unless told), so tests never see each
 * other's data.
 */
export async function createTestPipeline(
  kafka: Kafka,
  { partitions = 3 }: { partitions?: number } = {},
): Promise<TestPipeline> {
  const prefix = `${uniqueName('test')}.`;
  const names = topicNames(prefix);
  const admin = kafka.admin();
  await admin.connect();
  try {
    await provisionTopics(
      admin,
      catalogTopicSpecs(names, topicIds, { partitions, replicationFactor: 1 }),
    );
  } finally {
    await admin.disconnect();
  }
  return {
    prefix,
    names,
    codecs: await createCodecs({ schemaRegistryUrl: '', names }),
    env: { TOPIC_PREFIX: prefix, REDIS_KEY_PREFIX: `driftwatch-test:${prefix}` },
  };
}

/** A logistic-regression version of model `model` trained on one SEA concept. */
export async function seaModelVersion(options: {
  model: string;
  version: number;
  concept?: Partial<SeaConcept>;
  seed?: number;
}): Promise<ModelVersion> {
  const rows = [
    ...seaStream({
      seed: options.seed ?? 99,
      length: 2000,
      concepts: [{ start: 0, threshold: 7, ...options.concept }],
    }),
  ];
  const bootstrap = await bootstrapVersion({
    model: options.model,
    featureNames: ['x1', 'x2', 'x3'],
    rows: rows.map((row) => [row.features.x1, row.features.x2, row.features.x3]),
    labels: rows.map((row) => row.label),
    candidate: { family: 'logistic', training: {}, referenceBins: 10 },
    createdAt: Date.now(),
  });
  return options.version === 1
    ? bootstrap
    : { ...bootstrap, version: options.version, parentVersion: options.version - 1 };
}

export async function publishModelVersion(
  producer: Producer,
  pipeline: TestPipeline,
  version: ModelVersion,
): Promise<void> {
  await producer.send({
    topic: pipeline.names.modelVersions,
    messages: [
      {
        key: modelVersionKey(version.model, version.version),
        value: await pipeline.codecs.modelVersions.encode(version),
      },
    ],
  });
}

/** Sends in chunks: one request per chunk, not per message. */
export async function sendAll(
  producer: Producer,
  topic: string,
  messages: readonly { key: string | null; value: Buffer }[],
  chunkSize = 1000,
): Promise<void> {
  for (let start = 0; start < messages.length; start += chunkSize) {
    await producer.send({ topic, messages: messages.slice(start, start + chunkSize) });
  }
}
