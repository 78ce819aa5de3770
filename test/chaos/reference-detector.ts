import { deploymentNames, featureSketchTopic, type Kafka, type Producer } from '@driftwatch/bus';
import type { DriftAlert, RetrainRequest } from '@driftwatch/topics';

import { createTestPipeline } from '../support/pipeline.js';
import { collectTopic, type ReadRecord } from '../support/topic-reader.js';
import { spawnServiceInstance } from './service-instance.js';
import { waitUntilCommitted } from './wait-until-committed.js';

/** The committed input a detector consumed in the disturbed run, record for record. */
export interface DetectorInput {
  labeled: readonly ReadRecord[];
  /** Inference's feature sketches: data drift is judged on them. */
  features: readonly ReadRecord[];
  versions: readonly ReadRecord[];
}

export interface ReferenceOutput {
  prefix: string;
  topics: { labeled: string; features: string };
  alerts: DriftAlert[];
  requests: RetrainRequest[];
  /** The copies, to place the reference alerts' evidence. */
  labeled: ReadRecord[];
  features: ReadRecord[];
}

/**
 * One detector, never disturbed, over a copy of the input the disturbed run's detectors
 * committed: the same records, partitions, order and timestamps, under a fresh prefix. Its
 * alerts and retrain requests are what the disturbed run must have produced — a second full run
 * of the stream could not serve, because two joiners interleave `predictions-labeled` differently
 * every run, and ADWIN answers to the order.
 */
export async function runReferenceDetector(options: {
  kafka: Kafka;
  input: DetectorInput;
  env: Record<string, string>;
  logDir: string;
  timeoutMs: number;
}): Promise<ReferenceOutput> {
  const { kafka, input } = options;
  const pipeline = await createTestPipeline(kafka);
  const group = deploymentNames(pipeline.prefix).consumerGroup('detector');
  const featuresTopic = featureSketchTopic(pipeline.prefix);
  const producer = kafka.producer({ idempotent: true });
  await producer.connect();
  const detector = await spawnServiceInstance('detector', {
    env: { ...options.env, ...pipeline.env, INSTANCE_ID: 'reference', HTTP_PORT: '0' },
    logDir: options.logDir,
  });
  try {
    // The registry first: the detector reads it to the end before it handles a batch.
    await copy(producer, pipeline.names.modelVersions, input.versions);
    await detector.started;
    await copy(producer, featuresTopic, input.features);
    await copy(producer, pipeline.names.predictionsLabeled, input.labeled);
    const [labeled, features] = await Promise.all([
      readAll(kafka, pipeline.names.predictionsLabeled, input.labeled.length, options.timeoutMs),
      readAll(kafka, featuresTopic, input.features.length, options.timeoutMs),
    ]);
    await waitUntilCommitted(kafka, group, featuresTopic, features, options.timeoutMs);
    await waitUntilCommitted(
      kafka,
      group,
      pipeline.names.predictionsLabeled,
      labeled,
      options.timeoutMs,
    );
    const alerts = await collectTopic(kafka, pipeline.names.driftAlerts);
    const requests = await collectTopic(kafka, pipeline.names.retrainRequested);
    await Promise.all([alerts.settle(2000), requests.settle(2000)]);
    await Promise.all([alerts.stop(), requests.stop()]);
    return {
      prefix: pipeline.prefix,
      topics: { labeled: pipeline.names.predictionsLabeled, features: featuresTopic },
      alerts: await Promise.all(
        alerts.records.map((r) => pipeline.codecs.driftAlerts.decode(r.value)),
      ),
      requests: await Promise.all(
        requests.records.map((r) => pipeline.codecs.retrainRequested.decode(r.value)),
      ),
      labeled,
      features,
    };
  } finally {
    detector.child.kill('SIGKILL');
    await detector.exited;
    await producer.disconnect();
  }
}

/** Writes records to the same partitions, in offset order, with their keys and timestamps. */
async function copy(producer: Producer, topic: string, records: readonly ReadRecord[]) {
  const ordered = [...records].sort(
    (a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)),
  );
  for (let start = 0; start < ordered.length; start += 500) {
    await producer.send({
      topic,
      messages: ordered.slice(start, start + 500).map((record) => ({
        partition: record.partition,
        key: record.key,
        value: record.value,
        timestamp: record.timestamp,
        headers: record.headers ?? {},
      })),
    });
  }
}

async function readAll(
  kafka: Kafka,
  topic: string,
  count: number,
  timeoutMs: number,
): Promise<ReadRecord[]> {
  const reader = await collectTopic(kafka, topic);
  try {
    await reader.waitFor(count, timeoutMs);
    return [...reader.records];
  } finally {
    await reader.stop();
  }
}
