import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { readTimeRange, type Kafka, type Producer } from '@driftwatch/bus';
import { deliverySchedule, eventId, openStream, type StreamRow } from '@driftwatch/datasets';
import { replayStream, type ReplayProgress } from '@driftwatch/demo';
import type { FeatureEvent, LabelEvent } from '@driftwatch/topics';

import { testKafka } from '../support/environment.js';
import { createTestPipeline, type TestPipeline } from '../support/pipeline.js';

interface Read<Message> {
  message: Message;
  key: string | undefined;
  /** The Kafka record's timestamp: when the producer built the request. */
  recordTs: number;
}

async function readBack(
  kafka: Kafka,
  deployment: TestPipeline,
): Promise<{
  events: Read<FeatureEvent>[];
  labels: Read<LabelEvent>[];
}> {
  const { names, codecs } = deployment;
  const readTopic = (topic: string) =>
    readTimeRange({ kafka, topic, fromTs: 0, toTs: Number.MAX_SAFE_INTEGER });
  const [eventRecords, labelRecords] = await Promise.all([
    readTopic(names.events),
    readTopic(names.labels),
  ]);
  return {
    events: await Promise.all(
      eventRecords.map(async (r) => ({
        message: await codecs.events.decode(r.value),
        key: r.key?.toString(),
        recordTs: Number(r.timestamp),
      })),
    ),
    labels: await Promise.all(
      labelRecords.map(async (r) => ({
        message: await codecs.labels.decode(r.value),
        key: r.key?.toString(),
        recordTs: Number(r.timestamp),
      })),
    ),
  };
}

