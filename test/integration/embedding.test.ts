/**
 * Issue 14's vector feature on the real broker and Redis: events carry an `embedding` of the
 * length their model's version declares; inference passes it to the model that takes it, sketches
 * it for the detector and judges edge cases on it; the detector sees its clusters' mix move while
 * no scalar feature does; an event whose vector is missing or of another length is dead-lettered
 * with why; the joined records carry the vector, so a retrain can learn from it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { internalTopicNames } from '@driftwatch/detector';
import { mulberry32 } from '@driftwatch/drift';
import { bootstrapVersion } from '@driftwatch/model';
import {
  embeddingColumns,
  type DriftAlert,
  type FeatureEvent,
  type LabelEvent,
} from '@driftwatch/topics';

import { waitForSketchesProcessed } from '../support/detector-progress.js';
import { testKafka } from '../support/environment.js';
import { createTestPipeline, publishModelVersion, sendAll } from '../support/pipeline.js';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { collectTopic } from '../support/topic-reader.js';

const kafka = testKafka();
const model = 'tickets';
const width = 8;
const inputs = ['length', ...embeddingColumns(width)];

/**
 * A ticket: its length in words and its text's embedding, from one of three topics — two the
 * model was trained on, and a third (`new`) that appears later, far from both in the vector only.
 * The label is whether it is urgent: mostly the vector's first value, a little the length.
 */
function ticket(random: () => number, topic: 'billing' | 'outage' | 'new') {
  const centre = { billing: 0, outage: 3, new: -4 }[topic];
  const embedding = Array.from(
    { length: width },
    (_, j) => centre * (j % 2 ? 1 : -1) + random() - 0.5,
  );
  const length = 20 + Math.floor(random() * 200);
  const urgent = (embedding[0] ?? 0) + length / 400 > 0.3 ? 1 : 0;
  return { features: { length }, embedding, label: urgent };
}

