/**
 * Issue 10, "Fuzz", without a broker: 10,000 generated bad payloads per input topic, interleaved
 * with good records, through each service's own handler as the bus runs it (`processBatch`, an
 * in-memory transactional producer, the services' dead-letter policy). Every bad record ends as
 * exactly one dead letter with a code, every good one is processed, and no batch fails.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';

import {
  InMemoryTransactionalProducer,
  ModelRegistry,
  processBatch,
  type BatchHandler,
  type DeadLetterPolicy,
  type InputRecord,
} from '@driftwatch/bus';
import { mulberry32 } from '@driftwatch/drift';
import { createLogger } from '@driftwatch/service-kit';
import {
  createCodecs,
  deadLetterCodes,
  topicNames,
  type Codecs,
  type DeadLetter,
  type TopicId,
} from '@driftwatch/topics';
import { Registry } from 'prom-client';

import {
  badAvroPayloads,
  badJsonPayloads,
} from '../../packages/topics/src/testing/bad-payloads.js';
import { InMemorySchemaRegistry } from '../../packages/topics/src/testing/in-memory-schema-registry.js';
import { badFeatureSketches, goodFeatureSketch } from './bad-feature-sketches.js';
import { sampleMessages } from '../../packages/topics/src/testing/sample-messages.js';
import { inProcessAlarmCalibrator } from '../../services/detector/src/alarm-calibrator.js';
import { createDetectorHandler } from '../../services/detector/src/create-detector-handler.js';
import { createDetectorStores } from '../../services/detector/src/detector-stores.js';
import { createDetectorDiagnostics } from '../../services/detector/src/diagnostics.js';
import { internalTopicNames } from '../../services/detector/src/internal-topics.js';
import { unitDetectorOptions } from '../../services/detector/src/testing/unit-detector-options.js';
import { createInferenceDiagnostics } from '../../services/inference/src/diagnostics.js';
import { createInferenceHandler } from '../../services/inference/src/score-batch.js';
import { ServingModels } from '../../services/inference/src/serving-models.js';
import { logisticVersion } from '../../services/inference/src/testing/logistic-version.js';
import { recordingLoader } from '../../services/inference/src/testing/recording-loader.js';
import { createJoinerDiagnostics } from '../../services/joiner/src/diagnostics.js';
import { createJoinHandler } from '../../services/joiner/src/join-batch.js';
import { InMemoryJoinStore } from '../../services/joiner/src/testing/in-memory-join-store.js';
import { createTrainerHandler } from '../../services/trainer/src/create-trainer-handler.js';
import { createTrainerDiagnostics } from '../../services/trainer/src/diagnostics.js';

const badPerTopic = Number(process.env['FUZZ_COUNT'] ?? 10_000);
/** One good record after every this many bad ones. */
const goodEvery = 10;
const batchSize = 100;
const maxRecordBytes = 64 * 1024;
const names = topicNames('fuzz.');
const internal = internalTopicNames('fuzz.');

type Service = 'inference' | 'joiner' | 'detector' | 'trainer';
/** The catalog's topics, and inference's feature sketches (not in the catalog: binary, no Avro). */
type FuzzTopic = TopicId | 'featureSketches';
const nameOf = (topic: FuzzTopic): string =>
  topic === 'featureSketches' ? internal.sketches : names[topic];

interface Fixture {
  handle: BatchHandler;
  /** How many good records the service has processed, by what it produced or counted. */
  processed: (producer: InMemoryTransactionalProducer) => number;
}

const opened: ServingModels[] = [];
after(async () => {
  await Promise.all(opened.map((models) => models.releaseAll()));
});

/** Good records of a topic: the i-th is unique, valid, and processed by its service. */
async function goodRecord(codecs: Codecs, topic: FuzzTopic, i: number): Promise<Buffer> {
  const id = `good-${i}`;
  const prediction = {
    id,
    model: 'sea',
    modelVersion: 1,
    ts: 1000 + i,
    scoredAt: 1000 + i,
    score: 0.25,
    predicted: 0,
    features: { x1: i % 7, x2: 1 },
  };
  switch (topic) {
    case 'featureSketches':
      return goodFeatureSketch(prediction);
    case 'events':
      return codecs.events.encode({
        id,
        model: 'sea',
        ts: 1000 + i,
        features: { x1: i % 7, x2: 1 },
      });
    case 'labels':
      return codecs.labels.encode({ id, model: 'sea', ts: 2000 + i, label: i % 2 });
    case 'predictions':
    case 'predictionsLabeled':
      return topic === 'predictions'
        ? codecs.predictions.encode(prediction)
        : codecs.predictionsLabeled.encode({
            ...prediction,
            label: i % 2,
            labelTs: 2000 + i,
            labelDelayMs: 1000,
          });
    case 'retrainRequested':
      return codecs.retrainRequested.encode({
        requestId: id,
        model: 'sea',
        reason: 'manual',
        alertId: null,
        fromTs: 0,
        toTs: 10,
        requestedAt: 10,
      });
    case 'modelVersions':
      return codecs.modelVersions.encode({ ...sampleMessages.modelVersions[0]!, version: 100 + i });
    default:
      throw new Error(`no good records for ${topic}`);
  }
}