function countBy<Item>(items: readonly Item[], key: (item: Item) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

describe('replayStream against the local broker', () => {
  const kafka = testKafka();
  let producer: Producer;
  const fresh = (): Promise<TestPipeline> => createTestPipeline(kafka);

  before(async () => {
    // Idempotent, as replayStream requires: a retried request never writes a message twice.
    producer = kafka.producer({ idempotent: true });
    await producer.connect();
  });
  after(async () => {
    await producer.disconnect();
  });

  it('sends every event once and each label after its delay, missing and duplicated as scheduled', async () => {
    const deployment = await fresh();
    const { rows } = await openStream({ dataset: 'sea', seed: 5, length: 300 });
    const schedule = {
      seed: 11,
      labelDelay: { kind: 'fixed', ms: 1500 } as const,
      missingLabelRate: 0.1,
      duplicateLabelRate: 0.05,
    };
    const progress: ReplayProgress[] = [];
    const summary = await replayStream({
      producer,
      codecs: deployment.codecs,
      names: deployment.names,
      model: 'sea-test',
      streamName: 'seatest',
      rows,
      schedule,
      rate: Infinity,
      onProgress: (p) => progress.push(p),
    });
    const { events, labels } = await readBack(kafka, deployment);

    // Every row's event, once, keyed and identified by eventId, with the row's features.
    assert.equal(events.length, rows.length);
    assert.equal(summary.events, rows.length);
    const eventsById = new Map(events.map((e) => [e.message.id, e]));
    assert.equal(eventsById.size, rows.length);
    for (const row of rows) {
      const event = eventsById.get(eventId('seatest', row.index));
      assert.ok(event, `row ${row.index} has no event`);
      assert.equal(event.key, event.message.id);
      assert.equal(event.message.model, 'sea-test');
      assert.deepEqual(event.message.features, row.features);
      // As fast as possible: every event is stamped with the start.
      assert.equal(event.message.ts, summary.startedAt);
    }

    // Labels: rows − missing + duplicates, each after its event by the delay, with the row's label.
    assert.equal(labels.length, summary.labels);
    assert.equal(summary.labels, rows.length - summary.missingLabels + summary.duplicateLabels);
    const labelCounts = countBy(labels, (l) => l.message.id);
    assert.equal(rows.length - labelCounts.size, summary.missingLabels);
    assert.equal([...labelCounts.values()].filter((n) => n === 2).length, summary.duplicateLabels);
    assert.ok([...labelCounts.values()].every((n) => n === 1 || n === 2));
    const rowsById = new Map<string, StreamRow>(rows.map((r) => [eventId('seatest', r.index), r]));
    for (const label of labels) {
      const event = eventsById.get(label.message.id);
      assert.ok(event, `label ${label.message.id} has no event`);
      assert.equal(label.key, label.message.id);
      assert.equal(label.message.label, rowsById.get(label.message.id)?.label);
      assert.ok(label.message.ts >= event.message.ts + schedule.labelDelay.ms);
    }

    // The missing and duplicated labels are the schedule's, whatever the replay's time scale.
    const reference = deliverySchedule(rows, schedule);
    const referenceLabels = reference.filter((d) => d.kind === 'label');
    assert.equal(
      summary.missingLabels,
      rows.length - referenceLabels.filter((d) => !d.duplicate).length,
    );
    assert.equal(summary.duplicateLabels, referenceLabels.filter((d) => d.duplicate).length);
    assert.ok(summary.missingLabels > 0 && summary.duplicateLabels > 0, 'the rates were exercised');

    // Batched: far fewer progress reports (one per request) than messages; the last one is all.
    assert.ok(
      progress.length < (events.length + labels.length) / 10,
      `${progress.length} requests`,
    );
    assert.deepEqual(progress.at(-1), {
      events: summary.events,
      labels: summary.labels,
      duplicateLabels: summary.duplicateLabels,
      total: summary.events + summary.labels,
    });
  });

  it('paces events at the rate and sends nothing before its time', async () => {
    const deployment = await fresh();
    const { rows } = await openStream({ dataset: 'sea', seed: 2, length: 100 });
    const summary = await replayStream({
      producer,
      codecs: deployment.codecs,
      names: deployment.names,
      model: 'sea',
      streamName: 'paced',
      rows,
      schedule: { seed: 1, labelDelay: { kind: 'uniform', minMs: 50, maxMs: 150 } },
      rate: 200,
    });
    const { events, labels } = await readBack(kafka, deployment);
    assert.equal(events.length, 100);
    assert.equal(labels.length, 100);

    const byIndex = [...events].sort((a, b) => a.message.id.localeCompare(b.message.id));
    // Event i is stamped start + i · 5 ms…
    byIndex.forEach((event, i) => {
      assert.equal(event.message.id, eventId('paced', i));
      assert.equal(event.message.ts, summary.startedAt + i * 5);
    });
    // …and was not produced before that time (Kafka stamps records when the request is built).
    for (const { message, recordTs } of [...events, ...labels]) {
      assert.ok(recordTs >= message.ts, `${message.id} sent ${message.ts - recordTs} ms early`);
    }
    // Nothing more about wall-clock spacing: a slow first send leaves the next events overdue,
    // and they rightly go at once. Not before its stamp is the whole of pacing.
    for (const label of labels) {
      const event = events.find((e) => e.message.id === label.message.id);
      assert.ok(event);
      const delay = label.message.ts - event.message.ts;
      assert.ok(delay >= 50 && delay <= 150, `label delay ${delay} ms`);
    }
  });

  it('sends rows with their own ids, times and class names; a row without a label, its event only', async () => {
    const deployment = await fresh();
    const eventTs = Date.UTC(2024, 5, 1, 12);
    const rows = [
      { index: 0, features: { x: 1 }, label: 'setosa', id: 'flower-a', ts: eventTs },
      { index: 1, features: { x: 2 }, label: 2, id: 'flower-b', ts: eventTs + 60_000 },
      { index: 2, features: { x: 3 }, label: undefined, id: 'flower-c', ts: eventTs + 120_000 },
      { index: 3, features: { x: 4 }, label: 'virginica' },
    ];
    const summary = await replayStream({
      producer,
      codecs: deployment.codecs,
      names: deployment.names,
      model: 'iris',
      streamName: 'generated',
      rows,
      schedule: { seed: 1, labelDelay: { kind: 'fixed', ms: 250 } },
      rate: 100,
    });
    assert.deepEqual([summary.events, summary.labels, summary.missingLabels], [4, 3, 1]);
    const { events, labels } = await readBack(kafka, deployment);
    const byId = new Map(events.map((e) => [e.message.id, e.message]));
    assert.deepEqual(
      [...byId.keys()].sort(),
      ['flower-a', 'flower-b', 'flower-c', eventId('generated', 3)].sort(),
    );
    // A row's own time stamps its event; the last row has none, so it is stamped when sent.
    assert.equal(byId.get('flower-a')?.ts, eventTs);
    assert.equal(byId.get('flower-b')?.ts, eventTs + 60_000);
    assert.equal(byId.get(eventId('generated', 3))?.ts, summary.startedAt + 30);
    // Labels as given (a class name stays a string, an integer an integer), each its event's
    // time plus the delay.
    assert.deepEqual(
      labels
        .map((l) => [l.key, l.message.label, l.message.ts - (byId.get(l.message.id)?.ts ?? NaN)])
        .sort(),
      [
        ['flower-a', 'setosa', 250],
        ['flower-b', 2, 250],
        [eventId('generated', 3), 'virginica', 250],
      ].sort(),
    );
  });

  it('stops when aborted, with everything it reports sent and nothing else', async () => {
    const deployment = await fresh();
    const { rows } = await openStream({ dataset: 'sea', seed: 3, length: 2000 });
    const controller = new AbortController();
    const summary = await replayStream({
      producer,
      codecs: deployment.codecs,
      names: deployment.names,
      model: 'sea',
      streamName: 'abort',
      rows,
      schedule: { seed: 1, labelDelay: { kind: 'fixed', ms: 100 } },
      rate: 500,
      signal: controller.signal,
      onProgress: ({ events }) => {
        if (events >= 50) controller.abort();
      },
    });
    assert.ok(summary.events >= 50 && summary.events < 2000, `${summary.events} events`);
    const { events, labels } = await readBack(kafka, deployment);
    assert.equal(events.length, summary.events);
    assert.equal(labels.length, summary.labels);
  });
});
