/**
 * Issue "Scoring and label join on Kafka": events in, predictions scored by ONNX, each joined with
 * its late label — exactly once, nothing lost — on the real local broker and Redis, with the
 * inference and joiner services running as processes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import type { Producer } from '@driftwatch/bus';
import { eventId, seaStream } from '@driftwatch/datasets';
import { mulberry32 } from '@driftwatch/drift';
import type { FeatureEvent, LabeledPrediction, LabelEvent, Prediction } from '@driftwatch/topics';

import { testKafka } from '../support/environment.js';
import {
  createTestPipeline,
  publishModelVersion,
  seaModelVersion,
  sendAll,
  type TestPipeline,
} from '../support/pipeline.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { collectTopic } from '../support/topic-reader.js';

const kafka = testKafka();
const model = 'sea';
const eventCount = 20_000;

interface Workload {
  /** Messages in the order they are produced, across both topics. */
  sequence: { topic: 'events' | 'labels'; key: string; value: Buffer }[];
  valid: Map<string, FeatureEvent>;
  /** The label each labeled valid event gets (duplicates carry the same label). */
  labels: Map<string, LabelEvent>;
  malformed: Map<string, string>;
}

/**
 * 20,000 SEA events; 1% malformed in four ways; labels for 95% of the valid ones, 2% of those
 * twice, each placed at a random distance from its event — some before it, most well after —
 * so labels arrive late, out of order, duplicated, or never.
 */
async function buildWorkload(pipeline: TestPipeline, seed: number): Promise<Workload> {
  const random = mulberry32(seed);
  const placed: { position: number; topic: 'events' | 'labels'; key: string; value: Buffer }[] = [];
  const valid = new Map<string, FeatureEvent>();
  const labels = new Map<string, LabelEvent>();
  const malformed = new Map<string, string>();
  const baseTs = Date.now() - 3_600_000;
  const malformedKinds = [
    ['DW_MALFORMED_JSON', (id: string) => Buffer.from(`{"id":"${id}","model":`)],
    [
      'DW_SCHEMA_VIOLATION',
      (id: string) =>
        Buffer.from(JSON.stringify({ id, model, ts: baseTs, features: { x1: 'high' } })),
    ],
    [
      'DW_MISSING_FEATURE',
      (id: string) =>
        Buffer.from(JSON.stringify({ id, model, ts: baseTs, features: { x1: 1, x3: 2 } })),
    ],
    [
      'DW_UNKNOWN_MODEL',
      (id: string) =>
        Buffer.from(
          JSON.stringify({
            id,
            model: 'no-such-model',
            ts: baseTs,
            features: { x1: 1, x2: 2, x3: 3 },
          }),
        ),
    ],
  ] as const;
  for (const row of seaStream({ seed, length: eventCount })) {
    const id = eventId('sea', row.index);
    if (row.index % 100 === 37) {
      const [code, bytes] = malformedKinds[malformed.size % malformedKinds.length]!;
      malformed.set(id, code);
      placed.push({ position: row.index, topic: 'events', key: id, value: bytes(id) });
      continue;
    }
    const event: FeatureEvent = { id, model, ts: baseTs + row.index * 10, features: row.features };
    valid.set(id, event);
    placed.push({
      position: row.index,
      topic: 'events',
      key: id,
      value: await pipeline.codecs.events.encode(event),
    });
    if (random() < 0.05) continue;
    const label: LabelEvent = {
      id,
      model,
      ts: event.ts + 1000 + Math.floor(random() * 60_000),
      label: row.label,
    };
    labels.set(id, label);
    const value = await pipeline.codecs.labels.encode(label);
    const copies = random() < 0.02 ? 2 : 1;
    for (let copy = 0; copy < copies; copy++) {
      placed.push({ position: row.index - 300 + random() * 2300, topic: 'labels', key: id, value });
    }
  }
  placed.sort((a, b) => a.position - b.position);
  return { sequence: placed, valid, labels, malformed };
}

async function produceWorkload(
  producer: Producer,
  pipeline: TestPipeline,
  sequence: Workload['sequence'],
): Promise<void> {
  for (let start = 0; start < sequence.length; start += 1000) {
    const chunk = sequence.slice(start, start + 1000);
    await producer.sendBatch({
      topicMessages: (['events', 'labels'] as const).map((topic) => ({
        topic: pipeline.names[topic],
        messages: chunk.filter((m) => m.topic === topic).map(({ key, value }) => ({ key, value })),
      })),
    });
  }
}

