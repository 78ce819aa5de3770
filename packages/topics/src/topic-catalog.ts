import type { z } from 'zod';

import { deadLetterSchema } from './messages/dead-letter.js';
import { driftAlertSchema } from './messages/drift-alert.js';
import { edgeCaseSchema } from './messages/edge-case.js';
import { featureEventSchema } from './messages/feature-event.js';
import { labelEventSchema } from './messages/label-event.js';
import { modelVersionSchema } from './messages/model-version.js';
import { labeledPredictionSchema, predictionSchema } from './messages/prediction.js';
import { retrainRequestSchema } from './messages/retrain-request.js';

export interface TopicDefinition<Schema extends z.ZodType> {
  /** The topic's name before the deployment's prefix. */
  baseName: string;
  schema: Schema;
  /** The Avro schema under the repository's schemas/ (record `io.driftwatch.<message type>`). */
  avroSchemaFile: string;
  /** Top-level fields holding raw bytes: base64 strings in JSON, `bytes` in Avro. */
  bytesFields: readonly string[];
  /** Topic-level configs set when the topic is created. */
  configs: Readonly<Record<string, string>>;
  partitions: 'default' | 1;
}

function define<Schema extends z.ZodType>(
  definition: TopicDefinition<Schema>,
): TopicDefinition<Schema> {
  return definition;
}

/** Every topic driftwatch reads or writes. */
export const topicCatalog = {
  events: define({
    baseName: 'events',
    schema: featureEventSchema,
    avroSchemaFile: 'events.avsc',
    bytesFields: [],
    configs: {},
    partitions: 'default',
  }),
  labels: define({
    baseName: 'labels',
    schema: labelEventSchema,
    avroSchemaFile: 'labels.avsc',
    bytesFields: [],
    configs: {},
    partitions: 'default',
  }),
  predictions: define({
    baseName: 'predictions',
    schema: predictionSchema,
    avroSchemaFile: 'predictions.avsc',
    bytesFields: [],
    configs: {},
    partitions: 'default',
  }),
  predictionsLabeled: define({
    baseName: 'predictions-labeled',
    schema: labeledPredictionSchema,
    avroSchemaFile: 'predictions-labeled.avsc',
    bytesFields: [],
    configs: {},
    partitions: 'default',
  }),
  edgeCases: define({
    baseName: 'edge-cases',
    schema: edgeCaseSchema,
    avroSchemaFile: 'edge-cases.avsc',
    bytesFields: [],
    configs: {},
    partitions: 'default',
  }),
  modelVersions: define({
    baseName: 'model-versions',
    schema: modelVersionSchema,
    avroSchemaFile: 'model-versions.avsc',
    bytesFields: ['onnx'],
    // Compacted and keyed `<model>/<version>`: every version is kept forever, and a rejected
    // challenger never shadows the promoted one. Models are larger than events.
    configs: { 'cleanup.policy': 'compact', 'max.message.bytes': String(16 * 1024 * 1024) },
    // One partition: readers see versions in the order they were published.
    partitions: 1,
  }),
  driftAlerts: define({
    baseName: 'drift-alerts',
    schema: driftAlertSchema,
    avroSchemaFile: 'drift-alerts.avsc',
    bytesFields: [],
    configs: {},
    partitions: 'default',
  }),
  retrainRequested: define({
    baseName: 'retrain-requested',
    schema: retrainRequestSchema,
    avroSchemaFile: 'retrain-requested.avsc',
    bytesFields: [],
    configs: {},
    partitions: 'default',
  }),
  deadLetter: define({
    baseName: 'dead-letter',
    schema: deadLetterSchema,
    avroSchemaFile: 'dead-letter.avsc',
    bytesFields: ['key', 'value'],
    configs: {},
    partitions: 'default',
  }),
} as const;

export type TopicId = keyof typeof topicCatalog;
export type MessageOf<Id extends TopicId> = z.infer<(typeof topicCatalog)[Id]['schema']>;
export const topicIds = Object.keys(topicCatalog) as TopicId[];

export type TopicNames = Readonly<Record<TopicId, string>>;

/** The deployment's topic names: `TOPIC_PREFIX` + base name (`acme.events` for prefix `acme.`). */
export function topicNames(prefix: string): TopicNames {
  return Object.fromEntries(
    topicIds.map((id) => [id, `${prefix}${topicCatalog[id].baseName}`]),
  ) as Record<TopicId, string>;
}