async function fixture(service: Service, codecs: Codecs): Promise<Fixture> {
  const metrics = new Registry();
  switch (service) {
    case 'inference': {
      const loader = recordingLoader();
      const models = new ServingModels(loader.load, () => undefined);
      opened.push(models);
      await models.goLive();
      await models.apply(logisticVersion('sea', 1, [1, -1]));
      return {
        handle: createInferenceHandler({
          names,
          sketchTopic: internal.sketches,
          codecs,
          models,
          now: () => 5,
          diagnostics: createInferenceDiagnostics(metrics),
        }),
        processed: (producer) =>
          producer.committed.filter((m) => m.topic === names.predictions).length,
      };
    }
    case 'joiner': {
      const store = new InMemoryJoinStore();
      return {
        handle: createJoinHandler({
          names,
          codecs,
          store,
          now: () => 5,
          diagnostics: createJoinerDiagnostics(metrics),
        }),
        // Each good prediction or label is one transition of the join store.
        processed: () => new Set(store.applied.map(({ input }) => input.coordinate)).size,
      };
    }
    case 'detector': {
      let labeled = 0;
      const diagnostics = createDetectorDiagnostics(metrics);
      const registry = new ModelRegistry();
      registry.apply(logisticVersion('sea', 1, [1, -1]));
      const stores = createDetectorStores(unitDetectorOptions, registry);
      return {
        handle: createDetectorHandler({
          names,
          internal,
          codecs,
          registry,
          refreshRegistry: () => Promise.resolve(),
          ...stores,
          options: unitDetectorOptions,
          now: () => 5,
          calibrator: inProcessAlarmCalibrator,
          diagnostics: {
            ...diagnostics,
            labelDelay: (model, delayMs) => {
              labeled++;
              diagnostics.labelDelay(model, delayMs);
            },
          },
        }),
        // Sketches: the rows data drift observed (one per good sketch); labeled: records folded in.
        processed: () =>
          (stores.data.committedState('sea')?.toJSON().monitor.observed ?? 0) + labeled,
      };
    }
    case 'trainer': {
      let skipped = 0;
      const diagnostics = createTrainerDiagnostics(metrics);
      // A good version is only read: count the distinct ones that were.
      const versionsRead = new Set<number>();
      const modelVersions = {
        ...codecs.modelVersions,
        decode: async (value: Buffer | null) => {
          const version = await codecs.modelVersions.decode(value);
          versionsRead.add(version.version);
          return version;
        },
      };
      return {
        handle: createTrainerHandler({
          names,
          codecs: { ...codecs, modelVersions },
          registry: new ModelRegistry(),
          refreshRegistry: () => Promise.resolve(),
          readWindow: () => Promise.resolve([]),
          policy: {
            candidate: { family: 'logistic', training: {}, referenceBins: 10 },
            command: null,
            holdoutFraction: 0.2,
            minRows: 200,
            maxRows: 20_000,
            criteria: { metric: 'accuracy', minGain: 0.01, minHoldout: 100 },
          },
          now: () => 5,
          diagnostics: {
            ...diagnostics,
            skipped: (model, reason) => {
              skipped++;
              diagnostics.skipped(model, reason);
            },
          },
          logger: createLogger('trainer', 'silent'),
        }),
        // A good request with no data is skipped; a good version is only read.
        processed: () => skipped + versionsRead.size,
      };
    }
  }
}

/**
 * Feeds `bad` payloads with a good record after every `goodEvery`, in batches, through the
 * service's handler as the bus runs it, and checks the outcome record by record.
 */
