/**
 * How long after the evidence of a drift is complete the alert can be read from `drift-alerts`
 * (the bench compares it with round-trip.ts). Every time here is `performance.now()` in this
 * process: when a record was handed to `producer.send`, when a record was handed to a reader.
 * Kafka timestamps only identify records, never time them.
 */
import { setTimeout as sleep } from 'node:timers/promises';

import { deploymentNames, recordCoordinate, type Producer } from '@driftwatch/bus';
import type { ServiceProcess } from '@driftwatch/demo';
import { stableId } from '@driftwatch/detector';
import { mulberry32, type Random } from '@driftwatch/drift';
import type { DriftAlert, LabeledPrediction } from '@driftwatch/topics';

import { publishModelVersion } from '../../test/support/pipeline.js';
import type { BenchPipeline } from './bench-pipeline.js';
import { committedPast } from './committed-offsets.js';
import { paced } from './paced.js';
import { countRecords, type RecordCounter } from './record-counter.js';
import { encodeEvents, encodeLabels, registeredSeaVersion, seaRows } from './sea-workload.js';

/** Records of a drift are produced one at a time at this pace, as a live stream would bring them. */
export const PACE_MS = 5;
/** Labeled predictions of the stationary error rate before each drift: ADWIN's reference. */
export const STATIONARY = 1000;
const STATIONARY_ERROR_RATE = 0.05;
const DRIFT_ERROR_RATE = 0.5;
/** Records sent per drift before giving up on an alert. */
const DRIFT_LIMIT = 3000;

export interface ReadAlert {
  alert: DriftAlert;
  readAt: number;
}

export interface AlertLatency {
  model: string;
  latencyMs: number;
  /** Records of the drift produced up to and including the one that completed the evidence. */
  evidence: number;
  /** Records produced after that one before the alert was read. */
  producedAfter: number;
  /** Through inference and joiner: from the label sent to its labeled record read by the bench. */
  joinedMs?: number;
}

/** Every alert of the pipeline, decoded, with when it was read. */
export async function readAlerts(
  pipeline: BenchPipeline,
): Promise<{ alerts: ReadAlert[]; stop(): Promise<void> }> {
  const alerts: ReadAlert[] = [];
  let decoding = Promise.resolve();
  const reader = await countRecords(pipeline.kafka, [pipeline.names.driftAlerts], {
    groupIdPrefix: pipeline.prefix,
    onRecord: (_topic, _partition, message, readAt) => {
      decoding = decoding.then(async () => {
        alerts.push({ alert: await pipeline.codecs.driftAlerts.decode(message.value), readAt });
      });
    },
  });
  return {
    alerts,
    stop: async () => {
      await reader.stop();
      await decoding;
    },
  };
}

async function waitFor<T>(
  find: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
): Promise<T | undefined> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const found = await find();
    if (found !== undefined || performance.now() > deadline) return found;
    await sleep(5);
  }
}

const isAdwin = (read: ReadAlert, model: string): boolean =>
  read.alert.model === model && read.alert.detector === 'adwin';

async function labeledPrediction(
  pipeline: BenchPipeline,
  model: string,
  index: number,
  errorRate: number,
  random: Random,
): Promise<Buffer> {
  const label: 0 | 1 = random() < 0.5 ? 1 : 0;
  const predicted: 0 | 1 = random() < errorRate ? (label === 1 ? 0 : 1) : label;
  const record: LabeledPrediction = {
    id: `${model}-${String(index)}`,
    model,
    modelVersion: 1,
    ts: index,
    scoredAt: index,
    score: predicted === 1 ? 0.8 : 0.2,
    predicted,
    features: { x1: random() * 10, x2: random() * 10, x3: random() * 10 },
    label,
    labelTs: index + 1000,
    labelDelayMs: 1000,
  };
  return pipeline.codecs.predictionsLabeled.encode(record);
}

/** Waits until the detector has consumed (and committed) `count` records of `topic` in all. */
async function detectorConsumed(
  detector: ServiceProcess,
  topic: string,
  count: number,
): Promise<void> {
  const found = await waitFor(async () => {
    return (await detector.metric('driftwatch_detector_records_consumed_total', { topic })) >= count
      ? true
      : undefined;
  }, 60_000);
  if (!found)
    throw new Error(`the detector consumed fewer than ${String(count)} records of ${topic}`);
}

/**
 * Drifts fed straight to `predictions-labeled` with the detector running: per drift a new model,
 * STATIONARY records at a low error rate in one request, wait until the detector has them, then
 * records at a high error rate one at a time every PACE_MS until the alert is read. The Kafka
 * timestamp of each record is ours and unique, so the alert's `windowEnd` names the record that
 * completed the evidence; the latency is from handing that record to the producer to reading
 * the alert.
 */