describe('an embedding on the real broker and Redis', { timeout: 600_000 }, () => {
  const producer = kafka.producer({ idempotent: true });
  const running: ServiceProcess[] = [];
  before(async () => {
    await producer.connect();
  });
  after(async () => {
    await Promise.all(running.map((service) => service.stop('SIGKILL')));
    await producer.disconnect();
  });

  it('is scored by the model that takes it, watched for drift and edge cases, dead-lettered when it does not fit, and joined with its label', async () => {
    const random = mulberry32(14);
    const topicOf = (i: number): 'billing' | 'outage' => (i % 2 ? 'billing' : 'outage');
    const reference = Array.from({ length: 2_000 }, (_, i) => ticket(random, topicOf(i)));
    const version = await bootstrapVersion({
      model,
      featureNames: inputs,
      rows: reference.map(({ features, embedding }) => [features.length, ...embedding]),
      labels: reference.map(({ label }) => label),
      candidate: { family: 'logistic', training: {}, referenceBins: 10 },
      createdAt: Date.now(),
    });
    assert.deepEqual(
      version.reference.features.map((distribution) => distribution.name),
      ['length'],
      'the vector is not binned position by position',
    );
    assert.deepEqual(version.reference.multivariate?.features, embeddingColumns(width));

    const pipeline = await createTestPipeline(kafka);
    await publishModelVersion(producer, pipeline, version);
    const env = { ...pipeline.env, RETRAIN_ON_DRIFT: 'false', RETRAIN_AFTER_EDGE_CASES: '0' };
    running.push(await startServiceProcess('inference', env));
    running.push(await startServiceProcess('joiner', env));
    running.push(await startServiceProcess('detector', env));
    const predictions = await collectTopic(kafka, pipeline.names.predictions);
    const edgeCases = await collectTopic(kafka, pipeline.names.edgeCases);
    const deadLetters = await collectTopic(kafka, pipeline.names.deadLetter);
    const joined = await collectTopic(kafka, pipeline.names.predictionsLabeled);
    const alerts = await collectTopic(kafka, pipeline.names.driftAlerts);
    const sketchTopic = internalTopicNames(pipeline.prefix).sketches;
    const sketches = await collectTopic(kafka, sketchTopic);

    // 3,000 tickets like the reference, then 3,000 of which 40% are of the new topic, and among
    // them 40 whose vector is missing or one value short.
    const baseTs = Date.now();
    const sent: { event: FeatureEvent; label: number; topic: string }[] = [];
    const misfits = new Set<string>();
    for (let i = 0; i < 6_000; i++) {
      const topic = i >= 3_000 && random() < 0.4 ? 'new' : topicOf(i);
      const { features, embedding, label } = ticket(random, topic);
      const id = `t-${i}`;
      const misfit = i >= 3_000 && i % 150 === 0;
      if (misfit) misfits.add(id);
      const vector = misfit ? (i % 300 === 0 ? null : embedding.slice(1)) : embedding;
      sent.push({
        event: { id, model, ts: baseTs + i, features, embedding: vector },
        label,
        topic,
      });
    }
    // The two halves one after the other, so the first is judged before the new topic arrives
    // (inference reads partitions in its own order, not the events').
    const produce = async (entries: typeof sent) => {
      await sendAll(
        producer,
        pipeline.names.events,
        await Promise.all(
          entries.map(async ({ event }) => ({
            key: event.id,
            value: await pipeline.codecs.events.encode(event),
          })),
        ),
      );
      const labels: LabelEvent[] = entries.map(({ event, label }) => ({
        id: event.id,
        model,
        ts: event.ts + 1,
        label,
      }));
      await sendAll(
        producer,
        pipeline.names.labels,
        await Promise.all(
          labels.map(async (label) => ({
            key: label.id,
            value: await pipeline.codecs.labels.encode(label),
          })),
        ),
      );
    };
    await produce(sent.slice(0, 3_000));
    await predictions.waitFor(3_000, 180_000);
    await produce(sent.slice(3_000));

    const scored = sent.length - misfits.size;
    await predictions.waitFor(scored, 180_000);
    await deadLetters.waitFor(misfits.size, 60_000);
    await joined.waitFor(scored, 180_000);
    await waitForSketchesProcessed(kafka, pipeline, sketchTopic, sketches, scored);
    await Promise.all([edgeCases.settle(2000), alerts.settle(2000)]);

    const decoded = await Promise.all(
      predictions.records.map((record) => pipeline.codecs.predictions.decode(record.value)),
    );
    assert.equal(new Set(decoded.map((prediction) => prediction.id)).size, scored);
    const byId = new Map(sent.map((entry) => [entry.event.id, entry]));
    for (const prediction of decoded) {
      const vector = byId.get(prediction.id)?.event.embedding ?? [];
      assert.deepEqual(
        embeddingColumns(width).map((name) => prediction.features[name]),
        vector,
        `${prediction.id} carries its vector as embedding[i]`,
      );
    }
    // The model learned the vector: on the reference's topics it is right far above chance.
    const known = decoded.filter((prediction) => byId.get(prediction.id)?.topic !== 'new');
    const right = known.filter((p) => p.predicted === byId.get(p.id)?.label).length;
    assert.ok(right / known.length > 0.8, `accuracy on known topics ${right / known.length}`);

    const dead = await Promise.all(
      deadLetters.records.map((record) => pipeline.codecs.deadLetter.decode(record.value)),
    );
    assert.deepEqual(
      dead.map((deadLetter) => deadLetter.code),
      [...misfits].map(() => 'DW_MISSING_FEATURE'),
    );
    for (const deadLetter of dead) {
      assert.match(
        deadLetter.reason,
        new RegExp(
          `^model ${model} v1 takes an embedding of ${width} values; the event carries (none|${width - 1})$`,
        ),
      );
    }

    // Edge cases: the new topic's tickets, which lie where the reference had none.
    const found = await Promise.all(
      edgeCases.records.map((record) => pipeline.codecs.edgeCases.decode(record.value)),
    );
    const ofNew = found.filter((edgeCase) => byId.get(edgeCase.id)?.topic === 'new').length;
    const newSent = sent.filter((entry) => entry.topic === 'new').length;
    assert.ok(ofNew > newSent * 0.9, `${ofNew} of ${newSent} new-topic tickets are edge cases`);
    // Before the new topic, edge cases are the reference's own tail: about 1% at p99.
    const before = found.filter((edgeCase) => Number(edgeCase.id.slice(2)) < 3_000);
    assert.ok(before.length < 3_000 * 0.03, `${before.length} edge cases among the first 3,000`);

    // The detector: the vector's clusters moved, no scalar feature did.
    const raised: DriftAlert[] = await Promise.all(
      alerts.records.map((record) => pipeline.codecs.driftAlerts.decode(record.value)),
    );
    const detectors = new Set(raised.map((alert) => alert.detector));
    assert.ok(detectors.has('cluster-occupancy'), JSON.stringify([...detectors]));
    assert.ok(
      raised.every((alert) => alert.feature !== 'length'),
      'the length of tickets never moved',
    );

    // Joined with its label, a ticket keeps its vector: what a retrain learns from.
    const labeled = await Promise.all(
      joined.records.map((record) => pipeline.codecs.predictionsLabeled.decode(record.value)),
    );
    assert.ok(labeled.every((record) => record.features['embedding[0]'] !== undefined));
    await Promise.all(
      [predictions, edgeCases, deadLetters, joined, alerts, sketches].map((c) => c.stop()),
    );
  });
});