async function fuzz(options: {
  service: Service;
  topic: FuzzTopic;
  codecs: Codecs;
  bad: readonly { kind: string; value: Buffer | null }[];
  /** Good records of these topics go first (the joiner's predictions for its labels). */
  before?: readonly TopicId[];
}): Promise<void> {
  const { service, topic, codecs, bad } = options;
  const { handle, processed } = await fixture(service, codecs);
  const producer = new InMemoryTransactionalProducer();
  const policy: DeadLetterPolicy = {
    service,
    topic: names.deadLetter,
    codec: codecs.deadLetter,
    maxRecordBytes: (name) => (name === names.modelVersions ? 16 * 1024 * 1024 : maxRecordBytes),
    maxMessageBytes: 1_000_000,
    now: () => 5,
  };
  const run = async (name: string, records: InputRecord[]): Promise<void> => {
    for (let start = 0; start < records.length; start += batchSize) {
      const processedBatch = await processBatch({
        producer,
        groupId: service,
        batch: { topic: name, partition: 0, records: records.slice(start, start + batchSize) },
        handle,
        isStale: () => false,
        policy: { retries: 0, initialDelayMs: 0, maxDelayMs: 0, factor: 2 },
        signal: new AbortController().signal,
        deadLetters: policy,
      });
      assert.equal(processedBatch.outcome, 'committed');
    }
  };
  const goodCount = Math.ceil(bad.length / goodEvery);
  for (const first of options.before ?? []) {
    const records: InputRecord[] = [];
    for (let i = 0; i < goodCount; i++)
      records.push(inputRecord(names[first], i, await goodRecord(codecs, first, i)));
    await run(names[first], records);
  }

  const records: InputRecord[] = [];
  const badOffsets = new Map<string, string>();
  let good = 0;
  for (const [i, payload] of bad.entries()) {
    if (i % goodEvery === 0)
      records.push(
        inputRecord(nameOf(topic), records.length, await goodRecord(codecs, topic, good++)),
      );
    const record = inputRecord(nameOf(topic), records.length, payload.value);
    badOffsets.set(record.offset, payload.kind);
    records.push(record);
  }
  const goodBefore = processed(producer);
  await run(nameOf(topic), records);

  const letters: DeadLetter[] = await Promise.all(
    producer.committed
      .filter((m) => m.topic === names.deadLetter)
      .map((m) => codecs.deadLetter.decode(m.value as Buffer)),
  );
  const lettered = new Map<string, string>();
  for (const letter of letters) {
    assert.equal(letter.sourceTopic, nameOf(topic), 'only the fuzzed topic has bad records');
    assert.ok((deadLetterCodes as readonly string[]).includes(letter.code), letter.code);
    assert.ok(!lettered.has(letter.offset), `one letter per record (${letter.offset})`);
    lettered.set(letter.offset, letter.code);
  }
  const missing = [...badOffsets].filter(([offset]) => !lettered.has(offset));
  assert.deepEqual(missing, [], 'every bad record is dead-lettered');
  assert.equal(lettered.size, bad.length, 'no good record is dead-lettered');
  assert.equal(processed(producer) - goodBefore, good, 'every good record is processed');
  assert.equal(producer.offsets.get(`${nameOf(topic)}/0`), String(records.length));
}

function inputRecord(topic: string, offset: number, value: Buffer | null): InputRecord {
  return {
    topic,
    partition: 0,
    offset: String(offset),
    key: Buffer.from(`k${offset}`),
    value,
    timestamp: String(offset),
    headers: {},
  };
}

const cases: { service: Service; topic: TopicId; before?: TopicId[] }[] = [
  { service: 'inference', topic: 'events' },
  { service: 'joiner', topic: 'labels', before: ['predictions'] },
  { service: 'joiner', topic: 'predictions' },
  { service: 'detector', topic: 'predictionsLabeled' },
  { service: 'trainer', topic: 'retrainRequested' },
  { service: 'trainer', topic: 'modelVersions' },
];

describe(`fuzz, broker-free: ${badPerTopic} bad payloads per input topic through each handler`, () => {
  const json = createCodecs({ schemaRegistryUrl: '', names });
  for (const { service, topic, before } of cases) {
    it(`${service} ← ${topic} (JSON)`, async () => {
      const bad = await badJsonPayloads(topic, badPerTopic, {
        random: mulberry32(topic.length * 7919 + service.length),
        oversizeBytes: maxRecordBytes + 1,
      });
      await fuzz({ service, topic, codecs: await json, bad, ...(before ? { before } : {}) });
    });
  }

  it('detector ← feature sketches (binary)', async () => {
    const codecs = await json;
    const bad = badFeatureSketches(
      badPerTopic,
      mulberry32(4243),
      await goodRecord(codecs, 'featureSketches', 0),
    );
    await fuzz({ service: 'detector', topic: 'featureSketches', codecs, bad });
  });

  describe('Avro: wrong magic byte, unknown schema id, truncated records', () => {
    let registry: InMemorySchemaRegistry | undefined;
    after(async () => {
      await registry?.close();
    });
    for (const { service, topic, before } of cases) {
      it(`${service} ← ${topic} (Avro)`, async () => {
        registry ??= await InMemorySchemaRegistry.start();
        const codecs = await createCodecs({ schemaRegistryUrl: registry.url, names });
        const valid = await goodRecord(codecs, topic, 0);
        const bad = badAvroPayloads(Math.min(badPerTopic, 1_000), {
          random: mulberry32(topic.length * 104_729),
          valid,
          unknownSchemaId: 999_999,
        });
        await fuzz({ service, topic, codecs, bad, ...(before ? { before } : {}) });
      });
    }
  });
});