async function decodeAll<T>(
  records: readonly { value: Buffer | null }[],
  decode: (value: Buffer | null) => Promise<T>,
): Promise<T[]> {
  return Promise.all(records.map((record) => decode(record.value)));
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

describe('scoring and label join on the real broker and Redis', { timeout: 600_000 }, () => {
  const producer = kafka.producer({ idempotent: true });
  const services: ServiceProcess[] = [];
  const start = async (
    name: 'inference' | 'joiner',
    env: Record<string, string>,
  ): Promise<ServiceProcess> => {
    const service = await startServiceProcess(name, env);
    services.push(service);
    return service;
  };

  before(async () => {
    await producer.connect();
  });
  after(async () => {
    await Promise.all(services.map((service) => service.stop('SIGKILL')));
    await producer.disconnect();
  });

  it('scores every event once, joins every label that came once, counts the never-labeled and dead-letters the malformed with their reason', async () => {
    const pipeline = await createTestPipeline(kafka);
    await publishModelVersion(producer, pipeline, await seaModelVersion({ model, version: 1 }));
    const env = { ...pipeline.env, JOIN_TTL_SECONDS: '30', JOIN_SWEEP_INTERVAL_MS: '500' };
    await start('inference', env);
    const joiner = await start('joiner', env);
    const workload = await buildWorkload(pipeline, 7);
    const predictions = await collectTopic(kafka, pipeline.names.predictions);
    const joined = await collectTopic(kafka, pipeline.names.predictionsLabeled);
    const deadLetters = await collectTopic(kafka, pipeline.names.deadLetter);
    const edgeCases = await collectTopic(kafka, pipeline.names.edgeCases);

    await produceWorkload(producer, pipeline, workload.sequence);
    await predictions.waitFor(workload.valid.size, 180_000);
    await joined.waitFor(workload.labels.size, 180_000);
    await deadLetters.waitFor(workload.malformed.size, 60_000);
    await Promise.all([predictions.settle(), joined.settle(), deadLetters.settle()]);

    const scored = await decodeAll(predictions.records, (v) =>
      pipeline.codecs.predictions.decode(v),
    );
    assert.equal(scored.length, workload.valid.size, 'one prediction per valid event, no more');
    assert.deepEqual(
      new Set(scored.map((p) => p.id)),
      new Set(workload.valid.keys()),
      'every valid event scored',
    );
    for (const prediction of scored) {
      assert.equal(prediction.modelVersion, 1);
      assert.deepEqual(prediction.features, workload.valid.get(prediction.id)?.features);
    }

    // Edge cases: the version carries reference clusters, so inference marks the events that
    // fall far from them, on the prediction and once on edge-cases, in the same transaction.
    await edgeCases.settle();
    const marked = scored.filter((prediction) => prediction.edgeCase);
    const collected = await decodeAll(edgeCases.records, (v) =>
      pipeline.codecs.edgeCases.decode(v),
    );
    assert.ok(marked.length > 0, 'some events fell where the reference was sparse');
    assert.equal(collected.length, marked.length, 'one edge-case record per marked prediction');
    const markedById = new Map(marked.map((prediction) => [prediction.id, prediction]));
    for (const edgeCase of collected) {
      const prediction = markedById.get(edgeCase.id);
      assert.ok(prediction, `edge case ${edgeCase.id} has its marked prediction`);
      assert.deepEqual(edgeCase.edgeCase, prediction.edgeCase);
      assert.deepEqual(edgeCase.features, prediction.features);
      assert.equal(edgeCase.modelVersion, prediction.modelVersion);
    }
    assert.equal(new Set(collected.map((edgeCase) => edgeCase.id)).size, collected.length);

    const labeled = await decodeAll(joined.records, (v) =>
      pipeline.codecs.predictionsLabeled.decode(v),
    );
    for (const record of labeled) {
      assert.deepEqual(
        record.edgeCase ?? null,
        markedById.get(record.id)?.edgeCase ?? null,
        `the joined record of ${record.id} says whether it was an edge case`,
      );
    }
    assert.equal(labeled.length, workload.labels.size, 'one joined record per label that came');
    assert.deepEqual(new Set(labeled.map((l) => l.id)), new Set(workload.labels.keys()));
    for (const record of labeled) {
      const label = workload.labels.get(record.id)!;
      assert.equal(record.label, label.label);
      assert.equal(record.labelTs, label.ts);
      assert.equal(record.labelDelayMs, label.ts - workload.valid.get(record.id)!.ts);
    }
    assert.ok(
      joined.records.every((record) => record.key === model),
      'predictions-labeled is keyed by model',
    );

    const letters = await decodeAll(deadLetters.records, (v) =>
      pipeline.codecs.deadLetter.decode(v),
    );
    assert.equal(letters.length, workload.malformed.size);
    for (const [index, letter] of letters.entries()) {
      const id = deadLetters.records[index]?.key ?? '';
      assert.equal(letter.code, workload.malformed.get(id), `dead letter of ${id}`);
      assert.equal(letter.service, 'inference');
      assert.equal(letter.sourceTopic, pipeline.names.events);
      assert.ok(letter.reason.length > 0);
      assert.ok(letter.value && letter.value.length > 0, 'the original bytes are kept');
    }
    assert.deepEqual(
      countBy(letters, (l) => l.code),
      countBy([...workload.malformed.values()], (code) => code),
    );

    // The never-labeled are counted once their TTL passes (30 s after their prediction was joined-in).
    const neverLabeled = workload.valid.size - workload.labels.size;
    const deadline = Date.now() + 120_000;
    let expired = 0;
    while (Date.now() < deadline) {
      expired = await joiner.metric('driftwatch_joiner_expired_predictions_total');
      if (expired >= neverLabeled) break;
      await sleep(1000);
    }
    assert.equal(expired, neverLabeled, 'every never-labeled prediction counted as expired');
    assert.equal(await joiner.metric('driftwatch_joiner_orphan_labels_total'), 0);
    assert.equal(
      await joiner.metric('driftwatch_joiner_transitions_total', {
        side: 'label',
        effect: 'duplicate',
      }),
      workload.sequence.filter((m) => m.topic === 'labels').length - workload.labels.size,
      'every duplicate label recognised',
    );
    await Promise.all([predictions.stop(), joined.stop(), deadLetters.stop(), edgeCases.stop()]);
  });

  it('hot-swaps to a newly promoted version mid-stream: one prediction per event, versions never go backwards per partition', async () => {
    const pipeline = await createTestPipeline(kafka);
    await publishModelVersion(producer, pipeline, await seaModelVersion({ model, version: 1 }));
    await start('inference', pipeline.env);
    const predictions = await collectTopic(kafka, pipeline.names.predictions);
    const version2 = await seaModelVersion({ model, version: 2, concept: { threshold: 13 } });
    const events: { key: string; value: Buffer }[] = [];
    for (const row of seaStream({ seed: 3, length: eventCount })) {
      const id = eventId('swap', row.index);
      const event: FeatureEvent = { id, model, ts: Date.now(), features: row.features };
      events.push({ key: id, value: await pipeline.codecs.events.encode(event) });
    }
    for (let chunk = 0; chunk < 20; chunk++) {
      if (chunk === 10) await publishModelVersion(producer, pipeline, version2);
      await sendAll(
        producer,
        pipeline.names.events,
        events.slice(chunk * 1000, (chunk + 1) * 1000),
      );
      await sleep(100);
    }
    await predictions.waitFor(eventCount, 180_000);
    await predictions.settle();

    const scored: (Prediction & { partition: number })[] = [];
    for (const record of predictions.records) {
      scored.push({
        ...(await pipeline.codecs.predictions.decode(record.value)),
        partition: record.partition,
      });
    }
    assert.equal(scored.length, eventCount, 'no event dropped or scored twice');
    assert.equal(new Set(scored.map((p) => p.id)).size, eventCount);
    const byVersion = countBy(scored, (p) => String(p.modelVersion));
    assert.ok((byVersion.get('1') ?? 0) > 0, 'version 1 scored the first events');
    assert.ok((byVersion.get('2') ?? 0) > 0, 'version 2 took over without a restart');
    for (const partition of [0, 1, 2]) {
      const versions = scored.filter((p) => p.partition === partition).map((p) => p.modelVersion);
      assert.deepEqual(
        versions,
        [...versions].sort((a, b) => a - b),
        `partition ${partition}: versions only move forward`,
      );
    }
    await predictions.stop();
  });

  it('a joiner killed with SIGKILL halfway and restarted produces the same joined set as an uninterrupted run', async () => {
    const pipeline = await createTestPipeline(kafka);
    await publishModelVersion(producer, pipeline, await seaModelVersion({ model, version: 1 }));
    await start('inference', pipeline.env);
    const workload = await buildWorkload(pipeline, 11);
    const predictions = await collectTopic(kafka, pipeline.names.predictions);
    const joined = await collectTopic(kafka, pipeline.names.predictionsLabeled);
    const joiner = await start('joiner', pipeline.env);
    await produceWorkload(producer, pipeline, workload.sequence);
    await joined.waitFor(Math.floor(workload.labels.size / 2), 180_000);
    await joiner.stop('SIGKILL');
    const partial = joined.records.length;
    await start('joiner', pipeline.env);
    await joined.waitFor(workload.labels.size, 180_000);
    await Promise.all([predictions.settle(), joined.settle()]);

    const scored = new Map(
      (await decodeAll(predictions.records, (v) => pipeline.codecs.predictions.decode(v))).map(
        (p) => [p.id, p],
      ),
    );
    const labeled: LabeledPrediction[] = await decodeAll(joined.records, (v) =>
      pipeline.codecs.predictionsLabeled.decode(v),
    );
    assert.ok(partial < workload.labels.size, 'the joiner was killed before it finished');
    assert.equal(labeled.length, workload.labels.size, 'nothing joined twice, nothing lost');
    // What an uninterrupted joiner produces: each prediction joined with its label.
    const expected = new Map(
      [...workload.labels].map(([id, label]) => {
        const prediction = scored.get(id)!;
        return [
          id,
          {
            ...prediction,
            label: label.label,
            labelTs: label.ts,
            labelDelayMs: label.ts - prediction.ts,
          },
        ];
      }),
    );
    assert.deepEqual(new Map(labeled.map((record) => [record.id, record])), expected);
    await Promise.all([predictions.stop(), joined.stop()]);
  });
});