export async function detectorAlertLatencies(
  pipeline: BenchPipeline,
  detector: ServiceProcess,
  producer: Producer,
  drifts: number,
): Promise<{ latencies: AlertLatency[]; falseAlarms: number }> {
  const topic = pipeline.names.predictionsLabeled;
  const reader = await readAlerts(pipeline);
  const latencies: AlertLatency[] = [];
  let falseAlarms = 0;
  let produced = 0;
  try {
    for (let drift = 0; drift < drifts; drift++) {
      const model = `drift-${String(drift)}`;
      const random = mulberry32(100 + drift);
      const stationaryBase = Date.now() - 60_000;
      const stationary = [];
      for (let index = 0; index < STATIONARY; index++) {
        stationary.push({
          key: model,
          value: await labeledPrediction(pipeline, model, index, STATIONARY_ERROR_RATE, random),
          timestamp: String(stationaryBase + index),
        });
      }
      await producer.send({ topic, messages: stationary });
      produced += STATIONARY;
      await detectorConsumed(detector, topic, produced);
      if (reader.alerts.some((read) => isAdwin(read, model))) {
        falseAlarms++;
        continue;
      }

      const driftBase = Date.now();
      const sentAt: number[] = [];
      const sent = await paced(PACE_MS, DRIFT_LIMIT, async (index) => {
        if (reader.alerts.some((read) => isAdwin(read, model))) return false;
        const value = await labeledPrediction(
          pipeline,
          model,
          STATIONARY + index,
          DRIFT_ERROR_RATE,
          random,
        );
        sentAt[index] = performance.now();
        await producer.send({
          topic,
          messages: [{ key: model, value, timestamp: String(driftBase + index) }],
        });
        return true;
      });
      produced += sentAt.length;
      const read = await waitFor(() => reader.alerts.find((r) => isAdwin(r, model)), 10_000);
      if (!read) throw new Error(`no alert for ${model} after ${String(sent)} drifted records`);
      const evidence = read.alert.windowEnd - driftBase;
      const completedAt = sentAt[evidence];
      if (completedAt === undefined)
        throw new Error(
          `alert for ${model} ends at ${String(read.alert.windowEnd)}, not a drifted record`,
        );
      latencies.push({
        model,
        latencyMs: read.readAt - completedAt,
        evidence: evidence + 1,
        producedAfter: sentAt.length - evidence - 1,
      });
      // Let the detector finish with the drift before the next one starts.
      await detectorConsumed(detector, topic, produced);
    }
  } finally {
    await reader.stop();
  }
  return { latencies, falseAlarms };
}

/**
 * The same measurement through inference and joiner: per drift a new model version is published
 * and served, STATIONARY events of the concept it learned go in with their labels, then events
 * of the opposite concept every PACE_MS, each label `labelLagMs` after its event. The alert's
 * `windowEnd` is the joiner's timestamp on the labeled record that completed the evidence; that
 * record names its event, and the latency runs from handing that event's label to the producer.
 */
