import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';

import { deploymentNames, type Kafka } from '@driftwatch/bus';
import { decodeFeatureSketch } from '@driftwatch/topics';

import type { TestPipeline } from './pipeline.js';
import type { collectTopic } from './topic-reader.js';

type Collector = Awaited<ReturnType<typeof collectTopic>>;

/**
 * Waits until the detector's group has committed past every record `collector` has read of
 * `topic`. Its topics are written in transactions, so the end offset counts commit markers the
 * group's committed offset never reaches: the records read are the measure, not the end offset.
 */
export async function waitForProcessed(
  kafka: Kafka,
  pipeline: TestPipeline,
  topic: string,
  collector: Collector,
): Promise<void> {
  const last = new Map<number, bigint>();
  for (const record of collector.records) {
    const offset = BigInt(record.offset);
    if (offset > (last.get(record.partition) ?? -1n)) last.set(record.partition, offset);
  }
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (let attempt = 0; attempt < 480; attempt++) {
      const [committed] = await admin.fetchOffsets({
        groupId: deploymentNames(pipeline.prefix).consumerGroup('detector'),
        topics: [topic],
      });
      const done = [...last].every(([partition, offset]) => {
        const at = committed?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
        return BigInt(at) > offset;
      });
      if (done) return;
      await sleep(250);
    }
    throw new Error(`the detector did not process every record of ${topic}`);
  } finally {
    await admin.disconnect();
  }
}

/** Predictions inference has summed up in feature sketches, counted in rows. */
function sketchedRows(collector: Collector): number {
  let rows = 0;
  for (const record of collector.records) rows += decodeFeatureSketch(record.value).rows;
  return rows;
}

/**
 * Waits until the sketches `collector` read of `sketchTopic` sum up exactly `predictions` rows,
 * and then until the detector has processed every one of them ({@link waitForProcessed}).
 */
export async function waitForSketchesProcessed(
  kafka: Kafka,
  pipeline: TestPipeline,
  sketchTopic: string,
  collector: Collector,
  predictions: number,
): Promise<void> {
  for (let attempt = 0; attempt < 480 && sketchedRows(collector) < predictions; attempt++) {
    await sleep(250);
  }
  assert.equal(sketchedRows(collector), predictions);
  await waitForProcessed(kafka, pipeline, sketchTopic, collector);
}
