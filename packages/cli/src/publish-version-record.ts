import type { Kafka } from '@driftwatch/bus';
import { modelVersionKey, type Codec, type ModelVersion } from '@driftwatch/topics';

import type { CliConfig } from './cli-config.js';
import { connectProducer } from './kafka-client.js';

/**
 * Writes one record to model-versions under its `<model>/<version>` key. Encoded before the
 * producer connects, so a record the schema refuses publishes nothing.
 */
export async function publishVersionRecord(
  config: CliConfig,
  kafka: Kafka,
  codec: Codec<ModelVersion>,
  record: ModelVersion,
): Promise<void> {
  const value = await codec.encode(record);
  const producer = await connectProducer(kafka, config.brokers);
  try {
    await producer.send({
      topic: config.names.modelVersions,
      messages: [{ key: modelVersionKey(record.model, record.version), value }],
    });
  } finally {
    await producer.disconnect();
  }
}