export async function endToEndAlertLatencies(
  pipeline: BenchPipeline,
  inference: ServiceProcess,
  producer: Producer,
  drifts: number,
  labelLagMs: number,
): Promise<{ latencies: AlertLatency[]; falseAlarms: number; ambiguous: number }> {
  const names = pipeline.names;
  const labeledByModel = new Map<string, LabeledRecord[]>();
  const labeled = await countRecords(pipeline.kafka, [names.predictionsLabeled], {
    groupIdPrefix: pipeline.prefix,
    onRecord: (_topic, partition, message, readAt) => {
      // Keyed by model: only the drifts' models are kept.
      const model = message.key?.toString() ?? '';
      if (!model.startsWith('e2e-drift-') || !message.value) return;
      const records = labeledByModel.get(model) ?? [];
      records.push({
        partition,
        offset: message.offset,
        timestamp: message.timestamp,
        value: message.value,
        readAt,
      });
      labeledByModel.set(model, records);
    },
  });
  const reader = await readAlerts(pipeline);
  const latencies: AlertLatency[] = [];
  let falseAlarms = 0;
  let ambiguous = 0;
  const lagTicks = Math.max(1, Math.round(labelLagMs / PACE_MS));
  try {
    for (let drift = 0; drift < drifts; drift++) {
      const model = `e2e-drift-${String(drift)}`;
      await publishModelVersion(producer, pipeline, await registeredSeaVersion(model));
      const served = await waitFor(async () => {
        return (await inference.metric('driftwatch_inference_served_model_version', { model })) >= 1
          ? true
          : undefined;
      }, 30_000);
      if (!served) throw new Error(`inference did not serve ${model} within 30 s`);

      const baseTs = Date.now() - 3_600_000;
      const stationaryRows = seaRows({ seed: 200 + drift, length: STATIONARY });
      await producer.send({
        topic: names.events,
        messages: await encodeEvents(pipeline.codecs, model, model, stationaryRows, baseTs),
      });
      await producer.send({
        topic: names.labels,
        messages: await encodeLabels(pipeline.codecs, model, model, stationaryRows, baseTs),
      });
      await waitForLabeled(labeled, labeledByModel, model, STATIONARY);
      await committedPast(
        pipeline.kafka,
        deploymentNames(pipeline.prefix).consumerGroup('detector'),
        lastOffsets(names.predictionsLabeled, labeledByModel.get(model) ?? []),
        { timeoutMs: 60_000 },
      );
      if (reader.alerts.some((read) => isAdwin(read, model))) {
        falseAlarms++;
        continue;
      }

      // The opposite concept: the model is now wrong about as often as SEA's noise lets it be right.
      const driftRows = seaRows({
        seed: 300 + drift,
        length: DRIFT_LIMIT,
        concept: { positive: 'above' },
      }).map((row) => ({ ...row, index: STATIONARY + row.index }));
      const driftEvents = await encodeEvents(pipeline.codecs, model, model, driftRows, baseTs);
      const driftLabels = await encodeLabels(pipeline.codecs, model, model, driftRows, baseTs);
      /** Per drifted label sent: its place in the drift and when it was handed to the producer. */
      const labelsSent = new Map<string, { index: number; at: number }>();
      await paced(PACE_MS, DRIFT_LIMIT + lagTicks, async (tick) => {
        if (reader.alerts.some((read) => isAdwin(read, model))) return false;
        const event = driftEvents[tick];
        const label = driftLabels[tick - lagTicks];
        const topicMessages = [];
        if (event) topicMessages.push({ topic: names.events, messages: [event] });
        if (label) {
          topicMessages.push({ topic: names.labels, messages: [label] });
          labelsSent.set(label.key, { index: tick - lagTicks, at: performance.now() });
        }
        await producer.sendBatch({ topicMessages });
        return true;
      });
      const read = await waitFor(() => reader.alerts.find((r) => isAdwin(r, model)), 10_000);
      if (!read) throw new Error(`no alert for ${model}`);

      // The labeled record the detector read last before alerting: its timestamp is windowEnd,
      // and of several written in the same millisecond, the alert id says which.
      const candidates = await waitFor(() => {
        const found = (labeledByModel.get(model) ?? []).filter(
          (record) => Number(record.timestamp) === read.alert.windowEnd,
        );
        return found.length > 0 ? found : undefined;
      }, 10_000);
      if (!candidates)
        throw new Error(`no labeled record of ${model} at ${String(read.alert.windowEnd)}`);
      const exact = candidates.find(
        (record) =>
          stableId(
            'alert',
            recordCoordinate({ topic: names.predictionsLabeled, ...record }),
            read.alert.detector,
            read.alert.feature ?? '',
          ) === read.alert.alertId,
      );
      if (!exact) ambiguous++;
      const completingRecord = exact ?? candidates[0];
      const completing = await pipeline.codecs.predictionsLabeled.decode(
        completingRecord?.value ?? null,
      );
      const completed = labelsSent.get(completing.id);
      if (!completed)
        throw new Error(
          `the alert for ${model} was completed by ${completing.id}, not a drifted label`,
        );
      latencies.push({
        model,
        latencyMs: read.readAt - completed.at,
        evidence: completed.index + 1,
        producedAfter: labelsSent.size - completed.index - 1,
        joinedMs: (completingRecord?.readAt ?? NaN) - completed.at,
      });
    }
  } finally {
    await reader.stop();
    await labeled.stop();
  }
  return { latencies, falseAlarms, ambiguous };
}

interface LabeledRecord {
  partition: number;
  offset: string;
  timestamp: string;
  value: Buffer;
  readAt: number;
}

async function waitForLabeled(
  labeled: RecordCounter,
  byModel: ReadonlyMap<string, readonly unknown[]>,
  model: string,
  count: number,
): Promise<void> {
  const found = await waitFor(
    () => ((byModel.get(model)?.length ?? 0) >= count ? true : undefined),
    120_000,
  );
  if (!found)
    throw new Error(
      `${String(byModel.get(model)?.length ?? 0)} of ${String(count)} labeled records of ${model} (read ${String(labeled.count)} in all)`,
    );
}

function lastOffsets(
  topic: string,
  records: readonly { partition: number; offset: string }[],
): Map<string, bigint> {
  const last = new Map<string, bigint>();
  for (const { partition, offset } of records) {
    const key = `${topic}/${String(partition)}`;
    if (BigInt(offset) > (last.get(key) ?? -1n)) last.set(key, BigInt(offset));
  }
  return last;
}
