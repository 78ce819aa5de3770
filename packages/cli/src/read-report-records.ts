import {
  deploymentNames,
  isRetriable,
  readTimeRange,
  type InputRecord,
  type Kafka,
} from '@driftwatch/bus';
import { utcTime } from '@driftwatch/report';
import {
  createCodecs,
  type Codec,
  type DriftAlert,
  type LabeledPrediction,
  type ModelVersion,
  type RetrainRequest,
} from '@driftwatch/topics';

import type { CliConfig } from './cli-config.js';
import { withinDeadline } from './deadline.js';
import { CliError } from './errors.js';
import { connectAdmin, missingTopics } from './kafka-client.js';
import { readAlerts } from './read-alerts.js';
import { readModelRegistry } from './read-model-registry.js';

/** What a report of one model is made from, as its topics hold it now. */
export interface ReportRecords {
  /** Labeled predictions whose event time is in range. */
  predictions: LabeledPrediction[];
  /** Every alert and retrain request of the model (the lineage explains versions outside range). */
  alerts: DriftAlert[];
  retrainRequests: RetrainRequest[];
  /** Every version of the model, ONNX bytes included (the never-retrained line scores the root). */
  versions: ModelVersion[];
  /** Records skipped because they are not their topic's message, in words. */
  notes: string[];
}

/**
 * Records of `model` (every model's when undefined) that decode; others are counted in `notes`,
 * not fatal.
 */
export async function decodeAll<Message extends { model: string }>(
  records: readonly InputRecord[],
  codec: Codec<Message>,
  model: string | undefined,
  topic: string,
  notes: string[],
): Promise<Message[]> {
  const messages: Message[] = [];
  let unreadable = 0;
  for (const record of records) {
    try {
      const message = await codec.decode(record.value);
      if (model === undefined || message.model === model) messages.push(message);
    } catch (error) {
      // A Schema Registry that is down is not a bad record.
      if (isRetriable(error)) throw error;
      unreadable++;
    }
  }
  if (unreadable > 0) notes.push(`${unreadable} unreadable records of ${topic} skipped`);
  return messages;
}

/**
 * Reads what a report of `model` needs: its versions (`model-versions` to its end), its labeled
 * predictions with event time in [from, to] (read from the first record written at or after
 * `from`: a label is written after its event), and all its alerts and retrain requests. Fails
 * with a one-line CliError when a topic is missing (DW_CLI_TOPIC_MISSING), the model has no
 * version (DW_CLI_UNKNOWN_MODEL) or no labeled prediction is in range (DW_CLI_EMPTY_RANGE).
 */
export async function readReportRecords(options: {
  kafka: Kafka;
  config: CliConfig;
  model: string;
  from: number | null;
  to: number | null;
  timeoutMs?: number;
}): Promise<ReportRecords> {
  const { kafka, config, model, from, to } = options;
  const { names } = config;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const needed = [
    names.predictionsLabeled,
    names.modelVersions,
    names.driftAlerts,
    names.retrainRequested,
  ];
  const admin = await connectAdmin(kafka, config.brokers);
  let missing: string[];
  try {
    missing = await missingTopics(admin, needed);
  } finally {
    await admin.disconnect();
  }
  if (missing.length > 0) {
    throw new CliError(
      'DW_CLI_TOPIC_MISSING',
      `cannot report on ${model}: ${missing.length === 1 ? 'topic' : 'topics'} ${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist (TOPIC_PREFIX=${JSON.stringify(config.topicPrefix)}); start the services, or set TOPIC_PREFIX to the deployment's`,
    );
  }
  const codecs = await createCodecs({
    schemaRegistryUrl: config.schemaRegistryUrl,
    names,
    topics: [],
  });
  const registry = await readModelRegistry({
    kafka,
    topic: names.modelVersions,
    codec: codecs.modelVersions,
    groupIdPrefix: deploymentNames(config.topicPrefix).followerGroupPrefix('cli', 'report'),
    timeoutMs,
  });
  const versions = registry.versions(model);
  if (versions.length === 0) {
    const models = registry.models();
    throw new CliError(
      'DW_CLI_UNKNOWN_MODEL',
      `no version of model ${JSON.stringify(model)} in ${names.modelVersions}${models.length > 0 ? `; models: ${models.join(', ')}` : ''}`,
    );
  }

  const ofModel = (record: InputRecord): boolean => record.key?.toString() === model;
  const notes: string[] = [];
  const [labeledRecords, alerts, requestRecords] = await Promise.all([
    withinDeadline(timeoutMs, `reading ${names.predictionsLabeled}`, (signal) =>
      readTimeRange({
        kafka,
        topic: names.predictionsLabeled,
        fromTs: from ?? 0,
        toTs: Number.MAX_SAFE_INTEGER,
        filter: ofModel,
        signal,
      }),
    ),
    readAlerts({ kafka, topic: names.driftAlerts, codec: codecs.driftAlerts, model, timeoutMs }),
    withinDeadline(timeoutMs, `reading ${names.retrainRequested}`, (signal) =>
      readTimeRange({
        kafka,
        topic: names.retrainRequested,
        fromTs: 0,
        toTs: Number.MAX_SAFE_INTEGER,
        filter: ofModel,
        signal,
      }),
    ),
  ]);
  const inRange = (ts: number): boolean =>
    (from === null || ts >= from) && (to === null || ts <= to);
  const predictions = (
    await decodeAll(
      labeledRecords,
      codecs.predictionsLabeled,
      model,
      names.predictionsLabeled,
      notes,
    )
  ).filter((prediction) => inRange(prediction.ts));
  if (alerts.unreadable.length > 0) {
    notes.push(`${alerts.unreadable.length} unreadable records of ${names.driftAlerts} skipped`);
  }
  const retrainRequests = await decodeAll(
    requestRecords,
    codecs.retrainRequested,
    model,
    names.retrainRequested,
    notes,
  );
  if (predictions.length === 0) {
    throw new CliError(
      'DW_CLI_EMPTY_RANGE',
      from === null && to === null
        ? `no labeled predictions of ${model} in ${names.predictionsLabeled} yet: the joiner writes them as labels arrive`
        : `no labeled predictions of ${model} with event time ${from === null ? 'up to' : `from ${utcTime(from)}`}${from !== null && to !== null ? ' to' : ''}${to === null ? '' : ` ${utcTime(to)}`} UTC in ${names.predictionsLabeled}; widen --from/--to`,
    );
  }
  return { predictions, alerts: alerts.alerts, retrainRequests, versions, notes };
}
